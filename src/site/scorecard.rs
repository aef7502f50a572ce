//! The scorecard page: the four perspectives of [`crate::metrics::scorecard`]
//! written out in the site's language, each line with its status in words and
//! a symbol (never colour alone) and its trend as a sparkline whose numbers
//! are in a table beside it.

use serde::Serialize;

use super::views::{Ctx, Link, duration, scope_text};
use crate::charts::{Scale, sparkline};
use crate::config::{MetricName, Stat};
use crate::ingest::{Kpi, KpiPeriod};
use crate::locale::Locale;
use crate::metrics::scorecard::{self, Line, Measure, Point, Scorecard, Verdict};

/// How a figure of the exports is written: its name, values, bounds and interval.
pub struct FigureFormat<'c, 'a> {
    ctx: &'c Ctx<'a>,
    metric: MetricName,
    stat: Stat,
}

impl<'c, 'a> FigureFormat<'c, 'a> {
    pub fn of(ctx: &'c Ctx<'a>, metric: MetricName, stat: Stat) -> Self {
        FigureFormat { ctx, metric, stat }
    }

    pub fn label(&self) -> String {
        let key = match (self.metric, self.stat) {
            (MetricName::FirstResponseMinutes, Stat::Median) => "first_response_median",
            (MetricName::FirstResponseMinutes, Stat::P90) => "first_response_p90",
            (MetricName::ResolutionMinutes, Stat::Median) => "resolution_median",
            (MetricName::ResolutionMinutes, Stat::P90) => "resolution_p90",
            (MetricName::Transfers, _) => "transfers_mean",
            (metric, _) => metric.key(),
        };
        self.ctx.t(key)
    }

    /// "84.0%", "6.9 min", "0.51".
    pub fn value(&self, x: f64) -> String {
        match self.metric.is_duration() {
            true => self.ctx.minutes(x),
            false => self.scale().format(self.ctx.locale, x),
        }
    }

    /// A target as it was set: "85%", "6 h".
    pub fn bound(&self, x: f64) -> String {
        match self.metric.is_duration() {
            true => duration(self.ctx.locale, x),
            false => self.scale().format_bound(self.ctx.locale, x),
        }
    }

    /// "≥ 85%", "≤ 6 h", "≥ 4 ≤ 6.5"; empty without bounds.
    pub fn bounds(&self, min: Option<f64>, max: Option<f64>) -> String {
        bounds(min, max, |x| self.bound(x))
    }

    /// "95% CI 81.5–86.2", "95% CI 6.6–8.1 min".
    pub fn interval(&self, ci: [f64; 2]) -> String {
        let ctx = self.ctx;
        match self.metric.is_duration() {
            true => {
                let label = ctx.locale.fill("ci_label", &[("level", &ctx.level())]);
                format!("{label} {}", ctx.minutes_interval([Some(ci[0]), Some(ci[1])]).unwrap_or_default())
            }
            false => ctx.interval_text(ci, self.scale().places()),
        }
    }

    fn scale(&self) -> Scale {
        Scale::of(self.metric, self.ctx.config)
    }
}

fn bounds(min: Option<f64>, max: Option<f64>, format: impl Fn(f64) -> String) -> String {
    let parts = [min.map(|m| format!("≥ {}", format(m))), max.map(|m| format!("≤ {}", format(m)))];
    parts.into_iter().flatten().collect::<Vec<_>>().join(" ")
}

/// A KPI's value: its decimals as written, its unit after it ("18.40 €", "92.5%").
fn kpi_text(ctx: &Ctx, kpi: &Kpi, x: f64) -> String {
    let l = ctx.locale;
    match kpi.indicator.unit.as_deref() {
        Some("%") => l.percent(x, kpi.places),
        Some(unit) => format!("{}\u{a0}{unit}", l.decimal(x, kpi.places)),
        None => l.decimal(x, kpi.places),
    }
}

/// The scorecard of the dashboard's period (the latest complete month when months are published).
pub fn card(ctx: &Ctx) -> Scorecard {
    let period = ctx.metrics.latest_complete(super::pages::headline_kind(ctx));
    scorecard::compute(ctx.config, ctx.metrics, ctx.kpis, period)
}

#[derive(Debug, Serialize)]
pub struct ScorecardView {
    /// The report of the period judged.
    pub period: Option<Link>,
    pub kind_label: String,
    /// Why nothing is judged yet, when no period has ended.
    pub note: Option<String>,
    /// Every status with its symbol and words.
    pub legend: Vec<StatusView>,
    pub sections: Vec<SectionView>,
}

/// A status as it is shown: a CSS class, a symbol and words (never colour alone).
#[derive(Debug, Serialize)]
pub struct StatusView {
    /// met, close, missed, no_data or no_target.
    pub status: &'static str,
    /// ✓, ≈, ✗, – or ○.
    pub symbol: &'static str,
    pub status_text: String,
}

