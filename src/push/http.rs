//! One graph's request (Graph Store Protocol `PUT`, or SPARQL Update `POST`), with retries where a
//! retry can help, and the store's answer reduced to a readable message.

use super::{graph_name, update_text, Graph, Options, PushError, Target, DEFAULT_GRAPH};

/// A request ready to send.
struct Request {
    put: bool,
    url: String,
    content_type: &'static str,
    body: Vec<u8>,
}

fn request(g: &Graph, target: &Target) -> Request {
    match target {
        Target::GraphStore(endpoint) => {
            let sep = if endpoint.contains('?') { '&' } else { '?' };
            let query = if g.iri == DEFAULT_GRAPH {
                "default".to_string()
            } else {
                let iri: String = url::form_urlencoded::byte_serialize(g.iri.as_bytes()).collect();
                format!("graph={iri}")
            };
            Request {
                put: true,
                url: format!("{endpoint}{sep}{query}"),
                content_type: "application/n-triples",
                body: g.ntriples.clone(),
            }
        }
        Target::Update(endpoint) => Request {
            put: false,
            url: endpoint.clone(),
            content_type: "application/sparql-update",
            body: update_text(g),
        },
    }
}

/// What one attempt gave.
enum Attempt {
    Done(u16),
    /// Worth another try (transient status or connection error), with the error if it is the last.
    Again(PushError),
    Fail(PushError),
}

/// Statuses a retry can cure: timeouts, rate limits, gateways and overload. A 500 is not among
/// them: stores answer it for deterministic errors (Virtuoso's "not configured to have default
/// graph"), which come back identical on every try.
pub(super) fn transient(status: u16) -> bool {
    matches!(status, 408 | 429 | 502 | 503 | 504)
}

/// Sends `g`, retrying transient failures; returns the final status and the attempts made.
pub(super) fn send(
    agent: &ureq::Agent,
    auth: Option<&str>,
    g: &Graph,
    opts: &Options,
    log: &mut impl FnMut(&str),
) -> Result<(u16, u32), PushError> {
    let req = request(g, &opts.target);
    let mut delay = opts.backoff;
    let mut attempt = 0;
    loop {
        attempt += 1;
        match once(agent, auth, g, &req) {
            Attempt::Done(status) => {
                log(&format!(
                    "{} <{}> → HTTP {status} (attempt {attempt})",
                    verb(&req),
                    g.iri
                ));
                return Ok((status, attempt));
            }
            Attempt::Fail(e) => {
                log(&format!(
                    "{} <{}> → {e} (attempt {attempt})",
                    verb(&req),
                    g.iri
                ));
                return Err(e);
            }
            Attempt::Again(e) => {
                log(&format!(
                    "{} <{}> → {e} (attempt {attempt})",
                    verb(&req),
                    g.iri
                ));
                if attempt > opts.retries {
                    return Err(match e {
                        PushError::Connection {
                            graph,
                            url,
                            message,
                        } => PushError::Connection {
                            graph,
                            url,
                            message: format!("{message} (after {attempt} attempts)"),
                        },
                        e => e,
                    });
                }
            }
        }
        std::thread::sleep(delay);
        delay *= 2;
    }
}

fn verb(req: &Request) -> &'static str {
    if req.put {
        "PUT"
    } else {
        "POST update"
    }
}

fn once(agent: &ureq::Agent, auth: Option<&str>, g: &Graph, req: &Request) -> Attempt {
    let mut r = if req.put {
        agent.put(&req.url)
    } else {
        agent.post(&req.url)
    }
    .header("Content-Type", req.content_type)
    // A store may answer an error before reading the whole body (Virtuoso's 500 on `?default`):
    // the rest of that body, read as the next request on a reused connection, gets a 501.
    .header("Connection", "close");
    if let Some(a) = auth {
        r = r.header("Authorization", a);
    }
    match r.send(&req.body[..]) {
        Ok(mut resp) => {
            let status = resp.status().as_u16();
            if (200..300).contains(&status) {
                return Attempt::Done(status);
            }
            let html = resp
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("html"));
            let body = resp
                .body_mut()
                .with_config()
                .limit(16 << 20)
                .read_to_string()
                .unwrap_or_default();
            let e = PushError::Status {
                graph: graph_name(&g.iri),
                url: req.url.clone(),
                status,
                body: message(&body, html),
            };
            if transient(status) {
                Attempt::Again(e)
            } else {
                Attempt::Fail(e)
            }
        }
        Err(e) => Attempt::Again(PushError::Connection {
            graph: graph_name(&g.iri),
            url: req.url.clone(),
            message: e.to_string(),
        }),
    }
}

/// The store's whole message: HTML error pages (Virtuoso's) reduced to their text lines.
pub(super) fn message(body: &str, html: bool) -> String {
    let text = if html {
        let mut out = String::new();
        let mut in_tag = false;
        for c in body.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => {
                    in_tag = false;
                    out.push('\n');
                }
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out
    } else {
        body.to_string()
    };
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n")
}
