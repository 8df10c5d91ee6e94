//! Partial dates (`2018`, `2018-05`, `2018-05-22`) as used by sources and qualifiers, mapped onto
//! the XML Schema types `xsd:gYear`, `xsd:gYearMonth` and `xsd:date`
//! (<https://www.w3.org/TR/xmlschema11-2/#gYear>).

use std::fmt;

/// A date known to the year, the month or the day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    /// Year (1000–2999).
    pub year: u16,
    /// Month 1–12, when known.
    pub month: Option<u8>,
    /// Day of the month, when known.
    pub day: Option<u8>,
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, rejecting impossible dates.
    pub fn parse(s: &str) -> Result<Self, String> {
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, len: usize, what: &str| -> Result<u32, String> {
            if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("{what} must have {len} digits"));
            }
            p.parse::<u32>().map_err(|e| e.to_string())
        };
        if parts.is_empty() || parts.len() > 3 {
            return Err("expected YYYY, YYYY-MM or YYYY-MM-DD".into());
        }
        let year = num(parts[0], 4, "the year")?;
        if !(1000..=2999).contains(&year) {
            return Err(format!("year {year} is out of range"));
        }
        let month = parts.get(1).map(|p| num(p, 2, "the month")).transpose()?;
        if let Some(m) = month {
            if !(1..=12).contains(&m) {
                return Err(format!("month {m} does not exist"));
            }
        }
        let day = parts.get(2).map(|p| num(p, 2, "the day")).transpose()?;
        if let (Some(d), Some(m)) = (day, month) {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            let max = match m {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            if d == 0 || d > max {
                return Err(format!("day {d} does not exist in month {m}"));
            }
        }
        Ok(PartialDate {
            year: year as u16,
            month: month.map(|m| m as u8),
            day: day.map(|d| d as u8),
        })
    }

    /// The XML Schema datatype local name for this precision.
    pub fn xsd_type(&self) -> &'static str {
        match (self.month, self.day) {
            (Some(_), Some(_)) => "date",
            (Some(_), None) => "gYearMonth",
            _ => "gYear",
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_partial_dates() {
        assert_eq!(PartialDate::parse("2018").unwrap().xsd_type(), "gYear");
        assert_eq!(
            PartialDate::parse("2018-05").unwrap().to_string(),
            "2018-05"
        );
        assert_eq!(PartialDate::parse("2020-02-29").unwrap().xsd_type(), "date");
    }

    #[test]
    fn rejects_impossible_dates() {
        for bad in [
            "18",
            "2018-13",
            "2019-02-29",
            "2018-5",
            "2018-05-22-1",
            "May 2018",
            "",
        ] {
            assert!(PartialDate::parse(bad).is_err(), "{bad}");
        }
    }
}
