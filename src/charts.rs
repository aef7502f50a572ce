//! Figures -> SVG: the one place that decides how rapport's charts look.
//!
//! Charts are drawn by charts-rs, whose defaults are not our looks: every
//! chart here fixes its axis range and splits (so ticks are round and a
//! percentage axis always runs 0–100), takes its colours and font from the
//! theme's stylesheet (see [`ChartStyle::from_css`]), and is drawn twice, at a
//! desktop and at a phone width, so its text stays legible on both. Each
//! [`Figure`] carries its title, a text alternative and its numbers as a
//! table, so the page never depends on the picture alone.
//!
//! Text in charts is laid out with the Roboto metrics bundled in charts-rs,
//! and the default theme serves Roboto, so labels sit where they were measured.

use charts_rs::{
    AxisLabelOverflow, BarChart, ChartBase, Color, HorizontalBarChart, LegendCategory, LineChart, Position, Series,
    SeriesBand, Symbol, YAxisConfig,
};
use serde::Serialize;

use crate::locale::Locale;

/// Colours and font of the charts, from the theme.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartStyle {
    /// Series colours, in order.
    pub palette: Vec<String>,
    pub text: String,
    pub muted: String,
    pub grid: String,
    pub good: String,
    pub neutral: String,
    pub bad: String,
    pub target: String,
    pub font: String,
}

impl Default for ChartStyle {
    fn default() -> Self {
        ChartStyle {
            palette: vec!["#2f5d8a".into(), "#9bb7d4".into(), "#c8553d".into(), "#6a994e".into(), "#8e7dbe".into()],
            text: "#1f2328".into(),
            muted: "#5c6370".into(),
            grid: "#e4e1da".into(),
            good: "#2e7d5b".into(),
            neutral: "#b8b2a7".into(),
            bad: "#c0483b".into(),
            target: "#c8553d".into(),
            font: "Roboto".into(),
        }
    }
}

impl ChartStyle {
    /// Reads the chart colours from the `:root` custom properties of a
    /// stylesheet (`--chart-1`…, `--text`, `--muted`, `--rule`, `--good`,
    /// `--neutral`, `--bad`, `--target`), so pages and charts share one palette.
    /// Properties the stylesheet lacks keep their defaults.
    pub fn from_css(css: &str) -> ChartStyle {
        let mut style = ChartStyle::default();
        let Some(root) = css.find(":root").and_then(|i| css[i..].find('{').map(|j| i + j + 1)) else { return style };
        let block = &css[root..root + css[root..].find('}').unwrap_or(0)];
        let mut palette: Vec<(usize, String)> = Vec::new();
        for declaration in block.split(';') {
            let Some((name, value)) = declaration.split_once(':') else { continue };
            let (name, value) = (name.trim(), value.trim().to_string());
            if !value.starts_with('#') {
                continue;
            }
            match name {
                "--text" => style.text = value,
                "--muted" => style.muted = value,
                "--rule" => style.grid = value,
                "--good" => style.good = value,
                "--neutral" => style.neutral = value,
                "--bad" => style.bad = value,
                "--target" => style.target = value,
                _ => {
                    if let Some(i) = name.strip_prefix("--chart-").and_then(|n| n.parse().ok()) {
                        palette.push((i, value));
                    }
                }
            }
        }
        if !palette.is_empty() {
            palette.sort();
            style.palette = palette.into_iter().map(|(_, c)| c).collect();
        }
        style
    }

    fn colour(&self, i: usize) -> Color {
        self.palette[i % self.palette.len()].as_str().into()
    }
}

/// A chart with everything needed to read it without seeing it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// Unique on its page; used for ids.
    pub id: String,
    pub title: String,
    /// One or two sentences saying what the chart shows.
    pub alt: String,
    /// The chart drawn for wide screens, and for phones.
    pub wide: String,
    pub narrow: String,
    pub table: Table,
}

/// The numbers behind a chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// What a value axis measures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scale {
    /// 0–100 %.
    Percent,
    /// NPS, −100…100.
    Nps,
    /// A mean score on a scale.
    Score { min: u8, max: u8 },
}

