//! Pushes named graphs to any SPARQL 1.1 store, with the Graph Store HTTP Protocol
//! (<https://www.w3.org/TR/sparql11-http-rdf-update/>: one `PUT ?graph=IRI` per source graph,
//! so re-pushing replaces and is idempotent) or with SPARQL 1.1 Update
//! (<https://www.w3.org/TR/sparql11-update/>: `DROP SILENT GRAPH` + `INSERT DATA`).
//!
//! Credentials come from the environment only (`COALITION_PUSH_TOKEN`, or `COALITION_PUSH_USER`
//! and `COALITION_PUSH_PASSWORD`), never from the command line, and are never logged.

mod error;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine;
use sha2::{Digest, Sha256};

pub use error::PushError;

/// Stands for the default graph in [`Graph::iri`] (sent with `?default` / `DEFAULT`).
pub const DEFAULT_GRAPH: &str = "";

fn graph_name(iri: &str) -> String {
    if iri == DEFAULT_GRAPH {
        "the default graph".into()
    } else {
        format!("<{iri}>")
    }
}

/// One graph to send, serialized as N-Triples.
#[derive(Clone, Debug)]
pub struct Graph {
    /// The graph IRI; [`DEFAULT_GRAPH`] for the store's default graph.
    pub iri: String,
    /// Its triples in N-Triples.
    pub ntriples: Vec<u8>,
}

/// How to reach the store.
#[derive(Clone, Debug)]
pub enum Target {
    /// Graph Store Protocol endpoint, e.g. `http://localhost:7878/store`.
    GraphStore(String),
    /// SPARQL Update endpoint, e.g. `http://localhost:3030/ds/update`.
    Update(String),
}

/// Push settings.
#[derive(Clone, Debug)]
pub struct Options {
    /// Where to send.
    pub target: Target,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Retries after the first attempt, on 5xx and connection errors.
    pub retries: u32,
    /// First backoff delay; doubles after each retry.
    pub backoff: Duration,
    /// When set, only graphs whose content changed since the last push recorded here are sent.
    pub state: Option<PathBuf>,
}

/// What a push did.
#[derive(Debug, Default)]
pub struct Report {
    /// Graphs sent, with the final HTTP status.
    pub sent: Vec<(String, u16)>,
    /// Graphs skipped because unchanged.
    pub unchanged: Vec<String>,
}

fn credentials() -> Option<String> {
    if let Ok(token) = std::env::var("COALITION_PUSH_TOKEN") {
        return Some(format!("Bearer {token}"));
    }
    let user = std::env::var("COALITION_PUSH_USER").ok()?;
    let password = std::env::var("COALITION_PUSH_PASSWORD").unwrap_or_default();
    let b64 = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    Some(format!("Basic {b64}"))
}

fn digest(g: &Graph) -> String {
    let mut h = Sha256::new();
    h.update(g.iri.as_bytes());
    h.update([0]);
    h.update(&g.ntriples);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn target_key(t: &Target) -> String {
    match t {
        Target::GraphStore(u) => format!("gsp {u}"),
        Target::Update(u) => format!("update {u}"),
    }
}

type State = BTreeMap<String, BTreeMap<String, String>>;

fn read_state(path: &Path) -> Result<State, PushError> {
    match std::fs::read_to_string(path) {
        Ok(s) => serde_json::from_str(&s).map_err(|e| PushError::State {
            path: path.display().to_string(),
            message: format!("corrupt ({e}); delete it to push everything"),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::new()),
        Err(e) => Err(PushError::State {
            path: path.display().to_string(),
            message: e.to_string(),
        }),
    }
}

fn write_state(path: &Path, state: &State) -> Result<(), PushError> {
    let err = |e: std::io::Error| PushError::State {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(err)?;
    }
    let tmp = path.with_extension("json.tmp");
    let json = serde_json::to_string_pretty(state).expect("maps of strings serialize");
    std::fs::write(&tmp, json).map_err(err)?;
    std::fs::rename(&tmp, path).map_err(err)
}

/// Sends `graphs`; `log` receives one line per request (never credentials).
pub fn push(
    graphs: &[Graph],
    opts: &Options,
    mut log: impl FnMut(&str),
) -> Result<Report, PushError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(opts.timeout))
        .http_status_as_error(false)
        .build()
        .into();
    let auth = credentials();
    let key = target_key(&opts.target);
    let mut state = match &opts.state {
        Some(p) => read_state(p)?,
        None => State::new(),
    };
    let mut report = Report::default();
    for g in graphs {
        let hash = digest(g);
        if opts.state.is_some() && state.get(&key).and_then(|m| m.get(&g.iri)) == Some(&hash) {
            report.unchanged.push(g.iri.clone());
            continue;
        }
        let status = send(&agent, auth.as_deref(), g, opts, &mut log)?;
        report.sent.push((g.iri.clone(), status));
        state
            .entry(key.clone())
            .or_default()
            .insert(g.iri.clone(), hash);
        // Saved after every graph so an interrupted push resumes where it stopped.
        if let Some(p) = &opts.state {
            write_state(p, &state)?;
        }
    }
    Ok(report)
}

