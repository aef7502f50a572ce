//! Where each field sits in one export, and reading a record through that map.

use std::path::Path;

use csv::ByteRecord;

use super::labels::Labels;
use super::preset::{Vendor, Zone, import_time_zone};
use super::values::{self, Clock, ScoreRules, Unreadable};
use super::{IngestError, Interner, Response, Scores, mapping};
use crate::config::{Columns, Config, Field, SourceConfig};
use crate::diagnostic::{Diagnostic, nearest};

/// The column index of every field in one file's header.
pub(super) struct Layout {
    headers: Vec<String>,
    pub id: Option<usize>,
    submitted_at: usize,
    customer: Option<usize>,
    comment: Option<usize>,
    csat: Option<usize>,
    nps: Option<usize>,
    ces: Option<usize>,
    /// Per site dimension: its column here, if this source maps it.
    dimensions: Vec<Option<usize>>,
    measures: Vec<Option<usize>>,
    /// Per measure: whether it counts things (and must be a whole number).
    whole: Vec<bool>,
    /// Numbers may write their decimals after a comma (semicolon-separated files).
    decimal_comma: bool,
    /// Answer labels of CSAT, NPS and CES.
    labels: [Labels; 3],
    /// Answers that mean "not answered" (lowercase).
    no_answer: &'static [&'static str],
    /// The zone of timestamps without an offset, and the formats tried after ISO 8601.
    pub zone: jiff::tz::TimeZone,
    formats: Vec<String>,
    /// Without an id column, the whole row is the response's identity.
    id_from_row: bool,
}

/// The header rows of one export, for finding columns by name: a column is
/// found by its name in any header row (its id, or its question text).
pub(super) struct HeaderRow<'a> {
    /// The names shown in messages: the first row's (the second's for legacy Qualtrics).
    pub(super) names: Vec<String>,
    /// Every header row, first to last.
    rows: Vec<Vec<String>>,
    shown: &'a str,
    delimiter: u8,
}

