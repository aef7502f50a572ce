//! The pages of a site: which exist, where they go, and the view each is rendered with.

use serde::Serialize;

use super::comments::{CommentFilter, Tone, Verbatim};
use super::groups::{VersusRest, versus_rest};
use super::views::{Cells, ChangeView, Ctx, Link, SegmentTable, TargetView, Tile};
use crate::charts::Figure;
use crate::config::{Config, PeriodKind};
use crate::content::{CaseStudy, Content, Page};
use crate::ingest::Inputs;
use crate::metrics::{Change, Grain, Metrics, Period, Segment};
use crate::render::Theme;
use std::collections::BTreeMap;

/// A page to render: where it goes and what it shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    Dashboard,
    Reports,
    Report(Period),
    Cases,
    Case(usize),
    Page(usize),
    Methodology,
    Segments,
    /// One value of one dimension, and where its page goes.
    Segment {
        dimension: u16,
        value: u32,
        slug: String,
    },
    Events,
    /// One event of `[[events]]`, and where its page goes.
    Event {
        index: usize,
        slug: String,
    },
    /// A page of the comments browser: all comments or one list, 1-based page.
    Comments {
        filter: Option<CommentFilter>,
        page: usize,
    },
    DataQuality,
    Scorecard,
}

impl Job {
    /// Output path relative to the output folder; pages link to each other by these paths.
    pub fn path(&self, content: &Content) -> String {
        match self {
            Job::Dashboard => "index.html".into(),
            Job::Reports => "reports/index.html".into(),
            Job::Report(p) => report_path(*p),
            Job::Cases => "cases/index.html".into(),
            Job::Case(i) => format!("cases/{}/index.html", content.cases[*i].slug),
            Job::Page(i) => format!("{}/index.html", content.pages[*i].slug),
            Job::Methodology => "methodology/index.html".into(),
            Job::Segments => "segments/index.html".into(),
            Job::Segment { slug, .. } => segment_path(slug),
            Job::Events => "events/index.html".into(),
            Job::Event { slug, .. } => event_path(slug),
            Job::Comments { filter, page } => super::comments::page_path(*filter, *page),
            Job::DataQuality => "data-quality/index.html".into(),
            Job::Scorecard => "scorecard/index.html".into(),
        }
    }

    /// A link to this page.
    pub fn link(&self, content: &Content, label: impl Into<String>) -> Link {
        Link { label: label.into(), url: self.path(content) }
    }

    pub fn template(&self) -> &'static str {
        match self {
            Job::Dashboard => "index.html",
            Job::Reports => "reports.html",
            Job::Report(_) => "report.html",
            Job::Cases => "cases.html",
            Job::Case(_) => "case.html",
            Job::Page(_) => "page.html",
            Job::Methodology => "methodology.html",
            Job::Segments => "segments.html",
            Job::Segment { .. } => "segment.html",
            Job::Events => "events.html",
            Job::Event { .. } => "event.html",
            Job::Comments { .. } => "comments.html",
            Job::DataQuality => "data_quality.html",
            Job::Scorecard => "scorecard.html",
        }
    }

    /// The navigation section the page belongs to.
    pub fn section(&self) -> &'static str {
        match self {
            Job::Dashboard => "dashboard",
            Job::Reports | Job::Report(_) => "reports",
            Job::Cases | Job::Case(_) => "cases",
            Job::Page(_) => "page",
            Job::Methodology => "methodology",
            Job::Segments | Job::Segment { .. } => "segments",
            Job::Events | Job::Event { .. } => "events",
            Job::Comments { .. } => "comments",
            Job::DataQuality => "data-quality",
            Job::Scorecard => "scorecard",
        }
    }
}

/// Where the page of the segment with `slug` ("channel/email") goes.
pub fn segment_path(slug: &str) -> String {
    format!("segments/{slug}/index.html")
}

/// Where the page of the event with `slug` goes.
pub fn event_path(slug: &str) -> String {
    format!("events/{slug}/index.html")
}

/// Where the report of `period` goes.
pub fn report_path(period: Period) -> String {
    format!("reports/{}/index.html", period.slug())
}

