//! Relative IRIs and syntax errors in queries, on the endpoint and in `coalition query`: relative
//! IRIs resolve against the base IRI of the data (`--base`), and every syntax error is one
//! sentence with its line:column, what was expected and what was found.

use axum::body::Body;
use axum::http::Request;

use super::{app_with, enc, get, limits, send};
use crate::util::{root, run, text};

fn app() -> axum::Router {
    app_with("seeds", limits())
}

const RELATIVE: &str = "CONSTRUCT { <s> <p> 1 } WHERE {}";
const INTEGER: &str = "\"1\"^^<http://www.w3.org/2001/XMLSchema#integer>";

#[tokio::test]
async fn the_endpoint_resolves_relative_iris_against_its_base() {
    let req = Request::post("/sparql")
        .header("content-type", "application/sparql-query")
        .header("accept", "application/n-triples")
        .body(Body::from(RELATIVE))
        .unwrap();
    let (s, _, body) = send(app(), req).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(
        body.trim(),
        format!("<http://127.0.0.1:7878/s> <http://127.0.0.1:7878/p> {INTEGER} .")
    );
    // A BASE in the query still wins.
    let q = format!("BASE <http://other.example/> {RELATIVE}");
    let uri = format!("/sparql?query={}", enc(&q));
    let (s, _, body) = send(app(), get(&uri, Some("application/n-triples"))).await;
    assert_eq!(s, 200, "{body}");
    assert!(body.starts_with("<http://other.example/s> "), "{body}");
}

/// The 400 body is one sentence with line:column, not the parser's list of character classes.
#[tokio::test]
async fn endpoint_syntax_errors_read_as_sentences() {
    for (q, want) in [
        (
            "SELECT * WHERE { ?s ?p ?o",
            "SPARQL syntax error at 1:26: expected ",
        ),
        (
            "SELECT * WHERE {\n  ?s foo:bar ?o }",
            "SPARQL syntax error at 2:13: the prefix of `foo:bar` is not declared",
        ),
        (
            "SELECT * WHERE { ?s ?p \"abc }",
            "SPARQL syntax error at 1:30: expected ",
        ),
    ] {
        let (s, ty, body) = send(app(), get(&format!("/sparql?query={}", enc(q)), None)).await;
        assert_eq!(s, 400, "{q}");
        assert!(ty.starts_with("text/plain"));
        assert!(body.starts_with(want), "{q}: {body}");
        assert!(body.trim().lines().count() == 1, "one line: {body}");
        assert!(!body.contains("['") && !body.contains("\\u{"), "{body}");
    }
    let (_, _, body) = send(
        app(),
        get(
            &format!("/sparql?query={}", enc("SELECT * WHERE { ?s ?p ?o")),
            None,
        ),
    )
    .await;
    assert!(
        body.trim_end()
            .ends_with("a name, but found the end of the query"),
        "{body}"
    );
}

#[test]
fn query_resolves_relative_iris_against_base() {
    // In a temp dir, so the parse cache is not left in the checkout.
    let tmp = tempfile::tempdir().unwrap();
    let seeds = root().join("seeds");
    let seeds = seeds.to_str().unwrap();
    let args = ["query", RELATIVE, "--format", "csv", "--facts", seeds];
    let o = run(tmp.path(), &args);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(
        out.trim(),
        format!("<https://coalition.example/s> <https://coalition.example/p> {INTEGER} .")
    );
    let o = run(
        tmp.path(),
        &[&args[..], &["--base", "http://x.example/data/"]].concat(),
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(out.starts_with("<http://x.example/data/s> "), "{out}");
}

#[test]
fn query_syntax_errors_read_as_sentences() {
    let o = run(&root(), &["query", "SELECT * WHERE {\n  ?s nope:x ?o }"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    let first = err.lines().next().unwrap();
    assert_eq!(
        first,
        "error: SPARQL syntax error at 2:12: the prefix of `nope:x` is not declared \
         (add `PREFIX name: <IRI>` before the query)"
    );
    assert!(err.contains("  --> query:2:12"), "{err}");
    let o = run(&root(), &["query", "ASK {"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    let first = err.lines().next().unwrap();
    assert!(
        first.starts_with("error: SPARQL syntax error at 1:6: expected ")
            && first.ends_with(", but found the end of the query"),
        "{err}"
    );
    assert!(!first.contains("['"), "{first}");
}
