//! Durations: a mergeable quantile sketch with a relative error of at most 1 %.
//!
//! Medians and 90th percentiles cannot be merged from medians, and keeping
//! every duration would make memory grow with the data. A [`Sketch`] counts
//! values in logarithmic bins (the DDSketch scheme of Masson, Rim and Lee,
//! VLDB 2019): bin `k` holds the values in (γ^(k−1), γ^k] with
//! γ = (1 + α)/(1 − α), and stands for 2γ^k/(γ + 1), which is within a
//! relative α of every value in the bin. Bins are integer counts, so merging
//! sketches (per file, per thread, from a warehouse) is exact, associative
//! and commutative, and any order statistic is known to within α = 1 %.
//!
//! Written here rather than taken from a crate because rapport needs the
//! bins themselves: order statistics at arbitrary ranks (for the quantile's
//! confidence interval), subtraction (a case against everyone else) and,
//! later, bins read from pre-aggregated warehouse exports.

use statrs::distribution::{Binomial, DiscreteCDF};

/// The largest relative error of any quantile the sketch reports.
pub const RELATIVE_ERROR: f64 = 0.01;

/// γ = (1 + α)/(1 − α) for α = [`RELATIVE_ERROR`].
const GAMMA: f64 = (1.0 + RELATIVE_ERROR) / (1.0 - RELATIVE_ERROR);

/// Counts of non-negative values in logarithmic bins.
#[derive(Debug, Clone, Default)]
pub struct Sketch {
    /// Values equal to zero (a logarithm cannot hold them).
    zeros: u64,
    /// Values in the bins (kept, so that n is known without a walk).
    binned: u64,
    store: Store,
}

/// The bins: a sorted list while few are used (small groups, most of them),
/// an array indexed by key once many are (O(1) counting for large groups).
#[derive(Debug, Clone)]
enum Store {
    /// (bin key, count), sorted by key, counts above zero.
    Sparse(Vec<(i32, u64)>),
    /// counts[i] is the count of bin `offset + i`. 32 bits: half the memory, and counting is
    /// bound by touching these arrays (a response adds to those of ~12 groups).
    Dense { offset: i32, counts: Vec<u32> },
    /// The same with 64-bit counts, once a bin would pass `u32::MAX` (a warehouse table's
    /// counts can).
    Wide { offset: i32, counts: Vec<u64> },
}

/// Sorted (key, count) bins as an array from the first key, each count converted.
fn spread<T: Copy + Default>(bins: &[(i32, u64)], convert: impl Fn(u64) -> T) -> Vec<T> {
    let (offset, last) = (bins[0].0, bins[bins.len() - 1].0);
    let mut counts = vec![T::default(); (last - offset) as usize + 1];
    for &(k, c) in bins {
        counts[(k - offset) as usize] = convert(c);
    }
    counts
}

/// (key, count) of the bins with a count in an array of bins from `offset`, in increasing order.
fn counted<T: Copy + Into<u64>>(offset: i32, counts: &[T]) -> impl Iterator<Item = (i32, u64)> + '_ {
    counts.iter().enumerate().filter_map(move |(i, &c)| {
        let c: u64 = c.into();
        (c > 0).then_some((offset + i as i32, c))
    })
}

/// The count of bin `key` in an array of bins from `offset`, grown to hold it.
fn slot<'a, T: Copy + Default>(offset: &mut i32, counts: &'a mut Vec<T>, key: i32) -> &'a mut T {
    if key < *offset {
        let grow = (*offset - key) as usize;
        counts.splice(0..0, std::iter::repeat_n(T::default(), grow));
        *offset = key;
    }
    let i = (key - *offset) as usize;
    if i >= counts.len() {
        counts.resize(i + 1, T::default());
    }
    &mut counts[i]
}

impl Default for Store {
    fn default() -> Self {
        Store::Sparse(Vec::new())
    }
}

/// A sparse store turns dense above this many bins.
const DENSE_AFTER: usize = 32;

/// The bin of one value, computed once however many groups it is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bin(i32);

impl Bin {
    /// The bin of zero (and of anything not positive).
    const ZERO: Bin = Bin(i32::MIN);

    pub fn of(value: f64) -> Bin {
        if value <= 0.0 || !value.is_finite() {
            return Bin::ZERO;
        }
        Bin((value.ln() / GAMMA.ln()).ceil() as i32)
    }

    /// The bin of a key computed elsewhere (a warehouse's `sketch_key`): `None` is zero.
    pub fn from_key(key: Option<i32>) -> Bin {
        key.map_or(Bin::ZERO, Bin)
    }

