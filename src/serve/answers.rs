//! Answers kept for the snapshot they were computed on: the store does not change between
//! reloads, so the same query (same text, dataset and negotiated format) gets the same bytes,
//! served again without evaluating it, gzip-compressed once for clients that accept it
//! (HTTP semantics, content coding: <https://www.rfc-editor.org/rfc/rfc9110#section-8.4>).
//!
//! An answer too large to keep as it is ([`LARGEST`]) is kept gzip-coded when that fits
//! ([`LARGEST_CODED`]): clients
//! that accept gzip get those bytes, the others get them decoded while they are sent, so asking
//! again for a large answer (hundreds of MB at 10,000 sources) does not evaluate it again.
//!
//! A reload makes a new snapshot with an empty cache, so an answer never outlives its graph.
//!
//! A question being answered is claimed ([`Answers::turn`]): the same question asked meanwhile
//! waits for that answer instead of evaluating it a second time (sixteen clients asking at once,
//! or a request arriving while the server answers its named queries ahead, see [`super::ahead`]).

use std::collections::HashMap;
use std::io::{Read, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use tokio::sync::watch;

/// Bytes of answers kept per snapshot; the least recently used go first.
pub const BUDGET: usize = 256 << 20;

/// Answers larger than this are not kept as they are (they would push out many others).
const LARGEST: usize = BUDGET / 8;

/// Gzip-coded answers larger than this are not kept (447 MB of CSV, the largest named query's
/// answer at 10,000 sources, codes to about 40 MB).
const LARGEST_CODED: usize = BUDGET / 4;

/// What makes two requests the same question.
#[derive(Clone, Debug, Hash, PartialEq, Eq)]
pub struct Question {
    /// The query text as sent.
    pub query: String,
    /// The protocol's `default-graph-uri` parameters.
    pub default_graphs: Vec<String>,
    /// The protocol's `named-graph-uri` parameters.
    pub named_graphs: Vec<String>,
    /// The media type negotiated from the `Accept` header, so that every header choosing the
    /// same format (`application/json`, `*/*`, none) gets the same kept answer; without
    /// parameters (`text/csv`).
    pub media: String,
}

/// One answer: its media type and bytes.
pub struct Answer {
    content_type: String,
    kept: Kept,
    used: AtomicU64,
}

/// How an answer's bytes are kept.
enum Kept {
    /// As they are, and their gzip coding once a client asked for it.
    Plain(Bytes, OnceLock<Option<Bytes>>),
    /// Only their gzip coding (an answer too large to keep as it is).
    Gzip(Bytes),
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
            kept: Kept::Plain(Bytes::from(body), OnceLock::new()),
            used: AtomicU64::new(0),
        }
    }

    /// The same answer kept gzip-coded only, if it is kept as it is and coding makes it smaller.
    /// Costs about a second per 100 MB (fast compression).
    pub fn coded(&self) -> Option<Answer> {
        let Kept::Plain(body, gz) = &self.kept else {
            return None;
        };
        let gz = gz.get_or_init(|| gzip(body)).clone()?;
        Some(Answer {
            content_type: self.content_type.clone(),
            kept: Kept::Gzip(gz),
            used: AtomicU64::new(0),
        })
    }

    /// Bytes held.
    fn size(&self) -> usize {
        match &self.kept {
            Kept::Plain(b, _) => b.len(),
            Kept::Gzip(g) => g.len(),
        }
    }

    /// The HTTP response, gzip-coded when the request accepts it and that makes it smaller.
    /// Must be called within the server's runtime (a coded answer is decoded on a blocking
    /// thread for clients that do not accept gzip).
    pub fn response(&self, request: &HeaderMap) -> Response {
        let content_type = HeaderValue::from_str(&self.content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream"));
        let vary = HeaderValue::from_static("Accept, Accept-Encoding");
        let headers = [(header::CONTENT_TYPE, content_type), (header::VARY, vary)];
        let coding = [(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"))];
        let gzip_ok = accepts_gzip(request);
        match &self.kept {
            Kept::Plain(body, gz) => match gz.get_or_init(|| gzip(body)) {
                Some(gz) if gzip_ok => (headers, coding, gz.clone()).into_response(),
                _ => (headers, body.clone()).into_response(),
            },
            Kept::Gzip(gz) if gzip_ok => (headers, coding, gz.clone()).into_response(),
            Kept::Gzip(gz) => (headers, decoded(gz.clone())).into_response(),
        }
    }
}

/// The bytes `gz` codes, decoded in pieces while they are sent, so that a client that does not
/// accept gzip costs a buffer of a few pieces, not the whole answer.
fn decoded(gz: Bytes) -> Body {
    const PIECE: usize = 256 << 10;
    let (tx, rx) = tokio::sync::mpsc::channel::<std::io::Result<Bytes>>(4);
    tokio::task::spawn_blocking(move || {
        let mut decoder = flate2::read::GzDecoder::new(&gz[..]);
        // An error ends the response (the client sees a truncated body, never a wrong one); a
        // client that left drops the receiver.
        loop {
            let mut piece = Vec::with_capacity(PIECE);
            let item = match (&mut decoder).take(PIECE as u64).read_to_end(&mut piece) {
                Ok(0) => break,
                Ok(_) => Ok(Bytes::from(piece)),
                Err(e) => Err(e),
            };
            let failed = item.is_err();
            if tx.blocking_send(item).is_err() || failed {
                break;
            }
        }
    });
    Body::from_stream(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    }))
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
    pending: Pending,
}