/// Every page of the site, in a fixed order.
pub fn plan(ctx: &Ctx, content: &Content) -> Vec<Job> {
    let mut jobs = vec![Job::Dashboard, Job::Reports];
    jobs.extend(published_reports(ctx).into_iter().map(Job::Report));
    // A scorecard needs something to judge: a target or a KPI.
    if !ctx.config.targets.is_empty() || !ctx.config.kpis.is_empty() {
        jobs.push(Job::Scorecard);
    }
    if !content.cases.is_empty() {
        jobs.push(Job::Cases);
        jobs.extend((0..content.cases.len()).map(Job::Case));
    }
    if !ctx.segment_pages.is_empty() {
        jobs.push(Job::Segments);
        jobs.extend(ctx.segment_pages.iter().map(|(&(dimension, value), slug)| Job::Segment {
            dimension,
            value,
            slug: slug.clone(),
        }));
    }
    if !ctx.config.events.is_empty() {
        jobs.push(Job::Events);
        jobs.extend(event_slugs(ctx.config).into_iter().enumerate().map(|(index, slug)| Job::Event { index, slug }));
    }
    if !ctx.comments.is_empty() {
        let lists = std::iter::once(None).chain(ctx.comments.filters.iter().map(|(f, _)| Some(*f)));
        for filter in lists {
            jobs.extend((1..=ctx.comments.pages(filter)).map(|page| Job::Comments { filter, page }));
        }
    }
    jobs.extend((0..content.pages.len()).map(Job::Page));
    jobs.push(Job::DataQuality);
    jobs.push(Job::Methodology);
    jobs
}

/// What an edit asks of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redo {
    /// It is as it was.
    Nothing,
    /// Only its templates changed: the same context, rendered again.
    Template,
    /// What it shows changed: made again from the start.
    View,
}

/// What an edit asks of each page.
pub type Affected = Box<dyn Fn(&Job) -> Redo + Sync>;

/// The pages that edits of the files at `changed` (relative to the site root) can change, when
/// each is commentary whose page is known or a template:
/// - `content/_index.md`: the dashboard;
/// - `content/reports/<key>.md`: its report, and the dashboard and report list that mark which
///   reports have commentary;
/// - a page template of the site (`templates/`) or of its theme folder (`themes/<theme>/templates/`):
///   the pages made from a template that is, extends or includes it, at any depth
///   ([`Theme::users_of`]). Shortcode templates are expanded into the commentary before any
///   page is made, so they count as "anything else".
///
/// `None` for anything else: every page may change.
pub fn affected_by(changed: &[String], theme: &Theme, theme_name: &str) -> Option<Affected> {
    let mut dashboard = false;
    let mut reports: Vec<Period> = Vec::new();
    let mut templates: Vec<String> = Vec::new();
    let theme_templates = format!("themes/{theme_name}/templates/");
    for path in changed {
        if path == "content/_index.md" {
            dashboard = true;
        } else if let Some(name) = path.strip_prefix("templates/").or_else(|| path.strip_prefix(&theme_templates)) {
            if name.starts_with("shortcodes/") {
                return None;
            }
            templates.push(name.to_string());
        } else {
            let stem = path.strip_prefix("content/reports/")?.strip_suffix(".md")?;
            reports.push(Period::parse_key(stem)?);
            dashboard = true;
        }
    }
    let users = if templates.is_empty() { Default::default() } else { theme.users_of(&templates)? };
    let listed = !reports.is_empty();
    Some(Box::new(move |job: &Job| {
        let shows_commentary = match job {
            Job::Dashboard => dashboard,
            Job::Reports => listed,
            Job::Report(p) => reports.contains(p),
            _ => false,
        };
        if shows_commentary {
            Redo::View
        } else if users.contains(job.template()) {
            Redo::Template
        } else {
            Redo::Nothing
        }
    }))
}

