//! `coalition conflicts`: every disagreement between claims (different quantities or values for
//! the same relation, opposite stances of one actor on one thing), each side with source, date
//! and quote. Exit 0 whether or not there are conflicts: disagreeing sources are not an error.

use std::fmt::Write;
use std::process::ExitCode;

use crate::analysis::conflicts::{conflicts, Conflict, ConflictKind};
use crate::analysis::Period;

use super::input::{Input, TextFormat as Format};

/// List where sources disagree (quantities, values, stances), with each side's quotes.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub input: Input,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (model, period) = args.input.load()?;
    let found = conflicts(&model);
    match args.format {
        Format::Json => outln!("{}", serde_json::to_string_pretty(&found)?),
        Format::Text => out!("{}", text(&found, model.source_count(), &period)),
    }
    Ok(ExitCode::SUCCESS)
}

fn text(found: &[Conflict], sources: usize, period: &Period) -> String {
    let mut out = format!(
        "{} conflict{} among {sources} source{} ({period})\n",
        found.len(),
        if found.len() == 1 { "" } else { "s" },
        if sources == 1 { "" } else { "s" }
    );
    for (i, c) in found.iter().enumerate() {
        let what = match (c.kind, &c.object) {
            (ConflictKind::Stance, Some(o)) => format!("stance of {} on {o}", c.subject),
            (_, Some(o)) => format!("how many: {} {} {o}", c.subject, c.predicate.slug()),
            (_, None) => format!("value of {} {}", c.subject, c.predicate.slug()),
        };
        let _ = writeln!(out, "\n{}. {what}", i + 1);
        for s in &c.sides {
            let _ = writeln!(out, "   {}:", s.position);
            for cl in &s.claims {
                let detail = cl
                    .detail
                    .as_ref()
                    .map(|d| format!(" — {d}"))
                    .unwrap_or_default();
                let pred = if c.kind == ConflictKind::Stance {
                    format!(" [{}]", cl.predicate.slug())
                } else {
                    String::new()
                };
                let _ = writeln!(out, "     {} ({}){pred}{detail}", cl.source, cl.date);
                for q in &cl.quotes {
                    out += &super::explain::quote_block(q, "       ");
                }
            }
        }
    }
    out
}
