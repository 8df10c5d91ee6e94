//! The W3C SPARQL 1.1 Protocol test suite (`sparql/sparql11/protocol/manifest.ttl` of the W3C
//! `rdf-tests` repository; <https://www.w3.org/TR/sparql11-protocol/>) ported to Rust: one test per
//! W3C test, named after its id, with the request the manifest describes and the expected result
//! written from its `mf:expectedStatus` / `mf:expectedFormat` / `mf:expectedBoolean`.
//!
//! Requests go through the router `coalition serve` runs; the twelve exchanges that need no extra
//! graphs are also sent as raw HTTP/1.1 to the real binary. The manifest's `/sparql/` paths are
//! `/sparql` here (the manifest says to substitute the endpoint's path). The dataset tests' graphs
//! (`data1.nt`…`data3.nt`, one `foaf:Document` triple each, named by their `rdfs:label`) are
//! added to the store beside the seed's. The endpoint is read-only, so the seven update tests that
//! expect success are not applicable: they are checked to get the read-only refusal (403) and to
//! change nothing. The seven `bad_update_*` tests expect a 4xx and are applicable.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::Request;
use coalition::serve::{self, state, Shared};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{vocab::rdf, NamedNode, QuadRef};

use super::{enc, limits, send};
use crate::util::root;

const DATA: &str = "http://kasei.us/2009/09/sparql/data/";
const FORM: &str = "application/x-www-form-urlencoded";
const QUERY: &str = "application/sparql-query";
const UPDATE: &str = "application/sparql-update";

/// One server for the whole suite, as the W3C runner uses: the seed's graph plus the three W3C
/// data graphs. A refused update checked in one test would show in the others.
fn app() -> axum::Router {
    static APP: OnceLock<axum::Router> = OnceLock::new();
    APP.get_or_init(load).clone()
}

fn load() -> axum::Router {
    let base = "http://127.0.0.1:7878/";
    let snap = state::load(&root().join("seeds"), Path::new("/nonexistent"), base)
        .unwrap_or_else(|e| panic!("{e}"));
    let document = NamedNode::new("http://xmlns.com/foaf/0.1/Document").unwrap();
    for i in 1..=3 {
        let g = NamedNode::new(format!("{DATA}data{i}.rdf")).unwrap();
        snap.store
            .insert(QuadRef::new(&g, rdf::TYPE, &document, &g))
            .unwrap();
    }
    serve::router(Arc::new(Shared::new(base.into(), limits(), snap, None)))
}

/// `%`-encoded IRI of data graph `n`.
fn data(n: u8) -> String {
    enc(&format!("{DATA}data{n}.rdf"))
}

fn request(method: &str, path: &str, ty: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut b = Request::builder().method(method).uri(path);
    if let Some(t) = ty {
        b = b.header("content-type", t);
    }
    b.body(body.into()).unwrap()
}

/// Sends `req`; returns (status, content type, body).
async fn exchange(req: Request<Body>) -> (u16, String, String) {
    send(app(), req).await
}

/// `mf:expectedStatus hts:StatusCode2xx, hts:StatusCode3xx`, `mf:expectedFormat "boolean"` and
/// `mf:expectedBoolean`: a SPARQL JSON or XML boolean result with this value.
async fn expect_boolean(req: Request<Body>, want: bool) {
    let (s, ty, body) = exchange(req).await;
    assert!((200..400).contains(&s), "{s}: {body}");
    let got = if ty.starts_with("application/sparql-results+json") {
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        json["boolean"].as_bool().expect("a boolean result")
    } else {
        assert!(ty.starts_with("application/sparql-results+xml"), "{ty}");
        assert!(body.contains("<boolean>"), "{body}");
        body.contains("<boolean>true</boolean>")
    };
    assert_eq!(got, want, "{body}");
}

