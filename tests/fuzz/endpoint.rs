//! Fuzz target 2: the SPARQL endpoint and the explorer, in-process through the public router
//! (as `tests/serve.rs` drives it): random methods, paths, query strings, headers and bodies.
//! Every request must be answered, within the limit, with no panic and no 500 (the one
//! documented exception: oxigraph's ORDER BY over mixed terms, issue 19 item 8, fixed on the
//! serve side).

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use tower::ServiceExt;

use super::{keep, kept, name, Budget, Rng, Tally};
use crate::serve::{app_with, limits};

/// Longest a request may take to be answered: the query timeout (10 s) and some slack.
const LIMIT: Duration = Duration::from_secs(20);

const METHODS: &[&str] = &[
    "GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH", "BREW",
];

const PATHS: &[&str] = &[
    "/",
    "/sparql",
    "/search",
    "/query/who-signed",
    "/query/nope",
    "/entity/eff",
    "/entity/",
    "/source/afp-2018-05-rekognition-letter",
    "/source/x",
    "/assets/explorer.js",
    "/assets/..%2f",
    "/../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "//",
    "/sparql/",
    "/entity/%00",
];

const QUERIES: &[&str] = &[
    "SELECT * WHERE { ?s ?p ?o } LIMIT 5",
    "ASK { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3",
    "DESCRIBE <http://127.0.0.1:7878/entity/eff>",
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT ?x WHERE { ?x ?p ?o FILTER(REGEX(STR(?x), \"a+\")) } LIMIT 2",
    "PREFIX x: <http://e/> SELECT * WHERE { ?s x:p+ ?o } LIMIT 1",
    "INSERT DATA { <a:a> <a:b> <a:c> }",
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { VALUES ?x { 1 \"a\" <a:b> } } ORDER BY ?x",
];

const ACCEPTS: &[&str] = &[
    "*/*",
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "text/turtle",
    "application/n-triples",
    "text/html",
    "image/png",
    "application/json;q=0",
    ";;;",
    "text/*;q=abc",
];

const TYPES: &[&str] = &[
    "application/sparql-query",
    "application/x-www-form-urlencoded",
    "text/plain",
    "application/sparql-update",
    "multipart/form-data; boundary=x",
    "application/json",
    "",
];

/// Percent-encodes `s` for a query string, except now and then (raw bytes are hostile too).
fn enc(rng: &mut Rng, s: &[u8]) -> String {
    if rng.chance(10) {
        return String::from_utf8_lossy(s).replace([' ', '#'], "+");
    }
    s.iter()
        .map(|&b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A query: a known one, cut, flipped or spliced.
fn query(rng: &mut Rng) -> Vec<u8> {
    let mut q = rng.pick(QUERIES).as_bytes().to_vec();
    for _ in 0..rng.below(4) {
        let at = rng.below(q.len() + 1);
        match rng.below(4) {
            0 => q.truncate(at),
            1 if at < q.len() => q[at] = rng.next() as u8,
            2 => {
                let other = rng.pick(QUERIES).as_bytes().to_vec();
                q.splice(at..at, other);
            }
            _ => {
                let n = 1 + rng.below(7);
                let junk: Vec<u8> = b"{{{((\"\\".iter().copied().take(n).collect();
                q.splice(at..at, junk);
            }
        }
    }
    q
}

/// One request, as kept in `tests/fixtures/hostile/fuzz/endpoint-*.txt`: the first line is
/// `METHOD URI`, then `header: value` lines, a blank line, and the body.
struct Case {
    method: String,
    uri: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Case {
    fn random(rng: &mut Rng) -> Case {
        let q = query(rng);
        let mut params = Vec::new();
        if rng.chance(2) {
            params.push(format!("query={}", enc(rng, &q)));
        }
        if rng.chance(4) {
            let f = rng.pick(&["json", "xml", "csv", "tsv", "html", "<script>", "%00", ""]);
            params.push(format!("format={f}"));
        }
        if rng.chance(6) {
            let junk: Vec<u8> = (0..rng.below(64)).map(|_| rng.next() as u8).collect();
            params.push(enc(rng, &junk));
        }
        let mut uri = rng.pick(PATHS).to_string();
        if !params.is_empty() {
            uri = format!("{uri}?{}", params.join("&"));
        }
        let mut headers = Vec::new();
        if rng.chance(2) {
            headers.push(("accept".into(), rng.pick(ACCEPTS).to_string()));
        }
        let ty = *rng.pick(TYPES);
        if !ty.is_empty() {
            headers.push(("content-type".into(), ty.to_string()));
        }
        if rng.chance(8) {
            headers.push(("origin".into(), "http://evil.example".into()));
        }
        let body = match rng.below(4) {
            0 => Vec::new(),
            1 => q,
            2 => format!("query={}", enc(rng, &q)).into_bytes(),
            _ => (0..rng.below(4096)).map(|_| rng.next() as u8).collect(),
        };
        Case {
            method: rng.pick(METHODS).to_string(),
            uri,
            headers,
            body,
        }
    }

    fn parse(bytes: &[u8]) -> Case {
        let split = bytes
            .windows(2)
            .position(|w| w == b"\n\n")
            .unwrap_or(bytes.len());
        let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
        let mut lines = head.lines();
        let (method, uri) = lines
            .next()
            .unwrap_or("GET /")
            .split_once(' ')
            .unwrap_or(("GET", "/"));
        Case {
            method: method.into(),
            uri: uri.into(),
            headers: lines
                .filter_map(|l| l.split_once(": "))
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
            body: bytes.get(split + 2..).unwrap_or_default().to_vec(),
        }
    }

    fn bytes(&self) -> Vec<u8> {
        let mut s = format!("{} {}\n", self.method, self.uri);
        for (k, v) in &self.headers {
            s.push_str(&format!("{k}: {v}\n"));
        }
        s.push('\n');
        let mut b = s.into_bytes();
        b.extend(&self.body);
        b
    }

    fn line(&self) -> String {
        let body: String = String::from_utf8_lossy(&self.body)
            .chars()
            .take(120)
            .collect();
        format!(
            "{} {} {:?} body={body:?}",
            self.method, self.uri, self.headers
        )
    }

    fn request(&self) -> Request<Body> {
        let mut b = Request::builder()
            .method(self.method.as_str())
            .uri(self.uri.as_str());
        for (k, v) in &self.headers {
            b = b.header(k.as_str(), v.as_str());
        }
        // The builder refuses some URIs; a plain GET of the home page stands in for them.
        b.body(Body::from(self.body.clone()))
            .unwrap_or_else(|_| Request::get("/").body(Body::empty()).unwrap())
    }
}

/// Sends a request; `Err` says what went wrong.
async fn answer(app: &axum::Router, req: Request<Body>, line: &str) -> Result<Duration, String> {
    let started = Instant::now();
    let res = tokio::time::timeout(LIMIT, app.clone().oneshot(req)).await;
    let res = match res {
        Err(_) => return Err(format!("no answer within {LIMIT:?}")),
        Ok(Err(e)) => return Err(format!("router error {e}")),
        Ok(Ok(r)) => r,
    };
    let status = res.status().as_u16();
    let body = tokio::time::timeout(LIMIT, axum::body::to_bytes(res.into_body(), 64 << 20)).await;
    if !matches!(body, Ok(Ok(_))) {
        return Err("body not readable in time".into());
    }
    let documented = line.to_ascii_uppercase().contains("ORDER");
    if status >= 500 && status != 503 && !documented {
        return Err(format!("status {status}"));
    }
    Ok(started.elapsed())
}

#[test]
fn fuzz_endpoint() {
    let budget = Budget::from_env(150);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut tally = Tally::default();
    rt.block_on(async {
        let app = app_with("seeds", limits());
        for p in kept("endpoint") {
            let case = Case::parse(&std::fs::read(&p).unwrap());
            match answer(&app, case.request(), &case.line()).await {
                Ok(t) => tally.record(&name(&p), t),
                Err(e) => tally.failures.push(format!("{}: {e}", name(&p))),
            }
        }
        let mut rng = Rng::new(budget.seed);
        let since = Instant::now();
        let mut n = 0;
        while budget.more(n, since) && tally.failures.len() < 5 {
            n += 1;
            let case = Case::random(&mut rng);
            match answer(&app, case.request(), &case.line()).await {
                Ok(t) => tally.record(&case.line(), t),
                Err(e) => {
                    if budget.save {
                        keep("endpoint", "txt", &case.bytes());
                    }
                    tally.failures.push(format!("{e}: {}", case.line()));
                }
            }
        }
    });
    tally.finish("endpoint");
}