impl<'a> HeaderRow<'a> {
    pub(super) fn read(raw: &[ByteRecord], shown: &'a str, delimiter: u8) -> Result<HeaderRow<'a>, IngestError> {
        let mut rows = Vec::with_capacity(raw.len());
        for (r, record) in raw.iter().enumerate() {
            let mut names = Vec::with_capacity(record.len());
            for (i, name) in record.iter().enumerate() {
                let Ok(name) = std::str::from_utf8(name) else {
                    return Err(super::input(
                        Diagnostic::new(format!("the header row of {shown} is not UTF-8 text"))
                            .in_file(shown)
                            .with_help("save the export as UTF-8 (in Excel: \"CSV UTF-8\")"),
                    ));
                };
                let name = if i == 0 && r == 0 { name.trim_start_matches('\u{feff}') } else { name };
                names.push(name.trim().to_string());
            }
            rows.push(names);
        }
        // Qualtrics' legacy layout numbers its columns V1, V2, … and names them in the second row.
        let shown_row = if rows[0].first().is_some_and(|c| c == "V1") && rows.len() > 1 { 1 } else { 0 };
        let mut names = rows[shown_row].clone();
        names.resize(rows[0].len(), String::new());
        Ok(HeaderRow { names, rows, shown, delimiter })
    }

    /// The column named `header` in any header row (exactly, else ignoring
    /// case); an error if two columns have the name.
    pub(super) fn find(&self, header: &str) -> Result<Option<usize>, IngestError> {
        let header = header.trim();
        let columns = |same: &dyn Fn(&str) -> bool| -> Vec<usize> {
            (0..self.names.len()).filter(|&c| self.rows.iter().any(|row| row.get(c).is_some_and(|n| same(n)))).collect()
        };
        let exact = columns(&|n| n == header);
        let matches = if exact.is_empty() { columns(&|n| n.eq_ignore_ascii_case(header)) } else { exact };
        match matches[..] {
            [] => Ok(None),
            [column] => Ok(Some(column)),
            _ => Err(self.error(
                format!("{} has {} columns named `{header}`", self.shown, matches.len()),
                "rename the columns so that each name appears once, or map another one in site.toml (by its column id, e.g. `Q3`)".into(),
            )),
        }
    }

    /// The first of `candidates` that names a column.
    fn find_any(&self, candidates: &[&str]) -> Result<Option<usize>, IngestError> {
        for candidate in candidates {
            if let Some(c) = self.find(candidate)? {
                return Ok(Some(c));
            }
        }
        Ok(None)
    }

    /// The column named `header`, which must exist; `what` says why it is needed.
    pub(super) fn require(&self, header: &str, what: &str) -> Result<usize, IngestError> {
        self.find(header)?.ok_or_else(|| self.missing(header, what))
    }

    fn missing(&self, header: &str, what: &str) -> IngestError {
        let help = if self.names.len() == 1 {
            format!(
                "the header row has a single column: its fields may be separated by something other than `{}`; set `delimiter` in [[sources]], or leave it out to detect it",
                char::from(self.delimiter).escape_default()
            )
        } else {
            const SHOWN: usize = 12;
            let mut columns: Vec<String> = self.names.iter().take(SHOWN).map(|h| format!("`{h}`")).collect();
            if self.names.len() > SHOWN {
                columns.push(format!("… ({} in all)", self.names.len()));
            }
            let headers = format!("the headers are {}", columns.join(", "));
            match nearest(header, self.rows.iter().flatten().map(String::as_str)) {
                Some(near) => {
                    format!("{headers}; did you mean `{near}`? Fix the mapping in site.toml or the export's header")
                }
                None => format!("{headers}; map a column by its header (any header row) in site.toml"),
            }
        };
        self.error(format!("{} has no column `{header}` ({what})", self.shown), help)
    }

    fn error(&self, message: String, help: String) -> IngestError {
        let line = self.names.join(&char::from(self.delimiter).to_string());
        mapping(
            Diagnostic::new(message)
                .in_file(self.shown)
                .at_line(&line, 1, 0..line.len(), "the header row")
                .with_help(help),
        )
    }
}

/// A row that cannot be used: the column to blame (if one is) and why.
pub(super) struct BadRow {
    pub column: Option<usize>,
    pub problem: Unreadable,
}

impl Layout {
    #[allow(clippy::too_many_arguments)]
    pub fn resolve(
        config: &Config,
        source: &SourceConfig,
        vendor: &Vendor,
        raw_headers: &[ByteRecord],
        shown: &str,
        dimensions: &[String],
        measures: &[String],
        delimiter: u8,
    ) -> Result<(Layout, Vec<Diagnostic>), IngestError> {
        let header = HeaderRow::read(raw_headers, shown, delimiter)?;
        let mut warnings = Vec::new();
        let field = |f: Field| -> Result<Option<usize>, IngestError> {
            match source.columns.get(f) {
                Some(name) => header.require(name, &format!("mapped to `{}` in site.toml", f.key())).map(Some),
                None => header.find_any(match f {
                    Field::Id => vendor.id,
                    Field::SubmittedAt => vendor.submitted_at,
                    Field::Customer => vendor.customer,
                    Field::Comment => vendor.comment,
                    // A vendor's score column is assumed only while no score is mapped by hand.
                    _ if source.columns.csat.is_some()
                        || source.columns.nps.is_some()
                        || source.columns.ces.is_some() =>
                    {
                        Columns::candidates(f)
                    }
                    Field::Csat => vendor.csat,
                    Field::Nps => vendor.nps,
                    _ => Columns::candidates(f),
                }),
            }
        };
        let mapped = |names: &[String], table: &indexmap::IndexMap<String, String>, what: &str| {
            names
                .iter()
                .map(|name| {
                    table.get(name).map(|h| header.require(h, &format!("the {what} `{name}` in site.toml"))).transpose()
                })
                .collect::<Result<Vec<_>, _>>()
        };
        let submitted_at = match field(Field::SubmittedAt)? {
            Some(column) => column,
            None => {
                let name = vendor.submitted_at.first().copied().unwrap_or("submitted_at");
                return Err(header
                    .missing(name, "the submission time; map it with `submitted_at = \"…\"` in [sources.columns]"));
            }
        };
        let zone = match vendor.zone {
            Zone::Site => config.time_zone.clone(),
            Zone::Utc => jiff::tz::TimeZone::UTC,
            Zone::Export => {
                // Qualtrics names the zone of each date column in its ImportId row.
                let named: Option<String> =
                    header.rows.iter().skip(1).find_map(|row| row.get(submitted_at).and_then(|c| import_time_zone(c)));
                match named {
                    Some(name) => jiff::tz::TimeZone::get(&name).unwrap_or_else(|_| {
                        warnings.push(
                            Diagnostic::warning(format!(
                                "{shown} names the time zone `{name}`, which rapport does not know; its times are read in {}",
                                config.timezone
                            ))
                            .in_file(shown),
                        );
                        config.time_zone.clone()
                    }),
                    None => config.time_zone.clone(),
                }
            }
        };
        let mut labels = Labels::for_config(config);
        let m = &config.metrics;
        for &(label, good) in vendor.csat_labels {
            labels[0].add_default(label, if good { m.csat.satisfied[1] } else { m.csat.scale[0] });
        }
        let formats = source.date_format.iter().cloned().chain(vendor.formats.iter().map(|f| f.to_string())).collect();
        let layout = Layout {
            id: field(Field::Id)?,
            submitted_at,
            customer: field(Field::Customer)?,
            comment: field(Field::Comment)?,
            csat: field(Field::Csat)?,
            nps: field(Field::Nps)?,
            ces: field(Field::Ces)?,
            dimensions: mapped(dimensions, &source.dimensions, "dimension")?,
            measures: mapped(measures, &source.measures, "measure")?,
            whole: measures.iter().map(|m| m == "transfers").collect(),
            decimal_comma: delimiter == b';',
            labels,
            no_answer: vendor.no_answer,
            zone,
            formats,
            id_from_row: vendor.id_from_row,
            headers: header.names,
        };
        if layout.csat.is_none() && layout.nps.is_none() && layout.ces.is_none() {
            let line = layout.headers.join(",");
            return Err(mapping(
                Diagnostic::new(format!("{shown} has no score column (csat, nps or ces)"))
                    .in_file(shown)
                    .at_line(&line, 1, 0..line.len(), "the header row")
                    .with_help("map the question columns in site.toml, by column id or question text, e.g.\n\n[sources.columns]\ncsat = \"How satisfied were you?\""),
            ));
        }
        Ok((layout, warnings))
    }

