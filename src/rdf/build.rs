//! `coalition build`'s library side: the list of files making up `graphs/`, and their atomic,
//! deterministic writing: every file goes to a temp file next to its final name, and all are
//! renamed into place only once every one is complete.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use super::{Format, RdfError};

/// The graph files `build` writes: `(file name, format)`.
pub const GRAPH_FILES: &[(&str, Format)] = &[
    ("coalition.ttl", Format::Turtle),
    ("coalition.nq", Format::NQuads),
    ("coalition.trig", Format::TriG),
    ("coalition.jsonld", Format::JsonLd),
];

/// Files being written into a folder: temp files (`.{name}.tmp-{pid}`) until
/// [`Staged::commit`] renames them over the old ones. Dropped without a commit (an error, a
/// panic), it removes its temp files and leaves the folder as it was; a process killed midway
/// leaves them behind, and the next [`Staged::new`] on the folder removes them.
#[derive(Debug)]
pub struct Staged {
    dir: PathBuf,
    temps: Vec<(PathBuf, PathBuf)>,
    committed: bool,
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> RdfError {
    let path = path.to_path_buf();
    move |source| RdfError::File { path, source }
}

impl Staged {
    /// Starts writing into `dir` (created if needed), removing temp files that killed runs
    /// left there.
    pub fn new(dir: &Path) -> Result<Staged, RdfError> {
        std::fs::create_dir_all(dir).map_err(io_error(dir))?;
        remove_stale_temps(dir);
        Ok(Staged {
            dir: dir.to_path_buf(),
            temps: Vec::new(),
            committed: false,
        })
    }

    /// A buffered writer to the temp file of `name`.
    pub fn create(&mut self, name: &str) -> Result<BufWriter<File>, RdfError> {
        let tmp = self.dir.join(format!(".{name}.tmp-{}", std::process::id()));
        let file = File::create(&tmp).map_err(io_error(&tmp))?;
        self.temps.push((tmp, self.dir.join(name)));
        Ok(BufWriter::with_capacity(1 << 20, file))
    }

    /// Writes `bytes` as the temp file of `name`.
    pub fn write(&mut self, name: &str, bytes: &[u8]) -> Result<(), RdfError> {
        let tmp = self.dir.join(format!(".{name}.tmp-{}", std::process::id()));
        self.temps.push((tmp.clone(), self.dir.join(name)));
        std::fs::write(&tmp, bytes).map_err(io_error(&tmp))
    }

    /// Renames every temp file over its final name, in the order they were created; returns the
    /// final paths. The writers given by [`Staged::create`] must be flushed and dropped first.
    pub fn commit(mut self) -> Result<Vec<PathBuf>, RdfError> {
        let mut written = Vec::new();
        let temps = std::mem::take(&mut self.temps);
        for (i, (tmp, dest)) in temps.iter().enumerate() {
            if let Err(e) = std::fs::rename(tmp, dest) {
                for (t, _) in &temps[i..] {
                    let _ = std::fs::remove_file(t);
                }
                return Err(io_error(dest)(e));
            }
            written.push(dest.clone());
        }
        self.committed = true;
        Ok(written)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            for (tmp, _) in &self.temps {
                let _ = std::fs::remove_file(tmp);
            }
        }
    }
}

/// Removes `.{name}.tmp-{pid}` files whose process is gone. Where `/proc` cannot tell (not
/// Linux), nothing is removed: a live build's files are never pulled from under it.
fn remove_stale_temps(dir: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix('.')
            .and_then(|n| n.rsplit_once(".tmp-"))
            .map(|(_, pid)| pid)
        else {
            continue;
        };
        if pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_file(e.path());
        }
    }
}
