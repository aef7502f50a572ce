//! The balanced scorecard: every target of the site on one page, under the
//! four perspectives of Kaplan and Norton (customer, internal process,
//! financial, learning and growth), each line with its value, target, status
//! and trend.
//!
//! Survey and support-operations figures fill the customer and internal
//! perspectives; they are judged exactly as `[[targets]]` are (met or missed
//! on the figure, *close* when a miss is within its interval), so the
//! scorecard and `rapport check` never disagree on the same period. KPIs from
//! `[[kpis]]` files have no interval: they are met or missed. A figure that is
//! suppressed or unanswered has no data, never a zero.
//!
//! A KPI's value is not additive (a cost per ticket, a headcount), so a
//! period's value is never summed from shorter ones: it is the row for
//! exactly that period, else the latest row ending within it or before it
//! (September's value for the third quarter), shown with the period it is for.

use indexmap::IndexMap;
use serde::Serialize;

use super::{Grain, Metrics, Period, Segment, Standing};
use crate::config::{Better, Config, MetricName, Perspective, Stat};
use crate::ingest::{Kpi, KpiPeriod, KpiValue, Kpis};

/// How long a line's trend is: a year and the same month of the year before.
pub const TREND_PERIODS: usize = 13;

/// A line's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Met,
    /// Missed on the figure, but its interval still reaches the target: the miss may be chance.
    Close,
    Missed,
    /// The figure is suppressed, unanswered, or the KPI has no value yet.
    NoData,
    /// Nothing to judge against.
    NoTarget,
}

