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
pub(crate) mod samples;
pub mod scorecard;
mod sketch;
pub mod stats;
mod suppress;
mod targets;
mod topics;

use indexmap::IndexMap;
use jiff::civil::Date;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

pub use cube::{Cube, Grain, Plan, RETURNING, Segment, TRANSFER_BUCKETS, VISITS};
pub use figures::{
    Ces, Change, Csat, Difference, Duration, Figures, NPS_DETRACTORS, NPS_PROMOTERS, Nps, Rules, Transfers,
};
pub use histogram::{Histogram, Observation, Sums, Tally};
pub use outreach::{CustomerLoad, Fatigue, Outreach, Rate, RateOutcome, Rates};
pub use period::Period;
pub use samples::{Listed, ON_REPORT, Quote, SHOWN, Samples, Tone, nps_group};
pub use sketch::{Quantile, RELATIVE_ERROR, Sketch};
pub use suppress::{Hidden, Part};
pub use targets::{Reading, Standing, Status, TargetResult};
pub use topics::{Keyword, KeywordProblem, Matcher, Share, Split, TopicFigure, TopicFigures, fold};

use crate::config::{Config, PeriodKind};
use crate::ingest::{IngestError, Inputs, Response};

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
    /// The comments kept to be shown (none when the site does not publish comments).
    pub samples: Samples,
    /// Answers per customer and month; `None` when no response names its customer.
    fatigue: Option<outreach::Fatigue>,
    /// Responses by their values of the `[sent]` dimensions and day.
    by_sent: BySent,
    /// Responses by dimension and value: of everyone, and of each filter of the plan.
    mix: Mix,
    /// Figures already worked out: pages ask for the same groups many times, and a group's
    /// quantiles and intervals are the costly part of a page.
    memo: stats::Memo<(Grain, Segment), std::sync::Arc<Figures>>,
}

impl Metrics {
    /// Counts `inputs` for every configured period kind and event, and the `extra` groups.
    /// `[[targets]]` filters come first, so filter `i` of a target is `Segment::Filter(i)`.
    /// Fails only when responses kept in temporary files cannot be read back.
    pub fn compute(config: &Config, inputs: &Inputs, extra: &Extra, today: Date) -> Result<Metrics, IngestError> {
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
        let rules = Rules::new(config);
        let matcher = Matcher::new(&config.topics);
        let sent_dimensions: Option<Vec<usize>> =
            config.sent.as_ref().and_then(|sent| sent.dimensions.keys().map(|name| inputs.dimension(name)).collect());
        let pass = Pass {
            plan: &plan,
            rules: &rules,
            matcher: &matcher,
            comments: config.privacy.publish_comments,
            max_surveys: config.stats.max_surveys_per_customer,
            sent_dimensions: sent_dimensions.as_deref(),
            values: inputs.dimensions.iter().map(|d| d.values.len()).collect(),
        };
        const CHUNK: usize = 16 * 1024;
        // Each partition of responses holds whole customers, so each is counted on its own;
        // the rows of pre-aggregated tables are counted through the same cells.
        let merge = |mut a: Counted, b: Counted| {
            a.merge(b);
            a
        };
        let counted = inputs
            .responses
            .fold(|| pass.empty(), |counted, responses| pass.count(counted, responses), merge)
            .map_err(|e| crate::ingest::spill_failed(&e))?;
        let groups =
            inputs.groups.par_chunks(CHUNK).map(|groups| pass.count_groups(groups)).reduce(|| pass.empty(), merge);
        let counted = merge(counted, groups);
        let Counted { mut cube, topics, days, fatigue, samples, by_sent, mix } = counted;
        cube.finish(&plan);
        let hidden = Hidden::protect(&cube, &plan, rules.min_group);
        let topics = topics::Topics::new(&config.topics, matcher, topics);
        let mut metrics = Metrics {
            rules,
            cube,
            plan,
            hidden,
            first_day: days.map(|d| d.0),
            last_day: days.map(|d| d.1),
            today,
            targets: Vec::new(),
            topics,
            target_filters: config.targets.len(),
            samples,
            fatigue: (!fatigue.is_empty()).then_some(fatigue),
            by_sent,
            mix,
            memo: stats::Memo::new(),
        };
        metrics.targets = targets::evaluate(config, &metrics);
        Ok(metrics)
    }

    /// Answers per customer and month; `None` when no response names its customer.
    pub fn fatigue(&self) -> Option<&outreach::Fatigue> {
        self.fatigue.as_ref()
    }

    /// Responses by their values of the `[sent]` dimensions (in `[sent]` order) and day.
    pub fn by_sent_values(&self) -> impl Iterator<Item = (&[Option<u32>], Date, u64)> {
        self.by_sent.iter().flat_map(|(values, days)| days.iter().map(|(&day, &n)| (&values[..], day, n)))
    }

