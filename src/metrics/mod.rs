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
mod outreach;
mod period;
pub mod scorecard;
mod sketch;
pub mod stats;
mod suppress;
mod targets;
mod topics;

use indexmap::IndexMap;
use jiff::civil::Date;
use rayon::prelude::*;

pub use cube::{Cube, Grain, Plan, RETURNING, Segment, TRANSFER_BUCKETS, VISITS};
pub use figures::{
    Ces, Change, Csat, Difference, Duration, Figures, NPS_DETRACTORS, NPS_PROMOTERS, Nps, Rules, Transfers,
};
pub use histogram::{Histogram, Observation, Sums, Tally};
pub use outreach::{CustomerLoad, Fatigue, Outreach, Rate, RateOutcome, Rates};
pub use period::Period;
pub use sketch::{Quantile, RELATIVE_ERROR, Sketch};
pub use suppress::{Hidden, Part};
pub use targets::{Reading, Standing, Status, TargetResult};
pub use topics::{Keyword, KeywordProblem, Matcher, Share, Split, TopicFigure, TopicFigures, fold};

use crate::config::{Config, PeriodKind};
use crate::ingest::{Inputs, Response};

/// Groups to count beyond the ones every site shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extra {
    /// dimension = value maps, e.g. the `where` of case studies.
    pub filters: Vec<IndexMap<String, String>>,
    /// Pairs of dimension indexes to cross-tabulate.
    pub crosses: Vec<(usize, usize)>,
    /// Period kinds to count beyond the configured ones (months are always counted).
    pub kinds: Vec<PeriodKind>,
}

/// The figures of a site, ready to be asked.
#[derive(Debug)]
pub struct Metrics {
    pub rules: Rules,
    cube: Cube,
    plan: Plan,
    /// Figures hidden to protect small groups from subtraction.
    pub hidden: Hidden,
    /// First and last day with a response, in the site's time zone.
    pub first_day: Option<Date>,
    pub last_day: Option<Date>,
    /// The build's day in the site's time zone; periods not ended by then are partial.
    pub today: Date,
    /// Results of `[[targets]]`, in the order of the configuration.
    pub targets: Vec<TargetResult>,
    /// The comments counted by `[topics]`.
    topics: topics::Topics,
    /// How many of the plan's filters belong to `[[targets]]` (they come first).
    target_filters: usize,
    /// Figures already worked out: pages ask for the same groups many times, and a group's
    /// quantiles and intervals are the costly part of a page.
    memo: std::sync::RwLock<rustc_hash::FxHashMap<(Grain, Segment), Figures>>,
}

