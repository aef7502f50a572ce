//! Complementary suppression: a small group cannot be recovered by subtraction.
//!
//! A group below `privacy.min_group` is never published ([`super::Figures::of`]
//! leaves it out). That alone is not enough: when every other value of a
//! dimension is published, the small one is the total minus the rest. So
//! each *breakdown* of a published group into disjoint parts is checked:
//!
//! - the values of a dimension, the transfer and first-response buckets and
//!   the customer-history buckets (and first against returning surveys),
//!   within the same period (parent: everyone);
//! - the rows and columns of a cross-tab (parent: the row's or column's value);
//! - the periods of each kind within all time, and months within quarters
//!   and years, quarters within years, for the same segment.
//!
//! If the published parts of a breakdown leave a remainder of 1 to
//! `min_group − 1` responses, the smallest published part is hidden as well
//! (secondary suppression), and the checks repeat until nothing changes.
//! Each figure (responses, CSAT, NPS, CES, durations, transfers) is checked
//! on its own n, since each is published on its own. The remainder is then
//! either empty or at least `min_group` responses, which is as much as a
//! published group reveals.
//!
//! Not covered, and said so in the methodology: differences between
//! overlapping groups that are not parts of one breakdown (an event's
//! window against months, weeks against months, a case study's filter of
//! several dimensions), which would need a full linear-programming audit.

use rustc_hash::FxHashMap;

use super::cube::{Cube, Grain, Plan, RETURNING, Segment};
use super::histogram::Tally;
use super::period::Period;
use crate::config::PeriodKind;

/// The figures of a tally that are published on their own, each with its own n.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Responses = 0,
    Csat,
    Nps,
    Ces,
    FirstResponse,
    Resolution,
    Transfers,
}

impl Part {
    pub const ALL: [Part; 7] =
        [Part::Responses, Part::Csat, Part::Nps, Part::Ces, Part::FirstResponse, Part::Resolution, Part::Transfers];

    fn bit(self) -> u8 {
        1 << self as u8
    }

    pub fn n(self, t: &Tally) -> u64 {
        match self {
            Part::Responses => t.responses,
            Part::Csat => t.csat.n(),
            Part::Nps => t.nps.n(),
            Part::Ces => t.ces.n(),
            Part::FirstResponse => t.first_response.n(),
            Part::Resolution => t.resolution.n(),
            Part::Transfers => t.transfers.n,
        }
    }
}

type Cell = (Grain, Segment);

/// Figures hidden beyond the groups below `min_group`, to protect those.
#[derive(Debug, Clone, Default)]
pub struct Hidden {
    cells: FxHashMap<Cell, u8>,
}

/// A published group and disjoint parts of it.
#[derive(Debug)]
struct Breakdown {
    whole: Cell,
    parts: Vec<Cell>,
}

impl Hidden {
    /// Finds the figures to hide so that no group below `min_group` can be recovered.
    pub fn protect(cube: &Cube, plan: &Plan, min_group: u64) -> Hidden {
        let mut hidden = Hidden::default();
        if min_group <= 1 {
            return hidden;
        }
        let breakdowns = breakdowns(cube, plan);
        loop {
            let mut changed = false;
            for b in &breakdowns {
                for part in Part::ALL {
                    changed |= hidden.close(cube, b, part, min_group);
                }
            }
            if !changed {
                break;
            }
        }
        // A case study's or target's filter on one dimension value is that value's group by another name.
        let aliases: Vec<(Cell, u8)> = cube
            .cells()
            .filter_map(|(&(grain, segment), _)| {
                let Segment::Filter(i) = segment else { return None };
                let [(d, v)] = plan.filters.get(usize::from(i))?.as_deref()? else { return None };
                let value = Segment::Value { dimension: *d as u16, value: *v };
                Some(((grain, segment), hidden.mask(grain, value)))
            })
            .filter(|&(_, mask)| mask != 0)
            .collect();
        hidden.cells.extend(aliases);
        hidden
    }

    /// The hidden parts of a cell, as bits of [`Part`].
    pub fn mask(&self, grain: Grain, segment: Segment) -> u8 {
        self.cells.get(&(grain, segment)).copied().unwrap_or(0)
    }