impl Scale {
    /// (min, max, splits) of the axis: round ticks.
    fn axis(self) -> (f32, f32, usize) {
        match self {
            Scale::Percent => (0.0, 100.0, 5),
            Scale::Nps => (-100.0, 100.0, 4),
            Scale::Score { min, max } => (f32::from(min), f32::from(max), usize::from(max - min)),
        }
    }

    fn formatter(self) -> &'static str {
        match self {
            Scale::Percent => "{c}%",
            _ => "{c}",
        }
    }

    fn places(self) -> usize {
        match self {
            Scale::Score { .. } => 2,
            _ => 1,
        }
    }

    /// A bound such as a target: without decimals when it is whole (85%, not 85.0%).
    pub fn format_bound(self, locale: &Locale, x: f64) -> String {
        if x.fract() != 0.0 {
            return self.format(locale, x);
        }
        match self {
            Scale::Percent => locale.percent(x, 0),
            _ => locale.decimal(x, 0),
        }
    }

    /// A value as the tables write it.
    pub fn format(self, locale: &Locale, x: f64) -> String {
        match self {
            Scale::Percent => locale.percent(x, 1),
            Scale::Nps => locale.decimal(x, 1),
            Scale::Score { .. } => locale.decimal(x, 2),
        }
    }
}

/// How much of the page a chart gets, which decides the size it is drawn at:
/// drawn at about the size it is shown, its text stays 11–12 px on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// The full width of the page (about 1060 px on a desktop).
    Full,
    /// Half of it, beside another chart.
    Half,
}

/// Where a chart goes: its id on the page, its title and its share of the width.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub layout: Layout,
}

impl Frame<'_> {
    /// (width, height) for wide screens.
    fn wide(&self) -> (f32, f32) {
        match self.layout {
            Layout::Full => (1060.0, 340.0),
            Layout::Half => (500.0, 300.0),
        }
    }
}

/// (width, height) for phones.
const NARROW: (f32, f32) = (340.0, 260.0);

/// One point of a trend.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    /// Axis label ("Oct 26") and full name ("October 2026").
    pub short: String,
    pub label: String,
    /// `None` when the period has no published figure.
    pub value: Option<f64>,
    pub ci: Option<[f64; 2]>,
    pub n: Option<u64>,
}

/// A line with its interval as a band, an optional target line and an optional comparison line.
#[derive(Debug, Clone)]
pub struct Trend<'a> {
    /// Legend names of the line and of its band.
    pub series: &'a str,
    pub band: &'a str,
    pub scale: Scale,
    pub points: &'a [TrendPoint],
    pub target: Option<f64>,
    /// A second line (e.g. all customers beside one), drawn dashed without a band.
    pub comparison: Option<(String, Vec<TrendPoint>)>,
}

