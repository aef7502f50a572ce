//! Mergeable counts: the only thing figures are computed from.
//!
//! A [`Histogram`] counts responses per score (0–10 covers every scale
//! rapport accepts); a [`Tally`] holds one per metric for a group of
//! responses. Adding two tallies gives exactly the tally of the union of
//! their responses, so files, threads or machines can each count their part.

use std::ops::{AddAssign, RangeInclusive};

use super::stats::Moments;
use crate::ingest::Scores;

/// Responses per score, 0 through 10.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Histogram {
    counts: [u64; 11],
}

impl Histogram {
    pub fn add(&mut self, score: u8) {
        self.counts[usize::from(score.min(10))] += 1;
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

/// Every count a group of responses contributes to the figures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Responses in the group, whatever they answered.
    pub responses: u64,
    pub csat: Histogram,
    pub nps: Histogram,
    pub ces: Histogram,
}

impl Tally {
    pub fn add(&mut self, scores: &Scores) {
        self.responses += 1;
        if let Some(s) = scores.csat {
            self.csat.add(s);
        }
        if let Some(s) = scores.nps {
            self.nps.add(s);
        }
        if let Some(s) = scores.ces {
            self.ces.add(s);
        }
    }
}

impl Tally {
    /// The tally of the responses in `self` but not in `part` (a subgroup of `self`).
    pub fn without(&self, part: &Tally) -> Option<Tally> {
        Some(Tally {
            responses: self.responses.checked_sub(part.responses)?,
            csat: self.csat.without(&part.csat)?,
            nps: self.nps.without(&part.nps)?,
            ces: self.ces.without(&part.ces)?,
        })
    }
}

impl AddAssign<&Tally> for Tally {
    fn add_assign(&mut self, other: &Tally) {
        self.responses += other.responses;
        self.csat += &other.csat;
        self.nps += &other.nps;
        self.ces += &other.ces;
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

    fn scores() -> impl Strategy<Value = Vec<Scores>> {
        let score = |hi: u8| proptest::option::of(0..=hi);
        proptest::collection::vec(
            (score(5), score(10), score(7)).prop_map(|(csat, nps, ces)| Scores { csat, nps, ces }),
            0..200,
        )
    }

    fn tally(rows: &[Scores]) -> Tally {
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
