//! Views: what a template receives. Figures become formatted text here,
//! in the site's language, so templates only place them.

use std::collections::BTreeMap;

use serde::Serialize;

use super::comments::Comments;

use crate::charts::{self, Bar, ChartStyle, Composition, Figure, Frame, GroupValue, Layout, Scale, TrendPoint};
use crate::config::{Config, MetricName, PeriodKind};
use crate::ingest::{Inputs, Kpis};
use crate::locale::Locale;
use crate::metrics::{
    Change, Difference, Figures, Grain, Metrics, Period, RETURNING, Reading, Segment, Standing, Status,
    TRANSFER_BUCKETS, TargetResult,
};

/// The read-only things every view is built from.
pub struct Ctx<'a> {
    pub config: &'a Config,
    pub inputs: &'a Inputs,
    pub metrics: &'a Metrics,
    /// Response rates and survey fatigue.
    pub outreach: &'a crate::metrics::Outreach,
    pub locale: &'a Locale,
    pub style: &'a ChartStyle,
    pub comments: &'a Comments<'a>,
    /// The slug of each published segment's page, by (dimension, value).
    pub segment_pages: &'a BTreeMap<(u16, u32), String>,
    /// Each dimension's published values, the largest first (by responses over all time), then
    /// in the order of the dimension: the siblings listed on segment pages, sorted once.
    pub by_size: std::sync::OnceLock<BTreeMap<u16, Vec<(u32, &'a String)>>>,
    /// The KPIs of `[[kpis]]`, for the scorecard.
    pub kpis: &'a Kpis,
    /// Whether the theme's templates read a report's brief: it is worked out only then (it tests
    /// every group of the period against everyone else).
    pub brief: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub label: String,
    /// Relative to the site root.
    pub url: String,
}

