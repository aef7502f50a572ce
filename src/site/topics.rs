//! Comment topics on a report: per topic, the share of the period's comments that
//! mention it, that share among unhappy and happy customers, its change against the
//! previous period and its newest comments; and the same figures as rows of
//! `data/<report>.csv`. The figures themselves are `metrics::TopicFigures`.

use serde::Serialize;

use super::comments::Verbatim;
use super::pages::MethodSection;
use super::views::{Cell, ChangeView, Ctx};
use crate::locale::Locale;
use crate::metrics::{NPS_DETRACTORS, NPS_PROMOTERS, Period, Share, Split, TopicFigure};

#[derive(Debug, Serialize)]
pub struct TopicsView {
    /// What the table shows; absent when the period's topics are not published.
    pub intro: Option<String>,
    /// Why there is no table.
    pub note: Option<String>,
    /// The heads of the columns of the two sides of the split (none without CSAT and NPS).
    pub sides: Vec<SideHead>,
    /// "vs September 2026", when there is a previous period to compare with.
    pub against: Option<String>,
    /// One row per topic, then the comments with no topic.
    pub rows: Vec<TopicRow>,
    /// The newest comments of each topic the period's comments mention; none when comments are not published.
    pub examples: Vec<TopicExamples>,
    /// Footnotes: groups too small to show, low samples.
    pub notes: Vec<String>,
    pub low_sample: bool,
}

#[derive(Debug, Serialize)]
pub struct SideHead {
    /// "Among the not satisfied".
    pub label: String,
    /// "CSAT 1–3".
    pub scores: String,
}