    /// Responses per value of dimension `d`: of the group of `filter` (dimension, value
    /// pairs), and of everyone. `None` for a filter that was not counted.
    pub fn mix(&self, filter: &[(usize, u32)], d: usize) -> Option<(&[u64], &[u64])> {
        let f = self.plan.filters.iter().position(|f| f.as_deref() == Some(filter))?;
        let (counted, mine) = self.mix.filters[f].as_ref()?;
        (*counted == d).then_some((mine.as_slice(), self.mix.all.get(d)?.as_slice()))
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
    pub fn figures(&self, grain: Grain, segment: Segment) -> std::sync::Arc<Figures> {
        self.memo.get_or_insert((grain, segment), || {
            std::sync::Arc::new(
                Figures::of(self.tally(grain, segment), &self.rules).hide(self.hidden.mask(grain, segment)),
            )
        })
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

/// What the figures are counted with, in one pass over each partition of responses.
struct Pass<'a> {
    plan: &'a Plan,
    rules: &'a Rules,
    matcher: &'a Matcher,
    /// Whether comments are published, so kept to be shown.
    comments: bool,
    max_surveys: u32,
    sent_dimensions: Option<&'a [usize]>,
    /// Per dimension, how many values it has.
    values: Vec<usize>,
}

/// Responses by their values of the `[sent]` dimensions, and by day.
type BySent = FxHashMap<Box<[Option<u32>]>, FxHashMap<Date, u64>>;

/// Responses by dimension and value: of everyone, and of each filter's group in the one
/// dimension a case study describes it by ([`mix_dimension`]).
#[derive(Debug, Clone, Default)]
struct Mix {
    /// Per dimension, per value: everyone.
    all: Vec<Vec<u64>>,
    /// Per filter of the plan: its dimension, and per value of it, the filter's group.
    filters: Vec<Option<(usize, Vec<u64>)>>,
}

/// The dimension a group of `filter` is described by: the first it does not filter on that has
/// more than one value (`values` per dimension).
pub fn mix_dimension(filter: &[(usize, impl Sized)], values: &[usize]) -> Option<usize> {
    (0..values.len()).find(|d| !filter.iter().any(|(m, _)| m == d) && values[*d] > 1)
}

impl Mix {
    fn new(plan: &Plan, values: &[usize]) -> Mix {
        Mix {
            all: values.iter().map(|&n| vec![0; n]).collect(),
            filters: plan
                .filters
                .iter()
                .map(|f| {
                    let d = mix_dimension(f.as_deref()?, values)?;
                    Some((d, vec![0; values[d]]))
                })
                .collect(),
        }
    }

    fn add(&mut self, plan: &Plan, dimensions: &[Option<u32>], n: u64) {
        for (d, value) in dimensions.iter().enumerate() {
            if let Some(v) = value {
                self.all[d][*v as usize] += n;
            }
        }
        for (filter, counts) in plan.filters.iter().zip(&mut self.filters) {
            let (Some(filter), Some((d, counts))) = (filter, counts) else { continue };
            let matches = filter.iter().all(|&(m, v)| dimensions.get(m) == Some(&Some(v)));
            if matches && let Some(Some(v)) = dimensions.get(*d) {
                counts[*v as usize] += n;
            }
        }
    }

    fn merge(&mut self, other: &Mix) {
        for (m, t) in self.all.iter_mut().flatten().zip(other.all.iter().flatten()) {
            *m += t;
        }
        for (mine, theirs) in self.filters.iter_mut().zip(&other.filters) {
            if let (Some((_, mine)), Some((_, theirs))) = (mine, theirs) {
                for (m, t) in mine.iter_mut().zip(theirs) {
                    *m += t;
                }
            }
        }
    }
}

/// What a part of the responses counts to; parts add up to the whole, in any order.
struct Counted {
    cube: Cube,
    topics: topics::TopicCounts,
    /// First and last day.
    days: Option<(Date, Date)>,
    fatigue: outreach::Fatigue,
    samples: Samples,
    by_sent: BySent,
    mix: Mix,
}

impl Counted {
    fn merge(&mut self, other: Counted) {
        self.cube.merge(&other.cube);
        self.topics.merge(&other.topics);
        for day in other.days.into_iter().flat_map(|(first, last)| [first, last]) {
            Pass::add_day(&mut self.days, day);
        }
        self.fatigue.merge(other.fatigue);
        self.samples.merge(other.samples);
        for (values, days) in other.by_sent {
            let mine = self.by_sent.entry(values).or_default();
            for (day, n) in days {
                *mine.entry(day).or_insert(0) += n;
            }
        }
        self.mix.merge(&other.mix);
    }
}

impl Pass<'_> {
    fn empty(&self) -> Counted {
        Counted {
            cube: Cube::default(),
            topics: topics::TopicCounts::new(self.matcher.len()),
            days: None,
            fatigue: outreach::Fatigue::new(self.max_surveys),
            samples: if self.comments { Samples::new() } else { Samples::default() },
            by_sent: FxHashMap::default(),
            mix: Mix::new(self.plan, &self.values),
        }
    }

    fn add_day(days: &mut Option<(Date, Date)>, day: Date) {
        *days = Some(match *days {
            Some((first, last)) => (first.min(day), last.max(day)),
            None => (day, day),
        });
    }

    /// Counts responses that hold whole customers (every response of a customer among them).
    fn count(&self, counted: &mut Counted, responses: &[Response]) {
        let visits = visits(responses, &mut counted.fatigue);
        counted.cube.add(self.plan, responses.iter().zip(visits.iter().copied()));
        let mut topics = topics::Counter::new(self.matcher, &self.plan.kinds, self.rules);
        topics.counts = std::mem::replace(&mut counted.topics, topics::TopicCounts::new(0));
        let mut sent_values: Vec<Option<u32>> = Vec::new();
        for r in responses {
            Pass::add_day(&mut counted.days, r.day);
            let mut quoting = samples::Quoting::new(r);
            if !self.matcher.is_empty() {
                topics.add(&mut quoting);
            }
            if self.comments {
                counted.samples.add(&mut quoting, &self.plan.kinds, self.rules);
            }
            if let Some(dimensions) = self.sent_dimensions {
                sent_values.clear();
                sent_values.extend(dimensions.iter().map(|&d| r.dimensions.get(d).copied().flatten()));
                let days = match counted.by_sent.get_mut(sent_values.as_slice()) {
                    Some(days) => days,
                    None => counted.by_sent.entry(sent_values.clone().into_boxed_slice()).or_default(),
                };
                *days.entry(r.day).or_insert(0) += 1;
            }
            counted.mix.add(self.plan, &r.dimensions, 1);
        }
        counted.topics = topics.counts;
    }

    /// Counts the rows of pre-aggregated tables.
    fn count_groups(&self, groups: &[crate::ingest::Group]) -> Counted {
        let mut counted = self.empty();
        counted.cube = Cube::build_groups(self.plan, groups);
        for g in groups.iter().filter(|g| g.count > 0) {
            Pass::add_day(&mut counted.days, g.day);
            if g.counts == crate::ingest::Counts::Responses {
                counted.mix.add(self.plan, &g.dimensions, g.count);
            }
        }
        counted
    }
}

/// Each response's place in its customer's history ([`cube::visit_bucket`]):
/// responses of one customer in the order they were submitted (ties by where
/// the first copy was read: file, in path order, then line), whatever the
/// partitions or threads; and each customer's answers per month, into `fatigue`.
fn visits(responses: &[Response], fatigue: &mut outreach::Fatigue) -> Vec<u8> {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    let (fx, sip) = (rustc_hash::FxBuildHasher, BuildHasherDefault::<DefaultHasher>::default());
    let mut visits = vec![cube::NO_VISIT; responses.len()];
    // Sorted by (hash of the customer, time, first copy) without touching the
    // responses again. A second, independent hash tells customers that share
    // the first apart (then that group is sorted again by name), so names are
    // compared only on a collision.
    type Key = (u64, i128, u64, u32, u64);
    let mut order: Vec<Key> = responses
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let name = r.customer.as_deref()?;
            Some((fx.hash_one(name), r.submitted_at.as_nanosecond(), r.first, i as u32, sip.hash_one(name)))
        })
        .collect();
    order.sort_unstable();
    let customer = |e: &Key| responses[e.3 as usize].customer.as_deref();
    for group in order.chunk_by_mut(|a, b| a.0 == b.0) {
        let collision = group.iter().any(|e| e.4 != group[0].4);
        if collision {
            group.sort_by(|a, b| (customer(a), a.1, a.2).cmp(&(customer(b), b.1, b.2)));
        }
        let mut ordinal = 0;
        let mut start = 0;
        for k in 0..group.len() {
            let same = k == 0 || !collision || customer(&group[k - 1]) == customer(&group[k]);
            if !same {
                fatigue.add_customer(group[start..k].iter().map(|e| responses[e.3 as usize].day));
                start = k;
            }
            ordinal = if k > 0 && same { ordinal + 1 } else { 1 };
            visits[group[k].3 as usize] = cube::visit_bucket(ordinal);
        }
        fatigue.add_customer(group[start..].iter().map(|e| responses[e.3 as usize].day));
    }
    visits
}

#[cfg(test)]
mod tests;
