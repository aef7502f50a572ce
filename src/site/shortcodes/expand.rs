//! Checked shortcodes -> HTML, through the theme's `templates/shortcodes/*.html`.
//!
//! Figures are the ones the pages show: a metric is read off the same tile a
//! report shows for its period and group, a table is the report's segment
//! table, so commentary and page can never disagree.

use serde::Serialize;

use super::super::pages::{headline_kind, headline_period, window};
use super::super::views::{Ctx, SegmentTable, Tile, humanize};
use super::{Call, ChartKind, Figure, Show, When, Who};
use crate::charts::{self, Bar, Frame, GroupValue, Layout, Scale};
use crate::config::{MetricName, PeriodKind};
use crate::content::{CaseStudy, Markdown, Scope, Substitute};
use crate::error::Error;
use crate::metrics::{Grain, Period, Segment};
use crate::render::Renderer;
use crate::site::Site;

/// The most lines a trend by a dimension draws beside everyone's.
const TREND_GROUPS: usize = 5;

/// Turns every shortcode into HTML and renders the markdown around it.
pub(in crate::site) fn expand(site: &mut Site, calls: &super::Calls) -> Result<(), Error> {
    if calls.documents.is_empty() {
        return Ok(());
    }
    let expansions = {
        let comments =
            super::super::comments::Comments::new(&site.config, &site.metrics, &site.comment_lists, &site.theme.locale);
        let segment_pages = super::super::pages::segment_pages(&site.inputs, &site.metrics);
        let ctx = site.ctx(&comments, &segment_pages);
        let jobs = super::super::pages::plan(&ctx, &site.content);
        let renderer = Renderer::new(&site.theme, &site.globals(&jobs))?;
        let mut expansions = Vec::new();
        for ((scope, markdown), document) in site.content.documents().into_iter().zip(&calls.documents) {
            let mut page = Page {
                ctx: &ctx,
                renderer: &renderer,
                markdown,
                cases: &site.content.cases,
                filters: &calls.filters,
                root: root(scope),
                charts: 0,
            };
            expansions.push(document.iter().map(|call| page.expand(call)).collect::<Result<Vec<_>, Error>>()?);
        }
        expansions
    };
    site.content.expand(expansions);
    Ok(())
}

/// The prefix that leads from a document's page to the site root.
fn root(scope: Scope) -> &'static str {
    match scope {
        Scope::Dashboard => "",
        Scope::Page => "../",
        Scope::Report(_) | Scope::Case(_) => "../../",
    }
}

/// One document being expanded.
struct Page<'a> {
    ctx: &'a Ctx<'a>,
    renderer: &'a Renderer,
    markdown: &'a Markdown,
    cases: &'a [CaseStudy],
    /// The shortcodes' own filters, after the case studies'.
    filters: &'a [indexmap::IndexMap<String, String>],
    root: &'static str,
    /// Charts so far, for unique ids.
    charts: usize,
}

#[derive(Serialize)]
struct MetricView<'a> {
    root: &'a str,
    show: &'static str,
    /// The figure; absent when the period has no responses at all.
    tile: Option<Tile>,
    /// What the figure is of: "October 2026", "October 2026 · channel = email".
    scope: String,
    /// Why no value is shown.
    note: String,
}

#[derive(Serialize)]
struct ChartView<'a> {
    root: &'a str,
    figure: Option<charts::Figure>,
    note: String,
}

#[derive(Serialize)]
struct TableView<'a> {
    root: &'a str,
    table: Option<SegmentTable>,
    /// Unique on the page (the report's own segment tables use `segment-<dimension>`).
    table_id: String,
    note: String,
}

