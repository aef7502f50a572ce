//! The cube: one tally per (time grain × segment) a site can show.
//!
//! Each response is added to every cell it belongs to: all time and its
//! period of each kind, crossed with everyone, each of its dimension values,
//! each configured filter it matches, its support-operations buckets, its
//! place in the customer's history and any requested cross-tab cell.
//! Cubes built from disjoint parts of the data add up exactly
//! ([`Cube::merge`]), so ingest threads (or other machines) can each build
//! their own.

use std::borrow::Cow;
use std::collections::hash_map::Entry;

use jiff::civil::Date;
use rustc_hash::FxHashMap;

use super::histogram::{Observation, Tally};
use super::period::Period;
use super::sketch::Bin;
use crate::config::PeriodKind;
use crate::ingest::{Counts, Group, Response};

/// Where a group sits in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Grain {
    All,
    Period(Period),
    /// The `window_days` before event `i` (its day excluded).
    Before(u16),
    /// Event `i`'s day and the `window_days - 1` days after it.
    After(u16),
    /// The days a week (its Monday) shares with a month (its first day), while counting only:
    /// a response is counted in its piece, and weeks and months are sums of pieces
    /// ([`Cube::finish`]), so each response is counted in one grain instead of two.
    Piece {
        week: Date,
        month: Date,
    },
}

/// Which responses a group holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    All,
    /// Responses with `value` in dimension `dimension` (indices into the ingest's tables).
    Value {
        dimension: u16,
        value: u32,
    },
    /// Responses matching configured filter `i` (a case study's or target's `where`).
    Filter(u16),
    /// Responses by number of transfers: 0, 1, 2, 3 or more.
    Transfers(u8),
    /// Responses by first-response time bucket (index into [`Plan::first_response_edges`] + 1).
    FirstResponse(u8),
    /// Responses by how many surveys their customer had answered: 1st, 2nd–3rd, 4th or
    /// later (`visit_bucket`), and [`RETURNING`]: any but the first.
    Visit(u8),
    /// Responses with value `a` of the first and `b` of the second dimension of cross-tab `pair`.
    Cross {
        pair: u8,
        a: u32,
        b: u32,
    },
    /// Responses without a value in the first dimension, while counting only: everyone is the
    /// sum of these and of that dimension's values ([`Cube::finish`]), so each response is
    /// counted in one cell less.
    Unset,
}

/// The [`Segment::Transfers`] buckets, by their labels: 0, 1, 2, 3 or more.
pub const TRANSFER_BUCKETS: [&str; 4] = ["0", "1", "2", "3+"];

/// The customer-history buckets of [`Segment::Visit`]: a customer's 1st survey, 2nd–3rd, 4th or later.
pub const VISITS: usize = 3;

/// The [`Segment::Visit`] bucket of a customer's `ordinal`-th survey (1-based).
pub fn visit_bucket(ordinal: u64) -> u8 {
    match ordinal {
        0 | 1 => 0,
        2 | 3 => 1,
        _ => 2,
    }
}

/// The [`Segment::Visit`] of returning customers' surveys: every one but a customer's first.
pub const RETURNING: u8 = 3;

/// No visit bucket: the response names no customer.
pub const NO_VISIT: u8 = u8::MAX;

/// What to count, decided before the data is read.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub kinds: Vec<PeriodKind>,
    /// Per filter: (dimension, value) pairs that must all match; `None` when a
    /// filter names a value never seen, so it matches nothing.
    pub filters: Vec<Option<Vec<(usize, u32)>>>,
    /// Per event: its day and window length in days.
    pub events: Vec<(Date, u32)>,
    /// Index of the `transfers` measure, if mapped.
    pub transfers: Option<usize>,
    /// Index of the `first_response_minutes` measure, if mapped.
    pub first_response: Option<usize>,
    /// Index of the `resolution_minutes` measure, if mapped.
    pub resolution: Option<usize>,
    /// Pairs of dimensions to cross-tabulate.
    pub crosses: Vec<(usize, usize)>,
    /// Upper bounds of the first-response buckets, in minutes.
    pub first_response_edges: Vec<f64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cube {
    // Keys are small and never come from outside: the fast, non-keyed Fx hash is safe here.
    cells: FxHashMap<(Grain, Segment), Tally>,
}

