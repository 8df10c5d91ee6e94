//! `coalition serve`: a read-only SPARQL 1.1 endpoint
//! (<https://www.w3.org/TR/sparql11-protocol/>) and a web explorer over the knowledge graph, with
//! linked-data entity pages, source pages with every quote marked, and optional reloading when the
//! facts change.
//!
//! [`router`] builds the whole application for a state, so tests can drive it in-process;
//! [`run`] binds the address, serves until Ctrl-C and logs each request to stderr.

pub mod ahead;
pub mod answers;
mod conn;
pub mod delta;
mod describe;
mod entity;
pub mod error;
pub mod graph;
pub mod guard;
pub mod headers;
mod html;
pub mod negotiate;
mod pages;
pub mod queries;
mod recheck;
mod shape;
mod source;
pub mod sparql;
pub mod state;
mod watch;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{DefaultBodyLimit, Request};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use axum::Router;

pub use conn::Timeouts;
pub use error::{HttpError, ServeError};
pub use guard::Guard;
pub use state::{AppState, Limits, Shared};

/// How the server runs.
#[derive(Clone, Debug)]
pub struct Config {
    /// Folder of fact files.
    pub facts: PathBuf,
    /// Folder of named queries (`*.rq`); the embedded ones are used when it does not exist.
    pub queries: PathBuf,
    /// Address to listen on.
    pub bind: SocketAddr,
    /// IRI prefix for minted IRIs; `http://{bound address}/` when `None`.
    pub base: Option<String>,
    /// Reload when the facts change.
    pub watch: bool,
    /// Query limits.
    pub limits: Limits,
    /// Folder of the parse cache (`.coalition-cache`), or `None` to use none. With `--watch`,
    /// reloads reuse the parses of unchanged fact files from it.
    pub cache_dir: Option<PathBuf>,
    /// Origins whose pages may read the answers (`*` for any); none by default.
    pub cors: Vec<String>,
    /// How long a client may stall a connection.
    pub timeouts: Timeouts,
    /// How many queries run at once.
    pub guard: Guard,
    /// Answer the named queries ahead after each load (see [`ahead`]).
    pub answer_ahead: bool,
}

/// The application with no cross-origin access (see [`router_with`]).
pub fn router(state: AppState) -> Router {
    router_with(state, &[])
}

/// The application: every route, the security headers, CORS for `cors` origins (`*` for any;
/// none when empty), the body limit and request logging.
pub fn router_with(state: AppState, cors: &[String]) -> Router {
    let max_body = state.limits.max_body;
    let mut app = Router::new()
        .route("/", get(pages::home))
        .route("/search", get(pages::search))
        .route("/query/{name}", get(pages::question))
        .route("/sparql", get(sparql::get).post(sparql::post))
        .route("/entity/{id}", get(entity::entity))
        .route("/source/{id}", get(source::source))
        .route("/assets/{name}", get(pages::asset))
        .fallback(|| async { HttpError::not_found("page") })
        .layer(DefaultBodyLimit::max(max_body));
    if let Some(layer) = headers::cors(cors) {
        app = app.layer(layer);
    }
    app.layer(middleware::from_fn(headers::secure))
        .layer(middleware::from_fn(log))
        .with_state(state)
}

/// Logs `METHOD path status time` to stderr.
async fn log(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let res = next.run(req).await;
    eprintln!(
        "{method} {path} {} {:.1}ms",
        res.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    res
}

/// Loads the facts, binds `config.bind` and serves until Ctrl-C (or SIGTERM).
pub fn run(config: Config) -> Result<(), ServeError> {
    let io = |e| ServeError::Io {
        addr: config.bind.to_string(),
        source: e,
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(io)?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .map_err(io)?;
        let addr = listener.local_addr().map_err(io)?;
        let base = config
            .base
            .clone()
            .unwrap_or_else(|| format!("http://{addr}/"));
        let seen = config
            .watch
            .then(|| watch::scan(&config.facts, &config.queries));
        let cache = config
            .cache_dir
            .as_ref()
            .filter(|_| config.watch)
            .map(|d| crate::cache::Cache::open(d, &config.facts));
        let started = Instant::now();
        let loaded = state::load_with(&config.facts, &config.queries, &base, cache.as_ref());
        let (snapshot, problem) = match loaded {
            Ok(s) => {
                if config.watch {
                    eprintln!(
                        "loaded {}: {} graphs in {} ms",
                        config.facts.display(),
                        s.model.source_count() + 1,
                        started.elapsed().as_millis()
                    );
                }
                (s, None)
            }
            // While watching, invalid facts are shown in the banner until they are fixed.
            Err(e @ ServeError::Invalid { .. }) if config.watch => {
                eprintln!("{e}");
                (state::empty(&config.queries, &base)?, Some(e.to_string()))
            }
            Err(e) => return Err(e),
        };
        let state = Arc::new(
            Shared::new(base, config.limits.clone(), snapshot, problem)
                .with_guard(config.guard.clone())
                .with_answers_ahead(config.answer_ahead),
        );
        ahead::start(&state);
        if let Some(seen) = seen {
            tokio::spawn(watch::watch(
                state.clone(),
                config.facts.clone(),
                config.queries.clone(),
                seen,
                config.cache_dir.clone(),
            ));
        }
        eprintln!("listening on http://{addr}/ (SPARQL endpoint: http://{addr}/sparql)");
        let app = router_with(state, &config.cors);
        let grace = config.limits.timeout + Duration::from_secs(1);
        conn::serve(listener, app, config.timeouts, shutdown(), grace).await;
        eprintln!("shut down");
        Ok::<(), ServeError>(())
    })?;
    // A query that ignores its cancellation must not hold the process after Ctrl-C.
    rt.shutdown_timeout(Duration::from_secs(1));
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