impl Page<'_> {
    fn expand(&mut self, call: &Call) -> Result<Substitute, Error> {
        let renderer = self.renderer;
        let (html, block) = match call {
            Call::Metric { figure, when, who, show, name_span } => {
                let view = self.metric(*figure, when, *who, *show, name_span)?;
                (renderer.render("shortcodes/metric.html", &view)?, false)
            }
            Call::Chart { kind, metric, when, who, by, periods } => {
                let view = self.chart(*kind, *metric, when, *who, *by, *periods)?;
                (renderer.render("shortcodes/chart.html", &view)?, true)
            }
            Call::Table { by, when } => (renderer.render("shortcodes/table.html", &self.table(*by, when)?)?, true),
        };
        Ok(Substitute { html: html.trim().to_string(), block })
    }

    /// The grain of `when`, and its period; `None` when the site has no responses to be latest.
    fn grain(&self, when: &When) -> Result<Option<(Grain, Option<Period>)>, Error> {
        Ok(match when {
            When::All => Some((Grain::All, None)),
            When::Latest => headline_period(self.ctx).map(|p| (Grain::Period(p), Some(p))),
            When::Period(p, span) => {
                let m = self.ctx.metrics;
                if let Some(span) = span
                    && m.tally(Grain::Period(*p), Segment::All).responses == 0
                {
                    let help = match (m.first_day, m.last_day) {
                        (Some(a), Some(b)) => format!("the responses run from {a} to {b}"),
                        _ => "there are no responses yet".to_string(),
                    };
                    let message = format!("no response falls in {} ({})", self.ctx.locale.period(*p), p.key());
                    return Err(self.error(span.clone(), message, "no data", help));
                }
                Some((Grain::Period(*p), Some(*p)))
            }
        })
    }

    fn segment(&self, who: Who) -> Segment {
        match who {
            Who::Everyone => Segment::All,
            Who::Segment(s) => s,
            Who::Filter(i) | Who::Case(i) => self.ctx.metrics.filter_segment(i),
        }
    }

    fn error(&self, span: std::ops::Range<usize>, message: String, label: &str, help: String) -> Error {
        Error::Content(crate::content::ContentError::Invalid(Box::new(self.markdown.error(span, message, label, help))))
    }

    /// "October 2026", "all responses, …", with the group when there is one.
    fn scope_label(&self, period: Option<Period>, who: Who) -> String {
        let when = period.map_or_else(|| self.ctx.data_range(), |p| self.ctx.locale.period(p));
        match self.group_label(who) {
            Some(group) => format!("{when} · {group}"),
            None => when,
        }
    }

    /// "touchpoint = onboarding", "channel = email, account = Contoso"; none for everyone.
    fn group_label(&self, who: Who) -> Option<String> {
        match who {
            Who::Everyone => None,
            Who::Segment(Segment::Value { dimension, value }) => {
                let d = &self.ctx.inputs.dimensions[usize::from(dimension)];
                Some(format!("{} = {}", humanize(&d.name), d.values[value as usize]))
            }
            Who::Segment(_) => None,
            Who::Case(i) => self.cases.get(i).map(|c| c.customer.clone()),
            Who::Filter(i) => {
                let filter = self.filters.get(i.wrapping_sub(self.cases.len()))?;
                super::super::views::scope_text(self.ctx.locale, filter)
            }
        }
    }

    fn suppressed(&self) -> String {
        self.ctx.locale.fill("suppressed", &[("n", &self.ctx.config.privacy.min_group.to_string())])
    }

    fn metric(
        &self,
        figure: Figure,
        when: &When,
        who: Who,
        show: Show,
        name_span: &std::ops::Range<usize>,
    ) -> Result<MetricView<'_>, Error> {
        let show = super::SHOWS.iter().find(|(_, s)| *s == show).map_or("value", |(n, _)| n);
        let Some((grain, period)) = self.grain(when)? else {
            return Ok(MetricView {
                root: self.root,
                show,
                tile: None,
                scope: String::new(),
                note: self.ctx.t("no_data"),
            });
        };
        let segment = self.segment(who);
        let ctx = self.ctx;
        let tile = match figure {
            Figure::Headline(m @ (MetricName::CsatMean | MetricName::CesEasy)) => self.reading_tile(m, grain, segment),
            Figure::Headline(_) | Figure::Responses => {
                let key = match figure {
                    Figure::Headline(m) => m.key(),
                    _ => "responses",
                };
                let change = period.map(|p| {
                    (
                        ctx.metrics.change(p, segment),
                        ctx.locale.fill("versus", &[("period", &ctx.locale.period(p.previous()))]),
                    )
                });
                let change = change.as_ref().map(|(c, against)| (c, against.clone()));
                ctx.tiles(grain, segment, change).into_iter().find(|t| t.key == key)
            }
            Figure::Operations(key) => ctx.operations_tiles(grain, segment).into_iter().find(|t| t.key == key),
        };
        let Some(tile) = tile else {
            let name = super::FIGURES.iter().find(|(_, f)| *f == figure).map_or("", |(n, _)| n);
            let help = match figure {
                Figure::Operations(key) if key.starts_with("first_response") => {
                    "map a `first_response_minutes` column under [sources.measures] in site.toml"
                }
                Figure::Operations(key) if key.starts_with("resolution") => {
                    "map a `resolution_minutes` column under [sources.measures] in site.toml"
                }
                Figure::Operations(_) => "map a `transfers` column under [sources.measures] in site.toml",
                _ => "map its column under [sources.columns] in site.toml, or quote another figure",
            };
            return Err(self.error(name_span.clone(), format!("no response answers `{name}`"), "no data", help.into()));
        };
        let note = tile.note.clone().unwrap_or_else(|| self.suppressed());
        Ok(MetricView { root: self.root, show, scope: self.scope_label(period, who), tile: Some(tile), note })
    }

    /// A tile for a figure the headline tiles leave out (CSAT mean, CES % easy).
    fn reading_tile(&self, metric: MetricName, grain: Grain, segment: Segment) -> Option<Tile> {
        let ctx = self.ctx;
        let l = ctx.locale;
        let everyone = ctx.metrics.tally(Grain::All, Segment::All);
        let asked = if metric == MetricName::CsatMean { everyone.csat.n() } else { everyone.ces.n() } > 0;
        if !asked {
            return None;
        }
        let reading = ctx.metrics.figures(grain, segment).reading(metric);
        let format = |x: f64| if metric == MetricName::CesEasy { l.percent(x, 1) } else { l.decimal(x, 2) };
        let places = if metric == MetricName::CesEasy { 1 } else { 2 };
        Some(Tile {
            key: metric.key(),
            label: ctx.t(metric.key()),
            description: String::new(),
            value: reading.map(|r| format(r.value)),
            interval: reading.and_then(|r| r.ci).map(|ci| ctx.interval_text(ci, places)),
            n: reading.map(|r| l.fill("n_equals", &[("n", &l.count(r.n))])),
            low_sample: reading.is_some_and(|r| r.low_sample),
            note: reading.is_none().then(|| self.suppressed()),
            change: None,
            target: None,
        })
    }

    fn chart(
        &mut self,
        kind: ChartKind,
        metric: MetricName,
        when: &When,
        who: Who,
        by: Option<usize>,
        periods: usize,
    ) -> Result<ChartView<'_>, Error> {
        self.charts += 1;
        let id = format!("commentary-chart-{}", self.charts);
        let Some((grain, period)) = self.grain(when)? else {
            return Ok(ChartView { root: self.root, figure: None, note: self.ctx.t("no_data") });
        };
        let segment = self.segment(who);
        let figure = match kind {
            ChartKind::Trend => Some(self.trend(&id, metric, period, segment, periods, by)),
            ChartKind::Distribution => self.distribution(&id, metric, grain, segment),
            ChartKind::Nps => {
                let last = period.or_else(|| self.latest_of(headline_kind(self.ctx)));
                let span = last.map(|p| window(self.ctx, p, periods)).unwrap_or_default();
                self.ctx.nps_composition(&id, &span, segment)
            }
            ChartKind::Groups => self.groups(&id, metric, grain, by.expect("checked: groups have `by`")),
        };
        // A chart of one group says which in its title.
        let figure = figure.map(|mut f| {
            if let Some(group) = self.group_label(who) {
                f.title = format!("{} · {group}", f.title);
            }
            f
        });
        Ok(ChartView { root: self.root, figure, note: self.suppressed() })
    }

    /// The last period of `kind` with responses.
    fn latest_of(&self, kind: PeriodKind) -> Option<Period> {
        self.ctx.metrics.last_day.map(|d| Period::containing(kind, d))
    }

    /// `metric` by month over `count` months to the end of `period` (all time: to the last response).
    fn trend(
        &self,
        id: &str,
        metric: MetricName,
        period: Option<Period>,
        segment: Segment,
        count: usize,
        by: Option<usize>,
    ) -> charts::Figure {
        let ctx = self.ctx;
        let l = ctx.locale;
        let end = period
            .map(|p| Period::containing(PeriodKind::Month, p.end()))
            .or_else(|| self.latest_of(PeriodKind::Month));
        let months = end.map(|p| window(ctx, p, count)).unwrap_or_default();
        let points = |segment: Segment| ctx.points(&months, segment, metric);
        let label = ctx.t(metric.key());
        let mut title = if metric == MetricName::Csat {
            ctx.t("csat_trend")
        } else {
            l.fill("metric_by_month", &[("metric", &label)])
        };
        let mut series = if metric == MetricName::Csat { ctx.t("csat_percent") } else { label };
        if let Some(d) = by {
            // Everyone's line, with its band, and the largest groups beside it.
            let dimension = crate::site::views::humanize(&ctx.inputs.dimensions[d].name);
            title = l.fill("trend_by_dimension", &[("title", &title), ("dimension", &dimension)]);
            series = ctx.t("all_customers");
        }
        let band = l.fill("interval_legend", &[("level", &ctx.level())]);
        let points_here = points(segment);
        let spec = charts::Trend {
            series: &series,
            band: &band,
            scale: Scale::of(metric, ctx.config),
            points: &points_here,
            target: ctx.config.headline_target(metric),
            comparison: (segment != Segment::All).then(|| (ctx.t("all_customers"), points(Segment::All))),
            groups: by
                .map(|d| self.largest_groups(d, TREND_GROUPS))
                .unwrap_or_default()
                .into_iter()
                .map(|(label, segment)| (label, points(segment)))
                .collect(),
        };
        charts::trend(ctx.style, l, Frame { id, title: &title, layout: Layout::Half }, &spec)
    }

    /// Up to `count` values of dimension `d` published over all time, largest first (ties by name).
    fn largest_groups(&self, d: usize, count: usize) -> Vec<(String, Segment)> {
        let ctx = self.ctx;
        let mut groups: Vec<(u64, String, Segment)> = ctx
            .segment_pages
            .range((d as u16, 0)..=(d as u16, u32::MAX))
            .filter_map(|(&(dimension, value), _)| {
                let segment = Segment::Value { dimension, value };
                let n = ctx.metrics.figures(Grain::All, segment).responses?;
                Some((n, ctx.inputs.dimensions[d].values[value as usize].clone(), segment))
            })
            .collect();
        groups.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        groups.into_iter().take(count).map(|(_, label, segment)| (label, segment)).collect()
    }

    /// Answers by score.
    fn distribution(&self, id: &str, metric: MetricName, grain: Grain, segment: Segment) -> Option<charts::Figure> {
        let ctx = self.ctx;
        let f = ctx.metrics.figures(grain, segment);
        let (lowest, counts) = match metric {
            MetricName::Csat => return ctx.csat_distribution(id, &f),
            MetricName::Nps => (0, &f.nps.as_ref()?.distribution),
            _ => (ctx.config.metrics.ces.scale[0], &f.ces.as_ref()?.distribution),
        };
        let bars: Vec<Bar> =
            counts.iter().enumerate().map(|(i, &count)| Bar { label: (lowest + i as u8).to_string(), count }).collect();
        let title = ctx.locale.fill("score_distribution", &[("metric", &ctx.t(metric.key()))]);
        Some(charts::distribution(ctx.style, ctx.locale, Frame { id, title: &title, layout: Layout::Half }, &bars))
    }

    /// `metric` for each published group of dimension `d`, largest groups first.
    fn groups(&self, id: &str, metric: MetricName, grain: Grain, d: usize) -> Option<charts::Figure> {
        let ctx = self.ctx;
        let dimension = &ctx.inputs.dimensions[d];
        let mut groups: Vec<(u64, GroupValue)> = dimension
            .values
            .iter()
            .enumerate()
            .filter_map(|(v, name)| {
                let f = ctx.metrics.figures(grain, Segment::Value { dimension: d as u16, value: v as u32 });
                // A group too small to publish is not even named.
                let responses = f.responses?;
                let r = f.reading(metric);
                Some((
                    responses,
                    GroupValue {
                        label: name.clone(),
                        value: r.map(|r| r.value),
                        ci: r.and_then(|r| r.ci),
                        n: r.map(|r| r.n),
                    },
                ))
            })
            .collect();
        if groups.is_empty() {
            return None;
        }
        groups.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.label.cmp(&b.1.label)));
        groups.truncate(GROUPS);
        let groups: Vec<GroupValue> = groups.into_iter().map(|(_, g)| g).collect();
        let column = humanize(&dimension.name);
        let named = dimension.name.replace(['_', '-'], " ");
        let title = ctx.locale.fill("metric_by_dimension", &[("metric", &ctx.t(metric.key())), ("dimension", &named)]);
        let frame = Frame { id, title: &title, layout: Layout::Half };
        Some(charts::groups(ctx.style, ctx.locale, frame, &column, Scale::of(metric, ctx.config), &groups))
    }

    fn table(&self, by: usize, when: &When) -> Result<TableView<'_>, Error> {
        let name = &self.ctx.inputs.dimensions[by].name;
        let table_id = format!("commentary-segment-{name}");
        let Some((grain, _)) = self.grain(when)? else {
            return Ok(TableView { root: self.root, table: None, table_id, note: self.ctx.t("no_data") });
        };
        let table = self.ctx.segment_tables(grain).into_iter().find(|t| t.dimension == *name);
        Ok(TableView { root: self.root, table, table_id, note: self.suppressed() })
    }
}

/// Bars of a groups chart at most: the largest groups.
const GROUPS: usize = 12;