fn send(
    agent: &ureq::Agent,
    auth: Option<&str>,
    g: &Graph,
    opts: &Options,
    log: &mut impl FnMut(&str),
) -> Result<u16, PushError> {
    let (url, content_type, body) = match &opts.target {
        Target::GraphStore(endpoint) => {
            let sep = if endpoint.contains('?') { '&' } else { '?' };
            let query = if g.iri == DEFAULT_GRAPH {
                "default".to_string()
            } else {
                let iri: String = url::form_urlencoded::byte_serialize(g.iri.as_bytes()).collect();
                format!("graph={iri}")
            };
            (
                format!("{endpoint}{sep}{query}"),
                "application/n-triples",
                g.ntriples.clone(),
            )
        }
        Target::Update(endpoint) => (
            endpoint.clone(),
            "application/sparql-update",
            update_text(g),
        ),
    };
    let mut delay = opts.backoff;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let mut req = match opts.target {
            Target::GraphStore(_) => agent.put(&url),
            Target::Update(_) => agent.post(&url),
        }
        .header("Content-Type", content_type);
        if let Some(a) = auth {
            req = req.header("Authorization", a);
        }
        let last = attempt > opts.retries;
        match req.send(&body[..]) {
            Ok(mut resp) => {
                let status = resp.status().as_u16();
                log(&format!(
                    "{} <{}> → HTTP {status} (attempt {attempt})",
                    method(opts),
                    g.iri
                ));
                if (200..300).contains(&status) {
                    return Ok(status);
                }
                if status < 500 || last {
                    let text = resp.body_mut().read_to_string().unwrap_or_default();
                    return Err(PushError::Status {
                        graph: graph_name(&g.iri),
                        url: url.clone(),
                        status,
                        body: text.chars().take(300).collect(),
                    });
                }
            }
            Err(e) => {
                log(&format!(
                    "{} <{}> → {e} (attempt {attempt})",
                    method(opts),
                    g.iri
                ));
                if last {
                    return Err(PushError::Connection {
                        graph: graph_name(&g.iri),
                        url: url.clone(),
                        message: format!("{e} (after {attempt} attempts)"),
                    });
                }
            }
        }
        std::thread::sleep(delay);
        delay *= 2;
    }
}

/// The SPARQL 1.1 Update request that replaces graph `g`: `DROP SILENT` then `INSERT DATA`;
/// the default graph by `DEFAULT` and triples outside any `GRAPH` block (an empty IRI would be
/// resolved against the request's base and name a graph).
pub fn update_text(g: &Graph) -> Vec<u8> {
    let (head, tail): (String, &[u8]) = if g.iri == DEFAULT_GRAPH {
        ("DROP SILENT DEFAULT ;\nINSERT DATA {\n".into(), b"}\n")
    } else {
        (
            format!(
                "DROP SILENT GRAPH <{0}> ;\nINSERT DATA {{ GRAPH <{0}> {{\n",
                g.iri
            ),
            b"} }\n",
        )
    };
    let mut update = head.into_bytes();
    update.extend_from_slice(&g.ntriples);
    update.extend_from_slice(tail);
    update
}

fn method(opts: &Options) -> &'static str {
    match opts.target {
        Target::GraphStore(_) => "PUT",
        Target::Update(_) => "POST update",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;
    use std::sync::mpsc;

    /// A loopback HTTP server answering the given statuses in turn; sends each request head back.
    fn server(statuses: Vec<u16>) -> (String, mpsc::Receiver<String>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/store", listener.local_addr().unwrap());
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for status in statuses {
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
                let mut body = vec![0; len];
                reader.read_exact(&mut body).unwrap();
                tx.send(head).unwrap();
                let reply = format!(
                    "HTTP/1.1 {status} X\r\nContent-Length: 4\r\nConnection: close\r\n\r\noops"
                );
                stream.write_all(reply.as_bytes()).unwrap();
            }
        });
        (url, rx)
    }

    fn opts(url: &str) -> Options {
        Options {
            target: Target::GraphStore(url.to_string()),
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

    #[test]
    fn retries_a_server_error_then_succeeds() {
        let (url, rx) = server(vec![500, 204]);
        let mut lines = Vec::new();
        let report = push(&[graph()], &opts(&url), |l| lines.push(l.to_string())).unwrap();
        assert_eq!(report.sent, vec![(graph().iri, 204)]);
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
    fn client_error_is_not_retried_and_names_the_graph() {
        let (url, _rx) = server(vec![400]);
        let err = push(&[graph()], &opts(&url), |_| {})
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("<https://coalition.example/graph/s1>"),
            "{err}"
        );
        assert!(err.contains("HTTP 400"), "{err}");
    }

    #[test]
    fn server_down_gives_a_connection_error_after_retries() {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let url = format!("http://127.0.0.1:{port}/store");
        let err = push(&[graph()], &opts(&url), |_| {}).unwrap_err();
        assert!(matches!(err, PushError::Connection { .. }), "{err}");
        assert!(err.to_string().contains("after 3 attempts"), "{err}");
    }

    #[test]
    fn changed_only_skips_unchanged_graphs() {
        let tmp = tempfile::tempdir().unwrap();
        let (url, rx) = server(vec![201, 204]);
        let mut o = opts(&url);
        o.state = Some(tmp.path().join("push.json"));
        let r1 = push(&[graph()], &o, |_| {}).unwrap();
        assert_eq!(r1.sent.len(), 1);
        let r2 = push(&[graph()], &o, |_| {}).unwrap();
        assert_eq!((r2.sent.len(), r2.unchanged.len()), (0, 1));
        let mut changed = graph();
        changed
            .ntriples
            .extend_from_slice(b"<http://a> <http://b> <http://d> .\n");
        let r3 = push(&[changed], &o, |_| {}).unwrap();
        assert_eq!(r3.sent.len(), 1);
        assert_eq!(rx.iter().take(2).count(), 2);
    }

    #[test]
    fn update_endpoint_sends_drop_and_insert() {
        let (url, rx) = server(vec![204]);
        let mut o = opts(&url);
        o.target = Target::Update(url.clone());
        push(&[graph()], &o, |_| {}).unwrap();
        let head = rx.recv().unwrap();
        assert!(head.starts_with("POST /store "), "{head}");
        assert!(head
            .to_ascii_lowercase()
            .contains("application/sparql-update"));
    }
}
