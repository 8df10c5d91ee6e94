//! `coalition serve`: the SPARQL endpoint and web explorer (see `docs/SERVE.md`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use crate::serve::{self, Config, Guard, Limits, ServeError, Timeouts};

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
    /// Most queries evaluated at once; others wait up to 1 s, then get 503 with Retry-After
    /// [default: twice the number of cores, at least 4].
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub max_queries: Option<u16>,
    /// Stop the running queries (503) once they have grown the server by this many MiB.
    #[arg(long, value_name = "MIB", default_value_t = 1024, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_query_memory: u64,
    /// Do not answer the named queries ahead after each load (by default they are, in JSON and
    /// CSV, so that the first click on a question is answered at once).
    #[arg(long)]
    pub no_answers_ahead: bool,
    /// Let pages from ORIGIN (scheme://host[:port], or `*` for any) read the answers, e.g. a
    /// YASGUI page; repeatable. Without it, other sites' pages cannot read the local graph.
    #[arg(long, value_name = "ORIGIN", value_parser = serve::headers::parse_origin)]
    pub cors: Vec<String>,
    /// Longest wait for a request's head, in seconds, also between requests on a kept-alive
    /// connection (then the connection is closed).
    #[arg(long, default_value_t = 10.0, value_parser = positive_secs)]
    pub header_timeout: f64,
    /// Longest a connection may stay silent while no request is being answered, in seconds.
    #[arg(long, default_value_t = 30.0, value_parser = positive_secs)]
    pub idle_timeout: f64,
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
        cors: args.cors,
        timeouts: Timeouts {
            header: Duration::from_secs_f64(args.header_timeout),
            idle: Duration::from_secs_f64(args.idle_timeout),
        },
        guard: match args.max_queries {
            Some(n) => Guard::new(usize::from(n), Duration::from_secs(1)),
            None => Guard::default(),
        }
        .with_memory(args.max_query_memory << 20),
        answer_ahead: !args.no_answers_ahead,
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