impl Metrics {
    /// Counts `inputs` for every configured period kind and event, and the `extra` groups.
    /// `[[targets]]` filters come first, so filter `i` of a target is `Segment::Filter(i)`.
    pub fn compute(config: &Config, inputs: &Inputs, extra: &Extra, today: Date) -> Metrics {
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
        // Trends are drawn by month whatever reports are published.
        kinds.push(PeriodKind::Month);
        kinds.extend(&extra.kinds);
        kinds.sort();
        kinds.dedup();
        let plan = Plan {
            kinds,
            filters: target_filters.chain(&extra.filters).map(resolve).collect(),
            events: config.events.iter().map(|e| (e.day(), e.window_days)).collect(),
            transfers: inputs.measure("transfers"),
            first_response: inputs.measure("first_response_minutes"),
            resolution: inputs.measure("resolution_minutes"),
            first_response_edges: config.metrics.first_response.buckets.clone(),
            crosses: extra.crosses.clone(),
        };
        const CHUNK: usize = 16 * 1024;
        let visits = visits(&inputs.responses);
        let mut cube = inputs
            .responses
            .par_chunks(CHUNK)
            .zip(visits.par_chunks(CHUNK))
            .map(|(chunk, visits)| Cube::build(&plan, chunk.iter().zip(visits.iter().copied())))
            // The rows of pre-aggregated tables, counted through the same cells.
            .chain(inputs.groups.par_chunks(CHUNK).map(|groups| Cube::build_groups(&plan, groups)))
            .reduce(Cube::default, |mut a, b| {
                a.merge(&b);
                a
            });
        cube.roll_up(&plan.kinds);
        let rules = Rules::new(config);
        let hidden = Hidden::protect(&cube, &plan, rules.min_group);
        let topics = topics::Topics::count(&config.topics, &plan.kinds, &rules, &inputs.responses);
        let mut metrics = Metrics {
            rules,
            cube,
            plan,
            hidden,
            first_day: days(inputs).min(),
            last_day: days(inputs).max(),
            today,
            targets: Vec::new(),
            topics,
            target_filters: config.targets.len(),
            memo: Default::default(),
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

    pub fn tally(&self, grain: Grain, segment: Segment) -> &Tally {
        self.cube.tally(grain, segment)
    }

    /// The published figures of a group: none below `min_group`, none hidden to protect another group.
    pub fn figures(&self, grain: Grain, segment: Segment) -> Figures {
        // A lock is never poisoned here (nothing panics while holding it); if it were, its map is still whole.
        if let Some(f) = self.memo.read().unwrap_or_else(|e| e.into_inner()).get(&(grain, segment)) {
            return f.clone();
        }
        let f = Figures::of(self.tally(grain, segment), &self.rules).hide(self.hidden.mask(grain, segment));
        self.memo.write().unwrap_or_else(|e| e.into_inner()).insert((grain, segment), f.clone());
        f
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
        let before = self.figures(Grain::Period(period.previous()), segment);
        let after = self.figures(Grain::Period(period), segment);
        Change::between(&before, &after, &self.rules, !self.is_partial(period))
    }

    /// After event `i` against before it; the after-window must have ended for a claim.
    pub fn event_change(&self, i: usize, segment: Segment) -> Change {
        let before = self.figures(Grain::Before(i as u16), segment);
        let after = self.figures(Grain::After(i as u16), segment);
        Change::between(&before, &after, &self.rules, self.event_ended(i))
    }

    /// Whether event `i`'s after-window has ended by the day of the build.
    pub fn event_ended(&self, i: usize) -> bool {
        let (day, window) = self.plan.events[i];
        day.checked_add(jiff::Span::new().days(i64::from(window))).is_ok_and(|end| end <= self.today)
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

    /// The first-response buckets as [from, to) minutes, open at the ends, with their segments.
    pub fn first_response_buckets(&self) -> Vec<([Option<f64>; 2], Segment)> {
        let edges = &self.plan.first_response_edges;
        (0..=edges.len())
            .map(|i| ([i.checked_sub(1).map(|j| edges[j]), edges.get(i).copied()], Segment::FirstResponse(i as u8)))
            .collect()
    }

    pub fn has_transfers(&self) -> bool {
        self.plan.transfers.is_some()
    }

    pub fn has_first_response(&self) -> bool {
        self.plan.first_response.is_some()
    }

    pub fn has_resolution(&self) -> bool {
        self.plan.resolution.is_some()
    }

    /// Whether any response names its customer, so customer history can be shown.
    pub fn has_customers(&self) -> bool {
        (0..VISITS as u8).any(|v| self.tally(Grain::All, Segment::Visit(v)).responses > 0)
    }
}

/// The days of the responses, read one by one or counted by a pre-aggregated table.
fn days(inputs: &Inputs) -> impl Iterator<Item = Date> + '_ {
    let groups = inputs.groups.iter().filter(|g| g.count > 0);
    inputs.responses.iter().map(|r| r.day).chain(groups.map(|g| g.day))
}

/// Each response's place in its customer's history ([`cube::visit_bucket`]):
/// responses of one customer in the order they were submitted (ties by id,
/// then where they were read), so the result never depends on file order.
fn visits(responses: &[Response]) -> Vec<u8> {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    let (fx, sip) = (rustc_hash::FxBuildHasher, BuildHasherDefault::<DefaultHasher>::default());
    let mut visits = vec![cube::NO_VISIT; responses.len()];
    // Sorted by (hash of the customer, time, position) without touching the
    // responses again. A second, independent hash tells customers that share
    // the first apart (then that group is sorted again by name), so names are
    // compared only on a collision.
    let mut order: Vec<(u64, i128, u32, u64)> = responses
        .par_iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let name = r.customer.as_deref()?;
            Some((fx.hash_one(name), r.submitted_at.as_nanosecond(), i as u32, sip.hash_one(name)))
        })
        .collect();
    order.par_sort_unstable();
    let customer = |e: &(u64, i128, u32, u64)| responses[e.2 as usize].customer.as_deref();
    for group in order.chunk_by_mut(|a, b| a.0 == b.0) {
        let collision = group.iter().any(|e| e.3 != group[0].3);
        if collision {
            let key = |e: &(u64, i128, u32, u64)| (customer(e), e.1, &responses[e.2 as usize].id, e.2);
            group.sort_by(|a, b| key(a).cmp(&key(b)));
        }
        let mut ordinal = 0;
        for k in 0..group.len() {
            let same = k == 0 || !collision || customer(&group[k - 1]) == customer(&group[k]);
            ordinal = if k > 0 && same { ordinal + 1 } else { 1 };
            visits[group[k].2 as usize] = cube::visit_bucket(ordinal);
        }
    }
    visits
}

#[cfg(test)]
mod tests;
