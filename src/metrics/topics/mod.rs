//! Comment topics (`[topics]` in `site.toml`): how many comments mention each topic,
//! per period, and how that differs between unhappy and happy customers.
//!
//! Each comment is tagged once ([`Matcher`]) while the figures are counted, and added to
//! a [`TopicTally`] of all time and of its period of each kind. A tally holds counts
//! (and a topic's two newest comments) only, so tallies of any split of the data add up
//! to the tally of the whole: each partition of responses is counted row by row
//! ([`Counter::add`]) and threads merge their parts ([`TopicCounts::merge`]); nothing
//! is scanned again per page. Figures — each
//! share with its Wilson interval, the change against the previous period with the
//! pooled two-proportion test of SPEC §4 — are worked out from the tallies when asked.
//!
//! The comments of a period are split by how their writers answered: not satisfied
//! (CSAT outside the `satisfied` range) against satisfied, or, on a site without
//! CSAT, NPS detractors against promoters (passives are in neither).
//!
//! Publishing follows the rules of every figure: a period's topics are shown only
//! when the period itself is published and has at least `min_group` comments, and a
//! share among one side of the split only when that side wrote at least `min_group`
//! comments. A topic's own count may be small, as a score's count in a distribution
//! may: it is a share of a published group.

mod matcher;

use std::sync::Arc;

use indexmap::IndexMap;
use rustc_hash::FxHashMap;
use serde::Serialize;

pub use matcher::{Keyword, KeywordProblem, Matcher, fold};

use super::cube::{Grain, Segment};
use super::figures::{Difference, NPS_DETRACTORS, NPS_PROMOTERS, Rules};
use super::period::Period;
use super::samples::{Newness, Quote, Quoting};
use super::{Metrics, stats};
use crate::config::PeriodKind;
use crate::ingest::Scores;

/// Example comments kept per topic and period.
pub const EXAMPLES: usize = 2;

/// Comments, in all and by side of each split.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub all: u64,
    /// By CSAT: not satisfied, satisfied.
    pub csat: [u64; 2],
    /// By NPS: detractors, promoters.
    pub nps: [u64; 2],
}

impl Counts {
    fn add(&mut self, sides: Sides) {
        self.all += 1;
        if let Some(s) = sides.csat {
            self.csat[s] += 1;
        }
        if let Some(s) = sides.nps {
            self.nps[s] += 1;
        }
    }

    fn merge(&mut self, other: &Counts) {
        self.all += other.all;
        for i in 0..2 {
            self.csat[i] += other.csat[i];
            self.nps[i] += other.nps[i];
        }
    }

    fn sides(&self, split: Split) -> [u64; 2] {
        match split {
            Split::Csat => self.csat,
            Split::Nps => self.nps,
        }
    }
}

/// Which side of each split a comment's writer is on (0 the unhappy side, 1 the happy one).
#[derive(Debug, Clone, Copy, Default)]
struct Sides {
    csat: Option<usize>,
    nps: Option<usize>,
}

impl Sides {
    fn of(scores: Scores, rules: &Rules) -> Sides {
        let [lo, hi] = rules.csat_satisfied;
        let nps = scores.nps.and_then(|s| {
            if NPS_PROMOTERS.contains(&s) {
                Some(1)
            } else if NPS_DETRACTORS.contains(&s) {
                Some(0)
            } else {
                None
            }
        });
        Sides { csat: scores.csat.map(|s| usize::from((lo..=hi).contains(&s))), nps }
    }
}

/// A comment, ordered newest first as the comments browser lists them (ties by file and line).
type Newest = Arc<Quote>;

/// The comments of one group (all time, or one period), counted by topic.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TopicTally {
    /// Every comment.
    pub comments: Counts,
    /// Per topic: the comments that mention it.
    pub topics: Vec<Counts>,
    /// The comments that mention no topic.
    pub untagged: Counts,
    /// Per topic: its [`EXAMPLES`] newest comments, newest first.
    newest: Vec<Vec<Newest>>,
}

impl TopicTally {
    fn new(topics: usize) -> TopicTally {
        TopicTally {
            topics: vec![Counts::default(); topics],
            newest: vec![Vec::new(); topics],
            ..TopicTally::default()
        }
    }

    fn add(&mut self, found: &[u16], sides: Sides, quoting: &mut Quoting) {
        self.comments.add(sides);
        if found.is_empty() {
            self.untagged.add(sides);
        }
        for &t in found {
            self.topics[usize::from(t)].add(sides);
            keep(&mut self.newest[usize::from(t)], quoting.newness(), || quoting.quote());
        }
    }

