//! The corpus after a few files changed, without validating the unchanged sources again.
//!
//! The whole corpus is checked with the cache-based incremental check
//! ([`facts::incremental::check`]: unchanged clean sources are neither parsed nor validated, and
//! cross-file rules still see every file), which decides whether the change is valid and gives
//! the diagnostics. If it is, only the changed sources are validated again, together with the
//! files that are not sources (the registry), and patched into the served corpus: a source's
//! checked facts depend on its own files and on the registry alone once the whole corpus checks
//! clean. The patched corpus must agree with the full check's counts (sources, entities,
//! statements, quotations); anything unexpected gives `None`, and the caller checks in full.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::delta::normalize;
use super::error::ServeError;
use crate::cache::Cache;
use crate::facts::{self, batch, diagnostic, load, shard, Corpus};
use crate::model::Model;
use crate::progress::Reporter;

/// The corpus of `old` (the served model of the clean facts in `dir`) after the files in `changed` (normalized) changed,
/// and the time the incremental check took; [`ServeError::Invalid`] if the facts are now
/// invalid, `None` if the patch cannot be trusted.
pub fn patched(
    old: &Model,
    dir: &Path,
    cache: &Cache,
    changed: &BTreeSet<PathBuf>,
) -> Result<(Option<Corpus>, Duration), ServeError> {
    let rep = Reporter::silent();
    let started = Instant::now();
    let report = facts::incremental::check(dir, cache, &rep)?;
    let took = started.elapsed();
    if report.has_errors() {
        return Err(ServeError::Invalid {
            dir: dir.to_path_buf(),
            diagnostics: diagnostic::render(&report.diagnostics, |p| report.texts.get(p).cloned()),
        });
    }
    // Fact files of the served sources, and those whose file or text changed.
    let sources: HashSet<PathBuf> = old
        .sources()
        .map(|(_, s)| normalize(&s.fact_file))
        .collect();
    let stale: HashSet<PathBuf> = old
        .sources()
        .map(|(_, s)| s)
        .filter(|s| changed.contains(&normalize(&s.text_path)))
        .map(|s| normalize(&s.fact_file))
        .chain(changed.iter().cloned())
        .collect();
    let selected: Vec<PathBuf> = load::discover(dir)?
        .into_iter()
        .filter(|p| {
            let n = normalize(p);
            !sources.contains(&n) || stale.contains(&n)
        })
        .collect();
    let (files, diags) = batch::load_all(
        &selected,
        Some(cache),
        &rep.bar("parse", selected.len() as u64),
    );
    let threads = rayon::current_num_threads();
    let checked = shard::validate(files, diags, threads);
    if checked.has_errors() {
        return Ok((None, took));
    }
    let mut corpus = Corpus {
        entities: checked.corpus.entities,
        sources: old
            .sources()
            .filter(|(_, s)| !stale.contains(&normalize(&s.fact_file)))
            .map(|(id, s)| (id.to_string(), s.clone()))
            .collect(),
    };
    for (id, s) in checked.corpus.sources {
        if corpus.sources.insert(id, s).is_some() {
            return Ok((None, took));
        }
    }
    let agrees = corpus.sources.len() == report.sources
        && corpus.entities.len() == report.entities
        && corpus.statement_count() == report.statements
        && corpus.quotation_count() == report.quotations;
    Ok((agrees.then_some(corpus), took))
}
