//! Bars: a score distribution, NPS composition as 100 % stacks, and a figure per group.

use charts_rs::{BarChart, HorizontalBarChart, LegendCategory, Position, Series, SeriesBand};

use super::{
    ChartStyle, Figure, Frame, NARROW, Scale, Table, apply, count_axis, figure, graded, nice_axis, value_axis,
};
use crate::locale::Locale;

/// One bar of a distribution.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub count: u64,
}

/// Responses per score, coloured from bad (lowest) to good (highest).
pub fn distribution(style: &ChartStyle, locale: &Locale, frame: Frame, bars: &[Bar]) -> Figure {
    let Frame { id, title, .. } = frame;
    let total: u64 = bars.iter().map(|b| b.count).sum();
    let draw = |(width, height): (f32, f32)| {
        let mut series: Series =
            (locale.t("col_responses"), bars.iter().map(|b| b.count as f32).collect::<Vec<f32>>()).into();
        series.label_show = true;
        series.colors = Some((0..bars.len()).map(|i| Some(graded(style, i, bars.len()))).collect());
        let mut chart = BarChart::new(vec![series], bars.iter().map(|b| b.label.clone()).collect());
        apply(&mut chart.base, style, width, height);
        chart.legend.show = Some(false);
        chart.radius = Some(2.0);
        let (max, splits) = nice_axis(bars.iter().map(|b| b.count).max().unwrap_or(0) as f64);
        count_axis(&mut chart.y_axis_configs[0], style, max, splits);
        chart.series.label.font.color = style.muted.as_str().into();
        chart.svg()
    };
    let alt = match bars.iter().max_by_key(|b| b.count) {
        Some(top) if total > 0 => locale.fill(
            "alt_distribution",
            &[
                ("title", title),
                ("n", &locale.count(total)),
                ("top", &top.label),
                ("share", &locale.percent(100.0 * top.count as f64 / total as f64, 0)),
            ],
        ),
        _ => locale.t("alt_no_data").to_string(),
    };
    let table = Table {
        head: vec![locale.t("col_score").into(), locale.t("col_responses").into(), locale.t("col_share").into()],
        rows: bars
            .iter()
            .map(|b| {
                let share = if total > 0 { 100.0 * b.count as f64 / total as f64 } else { 0.0 };
                vec![b.label.clone(), locale.count(b.count), locale.percent(share, 1)]
            })
            .collect(),
    };
    figure(locale, id, title, alt, draw(frame.wide()), draw((NARROW.0, NARROW.1 - 20.0)), table)
}

/// One row of an NPS composition: detractors, passives, promoters.
#[derive(Debug, Clone, PartialEq)]
pub struct Composition {
    pub label: String,
    pub detractors: u64,
    pub passives: u64,
    pub promoters: u64,
}

/// Shares of detractors, passives and promoters per row, as 100 % stacked bars.
pub fn composition(style: &ChartStyle, locale: &Locale, frame: Frame, rows: &[Composition]) -> Figure {
    let Frame { id, title, .. } = frame;
    let draw = |width: f32, narrow: bool| {
        // charts-rs draws the first category at the bottom: reverse so rows read top-down.
        let ordered: Vec<&Composition> = rows.iter().rev().collect();
        let part = |name: &str, pick: fn(&Composition) -> u64| {
            let mut s: Series = (name, ordered.iter().map(|r| pick(r) as f32).collect::<Vec<f32>>()).into();
            s.stack = Some("nps".into());
            s.label_show = !narrow;
            s
        };
        let series = vec![
            part(locale.t("detractors"), |r| r.detractors),
            part(locale.t("passives"), |r| r.passives),
            part(locale.t("promoters"), |r| r.promoters),
        ];
        let mut chart = HorizontalBarChart::new(series, ordered.iter().map(|r| r.label.clone()).collect());
        let height = 64.0 + 34.0 * rows.len() as f32;
        apply(&mut chart.base, style, width, height);
        chart.stack_percent = true;
        chart.series.colors =
            vec![style.bad.as_str().into(), style.neutral.as_str().into(), style.good.as_str().into()];
        chart.series_label_position = Some(Position::Inside);
        chart.series.label.formatter = "{c}%".into();
        chart.series.label.font.color = "#ffffff".into();
        chart.series.label.font.size = 11.0;
        chart.legend.category = LegendCategory::Rect;
        chart.margin.right = 24.0;
        chart.svg()
    };
    let share = |part: u64, r: &Composition| {
        let n = r.detractors + r.passives + r.promoters;
        if n == 0 { 0.0 } else { 100.0 * part as f64 / n as f64 }
    };
    let alt = match rows.last() {
        Some(r) => locale.fill(
            "alt_composition",
            &[
                ("title", title),
                ("period", &r.label),
                ("promoters", &locale.percent(share(r.promoters, r), 0)),
                ("passives", &locale.percent(share(r.passives, r), 0)),
                ("detractors", &locale.percent(share(r.detractors, r), 0)),
            ],
        ),
        None => locale.t("alt_no_data").to_string(),
    };
    let table = Table {
        head: vec![
            locale.t("col_period").into(),
            locale.t("promoters").into(),
            locale.t("passives").into(),
            locale.t("detractors").into(),
            locale.t("col_n").into(),
        ],
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.label.clone(),
                    locale.percent(share(r.promoters, r), 1),
                    locale.percent(share(r.passives, r), 1),
                    locale.percent(share(r.detractors, r), 1),
                    locale.count(r.detractors + r.passives + r.promoters),
                ]
            })
            .collect(),
    };
    figure(locale, id, title, alt, draw(frame.wide().0, false), draw(NARROW.0, true), table)
}

