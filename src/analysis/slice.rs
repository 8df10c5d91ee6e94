//! Time slicing: restricts a model to the sources published in a period, so that every analysis,
//! diagram or export can be run "as of" a date range. Dates may be partial (`2018`, `2018-05`).
//!
//! A partial date stands for every day it covers: `2018-05` is 1–31 May 2018. A source is kept
//! when its date *may* fall in the period, that is when the two spans overlap. So
//! `--from 2018-05 --to 2018-05` keeps sources dated `2018-05`, `2018-05-22` and `2018`.

use std::fmt;

use crate::facts::date::PartialDate;
use crate::model::Model;

use super::error::AnalysisError;

/// A period with optional bounds, both inclusive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Period {
    /// First date covered (its first day), when bounded.
    pub from: Option<PartialDate>,
    /// Last date covered (its last day), when bounded.
    pub to: Option<PartialDate>,
}

/// `(year, month, day)`; days past the month's end are harmless since only order matters.
type Day = (u16, u8, u8);

fn first_day(d: &PartialDate) -> Day {
    (d.year, d.month.unwrap_or(1), d.day.unwrap_or(1))
}

fn last_day(d: &PartialDate) -> Day {
    (d.year, d.month.unwrap_or(12), d.day.unwrap_or(31))
}

impl Period {
    /// Parses optional `--from` / `--to` dates, rejecting malformed dates and empty periods.
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<Period, AnalysisError> {
        let parse = |s: &str| {
            PartialDate::parse(s).map_err(|why| AnalysisError::InvalidDate {
                date: s.to_string(),
                why,
            })
        };
        let period = Period {
            from: from.map(parse).transpose()?,
            to: to.map(parse).transpose()?,
        };
        if let (Some(f), Some(t)) = (&period.from, &period.to) {
            if first_day(f) > last_day(t) {
                return Err(AnalysisError::EmptyPeriod {
                    from: f.to_string(),
                    to: t.to_string(),
                });
            }
        }
        Ok(period)
    }

    /// Whether the period is unbounded.
    pub fn is_all(&self) -> bool {
        self.from.is_none() && self.to.is_none()
    }

    /// Whether a (partial) date may fall in the period: the spans overlap.
    pub fn contains(&self, date: &PartialDate) -> bool {
        self.from.is_none_or(|f| last_day(date) >= first_day(&f))
            && self.to.is_none_or(|t| first_day(date) <= last_day(&t))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.from, &self.to) {
            (None, None) => write!(f, "all dates"),
            (Some(a), None) => write!(f, "from {a}"),
            (None, Some(b)) => write!(f, "up to {b}"),
            (Some(a), Some(b)) => write!(f, "{a} to {b}"),
        }
    }
}

/// The model restricted to sources whose date may fall in `period` (itself when the period is
/// unbounded). The entity registry is kept whole: entities no remaining statement uses simply
/// drop out of the graph.
pub fn slice(model: Model, period: &Period) -> Model {
    if period.is_all() {
        return model;
    }
    model.restricted(|_, s| period.contains(&s.date))
}

/// The model restricted to one source.
pub fn only_source(model: &Model, id: &str) -> Result<Model, AnalysisError> {
    if model.source(id).is_none() {
        let mut suggestions: Vec<(f64, &str)> = model
            .sources()
            .map(|(k, _)| (strsim::normalized_damerau_levenshtein(id, k), k))
            .filter(|(score, k)| *score >= 0.5 || k.contains(id))
            .collect();
        suggestions.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        return Err(AnalysisError::UnknownSource {
            id: id.to_string(),
            suggestions: suggestions
                .into_iter()
                .take(3)
                .map(|(_, k)| format!("`{k}`"))
                .collect(),
        });
    }
    Ok(model.restricted(|sid, _| sid == id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    fn p(from: Option<&str>, to: Option<&str>) -> Period {
        Period::parse(from, to).unwrap()
    }

    #[test]
    fn partial_dates_overlap() {
        let may = p(Some("2018-05"), Some("2018-05"));
        assert!(may.contains(&d("2018-05")));
        assert!(may.contains(&d("2018-05-31")));
        assert!(may.contains(&d("2018")), "a year-only date may fall in May");
        assert!(!may.contains(&d("2018-06")));
        assert!(!may.contains(&d("2018-04-30")));
        assert!(!may.contains(&d("2017")));
    }

    #[test]
    fn open_bounds() {
        assert!(p(Some("2018-06"), None).contains(&d("2030")));
        assert!(!p(Some("2018-06"), None).contains(&d("2018-05-31")));
        assert!(p(None, Some("2018")).contains(&d("2018-12-31")));
        assert!(!p(None, Some("2018")).contains(&d("2019-01")));
        assert!(Period::default().contains(&d("1999")));
    }

    #[test]
    fn rejects_bad_periods() {
        assert!(matches!(
            Period::parse(Some("2018-13"), None),
            Err(AnalysisError::InvalidDate { .. })
        ));
        assert!(matches!(
            Period::parse(Some("2019"), Some("2018-12")),
            Err(AnalysisError::EmptyPeriod { .. })
        ));
        assert!(Period::parse(Some("2018-05-10"), Some("2018-05")).is_ok());
    }
}
