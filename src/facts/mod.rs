//! Fact files: the YAML format researchers edit, its loader and its checker.
//!
//! Pipeline: [`load`] reads and parses each file → [`validate`] checks the corpus as a whole →
//! a [`Corpus`] for the model, and [`Diagnostic`]s for the researcher.

mod admit;
pub mod batch;
mod confine;
pub mod corpus;
pub mod date;
pub mod diagnostic;
pub mod error;
pub mod guard;
pub mod incremental;
pub mod index;
pub mod load;
pub mod locate;
pub mod overlay;
mod parse_errors;
pub mod quote;
pub mod rules;
pub mod schema;
pub mod shard;
pub mod validate;
pub mod vocab;

use std::path::Path;

use crate::cache::Cache;
use crate::progress::Reporter;

pub use corpus::Corpus;
pub use diagnostic::Diagnostic;
pub use error::FactsError;
pub use validate::Checked;

/// Loads and checks every fact file under `dir`.
pub fn check(dir: &Path) -> Result<Checked, FactsError> {
    check_with(dir, None, &Reporter::silent())
}

/// [`check`], parsing and validating on every core, reusing the parses of unchanged files from `cache`, and
/// reporting progress and stage timings (`discover`, `parse`, `validate`) to `rep`. The result
/// is the same with or without the cache: cross-file rules always see the whole corpus.
pub fn check_with(
    dir: &Path,
    cache: Option<&Cache>,
    rep: &Reporter,
) -> Result<Checked, FactsError> {
    let (paths, escaped) = rep.stage("discover", || load::discover_checked(dir))?;
    if paths.is_empty() && escaped.is_empty() {
        return Err(FactsError::NoFactFiles(dir.to_path_buf()));
    }
    let (files, mut diags) = rep.stage("parse", || {
        let bar = rep.bar("parse", paths.len() as u64);
        batch::load_all(&paths, cache, &bar)
    });
    diags.extend(escaped);
    let threads = rayon::current_num_threads();
    let checked = rep.stage("validate", || shard::validate(files, diags, threads));
    if let Some(cache) = cache {
        // Every file was looked at, so entries not asked for are of older versions of them.
        let _ = cache.sweep(batch::KIND);
    }
    Ok(checked)
}

/// The JSON Schema of the fact-file format, pretty-printed.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(schema::FactFile);
    serde_json::to_string_pretty(&schema).expect("a schema always serializes") + "\n"
}
