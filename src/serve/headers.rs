//! Response headers that keep other web pages out: no cross-origin reads unless `--cors` opens
//! them (<https://fetch.spec.whatwg.org/#http-cors-protocol>), no MIME sniffing, no framing, and a
//! Content-Security-Policy (<https://www.w3.org/TR/CSP3/>) that lets the explorer load only its
//! own script, styles and endpoint.

use std::time::Duration;

use axum::extract::Request;
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::cors::{AllowOrigin, Any, CorsLayer};

/// The explorer's policy: its own script and stylesheet (plus the inline `style` attributes of the
/// Graphviz SVG), fetches to its own endpoint, inline SVG images, no plugins, no framing.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                       img-src 'self' data:; connect-src 'self'; object-src 'none'; \
                       base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Adds the security headers to every response.
pub async fn secure(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    res
}

/// The CORS layer for the origins given with `--cors` (`*` for any), or `None` when none were
/// given: then browsers keep other sites' pages from reading any answer.
pub fn cors(origins: &[String]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::from(Any)
    } else {
        AllowOrigin::list(origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()))
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
            .allow_headers([header::CONTENT_TYPE, header::ACCEPT])
            .max_age(Duration::from_secs(3600)),
    )
}

/// Checks a `--cors` value: `*`, or an origin `scheme://host[:port]` with no path.
pub fn parse_origin(s: &str) -> Result<String, String> {
    if s == "*" {
        return Ok(s.to_string());
    }
    let bad = || {
        format!(
            "`{s}` is not an origin: give `*` or scheme://host[:port], e.g. http://localhost:3000"
        )
    };
    let url = url::Url::parse(s).map_err(|_| bad())?;
    let origin = url.origin();
    if !origin.is_tuple() || url.path() != "/" || url.query().is_some() || s.ends_with('/') {
        return Err(bad());
    }
    Ok(origin.ascii_serialization())
}

#[cfg(test)]
mod tests {
    use super::parse_origin;

    #[test]
    fn origins_are_checked() {
        assert_eq!(parse_origin("*").unwrap(), "*");
        assert_eq!(
            parse_origin("http://localhost:3000").unwrap(),
            "http://localhost:3000"
        );
        assert_eq!(
            parse_origin("https://Yasgui.Example").unwrap(),
            "https://yasgui.example"
        );
        for bad in ["localhost", "http://x/path", "http://x/", "file:///tmp", ""] {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
    }
}