/// `mf:expectedFormat "RDF"`: RDF/XML, Turtle or N-Triples, which parses.
async fn expect_rdf(req: Request<Body>) {
    let (s, ty, body) = exchange(req).await;
    assert!((200..400).contains(&s), "{s}: {body}");
    let media = ty.split(';').next().unwrap();
    assert!(
        [
            "application/rdf+xml",
            "text/turtle",
            "application/n-triples"
        ]
        .contains(&media),
        "{ty}"
    );
    let format = RdfFormat::from_media_type(media).unwrap();
    for q in RdfParser::from_format(format).for_slice(body.as_bytes()) {
        q.unwrap_or_else(|e| panic!("{e}: {body}"));
    }
}

/// `mf:expectedStatus hts:StatusCode4xx`.
async fn expect_4xx(req: Request<Body>) -> (u16, String) {
    let (s, _, body) = exchange(req).await;
    assert!((400..500).contains(&s), "{s}: {body}");
    (s, body)
}

/// Not applicable (read-only endpoint): the update gets the read-only refusal.
async fn expect_read_only(req: Request<Body>) {
    let (s, body) = expect_4xx(req).await;
    assert_eq!(s, 403, "{body}");
    assert!(body.contains("read-only"), "{body}");
}

fn ask(query: &str) -> Request<Body> {
    request("POST", "/sparql", Some(QUERY), query.to_string())
}

const ASK_DATA1_DATA2: &str = "ASK { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type . <http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type . }";
const ASK_NAMED: &str = "ASK { GRAPH ?g1 { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type } GRAPH ?g2 { <http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type } }";

#[tokio::test]
async fn query_post_form() {
    let path = format!(
        "/sparql?default-graph-uri={}",
        enc(&format!("{DATA}data0.rdf"))
    );
    expect_boolean(
        request("POST", &path, Some(FORM), "query=ASK%20%7B%7D"),
        true,
    )
    .await;
}

#[tokio::test]
async fn query_dataset_default_graphs_get() {
    let path = format!(
        "/sparql?query={}&default-graph-uri={}&default-graph-uri={}",
        enc(ASK_DATA1_DATA2),
        data(1),
        data(2)
    );
    expect_boolean(request("GET", &path, None, Body::empty()), true).await;
    // Without the protocol's dataset, the default graph (the registry) holds neither.
    let path = format!("/sparql?query={}", enc(ASK_DATA1_DATA2));
    expect_boolean(request("GET", &path, None, Body::empty()), false).await;
}

#[tokio::test]
async fn query_dataset_default_graphs_post() {
    let path = format!(
        "/sparql?default-graph-uri={}&default-graph-uri={}",
        data(1),
        data(2)
    );
    let req = request("POST", &path, Some(QUERY), ASK_DATA1_DATA2);
    expect_boolean(req, true).await;
}

#[tokio::test]
async fn query_dataset_named_graphs_post() {
    let path = format!(
        "/sparql?named-graph-uri={}&named-graph-uri={}",
        data(1),
        data(2)
    );
    expect_boolean(request("POST", &path, Some(QUERY), ASK_NAMED), true).await;
}

#[tokio::test]
async fn query_dataset_named_graphs_get() {
    let path = format!(
        "/sparql?query={}&named-graph-uri={}&named-graph-uri={}",
        enc(ASK_NAMED),
        data(1),
        data(2)
    );
    expect_boolean(request("GET", &path, None, Body::empty()), true).await;
}

#[tokio::test]
async fn query_dataset_full() {
    let path = format!(
        "/sparql?default-graph-uri={}&named-graph-uri={}&named-graph-uri={}",
        data(3),
        data(1),
        data(2)
    );
    let q = "ASK {
  <http://kasei.us/2009/09/sparql/data/data3.rdf> a ?type
  GRAPH ?g1 { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type }
  GRAPH ?g2 { <http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type }
}";
    expect_boolean(request("POST", &path, Some(QUERY), q), true).await;
    // The named graphs are those given, not every graph: data3 is not among them.
    let q3 = "ASK { GRAPH ?g { <http://kasei.us/2009/09/sparql/data/data3.rdf> a ?type } }";
    expect_boolean(request("POST", &path, Some(QUERY), q3), false).await;
}

