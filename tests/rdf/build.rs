//! The serializations and `coalition build`: round trips, determinism, atomicity, and the committed
//! `graphs/` folder being up to date.

use std::collections::BTreeSet;

use coalition::rdf::build::GRAPH_FILES;
use coalition::rdf::{mapping, merged_triples, serialize, Base, Format};
use oxigraph::model::{Quad, Triple};

use super::{parse, seed_model};
use crate::util::{root, run, seed_copy, text};

#[test]
fn every_format_round_trips() {
    let model = seed_model();
    let base = Base::new("https://example.org/kg/").unwrap();
    let quads = mapping::quads(&model, &base).unwrap();
    assert!(quads.len() > 1000);
    let named = quads
        .iter()
        .filter(|q| !q.graph_name.is_default_graph())
        .count();
    assert!(
        named > 0 && named < quads.len(),
        "registry and source graphs"
    );
    let quad_set: BTreeSet<String> = quads.iter().map(Quad::to_string).collect();
    let triple_set: BTreeSet<String> = merged_triples(&quads)
        .iter()
        .map(Triple::to_string)
        .collect();
    assert!(triple_set.len() < quad_set.len() || triple_set.len() == quad_set.len());
    for f in Format::ALL {
        let bytes = serialize(&model, f, &base).unwrap();
        let back = parse(&bytes, f.rdf_format());
        if f.has_graphs() {
            let got: BTreeSet<String> = back.iter().map(Quad::to_string).collect();
            assert_eq!(got, quad_set, "{f:?}");
        } else {
            let got: BTreeSet<String> = back
                .into_iter()
                .map(|q| Triple::from(q).to_string())
                .collect();
            assert_eq!(got, triple_set, "{f:?}");
        }
    }
    let ttl = String::from_utf8(serialize(&model, Format::Turtle, &base).unwrap()).unwrap();
    assert!(
        ttl.contains("@prefix entity: <https://example.org/kg/entity/> ."),
        "{}",
        &ttl[..500]
    );
    assert!(ttl.contains("entity:eff a coalition:AdvocacyGroup"));
}

#[test]
fn a_statement_node_carries_its_provenance_and_selectors() {
    let quads = mapping::quads(&seed_model(), &Base::default()).unwrap();
    let st = "<https://coalition.example/statement/afp-2018-05-rekognition-letter/advocacy-coalition.signed.letter-to-bezos>";
    let g = "<https://coalition.example/source/afp-2018-05-rekognition-letter>";
    let lines: BTreeSet<String> = quads.iter().map(Quad::to_string).collect();
    for expected in [
        format!("{st} <http://www.w3.org/ns/prov#wasDerivedFrom> {g} {g}"),
        format!("{st} <https://coalition.example/ontology#quantity> \"30\"^^<http://www.w3.org/2001/XMLSchema#integer> {g}"),
        format!("{st} <https://coalition.example/ontology#quantityWording> \"une trentaine\"@fr {g}"),
        format!("<https://coalition.example/entity/advocacy-coalition> <https://coalition.example/ontology#signed> <https://coalition.example/entity/letter-to-bezos> {g}"),
        "<https://coalition.example/source/afp-2018-05-rekognition-letter> <http://purl.org/dc/terms/date> \"2018-05\"^^<http://www.w3.org/2001/XMLSchema#gYearMonth> <https://coalition.example/source/afp-2018-05-rekognition-letter>".to_string(),
        "<https://coalition.example/entity/afp> <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q40464>".to_string(),
    ] {
        assert!(lines.contains(&expected), "missing: {expected}");
    }
    let exact = format!("<{}#evidence-1-quote> <http://www.w3.org/ns/oa#exact> \"a été signée par une trentaine de groupes militants\" {g}", &st[1..st.len() - 1]);
    assert!(lines.contains(&exact), "missing: {exact}");
    let start = lines
        .iter()
        .find(|l| {
            l.starts_with(&format!(
                "<{}#evidence-1-position> <http://www.w3.org/ns/oa#start>",
                &st[1..st.len() - 1]
            ))
        })
        .expect("a position selector");
    assert!(
        start.contains("^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>"),
        "{start}"
    );
}

