//! Pre-aggregated tables: counts a warehouse computed, read as groups of responses.
//!
//! Every figure rapport shows is a function of mergeable counts, so a table of
//! counts per cell rebuilds the cube exactly (docs/warehouse.md). One row of
//! such a table is a [`Group`]: the day and the dimension values and buckets
//! that decide its cells, and what it counts — its responses, or its answers
//! to one metric with one score (or in one sketch bin), `count` times. The
//! metrics count each group as one weighted observation, through the same
//! code as a response read from an export.
//!
//! The table is long, one row per metric and score, because that is what a
//! plain SQL `GROUP BY` gives. Its columns (names fixed, except the
//! dimensions', which `[sources.dimensions]` maps as for any export):
//! `day`, the dimensions, `visit`, `transfers_bucket`, `first_response_bucket`,
//! `metric`, `score`, `sketch_key` and `count`.

use csv::ByteRecord;
use jiff::civil::Date;

use super::layout::{BadRow, HeaderRow, cell, check_shape};
use super::values::{MOST_COUNTED, MOST_TRANSFERS, Unreadable, YEARS};
use super::{IngestError, Interner};
use crate::config::{Config, Field, SourceConfig};
use crate::diagnostic::{Diagnostic, nearest};
use rustc_hash::FxHashMap;

/// One row of a pre-aggregated table: `count` responses, or answers, of one cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The day of its responses, in the site's time zone.
    pub day: Date,
    /// Per dimension of [`super::Inputs::dimensions`]: index of the value, `None` when empty.
    pub dimensions: Box<[Option<u32>]>,
    /// The customer's survey count: 0 for a first survey, 1 for the 2nd–3rd, 2 for the
    /// 4th or later; `None` when the responses name no customer.
    pub visit: Option<u8>,
    /// Transfers 0, 1, 2, or 3 for three or more; `None` when not known.
    pub transfers_bucket: Option<u8>,
    /// Index of the `[metrics.first_response]` bucket; `None` when not known.
    pub first_response_bucket: Option<u8>,
    pub counts: Counts,
    pub count: u64,
    /// Where it was read: the line in its file.
    pub line: u64,
}

/// What a [`Group`] counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counts {
    /// Responses, whatever they answered.
    Responses,
    Csat(u8),
    Nps(u8),
    Ces(u8),
    /// Tickets with this many transfers.
    Transfers(u64),
    /// Durations in one sketch bin, by its key; `None` for durations of zero.
    FirstResponse(Option<i32>),
    Resolution(Option<i32>),
}

/// The sketch keys a table may hold: bins of durations from about 4·10⁻¹⁸ to 2·10¹⁷
/// minutes, far beyond any real one (rapport's own bins stay well inside).
pub const SKETCH_KEYS: std::ops::RangeInclusive<i32> = -2000..=2000;

/// The survey-count buckets of the `visit` column, in the order of [`Group::visit`].
const VISITS: [&str; 3] = ["1", "2-3", "4+"];

/// What one value of the `metric` column stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Metric {
    Responses,
    Csat,
    Nps,
    Ces,
    Transfers,
    FirstResponse,
    Resolution,
}

impl Metric {
    fn is_duration(self) -> bool {
        matches!(self, Metric::FirstResponse | Metric::Resolution)
    }
}

/// Where each column of one aggregated table is, and how its cells are read.
pub(super) struct Table {
    headers: Vec<String>,
    day: usize,
    /// Per site dimension: its column here, if this source maps it.
    dimensions: Vec<Option<usize>>,
    visit: Option<usize>,
    transfers_bucket: Option<usize>,
    first_response_bucket: Option<usize>,
    metric: usize,
    score: usize,
    sketch_key: Option<usize>,
    count: usize,
    /// The values of the `metric` column: `responses`, and each metric's name as mapped in site.toml.
    metrics: Vec<(String, Metric)>,
    /// Scales of CSAT and CES.
    csat: [u8; 2],
    ces: [u8; 2],
    /// The lower edges of the first-response buckets, in minutes: 0, then each configured edge.
    first_response_from: Vec<f64>,
}

