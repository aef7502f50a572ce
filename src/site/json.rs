//! `data/metrics.json`: every figure of the site, in the documented schema of SPEC §5.
//!
//! Other tools read this file, so its shape changes only by adding keys.
//! A suppressed figure is absent (never zero); maps are ordered, so the
//! file is byte-identical for the same inputs. The file is indented, but each
//! group of a dimension or bucket is one line: a site with a thousand accounts
//! has hundreds of thousands of groups, and a line per group keeps the file a third
//! of the size, quick to write, and still readable in a diff.

use std::sync::Arc;

use indexmap::IndexMap;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::value::RawValue;

use crate::config::Config;
use crate::content::slugify;
use crate::ingest::{Inputs, InputsSummary};
use crate::metrics::scorecard::Scorecard;
use crate::metrics::{
    Change, Figures, Grain, Metrics, Outreach, RELATIVE_ERROR, RETURNING, Segment, TRANSFER_BUCKETS, TargetResult,
    TopicFigures,
};

#[derive(Serialize)]
struct Document<'a> {
    generator: String,
    /// The rules every figure follows.
    rules: RulesJson,
    inputs: InputsSummary<'a>,
    overall: Arc<Figures>,
    periods: IndexMap<&'static str, Vec<PeriodJson>>,
    segments: IndexMap<String, Vec<Line>>,
    /// Groups by support-operations bucket and customer history.
    buckets: IndexMap<&'static str, Vec<Line>>,
    events: Vec<EventJson>,
    targets: &'a [TargetResult],
    /// What all comments are about, when the site has `[topics]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    comment_topics: Option<TopicFigures>,
    /// The scorecard of the latest complete period: every target and KPI by perspective.
    scorecard: &'a Scorecard,
}

#[derive(Serialize)]
struct RulesJson {
    confidence: f64,
    min_n: u64,
    min_group: u64,
    /// Largest relative error of a median or percentile.
    quantile_relative_error: f64,
    /// Upper edges of the first-response buckets, in minutes.
    first_response_edges: Vec<f64>,
}

#[derive(Serialize)]
struct PeriodJson {
    key: String,
    start: String,
    end: String,
    partial: bool,
    metrics: Arc<Figures>,
    change: Change,
    segments: IndexMap<String, Vec<Line>>,
    buckets: IndexMap<&'static str, Vec<Line>>,
    /// `response_rate`, `response_rates` and `survey_fatigue`, where the site has them.
    #[serde(flatten)]
    outreach: super::outreach::PeriodJson,
    /// What the period's comments are about, with changes against the previous period.
    #[serde(skip_serializing_if = "Option::is_none")]
    comment_topics: Option<TopicFigures>,
}

#[derive(Serialize)]
struct SegmentJson<'a> {
    value: &'a str,
    metrics: &'a Figures,
}

/// A group's `{"value": …, "metrics": {…}}`, already written on one line.
type Line = Box<RawValue>;

/// The group `value` with `metrics`, unless they are suppressed.
fn line(value: &str, metrics: &Figures) -> Option<Line> {
    if metrics.is_suppressed() {
        return None;
    }
    let text = serde_json::to_string(&SegmentJson { value, metrics }).expect("figures serialize to JSON");
    Some(RawValue::from_string(text).expect("serde_json writes valid JSON"))
}

#[derive(Serialize)]
struct EventJson {
    slug: String,
    title: String,
    date: String,
    window_days: u32,
    before: Arc<Figures>,
    after: Arc<Figures>,
    change: Change,
}

