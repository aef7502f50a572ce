//! The comments a site can show, kept while the figures are counted: the newest of each
//! list of the comments browser, and of each period by how its writer leans.
//!
//! Pages show at most [`SHOWN`] comments per list and [`ON_REPORT`] per period and tone,
//! always the newest (ties by file and line), so those are all that is kept: a bounded,
//! deterministic sample, the same whatever order or partitions the responses were counted
//! in, and however many there are. What each list holds in all is counted.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Date;
use rustc_hash::FxHashMap;

use super::figures::{NPS_DETRACTORS, NPS_PROMOTERS, Rules};
use super::period::Period;
use crate::config::PeriodKind;
use crate::ingest::{Response, Scores};

/// The browser shows at most this many of the newest comments per list, so the site's size stays bounded.
pub const SHOWN: usize = 1000;
/// Positive and negative verbatims on a report.
pub const ON_REPORT: usize = 3;

/// A comment kept to be shown, with what is shown beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub submitted_at: Timestamp,
    pub day: Date,
    pub scores: Scores,
    pub comment: Box<str>,
    /// Where it was read: index of the file, and line.
    pub file: u32,
    pub line: u64,
}

impl Quote {
    pub fn of(r: &Response) -> Quote {
        Quote {
            submitted_at: r.submitted_at,
            day: r.day,
            scores: r.scores,
            comment: r.comment.clone().unwrap_or_default(),
            file: r.file,
            line: r.line,
        }
    }

    /// Newest first, ties by file and line.
    pub fn newness(&self) -> Newness {
        (Reverse(self.submitted_at), self.file, self.line)
    }
}

/// Orders comments newest first (smaller is newer).
pub type Newness = (Reverse<Timestamp>, u32, u64);

fn newness(r: &Response) -> Newness {
    (Reverse(r.submitted_at), r.file, r.line)
}

impl Ord for Quote {
    fn cmp(&self, other: &Quote) -> std::cmp::Ordering {
        self.newness().cmp(&other.newness())
    }
}

impl PartialOrd for Quote {
    fn partial_cmp(&self, other: &Quote) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The quote of a response, made the first time a list keeps it and shared by every list.
pub struct Quoting<'r> {
    response: &'r Response,
    quote: Option<Arc<Quote>>,
}

impl<'r> Quoting<'r> {
    pub fn new(response: &'r Response) -> Quoting<'r> {
        Quoting { response, quote: None }
    }

    pub fn newness(&self) -> Newness {
        newness(self.response)
    }

    pub fn response(&self) -> &'r Response {
        self.response
    }

    pub fn quote(&mut self) -> Arc<Quote> {
        Arc::clone(self.quote.get_or_insert_with(|| Arc::new(Quote::of(self.response))))
    }
}

/// The newest `limit` comments of a list.
#[derive(Debug, Clone, Default)]
pub struct Newest {
    limit: usize,
    /// The oldest kept on top, to make room.
    heap: BinaryHeap<Arc<Quote>>,
}

impl Newest {
    pub fn new(limit: usize) -> Newest {
        Newest { limit, heap: BinaryHeap::new() }
    }

    /// Keeps the comment if it is among the newest.
    pub fn offer(&mut self, quoting: &mut Quoting) {
        if self.admits(quoting.newness()) {
            self.push(quoting.quote());
        }
    }

    /// Whether a comment this new is among the newest.
    fn admits(&self, newness: Newness) -> bool {
        self.heap.len() < self.limit || self.heap.peek().is_some_and(|oldest| newness < oldest.newness())
    }

    fn push(&mut self, quote: Arc<Quote>) {
        self.heap.push(quote);
        if self.heap.len() > self.limit {
            self.heap.pop();
        }
    }

    pub fn merge(&mut self, other: Newest) {
        for quote in other.heap {
            if self.admits(quote.newness()) {
                self.push(quote);
            }
        }
    }

    /// Newest first.
    pub fn sorted(&self) -> Vec<Arc<Quote>> {
        let mut all: Vec<Arc<Quote>> = self.heap.iter().cloned().collect();
        all.sort_unstable();
        all
    }
}

/// How a response leans, from its CSAT (else NPS, else CES) score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    Positive,
    Neutral,
    Negative,
}

impl Tone {
    pub fn of(scores: Scores, rules: &Rules) -> Tone {
        // The bottom two points of a scale, below its satisfied (easy) range, are the unhappy end.
        let lean = |score: u8, [lo, _]: [u8; 2], [good_lo, good_hi]: [u8; 2]| {
            if (good_lo..=good_hi).contains(&score) {
                Tone::Positive
            } else if score <= lo + 1 && score < good_lo {
                Tone::Negative
            } else {
                Tone::Neutral
            }
        };
        match (scores.csat, scores.nps, scores.ces) {
            (Some(s), _, _) => lean(s, rules.csat_scale, rules.csat_satisfied),
            (None, Some(s), _) => [Tone::Negative, Tone::Neutral, Tone::Positive][usize::from(nps_group(s))],
            (None, None, Some(s)) => lean(s, rules.ces_scale, rules.ces_easy),
            (None, None, None) => Tone::Neutral,
        }
    }
}