pub fn trend(style: &ChartStyle, locale: &Locale, frame: Frame, spec: &Trend) -> Figure {
    let Frame { id, title, .. } = frame;
    let Trend { series: series_name, band: band_name, scale, points, target, ref comparison } = *spec;
    let (min, max, _) = scale.axis();
    let clamp = |x: f64| (x as f32).clamp(min, max);
    let draw = |(width, height): (f32, f32), narrow: bool| {
        let values: Vec<Option<f32>> = points.iter().map(|p| p.value.map(clamp)).collect();
        let mut line = Series::new_nullable(series_name.to_string(), values);
        line.symbol = Some(Symbol::Circle(if narrow { 2.0 } else { 2.5 }, Some(style.palette[0].as_str().into())));
        let mut band = Series::new_nullable(band_name.to_string(), vec![]);
        band.band = Some(SeriesBand {
            lower: points.iter().map(|p| p.ci.map(|c| clamp(c[0]))).collect(),
            upper: points.iter().map(|p| p.ci.map(|c| clamp(c[1]))).collect(),
            ..SeriesBand::default()
        });
        let mut series = vec![band, line];
        let mut colours = vec![style.colour(1), style.colour(0)];
        if let Some((label, others)) = comparison {
            let mut other = Series::new_nullable(label.clone(), others.iter().map(|p| p.value.map(clamp)).collect());
            other.stroke_dash_array = Some("3,3".into());
            other.symbol = Some(Symbol::None);
            series.push(other);
            colours.push(style.muted.as_str().into());
        }
        if let Some(t) = target {
            let mut t_series = Series::new(
                locale.fill("chart_target", &[("value", &scale.format_bound(locale, t))]),
                vec![clamp(t); points.len()],
            );
            t_series.stroke_dash_array = Some("6,4".into());
            t_series.symbol = Some(Symbol::None);
            series.push(t_series);
            colours.push(style.target.as_str().into());
        }
        let labels = points.iter().map(|p| p.short.clone()).collect();
        let mut chart = LineChart::new(series, labels);
        apply(&mut chart.base, style, width, height);
        value_axis(&mut chart.y_axis_configs[0], style, scale);
        chart.series.colors = colours;
        chart.series.stroke_width = 2.0;
        chart.x_axis.boundary_gap = Some(false);
        chart.x_axis.label_overflow = AxisLabelOverflow::Thin;
        chart.svg()
    };
    let shown: Vec<&TrendPoint> = points.iter().filter(|p| p.value.is_some()).collect();
    let alt = match (shown.first(), shown.last()) {
        (Some(first), Some(last)) => {
            let best = shown.iter().max_by(|a, b| a.value.partial_cmp(&b.value).expect("finite")).expect("non-empty");
            let worst = shown.iter().min_by(|a, b| a.value.partial_cmp(&b.value).expect("finite")).expect("non-empty");
            let fmt = |p: &TrendPoint| scale.format(locale, p.value.expect("shown"));
            locale.fill(
                "alt_trend",
                &[
                    ("title", title),
                    ("first", &first.label),
                    ("last", &last.label),
                    ("latest", &fmt(last)),
                    ("high", &fmt(best)),
                    ("high_period", &best.label),
                    ("low", &fmt(worst)),
                    ("low_period", &worst.label),
                ],
            )
        }
        _ => locale.t("alt_no_data").to_string(),
    };
    let mut head =
        vec![locale.t("col_period").into(), title.into(), locale.t("col_interval").into(), locale.t("col_n").into()];
    if let Some((label, _)) = comparison {
        head.push(label.clone());
    }
    let rows = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut row = vec![
                p.label.clone(),
                p.value.map_or_else(|| "—".into(), |v| scale.format(locale, v)),
                p.ci.map_or_else(|| "—".into(), |c| locale.interval(c, scale.places())),
                p.n.map_or_else(|| "—".into(), |n| locale.count(n)),
            ];
            if let Some((_, others)) = comparison {
                row.push(others.get(i).and_then(|o| o.value).map_or_else(|| "—".into(), |v| scale.format(locale, v)));
            }
            row
        })
        .collect();
    figure(id, title, alt, draw(frame.wide(), false), draw(NARROW, true), Table { head, rows })
}

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
    figure(id, title, alt, draw(frame.wide()), draw((NARROW.0, NARROW.1 - 20.0)), table)
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
    figure(id, title, alt, draw(frame.wide().0, false), draw(NARROW.0, true), table)
}

/// A figure per group (e.g. CSAT % by number of transfers), with interval whiskers.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupValue {
    pub label: String,
    pub value: Option<f64>,
    pub ci: Option<[f64; 2]>,
    pub n: u64,
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
    let (min, max, _) = scale.axis();
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
                    locale.count(g.n),
                ]
            })
            .collect(),
    };
    figure(id, title, alt, draw(frame.wide()), draw(NARROW), table)
}

/// Colour `i` of `n` on the bad → neutral → good ramp.
fn graded(style: &ChartStyle, i: usize, n: usize) -> Color {
    if n <= 1 {
        return style.good.as_str().into();
    }
    let t = i as f32 / (n - 1) as f32;
    let (from, to, t) =
        if t < 0.5 { (&style.bad, &style.neutral, t * 2.0) } else { (&style.neutral, &style.good, (t - 0.5) * 2.0) };
    let (a, b) = (rgb(from), rgb(to));
    let mix = |x: u8, y: u8| (f32::from(x) + (f32::from(y) - f32::from(x)) * t).round() as u8;
    (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2)).into()
}