impl Cube {
    /// Counts `responses`; `visits` holds each one's `visit_bucket` (or `NO_VISIT`).
    pub fn build<'a>(plan: &Plan, responses: impl IntoIterator<Item = (&'a Response, u8)>) -> Cube {
        let mut cube = Cube::default();
        cube.add(plan, responses);
        cube
    }

    /// Counts `responses` into this cube, as [`Cube::build`] would into a new one.
    pub fn add<'a>(&mut self, plan: &Plan, responses: impl IntoIterator<Item = (&'a Response, u8)>) {
        let mut counter = Counter { cube: std::mem::take(self), ..Counter::default() };
        for (r, visit) in responses {
            let measure = |m: Option<usize>| m.and_then(|m| r.measures[m]);
            let place = Place {
                day: r.day,
                dimensions: &r.dimensions,
                // Ingest accepts only whole, non-negative transfer counts.
                transfers: measure(plan.transfers).map(|t| t.round().min(3.0) as u8),
                first_response: measure(plan.first_response).map(|minutes| plan.first_response_bucket(minutes)),
                visit,
            };
            let observation = Observation {
                scores: r.scores,
                first_response: measure(plan.first_response).map(Bin::of),
                resolution: measure(plan.resolution).map(Bin::of),
                transfers: measure(plan.transfers).map(|t| t as u64),
            };
            counter.count(plan, &place, &observation, Weight::RESPONSE);
        }
        *self = counter.cube;
    }

    /// Counts the rows of pre-aggregated tables ([`crate::ingest::Group`]): each row is
    /// one weighted observation, counted in its cells exactly as a response is.
    pub fn build_groups(plan: &Plan, groups: &[Group]) -> Cube {
        let mut counter = Counter::default();
        for g in groups {
            let place = Place {
                day: g.day,
                dimensions: &g.dimensions,
                transfers: g.transfers_bucket,
                first_response: g.first_response_bucket,
                visit: g.visit.unwrap_or(NO_VISIT),
            };
            let mut observation = Observation::default();
            let mut weight = Weight { responses: 0, answers: g.count };
            match g.counts {
                Counts::Responses => weight = Weight { responses: g.count, answers: 0 },
                Counts::Csat(s) => observation.scores.csat = Some(s),
                Counts::Nps(s) => observation.scores.nps = Some(s),
                Counts::Ces(s) => observation.scores.ces = Some(s),
                Counts::Transfers(t) => observation.transfers = Some(t),
                Counts::FirstResponse(key) => observation.first_response = Some(Bin::from_key(key)),
                Counts::Resolution(key) => observation.resolution = Some(Bin::from_key(key)),
            }
            counter.count(plan, &place, &observation, weight);
        }
        counter.cube
    }

    /// Makes the cube whole once every part of the responses is counted and merged: fills the
    /// cells that counting leaves out because they are sums or copies of others, which saves
    /// counting each response in them (sums of counts are exact). In order: weeks and months
    /// from their pieces, everyone from the first dimension's groups, the filters that name a
    /// segment and returning customers' surveys, then all time, quarters and years from months.
    /// Only once: a finished cube merged with another is not finished again.
    pub fn finish(&mut self, plan: &Plan) {
        self.settle();
        // Everyone: the responses without a value in the first dimension ([`Segment::Unset`],
        // counted only for this) and those of each of its values.
        self.sum_segments(Segment::All, |s| matches!(s, Segment::Unset | Segment::Value { dimension: 0, .. }));
        self.cells.retain(|&(_, segment), _| segment != Segment::Unset);
        // Returning customers' surveys: those of every visit bucket but the first.
        self.sum_segments(Segment::Visit(RETURNING), |s| matches!(s, Segment::Visit(v) if v > 0 && v != RETURNING));
        self.copy_aliases(plan);
        self.roll_up(&plan.kinds);
    }

    /// Fills all time, quarters and years by adding up months: each response
    /// was counted only in its finest periods (see [`Plan::grains`]), which
    /// halves the work per response.
    fn roll_up(&mut self, kinds: &[PeriodKind]) {
        let coarse: Vec<PeriodKind> =
            kinds.iter().copied().filter(|k| matches!(k, PeriodKind::Quarter | PeriodKind::Year)).collect();
        let mut months: Vec<(Period, Segment)> = self
            .cells
            .keys()
            .filter_map(|&(g, s)| match g {
                Grain::Period(p) if p.kind == PeriodKind::Month => Some((p, s)),
                _ => None,
            })
            .collect();
        months.sort();
        for (month, segment) in months {
            let tally = self.cells[&(Grain::Period(month), segment)].clone();
            let wholes = coarse.iter().map(|&k| Grain::Period(Period::containing(k, month.start)));
            for grain in wholes.chain([Grain::All]) {
                self.put((grain, segment), Cow::Borrowed(&tally));
            }
        }
    }

    /// Turns the pieces counted ([`Grain::Piece`]) into the weeks and months they make up.
    fn settle(&mut self) {
        let pieces: Vec<(Date, Date, Segment)> = self
            .cells
            .keys()
            .filter_map(|&(g, s)| match g {
                Grain::Piece { week, month } => Some((week, month, s)),
                _ => None,
            })
            .collect();
        for (week, month, segment) in pieces {
            let Some(tally) = self.cells.remove(&(Grain::Piece { week, month }, segment)) else { continue };
            let week = Grain::Period(Period { kind: PeriodKind::Week, start: week });
            self.put((week, segment), Cow::Borrowed(&tally));
            let month = Grain::Period(Period { kind: PeriodKind::Month, start: month });
            self.put((month, segment), Cow::Owned(tally));
        }
        self.cells.shrink_to_fit();
    }

    /// Adds the tallies of the segments `part` picks into segment `into`, grain by grain.
    fn sum_segments(&mut self, into: Segment, part: impl Fn(Segment) -> bool) {
        let mut sums: FxHashMap<Grain, Tally> = FxHashMap::default();
        for (&(grain, segment), tally) in &self.cells {
            if part(segment) {
                *sums.entry(grain).or_default() += tally;
            }
        }
        for (grain, tally) in sums {
            self.put((grain, into), Cow::Owned(tally));
        }
    }

    /// Adds `tally` to a cell's, or makes it the cell's when the cell is new.
    fn put(&mut self, cell: (Grain, Segment), tally: Cow<Tally>) {
        match self.cells.entry(cell) {
            Entry::Occupied(mut mine) => *mine.get_mut() += &*tally,
            Entry::Vacant(new) => {
                new.insert(tally.into_owned());
            }
        }
    }

    /// Gives each filter that is another name for a segment ([`Plan::alias`]) that segment's
    /// tally, in every grain where it has one.
    fn copy_aliases(&mut self, plan: &Plan) {
        let aliases: Vec<(u16, Segment)> =
            (0..plan.filters.len()).filter_map(|i| Some((i as u16, plan.alias(i)?))).collect();
        let mut copies: Vec<((Grain, Segment), Tally)> = Vec::new();
        for (&(grain, segment), tally) in &self.cells {
            for &(i, _) in aliases.iter().filter(|&&(_, named)| named == segment) {
                copies.push(((grain, Segment::Filter(i)), tally.clone()));
            }
        }
        self.cells.extend(copies);
    }

    /// Adds another cube's counts to this one.
    pub fn merge(&mut self, other: &Cube) {
        for (key, tally) in &other.cells {
            *self.cells.entry(*key).or_default() += tally;
        }
    }

    /// The tally of a cell; empty when no response fell in it.
    pub fn tally(&self, grain: Grain, segment: Segment) -> &Tally {
        static EMPTY: Tally = Tally::EMPTY;
        self.cells.get(&(grain, segment)).unwrap_or(&EMPTY)
    }

    /// Every cell with at least one response.
    pub fn cells(&self) -> impl Iterator<Item = (&(Grain, Segment), &Tally)> {
        self.cells.iter()
    }
}

