//! Intervals and tests, exactly as SPEC §4 defines them.
//!
//! Everything here is a pure function of counts and sums, so it can be
//! checked against published tables and reference implementations (see the
//! tests, which say where each expected value comes from).

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// The two-sided critical value of the standard normal at `confidence` (1.96 at 0.95).
pub fn z_critical(confidence: f64) -> f64 {
    standard_normal().inverse_cdf(1.0 - (1.0 - confidence) / 2.0)
}

/// The two-sided critical value of Student's t with `df` degrees of freedom.
///
/// Every mean's interval asks for one (an inverse CDF, found by iteration) and a site has
/// thousands of groups but far fewer distinct sizes, so values are remembered for the process.
pub fn t_critical(confidence: f64, df: f64) -> f64 {
    static KNOWN: Memo<(u64, u64), f64> = Memo::new();
    KNOWN.get_or_insert((confidence.to_bits(), df.to_bits()), || match StudentsT::new(0.0, 1.0, df) {
        Ok(t) => t.inverse_cdf(1.0 - (1.0 - confidence) / 2.0),
        Err(_) => f64::NAN,
    })
}

/// Values of a pure function remembered, shared by threads: for the whole process in a
/// `static`, or as long as their owner (a site's figures) in a field.
#[derive(Debug)]
pub(crate) struct Memo<K, V> {
    known: std::sync::LazyLock<std::sync::RwLock<rustc_hash::FxHashMap<K, V>>>,
}

impl<K: std::hash::Hash + Eq, V: Clone> Memo<K, V> {
    pub(crate) const fn new() -> Self {
        Memo { known: std::sync::LazyLock::new(Default::default) }
    }

    /// The value for `key`, worked out by `make` the first time it is asked for.
    pub(crate) fn get_or_insert(&self, key: K, make: impl FnOnce() -> V) -> V {
        // A poisoned lock only means another thread panicked; the map itself is whole.
        if let Some(value) = self.known.read().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return value.clone();
        }
        let value = make();
        self.known.write().unwrap_or_else(|e| e.into_inner()).insert(key, value.clone());
        value
    }
}

fn standard_normal() -> Normal {
    Normal::new(0.0, 1.0).expect("the standard normal is a valid distribution")
}

/// Two-sided p-value of a standard normal statistic.
fn normal_p(z: f64) -> f64 {
    2.0 * standard_normal().sf(z.abs())
}

/// Wilson score interval for `k` successes in `n` trials, as proportions (0–1).
pub fn wilson(k: u64, n: u64, z: f64) -> Option<[f64; 2]> {
    if n == 0 {
        return None;
    }
    let n = n as f64;
    let p = k as f64 / n;
    let z2 = z * z;
    let centre = p + z2 / (2.0 * n);
    let spread = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    let denominator = 1.0 + z2 / n;
    Some([((centre - spread) / denominator).max(0.0), ((centre + spread) / denominator).min(1.0)])
}

/// The adjusted-Wald NPS of Rocks (2016): adds ¾ of a response to each of
/// promoters and detractors (and 3 to n). Returns (c', v) on the −1…1 scale.
pub fn nps_adjusted(promoters: u64, detractors: u64, n: u64) -> (f64, f64) {
    let n_adj = n as f64 + 3.0;
    let p = (promoters as f64 + 0.75) / n_adj;
    let d = (detractors as f64 + 0.75) / n_adj;
    let c = p - d;
    (c, (p + d - c * c) / n_adj)
}

/// NPS interval on −100…100: 100·(c′ ± z·√v), clamped to the scale.
pub fn nps_interval(promoters: u64, detractors: u64, n: u64, z: f64) -> Option<[f64; 2]> {
    if n == 0 {
        return None;
    }
    let (c, v) = nps_adjusted(promoters, detractors, n);
    let half = z * v.sqrt();
    Some([(100.0 * (c - half)).max(-100.0), (100.0 * (c + half)).min(100.0)])
}

/// t interval for a mean from n, mean and sample variance; none below n = 2.
pub fn mean_interval(n: u64, mean: f64, variance: f64, confidence: f64) -> Option<[f64; 2]> {
    if n < 2 {
        return None;
    }
    let half = t_critical(confidence, (n - 1) as f64) * (variance / n as f64).sqrt();
    Some([mean - half, mean + half])
}

/// A tested difference between two groups (second minus first).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Test {
    pub delta: f64,
    pub p_value: f64,
}

/// Pooled two-proportion z-test; `delta` in proportion units.
pub fn two_proportion(k1: u64, n1: u64, k2: u64, n2: u64) -> Option<Test> {
    if n1 == 0 || n2 == 0 {
        return None;
    }
    let (p1, p2) = (k1 as f64 / n1 as f64, k2 as f64 / n2 as f64);
    let pooled = (k1 + k2) as f64 / (n1 + n2) as f64;
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 as f64 + 1.0 / n2 as f64)).sqrt();
    // All answers identical on both sides: no evidence of a difference.
    let p_value = if se == 0.0 { 1.0 } else { normal_p((p2 - p1) / se) };
    Some(Test { delta: p2 - p1, p_value })
}

/// Counts of one NPS group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NpsCounts {
    pub promoters: u64,
    pub detractors: u64,
    pub n: u64,
}

impl NpsCounts {
    /// The unadjusted score on −100…100.
    pub fn score(self) -> f64 {
        100.0 * (self.promoters as f64 - self.detractors as f64) / self.n as f64
    }
}

/// NPS difference: z = (c₂ − c₁)/√(v₁ + v₂) with the adjusted values; the
/// reported delta is the unadjusted difference, in NPS points.
pub fn nps_difference(a: NpsCounts, b: NpsCounts) -> Option<Test> {
    if a.n == 0 || b.n == 0 {
        return None;
    }
    let (c1, v1) = nps_adjusted(a.promoters, a.detractors, a.n);
    let (c2, v2) = nps_adjusted(b.promoters, b.detractors, b.n);
    Some(Test { delta: b.score() - a.score(), p_value: normal_p((c2 - c1) / (v1 + v2).sqrt()) })
}

/// n, mean and sample variance of one group.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moments {
    pub n: u64,
    pub mean: f64,
    pub variance: f64,
}

/// Welch's unequal-variance t-test on two means.
pub fn welch(a: Moments, b: Moments) -> Option<Test> {
    if a.n < 2 || b.n < 2 {
        return None;
    }
    let (sa, sb) = (a.variance / a.n as f64, b.variance / b.n as f64);
    let delta = b.mean - a.mean;
    let se = (sa + sb).sqrt();
    if se == 0.0 {
        // No variation on either side: the means differ exactly or not at all.
        return Some(Test { delta, p_value: if delta == 0.0 { 1.0 } else { 0.0 } });
    }
    let df = (sa + sb).powi(2) / (sa * sa / (a.n - 1) as f64 + sb * sb / (b.n - 1) as f64);
    let p_value = match StudentsT::new(0.0, 1.0, df) {
        Ok(t) => 2.0 * t.sf((delta / se).abs()),
        Err(_) => return None,
    };
    Some(Test { delta, p_value })
}

#[cfg(test)]
mod tests;