/// One headline figure, ready to show.
#[derive(Debug, Clone, Serialize)]
pub struct Tile {
    pub key: &'static str,
    pub label: String,
    pub description: String,
    /// Formatted value; absent when suppressed or unanswered.
    pub value: Option<String>,
    pub interval: Option<String>,
    pub n: Option<String>,
    pub low_sample: bool,
    /// Why there is no value.
    pub note: Option<String>,
    pub change: Option<ChangeView>,
    pub target: Option<TargetMark>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangeView {
    pub text: String,
    /// "up", "down" or "flat".
    pub direction: &'static str,
    pub significant: bool,
    /// "Significant change" / "Not significant", in words.
    pub verdict: String,
    /// Against what, and the p-value.
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetMark {
    /// "Target 85%".
    pub text: String,
    /// "met", "close" (below, but the target is inside the interval) or "missed".
    pub status: &'static str,
    /// The status in words.
    pub verdict: String,
}

impl<'a> Ctx<'a> {
    pub fn t(&self, key: &str) -> String {
        self.locale.t(key).to_string()
    }

    /// The confidence level in percent, as intervals are labelled: "95".
    pub fn level(&self) -> String {
        self.metrics.rules.level()
    }

    /// "All responses, 1 October 2025 – 31 October 2026".
    pub fn data_range(&self) -> String {
        match (self.metrics.first_day, self.metrics.last_day) {
            (Some(a), Some(b)) => self
                .locale
                .fill("all_responses_between", &[("first", &self.locale.date(a)), ("last", &self.locale.date(b))]),
            _ => String::new(),
        }
    }

    pub fn period_link(&self, p: Period) -> Link {
        Link { label: self.locale.period(p), url: super::pages::report_path(p) }
    }

    /// CSAT, NPS, CES and responses for a cell, each compared with `before` when given.
    /// `against` names what `before` is ("September 2026").
    pub fn tiles(&self, grain: Grain, segment: Segment, change: Option<(&Change, String)>) -> Vec<Tile> {
        let f = self.metrics.figures(grain, segment);
        let c = &self.config.metrics;
        let range = |[lo, hi]: [u8; 2]| format!("{lo}–{hi}");
        let (csat, nps, ces) = (f.reading(MetricName::Csat), f.reading(MetricName::Nps), f.reading(MetricName::Ces));
        let difference = |pick: fn(&Change) -> Option<Difference>| {
            change.as_ref().and_then(|(ch, vs)| Some((pick(ch)?, vs.as_str())))
        };
        let responses = Tile {
            key: "responses",
            label: self.t("responses"),
            description: self.t("responses_description"),
            value: f.responses.map(|r| self.locale.count(r)),
            interval: None,
            n: None,
            low_sample: false,
            note: f.responses.is_none().then(|| self.suppressed()),
            change: None,
            target: None,
        };
        // A metric no response answers at all (its question is not in the exports) gets no tile.
        let everyone = self.metrics.tally(Grain::All, Segment::All);
        let asked = [everyone.csat.n() > 0, everyone.nps.n() > 0, everyone.ces.n() > 0, true];
        let tiles = [
            self.tile(
                (MetricName::Csat, 1, &self.t("unit_points")),
                self.locale.fill(
                    "csat_description",
                    &[
                        ("lo", &c.csat.satisfied[0].to_string()),
                        ("hi", &c.csat.satisfied[1].to_string()),
                        ("scale", &range(c.csat.scale)),
                    ],
                ),
                csat,
                difference(|ch| ch.csat),
            ),
            self.tile(
                (MetricName::Nps, 0, &self.t("unit_points")),
                self.t("nps_description"),
                nps,
                difference(|ch| ch.nps),
            ),
            self.tile(
                (MetricName::Ces, 2, ""),
                self.locale.fill(
                    "ces_description",
                    &[
                        ("scale", &range(c.ces.scale)),
                        ("lo", &c.ces.easy[0].to_string()),
                        ("hi", &c.ces.easy[1].to_string()),
                    ],
                ),
                ces,
                difference(|ch| ch.ces),
            ),
            responses,
        ];
        tiles.into_iter().zip(asked).filter_map(|(tile, asked)| asked.then_some(tile)).collect()
    }

    /// One headline figure: (metric, decimals, unit of change), what it means, its reading and its change.
    fn tile(
        &self,
        (metric, places, unit): (MetricName, usize, &str),
        description: String,
        reading: Option<Reading>,
        difference: Option<(Difference, &str)>,
    ) -> Tile {
        let l = self.locale;
        let format = |x: f64| if metric == MetricName::Csat { l.percent(x, places) } else { l.decimal(x, places) };
        let target = self.config.headline_target(metric).and_then(|t| {
            let r = reading.as_ref()?;
            // Below on the point estimate but within the interval is "close": the data cannot tell it from the target.
            let status = match Standing::of(r.value, r.ci, Some(t), None) {
                Standing::Met => "met",
                Standing::Close => "close",
                Standing::Missed => "missed",
            };
            Some(TargetMark {
                text: l.fill("target_is", &[("value", &Scale::of(metric, self.config).format_bound(l, t))]),
                status,
                verdict: self.t(&format!("target_{status}")),
            })
        });
        Tile {
            key: metric.key(),
            label: self.t(metric.key()),
            description,
            value: reading.as_ref().map(|r| format(r.value)),
            interval: reading.as_ref().and_then(|r| r.ci).map(|ci| self.interval_text(ci, places)),
            n: reading.as_ref().map(|r| l.fill("n_equals", &[("n", &l.count(r.n))])),
            low_sample: reading.as_ref().is_some_and(|r| r.low_sample),
            note: reading.is_none().then(|| self.suppressed()),
            change: difference.map(|(d, against)| self.change_view(d, places.max(1), unit, against)),
            target,
        }
    }

    /// "Fewer than 5 responses: not shown".
    /// The page of a dimension value, when it has one.
    pub fn segment_url(&self, dimension: u16, value: u32) -> Option<String> {
        self.segment_pages.get(&(dimension, value)).map(|slug| super::pages::segment_path(slug))
    }

    /// An interval as its label and bounds: "95% CI 84.1–88.9".
    pub fn interval_text(&self, ci: [f64; 2], places: usize) -> String {
        format!("{} {}", self.locale.fill("ci_label", &[("level", &self.level())]), self.locale.interval(ci, places))
    }

    /// A p-value as it is quoted: "p = 0.062", or "p < 0.001" for the smallest.
    pub fn p_text(&self, p: f64) -> String {
        if p < 0.001 { "p < 0.001".to_string() } else { format!("p = {}", self.locale.decimal(p, 3)) }
    }

    pub fn suppressed(&self) -> String {
        self.locale.fill("suppressed", &[("n", &self.config.privacy.min_group.to_string())])
    }

    pub fn change_view(&self, d: Difference, places: usize, unit: &str, against: &str) -> ChangeView {
        let l = self.locale;
        let direction = if l.decimal(d.delta, places).chars().all(|c| c == '0' || !c.is_ascii_digit()) {
            "flat"
        } else if d.delta > 0.0 {
            "up"
        } else {
            "down"
        };
        let p = self.p_text(d.p_value);
        ChangeView {
            text: format!("{}{}{unit}", l.signed(d.delta, places), if unit.is_empty() { "" } else { "\u{a0}" }),
            direction,
            significant: d.significant,
            verdict: self.t(if d.significant { "significant" } else { "not_significant" }),
            detail: l.fill("change_detail", &[("against", against), ("p", &p)]),
        }
    }

    /// `metric` of `segment` in each of `periods`, with the events of each period.
    pub fn points(&self, periods: &[Period], segment: Segment, metric: MetricName) -> Vec<TrendPoint> {
        periods
            .iter()
            .map(|&p| {
                let r = self.metrics.figures(Grain::Period(p), segment).reading(metric);
                // A period still running is marked where its point is read: on the axis and in the table.
                let partial = self.metrics.is_partial(p);
                let mark = |text: String, suffix: &str| if partial { format!("{text}{suffix}") } else { text };
                TrendPoint {
                    short: mark(self.locale.period_short(p), "*"),
                    label: mark(self.locale.period(p), &format!(" ({})", self.t("partial").to_lowercase())),
                    value: r.as_ref().map(|r| r.value),
                    ci: r.as_ref().and_then(|r| r.ci),
                    n: r.as_ref().map(|r| r.n),
                    events: self
                        .config
                        .events
                        .iter()
                        .filter(|e| (p.start..=p.end()).contains(&e.day()))
                        .map(|e| e.title.clone())
                        .collect(),
                }
            })
            .collect()
    }

    pub fn csat_trend(
        &self,
        id: &str,
        periods: &[Period],
        segment: Segment,
        comparison: Option<(String, Segment)>,
    ) -> Figure {
        let key = match periods.first().map(|p| p.kind) {
            Some(PeriodKind::Week) => "csat_trend_week",
            Some(PeriodKind::Quarter) => "csat_trend_quarter",
            Some(PeriodKind::Year) => "csat_trend_year",
            _ => "csat_trend",
        };
        let frame = Frame { id, title: &self.t(key), layout: Layout::Full };
        self.csat_trend_in(frame, &self.t("csat_percent"), periods, segment, comparison)
    }

    /// CSAT % of returning customers' surveys by month, against first surveys.
    pub fn returning_trend(&self, periods: &[Period]) -> Option<Figure> {
        if !self.metrics.has_customers() {
            return None;
        }
        let frame = Frame { id: "csat-returning", title: &self.t("csat_returning_trend"), layout: Layout::Full };
        let first = (self.t("first_surveys"), Segment::Visit(0));
        Some(self.csat_trend_in(frame, &self.t("returning_surveys"), periods, Segment::Visit(RETURNING), Some(first)))
    }

    /// CSAT % of `segment` over `periods`, with its interval band, the target and an optional comparison line.
    fn csat_trend_in(
        &self,
        frame: Frame,
        series: &str,
        periods: &[Period],
        segment: Segment,
        comparison: Option<(String, Segment)>,
    ) -> Figure {
        let points = self.points(periods, segment, MetricName::Csat);
        let comparison = comparison.map(|(label, seg)| (label, self.points(periods, seg, MetricName::Csat)));
        let band = self.locale.fill("interval_legend", &[("level", &self.level())]);
        let spec = charts::Trend {
            series,
            band: &band,
            scale: Scale::Percent,
            points: &points,
            target: self.config.metrics.csat.target,
            comparison,
            groups: Vec::new(),
        };
        charts::trend(self.style, self.locale, frame, &spec)
    }

    pub fn csat_distribution(&self, id: &str, figures: &Figures) -> Option<Figure> {
        let csat = figures.csat.as_ref()?;
        let [lo, _] = self.config.metrics.csat.scale;
        let bars: Vec<Bar> = csat
            .distribution
            .iter()
            .enumerate()
            .map(|(i, &count)| Bar { label: (lo + i as u8).to_string(), count })
            .collect();
        Some(charts::distribution(
            self.style,
            self.locale,
            Frame { id, title: &self.t("csat_distribution"), layout: Layout::Half },
            &bars,
        ))
    }

    pub fn nps_composition(&self, id: &str, periods: &[Period], segment: Segment) -> Option<Figure> {
        let rows: Vec<Composition> = periods
            .iter()
            .filter_map(|&p| {
                let figures = self.metrics.figures(Grain::Period(p), segment);
                let nps = figures.nps.as_ref()?;
                Some(Composition {
                    label: self.locale.period(p),
                    detractors: nps.detractors,
                    passives: nps.passives,
                    promoters: nps.promoters,
                })
            })
            .collect();
        (!rows.is_empty()).then(|| {
            charts::composition(
                self.style,
                self.locale,
                Frame { id, title: &self.t("nps_composition"), layout: Layout::Half },
                &rows,
            )
        })
    }

    /// Minutes as people read them: "7.5 min", "5.1 h", "2.3 d".
    pub(super) fn minutes(&self, m: f64) -> String {
        let (number, unit) = self.in_unit(m, m);
        self.locale.fill(unit, &[("n", &number(m))])
    }

    /// A formatter and unit key for minutes of the size of `reference`; `largest` chooses the unit.
    fn in_unit(&self, reference: f64, largest: f64) -> (impl Fn(f64) -> String + '_, &'static str) {
        let (divisor, unit) = match largest {
            m if m >= 2880.0 => (1440.0, "unit_days"),
            m if m >= 120.0 => (60.0, "unit_hours"),
            _ => (1.0, "unit_minutes"),
        };
        let places = if reference / divisor < 100.0 { 1 } else { 0 };
        (move |m: f64| self.locale.decimal(m / divisor, places), unit)
    }

    /// An interval of minutes in one unit: "6.6–8.1 min"; an open side reads "≥ 4.8 h".
    pub(super) fn minutes_interval(&self, [lo, hi]: [Option<f64>; 2]) -> Option<String> {
        match (lo, hi) {
            (Some(lo), Some(hi)) => {
                let (number, unit) = self.in_unit(lo, hi);
                let both = format!("{}–{}", number(lo), number(hi));
                Some(self.locale.fill(unit, &[("n", &both)]))
            }
            (Some(lo), None) => Some(format!("≥ {}", self.minutes(lo))),
            (None, Some(hi)) => Some(format!("≤ {}", self.minutes(hi))),
            (None, None) => None,
        }
    }

    /// First response and resolution (median, 90th percentile) and transfers, each with its interval and n.
    pub fn operations_tiles(&self, grain: Grain, segment: Segment) -> Vec<Tile> {
        let f = self.metrics.figures(grain, segment);
        let l = self.locale;
        let label = l.fill("ci_label", &[("level", &self.level())]);
        let mut tiles = Vec::new();
        let mut tile = |key: &'static str, value: Option<(String, Option<String>, u64, bool)>| {
            tiles.push(Tile {
                key,
                label: self.t(key),
                description: self.t(&format!("{key}_description")),
                interval: value.as_ref().and_then(|v| v.1.clone()).map(|i| format!("{label} {i}")),
                n: value.as_ref().map(|v| l.fill("n_equals", &[("n", &l.count(v.2))])),
                low_sample: value.as_ref().is_some_and(|v| v.3),
                note: value.is_none().then(|| self.suppressed()),
                value: value.map(|v| v.0),
                change: None,
                target: None,
            })
        };
        let bounds = |ci| self.minutes_interval(ci);
        let durations = [
            (
                self.metrics.has_first_response(),
                &f.first_response_minutes,
                ["first_response_median", "first_response_p90"],
            ),
            (self.metrics.has_resolution(), &f.resolution_minutes, ["resolution_median", "resolution_p90"]),
        ];
        for (mapped, figure, [median, p90]) in durations {
            if !mapped {
                continue;
            }
            let d = figure.as_ref();
            tile(median, d.map(|d| (self.minutes(d.median), bounds(d.median_ci), d.n, d.low_sample)));
            tile(p90, d.map(|d| (self.minutes(d.p90), bounds(d.p90_ci), d.n, d.low_sample)));
        }
        if self.metrics.has_transfers() {
            let t = f.transfers.as_ref();
            tile(
                "transfers_mean",
                t.map(|t| (l.decimal(t.mean, 2), t.ci.map(|ci| l.interval(ci, 2)), t.n, t.low_sample)),
            );
        }
        tiles
    }

    /// CSAT % by the customer's survey count (1st, 2nd–3rd, 4th+), when customers are mapped.
    pub fn customer_history(&self, grain: Grain) -> Option<Figure> {
        if !self.metrics.has_customers() {
            return None;
        }
        let groups: Vec<GroupValue> = ["survey_first", "survey_second_third", "survey_fourth_on"]
            .iter()
            .enumerate()
            .map(|(v, key)| self.csat_group(grain, Segment::Visit(v as u8), self.t(key)))
            .collect();
        let frame = Frame { id: "csat-by-survey-count", title: &self.t("csat_by_survey_count"), layout: Layout::Half };
        Some(charts::groups(self.style, self.locale, frame, &self.t("col_survey_count"), Scale::Percent, &groups))
    }

    /// CSAT % of a group, as a bar with its interval.
    fn csat_group(&self, grain: Grain, segment: Segment, label: String) -> GroupValue {
        let f = self.metrics.figures(grain, segment);
        GroupValue {
            label,
            value: f.csat.as_ref().map(|c| c.percent),
            ci: f.csat.as_ref().map(|c| c.ci),
            n: f.csat.as_ref().map(|c| c.n),
        }
    }

    /// CSAT % by number of transfers and by first-response time, when those measures are mapped.
    pub fn operations(&self, grain: Grain) -> Vec<Figure> {
        let mut figures = Vec::new();
        let group = |segment: Segment, label: String| self.csat_group(grain, segment, label);
        if self.metrics.has_transfers() {
            let groups: Vec<GroupValue> =
                (0..4u8).map(|t| group(Segment::Transfers(t), TRANSFER_BUCKETS[usize::from(t)].to_string())).collect();
            let frame = Frame { id: "csat-by-transfers", title: &self.t("csat_by_transfers"), layout: Layout::Half };
            figures.push(charts::groups(
                self.style,
                self.locale,
                frame,
                &self.t("col_transfers"),
                Scale::Percent,
                &groups,
            ));
        }
        if self.metrics.has_first_response() {
            let groups: Vec<GroupValue> = self
                .metrics
                .first_response_buckets()
                .into_iter()
                .map(|(range, segment)| {
                    let label = match range {
                        [None, Some(hi)] => format!("< {}", duration(self.locale, hi)),
                        [Some(lo), Some(hi)] => format!("{}–{}", duration(self.locale, lo), duration(self.locale, hi)),
                        [Some(lo), None] => format!("≥ {}", duration(self.locale, lo)),
                        [None, None] => String::new(),
                    };
                    group(segment, label)
                })
                .collect();
            let frame =
                Frame { id: "csat-by-first-response", title: &self.t("csat_by_first_response"), layout: Layout::Half };
            figures.push(charts::groups(
                self.style,
                self.locale,
                frame,
                &self.t("col_first_response"),
                Scale::Percent,
                &groups,
            ));
        }
        figures
    }

    pub fn segment_tables(&self, grain: Grain) -> Vec<SegmentTable> {
        self.inputs
            .dimensions
            .iter()
            .enumerate()
            .map(|(d, dimension)| {
                let (mut hidden, mut protecting) = (0, 0);
                let mut rows: Vec<(u64, SegmentRow)> = Vec::new();
                for (v, value) in dimension.values.iter().enumerate() {
                    let segment = Segment::Value { dimension: d as u16, value: v as u32 };
                    let figures = self.metrics.figures(grain, segment);
                    match figures.responses {
                        // A small group is not even named: its name alone can identify a customer.
                        None if self.metrics.tally(grain, segment).responses >= self.metrics.rules.min_group => {
                            protecting += 1
                        }
                        None if self.metrics.tally(grain, segment).responses > 0 => hidden += 1,
                        None => {}
                        Some(n) => {
                            let mut row = self.segment_row(value, &figures);
                            row.url = self.segment_url(d as u16, v as u32);
                            rows.push((n, row))
                        }
                    }
                }
                // Largest groups first; ties by name, so the order never depends on the data's order.
                rows.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.value.cmp(&b.1.value)));
                let mut rows: Vec<SegmentRow> = rows.into_iter().map(|(_, r)| r).collect();
                let more = if rows.len() > SEGMENT_ROWS + 2 { rows.split_off(SEGMENT_ROWS) } else { Vec::new() };
                let low_sample = rows.iter().chain(&more).any(|r| r.cells.any_low());
                let total = self.locale.count((rows.len() + more.len()) as u64);
                let min_group = self.config.privacy.min_group.to_string();
                let notes = [
                    (hidden > 0).then(|| {
                        self.locale
                            .fill("groups_suppressed", &[("count", &self.locale.count(hidden)), ("n", &min_group)])
                    }),
                    (protecting > 0)
                        .then(|| self.locale.fill("groups_protecting", &[("count", &self.locale.count(protecting))])),
                ];
                let notes: Vec<String> = notes.into_iter().flatten().collect();
                let suppressed = (!notes.is_empty()).then(|| notes.join(" "));
                SegmentTable {
                    dimension: dimension.name.clone(),
                    label: humanize(&dimension.name),
                    rows,
                    more,
                    low_sample,
                    total,
                    suppressed,
                }
            })
            .filter(|t| !t.rows.is_empty() || t.suppressed.is_some())
            .collect()
    }

    fn segment_row(&self, value: &str, f: &Figures) -> SegmentRow {
        SegmentRow {
            value: value.to_string(),
            url: None,
            responses: f.responses.map(|r| self.locale.count(r)),
            cells: self.cells(f),
        }
    }

    /// CSAT, NPS and CES of a group as table cells: value, interval, low-sample mark.
    pub fn cells(&self, f: &Figures) -> Cells {
        let l = self.locale;
        Cells {
            csat: f.csat.as_ref().map(|c| Cell {
                value: l.percent(c.percent, 1),
                ci: Some(l.interval(c.ci, 1)),
                low: c.low_sample,
            }),
            nps: f.nps.as_ref().map(|c| Cell {
                value: l.decimal(c.score, 0),
                ci: Some(l.interval(c.ci, 0)),
                low: c.low_sample,
            }),
            ces: f.ces.as_ref().map(|c| Cell {
                value: l.decimal(c.mean, 2),
                ci: c.ci.map(|ci| l.interval(ci, 2)),
                low: c.low_sample,
            }),
        }
    }

    pub fn target_views(&self) -> Vec<TargetView> {
        self.metrics.targets.iter().map(|t| self.target_view(t)).collect()
    }

    pub fn target_view(&self, t: &TargetResult) -> TargetView {
        let l = self.locale;
        let figure = super::scorecard::FigureFormat::of(self, t.metric, t.stat.unwrap_or_default());
        let scope = scope_text(self.locale, &t.filter).unwrap_or_else(|| self.t("everyone"));
        TargetView {
            metric: figure.label(),
            scope,
            bound: figure.bounds(t.min, t.max),
            value: t.value.map(|x| figure.value(x)),
            interval: t.ci.map(|ci| figure.interval(ci)),
            n: t.n.map(|n| l.count(n)),
            period: t.period.as_deref().and_then(Period::parse_key).map(|p| l.period(p)),
            status: match t.status {
                Status::Met => "met",
                Status::Missed => "missed",
                Status::NoData => "no_data",
            },
            // A miss within the interval is worded as the scorecard words it.
            status_text: self.t(match t.status {
                Status::Met => "target_met",
                Status::Missed if t.value.is_some_and(|v| Standing::of(v, t.ci, t.min, t.max) == Standing::Close) => {
                    "scorecard_close"
                }
                Status::Missed => "target_missed",
                Status::NoData => "target_no_data",
            }),
        }
    }
}

