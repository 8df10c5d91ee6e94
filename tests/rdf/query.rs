//! `coalition query`: named queries against golden results, on the union and on the registry
//! default graph alike, and the command's formats and errors.

use coalition::rdf::query::{self, DefaultGraph, ResultsFormat};
use coalition::rdf::{mapping, store, Base};

use super::seed_model;
use crate::util::{assert_golden, edited_seed, root, run, seed_copy, text, SEED_FACTS};

#[test]
fn named_queries_match_their_golden_results() {
    for (name, _) in query::BUILT_IN {
        let o = run(&root(), &["query", name, "--format", "csv"]);
        let (out, err) = text(&o);
        assert_eq!(o.status.code(), Some(0), "{name}: {err}");
        assert!(out.lines().count() > 1, "{name} returns no rows");
        assert_golden(
            &root().join(format!("tests/fixtures/queries/{name}/expected.csv")),
            &out,
        );
    }
}

#[test]
fn who_signed_lists_the_four_signatories_and_about_thirty() {
    let o = run(&root(), &["query", "who-signed", "--format", "csv"]);
    let (out, _) = text(&o);
    for name in [
        "Electronic Frontier Foundation",
        "Black Lives Matter",
        "Freedom of the Press Foundation",
        "Human Rights Watch",
    ] {
        assert!(
            out.lines().any(|l| l.contains(&format!(",{name},"))),
            "{name}:\n{out}"
        );
    }
    let coalition_row = out
        .lines()
        .find(|l| l.starts_with("advocacy-coalition,"))
        .unwrap_or_else(|| panic!("no coalition row:\n{out}"));
    assert!(
        coalition_row.contains(",30,true,25,35,une trentaine,"),
        "{coalition_row}"
    );
}