#[tokio::test]
async fn query_multiple_dataset() {
    let path = format!(
        "/sparql?named-graph-uri={}&named-graph-uri={}",
        data(1),
        data(2)
    );
    let q = "ASK FROM <http://kasei.us/2009/09/sparql/data/data3.rdf> { GRAPH ?g1 { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type } GRAPH ?g2 { <http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type } }";
    expect_boolean(request("POST", &path, Some(QUERY), q), true).await;
    // The protocol's dataset replaces the query's FROM: data3 is no longer the default graph.
    let from = "ASK FROM <http://kasei.us/2009/09/sparql/data/data3.rdf> { ?s a ?type }";
    expect_boolean(request("POST", &path, Some(QUERY), from), false).await;
}

#[tokio::test]
async fn query_get() {
    let path = format!(
        "/sparql?query=ASK%20%7B%7D&default-graph-uri={}",
        enc(&format!("{DATA}data0.rdf"))
    );
    expect_boolean(request("GET", &path, None, Body::empty()), true).await;
}

fn data0() -> String {
    format!(
        "/sparql?default-graph-uri={}",
        enc(&format!("{DATA}data0.rdf"))
    )
}

#[tokio::test]
async fn query_content_type_select() {
    let req = request("POST", &data0(), Some(QUERY), "SELECT (1 AS ?value) {}");
    let (s, ty, body) = exchange(req).await;
    assert!((200..400).contains(&s), "{s}: {body}");
    let media = ty.split(';').next().unwrap();
    assert!(
        [
            "application/sparql-results+xml",
            "application/sparql-results+json",
            "text/csv",
            "text/tab-separated-values"
        ]
        .contains(&media),
        "{ty}"
    );
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["results"]["bindings"][0]["value"]["value"], "1");
}

#[tokio::test]
async fn query_content_type_ask() {
    expect_boolean(request("POST", &data0(), Some(QUERY), "ASK {}"), true).await;
}

#[tokio::test]
async fn query_content_type_describe() {
    let req = request(
        "POST",
        &data0(),
        Some(QUERY),
        "DESCRIBE <http://example.org/>",
    );
    expect_rdf(req).await;
}

#[tokio::test]
async fn query_content_type_construct() {
    let req = request(
        "POST",
        &data0(),
        Some(QUERY),
        "CONSTRUCT { <s> <p> 1 } WHERE {}",
    );
    expect_rdf(req).await;
}

#[tokio::test]
async fn query_post_direct() {
    expect_boolean(ask("ASK {}"), true).await;
}

#[tokio::test]
async fn bad_query_method() {
    let path = format!(
        "/sparql?query=ASK%20%7B%7D&default-graph-uri={}",
        enc(&format!("{DATA}data0.rdf"))
    );
    let (s, _) = expect_4xx(request("PUT", &path, Some(FORM), Body::empty())).await;
    assert_eq!(s, 405);
}

#[tokio::test]
async fn bad_multiple_queries() {
    let path = "/sparql?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D";
    expect_4xx(request("GET", path, None, Body::empty())).await;
}

#[tokio::test]
async fn bad_query_wrong_media_type() {
    let (s, _) = expect_4xx(request("POST", "/sparql", Some("text/plain"), "ASK {}")).await;
    assert_eq!(s, 415);
}

#[tokio::test]
async fn bad_query_missing_form_type() {
    let (s, _) = expect_4xx(request("POST", "/sparql", None, "query=ASK%20%7B%7D")).await;
    assert_eq!(s, 415);
}

#[tokio::test]
async fn bad_query_missing_direct_type() {
    let (s, _) = expect_4xx(request("POST", "/sparql", None, "ASK {}")).await;
    assert_eq!(s, 415);
}

/// `text` in UTF-16 (big-endian with a byte-order mark, as `cnt:characterEncoding "UTF-16"`).
fn utf16(text: &str) -> Vec<u8> {
    let mut out = vec![0xFE, 0xFF];
    out.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    out
}

