//! `[sent]` files -> surveys sent per period and group.
//!
//! A sent file is small and written by people or a survey tool's report:
//! one row per period (a day or a period key) and group, with a count. It
//! is the denominator of every response rate, so it is read strictly: a
//! period or count that cannot be read, or two rows of one group that
//! overlap in time, stop the build at their file, line and column (a wrong
//! denominator is worse than none). The same row in two files (a report
//! downloaded twice) counts once, the later file's copy winning, as with
//! survey exports. Period keys are read by [`Period`], the one place that
//! knows them.

use std::path::Path;

use jiff::civil::Date;
use rustc_hash::FxHashMap;

use super::encoding::TextEncoding;
use super::layout::field_span;
use super::{IngestError, YEARS, detect_delimiter, glob_files, glob_folder, input, mapping};
use crate::config::{Config, SentConfig};
use crate::diagnostic::{Diagnostic, nearest};
use crate::metrics::Period;

/// Surveys sent in one period to one group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentRow {
    /// The first and last day of the row's period.
    pub first: Date,
    pub last: Date,
    /// The row's value of each dimension of [`SentCounts::dimensions`].
    pub values: Box<[Box<str>]>,
    pub sent: u64,
    /// Index into [`SentCounts::files`], and line.
    pub file: u32,
    pub line: u64,
}

impl SentRow {
    /// Days in the row's period.
    pub fn days(&self) -> i64 {
        i64::from((self.last - self.first).get_days()) + 1
    }
}

/// What happened to the rows of one sent file.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SentFile {
    pub path: String,
    pub rows_read: u64,
    pub rows_used: u64,
    /// Rows that a later copy (same period and group) replaced.
    pub duplicates: u64,
}

/// Everything read from the `[sent]` files.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SentCounts {
    /// The dimensions the counts are split by, in the order of `[sent.dimensions]`.
    pub dimensions: Vec<String>,
    pub files: Vec<SentFile>,
    /// Every row used, ordered by group and then by first day; no two rows of a group overlap.
    pub rows: Vec<SentRow>,
    /// Problems that do not stop the build.
    pub warnings: Vec<Diagnostic>,
}

impl SentCounts {
    /// Where a row was read, as `file:line`.
    pub fn place(&self, row: &SentRow) -> String {
        format!("{}:{}", self.files[row.file as usize].path, row.line)
    }
}

/// Reads the files of `[sent]`, if the site has it. Folders below `output` are never searched.
pub fn read_sent(config: &Config, root: &Path, output: &Path) -> Result<Option<SentCounts>, IngestError> {
    let Some(sent) = &config.sent else { return Ok(None) };
    let files = glob_files(&sent.path, root, output)?;
    if files.is_empty() {
        return Err(mapping(
            Diagnostic::new(format!("no file of sent counts matches `{}`", sent.path))
                .in_file(crate::config::FILE_NAME)
                .with_help(format!(
                    "put the CSV of surveys sent under {}, or change `path` in [sent]",
                    glob_folder(&sent.path)
                )),
        ));
    }
    let exports = sources_matcher(config);
    let mut contents = Vec::with_capacity(files.len());
    for (path, shown) in files {
        if exports.is_match(&shown) {
            return Err(mapping(
                Diagnostic::new(format!("{shown} is matched both by [sent] and by [[sources]]"))
                    .in_file(crate::config::FILE_NAME)
                    .with_help("keep the sent counts in a folder of their own, e.g. `path = \"content/sent/*.csv\"`"),
            ));
        }
        let bytes = std::fs::read(&path)
            .map_err(|e| input(Diagnostic::new(format!("cannot read {shown}: {e}")).in_file(shown.as_str())))?;
        contents.push((shown, bytes));
    }
    parse_sent(sent, contents).map(Some)
}

/// The globs of every `[[sources]]` entry, to keep sent files out of them.
fn sources_matcher(config: &Config) -> globset::GlobSet {
    let mut set = globset::GlobSetBuilder::new();
    for source in &config.sources {
        if let Ok(glob) =
            globset::GlobBuilder::new(source.path.trim_start_matches("./")).literal_separator(true).build()
        {
            set.add(glob);
        }
    }
    set.build().unwrap_or_else(|_| globset::GlobSet::empty())
}

/// What makes a row the same as another: its first and last day and its group.
type RowKey = (Date, Date, Box<[Box<str>]>);

