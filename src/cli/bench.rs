//! `coalition bench-queries` (hidden, for `benches/scale.sh`): loads the graph of the facts into
//! an in-memory Oxigraph store and times each named query, printing p50 and p95 latencies.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use oxigraph::sparql::{CancellationToken, QueryEvaluationError, QueryResults, SparqlEvaluator};
use oxigraph::store::Store;

use crate::model::Model;
use crate::rdf::query;
use crate::rdf::{mapping, store, Base};

/// Time the named queries on the loaded graph (for benchmarks).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder of fact files.
    #[arg(long, default_value = "seeds")]
    pub facts: PathBuf,
    /// Folder of named queries (the built-in ones are always included).
    #[arg(long, default_value = "queries")]
    pub queries: PathBuf,
    /// Runs of each query (fewer once a query has used its budget).
    #[arg(long, default_value_t = 20)]
    pub runs: usize,
    /// Seconds after which one run of a query is cancelled (and the query reported as such).
    #[arg(long, default_value_t = 30.0)]
    pub timeout: f64,
    /// Seconds of running time after which a query is not repeated any more.
    #[arg(long, default_value_t = 10.0)]
    pub budget: f64,
    /// Base IRI of the data.
    #[arg(long, default_value = crate::rdf::ns::DEFAULT_BASE)]
    pub base: String,
    /// Time only these named queries (repeatable; default: all).
    #[arg(long = "only", value_name = "NAME")]
    pub only: Vec<String>,
    /// Also write each query's evaluation plan, with row counts and times, as JSON to
    /// `DIR/<name>.json` (Oxigraph's query explanation, from one more run).
    #[arg(long, value_name = "DIR")]
    pub explain: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let base = Base::new(&args.base)?;
    let rep = super::global::reporter();
    let checked = super::input::load_checked(&args.facts, "benchmarked", true)?;
    let model = rep.stage("model", || Model::build(checked.corpus));
    let quads = rep.stage("rdf", || mapping::quads(&model, &base))?;
    // Only the store is queried: freeing the model, then the quads, keeps the peak memory down.
    drop(model);
    let t = Instant::now();
    let store = store::load(&quads)?;
    let took = t.elapsed();
    rep.record("load", took);
    outln!("load: {} quads in {:.3} s", quads.len(), took.as_secs_f64());
    drop(quads);
    let timeout = Duration::from_secs_f64(args.timeout);
    let budget = Duration::from_secs_f64(args.budget);
    for q in query::named_queries(&args.queries)? {
        if !args.only.is_empty() && !args.only.contains(&q.name) {
            continue;
        }
        if let Some(dir) = &args.explain {
            let path = dir.join(format!("{}.plan.json", q.name));
            explain(&store, &q.text, &base, &path, false)?;
        }
        let mut times = Vec::with_capacity(args.runs);
        let mut rows = 0;
        while times.len() < args.runs.max(1) && times.iter().sum::<Duration>() < budget {
            let t = Instant::now();
            match timed_run(&store, &q.text, &base, timeout)? {
                Some(n) => rows = n,
                None => break,
            }
            times.push(t.elapsed());
        }
        if times.is_empty() {
            outln!("query {}: cancelled after {:.1} s", q.name, args.timeout);
            continue;
        }
        times.sort();
        outln!(
            "query {}: p50 {:.3} ms, p95 {:.3} ms, {rows} results, {} runs",
            q.name,
            ms(percentile(&times, 50)),
            ms(percentile(&times, 95)),
            times.len(),
        );
        if let Some(dir) = &args.explain {
            explain(
                &store,
                &q.text,
                &base,
                &dir.join(format!("{}.json", q.name)),
                true,
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes Oxigraph's explanation of the plan of `text` to `path`; with `statistics`, after one
/// more run, with each step's row count and time.
fn explain(
    store: &Store,
    text: &str,
    base: &Base,
    path: &std::path::Path,
    statistics: bool,
) -> anyhow::Result<()> {
    let mut evaluator = SparqlEvaluator::new();
    for (name, iri) in query::all_prefixes(base) {
        evaluator = evaluator.with_prefix(name, iri)?;
    }
    let mut prepared = evaluator.parse_query(text)?;
    prepared.dataset_mut().set_default_graph_as_union();
    let prepared = prepared.on_store(store);
    let (results, explanation) = if statistics {
        let (results, explanation) = prepared.compute_statistics().explain();
        consume(results?)?;
        (None, explanation)
    } else {
        let (results, explanation) = prepared.explain();
        (Some(results), explanation)
    };
    drop(results);
    let mut json = Vec::new();
    explanation.write_in_json(&mut json)?;
    std::fs::write(path, json)?;
    Ok(())
}

/// Runs `text` once over the union of the graphs, reading every result; `None` when it was
/// cancelled after `timeout`.
fn timed_run(
    store: &Store,
    text: &str,
    base: &Base,
    timeout: Duration,
) -> anyhow::Result<Option<usize>> {
    let token = CancellationToken::new();
    let evaluator = SparqlEvaluator::new().with_cancellation_token(token.clone());
    let parsed = query::parser(Some(base))?.parse_query(text)?;
    let prepared =
        query::Prepared::new(evaluator, parsed).with_dataset(|d| d.set_default_graph_as_union());
    let (done, wait) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if wait.recv_timeout(timeout).is_err() {
            token.cancel();
        }
    });
    let result = prepared
        .execute(store)
        .map_err(anyhow::Error::from)
        .and_then(consume);
    let _ = done.send(());
    let _ = watchdog.join();
    match result {
        Ok(n) => Ok(Some(n)),
        Err(e) if is_cancelled(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

fn is_cancelled(e: &anyhow::Error) -> bool {
    matches!(
        e.downcast_ref::<QueryEvaluationError>(),
        Some(QueryEvaluationError::Cancelled)
    )
}

/// Reads every result, so that lazy evaluation is timed in full.
fn consume(results: QueryResults<'_>) -> anyhow::Result<usize> {
    Ok(match results {
        QueryResults::Solutions(s) => {
            let mut n = 0;
            for row in s {
                row?;
                n += 1;
            }
            n
        }
        QueryResults::Graph(g) => {
            let mut n = 0;
            for t in g {
                t?;
                n += 1;
            }
            n
        }
        QueryResults::Boolean(_) => 1,
    })
}

/// The nearest-rank percentile of sorted `times`.
fn percentile(times: &[Duration], p: usize) -> Duration {
    let rank = (p * times.len()).div_ceil(100).max(1);
    times[rank.min(times.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
