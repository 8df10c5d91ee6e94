//! `coalition explain A B`: the shortest evidence paths between two entities, each hop with the
//! quotes and sources that back it. Exit 0 when connected, 1 when there is no connection within
//! `--max-hops`, 2 for an unknown or ambiguous name.

use std::fmt::Write;
use std::process::ExitCode;

use crate::analysis::error::AnalysisError;
use crate::analysis::explain::{explain, EvidencePath};
use crate::analysis::resolve::resolve;
use crate::facts::schema::Certainty;

use super::input::{Input, TextFormat as Format};

/// Show how two entities are connected, with the quote behind every step (exit 1: no connection).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// First entity: id, name, label or alias (case-insensitive).
    pub a: String,
    /// Second entity.
    pub b: String,
    #[command(flatten)]
    pub input: Input,
    /// Show at most K paths (shortest first).
    #[arg(long, value_name = "K", default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..))]
    pub max_paths: u16,
    /// Ignore paths longer than N hops.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=12))]
    pub max_hops: u16,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let model = args.input.model()?;
    let a = resolve(&model, &args.a)?.clone();
    let b = resolve(&model, &args.b)?.clone();
    if a.id == b.id {
        return Err(AnalysisError::SameEntity(args.a, args.b).into());
    }
    let paths = explain(
        &model,
        &a.id,
        &b.id,
        args.max_paths.into(),
        args.max_hops.into(),
    );
    match args.format {
        Format::Json => {
            let report = serde_json::json!({
                "from": a.id,
                "to": b.id,
                "max_hops": args.max_hops,
                "paths": paths,
            });
            outln!("{}", serde_json::to_string_pretty(&report)?);
        }
        Format::Text if paths.is_empty() => outln!(
            "No connection between {} and {} within {} hop{}.",
            a.name,
            b.name,
            args.max_hops,
            if args.max_hops == 1 { "" } else { "s" }
        ),
        Format::Text => out!("{}", text(&a.name, &b.name, &paths)),
    }
    Ok(if paths.is_empty() {
        ExitCode::from(super::EXIT_INVALID)
    } else {
        ExitCode::SUCCESS
    })
}

fn text(a: &str, b: &str, paths: &[EvidencePath]) -> String {
    let mut out = format!(
        "{a} → {b}: {} path{}, shortest {} hop{}\n",
        paths.len(),
        if paths.len() == 1 { "" } else { "s" },
        paths[0].hops.len(),
        if paths[0].hops.len() == 1 { "" } else { "s" },
    );
    for (i, p) in paths.iter().enumerate() {
        let _ = writeln!(
            out,
            "\nPath {} ({} hop{}): {}",
            i + 1,
            p.hops.len(),
            if p.hops.len() == 1 { "" } else { "s" },
            p.entities.join(" – ")
        );
        for (h, hop) in p.hops.iter().enumerate() {
            for (k, l) in hop.links.iter().enumerate() {
                let n = if k == 0 {
                    format!("{}.", h + 1)
                } else {
                    "  ".into()
                };
                let back = if l.forward {
                    ""
                } else {
                    "  (walked backwards)"
                };
                let _ = writeln!(
                    out,
                    "  {n} {} —{}→ {}{back}",
                    l.subject_label,
                    l.predicate.label(),
                    l.object_label
                );
                for c in &l.claims {
                    let mut how = String::new();
                    match (c.certainty, &c.attributed_to) {
                        (Certainty::Attributed, Some(w)) => how = format!(", attributed to {w}"),
                        (Certainty::Attributed, None) => how = ", attributed".into(),
                        (Certainty::Inferred, _) => how = ", inferred by the curators".into(),
                        (Certainty::Stated, _) => {}
                    }
                    for q in &c.quotes {
                        let line = q.line;
                        out += &quote_block(&q.text, "       ");
                        let _ = writeln!(
                            out,
                            "         — {} ({}), line {line}{how}",
                            c.source, c.date
                        );
                    }
                }
            }
        }
    }
    out
}

/// `« quote »` wrapped at 100 columns under `indent`, whitespace collapsed.
pub(super) fn quote_block(q: &str, indent: &str) -> String {
    let mut out = String::new();
    let mut line = format!("{indent}«");
    for w in q.split_whitespace() {
        if line.chars().count() + 1 + w.chars().count() > 100 {
            out += &line;
            out += "\n";
            line = format!("{indent} ");
        }
        line.push(' ');
        line += w;
    }
    out + &line + " »\n"
}
