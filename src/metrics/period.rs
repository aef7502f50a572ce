//! Reporting periods: ISO weeks, calendar months, quarters and years of local days.
//!
//! A period is a kind and its first day; days are already local to the
//! site's time zone (ingest converts each timestamp once), so a period's
//! bounds never depend on DST. Keys are what users type in file names
//! (`2026-W41`, `2026-10`, `2026-Q4`, `2026`); slugs are their lowercase
//! form used in URLs.

use std::fmt;

use jiff::ToSpan;
use jiff::civil::{Date, ISOWeekDate, Weekday};

use crate::config::PeriodKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub kind: PeriodKind,
    /// The first day of the period.
    pub start: Date,
}

impl Period {
    /// The period of `kind` that contains `day`.
    pub fn containing(kind: PeriodKind, day: Date) -> Period {
        let start = match kind {
            PeriodKind::Week => day.iso_week_date().first_of_week().map(|w| w.date()).unwrap_or(day),
            PeriodKind::Month => day.first_of_month(),
            PeriodKind::Quarter => {
                Date::new(day.year(), (day.month() - 1) / 3 * 3 + 1, 1).expect("the first day of a quarter exists")
            }
            PeriodKind::Year => day.first_of_year(),
        };
        Period { kind, start }
    }

    /// The last day of the period.
    pub fn end(&self) -> Date {
        self.next().start.yesterday().expect("a period ends within the calendar")
    }

    pub fn next(&self) -> Period {
        let step = match self.kind {
            PeriodKind::Week => 1.week(),
            PeriodKind::Month => 1.month(),
            PeriodKind::Quarter => 3.months(),
            PeriodKind::Year => 1.year(),
        };
        Period { kind: self.kind, start: self.start.checked_add(step).expect("periods stay within the calendar") }
    }

    pub fn previous(&self) -> Period {
        let day_before = self.start.yesterday().expect("periods stay within the calendar");
        Period::containing(self.kind, day_before)
    }

    /// The key users write: `2026-W41`, `2026-10`, `2026-Q4`, `2026`.
    pub fn key(&self) -> String {
        let d = self.start;
        match self.kind {
            PeriodKind::Week => {
                let w = d.iso_week_date();
                format!("{:04}-W{:02}", w.year(), w.week())
            }
            PeriodKind::Month => format!("{:04}-{:02}", d.year(), d.month()),
            PeriodKind::Quarter => format!("{:04}-Q{}", d.year(), (d.month() - 1) / 3 + 1),
            PeriodKind::Year => format!("{:04}", d.year()),
        }
    }

    /// The key in URLs: `2026-w41`, `2026-10`, `2026-q4`, `2026`.
    pub fn slug(&self) -> String {
        self.key().to_lowercase()
    }

    /// Reads a key (any case); `None` when it names no period.
    pub fn parse_key(key: &str) -> Option<Period> {
        let key = key.trim().to_ascii_uppercase();
        let number =
            |s: &str| -> Option<i16> { s.bytes().all(|b| b.is_ascii_digit()).then(|| s.parse().ok()).flatten() };
        match key.split_once('-') {
            None if key.len() == 4 => {
                let year = number(&key)?;
                Some(Period { kind: PeriodKind::Year, start: Date::new(year, 1, 1).ok()? })
            }
            Some((year, rest)) if year.len() == 4 => {
                let year = number(year)?;
                if let Some(week) = rest.strip_prefix('W') {
                    let week = number(week).filter(|_| week.len() == 2)?;
                    let start = ISOWeekDate::new(year, week as i8, Weekday::Monday).ok()?.date();
                    Some(Period { kind: PeriodKind::Week, start })
                } else if let Some(quarter) = rest.strip_prefix('Q') {
                    let q = number(quarter).filter(|q| (1..=4).contains(q) && quarter.len() == 1)?;
                    Some(Period { kind: PeriodKind::Quarter, start: Date::new(year, (q as i8 - 1) * 3 + 1, 1).ok()? })
                } else {
                    let month = number(rest).filter(|_| rest.len() == 2)?;
                    Some(Period { kind: PeriodKind::Month, start: Date::new(year, month as i8, 1).ok()? })
                }
            }
            _ => None,
        }
    }

    /// Every period of `kind` from the one containing `first` to the one containing `last`.
    pub fn range(kind: PeriodKind, first: Date, last: Date) -> Vec<Period> {
        let mut periods = Vec::new();
        let mut p = Period::containing(kind, first);
        while p.start <= last {
            periods.push(p);
            p = p.next();
        }
        periods
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn p(kind: PeriodKind, y: i16, m: i8, d: i8) -> Period {
        Period::containing(kind, date(y, m, d))
    }

    #[test]
    fn iso_weeks_start_on_monday_and_use_the_iso_year() {
        // 2026-01-01 is a Thursday, so ISO week 1 of 2026 starts on Monday 2025-12-29.
        let w = p(PeriodKind::Week, 2026, 1, 1);
        assert_eq!(w.start, date(2025, 12, 29));
        assert_eq!(w.end(), date(2026, 1, 4));
        assert_eq!(w.key(), "2026-W01");
        // 2027-01-01 is a Friday: it still belongs to week 53 of 2026.
        assert_eq!(p(PeriodKind::Week, 2027, 1, 1).key(), "2026-W53");
        // 2026-10-05 is a Monday, the first day of week 41.
        assert_eq!(p(PeriodKind::Week, 2026, 10, 11).key(), "2026-W41");
        assert_eq!(p(PeriodKind::Week, 2026, 10, 11).start, date(2026, 10, 5));
    }

    #[test]
    fn months_quarters_and_years() {
        let m = p(PeriodKind::Month, 2024, 2, 17);
        assert_eq!((m.start, m.end(), m.key()), (date(2024, 2, 1), date(2024, 2, 29), "2024-02".to_string()));
        let q = p(PeriodKind::Quarter, 2026, 11, 30);
        assert_eq!((q.start, q.end(), q.key()), (date(2026, 10, 1), date(2026, 12, 31), "2026-Q4".to_string()));
        assert_eq!(q.slug(), "2026-q4");
        let y = p(PeriodKind::Year, 2026, 6, 1);
        assert_eq!((y.start, y.end(), y.key()), (date(2026, 1, 1), date(2026, 12, 31), "2026".to_string()));
    }

    #[test]
    fn previous_and_next_cross_year_boundaries() {
        let jan = p(PeriodKind::Month, 2026, 1, 15);
        assert_eq!(jan.previous().key(), "2025-12");
        assert_eq!(jan.previous().next(), jan);
        assert_eq!(p(PeriodKind::Quarter, 2026, 2, 1).previous().key(), "2025-Q4");
        assert_eq!(p(PeriodKind::Week, 2026, 1, 1).previous().key(), "2025-W52");
    }

    #[test]
    fn keys_round_trip_in_any_case() {
        for key in ["2026-W41", "2026-10", "2026-Q4", "2026", "2020-W53"] {
            assert_eq!(Period::parse_key(key).unwrap().key(), key);
            assert_eq!(Period::parse_key(&key.to_lowercase()).unwrap().key(), key);
        }
        for bad in ["2026-13", "2026-Q5", "2026-W54", "26-10", "2026-1", "october", "2026-10-01", ""] {
            assert_eq!(Period::parse_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn range_covers_first_to_last() {
        let r = Period::range(PeriodKind::Month, date(2025, 11, 20), date(2026, 2, 1));
        let keys: Vec<String> = r.iter().map(Period::key).collect();
        assert_eq!(keys, ["2025-11", "2025-12", "2026-01", "2026-02"]);
    }
}