impl Table {
    /// Finds the columns of an aggregated table in its header row.
    pub fn resolve(
        config: &Config,
        source: &SourceConfig,
        raw_headers: &[ByteRecord],
        shown: &str,
        dimensions: &[String],
        delimiter: u8,
    ) -> Result<Table, IngestError> {
        let header = HeaderRow::read(raw_headers, shown, delimiter)?;
        let need = |name: &str, what: &str| header.require(name, what);
        let measure = |name: &str| source.measures.get(name);
        let mut metrics = vec![("responses".to_string(), Metric::Responses)];
        for (field, metric) in [(Field::Csat, Metric::Csat), (Field::Nps, Metric::Nps), (Field::Ces, Metric::Ces)] {
            let name = source.columns.get(field).unwrap_or(field.key());
            metrics.push((name.trim().to_string(), metric));
        }
        for (name, metric) in [
            ("transfers", Metric::Transfers),
            ("first_response_minutes", Metric::FirstResponse),
            ("resolution_minutes", Metric::Resolution),
        ] {
            if let Some(value) = measure(name) {
                metrics.push((value.trim().to_string(), metric));
            }
        }
        let sketch_key = if metrics.iter().any(|(_, m)| m.is_duration()) {
            Some(need("sketch_key", "the sketch bin of each duration row; a duration is mapped in [sources.measures]")?)
        } else {
            header.find("sketch_key")?
        };
        let dimensions = dimensions
            .iter()
            .map(|name| {
                source
                    .dimensions
                    .get(name)
                    .map(|h| header.require(h, &format!("the dimension `{name}` in site.toml")))
                    .transpose()
            })
            .collect::<Result<Vec<_>, _>>()?;
        let m = &config.metrics;
        Ok(Table {
            day: need("day", "the day of each row's responses, YYYY-MM-DD in the site's time zone")?,
            dimensions,
            visit: header.find("visit")?,
            transfers_bucket: match measure("transfers") {
                Some(_) => {
                    Some(need("transfers_bucket", "CSAT by transfers; `transfers` is mapped in [sources.measures]")?)
                }
                None => None,
            },
            first_response_bucket: match measure("first_response_minutes") {
                Some(_) => Some(need(
                    "first_response_bucket",
                    "CSAT by first-response time; `first_response_minutes` is mapped in [sources.measures]",
                )?),
                None => None,
            },
            metric: need("metric", "what each row counts: responses, csat, nps, …")?,
            score: need("score", "the score each row's answers gave")?,
            sketch_key,
            count: need("count", "how many responses or answers each row stands for")?,
            metrics,
            csat: m.csat.scale,
            ces: m.ces.scale,
            first_response_from: std::iter::once(0.0).chain(m.first_response.buckets.iter().copied()).collect(),
            headers: header.names,
        })
    }

    pub fn header(&self, column: usize) -> &str {
        &self.headers[column]
    }

