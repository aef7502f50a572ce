//! Figures: what a tally says, with its n and its interval, and changes between two tallies.
//!
//! A figure whose n is below `privacy.min_group` is not computed at all
//! (`None`), so nothing downstream can publish it by mistake; one below
//! `stats.min_n` is computed but marked `low_sample`.

use serde::Serialize;

use super::histogram::Tally;
use super::sketch::Sketch;
use super::stats::{self, Moments, NpsCounts};
use super::suppress::Part;
use crate::config::Config;

/// The settings figures depend on, read once from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    pub csat_scale: [u8; 2],
    pub csat_satisfied: [u8; 2],
    pub ces_scale: [u8; 2],
    pub ces_easy: [u8; 2],
    pub confidence: f64,
    pub z: f64,
    pub min_n: u64,
    pub min_group: u64,
}

impl Rules {
    /// The confidence level in percent, as intervals are labelled: "95", "97.5".
    pub fn level(&self) -> String {
        let percent = self.confidence * 100.0;
        if (percent - percent.round()).abs() < 1e-9 { format!("{percent:.0}") } else { format!("{percent:.1}") }
    }

    pub fn new(config: &Config) -> Rules {
        Rules {
            csat_scale: config.metrics.csat.scale,
            csat_satisfied: config.metrics.csat.satisfied,
            ces_scale: config.metrics.ces.scale,
            ces_easy: config.metrics.ces.easy,
            confidence: config.stats.confidence,
            z: stats::z_critical(config.stats.confidence),
            min_n: u64::from(config.stats.min_n),
            min_group: u64::from(config.privacy.min_group),
        }
    }
}

/// All figures of one group of responses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    /// Responses in the group; absent when the group is below `min_group`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub responses: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csat: Option<Csat>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nps: Option<Nps>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ces: Option<Ces>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_response_minutes: Option<Duration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution_minutes: Option<Duration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transfers: Option<Transfers>,
}

/// A duration's median and 90th percentile, each within 1 % of the exact
/// value, with distribution-free intervals; an interval bound is `null`
/// when too few values bound the quantile on that side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Duration {
    pub n: u64,
    pub median: f64,
    pub median_ci: [Option<f64>; 2],
    pub p90: f64,
    pub p90_ci: [Option<f64>; 2],
    pub low_sample: bool,
}

