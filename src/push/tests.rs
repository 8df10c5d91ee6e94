//! Unit tests of push against a loopback HTTP server that answers scripted replies.

use super::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;

/// A loopback server answering `replies` (status, content type, body) in turn; sends each
/// request (head and body) back.
fn server_with(replies: Vec<(u16, &'static str, String)>) -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/store", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for (status, content_type, body) in replies {
            let (mut stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            let mut len = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap();
                }
                if line == "\r\n" || line.is_empty() {
                    break;
                }
                head.push_str(&line);
            }
            let mut request = vec![0; len];
            reader.read_exact(&mut request).unwrap();
            head.push_str(&String::from_utf8_lossy(&request));
            tx.send(head).unwrap();
            let reply = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            stream.write_all(reply.as_bytes()).unwrap();
        }
    });
    (url, rx)
}

fn server(statuses: Vec<u16>) -> (String, mpsc::Receiver<String>) {
    server_with(
        statuses
            .into_iter()
            .map(|s| (s, "text/plain", "oops".to_string()))
            .collect(),
    )
}

fn opts(url: &str) -> Options {
    Options {
        target: Target::GraphStore(url.to_string()),
        query_endpoint: None,
        timeout: Duration::from_secs(5),
        retries: 2,
        backoff: Duration::from_millis(10),
        state: None,
    }
}

fn graph() -> Graph {
    Graph {
        iri: "https://coalition.example/graph/s1".into(),
        ntriples: b"<http://a> <http://b> <http://c> .\n".to_vec(),
    }
}

fn failure(g: &GraphReport) -> String {
    match &g.outcome {
        Outcome::Failed(e) => e.to_string(),
        o => panic!("not failed: {o:?}"),
    }
}

#[test]
fn retries_a_transient_error_then_succeeds() {
    let (url, rx) = server(vec![503, 204]);
    let mut lines = Vec::new();
    let report = push(&[graph()], &opts(&url), |l| lines.push(l.to_string())).unwrap();
    assert!(matches!(report.graphs[0].outcome, Outcome::Sent(204, 2)));
    let first = rx.recv().unwrap();
    assert!(
        first.starts_with("PUT /store?graph=https%3A%2F%2Fcoalition.example%2Fgraph%2Fs1 "),
        "{first}"
    );
    assert!(first
        .to_ascii_lowercase()
        .contains("content-type: application/n-triples"));
    assert_eq!(lines.len(), 2, "{lines:?}");
}

#[test]
fn a_500_is_not_retried_and_its_whole_message_is_kept() {
    let long = "x".repeat(2000);
    let page = format!(
        "<html><body><h1>HTTP/1.1 500</h1>\n<xmp>Error 22023: {long} end</xmp></body></html>"
    );
    let (url, rx) = server_with(vec![(500, "text/html", page)]);
    let report = push(&[graph()], &opts(&url), |_| {}).unwrap();
    let err = failure(&report.graphs[0]);
    assert!(err.contains(&format!("Error 22023: {long} end")), "{err}");
    assert!(!err.contains("<xmp>"), "{err}");
    assert!(!report.ok());
    rx.recv().unwrap();
    assert!(rx.try_recv().is_err(), "a 500 is sent once");
}

#[test]
fn client_error_is_not_retried_and_names_the_graph() {
    let (url, _rx) = server(vec![400]);
    let report = push(&[graph()], &opts(&url), |_| {}).unwrap();
    let err = failure(&report.graphs[0]);
    assert!(
        err.contains("<https://coalition.example/graph/s1>"),
        "{err}"
    );
    assert!(err.contains("HTTP 400: oops"), "{err}");
}

#[test]
fn a_failed_graph_does_not_hide_the_others() {
    let (url, _rx) = server(vec![500, 204]);
    let mut second = graph();
    second.iri.push('2');
    let report = push(&[graph(), second], &opts(&url), |_| {}).unwrap();
    assert!(failure(&report.graphs[0]).contains("HTTP 500"));
    assert!(matches!(report.graphs[1].outcome, Outcome::Sent(204, 1)));
}

#[test]
fn changed_only_skips_unchanged_graphs() {
    let tmp = tempfile::tempdir().unwrap();
    let (url, rx) = server(vec![201, 204]);
    let mut o = opts(&url);
    o.state = Some(tmp.path().join("push.json"));
    let sent = |r: &Report| {
        r.graphs
            .iter()
            .filter(|g| matches!(g.outcome, Outcome::Sent(..)))
            .count()
    };
    assert_eq!(sent(&push(&[graph()], &o, |_| {}).unwrap()), 1);
    let r2 = push(&[graph()], &o, |_| {}).unwrap();
    assert!(matches!(r2.graphs[0].outcome, Outcome::Unchanged));
    let mut changed = graph();
    changed
        .ntriples
        .extend_from_slice(b"<http://a> <http://b> <http://d> .\n");
    assert_eq!(sent(&push(&[changed], &o, |_| {}).unwrap()), 1);
    assert_eq!(rx.iter().take(2).count(), 2);
}

#[test]
fn update_endpoint_sends_drop_and_insert() {
    let (url, rx) = server(vec![204, 204]);
    let mut o = opts(&url);
    o.target = Target::Update(url.clone());
    let registry = Graph {
        iri: DEFAULT_GRAPH.into(),
        ntriples: graph().ntriples,
    };
    push(&[graph(), registry], &o, |_| {}).unwrap();
    let named = rx.recv().unwrap();
    assert!(named.starts_with("POST /store "), "{named}");
    assert!(named
        .to_ascii_lowercase()
        .contains("application/sparql-update"));
    assert!(named.contains("DROP SILENT GRAPH <https://coalition.example/graph/s1> ;\nINSERT DATA { GRAPH <https://coalition.example/graph/s1> {\n"));
    let default = rx.recv().unwrap();
    assert!(
        default.ends_with(
            "DROP SILENT DEFAULT ;\nINSERT DATA {\n<http://a> <http://b> <http://c> .\n}\n"
        ),
        "{default}"
    );
}

#[test]
fn a_graph_the_store_does_not_hold_is_named() {
    let counts = |json: &str| (200, "application/sparql-results+json", json.to_string());
    let (url, rx) = server_with(vec![
        (204, "text/plain", String::new()),
        counts(r#"{"head":{"vars":["g","n"]},"results":{"bindings":[]}}"#),
        counts(
            r#"{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal","value":"7"}}]}}"#,
        ),
    ]);
    let mut o = opts(&url);
    o.query_endpoint = Some(url.clone());
    let report = push(&[graph()], &o, |_| {}).unwrap();
    assert!(!report.ok());
    let err = report.graphs[0].mismatch().unwrap().to_string();
    assert_eq!(
        err,
        "<https://coalition.example/graph/s1> on the store holds 0 triples, 1 were sent"
    );
    rx.recv().unwrap();
    assert!(rx.recv().unwrap().contains("query=SELECT"));
}
