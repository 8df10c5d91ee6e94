//! Independent checkers: rdflib parses our Turtle and N-Quads with the same counts, pySHACL finds
//! the graph conforms to `ontology/shapes.ttl` (and the broken fixtures do not), and the Oxigraph
//! server CLI, whose default graph is not the union, gives the named queries' golden results.

use std::process::Command;

use coalition::rdf::{mapping, merged_triples, query, Base};

use super::seed_model;
use crate::util::{require_program, require_python_module, root, text};

#[test]
fn rdflib_reads_our_turtle_and_nquads_with_the_same_counts() {
    if !require_python_module("rdflib") {
        return;
    }
    let quads = mapping::quads(&seed_model(), &Base::default()).unwrap();
    let triples = merged_triples(&quads).len();
    let script = "import sys, rdflib\n\
        g = rdflib.Graph(); g.parse(sys.argv[1], format='turtle')\n\
        d = rdflib.Dataset(); d.parse(sys.argv[2], format='nquads')\n\
        print(len(g), len(list(d.quads((None, None, None, None)))))";
    let o = Command::new("python3")
        .args(["-c", script])
        .arg(root().join("graphs/coalition.ttl"))
        .arg(root().join("graphs/coalition.nq"))
        .output()
        .unwrap();
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert_eq!(out.trim(), format!("{triples} {}", quads.len()));
}

fn pyshacl(data: &std::path::Path) -> (bool, String) {
    let o = Command::new("python3")
        .args(["-m", "pyshacl", "-s"])
        .arg(root().join("ontology/shapes.ttl"))
        .args(["-df", "turtle"])
        .arg(data)
        .output()
        .unwrap();
    let (out, err) = text(&o);
    assert!(out.contains("Conforms:"), "pyshacl failed: {err}");
    (out.contains("Conforms: True"), out)
}

#[test]
fn the_graph_conforms_to_the_shapes() {
    if !require_python_module("pyshacl") {
        return;
    }
    let (ok, report) = pyshacl(&root().join("graphs/coalition.ttl"));
    assert!(ok, "{report}");
}

#[test]
fn broken_fixtures_do_not_conform() {
    if !require_python_module("pyshacl") {
        return;
    }
    let dir = root().join("tests/fixtures/shacl");
    let (ok, report) = pyshacl(&dir.join("valid.ttl"));
    assert!(ok, "the valid fixture must conform: {report}");
    for (file, rule) in [
        ("no-evidence.ttl", "rule C024"),
        ("place-signs.ttl", "rule C008"),
        ("quantity-out-of-bounds.ttl", "rule C021"),
        ("attributed-but-stated.ttl", "C023"),
        ("no-direct-triple.ttl", "has its direct triple"),
    ] {
        let (ok, report) = pyshacl(&dir.join(file));
        assert!(!ok, "{file} conforms");
        assert!(report.contains(rule), "{file}: {report}");
    }
}

/// `oxigraph query` on a store loaded from `graphs/coalition.nq`: a standard store whose default
/// graph is the registry only.
#[test]
fn named_queries_run_unchanged_on_a_standard_oxigraph_store() {
    if !require_program("oxigraph", &["--version"]) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("db");
    let o = Command::new("oxigraph")
        .args(["load", "--location"])
        .arg(&db)
        .arg("--file")
        .arg(root().join("graphs/coalition.nq"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o).1);
    for (name, _) in query::BUILT_IN {
        let o = Command::new("oxigraph")
            .args(["query", "--location"])
            .arg(&db)
            .arg("--query-file")
            .arg(root().join(format!("queries/{name}.rq")))
            .args(["--results-format", "csv"])
            .output()
            .unwrap();
        let (out, err) = text(&o);
        assert!(o.status.success(), "{name}: {err}");
        let golden = std::fs::read_to_string(
            root().join(format!("tests/fixtures/queries/{name}/expected.csv")),
        )
        .unwrap();
        assert_eq!(out, golden, "{name}");
    }
}