#[tokio::test]
async fn bad_query_non_utf8() {
    let ty = "application/sparql-query; charset=UTF-16";
    let (s, body) = expect_4xx(request("POST", "/sparql", Some(ty), utf16("ASK {}"))).await;
    assert_eq!(s, 415);
    assert!(body.contains("UTF-8"), "{body}");
    // UTF-8 named in any of its spellings is fine.
    for ty in [
        "application/sparql-query; charset=utf8",
        "application/sparql-query;charset=\"UTF-8\"",
    ] {
        expect_boolean(request("POST", "/sparql", Some(ty), "ASK {}"), true).await;
    }
}

#[tokio::test]
async fn bad_query_syntax() {
    let (s, body) = expect_4xx(request(
        "GET",
        "/sparql?query=ASK%20%7B",
        None,
        Body::empty(),
    ))
    .await;
    assert_eq!(s, 400);
    assert!(body.starts_with("SPARQL syntax error at 1:6: "), "{body}");
}

#[tokio::test]
async fn bad_update_get() {
    expect_4xx(request(
        "GET",
        "/sparql?update=CLEAR%20ALL",
        None,
        Body::empty(),
    ))
    .await;
}

#[tokio::test]
async fn bad_multiple_updates() {
    let body = "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT";
    expect_4xx(request("POST", "/sparql", Some(FORM), body)).await;
}

#[tokio::test]
async fn bad_update_wrong_media_type() {
    expect_4xx(request(
        "POST",
        "/sparql",
        Some("text/plain"),
        "CLEAR NAMED",
    ))
    .await;
}

#[tokio::test]
async fn bad_update_missing_form_type() {
    expect_4xx(request("POST", "/sparql", None, "update=CLEAR%20NAMED")).await;
}

#[tokio::test]
async fn bad_update_non_utf8() {
    let ty = "application/sparql-update; charset=UTF-16";
    expect_4xx(request("POST", "/sparql", Some(ty), utf16("CLEAR NAMED"))).await;
}

#[tokio::test]
async fn bad_update_syntax() {
    expect_4xx(request("POST", "/sparql", Some(FORM), "update=CLEAR%20XYZ")).await;
}

#[tokio::test]
async fn bad_update_dataset_conflict() {
    let path = "/sparql?using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople";
    let update = "PREFIX foaf:  <http://xmlns.com/foaf/0.1/>
WITH <http://example/addresses>
DELETE { ?person foaf:givenName 'Bill' }
INSERT { ?person foaf:givenName 'William' }
WHERE {
    ?person foaf:givenName 'Bill'
}";
    expect_4xx(request("POST", path, Some(UPDATE), update)).await;
}

/// The data graphs are all still there: no refused update changed the store.
async fn unchanged() {
    let q = "ASK { GRAPH <http://kasei.us/2009/09/sparql/data/data1.rdf> { ?s ?p ?o } GRAPH <http://kasei.us/2009/09/sparql/data/data3.rdf> { ?s3 ?p3 ?o3 } }";
    expect_boolean(ask(q), true).await;
}

/// The first request of the update tests (an update carrying the dataset parameters).
async fn refused_update(path: &str, graph: &str) {
    let update = format!(
        "PREFIX dc: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
DROP ALL ;
INSERT {{ GRAPH <{graph}> {{ ?s a dc:BibliographicResource }} }}
WHERE {{ ?s a foaf:Document }}"
    );
    expect_read_only(request("POST", path, Some(UPDATE), update)).await;
    let q = format!("ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}");
    expect_boolean(ask(&q), false).await;
    unchanged().await;
}

#[tokio::test]
async fn update_dataset_default_graph() {
    let path = format!("/sparql?using-graph-uri={}", data(1));
    refused_update(&path, "http://example.org/protocol-update-dataset-test/").await;
}

#[tokio::test]
async fn update_dataset_default_graphs() {
    let path = format!(
        "/sparql?using-graph-uri={}&using-graph-uri={}",
        data(1),
        data(2)
    );
    refused_update(
        &path,
        "http://example.org/protocol-update-dataset-graphs-test/",
    )
    .await;
}

#[tokio::test]
async fn update_dataset_named_graphs() {
    let path = format!(
        "/sparql?using-named-graph-uri={}&using-named-graph-uri={}",
        data(1),
        data(2)
    );
    let graph = "http://example.org/protocol-update-dataset-named-graphs-test/";
    refused_update(&path, graph).await;
}