    /// Reads one row; dimension values are interned into `values` (this file's own tables).
    pub fn group(&self, record: &ByteRecord, values: &mut [Interner]) -> Result<Group, BadRow> {
        check_shape(record, self.headers.len())?;
        let text = |column: usize| cell(record, column).map(str::trim);
        let optional = |column: Option<usize>| -> Result<Option<(usize, &str)>, BadRow> {
            match column {
                Some(c) => text(c).map(|t| (!t.is_empty()).then_some((c, t))),
                None => Ok(None),
            }
        };
        let bad = |column: usize, reason: String, hint: &str| BadRow {
            column: Some(column),
            problem: Unreadable { reason, hint: hint.to_string() },
        };

        let day = day(text(self.day)?).map_err(|(reason, hint)| bad(self.day, reason, &hint))?;
        let mut dimensions = Vec::with_capacity(self.dimensions.len());
        for (d, column) in self.dimensions.iter().enumerate() {
            dimensions.push(optional(*column)?.map(|(_, v)| values[d].id(v)));
        }
        let visit = match optional(self.visit)? {
            Some((c, t)) => Some(VISITS.iter().position(|v| *v == t).ok_or_else(|| {
                bad(
                    c,
                    format!("`{t}` is not a survey-count bucket"),
                    "use 1 (a customer's first survey), 2-3 or 4+, or leave the cell empty when the responses name no customer",
                )
            })? as u8),
            None => None,
        };
        let transfers_bucket = match optional(self.transfers_bucket)? {
            Some((c, t)) => Some(match t {
                "0" | "1" | "2" | "3" => t.as_bytes()[0] - b'0',
                _ => {
                    return Err(bad(
                        c,
                        format!("`{t}` is not a transfers bucket"),
                        "use 0, 1, 2 or 3 (three or more transfers), or leave the cell empty when transfers are not known",
                    ));
                }
            }),
            None => None,
        };
        let first_response_bucket = match optional(self.first_response_bucket)? {
            Some((c, t)) => {
                let edge = t.parse::<f64>().ok();
                match self.first_response_from.iter().position(|&from| Some(from) == edge) {
                    Some(i) => Some(i as u8),
                    None => {
                        let edges: Vec<String> = self.first_response_from.iter().map(f64::to_string).collect();
                        return Err(bad(
                            c,
                            format!("`{t}` is not where a first-response bucket starts"),
                            &format!(
                                "the buckets of [metrics.first_response] start at {} minutes; make the query's bucket edges and site.toml's agree",
                                edges.join(", ")
                            ),
                        ));
                    }
                }
            }
            None => None,
        };

        let name = text(self.metric)?;
        let Some(&(_, metric)) = self.metrics.iter().find(|(n, _)| n == name) else {
            return Err(bad(self.metric, self.unknown_metric(name), &self.metric_hint(name)));
        };
        let score = optional(Some(self.score))?;
        let key = optional(self.sketch_key)?;
        let counts = match metric {
            Metric::Responses | Metric::FirstResponse | Metric::Resolution if score.is_some() => {
                let hint = if metric == Metric::Responses {
                    "`responses` rows count responses, whatever they answered: leave `score` empty"
                } else {
                    "durations are counted by `sketch_key`: leave `score` empty"
                };
                return Err(bad(self.score, format!("a `{name}` row has a score"), hint));
            }
            _ if key.is_some() && !metric.is_duration() => {
                let c = self.sketch_key.unwrap_or(self.score);
                return Err(bad(
                    c,
                    format!("a `{name}` row has a sketch key"),
                    "sketch keys belong to the rows of durations (first_response_minutes, resolution_minutes): leave `sketch_key` empty",
                ));
            }
            Metric::Responses => Counts::Responses,
            Metric::Csat | Metric::Nps | Metric::Ces | Metric::Transfers => {
                let Some((c, t)) = score else {
                    return Err(bad(
                        self.score,
                        format!("a `{name}` row has no score"),
                        "give the score its answers had (for transfers, the number of transfers)",
                    ));
                };
                match metric {
                    Metric::Csat => Counts::Csat(scored(t, "CSAT", self.csat).map_err(|(r, h)| bad(c, r, &h))?),
                    Metric::Nps => Counts::Nps(scored(t, "NPS", [0, 10]).map_err(|(r, h)| bad(c, r, &h))?),
                    Metric::Ces => Counts::Ces(scored(t, "CES", self.ces).map_err(|(r, h)| bad(c, r, &h))?),
                    _ => Counts::Transfers(
                        t.parse::<u64>()
                            .ok()
                            .filter(|&t| t <= MOST_TRANSFERS)
                            .ok_or_else(|| {
                                bad(
                                    c,
                                    format!("transfers `{t}` is not a whole number from 0 to {MOST_TRANSFERS}"),
                                    "a `transfers` row's score is the number of transfers of the tickets it counts: 0, 1, 2, …",
                                )
                            })?,
                    ),
                }
            }
            Metric::FirstResponse | Metric::Resolution => {
                let column = self.sketch_key.unwrap_or(self.score);
                let Some((c, t)) = key else {
                    return Err(bad(
                        column,
                        format!("a `{name}` row has no sketch key"),
                        "give the sketch bin of its durations: ceil(ln(minutes) / ln(1.01 / 0.99)) in double precision, or `zero` for 0 minutes (docs/warehouse.md)",
                    ));
                };
                let key = sketch_key(t).map_err(|(r, h)| bad(c, r, &h))?;
                if metric == Metric::FirstResponse { Counts::FirstResponse(key) } else { Counts::Resolution(key) }
            }
        };
        let count = count(text(self.count)?).map_err(|(reason, hint)| bad(self.count, reason, hint))?;
        Ok(Group {
            day,
            dimensions: dimensions.into_boxed_slice(),
            visit,
            transfers_bucket,
            first_response_bucket,
            counts,
            count,
            line: 0,
        })
    }

