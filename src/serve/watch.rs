//! `--watch`: polls the facts folder every [`INTERVAL`] and reloads when a file's size or
//! modification time changes. Invalid new facts leave the last good graph in service and put the
//! diagnostics in the pages' banner. Polling needs no platform watcher and costs a `stat` per file.
//!
//! A reload replaces only the named graphs of the sources that changed ([`state::reload`]) and
//! logs one line: `reloaded seeds: 1 of 10001 graphs replaced in 412 ms (...)`.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use super::delta;
use super::state::{self, AppState};
use crate::cache::Cache;
use crate::progress::Reporter;

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

/// The files (normalized with [`delta::normalize`]) added, removed, or changed in size or
/// modification time from `before` to `after`.
pub fn changed(before: &Fingerprint, after: &Fingerprint) -> BTreeSet<PathBuf> {
    // Hashed, not ordered: a folder of 10,000 sources has 20,000 paths, compared component-wise.
    let index = |f: &Fingerprint| -> HashMap<PathBuf, (u64, Option<SystemTime>)> {
        f.iter()
            .map(|(p, len, t)| (delta::normalize(p), (*len, *t)))
            .collect()
    };
    let (b, a) = (index(before), index(after));
    let mut out: BTreeSet<PathBuf> = b
        .iter()
        .filter(|(p, v)| a.get(*p) != Some(*v))
        .map(|(p, _)| p.clone())
        .collect();
    out.extend(a.keys().filter(|p| !b.contains_key(*p)).cloned());
    out
}

/// Polls `facts` (and `queries`) forever, reloading `state` when they differ from `last`, the
/// fingerprints taken before the served snapshot was loaded. `cache_dir` is the parse cache's
/// folder (`None`: no cache).
pub async fn watch(
    state: AppState,
    facts: PathBuf,
    queries: PathBuf,
    mut last: (Fingerprint, Fingerprint),
    cache_dir: Option<PathBuf>,
) {
    let scan = {
        let (f, q) = (facts.clone(), queries.clone());
        move || scan(&f, &q)
    };
    // The facts as the served snapshot saw them: a failed reload does not move it, so the next
    // good one still replaces what changed before it.
    let mut built = last.0.clone();
    if let Some(d) = cache_dir.clone() {
        // Marks every clean source in the cache, so that the first reload is incremental too.
        let f = facts.clone();
        let started = Instant::now();
        let warmed = tokio::task::spawn_blocking(move || {
            crate::facts::incremental::check(&f, &Cache::open(&d, &f), &Reporter::silent())
        })
        .await;
        if let Ok(Ok(_)) = warmed {
            eprintln!("cache warmed in {} ms", started.elapsed().as_millis());
        }
    }
    loop {
        tokio::time::sleep(INTERVAL).await;
        let Ok(now) = tokio::task::spawn_blocking(scan.clone()).await else {
            continue;
        };
        if now == last {
            continue;
        }
        last = now.clone();
        let (f, q, cache_dir) = (facts.clone(), queries.clone(), cache_dir.clone());
        let (old, before) = (state.snapshot(), built.clone());
        let loaded = tokio::task::spawn_blocking(move || {
            let started = Instant::now();
            let files = (before != now.0).then(|| changed(&before, &now.0));
            // Opened for each reload, so that its sweep forgets the versions it replaced.
            let cache = cache_dir.map(|d| Cache::open(&d, &f));
            state::reload(&old, &f, &q, cache.as_ref(), files.as_ref())
                .map(|(s, r)| (s, r, started.elapsed(), now.0))
        })
        .await;
        match loaded {
            Ok(Ok((snapshot, r, took, seen))) => {
                state.replace(snapshot);
                super::ahead::start(&state);
                built = seen;
                eprintln!(
                    "reloaded {}: {} of {} graphs replaced in {} ms ({}check {} ms{}, model {} \
                     ms, store {} ms)",
                    facts.display(),
                    r.replaced,
                    r.graphs,
                    took.as_millis(),
                    if r.fresh { "fresh load; " } else { "" },
                    r.check.as_millis(),
                    if r.full_check {
                        " in full".to_string()
                    } else {
                        format!(
                            " of which incremental check {} ms",
                            r.incremental.as_millis()
                        )
                    },
                    r.model.as_millis(),
                    r.store.as_millis(),
                );
            }
            Ok(Err(e)) => {
                eprintln!("reload failed; still serving the last good graph:\n{e}");
                state.fail(e.to_string());
            }
            Err(e) => state.fail(format!("reload failed: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_lists_added_removed_and_modified_files() {
        let t = |s| Some(SystemTime::UNIX_EPOCH + Duration::from_secs(s));
        let p = PathBuf::from;
        let before: Fingerprint = vec![
            (p("f/./a.yaml"), 10, t(1)),
            (p("f/b.yaml"), 10, t(1)),
            (p("f/c.yaml"), 10, t(1)),
            (p("f/d.yaml"), 10, t(1)),
        ];
        let after: Fingerprint = vec![
            (p("f/a.yaml"), 10, t(1)),
            (p("f/b.yaml"), 11, t(1)),
            (p("f/c.yaml"), 10, t(2)),
            (p("f/e.yaml"), 10, t(1)),
        ];
        let got: Vec<PathBuf> = changed(&before, &after).into_iter().collect();
        let want: Vec<PathBuf> = ["f/b.yaml", "f/c.yaml", "f/d.yaml", "f/e.yaml"]
            .into_iter()
            .map(PathBuf::from)
            .collect();
        assert_eq!(got, want);
        assert!(changed(&after, &after).is_empty());
    }
}
