//! Pages about one group of responses: a segment (one value of a dimension)
//! against everyone else, and an event's before and after.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use super::pages::{event_slugs, window};
use super::views::{Cells, ChangeView, Ctx, Link, SegmentTable, Tile, humanize};
use crate::charts::Figure;
use crate::config::{MetricName, PeriodKind};
use crate::metrics::{Change, Figures, Grain, Period, Segment};

/// A group's figures set against the rest of the responses.
#[derive(Debug, Serialize)]
pub struct VersusRest {
    /// The group's figures, each tested against everyone else's.
    pub tiles: Vec<Tile>,
    /// Everyone's figures, for reference.
    pub overall: Vec<Tile>,
    pub trend: Option<Figure>,
    pub composition: Option<Figure>,
    pub distribution: Option<Figure>,
    /// "All responses, 1 October 2025 – 31 October 2026".
    pub scope: String,
    /// The figures in sentences: against everyone else, over time, and the mix of a dimension.
    pub takeaways: Vec<String>,
}

/// All-time figures of `segment` against everyone else's, with its monthly trend beside everyone's.
pub fn versus_rest(ctx: &Ctx, segment: Segment) -> VersusRest {
    let (figures, rest, change) = against_rest(ctx, Grain::All, segment, true);
    let months = months(ctx);
    let has_data = ctx.metrics.tally(Grain::All, segment).responses > 0;
    let mut takeaways = Vec::new();
    for metric in [MetricName::Csat, MetricName::Nps] {
        takeaways.extend(versus_takeaway(ctx, metric, &figures, &rest, &change));
    }
    takeaways.extend(trend_takeaway(ctx, &ctx.points(&months, segment, MetricName::Csat)));
    VersusRest {
        tiles: ctx.tiles(Grain::All, segment, Some((&change, ctx.t("versus_everyone_else")))),
        overall: ctx.tiles(Grain::All, Segment::All, None),
        trend: has_data
            .then(|| ctx.csat_trend("trend", &months, segment, Some((ctx.t("all_customers"), Segment::All)))),
        composition: if has_data {
            ctx.nps_composition("nps", &months[months.len().saturating_sub(6)..], segment)
        } else {
            None
        },
        distribution: ctx.csat_distribution("distribution", &figures),
        scope: ctx.data_range(),
        takeaways,
    }
}

/// A group's figures in `grain`, everyone else's scores (CSAT, NPS, CES: what is compared), and the
/// group's difference from them (tested when `claim`).
pub fn against_rest(ctx: &Ctx, grain: Grain, segment: Segment, claim: bool) -> (Arc<Figures>, Figures, Change) {
    let mine = ctx.metrics.tally(grain, segment);
    // The group is part of "all", so it is compared with everyone else: two independent groups.
    // Whatever is withheld for the group is withheld for the rest too, or subtraction would reveal it.
    let rest = ctx.metrics.tally(grain, Segment::All).scores_without(mine).expect("a group is part of everyone");
    let rules = &ctx.metrics.rules;
    let figures = ctx.metrics.figures(grain, segment);
    let rest = Figures::of(&rest, rules).hide(figures.absent());
    let change = Change::between(&rest, &figures, rules, claim);
    (figures, rest, change)
}

/// "CSAT is 78.0% (n = 120) against 86.1% for everyone else: −8.1 pts, a significant difference (p = 0.003)."
pub fn versus_takeaway(
    ctx: &Ctx,
    metric: MetricName,
    mine: &Figures,
    rest: &Figures,
    change: &Change,
) -> Option<String> {
    let l = ctx.locale;
    let (a, b) = (mine.reading(metric)?, rest.reading(metric)?);
    let (difference, places) = match metric {
        MetricName::Csat => (change.csat?, 1),
        MetricName::Nps => (change.nps?, 0),
        MetricName::Ces => (change.ces?, 2),
        _ => return None,
    };
    let format = |x: f64| if metric == MetricName::Csat { l.percent(x, places) } else { l.decimal(x, places) };
    let view = ctx.change_view(difference, places.max(1), &ctx.t("unit_points"), "");
    let p = ctx.p_text(difference.p_value);
    Some(l.fill(
        if difference.significant { "takeaway_significant" } else { "takeaway_not_significant" },
        &[
            ("metric", &ctx.t(metric.key())),
            ("value", &format(a.value)),
            ("n", &l.count(a.n)),
            ("other", &format(b.value)),
            ("delta", &view.text),
            ("p", &p),
        ],
    ))
}

