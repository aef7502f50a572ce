//! A figure over time: a line, its interval as a band, a target and an optional comparison.

use charts_rs::{AxisLabelOverflow, LineChart, Series, SeriesBand, Symbol};

use super::{ChartStyle, Figure, Frame, NARROW, Scale, Table, apply, figure, value_axis};
use crate::locale::Locale;

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
    /// Events that happened in the period ("Video walkthroughs replace written docs"), marked † on the axis.
    pub events: Vec<String>,
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
    /// One line per group (e.g. per channel), each in its own colour, without bands.
    pub groups: Vec<(String, Vec<TrendPoint>)>,
}

pub fn trend(style: &ChartStyle, locale: &Locale, frame: Frame, spec: &Trend) -> Figure {
    let Frame { id, title, .. } = frame;
    let Trend { series: series_name, band: band_name, scale, points, target, ref comparison, ref groups } = *spec;
    let (min, max) = scale.axis().map_or((0.0, f32::MAX), |(min, max, _)| (min, max));
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
        for (i, (label, others)) in groups.iter().enumerate() {
            let mut line = Series::new_nullable(label.clone(), others.iter().map(|p| p.value.map(clamp)).collect());
            line.symbol = Some(Symbol::None);
            series.push(line);
            colours.push(style.groups[i % style.groups.len()].as_str().into());
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
        let labels = points
            .iter()
            .map(|p| if p.events.is_empty() { p.short.clone() } else { format!("{}†", p.short) })
            .collect();
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
    let mut head = vec![locale.t("col_period").into(), series_name.into(), band_name.into(), locale.t("col_n").into()];
    for (label, _) in comparison.iter().chain(groups) {
        head.extend([label.clone(), band_name.into(), locale.t("col_n").into()]);
    }
    let rows = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let cells = |p: Option<&TrendPoint>| {
                [
                    p.and_then(|p| p.value).map_or_else(|| "—".into(), |v| scale.format(locale, v)),
                    p.and_then(|p| p.ci).map_or_else(|| "—".into(), |c| locale.interval(c, scale.places())),
                    p.and_then(|p| p.n).map_or_else(|| "—".into(), |n| locale.count(n)),
                ]
            };
            let mut row = vec![p.label.clone()];
            row.extend(cells(Some(p)));
            for (_, others) in comparison.iter().chain(groups) {
                row.extend(cells(others.get(i)));
            }
            row
        })
        .collect();
    let mut figure =
        figure(locale, id, title, alt, draw(frame.wide(), false), draw(NARROW, true), Table { head, rows });
    figure.notes = points.iter().flat_map(|p| p.events.iter().map(move |e| format!("† {}: {e}", p.label))).collect();
    figure
}