    fn unknown_metric(&self, name: &str) -> String {
        if name.is_empty() {
            "the metric is empty".to_string()
        } else {
            format!("`{name}` is not a metric of this table")
        }
    }

    fn metric_hint(&self, name: &str) -> String {
        let known: Vec<&str> = self.metrics.iter().map(|(n, _)| n.as_str()).collect();
        let listed = known.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
        const MEASURES: [&str; 3] = ["transfers", "first_response_minutes", "resolution_minutes"];
        if MEASURES.contains(&name) {
            return format!(
                "to count it, map it in [sources.measures]: `{name} = \"{name}\"`; this table's metrics are {listed}"
            );
        }
        match nearest(name, known.iter().copied()) {
            Some(near) if !name.is_empty() => format!("did you mean `{near}`? This table's metrics are {listed}"),
            _ => format!("name what each row counts: {listed}"),
        }
    }
}

/// A warning when a cell of the table counts more answers to a metric than responses: its
/// `responses` row is missing or short, and its figures would have more answers than responses.
pub(super) fn check_cells(groups: &[Group], shown: &str) -> Option<Diagnostic> {
    type Cell<'a> = (Date, &'a [Option<u32>], Option<u8>, Option<u8>, Option<u8>);
    // Per cell: its responses, its answers per metric, and the line of its first row.
    let mut cells: FxHashMap<Cell, (u64, [u64; 6], u64)> = FxHashMap::default();
    for g in groups {
        let cell = (g.day, &g.dimensions[..], g.visit, g.transfers_bucket, g.first_response_bucket);
        let entry = cells.entry(cell).or_insert((0, [0; 6], g.line));
        let metric = match g.counts {
            Counts::Responses => {
                entry.0 = entry.0.saturating_add(g.count);
                continue;
            }
            Counts::Csat(_) => 0,
            Counts::Nps(_) => 1,
            Counts::Ces(_) => 2,
            Counts::Transfers(_) => 3,
            Counts::FirstResponse(_) => 4,
            Counts::Resolution(_) => 5,
        };
        entry.1[metric] = entry.1[metric].saturating_add(g.count);
        entry.2 = entry.2.min(g.line);
    }
    let short: Vec<(u64, u64, u64)> = cells
        .values()
        .filter_map(|&(responses, answers, line)| {
            let most = answers.into_iter().max().unwrap_or(0);
            (most > responses).then_some((line, most, responses))
        })
        .collect();
    let &(line, most, responses) = short.iter().min()?;
    let others = match short.len() - 1 {
        0 => String::new(),
        n => format!(" (and {n} more cells)"),
    };
    Some(
        Diagnostic::warning(format!(
            "{shown}, line {line}: this row's cell counts {most} answers to one metric but {responses} responses{others}"
        ))
        .in_file(shown)
        .with_help(
            "every cell needs a `responses` row counting all its responses, whatever they answered (docs/warehouse.md)",
        ),
    )
}

