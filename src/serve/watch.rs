//! `--watch`: polls the facts folder every [`INTERVAL`] and reloads when a file's size or
//! modification time changes. Invalid new facts leave the last good graph in service and put the
//! diagnostics in the pages' banner. Polling needs no platform watcher and costs a `stat` per file.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::state::{self, AppState};

/// How often the folder is scanned.
pub const INTERVAL: Duration = Duration::from_millis(500);

/// What the folder looks like: every visible file with its size and modification time, sorted.
pub type Fingerprint = Vec<(PathBuf, u64, Option<SystemTime>)>;

/// The fingerprints of the facts and queries folders, taken before a load so that a change made
/// while loading is still seen.
pub fn scan(facts: &Path, queries: &Path) -> (Fingerprint, Fingerprint) {
    (fingerprint(facts), fingerprint(queries))
}

fn fingerprint(dir: &Path) -> Fingerprint {
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

fn walk(dir: &Path, out: &mut Fingerprint) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        if e.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = e.path();
        match e.metadata() {
            Ok(m) if m.is_dir() => walk(&path, out),
            Ok(m) => out.push((path, m.len(), m.modified().ok())),
            Err(_) => {}
        }
    }
}

/// Polls `facts` (and `queries`) forever, reloading `state` when they differ from `last`.
pub async fn watch(
    state: AppState,
    facts: PathBuf,
    queries: PathBuf,
    mut last: (Fingerprint, Fingerprint),
) {
    let scan = {
        let (f, q) = (facts.clone(), queries.clone());
        move || scan(&f, &q)
    };
    loop {
        tokio::time::sleep(INTERVAL).await;
        let Ok(now) = tokio::task::spawn_blocking(scan.clone()).await else {
            continue;
        };
        if now == last {
            continue;
        }
        last = now;
        let (f, q, base) = (facts.clone(), queries.clone(), state.base.clone());
        let loaded = tokio::task::spawn_blocking(move || state::load(&f, &q, &base)).await;
        match loaded {
            Ok(Ok(snapshot)) => {
                state.replace(snapshot);
                eprintln!("reloaded {}", facts.display());
            }
            Ok(Err(e)) => {
                eprintln!("reload failed; still serving the last good graph:\n{e}");
                state.fail(e.to_string());
            }
            Err(e) => state.fail(format!("reload failed: {e}")),
        }
    }
}
