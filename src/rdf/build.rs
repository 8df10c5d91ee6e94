//! `coalition build`'s library side: the list of files making up `graphs/`, and their
//! all-or-nothing, deterministic writing: every file is first written in full as a hidden temp
//! file next to its final name (`.{name}.tmp-{pid}`), then all are swapped in together, each old
//! file kept as `.{name}.bak-{pid}` until every rename succeeded and put back if one fails.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Format, RdfError};

/// The graph files `build` writes: `(file name, format)`.
pub const GRAPH_FILES: &[(&str, Format)] = &[
    ("coalition.ttl", Format::Turtle),
    ("coalition.nq", Format::NQuads),
    ("coalition.trig", Format::TriG),
    ("coalition.jsonld", Format::JsonLd),
];

/// Test-only fault injection: `COALITION_TEST_FAIL_RENAME=N` makes the `N`th rename of a commit
/// fail, `abort:N` kills the process there (a build killed midway through the swap).
const FAIL_VAR: &str = "COALITION_TEST_FAIL_RENAME";

static RENAMES: AtomicUsize = AtomicUsize::new(0);

/// Files being written into a folder: temp files until [`Staged::commit`] swaps them in.
/// Dropped without a commit (an error, a panic), it removes its temp files and leaves the folder
/// as it was; a process killed midway leaves its files behind, and the next [`Staged::new`] on
/// the folder cleans them, putting back the old files of an interrupted swap.
///
/// The staged files sit next to the final ones rather than in a staging folder so that every
/// rename stays within one folder (and one file system), and a folder listing sees only files.
#[derive(Debug)]
pub struct Staged {
    dir: PathBuf,
    names: Vec<String>,
    committed: bool,
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> RdfError {
    let path = path.to_path_buf();
    move |source| RdfError::File { path, source }
}

impl Staged {
    /// Starts writing into `dir` (created if needed), after cleaning what killed runs left there.
    pub fn new(dir: &Path) -> Result<Staged, RdfError> {
        std::fs::create_dir_all(dir).map_err(io_error(dir))?;
        recover(dir);
        Ok(Staged {
            dir: dir.to_path_buf(),
            names: Vec::new(),
            committed: false,
        })
    }

    fn temp(&self, name: &str) -> PathBuf {
        self.dir.join(format!(".{name}.tmp-{}", std::process::id()))
    }

    fn backup(&self, name: &str) -> PathBuf {
        self.dir.join(format!(".{name}.bak-{}", std::process::id()))
    }

    /// A buffered writer to the temp file of `name`.
    pub fn create(&mut self, name: &str) -> Result<BufWriter<File>, RdfError> {
        let path = self.temp(name);
        self.names.push(name.to_string());
        let file = File::create(&path).map_err(io_error(&path))?;
        Ok(BufWriter::with_capacity(1 << 20, file))
    }

    /// Writes `bytes` as the temp file of `name`.
    pub fn write(&mut self, name: &str, bytes: &[u8]) -> Result<(), RdfError> {
        let path = self.temp(name);
        self.names.push(name.to_string());
        std::fs::write(&path, bytes).map_err(io_error(&path))
    }

    /// Swaps every staged file in: each old file is renamed to its backup name, then the new
    /// one into its place; if any rename fails, the new files are moved back out and the old
    /// ones back in, so the folder holds either all the old files or all the new ones. Returns
    /// the final paths, in the order the files were staged. The writers given by
    /// [`Staged::create`] must be flushed and dropped first.
    pub fn commit(mut self) -> Result<Vec<PathBuf>, RdfError> {
        let mut old = Vec::new();
        let mut new = Vec::new();
        for name in &self.names {
            let dest = self.dir.join(name);
            let step = if dest.symlink_metadata().is_ok() {
                rename(&dest, &self.backup(name)).map(|()| old.push(name))
            } else {
                Ok(())
            }
            .and_then(|()| rename(&self.temp(name), &dest).map(|()| new.push(name)));
            if let Err(e) = step {
                // Best effort: a backup that cannot be moved back stays, and the next build
                // puts it back.
                for n in &new {
                    let _ = std::fs::rename(self.dir.join(n), self.temp(n));
                }
                for n in &old {
                    let _ = std::fs::rename(self.backup(n), self.dir.join(n));
                }
                return Err(io_error(&dest)(e));
            }
        }
        self.committed = true;
        for n in &self.names {
            let _ = std::fs::remove_file(self.backup(n));
        }
        Ok(self.names.iter().map(|n| self.dir.join(n)).collect())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            for n in &self.names {
                let _ = std::fs::remove_file(self.temp(n));
            }
        }
    }
}

