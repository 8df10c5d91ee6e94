//! Errors of the curation tools that stop a command: unreadable folders, a failing `git`, a
//! fact-file skeleton that would overwrite something. Problems in the data stay diagnostics.

use std::path::{Path, PathBuf};

use crate::facts::FactsError;

/// Why a curation command could not run.
#[derive(Debug, thiserror::Error)]
pub enum CurationError {
    /// The facts folder could not be read.
    #[error(transparent)]
    Facts(#[from] FactsError),
    /// Reading or writing a file failed.
    #[error("cannot access {path}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A `git` command failed.
    #[error("git {command} failed: {message}")]
    Git {
        /// The subcommand and its main argument.
        command: String,
        /// What git said.
        message: String,
    },
    /// The new source would overwrite a file.
    #[error("{0} already exists; nothing was written")]
    Exists(PathBuf),
    /// The new source's id is not a slug or is taken.
    #[error("invalid source id `{id}`: {reason}")]
    InvalidId {
        /// The id given.
        id: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A value given on the command line is invalid (date, language, publisher).
    #[error("{0}")]
    Invalid(String),
}

impl CurationError {
    /// An I/O error on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        CurationError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
