//! The facts folder and the period (`--from`/`--to`, by source date) shared by the commands that
//! read the facts: checks them, reports errors, and slices the corpus.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::analysis::{slice, Period};
use crate::facts::{self, diagnostic, Corpus};
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
    /// Checks the facts and slices them. `Ok(Err(code))` when the facts are invalid (reported).
    pub fn load(&self) -> anyhow::Result<Result<(Corpus, Period), ExitCode>> {
        let period = Period::parse(self.from.as_deref(), self.to.as_deref())?;
        let checked = facts::check(&self.facts)?;
        if checked.has_errors() {
            let errors: Vec<_> = checked
                .diagnostics
                .iter()
                .filter(|d| !d.is_warning())
                .cloned()
                .collect();
            eprint!(
                "{}",
                diagnostic::render(&errors, |p| checked.texts.get(p).cloned())
            );
            eprintln!("error: the facts are invalid; fix them first (see `coalition check`)");
            return Ok(Err(ExitCode::from(super::EXIT_INVALID)));
        }
        Ok(Ok((slice(&checked.corpus, &period), period)))
    }
}

impl Input {
    /// The model of the sliced facts, or the exit code when they are invalid (reported).
    pub fn model(&self) -> anyhow::Result<Result<Model, ExitCode>> {
        Ok(self.load()?.map(|(corpus, _)| Model::build(corpus)))
    }
}

/// Output formats of the commands that print either a report for reading or JSON for tools.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TextFormat {
    /// Readable text with quotes.
    Text,
    /// JSON, for tools.
    Json,
}