/// Rows of a segment table shown before "show all".
const SEGMENT_ROWS: usize = 8;

#[derive(Debug, Clone, Serialize)]
pub struct SegmentTable {
    pub dimension: String,
    pub label: String,
    /// The largest groups.
    pub rows: Vec<SegmentRow>,
    /// The others, behind "show all".
    pub more: Vec<SegmentRow>,
    /// Whether any figure is marked low-sample (and the table needs its footnote).
    pub low_sample: bool,
    /// How many groups are shown.
    pub total: String,
    /// "3 groups with fewer than 5 responses each are not shown", when some are.
    pub suppressed: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SegmentRow {
    pub value: String,
    /// The value's own page, when it has one.
    pub url: Option<String>,
    pub responses: Option<String>,
    pub cells: Cells,
}

/// A figure in a table: its value, its interval and whether it rests on few answers.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub value: String,
    pub ci: Option<String>,
    pub low: bool,
}

/// The headline figures of one row; a suppressed or unanswered figure is absent.
#[derive(Debug, Clone, Serialize)]
pub struct Cells {
    pub csat: Option<Cell>,
    pub nps: Option<Cell>,
    pub ces: Option<Cell>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetView {
    pub metric: String,
    pub scope: String,
    pub bound: String,
    pub value: Option<String>,
    /// "95% CI 81.5–86.2".
    pub interval: Option<String>,
    pub n: Option<String>,
    pub period: Option<String>,
    pub status: &'static str,
    pub status_text: String,
}

impl Cells {
    pub fn any_low(&self) -> bool {
        [&self.csat, &self.nps, &self.ces].iter().any(|c| c.as_ref().is_some_and(|c| c.low))
    }
}

/// The group a target, case study or filter describes: "Touchpoint = onboarding", its
/// conditions listed as `locale` lists; `None` for everyone.
pub fn scope_text(locale: &Locale, filter: &indexmap::IndexMap<String, String>) -> Option<String> {
    let pairs = filter.iter().map(|(k, v)| format!("{} = {v}", humanize(k)));
    (!filter.is_empty()).then(|| locale.list(pairs))
}

/// `first_response_minutes` -> "First response minutes".
pub fn humanize(name: &str) -> String {
    let text = name.replace(['_', '-'], " ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

/// Minutes as people say them, in the site's language: 45 min, 4 h, 2 d.
pub(super) fn duration(locale: &Locale, minutes: f64) -> String {
    let (key, n) = if minutes >= 1440.0 && minutes % 1440.0 == 0.0 {
        ("unit_days", minutes / 1440.0)
    } else if minutes >= 60.0 && minutes % 60.0 == 0.0 {
        ("unit_hours", minutes / 60.0)
    } else {
        ("unit_minutes", minutes)
    };
    locale.fill(key, &[("n", &locale.decimal(n, if n.fract() == 0.0 { 0 } else { 1 }))])
}
