//! Response rates: responses ÷ surveys sent, per report period and group.
//!
//! A response is a row used (whatever it answered: the Responses tile's
//! count); a survey sent is a `[sent]` count. Sent rows are whole periods
//! (a day, a week, a month, …) and are only ever added up, never split: a
//! report period gets a rate when, for every group of the sent file that
//! the rate is about, rows lying wholly inside the period cover each of its
//! days and no row runs over its edges. So months add up to quarters and
//! years, days to anything, but a monthly count gives a week nothing (a
//! week's share of a month would be a guess).
//!
//! A rate is only as good as its two counts agreeing on who is counted, so
//! a group gets none when some of its responses fall in no group of the sent
//! file (an unlisted channel, an empty cell), and a cell with more responses
//! than surveys sent gets none and a warning, instead of a rate above 100 %.

use std::collections::BTreeMap;

use jiff::civil::Date;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::config::Config;
use crate::diagnostic::{Diagnostic, nearest};
use crate::ingest::{Inputs, SentCounts, SentRow};
use crate::metrics::{Difference, Grain, Metrics, Period, Rules, Segment, stats};

/// A response rate with its interval.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Rate {
    /// Responses in the period and group.
    pub responses: u64,
    /// Surveys sent in it: the rate's n.
    pub sent: u64,
    /// Responses ÷ sent, 0–100.
    pub percent: f64,
    /// Wilson score interval at `stats.confidence`, 0–100.
    pub ci: [f64; 2],
    /// Fewer than `stats.min_n` surveys sent.
    pub low_sample: bool,
}

/// What a published group's rate in a period came to.
#[derive(Debug, Clone, PartialEq)]
pub enum RateOutcome {
    Rate(Rate),
    /// The sent rows do not cover the period with whole periods for every group of the rate.
    Uncovered,
    /// Some of the group's responses belong to no group of the sent counts.
    Unlisted,
    /// More responses than surveys sent: the two do not count the same thing.
    AboveSent {
        responses: u64,
        sent: u64,
    },
}

/// Response rates of every report period, for everyone and each group the sent counts name.
#[derive(Debug)]
pub struct Rates {
    /// The site dimensions (indexes into the inputs') the counts are split by, in `[sent]` order.
    pub dimensions: Vec<usize>,
    /// Outcomes of the published groups that the sent counts speak about.
    outcomes: FxHashMap<(Period, Segment), RateOutcome>,
    rules: Rules,
    /// Sent values no response has, or groups with more responses than surveys sent.
    pub warnings: Vec<Diagnostic>,
}

/// The rows of one group of the sent file, and the group's values as the responses number them.
struct Series<'a> {
    rows: &'a [SentRow],
    /// Per sent dimension, the value's index in the inputs; `None` when no response has it.
    ids: Vec<Option<u32>>,
}

impl Rates {
    pub fn compute(config: &Config, inputs: &Inputs, sent: &SentCounts, metrics: &Metrics) -> Rates {
        let mut rates = Rates {
            dimensions: Vec::new(),
            outcomes: FxHashMap::default(),
            rules: metrics.rules,
            warnings: Vec::new(),
        };
        // Validation keeps `[sent.dimensions]` within the dimensions ingest reads.
        let Some(dimensions) = sent.dimensions.iter().map(|name| inputs.dimension(name)).collect::<Option<Vec<_>>>()
        else {
            return rates;
        };
        rates.dimensions = dimensions;
        let series: Vec<Series> = sent
            .rows
            .chunk_by(|a, b| a.values == b.values)
            .map(|rows| Series {
                rows,
                ids: rates.dimensions.iter().zip(&rows[0].values).map(|(&d, v)| inputs.value(d, v)).collect(),
            })
            .collect();
        rates.warn_unknown_values(inputs, sent, &series, metrics);
        let unlisted = rates.unlisted(metrics, &series);
        let segments: Vec<Segment> = std::iter::once(Segment::All).chain(rates.listed_segments(&series)).collect();
        for &kind in &config.periods {
            for period in metrics.periods(kind) {
                for &segment in &segments {
                    let Some(responses) = metrics.figures(Grain::Period(period), segment).responses else { continue };
                    let matching: Vec<&Series> = series.iter().filter(|s| rates.matches(s, segment)).collect();
                    let outcome = match covered(&matching, period) {
                        None => RateOutcome::Uncovered,
                        Some(_) if count_in(&unlisted, segment, period) > 0 => RateOutcome::Unlisted,
                        Some(sent) if responses > sent => RateOutcome::AboveSent { responses, sent },
                        Some(sent) => RateOutcome::Rate(rate(responses, sent, &rates.rules)),
                    };
                    if let RateOutcome::AboveSent { responses, sent: n } = outcome {
                        rates.warnings.push(above_sent(inputs, sent, period, segment, responses, n));
                    }
                    rates.outcomes.insert((period, segment), outcome);
                }
            }
        }
        rates
    }

