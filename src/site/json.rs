//! `data/metrics.json`: every figure of the site, in the documented schema of SPEC §5.
//!
//! Other tools read this file, so its shape changes only by adding keys.
//! A suppressed figure is absent (never zero); maps are ordered, so the
//! file is byte-identical for the same inputs.

use indexmap::IndexMap;
use serde::Serialize;

use crate::config::Config;
use crate::content::slugify;
use crate::ingest::{FileReport, Inputs};
use crate::metrics::{Change, Figures, Grain, Metrics, Segment, TargetResult};

#[derive(Serialize)]
struct Document<'a> {
    generator: String,
    inputs: InputsJson<'a>,
    overall: Figures,
    periods: IndexMap<&'static str, Vec<PeriodJson>>,
    segments: IndexMap<String, Vec<SegmentJson>>,
    events: Vec<EventJson>,
    targets: &'a [TargetResult],
}

#[derive(Serialize)]
struct InputsJson<'a> {
    files: &'a [FileReport],
    rows_read: u64,
    rows_used: u64,
    rows_rejected: u64,
    duplicates: u64,
}

#[derive(Serialize)]
struct PeriodJson {
    key: String,
    start: String,
    end: String,
    partial: bool,
    metrics: Figures,
    change: Change,
}

#[derive(Serialize)]
struct SegmentJson {
    value: String,
    metrics: Figures,
}

#[derive(Serialize)]
struct EventJson {
    slug: String,
    title: String,
    date: String,
    window_days: u32,
    before: Figures,
    after: Figures,
    change: Change,
}

pub fn metrics(config: &Config, inputs: &Inputs, metrics: &Metrics, version: &str) -> Vec<u8> {
    let totals = inputs.totals();
    let periods = config
        .periods
        .iter()
        .map(|&kind| {
            let list = metrics
                .published(kind)
                .into_iter()
                .map(|p| PeriodJson {
                    key: p.key(),
                    start: p.start.to_string(),
                    end: p.end().to_string(),
                    partial: metrics.is_partial(p),
                    metrics: metrics.figures(Grain::Period(p), Segment::All),
                    change: metrics.change(p, Segment::All),
                })
                .collect();
            (kind.name(), list)
        })
        .collect();
    let segments = inputs
        .dimensions
        .iter()
        .enumerate()
        .map(|(d, dimension)| {
            // A group below min_group is left out altogether: its name alone can identify a customer.
            let mut values: Vec<SegmentJson> = dimension
                .values
                .iter()
                .enumerate()
                .map(|(v, value)| SegmentJson {
                    value: value.clone(),
                    metrics: metrics.figures(Grain::All, Segment::Value { dimension: d as u16, value: v as u32 }),
                })
                .filter(|s| !s.metrics.is_suppressed())
                .collect();
            values.sort_by(|a, b| a.value.cmp(&b.value));
            (dimension.name.clone(), values)
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
    let document = Document {
        generator: format!("rapport {version}"),
        inputs: InputsJson {
            files: &inputs.files,
            rows_read: totals.rows_read,
            rows_used: totals.rows_used,
            rows_rejected: totals.rows_rejected,
            duplicates: totals.duplicates,
        },
        overall: metrics.figures(Grain::All, Segment::All),
        periods,
        segments,
        events,
        targets: &metrics.targets,
    };
    let mut bytes = serde_json::to_vec_pretty(&document).expect("figures serialize to JSON");
    bytes.push(b'\n');
    bytes
}