#[tokio::test]
async fn update_dataset_full() {
    let path = format!(
        "/sparql?using-graph-uri={}&using-named-graph-uri={}",
        data(1),
        data(2)
    );
    refused_update(
        &path,
        "http://example.org/protocol-update-dataset-full-test/",
    )
    .await;
}

#[tokio::test]
async fn update_post_form() {
    expect_read_only(request("POST", "/sparql", Some(FORM), "update=CLEAR+ALL")).await;
    unchanged().await;
}

#[tokio::test]
async fn update_post_direct() {
    expect_read_only(request("POST", "/sparql", Some(UPDATE), "CLEAR ALL")).await;
    unchanged().await;
}

#[tokio::test]
async fn update_base_uri() {
    let update = "CLEAR SILENT GRAPH <http://example.org/protocol-base-test/> ;
INSERT DATA { GRAPH <http://example.org/protocol-base-test/> { <http://example.org/s> <http://example.org/p> <test> } }";
    expect_read_only(request("POST", "/sparql", Some(UPDATE), update)).await;
    // What the test then checks, that `<test>` became an absolute IRI, holds for queries.
    let q = "ASK { BIND(<test> AS ?o) FILTER (isIRI(?o) && STR(?o) != \"test\") }";
    expect_boolean(ask(q), true).await;
}

/// A W3C id, method, path, content type, body and expected status class (2 or 4).
type Exchange = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
    u16,
);

/// The manifest's exchanges that need no extra graphs, sent as raw HTTP/1.1 to the real binary.
const OVER_HTTP: &[Exchange] = &[
    ("query_get", "GET", "/sparql?query=ASK%20%7B%7D&default-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata0.rdf", None, "", 2),
    ("query_post_form", "POST", "/sparql?default-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata0.rdf", Some(FORM), "query=ASK%20%7B%7D", 2),
    ("query_post_direct", "POST", "/sparql", Some(QUERY), "ASK {}", 2),
    ("query_content_type_construct", "POST", "/sparql", Some(QUERY), "CONSTRUCT { <s> <p> 1 } WHERE {}", 2),
    ("bad_query_method", "PUT", "/sparql?query=ASK%20%7B%7D", Some(FORM), "", 4),
    ("bad_multiple_queries", "GET", "/sparql?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D", None, "", 4),
    ("bad_query_wrong_media_type", "POST", "/sparql", Some("text/plain"), "ASK {}", 4),
    ("bad_query_missing_form_type", "POST", "/sparql", None, "query=ASK%20%7B%7D", 4),
    ("bad_query_syntax", "GET", "/sparql?query=ASK%20%7B", None, "", 4),
    ("bad_update_get", "GET", "/sparql?update=CLEAR%20ALL", None, "", 4),
    ("update_post_form", "POST", "/sparql", Some(FORM), "update=CLEAR+ALL", 4),
    ("update_post_direct", "POST", "/sparql", Some(UPDATE), "CLEAR ALL", 4),
];

#[test]
fn manifest_exchanges_over_http_against_the_binary() {
    let server = super::Server::start(&root(), &["--facts", "seeds"]);
    for (id, method, path, ty, body, class) in OVER_HTTP {
        let headers: Vec<(&str, &str)> = ty.iter().map(|t| ("Content-Type", *t)).collect();
        let (s, _, text) = super::http(server.addr, method, path, &headers, body.as_bytes());
        assert_eq!(s / 100, *class, "{id}: {s} {text}");
        if *class == 2 && *id != "query_content_type_construct" {
            assert!(text.contains("\"boolean\":true"), "{id}: {text}");
        }
    }
    // The refused updates cleared nothing.
    let (_, _, text) = super::http(
        server.addr,
        "GET",
        "/sparql?query=ASK%7B%3Fs%3Fp%3Fo%7D",
        &[],
        b"",
    );
    assert!(text.contains("\"boolean\":true"), "{text}");
}
