//! `coalition push`: sends the graph to a SPARQL 1.1 store, one graph per source (plus the entity
//! registry), with the Graph Store Protocol or SPARQL Update, then checks what landed.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use oxigraph::model::GraphNameRef;

use super::input::Input;
use crate::push::{self, graph_name, Graph, Options, Outcome, Report, Target, DEFAULT_GRAPH};
use crate::rdf::{mapping, Base};

/// Push the graph to a SPARQL 1.1 store (Graph Store Protocol, or SPARQL Update).
///
/// Credentials are read from COALITION_PUSH_TOKEN (bearer) or COALITION_PUSH_USER and
/// COALITION_PUSH_PASSWORD (basic), never from the command line.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("target").args(["endpoint", "update_endpoint"])))]
pub struct Args {
    #[command(flatten)]
    pub input: Input,
    /// Graph Store Protocol endpoint, e.g. http://127.0.0.1:7878/store (one PUT per graph).
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// SPARQL Update endpoint, used instead of the Graph Store Protocol.
    #[arg(long, value_name = "URL")]
    pub update_endpoint: Option<String>,
    /// SPARQL query endpoint that checks what landed (derived from the push endpoint when it
    /// ends in store, update, data, sparql-graph-crud, sparql, statements or rdf-graphs/service).
    #[arg(long, value_name = "URL")]
    pub query_endpoint: Option<String>,
    /// Do not count the triples of each graph on the store after the push.
    #[arg(long, conflicts_with = "query_endpoint")]
    pub no_verify: bool,
    /// Where the entity registry goes: the store's default graph, the named graph
    /// BASE`registry`, or both (then the named queries answer whether or not the store's
    /// default graph is the union of its named graphs).
    #[arg(long, value_enum, default_value_t = Registry::Both)]
    pub registry: Registry,
    /// Print what would be sent, send nothing: the SPARQL Update text (without --endpoint), or
    /// one line per Graph Store request.
    #[arg(long)]
    pub dry_run: bool,
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
    /// Retries on connection errors and transient answers (408, 429, 502, 503, 504), with
    /// exponential backoff; other errors are reported at once.
    #[arg(long, default_value_t = 3)]
    pub retries: u32,
}

/// Where the entity registry is pushed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Registry {
    /// The store's default graph (stores whose default graph is its own graph).
    Default,
    /// The named graph BASE`registry` (stores whose default graph is the union of all graphs:
    /// Virtuoso, Jena with unionDefaultGraph, oxigraph serve --union-default-graph).
    Named,
    /// Both.
    Both,
}

/// The graphs to send, sorted: the registry (where `registry` says) and one per source.
fn graphs(quads: &[oxigraph::model::Quad], base: &str, registry: Registry) -> Vec<Graph> {
    let registry_iri = format!("{base}registry");
    let mut graphs: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for q in quads {
        let line = format!("{} {} {} .\n", q.subject, q.predicate, q.object);
        let names: Vec<&str> = match q.graph_name.as_ref() {
            GraphNameRef::NamedNode(n) => vec![n.as_str()],
            _ => match registry {
                Registry::Default => vec![DEFAULT_GRAPH],
                Registry::Named => vec![&registry_iri],
                Registry::Both => vec![DEFAULT_GRAPH, &registry_iri],
            },
        };
        for name in names {
            graphs
                .entry(name.to_string())
                .or_default()
                .extend_from_slice(line.as_bytes());
        }
    }
    graphs
        .into_iter()
        .map(|(iri, ntriples)| Graph { iri, ntriples })
        .collect()
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let target = match (&args.endpoint, &args.update_endpoint) {
        (_, Some(u)) => Some(Target::Update(u.clone())),
        (Some(e), None) => Some(Target::GraphStore(e.clone())),
        (None, None) => None,
    };
    let query_endpoint = match (&target, &args.query_endpoint) {
        (_, Some(q)) => Some(q.clone()),
        _ if args.no_verify || args.dry_run => None,
        (Some(t), None) => match push::query_endpoint(t) {
            Some(q) => Some(q),
            None => return usage("cannot derive the query endpoint that checks what landed from the push endpoint: pass --query-endpoint URL, or --no-verify"),
        },
        (None, None) => None,
    };
    if target.is_none() && !args.dry_run {
        return usage("push needs --endpoint URL or --update-endpoint URL (or --dry-run)");
    }
    let model = args.input.model()?;
    let base = Base::new(&args.base)?;
    let quads = mapping::quads(&model, &base)?;
    let graphs = graphs(&quads, base.as_str(), args.registry);
    let Some(target) = target.filter(|_| !args.dry_run) else {
        return dry_run(&graphs, args.endpoint.as_deref());
    };
    let opts = Options {
        target,
        query_endpoint,
        timeout: Duration::from_secs(args.timeout),
        retries: args.retries,
        backoff: Duration::from_millis(500),
        state: args.changed_only.then_some(args.state),
    };
    let rep = super::global::reporter();
    let report = push::push(&graphs, &opts, |line| rep.detail(line))?;
    summarize(&report, &rep);
    Ok(if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(super::EXIT_USAGE)
    })
}

fn usage(message: &str) -> anyhow::Result<ExitCode> {
    eprintln!("error: {message}");
    Ok(ExitCode::from(super::EXIT_USAGE))
}

fn dry_run(graphs: &[Graph], endpoint: Option<&str>) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match endpoint {
        None => out.write_all(&push::update_script(graphs))?,
        Some(e) => {
            for g in graphs {
                let lines = g.ntriples.split(|b| *b == b'\n').filter(|l| !l.is_empty());
                writeln!(
                    out,
                    "PUT {e} {}: {} triples",
                    graph_name(&g.iri),
                    lines.count()
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One line per graph (errors always, the rest unless quiet), then the totals.
fn summarize(report: &Report, rep: &crate::progress::Reporter) {
    let (mut sent, mut unchanged, mut failed) = (0, 0, 0);
    for g in &report.graphs {
        let name = graph_name(&g.iri);
        let found = match (g.found, g.mismatch()) {
            (_, Some(e)) => {
                eprintln!("error: {e}");
                failed += 1;
                continue;
            }
            (Some(n), None) => format!(", {n} on the store"),
            (None, None) => String::new(),
        };
        match &g.outcome {
            Outcome::Sent(status, attempts) => {
                sent += 1;
                let tries = if *attempts > 1 {
                    format!(" after {attempts} attempts")
                } else {
                    String::new()
                };
                rep.say(format!(
                    "{name}: sent {} triples (HTTP {status}{tries}){found}",
                    g.triples
                ));
            }
            Outcome::Unchanged => {
                unchanged += 1;
                rep.say(format!("{name}: unchanged, not sent{found}"));
            }
            Outcome::Failed(e) => {
                failed += 1;
                eprintln!("error: {e}");
            }
        }
    }
    if let Some(e) = &report.verify_error {
        eprintln!("error: {e}");
    }
    let s = if sent == 1 { "" } else { "s" };
    let summary = format!("pushed {sent} graph{s}, {unchanged} unchanged, {failed} failed");
    if failed > 0 {
        eprintln!("{summary}");
    } else {
        rep.say(summary);
    }
}
