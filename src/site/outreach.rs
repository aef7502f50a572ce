//! Response rates and survey fatigue on reports, in `metrics.json`, in the
//! report CSVs and on the data-quality page.
//!
//! The figures come from [`Outreach`]; this module only words and places
//! them. A group is shown only where the cube publishes it, and customers
//! are only ever counted, never named.

use indexmap::IndexMap;
use serde::Serialize;

use super::views::{Cell, ChangeView, Ctx, Tile, humanize};
use crate::charts::{self, Figure, Frame, Layout, Scale, TrendPoint};
use crate::config::PeriodKind;
use crate::metrics::{CustomerLoad, Difference, Grain, Outreach, Period, Rate, RateOutcome, Segment};

/// The report's "Response rate" and "Survey fatigue" sections; either may be absent.
#[derive(Debug, Serialize)]
pub struct OutreachView {
    pub rates: Option<RatesView>,
    pub fatigue: Option<FatigueView>,
}

#[derive(Debug, Serialize)]
pub struct RatesView {
    /// The response rate and the surveys sent.
    pub tiles: Vec<Tile>,
    /// Why everyone's rate is missing, when it is.
    pub note: Option<String>,
    pub trend: Option<Figure>,
    /// One table per dimension the sent counts are split by.
    pub groups: Vec<RateTable>,
}

#[derive(Debug, Serialize)]
pub struct RateTable {
    pub dimension: String,
    /// "Response rate by channel".
    pub label: String,
    /// "Channel": the head of the groups' column.
    pub column: String,
    pub rows: Vec<RateRow>,
    pub low_sample: bool,
    /// Why some groups show no rate.
    pub notes: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct RateRow {
    pub value: String,
    pub url: Option<String>,
    pub rate: Option<Cell>,
    pub sent: Option<String>,
    pub responses: Option<String>,
    pub change: Option<ChangeView>,
}

#[derive(Debug, Serialize)]
pub struct FatigueView {
    pub intro: String,
    pub tiles: Vec<Tile>,
    /// The warning when customers answered more than the limit in a month.
    pub callout: Option<String>,
    /// (surveys, customers) for 1, 2, …, max, more than max.
    pub rows: Vec<[String; 2]>,
    pub footnote: Option<String>,
}

/// The sections of the report on `period`; `None` when there is nothing to say.
pub fn report(ctx: &Ctx, period: Period) -> Option<OutreachView> {
    let rates = rates_view(ctx, period);
    let fatigue = fatigue_view(ctx, period);
    (rates.is_some() || fatigue.is_some()).then_some(OutreachView { rates, fatigue })
}

fn outreach<'a>(ctx: &Ctx<'a>) -> &'a Outreach {
    ctx.outreach
}

fn rates_view(ctx: &Ctx, p: Period) -> Option<RatesView> {
    let rates = outreach(ctx).rates.as_ref()?;
    let l = ctx.locale;
    let everyone = rates.outcome(p, Segment::All)?;
    let claim = !ctx.metrics.is_partial(p);
    let against = l.fill("versus", &[("period", &l.period(p.previous()))]);
    let rate = match everyone {
        RateOutcome::Rate(r) => Some(r),
        _ => None,
    };
    let change = rates.change(p, Segment::All, claim);
    let mut tiles = vec![rate_tile(ctx, rate, change, &against)];
    tiles.extend(rate.map(|r| count_tile(ctx, "surveys_sent", l.count(r.sent), ctx.t("surveys_sent_description"))));
    let groups = rates
        .dimensions
        .iter()
        .filter_map(|&d| rate_table(ctx, p, d, claim, &against))
        .filter(|t| !t.rows.is_empty())
        .collect();
    Some(RatesView { tiles, note: why_not(ctx, p, everyone), trend: rate_trend(ctx, p), groups })
}

/// The response-rate tile: value, interval, surveys sent and change against the previous period.
fn rate_tile(ctx: &Ctx, rate: Option<&Rate>, change: Option<Difference>, against: &str) -> Tile {
    let l = ctx.locale;
    Tile {
        key: "response_rate",
        label: ctx.t("response_rate"),
        description: ctx.t("response_rate_description"),
        value: rate.map(|r| l.percent(r.percent, 1)),
        interval: rate.map(|r| ctx.interval_text(r.ci, 1)),
        n: rate.map(|r| l.fill("n_sent", &[("n", &l.count(r.sent))])),
        low_sample: rate.is_some_and(|r| r.low_sample),
        note: rate.is_none().then(|| ctx.t("response_rate_none")),
        change: change.map(|d| ctx.change_view(d, 1, &ctx.t("unit_points"), against)),
        target: None,
    }
}