#[test]
fn build_is_deterministic_and_prints_a_summary() {
    let tmp = seed_copy();
    let o = run(tmp.path(), &["build", "--out", "a"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("built 1 sources, 31 entities, 45 statements, 5 quotations:"),
        "{err}"
    );
    assert!(err.contains("quads in 2 graphs, 0 warnings"), "{err}");
    assert!(err.contains("wrote a/coalition.ttl"), "{err}");
    let o = run(tmp.path(), &["build", "--out", "b"]);
    assert_eq!(o.status.code(), Some(0));
    for (name, _) in GRAPH_FILES {
        let a = std::fs::read(tmp.path().join("a").join(name)).unwrap();
        let b = std::fs::read(tmp.path().join("b").join(name)).unwrap();
        assert!(!a.is_empty() && a == b, "{name} differs between runs");
    }
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path().join("a"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");
}

#[test]
fn a_failed_build_leaves_the_previous_graphs_untouched() {
    let tmp = seed_copy();
    assert_eq!(run(tmp.path(), &["build"]).status.code(), Some(0));
    let before: Vec<Vec<u8>> = GRAPH_FILES
        .iter()
        .map(|(n, _)| std::fs::read(tmp.path().join("graphs").join(n)).unwrap())
        .collect();
    let f = tmp
        .path()
        .join("seeds/sources/afp-2018-05-rekognition-letter.yaml");
    let s = std::fs::read_to_string(&f).unwrap();
    // Break the facts: drop the signatories' evidence and rename the coalition's quote.
    std::fs::write(
        &f,
        s.replacen(
            "a été signée par une trentaine",
            "a été signé par une trentaine",
            1,
        ),
    )
    .unwrap();
    let o = run(tmp.path(), &["build"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("error[C010]"), "{err}");
    assert!(err.contains("not built"), "{err}");
    for ((n, _), old) in GRAPH_FILES.iter().zip(before) {
        assert_eq!(
            std::fs::read(tmp.path().join("graphs").join(n)).unwrap(),
            old,
            "{n} changed"
        );
    }
}

#[test]
fn a_bad_base_iri_is_a_usage_error() {
    let tmp = seed_copy();
    let o = run(tmp.path(), &["build", "--base", "not an iri"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!tmp.path().join("graphs").exists());
}

/// `graphs/` is committed: it must be what `build` makes of `seeds/` today.
#[test]
fn committed_graphs_are_up_to_date() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("graphs");
    let o = run(&root(), &["build", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o).1);
    let mut compared = 0;
    for e in std::fs::read_dir(&out).unwrap() {
        let name = e.unwrap().file_name();
        let committed = root().join("graphs").join(&name);
        if committed.exists() {
            assert!(
                std::fs::read(&committed).unwrap() == std::fs::read(out.join(&name)).unwrap(),
                "graphs/{} is stale: run `cargo run -- build` and commit graphs/",
                name.to_string_lossy()
            );
            compared += 1;
        }
    }
    assert!(
        compared >= GRAPH_FILES.len(),
        "graphs/ lacks files that build writes"
    );
}

/// The worked example of `docs/RDF.md` is real output, not a sketch.
#[test]
fn the_documented_example_is_what_build_writes() {
    let doc = std::fs::read_to_string(root().join("docs/RDF.md")).unwrap();
    let block = doc
        .split("```turtle\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a turtle block in docs/RDF.md");
    let example = parse(block.as_bytes(), oxigraph::io::RdfFormat::TriG);
    assert!(example.len() > 20);
    let quads: std::collections::HashSet<Quad> = mapping::quads(&seed_model(), &Base::default())
        .unwrap()
        .into_iter()
        .collect();
    for q in example {
        assert!(
            quads.contains(&q),
            "docs/RDF.md shows a quad build does not write: {q}"
        );
    }
}

/// `ontology/context.jsonld` is the `@context` that `graphs/coalition.jsonld` embeds (the default
/// base's), generated by the same code. `UPDATE_GOLDEN=1` rewrites it.
#[test]
fn the_standalone_jsonld_context_is_fresh() {
    let context = coalition::rdf::jsonld::Context::new(&Base::default()).document();
    crate::util::assert_golden(&root().join("ontology/context.jsonld"), &context);
    let graph: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root().join("graphs/coalition.jsonld")).unwrap())
            .unwrap();
    let file: serde_json::Value = serde_json::from_str(&context).unwrap();
    assert_eq!(graph["@context"], file["@context"]);
}

/// Every entry of `dir` (hidden ones too) with its bytes, sorted.
fn snapshot(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(e.path()).unwrap())
        })
        .collect();
    v.sort();
    v
}