/// Reads sent files given as (name as shown, bytes), in order: a later file's copy of a row wins.
pub fn parse_sent(sent: &SentConfig, files: Vec<(String, Vec<u8>)>) -> Result<SentCounts, IngestError> {
    let mut counts = SentCounts { dimensions: sent.dimensions.keys().cloned().collect(), ..SentCounts::default() };
    let mut seen: FxHashMap<RowKey, usize> = FxHashMap::default();
    let mut rows: Vec<SentRow> = Vec::new();
    for (index, (shown, bytes)) in files.into_iter().enumerate() {
        let text = decode(&bytes);
        let mut file = SentFile { path: shown.clone(), ..SentFile::default() };
        for row in read_file(sent, &shown, &text, index as u32)? {
            file.rows_read += 1;
            file.rows_used += 1;
            let key = (row.first, row.last, row.values.clone());
            match seen.get(&key) {
                Some(&earlier) => {
                    let before = &mut rows[earlier];
                    if before.sent != row.sent {
                        let path = match counts.files.get(before.file as usize) {
                            Some(f) => f.path.as_str(),
                            None => shown.as_str(),
                        };
                        let was = format!("{path}:{}", before.line);
                        counts.warnings.push(
                            Diagnostic::warning(format!(
                                "{shown}:{} repeats the row of {was} with another count ({} instead of {}): the later one is used",
                                row.line, row.sent, before.sent
                            ))
                            .in_file(shown.as_str())
                            .with_help("give each period and group one row; remove the outdated one"),
                        );
                    }
                    let owner =
                        if before.file as usize == index { &mut file } else { &mut counts.files[before.file as usize] };
                    owner.rows_used -= 1;
                    owner.duplicates += 1;
                    *before = row;
                }
                None => {
                    seen.insert(key, rows.len());
                    rows.push(row);
                }
            }
        }
        counts.files.push(file);
    }
    rows.sort_by(|a, b| a.values.cmp(&b.values).then(a.first.cmp(&b.first)).then(a.last.cmp(&b.last)));
    for pair in rows.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a.values == b.values && b.first <= a.last {
            let group = group_name(&counts.dimensions, &a.values);
            return Err(input(
                Diagnostic::new(format!(
                    "{} and {} overlap: both count surveys sent {group} on {}",
                    counts.place(a),
                    counts.place(b),
                    b.first
                ))
                .in_file(counts.files[b.file as usize].path.as_str())
                .with_help("each day may be counted by one row per group: keep the months, or the days, not both"),
            ));
        }
    }
    counts.rows = rows;
    Ok(counts)
}

/// "to channel = email", or "" when the counts are not split.
fn group_name(dimensions: &[String], values: &[Box<str>]) -> String {
    if values.is_empty() {
        return "in all".into();
    }
    let pairs: Vec<String> = dimensions.iter().zip(values).map(|(d, v)| format!("{d} = {v}")).collect();
    format!("to {}", pairs.join(", "))
}

/// The text of a sent file: UTF-8 (a byte-order mark dropped), UTF-16 with a mark, else Windows-1252.
fn decode(bytes: &[u8]) -> String {
    let encoding = TextEncoding::detect(None, bytes).encoding;
    let (text, _, _) = encoding.decode(bytes);
    text.into_owned()
}

/// The columns of a sent file.
struct Columns {
    period: usize,
    sent: usize,
    dimensions: Vec<usize>,
}

