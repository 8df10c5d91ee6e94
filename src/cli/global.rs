//! Options every command accepts: `--quiet`, `-v`, `--no-cache`, `--cache-dir`. Set once by
//! [`super::main`], read by the commands that parse facts.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::cache::{self, Cache};
use crate::progress::{Reporter, Verbosity};

/// Global options.
#[derive(Clone, Debug, Default, clap::Args)]
pub struct Global {
    /// Print only problems: no progress bar, no summary.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print the time of each stage and cache statistics.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// Ignore the cache: parse and map everything again (a cold run). The cache is left as is.
    #[arg(long, global = true)]
    pub no_cache: bool,
    /// Cache of parsed files and per-source quads; safe to delete.
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        env = "COALITION_CACHE_DIR",
        default_value = cache::DEFAULT_DIR
    )]
    pub cache_dir: PathBuf,
}

static GLOBAL: OnceLock<Global> = OnceLock::new();

/// Records the options parsed from the command line.
pub fn set(global: Global) {
    let _ = GLOBAL.set(global);
}

fn get() -> Global {
    GLOBAL.get().cloned().unwrap_or_else(|| Global {
        cache_dir: cache::DEFAULT_DIR.into(),
        ..Global::default()
    })
}

/// A reporter with the verbosity asked for.
pub fn reporter() -> Reporter {
    let g = get();
    Reporter::new(match (g.quiet, g.verbose) {
        (true, _) => Verbosity::Quiet,
        (_, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    })
}

/// The cache of the corpus in `facts`, unless `--no-cache`.
pub fn cache(facts: &Path) -> Option<Cache> {
    let g = get();
    (!g.no_cache).then(|| Cache::open(&g.cache_dir, facts))
}

/// The cache's root folder, unless `--no-cache`.
pub fn cache_dir() -> Option<PathBuf> {
    let g = get();
    (!g.no_cache).then_some(g.cache_dir)
}

/// With `-v`: the cache's hit and miss counts, one line per kind of entry.
pub fn report_cache(rep: &Reporter, cache: Option<&Cache>) {
    if let Some(c) = cache {
        for (kind, s) in c.stats() {
            rep.detail(format!(
                "cache {kind}: {} hits, {} misses, {} rejected ({})",
                s.hits,
                s.misses,
                s.rejected,
                c.dir().display()
            ));
        }
    }
}