impl StatusView {
    fn of(ctx: &Ctx, verdict: Verdict) -> StatusView {
        let (status, symbol, key) = match verdict {
            Verdict::Met => ("met", "✓", "target_met"),
            Verdict::Close => ("close", "≈", "scorecard_close"),
            Verdict::Missed => ("missed", "✗", "target_missed"),
            Verdict::NoData => ("no_data", "–", "target_no_data"),
            Verdict::NoTarget => ("no_target", "○", "scorecard_no_target"),
        };
        StatusView { status, symbol, status_text: ctx.t(key) }
    }
}

#[derive(Debug, Serialize)]
pub struct SectionView {
    pub key: &'static str,
    pub title: String,
    pub description: String,
    /// What to add to `site.toml` when the perspective has no line.
    pub empty: Option<String>,
    pub lines: Vec<LineView>,
    /// Whether a line is marked low-sample (and the table needs its footnote).
    pub low_sample: bool,
    /// Every value of every line's trend, by period.
    pub numbers: Numbers,
}

#[derive(Debug, Serialize)]
pub struct LineView {
    pub name: String,
    /// The group a target judges ("Touchpoint = onboarding").
    pub scope: Option<String>,
    pub value: Option<String>,
    /// "as of September 2026", when a KPI's latest value is for another period.
    pub as_of: Option<String>,
    pub interval: Option<String>,
    pub n: Option<String>,
    pub low_sample: bool,
    /// Why there is no value.
    pub note: Option<String>,
    pub target: Option<String>,
    #[serde(flatten)]
    pub status: StatusView,
    pub sparkline: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Numbers {
    pub head: Vec<String>,
    pub rows: Vec<NumbersRow>,
}

#[derive(Debug, Serialize)]
pub struct NumbersRow {
    pub period: String,
    pub cells: Vec<Option<NumberCell>>,
}

#[derive(Debug, Serialize)]
pub struct NumberCell {
    pub value: String,
    /// Interval and n, for figures of the exports.
    pub detail: Option<String>,
}

pub fn view(ctx: &Ctx) -> ScorecardView {
    let card = card(ctx);
    let kind = super::pages::headline_kind(ctx);
    let l = ctx.locale;
    ScorecardView {
        period: card.period.map(|p| ctx.period_link(p)),
        kind_label: l.kind_report(kind).to_string(),
        note: card.period.is_none().then(|| ctx.t("scorecard_no_period")),
        legend: [Verdict::Met, Verdict::Close, Verdict::Missed, Verdict::NoData, Verdict::NoTarget]
            .into_iter()
            .map(|v| StatusView::of(ctx, v))
            .collect(),
        sections: card
            .perspectives
            .iter()
            .map(|section| {
                let key = section.perspective.key();
                let lines: Vec<LineView> = section.lines.iter().map(|line| line_view(ctx, &card, line)).collect();
                SectionView {
                    key,
                    title: ctx.t(&format!("perspective_{key}")),
                    description: ctx.t(&format!("perspective_{key}_description")),
                    empty: lines.is_empty().then(|| ctx.t(&format!("scorecard_empty_{key}"))),
                    numbers: numbers(ctx, &section.lines),
                    low_sample: lines.iter().any(|l| l.low_sample),
                    lines,
                }
            })
            .collect(),
    }
}

/// How one line writes its numbers.
enum Writer<'c, 'a> {
    Figure(FigureFormat<'c, 'a>),
    Kpi(&'c Kpi),
}

impl Writer<'_, '_> {
    fn of<'c, 'a>(ctx: &'c Ctx<'a>, line: &Line) -> Writer<'c, 'a> {
        match &line.measure {
            Measure::Figure { metric, stat, .. } => {
                Writer::Figure(FigureFormat::of(ctx, *metric, stat.unwrap_or_default()))
            }
            Measure::Kpi { index, .. } => Writer::Kpi(&ctx.kpis.kpis[*index]),
        }
    }

    fn value(&self, ctx: &Ctx, x: f64) -> String {
        match self {
            Writer::Figure(f) => f.value(x),
            Writer::Kpi(kpi) => kpi_text(ctx, kpi, x),
        }
    }

    fn bounds(&self, ctx: &Ctx, min: Option<f64>, max: Option<f64>) -> String {
        match self {
            Writer::Figure(f) => f.bounds(min, max),
            Writer::Kpi(kpi) => bounds(min, max, |x| kpi_text(ctx, kpi, x)),
        }
    }

    fn interval(&self, ci: [f64; 2]) -> Option<String> {
        match self {
            Writer::Figure(f) => Some(f.interval(ci)),
            Writer::Kpi(_) => None,
        }
    }