    /// The outcome for a published group the sent counts speak about; `None` for any other.
    pub fn outcome(&self, period: Period, segment: Segment) -> Option<&RateOutcome> {
        self.outcomes.get(&(period, segment))
    }

    pub fn rate(&self, period: Period, segment: Segment) -> Option<&Rate> {
        match self.outcome(period, segment) {
            Some(RateOutcome::Rate(r)) => Some(r),
            _ => None,
        }
    }

    /// The rate against the previous period's, by the pooled two-proportion z-test on surveys
    /// sent; `claim` is false when no significance may be claimed (the period is still running).
    pub fn change(&self, period: Period, segment: Segment, claim: bool) -> Option<Difference> {
        let (before, after) = (self.rate(period.previous(), segment)?, self.rate(period, segment)?);
        let test = stats::two_proportion(before.responses, before.sent, after.responses, after.sent)?;
        Some(Difference::judged(test, before.sent, after.sent, 100.0, &self.rules, claim))
    }

    /// Whether the counts are split by dimension `d` of the inputs.
    pub fn splits(&self, d: usize) -> bool {
        self.dimensions.contains(&d)
    }

    /// Whether a group of the sent file belongs to `segment`.
    fn matches(&self, series: &Series, segment: Segment) -> bool {
        match segment {
            Segment::All => true,
            Segment::Value { dimension, value } => self
                .dimensions
                .iter()
                .position(|&d| d == usize::from(dimension))
                .is_some_and(|k| series.ids[k] == Some(value)),
            _ => false,
        }
    }

    /// Each value the sent counts name that responses have too, as a segment.
    fn listed_segments(&self, series: &[Series]) -> Vec<Segment> {
        let mut segments: Vec<Segment> = series
            .iter()
            .flat_map(|s| {
                self.dimensions
                    .iter()
                    .zip(&s.ids)
                    .filter_map(|(&d, id)| Some(Segment::Value { dimension: d as u16, value: (*id)? }))
            })
            .collect();
        segments.sort();
        segments.dedup();
        segments
    }

    /// Responses that belong to no group of the sent counts (a value the counts do not list,
    /// or none), by the segments they count toward and their day.
    fn unlisted(&self, metrics: &Metrics, series: &[Series]) -> BTreeMap<(Segment, Date), u64> {
        let mut counts = BTreeMap::new();
        if self.dimensions.is_empty() {
            return counts;
        }
        let listed: FxHashSet<Vec<u32>> =
            series.iter().filter_map(|s| s.ids.iter().copied().collect::<Option<Vec<u32>>>()).collect();
        // The responses by their values of the sent dimensions (in `[sent]` order, as here) and day.
        for (values, day, n) in metrics.by_sent_values() {
            let whole: Option<Vec<u32>> = values.iter().copied().collect();
            if whole.is_some_and(|whole| listed.contains(&whole)) {
                continue;
            }
            *counts.entry((Segment::All, day)).or_insert(0) += n;
            for (&d, value) in self.dimensions.iter().zip(values) {
                if let Some(value) = *value {
                    *counts.entry((Segment::Value { dimension: d as u16, value }, day)).or_insert(0) += n;
                }
            }
        }
        counts
    }

