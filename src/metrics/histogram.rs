//! Mergeable counts: the only thing figures are computed from.
//!
//! A [`Histogram`] counts responses per score (0–10 covers every scale
//! rapport accepts); a [`Tally`] holds one per metric for a group of
//! responses, a [`Sketch`] per duration and integer [`Sums`] of transfers.
//! Adding two tallies gives exactly the tally of the union of their
//! responses, so files, threads or machines can each count their part.

use std::ops::{AddAssign, RangeInclusive};

use super::sketch::{Bin, Sketch};
use super::stats::Moments;
use crate::ingest::Scores;

/// Responses per score, 0 through 10.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Histogram {
    counts: [u64; 11],
}

impl Histogram {
    pub fn add(&mut self, score: u8) {
        self.add_times(score, 1);
    }

    /// Counts `times` answers of `score`.
    pub fn add_times(&mut self, score: u8, times: u64) {
        self.counts[usize::from(score.min(10))] += times;
    }

    pub fn count(&self, score: u8) -> u64 {
        self.counts[usize::from(score.min(10))]
    }

    /// Number of responses.
    pub fn n(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Number of responses with a score in `range`.
    pub fn count_in(&self, range: RangeInclusive<u8>) -> u64 {
        range.filter(|&s| s <= 10).map(|s| self.counts[usize::from(s)]).sum()
    }

    /// n, mean and sample variance (n − 1 in the denominator).
    pub fn moments(&self) -> Moments {
        let n = self.n();
        if n == 0 {
            return Moments { n: 0, mean: f64::NAN, variance: f64::NAN };
        }
        let sum: f64 = self.counts.iter().enumerate().map(|(s, &c)| s as f64 * c as f64).sum();
        let mean = sum / n as f64;
        let squares: f64 = self.counts.iter().enumerate().map(|(s, &c)| c as f64 * (s as f64 - mean).powi(2)).sum();
        let variance = if n > 1 { squares / (n - 1) as f64 } else { f64::NAN };
        Moments { n, mean, variance }
    }
}

impl Histogram {
    /// The counts of `self` minus those of `part`; `None` if `part` is not contained in `self`.
    pub fn without(&self, part: &Histogram) -> Option<Histogram> {
        let mut counts = [0; 11];
        for (i, c) in counts.iter_mut().enumerate() {
            *c = self.counts[i].checked_sub(part.counts[i])?;
        }
        Some(Histogram { counts })
    }
}

impl AddAssign<&Histogram> for Histogram {
    fn add_assign(&mut self, other: &Histogram) {
        for (a, b) in self.counts.iter_mut().zip(other.counts) {
            *a += b;
        }
    }
}

/// Count, sum and sum of squares of a whole-number measure: exact, so they merge exactly.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sums {
    pub n: u64,
    pub sum: u64,
    pub squares: u64,
}

impl Sums {
    pub fn add(&mut self, value: u64) {
        self.add_times(value, 1);
    }

    /// Counts `value` `times` times.
    pub fn add_times(&mut self, value: u64, times: u64) {
        self.n += times;
        self.sum += value * times;
        self.squares += value * value * times;
    }

    /// n, mean and sample variance.
    pub fn moments(&self) -> Moments {
        let n = self.n as f64;
        let mean = if self.n == 0 { f64::NAN } else { self.sum as f64 / n };
        // Σx² − (Σx)²/n from exact integers: no cancellation worth the name at these sizes.
        let variance = if self.n > 1 { (self.squares as f64 - self.sum as f64 * mean) / (n - 1.0) } else { f64::NAN };
        Moments { n: self.n, mean, variance: variance.max(0.0) }
    }

    fn without(&self, part: &Sums) -> Option<Sums> {
        Some(Sums {
            n: self.n.checked_sub(part.n)?,
            sum: self.sum.checked_sub(part.sum)?,
            squares: self.squares.checked_sub(part.squares)?,
        })
    }
}

impl AddAssign<&Sums> for Sums {
    fn add_assign(&mut self, other: &Sums) {
        self.n += other.n;
        self.sum += other.sum;
        self.squares += other.squares;
    }
}

/// What one response contributes: its scores and support-operations measures
/// (durations by their sketch bin, found once per response).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Observation {
    pub scores: Scores,
    pub first_response: Option<Bin>,
    pub resolution: Option<Bin>,
    pub transfers: Option<u64>,
}

/// Every count a group of responses contributes to the figures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Responses in the group, whatever they answered.
    pub responses: u64,
    pub csat: Histogram,
    pub nps: Histogram,
    pub ces: Histogram,
    /// Minutes to the first response and to resolution.
    pub first_response: Sketch,
    pub resolution: Sketch,
    pub transfers: Sums,
}

impl Tally {
    /// The tally of no responses.
    pub const EMPTY: Tally = Tally {
        responses: 0,
        csat: Histogram { counts: [0; 11] },
        nps: Histogram { counts: [0; 11] },
        ces: Histogram { counts: [0; 11] },
        first_response: Sketch::EMPTY,
        resolution: Sketch::EMPTY,
        transfers: Sums { n: 0, sum: 0, squares: 0 },
    };

    /// Counts one response and its answers.
    pub fn add(&mut self, o: &Observation) {
        self.responses += 1;
        self.add_answers(o, 1);
    }

