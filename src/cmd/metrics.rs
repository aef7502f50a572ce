//! `rapport metrics`: the figures of a period and grouping, for people
//! (an aligned table) or for other programs (JSON, CSV).
//!
//! The figures are the site's own: the same suppression, intervals and
//! partial-period marks, so a number quoted from the terminal matches the
//! published one. A withheld group is left out and counted in a footnote.

use std::fmt::Write as _;

use serde::Serialize;

use crate::cli::{MetricsArgs, MetricsFormat};
use crate::config::{Config, PeriodKind};
use crate::diagnostic::{Diagnostic, nearest};
use crate::error::Error;
use crate::ingest::{self, Inputs};
use crate::metrics::{Extra, Figures, Grain, Metrics, Period, Segment, TRANSFER_BUCKETS, VISITS};

pub fn run(args: &MetricsArgs) -> Result<(), Error> {
    let root = &args.root.root;
    let config = Config::load(root)?;
    let when = When::parse(&args.period)?;
    let by = By::parse(&config, args.by.as_deref())?;
    super::remove_temporary_files_on_interrupt();
    let inputs = ingest::read(&config, root, &root.join("public"))?;
    let today = config.time_zone.to_datetime(super::build_time()?).date();
    let extra = Extra {
        crosses: match by {
            By::Cross(a, b) => vec![(a, b)],
            _ => Vec::new(),
        },
        kinds: when.kind().into_iter().collect(),
        ..Extra::default()
    };
    let metrics = Metrics::compute(&config, &inputs, &extra, today)?;
    let table = Table::of(&metrics, &inputs, &when, &by);
    let out = match args.format {
        MetricsFormat::Table => table.text(&metrics),
        MetricsFormat::Json => {
            let mut s = serde_json::to_string_pretty(&table.rows).expect("figures serialize to JSON");
            s.push('\n');
            s
        }
        MetricsFormat::Csv => table.csv(),
    };
    print!("{out}");
    Ok(())
}

/// Which time the figures cover.
enum When {
    All,
    One(Period),
    Every(PeriodKind),
}

impl When {
    fn parse(text: &str) -> Result<When, Error> {
        let kinds = [PeriodKind::Week, PeriodKind::Month, PeriodKind::Quarter, PeriodKind::Year];
        if text.eq_ignore_ascii_case("all") {
            return Ok(When::All);
        }
        if let Some(&kind) = kinds.iter().find(|k| k.name().eq_ignore_ascii_case(text)) {
            return Ok(When::Every(kind));
        }
        Period::parse_key(text).map(When::One).ok_or_else(|| {
            Error::usage(Diagnostic::new(format!("--period `{text}` names no period")).with_help(
                "use all, a period key (2026-10, 2026-Q4, 2026-W41, 2026) or a kind (week, month, quarter, year)",
            ))
        })
    }

    fn kind(&self) -> Option<PeriodKind> {
        match self {
            When::All => None,
            When::One(p) => Some(p.kind),
            When::Every(kind) => Some(*kind),
        }
    }

    fn grains(&self, metrics: &Metrics) -> Vec<Grain> {
        match self {
            When::All => vec![Grain::All],
            When::One(p) => vec![Grain::Period(*p)],
            When::Every(kind) => metrics.published(*kind).into_iter().map(Grain::Period).collect(),
        }
    }
}

/// How responses are grouped.
enum By {
    Everyone,
    Dimension(usize),
    Cross(usize, usize),
    Transfers,
    FirstResponse,
    SurveyCount,
}

const SPECIAL: [&str; 3] = ["transfers", "first_response", "survey_count"];

impl By {
    fn parse(config: &Config, text: Option<&str>) -> Result<By, Error> {
        let Some(text) = text else { return Ok(By::Everyone) };
        let dimensions = config.dimensions();
        let dimension = |name: &str| -> Result<usize, Error> {
            dimensions.iter().position(|d| *d == name).ok_or_else(|| {
                let choices = dimensions.iter().copied().chain(SPECIAL);
                let help = match nearest(name, choices.clone()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!(
                        "group by a dimension of [sources.dimensions] or a bucket: {}",
                        choices.map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
                    ),
                };
                Error::usage(Diagnostic::new(format!("--by `{name}` is not a dimension of this site")).with_help(help))
            })
        };
        let names: Vec<&str> = text.split(',').map(str::trim).collect();
        match names[..] {
            ["transfers"] => Ok(By::Transfers),
            ["first_response"] => Ok(By::FirstResponse),
            ["survey_count"] => Ok(By::SurveyCount),
            [one] => Ok(By::Dimension(dimension(one)?)),
            [a, b] if a == b => Err(Error::usage(
                Diagnostic::new(format!("--by `{text}` crosses a dimension with itself"))
                    .with_help("name two different dimensions, e.g. --by channel,touchpoint"),
            )),
            [a, b] => Ok(By::Cross(dimension(a)?, dimension(b)?)),
            _ => Err(Error::usage(
                Diagnostic::new(format!("--by `{text}` names {} groupings", names.len()))
                    .with_help("group by one dimension, or cross two: --by channel,touchpoint"),
            )),
        }
    }

