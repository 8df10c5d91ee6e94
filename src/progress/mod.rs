//! What a long run tells its user: a progress bar (only on a terminal, and only once the work has
//! taken about a second), and with `-v` or `COALITION_TIMINGS=1` the time of each stage
//! (`timing: parse 1.234 s`), which `benches/scale.sh` reads.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How much a command says on stderr besides its result.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    /// `--quiet`: errors and diagnostics only, no bar, no summary.
    Quiet,
    /// The default: a summary line, and a bar on a terminal for long runs.
    #[default]
    Normal,
    /// `-v`: also stage timings and cache statistics.
    Verbose,
}

/// Delay before a bar appears: short runs stay silent.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// Stage timings and the progress bar of one command run.
#[derive(Debug)]
pub struct Reporter {
    verbosity: Verbosity,
    timings: bool,
    terminal: bool,
    start: Instant,
}

impl Reporter {
    /// A reporter; timings print with [`Verbosity::Verbose`] or `COALITION_TIMINGS=1`.
    pub fn new(verbosity: Verbosity) -> Self {
        Reporter {
            verbosity,
            timings: verbosity == Verbosity::Verbose
                || std::env::var("COALITION_TIMINGS").is_ok_and(|v| v == "1"),
            terminal: std::io::stderr().is_terminal(),
            start: Instant::now(),
        }
    }

    /// A reporter that says nothing (library use, tests).
    pub fn silent() -> Self {
        Reporter {
            verbosity: Verbosity::Quiet,
            timings: false,
            terminal: false,
            start: Instant::now(),
        }
    }

    /// Prints `msg` on stderr unless quiet.
    pub fn say(&self, msg: impl std::fmt::Display) {
        if self.verbosity >= Verbosity::Normal {
            eprintln!("{msg}");
        }
    }

    /// Prints `msg` on stderr with `-v` only.
    pub fn detail(&self, msg: impl std::fmt::Display) {
        if self.verbosity >= Verbosity::Verbose {
            eprintln!("{msg}");
        }
    }

    /// Runs `f` as stage `name`, printing how long it took when timings are on.
    pub fn stage<T>(&self, name: &str, f: impl FnOnce() -> T) -> T {
        let t = Instant::now();
        let out = f();
        self.record(name, t.elapsed());
        out
    }

    /// Prints the time of a stage measured elsewhere, when timings are on.
    pub fn record(&self, name: &str, took: Duration) {
        if self.timings {
            eprintln!("timing: {name} {:.3} s", took.as_secs_f64());
        }
    }

    /// A bar over `len` items, drawn only on a terminal, when not quiet, and once the run has
    /// lasted `SHOW_AFTER`.
    pub fn bar(&self, what: &str, len: u64) -> Bar {
        let on = self.terminal && self.verbosity >= Verbosity::Normal;
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::hidden());
        if let Ok(style) =
            ProgressStyle::with_template("{prefix:>9} [{bar:30}] {pos}/{len} {elapsed} (eta {eta})")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(what.to_string());
        Bar {
            bar,
            enabled: on,
            shown: AtomicBool::new(false),
            start: self.start,
        }
    }
}

/// A progress bar that stays hidden until the run has lasted a second.
#[derive(Debug)]
pub struct Bar {
    bar: ProgressBar,
    enabled: bool,
    shown: AtomicBool,
    start: Instant,
}

impl Bar {
    /// Advances by `n` items.
    pub fn inc(&self, n: u64) {
        if self.enabled
            && !self.shown.load(Ordering::Relaxed)
            && self.start.elapsed() >= SHOW_AFTER
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        self.bar.inc(n);
    }

    /// Runs `f` on every item on rayon's pool (one thread per core), advancing the bar by one per
    /// item; results come back in the order of `items`, whatever the scheduling.
    pub fn map<T: Sync, R: Send>(&self, items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
        use rayon::prelude::*;
        items
            .par_iter()
            .map(|item| {
                let r = f(item);
                self.inc(1);
                r
            })
            .collect()
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
