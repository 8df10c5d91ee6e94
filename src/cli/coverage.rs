//! `coalition coverage`: which sentences of each source the facts cite, set aside or leave out.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::curation::coverage::{self, EntityNames, SourceCoverage};
use crate::facts::load::did_you_mean;
use crate::model::Model;

/// Report, per source, the share of sentences the facts cite or set aside, and the rest.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder of fact files.
    #[arg(long, default_value = "seeds")]
    pub facts: PathBuf,
    /// Report on this source only.
    #[arg(long)]
    pub source: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Exit 1 when a source's coverage is below this percentage.
    #[arg(long, value_name = "N")]
    pub min: Option<f64>,
}

/// Output formats of `coverage`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A summary table, then the sentences to look at.
    Table,
    /// One JSON object per source.
    Json,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let model = Model::build(super::input::load_checked(&args.facts, "measured", false)?.corpus);
    let report: Vec<SourceCoverage> = match &args.source {
        None => coverage::coverage(&model),
        Some(id) => match model.source(id) {
            Some(sf) => vec![coverage::source_coverage(
                sf,
                &EntityNames::new(model.entities()),
            )],
            None => {
                let hint = did_you_mean(id, model.sources().map(|(id, _)| id))
                    .map(|h| format!("; {h}"))
                    .unwrap_or_default();
                eprintln!(
                    "error: no source `{id}` under {}{hint}",
                    args.facts.display()
                );
                return Ok(ExitCode::from(super::EXIT_USAGE));
            }
        },
    };
    match args.format {
        Format::Json => outln!("{}", serde_json::to_string_pretty(&report)?),
        Format::Table => out!("{}", table(&report)),
    }
    if let Some(min) = args.min {
        let low: Vec<&SourceCoverage> = report.iter().filter(|r| r.coverage < min).collect();
        for r in &low {
            eprintln!(
                "coverage of `{}` is {:.1} %, below the minimum {min} %",
                r.source, r.coverage
            );
        }
        if !low.is_empty() {
            return Ok(ExitCode::from(super::EXIT_INVALID));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn table(report: &[SourceCoverage]) -> String {
    let w = report
        .iter()
        .map(|r| r.source.chars().count())
        .max()
        .unwrap_or(0)
        .max(6);
    let mut out = format!(
        "{:<w$}  sentences  cited  ignored  uncited  coverage\n",
        "source"
    );
    for r in report {
        let _ = writeln!(
            out,
            "{:<w$}  {:>9}  {:>5}  {:>7}  {:>7}  {:>7.1} %",
            r.source, r.sentences, r.cited, r.ignored, r.uncited, r.coverage
        );
    }
    for r in report {
        if r.uncited_sentences.is_empty()
            && r.ignored_sentences.is_empty()
            && r.partly_cited_sentences.is_empty()
        {
            continue;
        }
        let _ = writeln!(out, "\n{}", r.source);
        if !r.uncited_sentences.is_empty() {
            let _ = writeln!(out, "  uncited (likely missing facts):");
            for s in &r.uncited_sentences {
                let _ = writeln!(out, "    line {}: {}", s.line, s.text);
                if !s.entities.is_empty() {
                    let _ = writeln!(out, "      names: {}", s.entities.join(", "));
                }
            }
        }
        if !r.partly_cited_sentences.is_empty() {
            let _ = writeln!(
                out,
                "  partly cited (less than half quoted; not counted against coverage):"
            );
            for s in &r.partly_cited_sentences {
                let _ = writeln!(
                    out,
                    "    line {} ({:.1} % quoted): {}",
                    s.line, s.quoted, s.text
                );
            }
        }
        if !r.ignored_sentences.is_empty() {
            let _ = writeln!(out, "  ignored by the curators:");
            for s in &r.ignored_sentences {
                let _ = writeln!(out, "    line {}: {}", s.line, s.text);
                for reason in &s.reasons {
                    let _ = writeln!(out, "      reason: {reason}");
                }
            }
        }
    }
    out
}
