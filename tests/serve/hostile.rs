//! Hostile queries (issue 19, items 8 and 9): a query the engine panics on gets a clear error
//! from `coalition query` and from the endpoint, never exit 101 or a dropped connection.

use super::{app_with, enc, get, limits, send};
use crate::util::{run, seed_copy, text};

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