/// The `day` column: YYYY-MM-DD.
fn day(text: &str) -> Result<Date, (String, String)> {
    if text.is_empty() {
        return Err((
            "the day is empty".into(),
            "every row needs the day of its responses, as YYYY-MM-DD in the site's time zone".into(),
        ));
    }
    let day = match text.parse::<Date>() {
        Ok(day) if text.len() == 10 => day,
        _ => {
            return Err((
                format!("`{text}` is not a day"),
                "write the day as YYYY-MM-DD (e.g. 2026-10-03), in the site's time zone".into(),
            ));
        }
    };
    if !YEARS.contains(&day.year()) {
        return Err((
            format!("`{text}` is in the year {}", day.year()),
            format!(
                "responses are dated {}–{}; a date such as 9999-12-31 usually means \"never\" or a typo",
                YEARS.start(),
                YEARS.end()
            ),
        ));
    }
    Ok(day)
}

/// A score on `scale`: a whole number (answer labels are mapped to scores by the query, not here).
fn scored(text: &str, what: &str, [lo, hi]: [u8; 2]) -> Result<u8, (String, String)> {
    match text.parse::<u8>() {
        Ok(s) if (lo..=hi).contains(&s) => Ok(s),
        Ok(_) => Err((
            format!("{what} `{text}` is outside the scale {lo}–{hi}"),
            format!("scores on this scale run from {lo} to {hi}; the query should leave out answers it cannot read"),
        )),
        Err(_) => Err((
            format!("{what} `{text}` is not a whole number"),
            format!(
                "a score is a whole number from {lo} to {hi}; answer labels are read from exports, so turn them into scores in the query"
            ),
        )),
    }
}

/// The `sketch_key` column: a bin's key, or `zero`.
fn sketch_key(text: &str) -> Result<Option<i32>, (String, String)> {
    if text.eq_ignore_ascii_case("zero") {
        return Ok(None);
    }
    match text.parse::<i32>() {
        Ok(k) if SKETCH_KEYS.contains(&k) => Ok(Some(k)),
        Ok(_) => Err((
            format!("sketch key `{text}` is out of range"),
            format!(
                "keys run from {} to {}: check that the query takes the logarithm of minutes (docs/warehouse.md)",
                SKETCH_KEYS.start(),
                SKETCH_KEYS.end()
            ),
        )),
        Err(_) => Err((
            format!("sketch key `{text}` is neither a whole number nor `zero`"),
            "a key is ceil(ln(minutes) / ln(1.01 / 0.99)) in double precision, or `zero` for 0 minutes (docs/warehouse.md)"
                .into(),
        )),
    }
}

/// The `count` column: a whole number of 0 or more.
fn count(text: &str) -> Result<u64, (String, &'static str)> {
    const HINT: &str = "a count is the whole number of responses or answers a row stands for: 0, 1, 2, …";
    if text.is_empty() {
        return Err(("the count is empty".into(), HINT));
    }
    let too_large = || Err((format!("count `{text}` is more than a trillion ({MOST_COUNTED})"), HINT));
    if let Ok(n) = text.parse::<u64>() {
        return if n <= MOST_COUNTED { Ok(n) } else { too_large() };
    }
    // Some engines write sums as floating point: 12.0 is 12.
    match text.parse::<f64>() {
        Ok(v) if v < 0.0 => Err((format!("count `{text}` is negative"), HINT)),
        Ok(v) if v.fract() != 0.0 => Err((format!("count `{text}` is not a whole number"), HINT)),
        Ok(v) if v <= MOST_COUNTED as f64 => Ok(v as u64),
        Ok(_) => too_large(),
        Err(_) => Err((format!("count `{text}` is not a number"), HINT)),
    }
}

#[cfg(test)]
mod tests;