pub fn metrics(
    config: &Config,
    inputs: &Inputs,
    metrics: &Metrics,
    outreach: &Outreach,
    scorecard: &Scorecard,
    version: &str,
) -> Vec<u8> {
    let periods = config
        .periods
        .iter()
        .map(|&kind| {
            let list = metrics
                .published(kind)
                .into_par_iter()
                .map(|p| PeriodJson {
                    key: p.key(),
                    start: p.start.to_string(),
                    end: p.end().to_string(),
                    partial: metrics.is_partial(p),
                    metrics: metrics.figures(Grain::Period(p), Segment::All),
                    change: metrics.change(p, Segment::All),
                    segments: segments(inputs, metrics, Grain::Period(p)),
                    buckets: buckets(metrics, Grain::Period(p)),
                    outreach: super::outreach::period_json(outreach, inputs, metrics, p),
                    comment_topics: metrics.period_topics(p),
                })
                .collect();
            (kind.name(), list)
        })
        .collect();
    let events = config
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| EventJson {
            slug: slugify(&e.title),
            title: e.title.clone(),
            date: e.day().to_string(),
            window_days: e.window_days,
            before: metrics.figures(Grain::Before(i as u16), Segment::All),
            after: metrics.figures(Grain::After(i as u16), Segment::All),
            change: metrics.event_change(i, Segment::All),
        })
        .collect();
    let rules = &metrics.rules;
    let document = Document {
        generator: format!("rapport {version}"),
        rules: RulesJson {
            confidence: rules.confidence,
            min_n: rules.min_n,
            min_group: rules.min_group,
            quantile_relative_error: RELATIVE_ERROR,
            first_response_edges: metrics.first_response_edges().to_vec(),
        },
        inputs: inputs.summary(),
        overall: metrics.figures(Grain::All, Segment::All),
        periods,
        segments: segments(inputs, metrics, Grain::All),
        buckets: buckets(metrics, Grain::All),
        events,
        targets: &metrics.targets,
        comment_topics: metrics.topics(Grain::All),
        scorecard,
    };
    let mut bytes = serde_json::to_vec_pretty(&document).expect("figures serialize to JSON");
    bytes.push(b'\n');
    bytes
}

/// Each dimension's published values in `grain`, by name. A withheld group
/// is left out altogether: its name alone can identify a customer.
fn segments(inputs: &Inputs, metrics: &Metrics, grain: Grain) -> IndexMap<String, Vec<Line>> {
    inputs
        .dimensions
        .iter()
        .enumerate()
        .map(|(d, dimension)| {
            let mut values: Vec<(&String, Arc<Figures>)> = dimension
                .values
                .iter()
                .enumerate()
                .map(|(v, value)| {
                    (value, metrics.figures(grain, Segment::Value { dimension: d as u16, value: v as u32 }))
                })
                .collect();
            values.sort_by(|a, b| a.0.cmp(b.0));
            let lines = values.iter().filter_map(|(value, figures)| line(value, figures)).collect();
            (dimension.name.clone(), lines)
        })
        .collect()
}

/// Transfers (0, 1, 2, 3+), first-response buckets (by their upper edge) and
/// the customer's survey count (1st, 2nd–3rd, 4th+, returning), when mapped.
fn buckets(metrics: &Metrics, grain: Grain) -> IndexMap<&'static str, Vec<Line>> {
    let list = |groups: Vec<(String, Segment)>| -> Vec<Line> {
        groups.into_iter().filter_map(|(value, segment)| line(&value, &metrics.figures(grain, segment))).collect()
    };
    let mut out = IndexMap::new();
    if metrics.has_transfers() {
        let groups = TRANSFER_BUCKETS.iter().enumerate().map(|(i, v)| (v.to_string(), Segment::Transfers(i as u8)));
        out.insert("transfers", list(groups.collect()));
    }
    if metrics.has_first_response() {
        let groups = metrics.first_response_buckets().into_iter().map(|(range, segment)| {
            let label = match range {
                [None, Some(hi)] => format!("<{hi}"),
                [Some(lo), Some(hi)] => format!("{lo}-{hi}"),
                [Some(lo), None] => format!(">={lo}"),
                [None, None] => "all".into(),
            };
            (label, segment)
        });
        out.insert("first_response_minutes", list(groups.collect()));
    }
    if metrics.has_customers() {
        let groups = ["1", "2-3", "4+", "returning"]
            .iter()
            .enumerate()
            .map(|(i, v)| (v.to_string(), Segment::Visit(if i == 3 { RETURNING } else { i as u8 })));
        out.insert("survey_count", list(groups.collect()));
    }
    out
}
