//! `coalition push` against real stores started by the tests themselves from their packages:
//! `oxigraph serve` (PyPI `oxigraph`), Jena TDB2 (Debian `libapache-jena-java`, driven offline
//! with the SPARQL Update text push sends) and Virtuoso 7.2 (Debian `virtuoso-opensource`).
//! On each, every named query must give the rows of `coalition query`.

mod jena;
mod oxigraph;
mod store;
mod virtuoso;

use crate::util::{root, run, text};

#[test]
fn pushing_to_a_dead_server_fails_clearly() {
    let port = store::free_port();
    let o = run(
        &root(),
        &[
            "push",
            "--no-cache",
            "--endpoint",
            &format!("http://127.0.0.1:{port}/store"),
            "--retries",
            "1",
            "--timeout",
            "2",
        ],
    );
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    // Every graph is tried and reported, not only the first.
    assert!(err.contains("pushing the default graph"), "{err}");
    assert!(
        err.contains("pushing <https://coalition.example/registry>"),
        "{err}"
    );
    assert!(err.contains("after 2 attempts"), "{err}");
    assert!(
        err.contains("pushed 0 graphs, 0 unchanged, 3 failed"),
        "{err}"
    );
}

#[test]
fn push_needs_an_endpoint() {
    let o = run(&root(), &["push"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(
        &root(),
        &["push", "--no-cache", "--endpoint", "http://127.0.0.1:9/x"],
    );
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("--query-endpoint"), "{err}");
}

#[test]
fn dry_run_prints_the_update_text() {
    let o = run(
        &root(),
        &["push", "--no-cache", "--dry-run", "--registry", "default"],
    );
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        out.starts_with("DROP SILENT DEFAULT ;\nINSERT DATA {\n<"),
        "{out}"
    );
    assert!(
        out.contains("}\n;\nDROP SILENT GRAPH <https://coalition.example/source/"),
        "{out}"
    );
    assert!(!out.contains("registry>"), "{out}");
    let o = run(
        &root(),
        &[
            "push",
            "--no-cache",
            "--dry-run",
            "--endpoint",
            "http://h/store",
        ],
    );
    let (out, _) = text(&o);
    assert!(
        out.starts_with("PUT http://h/store the default graph: 212 triples\n"),
        "{out}"
    );
}