    /// The column names of the grouping.
    fn columns(&self, inputs: &Inputs) -> Vec<String> {
        let name = |d: usize| inputs.dimensions[d].name.clone();
        match *self {
            By::Everyone => Vec::new(),
            By::Dimension(d) => vec![name(d)],
            By::Cross(a, b) => vec![name(a), name(b)],
            By::Transfers => vec!["transfers".into()],
            By::FirstResponse => vec!["first_response".into()],
            By::SurveyCount => vec!["survey_count".into()],
        }
    }

    /// Every group with its labels, in a fixed order (values by name).
    fn groups(&self, metrics: &Metrics, inputs: &Inputs) -> Vec<(Vec<String>, Segment)> {
        let values = |d: usize| {
            let mut v: Vec<(String, u32)> =
                inputs.dimensions[d].values.iter().enumerate().map(|(i, s)| (s.clone(), i as u32)).collect();
            v.sort();
            v
        };
        match *self {
            By::Everyone => vec![(Vec::new(), Segment::All)],
            By::Dimension(d) => values(d)
                .into_iter()
                .map(|(label, v)| (vec![label], Segment::Value { dimension: d as u16, value: v }))
                .collect(),
            By::Cross(a, b) => {
                let columns = values(b);
                values(a)
                    .into_iter()
                    .flat_map(|(la, va)| {
                        columns.iter().map(move |(lb, vb)| {
                            (vec![la.clone(), lb.clone()], Segment::Cross { pair: 0, a: va, b: *vb })
                        })
                    })
                    .collect()
            }
            By::Transfers => TRANSFER_BUCKETS
                .iter()
                .enumerate()
                .map(|(i, l)| (vec![l.to_string()], Segment::Transfers(i as u8)))
                .collect(),
            By::FirstResponse => metrics
                .first_response_buckets()
                .into_iter()
                .map(|(range, segment)| {
                    let label = match range {
                        [None, Some(hi)] => format!("< {hi} min"),
                        [Some(lo), Some(hi)] => format!("{lo}–{hi} min"),
                        [Some(lo), None] => format!("≥ {lo} min"),
                        [None, None] => "all".into(),
                    };
                    (vec![label], segment)
                })
                .collect(),
            By::SurveyCount => ["1st", "2nd–3rd", "4th+"]
                .iter()
                .take(VISITS)
                .enumerate()
                .map(|(i, l)| (vec![l.to_string()], Segment::Visit(i as u8)))
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct Row {
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    partial: bool,
    #[serde(skip_serializing_if = "indexmap::IndexMap::is_empty")]
    group: indexmap::IndexMap<String, String>,
    metrics: Figures,
}

struct Table {
    columns: Vec<String>,
    rows: Vec<Row>,
    /// Groups with responses whose figures are withheld.
    withheld: usize,
}

impl Table {
    fn of(metrics: &Metrics, inputs: &Inputs, when: &When, by: &By) -> Table {
        let columns = by.columns(inputs);
        let groups = by.groups(metrics, inputs);
        let mut rows = Vec::new();
        let mut withheld = 0;
        for grain in when.grains(metrics) {
            let period = match grain {
                Grain::Period(p) => Some(p),
                _ => None,
            };
            for (labels, segment) in &groups {
                let figures = metrics.figures(grain, *segment);
                if figures.is_suppressed() {
                    // A group with responses but nothing published is counted below the table.
                    withheld += usize::from(metrics.tally(grain, *segment).responses > 0);
                    continue;
                }
                rows.push(Row {
                    period: period.map(|p| p.key()),
                    partial: period.is_some_and(|p| metrics.is_partial(p)),
                    group: columns.iter().cloned().zip(labels.iter().cloned()).collect(),
                    metrics: (*figures).clone(),
                });
            }
        }
        Table { columns, rows, withheld }
    }

    /// Flat cells per row: every number with its n and interval.
    fn flat(&self) -> (Vec<&'static str>, Vec<Vec<String>>) {
        let head = FLAT.iter().map(|(name, _)| *name).collect();
        let rows = self
            .rows
            .iter()
            .map(|r| FLAT.iter().map(|(_, cell)| cell(&r.metrics).map(number).unwrap_or_default()).collect())
            .collect();
        (head, rows)
    }

    fn csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let (head, cells) = self.flat();
        let record = ["period", "partial"]
            .into_iter()
            .map(String::from)
            .chain(self.columns.iter().cloned())
            .chain(head.iter().map(|h| h.to_string()));
        w.write_record(record).expect("writing to memory");
        for (row, cells) in self.rows.iter().zip(cells) {
            let record = [row.period.clone().unwrap_or_else(|| "all".into()), row.partial.to_string()]
                .into_iter()
                .chain(row.group.values().cloned())
                .chain(cells);
            w.write_record(record).expect("writing to memory");
        }
        String::from_utf8(w.into_inner().expect("writing to memory")).expect("CSV of UTF-8 text is UTF-8")
    }

    fn text(&self, metrics: &Metrics) -> String {
        let level = format!("{}% CI", metrics.rules.level());
        let mut head: Vec<String> = Vec::new();
        let mut cells: Vec<Vec<String>> = self.rows.iter().map(|_| Vec::new()).collect();
        let mut low = false;
        let mut push = |name: String, values: Vec<String>, cells: &mut Vec<Vec<String>>| {
            head.push(name);
            cells.iter_mut().zip(values).for_each(|(row, v)| row.push(v));
        };
        if self.rows.iter().any(|r| r.period.is_some()) {
            let keys = self
                .rows
                .iter()
                .map(|r| {
                    format!("{}{}", r.period.clone().unwrap_or_default(), if r.partial { " (partial)" } else { "" })
                })
                .collect();
            push("period".into(), keys, &mut cells);
        }
        for (i, name) in self.columns.iter().enumerate() {
            push(name.clone(), self.rows.iter().map(|r| r.group[i].clone()).collect(), &mut cells);
        }
        push(
            "responses".into(),
            self.rows.iter().map(|r| r.metrics.responses.map(|n| n.to_string()).unwrap_or_default()).collect(),
            &mut cells,
        );
        for column in COLUMNS {
            let values: Vec<Cell> = self.rows.iter().map(|r| (column.cell)(&r.metrics)).collect();
            if values.iter().all(Option::is_none) {
                continue;
            }
            low |= values.iter().flatten().any(|v| v.3);
            let value = |v: &Cell| {
                v.as_ref().map(|v| format!("{}{}", v.0, if v.3 { "*" } else { "" })).unwrap_or_else(|| "–".into())
            };
            push(column.name.into(), values.iter().map(value).collect(), &mut cells);
            if values.iter().flatten().any(|v| v.1.is_some()) {
                push(
                    level.clone(),
                    values.iter().map(|v| v.as_ref().and_then(|v| v.1.clone()).unwrap_or_default()).collect(),
                    &mut cells,
                );
            }
            push(
                "n".into(),
                values.iter().map(|v| v.as_ref().map(|v| v.2.to_string()).unwrap_or_default()).collect(),
                &mut cells,
            );
        }
        let mut out = String::new();
        if self.rows.is_empty() {
            out.push_str("No published figures for this period and grouping.\n");
        } else {
            let widths: Vec<usize> = (0..head.len())
                .map(|c| cells.iter().map(|r| r[c].chars().count()).chain([head[c].chars().count()]).max().unwrap_or(0))
                .collect();
            let labels = self.columns.len() + usize::from(head[0] == "period");
            let line = |row: &[String]| -> String {
                let cells: Vec<String> = row
                    .iter()
                    .enumerate()
                    .map(|(c, s)| {
                        let pad = " ".repeat(widths[c] - s.chars().count());
                        if c < labels { format!("{s}{pad}") } else { format!("{pad}{s}") }
                    })
                    .collect();
                cells.join("  ").trim_end().to_string() + "\n"
            };
            out.push_str(&line(&head));
            for row in &cells {
                out.push_str(&line(row));
            }
        }
        if low {
            let _ = writeln!(out, "* fewer than {} answers: a low sample, read with care.", metrics.rules.min_n);
        }
        if self.withheld > 0 {
            let _ = writeln!(
                out,
                "{} groups withheld to protect the customers who answered (fewer than {} responses, or able to reveal such a group by subtraction).",
                self.withheld, metrics.rules.min_group
            );
        }
        out
    }
}

/// A CSV cell: integers as integers, other numbers with six decimals at most.
fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

type Flat = (&'static str, fn(&Figures) -> Option<f64>);

/// The CSV's figure columns.
const FLAT: &[Flat] = &[
    ("responses", |f| f.responses.map(|n| n as f64)),
    ("csat_n", |f| f.csat.as_ref().map(|c| c.n as f64)),
    ("csat_percent", |f| f.csat.as_ref().map(|c| c.percent)),
    ("csat_ci_low", |f| f.csat.as_ref().map(|c| c.ci[0])),
    ("csat_ci_high", |f| f.csat.as_ref().map(|c| c.ci[1])),
    ("csat_mean", |f| f.csat.as_ref().map(|c| c.mean)),
    ("nps_n", |f| f.nps.as_ref().map(|c| c.n as f64)),
    ("nps", |f| f.nps.as_ref().map(|c| c.score)),
    ("nps_ci_low", |f| f.nps.as_ref().map(|c| c.ci[0])),
    ("nps_ci_high", |f| f.nps.as_ref().map(|c| c.ci[1])),
    ("ces_n", |f| f.ces.as_ref().map(|c| c.n as f64)),
    ("ces_mean", |f| f.ces.as_ref().map(|c| c.mean)),
    ("ces_ci_low", |f| f.ces.as_ref().and_then(|c| c.ci).map(|ci| ci[0])),
    ("ces_ci_high", |f| f.ces.as_ref().and_then(|c| c.ci).map(|ci| ci[1])),
    ("ces_easy_percent", |f| f.ces.as_ref().map(|c| c.easy_percent)),
    ("first_response_n", |f| f.first_response_minutes.as_ref().map(|d| d.n as f64)),
    ("first_response_median", |f| f.first_response_minutes.as_ref().map(|d| d.median)),
    ("first_response_p90", |f| f.first_response_minutes.as_ref().map(|d| d.p90)),
    ("resolution_n", |f| f.resolution_minutes.as_ref().map(|d| d.n as f64)),
    ("resolution_median", |f| f.resolution_minutes.as_ref().map(|d| d.median)),
    ("resolution_p90", |f| f.resolution_minutes.as_ref().map(|d| d.p90)),
    ("transfers_n", |f| f.transfers.as_ref().map(|t| t.n as f64)),
    ("transfers_mean", |f| f.transfers.as_ref().map(|t| t.mean)),
    ("transfers_ci_low", |f| f.transfers.as_ref().and_then(|t| t.ci).map(|ci| ci[0])),
    ("transfers_ci_high", |f| f.transfers.as_ref().and_then(|t| t.ci).map(|ci| ci[1])),
];

/// A table cell: the value, its interval, n and whether it is a low sample.
type Cell = Option<(String, Option<String>, u64, bool)>;

struct Column {
    name: &'static str,
    cell: fn(&Figures) -> Cell,
}

/// "81.0–82.4"; with a negative bound "-59.9 to -9.6", which a dash would garble.
fn interval([lo, hi]: [f64; 2], places: usize) -> String {
    if lo < 0.0 { format!("{lo:.places$} to {hi:.places$}") } else { format!("{lo:.places$}–{hi:.places$}") }
}

/// Minutes: one decimal below ten, whole minutes above.
fn minutes(x: f64) -> String {
    if x < 10.0 { format!("{x:.1}") } else { format!("{x:.0}") }
}

/// A quantile's interval; a side too few values can bound is open.
fn bounds([lo, hi]: [Option<f64>; 2]) -> Option<String> {
    let b = |x: Option<f64>, open: &str| x.map(minutes).unwrap_or_else(|| open.into());
    (lo.is_some() || hi.is_some()).then(|| format!("{}–{}", b(lo, "?"), b(hi, "∞")))
}

/// The table's figure columns: each followed by its interval and n.
const COLUMNS: &[Column] = &[
    Column {
        name: "CSAT %",
        cell: |f| f.csat.as_ref().map(|c| (format!("{:.1}", c.percent), Some(interval(c.ci, 1)), c.n, c.low_sample)),
    },
    Column {
        name: "NPS",
        cell: |f| f.nps.as_ref().map(|c| (format!("{:.1}", c.score), Some(interval(c.ci, 1)), c.n, c.low_sample)),
    },
    Column {
        name: "CES",
        cell: |f| f.ces.as_ref().map(|c| (format!("{:.2}", c.mean), c.ci.map(|ci| interval(ci, 2)), c.n, c.low_sample)),
    },
    Column {
        name: "first response median (min)",
        cell: |f| {
            f.first_response_minutes.as_ref().map(|d| (minutes(d.median), bounds(d.median_ci), d.n, d.low_sample))
        },
    },
    Column {
        name: "resolution median (min)",
        cell: |f| f.resolution_minutes.as_ref().map(|d| (minutes(d.median), bounds(d.median_ci), d.n, d.low_sample)),
    },
    Column {
        name: "transfers",
        cell: |f| {
            f.transfers.as_ref().map(|t| (format!("{:.2}", t.mean), t.ci.map(|ci| interval(ci, 2)), t.n, t.low_sample))
        },
    },
];
