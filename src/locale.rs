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
        // One pass over the text: a value is never searched for placeholders itself (a segment
        // named "{n}" stays "{n}"), and a placeholder without a value stays as it is.
        let template = self.t(key);
        let mut out = String::with_capacity(template.len() + values.iter().map(|(_, v)| v.len()).sum::<usize>());
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let value = after
                .find('}')
                .and_then(|close| values.iter().find(|(name, _)| *name == &after[..close]).map(|(_, v)| (close, v)));
            match value {
                Some((close, value)) => {
                    out.push_str(value);
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
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

    /// Items of a list, as this language separates them: "email, chat"; in Chinese with the
    /// enumeration comma, "邮件、聊天".
    pub fn list<S: AsRef<str>>(&self, items: impl IntoIterator<Item = S>) -> String {
        let separator = match self.language {
            Language::Zh => "、",
            Language::En | Language::Ru => ", ",
        };
        let mut out = String::new();
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                out.push_str(separator);
            }
            out.push_str(item.as_ref());
        }
        out
    }

    /// The decimal separator: `.` or `,`.
    pub fn decimal_point(&self) -> &'static str {
        self.separators().1
    }

    /// A number as a chart library wrote it (`6.3`, `-0.5`, `84.2%`), with this locale's
    /// decimal separator; `None` when it is not such a number or needs no change.
    pub fn chart_number(&self, text: &str) -> Option<String> {
        let point = self.decimal_point();
        let number = text.strip_suffix('%').unwrap_or(text);
        let digits = number.strip_prefix('-').unwrap_or(number);
        let (whole, fraction) = digits.split_once('.')?;
        let is_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        (point != "." && is_digits(whole) && is_digits(fraction)).then(|| text.replacen('.', point, 1))
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

    /// The name of a month, 1-based: "October", "Октябрь", "10月".
    pub fn month(&self, month: i8) -> &str {
        self.month_key("month", month)
    }

    /// The string `{family}_{month}` (`month_10`, `month_short_10`), for a month 1–12; the month's
    /// number when the theme lacks it.
    fn month_key(&self, family: &str, month: i8) -> &str {
        let number = MONTHS[month.clamp(1, 12) as usize - 1];
        self.strings.get(&format!("{family}_{number}")).map_or(number, String::as_str)
    }

    /// A day: "31 October 2026", "31 октября 2026 г.", "2026年10月31日".
    pub fn date(&self, d: Date) -> String {
        self.fill(
            "date_format",
            &[
                ("day", &d.day().to_string()),
                // Languages that decline month names use the genitive inside a date ("31 октября").
                ("month", self.month_key("month_genitive", d.month())),
                ("year", &d.year().to_string()),
            ],
        )
    }

    /// A period as people say it: "October 2026", "Q4 2026", "Week 41, 2026", "2026".
    pub fn period(&self, p: Period) -> String {
        let d = p.start;
        let year = d.year().to_string();
        match p.kind {
            PeriodKind::Week => {
                let w = d.iso_week_date();
                self.fill("period_week", &[("week", &w.week().to_string()), ("year", &w.year().to_string())])
            }
            PeriodKind::Month => self.fill("period_month", &[("month", self.month(d.month())), ("year", &year)]),
            PeriodKind::Quarter => {
                self.fill("period_quarter", &[("quarter", &quarter(d).to_string()), ("year", &year)])
            }
            PeriodKind::Year => self.fill("period_year", &[("year", &year)]),
        }
    }

    /// A period in few characters, for chart axes: "Oct 26", "Q4 26", "W41", "2026" in English;
    /// "окт 26", "26年10月" in Russian and Chinese.
    pub fn period_short(&self, p: Period) -> String {
        let d = p.start;
        let yy = format!("{:02}", d.year().rem_euclid(100));
        match p.kind {
            PeriodKind::Week => {
                self.fill("period_short_week", &[("week", &format!("{:02}", d.iso_week_date().week()))])
            }
            PeriodKind::Month => {
                self.fill("period_short_month", &[("month", self.month_key("month_short", d.month())), ("yy", &yy)])
            }
            PeriodKind::Quarter => {
                self.fill("period_short_quarter", &[("quarter", &quarter(d).to_string()), ("yy", &yy)])
            }
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

/// The month numbers as the keys spell them (`month_10`, `month_short_10`).
const MONTHS: [&str; 12] = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"];

/// The quarter of the year a day falls in, 1–4.
fn quarter(d: Date) -> i8 {
    (d.month() - 1) / 3 + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default theme's strings for `language`.
    fn bundled(language: Language) -> Locale {
        let text = match language {
            Language::En => include_str!("../themes/default/i18n/en.toml"),
            Language::Ru => include_str!("../themes/default/i18n/ru.toml"),
            Language::Zh => include_str!("../themes/default/i18n/zh.toml"),
        };
        Locale::new(language, toml::from_str(text).expect("the bundled strings are TOML"))
    }

    fn period(key: &str) -> Period {
        Period::parse_key(key).expect("a period key")
    }

    #[test]
    fn lists_are_separated_as_each_language_does() {
        let items = ["month", "quarter"];
        assert_eq!(bundled(Language::En).list(items), "month, quarter");
        assert_eq!(bundled(Language::Ru).list(items), "month, quarter");
        assert_eq!(bundled(Language::Zh).list(["月", "季度"]), "月、季度");
        assert_eq!(bundled(Language::Zh).list(Vec::<String>::new()), "");
    }

    #[test]
    fn chart_numbers_take_the_decimal_comma_in_russian_only() {
        let (ru, en) = (bundled(Language::Ru), bundled(Language::En));
        assert_eq!(ru.chart_number("6.3%").as_deref(), Some("6,3%"));
        assert_eq!(ru.chart_number("-0.25").as_deref(), Some("-0,25"));
        for text in ["100%", "12", "May 2026", "1.2.3", ".5", "5.", "v1.0"] {
            assert_eq!(ru.chart_number(text), None, "{text}");
        }
        assert_eq!(en.chart_number("6.3%"), None);
        assert_eq!(bundled(Language::Zh).chart_number("6.3%"), None);
    }

    #[test]
    fn fill_puts_each_value_in_once_and_leaves_other_braces() {
        let strings = [("greeting", "{name} has {n} of {n}; {unknown} {name"), ("plain", "no places")];
        let l = Locale::new(Language::En, strings.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect());
        // A value that looks like a placeholder (untrusted text: a segment's name) is not filled in again.
        assert_eq!(l.fill("greeting", &[("name", "{n}"), ("n", "3")]), "{n} has 3 of 3; {unknown} {name");
        assert_eq!(l.fill("plain", &[("n", "3")]), "no places");
        assert_eq!(l.fill("missing_key", &[]), "missing_key");
    }

    #[test]
    fn numbers() {
        let l = bundled(Language::En);
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
        let l = bundled(Language::Ru);
        assert_eq!(l.count(1234567), "1\u{202f}234\u{202f}567");
        assert_eq!(l.count(999), "999");
        assert_eq!(l.decimal(-3.25, 1), "\u{2212}3,2");
        assert_eq!(l.signed(2.26, 1), "+2,3");
        assert_eq!(l.percent(86.44, 1), "86,4\u{a0}%");
        assert_eq!(l.interval([84.06, 88.94], 1), "84,1–88,9");
    }

    #[test]
    fn chinese_numbers_are_written_as_in_english() {
        let l = bundled(Language::Zh);
        assert_eq!(l.count(1234567), "1,234,567");
        assert_eq!(l.decimal(-3.25, 1), "\u{2212}3.2");
        assert_eq!(l.percent(86.44, 1), "86.4%");
    }

    #[test]
    fn periods_and_dates() {
        let l = bundled(Language::En);
        assert_eq!(l.period(period("2026-10")), "October 2026");
        assert_eq!(l.period_short(period("2026-10")), "Oct 26");
        assert_eq!(l.period(period("2026-Q4")), "Q4 2026");
        assert_eq!(l.period_short(period("2026-Q4")), "Q4 26");
        assert_eq!(l.period(period("2026-W41")), "Week 41, 2026");
        assert_eq!(l.period_short(period("2026-W05")), "W05");
        assert_eq!(l.period(period("2026")), "2026");
        assert_eq!(l.date(jiff::civil::date(2026, 10, 31)), "31 October 2026");
    }

    #[test]
    fn russian_periods_and_dates() {
        let l = bundled(Language::Ru);
        assert_eq!(l.date(jiff::civil::date(2026, 10, 31)), "31 октября 2026 г.");
        assert_eq!(l.date(jiff::civil::date(2026, 5, 1)), "1 мая 2026 г.");
        assert_eq!(l.period(period("2026-10")), "Октябрь 2026");
        assert_eq!(l.period(period("2026-Q2")), "2-й квартал 2026");
        assert_eq!(l.period(period("2026-W41")), "Неделя 41, 2026");
        assert_eq!(l.period(period("2026")), "2026 год");
        assert_eq!(l.period_short(period("2026-10")), "окт 26");
        assert_eq!(l.period_short(period("2026-05")), "май 26");
        assert_eq!(l.period_short(period("2026-Q4")), "4 кв. 26");
        assert_eq!(l.period_short(period("2026-W41")), "нед. 41");
    }

    #[test]
    fn chinese_periods_and_dates() {
        let l = bundled(Language::Zh);
        assert_eq!(l.date(jiff::civil::date(2026, 10, 31)), "2026年10月31日");
        assert_eq!(l.date(jiff::civil::date(2026, 1, 5)), "2026年1月5日");
        assert_eq!(l.period(period("2026-10")), "2026年10月");
        assert_eq!(l.period(period("2026-Q4")), "2026年第4季度");
        assert_eq!(l.period(period("2026-W41")), "2026年第41周");
        assert_eq!(l.period(period("2026")), "2026年");
        assert_eq!(l.period_short(period("2026-10")), "26年10月");
        assert_eq!(l.period_short(period("2026-Q4")), "26年Q4");
        assert_eq!(l.period_short(period("2026-W41")), "第41周");
    }

    #[test]
    fn a_missing_month_name_falls_back_to_its_number() {
        let l = Locale::new(Language::En, BTreeMap::new());
        assert_eq!(l.month(10), "10");
    }
}