/// "CSAT went from 72.0% in November 2025 to 85.0% in October 2026.", from the first and last published months.
fn trend_takeaway(ctx: &Ctx, points: &[crate::charts::TrendPoint]) -> Option<String> {
    let l = ctx.locale;
    let mut shown = points.iter().filter(|p| p.value.is_some());
    let (first, last) = (shown.next()?, shown.next_back()?);
    let value = |p: &crate::charts::TrendPoint| l.percent(p.value.expect("shown"), 1);
    Some(l.fill(
        "takeaway_trend",
        &[
            ("metric", &ctx.t("csat")),
            ("first", &value(first)),
            ("first_period", &first.label),
            ("last", &value(last)),
            ("last_period", &last.label),
        ],
    ))
}

/// "Channel: most responses are email (52% against 31% for everyone else)." for the first dimension the
/// case does not filter on. Only values with at least `min_group` of the case's responses are named.
pub fn mix_takeaway(ctx: &Ctx, filter: &indexmap::IndexMap<String, String>) -> Option<String> {
    let inputs = ctx.inputs;
    let matcher: Vec<(usize, Option<u32>)> = filter
        .iter()
        .map(|(name, value)| inputs.dimension(name).map(|d| (d, inputs.value(d, value))))
        .collect::<Option<_>>()?;
    let sizes: Vec<usize> = inputs.dimensions.iter().map(|d| d.values.len()).collect();
    let d = crate::metrics::mix_dimension(&matcher, &sizes)?;
    let values = inputs.dimensions[d].values.len();
    // A value no response has: the case's group is empty.
    let resolved: Vec<(usize, u32)> = matcher.iter().map(|&(m, v)| Some((m, v?))).collect::<Option<_>>()?;
    // Counted with the figures: responses read one by one, and those pre-aggregated tables count.
    let (mine, all) = ctx.metrics.mix(&resolved, d)?;
    let (total_mine, total_all): (u64, u64) = (mine.iter().sum(), all.iter().sum());
    let top = (0..values).max_by_key(|&v| (mine[v], std::cmp::Reverse(v)))?;
    let min_group = ctx.metrics.rules.min_group;
    if mine[top] < min_group || total_all <= total_mine {
        return None;
    }
    let share = |part: u64, whole: u64| ctx.locale.percent(100.0 * part as f64 / whole as f64, 0);
    Some(ctx.locale.fill(
        "takeaway_mix",
        &[
            ("dimension", &humanize(&inputs.dimensions[d].name)),
            ("value", &inputs.dimensions[d].values[top]),
            ("share", &share(mine[top], total_mine)),
            ("other", &share(all[top] - mine[top], total_all - total_mine)),
        ],
    ))
}

/// The last 13 months with data.
fn months(ctx: &Ctx) -> Vec<Period> {
    match ctx.metrics.last_day {
        Some(last) => window(ctx, Period::containing(PeriodKind::Month, last), 13),
        None => Vec::new(),
    }
}

#[derive(Debug, Serialize)]
pub struct SegmentsView {
    pub dimensions: Vec<SegmentTable>,
}

/// Every dimension, with all its published values over all time.
pub fn segments(ctx: &Ctx) -> SegmentsView {
    let mut dimensions = ctx.segment_tables(Grain::All);
    for table in &mut dimensions {
        // Here every value is listed at once: this page is the index.
        let more = std::mem::take(&mut table.more);
        table.rows.extend(more);
    }
    SegmentsView { dimensions }
}

