//! Answers kept for the snapshot they were computed on: the store does not change between
//! reloads, so the same query (same text, dataset and negotiated format) gets the same bytes,
//! served again without evaluating it, gzip-compressed once for clients that accept it
//! (HTTP semantics, content coding: <https://www.rfc-editor.org/rfc/rfc9110#section-8.4>).
//!
//! A reload makes a new snapshot with an empty cache, so an answer never outlives its graph.

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};

/// Bytes of answers kept per snapshot; the least recently used go first.
pub const BUDGET: usize = 256 << 20;

/// Answers larger than this are not kept (they would push out many others).
const LARGEST: usize = BUDGET / 8;

/// What makes two requests the same question.
#[derive(Clone, Debug, Hash, PartialEq, Eq)]
pub struct Question {
    /// The query text as sent.
    pub query: String,
    /// The protocol's `default-graph-uri` parameters.
    pub default_graphs: Vec<String>,
    /// The protocol's `named-graph-uri` parameters.
    pub named_graphs: Vec<String>,
    /// The `Accept` header, which chooses the format.
    pub accept: Option<String>,
}

/// One answer: its media type and bytes, and their gzip coding once asked for.
pub struct Answer {
    content_type: String,
    body: Bytes,
    gzip: OnceLock<Option<Bytes>>,
    used: AtomicU64,
}

impl Answer {
    /// An answer of type `media` (a `charset=utf-8` is added to `text/*` types).
    pub fn new(media: &str, body: Vec<u8>) -> Answer {
        let content_type = if media.starts_with("text/") && !media.contains("charset") {
            format!("{media}; charset=utf-8")
        } else {
            media.to_string()
        };
        Answer {
            content_type,
            body: Bytes::from(body),
            gzip: OnceLock::new(),
            used: AtomicU64::new(0),
        }
    }

    /// The HTTP response, gzip-coded when the request accepts it and that makes it smaller.
    pub fn response(&self, request: &HeaderMap) -> Response {
        let content_type = HeaderValue::from_str(&self.content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream"));
        let vary = HeaderValue::from_static("Accept, Accept-Encoding");
        let headers = [(header::CONTENT_TYPE, content_type), (header::VARY, vary)];
        if accepts_gzip(request) {
            if let Some(gz) = self.gzip.get_or_init(|| gzip(&self.body)) {
                let coding = [(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"))];
                return (headers, coding, gz.clone()).into_response();
            }
        }
        (headers, self.body.clone()).into_response()
    }
}

/// The gzip coding of `body`, if it is worth it (bodies under 1 KiB are sent as they are).
fn gzip(body: &[u8]) -> Option<Bytes> {
    if body.len() < 1024 {
        return None;
    }
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(body).ok()?;
    let out = enc.finish().ok()?;
    (out.len() < body.len()).then(|| Bytes::from(out))
}

/// Whether `Accept-Encoding` lists `gzip` (or `*`) with a non-zero quality.
pub fn accepts_gzip(request: &HeaderMap) -> bool {
    request
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let coding = parts.next().unwrap_or_default();
            let zero = parts.any(|p| {
                p.strip_prefix("q=")
                    .is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q <= 0.0))
            });
            (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !zero
        })
}

/// The answers of one snapshot.
#[derive(Default)]
pub struct Answers {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    kept: HashMap<Question, Arc<Answer>>,
    bytes: usize,
    clock: u64,
}

impl Answers {
    /// The answer kept for `q`, if any.
    pub fn get(&self, q: &Question) -> Option<Arc<Answer>> {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        inner.clock += 1;
        let now = inner.clock;
        let a = inner.kept.get(q)?.clone();
        a.used.store(now, Ordering::Relaxed);
        Some(a)
    }

    /// Keeps `a` as the answer to `q` (unless it is too large), dropping the least recently
    /// used answers beyond the budget.
    pub fn put(&self, q: Question, a: Arc<Answer>) {
        let size = a.body.len() + q.query.len();
        if size > LARGEST {
            return;
        }
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        inner.clock += 1;
        a.used.store(inner.clock, Ordering::Relaxed);
        if let Some(old) = inner.kept.insert(q.clone(), a) {
            inner.bytes -= old.body.len() + q.query.len();
        }
        inner.bytes += size;
        while inner.bytes > BUDGET {
            let oldest = inner
                .kept
                .iter()
                .min_by_key(|(_, a)| a.used.load(Ordering::Relaxed))
                .map(|(k, _)| k.clone());
            let Some(k) = oldest else { break };
            if let Some(gone) = inner.kept.remove(&k) {
                inner.bytes -= gone.body.len() + k.query.len();
            }
        }
    }

    /// How many answers are kept.
    pub fn len(&self) -> usize {
        self.inner.lock().map_or(0, |i| i.kept.len())
    }

    /// Whether none is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(q: &str) -> Question {
        Question {
            query: q.to_string(),
            default_graphs: vec![],
            named_graphs: vec![],
            accept: None,
        }
    }

    #[test]
    fn the_least_recently_used_answers_go_beyond_the_budget() {
        let answers = Answers::default();
        let big = LARGEST - 10;
        for i in 0..(BUDGET / big + 2) {
            answers.put(
                question(&i.to_string()),
                Arc::new(Answer::new("text/csv", vec![0; big])),
            );
            // The first answer stays in use, so it stays.
            assert!(answers.get(&question("0")).is_some(), "after {i}");
        }
        assert!(answers.get(&question("1")).is_none());
        assert!(answers.len() <= BUDGET / big);
    }

    #[test]
    fn gzip_is_sent_only_to_clients_that_accept_it() {
        let mut h = HeaderMap::new();
        assert!(!accepts_gzip(&h));
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("br, gzip;q=0.5"),
        );
        assert!(accepts_gzip(&h));
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("gzip;q=0, br"),
        );
        assert!(!accepts_gzip(&h));
        let a = Answer::new("text/csv", b"name\r\n".repeat(1000));
        let gz = a.response(&HeaderMap::new());
        assert!(gz.headers().get(header::CONTENT_ENCODING).is_none());
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip"));
        let gz = a.response(&h);
        assert_eq!(gz.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(
            gz.headers()[header::CONTENT_TYPE],
            "text/csv; charset=utf-8"
        );
    }
}