/// Transfers per ticket.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transfers {
    pub n: u64,
    pub mean: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci: Option<[f64; 2]>,
    pub low_sample: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Csat {
    pub n: u64,
    pub satisfied: u64,
    /// Share satisfied, 0–100.
    pub percent: f64,
    pub ci: [f64; 2],
    pub mean: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean_ci: Option<[f64; 2]>,
    /// Responses per score, lowest score first.
    pub distribution: Vec<u64>,
    pub low_sample: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Nps {
    pub n: u64,
    pub promoters: u64,
    pub passives: u64,
    pub detractors: u64,
    /// −100…100.
    pub score: f64,
    pub ci: [f64; 2],
    /// Responses per score 0–10.
    pub distribution: Vec<u64>,
    pub low_sample: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ces {
    pub n: u64,
    pub mean: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci: Option<[f64; 2]>,
    /// Sample standard deviation; absent below n = 2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sd: Option<f64>,
    pub easy: u64,
    /// Share in the `easy` range, 0–100.
    pub easy_percent: f64,
    pub easy_ci: [f64; 2],
    pub distribution: Vec<u64>,
    pub low_sample: bool,
}

impl Figures {
    pub fn of(tally: &Tally, rules: &Rules) -> Figures {
        if tally.responses < rules.min_group {
            return Figures::NONE;
        }
        Figures {
            responses: Some(tally.responses),
            csat: csat(tally, rules),
            nps: nps(tally, rules),
            ces: ces(tally, rules),
            first_response_minutes: duration(&tally.first_response, rules),
            resolution_minutes: duration(&tally.resolution, rules),
            transfers: transfers(tally, rules),
        }
    }

    /// Nothing published.
    pub const NONE: Figures = Figures {
        responses: None,
        csat: None,
        nps: None,
        ces: None,
        first_response_minutes: None,
        resolution_minutes: None,
        transfers: None,
    };

    /// The parts not published, as a mask for [`Figures::hide`].
    pub fn absent(&self) -> u8 {
        let parts = [
            (Part::Responses, self.responses.is_none()),
            (Part::Csat, self.csat.is_none()),
            (Part::Nps, self.nps.is_none()),
            (Part::Ces, self.ces.is_none()),
            (Part::FirstResponse, self.first_response_minutes.is_none()),
            (Part::Resolution, self.resolution_minutes.is_none()),
            (Part::Transfers, self.transfers.is_none()),
        ];
        parts.iter().filter(|(_, absent)| *absent).fold(0, |mask, (part, _)| mask | 1 << *part as u8)
    }

    /// Leaves out the parts in `mask` (bits of [`Part`]).
    pub fn hide(mut self, mask: u8) -> Figures {
        let hidden = |part: Part| mask & (1 << part as u8) != 0;
        if hidden(Part::Responses) {
            return Figures::NONE;
        }
        if hidden(Part::Csat) {
            self.csat = None;
        }
        if hidden(Part::Nps) {
            self.nps = None;
        }
        if hidden(Part::Ces) {
            self.ces = None;
        }
        if hidden(Part::FirstResponse) {
            self.first_response_minutes = None;
        }
        if hidden(Part::Resolution) {
            self.resolution_minutes = None;
        }
        if hidden(Part::Transfers) {
            self.transfers = None;
        }
        self
    }

    /// True when nothing may be shown for the group.
    pub fn is_suppressed(&self) -> bool {
        self.responses.is_none()
    }
}

fn csat(tally: &Tally, rules: &Rules) -> Option<Csat> {
    let h = &tally.csat;
    let m = h.moments();
    if m.n < rules.min_group {
        return None;
    }
    let [lo, hi] = rules.csat_scale;
    let [s_lo, s_hi] = rules.csat_satisfied;
    let satisfied = h.count_in(s_lo..=s_hi);
    let ci = stats::wilson(satisfied, m.n, rules.z)?;
    Some(Csat {
        n: m.n,
        satisfied,
        percent: 100.0 * satisfied as f64 / m.n as f64,
        ci: ci.map(|x| 100.0 * x),
        mean: m.mean,
        mean_ci: stats::mean_interval(m.n, m.mean, m.variance, rules.confidence).map(|ci| within(ci, rules.csat_scale)),
        distribution: (lo..=hi).map(|s| h.count(s)).collect(),
        low_sample: m.n < rules.min_n,
    })
}

/// NPS answers from 9 to 10 are promoters, from 0 to 6 detractors; 7 and 8 are passives.
pub const NPS_PROMOTERS: std::ops::RangeInclusive<u8> = 9..=10;
pub const NPS_DETRACTORS: std::ops::RangeInclusive<u8> = 0..=6;

fn nps(tally: &Tally, rules: &Rules) -> Option<Nps> {
    let h = &tally.nps;
    let n = h.n();
    if n < rules.min_group {
        return None;
    }
    let counts = NpsCounts { promoters: h.count_in(NPS_PROMOTERS), detractors: h.count_in(NPS_DETRACTORS), n };
    Some(Nps {
        n,
        promoters: counts.promoters,
        passives: h.count_in(7..=8),
        detractors: counts.detractors,
        score: counts.score(),
        ci: stats::nps_interval(counts.promoters, counts.detractors, n, rules.z)?,
        distribution: (0..=10).map(|s| h.count(s)).collect(),
        low_sample: n < rules.min_n,
    })
}

fn ces(tally: &Tally, rules: &Rules) -> Option<Ces> {
    let h = &tally.ces;
    let m = h.moments();
    if m.n < rules.min_group {
        return None;
    }
    let [lo, hi] = rules.ces_scale;
    let [e_lo, e_hi] = rules.ces_easy;
    let easy = h.count_in(e_lo..=e_hi);
    Some(Ces {
        n: m.n,
        mean: m.mean,
        ci: stats::mean_interval(m.n, m.mean, m.variance, rules.confidence).map(|ci| within(ci, rules.ces_scale)),
        sd: (m.n > 1).then(|| m.variance.sqrt()),
        easy,
        easy_percent: 100.0 * easy as f64 / m.n as f64,
        easy_ci: stats::wilson(easy, m.n, rules.z)?.map(|x| 100.0 * x),
        distribution: (lo..=hi).map(|s| h.count(s)).collect(),
        low_sample: m.n < rules.min_n,
    })
}

fn duration(sketch: &Sketch, rules: &Rules) -> Option<Duration> {
    let n = sketch.n();
    if n < rules.min_group {
        return None;
    }
    let median = sketch.quantile(0.5, rules.confidence)?;
    let p90 = sketch.quantile(0.9, rules.confidence)?;
    Some(Duration {
        n,
        median: median.value,
        median_ci: median.ci,
        p90: p90.value,
        p90_ci: p90.ci,
        low_sample: n < rules.min_n,
    })
}

fn transfers(tally: &Tally, rules: &Rules) -> Option<Transfers> {
    let m = tally.transfers.moments();
    if m.n < rules.min_group {
        return None;
    }
    Some(Transfers {
        n: m.n,
        mean: m.mean,
        ci: stats::mean_interval(m.n, m.mean, m.variance, rules.confidence).map(|[lo, hi]| [lo.max(0.0), hi]),
        low_sample: m.n < rules.min_n,
    })
}

/// An interval cut to the scale: a mean can never leave it, whatever the t interval says.
fn within([lo, hi]: [f64; 2], [min, max]: [u8; 2]) -> [f64; 2] {
    [lo.max(f64::from(min)), hi.min(f64::from(max))]
}

/// The change of each headline figure from one group (before) to another (after).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csat: Option<Difference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nps: Option<Difference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ces: Option<Difference>,
}

/// A tested difference (after minus before) in the figure's own units.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Difference {
    pub delta: f64,
    pub p_value: f64,
    /// p < 1 − confidence and both sides have n ≥ min_n (and the later period has ended).
    pub significant: bool,
}

