//! Query evaluation behind guards: a panic inside the SPARQL engine becomes an error message
//! instead of a crash (exit 101, or a dropped connection), and the server evaluates at most a few
//! queries at once, each under a deadline.
//!
//! oxigraph's evaluator (spareval 0.2.9) panics when ORDER BY meets terms it cannot order
//! consistently (numbers and strings mixed: "comparison function does not correctly implement a
//! total order"), and its sort does not check cancellation; see issue 19, items 8 and 9.

use std::any::Any;
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Once};
use std::time::Duration;

use axum::http::StatusCode;
use oxigraph::sparql::CancellationToken;
use tokio::sync::Semaphore;

use super::error::HttpError;
use super::state::AppState;

thread_local! {
    /// Set while [`catch`] runs a closure on this thread: its panics are reported, not printed.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, turning a panic into `Err(message)`. The panic is not printed on this thread (the
/// caller reports it); panics elsewhere keep the default report.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    result.map_err(|payload| engine_failure(&*payload))
}

/// What to tell the user when the query engine panicked with `payload`.
fn engine_failure(payload: &(dyn Any + Send)) -> String {
    let detail = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    let hint = if detail.contains("total order") {
        " (a known oxigraph bug: ORDER BY over values of mixed types, such as numbers and \
         strings; order by STR(?x) or filter the values to one type)"
    } else {
        ""
    };
    format!("the SPARQL engine failed on this query: {detail}{hint}")
}

/// How many queries the server evaluates at once, and how long a request waits for a turn.
#[derive(Clone, Debug)]
pub struct Guard {
    turns: Arc<Semaphore>,
    max: usize,
    wait: Duration,
}

impl Guard {
    /// At most `max` queries at once (at least 1); a request waits up to `wait` for a turn.
    pub fn new(max: usize, wait: Duration) -> Guard {
        let max = max.max(1);
        Guard {
            turns: Arc::new(Semaphore::new(max)),
            max,
            wait,
        }
    }

    /// Queries evaluated at once.
    pub fn max(&self) -> usize {
        self.max
    }
}

impl Default for Guard {
    /// One query per core (at least two, so a slow query leaves room for another), 1 s of wait.
    fn default() -> Guard {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Guard::new(cores.max(2), Duration::from_secs(1))
    }
}

/// Seconds a client is told to wait (`Retry-After`) when every turn is taken.
const RETRY_AFTER: u32 = 2;

/// Runs `work` on a blocking thread once a turn is free (503 with `Retry-After` when none frees
/// up in time); past the timeout, cancels `token` and answers 503. The turn is held until `work`
/// really returns, so a query that ignores cancellation still counts against the limit.
pub async fn run_limited<T: Send + 'static>(
    state: &AppState,
    token: CancellationToken,
    work: impl FnOnce() -> Result<T, HttpError> + Send + 'static,
) -> Result<T, HttpError> {
    let guard = &state.guard;
    let permit = match tokio::time::timeout(guard.wait, guard.turns.clone().acquire_owned()).await {
        Ok(Ok(p)) => p,
        _ => {
            return Err(HttpError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "the server is busy ({} queries running, its limit); try again shortly",
                    guard.max
                ),
            )
            .retry_after(RETRY_AFTER))
        }
    };
    let timeout = state.limits.timeout;
    let task = tokio::task::spawn_blocking(move || {
        let result = catch(work).unwrap_or_else(|m| Err(HttpError::internal(m)));
        drop(permit);
        result
    });
    match tokio::time::timeout(timeout, task).await {
        Ok(Ok(result)) => result,
        Ok(Err(join)) => Err(HttpError::internal(join)),
        Err(_) => {
            token.cancel();
            Err(HttpError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "query timed out after {} s; simplify it or add a LIMIT",
                    timeout.as_secs_f64()
                ),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_message() {
        let r: Result<(), String> = catch(|| {
            panic!("user-provided comparison function does not correctly implement a total order")
        });
        let m = r.unwrap_err();
        assert!(m.contains("SPARQL engine failed"), "{m}");
        assert!(m.contains("STR(?x)"), "{m}");
        assert_eq!(catch(|| 7), Ok(7));
    }
}
