//! Answers kept per snapshot: the same query gets the same bytes, gzip-coded for clients that
//! accept it (and decoding to the same bytes), and a `--watch` reload never serves an answer
//! computed on the graph before it. The named queries are answered ahead, and any `Accept`
//! header choosing the same format gets the same kept answer.

use std::io::Read;

use axum::body::Body;
use axum::http::Request;
use tower::ServiceExt;

use std::sync::Arc;
use std::time::Duration;

use coalition::serve::answers::{Answer, Question, Turn};
use coalition::serve::{ahead, AppState};

use super::{app_with, enc, limits, send, state_with, Server, WHO_SIGNED};

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
    // The built-in questions (the project's queries/) in JSON and CSV, answered ahead once the
    // graph is in service.
    let named = std::fs::read_dir(crate::util::root().join("queries"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "rq")
        })
        .count();
    let ahead = format!(
        "answered {} named questions ahead",
        named * ahead::FORMATS.len()
    );
    server.wait_log(30, |l| l.contains(&ahead));
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
    // And answered ahead again on the new graph.
    server.wait_log(30, |l| l.matches(&ahead).count() == 2);
    let who = format!("/sparql?query={}", enc(WHO_SIGNED));
    let (status, _, signed) = server.request(&who, &accept);
    assert_eq!(status, 200, "{signed}");
    assert!(!after.contains("Synthetic report 1\r"), "{after}");
}

/// The seed's state (built-in named queries) and its router.
fn seed_state() -> (AppState, axum::Router) {
    let state = state_with("seeds", limits());
    (state.clone(), coalition::serve::router(state))
}

/// `query` asked without a dataset, answered in `media`.
fn question(query: &str, media: &str) -> Question {
    Question {
        query: query.to_string(),
        default_graphs: vec![],
        named_graphs: vec![],
        media: media.to_string(),
    }
}

fn who_signed(media: &str) -> Question {
    question(WHO_SIGNED, media)
}

fn ask(accept: Option<&str>) -> Request<Body> {
    super::get(&format!("/sparql?query={}", enc(WHO_SIGNED)), accept)
}

const JSON: &str = "application/sparql-results+json";

#[tokio::test]
async fn every_accept_header_choosing_the_same_format_gets_the_kept_answer() {
    let (state, app) = seed_state();
    // A sentinel no evaluation could give: only a lookup by the negotiated format returns it.
    let sentinel = Answer::new(JSON, b"{\"kept\": true}".to_vec());
    assert!(state
        .snapshot()
        .answers
        .put(who_signed(JSON), Arc::new(sentinel)));
    let accepts = [
        None,
        Some("*/*"),
        Some("application/json"),
        Some(JSON),
        Some("application/sparql-results+json, text/turtle;q=0.9"),
    ];
    for accept in accepts {
        let (status, ty, body) = send(app.clone(), ask(accept)).await;
        assert_eq!((status, ty.as_str()), (200, JSON), "{accept:?}");
        assert_eq!(body, "{\"kept\": true}", "{accept:?}");
    }
    let (status, _, csv) = send(app, ask(Some("text/csv"))).await;
    assert_eq!(status, 200);
    assert!(csv.contains("Electronic Frontier Foundation"), "{csv}");
}

#[tokio::test]
async fn the_named_queries_are_answered_ahead_with_the_bytes_a_request_gets() {
    let (state, app) = seed_state();
    let fresh = app_with("seeds", limits());
    let done = ahead::answer(&state).await;
    let names = state.snapshot().queries.len();
    assert!(names >= 7, "the built-in questions");
    assert_eq!(done.answered, names * ahead::FORMATS.len(), "{done:?}");
    assert!(done.failed.is_empty() && !done.stopped, "{done:?}");
    assert!(done
        .line()
        .starts_with(&format!("answered {} named", done.answered)));
    for q in state.snapshot().queries.clone() {
        for media in ahead::FORMATS {
            assert!(
                state
                    .snapshot()
                    .answers
                    .get(&question(&q.text, media))
                    .is_some(),
                "{} {media}",
                q.name
            );
            let req = || super::get(&format!("/sparql?query={}", enc(&q.text)), Some(media));
            let kept = send(app.clone(), req()).await;
            let evaluated = send(fresh.clone(), req()).await;
            assert_eq!(kept.0, 200, "{} {media}: {}", q.name, kept.2);
            assert!(
                kept == evaluated,
                "{} as {media} differs from its evaluation",
                q.name
            );
        }
    }
}

#[tokio::test]
async fn a_request_for_a_question_being_answered_waits_for_that_answer() {
    let (state, app) = seed_state();
    let Turn::Mine(claim) = state.snapshot().answers.turn(&who_signed(JSON)) else {
        panic!("nobody answers it yet")
    };
    let waiting = tokio::spawn(send(app, ask(Some(JSON))));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !waiting.is_finished(),
        "it waits instead of evaluating again"
    );
    let sentinel = Answer::new(JSON, b"{\"claimed\": true}".to_vec());
    state
        .snapshot()
        .answers
        .put(who_signed(JSON), Arc::new(sentinel));
    drop(claim);
    let (status, _, body) = tokio::time::timeout(Duration::from_secs(10), waiting)
        .await
        .expect("woken when the claim ends")
        .unwrap();
    assert_eq!((status, body.as_str()), (200, "{\"claimed\": true}"));
}

#[test]
fn no_answers_ahead_leaves_the_questions_to_be_answered_when_asked() {
    let root = crate::util::root();
    let seeds = root.join("seeds");
    let facts = seeds.to_str().unwrap();
    let quiet = Server::start(root.as_path(), &["--facts", facts, "--no-answers-ahead"]);
    let eager = Server::start(root.as_path(), &["--facts", facts]);
    // The seed's questions are answered ahead in well under a second.
    eager.wait_log(30, |l| l.contains("named questions ahead"));
    std::thread::sleep(Duration::from_secs(1));
    let who = format!("/sparql?query={}", enc(WHO_SIGNED));
    let (status, _, body) = quiet.request(&who, &[("Accept", "text/csv")]);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Human Rights Watch"), "{body}");
    let log = quiet.log.lock().unwrap().clone();
    assert!(!log.contains("named questions ahead"), "{log}");
}