    pub fn is_hidden(&self, grain: Grain, segment: Segment, part: Part) -> bool {
        let mask = self.mask(grain, segment);
        mask & (Part::Responses.bit() | part.bit()) != 0
    }

    fn published(&self, cube: &Cube, cell: Cell, part: Part, min_group: u64) -> bool {
        let t = cube.tally(cell.0, cell.1);
        t.responses >= min_group && part.n(t) >= min_group && !self.is_hidden(cell.0, cell.1, part)
    }

    /// Hides parts of `b` until its unpublished remainder is empty or at least `min_group`.
    fn close(&mut self, cube: &Cube, b: &Breakdown, part: Part, min_group: u64) -> bool {
        if !self.published(cube, b.whole, part, min_group) {
            return false;
        }
        let whole = part.n(cube.tally(b.whole.0, b.whole.1));
        let n = |c: &Cell| part.n(cube.tally(c.0, c.1));
        let mut changed = false;
        loop {
            let shown: u64 = b.parts.iter().filter(|&&c| self.published(cube, c, part, min_group)).map(n).sum();
            let remainder = whole.saturating_sub(shown);
            if remainder == 0 || remainder >= min_group {
                return changed;
            }
            // Some part is published: otherwise the remainder would be the whole, which is published.
            let Some(&smallest) =
                b.parts.iter().filter(|&&c| self.published(cube, c, part, min_group)).min_by_key(|&c| (n(c), *c))
            else {
                return changed;
            };
            *self.cells.entry(smallest).or_default() |= part.bit();
            changed = true;
        }
    }
}

/// Which parts a breakdown splits its whole into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Split {
    Dimension(u16),
    Transfers,
    FirstResponse,
    Visit,
    Returning,
    CrossRow(u8),
    CrossColumn(u8),
    Periods(PeriodKind),
}

/// Every breakdown of the cube's groups into disjoint parts, in a fixed order.
fn breakdowns(cube: &Cube, plan: &Plan) -> Vec<Breakdown> {
    let mut groups: FxHashMap<(Cell, Split), Vec<Cell>> = FxHashMap::default();
    for (&cell, _) in cube.cells() {
        let (grain, segment) = cell;
        let mut add = |whole: Cell, split: Split| groups.entry((whole, split)).or_default().push(cell);
        // By segment, within one grain.
        match segment {
            Segment::Value { dimension, .. } => add((grain, Segment::All), Split::Dimension(dimension)),
            Segment::Transfers(_) => add((grain, Segment::All), Split::Transfers),
            Segment::FirstResponse(_) => add((grain, Segment::All), Split::FirstResponse),
            Segment::Visit(v) => {
                // First surveys and returning ones split the customers' responses too.
                if v == 0 || v == RETURNING {
                    add((grain, Segment::All), Split::Returning);
                }
                if v != RETURNING {
                    add((grain, Segment::All), Split::Visit);
                }
            }
            Segment::Cross { pair, a, b } => {
                let (da, db) = plan.crosses[usize::from(pair)];
                add((grain, Segment::Value { dimension: da as u16, value: a }), Split::CrossRow(pair));
                add((grain, Segment::Value { dimension: db as u16, value: b }), Split::CrossColumn(pair));
            }
            Segment::All | Segment::Filter(_) | Segment::Unset => {}
        }
        // By time, for one segment.
        if let Grain::Period(p) = grain {
            add((Grain::All, segment), Split::Periods(p.kind));
            for &coarse in plan.kinds.iter().filter(|&&k| nests(p.kind, k)) {
                add((Grain::Period(Period::containing(coarse, p.start)), segment), Split::Periods(p.kind));
            }
        }
    }
    let mut list: Vec<(Split, Breakdown)> = groups
        .into_iter()
        .map(|((whole, split), mut parts)| {
            parts.sort();
            (split, Breakdown { whole, parts })
        })
        .collect();
    list.sort_by_key(|a| (a.1.whole, a.0));
    list.into_iter().map(|(_, b)| b).collect()
}

/// Whether every period of kind `fine` lies within one period of kind `coarse`.
fn nests(fine: PeriodKind, coarse: PeriodKind) -> bool {
    matches!(
        (fine, coarse),
        (PeriodKind::Month, PeriodKind::Quarter | PeriodKind::Year) | (PeriodKind::Quarter, PeriodKind::Year)
    )
}