/// Questions being answered now; a receiver sees its sender dropped when the answer is kept (or
/// has failed).
type Pending = Arc<Mutex<HashMap<Question, watch::Receiver<()>>>>;

/// Whose turn it is to answer a question.
pub enum Turn {
    /// Already answered.
    Kept(Arc<Answer>),
    /// Being answered elsewhere: `changed()` returns once that is done.
    Wait(watch::Receiver<()>),
    /// The caller's to answer; the claim ends when it is dropped, after the answer is kept.
    Mine(Claim),
}

/// The right to answer one question; dropping it wakes the waiters.
pub struct Claim {
    pending: Pending,
    question: Question,
    _done: watch::Sender<()>,
}

impl Drop for Claim {
    fn drop(&mut self) {
        // Removed before the sender drops, so a woken waiter that finds no answer may claim.
        let mut p = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        p.remove(&self.question);
    }
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

    /// Keeps `a` as the answer to `q`, dropping the least recently used answers beyond the
    /// budget; false if it is too large to keep (then [`Answer::coded`] may fit).
    pub fn put(&self, q: Question, a: Arc<Answer>) -> bool {
        let size = a.size() + q.query.len();
        let largest = match a.kept {
            Kept::Plain(..) => LARGEST,
            Kept::Gzip(_) => LARGEST_CODED,
        };
        if size > largest {
            return false;
        }
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        inner.clock += 1;
        a.used.store(inner.clock, Ordering::Relaxed);
        if let Some(old) = inner.kept.insert(q.clone(), a) {
            inner.bytes -= old.size() + q.query.len();
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
                inner.bytes -= gone.size() + k.query.len();
            }
        }
        true
    }

    /// The kept answer to `q`, or a claim to answer it, or a wait for whoever claimed it.
    pub fn turn(&self, q: &Question) -> Turn {
        let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(rx) = pending.get(q) {
            return Turn::Wait(rx.clone());
        }
        // A claimant keeps its answer before it leaves `pending` (under this lock), so a question
        // absent from `pending` is either kept by now or claimed by nobody.
        if let Some(a) = self.get(q) {
            return Turn::Kept(a);
        }
        let (tx, rx) = watch::channel(());
        pending.insert(q.clone(), rx);
        Turn::Mine(Claim {
            pending: self.pending.clone(),
            question: q.clone(),
            _done: tx,
        })
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
            media: "text/csv".into(),
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

    #[tokio::test]
    async fn a_question_claimed_is_waited_for_and_then_read_from_the_kept_answers() {
        let answers = Answers::default();
        let Turn::Mine(claim) = answers.turn(&question("q")) else {
            panic!("nobody has claimed it yet")
        };
        let Turn::Wait(mut rx) = answers.turn(&question("q")) else {
            panic!("claimed, not kept")
        };
        assert!(matches!(answers.turn(&question("other")), Turn::Mine(_)));
        answers.put(
            question("q"),
            Arc::new(Answer::new("text/csv", b"a".to_vec())),
        );
        drop(claim);
        assert!(rx.changed().await.is_err(), "the waiter is woken");
        assert!(matches!(answers.turn(&question("q")), Turn::Kept(_)));
        // A claim dropped without an answer (an error) lets the next asker answer.
        let Turn::Mine(claim) = answers.turn(&question("failed")) else {
            panic!()
        };
        drop(claim);
        assert!(matches!(answers.turn(&question("failed")), Turn::Mine(_)));
    }

    /// An answer too large to keep as it is is kept coded; both kinds of client get its bytes.
    #[tokio::test]
    async fn a_large_answer_is_kept_coded_and_decoded_for_clients_without_gzip() {
        let row = b"Beacon Cedar advocacy group 130,addressed a letter to,synth-00757\r\n";
        let body: Vec<u8> = row.iter().copied().cycle().take(LARGEST + 4096).collect();
        let answers = Answers::default();
        let plain = Arc::new(Answer::new("text/csv", body.clone()));
        assert!(!answers.put(question("big"), plain.clone()));
        let coded = plain.coded().expect("repetitive rows compress");
        assert!(coded.size() < LARGEST);
        assert!(answers.put(question("big"), Arc::new(coded)));
        let kept = answers.get(&question("big")).unwrap();
        let read = |r: Response| async {
            let coding = r.headers().get(header::CONTENT_ENCODING).cloned();
            let bytes = axum::body::to_bytes(r.into_body(), usize::MAX).await;
            (coding, bytes.unwrap().to_vec())
        };
        let (coding, bytes) = read(kept.response(&HeaderMap::new())).await;
        assert_eq!(coding, None);
        assert!(bytes == body, "decoded while sent: {} bytes", bytes.len());
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip"));
        let (coding, gz) = read(kept.response(&h)).await;
        assert_eq!(coding.unwrap(), "gzip");
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut decoded)
            .unwrap();
        assert!(decoded == body);
    }
}
