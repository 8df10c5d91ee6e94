//! Pushes named graphs to any SPARQL 1.1 store, with the Graph Store HTTP Protocol
//! (<https://www.w3.org/TR/sparql11-http-rdf-update/>: one `PUT ?graph=IRI` per source graph,
//! so re-pushing replaces and is idempotent) or with SPARQL 1.1 Update
//! (<https://www.w3.org/TR/sparql11-update/>: `DROP SILENT GRAPH` + `INSERT DATA`), then checks
//! through the store's query endpoint that every graph holds what was sent.
//!
//! Credentials come from the environment only (`COALITION_PUSH_TOKEN`, or `COALITION_PUSH_USER`
//! and `COALITION_PUSH_PASSWORD`), never from the command line, and are never logged.

mod error;
mod http;
mod state;
mod verify;

use std::path::PathBuf;
use std::time::Duration;

use base64::Engine;

pub use error::PushError;
pub use verify::query_endpoint;

/// Stands for the default graph in [`Graph::iri`] (sent with `?default` / `DEFAULT`).
pub const DEFAULT_GRAPH: &str = "";

/// `<IRI>`, or `the default graph`.
pub fn graph_name(iri: &str) -> String {
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
    /// Its triples in N-Triples, one per line.
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
    /// SPARQL query endpoint used to check what landed; `None` skips the check.
    pub query_endpoint: Option<String>,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Retries after the first attempt, on connection errors and transient statuses.
    pub retries: u32,
    /// First backoff delay; doubles after each retry.
    pub backoff: Duration,
    /// When set, only graphs whose content changed since the last push recorded here are sent.
    pub state: Option<PathBuf>,
}

/// What happened to one graph.
#[derive(Debug)]
pub enum Outcome {
    /// Sent: the final HTTP status and the attempts it took.
    Sent(u16, u32),
    /// Skipped because unchanged since the last push (`--changed-only`).
    Unchanged,
    /// Not stored: the error names the graph and carries the store's whole message.
    Failed(PushError),
}

/// One graph's line of the summary.
#[derive(Debug)]
pub struct GraphReport {
    /// The graph IRI ([`DEFAULT_GRAPH`] for the default graph).
    pub iri: String,
    /// Distinct triples sent.
    pub triples: usize,
    /// What the push did.
    pub outcome: Outcome,
    /// Triples the store holds afterwards, when checked.
    pub found: Option<u64>,
}

impl GraphReport {
    /// Whether the store was checked and does not hold what was sent.
    pub fn mismatch(&self) -> Option<PushError> {
        let found = self.found?;
        (!verify::holds(&self.iri, self.triples, found)).then(|| PushError::Mismatch {
            graph: graph_name(&self.iri),
            sent: self.triples,
            found,
        })
    }
}

/// What a push did, one entry per graph, in the order given.
#[derive(Debug, Default)]
pub struct Report {
    /// Every graph.
    pub graphs: Vec<GraphReport>,
    /// The check of what landed could not run.
    pub verify_error: Option<PushError>,
}

impl Report {
    /// Whether every graph landed as sent.
    pub fn ok(&self) -> bool {
        self.verify_error.is_none()
            && self
                .graphs
                .iter()
                .all(|g| !matches!(g.outcome, Outcome::Failed(_)) && g.mismatch().is_none())
    }
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

/// Sends every graph (a failed one does not stop the others), then counts what landed;
/// `log` receives one line per request (never credentials). Errs only on the state file.
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
    let key = state::target_key(&opts.target);
    let mut saved = match &opts.state {
        Some(p) => state::read(p)?,
        None => state::State::new(),
    };
    let mut report = Report::default();
    for g in graphs {
        let hash = state::digest(g);
        let unchanged = saved.get(&key).and_then(|m| m.get(&g.iri)) == Some(&hash);
        let outcome = if opts.state.is_some() && unchanged {
            Outcome::Unchanged
        } else {
            match http::send(&agent, auth.as_deref(), g, opts, &mut log) {
                Ok((status, attempts)) => Outcome::Sent(status, attempts),
                Err(e) => Outcome::Failed(e),
            }
        };
        if let (Outcome::Sent(..), Some(p)) = (&outcome, &opts.state) {
            saved
                .entry(key.clone())
                .or_default()
                .insert(g.iri.clone(), hash);
            // Saved after every graph so an interrupted push resumes where it stopped.
            state::write(p, &saved)?;
        }
        report.graphs.push(GraphReport {
            iri: g.iri.clone(),
            triples: verify::distinct_triples(&g.ntriples),
            outcome,
            found: None,
        });
    }
    if let Some(endpoint) = &opts.query_endpoint {
        check(&agent, auth.as_deref(), endpoint, &mut report);
    }
    Ok(report)
}

fn check(agent: &ureq::Agent, auth: Option<&str>, endpoint: &str, report: &mut Report) {
    match verify::counts(agent, auth, endpoint) {
        Ok(counts) => {
            for g in &mut report.graphs {
                if !matches!(g.outcome, Outcome::Failed(_)) {
                    g.found = Some(counts.get(&g.iri).copied().unwrap_or(0));
                }
            }
        }
        Err(e) => report.verify_error = Some(e),
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

/// One SPARQL 1.1 Update request replacing every graph (operations joined by `;`): what
/// `--update-endpoint` sends, graph by graph, as a single text for offline tools
/// (`tdb2.tdbupdate`, `update`).
pub fn update_script(graphs: &[Graph]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, g) in graphs.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b";\n");
        }
        out.extend_from_slice(&update_text(g));
    }
    out
}

#[cfg(test)]
mod tests;
