//! Errors of the export stage: only writing the files can fail, the model is always exportable.

use std::path::PathBuf;

/// An export could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Creating the output folder or writing a file failed.
    #[error("cannot write {path}")]
    Io {
        /// The file or folder being written.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
}