/// Named queries must run unchanged on a server whose default graph is only the registry.
#[test]
fn named_queries_give_the_same_rows_without_the_union_default_graph() {
    let base = Base::default();
    let st = store::load(&mapping::quads(&seed_model(), &base).unwrap()).unwrap();
    let csv = |q: &str, g| {
        let mut out = Vec::new();
        let r = query::execute(&st, q, g, None).unwrap();
        query::write_results(r, ResultsFormat::Csv, &base, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    for (name, text) in query::BUILT_IN {
        let union = csv(text, DefaultGraph::Union);
        assert!(union.lines().count() > 1, "{name}");
        assert_eq!(union, csv(text, DefaultGraph::Registry), "{name}");
    }
    // The two modes do differ: statements are not in the default graph.
    let q = "SELECT * WHERE { ?s <https://coalition.example/ontology#signed> ?o }";
    assert_eq!(csv(q, DefaultGraph::Union).lines().count(), 6);
    assert_eq!(csv(q, DefaultGraph::Registry).lines().count(), 1);
}

#[test]
fn the_queries_folder_and_the_built_in_queries_agree() {
    let mut files: Vec<String> = std::fs::read_dir(root().join("queries"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let built_in: Vec<String> = query::BUILT_IN
        .iter()
        .map(|(n, _)| format!("{n}.rq"))
        .collect();
    assert_eq!(files, built_in);
    for (name, text) in query::BUILT_IN {
        assert!(text.starts_with("# "), "{name} has no description header");
    }
}

#[test]
fn list_shows_each_named_query_with_its_description() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("queries")).unwrap();
    std::fs::write(
        tmp.path().join("queries/mine.rq"),
        "# My own query.\nSELECT * WHERE { ?s ?p ?o } LIMIT 1\n",
    )
    .unwrap();
    let o = run(tmp.path(), &["query", "--list"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(out.contains("mine               My own query."), "{out}");
    assert!(
        out.contains("who-signed         Who signed which document"),
        "{out}"
    );
}

#[test]
fn inline_queries_files_and_formats() {
    let tmp = seed_copy();
    let dir = tmp.path();
    // Inline, with the built-in prefixes, as an aligned table.
    let o = run(
        dir,
        &[
            "query",
            "SELECT ?n WHERE { entity:eff skos:prefLabel ?n }",
            "--format",
            "table",
        ],
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(
        out,
        "n\n──────────────────────────────\nElectronic Frontier Foundation\n(1 row)\n"
    );
    // ASK, in JSON.
    let o = run(
        dir,
        &[
            "query",
            "ASK { entity:eff coalition:signed ?d }",
            "--format",
            "json",
        ],
    );
    assert_eq!(text(&o).0.trim(), r#"{"head":{},"boolean":true}"#);
    // A .rq file, CONSTRUCT, printed as Turtle.
    std::fs::write(
        dir.join("c.rq"),
        "CONSTRUCT { ?s coalition:signed ?o } WHERE { ?s coalition:signed ?o . FILTER(?s = entity:eff) }",
    )
    .unwrap();
    let o = run(dir, &["query", "c.rq", "--format", "table"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        out.contains("entity:eff coalition:signed entity:letter-to-bezos ."),
        "{out}"
    );
    // TSV and XML are the SPARQL results formats.
    let o = run(dir, &["query", "addressed-to", "--format", "tsv"]);
    assert!(text(&o)
        .0
        .starts_with("?document\t?addressee\t?role\t?quote\t?source\n"));
    let o = run(dir, &["query", "addressed-to", "--format", "xml"]);
    assert!(text(&o)
        .0
        .contains("<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\">"));
}

#[test]
fn a_syntax_error_is_a_usage_error_with_its_position() {
    let o = run(&root(), &["query", "SELECT ?s WHERE {\n  ?s ?p \n}"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("SPARQL syntax error"), "{err}");
    assert!(err.contains("query:3:"), "{err}");
    assert!(err.contains("   3 | }"), "{err}");
}

#[test]
fn an_unknown_query_name_is_a_usage_error() {
    let o = run(&root(), &["query", "who-sined"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("no query named `who-sined`"), "{err}");
}

#[test]
fn invalid_facts_are_reported_and_not_queried() {
    let tmp = edited_seed(SEED_FACTS, "  - subject: eff\n", "  - subject: efff\n");
    let o = run(tmp.path(), &["query", "who-signed"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(out.is_empty());
    assert!(err.contains("error[C007]"), "{err}");
}

/// `bench-queries --only` times just the named query; `--explain` writes its plan with row counts.
#[test]
fn bench_queries_explains_the_plan_of_the_chosen_query() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_str().unwrap();
    let o = run(
        &root(),
        &[
            "bench-queries",
            "--only",
            "who-signed",
            "--runs",
            "1",
            "--explain",
            dir,
        ],
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let timed: Vec<&str> = out.lines().filter(|l| l.starts_with("query ")).collect();
    assert_eq!(timed.len(), 1, "{out}");
    assert!(timed[0].starts_with("query who-signed: "), "{out}");
    for file in ["who-signed.json", "who-signed.plan.json"] {
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(tmp.path().join(file)).unwrap()).unwrap();
        assert!(json["plan"]["name"].is_string(), "{file}: {json}");
    }
    let stats = std::fs::read_to_string(tmp.path().join("who-signed.json")).unwrap();
    assert!(stats.contains("\"number of results\":"), "{stats}");
    assert!(!tmp.path().join("targets.json").exists());
}

/// A letter whose signature several sources record still gives each `targets` row once: the
/// answer is the one the query gave before it counted signatures once, without its repeats.
#[test]
fn targets_lists_each_row_once_when_sources_repeat_a_signature() {
    let tmp = tempfile::tempdir().unwrap();
    let facts = tmp.path().join("facts");
    let o = run(
        tmp.path(),
        &[
            "-q",
            "synth",
            "--sources",
            "300",
            "--seed",
            "7",
            "--out",
            facts.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o).1);
    let old = query::BUILT_IN
        .iter()
        .find(|(n, _)| *n == "targets")
        .unwrap()
        .1
        .replace("SELECT DISTINCT ?a ?doc WHERE", "SELECT ?a ?doc WHERE");
    let old_file = tmp.path().join("old-targets.rq");
    std::fs::write(&old_file, old).unwrap();
    let csv = |q: &str| {
        let args = [
            "--no-cache",
            "-q",
            "query",
            q,
            "--facts",
            "facts",
            "--format",
            "csv",
        ];
        let o = run(tmp.path(), &args);
        let (out, err) = text(&o);
        assert_eq!(o.status.code(), Some(0), "{err}");
        out
    };
    let (before, now) = (csv(old_file.to_str().unwrap()), csv("targets"));
    let mut repeated: Vec<&str> = before.lines().collect();
    repeated.dedup();
    assert!(
        repeated.len() < before.lines().count(),
        "the corpus must record a signature in several sources"
    );
    assert_eq!(now.lines().collect::<Vec<_>>(), repeated);
}
