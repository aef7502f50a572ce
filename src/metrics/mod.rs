//! Responses -> histograms per period × segment -> figures with their intervals.
//!
//! [`Metrics::compute`] counts every response once into a [`Cube`] (in
//! parallel, merging per-thread cubes) and then answers questions about it:
//! the figures of a cell, the change of a period against the previous one,
//! before/after an event, whether a target is met. Nothing here knows how a
//! figure will be shown.

mod cube;
mod figures;
mod histogram;
mod period;
pub mod stats;
mod targets;

use indexmap::IndexMap;
use jiff::civil::Date;
use rayon::prelude::*;

pub use cube::{Cube, Grain, Plan, Segment};
pub use figures::{Ces, Change, Csat, Difference, Figures, Nps, Rules};
pub use histogram::{Histogram, Tally};
pub use period::Period;
pub use targets::{Status, TargetResult};

use crate::config::{Config, PeriodKind};
use crate::ingest::Inputs;

/// Default upper edges of the first-response buckets: < 1 h, 1–4 h, 4–24 h, ≥ 24 h.
pub const FIRST_RESPONSE_EDGES: [f64; 3] = [60.0, 240.0, 1440.0];

/// The figures of a site, ready to be asked.
#[derive(Debug)]
pub struct Metrics {
    pub rules: Rules,
    cube: Cube,
    plan: Plan,
    /// First and last day with a response, in the site's time zone.
    pub first_day: Option<Date>,
    pub last_day: Option<Date>,
    /// The build's day in the site's time zone; periods not ended by then are partial.
    pub today: Date,
    /// Results of `[[targets]]`, in the order of the configuration.
    pub targets: Vec<TargetResult>,
    /// How many of the plan's filters belong to `[[targets]]` (they come first).
    target_filters: usize,
}

impl Metrics {
    /// Counts `inputs` for every period kind in `kinds`, the configured events
    /// and `filters` (dimension = value maps, e.g. the `where` of case studies).
    /// `[[targets]]` filters come first, so filter `i` of a target is `Segment::Filter(i)`.
    pub fn compute(config: &Config, inputs: &Inputs, filters: &[IndexMap<String, String>], today: Date) -> Metrics {
        let resolve = |filter: &IndexMap<String, String>| -> Option<Vec<(usize, u32)>> {
            filter
                .iter()
                .map(|(name, value)| {
                    let d = inputs.dimension(name)?;
                    Some((d, inputs.value(d, value)?))
                })
                .collect()
        };
        let target_filters = config.targets.iter().map(|t| &t.filter);
        let mut kinds = config.periods.clone();
        if !kinds.contains(&PeriodKind::Month) {
            // Trends are drawn by month whatever reports are published.
            kinds.push(PeriodKind::Month);
        }
        kinds.sort();
        let plan = Plan {
            kinds,
            filters: target_filters.chain(filters).map(resolve).collect(),
            events: config.events.iter().map(|e| (e.day(), e.window_days)).collect(),
            transfers: inputs.measure("transfers"),
            first_response: inputs.measure("first_response_minutes"),
            first_response_edges: FIRST_RESPONSE_EDGES.to_vec(),
        };
        let cube = inputs.responses.par_chunks(16 * 1024).map(|chunk| Cube::build(&plan, chunk)).reduce(
            Cube::default,
            |mut a, b| {
                a.merge(&b);
                a
            },
        );
        let mut metrics = Metrics {
            rules: Rules::new(config),
            cube,
            plan,
            first_day: inputs.responses.iter().map(|r| r.day).min(),
            last_day: inputs.responses.iter().map(|r| r.day).max(),
            today,
            targets: Vec::new(),
            target_filters: config.targets.len(),
        };
        metrics.targets = targets::evaluate(config, &metrics);
        metrics
    }

    /// The segment of the `i`-th filter passed to [`Metrics::compute`].
    pub fn filter_segment(&self, i: usize) -> Segment {
        Segment::Filter((self.target_filters + i) as u16)
    }

    /// The segment of `[[targets]]` entry `i`.
    pub fn target_segment(&self, i: usize) -> Segment {
        Segment::Filter(i as u16)
    }

    pub fn tally(&self, grain: Grain, segment: Segment) -> Tally {
        self.cube.tally(grain, segment)
    }

    pub fn figures(&self, grain: Grain, segment: Segment) -> Figures {
        Figures::of(&self.tally(grain, segment), &self.rules)
    }

    /// Every period of `kind` from the first response to the last.
    pub fn periods(&self, kind: PeriodKind) -> Vec<Period> {
        match (self.first_day, self.last_day) {
            (Some(first), Some(last)) => Period::range(kind, first, last),
            _ => Vec::new(),
        }
    }

    /// The periods of `kind` that have responses: the ones a site reports on.
    pub fn published(&self, kind: PeriodKind) -> Vec<Period> {
        self.periods(kind).into_iter().filter(|&p| self.tally(Grain::Period(p), Segment::All).responses > 0).collect()
    }

    /// A period that has not ended by the build's day.
    pub fn is_partial(&self, period: Period) -> bool {
        period.end() >= self.today
    }

    /// `period` against the one before it; no significance is claimed for a partial period.
    pub fn change(&self, period: Period, segment: Segment) -> Change {
        let before = self.tally(Grain::Period(period.previous()), segment);
        let after = self.tally(Grain::Period(period), segment);
        Change::between(&before, &after, &self.rules, !self.is_partial(period))
    }

    /// After event `i` against before it; the after-window must have ended for a claim.
    pub fn event_change(&self, i: usize, segment: Segment) -> Change {
        let (day, window) = self.plan.events[i];
        let ended = day.checked_add(jiff::Span::new().days(i64::from(window))).is_ok_and(|end| end <= self.today);
        let before = self.tally(Grain::Before(i as u16), segment);
        let after = self.tally(Grain::After(i as u16), segment);
        Change::between(&before, &after, &self.rules, ended)
    }

    /// The latest period of `kind` that has ended and has responses.
    pub fn latest_complete(&self, kind: PeriodKind) -> Option<Period> {
        self.periods(kind)
            .into_iter()
            .rev()
            .find(|&p| !self.is_partial(p) && self.tally(Grain::Period(p), Segment::All).responses > 0)
    }

    pub fn first_response_edges(&self) -> &[f64] {
        &self.plan.first_response_edges
    }

    pub fn has_transfers(&self) -> bool {
        self.plan.transfers.is_some()
    }

    pub fn has_first_response(&self) -> bool {
        self.plan.first_response.is_some()
    }
}

#[cfg(test)]
mod tests;
