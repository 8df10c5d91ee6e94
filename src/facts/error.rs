//! Errors of the fact-loading stage that are not problems in the data: the facts folder itself
//! cannot be read. Problems in the data are [`Diagnostic`](super::diagnostic::Diagnostic)s.

use std::path::{Path, PathBuf};

/// The facts folder could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FactsError {
    /// Reading a folder or file failed.
    #[error("cannot read {path}")]
    Io {
        /// What was being read.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The folder holds no fact file.
    #[error("no fact files (*.yaml) found under {0}")]
    NoFactFiles(PathBuf),
}

impl FactsError {
    /// An I/O error on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        FactsError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