/// 0 detractors, 1 passives, 2 promoters.
pub fn nps_group(score: u8) -> u8 {
    if NPS_DETRACTORS.contains(&score) {
        0
    } else if NPS_PROMOTERS.contains(&score) {
        2
    } else {
        1
    }
}

/// A list and how many comments it holds in all.
#[derive(Debug, Clone, Default)]
pub struct Listed {
    pub total: u64,
    pub newest: Newest,
}

impl Listed {
    fn new(limit: usize) -> Listed {
        Listed { total: 0, newest: Newest::new(limit) }
    }

    fn add(&mut self, quoting: &mut Quoting) {
        self.total += 1;
        self.newest.offer(quoting);
    }

    fn merge(&mut self, other: Listed) {
        self.total += other.total;
        self.newest.merge(other.newest);
    }
}

/// The comments kept to be shown.
#[derive(Debug, Clone, Default)]
pub struct Samples {
    /// Every comment.
    pub all: Listed,
    /// By CSAT score (index = score).
    pub csat: Vec<Listed>,
    /// By NPS group: detractors, passives, promoters.
    pub nps: Vec<Listed>,
    /// By period of every counted kind, and tone.
    pub periods: FxHashMap<(Period, Tone), Newest>,
}

impl Samples {
    pub fn new() -> Samples {
        Samples {
            all: Listed::new(SHOWN),
            csat: (0..=10).map(|_| Listed::new(SHOWN)).collect(),
            nps: (0..3).map(|_| Listed::new(SHOWN)).collect(),
            periods: FxHashMap::default(),
        }
    }

    /// Adds a response's comment, if it has one, to the lists it belongs to.
    pub fn add(&mut self, quoting: &mut Quoting, kinds: &[PeriodKind], rules: &Rules) {
        let r = quoting.response;
        if r.comment.as_deref().is_none_or(|c| c.trim().is_empty()) {
            return;
        }
        self.all.add(quoting);
        if let Some(list) = r.scores.csat.and_then(|s| self.csat.get_mut(usize::from(s))) {
            list.add(quoting);
        }
        if let Some(score) = r.scores.nps {
            self.nps[usize::from(nps_group(score))].add(quoting);
        }
        let tone = Tone::of(r.scores, rules);
        for &kind in kinds {
            let period = Period::containing(kind, r.day);
            self.periods.entry((period, tone)).or_insert_with(|| Newest::new(ON_REPORT)).offer(quoting);
        }
    }

    pub fn merge(&mut self, other: Samples) {
        self.all.merge(other.all);
        for (mine, theirs) in self.csat.iter_mut().zip(other.csat) {
            mine.merge(theirs);
        }
        for (mine, theirs) in self.nps.iter_mut().zip(other.nps) {
            mine.merge(theirs);
        }
        for (key, newest) in other.periods {
            self.periods.entry(key).or_insert_with(|| Newest::new(ON_REPORT)).merge(newest);
        }
    }

    /// The newest comments of `period` that lean `tone`, newest first.
    pub fn of_period(&self, period: Period, tone: Tone) -> Vec<Arc<Quote>> {
        self.periods.get(&(period, tone)).map_or_else(Vec::new, Newest::sorted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(second: i64, file: u32, line: u64, comment: &str) -> Response {
        Response {
            id: None,
            submitted_at: Timestamp::from_second(1_700_000_000 + second).unwrap(),
            day: Date::new(2023, 11, 14).unwrap(),
            customer: None,
            comment: Some(comment.into()),
            scores: Scores { csat: Some(5), nps: None, ces: None },
            dimensions: Box::new([]),
            measures: Box::new([]),
            file,
            line,
            first: 0,
        }
    }

    #[test]
    fn the_newest_are_kept_whatever_the_order_and_split() {
        // Ties in time are ordered by file, then line.
        let responses: Vec<Response> =
            (0..40).map(|i| response(i % 7, (i % 3) as u32, i as u64, &format!("c{i}"))).collect();
        let mut expected: Vec<&Response> = responses.iter().collect();
        expected.sort_by_key(|r| newness(r));
        let expected: Vec<&str> = expected[..5].iter().map(|r| r.comment.as_deref().unwrap()).collect();
        let kept = |order: &mut dyn Iterator<Item = &Response>, parts: usize| {
            let mut lists: Vec<Newest> = (0..parts).map(|_| Newest::new(5)).collect();
            for (i, r) in order.enumerate() {
                lists[i % parts].offer(&mut Quoting::new(r));
            }
            let mut all = Newest::new(5);
            for list in lists {
                all.merge(list);
            }
            all.sorted().iter().map(|q| q.comment.to_string()).collect::<Vec<_>>()
        };
        assert_eq!(kept(&mut responses.iter(), 1), expected);
        assert_eq!(kept(&mut responses.iter().rev(), 3), expected);
        assert_eq!(kept(&mut responses.iter().step_by(2).chain(responses.iter().skip(1).step_by(2)), 4), expected);
    }
}
