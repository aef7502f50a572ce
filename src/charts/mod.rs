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
//! Roboto has no Chinese: charts-rs would measure each character as Roboto's
//! narrow missing-glyph box, half as wide as the browser then draws it, so
//! legends and axis labels would run into each other. A Chinese site's charts
//! are measured and drawn with a subset of Noto Sans CJK SC instead
//! ([`CJK_FONT`]), which the theme serves under the same name.

use charts_rs::{ChartBase, Color, Position, YAxisConfig};
use serde::Serialize;

use crate::config::{Config, MetricName};
use crate::locale::Locale;

mod bars;
mod sparkline;
mod trend;

pub use bars::{Bar, Composition, GroupValue, composition, distribution, groups};
pub use sparkline::sparkline;
pub use trend::{Trend, TrendPoint, trend};

/// Colours and font of the charts, from the theme.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartStyle {
    /// Series colours, in order.
    pub palette: Vec<String>,
    /// Colours of the lines of several groups on one chart: each at least 3:1 against light and dark surfaces.
    pub groups: Vec<String>,
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
            groups: ["#d0672f", "#3a8f6a", "#8e6cc0", "#a0782a", "#c0588f"].map(String::from).to_vec(),
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

/// The theme's font for Chinese chart text: a subset of Noto Sans CJK SC with the
/// characters of the bundled `i18n/zh.toml`, named `CJK_FONT_FAMILY`.
pub const CJK_FONT: &str = "fonts/noto-sans-sc-charts.otf";
const CJK_FONT_FAMILY: &str = "Noto Sans SC Charts";

impl ChartStyle {
    /// Measures and draws chart text with `font`, the theme's [`CJK_FONT`]. charts-rs keeps
    /// its fonts for the whole process, so the first font given is the one used.
    pub fn with_cjk_font(mut self, font: &[u8]) -> ChartStyle {
        static REGISTERED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        // A font charts-rs cannot read leaves the charts in Roboto: misplaced labels, but a build.
        if *REGISTERED.get_or_init(|| charts_rs::add_fonts(&[font]).is_ok()) {
            self.font = CJK_FONT_FAMILY.into();
        }
        self
    }

    /// Reads the chart colours from the `:root` custom properties of a
    /// stylesheet (`--chart-1`…, `--group-1`…, `--text`, `--muted`, `--rule`, `--good`,
    /// `--neutral`, `--bad`, `--target`), so pages and charts share one palette.
    /// Properties the stylesheet lacks keep their defaults; a list it starts (`--chart-1`, …)
    /// is the whole list.
    pub fn from_css(css: &str) -> ChartStyle {
        ChartStyle::default().read_css(css, false)
    }

    /// The same over this style, property by property: a theme's `theme.css` read after the
    /// default's `style.css` changes `--chart-2` and keeps every other colour.
    pub fn with_css(self, css: &str) -> ChartStyle {
        self.read_css(css, true)
    }

    fn read_css(mut self, css: &str, by_item: bool) -> ChartStyle {
        let Some(root) = css.find(":root").and_then(|i| css[i..].find('{').map(|j| i + j + 1)) else { return self };
        let block = without_comments(&css[root..root + css[root..].find('}').unwrap_or(0)]);
        let mut palette: Vec<(usize, String)> = Vec::new();
        let mut groups: Vec<(usize, String)> = Vec::new();
        for declaration in block.split(';') {
            let Some((name, value)) = declaration.split_once(':') else { continue };
            let (name, value) = (name.trim(), value.trim().to_string());
            if !value.starts_with('#') {
                continue;
            }
            match name {
                "--text" => self.text = value,
                "--muted" => self.muted = value,
                "--rule" => self.grid = value,
                "--good" => self.good = value,
                "--neutral" => self.neutral = value,
                "--bad" => self.bad = value,
                "--target" => self.target = value,
                _ => {
                    if let Some(i) = name.strip_prefix("--chart-").and_then(|n| n.parse().ok()) {
                        palette.push((i, value));
                    } else if let Some(i) = name.strip_prefix("--group-").and_then(|n| n.parse().ok()) {
                        groups.push((i, value));
                    }
                }
            }
        }
        for (list, mut found) in [(&mut self.palette, palette), (&mut self.groups, groups)] {
            if found.is_empty() {
                continue;
            }
            found.sort();
            if !by_item {
                list.clear();
            }
            for (i, colour) in found {
                // `--chart-N` is the N-th colour; one past the end adds a colour.
                match list.get_mut(i.wrapping_sub(1)) {
                    Some(slot) if by_item => *slot = colour,
                    _ => list.push(colour),
                }
            }
        }
        self
    }