/// A figure per group (e.g. CSAT % by number of transfers), with interval whiskers.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupValue {
    pub label: String,
    pub value: Option<f64>,
    pub ci: Option<[f64; 2]>,
    /// Absent when the group is too small to publish.
    pub n: Option<u64>,
}

pub fn groups(
    style: &ChartStyle,
    locale: &Locale,
    frame: Frame,
    column: &str,
    scale: Scale,
    groups: &[GroupValue],
) -> Figure {
    let Frame { id, title, .. } = frame;
    let (min, max) = scale.axis().map_or((0.0, f32::MAX), |(min, max, _)| (min, max));
    let clamp = |x: f64| (x as f32).clamp(min, max);
    let draw = |(width, height): (f32, f32)| {
        let mut series = Series::new_nullable(title.to_string(), groups.iter().map(|g| g.value.map(clamp)).collect());
        series.error_bar = Some(SeriesBand {
            lower: groups.iter().map(|g| g.ci.map(|c| clamp(c[0]))).collect(),
            upper: groups.iter().map(|g| g.ci.map(|c| clamp(c[1]))).collect(),
            stroke_width: Some(1.5),
        });
        let mut chart = BarChart::new(vec![series], groups.iter().map(|g| g.label.clone()).collect());
        apply(&mut chart.base, style, width, height);
        value_axis(&mut chart.y_axis_configs[0], style, scale);
        chart.legend.show = Some(false);
        chart.radius = Some(2.0);
        chart.series.colors = vec![style.colour(0)];
        chart.svg()
    };
    let shown: Vec<&GroupValue> = groups.iter().filter(|g| g.value.is_some()).collect();
    let alt = match (
        shown.iter().max_by(|a, b| a.value.partial_cmp(&b.value).expect("finite")),
        shown.iter().min_by(|a, b| a.value.partial_cmp(&b.value).expect("finite")),
    ) {
        (Some(hi), Some(lo)) => locale.fill(
            "alt_groups",
            &[
                ("title", title),
                ("high", &scale.format(locale, hi.value.expect("shown"))),
                ("high_group", &hi.label),
                ("low", &scale.format(locale, lo.value.expect("shown"))),
                ("low_group", &lo.label),
            ],
        ),
        _ => locale.t("alt_no_data").to_string(),
    };
    let table = Table {
        head: vec![column.into(), title.into(), locale.t("col_interval").into(), locale.t("col_n").into()],
        rows: groups
            .iter()
            .map(|g| {
                vec![
                    g.label.clone(),
                    g.value.map_or_else(|| "—".into(), |v| scale.format(locale, v)),
                    g.ci.map_or_else(|| "—".into(), |c| locale.interval(c, scale.places())),
                    g.n.map_or_else(|| "—".into(), |n| locale.count(n)),
                ]
            })
            .collect(),
    };
    figure(locale, id, title, alt, draw(frame.wide()), draw(NARROW), table)
}
