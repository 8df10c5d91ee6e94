//! `coalition analyze`: degrees, centralities and components of the statement graph, the
//! coalition against its targets, or (`--over-time`) the coalition period by period..

use std::fmt::Write;
use std::process::ExitCode;

use crate::analysis::centrality::{structure, Structure};
use crate::analysis::coalition::{coalitions, CoalitionSummary, Tie};
use crate::analysis::slice::only_source;
use crate::export::csv::Rows;

pub use super::input::Input;
use crate::analysis::timeline::{over_time, Granularity, PeriodRow};
use crate::analysis::Period;

/// Output formats of `analyze`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned text for reading.
    Table,
    /// The entity table (or the over-time table) as CSV.
    Csv,
    /// Everything, as JSON.
    Json,
}

/// Degree, betweenness and closeness of each entity, components, and the coalition against its
/// targets (see docs/ANALYSIS.md).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub input: Input,
    /// Analyse one source only.
    #[arg(long, value_name = "ID")]
    pub source: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Show the coalition's members and signatories period by period instead.
    #[arg(long)]
    pub over_time: bool,
    /// Length of the periods of `--over-time`.
    #[arg(long, value_enum, default_value_t = Granularity::Year, requires = "over_time")]
    pub period: Granularity,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (model, period) = args.input.load()?;
    let model = match &args.source {
        Some(id) => only_source(&model, id)?,
        None => model,
    };
    let sources: Vec<String> = model.sources().map(|(id, _)| id.to_string()).collect();
    if args.over_time {
        let rows = over_time(&model, args.period);
        out!(
            "{}",
            match args.format {
                Format::Json => serde_json::to_string_pretty(&rows)? + "\n",
                Format::Csv => over_time_csv(&rows),
                Format::Table => over_time_table(&rows),
            }
        );
        return Ok(ExitCode::SUCCESS);
    }
    let s = structure(&model);
    let cs = coalitions(&model);
    match args.format {
        Format::Json => {
            let report = serde_json::json!({
                "period": period.to_string(),
                "sources": sources,
                "structure": s,
                "coalitions": cs,
            });
            outln!("{}", serde_json::to_string_pretty(&report)?);
        }
        Format::Csv => out!("{}", entities_csv(&s)),
        Format::Table => out!("{}", table(&s, &cs, &sources, &period)),
    }
    Ok(ExitCode::SUCCESS)
}

fn entities_csv(s: &Structure) -> String {
    let mut out = Rows::lf();
    out.row(&[
        "id",
        "label",
        "kind",
        "in_degree",
        "out_degree",
        "degree",
        "neighbours",
        "betweenness",
        "closeness",
        "component",
    ]);
    for e in &s.entities {
        out.row(&[
            e.id.clone(),
            e.label.clone(),
            e.kind.slug().to_string(),
            e.in_degree.to_string(),
            e.out_degree.to_string(),
            e.degree.to_string(),
            e.neighbours.to_string(),
            e.betweenness.to_string(),
            e.closeness.to_string(),
            e.component.to_string(),
        ]);
    }
    out.into_string()
}

/// Left-aligned text columns, two spaces apart; numbers right-aligned.
fn columns(rows: &[Vec<String>], numeric_from: usize) -> String {
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in rows {
        let cells: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i >= numeric_from {
                    format!("{c:>w$}", w = widths[i])
                } else {
                    format!("{c:<w$}", w = widths[i])
                }
            })
            .collect();
        out += cells.join("  ").trim_end();
        out += "\n";
    }
    out
}

/// `items` (ids: no spaces) joined by `, ` and wrapped at 100 columns under `indent`.
fn wrap(items: &[String], indent: &str) -> String {
    let lines = crate::diagram::escape::wrap(&items.join(", "), 100 - indent.len());
    lines.iter().map(|l| format!("{indent}{l}\n")).collect()
}