    /// The key of a bin: `None` for zero.
    pub fn key(self) -> Option<i32> {
        (self != Bin::ZERO).then_some(self.0)
    }
}

/// Sketches are equal when they count the same values, however they store them.
impl PartialEq for Sketch {
    fn eq(&self, other: &Sketch) -> bool {
        self.zeros == other.zeros && self.binned == other.binned && self.bins().eq(other.bins())
    }
}

impl Eq for Sketch {}

/// A quantile with its distribution-free confidence interval; a bound is
/// `None` when the sample is too small to bound the quantile on that side.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantile {
    pub value: f64,
    pub ci: [Option<f64>; 2],
}

impl Sketch {
    pub const EMPTY: Sketch = Sketch { zeros: 0, binned: 0, store: Store::Sparse(Vec::new()) };

    /// Counts a value; negative and non-finite values never reach here (ingest rejects them).
    pub fn add(&mut self, value: f64) {
        self.add_bin(Bin::of(value));
    }

    /// Counts a value whose bin is known.
    pub fn add_bin(&mut self, bin: Bin) {
        self.add_bin_times(bin, 1);
    }

    /// Counts `times` values of one bin.
    pub fn add_bin_times(&mut self, bin: Bin, times: u64) {
        if times == 0 {
            return; // a sparse store keeps only bins with a count
        }
        if bin == Bin::ZERO {
            self.zeros += times;
        } else {
            self.add_count(bin.0, times);
        }
    }

    fn add_count(&mut self, key: i32, count: u64) {
        self.binned += count;
        match &mut self.store {
            Store::Sparse(bins) => {
                match bins.binary_search_by_key(&key, |&(k, _)| k) {
                    Ok(i) => bins[i].1 += count,
                    Err(i) => bins.insert(i, (key, count)),
                }
                if bins.len() > DENSE_AFTER {
                    let offset = bins[0].0;
                    let wide = bins.iter().any(|&(_, c)| c > u64::from(u32::MAX));
                    self.store = if wide {
                        Store::Wide { offset, counts: spread(bins, |c| c) }
                    } else {
                        Store::Dense { offset, counts: spread(bins, |c| c as u32) }
                    };
                }
            }
            Store::Dense { offset, counts } => {
                let bin = slot(offset, counts, key);
                match u32::try_from(count).ok().and_then(|c| bin.checked_add(c)) {
                    Some(sum) => *bin = sum,
                    None => {
                        let offset = *offset;
                        let mut wide: Vec<u64> = counts.iter().map(|&c| u64::from(c)).collect();
                        wide[(key - offset) as usize] += count;
                        self.store = Store::Wide { offset, counts: wide };
                    }
                }
            }
            Store::Wide { offset, counts } => *slot(offset, counts, key) += count,
        }
    }

