//! Hostile queries (issue 19, items 8 and 9): a query the engine panics on gets a clear error
//! from `coalition query` and from the endpoint, never exit 101 or a dropped connection; a
//! cartesian product of open patterns is refused before it runs; at most a few queries run at
//! once, the excess gets 503 with Retry-After, and other clients keep getting answers.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use coalition::serve::{self, state, Guard, Shared};

use super::{app_with, enc, get, limits, send};
use crate::util::{root, run, seed_copy, text};

/// A query that passes the shape check but runs for minutes over the seed: four triple
/// patterns joined only through their predicate.
pub const SLOW: &str = "SELECT * WHERE { ?a ?b ?c . ?d ?b ?f . ?g ?b ?i . ?j ?b ?l }";

/// The hostile query: three unconnected open patterns, sorted; it grew to 3.9 GB.
const PRODUCT: &str =
    "SELECT * WHERE { GRAPH ?x { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } } ORDER BY ?i ?f ?c LIMIT 1";

fn ask() -> String {
    format!("/sparql?query={}", enc("ASK { ?s ?p ?o }"))
}

/// The seed's router with a 3 s timeout, at most `max` queries at once and 300 ms of queueing.
fn guarded(max: usize) -> axum::Router {
    router_with(
        Duration::from_secs(3),
        Guard::new(max, Duration::from_millis(300)),
    )
}

fn router_with(timeout: Duration, guard: Guard) -> axum::Router {
    let base = "http://127.0.0.1:7878/";
    let snap = state::load(&root().join("seeds"), Path::new("/nonexistent"), base).unwrap();
    let mut l = limits();
    l.timeout = timeout;
    l.max_results = usize::MAX;
    let shared = Shared::new(base.into(), l, snap, None).with_guard(guard);
    serve::router(Arc::new(shared))
}

/// ORDER BY over numbers and strings mixed (plus IRIs and blank nodes in a second key): spareval
/// 0.2.9's sort panics with "comparison function does not correctly implement a total order".
pub fn mixed_order_by() -> String {
    let mut x: u64 = 12345;
    let mut values = Vec::new();
    for _ in 0..200 {
        x = (x * 1_103_515_245 + 12_345) % (1 << 31);
        let v = x % 2000;
        values.push(if (x >> 16) & 1 == 1 {
            v.to_string()
        } else {
            format!("\"{v}\"")
        });
    }
    format!(
        "SELECT ?v ?w WHERE {{ VALUES ?v {{ {} }} \
         BIND(IF(isNumeric(?v), <https://coalition.example/entity/eff>, BNODE()) AS ?w) }} \
         ORDER BY ?v ?w",
        values.join(" ")
    )
}

fn app() -> axum::Router {
    app_with("seeds", limits())
}

#[test]
fn cli_query_reports_an_engine_panic_and_exits_2() {
    let tmp = seed_copy();
    let q = mixed_order_by();
    let out = run(
        tmp.path(),
        &["query", "--facts", "seeds", "--format", "csv", &q],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}\n{stderr}");
    assert!(stderr.contains("the SPARQL engine failed"), "{stderr}");
    assert!(stderr.contains("STR(?x)"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[tokio::test]
async fn endpoint_answers_500_with_a_message_and_keeps_serving() {
    let app = app();
    let uri = format!("/sparql?query={}", enc(&mixed_order_by()));
    let (status, ty, body) = send(app.clone(), get(&uri, None)).await;
    assert_eq!(status, 500, "{body}");
    assert_eq!(ty, "text/plain; charset=utf-8");
    assert!(body.contains("the SPARQL engine failed"), "{body}");
    let ok = format!("/sparql?query={}", enc("ASK { ?s ?p ?o }"));
    let (status, _, body) = send(app, get(&ok, None)).await;
    assert_eq!((status, body.contains("true")), (200, true), "{body}");
}

#[tokio::test]
async fn cartesian_product_is_refused_with_the_reason() {
    let uri = format!("/sparql?query={}", enc(PRODUCT));
    let (status, _, body) = send(app(), get(&uri, None)).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("cartesian product"), "{body}");
    assert!(body.contains("share no variable"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_client_is_answered_while_a_slow_query_runs() {
    let app = guarded(2);
    let slow_uri = format!("/sparql?query={}", enc(SLOW));
    let slow = tokio::spawn(send(app.clone(), get(&slow_uri, None)));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (status, _, body) = send(app.clone(), get(&ask(), None)).await;
    assert_eq!((status, body.contains("true")), (200, true), "{body}");
    assert!(
        !slow.is_finished(),
        "the slow query should still be running"
    );
    let (status, _, body) = slow.await.unwrap();
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("timed out"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn excess_queries_get_503_with_retry_after() {
    let app = guarded(1);
    let slow_uri = format!("/sparql?query={}", enc(SLOW));
    let slow = tokio::spawn(send(app.clone(), get(&slow_uri, None)));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let res = tower::ServiceExt::oneshot(app.clone(), get(&ask(), None))
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 503);
    assert_eq!(res.headers()["retry-after"], "2");
    let (status, _, _) = slow.await.unwrap();
    assert_eq!(status, 503);
    // The turn comes back once the slow query has really stopped.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, _, body) = send(app.clone(), get(&ask(), None)).await;
        if status == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "{status} {body}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_query_that_outgrows_its_memory_budget_is_stopped() {
    let guard = Guard::new(2, Duration::from_millis(300)).with_memory(64 << 20);
    let app = router_with(Duration::from_secs(120), guard);
    // Joined through the predicate only and sorted: every row is held for the sort.
    let q = "SELECT * WHERE { ?a ?b ?c . ?d ?b ?f . ?g ?b ?i } ORDER BY ?c ?f ?i";
    let uri = format!("/sparql?query={}", enc(q));
    let (status, _, body) = send(app.clone(), get(&uri, None)).await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("MB of memory"), "{body}");
    // The stopped query may still be sorting what it holds; a query started now is measured from
    // there, not stopped for that memory (before: 503 for every query until the sort ended).
    let count = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?b ?f . ?g ?b ?i }";
    let uri = format!("/sparql?query={}", enc(count));
    let (status, _, body) = send(app.clone(), get(&uri, None)).await;
    assert_eq!(status, 200, "{body}");
}
