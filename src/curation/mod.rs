//! Curation tools: what the facts leave out of a source ([`coverage`]), what a change to the
//! fact files does to the graph ([`diff`]), and a ready-to-fill fact file for a new source
//! ([`skeleton`]). The loop they support is described in `docs/CURATION.md`.

pub mod coverage;
pub mod diff;
pub mod error;
pub mod git;
pub mod sentences;
pub mod skeleton;

pub use error::CurationError;

use std::path::Path;

use crate::facts::{self, Corpus};

/// Checks the fact files under `dir` and returns the corpus, refusing one with errors: the
/// checker drops invalid items, and a report on the rest would mislead.
pub fn checked_corpus(dir: &Path) -> Result<Corpus, CurationError> {
    let checked = facts::check(dir)?;
    let errors = checked
        .diagnostics
        .iter()
        .filter(|d| !d.is_warning())
        .count();
    if errors > 0 {
        return Err(CurationError::InvalidFacts {
            dir: dir.display().to_string(),
            errors,
        });
    }
    Ok(checked.corpus)
}