/// `std::fs::rename`, counted for [`FAIL_VAR`].
fn rename(from: &Path, to: &Path) -> std::io::Result<()> {
    let n = RENAMES.fetch_add(1, Ordering::SeqCst) + 1;
    if let Ok(v) = std::env::var(FAIL_VAR) {
        if v == format!("abort:{n}") {
            std::process::abort();
        }
        if v == n.to_string() {
            return Err(std::io::Error::other(format!(
                "injected failure of rename {n} ({FAIL_VAR})"
            )));
        }
    }
    std::fs::rename(from, to)
}

/// A dead process's leftover: `.{name}.tmp-{pid}` or `.{name}.bak-{pid}`, as `(name, is a
/// backup, pid)`. Where `/proc` cannot tell whether the process is gone (not Linux), none: a
/// live build's files are never pulled from under it.
fn dead_leftover(file: &str) -> Option<(&str, bool, &str)> {
    let rest = file.strip_prefix('.')?;
    let (name, backup, pid) = match rest.rsplit_once(".tmp-") {
        Some((name, pid)) => (name, false, pid),
        None => rest
            .rsplit_once(".bak-")
            .map(|(name, pid)| (name, true, pid))?,
    };
    let proc = Path::new("/proc");
    let dead = proc.join("self").exists() && !proc.join(pid).exists();
    (pid.parse::<u32>().is_ok() && dead && !name.is_empty()).then_some((name, backup, pid))
}

/// Cleans what killed runs left in `dir`. A run whose temp files remain was killed before its
/// swap completed: its backups (old files) are put back, so the folder returns to its state
/// before that build. A run with backups only had swapped everything in: its backups go.
fn recover(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let leftovers: Vec<(&String, (&str, bool, &str))> = files
        .iter()
        .filter_map(|f| Some((f, dead_leftover(f)?)))
        .collect();
    let unfinished: std::collections::BTreeSet<&str> = leftovers
        .iter()
        .filter(|(_, (_, backup, _))| !backup)
        .map(|(_, (_, _, pid))| *pid)
        .collect();
    for (file, (name, backup, pid)) in &leftovers {
        let path = dir.join(file);
        if *backup && unfinished.contains(pid) {
            let _ = std::fs::rename(&path, dir.join(name));
        } else {
            let _ = std::fs::remove_file(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A swap killed midway (old `a` in its backup, new `a` in place, `b` still old and its new
    /// version a temp file) is rolled back by the next run, and the temp files go.
    #[test]
    fn leftovers_of_a_killed_run_are_rolled_back_and_removed() {
        if !Path::new("/proc/self").exists() {
            return; // leftovers are only cleaned where /proc tells dead processes apart
        }
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        let dead = "4294967295"; // above any Linux pid_max
        std::fs::write(d.join(format!(".a.bak-{dead}")), "old a").unwrap();
        std::fs::write(d.join(format!(".b.tmp-{dead}")), "new b").unwrap();
        std::fs::write(d.join("a"), "new a").unwrap();
        std::fs::write(d.join("b"), "old b").unwrap();
        // A live process's files (pid 1) are left alone.
        std::fs::write(d.join(".c.tmp-1"), "live").unwrap();
        drop(Staged::new(d).unwrap());
        assert_eq!(std::fs::read_to_string(d.join("a")).unwrap(), "old a");
        assert_eq!(std::fs::read_to_string(d.join("b")).unwrap(), "old b");
        let mut left: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".c.tmp-1", "a", "b"]);
        // Killed after its last rename, while removing backups: the new files stay.
        std::fs::write(d.join(format!(".a.bak-{dead}")), "older a").unwrap();
        drop(Staged::new(d).unwrap());
        assert_eq!(std::fs::read_to_string(d.join("a")).unwrap(), "old a");
        assert!(!d.join(format!(".a.bak-{dead}")).exists());
    }
}