/// URL path segments for `names`, unique among themselves: "email", "e-mail-2", "value-3" for a name without letters.
pub fn unique_slugs<'s>(names: impl IntoIterator<Item = &'s str>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    names
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let base = crate::content::slugify(name);
            let base = if base.is_empty() { format!("value-{}", i + 1) } else { base };
            let mut slug = base.clone();
            let mut k = 2;
            while !seen.insert(slug.clone()) {
                slug = format!("{base}-{k}");
                k += 1;
            }
            slug
        })
        .collect()
}

/// Where each event's page goes, from its title.
pub fn event_slugs(config: &Config) -> Vec<String> {
    unique_slugs(config.events.iter().map(|e| e.title.as_str()))
}

/// The page of every dimension value published over all time, by (dimension, value): its slug.
pub fn segment_pages(inputs: &Inputs, metrics: &Metrics) -> BTreeMap<(u16, u32), String> {
    use rayon::prelude::*;
    let dimensions = unique_slugs(inputs.dimensions.iter().map(|d| d.name.as_str()));
    let mut candidates = Vec::new();
    for (d, (dimension, dim_slug)) in inputs.dimensions.iter().zip(&dimensions).enumerate() {
        let slugs = unique_slugs(dimension.values.iter().map(String::as_str));
        candidates.extend(slugs.into_iter().enumerate().map(|(v, slug)| ((d as u16, v as u32), dim_slug, slug)));
    }
    // Whether a value is published is its figures over all time, which its page shows next.
    candidates
        .into_par_iter()
        .filter(|&((dimension, value), ..)| {
            metrics.figures(Grain::All, Segment::Value { dimension, value }).responses.is_some()
        })
        .map(|(key, dim_slug, slug)| (key, format!("{dim_slug}/{slug}")))
        .collect()
}

/// Periods with a report: every configured kind, every period with responses.
pub fn published_reports(ctx: &Ctx) -> Vec<Period> {
    ctx.config.periods.iter().flat_map(|&kind| ctx.metrics.published(kind)).collect()
}

/// The shortest period kind the site reports on, preferring months for the dashboard.
pub fn headline_kind(ctx: &Ctx) -> PeriodKind {
    if ctx.config.periods.contains(&PeriodKind::Month) { PeriodKind::Month } else { ctx.config.periods[0] }
}

/// The period the dashboard is about: the latest that has ended, else the latest with data.
pub fn headline_period(ctx: &Ctx) -> Option<Period> {
    let kind = headline_kind(ctx);
    ctx.metrics.latest_complete(kind).or_else(|| ctx.metrics.periods(kind).last().copied())
}

/// Up to `count` periods of `period`'s kind, ending with it.
pub(super) fn window(ctx: &Ctx, period: Period, count: usize) -> Vec<Period> {
    let mut periods: Vec<Period> = ctx.metrics.periods(period.kind).into_iter().filter(|p| *p <= period).collect();
    let skip = periods.len().saturating_sub(count);
    periods.drain(..skip);
    periods
}

fn change_against(ctx: &Ctx, period: Period, segment: Segment) -> (Change, String) {
    (
        ctx.metrics.change(period, segment),
        ctx.locale.fill("versus", &[("period", &ctx.locale.period(period.previous()))]),
    )
}

#[derive(Debug, Serialize)]
pub struct DashboardView {
    pub period: Option<Link>,
    pub kind_label: String,
    pub partial_note: Option<String>,
    pub tiles: Vec<Tile>,
    pub commentary: Option<String>,
    pub commentary_title: Option<String>,
    pub trend: Option<Figure>,
    pub composition: Option<Figure>,
    pub distribution: Option<Figure>,
    pub operations_tiles: Vec<Tile>,
    pub operations: Vec<Figure>,
    pub operations_scope: String,
    /// Returning customers over time and CSAT by survey count.
    pub customers: Vec<Figure>,
    pub targets: Vec<TargetView>,
    pub reports: Vec<ReportRow>,
    pub cases: Vec<CaseRow>,
}