    fn merge(&mut self, other: &TopicTally) {
        self.comments.merge(&other.comments);
        self.untagged.merge(&other.untagged);
        for (mine, theirs) in self.topics.iter_mut().zip(&other.topics) {
            mine.merge(theirs);
        }
        for (mine, theirs) in self.newest.iter_mut().zip(&other.newest) {
            for n in theirs {
                keep(mine, n.newness(), || Arc::clone(n));
            }
        }
    }

    /// Topic `t`'s newest comments, newest first.
    pub fn examples(&self, t: usize) -> Vec<Arc<Quote>> {
        self.newest.get(t).cloned().unwrap_or_default()
    }
}

/// Puts a comment this new among the [`EXAMPLES`] newest of `list` if it is one of them (made by
/// `quote` only then).
fn keep(list: &mut Vec<Newest>, newness: Newness, quote: impl FnOnce() -> Newest) {
    let at = list.partition_point(|x| x.newness() < newness);
    if at < EXAMPLES {
        list.insert(at, quote());
        list.truncate(EXAMPLES);
    }
}

/// Tallies per group, mergeable.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TopicCounts {
    topics: usize,
    cells: FxHashMap<Grain, TopicTally>,
}

impl TopicCounts {
    pub fn new(topics: usize) -> TopicCounts {
        TopicCounts { topics, cells: FxHashMap::default() }
    }

    /// Adds another part's counts to these.
    pub fn merge(&mut self, other: &TopicCounts) {
        for (grain, tally) in &other.cells {
            self.cells.entry(*grain).or_insert_with(|| TopicTally::new(self.topics)).merge(tally);
        }
    }

    pub fn tally(&self, grain: Grain) -> Option<&TopicTally> {
        self.cells.get(&grain)
    }
}

/// Tags and counts responses one at a time, reusing its buffers.
pub struct Counter<'a> {
    matcher: &'a Matcher,
    kinds: &'a [PeriodKind],
    rules: &'a Rules,
    folded: String,
    found: Vec<u16>,
    pub counts: TopicCounts,
}

impl<'a> Counter<'a> {
    pub fn new(matcher: &'a Matcher, kinds: &'a [PeriodKind], rules: &'a Rules) -> Counter<'a> {
        Counter {
            matcher,
            kinds,
            rules,
            folded: String::new(),
            found: Vec::new(),
            counts: TopicCounts::new(matcher.len()),
        }
    }

    /// Counts a response's comment, if it has one.
    pub fn add(&mut self, quoting: &mut Quoting) {
        let r = quoting.response();
        let Some(text) = r.comment.as_deref().map(str::trim).filter(|t| !t.is_empty()) else { return };
        self.matcher.tag_into(text, &mut self.folded, &mut self.found);
        let sides = Sides::of(r.scores, self.rules);
        let periods = self.kinds.iter().map(|&k| Grain::Period(Period::containing(k, r.day)));
        for grain in std::iter::once(Grain::All).chain(periods) {
            let topics = self.counts.topics;
            let tally = self.counts.cells.entry(grain).or_insert_with(|| TopicTally::new(topics));
            tally.add(&self.found, sides, quoting);
        }
    }
}

/// The topics of a site and their counts.
#[derive(Debug, Clone)]
pub struct Topics {
    names: Vec<String>,
    matcher: Matcher,
    counts: TopicCounts,
}

impl Topics {
    /// The topics of `[topics]`, with their counts.
    pub fn new(topics: &IndexMap<String, Vec<String>>, matcher: Matcher, counts: TopicCounts) -> Topics {
        Topics { names: topics.keys().cloned().collect(), matcher, counts }
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }

    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    pub fn tally(&self, grain: Grain) -> Option<&TopicTally> {
        self.counts.tally(grain)
    }
}

/// The two groups a topic's share is compared between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// Not satisfied against satisfied, by CSAT.
    Csat,
    /// Detractors against promoters, by NPS.
    Nps,
}

impl Split {
    /// The names of the two sides, the unhappy one first (keys in `metrics.json` and of interface strings).
    pub fn sides(self) -> [&'static str; 2] {
        match self {
            Split::Csat => ["dissatisfied", "satisfied"],
            Split::Nps => ["detractors", "promoters"],
        }
    }
}

/// A share of comments with its interval, in percent.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Share {
    /// Comments the share is of.
    pub n: u64,
    /// Of them, those it counts.
    pub count: u64,
    pub percent: f64,
    pub ci: [f64; 2],
    pub low_sample: bool,
}