/// `build` in `dir` with the rename fault injection `fail` (see `rdf::build`).
fn build_failing(dir: &std::path::Path, fail: &str) -> std::process::Output {
    crate::util::coalition(dir)
        .arg("build")
        .env("COALITION_TEST_FAIL_RENAME", fail)
        .output()
        .unwrap()
}

/// The switch to new graph files is all-or-nothing: whichever of the swap's renames fails (seven
/// files, an old one moved aside and a new one moved in for each), `graphs/` is exactly the
/// previous output, with nothing left beside it. A build killed midway through the swap is
/// rolled back by the next one, which removes the killed one's files.
#[test]
fn a_failed_swap_leaves_exactly_the_previous_graphs() {
    let tmp = seed_copy();
    let graphs = tmp.path().join("graphs");
    assert_eq!(run(tmp.path(), &["build"]).status.code(), Some(0));
    let before = snapshot(&graphs);
    assert_eq!(before.len(), 7);
    // New facts, so that every file changes.
    let f = tmp.path().join("seeds/entities.yaml");
    let s = std::fs::read_to_string(&f).unwrap();
    std::fs::write(
        &f,
        s.replacen(
            "name: American Civil Liberties Union",
            "name: ACLU (American Civil Liberties Union)",
            1,
        )
        // …and one the diagram draws, so that the PNG changes too.
        .replacen(
            "name: Electronic Frontier Foundation",
            "name: EFF (Electronic Frontier Foundation)",
            1,
        ),
    )
    .unwrap();
    let o = run(tmp.path(), &["build", "--out", "new"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o).1);
    let after = snapshot(&tmp.path().join("new"));
    for ((name, old), (_, new)) in before.iter().zip(&after) {
        assert_ne!(
            old, new,
            "{name} does not change: the test would prove nothing"
        );
    }
    for n in 1..=2 * before.len() {
        let o = build_failing(tmp.path(), &n.to_string());
        let (_, err) = text(&o);
        assert_eq!(o.status.code(), Some(2), "rename {n}: {err}");
        assert!(err.contains("injected failure"), "rename {n}: {err}");
        assert!(snapshot(&graphs) == before, "rename {n}: graphs/ changed");
    }
    // Killed at the 5th rename: `graphs/` is mixed until the next build, which puts the old files
    // back before writing; its own failure at the first rename then leaves the previous output.
    let o = build_failing(tmp.path(), "abort:5");
    assert!(o.status.code().is_none(), "not killed: {}", text(&o).1);
    assert!(snapshot(&graphs).iter().any(|(n, _)| n.starts_with('.')));
    let o = build_failing(tmp.path(), "1");
    assert_eq!(o.status.code(), Some(2), "{}", text(&o).1);
    assert!(snapshot(&graphs) == before, "not rolled back");
    // Killed again, then a good build: the new output, nothing else.
    assert!(build_failing(tmp.path(), "abort:7").status.code().is_none());
    assert_eq!(run(tmp.path(), &["build"]).status.code(), Some(0));
    assert!(snapshot(&graphs) == after, "not the new output");
}
