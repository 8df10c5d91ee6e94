//! `coalition serve`: the SPARQL 1.1 Protocol (in-process, through the router), the explorer
//! pages, the real binary on a loopback port (Python's SPARQLWrapper as a third-party client,
//! `--watch`), and a headless Chromium driven over WebDriver.

mod answers;
mod browser;
mod client;
mod describe;
mod hostile;
mod pages;
mod protocol;
mod security;
mod slowloris;
mod sparql_text;
mod w3c_protocol;
mod watch;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, Response};
use coalition::serve::{self, state, Limits, Shared};
use tower::ServiceExt;

use crate::util::root;

/// Limits generous enough for the seed.
pub fn limits() -> Limits {
    Limits {
        timeout: Duration::from_secs(10),
        max_results: 10_000,
        max_body: 1 << 20,
    }
}

/// The router over the facts in `facts` (relative to the project root), with these limits.
pub fn app_with(facts: &str, limits: Limits) -> axum::Router {
    serve::router(state_with(facts, limits))
}

/// The server's state over the facts in `facts` (relative to the project root), with these
/// limits and the built-in named queries.
pub fn state_with(facts: &str, limits: Limits) -> serve::AppState {
    let base = "http://127.0.0.1:7878/";
    let snap = state::load(&root().join(facts), Path::new("/nonexistent"), base)
        .unwrap_or_else(|e| panic!("{e}"));
    Arc::new(Shared::new(base.into(), limits, snap, None))
}

/// Sends one request to the router and returns (status, content type, body).
pub async fn send(app: axum::Router, req: Request<Body>) -> (u16, String, String) {
    let res: Response<Body> = app.oneshot(req).await.expect("the router answers");
    let status = res.status().as_u16();
    let ty = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, ty, String::from_utf8_lossy(&bytes).into_owned())
}

/// A GET request with optional `Accept`.
pub fn get(uri: &str, accept: Option<&str>) -> Request<Body> {
    let mut b = Request::get(uri);
    if let Some(a) = accept {
        b = b.header("accept", a);
    }
    b.body(Body::empty()).unwrap()
}

/// Percent-encodes a form value.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The four signatories the seed names.
pub const SIGNATORIES: [&str; 4] = [
    "Black Lives Matter",
    "Electronic Frontier Foundation",
    "Freedom of the Press Foundation",
    "Human Rights Watch",
];

/// The project's "who signed" question (`queries/who-signed.rq`).
pub const WHO_SIGNED: &str = include_str!("../queries/who-signed.rq");

/// The real binary serving on a free loopback port; killed on drop.
pub struct Server {
    /// The server process.
    pub child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its stderr so far (request log, reload messages).
    pub log: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `coalition serve --bind 127.0.0.1:0 ARGS…` in `dir` and waits for it to listen.
    pub fn start(dir: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_coalition"))
            .current_dir(dir)
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(args)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("listening on http://") {
                    let addr = rest.split('/').next().unwrap_or_default().to_string();
                    let _ = tx.send(addr);
                }
                let mut l = sink.lock().unwrap();
                l.push_str(&line);
                l.push('\n');
            }
        });
        let addr = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(a) => a.parse().expect("a socket address"),
            Err(_) => {
                let _ = child.kill();
                panic!("the server did not start:\n{}", log.lock().unwrap());
            }
        };
        Server { child, addr, log }
    }

    /// The server's base URL, ending with `/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// One HTTP/1.1 request over a fresh connection: (status, headers, body).
    pub fn request(&self, raw_path: &str, headers: &[(&str, &str)]) -> (u16, String, String) {
        http(self.addr, "GET", raw_path, headers, b"")
    }

    /// Waits until `pred` holds for the log, or panics after `secs`.
    pub fn wait_log(&self, secs: u64, pred: impl Fn(&str) -> bool) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(secs) {
            if pred(&self.log.lock().unwrap()) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("timed out; log:\n{}", self.log.lock().unwrap());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A minimal HTTP/1.1 client (no dependency): sends the request as written, so paths reach the
/// server unnormalised. Returns (status, raw headers, body).
pub fn http(
    addr: SocketAddr,
    method: &str,
    raw_path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).expect("connects");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut req = format!("{method} {raw_path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    s.write_all(req.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(rest)
    } else {
        rest.to_string()
    };
    (status, head.to_string(), body)
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}
