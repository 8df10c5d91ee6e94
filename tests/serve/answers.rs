//! Answers kept per snapshot: the same query gets the same bytes, gzip-coded for clients that
//! accept it (and decoding to the same bytes), and a `--watch` reload never serves an answer
//! computed on the graph before it.

use std::io::Read;

use axum::body::Body;
use axum::http::Request;
use tower::ServiceExt;

use super::{app_with, enc, limits, Server};

const WHO: &str = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?s ?p ?o LIMIT 200";

async fn fetch(app: axum::Router, encoding: Option<&str>) -> (Option<String>, Vec<u8>) {
    let mut b = Request::get(format!("/sparql?query={}", enc(WHO))).header("accept", "text/csv");
    if let Some(e) = encoding {
        b = b.header("accept-encoding", e);
    }
    let res = app.oneshot(b.body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(res.status(), 200);
    let coding = res
        .headers()
        .get("content-encoding")
        .map(|v| v.to_str().unwrap().to_string());
    let vary = res.headers()["vary"].to_str().unwrap().to_string();
    assert!(vary.contains("Accept-Encoding"), "{vary}");
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    (coding, bytes.to_vec())
}

#[tokio::test]
async fn a_repeated_query_gets_the_same_bytes_and_gzip_when_accepted() {
    let app = app_with("seeds", limits());
    let (coding, first) = fetch(app.clone(), None).await;
    assert_eq!(coding, None);
    assert!(first.len() > 1024, "200 quads make more than 1 KiB");
    let (_, again) = fetch(app.clone(), None).await;
    assert_eq!(first, again);
    let (coding, gz) = fetch(app.clone(), Some("gzip, br")).await;
    assert_eq!(coding.as_deref(), Some("gzip"));
    assert!(gz.len() < first.len());
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut plain)
        .unwrap();
    assert_eq!(plain, first);
    let (coding, _) = fetch(app, Some("gzip;q=0")).await;
    assert_eq!(coding, None);
}

#[test]
fn a_reload_never_serves_an_answer_of_the_old_graph() {
    let tmp = tempfile::tempdir().unwrap();
    let o = crate::util::run(tmp.path(), &["synth", "--sources", "3", "--out", "corpus"]);
    assert!(o.status.success(), "{o:?}");
    let server = Server::start(
        tmp.path(),
        &["--facts", "corpus", "--cache-dir", "cache", "--watch"],
    );
    server.wait_log(30, |l| l.contains("loaded corpus"));
    let q = "PREFIX dcterms: <http://purl.org/dc/terms/> SELECT ?t WHERE { GRAPH ?g { ?g dcterms:title ?t } } ORDER BY ?t";
    let path = format!("/sparql?query={}", enc(q));
    let accept = [("Accept", "text/csv")];
    let (_, _, before) = server.request(&path, &accept);
    assert!(before.contains("Synthetic report 1"), "{before}");
    assert_eq!(server.request(&path, &accept).2, before);
    let f = tmp.path().join("corpus/sources/synth-00001.yaml");
    let s = std::fs::read_to_string(&f).unwrap();
    std::fs::write(
        &f,
        s.replacen("title: Synthetic report 1", "title: Report one, edited", 1),
    )
    .unwrap();
    server.wait_log(30, |l| {
        l.contains("reloaded corpus: 1 of 4 graphs replaced")
    });
    let (_, _, after) = server.request(&path, &accept);
    assert!(after.contains("Report one, edited"), "{after}");
    assert!(!after.contains("Synthetic report 1\r"), "{after}");
}