impl Plan {
    /// The grains a response is counted in directly: the piece of its week and month when a
    /// site has both, else its week or month (every site counts months), and its event
    /// windows. Weeks and months are sums of pieces, all time, quarters and years sums of
    /// months ([`Cube::finish`]); event windows are sums of nothing else.
    fn grains(&self, place: &Place, out: &mut Vec<Grain>) {
        out.clear();
        let (weeks, months) = (self.kinds.contains(&PeriodKind::Week), self.kinds.contains(&PeriodKind::Month));
        let start = |kind| Period::containing(kind, place.day).start;
        if weeks && months {
            out.push(Grain::Piece { week: start(PeriodKind::Week), month: start(PeriodKind::Month) });
        } else {
            let kinds = self.kinds.iter().filter(|k| matches!(k, PeriodKind::Week | PeriodKind::Month));
            out.extend(kinds.map(|&k| Grain::Period(Period::containing(k, place.day))));
        }
        for (i, &(day, window)) in self.events.iter().enumerate() {
            let offset = (place.day - day).get_days();
            if (-(window as i32)..0).contains(&offset) {
                out.push(Grain::Before(i as u16));
            } else if (0..window as i32).contains(&offset) {
                out.push(Grain::After(i as u16));
            }
        }
    }

    fn segments(&self, place: &Place, out: &mut Vec<Segment>) {
        out.clear();
        let dimensions = place.dimensions;
        match dimensions.first() {
            None => out.push(Segment::All),
            Some(None) => out.push(Segment::Unset),
            Some(Some(_)) => {} // its value's segment is pushed below
        }
        for (d, value) in dimensions.iter().enumerate() {
            if let Some(value) = value {
                out.push(Segment::Value { dimension: d as u16, value: *value });
            }
        }
        for (i, filter) in self.filters.iter().enumerate() {
            if let Some(pairs) = filter
                && self.alias(i).is_none()
                && pairs.iter().all(|&(d, v)| dimensions.get(d).copied().flatten() == Some(v))
            {
                out.push(Segment::Filter(i as u16));
            }
        }
        if let Some(bucket) = place.transfers {
            out.push(Segment::Transfers(bucket));
        }
        if let Some(bucket) = place.first_response {
            out.push(Segment::FirstResponse(bucket));
        }
        // Returning customers' surveys are the sum of the later buckets ([`Cube::finish`]).
        if place.visit != NO_VISIT {
            out.push(Segment::Visit(place.visit));
        }
        for (pair, &(da, db)) in self.crosses.iter().enumerate() {
            if let (Some(Some(a)), Some(Some(b))) = (dimensions.get(da), dimensions.get(db)) {
                out.push(Segment::Cross { pair: pair as u8, a: *a, b: *b });
            }
        }
    }