/// A tile for a count: a census, not an estimate, so it has no interval.
fn count_tile(ctx: &Ctx, key: &'static str, value: String, description: String) -> Tile {
    Tile {
        key,
        label: ctx.t(key),
        description,
        value: Some(value),
        interval: None,
        n: None,
        low_sample: false,
        note: None,
        change: None,
        target: None,
    }
}

/// Why a group has no rate, in words; `None` when it has one.
fn why_not(ctx: &Ctx, p: Period, outcome: &RateOutcome) -> Option<String> {
    let l = ctx.locale;
    match outcome {
        RateOutcome::Rate(_) => None,
        RateOutcome::Uncovered => Some(l.fill("rate_uncovered", &[("period", &l.period(p))])),
        RateOutcome::Unlisted => Some(ctx.t("rate_unlisted")),
        RateOutcome::AboveSent { responses, sent } => {
            Some(l.fill("rate_above_sent", &[("responses", &l.count(*responses)), ("sent", &l.count(*sent))]))
        }
    }
}

fn rate_table(ctx: &Ctx, p: Period, d: usize, claim: bool, against: &str) -> Option<RateTable> {
    let rates = outreach(ctx).rates.as_ref()?;
    let dimension = ctx.inputs.dimensions.get(d)?;
    let l = ctx.locale;
    let mut rows: Vec<(u64, RateRow)> = Vec::new();
    let mut notes = Vec::new();
    for (v, value) in dimension.values.iter().enumerate() {
        let segment = Segment::Value { dimension: d as u16, value: v as u32 };
        // Only published groups have an outcome: a small group is not even named.
        let Some(outcome) = rates.outcome(p, segment) else { continue };
        let responses = ctx.metrics.figures(Grain::Period(p), segment).responses.unwrap_or(0);
        let rate = match outcome {
            RateOutcome::Rate(r) => Some(r),
            other => {
                notes.extend(why_not(ctx, p, other).map(|why| format!("{value}: {why}")));
                None
            }
        };
        rows.push((
            responses,
            RateRow {
                value: value.clone(),
                url: ctx.segment_url(d as u16, v as u32),
                rate: rate.map(|r| Cell {
                    value: l.percent(r.percent, 1),
                    ci: Some(l.interval(r.ci, 1)),
                    low: r.low_sample,
                }),
                sent: rate.map(|r| l.count(r.sent)),
                responses: Some(l.count(responses)),
                change: rates.change(p, segment, claim).map(|c| ctx.change_view(c, 1, &ctx.t("unit_points"), against)),
            },
        ));
    }
    // Largest groups first; ties by name, as in the other group tables.
    rows.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.value.cmp(&b.1.value)));
    let rows: Vec<RateRow> = rows.into_iter().map(|(_, r)| r).collect();
    Some(RateTable {
        dimension: dimension.name.clone(),
        label: l.fill("rate_by", &[("dimension", &humanize(&dimension.name).to_lowercase())]),
        column: humanize(&dimension.name),
        low_sample: rows.iter().any(|r| r.rate.as_ref().is_some_and(|c| c.low)),
        rows,
        notes,
    })
}

/// The rate over the last 12 periods of the report's kind, with a line per group of the
/// first dimension the counts are split by (the five largest).
fn rate_trend(ctx: &Ctx, p: Period) -> Option<Figure> {
    let rates = outreach(ctx).rates.as_ref()?;
    let periods = super::pages::window(ctx, p, 12);
    let points = |segment: Segment| -> Vec<TrendPoint> {
        periods
            .iter()
            .map(|&q| {
                let r = rates.rate(q, segment);
                let partial = ctx.metrics.is_partial(q);
                TrendPoint {
                    short: format!("{}{}", ctx.locale.period_short(q), if partial { "*" } else { "" }),
                    label: ctx.locale.period(q),
                    value: r.map(|r| r.percent),
                    ci: r.map(|r| r.ci),
                    n: r.map(|r| r.sent),
                    events: Vec::new(),
                }
            })
            .collect()
    };
    let everyone = points(Segment::All);
    if everyone.iter().filter(|t| t.value.is_some()).count() < 2 {
        return None;
    }
    let mut groups: Vec<(String, Vec<TrendPoint>)> = Vec::new();
    if let Some(&d) = rates.dimensions.first() {
        let mut sized: Vec<(u64, String, Segment)> = ctx.inputs.dimensions[d]
            .values
            .iter()
            .enumerate()
            .filter_map(|(v, name)| {
                let segment = Segment::Value { dimension: d as u16, value: v as u32 };
                let r = rates.rate(p, segment)?;
                Some((r.responses, name.clone(), segment))
            })
            .collect();
        sized.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        groups = sized.into_iter().take(5).map(|(_, name, segment)| (name, points(segment))).collect();
    }
    let band = ctx.locale.fill("interval_legend", &[("level", &ctx.level())]);
    let title = ctx.t("response_rate_trend");
    let spec = charts::Trend {
        series: &ctx.t("everyone"),
        band: &band,
        scale: Scale::Percent,
        points: &everyone,
        target: None,
        comparison: None,
        groups,
    };
    Some(charts::trend(
        ctx.style,
        ctx.locale,
        Frame { id: "response-rate", title: &title, layout: Layout::Full },
        &spec,
    ))
}

