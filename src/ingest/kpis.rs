//! `[[kpis]]` files -> the values of the scorecard's other KPIs.
//!
//! A KPI file is a small sheet kept by hand (finance, team leads), so it is
//! read strictly: every row names a declared KPI, a period and numbers, and
//! the first cell that cannot be read stops the build with its file, line,
//! column and the fix. Columns are found by their headers (`period`, `name`,
//! `value`, `target`, any case and order; others such as `notes` are left
//! alone). A row may leave `value` empty to set a target ahead of time.
//!
//! Periods are the site's keys (`2026-10`, `2026-Q3`, `2026-W41`, `2026`) or
//! a day (`2026-10-31`, a value measured that day); they are parsed with the
//! calendar of [`crate::metrics::Period`], the one every page uses.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::Serialize;

use super::encoding::TextEncoding;
use super::layout::field_span;
use super::{IngestError, detect_delimiter, input, mapping};
use crate::config::{Config, FILE_NAME, Indicator};
use crate::diagnostic::{Diagnostic, nearest};
use crate::metrics::Period;

/// Every KPI declared under `[kpis.indicators]`, in the order of `site.toml`, with its values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Kpis {
    pub kpis: Vec<Kpi>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Kpi {
    pub name: String,
    pub indicator: Indicator,
    /// Decimal places to show: the most any of its values was written with (at most 4).
    pub places: usize,
    /// Sorted by the end of their period, then its start.
    pub values: Vec<KpiValue>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct KpiValue {
    pub period: KpiPeriod,
    /// Empty in the file: only a target is set for the period.
    pub value: Option<f64>,
    pub target: Option<f64>,
}

/// The period a KPI value is for: a reporting period, or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KpiPeriod {
    Period(Period),
    Day(Date),
}

impl KpiPeriod {
    /// Reads `2026-10`, `2026-Q3`, `2026-W41`, `2026` (any case) or `2026-10-31`.
    pub fn parse(text: &str) -> Option<KpiPeriod> {
        let text = text.trim();
        if let Some(p) = Period::parse_key(text) {
            return Some(KpiPeriod::Period(p));
        }
        // A day in the years rapport reads; only the ISO form, so 03/04 is never guessed.
        let day: Date = text.parse().ok().filter(|_| text.len() == 10)?;
        super::YEARS.contains(&day.year()).then_some(KpiPeriod::Day(day))
    }

    pub fn start(&self) -> Date {
        match self {
            KpiPeriod::Period(p) => p.start,
            KpiPeriod::Day(d) => *d,
        }
    }

    pub fn end(&self) -> Date {
        match self {
            KpiPeriod::Period(p) => p.end(),
            KpiPeriod::Day(d) => *d,
        }
    }

    /// The key as the files write it: `2026-10`, `2026-Q3`, `2026-10-31`.
    pub fn key(&self) -> String {
        match self {
            KpiPeriod::Period(p) => p.key(),
            KpiPeriod::Day(d) => d.to_string(),
        }
    }
}

impl Serialize for KpiPeriod {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.key())
    }
}

/// The columns of a KPI file.
const COLUMNS: [&str; 4] = ["period", "name", "value", "target"];
const REQUIRED: usize = 3;
/// The most decimal places a KPI is shown with.
const MAX_PLACES: usize = 4;