/// Every RDF format `coalition export` writes, read back by rdflib: triple formats give the merged
/// triple count, quad formats the quad count (named graphs plus the default graph).
#[test]
fn rdflib_reads_every_rdf_format_we_write() {
    if !require_python_module("rdflib") {
        return;
    }
    let quads = mapping::quads(&seed_model(), &Base::default()).unwrap();
    let triples = merged_triples(&quads).len();
    let tmp = tempfile::tempdir().unwrap();
    let script = "import sys, rdflib\n\
        path, fmt, quads = sys.argv[1], sys.argv[2], sys.argv[3] == 'q'\n\
        if quads:\n    d = rdflib.Dataset(); d.parse(path, format=fmt); print(len(list(d.quads((None, None, None, None)))))\n\
        else:\n    g = rdflib.Graph(); g.parse(path, format=fmt); print(len(g))";
    for (format, rdflib_format, is_quads) in [
        ("turtle", "turtle", false),
        ("ntriples", "nt", false),
        ("rdfxml", "xml", false),
        ("nquads", "nquads", true),
        ("trig", "trig", true),
        ("jsonld", "json-ld", true),
    ] {
        let path = tmp.path().join(format!("out.{format}"));
        let o = crate::util::run(
            &root(),
            &["export", "--format", format, "-o", path.to_str().unwrap()],
        );
        assert!(o.status.success(), "{format}: {:?}", text(&o));
        let o = Command::new("python3")
            .args(["-c", script])
            .arg(&path)
            .arg(rdflib_format)
            .arg(if is_quads { "q" } else { "t" })
            .output()
            .unwrap();
        let (out, err) = text(&o);
        assert!(o.status.success(), "{format}: {err}");
        let expected = if is_quads { quads.len() } else { triples };
        assert_eq!(out.trim(), expected.to_string(), "{format}");
    }
}

/// Runs `tests/rdf/jsonld_check.py`: pyld and rdflib read `jsonld` as exactly the quads of `nq`.
/// Returns what it prints (`QUADS GRAPHS`).
fn jsonld_check(jsonld: &std::path::Path, nq: &std::path::Path) -> String {
    let o = Command::new("python3")
        .arg(root().join("tests/rdf/jsonld_check.py"))
        .arg(jsonld)
        .arg(nq)
        .output()
        .unwrap();
    let (out, err) = text(&o);
    assert!(o.status.success(), "{}: {err}", jsonld.display());
    out.trim().to_string()
}

/// The compacted JSON-LD gives exactly the quads of the N-Quads to pyld (canonical N-Quads, blank
/// nodes relabelled by URDNA2015) and rdflib (isomorphic graph by graph): the committed
/// `graphs/`, the hostile export fixture, and a CONSTRUCT with blank nodes, language strings
/// and typed literals.
#[test]
fn pyld_and_rdflib_read_the_jsonld_as_the_nquads() {
    if !require_python_module("pyld") || !require_python_module("rdflib") {
        return;
    }
    let quads = mapping::quads(&seed_model(), &Base::default())
        .unwrap()
        .len();
    let graphs = root().join("graphs");
    assert_eq!(
        jsonld_check(
            &graphs.join("coalition.jsonld"),
            &graphs.join("coalition.nq")
        ),
        format!("{quads} 2")
    );
    let tmp = tempfile::tempdir().unwrap();
    // A source URL whose scheme is one of the context's prefixes (`wd:`) needs a scoped context.
    let confusing = crate::util::edited_seed(
        "seeds/sources/afp-2018-05-rekognition-letter.yaml",
        "  language: fr\n",
        "  language: fr\n  url: \"wd:Q1\"\n",
    );
    for (facts, name) in [
        (root().join("tests/fixtures/export/hostile"), "h"),
        (confusing.path().join("seeds"), "w"),
    ] {
        let export = |format: &str, file: String| {
            let path = tmp.path().join(file);
            let o = crate::util::run(
                &root(),
                &[
                    "export",
                    "--facts",
                    facts.to_str().unwrap(),
                    "--format",
                    format,
                    "-o",
                    path.to_str().unwrap(),
                ],
            );
            assert!(o.status.success(), "{}", text(&o).1);
            path
        };
        let (j, n) = (
            export("jsonld", format!("{name}.jsonld")),
            export("nquads", format!("{name}.nq")),
        );
        assert!(!jsonld_check(&j, &n).is_empty());
        let scoped = std::fs::read_to_string(&j)
            .unwrap()
            .contains("\"@context\": {\"wd\": null}");
        assert_eq!(scoped, name == "w", "{name}");
    }
    let construct = "PREFIX co: <https://coalition.example/ontology#>\n\
        PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n\
        CONSTRUCT { ?e co:note _:n . _:n a co:Note ; co:text \"a \\\"b\\\"\\n\"@fr-CA ; \
        co:n \"030\"^^xsd:integer ; co:s \"plain\" ; co:same _:n . }\n\
        WHERE { ?e a co:AdvocacyGroup }";
    let query = |format: &str, name: &str| {
        let o = crate::util::run(&root(), &["query", "--format", format, construct]);
        assert!(o.status.success(), "{}", text(&o).1);
        let path = tmp.path().join(name);
        std::fs::write(&path, &o.stdout).unwrap();
        path
    };
    let (j, n) = (query("json", "c.jsonld"), query("csv", "c.nt"));
    assert!(std::fs::read_to_string(&j)
        .unwrap()
        .contains("\"@id\": \"_:"));
    let seen = jsonld_check(&j, &n);
    assert!(seen.ends_with(" 1") && seen != "0 1", "{seen}");
}
