//! Query evaluation behind guards: a panic inside the SPARQL engine becomes an error message
//! instead of a crash (exit 101, or a dropped connection), and the server evaluates at most a few
//! queries at once, each under a deadline, all together under a memory budget.
//!
//! oxigraph's evaluator (spareval 0.2.9) panics when ORDER BY meets terms it cannot order
//! consistently (numbers and strings mixed: "comparison function does not correctly implement a
//! total order"), and its sort does not check cancellation; see issue 19, items 8 and 9.

use std::any::Any;
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Once};
use std::time::{Duration, Instant};

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

/// How many queries the server evaluates at once, how long a request waits for a turn, and how
/// much the process may grow while queries run.
#[derive(Clone, Debug)]
pub struct Guard {
    turns: Arc<Semaphore>,
    max: usize,
    wait: Duration,
    memory: Option<u64>,
    /// Queries running and not yet stopped, and the resident size when the first of them
    /// started.
    running: Arc<std::sync::Mutex<(usize, Option<u64>)>>,
}

/// Default growth allowed while queries run: 1 GiB.
pub const DEFAULT_MEMORY: u64 = 1 << 30;

impl Guard {
    /// At most `max` queries at once (at least 1); a request waits up to `wait` for a turn.
    pub fn new(max: usize, wait: Duration) -> Guard {
        let max = max.max(1);
        Guard {
            turns: Arc::new(Semaphore::new(max)),
            max,
            wait,
            memory: Some(DEFAULT_MEMORY),
            running: Arc::default(),
        }
    }

    /// Cancels the running queries once the process has grown by more than `bytes` since the
    /// server was last idle (measured from the resident set size, on Linux). One budget for all
    /// of them, so several hostile queries together stay within it.
    pub fn with_memory(mut self, bytes: u64) -> Guard {
        self.memory = Some(bytes);
        self
    }

    /// Queries evaluated at once.
    pub fn max(&self) -> usize {
        self.max
    }

    /// Whether no query holds a turn, counting stopped ones that have not returned yet.
    pub fn idle(&self) -> bool {
        self.turns.available_permits() == self.max
    }
}

impl Default for Guard {
    /// Two queries per core, at least 4: the memory budget, not the count, protects the machine,
    /// and a few slow queries should leave room for a quick one. 1 s of wait.
    fn default() -> Guard {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Guard::new((2 * cores).max(4), Duration::from_secs(1))
    }
}

/// A query counted as running until it returns or is stopped; the first one records the idle
/// baseline. A stopped query may go on for a while (Oxigraph does not check cancellation while
/// sorting): it no longer counts, so the next query measures from what the server holds then,
/// and is not stopped for the memory of one that was.
struct Running(Retire);

/// Ends the count of one query, once, whoever comes first: its stopper or its end.
#[derive(Clone)]
struct Retire {
    count: Arc<std::sync::Mutex<(usize, Option<u64>)>>,
    counted: Arc<std::sync::atomic::AtomicBool>,
}

impl Running {
    fn start(guard: &Guard) -> (Running, Option<u64>) {
        let mut g = guard.running.lock().unwrap_or_else(|p| p.into_inner());
        if g.0 == 0 {
            g.1 = resident();
        }
        g.0 += 1;
        let retire = Retire {
            count: guard.running.clone(),
            counted: Arc::new(true.into()),
        };
        (Running(retire), g.1)
    }
}

impl Retire {
    fn retire(&self) {
        if self
            .counted
            .swap(false, std::sync::atomic::Ordering::SeqCst)
        {
            let mut g = self.count.lock().unwrap_or_else(|p| p.into_inner());
            g.0 = g.0.saturating_sub(1);
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.0.retire();
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
    let (running, baseline) = Running::start(guard);
    let stopper = running.0.clone();
    let started = (Instant::now(), baseline);
    let mut task = tokio::task::spawn_blocking(move || {
        let result = catch(work).unwrap_or_else(|m| Err(HttpError::internal(m)));
        drop((permit, running));
        result
    });
    loop {
        tokio::select! {
            done = &mut task => return done.unwrap_or_else(|join| Err(HttpError::internal(join))),
            () = tokio::time::sleep(POLL) => {}
        }
        if started.0.elapsed() >= timeout {
            token.cancel();
            stopper.retire();
            return Err(HttpError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "query timed out after {} s; simplify it or add a LIMIT",
                    timeout.as_secs_f64()
                ),
            ));
        }
        let grown = started.1.zip(resident()).map(|(a, b)| b.saturating_sub(a));
        if let Some(budget) = guard.memory.filter(|&m| grown.is_some_and(|g| g > m)) {
            token.cancel();
            stopper.retire();
            return Err(HttpError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "query stopped: running queries grew the server by more than {} MB of \
                     memory (its cap); narrow the patterns or add a LIMIT",
                    budget >> 20
                ),
            ));
        }
    }
}

/// How often a running query's clock and memory are checked.
const POLL: Duration = Duration::from_millis(50);

/// The process's resident set size in bytes (Linux; `None` elsewhere).
fn resident() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resident_size_is_read_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(resident().is_some_and(|b| b > 1 << 20));
        }
    }

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
