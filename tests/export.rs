//! `coalition export`: golden files on the seed, and round trips through independent readers
//! (networkx for GraphML and GEXF, Python's csv and json modules) on the seed and on a hostile
//! invented fixture, comparing every attribute and its type with the model.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value as J};

use coalition::export::{Row, Table, Value, EDGE_ATTRS, LIST_SEPARATOR, NODE_ATTRS};
use coalition::model::Model;

use crate::util::{assert_golden, require_python_module, root, run, seed_copy, text};

const FORMATS: &[&str] = &["graphml", "gexf", "csv", "kumu", "cytoscape"];

fn fixtures() -> PathBuf {
    root().join("tests/fixtures/export")
}

fn hostile() -> PathBuf {
    fixtures().join("hostile")
}

fn model(facts: &Path) -> Model {
    coalition::load(facts).unwrap_or_else(|e| panic!("{e}"))
}

/// The seed's golden file for `format`, under `tests/fixtures/export/seed/`.
fn golden(format: &str) -> PathBuf {
    let name = match format {
        "kumu" | "cytoscape" => format!("expected.{format}.json"),
        f => format!("expected.{f}"),
    };
    fixtures().join("seed").join(name)
}

#[test]
fn golden_files_on_the_seed() {
    for format in ["graphml", "gexf", "kumu", "cytoscape"] {
        let o = run(&root(), &["export", "--format", format]);
        let (out, err) = text(&o);
        assert_eq!(o.status.code(), Some(0), "{format}: {err}");
        assert_golden(&golden(format), &out);
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("csv");
    let o = run(
        &root(),
        &["export", "--format", "csv", "-o", dir.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o).1);
    for name in ["nodes.csv", "edges.csv", "claims.csv"] {
        let got = std::fs::read_to_string(dir.join(name)).unwrap();
        assert_golden(&fixtures().join("seed/expected-csv").join(name), &got);
    }
}

#[test]
fn output_file_matches_standard_output() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("g.gexf");
    let o = run(
        &root(),
        &["export", "--format", "gexf", "-o", file.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o).1);
    assert!(o.stdout.is_empty());
    let stdout = run(&root(), &["export", "--format", "gexf"]).stdout;
    assert_eq!(std::fs::read(&file).unwrap(), stdout);
}