    fn colour(&self, i: usize) -> Color {
        self.palette[i % self.palette.len()].as_str().into()
    }
}

/// CSS text without its `/* … */` comments: a comment's own colons and semicolons are not declarations.
fn without_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start + 2..].find("*/").map_or("", |end| &rest[start + 2 + end + 2..]);
    }
    out.push_str(rest);
    out
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
    /// Footnotes to the chart: the events marked on its axis.
    pub notes: Vec<String>,
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
    /// Minutes (first response, resolution): from 0, with no fixed top.
    Minutes,
    /// A mean count per ticket (transfers): from 0, with no fixed top.
    PerTicket,
}

impl Scale {
    /// The scale `metric` is measured on.
    pub fn of(metric: MetricName, config: &Config) -> Scale {
        let score = |[min, max]: [u8; 2]| Scale::Score { min, max };
        match metric {
            MetricName::Csat | MetricName::CesEasy => Scale::Percent,
            MetricName::Nps => Scale::Nps,
            MetricName::CsatMean => score(config.metrics.csat.scale),
            MetricName::Ces => score(config.metrics.ces.scale),
            MetricName::FirstResponseMinutes | MetricName::ResolutionMinutes => Scale::Minutes,
            MetricName::Transfers => Scale::PerTicket,
        }
    }

    /// (min, max, splits) of the axis: round ticks; `None` when the scale has no fixed top.
    fn axis(self) -> Option<(f32, f32, usize)> {
        match self {
            Scale::Percent => Some((0.0, 100.0, 5)),
            Scale::Nps => Some((-100.0, 100.0, 4)),
            Scale::Score { min, max } => Some((f32::from(min), f32::from(max), usize::from(max - min))),
            Scale::Minutes | Scale::PerTicket => None,
        }
    }

    fn formatter(self) -> &'static str {
        match self {
            Scale::Percent => "{c}%",
            _ => "{c}",
        }
    }

    pub fn places(self) -> usize {
        match self {
            Scale::Score { .. } | Scale::PerTicket => 2,
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
            Scale::Score { .. } | Scale::PerTicket => locale.decimal(x, 2),
            Scale::Minutes => locale.decimal(x, 1),
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
    match scale.axis() {
        Some((min, max, splits)) => {
            axis.min = Some(min);
            axis.max = Some(max);
            axis.split_number = splits;
        }
        None => axis.min = Some(0.0),
    }
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

/// A round maximum and number of splits (at most five) for a count axis, in steps of 1, 2, 2.5 or 5 × 10ᵏ,
/// with some room above `max_value`.
pub fn nice_axis(max_value: f64) -> (f64, usize) {
    if max_value <= 0.0 {
        return (4.0, 4);
    }
    // Room above the tallest bar for its label.
    let max_value = max_value * 1.08;
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
    locale: &Locale,
    id: &str,
    title: &str,
    alt: String,
    wide: charts_rs::Result<String>,
    narrow: charts_rs::Result<String>,
    table: Table,
) -> Figure {
    let finish = |svg: charts_rs::Result<String>, class: &str| match svg {
        Ok(svg) => responsive(&local_numbers(svg, locale), class, id),
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
        notes: Vec::new(),
    }
}

/// The numbers charts-rs writes itself (axis ticks, labels on bars: `6.3%`) with the locale's
/// decimal separator. The percent sign stays as it is: a wider label would no longer fit the
/// room charts-rs measured for it, and a comma is as wide as a point.
fn local_numbers(svg: String, locale: &Locale) -> String {
    if locale.decimal_point() == "." {
        return svg;
    }
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg.as_str();
    while let Some(start) = rest.find("<text") {
        let Some(open) = rest[start..].find('>').map(|i| start + i + 1) else { break };
        let Some(close) = rest[open..].find("</text>").map(|i| open + i) else { break };
        let text = &rest[open..close];
        out.push_str(&rest[..open]);
        match locale.chart_number(text.trim()) {
            Some(number) => out.push_str(&text.replace(text.trim(), &number)),
            None => out.push_str(text),
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
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