/// Reads the files of every `[[kpis]]` entry, relative to the site `root` (`output` is never searched).
pub fn read_kpis(config: &Config, root: &Path, output: &Path) -> Result<Kpis, IngestError> {
    let mut kpis: Vec<Kpi> = Vec::new();
    let mut first_seen: HashMap<(String, KpiPeriod), (String, u64)> = HashMap::new();
    let mut owner: HashMap<String, usize> = HashMap::new();
    for (i, source) in config.kpis.iter().enumerate() {
        let offset = kpis.len();
        kpis.extend(source.indicators.iter().map(|(name, indicator)| Kpi {
            name: name.clone(),
            indicator: indicator.clone(),
            places: 0,
            values: Vec::new(),
        }));
        for (path, shown) in matched(&source.path, root, output)? {
            if let Some(other) = owner.insert(shown.clone(), i) {
                return Err(mapping(
                    Diagnostic::new(format!(
                        "{shown} is matched by two [[kpis]] entries (number {} and {})",
                        other + 1,
                        i + 1
                    ))
                    .in_file(FILE_NAME)
                    .with_help("narrow their `path` globs so that each file belongs to one entry"),
                ));
            }
            let bytes = std::fs::read(&path)
                .map_err(|e| input(Diagnostic::new(format!("cannot read {shown}: {e}")).in_file(&shown)))?;
            let sheet = Sheet::decode(&bytes, shown);
            for row in sheet.rows(source)? {
                let (name, value, line) = row;
                let k = offset + source.indicators.get_index_of(&name).expect("rows name declared KPIs");
                let key = (name, value.value.period);
                if let Some((file, first)) = first_seen.get(&key) {
                    return Err(sheet.error(
                        line,
                        None,
                        format!("`{}` has a second row for {}", key.0, key.1.key()),
                        "repeated",
                        format!("{file}, line {first} has it already; keep one row per KPI and period"),
                    ));
                }
                first_seen.insert(key, (sheet.shown.clone(), line));
                kpis[k].values.push(value.value);
                kpis[k].places = kpis[k].places.max(value.places);
            }
        }
    }
    for kpi in &mut kpis {
        kpi.values.sort_by_key(|v| (v.period.end(), v.period.start()));
    }
    Ok(Kpis { kpis })
}

/// A value as read, with the decimals it was written with.
struct Read {
    value: KpiValue,
    places: usize,
}

/// One KPI file as text.
struct Sheet {
    shown: String,
    text: String,
    delimiter: u8,
}

impl Sheet {
    fn decode(bytes: &[u8], shown: String) -> Sheet {
        let encoding = TextEncoding::detect(None, bytes).encoding;
        let (text, _, _) = encoding.decode(bytes);
        let text = text.into_owned();
        let delimiter = detect_delimiter(text.lines().next().unwrap_or("").as_bytes());
        Sheet { shown, text, delimiter }
    }

