//! `coalition bench-queries` (hidden, for `benches/scale.sh`): loads the graph of the facts into
//! an in-memory Oxigraph store and times each named query, printing p50 and p95 latencies.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use oxigraph::sparql::QueryResults;

use crate::rdf::query::{self, DefaultGraph};
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
    /// Runs of each query.
    #[arg(long, default_value_t = 20)]
    pub runs: usize,
    /// Base IRI of the data.
    #[arg(long, default_value = crate::rdf::ns::DEFAULT_BASE)]
    pub base: String,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let base = Base::new(&args.base)?;
    let rep = super::global::reporter();
    let model = match super::build::checked_model(&args.facts, "benchmarked")? {
        Ok((m, _)) => m,
        Err(code) => return Ok(code),
    };
    let quads = rep.stage("rdf", || mapping::quads(&model, &base))?;
    let t = Instant::now();
    let store = store::load(&quads)?;
    let took = t.elapsed();
    rep.record("load", took);
    println!("load: {} quads in {:.3} s", quads.len(), took.as_secs_f64());
    for q in query::named_queries(&args.queries)? {
        let mut times = Vec::with_capacity(args.runs);
        let mut rows = 0;
        for _ in 0..args.runs.max(1) {
            let t = Instant::now();
            rows = consume(query::execute(
                &store,
                &q.text,
                DefaultGraph::Union,
                Some(&base),
            )?)?;
            times.push(t.elapsed());
        }
        times.sort();
        println!(
            "query {}: p50 {:.3} ms, p95 {:.3} ms, {rows} results",
            q.name,
            ms(percentile(&times, 50)),
            ms(percentile(&times, 95)),
        );
    }
    Ok(ExitCode::SUCCESS)
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
