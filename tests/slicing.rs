//! `--from/--to` (by source date) on `export`, `query` and `diagram`, on the invented
//! multi-source fixture (sources dated 2018-05-22, 2018-06 and 2019-01-10).

use crate::util::{root, run, text};

const FACTS: &str = "tests/fixtures/multi";

fn graphs_in_nquads(args: &[&str]) -> Vec<String> {
    let mut all = vec!["export", "--format", "nquads", "--facts", FACTS];
    all.extend_from_slice(args);
    let o = run(&root(), &all);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let mut graphs: Vec<String> = out
        .lines()
        .filter_map(|l| {
            l.trim_end_matches(" .")
                .rsplit_once(' ')
                .map(|(_, g)| g.to_string())
        })
        .filter(|g| g.contains("/source/"))
        .collect();
    graphs.sort();
    graphs.dedup();
    graphs
}

#[test]
fn export_keeps_only_the_sources_of_the_period() {
    let all = graphs_in_nquads(&[]);
    assert_eq!(all.len(), 3, "{all:?}");
    let y2018 = graphs_in_nquads(&["--from", "2018", "--to", "2018"]);
    assert_eq!(y2018.len(), 2, "{y2018:?}");
    assert!(y2018.iter().all(|g| !g.contains("2019")), "{y2018:?}");
    let june_on = graphs_in_nquads(&["--from", "2018-06"]);
    assert_eq!(june_on.len(), 2, "{june_on:?}");
    assert!(
        june_on.iter().all(|g| !g.contains("2018-05")),
        "{june_on:?}"
    );
}

#[test]
fn query_and_diagram_accept_a_period() {
    let q = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }";
    let o = run(
        &root(),
        &[
            "query", q, "--facts", FACTS, "--format", "csv", "--to", "2018-05",
        ],
    );
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert_eq!(out.lines().nth(1), Some("1"), "{out}");
    let o = run(
        &root(),
        &[
            "diagram", "--facts", FACTS, "--from", "2019", "--format", "dot",
        ],
    );
    let (dot, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(dot.contains("2019-01-10"), "{dot}");
    assert!(!dot.contains("2018-06"), "{dot}");
}

#[test]
fn a_malformed_period_is_a_usage_error() {
    let o = run(
        &root(),
        &[
            "export", "--format", "gexf", "--facts", FACTS, "--from", "2018-13",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{:?}", text(&o));
}

#[test]
fn export_writes_every_rdf_format() {
    for format in ["turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml"] {
        let o = run(&root(), &["export", "--format", format]);
        let (out, err) = text(&o);
        assert!(o.status.success(), "{format}: {err}");
        assert!(out.contains("letter-to-bezos"), "{format}");
    }
}
