//! `coalition diff`: what a change to the fact files does to the graph, for code review.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::curation::{diff, git};
use crate::model::Model;

/// Show the statements, entities, evidence and quotations a change adds, removes or changes.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("old").required(true).args(["rev", "against"]))]
pub struct Args {
    /// Compare with the facts folder as of this git revision (e.g. `HEAD`, `main`, `HEAD~1`).
    pub rev: Option<String>,
    /// Compare with this facts folder instead of a git revision.
    #[arg(long, value_name = "DIR")]
    pub against: Option<PathBuf>,
    /// Folder of fact files: the new side.
    #[arg(long, default_value = "seeds")]
    pub facts: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Output formats of `diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable report.
    Text,
    /// The changes as JSON.
    Json,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let export;
    let (old_dir, old_name) = match (&args.rev, &args.against) {
        (Some(rev), _) => {
            export = git::export(&args.facts, rev)?;
            let short: String = export.commit.chars().take(12).collect();
            (
                export.facts.clone(),
                format!("{} at {rev} ({short})", args.facts.display()),
            )
        }
        (None, Some(dir)) => (dir.clone(), dir.display().to_string()),
        (None, None) => anyhow::bail!("give a git revision or --against DIR"),
    };
    let load = |dir: &PathBuf, name: &str| -> anyhow::Result<Model> {
        let checked = super::input::load_checked(dir, &format!("compared ({name})"), false)?;
        Ok(Model::build(checked.corpus))
    };
    let old = load(&old_dir, &old_name)?;
    let new_name = args.facts.display().to_string();
    let new = load(&args.facts, &new_name)?;
    let d = diff::diff(&old, &new);
    match args.format {
        Format::Json => outln!("{}", serde_json::to_string_pretty(&d)?),
        Format::Text => {
            outln!("--- {old_name}\n+++ {new_name}");
            out!("{}", d.to_text());
        }
    }
    Ok(ExitCode::SUCCESS)
}