fn fatigue_view(ctx: &Ctx, p: Period) -> Option<FatigueView> {
    let fatigue = outreach(ctx).fatigue.as_ref()?;
    ctx.metrics.figures(Grain::Period(p), Segment::All).responses?;
    let load = fatigue.load(p, ctx.metrics.rules.min_group)?;
    let l = ctx.locale;
    let max = load.max.to_string();
    let min_group = ctx.metrics.rules.min_group.to_string();
    let withheld = || l.fill("fewer_than", &[("n", &min_group)]);
    let count = |c: Option<u64>| c.map_or_else(withheld, |c| l.count(c));
    let intro_key = if p.kind == PeriodKind::Month { "fatigue_intro_month" } else { "fatigue_intro_longer" };
    let rows = load
        .buckets
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let label =
                if i as u32 == load.max { l.fill("surveys_more_than", &[("n", &max)]) } else { (i + 1).to_string() };
            [label, count(c)]
        })
        .collect();
    let above = l.fill("customers_above_limit_description", &[("n", &max)]);
    let tiles = vec![
        count_tile(ctx, "customers_answering", l.count(load.customers), ctx.t("customers_answering_description")),
        count_tile(ctx, "customers_above_limit", count(load.above()), above),
    ];
    Some(FatigueView {
        intro: l.fill(intro_key, &[("n", &max)]),
        tiles,
        callout: callout(ctx, p, &load),
        rows,
        footnote: load.buckets.iter().any(Option::is_none).then(|| l.fill("fatigue_withheld", &[("n", &min_group)])),
    })
}

/// The warning of a report whose customers answered more than the limit in a month.
fn callout(ctx: &Ctx, p: Period, load: &CustomerLoad) -> Option<String> {
    if !load.any_above {
        return None;
    }
    let l = ctx.locale;
    let max = load.max.to_string();
    let period = l.period(p);
    Some(match load.above() {
        Some(n) => l.fill("fatigue_callout", &[("count", &l.count(n)), ("n", &max), ("period", &period)]),
        None => l.fill("fatigue_callout_withheld", &[("n", &max), ("period", &period)]),
    })
}

/// What `metrics.json` says of a period: its response rate, each group's, and the survey fatigue counts.
#[derive(Debug, Default, Serialize)]
pub struct PeriodJson {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_rate: Option<RateJson>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub response_rates: IndexMap<String, Vec<GroupRateJson>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub survey_fatigue: Option<FatigueJson>,
}

#[derive(Debug, Serialize)]
pub struct RateJson {
    #[serde(flatten)]
    pub rate: Rate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<Difference>,
}

#[derive(Debug, Serialize)]
pub struct GroupRateJson {
    pub value: String,
    pub response_rate: RateJson,
}

#[derive(Debug, Serialize)]
pub struct FatigueJson {
    /// `stats.max_surveys_per_customer`: surveys a customer may answer in a calendar month.
    pub max_per_month: u32,
    pub customers: u64,
    /// Customers by the most surveys they answered in one month of the period.
    pub by_busiest_month: Vec<FatigueBucketJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub above_max: Option<u64>,
}

#[derive(Debug, Serialize)]
pub struct FatigueBucketJson {
    /// "1", "2", …, then ">3" for more than the limit.
    pub surveys: String,
    /// Absent when withheld to protect a small group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customers: Option<u64>,
}

/// The period's outreach figures for `metrics.json`.
pub fn period_json(
    outreach: &Outreach,
    inputs: &crate::ingest::Inputs,
    metrics: &crate::metrics::Metrics,
    p: Period,
) -> PeriodJson {
    let claim = !metrics.is_partial(p);
    let mut json = PeriodJson::default();
    if let Some(rates) = &outreach.rates {
        let with_change = |segment: Segment| {
            rates.rate(p, segment).map(|r| RateJson { rate: r.clone(), change: rates.change(p, segment, claim) })
        };
        json.response_rate = with_change(Segment::All);
        for &d in &rates.dimensions {
            let dimension = &inputs.dimensions[d];
            let mut groups: Vec<GroupRateJson> = dimension
                .values
                .iter()
                .enumerate()
                .filter_map(|(v, value)| {
                    let rate = with_change(Segment::Value { dimension: d as u16, value: v as u32 })?;
                    Some(GroupRateJson { value: value.clone(), response_rate: rate })
                })
                .collect();
            groups.sort_by(|a, b| a.value.cmp(&b.value));
            if !groups.is_empty() {
                json.response_rates.insert(dimension.name.clone(), groups);
            }
        }
    }
    let published = metrics.figures(Grain::Period(p), Segment::All).responses.is_some();
    if let Some(load) = outreach.fatigue.as_ref().filter(|_| published).and_then(|f| f.load(p, metrics.rules.min_group))
    {
        json.survey_fatigue = Some(FatigueJson {
            max_per_month: load.max,
            customers: load.customers,
            by_busiest_month: load
                .buckets
                .iter()
                .enumerate()
                .map(|(i, &customers)| FatigueBucketJson { surveys: bucket_label(i, load.max), customers })
                .collect(),
            above_max: load.above(),
        });
    }
    json
}

