//! `coalition serve`: the SPARQL endpoint and web explorer (see `docs/SERVE.md`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use crate::serve::{self, Config, Limits, ServeError};

/// Serve a read-only SPARQL 1.1 endpoint and a web explorer of the facts.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder of fact files.
    #[arg(long, default_value = "seeds")]
    pub facts: PathBuf,
    /// Folder of named queries (`*.rq`) offered as questions; built-in ones when it is missing.
    #[arg(long, default_value = "queries")]
    pub queries: PathBuf,
    /// Address to listen on (loopback by default; use 0.0.0.0:PORT to expose it).
    #[arg(long, default_value = "127.0.0.1:7878")]
    pub bind: SocketAddr,
    /// IRI prefix of entities and sources [default: http://BIND/].
    #[arg(long)]
    pub base: Option<String>,
    /// Reload when the facts change; invalid facts keep the last good graph in service.
    #[arg(long)]
    pub watch: bool,
    /// Longest a query may run, in seconds (then 503).
    #[arg(long, default_value_t = 10.0, value_parser = positive_secs)]
    pub timeout: f64,
    /// Most results a query may return (then 422).
    #[arg(long, default_value_t = 10_000)]
    pub max_results: usize,
    /// Largest request body accepted, in bytes (then 413).
    #[arg(long, default_value_t = 1 << 20)]
    pub max_body: usize,
}

fn positive_secs(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v.is_finite() && v < 1e9 => Ok(v),
        _ => Err(format!("`{s}` is not a positive number of seconds")),
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let base = match args.base {
        Some(b) if b.ends_with('/') => Some(b),
        Some(b) => Some(format!("{b}/")),
        None => None,
    };
    let config = Config {
        facts: args.facts,
        queries: args.queries,
        bind: args.bind,
        base,
        watch: args.watch,
        limits: Limits {
            timeout: Duration::from_secs_f64(args.timeout),
            max_results: args.max_results,
            max_body: args.max_body,
        },
        cache_dir: super::global::cache_dir(),
    };
    match serve::run(config) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e @ ServeError::Invalid { .. }) => {
            eprintln!("error: {e}");
            Ok(ExitCode::from(super::EXIT_INVALID))
        }
        Err(e) => Err(e.into()),
    }
}