    /// (key, count) of every bin with a count, in increasing order.
    fn bins(&self) -> Box<dyn Iterator<Item = (i32, u64)> + '_> {
        match &self.store {
            Store::Sparse(bins) => Box::new(bins.iter().copied()),
            Store::Dense { offset, counts } => Box::new(counted(*offset, counts)),
            Store::Wide { offset, counts } => Box::new(counted(*offset, counts)),
        }
    }

    pub fn n(&self) -> u64 {
        self.zeros + self.binned
    }

    /// The value standing for bin `key`: within a relative α of all its values.
    fn representative(key: i32) -> f64 {
        2.0 * GAMMA.powi(key) / (GAMMA + 1.0)
    }

    /// The `rank`-th smallest value (0-based) of each of `ranks` (in any order), to within α;
    /// `None` past the end. One pass over the bins.
    fn order_statistics<const N: usize>(&self, ranks: [u64; N]) -> [Option<f64>; N] {
        let mut order: [usize; N] = std::array::from_fn(|i| i);
        order.sort_unstable_by_key(|&i| ranks[i]);
        let mut out = [None; N];
        let mut next = 0;
        while next < N && ranks[order[next]] < self.zeros {
            out[order[next]] = Some(0.0);
            next += 1;
        }
        let mut seen = self.zeros;
        // Takes the next bin; true once every rank has its value.
        let mut take = |key: i32, count: u64| {
            seen += count;
            while next < N && ranks[order[next]] < seen {
                out[order[next]] = Some(Sketch::representative(key));
                next += 1;
            }
            next == N
        };
        // Each store walked by its own iterator rather than `bins()`'s boxed one (this runs for
        // every quantile of every group); `any` stops at the bin that gives the last rank.
        let _ = match &self.store {
            Store::Sparse(bins) => bins.iter().copied().any(|(key, count)| take(key, count)),
            Store::Dense { offset, counts } => counted(*offset, counts).any(|(key, count)| take(key, count)),
            Store::Wide { offset, counts } => counted(*offset, counts).any(|(key, count)| take(key, count)),
        };
        out
    }

    /// The `q`-quantile (0 ≤ q ≤ 1) by linear interpolation between order
    /// statistics, as numpy's and pandas' default and Excel's PERCENTILE.INC,
    /// with the interval of `scipy.stats.quantile_test` at `confidence`.
    pub fn quantile(&self, q: f64, confidence: f64) -> Option<Quantile> {
        let n = self.n();
        if n == 0 {
            return None;
        }
        let h = (n - 1) as f64 * q;
        let below = h.floor() as u64;
        let [lo, hi] = order_statistic_ranks(n, q, confidence);
        // A bound without a rank is past every value: `None`.
        let unbounded = u64::MAX;
        let [low, high, ci_low, ci_high] =
            self.order_statistics([below, (below + 1).min(n - 1), lo.unwrap_or(unbounded), hi.unwrap_or(unbounded)]);
        let (low, high) = (low?, high?);
        Some(Quantile { value: low + (h - below as f64) * (high - low), ci: [ci_low, ci_high] })
    }

    /// The sketch of the values in `self` but not in `part`; `None` if `part` is not contained in `self`.
    pub fn without(&self, part: &Sketch) -> Option<Sketch> {
        let mut bins: Vec<(i32, u64)> = self.bins().collect();
        for (key, count) in part.bins() {
            let i = bins.binary_search_by_key(&key, |&(k, _)| k).ok()?;
            bins[i].1 = bins[i].1.checked_sub(count)?;
        }
        let mut rest = Sketch { zeros: self.zeros.checked_sub(part.zeros)?, binned: 0, store: Store::default() };
        for (key, count) in bins.into_iter().filter(|&(_, c)| c > 0) {
            rest.add_count(key, count);
        }
        Some(rest)
    }

    /// Adds another sketch's counts to this one.
    pub fn merge(&mut self, other: &Sketch) {
        self.zeros += other.zeros;
        for (key, count) in other.bins() {
            self.add_count(key, count);
        }
    }
}

/// 0-based ranks of the order statistics that bound the `q`-quantile of a
/// sample of `n` at `confidence`, from the binomial distribution of the
/// number of values below it (Conover, *Practical Nonparametric Statistics*,
/// 3.2; the same ranks as `scipy.stats.quantile_test(...).confidence_interval`).
///
/// The ranks depend only on `n`, `q` and `confidence`, while a site asks for them for every group
/// of every page (each a search of beta functions), so they are remembered for the process.
pub fn order_statistic_ranks(n: u64, q: f64, confidence: f64) -> [Option<u64>; 2] {
    static KNOWN: super::stats::Memo<(u64, u64, u64), [Option<u64>; 2]> = super::stats::Memo::new();
    KNOWN.get_or_insert((n, q.to_bits(), confidence.to_bits()), || search_ranks(n, q, confidence))
}