impl Difference {
    /// The verdict on `test` of a figure with `n1` answers before and `n2` after, its delta
    /// times `scale` (100 for proportions shown in percent). Significant only by SPEC §4:
    /// p < 1 − confidence and both n ≥ `min_n`; never when `claim` is false (a partial period).
    pub fn tested(test: stats::Test, (n1, n2): (u64, u64), scale: f64, rules: &Rules, claim: bool) -> Difference {
        Difference {
            delta: test.delta * scale,
            p_value: test.p_value,
            significant: claim && test.p_value < 1.0 - rules.confidence && n1 >= rules.min_n && n2 >= rules.min_n,
        }
    }
}

impl Change {
    /// Tests `after` against `before`; only published figures are compared.
    /// `claim` is false when no significance may be claimed at all (a partial period).
    pub fn between(b: &Figures, a: &Figures, rules: &Rules, claim: bool) -> Change {
        let verdict =
            |test: stats::Test, n1: u64, n2: u64, scale: f64| Difference::tested(test, (n1, n2), scale, rules, claim);
        let csat = b.csat.as_ref().zip(a.csat.as_ref()).and_then(|(x, y)| {
            stats::two_proportion(x.satisfied, x.n, y.satisfied, y.n).map(|t| verdict(t, x.n, y.n, 100.0))
        });
        let nps = b.nps.as_ref().zip(a.nps.as_ref()).and_then(|(x, y)| {
            let counts = |f: &Nps| NpsCounts { promoters: f.promoters, detractors: f.detractors, n: f.n };
            stats::nps_difference(counts(x), counts(y)).map(|t| verdict(t, x.n, y.n, 1.0))
        });
        let ces = b.ces.as_ref().zip(a.ces.as_ref()).and_then(|(x, y)| {
            let moments = |c: &Ces| Moments { n: c.n, mean: c.mean, variance: c.sd.map_or(f64::NAN, |sd| sd * sd) };
            stats::welch(moments(x), moments(y)).map(|t| verdict(t, x.n, y.n, 1.0))
        });
        Change { csat, nps, ces }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Scores;
    use crate::metrics::Observation;

    fn rules() -> Rules {
        Rules {
            csat_scale: [1, 5],
            csat_satisfied: [4, 5],
            ces_scale: [1, 7],
            ces_easy: [5, 7],
            confidence: 0.95,
            z: stats::z_critical(0.95),
            min_n: 30,
            min_group: 5,
        }
    }

    fn tally(csat: &[u8], nps: &[u8]) -> Tally {
        let mut t = Tally::default();
        for i in 0..csat.len().max(nps.len()) {
            let scores = Scores { csat: csat.get(i).copied(), nps: nps.get(i).copied(), ces: None };
            t.add(&Observation { scores, ..Observation::default() });
        }
        t
    }

    #[test]
    fn csat_is_the_share_in_the_satisfied_range() {
        // 5 of 6 answers are 4 or 5 (hand count), so CSAT = 5/6 = 83.3 %.
        let t = tally(&[5, 4, 4, 2, 5, 5], &[]);
        let f = Figures::of(&t, &rules());
        let c = f.csat.unwrap();
        assert_eq!((c.n, c.satisfied), (6, 5));
        assert!((c.percent - 500.0 / 6.0).abs() < 1e-12);
        assert_eq!(c.distribution, vec![0, 1, 0, 2, 3]);
        assert!(c.low_sample);
    }

    #[test]
    fn nps_counts_promoters_passives_and_detractors() {
        // Promoters 9–10: 3; passives 7–8: 2; detractors 0–6: 1 -> NPS = (3 − 1) / 6 × 100.
        let t = tally(&[], &[10, 9, 9, 8, 7, 6]);
        let n = Figures::of(&t, &rules()).nps.unwrap();
        assert_eq!((n.promoters, n.passives, n.detractors), (3, 2, 1));
        assert!((n.score - 100.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn mean_intervals_stay_on_the_scale() {
        // 1, 1, 5, 5, 5 on a 1–5 scale: mean 3.4, s = 2.19, t(4) = 2.776 -> 3.4 ± 2.72 would run past 5 and below 1.
        let f = Figures::of(&tally(&[1, 1, 5, 5, 5], &[]), &rules());
        let [lo, hi] = f.csat.unwrap().mean_ci.unwrap();
        assert_eq!((lo, hi), (1.0, 5.0));
    }

    #[test]
    fn small_groups_are_absent_not_zero() {
        let t = tally(&[5, 5, 5, 5], &[]);
        let f = Figures::of(&t, &rules());
        assert!(f.is_suppressed());
        assert_eq!(f.csat, None);
        let json = serde_json::to_string(&f).unwrap();
        assert_eq!(json, "{}");
    }

    #[test]
    fn a_metric_answered_by_too_few_is_suppressed_alone() {
        let t = tally(&[5, 5, 5, 5, 4, 4], &[9, 9]);
        let f = Figures::of(&t, &rules());
        assert!(f.csat.is_some());
        assert!(f.nps.is_none());
    }

    #[test]
    fn no_significance_below_min_n_or_in_partial_periods() {
        // 40 of 40 satisfied vs 0 of 40: a huge, certain difference.
        let before = tally(&[1; 40], &[]);
        let after = tally(&[5; 40], &[]);
        let change = |b: &Tally, a: &Tally, claim| {
            Change::between(&Figures::of(b, &rules()), &Figures::of(a, &rules()), &rules(), claim).csat.unwrap()
        };
        let c = change(&before, &after, true);
        assert!((c.delta - 100.0).abs() < 1e-9);
        assert!(c.significant);
        let partial = change(&before, &after, false);
        assert!(!partial.significant);
        let small = change(&tally(&[1; 10], &[]), &tally(&[5; 10], &[]), true);
        assert!(small.p_value < 0.001);
        assert!(!small.significant, "n = 10 is below min_n = 30");
    }
}
