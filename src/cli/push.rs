//! `coalition push`: sends the graph to a SPARQL 1.1 store, one graph per source (plus the entity
//! registry in the default graph), with the Graph Store Protocol or SPARQL Update.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use oxigraph::model::GraphNameRef;

use super::input::Input;
use crate::push::{self, Graph, Options, Target, DEFAULT_GRAPH};
use crate::rdf::{mapping, Base};

/// Push the graph to a SPARQL 1.1 store (Graph Store Protocol, or SPARQL Update).
///
/// Credentials are read from COALITION_PUSH_TOKEN (bearer) or COALITION_PUSH_USER and
/// COALITION_PUSH_PASSWORD (basic), never from the command line.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["endpoint", "update_endpoint"])))]
pub struct Args {
    #[command(flatten)]
    pub input: Input,
    /// Graph Store Protocol endpoint, e.g. http://127.0.0.1:7878/store (one PUT per graph).
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// SPARQL Update endpoint, used instead of the Graph Store Protocol.
    #[arg(long, value_name = "URL")]
    pub update_endpoint: Option<String>,
    /// Base IRI of the pushed resources (ends in `/` or `#`).
    #[arg(long, default_value = crate::rdf::ns::DEFAULT_BASE)]
    pub base: String,
    /// Send only the graphs that changed since the last push to the same endpoint.
    #[arg(long)]
    pub changed_only: bool,
    /// Where `--changed-only` remembers what was pushed.
    #[arg(long, default_value = ".coalition-cache/push-state.json")]
    pub state: PathBuf,
    /// Seconds before a request is abandoned.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
    /// Retries on 5xx answers and connection errors (with exponential backoff).
    #[arg(long, default_value_t = 3)]
    pub retries: u32,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let model = match args.input.model()? {
        Ok(m) => m,
        Err(code) => return Ok(code),
    };
    let quads = mapping::quads(&model, &Base::new(&args.base)?)?;
    let mut graphs: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for q in &quads {
        let name = match q.graph_name.as_ref() {
            GraphNameRef::NamedNode(n) => n.as_str().to_string(),
            _ => DEFAULT_GRAPH.to_string(),
        };
        let line = format!("{} {} {} .\n", q.subject, q.predicate, q.object);
        graphs
            .entry(name)
            .or_default()
            .extend_from_slice(line.as_bytes());
    }
    let graphs: Vec<Graph> = graphs
        .into_iter()
        .map(|(iri, ntriples)| Graph { iri, ntriples })
        .collect();
    let target = match (args.endpoint, args.update_endpoint) {
        (_, Some(u)) => Target::Update(u),
        (Some(e), None) => Target::GraphStore(e),
        (None, None) => unreachable!("clap requires one of them"),
    };
    let opts = Options {
        target,
        timeout: Duration::from_secs(args.timeout),
        retries: args.retries,
        backoff: Duration::from_millis(500),
        state: args.changed_only.then_some(args.state),
    };
    let report = push::push(&graphs, &opts, |line| eprintln!("{line}"))?;
    eprintln!(
        "pushed {} graph{}, {} unchanged",
        report.sent.len(),
        if report.sent.len() == 1 { "" } else { "s" },
        report.unchanged.len()
    );
    Ok(ExitCode::SUCCESS)
}