    /// Interval and n of a figure of the exports: "95% CI 81.5–86.2 · n = 935".
    fn detail(&self, ctx: &Ctx, ci: Option<[f64; 2]>, n: Option<u64>) -> Option<String> {
        let Writer::Figure(_) = self else { return None };
        let l = ctx.locale;
        let parts = [ci.and_then(|ci| self.interval(ci)), n.map(|n| l.fill("n_equals", &[("n", &l.count(n))]))];
        let parts: Vec<String> = parts.into_iter().flatten().collect();
        (!parts.is_empty()).then(|| parts.join(" · "))
    }

    fn name(&self) -> String {
        match self {
            Writer::Figure(f) => f.label(),
            Writer::Kpi(kpi) => kpi.name.clone(),
        }
    }
}

fn scope(locale: &Locale, line: &Line) -> Option<String> {
    match &line.measure {
        Measure::Figure { filter, .. } => scope_text(locale, filter),
        Measure::Kpi { .. } => None,
    }
}

fn period_label(ctx: &Ctx, period: KpiPeriod) -> String {
    match period {
        KpiPeriod::Period(p) => ctx.locale.period(p),
        KpiPeriod::Day(d) => ctx.locale.date(d),
    }
}

fn line_view(ctx: &Ctx, card: &Scorecard, line: &Line) -> LineView {
    let writer = Writer::of(ctx, line);
    let name = writer.name();
    let scope = scope(ctx.locale, line);
    let note = line.value.is_none().then(|| match (&line.measure, card.period) {
        (_, None) => ctx.t("no_data"),
        (Measure::Figure { .. }, Some(_)) => ctx.suppressed(),
        (Measure::Kpi { .. }, Some(_)) => ctx.t("scorecard_no_value"),
    });
    let values: Vec<Option<f64>> = line.trend.iter().map(|p| p.value).collect();
    let target = line.min.or(line.max).filter(|_| line.min.is_none() || line.max.is_none());
    LineView {
        scope,
        value: line.value.map(|x| writer.value(ctx, x)),
        as_of: line.as_of.map(|p| ctx.locale.fill("as_of", &[("period", &period_label(ctx, p))])),
        interval: line.ci.and_then(|ci| writer.interval(ci)),
        n: line.n.map(|n| ctx.locale.fill("n_equals", &[("n", &ctx.locale.count(n))])),
        low_sample: line.low_sample,
        note,
        target: Some(writer.bounds(ctx, line.min, line.max)).filter(|b| !b.is_empty()),
        status: StatusView::of(ctx, line.status),
        sparkline: sparkline(&values, target, &trend_alt(ctx, &writer, &name, &line.trend)),
        name,
    }
}

/// The sparkline in words: "CSAT. From October 2025 to October 2026: latest 84.0%; highest …".
fn trend_alt(ctx: &Ctx, writer: &Writer, name: &str, trend: &[Point]) -> String {
    let known: Vec<(&Point, f64)> = trend.iter().filter_map(|p| Some((p, p.value?))).collect();
    let (Some(first), Some(last)) = (trend.first(), trend.last()) else { return name.to_string() };
    let high = known.iter().max_by(|a, b| a.1.total_cmp(&b.1));
    let low = known.iter().min_by(|a, b| a.1.total_cmp(&b.1));
    let (Some(&(high_at, high)), Some(&(low_at, low)), Some(&(_, latest))) = (high, low, known.last()) else {
        return name.to_string();
    };
    let text = ctx.locale.fill(
        "alt_trend",
        &[
            ("first", &period_label(ctx, first.period)),
            ("last", &period_label(ctx, last.period)),
            ("latest", &writer.value(ctx, latest)),
            ("high", &writer.value(ctx, high)),
            ("high_period", &period_label(ctx, high_at.period)),
            ("low", &writer.value(ctx, low)),
            ("low_period", &period_label(ctx, low_at.period)),
        ],
    );
    format!("{name}. {text}")
}

/// The values of every line of a perspective, one row per period (oldest first).
fn numbers(ctx: &Ctx, lines: &[Line]) -> Numbers {
    let mut periods: Vec<KpiPeriod> = lines.iter().flat_map(|l| l.trend.iter().map(|p| p.period)).collect();
    periods.sort_by_key(|p| (p.end(), p.start()));
    periods.dedup();
    let writers: Vec<Writer> = lines.iter().map(|line| Writer::of(ctx, line)).collect();
    let mut head = vec![ctx.t("col_period")];
    head.extend(lines.iter().zip(&writers).map(|(line, w)| match scope(ctx.locale, line) {
        Some(scope) => format!("{} ({scope})", w.name()),
        None => w.name(),
    }));
    let rows = periods
        .iter()
        .map(|&period| NumbersRow {
            period: period_label(ctx, period),
            cells: lines
                .iter()
                .zip(&writers)
                .map(|(line, w)| {
                    let point = line.trend.iter().find(|p| p.period == period)?;
                    let value = point.value?;
                    Some(NumberCell { value: w.value(ctx, value), detail: w.detail(ctx, point.ci, point.n) })
                })
                .collect(),
        })
        .collect();
    Numbers { head, rows }
}