fn rgb(hex: &str) -> (u8, u8, u8) {
    let h = hex.trim_start_matches('#');
    let channel = |i: usize| h.get(i..i + 2).and_then(|c| u8::from_str_radix(c, 16).ok()).unwrap_or(0);
    (channel(0), channel(2), channel(4))
}

/// The settings every chart shares.
fn apply(base: &mut ChartBase, style: &ChartStyle, width: f32, height: f32) {
    base.width = width;
    base.height = height;
    base.background_color = Color::transparent();
    base.font_family = style.font.clone();
    base.margin.top = 14.0;
    base.margin.right = 12.0;
    base.legend.position = Some(Position::Bottom);
    base.legend.font.size = 12.0;
    base.legend.font.color = style.muted.as_str().into();
    base.x_axis.font.size = 12.0;
    base.x_axis.font.color = style.muted.as_str().into();
    base.x_axis.stroke_color = style.grid.as_str().into();
    base.grid.stroke_color = style.grid.as_str().into();
    base.series.label.font.size = 11.0;
    base.series.label.font.color = style.text.as_str().into();
}

fn value_axis(axis: &mut YAxisConfig, style: &ChartStyle, scale: Scale) {
    let (min, max, splits) = scale.axis();
    axis.min = Some(min);
    axis.max = Some(max);
    axis.split_number = splits;
    axis.formatter = Some(scale.formatter().into());
    axis.font.size = 12.0;
    axis.font.color = style.muted.as_str().into();
}

fn count_axis(axis: &mut YAxisConfig, style: &ChartStyle, max: f64, splits: usize) {
    axis.min = Some(0.0);
    axis.max = Some(max as f32);
    axis.split_number = splits;
    axis.font.size = 12.0;
    axis.font.color = style.muted.as_str().into();
}

/// A round maximum and number of splits (at most five) for a count axis, in steps of 1, 2, 2.5 or 5 × 10ᵏ.
pub fn nice_axis(max_value: f64) -> (f64, usize) {
    if max_value <= 0.0 {
        return (4.0, 4);
    }
    let power = 10f64.powf((max_value / 5.0).log10().floor());
    for scale in [1.0, 10.0, 100.0] {
        for m in [1.0, 2.0, 2.5, 5.0] {
            // Counts are whole: a step below 1 would only repeat tick labels.
            let step = (m * power * scale).max(1.0);
            let splits = (max_value / step).ceil().max(1.0);
            if splits <= 5.0 {
                return (step * splits, splits as usize);
            }
        }
    }
    (max_value.ceil(), 1)
}

fn figure(
    id: &str,
    title: &str,
    alt: String,
    wide: charts_rs::Result<String>,
    narrow: charts_rs::Result<String>,
    table: Table,
) -> Figure {
    let finish = |svg: charts_rs::Result<String>, class: &str| match svg {
        Ok(svg) => responsive(&svg, class, id),
        // charts-rs fails only on inconsistent input, which the callers never build; show nothing rather than break the page.
        Err(_) => String::new(),
    };
    Figure {
        id: id.into(),
        title: title.into(),
        alt,
        wide: finish(wide, "chart-wide"),
        narrow: finish(narrow, "chart-narrow"),
        table,
    }
}

/// Drops the fixed size of the SVG root (its viewBox stays) so CSS sizes it,
/// and labels it by the figure's text alternative.
fn responsive(svg: &str, class: &str, id: &str) -> String {
    let Some(end) = svg.find('>') else { return svg.to_string() };
    let (open, rest) = svg.split_at(end);
    let mut open = open.to_string();
    for attr in ["width", "height"] {
        let needle = format!(" {attr}=\"");
        if let Some(start) = open.find(&needle)
            && let Some(len) = open[start + needle.len()..].find('"')
        {
            open.replace_range(start..start + needle.len() + len + 1, "");
        }
    }
    format!("{open} class=\"{class}\" role=\"img\" aria-labelledby=\"{id}-title {id}-alt\"{rest}")
}

#[cfg(test)]
mod tests;