#[derive(Debug, Serialize)]
pub struct SegmentView {
    pub dimension: String,
    pub value: String,
    #[serde(flatten)]
    pub figures: VersusRest,
    pub operations_tiles: Vec<Tile>,
    /// The other published values of the dimension, the largest first, at most [`SIBLINGS`].
    pub siblings: Vec<Link>,
    /// Where all of them are, when there are more.
    pub more_siblings: Option<Link>,
}

/// How many other values of its dimension a segment page links to: the largest. All are on the
/// segments page; a dimension of 1,200 accounts would otherwise put 1,200 links on each of its
/// 1,200 pages (most of the time of such a build went into them).
const SIBLINGS: usize = 24;

pub fn segment(ctx: &Ctx, dimension: u16, value: u32) -> SegmentView {
    let d = &ctx.inputs.dimensions[dimension as usize];
    let segment = Segment::Value { dimension, value };
    let by_size = ctx.by_size.get_or_init(|| {
        let mut all: Vec<_> = ctx
            .segment_pages
            .iter()
            .map(|(&(dimension, v), slug)| {
                let responses = ctx.metrics.tally(Grain::All, Segment::Value { dimension, value: v }).responses;
                (dimension, std::cmp::Reverse(responses), v, slug)
            })
            .collect();
        all.sort_unstable();
        let mut order: BTreeMap<u16, Vec<(u32, &String)>> = BTreeMap::new();
        for (dimension, _, v, slug) in all {
            order.entry(dimension).or_default().push((v, slug));
        }
        order
    });
    let siblings = by_size.get(&dimension).map_or(&[][..], Vec::as_slice);
    let others = || siblings.iter().filter(|&&(v, _)| v != value);
    let count = others().count();
    SegmentView {
        dimension: humanize(&d.name),
        value: d.values[value as usize].clone(),
        figures: versus_rest(ctx, segment),
        operations_tiles: ctx.operations_tiles(Grain::All, segment),
        siblings: others()
            .take(SIBLINGS)
            .map(|&(v, slug)| Link { label: d.values[v as usize].clone(), url: super::pages::segment_path(slug) })
            .collect(),
        more_siblings: (count > SIBLINGS).then(|| Link {
            label: ctx
                .locale
                .fill("all_values", &[("n", &ctx.locale.count(count as u64 + 1)), ("dimension", &humanize(&d.name))]),
            url: format!("segments/index.html#segment-{}", d.name),
        }),
    }
}

#[derive(Debug, Serialize)]
pub struct EventRow {
    pub link: Link,
    pub date: String,
    pub window: String,
    pub before: Cells,
    pub after: Cells,
    /// CSAT after against before.
    pub change: Option<ChangeView>,
}

#[derive(Debug, Serialize)]
pub struct EventsView {
    pub events: Vec<EventRow>,
}

pub fn events(ctx: &Ctx) -> EventsView {
    let slugs = event_slugs(ctx.config);
    let events = ctx
        .config
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let change = ctx.metrics.event_change(i, Segment::All);
            EventRow {
                link: Link { label: e.title.clone(), url: super::pages::event_path(&slugs[i]) },
                date: ctx.locale.date(e.day()),
                window: window_text(ctx, e.window_days),
                before: ctx.cells(&ctx.metrics.figures(Grain::Before(i as u16), Segment::All)),
                after: ctx.cells(&ctx.metrics.figures(Grain::After(i as u16), Segment::All)),
                change: change.csat.map(|d| ctx.change_view(d, 1, &ctx.t("unit_points"), &ctx.t("versus_before"))),
            }
        })
        .collect();
    EventsView { events }
}

fn window_text(ctx: &Ctx, days: u32) -> String {
    ctx.locale.fill("event_window", &[("days", &ctx.locale.count(u64::from(days)))])
}

