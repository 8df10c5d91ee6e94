//! `coalition check`: validates the fact files and reports every problem.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::facts::{self, diagnostic};

/// Validate the fact files and report every problem (exit 1 when invalid).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder of fact files.
    #[arg(long, default_value = "seeds")]
    pub facts: PathBuf,
    /// Fail on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Report as JSON (one object per diagnostic) instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let rep = super::global::reporter();
    let cache = super::global::cache(&args.facts);
    let checked = match &cache {
        Some(c) => facts::incremental::check(&args.facts, c, &rep)?,
        None => facts::check_with(&args.facts, None, &rep)?.into(),
    };
    super::global::report_cache(&rep, cache.as_ref());
    let diags = &checked.diagnostics;
    if args.json {
        outln!("{}", serde_json::to_string_pretty(diags)?);
    } else {
        eprint!(
            "{}",
            diagnostic::render(diags, |p| checked.texts.get(p).cloned())
        );
        rep.say(format_args!(
            "checked {} sources, {} entities, {} statements, {} quotations: {}",
            checked.sources,
            checked.entities,
            checked.statements,
            checked.quotations,
            diagnostic::summary(diags)
        ));
    }
    let fail = checked.has_errors() || (args.deny_warnings && !diags.is_empty());
    Ok(if fail {
        ExitCode::from(super::EXIT_INVALID)
    } else {
        ExitCode::SUCCESS
    })
}