/// [`order_statistic_ranks`], worked out.
fn search_ranks(n: u64, q: f64, confidence: f64) -> [Option<u64>; 2] {
    let Ok(b) = Binomial::new(q, n) else {
        return [None, None];
    };
    let tail = (1.0 - confidence) / 2.0;
    // The normal approximation lands within a step or two of each rank, so the
    // search walks from there instead of bisecting (each step is a beta function).
    let (mean, sd) = (n as f64 * q, (n as f64 * q * (1.0 - q)).sqrt());
    let z = super::stats::z_critical(confidence);
    let guess = |x: f64| x.round().clamp(0.0, n as f64) as u64;
    // Smallest k in 0..=n with pred(k), for a monotone pred, starting at `from`.
    let smallest = |pred: &dyn Fn(u64) -> bool, from: u64| -> u64 {
        let mut k = from;
        if pred(k) {
            while k > 0 && pred(k - 1) {
                k -= 1;
            }
            k
        } else {
            while k < n && !pred(k) {
                k += 1;
            }
            k
        }
    };
    let ppf = smallest(&|k| b.cdf(k) >= tail, guess(mean - z * sd));
    let isf = smallest(&|k| b.sf(k) <= tail, guess(mean + z * sd));
    [ppf.checked_sub(1), (isf < n).then_some(isf)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sketch(values: &[f64]) -> Sketch {
        let mut s = Sketch::default();
        values.iter().for_each(|&v| s.add(v));
        s
    }

    /// numpy's default (linear) quantile of exact values.
    fn exact_quantile(values: &[f64], q: f64) -> f64 {
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        let h = (v.len() - 1) as f64 * q;
        let lo = h.floor() as usize;
        let hi = (lo + 1).min(v.len() - 1);
        v[lo] + (h - lo as f64) * (v[hi] - v[lo])
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= RELATIVE_ERROR * b.abs() + 1e-12
    }

    #[test]
    fn quantiles_match_numpy_within_one_percent() {
        // python3 -c "import numpy as np; x=[3,7,12,12,18,25,31,44,60,95,240,1500];
        //   print(np.quantile(x,0.5), np.quantile(x,0.9))"  ->  28.0 225.5
        let s = sketch(&[3.0, 7.0, 12.0, 12.0, 18.0, 25.0, 31.0, 44.0, 60.0, 95.0, 240.0, 1500.0]);
        let median = s.quantile(0.5, 0.95).unwrap().value;
        let p90 = s.quantile(0.9, 0.95).unwrap().value;
        assert!(close(median, 28.0), "{median}");
        assert!(close(p90, 225.5), "{p90}");
    }

    #[test]
    fn sketch_keys_match_hand_worked_logarithms() {
        // k = ceil(ln(x) / ln(γ)) with γ = 1.01 / 0.99, worked out to 50 digits, away from any libm:
        // python3 -c "from decimal import *; getcontext().prec = 50; g = Decimal('1.01') / Decimal('0.99')
        //   for x in ['0.01','0.5','1','59.99','60','829','1440','100000']: print(x, Decimal(x).ln() / g.ln())"
        // 0.01 -230.2508…, 0.5 -34.6562…, 1 0, 59.99 204.7020…, 60 204.7104…, 829 335.99980709… (of the
        // demo's durations the nearest to a bin edge: 2·10⁻⁴ of a bin), 1440 363.6077…, 100000 575.6270…
        let cases = [
            (0.01, -230),
            (0.5, -34),
            (1.0, 0),
            (59.99, 205),
            (60.0, 205),
            (829.0, 336),
            (1440.0, 364),
            (100_000.0, 576),
        ];
        for (minutes, key) in cases {
            assert_eq!(Bin::of(minutes).key(), Some(key), "{minutes}");
        }
        // Bin k holds (γ^(k−1), γ^k]: γ itself tops bin 1, and a hair above it starts bin 2.
        assert_eq!(Bin::of(GAMMA).key(), Some(1));
        assert_eq!(Bin::of(GAMMA * (1.0 + 1e-12)).key(), Some(2));
        // Zero has no key (it is counted exactly), and a key read back is the same bin.
        assert_eq!(Bin::of(0.0).key(), None);
        assert_eq!((Bin::from_key(Some(205)), Bin::from_key(None)), (Bin::of(60.0), Bin::of(0.0)));
    }

    #[test]
    fn a_bin_counted_many_times_at_once_is_counted_as_often() {
        let mut once = Sketch::default();
        (0..40).for_each(|i| once.add(f64::from(i % 4)));
        let mut at_once = Sketch::default();
        for (minutes, times) in [(0.0, 10), (1.0, 10), (2.0, 10), (3.0, 10), (7.0, 0)] {
            at_once.add_bin_times(Bin::of(minutes), times);
        }
        assert_eq!(at_once, once);
        assert_eq!(at_once.bins().count(), 3, "a count of 0 adds no bin");
    }

    #[test]
    fn zero_is_exact() {
        let s = sketch(&[0.0, 0.0, 0.0, 5.0]);
        assert_eq!(s.quantile(0.5, 0.95).unwrap().value, 0.0);
        assert_eq!(s.n(), 4);
    }

    #[test]
    fn ranks_match_scipy_quantile_test() {
        // The 0-based indexes scipy.stats.quantile_test(x, p=q).confidence_interval(c)
        // picks from the sorted sample (its low_index and high_index; None where scipy gives nan):
        // python3 -c "from scipy import stats
        // for n,q,c in [(12,.5,.95),(30,.9,.95),(100,.5,.95),(100,.9,.95),(1000,.9,.99),(5,.5,.95),(7,.5,.95)]:
        //   b=stats.binom(n,q); p=(1-c)/2; print(n,q,c,int(b.ppf(p))-1,int(b.isf(p)))"
        // 12 0.5 0.95 2 9 · 30 0.9 0.95 22 30 · 100 0.5 0.95 39 60 · 100 0.9 0.95 83 95
        // 1000 0.9 0.99 874 924 · 5 0.5 0.95 -1 5 · 7 0.5 0.95 0 6
        let cases = [
            (12, 0.5, 0.95, [Some(2), Some(9)]),
            (30, 0.9, 0.95, [Some(22), None]),
            (100, 0.5, 0.95, [Some(39), Some(60)]),
            (100, 0.9, 0.95, [Some(83), Some(95)]),
            (1000, 0.9, 0.99, [Some(874), Some(924)]),
            (5, 0.5, 0.95, [None, None]),
            (7, 0.5, 0.95, [Some(0), Some(6)]),
        ];
        for (n, q, c, expected) in cases {
            assert_eq!(order_statistic_ranks(n, q, c), expected, "n={n} q={q} c={c}");
        }
    }

    /// Dense stores count in 32 bits and widen when a bin would pass u32::MAX (a warehouse table
    /// can hold such counts), before or after the store turns dense.
    #[test]
    fn counts_past_u32_widen_the_store() {
        let big = u64::from(u32::MAX) - 1;
        let bins: Vec<Bin> = (1..=40).map(|i| Bin::of(f64::from(i) * 10.0)).collect();
        // Dense first, then a bin passes u32::MAX.
        let mut late = Sketch::default();
        bins.iter().for_each(|&b| late.add_bin(b));
        late.add_bin_times(bins[5], big);
        late.add_bin_times(bins[5], big);
        // A bin past u32::MAX while sparse, then dense.
        let mut early = Sketch::default();
        early.add_bin_times(bins[5], 2 * big);
        bins.iter().for_each(|&b| early.add_bin(b));
        for sketch in [&late, &early] {
            assert_eq!(sketch.n(), 40 + 2 * big);
            let counts: Vec<u64> = sketch.bins().map(|(_, c)| c).collect();
            assert_eq!(counts.len(), 40);
            assert_eq!(counts[5], 2 * big + 1);
            // Nearly every value is in bin 5 (60 minutes): the median is there.
            let median = sketch.quantile(0.5, 0.95).unwrap().value;
            assert!(close(median, 60.0), "median {median}");
        }
        assert_eq!(late, early);
        assert!(matches!(late.store, Store::Wide { .. }) && matches!(early.store, Store::Wide { .. }));
        // Below the limit the store stays narrow.
        let mut narrow = Sketch::default();
        bins.iter().for_each(|&b| narrow.add_bin_times(b, big / 40));
        assert!(matches!(narrow.store, Store::Dense { .. }));
    }

    fn durations() -> impl Strategy<Value = Vec<f64>> {
        // Up to 300 values over seven orders of magnitude: both sparse and dense stores.
        proptest::collection::vec(prop_oneof![Just(0.0), 0.01f64..100_000.0], 1..300)
    }

    proptest! {
        #[test]
        fn every_quantile_is_within_the_relative_error(values in durations(), q in 0.0f64..=1.0) {
            let got = sketch(&values).quantile(q, 0.95).unwrap().value;
            let want = exact_quantile(&values, q);
            prop_assert!(close(got, want), "q={} got {} want {}", q, got, want);
        }

        #[test]
        fn interval_bounds_are_the_order_statistics_of_their_ranks(values in durations(), q in 0.0f64..=1.0) {
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            let got = sketch(&values).quantile(q, 0.95).unwrap().ci;
            let ranks = order_statistic_ranks(values.len() as u64, q, 0.95);
            for (bound, rank) in got.into_iter().zip(ranks) {
                match (bound, rank) {
                    (Some(b), Some(r)) => prop_assert!(close(b, sorted[r as usize]), "rank {} got {} want {}", r, b, sorted[r as usize]),
                    (None, None) => {}
                    other => prop_assert!(false, "bound and rank disagree: {:?}", other),
                }
            }
        }

        #[test]
        fn merging_is_exact_in_any_order(a in durations(), b in durations(), c in durations()) {
            let all: Vec<f64> = a.iter().chain(&b).chain(&c).copied().collect();
            let (sa, sb, sc) = (sketch(&a), sketch(&b), sketch(&c));
            let mut left = sa.clone(); left.merge(&sb); left.merge(&sc);
            let mut right = sc.clone(); right.merge(&sb); right.merge(&sa);
            prop_assert_eq!(&left, &sketch(&all));
            prop_assert_eq!(&right, &sketch(&all));
            prop_assert_eq!(left.without(&sa), Some({ let mut bc = sb.clone(); bc.merge(&sc); bc }));
        }
    }
}