/// One group's CSAT before and after an event.
#[derive(Debug, Serialize)]
pub struct BeforeAfterRow {
    pub value: String,
    pub url: Option<String>,
    pub before: Cells,
    pub after: Cells,
    pub change: Option<ChangeView>,
}

#[derive(Debug, Serialize)]
pub struct BeforeAfterTable {
    pub label: String,
    pub rows: Vec<BeforeAfterRow>,
    /// Groups too small on either side to show.
    pub suppressed: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct EventView {
    pub title: String,
    pub date: String,
    pub window: String,
    /// Before: the window before the event day; after: the event day and the window after it.
    pub before_dates: String,
    pub after_dates: String,
    /// Set while the after-window is still running: no change is called significant.
    pub running_note: Option<String>,
    /// After, each figure tested against before.
    pub tiles: Vec<Tile>,
    pub before: Vec<Tile>,
    pub trend: Option<Figure>,
    pub tables: Vec<BeforeAfterTable>,
}

pub fn event(ctx: &Ctx, i: usize) -> EventView {
    let l = ctx.locale;
    let e = &ctx.config.events[i];
    let day = e.day();
    let days = i64::from(e.window_days);
    let at = |n: i64| day.checked_add(jiff::Span::new().days(n)).unwrap_or(day);
    let span = |from: i64, to: i64| l.fill("from_to", &[("first", &l.date(at(from))), ("last", &l.date(at(to)))]);
    let running = !ctx.metrics.event_ended(i);
    let change = ctx.metrics.event_change(i, Segment::All);
    let (before, after) = (Grain::Before(i as u16), Grain::After(i as u16));
    // Months from a window before the event to a window after it.
    let (from, to) = (at(-(days + 31)), at(days + 31));
    let months: Vec<Period> =
        ctx.metrics.periods(PeriodKind::Month).into_iter().filter(|p| p.end() >= from && p.start <= to).collect();
    let tables = ctx
        .inputs
        .dimensions
        .iter()
        .enumerate()
        .map(|(d, dimension)| {
            let mut hidden = 0u64;
            let mut rows = Vec::new();
            for (v, value) in dimension.values.iter().enumerate() {
                let segment = Segment::Value { dimension: d as u16, value: v as u32 };
                let (b, a) = (ctx.metrics.figures(before, segment), ctx.metrics.figures(after, segment));
                if b.responses.is_none() && a.responses.is_none() {
                    let seen =
                        ctx.metrics.tally(before, segment).responses + ctx.metrics.tally(after, segment).responses;
                    hidden += u64::from(seen > 0);
                    continue;
                }
                let change = ctx.metrics.event_change(i, segment);
                rows.push(BeforeAfterRow {
                    value: value.clone(),
                    url: ctx.segment_url(d as u16, v as u32),
                    before: ctx.cells(&b),
                    after: ctx.cells(&a),
                    change: change.csat.map(|x| ctx.change_view(x, 1, &ctx.t("unit_points"), &ctx.t("versus_before"))),
                });
            }
            BeforeAfterTable {
                label: humanize(&dimension.name),
                rows,
                suppressed: (hidden > 0).then(|| {
                    l.fill(
                        "groups_suppressed",
                        &[("count", &l.count(hidden)), ("n", &ctx.config.privacy.min_group.to_string())],
                    )
                }),
            }
        })
        .filter(|t| !t.rows.is_empty())
        .collect();
    EventView {
        title: e.title.clone(),
        date: l.date(day),
        window: window_text(ctx, e.window_days),
        before_dates: span(-days, -1),
        after_dates: span(0, days - 1),
        running_note: running.then(|| ctx.t("event_running")),
        tiles: ctx.tiles(after, Segment::All, Some((&change, ctx.t("versus_before")))),
        before: ctx.tiles(before, Segment::All, None),
        trend: (!months.is_empty()).then(|| ctx.csat_trend("trend", &months, Segment::All, None)),
        tables,
    }
}