    /// The segment that filter `i` is another name for: everyone for a filter of no
    /// conditions (a target for the whole site), one value's group for a filter of one. Such
    /// a filter's cells are copied from that segment's ([`Cube::finish`]) instead of
    /// being counted: a response is counted once less for each.
    fn alias(&self, i: usize) -> Option<Segment> {
        match self.filters.get(i)?.as_deref()? {
            [] => Some(Segment::All),
            [(d, v)] => Some(Segment::Value { dimension: *d as u16, value: *v }),
            _ => None,
        }
    }

    /// The [`Segment::FirstResponse`] bucket of a first response after `minutes`.
    fn first_response_bucket(&self, minutes: f64) -> u8 {
        self.first_response_edges.iter().take_while(|&&edge| minutes >= edge).count() as u8
    }
}

/// What decides the cells a response, or a row of a pre-aggregated table, is counted in.
struct Place<'a> {
    /// The day, in the site's time zone.
    day: Date,
    /// Per dimension: the index of its value, `None` when empty.
    dimensions: &'a [Option<u32>],
    /// The [`Segment::Transfers`] bucket, when the number of transfers is known.
    transfers: Option<u8>,
    /// The [`Segment::FirstResponse`] bucket, when the first-response time is known.
    first_response: Option<u8>,
    /// The [`Segment::Visit`] bucket, or [`NO_VISIT`].
    visit: u8,
}

/// How many times an observation counts: as responses, and as answers.
#[derive(Clone, Copy)]
struct Weight {
    responses: u64,
    answers: u64,
}

impl Weight {
    /// A response read from an export: one response, each of its answers once.
    const RESPONSE: Weight = Weight { responses: 1, answers: 1 };
}

/// A cube being filled, with room for one observation's cells (reused, not reallocated).
#[derive(Default)]
struct Counter {
    cube: Cube,
    grains: Vec<Grain>,
    segments: Vec<Segment>,
}

impl Counter {
    fn count(&mut self, plan: &Plan, place: &Place, observation: &Observation, weight: Weight) {
        plan.grains(place, &mut self.grains);
        plan.segments(place, &mut self.segments);
        for &g in &self.grains {
            for &s in &self.segments {
                let tally = self.cube.cells.entry((g, s)).or_default();
                tally.responses += weight.responses;
                tally.add_answers(observation, weight.answers);
            }
        }
    }
}
