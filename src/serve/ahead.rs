//! Named queries answered ahead: once a snapshot is in service (at start, and after each
//! `--watch` reload), the server asks itself every named query in the formats clients ask for
//! most, so that the first person to click a question gets a kept answer instead of waiting
//! for the evaluation (seconds at 10,000 sources; see docs/BENCHMARKS.md). A request that comes
//! while its question is being answered ahead waits for that answer ([`super::answers::Turn`]).
//!
//! It goes through the same path as a request (SPARQL 1.1 Protocol,
//! <https://www.w3.org/TR/sparql11-protocol/>), so it obeys the same guards: one query at a
//! time out of the server's turns, its timeout, its result cap and its memory budget.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::sparql;
use super::state::AppState;

/// The formats answered ahead: SPARQL results in JSON (the default of the explorer and of SPARQL
/// clients) and CSV (spreadsheets, scripts).
pub const FORMATS: [&str; 2] = ["application/sparql-results+json", "text/csv"];

/// What answering ahead did.
#[derive(Debug, Default)]
pub struct Ahead {
    /// Answers now kept.
    pub answered: usize,
    /// Questions (`name as media: status`) the server could not answer, e.g. over the result
    /// cap; they are answered when asked, and fail then as they failed here.
    pub failed: Vec<String>,
    /// Whether a reload replaced the snapshot before the end (its successor is answered anew).
    pub stopped: bool,
    /// Time it took.
    pub took: Duration,
}

/// Answers the named queries of the snapshot now in service, in the background, and logs one
/// line when done; nothing when the server was started with `--no-answers-ahead`.
pub fn start(state: &AppState) {
    if !state.answer_ahead {
        return;
    }
    let state = state.clone();
    tokio::spawn(async move {
        let ahead = answer(&state).await;
        if !ahead.stopped {
            eprintln!("{}", ahead.line());
        }
    });
}

/// Asks every named query of the current snapshot in each of [`FORMATS`], one at a time; stops
/// when the snapshot is replaced.
pub async fn answer(state: &AppState) -> Ahead {
    let started = Instant::now();
    let snapshot = state.snapshot();
    let mut ahead = Ahead::default();
    for q in &snapshot.queries {
        for media in FORMATS {
            if !Arc::ptr_eq(&snapshot, &state.snapshot()) {
                ahead.stopped = true;
                return ahead;
            }
            idle(state).await;
            let response = sparql::ask(state.clone(), q.text.clone(), media).await;
            let status = response.status();
            if status.is_success() {
                ahead.answered += 1;
                continue;
            }
            let why = axum::body::to_bytes(response.into_body(), 4096)
                .await
                .map(|b| String::from_utf8_lossy(&b).trim().to_string())
                .unwrap_or_default();
            ahead
                .failed
                .push(format!("{} as {media}: {status} ({why})", q.name));
        }
    }
    ahead.took = started.elapsed();
    ahead
}

/// Waits until no query holds a turn, for at most the server's timeout: requests go first, and
/// a query stopped for memory (which goes on until its sort ends) does not count its growth
/// against the next question.
async fn idle(state: &AppState) {
    let started = Instant::now();
    while !state.guard.idle() && started.elapsed() < state.limits.timeout {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

impl Ahead {
    /// The log line: `answered 8 named questions ahead in 412 ms`, and what failed.
    pub fn line(&self) -> String {
        let mut line = format!(
            "answered {} named questions ahead in {} ms",
            self.answered,
            self.took.as_millis()
        );
        if !self.failed.is_empty() {
            line.push_str(&format!(
                "; not answered ahead (asked, they fail the same way): {}",
                self.failed.join(", ")
            ));
        }
        line
    }
}