impl Verdict {
    /// Judges `value` (with its interval, if it has one) against its bounds.
    pub fn of(value: Option<f64>, ci: Option<[f64; 2]>, min: Option<f64>, max: Option<f64>) -> Verdict {
        if min.is_none() && max.is_none() {
            return Verdict::NoTarget;
        }
        match value.map(|v| Standing::of(v, ci, min, max)) {
            None => Verdict::NoData,
            Some(Standing::Met) => Verdict::Met,
            Some(Standing::Close) => Verdict::Close,
            Some(Standing::Missed) => Verdict::Missed,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scorecard {
    /// The period judged: the latest that has ended; `None` before any has.
    #[serde(serialize_with = "period_key")]
    pub period: Option<Period>,
    /// The four perspectives in order, each possibly empty.
    pub perspectives: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub perspective: Perspective,
    pub lines: Vec<Line>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    #[serde(flatten)]
    pub measure: Measure,
    /// The value judged; absent when there is none to publish.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci: Option<[f64; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n: Option<u64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub low_sample: bool,
    /// The period a KPI's value is for, when it is not the scorecard's own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<KpiPeriod>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    pub status: Verdict,
    /// Oldest first, ending with the value judged.
    pub trend: Vec<Point>,
}

/// What a line measures.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Measure {
    /// A figure computed from the exports, judged by `[[targets]]` entry `target` when it has one.
    Figure {
        metric: MetricName,
        #[serde(skip_serializing_if = "Option::is_none")]
        stat: Option<Stat>,
        #[serde(rename = "where", skip_serializing_if = "IndexMap::is_empty")]
        filter: IndexMap<String, String>,
        #[serde(skip)]
        target: Option<usize>,
    },
    /// KPI `index` of [`Kpis`].
    Kpi {
        name: String,
        better: Better,
        #[serde(skip_serializing_if = "Option::is_none")]
        unit: Option<String>,
        #[serde(skip)]
        index: usize,
    },
}

/// One period of a line's trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    pub period: KpiPeriod,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci: Option<[f64; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n: Option<u64>,
}

fn period_key<S: serde::Serializer>(period: &Option<Period>, s: S) -> Result<S::Ok, S::Error> {
    match period {
        Some(p) => s.serialize_str(&p.key()),
        None => s.serialize_none(),
    }
}

/// The perspective a figure of the exports belongs to.
fn perspective_of(metric: MetricName) -> Perspective {
    if metric.is_operations() { Perspective::Internal } else { Perspective::Customer }
}

/// Figures in the order they are listed: the headline ones first in their perspective.
const FIGURES: [MetricName; 8] = [
    MetricName::Csat,
    MetricName::CsatMean,
    MetricName::Nps,
    MetricName::Ces,
    MetricName::CesEasy,
    MetricName::FirstResponseMinutes,
    MetricName::ResolutionMinutes,
    MetricName::Transfers,
];

/// The scorecard of `period`: its figures and `[[targets]]`, and the KPIs.
pub fn compute(config: &Config, metrics: &Metrics, kpis: &Kpis, period: Option<Period>) -> Scorecard {
    let trend: Vec<Period> = match period {
        Some(p) => {
            let mut periods: Vec<Period> = metrics.periods(p.kind).into_iter().filter(|q| *q <= p).collect();
            periods.drain(..periods.len().saturating_sub(TREND_PERIODS));
            periods
        }
        None => Vec::new(),
    };
    let mut perspectives: Vec<Section> =
        Perspective::ALL.iter().map(|&perspective| Section { perspective, lines: Vec::new() }).collect();
    let section = |p: Perspective| Perspective::ALL.iter().position(|q| *q == p).expect("every perspective is listed");
    for metric in FIGURES {
        let lines = &mut perspectives[section(perspective_of(metric))].lines;
        let targets: Vec<usize> = (0..config.targets.len()).filter(|&i| config.targets[i].metric == metric).collect();
        let headline = targets.iter().copied().find(|&i| {
            config.targets[i].filter.is_empty() && config.targets[i].stat.unwrap_or_default() == Stat::Median
        });
        // The figure for everyone first (judged by its target, if it has one), then the other targets on it.
        if headline.is_some() || shown(metrics, metric) {
            lines.push(figure_line(config, metrics, period, &trend, metric, headline));
        }
        let others = targets.into_iter().filter(|&i| Some(i) != headline);
        lines.extend(others.map(|i| figure_line(config, metrics, period, &trend, metric, Some(i))));
    }
    for (index, kpi) in kpis.kpis.iter().enumerate() {
        perspectives[section(kpi.indicator.perspective)].lines.push(kpi_line(kpi, index, period));
    }
    Scorecard { period, perspectives }
}

/// Whether the site has `metric` at all: a question someone answered, a measure an export maps.
fn shown(metrics: &Metrics, metric: MetricName) -> bool {
    let everyone = metrics.tally(Grain::All, Segment::All);
    match metric {
        MetricName::Csat => everyone.csat.n() > 0,
        MetricName::Nps => everyone.nps.n() > 0,
        MetricName::Ces => everyone.ces.n() > 0,
        MetricName::FirstResponseMinutes => metrics.has_first_response(),
        MetricName::ResolutionMinutes => metrics.has_resolution(),
        MetricName::Transfers => metrics.has_transfers(),
        // Shown only with a target: the headline figures already cover them.
        MetricName::CsatMean | MetricName::CesEasy => false,
    }
}

/// A figure of the exports, for everyone or for `[[targets]]` entry `target` (its group, statistic and bounds).
fn figure_line(
    config: &Config,
    metrics: &Metrics,
    period: Option<Period>,
    trend: &[Period],
    metric: MetricName,
    target: Option<usize>,
) -> Line {
    let entry = target.map(|i| &config.targets[i]);
    let stat = entry.and_then(|t| t.stat);
    let segment = target.map_or(Segment::All, |i| metrics.target_segment(i));
    let reading = |p: Period| metrics.figures(Grain::Period(p), segment).reading_at(metric, stat.unwrap_or_default());
    let now = period.and_then(reading);
    let (min, max) = entry.map_or((None, None), |t| (t.min, t.max));
    Line {
        measure: Measure::Figure { metric, stat, filter: entry.map(|t| t.filter.clone()).unwrap_or_default(), target },
        value: now.map(|r| r.value),
        ci: now.and_then(|r| r.ci),
        n: now.map(|r| r.n),
        low_sample: now.is_some_and(|r| r.low_sample),
        as_of: None,
        min,
        max,
        status: Verdict::of(now.map(|r| r.value), now.and_then(|r| r.ci), min, max),
        trend: trend
            .iter()
            .map(|&p| {
                let r = reading(p);
                Point {
                    period: KpiPeriod::Period(p),
                    value: r.map(|r| r.value),
                    ci: r.and_then(|r| r.ci),
                    n: r.map(|r| r.n),
                }
            })
            .collect(),
    }
}

/// The value of a KPI for `period`: the row for exactly that period, else the latest
/// row with a value that ends within the period or before it. Never a sum.
pub fn kpi_value(kpi: &Kpi, period: Period) -> Option<&KpiValue> {
    let known = || kpi.values.iter().filter(|v| v.value.is_some() && v.period.end() <= period.end());
    // Values are sorted by (end, start): the last is the latest, and of two ending together the shorter.
    known().find(|v| v.period == KpiPeriod::Period(period)).or_else(|| known().next_back())
}

fn kpi_line(kpi: &Kpi, index: usize, period: Option<Period>) -> Line {
    let row = period.and_then(|p| kpi_value(kpi, p));
    // The value's own target; without a value, the one set ahead for the period; else the standing one.
    let ahead = || period.and_then(|p| kpi.values.iter().find(|v| v.period == KpiPeriod::Period(p))?.target);
    let target = match row {
        Some(r) => r.target,
        None => ahead(),
    }
    .or(kpi.indicator.target);
    let (min, max) = match kpi.indicator.better {
        Better::Higher => (target, None),
        Better::Lower => (None, target),
    };
    let value = row.and_then(|r| r.value);
    // The KPI's own series up to the period: its values, not the site's periods.
    let trend: Vec<Point> = match period {
        Some(p) => {
            let mut points: Vec<Point> = kpi
                .values
                .iter()
                .filter(|v| v.value.is_some() && v.period.end() <= p.end())
                .map(|v| Point { period: v.period, value: v.value, ci: None, n: None })
                .collect();
            points.drain(..points.len().saturating_sub(TREND_PERIODS));
            points
        }
        None => Vec::new(),
    };
    Line {
        measure: Measure::Kpi {
            name: kpi.name.clone(),
            better: kpi.indicator.better,
            unit: kpi.indicator.unit.clone(),
            index,
        },
        value,
        ci: None,
        n: None,
        low_sample: false,
        as_of: row.map(|r| r.period).filter(|p| Some(*p) != period.map(KpiPeriod::Period)),
        min,
        max,
        // A declared KPI without a value lacks data, whether or not it has a target yet.
        status: if value.is_some() { Verdict::of(value, None, min, max) } else { Verdict::NoData },
        trend,
    }
}

#[cfg(test)]
mod tests;
