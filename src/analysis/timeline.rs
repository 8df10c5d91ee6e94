//! The coalition over time: sources grouped by year or month of publication, and for each
//! period the coalition's named members and signatories and the sizes sources give, as reported
//! by the sources of that period alone.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::facts::date::PartialDate;
use crate::model::Model;

use super::coalition::coalitions;

/// Length of a period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    /// Calendar years.
    Year,
    /// Calendar months; sources dated to the year only get a period of their own (`2018`).
    Month,
}

/// One coalition in one period.
#[derive(Clone, Debug, Serialize)]
pub struct PeriodRow {
    /// `2018` or `2018-05`.
    pub period: String,
    /// Sources published in the period.
    pub sources: Vec<String>,
    /// Coalition id (absent when the period's sources mention no coalition).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coalition: Option<String>,
    /// Named members.
    pub members: Vec<String>,
    /// Named signatories of its letters.
    pub signatories: Vec<String>,
    /// Sizes the period's sources give, short form.
    pub stated_size: Vec<String>,
}

fn period_of(d: &PartialDate, g: Granularity) -> String {
    match (g, d.month) {
        (Granularity::Month, Some(m)) => format!("{:04}-{m:02}", d.year),
        _ => format!("{:04}", d.year),
    }
}

/// One row per period and coalition, by period then coalition id.
pub fn over_time(model: &Model, g: Granularity) -> Vec<PeriodRow> {
    let mut buckets: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (id, s) in model.sources() {
        buckets
            .entry(period_of(&s.date, g))
            .or_default()
            .push(id.to_string());
    }
    let mut rows = Vec::new();
    for (period, sources) in buckets {
        let part = model.restricted(|_, s| period_of(&s.date, g) == period);
        let summaries = coalitions(&part);
        if summaries.is_empty() {
            rows.push(PeriodRow {
                period,
                sources,
                coalition: None,
                members: Vec::new(),
                signatories: Vec::new(),
                stated_size: Vec::new(),
            });
            continue;
        }
        for c in summaries {
            rows.push(PeriodRow {
                period: period.clone(),
                sources: sources.clone(),
                coalition: Some(c.id),
                members: c.members.into_iter().map(|t| t.id).collect(),
                signatories: c.signatories.into_iter().map(|t| t.id).collect(),
                stated_size: c.stated_size.iter().map(|s| s.short()).collect(),
            });
        }
    }
    rows
}