    /// One warning per value of the sent counts that no response has, suggesting a published value.
    fn warn_unknown_values(&mut self, inputs: &Inputs, sent: &SentCounts, series: &[Series], metrics: &Metrics) {
        let mut warned: FxHashSet<(usize, &str)> = FxHashSet::default();
        for s in series {
            for (k, id) in s.ids.iter().enumerate() {
                let value = &*s.rows[0].values[k];
                if id.is_some() || !warned.insert((k, value)) {
                    continue;
                }
                let d = self.dimensions[k];
                let dimension = &inputs.dimensions[d];
                // Only values published on the site are suggested: a small group's name is not shown anywhere.
                let published = dimension.values.iter().enumerate().filter(|&(v, _)| {
                    let segment = Segment::Value { dimension: d as u16, value: v as u32 };
                    metrics.figures(Grain::All, segment).responses.is_some()
                });
                let help = match nearest(value, published.map(|(_, name)| name.as_str())) {
                    Some(near) => format!("did you mean `{near}`? Values are compared exactly, including case"),
                    None => "its surveys count toward the overall rate only; check the spelling against the exports"
                        .to_string(),
                };
                self.warnings.push(
                    Diagnostic::warning(format!(
                        "{}: no response has {} = {value}, so its surveys sent count toward no group's rate",
                        sent.place(&s.rows[0]),
                        dimension.name
                    ))
                    .in_file(sent.files[s.rows[0].file as usize].path.as_str())
                    .with_help(help),
                );
            }
        }
    }
}

/// The surveys sent in `period` to the groups of `matching`, when their rows cover it
/// exactly: whole rows only, every day of the period, every group. `None` otherwise.
fn covered(matching: &[&Series], period: Period) -> Option<u64> {
    if matching.is_empty() {
        return None;
    }
    let (start, end) = (period.start, period.end());
    let days = i64::from((end - start).get_days()) + 1;
    let mut sent = 0;
    for series in matching {
        let mut covered_days = 0;
        for row in series.rows.iter().filter(|r| r.last >= start && r.first <= end) {
            if row.first < start || row.last > end {
                // A row running over the period's edge cannot be split honestly.
                return None;
            }
            covered_days += row.days();
            sent += row.sent;
        }
        // Rows of a group never overlap (ingest checks), so their days add up.
        if covered_days != days {
            return None;
        }
    }
    Some(sent)
}

/// Responses of `segment` within `period` in a count by (segment, day).
fn count_in(counts: &BTreeMap<(Segment, Date), u64>, segment: Segment, period: Period) -> u64 {
    counts.range((segment, period.start)..=(segment, period.end())).map(|(_, n)| n).sum()
}

fn rate(responses: u64, sent: u64, rules: &Rules) -> Rate {
    // `responses <= sent` and `sent > 0` here (a published group has responses).
    let ci = stats::wilson(responses, sent, rules.z).unwrap_or([0.0, 1.0]);
    Rate {
        responses,
        sent,
        percent: 100.0 * responses as f64 / sent as f64,
        ci: ci.map(|x| 100.0 * x),
        low_sample: sent < rules.min_n,
    }
}

fn above_sent(
    inputs: &Inputs,
    sent: &SentCounts,
    period: Period,
    segment: Segment,
    responses: u64,
    n: u64,
) -> Diagnostic {
    let group = match segment {
        Segment::Value { dimension, value } => {
            let d = &inputs.dimensions[usize::from(dimension)];
            format!(", {} = {}", d.name, d.values[value as usize])
        }
        _ => String::new(),
    };
    let file = sent.files.first().map_or("", |f| f.path.as_str());
    Diagnostic::warning(format!(
        "{period}{group}: {responses} responses but {n} surveys sent, so no response rate is shown"
    ))
    .in_file(file)
    .with_help(
        "the sent counts must count every survey that could bring a response: check the period and group of the rows",
    )
}
