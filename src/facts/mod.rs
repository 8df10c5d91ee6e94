//! Fact files: the YAML format researchers edit, its loader and its checker.
//!
//! Pipeline: [`load`] reads and parses each file → [`validate`] checks the corpus as a whole →
//! a [`Corpus`] for the model, and [`Diagnostic`]s for the researcher.

pub mod corpus;
pub mod date;
pub mod diagnostic;
pub mod error;
mod explain;
pub mod guard;
pub mod load;
pub mod locate;
pub mod quote;
pub mod rules;
pub mod schema;
pub mod validate;
pub mod vocab;

use std::path::Path;

pub use corpus::Corpus;
pub use diagnostic::Diagnostic;
pub use error::FactsError;
pub use validate::Checked;

/// Loads and checks every fact file under `dir`.
pub fn check(dir: &Path) -> Result<Checked, FactsError> {
    let paths = load::discover(dir)?;
    if paths.is_empty() {
        return Err(FactsError::NoFactFiles(dir.to_path_buf()));
    }
    let mut files = Vec::with_capacity(paths.len());
    let mut diags = Vec::new();
    for p in &paths {
        let (f, mut d) = load::load_file(p);
        files.push(f);
        diags.append(&mut d);
    }
    Ok(validate::validate(files, diags))
}

/// The JSON Schema of the fact-file format, pretty-printed.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(schema::FactFile);
    serde_json::to_string_pretty(&schema).expect("a schema always serializes") + "\n"
}