    /// Counts `o`'s answers `times` times, without counting responses: a row of a
    /// pre-aggregated table holds the answers of `times` responses to one metric,
    /// and the responses themselves are counted by rows of their own.
    pub fn add_answers(&mut self, o: &Observation, times: u64) {
        let scores = &o.scores;
        if let Some(s) = scores.csat {
            self.csat.add_times(s, times);
        }
        if let Some(s) = scores.nps {
            self.nps.add_times(s, times);
        }
        if let Some(s) = scores.ces {
            self.ces.add_times(s, times);
        }
        if let Some(b) = o.first_response {
            self.first_response.add_bin_times(b, times);
        }
        if let Some(b) = o.resolution {
            self.resolution.add_bin_times(b, times);
        }
        if let Some(t) = o.transfers {
            self.transfers.add_times(t, times);
        }
    }
}

impl Tally {
    /// The tally of the responses in `self` but not in `part` (a subgroup of `self`).
    pub fn without(&self, part: &Tally) -> Option<Tally> {
        Some(Tally {
            first_response: self.first_response.without(&part.first_response)?,
            resolution: self.resolution.without(&part.resolution)?,
            transfers: self.transfers.without(&part.transfers)?,
            ..self.scores_without(part)?
        })
    }

    /// [`Tally::without`] for the scores only (CSAT, NPS, CES), the times and transfers left
    /// empty: all a test of a group against the rest needs, without subtracting sketches.
    pub fn scores_without(&self, part: &Tally) -> Option<Tally> {
        Some(Tally {
            responses: self.responses.checked_sub(part.responses)?,
            csat: self.csat.without(&part.csat)?,
            nps: self.nps.without(&part.nps)?,
            ces: self.ces.without(&part.ces)?,
            ..Tally::default()
        })
    }
}

impl AddAssign<&Tally> for Tally {
    fn add_assign(&mut self, other: &Tally) {
        self.responses += other.responses;
        self.csat += &other.csat;
        self.nps += &other.nps;
        self.ces += &other.ces;
        self.first_response.merge(&other.first_response);
        self.resolution.merge(&other.resolution);
        self.transfers += &other.transfers;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn histogram(scores: &[u8]) -> Histogram {
        let mut h = Histogram::default();
        scores.iter().for_each(|&s| h.add(s));
        h
    }

    #[test]
    fn moments_match_hand_computation() {
        // 1, 2, 2, 5: mean 2.5, squared deviations 2.25 + 0.25 + 0.25 + 6.25 = 9, variance 9 / 3 = 3.
        let m = histogram(&[1, 2, 2, 5]).moments();
        assert_eq!(m.n, 4);
        assert_eq!(m.mean, 2.5);
        assert_eq!(m.variance, 3.0);
    }

    #[test]
    fn count_in_is_inclusive() {
        let h = histogram(&[1, 3, 4, 4, 5]);
        assert_eq!(h.count_in(4..=5), 3);
        assert_eq!(h.count_in(1..=1), 1);
        assert_eq!(h.n(), 5);
    }

    fn scores() -> impl Strategy<Value = Vec<Observation>> {
        let score = |hi: u8| proptest::option::of(0..=hi);
        let minutes = || proptest::option::of(prop_oneof![Just(0.0), 0.5f64..50_000.0]);
        proptest::collection::vec(
            (score(5), score(10), score(7), minutes(), minutes(), proptest::option::of(0u64..6)).prop_map(
                |(csat, nps, ces, first_response, resolution, transfers)| Observation {
                    scores: Scores { csat, nps, ces },
                    first_response: first_response.map(Bin::of),
                    resolution: resolution.map(Bin::of),
                    transfers,
                },
            ),
            0..200,
        )
    }

    #[test]
    fn transfer_moments_match_hand_computation() {
        // 0, 1, 1, 4: mean 1.5, squared deviations 2.25 + 0.25 + 0.25 + 6.25 = 9, variance 9 / 3 = 3.
        let mut s = Sums::default();
        [0, 1, 1, 4].into_iter().for_each(|t| s.add(t));
        let m = s.moments();
        assert_eq!((m.n, m.mean, m.variance), (4, 1.5, 3.0));
    }

    fn tally(rows: &[Observation]) -> Tally {
        let mut t = Tally::default();
        rows.iter().for_each(|s| t.add(s));
        t
    }

    proptest! {
        #[test]
        fn splitting_anywhere_gives_the_same_tally(rows in scores(), cut in 0usize..200) {
            let cut = cut.min(rows.len());
            let mut merged = tally(&rows[..cut]);
            merged += &tally(&rows[cut..]);
            prop_assert_eq!(merged, tally(&rows));
        }

        #[test]
        fn removing_a_part_leaves_the_rest(rows in scores(), cut in 0usize..200) {
            let cut = cut.min(rows.len());
            prop_assert_eq!(tally(&rows).without(&tally(&rows[..cut])), Some(tally(&rows[cut..])));
        }

        #[test]
        fn removing_a_parts_scores_leaves_the_rests_scores(rows in scores(), cut in 0usize..200) {
            let cut = cut.min(rows.len());
            let rest = tally(&rows).scores_without(&tally(&rows[..cut])).unwrap();
            let full = tally(&rows[cut..]);
            prop_assert_eq!((rest.responses, &rest.csat, &rest.nps, &rest.ces), (full.responses, &full.csat, &full.nps, &full.ces));
            prop_assert_eq!(rest.first_response.n(), 0);
        }

        #[test]
        fn merging_is_commutative_and_associative(a in scores(), b in scores(), c in scores()) {
            let (ta, tb, tc) = (tally(&a), tally(&b), tally(&c));
            let mut ab = ta.clone(); ab += &tb;
            let mut ba = tb.clone(); ba += &ta;
            prop_assert_eq!(&ab, &ba);
            let mut ab_c = ab.clone(); ab_c += &tc;
            let mut bc = tb.clone(); bc += &tc;
            let mut a_bc = ta.clone(); a_bc += &bc;
            prop_assert_eq!(ab_c, a_bc);
        }
    }
}