    /// The rows that say something: (KPI name, value, line).
    fn rows(&self, source: &crate::config::KpiSource) -> Result<Vec<(String, Read, u64)>, IngestError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(self.delimiter)
            .from_reader(self.text.as_bytes());
        let mut records = reader.records();
        let header = match records.next() {
            Some(Ok(header)) => header,
            Some(Err(e)) => {
                return Err(self.error(1, None, format!("cannot read the header: {e}"), "here", HEADER_HELP));
            }
            None => return Ok(Vec::new()),
        };
        let columns = self.columns(&header)?;
        let mut rows = Vec::new();
        for record in records {
            let record = record.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line());
                self.error(line, None, format!("cannot read this row: {e}"), "this row", "check the quotes of the row")
            })?;
            let line = record.position().map_or(0, |p| p.line());
            if record.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            let cell = |c: usize| columns[c].and_then(|i| record.get(i)).unwrap_or("").trim();
            let at = |c: usize| columns[c];
            let period = KpiPeriod::parse(cell(0)).ok_or_else(|| {
                self.error(
                    line,
                    at(0),
                    format!("`{}` is not a period", cell(0)),
                    "not a period",
                    "write a month `2026-10`, a quarter `2026-Q3`, a week `2026-W41`, a year `2026` or a day `2026-10-31`",
                )
            })?;
            let name = cell(1);
            if !source.indicators.contains_key(name) {
                let help = match nearest(name, source.indicators.keys().map(String::as_str)) {
                    Some(near) => format!("did you mean `{near}`? Names are compared exactly"),
                    None => format!(
                        "declare it in {FILE_NAME} under the [kpis.indicators] of `{}`, e.g. \"{name}\" = {{ perspective = \"financial\", better = \"lower\" }}",
                        source.path
                    ),
                };
                let message =
                    if name.is_empty() { "the KPI name is empty".into() } else { format!("unknown KPI `{name}`") };
                return Err(self.error(line, at(1), message, "not declared", help));
            }
            let number = |c: usize| -> Result<Option<(f64, usize)>, IngestError> {
                let text = cell(c);
                if text.is_empty() {
                    return Ok(None);
                }
                number(text, self.delimiter).map(Some).ok_or_else(|| {
                    self.error(
                        line,
                        at(c),
                        format!("`{text}` is not a number"),
                        "not a number",
                        "write the number alone, with a dot for decimals and no units or thousands separators, e.g. 1234.5",
                    )
                })
            };
            let (value, target) = (number(2)?, number(3)?);
            if value.is_none() && target.is_none() {
                continue;
            }
            let places = value.map_or(0, |v| v.1);
            let value = KpiValue { period, value: value.map(|v| v.0), target: target.map(|t| t.0) };
            rows.push((name.to_string(), Read { value, places }, line));
        }
        Ok(rows)
    }

    /// Where each of [`COLUMNS`] is.
    fn columns(&self, header: &csv::StringRecord) -> Result<[Option<usize>; 4], IngestError> {
        let mut columns = [None; 4];
        for (i, cell) in header.iter().enumerate() {
            let cell = cell.trim().trim_start_matches('\u{feff}').to_lowercase();
            if let Some(c) = COLUMNS.iter().position(|name| *name == cell) {
                if columns[c].is_some() {
                    return Err(self.error(1, Some(i), format!("two `{cell}` columns"), "repeated", HEADER_HELP));
                }
                columns[c] = Some(i);
            } else if let Some(near) = nearest(&cell, COLUMNS) {
                return Err(self.error(
                    1,
                    Some(i),
                    format!("unknown column `{cell}`"),
                    "unknown column",
                    format!("did you mean `{near}`? {HEADER_HELP}"),
                ));
            }
        }
        if let Some(missing) = (0..REQUIRED).find(|&c| columns[c].is_none()) {
            return Err(mapping(self.diagnostic(
                1,
                None,
                format!("{} has no `{}` column", self.shown, COLUMNS[missing]),
                "the header row",
                HEADER_HELP,
            )));
        }
        Ok(columns)
    }

    fn diagnostic(
        &self,
        line: u64,
        column: Option<usize>,
        message: String,
        label: &str,
        help: impl Into<String>,
    ) -> Diagnostic {
        let d = Diagnostic::new(message).in_file(&self.shown).with_help(help);
        let Some(text) = self.text.lines().nth(line.saturating_sub(1) as usize) else { return d };
        let span = column.and_then(|c| field_span(text, c, self.delimiter)).unwrap_or(0..text.len());
        d.at_line(text, line as usize, span, label)
    }

    fn error(
        &self,
        line: u64,
        column: Option<usize>,
        message: String,
        label: &str,
        help: impl Into<String>,
    ) -> IngestError {
        input(self.diagnostic(line, column, message, label, help))
    }
}

const HEADER_HELP: &str = "a KPI file has the columns `period`, `name`, `value` and, optionally, `target`";

/// A number as people write it in a sheet: `1234.5`, `-3`, or `18,40` in a semicolon-separated file.
/// Returns the number and its decimal places.
fn number(text: &str, delimiter: u8) -> Option<(f64, usize)> {
    let text = if delimiter == b';' && !text.contains('.') { text.replacen(',', ".", 1) } else { text.to_string() };
    let plain = text.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'+');
    let value: f64 = text.parse().ok().filter(|v: &f64| plain && v.is_finite())?;
    let places = text.split_once('.').map_or(0, |(_, decimals)| decimals.len()).min(MAX_PLACES);
    Some((value, places))
}

/// The files matching `pattern` below `root`, sorted; at least one.
fn matched(pattern: &str, root: &Path, output: &Path) -> Result<Vec<(PathBuf, String)>, IngestError> {
    let files = super::glob_files(pattern, root, output)?;
    if files.is_empty() {
        return Err(mapping(
            Diagnostic::new(format!("no KPI file matches `{pattern}`"))
                .in_file(FILE_NAME)
                .with_help("put the KPI sheet (CSV: period, name, value, target) there, or change `path` in [[kpis]]; paths are relative to the folder of site.toml"),
        ));
    }
    Ok(files)
}

#[cfg(test)]
mod tests;