impl Share {
    /// `count` of `n` comments; none when `n` is below `min_group`.
    fn of(count: u64, n: u64, rules: &Rules) -> Option<Share> {
        if n < rules.min_group {
            return None;
        }
        Some(Share {
            n,
            count,
            percent: 100.0 * count as f64 / n as f64,
            ci: stats::wilson(count, n, rules.z)?.map(|x| 100.0 * x),
            low_sample: n < rules.min_n,
        })
    }
}

/// One topic (or the comments with none) in one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicFigure {
    /// The topic's name; absent for the comments that mention no topic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// Its share of all comments.
    #[serde(flatten)]
    pub share: Share,
    /// Its share among each side of the split that wrote enough comments to publish.
    pub among: IndexMap<&'static str, Share>,
    /// Against the previous period of the same kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<Difference>,
    /// Its newest comments, newest first.
    #[serde(skip)]
    pub examples: Vec<Arc<Quote>>,
}

/// The topics of one group of comments.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicFigures {
    /// Comments in the group.
    pub comments: u64,
    /// Comments on each side of the split, where enough to publish.
    pub groups: IndexMap<&'static str, u64>,
    /// In the order of `[topics]`.
    pub topics: Vec<TopicFigure>,
    pub untagged: TopicFigure,
    /// The split of `groups` and `among`; none when no comment's writer answered CSAT or NPS.
    #[serde(skip)]
    pub split: Option<Split>,
}

impl Metrics {
    /// The topic names of `[topics]`, in order.
    pub fn topic_names(&self) -> &[String] {
        self.topics.names()
    }

    /// The compiled keywords of `[topics]`.
    pub fn topic_matcher(&self) -> &Matcher {
        self.topics.matcher()
    }

    /// CSAT when the site has CSAT answers, else NPS when it has NPS answers.
    fn topic_split(&self) -> Option<Split> {
        let everyone = self.tally(Grain::All, Segment::All);
        if everyone.csat.n() > 0 {
            Some(Split::Csat)
        } else if everyone.nps.n() > 0 {
            Some(Split::Nps)
        } else {
            None
        }
    }

    /// The topics of the comments of `grain` (all time or a period), without changes: none when
    /// no topics are configured, the group is not published or has fewer than `min_group` comments.
    pub fn topics(&self, grain: Grain) -> Option<TopicFigures> {
        if self.topics.names.is_empty() || self.figures(grain, Segment::All).is_suppressed() {
            return None;
        }
        let tally = self.topics.tally(grain)?;
        let rules = &self.rules;
        let n = tally.comments.all;
        let split = self.topic_split();
        let groups = match split {
            Some(s) => {
                s.sides().into_iter().zip(tally.comments.sides(s)).filter(|&(_, n)| n >= rules.min_group).collect()
            }
            None => IndexMap::new(),
        };
        let figure = |topic: Option<String>, counts: &Counts, examples: Vec<Arc<Quote>>| -> Option<TopicFigure> {
            let among = match split {
                Some(s) => s
                    .sides()
                    .into_iter()
                    .zip(counts.sides(s).into_iter().zip(tally.comments.sides(s)))
                    .filter_map(|(side, (k, n))| Some((side, Share::of(k, n, rules)?)))
                    .collect(),
                None => IndexMap::new(),
            };
            Some(TopicFigure { topic, share: Share::of(counts.all, n, rules)?, among, change: None, examples })
        };
        let topics = self
            .topics
            .names
            .iter()
            .zip(&tally.topics)
            .enumerate()
            .map(|(t, (name, counts))| figure(Some(name.clone()), counts, tally.examples(t)))
            .collect::<Option<Vec<_>>>()?;
        Some(TopicFigures { comments: n, groups, topics, untagged: figure(None, &tally.untagged, Vec::new())?, split })
    }

    /// The topics of `period`, each with its change against the previous period of the same
    /// kind (two-proportion z-test; no significance claimed while the period runs).
    pub fn period_topics(&self, period: Period) -> Option<TopicFigures> {
        let mut figures = self.topics(Grain::Period(period))?;
        if let Some(before) = self.topics(Grain::Period(period.previous())) {
            let claim = !self.is_partial(period);
            let pairs = figures.topics.iter_mut().zip(&before.topics);
            for (after, before) in pairs.chain([(&mut figures.untagged, &before.untagged)]) {
                let (b, a) = (&before.share, &after.share);
                after.change = stats::two_proportion(b.count, b.n, a.count, a.n)
                    .map(|test| Difference::judged(test, b.n, a.n, 100.0, &self.rules, claim));
            }
        }
        Some(figures)
    }
}

#[cfg(test)]
mod tests;
