//! The SPARQL 1.1 Protocol, in-process: query forms, negotiation, read-only, errors, limits
//! (CORS: `security.rs`).

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;

use super::hostile::SLOW;
use super::{app_with, enc, get, limits, send, SIGNATORIES, WHO_SIGNED};

const SEED: &str = "seeds";

fn app() -> axum::Router {
    app_with(SEED, limits())
}

fn post(ty: &str, accept: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post("/sparql")
        .header("content-type", ty)
        .header("accept", accept)
        .body(body.into())
        .unwrap()
}

const FORM: &str = "application/x-www-form-urlencoded";

#[tokio::test]
async fn get_query_answers_json_with_the_signatories() {
    let uri = format!("/sparql?query={}", enc(WHO_SIGNED));
    let (status, ty, body) = send(app(), get(&uri, None)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(ty, "application/sparql-results+json");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    let rows = json["results"]["bindings"].as_array().unwrap();
    // The named signatories, and the coalition whose row carries its size.
    let names: Vec<&str> = rows
        .iter()
        .filter(|b| b.get("quantity").is_none())
        .map(|b| b["name"]["value"].as_str().unwrap())
        .collect();
    assert_eq!(names, SIGNATORIES);
    let sized: Vec<&str> = rows
        .iter()
        .filter_map(|b| b.get("quantity"))
        .map(|q| q["value"].as_str().unwrap())
        .collect();
    assert_eq!(sized, ["30"]);
}

#[tokio::test]
async fn post_form_and_direct_body_negotiate_result_formats() {
    let form = format!("query={}", enc(WHO_SIGNED));
    let (s, ty, body) = send(app(), post(FORM, "text/csv", form.clone())).await;
    assert_eq!((s, ty.as_str()), (200, "text/csv; charset=utf-8"));
    assert!(body.starts_with("signatory,name,document,"), "{body}");
    assert!(
        body.contains("\r\nhuman-rights-watch,Human Rights Watch,"),
        "{body}"
    );

    let (s, ty, body) = send(app(), post(FORM, "text/tab-separated-values", form)).await;
    assert_eq!(
        (s, ty.as_str()),
        (200, "text/tab-separated-values; charset=utf-8")
    );
    assert!(body.starts_with("?signatory\t?name\t?document\t"), "{body}");

    let direct = post(
        "application/sparql-query",
        "application/sparql-results+xml",
        WHO_SIGNED,
    );
    let (s, ty, body) = send(app(), direct).await;
    assert_eq!((s, ty.as_str()), (200, "application/sparql-results+xml"));
    assert!(
        body.contains("<literal>Black Lives Matter</literal>"),
        "{body}"
    );

    let ask = "ASK { ?s ?p ?o }";
    let (s, _, body) = send(app(), post("application/sparql-query", "*/*", ask)).await;
    assert_eq!(s, 200);
    assert!(body.contains("\"boolean\":true"), "{body}");

    let (s, _, body) = send(
        app(),
        post(FORM, "image/png", format!("query={}", enc(ask))),
    )
    .await;
    assert_eq!(s, 406, "{body}");
}

#[tokio::test]
async fn graphs_negotiate_turtle_ntriples_and_json_ld() {
    let q = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o . FILTER(?s = <http://127.0.0.1:7878/entity/eff>) }";
    let uri = format!("/sparql?query={}", enc(q));
    let (s, ty, body) = send(app(), get(&uri, Some("text/turtle"))).await;
    assert_eq!((s, ty.as_str()), (200, "text/turtle; charset=utf-8"));
    assert!(
        body.contains("<http://127.0.0.1:7878/entity/eff>"),
        "{body}"
    );
    let (s, ty, body) = send(app(), get(&uri, Some("application/n-triples"))).await;
    assert_eq!((s, ty.as_str()), (200, "application/n-triples"));
    assert!(
        body.lines().all(|l| l.is_empty() || l.ends_with(" .")),
        "{body}"
    );
    let (s, ty, body) = send(app(), get(&uri, Some("application/ld+json"))).await;
    assert_eq!((s, ty.as_str()), (200, "application/ld+json"));
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(json.to_string().contains("Electronic Frontier Foundation"));
    let describe = format!(
        "/sparql?query={}",
        enc("DESCRIBE <http://127.0.0.1:7878/entity/eff>")
    );
    let (s, ty, _) = send(app(), get(&describe, None)).await;
    assert_eq!((s, ty.as_str()), (200, "text/turtle; charset=utf-8"));
}

#[tokio::test]
async fn updates_are_refused() {
    let insert = "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }";
    for req in [
        post(FORM, "*/*", format!("update={}", enc(insert))),
        post("application/sparql-update", "*/*", insert),
        get(&format!("/sparql?query={}", enc(insert)), None),
    ] {
        let (s, _, body) = send(app(), req).await;
        assert_eq!(s, 403, "{body}");
        assert!(body.contains("read-only"), "{body}");
    }
    let count = format!("/sparql?query={}", enc("ASK { <http://x/a> ?p ?o }"));
    let (_, _, body) = send(app(), get(&count, None)).await;
    assert!(body.contains("\"boolean\":false"), "{body}");
}

#[tokio::test]
async fn malformed_queries_and_requests_get_400() {
    let (s, ty, body) = send(app(), get("/sparql?query=SELEC%20*%20WHERE", None)).await;
    assert_eq!(s, 400);
    assert!(ty.starts_with("text/plain"));
    assert!(
        body.starts_with("SPARQL syntax error at 1:"),
        "a sentence with the position: {body}"
    );
    // Without a query, a client gets the service description (tests/serve/describe.rs); a POST
    // without one is told what is missing.
    let (s, ty, _) = send(app(), get("/sparql", None)).await;
    assert_eq!((s, ty.as_str()), (200, "text/turtle; charset=utf-8"));
    let (s, _, body) = send(app(), post(FORM, "*/*", "default-graph-uri=x")).await;
    assert_eq!(s, 400);
    assert!(body.contains("missing `query`"), "{body}");
    let (s, _, _) = send(app(), get("/sparql", Some("text/html,*/*;q=0.8"))).await;
    assert_eq!(s, 303, "a browser is sent to the editor");
    let (s, _, _) = send(app(), get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D", None)).await;
    assert_eq!(s, 400);
    let (s, _, _) = send(app(), post("text/plain", "*/*", "ASK {}")).await;
    assert_eq!(s, 415);
}

#[tokio::test]
async fn result_cap_answers_422() {
    let mut l = limits();
    l.max_results = 3;
    let q = format!("/sparql?query={}", enc("SELECT * WHERE { ?s ?p ?o }"));
    let (s, _, body) = send(app_with(SEED, l.clone()), get(&q, None)).await;
    assert_eq!(s, 422, "{body}");
    assert!(body.contains("more than 3 results"), "{body}");
    let q = format!(
        "/sparql?query={}",
        enc("SELECT * WHERE { ?s ?p ?o } LIMIT 3")
    );
    let (s, _, _) = send(app_with(SEED, l), get(&q, None)).await;
    assert_eq!(s, 200);
}

#[tokio::test]
async fn slow_queries_time_out_with_503() {
    let mut l = limits();
    l.timeout = Duration::from_millis(300);
    l.max_results = usize::MAX;
    // Four triples sharing only their predicate: far too many rows to finish (a plain cross
    // product is refused outright, see hostile.rs).
    let q = SLOW;
    let started = Instant::now();
    let (s, _, body) = send(
        app_with(SEED, l),
        get(&format!("/sparql?query={}", enc(q)), None),
    )
    .await;
    assert_eq!(s, 503, "{body}");
    assert!(body.contains("timed out"), "{body}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let mut l = limits();
    l.max_body = 1024;
    let big = format!("query={}", enc(&format!("ASK {{}} #{}", "x".repeat(2048))));
    let (s, _, _) = send(app_with(SEED, l.clone()), post(FORM, "*/*", big)).await;
    assert_eq!(s, 413);
    let (s, _, _) = send(app_with(SEED, l), post(FORM, "*/*", "query=ASK%7B%7D")).await;
    assert_eq!(s, 200);
}