#[derive(Debug, Serialize)]
pub struct TopicRow {
    pub label: String,
    /// The comments with no topic.
    pub untagged: bool,
    /// Comments that mention the topic.
    pub count: String,
    /// Their share of all comments, with its interval.
    pub share: Cell,
    /// The share among each side of the split; absent where that side has too few comments.
    pub among: Vec<Option<Cell>>,
    pub change: Option<ChangeView>,
    /// "p = 0.071".
    pub p: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct TopicExamples {
    pub topic: String,
    pub items: Vec<Verbatim>,
}

/// The topics section of the report of `p`; none when the site has no `[topics]`.
pub fn report(ctx: &Ctx, p: Period) -> Option<TopicsView> {
    if ctx.metrics.topic_names().is_empty() {
        return None;
    }
    let l = ctx.locale;
    let min_group = ctx.config.privacy.min_group.to_string();
    let mut view = TopicsView {
        intro: None,
        note: None,
        sides: Vec::new(),
        against: None,
        rows: Vec::new(),
        examples: Vec::new(),
        notes: Vec::new(),
        low_sample: false,
    };
    let Some(f) = ctx.metrics.period_topics(p) else {
        view.note = Some(l.fill("topics_too_few", &[("n", &min_group), ("period", &l.period(p))]));
        return Some(view);
    };
    view.intro = Some(l.fill("topics_intro", &[("n", &l.count(f.comments)), ("period", &l.period(p))]));
    view.sides = f.split.map_or_else(Vec::new, |split| sides(ctx, split));
    let against = l.fill("versus", &[("period", &l.period(p.previous()))]);
    if f.topics.iter().any(|t| t.change.is_some()) {
        view.against = Some(against.clone());
    }
    let row = |figure: &TopicFigure| TopicRow {
        label: figure.topic.clone().unwrap_or_else(|| ctx.t("topics_untagged")),
        untagged: figure.topic.is_none(),
        count: l.count(figure.share.count),
        share: cell(ctx, &figure.share),
        among: f.split.map_or_else(Vec::new, |split| {
            split.sides().iter().map(|side| figure.among.get(side).map(|s| cell(ctx, s))).collect()
        }),
        change: figure.change.map(|d| ctx.change_view(d, 1, &ctx.t("unit_points"), &against)),
        p: figure.change.map(|d| ctx.p_text(d.p_value)),
    };
    view.rows = f.topics.iter().chain([&f.untagged]).map(row).collect();
    view.examples = f
        .topics
        .iter()
        .filter_map(|t| {
            let items: Vec<Verbatim> = t.examples.iter().filter_map(|q| ctx.comments.quote(q, l)).collect();
            (!items.is_empty()).then(|| TopicExamples { topic: t.topic.clone().unwrap_or_default(), items })
        })
        .collect();
    if f.split.is_some_and(|split| split.sides().iter().any(|side| !f.groups.contains_key(side))) {
        view.notes.push(l.fill("topics_group_hidden", &[("n", &min_group)]));
    }
    view.low_sample =
        f.topics.iter().chain([&f.untagged]).any(|t| t.share.low_sample || t.among.values().any(|s| s.low_sample));
    Some(view)
}

/// How topics are found and tested, for the methodology page of a site with `[topics]`.
pub fn method(ctx: &Ctx) -> Option<MethodSection> {
    (!ctx.config.topics.is_empty()).then(|| MethodSection {
        title: ctx.t("topics"),
        paragraphs: vec![ctx.locale.fill("method_topics", &[("n", &ctx.config.privacy.min_group.to_string())])],
    })
}

fn cell(ctx: &Ctx, s: &Share) -> Cell {
    Cell { value: ctx.locale.percent(s.percent, 1), ci: Some(ctx.locale.interval(s.ci, 1)), low: s.low_sample }
}

/// The heads of the two sides: who they are and which answers put a customer there.
fn sides(ctx: &Ctx, split: Split) -> Vec<SideHead> {
    let c = &ctx.config.metrics.csat;
    let (metric, scores) = match split {
        Split::Csat => {
            let [lo, hi] = c.scale;
            let outside: Vec<u8> = (lo..=hi).filter(|s| !(c.satisfied[0]..=c.satisfied[1]).contains(s)).collect();
            let satisfied: Vec<u8> = (c.satisfied[0]..=c.satisfied[1]).collect();
            ("csat", [runs(ctx.locale, &outside), runs(ctx.locale, &satisfied)])
        }
        Split::Nps => {
            let [detractors, promoters] = [NPS_DETRACTORS, NPS_PROMOTERS].map(|r| r.collect::<Vec<u8>>());
            ("nps", [runs(ctx.locale, &detractors), runs(ctx.locale, &promoters)])
        }
    };
    split
        .sides()
        .iter()
        .zip(scores)
        .map(|(side, scores)| SideHead {
            label: ctx.t(&format!("topics_among_{side}")),
            scores: format!("{} {scores}", ctx.t(metric)),
        })
        .collect()
}

/// Scores as ranges: `[1, 2, 3, 6]` -> "1–3, 6".
fn runs(locale: &Locale, scores: &[u8]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < scores.len() {
        let mut j = i;
        while j + 1 < scores.len() && scores[j + 1] == scores[j] + 1 {
            j += 1;
        }
        parts.push(if j > i { format!("{}–{}", scores[i], scores[j]) } else { scores[i].to_string() });
        i = j + 1;
    }
    locale.list(parts)
}

/// The rows of `data/<report>.csv` for the topics of `p` (after the period key): group `topic` with
/// the topic's name, or `untagged`; metrics `comments` (the count), `comments_percent` (the share of
/// all comments, tested against the previous period) and `<side>_percent` for each side of the split.
pub fn csv_rows(ctx: &Ctx, p: Period) -> Vec<[String; 10]> {
    let Some(f) = ctx.metrics.period_topics(p) else { return Vec::new() };
    let num = |x: f64| x.to_string();
    let mut out = Vec::new();
    for t in f.topics.iter().chain([&f.untagged]) {
        let (group, value) = match &t.topic {
            Some(name) => ("topic", name.as_str()),
            None => ("untagged", ""),
        };
        let mut row = |metric: String, n: u64, estimate: f64, ci: Option<[f64; 2]>, change: [String; 3]| {
            let [lo, hi] = ci.map_or([String::new(), String::new()], |[lo, hi]| [num(lo), num(hi)]);
            let [delta, p_value, significant] = change;
            out.push([
                group.into(),
                value.into(),
                metric,
                n.to_string(),
                num(estimate),
                lo,
                hi,
                delta,
                p_value,
                significant,
            ]);
        };
        let s = &t.share;
        row("comments".into(), s.count, s.count as f64, None, Default::default());
        let change =
            t.change.map_or_else(Default::default, |d| [num(d.delta), num(d.p_value), d.significant.to_string()]);
        row("comments_percent".into(), s.n, s.percent, Some(s.ci), change);
        for (side, share) in &t.among {
            row(format!("{side}_percent"), share.n, share.percent, Some(share.ci), Default::default());
        }
    }
    out
}
