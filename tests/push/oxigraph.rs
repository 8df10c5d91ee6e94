//! Push to `oxigraph serve` (PyPI `oxigraph`) with both protocols; every named query on the server
//! gives the rows of `coalition query`.

use std::process::{Command, Stdio};
use std::time::Duration;

use super::store::{self, assert_named_queries_match, push, select_json, Server};
use crate::util::require_program;

fn start(extra: &[&str]) -> Option<Server> {
    if !require_program("oxigraph", &["--version"]) {
        return None;
    }
    let port = store::free_port();
    let child = Command::new("oxigraph")
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("oxigraph serve starts");
    let mut server = Server {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let probe = format!("{}/query?query=ASK%7B%7D", server.url);
    store::wait_for(&mut server, &probe, Duration::from_secs(20));
    Some(server)
}

fn queries_match(server: &Server, what: &str) {
    let endpoint = format!("{}/query", server.url);
    assert_named_queries_match(what, |_, q| select_json(&endpoint, q));
}

fn count_all(server: &Server) -> String {
    let q = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }";
    select_json(&format!("{}/query", server.url), q)
}

#[test]
fn graph_store_push_answers_every_named_query() {
    let Some(server) = start(&[]) else { return };
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state.json");
    let endpoint = format!("{}/store", server.url);
    let args = ["--endpoint", &endpoint, "--state", state.to_str().unwrap()];
    let (ok, first) = push(&args);
    assert!(ok, "{first}");
    assert!(
        first.contains("pushed 3 graphs, 0 unchanged, 0 failed"),
        "{first}"
    );
    assert!(
        first.contains("the default graph: sent 212 triples (HTTP"),
        "{first}"
    );
    assert!(first.contains(", 212 on the store"), "{first}");
    let before = count_all(&server);
    // Re-pushing replaces: the store holds the same quads, not twice as many.
    assert!(push(&args).0);
    assert_eq!(count_all(&server), before);
    queries_match(&server, "oxigraph serve (Graph Store Protocol)");
    // --changed-only: nothing changed since the last recorded push.
    let changed: Vec<&str> = args.iter().copied().chain(["--changed-only"]).collect();
    assert!(push(&changed).0);
    let (ok, again) = push(&changed);
    assert!(
        ok && again.contains("pushed 0 graphs, 3 unchanged, 0 failed"),
        "{again}"
    );
}

#[test]
fn update_push_puts_the_registry_in_the_default_graph() {
    let Some(server) = start(&[]) else { return };
    for registry in ["default", "both"] {
        let (ok, err) = push(&[
            "--update-endpoint",
            &format!("{}/update", server.url),
            "--registry",
            registry,
        ]);
        assert!(ok, "{err}");
        queries_match(
            &server,
            &format!("oxigraph serve (SPARQL Update, --registry {registry})"),
        );
    }
}

#[test]
fn a_union_default_graph_takes_the_registry_as_a_named_graph() {
    let Some(server) = start(&["--union-default-graph"]) else {
        return;
    };
    let (ok, err) = push(&[
        "--endpoint",
        &format!("{}/store", server.url),
        "--registry",
        "named",
    ]);
    assert!(ok, "{err}");
    queries_match(
        &server,
        "oxigraph serve --union-default-graph (--registry named)",
    );
}

#[test]
fn quiet_push_prints_nothing() {
    let Some(server) = start(&[]) else { return };
    let o = crate::util::run(
        &crate::util::root(),
        &[
            "-q",
            "push",
            "--no-cache",
            "--endpoint",
            &format!("{}/store", server.url),
        ],
    );
    assert!(o.status.success());
    assert_eq!((o.stdout.len(), o.stderr.len()), (0, 0), "{o:?}");
}

#[test]
fn a_store_that_does_not_hold_what_was_sent_fails_naming_the_graph() {
    // The check asks another (empty) store: as if the pushed triples had landed elsewhere.
    let (Some(store), Some(elsewhere)) = (start(&[]), start(&[])) else {
        return;
    };
    let (ok, err) = push(&[
        "--endpoint",
        &format!("{}/store", store.url),
        "--query-endpoint",
        &format!("{}/query", elsewhere.url),
    ]);
    assert!(!ok, "{err}");
    assert!(
        err.contains("error: <https://coalition.example/source/afp-2018-05-rekognition-letter> on the store holds 0 triples, 1086 were sent"),
        "{err}"
    );
    assert!(
        err.contains("error: the default graph on the store holds 0 triples, 212 were sent"),
        "{err}"
    );
    assert!(
        err.contains("pushed 0 graphs, 0 unchanged, 3 failed"),
        "{err}"
    );
}
