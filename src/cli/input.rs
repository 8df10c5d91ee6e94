//! The facts folder and the period (`--from`/`--to`, by source date) shared by the commands that
//! read the facts: checks them, reports errors, builds their model and slices it.

use std::path::{Path, PathBuf};

use crate::analysis::{slice, Period};
use crate::facts::{self, diagnostic, Checked};
use crate::model::Model;

/// The facts folder and the period to analyse (sources are kept when their date may fall in it).
#[derive(Debug, clap::Args)]
pub struct Input {
    /// Folder of fact files.
    #[arg(long, default_value = "seeds")]
    pub facts: PathBuf,
    /// Keep sources dated DATE or later (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`; a source dated
    /// `2018` may fall after `2018-06` and is kept).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Keep sources dated DATE or earlier (`2018` means up to the end of 2018).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
}

impl Input {
    /// Checks the facts and builds their model, sliced to the period ([`Invalid`] when the facts
    /// are invalid).
    pub fn load(&self) -> anyhow::Result<(Model, Period)> {
        let period = Period::parse(self.from.as_deref(), self.to.as_deref())?;
        let checked = load_checked(&self.facts, "read", false)?;
        let model = super::global::reporter().stage("model", || Model::build(checked.corpus));
        Ok((slice(model, &period), period))
    }

    /// The model of the sliced facts ([`Invalid`] when they are invalid).
    pub fn model(&self) -> anyhow::Result<Model> {
        Ok(self.load()?.0)
    }
}

/// The facts are invalid, and that was reported: the command exits with the code for invalid
/// data ([`super::EXIT_INVALID`]) and says nothing more.
#[derive(Debug, thiserror::Error)]
#[error("the facts are invalid")]
pub struct Invalid;

/// The one way every command reads the facts: checked with the global options (`--no-cache`,
/// `--cache-dir`, `-q`, `-v`), diagnostics printed on stderr as `check` prints them (warnings
/// too when `warnings` is set), and, when there are errors, `… not {verb}: N errors` and
/// [`Invalid`].
pub fn load_checked(dir: &Path, verb: &str, warnings: bool) -> anyhow::Result<Checked> {
    let rep = super::global::reporter();
    let cache = super::global::cache(dir);
    let checked = facts::check_with(dir, cache.as_ref(), &rep)?;
    super::global::report_cache(&rep, cache.as_ref());
    show(&checked.diagnostics, &checked.texts, verb, warnings)?;
    Ok(checked)
}

/// Prints `diagnostics` (warnings too when `warnings` is set) as `check` prints them; when there
/// are errors, `… not {verb}: N errors` and [`Invalid`].
pub fn show(
    diagnostics: &[diagnostic::Diagnostic],
    texts: &std::collections::HashMap<std::path::PathBuf, String>,
    verb: &str,
    warnings: bool,
) -> anyhow::Result<()> {
    let shown: Vec<_> = diagnostics
        .iter()
        .filter(|d| warnings || !d.is_warning())
        .cloned()
        .collect();
    eprint!("{}", diagnostic::render(&shown, |p| texts.get(p).cloned()));
    if diagnostics.iter().any(|d| !d.is_warning()) {
        eprintln!(
            "error: the facts are invalid (fix them first, see `coalition check`); not {verb}: {}",
            diagnostic::summary(diagnostics)
        );
        return Err(Invalid.into());
    }
    Ok(())
}

/// Output formats of the commands that print either a report for reading or JSON for tools.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TextFormat {
    /// Readable text with quotes.
    Text,
    /// JSON, for tools.
    Json,
}