/// "1", "2", …, ">3": the fatigue buckets as data files name them.
fn bucket_label(i: usize, max: u32) -> String {
    if i as u32 == max { format!(">{max}") } else { (i + 1).to_string() }
}

/// The rows of `data/<key>.csv` for the period's outreach figures (same columns as the others).
pub fn csv_rows(ctx: &Ctx, p: Period) -> Vec<Vec<String>> {
    let json = period_json(ctx.outreach, ctx.inputs, ctx.metrics, p);
    let key = p.key();
    let num = |x: f64| x.to_string();
    let mut rows = Vec::new();
    let mut rate_rows = |group: &str, value: &str, r: &RateJson| {
        let tested = match r.change {
            Some(d) => [num(d.delta), num(d.p_value), d.significant.to_string()],
            None => Default::default(),
        };
        let [change, p_value, significant] = tested;
        let row = |metric: &str, estimate: String, ci: [String; 2], test: [String; 3]| {
            let [ci_low, ci_high] = ci;
            let [a, b, c] = test;
            vec![
                key.clone(),
                group.into(),
                value.into(),
                metric.into(),
                r.rate.sent.to_string(),
                estimate,
                ci_low,
                ci_high,
                a,
                b,
                c,
            ]
        };
        rows.push(row("response_rate", num(r.rate.percent), r.rate.ci.map(num), [change, p_value, significant]));
        rows.push(row("surveys_sent", r.rate.sent.to_string(), Default::default(), Default::default()));
    };
    if let Some(r) = &json.response_rate {
        rate_rows("all", "", r);
    }
    for (dimension, groups) in &json.response_rates {
        for g in groups {
            rate_rows(dimension, &g.value, &g.response_rate);
        }
    }
    if let Some(f) = &json.survey_fatigue {
        let n = f.customers.to_string();
        let row = |value: &str, estimate: u64| {
            let empty = String::new;
            vec![
                key.clone(),
                "survey_fatigue".into(),
                value.into(),
                "customers".into(),
                n.clone(),
                estimate.to_string(),
                empty(),
                empty(),
                empty(),
                empty(),
                empty(),
            ]
        };
        rows.push(row("", f.customers));
        for b in &f.by_busiest_month {
            if let Some(c) = b.customers {
                rows.push(row(&b.surveys, c));
            }
        }
    }
    rows
}

/// The data-quality page's account of the sent files.
#[derive(Debug, Serialize)]
pub struct SentQuality {
    pub files: Vec<SentFileRow>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct SentFileRow {
    pub path: String,
    pub read: String,
    pub used: String,
    pub duplicates: String,
}

pub fn quality(ctx: &Ctx) -> Option<SentQuality> {
    let sent = ctx.outreach.sent.as_ref()?;
    let l = ctx.locale;
    Some(SentQuality {
        files: sent
            .files
            .iter()
            .map(|f| SentFileRow {
                path: f.path.clone(),
                read: l.count(f.rows_read),
                used: l.count(f.rows_used),
                duplicates: l.count(f.duplicates),
            })
            .collect(),
        // Values of the sent files are quoted in warnings: text from outside, redacted like comments.
        warnings: ctx
            .outreach
            .warnings()
            .map(|w| {
                let parts = [Some(w.message.as_str()), w.help.as_deref()];
                let text = parts.into_iter().flatten().collect::<Vec<_>>().join(" — ");
                ctx.comments.redactor().apply(&text).into_owned()
            })
            .collect(),
    })
}

/// The methodology page's paragraphs on response rates and survey fatigue, for the figures the site shows.
pub fn methodology(ctx: &Ctx) -> Vec<String> {
    let l = ctx.locale;
    let mut paragraphs = Vec::new();
    if ctx.outreach.rates.is_some() {
        paragraphs.push(ctx.t("method_response_rates"));
    }
    if let Some(fatigue) = &ctx.outreach.fatigue {
        let (n, min_group) = (fatigue.max.to_string(), ctx.metrics.rules.min_group.to_string());
        paragraphs.push(l.fill("method_fatigue", &[("n", &n), ("min_group", &min_group)]));
    }
    paragraphs
}