/// The rows of one file, each checked.
fn read_file(sent: &SentConfig, shown: &str, text: &str, file: u32) -> Result<Vec<SentRow>, IngestError> {
    let delimiter = detect_delimiter(text.as_bytes());
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).has_headers(false).from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(e)) => return Err(input(Diagnostic::new(format!("cannot read {shown}: {e}")).in_file(shown))),
        None => {
            return Err(input(Diagnostic::new(format!("{shown} is empty")).in_file(shown).with_help(format!(
                "write a header row (`{},{}`) and one row per period",
                sent.columns.period, sent.columns.sent
            ))));
        }
    };
    let headers: Vec<String> = header.iter().map(|h| h.trim().trim_start_matches('\u{feff}').to_string()).collect();
    let find = |name: &str, key: &str| -> Result<usize, IngestError> {
        let exact = headers.iter().position(|h| h == name);
        let found = exact.or_else(|| headers.iter().position(|h| h.eq_ignore_ascii_case(name)));
        found.ok_or_else(|| {
            let line = headers.join(&char::from(delimiter).to_string());
            let help = match nearest(name, headers.iter().map(String::as_str)) {
                Some(near) => format!("did you mean `{near}`? Set `{key} = \"{near}\"` in [sent] of site.toml"),
                None => format!("the file's columns are {}; map one with `{key} = \"…\"` in [sent]", quoted(&headers)),
            };
            mapping(
                Diagnostic::new(format!("{shown} has no column `{name}`"))
                    .in_file(shown)
                    .at_line(&line, 1, 0..line.len(), "the header row")
                    .with_help(help),
            )
        })
    };
    let columns = Columns {
        period: find(&sent.columns.period, "columns.period")?,
        sent: find(&sent.columns.sent, "columns.sent")?,
        dimensions: sent
            .dimensions
            .iter()
            .map(|(name, header)| find(header, &format!("dimensions.{name}")))
            .collect::<Result<_, _>>()?,
    };
    let lines: Vec<&str> = text.lines().collect();
    let mut rows = Vec::new();
    for record in records {
        let record = record.map_err(|e| input(Diagnostic::new(format!("cannot read {shown}: {e}")).in_file(shown)))?;
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let line = record.position().map_or(0, |p| p.line());
        let bad = |column: usize, reason: String, hint: &str| {
            let line_text = lines.get(line.saturating_sub(1) as usize).copied().unwrap_or("");
            let span = field_span(line_text, column, delimiter).unwrap_or(0..line_text.len());
            let label = format!("`{}`", record.get(column).unwrap_or("").trim());
            input(
                Diagnostic::new(format!("{shown}, line {line} (column `{}`): {reason}", headers[column]))
                    .in_file(shown)
                    .at_line(line_text, line as usize, span, label)
                    .with_help(hint),
            )
        };
        let cell = |column: usize| record.get(column).unwrap_or("").trim();
        let (first, last) = span(cell(columns.period)).map_err(|reason| {
            bad(
                columns.period,
                reason,
                "write a day (2026-10-05), an ISO week (2026-W41), a month (2026-10), a quarter (2026-Q4) or a year (2026)",
            )
        })?;
        let sent_count = count(cell(columns.sent)).map_err(|reason| {
            bad(columns.sent, reason, "write the number of surveys sent as digits, e.g. 1250; 0 when none were sent")
        })?;
        let mut values = Vec::with_capacity(columns.dimensions.len());
        for (&column, name) in columns.dimensions.iter().zip(sent.dimensions.keys()) {
            let value = cell(column);
            if value.is_empty() {
                return Err(bad(
                    column,
                    format!("the {name} is empty"),
                    &format!("name the {name} the surveys went to, as the survey exports write it"),
                ));
            }
            values.push(Box::from(value));
        }
        rows.push(SentRow { first, last, values: values.into_boxed_slice(), sent: sent_count, file, line });
    }
    Ok(rows)
}

fn quoted(names: &[String]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// The first and last day of a day (`2026-10-05`) or period key (`2026-W41`, `2026-10`, `2026-Q4`, `2026`).
fn span(text: &str) -> Result<(Date, Date), String> {
    if text.is_empty() {
        return Err("the period is empty".into());
    }
    let in_range = |d: Date| YEARS.contains(&d.year());
    let is_day = text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-';
    if is_day {
        return match text.parse::<Date>() {
            Ok(day) if in_range(day) => Ok((day, day)),
            _ => Err(format!("`{text}` is not a day of the calendar")),
        };
    }
    match Period::parse_key(text) {
        Some(p) if in_range(p.start) => Ok((p.start, p.end())),
        _ => Err(format!("`{text}` is not a day or a period")),
    }
}

/// A count of surveys: a whole number, 0 or more.
fn count(text: &str) -> Result<u64, String> {
    if text.is_empty() {
        return Err("the count is empty".into());
    }
    if let Ok(n) = text.parse::<u64>() {
        return Ok(n);
    }
    match text.parse::<f64>() {
        Ok(x) if x < 0.0 => Err(format!("the count {text} is negative")),
        Ok(_) => Err(format!("the count {text} is not a whole number")),
        Err(_) => Err(format!("`{text}` is not a number")),
    }
}

#[cfg(test)]
mod tests;