#[test]
fn csv_needs_an_output_folder() {
    let o = run(&root(), &["export", "--format", "csv"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(out.is_empty());
    assert!(err.contains("-o DIR"), "{err}");
}

#[test]
fn invalid_facts_export_nothing() {
    let tmp = seed_copy();
    let f = tmp.path().join("seeds/entities.yaml");
    let s = std::fs::read_to_string(&f).unwrap();
    std::fs::write(&f, s.replacen("kind: news_agency", "kind: newsagency", 1)).unwrap();
    let out = tmp.path().join("out.graphml");
    let o = run(
        tmp.path(),
        &["export", "--format", "graphml", "-o", out.to_str().unwrap()],
    );
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("the facts are invalid"), "{err}");
    assert!(!out.exists());
}

/// Exports `facts` in `format` into `dir` and returns what the Python reader saw.
fn read_back(facts: &Path, format: &str, dir: &Path) -> J {
    let out = dir.join(format!("export.{format}"));
    let o = run(
        &root(),
        &[
            "export",
            "--format",
            format,
            "--facts",
            facts.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{format}: {}", text(&o).1);
    let py = Command::new("python3")
        .arg(fixtures().join("read_exports.py"))
        .args([format, out.to_str().unwrap()])
        .output()
        .unwrap();
    let (stdout, stderr) = text(&py);
    assert!(
        py.status.success(),
        "{format}: python reader failed: {stderr}"
    );
    serde_json::from_str(&stdout).unwrap()
}

/// `[value, python type name]` as the reader prints it.
fn typed(v: &Value, json_lists: bool) -> J {
    match v {
        Value::Str(s) => json!([s, "str"]),
        Value::List(l) if json_lists => json!([l, "list"]),
        Value::List(l) => json!([l.join(LIST_SEPARATOR), "str"]),
        Value::Int(n) => json!([n, "int"]),
        Value::Bool(b) => json!([b, "bool"]),
    }
}

fn present(row: &Row, skip: &[&str], json_lists: bool) -> serde_json::Map<String, J> {
    row.present(skip)
        .map(|(a, v)| (a.name.to_string(), typed(v, json_lists)))
        .collect()
}

/// What a correct reader must see for `row` in `format`.
fn expected_attrs(row: &Row, format: &str) -> serde_json::Map<String, J> {
    let edge = row.ends.is_some();
    let mut m = match format {
        "csv" => {
            let attrs = if edge { EDGE_ATTRS } else { NODE_ATTRS };
            attrs
                .iter()
                .map(|a| (a.name.to_string(), json!([row.text(a.name), "str"])))
                .collect()
        }
        "kumu" => present(row, &["label"], true),
        "graphml" | "gexf" | "cytoscape" => {
            present(row, &[], format != "graphml" && format != "gexf")
        }
        f => panic!("unknown format {f}"),
    };
    if format == "gexf" {
        // GEXF labels are xsd:tokens.
        m.insert(
            "label".into(),
            json!([coalition::export::gexf::token(&row.text("label")), "str"]),
        );
    }
    match (format, row.entity) {
        ("gexf", Some(e)) => {
            let (r, g, b) = coalition::export::group_color(e.kind.group());
            m.insert("viz_color".into(), json!([format!("{r},{g},{b}"), "str"]));
        }
        ("gexf", None) => {
            m.insert("weight".into(), json!([row.claims.len() as f64, "float"]));
        }
        ("csv", None) => {
            m.insert("type".into(), json!(["Directed", "str"]));
            m.insert("kind".into(), json!([row.text("predicate"), "str"]));
        }
        ("kumu", Some(e)) => {
            m.insert("label".into(), json!([row.text("label"), "str"]));
            m.insert("type".into(), json!([e.kind.label(), "str"]));
            m.insert("tags".into(), json!([[e.kind.group().name()], "list"]));
        }
        ("kumu", None) => {
            m.insert("type".into(), json!([row.text("label"), "str"]));
            m.insert("direction".into(), json!(["directed", "str"]));
        }
        ("cytoscape", None) => {
            m.insert("interaction".into(), json!([row.text("predicate"), "str"]));
        }
        _ => {}
    }
    m
}

fn check_round_trip(facts: &Path, format: &str, dir: &Path) -> J {
    let model = model(facts);
    let table = Table::new(&model);
    let mut seen = read_back(facts, format, dir);
    assert_eq!(seen["directed"], json!(true), "{format}");
    let nodes = seen["nodes"].as_object().unwrap();
    assert_eq!(nodes.len(), model.entity_count(), "{format}: node count");
    for n in &table.nodes {
        let got = nodes[&n.id].as_object().unwrap();
        assert_eq!(got, &expected_attrs(n, format), "{format}: node {}", n.id);
    }
    let edges = seen["edges"].as_object_mut().unwrap();
    assert_eq!(
        edges.len(),
        model.statement_edges().count(),
        "{format}: edge count"
    );
    for e in &table.edges {
        let got = edges
            .get_mut(&e.id)
            .unwrap_or_else(|| panic!("{format}: no edge {}", e.id));
        let (s, t) = e.ends.clone().unwrap();
        assert_eq!((&got["source"], &got["target"]), (&json!(s), &json!(t)));
        let attrs = got["attrs"].as_object_mut().unwrap();
        // Every edge carries its evidence, verbatim.
        let quotes = &attrs["quotes"][0];
        assert!(
            quotes.as_str().is_some_and(|q| !q.is_empty())
                || quotes.as_array().is_some_and(|q| !q.is_empty()),
            "{format}: edge {} has no quote",
            e.id
        );
        if format == "kumu" {
            let d = attrs.remove("description").unwrap();
            let d = d[0].as_str().unwrap();
            for p in e.claims.iter().flat_map(|c| c.evidence()) {
                for line in p.exact.lines() {
                    assert!(d.contains(&format!("> {line}")), "kumu: {d}");
                }
            }
        }
        assert_eq!(attrs, &expected_attrs(e, format), "{format}: edge {}", e.id);
    }
    seen
}

#[test]
fn independent_readers_see_every_attribute_of_the_seed() {
    if !require_python_module("networkx") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    for format in FORMATS {
        let seen = check_round_trip(&root().join("seeds"), format, tmp.path());
        if *format == "graphml" || *format == "gexf" {
            // Spot checks of types as networkx sees them.
            let eff = &seen["nodes"]["eff"];
            assert_eq!(eff["kind"], json!(["advocacy_group", "str"]));
            let signed = &seen["edges"]["advocacy-coalition.signed.letter-to-bezos"]["attrs"];
            assert_eq!(signed["quantity"], json!([30, "int"]));
            assert_eq!(signed["quantity_approximate"], json!([true, "bool"]));
        }
    }
}

#[test]
fn csv_has_one_claim_row_per_quote() {
    if !require_python_module("networkx") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let seen = check_round_trip(&root().join("seeds"), "csv", tmp.path());
    let claims = seen["claims"].as_array().unwrap();
    let model = model(&root().join("seeds"));
    let evidence: usize = Table::new(&model)
        .edges
        .iter()
        .flat_map(|e| e.claims)
        .map(|c| c.evidence().len())
        .sum();
    assert_eq!(claims.len(), evidence);
    let text = &model.source("afp-2018-05-rekognition-letter").unwrap().text;
    for c in claims {
        let quote = c["quote"].as_str().unwrap();
        let start: usize = c["quote_start"].as_str().unwrap().parse().unwrap();
        let end: usize = c["quote_end"].as_str().unwrap().parse().unwrap();
        let at: String = text.chars().skip(start).take(end - start).collect();
        assert_eq!(at, quote, "offsets of {quote}");
    }
}

#[test]
fn hostile_text_survives_every_format() {
    if !require_python_module("networkx") {
        return;
    }
    let label = "<script>alert(\"x&y\")</script> «Défense & Libertés»\nsecond line";
    let quote = "<script>alert(\"x&y\")</script> «Défense & Libertés» a signé\n\
                 la lettre ouverte, avec \"une trentaine\" d'autres & plus.";
    let second = "le groupe aurait signé la lettre | avec d'autres.";
    let tmp = tempfile::tempdir().unwrap();
    for format in FORMATS {
        let seen = check_round_trip(&hostile(), format, tmp.path());
        let want = if *format == "gexf" {
            // xsd:token: the line break becomes a space.
            label.replace('\n', " ")
        } else {
            label.to_string()
        };
        assert_eq!(
            seen["nodes"]["hostile-group"]["label"][0],
            json!(want),
            "{format}"
        );
        assert_eq!(
            seen["nodes"]["hostile-group"]["name"][0],
            json!(label),
            "{format}"
        );
        // Two sources back the edge: both quotes, in source order.
        let edge = &seen["edges"]["hostile-group.signed.some-letter"]["attrs"];
        let q = &edge["quotes"][0];
        let quotes = [quote, second];
        let joined = quotes.join(LIST_SEPARATOR);
        assert!(q == &json!(quotes) || q == &json!(joined), "{format}: {q}");
        assert!(edge["claims"][0] == json!(2) || edge["claims"][0] == json!("2"));
        // The first claim's quantity is the edge's; the second source's 12 is in claims.csv.
        assert!(edge["quantity"][0] == json!(30) || edge["quantity"][0] == json!("30"));
        let certainty = &edge["certainty"][0];
        assert!(
            certainty == &json!(["stated", "inferred"]) || certainty == &json!("stated | inferred"),
            "{format}: {certainty}"
        );
        let d = &seen["nodes"]["hostile-group"]["description"][0];
        assert_eq!(
            d,
            &json!("Tab\there, carriage return\rthere, ]]> and &amp; literally."),
            "{format}"
        );
    }
}

/// Exports the seed in `format` and parses the JSON.
fn seed_json(format: &str) -> J {
    let o = run(&root(), &["export", "--format", format]);
    assert_eq!(o.status.code(), Some(0), "{format}: {}", text(&o).1);
    serde_json::from_slice(&o.stdout).unwrap()
}

/// Cytoscape.js elements JSON (<https://js.cytoscape.org/#notation/elements-json>): every element
/// has a `data.id` unique among all elements, every edge's `data.source`/`data.target` is a node;
/// networkx's reader needs top-level `directed`/`multigraph` and keeps the seed's parallel edges
/// (two predicates from jeff-bezos to amazon) only because each edge has its own `key`.
#[test]
fn cytoscape_is_valid_cytoscape_js_and_keeps_parallel_edges() {
    let doc = seed_json("cytoscape");
    assert_eq!(doc["directed"], json!(true));
    assert_eq!(doc["multigraph"], json!(true));
    let mut ids = std::collections::BTreeSet::new();
    let nodes = doc["elements"]["nodes"].as_array().unwrap();
    for n in nodes {
        let id = n["data"]["id"].as_str().expect("node data.id");
        assert_eq!(n["data"]["value"], json!(id), "node {id}: value");
        assert!(ids.insert(id.to_string()), "duplicate id {id}");
    }
    let node_ids = ids.clone();
    let mut pairs = std::collections::BTreeMap::new();
    let edges = doc["elements"]["edges"].as_array().unwrap();
    for e in edges {
        let d = &e["data"];
        let id = d["id"].as_str().expect("edge data.id");
        assert_eq!(d["key"], json!(id), "edge {id}: key");
        assert!(ids.insert(id.to_string()), "duplicate id {id}");
        let (s, t) = (d["source"].as_str().unwrap(), d["target"].as_str().unwrap());
        assert!(node_ids.contains(s) && node_ids.contains(t), "edge {id}");
        *pairs.entry((s, t)).or_insert(0) += 1;
    }
    let model = model(&root().join("seeds"));
    assert_eq!(nodes.len(), model.entity_count());
    assert_eq!(edges.len(), model.statement_edges().count());
    assert!(
        pairs.values().any(|&n| n > 1),
        "the seed has parallel edges"
    );
}

/// Kumu's blueprint format (<https://docs.kumu.io/guides/import/blueprints>): connections name
/// their elements by label, or by id when elements have ids ("make sure to use the ids, not the
/// labels, when building the connections"); ids are unique across elements and connections.
/// Every element has an id and every `from`/`to` is one, never another element's label.
#[test]
fn kumu_connections_resolve_to_elements_by_id() {
    for facts in [root().join("seeds"), hostile()] {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("k.json");
        let o = run(
            &root(),
            &[
                "export",
                "--format",
                "kumu",
                "--facts",
                facts.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", text(&o).1);
        let doc: J = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
        let mut ids = std::collections::BTreeSet::new();
        let mut labels = std::collections::BTreeMap::new();
        for e in doc["elements"].as_array().unwrap() {
            let id = e["id"].as_str().expect("every element has an id");
            assert!(ids.insert(id.to_string()), "duplicate id {id}");
            labels.insert(e["label"].as_str().unwrap().to_string(), id.to_string());
        }
        let elements = ids.clone();
        let connections = doc["connections"].as_array().unwrap();
        assert_eq!(connections.len(), model(&facts).statement_edges().count());
        for c in connections {
            let id = c["id"].as_str().expect("every connection has an id");
            assert!(ids.insert(id.to_string()), "id {id} is not unique");
            for end in [&c["from"], &c["to"]] {
                let end = end.as_str().unwrap();
                assert!(elements.contains(end), "{id}: {end} is no element id");
                if let Some(other) = labels.get(end) {
                    assert_eq!(other, end, "{id}: {end} is also another element's label");
                }
            }
        }
    }
}
