//! `coalition push` against a real SPARQL server (`oxigraph serve` from the PyPI package
//! `oxigraph`, started with its default options on a free loopback port), and against a dead one.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{require_program, root, run, text};

struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_oxigraph() -> Option<Server> {
    if !require_program("oxigraph", &["--version"]) {
        return None;
    }
    let port = free_port();
    let child = Command::new("oxigraph")
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("oxigraph serve starts");
    let server = Server {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if ureq::get(&format!("{}/query?query=ASK%7B%7D", server.url))
            .call()
            .is_ok()
        {
            return Some(server);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("oxigraph serve did not answer within 20 s");
}

fn sparql_csv(server: &Server, query: &str) -> String {
    ureq::post(&format!("{}/query", server.url))
        .header("Content-Type", "application/sparql-query")
        .header("Accept", "text/csv")
        .send(query)
        .expect("the server answers")
        .body_mut()
        .read_to_string()
        .unwrap()
}

fn sorted_lines(s: &str) -> Vec<String> {
    let mut l: Vec<String> = s.lines().map(|l| l.trim_end().to_string()).collect();
    l.sort();
    l
}

#[test]
fn pushed_seed_answers_who_signed_like_the_local_query() {
    let Some(server) = start_oxigraph() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state.json");
    let endpoint = format!("{}/store", server.url);
    let push = |extra: &[&str]| {
        let mut args = vec![
            "push",
            "--endpoint",
            &endpoint,
            "--state",
            state.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let o = run(&root(), &args);
        let (_, err) = text(&o);
        assert!(o.status.success(), "{err}");
        err
    };
    let first = push(&[]);
    assert!(first.contains("pushed 2 graphs"), "{first}");
    let count = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }";
    let before = sparql_csv(&server, count);
    // Re-pushing replaces: the store holds the same quads, not twice as many.
    push(&[]);
    assert_eq!(sparql_csv(&server, count), before);
    let local = run(
        &root(),
        &["query", "--facts", "seeds", "--format", "csv", "who-signed"],
    );
    let (local_csv, err) = text(&local);
    assert!(local.status.success(), "{err}");
    // The unchanged text of the named query, sent to a standard store.
    let query = std::fs::read_to_string(root().join("queries/who-signed.rq")).unwrap();
    let remote_csv = sparql_csv(&server, &query);
    assert_eq!(sorted_lines(&remote_csv), sorted_lines(&local_csv));
    for name in [
        "Electronic Frontier Foundation",
        "Black Lives Matter",
        "Freedom of the Press Foundation",
        "Human Rights Watch",
    ] {
        assert!(remote_csv.contains(name), "{remote_csv}");
    }
    // --changed-only: nothing changed since the last recorded push.
    push(&["--changed-only"]);
    let again = push(&["--changed-only"]);
    assert!(again.contains("pushed 0 graphs, 2 unchanged"), "{again}");
}

#[test]
fn pushing_to_a_dead_server_fails_clearly() {
    let port = free_port();
    let o = run(
        &root(),
        &[
            "push",
            "--endpoint",
            &format!("http://127.0.0.1:{port}/store"),
            "--retries",
            "1",
            "--timeout",
            "2",
        ],
    );
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("pushing the default graph") || err.contains("pushing <"),
        "{err}"
    );
    assert!(err.contains("after 2 attempts"), "{err}");
}

#[test]
fn push_needs_an_endpoint() {
    let o = run(&root(), &["push"]);
    assert_eq!(o.status.code(), Some(2));
}

/// The names of the queries in `queries/`.
fn named_queries() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("queries"))
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension()? == "rq").then(|| p.file_stem().unwrap().to_string_lossy().into_owned())
        })
        .collect();
    names.sort();
    names
}

/// Every named query, sent unchanged to the server, gives the rows of `coalition query`.
fn assert_named_queries_match(server: &Server) {
    for name in named_queries() {
        let local = run(
            &root(),
            &["query", "--facts", "seeds", "--format", "csv", &name],
        );
        let (local_csv, err) = text(&local);
        assert!(local.status.success(), "{err}");
        let query = std::fs::read_to_string(root().join(format!("queries/{name}.rq"))).unwrap();
        let remote_csv = sparql_csv(server, &query);
        assert!(local_csv.lines().count() > 1, "{name} has rows");
        assert_eq!(
            sorted_lines(&remote_csv),
            sorted_lines(&local_csv),
            "{name} on the store"
        );
    }
}

#[test]
fn update_push_puts_the_registry_in_the_default_graph() {
    let Some(server) = start_oxigraph() else {
        return;
    };
    let o = run(
        &root(),
        &[
            "push",
            "--update-endpoint",
            &format!("{}/update", server.url),
        ],
    );
    let (_, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert_named_queries_match(&server);
}
