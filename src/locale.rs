//! The site's language: interface strings and how numbers, periods and dates are written.
//!
//! Strings come from the theme's `i18n/<language>.toml`; formatting rules
//! live here so that charts, tables and templates write a figure the same
//! way everywhere ("86.4%", "−3.2", "1,234", "October 2026").

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::config::{Language, PeriodKind};
use crate::metrics::Period;

#[derive(Debug, Clone)]
pub struct Locale {
    pub language: Language,
    strings: BTreeMap<String, String>,
}

impl Locale {
    pub fn new(language: Language, strings: BTreeMap<String, String>) -> Locale {
        Locale { language, strings }
    }

    pub fn strings(&self) -> &BTreeMap<String, String> {
        &self.strings
    }

    /// The interface string `key`; the key itself when the theme lacks it
    /// (the theme loader checks that the bundled keys exist).
    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.strings.get(key).map_or(key, String::as_str)
    }

    /// `key` with `{name}` placeholders filled in.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        let mut text = self.t(key).to_string();
        for (name, value) in values {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    fn separators(&self) -> (&'static str, &'static str) {
        match self.language {
            Language::En | Language::Zh => (",", "."),
            // Russian groups with a narrow no-break space and uses a decimal comma.
            Language::Ru => ("\u{202f}", ","),
        }
    }

    /// A whole number with thousands separators: 12,345.
    pub fn count(&self, n: u64) -> String {
        let digits = n.to_string();
        let (group, _) = self.separators();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 * group.len());
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(group);
            }
            out.push(ch);
        }
        out
    }

    /// A number with `places` decimals; negative numbers get a true minus sign.
    pub fn decimal(&self, x: f64, places: usize) -> String {
        let text = format!("{:.*}", places, x.abs());
        let (_, point) = self.separators();
        let text = text.replace('.', point);
        // Avoid "−0.0": a value that rounds to zero has no sign.
        let rounds_to_zero = text.chars().all(|c| c == '0' || !c.is_ascii_digit());
        if x < 0.0 && !rounds_to_zero { format!("\u{2212}{text}") } else { text }
    }

    /// A number with an explicit sign: +2.3, −1.0, 0.0.
    pub fn signed(&self, x: f64, places: usize) -> String {
        let text = self.decimal(x, places);
        if text.starts_with('\u{2212}') || text.chars().all(|c| c == '0' || !c.is_ascii_digit()) {
            text
        } else {
            format!("+{text}")
        }
    }

    /// A percentage on 0–100: 86.4%.
    pub fn percent(&self, x: f64, places: usize) -> String {
        match self.language {
            Language::Ru => format!("{}\u{a0}%", self.decimal(x, places)),
            _ => format!("{}%", self.decimal(x, places)),
        }
    }

    /// An interval: 84.1–88.9.
    pub fn interval(&self, [lo, hi]: [f64; 2], places: usize) -> String {
        format!("{}–{}", self.decimal(lo, places), self.decimal(hi, places))
    }

    /// The name of a month, 1-based.
    pub fn month(&self, month: i8) -> &str {
        const KEYS: [&str; 12] = [
            "month_1", "month_2", "month_3", "month_4", "month_5", "month_6", "month_7", "month_8", "month_9",
            "month_10", "month_11", "month_12",
        ];
        self.t(KEYS[(month.clamp(1, 12) - 1) as usize])
    }

    /// A day: 31 October 2026.
    pub fn date(&self, d: Date) -> String {
        self.fill(
            "date_format",
            &[("day", &d.day().to_string()), ("month", self.month(d.month())), ("year", &d.year().to_string())],
        )
    }

    /// A period as people say it: "October 2026", "Q4 2026", "Week 41, 2026", "2026".
    pub fn period(&self, p: Period) -> String {
        let d = p.start;
        match p.kind {
            PeriodKind::Week => {
                let w = d.iso_week_date();
                self.fill("period_week", &[("week", &w.week().to_string()), ("year", &w.year().to_string())])
            }
            PeriodKind::Month => {
                self.fill("period_month", &[("month", self.month(d.month())), ("year", &d.year().to_string())])
            }
            PeriodKind::Quarter => self.fill(
                "period_quarter",
                &[("quarter", &((d.month() - 1) / 3 + 1).to_string()), ("year", &d.year().to_string())],
            ),
            PeriodKind::Year => d.year().to_string(),
        }
    }

    /// A period in few characters, for chart axes: "Oct 26", "Q4 26", "W41", "2026".
    pub fn period_short(&self, p: Period) -> String {
        let d = p.start;
        let yy = format!("{:02}", d.year().rem_euclid(100));
        match p.kind {
            PeriodKind::Week => format!("W{:02}", d.iso_week_date().week()),
            PeriodKind::Month => {
                let month: String = self.month(d.month()).chars().take(3).collect();
                format!("{month} {yy}")
            }
            PeriodKind::Quarter => format!("Q{} {yy}", (d.month() - 1) / 3 + 1),
            PeriodKind::Year => d.year().to_string(),
        }
    }

    /// "Monthly reports", "Quarterly reports", ...
    pub fn kind_reports(&self, kind: PeriodKind) -> &str {
        self.t(match kind {
            PeriodKind::Week => "reports_week",
            PeriodKind::Month => "reports_month",
            PeriodKind::Quarter => "reports_quarter",
            PeriodKind::Year => "reports_year",
        })
    }

    /// "Monthly report", "Quarterly report", ...
    pub fn kind_report(&self, kind: PeriodKind) -> &str {
        self.t(match kind {
            PeriodKind::Week => "report_week",
            PeriodKind::Month => "report_month",
            PeriodKind::Quarter => "report_quarter",
            PeriodKind::Year => "report_year",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en() -> Locale {
        let strings = [
            ("month_10", "October"),
            ("date_format", "{day} {month} {year}"),
            ("period_month", "{month} {year}"),
            ("period_quarter", "Q{quarter} {year}"),
            ("period_week", "Week {week}, {year}"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        Locale::new(Language::En, strings)
    }

    #[test]
    fn numbers() {
        let l = en();
        assert_eq!(l.count(0), "0");
        assert_eq!(l.count(999), "999");
        assert_eq!(l.count(1234567), "1,234,567");
        assert_eq!(l.decimal(86.44, 1), "86.4");
        assert_eq!(l.decimal(-3.25, 1), "\u{2212}3.2");
        assert_eq!(l.decimal(-0.04, 1), "0.0");
        assert_eq!(l.signed(2.26, 1), "+2.3");
        assert_eq!(l.signed(-2.26, 1), "\u{2212}2.3");
        assert_eq!(l.signed(0.01, 1), "0.0");
        assert_eq!(l.percent(86.44, 1), "86.4%");
        assert_eq!(l.interval([84.06, 88.94], 1), "84.1–88.9");
    }

    #[test]
    fn russian_groups_and_decimal_comma() {
        let l = Locale::new(Language::Ru, BTreeMap::new());
        assert_eq!(l.count(1234567), "1\u{202f}234\u{202f}567");
        assert_eq!(l.percent(86.44, 1), "86,4\u{a0}%");
    }

    #[test]
    fn periods_and_dates() {
        let l = en();
        let oct = Period::parse_key("2026-10").unwrap();
        assert_eq!(l.period(oct), "October 2026");
        assert_eq!(l.period_short(oct), "Oct 26");
        assert_eq!(l.period(Period::parse_key("2026-Q4").unwrap()), "Q4 2026");
        assert_eq!(l.period(Period::parse_key("2026-W41").unwrap()), "Week 41, 2026");
        assert_eq!(l.date(jiff::civil::date(2026, 10, 31)), "31 October 2026");
    }
}
