//! `[[targets]]`: is a figure within its bounds in the latest complete period?
//!
//! Targets are judged on the latest period (of the shortest kind the site
//! publishes) that has ended and has responses, so a half-finished month
//! never fails a build. A target whose figure is suppressed or has no
//! answers is neither met nor missed: it has no data, and says so.

use indexmap::IndexMap;
use serde::Serialize;

use super::{Figures, Grain, Metrics, Period};
use crate::config::{Config, MetricName};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    Missed,
    NoData,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetResult {
    pub metric: MetricName,
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
    /// The figure of `metric`, when published.
    pub fn reading(&self, metric: MetricName) -> Option<Reading> {
        let r = |value, ci, n, low_sample| Reading { value, ci, n, low_sample };
        match metric {
            MetricName::Csat => self.csat.as_ref().map(|c| r(c.percent, Some(c.ci), c.n, c.low_sample)),
            MetricName::CsatMean => self.csat.as_ref().map(|c| r(c.mean, c.mean_ci, c.n, c.low_sample)),
            MetricName::Nps => self.nps.as_ref().map(|c| r(c.score, Some(c.ci), c.n, c.low_sample)),
            MetricName::Ces => self.ces.as_ref().map(|c| r(c.mean, c.ci, c.n, c.low_sample)),
            MetricName::CesEasy => self.ces.as_ref().map(|c| r(c.easy_percent, Some(c.easy_ci), c.n, c.low_sample)),
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
            let measured = period
                .and_then(|p| metrics.figures(Grain::Period(p), metrics.target_segment(i)).reading(target.metric));
            let status = match measured.map(|r| r.value) {
                None => Status::NoData,
                Some(v) if target.min.is_some_and(|m| v < m) || target.max.is_some_and(|m| v > m) => Status::Missed,
                Some(_) => Status::Met,
            };
            TargetResult {
                metric: target.metric,
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
