//! `[[targets]]`: is a figure within its bounds in the latest complete period?
//!
//! Targets are judged on the latest period (of the shortest kind the site
//! publishes) that has ended and has responses, so a half-finished month
//! never fails a build. A target whose figure is suppressed or has no
//! answers is neither met nor missed: it has no data, and says so.

use indexmap::IndexMap;
use serde::Serialize;

use super::{Figures, Grain, Metrics, Period};
use crate::config::{Config, MetricName, Stat};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    Missed,
    NoData,
}

/// How a published figure stands against a target's bounds. Met or missed is
/// decided on the figure itself, as `rapport check` decides; a miss whose
/// interval still reaches the bound is *close*: the data cannot tell it from
/// chance. A figure without an interval (a KPI) is never close.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    Met,
    Close,
    Missed,
}

impl Standing {
    pub fn of(value: f64, ci: Option<[f64; 2]>, min: Option<f64>, max: Option<f64>) -> Standing {
        let below = min.filter(|&m| value < m);
        let above = max.filter(|&m| value > m);
        match (below, above) {
            (None, None) => Standing::Met,
            (Some(m), _) if ci.is_some_and(|[_, hi]| hi >= m) => Standing::Close,
            (_, Some(m)) if ci.is_some_and(|[lo, _]| lo <= m) => Standing::Close,
            _ => Standing::Missed,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetResult {
    pub metric: MetricName,
    /// For durations: the median or the 90th percentile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stat: Option<Stat>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(rename = "where", skip_serializing_if = "IndexMap::is_empty")]
    pub filter: IndexMap<String, String>,
    /// The period judged (its key), if any period has ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n: Option<u64>,
    /// The value's interval at `stats.confidence`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci: Option<[f64; 2]>,
    pub status: Status,
}

/// One published figure in its own units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    pub value: f64,
    pub ci: Option<[f64; 2]>,
    pub n: u64,
    /// n is below `stats.min_n`.
    pub low_sample: bool,
}

impl Figures {
    /// The figure of `metric` (the median of a duration), when published.
    pub fn reading(&self, metric: MetricName) -> Option<Reading> {
        self.reading_at(metric, Stat::Median)
    }

    /// The figure of `metric`, with `stat` choosing a duration's median or 90th percentile.
    /// A duration's interval is given only when both its bounds are.
    pub fn reading_at(&self, metric: MetricName, stat: Stat) -> Option<Reading> {
        let r = |value, ci, n, low_sample| Reading { value, ci, n, low_sample };
        let duration = |d: &super::Duration| {
            let (value, [lo, hi]) = match stat {
                Stat::Median => (d.median, d.median_ci),
                Stat::P90 => (d.p90, d.p90_ci),
            };
            r(value, lo.zip(hi).map(|(lo, hi)| [lo, hi]), d.n, d.low_sample)
        };
        match metric {
            MetricName::Csat => self.csat.as_ref().map(|c| r(c.percent, Some(c.ci), c.n, c.low_sample)),
            MetricName::CsatMean => self.csat.as_ref().map(|c| r(c.mean, c.mean_ci, c.n, c.low_sample)),
            MetricName::Nps => self.nps.as_ref().map(|c| r(c.score, Some(c.ci), c.n, c.low_sample)),
            MetricName::Ces => self.ces.as_ref().map(|c| r(c.mean, c.ci, c.n, c.low_sample)),
            MetricName::CesEasy => self.ces.as_ref().map(|c| r(c.easy_percent, Some(c.easy_ci), c.n, c.low_sample)),
            MetricName::FirstResponseMinutes => self.first_response_minutes.as_ref().map(duration),
            MetricName::ResolutionMinutes => self.resolution_minutes.as_ref().map(duration),
            MetricName::Transfers => self.transfers.as_ref().map(|t| r(t.mean, t.ci, t.n, t.low_sample)),
        }
    }
}

pub(super) fn evaluate(config: &Config, metrics: &Metrics) -> Vec<TargetResult> {
    let kind = config.periods.iter().copied().min().expect("validated: at least one period");
    judge(config, metrics, metrics.latest_complete(kind))
}

impl Metrics {
    /// Every target judged on `period` rather than on the latest complete one: a report's own.
    pub fn targets_in(&self, config: &Config, period: Period) -> Vec<TargetResult> {
        judge(config, self, Some(period))
    }
}

fn judge(config: &Config, metrics: &Metrics, period: Option<Period>) -> Vec<TargetResult> {
    config
        .targets
        .iter()
        .enumerate()
        .map(|(i, target)| {
            let stat = target.stat.unwrap_or_default();
            let measured = period.and_then(|p| {
                metrics.figures(Grain::Period(p), metrics.target_segment(i)).reading_at(target.metric, stat)
            });
            let status = match measured.map(|r| Standing::of(r.value, None, target.min, target.max)) {
                None => Status::NoData,
                Some(Standing::Met) => Status::Met,
                Some(_) => Status::Missed,
            };
            TargetResult {
                metric: target.metric,
                stat: target.stat,
                min: target.min,
                max: target.max,
                filter: target.filter.clone(),
                period: period.map(|p| p.key()),
                value: measured.map(|m| m.value),
                n: measured.map(|m| m.n),
                ci: measured.and_then(|m| m.ci),
                status,
            }
        })
        .collect()
}