    /// Responses are known by their whole row (the preset has no id column).
    pub fn has_row_identity(&self) -> bool {
        self.id_from_row
    }

    pub fn header(&self, column: usize) -> &str {
        &self.headers[column]
    }

    /// The clocks [`Layout::response`] reads times with: the export's zone, and the site's.
    pub fn clocks<'a>(&'a self, config: &'a Config) -> [Clock<'a>; 2] {
        [Clock::new(&self.zone), Clock::new(&config.time_zone)]
    }

    /// Reads one record; dimension values are interned into `values` (this file's own tables),
    /// times read with `clocks` ([`Layout::clocks`]).
    pub fn response(
        &self,
        record: &ByteRecord,
        config: &Config,
        values: &mut [Interner],
        clocks: &mut [Clock; 2],
    ) -> Result<Response, BadRow> {
        let [export_clock, site_clock] = clocks;
        check_shape(record, self.headers.len())?;
        let text = |column: usize| cell(record, column);
        let optional = |column: Option<usize>| -> Result<Option<&str>, BadRow> {
            match column {
                Some(c) => text(c).map(|t| Some(t.trim()).filter(|t| !t.is_empty())),
                None => Ok(None),
            }
        };
        let at = |column: usize| move |problem: Unreadable| BadRow { column: Some(column), problem };
        let submitted_at = values::timestamp_in(text(self.submitted_at)?, export_clock, &self.formats)
            .map_err(at(self.submitted_at))?
            .ok_or_else(|| BadRow {
                column: Some(self.submitted_at),
                problem: problem("the submission time is empty", "every response needs the time it was submitted"),
            })?;
        let [csat_labels, nps_labels, ces_labels] = &self.labels;
        let score = |column: Option<usize>, rules: ScoreRules| -> Result<Option<u8>, BadRow> {
            match column {
                Some(c) => {
                    let cell = text(c)?;
                    if self.no_answer.iter().any(|n| cell.trim().eq_ignore_ascii_case(n)) {
                        return Ok(None);
                    }
                    values::score(cell, &rules).map_err(at(c))
                }
                None => Ok(None),
            }
        };
        let m = &config.metrics;
        let scores = Scores {
            csat: score(self.csat, ScoreRules { scale: m.csat.scale, what: "CSAT", key: "csat", labels: csat_labels })?,
            nps: score(self.nps, ScoreRules { scale: [0, 10], what: "NPS", key: "nps", labels: nps_labels })?,
            ces: score(self.ces, ScoreRules { scale: m.ces.scale, what: "CES", key: "ces", labels: ces_labels })?,
        };
        let mut dimensions = Vec::with_capacity(self.dimensions.len());
        for (d, column) in self.dimensions.iter().enumerate() {
            let value = optional(*column)?.map(|v| values[d].id(v));
            dimensions.push(value);
        }
        let mut measures = Vec::with_capacity(self.measures.len());
        for (column, &whole) in self.measures.iter().zip(&self.whole) {
            measures.push(match column {
                Some(c) => values::measure(text(*c)?, &self.headers[*c], whole, self.decimal_comma).map_err(at(*c))?,
                None => None,
            });
        }
        Ok(Response {
            id: match optional(self.id)? {
                Some(id) => Some(Box::from(id)),
                None if self.id_from_row => Some(row_identity(record)),
                None => None,
            },
            submitted_at,
            day: site_clock.date(submitted_at),
            customer: optional(self.customer)?.map(Box::from),
            comment: optional(self.comment)?.map(Box::from),
            scores,
            dimensions: dimensions.into_boxed_slice(),
            measures: measures.into_boxed_slice(),
            file: 0,
            line: 0,
            first: 0,
        })
    }
}