fn table(s: &Structure, cs: &[CoalitionSummary], sources: &[String], period: &Period) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Network: {} entities, {} relations, {} source{} ({period})",
        s.entities.len(),
        s.relations,
        sources.len(),
        if sources.len() == 1 { "" } else { "s" }
    );
    let _ = writeln!(
        out,
        "Degrees follow the stated direction; centralities treat the graph as undirected.\n"
    );
    if s.entities.is_empty() {
        return out + "No statements in this period.\n";
    }
    let mut rows = vec![[
        "ENTITY",
        "KIND",
        "IN",
        "OUT",
        "DEGREE",
        "BETWEENNESS",
        "CLOSENESS",
        "COMPONENT",
    ]
    .map(String::from)
    .to_vec()];
    for e in &s.entities {
        rows.push(vec![
            e.id.clone(),
            e.kind.slug().to_string(),
            e.in_degree.to_string(),
            e.out_degree.to_string(),
            e.degree.to_string(),
            format!("{:.4}", e.betweenness),
            format!("{:.4}", e.closeness),
            e.component.to_string(),
        ]);
    }
    out += &columns(&rows, 2);
    let _ = writeln!(out, "\nConnected components: {}", s.components.len());
    for (i, c) in s.components.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {}. {} entit{}:",
            i + 1,
            c.len(),
            if c.len() == 1 { "y" } else { "ies" }
        );
        out += &wrap(c, "       ");
    }
    for c in cs {
        out += &coalition_text(c);
    }
    out
}

fn coalition_text(c: &CoalitionSummary) -> String {
    let mut out = format!("\nCoalition `{}`: {}\n", c.id, c.label);
    if c.stated_size.is_empty() {
        out += "  Stated size: none given\n";
    }
    for z in &c.stated_size {
        let _ = writeln!(
            out,
            "  Stated size: {} [{}, {}]",
            z.short(),
            z.source,
            z.date
        );
    }
    if !c.letters.is_empty() {
        let _ = writeln!(out, "  Letters signed: {}", c.letters.join(", "));
    }
    let ties = |out: &mut String, title: &str, ts: &[Tie]| {
        let _ = writeln!(out, "  {title} ({}):", ts.len());
        for t in ts {
            let _ = writeln!(out, "    {} — {}", t.id, t.reasons.join("; "));
        }
    };
    ties(&mut out, "Members", &c.members);
    ties(&mut out, "Other signatories", &c.signatories);
    ties(&mut out, "Allies outside the coalition", &c.allies);
    ties(&mut out, "Targets", &c.targets);
    out
}

fn over_time_csv(rows: &[PeriodRow]) -> String {
    let mut out = Rows::lf();
    out.row(&[
        "period",
        "coalition",
        "sources",
        "members",
        "signatories",
        "stated_size",
        "member_ids",
        "signatory_ids",
        "source_ids",
    ]);
    for r in rows {
        out.row(&[
            r.period.clone(),
            r.coalition.clone().unwrap_or_default(),
            r.sources.len().to_string(),
            r.members.len().to_string(),
            r.signatories.len().to_string(),
            r.stated_size.join(";"),
            r.members.join(";"),
            r.signatories.join(";"),
            r.sources.join(";"),
        ]);
    }
    out.into_string()
}

fn over_time_table(rows: &[PeriodRow]) -> String {
    let mut t = vec![[
        "PERIOD",
        "COALITION",
        "SOURCES",
        "MEMBERS",
        "SIGNATORIES",
        "STATED SIZE",
    ]
    .map(String::from)
    .to_vec()];
    for r in rows {
        t.push(vec![
            r.period.clone(),
            r.coalition.clone().unwrap_or_else(|| "-".into()),
            r.sources.len().to_string(),
            r.members.len().to_string(),
            r.signatories.len().to_string(),
            if r.stated_size.is_empty() {
                "-".into()
            } else {
                r.stated_size.join(" / ")
            },
        ]);
    }
    if rows.is_empty() {
        return "No sources in this period.\n".into();
    }
    let mut out = columns(&t, 99);
    out += "\nNamed members and signatories per period:\n";
    for r in rows {
        let mut names: Vec<String> = r.members.iter().chain(&r.signatories).cloned().collect();
        names.sort();
        names.dedup();
        let _ = writeln!(
            out,
            "  {} {}:",
            r.period,
            r.coalition.as_deref().unwrap_or("-")
        );
        if names.is_empty() {
            out += "       (none named)\n";
        } else {
            out += &wrap(&names, "       ");
        }
    }
    out
}
