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
    pub status: Status,
}

/// The value and n of `metric` in a set of figures, when published.
pub fn value_of(figures: &Figures, metric: MetricName) -> Option<(f64, u64)> {
    match metric {
        MetricName::Csat => figures.csat.as_ref().map(|c| (c.percent, c.n)),
        MetricName::CsatMean => figures.csat.as_ref().map(|c| (c.mean, c.n)),
        MetricName::Nps => figures.nps.as_ref().map(|c| (c.score, c.n)),
        MetricName::Ces => figures.ces.as_ref().map(|c| (c.mean, c.n)),
        MetricName::CesEasy => figures.ces.as_ref().map(|c| (c.easy_percent, c.n)),
    }
}

pub(super) fn evaluate(config: &Config, metrics: &Metrics) -> Vec<TargetResult> {
    let kind = config.periods.iter().copied().min().expect("validated: at least one period");
    let period: Option<Period> = metrics.latest_complete(kind);
    config
        .targets
        .iter()
        .enumerate()
        .map(|(i, target)| {
            let measured = period
                .and_then(|p| value_of(&metrics.figures(Grain::Period(p), metrics.target_segment(i)), target.metric));
            let status = match measured {
                None => Status::NoData,
                Some((v, _)) if target.min.is_some_and(|m| v < m) || target.max.is_some_and(|m| v > m) => {
                    Status::Missed
                }
                Some(_) => Status::Met,
            };
            TargetResult {
                metric: target.metric,
                min: target.min,
                max: target.max,
                filter: target.filter.clone(),
                period: period.map(|p| p.key()),
                value: measured.map(|m| m.0),
                n: measured.map(|m| m.1),
                status,
            }
        })
        .collect()
}