/// Rejects an empty row, and one whose number of fields is not the header's (extra empty fields aside).
pub(super) fn check_shape(record: &ByteRecord, width: usize) -> Result<(), BadRow> {
    if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
        return Err(BadRow { column: None, problem: problem("the row is empty", "delete empty rows from the export") });
    }
    let blank = |f: &[u8]| f.iter().all(u8::is_ascii_whitespace);
    let extra_empty = record.len() > width && record.iter().skip(width).all(blank);
    if record.len() != width && !extra_empty {
        return Err(BadRow {
            column: None,
            problem: problem(
                &format!("the row has {} fields, the header has {}", record.len(), width),
                "a field that contains the delimiter or a line break must be in double quotes",
            ),
        });
    }
    Ok(())
}

/// The text of one cell, which must be UTF-8.
pub(super) fn cell(record: &ByteRecord, column: usize) -> Result<&str, BadRow> {
    std::str::from_utf8(&record[column]).map_err(|_| BadRow {
        column: Some(column),
        problem: problem("the cell is not valid UTF-8 text", "save the export as UTF-8 (in Excel: \"CSV UTF-8\")"),
    })
}

/// A response known only by its contents: every field, separated by a control character.
fn row_identity(record: &ByteRecord) -> Box<str> {
    let fields: Vec<String> = record.iter().map(|f| String::from_utf8_lossy(f).trim().to_string()).collect();
    fields.join("\u{1f}").into_boxed_str()
}

fn problem(reason: &str, hint: &str) -> Unreadable {
    Unreadable { reason: reason.to_string(), hint: hint.to_string() }
}

/// The most frequent of `,`, `;` and tab in the first line (outside quotes); `,` when none occurs.
pub fn detect_delimiter(head: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in head {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let candidates = [b',', b';', b'\t'];
    let best = (0..3).max_by_key(|&i| (counts[i], std::cmp::Reverse(i))).unwrap_or(0);
    if counts[best] == 0 { b',' } else { candidates[best] }
}

/// A rejected row as an error: the record's first line with the bad cell marked.
pub(super) fn rejection_diagnostic(
    path: Option<&Path>,
    shown: &str,
    line: u64,
    record: &ByteRecord,
    delimiter: u8,
    bad: &BadRow,
    excerpt: bool,
) -> Diagnostic {
    let d = Diagnostic::new(format!("{shown}, line {line}: {}", bad.problem.reason))
        .in_file(shown)
        .with_help(bad.problem.hint.clone());
    if !excerpt {
        return d;
    }
    let Some(line_text) = path.and_then(|p| std::fs::read(p).ok()).and_then(|bytes| {
        let raw = bytes.split(|&b| b == b'\n').nth(line.saturating_sub(1) as usize)?.to_vec();
        Some(String::from_utf8_lossy(&raw).trim_end_matches('\r').to_string())
    }) else {
        return d;
    };
    let span = bad.column.and_then(|c| field_span(&line_text, c, delimiter)).unwrap_or(0..line_text.len());
    let label = match bad.column {
        Some(c) if c < record.len() => format!("`{}`", String::from_utf8_lossy(&record[c]).trim()),
        _ => "this row".to_string(),
    };
    d.at_line(&line_text, line as usize, span, label)
}

/// Byte range of field `index` within one line of CSV (quotes respected).
pub(super) fn field_span(line: &str, index: usize, delimiter: u8) -> Option<std::ops::Range<usize>> {
    let bytes = line.as_bytes();
    let (mut field, mut start, mut quoted) = (0, 0, false);
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == delimiter && !quoted {
            if field == index {
                return Some(start..i);
            }
            field += 1;
            start = i + 1;
        }
    }
    (field == index).then_some(start..bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_is_the_most_frequent_outside_quotes() {
        assert_eq!(detect_delimiter(b"id,submitted_at,csat\n1,2,3"), b',');
        assert_eq!(detect_delimiter(b"id;submitted_at;csat\n"), b';');
        assert_eq!(detect_delimiter(b"id\tsubmitted_at\tcsat\n"), b'\t');
        assert_eq!(detect_delimiter(b"\"a;b;c\",d,e\n"), b',');
        assert_eq!(detect_delimiter(b"single\n"), b',');
    }

    #[test]
    fn field_span_respects_quotes() {
        let line = r#"r1,"Hello, world",6,email"#;
        assert_eq!(&line[field_span(line, 2, b',').unwrap()], "6");
        assert_eq!(&line[field_span(line, 1, b',').unwrap()], r#""Hello, world""#);
        assert_eq!(&line[field_span(line, 3, b',').unwrap()], "email");
        assert_eq!(field_span(line, 4, b','), None);
    }
}
