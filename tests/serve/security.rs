//! Other web pages cannot read the local endpoint (issue 19, item 10): no CORS unless `--cors`
//! opens it, and every answer carries nosniff, a Content-Security-Policy and no-framing headers.

use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, Request};
use coalition::serve::{self, state, Shared};
use tower::ServiceExt;

use super::{enc, limits, Server};
use crate::util::root;

fn app(cors: &[&str]) -> axum::Router {
    let base = "http://127.0.0.1:7878/";
    let snap = state::load(&root().join("seeds"), Path::new("/nonexistent"), base).unwrap();
    let cors: Vec<String> = cors.iter().map(|s| s.to_string()).collect();
    serve::router_with(
        Arc::new(Shared::new(base.into(), limits(), snap, None)),
        &cors,
    )
}

fn preflight(origin: &str) -> Request<Body> {
    Request::options("/sparql")
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type, accept")
        .body(Body::empty())
        .unwrap()
}

fn simple(origin: &str) -> Request<Body> {
    Request::get(format!("/sparql?query={}", enc("ASK {}")))
        .header("origin", origin)
        .body(Body::empty())
        .unwrap()
}

async fn headers(app: axum::Router, req: Request<Body>) -> (u16, HeaderMap) {
    let res = app.oneshot(req).await.unwrap();
    (res.status().as_u16(), res.headers().clone())
}

#[tokio::test]
async fn no_cross_origin_access_by_default() {
    let (_, h) = headers(app(&[]), preflight("http://evil.example")).await;
    assert!(h.get("access-control-allow-origin").is_none(), "{h:?}");
    let (s, h) = headers(app(&[]), simple("http://evil.example")).await;
    assert_eq!(s, 200);
    assert!(h.get("access-control-allow-origin").is_none(), "{h:?}");
}

#[tokio::test]
async fn cors_opens_to_the_listed_origins_only() {
    let listed = app(&["http://yasgui.example"]);
    let (s, h) = headers(listed.clone(), preflight("http://yasgui.example")).await;
    assert!((200..300).contains(&s), "{s}");
    assert_eq!(h["access-control-allow-origin"], "http://yasgui.example");
    assert!(h["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("POST"));
    let (_, h) = headers(listed.clone(), simple("http://yasgui.example")).await;
    assert_eq!(h["access-control-allow-origin"], "http://yasgui.example");
    let (_, h) = headers(listed, simple("http://evil.example")).await;
    assert!(h.get("access-control-allow-origin").is_none(), "{h:?}");

    let (_, h) = headers(app(&["*"]), simple("http://any.example")).await;
    assert_eq!(h["access-control-allow-origin"], "*");
}

#[tokio::test]
async fn every_answer_refuses_sniffing_and_framing() {
    let ask = format!("/sparql?query={}", enc("ASK {}"));
    for path in [
        "/",
        "/entity/eff",
        ask.as_str(),
        "/assets/app.js",
        "/no/such/page",
    ] {
        let req = Request::get(path).body(Body::empty()).unwrap();
        let (_, h) = headers(app(&[]), req).await;
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
    }
}

#[tokio::test]
async fn unknown_format_is_refused_as_inert_text() {
    let req = Request::get("/entity/eff?format=%3Cscript%3Ealert(1)%3C/script%3E")
        .body(Body::empty())
        .unwrap();
    let (s, h) = headers(app(&[]), req).await;
    assert_eq!(s, 400);
    assert_eq!(h["content-type"], "text/plain; charset=utf-8");
    assert_eq!(h["x-content-type-options"], "nosniff");
}

#[test]
fn binary_checks_cors_origins_and_sends_no_cors_by_default() {
    let out = crate::util::run(
        &root(),
        &["serve", "--facts", "seeds", "--cors", "not an origin"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not an origin"));

    let server = Server::start(&root(), &["--facts", "seeds"]);
    let (status, head, _) = server.request("/", &[("Origin", "http://evil.example")]);
    assert_eq!(status, 200);
    let head = head.to_ascii_lowercase();
    assert!(!head.contains("access-control-allow-origin"), "{head}");
    assert!(head.contains("x-content-type-options: nosniff"), "{head}");
}
