//! A report in brief: what an executive reads in two minutes, beside the headline tiles and the
//! trend every report has. The period's targets, the groups that differ significantly from
//! everyone else, and three comments. Every report carries it (`page.brief`); the bundled
//! `executive` theme shows it, the default's report page has the same ground at length.

use serde::Serialize;

use super::comments::{Tone, Verbatim};
use super::groups::{against_rest, versus_takeaway};
use super::views::{ChangeView, Ctx, TargetView, humanize};
use crate::config::MetricName;
use crate::metrics::{Change, Difference, Figures, Grain, Period, Segment};

/// Groups listed at most, the clearest differences first.
const DIFFERENCES: usize = 4;
/// Comments quoted.
const VERBATIMS: usize = 3;

#[derive(Debug, Serialize)]
pub struct Brief {
    /// Every `[[targets]]` entry judged on this report's period.
    pub targets: Vec<TargetView>,
    /// The groups whose CSAT or NPS differs significantly from everyone else's in the period.
    pub differences: Vec<GroupDifference>,
    /// How many comparisons were significant, of how many, and how many would be by chance alone;
    /// null when nothing could be tested (or the period has not ended).
    pub differences_note: Option<String>,
    /// The newest negative comment of the period, the newest positive, then the next negative.
    pub verbatims: Vec<Verbatim>,
    /// The report's figures as CSV, relative to the site root.
    pub data: String,
}

/// One group against everyone else in the period.
#[derive(Debug, Serialize)]
pub struct GroupDifference {
    /// "Touchpoint".
    pub dimension: String,
    /// "onboarding".
    pub value: String,
    /// The group's page, when it has one.
    pub url: Option<String>,
    /// "CSAT".
    pub metric: String,
    /// The group's figure and everyone else's: "71.2%", "86.0%".
    pub figure: String,
    pub rest: String,
    /// "95% CI 63.0–78.3" and "n = 120" of the group's figure.
    pub interval: Option<String>,
    pub n: String,
    /// The difference (the group minus everyone else), "vs everyone else · p < 0.001".
    pub change: ChangeView,
    /// The difference in a sentence, for readers of the table as text.
    pub sentence: String,
}

pub fn brief(ctx: &Ctx, p: Period) -> Brief {
    let (differences, differences_note) = differences(ctx, p);
    Brief {
        targets: ctx.metrics.targets_in(ctx.config, p).iter().map(|t| ctx.target_view(t)).collect(),
        differences,
        differences_note,
        verbatims: verbatims(ctx, p),
        data: format!("data/{}.csv", p.slug()),
    }
}

/// Each published group of every dimension tested against everyone else in `p`, on CSAT and on NPS.
/// A group is listed once, by its clearer difference; the smallest p-values come first.
fn differences(ctx: &Ctx, p: Period) -> (Vec<GroupDifference>, Option<String>) {
    let grain = Grain::Period(p);
    // No significance is claimed for a period that has not ended, as for its change.
    let claim = !ctx.metrics.is_partial(p);
    let min_n = ctx.metrics.rules.min_n;
    let (mut tested, mut significant) = (0usize, 0usize);
    let mut found: Vec<Found> = Vec::new();
    for (d, dimension) in ctx.inputs.dimensions.iter().enumerate() {
        for v in 0..dimension.values.len() {
            let segment = Segment::Value { dimension: d as u16, value: v as u32 };
            if ctx.metrics.figures(grain, segment).responses.is_none() {
                continue;
            }
            let (mine, rest, change) = against_rest(ctx, grain, segment, claim);
            let mut best: Option<(Difference, MetricName)> = None;
            for (metric, difference) in [(MetricName::Csat, change.csat), (MetricName::Nps, change.nps)] {
                let (Some(difference), Some(a), Some(b)) = (difference, mine.reading(metric), rest.reading(metric))
                else {
                    continue;
                };
                // Only a test that could come out significant counts towards the chance findings.
                if a.n < min_n || b.n < min_n {
                    continue;
                }
                tested += 1;
                significant += usize::from(difference.significant);
                if difference.significant && best.is_none_or(|(b, _)| difference.p_value < b.p_value) {
                    best = Some((difference, metric));
                }
            }
            if let Some((difference, metric)) = best {
                found.push(Found {
                    difference,
                    metric,
                    group: (d as u16, v as u32),
                    figures: [(*mine).clone(), rest],
                    change,
                });
            }
        }
    }
    found.sort_by(|x, y| {
        let (x, y) = (x.difference, y.difference);
        x.p_value.total_cmp(&y.p_value).then(y.delta.abs().total_cmp(&x.delta.abs()))
    });
    found.truncate(DIFFERENCES);
    let rows: Vec<GroupDifference> = found.iter().filter_map(|f| difference_row(ctx, f)).collect();
    let l = ctx.locale;
    let alpha = 1.0 - ctx.metrics.rules.confidence;
    let note = (claim && tested > 0).then(|| {
        l.fill(
            "brief_differences_note",
            &[
                ("significant", &l.count(significant as u64)),
                ("tested", &l.count(tested as u64)),
                ("chance", &l.decimal(tested as f64 * alpha, 1)),
                ("level", &ctx.level()),
            ],
        )
    });
    (rows, note)
}

/// A group's clearest significant difference from everyone else, with what it was tested on.
struct Found {
    difference: Difference,
    metric: MetricName,
    /// (dimension, value).
    group: (u16, u32),
    /// The group's figures and everyone else's.
    figures: [Figures; 2],
    change: Change,
}

fn difference_row(ctx: &Ctx, found: &Found) -> Option<GroupDifference> {
    let Found { difference, metric, group: (d, v), figures: [mine, rest], change } = found;
    let (difference, metric) = (*difference, *metric);
    let l = ctx.locale;
    let (a, b) = (mine.reading(metric)?, rest.reading(metric)?);
    let places = if metric == MetricName::Csat { 1 } else { 0 };
    let format = |x: f64| if metric == MetricName::Csat { l.percent(x, places) } else { l.decimal(x, places) };
    let dimension = &ctx.inputs.dimensions[*d as usize];
    Some(GroupDifference {
        dimension: humanize(&dimension.name),
        value: dimension.values[*v as usize].clone(),
        url: ctx.segment_url(*d, *v),
        metric: ctx.t(metric.key()),
        figure: format(a.value),
        rest: format(b.value),
        interval: a.ci.map(|ci| ctx.interval_text(ci, places)),
        n: l.fill("n_equals", &[("n", &l.count(a.n))]),
        change: ctx.change_view(difference, places.max(1), &ctx.t("unit_points"), &ctx.t("versus_everyone_else")),
        sentence: versus_takeaway(ctx, metric, mine, rest, change)?,
    })
}

/// Negative and positive comments in turn, negative first: what needs fixing leads.
fn verbatims(ctx: &Ctx, p: Period) -> Vec<Verbatim> {
    let mut negative = ctx.comments.of_period(p, Tone::Negative, ctx.locale).into_iter();
    let mut positive = ctx.comments.of_period(p, Tone::Positive, ctx.locale).into_iter();
    let mut picked = Vec::new();
    while picked.len() < VERBATIMS {
        let before = picked.len();
        picked.extend(negative.next());
        if picked.len() < VERBATIMS {
            picked.extend(positive.next());
        }
        if picked.len() == before {
            break;
        }
    }
    picked
}