pub fn dashboard(ctx: &Ctx, content: &Content) -> DashboardView {
    let period = headline_period(ctx);
    let (tiles, trend, composition, distribution, partial_note) = match period {
        Some(p) => {
            let change = change_against(ctx, p, Segment::All);
            let months = window(ctx, Period::containing(PeriodKind::Month, p.end()), 13);
            let partial_note = ctx
                .metrics
                .is_partial(p)
                .then(|| ctx.locale.fill("partial_note", &[("period", &ctx.locale.period(p))]));
            (
                ctx.tiles(Grain::Period(p), Segment::All, Some((&change.0, change.1.clone()))),
                Some(ctx.csat_trend("trend", &months, Segment::All, None)),
                ctx.nps_composition("nps", &window(ctx, p, 6), Segment::All),
                ctx.csat_distribution("distribution", &ctx.metrics.figures(Grain::Period(p), Segment::All)),
                partial_note,
            )
        }
        None => (Vec::new(), None, None, None, None),
    };
    let mut reports: Vec<ReportRow> = published_reports(ctx)
        .into_iter()
        .filter(|p| p.kind == headline_kind(ctx))
        .map(|p| report_row(ctx, content, p))
        .collect();
    reports.reverse();
    reports.truncate(6);
    DashboardView {
        period: period.map(|p| ctx.period_link(p)),
        kind_label: ctx.locale.kind_report(headline_kind(ctx)).to_string(),
        partial_note,
        tiles,
        commentary: content.index.as_ref().map(|p| p.html.clone()),
        commentary_title: content.index.as_ref().and_then(|p| p.title.clone()),
        trend,
        composition,
        distribution,
        operations_tiles: ctx.operations_tiles(Grain::All, Segment::All),
        operations: ctx.operations(Grain::All),
        operations_scope: ctx.data_range(),
        customers: match ctx.metrics.last_day {
            Some(last) => {
                let months = window(ctx, Period::containing(PeriodKind::Month, last), 13);
                ctx.returning_trend(&months).into_iter().chain(ctx.customer_history(Grain::All)).collect()
            }
            None => Vec::new(),
        },
        targets: ctx.target_views(),
        reports,
        cases: content.cases.iter().map(|c| case_row(ctx, content, c)).collect(),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportRow {
    pub link: Link,
    pub partial: bool,
    /// Absent when the period has too few responses to publish.
    pub responses: Option<String>,
    pub cells: Cells,
    /// CSAT against the previous period.
    pub change: Option<ChangeView>,
    pub has_commentary: bool,
}

fn report_row(ctx: &Ctx, content: &Content, p: Period) -> ReportRow {
    let (change, against) = change_against(ctx, p, Segment::All);
    let figures = ctx.metrics.figures(Grain::Period(p), Segment::All);
    ReportRow {
        link: ctx.period_link(p),
        partial: ctx.metrics.is_partial(p),
        responses: figures.responses.map(|n| ctx.locale.count(n)),
        cells: ctx.cells(&figures),
        change: change.csat.map(|d| ctx.change_view(d, 1, &ctx.t("unit_points"), &against)),
        has_commentary: content.reports.contains_key(&p),
    }
}

#[derive(Debug, Serialize)]
pub struct ReportGroup {
    pub label: String,
    pub rows: Vec<ReportRow>,
}

#[derive(Debug, Serialize)]
pub struct ReportsView {
    pub groups: Vec<ReportGroup>,
}

pub fn reports(ctx: &Ctx, content: &Content) -> ReportsView {
    let all = published_reports(ctx);
    // Longest periods first: a reader looks for the quarter before the week.
    let groups = ctx
        .config
        .periods
        .iter()
        .rev()
        .map(|&kind| {
            let mut rows: Vec<ReportRow> =
                all.iter().filter(|p| p.kind == kind).map(|&p| report_row(ctx, content, p)).collect();
            rows.reverse();
            ReportGroup { label: ctx.locale.kind_reports(kind).to_string(), rows }
        })
        .filter(|g| !g.rows.is_empty())
        .collect();
    ReportsView { groups }
}

#[derive(Debug, Serialize)]
pub struct ReportView {
    pub key: String,
    pub title: String,
    pub kind_label: String,
    pub dates: String,
    pub partial_note: Option<String>,
    pub commentary: Option<Commentary>,
    pub tiles: Vec<Tile>,
    pub trend: Figure,
    pub distribution: Option<Figure>,
    pub composition: Option<Figure>,
    pub segments: Vec<SegmentTable>,
    pub operations_tiles: Vec<Tile>,
    pub operations: Vec<Figure>,
    pub customers: Vec<Figure>,
    /// Response rate and survey fatigue.
    pub outreach: Option<super::outreach::OutreachView>,
    /// What the period's comments are about, when the site has `[topics]`.
    pub topics: Option<super::topics::TopicsView>,
    /// The newest comments of the period that lean positive and negative; empty when comments are not published.
    pub positive: Vec<Verbatim>,
    pub negative: Vec<Verbatim>,
    pub previous: Option<Link>,
    pub next: Option<Link>,
    /// The report on one page: its targets, the groups that stand out, three comments; `None`
    /// when no template of the theme reads it.
    pub brief: Option<super::brief::Brief>,
}

#[derive(Debug, Serialize)]
pub struct Commentary {
    pub title: Option<String>,
    pub html: String,
}

pub fn report(ctx: &Ctx, content: &Content, p: Period) -> ReportView {
    let l = ctx.locale;
    let grain = Grain::Period(p);
    let (change, against) = change_against(ctx, p, Segment::All);
    let siblings: Vec<Period> = published_reports(ctx).into_iter().filter(|q| q.kind == p.kind).collect();
    let position = siblings.iter().position(|q| *q == p);
    let previous = position.and_then(|i| i.checked_sub(1)).map(|i| ctx.period_link(siblings[i]));
    let next = position.and_then(|i| siblings.get(i + 1)).map(|q| ctx.period_link(*q));
    // The last 12 periods of the report's kind, ending with it.
    let trend_periods = window(ctx, p, 12);
    ReportView {
        key: p.key(),
        title: l.period(p),
        kind_label: l.kind_report(p.kind).to_string(),
        dates: l.fill("from_to", &[("first", &l.date(p.start)), ("last", &l.date(p.end()))]),
        partial_note: ctx.metrics.is_partial(p).then(|| l.fill("partial_note", &[("period", &l.period(p))])),
        commentary: content
            .reports
            .get(&p)
            .map(|page: &Page| Commentary { title: page.title.clone(), html: page.html.clone() }),
        tiles: ctx.tiles(grain, Segment::All, Some((&change, against))),
        trend: ctx.csat_trend("trend", &trend_periods, Segment::All, None),
        distribution: ctx.csat_distribution("distribution", &ctx.metrics.figures(grain, Segment::All)),
        composition: ctx.nps_composition("nps", &window(ctx, p, 6), Segment::All),
        segments: ctx.segment_tables(grain),
        operations_tiles: ctx.operations_tiles(grain, Segment::All),
        operations: ctx.operations(grain),
        customers: ctx.customer_history(grain).into_iter().collect(),
        outreach: super::outreach::report(ctx, p),
        topics: super::topics::report(ctx, p),
        positive: ctx.comments.of_period(p, Tone::Positive, l),
        negative: ctx.comments.of_period(p, Tone::Negative, l),
        previous,
        next,
        brief: ctx.brief.then(|| super::brief::brief(ctx, p)),
    }
}

#[derive(Debug, Serialize)]
pub struct CaseRow {
    pub link: Link,
    pub customer: String,
    pub summary: Option<String>,
    pub cells: Cells,
    /// Absent when the customer has too few responses to publish.
    pub responses: Option<String>,
}

fn case_index(content: &Content, case: &CaseStudy) -> usize {
    content.cases.iter().position(|c| c.slug == case.slug).expect("the case belongs to the content")
}

fn case_row(ctx: &Ctx, content: &Content, case: &CaseStudy) -> CaseRow {
    let segment = ctx.metrics.filter_segment(case_index(content, case));
    let f = ctx.metrics.figures(Grain::All, segment);
    CaseRow {
        link: Job::Case(case_index(content, case)).link(content, &case.title),
        customer: case.customer.clone(),
        summary: case.summary.clone(),
        cells: ctx.cells(&f),
        responses: f.responses.map(|n| ctx.locale.count(n)),
    }
}

#[derive(Debug, Serialize)]
pub struct CasesView {
    pub cases: Vec<CaseRow>,
}

pub fn cases(ctx: &Ctx, content: &Content) -> CasesView {
    CasesView { cases: content.cases.iter().map(|c| case_row(ctx, content, c)).collect() }
}

#[derive(Debug, Serialize)]
pub struct CaseView {
    pub title: String,
    pub customer: String,
    pub summary: Option<String>,
    pub filter: String,
    pub html: String,
    #[serde(flatten)]
    pub figures: VersusRest,
}

pub fn case(ctx: &Ctx, content: &Content, i: usize) -> CaseView {
    let case = &content.cases[i];
    CaseView {
        title: case.title.clone(),
        customer: case.customer.clone(),
        summary: case.summary.clone(),
        filter: super::views::scope_text(ctx.locale, &case.filter).unwrap_or_default(),
        html: case.html.clone(),
        figures: {
            let mut figures = versus_rest(ctx, ctx.metrics.filter_segment(i));
            figures.takeaways.extend(super::groups::mix_takeaway(ctx, &case.filter));
            figures
        },
    }
}

#[derive(Debug, Serialize)]
pub struct PageView {
    pub html: String,
}

/// One section of the methodology page: a heading and its paragraphs.
#[derive(Debug, Serialize)]
pub struct MethodSection {
    pub title: String,
    pub paragraphs: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct MethodologyView {
    pub sections: Vec<MethodSection>,
}

/// How every figure of this site is computed, written from its configuration.
pub fn methodology(ctx: &Ctx) -> MethodologyView {
    let l = ctx.locale;
    let c = ctx.config;
    let rules = &ctx.metrics.rules;
    let range = |[lo, hi]: [u8; 2]| format!("{lo}–{hi}");
    let level = rules.level();
    let fill = |key: &str, values: &[(&str, &str)]| l.fill(key, values);
    let periods: Vec<String> = c.periods.iter().map(|&k| l.kind_reports(k).to_lowercase()).collect();
    let buckets: Vec<String> =
        c.metrics.first_response.buckets.iter().map(|m| l.decimal(*m, if m.fract() == 0.0 { 0 } else { 1 })).collect();
    let section = |title: &str, paragraphs: Vec<String>| MethodSection { title: ctx.t(title), paragraphs };
    let min_n = rules.min_n.to_string();
    let min_group = rules.min_group.to_string();
    let alpha = l.decimal(1.0 - rules.confidence, 3);
    let mut view = MethodologyView {
        sections: vec![
            section(
                "method_data",
                vec![
                    fill("method_rows", &[]),
                    fill("method_periods", &[("zone", &c.timezone), ("periods", &l.list(&periods))]),
                ],
            ),
            section(
                "method_figures",
                vec![
                    fill(
                        "method_csat",
                        &[("scale", &range(c.metrics.csat.scale)), ("satisfied", &range(c.metrics.csat.satisfied))],
                    ),
                    fill("method_nps", &[]),
                    fill("method_ces", &[("scale", &range(c.metrics.ces.scale)), ("easy", &range(c.metrics.ces.easy))]),
                    fill(
                        "method_durations",
                        &[
                            ("error", &l.decimal(100.0 * crate::metrics::RELATIVE_ERROR, 0)),
                            ("buckets", &l.list(&buckets)),
                        ],
                    ),
                    fill("method_customers", &[]),
                ],
            ),
            section(
                "method_uncertainty",
                vec![
                    fill("method_intervals", &[("level", &level)]),
                    fill("method_quantile_intervals", &[("level", &level)]),
                ],
            ),
            section(
                "method_changes",
                vec![
                    fill("method_tests", &[]),
                    fill("method_significance", &[("alpha", &alpha), ("min_n", &min_n)]),
                    fill("method_targets", &[]),
                ],
            ),
            section(
                "method_privacy",
                vec![
                    fill("method_min_group", &[("n", &min_group)]),
                    fill("method_complementary", &[("n", &min_group)]),
                    fill("method_complementary_limits", &[]),
                ],
            ),
        ],
    };
    view.sections[1].paragraphs.extend(super::outreach::methodology(ctx));
    view.sections.extend(super::topics::method(ctx));
    view
}

#[cfg(test)]
mod tests {
    use super::unique_slugs;

    #[test]
    fn slugs_are_unique_and_never_empty() {
        assert_eq!(
            unique_slugs(["E-mail", "e mail", "Web <b>form</b>", "电话", "E-Mail"]),
            ["e-mail", "e-mail-2", "web-b-form-b", "电话", "e-mail-3"]
        );
        assert_eq!(unique_slugs(["***", "!!"]), ["value-1", "value-2"]);
    }
}

#[cfg(test)]
mod affected_tests {
    use super::{Job, Redo, affected_by};
    use crate::metrics::Period;
    use crate::render::Theme;

    fn theme() -> Theme {
        let config = crate::config::Config::parse("title = \"T\"\n[[sources]]\npath = \"s.csv\"\n").unwrap();
        Theme::load(std::path::Path::new("/nonexistent"), &config).unwrap()
    }

    fn affected(paths: &[&str]) -> Option<super::Affected> {
        let changed: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
        affected_by(&changed, &theme(), "default")
    }

    #[test]
    fn commentary_edits_touch_only_their_pages() {
        use Redo::{Nothing, View};
        let oct = Period::parse_key("2026-10").unwrap();
        let sep = Period::parse_key("2026-09").unwrap();
        let only = affected(&["content/_index.md"]).unwrap();
        assert_eq!([only(&Job::Dashboard), only(&Job::Reports), only(&Job::Report(oct))], [View, Nothing, Nothing]);
        let report = affected(&["content/reports/2026-10.md"]).unwrap();
        assert_eq!([report(&Job::Dashboard), report(&Job::Reports), report(&Job::Report(oct))], [View; 3]);
        assert_eq!([report(&Job::Report(sep)), report(&Job::Methodology), report(&Job::Cases)], [Nothing; 3]);
        for other in [
            "content/cases/a.md",
            "content/pages/about.md",
            "site.toml",
            "static/style.css",
            "templates/shortcodes/chart.html",
            "themes/other/templates/page.html",
            "content/reports/notes.md",
        ] {
            assert!(affected(&[other]).is_none(), "{other}");
        }
        assert!(affected(&["content/_index.md", "static/style.css"]).is_none());
    }

    #[test]
    fn a_template_edit_touches_the_pages_made_from_it_and_from_templates_that_use_it() {
        use Redo::{Nothing, Template, View};
        let oct = Period::parse_key("2026-10").unwrap();
        let segment = Job::Segment { dimension: 0, value: 0, slug: "x".into() };
        let event = Job::Event { index: 0, slug: "e".into() };
        let methodology = affected(&["templates/methodology.html"]).unwrap();
        assert_eq!(methodology(&Job::Methodology), Template);
        assert_eq!([methodology(&Job::Dashboard), methodology(&Job::Report(oct)), methodology(&segment)], [Nothing; 3]);
        // partials/tile.html is included by the dashboard, reports and events, not by segments.
        let tile = affected(&["themes/default/templates/partials/tile.html"]).unwrap();
        assert_eq!([tile(&Job::Dashboard), tile(&Job::Report(oct)), tile(&event)], [Template; 3]);
        assert_eq!([tile(&Job::Methodology), tile(&Job::DataQuality), tile(&Job::Cases)], [Nothing; 3]);
        // Through two levels: segment_row.html is in segment_table.html, which reports include.
        let row = affected(&["templates/partials/segment_row.html"]).unwrap();
        assert_eq!([row(&Job::Report(oct)), row(&Job::Methodology)], [Template, Nothing]);
        let base = affected(&["templates/base.html"]).unwrap();
        let every =
            [Job::Dashboard, Job::Methodology, Job::DataQuality, segment, Job::Comments { filter: None, page: 1 }];
        assert!(every.iter().all(|job| base(job) == Template));
        // Commentary and a template together: the commentary's pages are made again from the start.
        let both = affected(&["content/_index.md", "templates/base.html"]).unwrap();
        assert_eq!([both(&Job::Dashboard), both(&Job::Methodology)], [View, Template]);
    }
}
