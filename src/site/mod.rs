//! The build: load every input into one [`Site`], plan its pages, render them
//! in parallel and write the result atomically.
//!
//! Loading, rendering and writing are separate steps (as in Zola), so a
//! build either produces every file or changes nothing on disk: all output
//! is rendered in memory first and then written to a fresh folder that
//! replaces the old one in one rename.

mod brief;
mod comments;
mod feeds;
mod groups;
mod json;
mod output;
mod outreach;
mod pages;
mod quality;
mod redact;
mod scorecard;
mod shortcodes;
mod topics;
mod views;

use std::collections::BTreeMap;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::content::Content;
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::ingest::{ExportCache, FileReport, Inputs, Kpis, Progress, Rejection};
use crate::metrics::{Extra, Metrics, Outreach};
use crate::render::{Context, Renderer, Theme, context_of};
use comments::Comments;
use pages::Job;
use views::Ctx;

pub use output::OutputError;

/// How to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (holding `site.toml`).
    pub root: PathBuf,
    /// Where to write; relative paths are relative to `root`.
    pub output: PathBuf,
    /// Replaces `base_url` from `site.toml`.
    pub base_url: Option<String>,
    /// Include pages marked `draft = true`.
    pub drafts: bool,
    /// The moment of the build; periods not ended by then are partial.
    pub now: Timestamp,
}

/// Everything a site is made of, loaded and computed.
pub struct Site {
    pub config: Config,
    pub theme: Theme,
    pub inputs: Arc<Inputs>,
    pub content: Content,
    pub metrics: Arc<Metrics>,
    /// Response rates and survey fatigue.
    pub outreach: Arc<Outreach>,
    /// The values of `[[kpis]]`, for the scorecard.
    pub kpis: Kpis,
    /// The comments browser's lists, read by shortcodes and pages alike.
    comment_lists: Arc<comments::CommentLists>,
    /// Problems found across stages (a filter naming a value no response has).
    pub warnings: Vec<Diagnostic>,
    /// How long each stage of loading took, in order.
    pub timings: Vec<(&'static str, Duration)>,
}

/// What a serving process keeps between builds: parsed exports and the figures
/// computed from them, reused while the exports, `site.toml` and the extra
/// figures the content asks for are the same. Editing commentary or a template
/// then costs a render, not a read of every export and a recount.
#[derive(Default)]
pub struct Cache {
    exports: ExportCache,
    /// The figures and the comment lists, both worked out from the same exports and `site.toml`.
    metrics: Option<(MetricsKey, Arc<Metrics>, Arc<comments::CommentLists>)>,
    /// Response rates and fatigue, with the figures they were computed from and the sent counts
    /// they hold.
    outreach: Option<(Arc<Metrics>, Arc<Outreach>)>,
}

impl Cache {
    /// A cache that keeps parsed exports for the next build (`Cache::default()` keeps nothing).
    pub fn keeping() -> Cache {
        Cache { exports: ExportCache::keeping(), metrics: None, outreach: None }
    }
}

/// Everything the figures are computed from.
#[derive(PartialEq)]
struct MetricsKey {
    inputs: u64,
    config: u64,
    extra: Extra,
    today: jiff::civil::Date,
}

/// Where every build writes its figures; its presence also marks a folder as an earlier build.
pub const METRICS_JSON: &str = "data/metrics.json";

/// A file of the output: path relative to the output folder, and contents.
pub type OutputFile = (String, Vec<u8>);

/// The whole output of a build, in memory.
#[derive(Clone)]
pub struct Rendered {
    /// Sorted by path.
    pub files: Vec<OutputFile>,
    /// How many of them are HTML pages.
    pub pages: usize,
    /// What each page's template saw, by page path, when the render was asked to keep it
    /// ([`Site::render_keeping`]): a later template edit renders the pages again from these.
    pub contexts: Arc<BTreeMap<String, Arc<Context>>>,
    /// Whether the reports' contexts hold their brief (`views::Ctx::brief`).
    pub brief: bool,
}

/// What a build did, for the one-line summary.
#[derive(Debug)]
pub struct Summary {
    pub output: PathBuf,
    pub pages: usize,
    pub totals: FileReport,
    /// What happened to the rows of each export.
    pub files: Vec<FileReport>,
    pub rejections: Vec<Rejection>,
    pub warnings: Vec<Diagnostic>,
    /// How long each stage took, in order.
    pub timings: Vec<(&'static str, Duration)>,
}

impl Site {
    pub fn load(options: &BuildOptions) -> Result<Site, Error> {
        Site::load_with(options, &mut Cache::default(), &())
    }

    /// Loads the site, reusing what `cache` holds from earlier builds and telling `progress` how ingest goes.
    pub fn load_with(options: &BuildOptions, cache: &mut Cache, progress: &dyn Progress) -> Result<Site, Error> {
        let root = options.root.clone();
        let mut timings = Vec::new();
        let mut clock = Instant::now();
        let mut lap = |stage: &'static str| {
            timings.push((stage, clock.elapsed()));
            clock = Instant::now();
        };
        let mut config = Config::load(&root)?;
        if let Some(url) = &options.base_url {
            config.base_url = crate::config::base_url(url).map_err(|help| {
                Error::usage(Diagnostic::new(format!("--base-url `{url}` is not a URL")).with_help(help))
            })?;
        }
        // Config::load has just read it; a change between the two reads only costs a recount.
        let config_key = file_hash(&root.join(crate::config::FILE_NAME));
        lap("configuration");
        let theme = Theme::load(&root, &config)?;
        lap("theme");
        let content = Content::load(&root, &config, options.drafts)?;
        lap("content");
        let inputs = cache.exports.read(&config, config_key, &root, &root.join(&options.output), progress)?;
        let kpis = crate::ingest::read_kpis(&config, &root, &root.join(&options.output))?;
        lap("ingest");
        let calls = shortcodes::resolve(&config, &inputs, &content)?;
        let mut extra = Extra { filters: content.cases.iter().map(|c| c.filter.clone()).collect(), ..Extra::default() };
        calls.extend(&mut extra);
        let today = config.time_zone.to_datetime(options.now).date();
        let key = MetricsKey { inputs: cache.exports.generation(), config: config_key, extra, today };
        let sent = crate::ingest::read_sent(&config, &root, &root.join(&options.output))?;
        let (metrics, comment_lists) = match &cache.metrics {
            Some((cached, metrics, lists)) if *cached == key => {
                lap("metrics");
                (Arc::clone(metrics), Arc::clone(lists))
            }
            _ => {
                let metrics = Arc::new(Metrics::compute(&config, &inputs, &key.extra, today)?);
                // Responses waiting on disk (only a one-shot build's) are not read again.
                inputs.responses.discard();
                lap("metrics");
                let lists = Arc::new(comments::CommentLists::new(&config, &metrics));
                cache.metrics = Some((key, Arc::clone(&metrics), Arc::clone(&lists)));
                (metrics, lists)
            }
        };
        lap("comments");
        let outreach = match &cache.outreach {
            Some((of, outreach)) if Arc::ptr_eq(of, &metrics) && outreach.sent == sent => Arc::clone(outreach),
            _ => {
                let outreach = Arc::new(Outreach::compute(&config, &inputs, sent, &metrics));
                cache.outreach = Some((Arc::clone(&metrics), Arc::clone(&outreach)));
                outreach
            }
        };
        let mut warnings = inputs.warnings.clone();
        warnings.extend(outreach.warnings().cloned());
        warnings.extend(content.warnings.iter().cloned());
        for case in &content.cases {
            warnings.extend(unmatched_filters(&inputs, &case.filter, &case.source));
        }
        for target in &config.targets {
            warnings.extend(unmatched_filters(&inputs, &target.filter, crate::config::FILE_NAME));
        }
        warnings.extend(placeholder_customer(&metrics));
        let mut site = Site {
            config,
            theme,
            inputs,
            content,
            metrics,
            outreach,
            kpis,
            comment_lists,
            warnings,
            timings: Vec::new(),
        };
        shortcodes::expand(&mut site, &calls)?;
        lap("shortcodes");
        site.timings = timings;
        Ok(site)
    }

    fn ctx<'s>(
        &'s self,
        comments: &'s Comments<'s>,
        segment_pages: &'s std::collections::BTreeMap<(u16, u32), String>,
    ) -> Ctx<'s> {
        Ctx {
            config: &self.config,
            inputs: &self.inputs,
            metrics: &self.metrics,
            outreach: &self.outreach,
            locale: &self.theme.locale,
            style: &self.theme.chart_style,
            comments,
            segment_pages,
            by_size: std::sync::OnceLock::new(),
            kpis: &self.kpis,
            brief: self.theme.reads("brief"),
        }
    }

    /// Renders again only the pages that the commentary and template edits in `changed` can
    /// affect (`pages::affected_by`), taking every other file from `previous`, a render of
    /// this same site before the edit (same exports, `site.toml`, figures, and theme apart from
    /// the edited templates: the caller vouches for that). A page whose template alone changed
    /// is made from the context `previous` kept. Anything else changed, or a different set of
    /// pages, renders everything. Keeps the contexts, as [`Site::render_keeping`] does.
    pub fn render_after(&self, previous: &Rendered, root: &Path, changed: &[PathBuf]) -> Result<Rendered, Error> {
        let changed: Vec<String> =
            changed.iter().map(|p| p.strip_prefix(root).unwrap_or(p).to_string_lossy().replace('\\', "/")).collect();
        let affected = pages::affected_by(&changed, &self.theme, &self.config.theme);
        self.render_with(affected.map(|affected| (previous, affected)), true)
    }

    /// Renders every output file in memory.
    pub fn render(&self) -> Result<Rendered, Error> {
        self.render_with(None, false)
    }

    /// Renders every output file in memory and keeps what each page's template saw, for
    /// [`Site::render_after`] (a server's rebuilds; a one-shot build does not need the memory).
    pub fn render_keeping(&self) -> Result<Rendered, Error> {
        self.render_with(None, true)
    }

    /// Renders every file, or with `reuse`, only the pages it names as affected, taking the rest
    /// from the earlier render (when that render has the same pages; else every file).
    fn render_with(&self, reuse: Option<(&Rendered, pages::Affected)>, keep: bool) -> Result<Rendered, Error> {
        let comments =
            Comments::new(&self.config, &self.metrics, &self.comment_lists, &self.theme.locale).with_topics();
        let segment_pages = pages::segment_pages(&self.inputs, &self.metrics);
        let ctx = self.ctx(&comments, &segment_pages);
        let jobs = pages::plan(&ctx, &self.content);
        let renderer = Renderer::new(&self.theme, &self.globals(&jobs))?;
        // A page from `kept`, its context made earlier, or from a context made now.
        type Page = (OutputFile, Arc<Context>);
        let render = |job: &Job, kept: Option<&Arc<Context>>| -> Result<Page, Error> {
            let context = match kept {
                Some(context) => Arc::clone(context),
                None => Arc::new(self.page_context(&ctx, job)?),
            };
            let html = renderer.render_context(job.template(), &context)?;
            Ok(((job.path(&self.content), html.into_bytes()), context))
        };
        // Kept contexts lack the brief if no template read it before the edit.
        if let Some((previous, affected)) = reuse.filter(|(previous, _)| previous.brief == ctx.brief) {
            let position = |path: &str| previous.files.binary_search_by(|(p, _)| p.as_str().cmp(path));
            let same_pages =
                jobs.len() == previous.pages && jobs.iter().all(|job| position(&job.path(&self.content)).is_ok());
            if same_pages {
                let fresh: Vec<Result<Page, Error>> = jobs
                    .par_iter()
                    .filter_map(|job| match affected(job) {
                        pages::Redo::Nothing => None,
                        pages::Redo::Template => Some(render(job, previous.contexts.get(&job.path(&self.content)))),
                        pages::Redo::View => Some(render(job, None)),
                    })
                    .collect();
                let mut files = previous.files.clone();
                let mut contexts = (*previous.contexts).clone();
                for page in fresh {
                    let ((path, bytes), context) = page?;
                    if let Ok(i) = position(&path) {
                        files[i].1 = bytes;
                    }
                    if keep {
                        contexts.insert(path, context);
                    }
                }
                return Ok(Rendered { files, pages: previous.pages, contexts: Arc::new(contexts), brief: ctx.brief });
            }
        }
        // The pages, and beside them the feeds and data files (metrics.json alone is tens of MB on a
        // site with many segments): all on every thread, none waiting for the others.
        let html: Vec<String> = jobs.iter().map(|job| job.path(&self.content)).collect();
        let reports = pages::published_reports(&ctx);
        let data = || -> Vec<OutputFile> {
            let metrics_json = || {
                let card = scorecard::card(&ctx);
                let json = json::metrics(
                    &self.config,
                    &self.inputs,
                    &self.metrics,
                    &self.outreach,
                    &card,
                    env!("CARGO_PKG_VERSION"),
                );
                (METRICS_JSON.to_string(), json)
            };
            let csv = |p: &crate::metrics::Period| (format!("data/{}.csv", p.slug()), feeds::report_csv(&ctx, *p));
            let (json, mut files) = rayon::join(metrics_json, || reports.par_iter().map(csv).collect::<Vec<_>>());
            files.push(json);
            files.push(("feed.xml".into(), feeds::atom(&ctx, &reports)));
            files.extend(feeds::sitemap(&ctx, &html).map(|bytes| ("sitemap.xml".to_string(), bytes)));
            files
        };
        let (rendered, data) =
            rayon::join(|| jobs.par_iter().map(|job| render(job, None)).collect::<Vec<Result<Page, Error>>>(), data);
        let mut files = Vec::with_capacity(rendered.len() + data.len() + self.theme.assets.len());
        let mut contexts = BTreeMap::new();
        for page in rendered {
            let ((path, bytes), context) = page?;
            if keep {
                contexts.insert(path.clone(), context);
            }
            files.push((path, bytes));
        }
        let page_count = files.len();
        files.extend(data);
        for (path, asset) in &self.theme.assets {
            if files.iter().any(|(p, _)| p == path) {
                return Err(Error::Output(OutputError::Collision { path: path.clone(), origin: asset.origin.clone() }));
            }
            files.push((path.clone(), asset.bytes.clone()));
        }
        files.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(Rendered { files, pages: page_count, contexts: Arc::new(contexts), brief: ctx.brief })
    }

    /// What the template of `job`'s page sees: its view and what every page has.
    fn page_context(&self, ctx: &Ctx, job: &Job) -> Result<Context, Error> {
        let path = job.path(&self.content);
        let l = &self.theme.locale;
        let page = |title: String, description: Option<String>| PageMeta {
            path: &path,
            section: job.section(),
            title,
            description,
            config: &self.config,
        };
        let context = match job {
            Job::Dashboard => {
                context_of(&page(self.config.title.clone(), None).with(pages::dashboard(ctx, &self.content)))
            }
            Job::Reports => context_of(&page(l.t("reports").into(), None).with(pages::reports(ctx, &self.content))),
            Job::Report(p) => {
                let view = pages::report(ctx, &self.content, *p);
                context_of(&page(format!("{} · {}", view.title, view.kind_label), None).with(view))
            }
            Job::Cases => context_of(&page(l.t("case_studies").into(), None).with(pages::cases(ctx, &self.content))),
            Job::Case(i) => {
                let view = pages::case(ctx, &self.content, *i);
                context_of(&page(view.title.clone(), view.summary.clone()).with(view))
            }
            Job::Methodology => context_of(&page(l.t("methodology").into(), None).with(pages::methodology(ctx))),
            Job::Segments => context_of(&page(l.t("segments").into(), None).with(groups::segments(ctx))),
            Job::Segment { dimension, value, .. } => {
                let view = groups::segment(ctx, *dimension, *value);
                context_of(&page(format!("{} · {}", view.value, view.dimension), None).with(view))
            }
            Job::Events => context_of(&page(l.t("events").into(), None).with(groups::events(ctx))),
            Job::Event { index, .. } => {
                let view = groups::event(ctx, *index);
                context_of(&page(view.title.clone(), None).with(view))
            }
            Job::Comments { filter, page: number } => {
                let view = comments::view(ctx.comments, *filter, *number, l);
                let mut title = format!("{} · {}", l.t("comments"), view.list);
                if *number > 1 {
                    title = l.fill("page_n_title", &[("title", &title), ("n", &number.to_string())]);
                }
                context_of(&page(title, None).with(view))
            }
            Job::DataQuality => context_of(&page(l.t("data_quality").into(), None).with(quality::quality(ctx))),
            Job::Scorecard => context_of(&page(l.t("scorecard").into(), None).with(scorecard::view(ctx))),
            Job::Page(i) => {
                let p = &self.content.pages[*i];
                let title = p.title.clone().unwrap_or_else(|| p.slug.clone());
                context_of(&page(title, p.description.clone()).with(pages::PageView { html: p.html.clone() }))
            }
        }?;
        Ok(context)
    }

    /// What every page can see: the site and the interface strings.
    fn globals(&self, jobs: &[Job]) -> Globals<'_> {
        let l = &self.theme.locale;
        let item = |job: Job, label: &str| {
            let link = job.link(&self.content, label);
            NavItem { label: link.label, url: link.url, section: job.section() }
        };
        let mut nav = vec![item(Job::Dashboard, l.t("dashboard")), item(Job::Reports, l.t("reports"))];
        for (job, label) in [
            (Job::Scorecard, "scorecard"),
            (Job::Segments, "nav_segments"),
            (Job::Events, "events"),
            (Job::Comments { filter: None, page: 1 }, "comments"),
            (Job::Cases, "case_studies"),
        ] {
            if jobs.contains(&job) {
                nav.push(item(job, l.t(label)));
            }
        }
        for (i, p) in self.content.pages.iter().enumerate() {
            nav.push(item(Job::Page(i), p.title.as_deref().unwrap_or(&p.slug)));
        }
        nav.push(item(Job::Methodology, l.t("methodology")));
        let totals = self.inputs.totals();
        Globals {
            site: SiteView {
                title: self.config.title.clone(),
                base_url: self.config.base_url.clone(),
                language: self.config.language.code(),
                generator: format!("rapport {}", env!("CARGO_PKG_VERSION")),
                nav,
                data_through: self.metrics.last_day.map(|d| l.date(d)),
                responses: l.count(totals.responses_counted()),
                rejected: l.count(totals.rows_rejected),
                duplicates: l.count(totals.duplicates),
                confidence: self.metrics.rules.level(),
                min_group: self.config.privacy.min_group,
                min_n: self.config.stats.min_n,
            },
            t: l.strings(),
        }
    }
}

#[derive(Serialize)]
struct Globals<'a> {
    site: SiteView,
    t: &'a std::collections::BTreeMap<String, String>,
}

#[derive(Serialize)]
struct SiteView {
    title: String,
    base_url: String,
    language: &'static str,
    generator: String,
    nav: Vec<NavItem>,
    data_through: Option<String>,
    responses: String,
    rejected: String,
    duplicates: String,
    confidence: String,
    min_group: u32,
    min_n: u32,
}

#[derive(Serialize)]
struct NavItem {
    label: String,
    url: String,
    section: &'static str,
}

/// The parts of a page's context every template shares.
struct PageMeta<'a> {
    path: &'a str,
    section: &'static str,
    title: String,
    description: Option<String>,
    config: &'a Config,
}

#[derive(Serialize)]
struct PageContext<'a, V: Serialize> {
    /// Prefix that leads from this page to the site root: "", "../", "../../".
    root: String,
    path: &'a str,
    section: &'static str,
    title: String,
    description: Option<String>,
    canonical: Option<String>,
    page: V,
}

impl<'a> PageMeta<'a> {
    fn with<V: Serialize>(self, page: V) -> PageContext<'a, V> {
        let depth = self.path.matches('/').count();
        PageContext {
            root: "../".repeat(depth),
            path: self.path,
            section: self.section,
            title: self.title,
            description: self.description,
            canonical: absolute_address(&self.config.base_url, self.path),
            page,
        }
    }
}

/// The folder a page's address names: "reports/2026-10/" for "reports/2026-10/index.html".
fn directory_of(path: &str) -> &str {
    path.strip_suffix("index.html").unwrap_or(path)
}

/// A page's address under `base_url`; `None` when the site has no `base_url`.
fn absolute_address(base_url: &str, path: &str) -> Option<String> {
    (!base_url.is_empty()).then(|| format!("{base_url}/{}", directory_of(path)))
}

/// A `where` filter naming a value that no response has matches nothing: most likely a typo.
fn unmatched_filters<'a>(
    inputs: &'a Inputs,
    filter: &'a indexmap::IndexMap<String, String>,
    file: &'a str,
) -> impl Iterator<Item = Diagnostic> + 'a {
    filter.iter().filter_map(move |(name, value)| {
        let d = inputs.dimension(name)?;
        if inputs.value(d, value).is_some() {
            return None;
        }
        let values = &inputs.dimensions[d].values;
        let help = match crate::diagnostic::nearest(value, values.iter().map(String::as_str)) {
            Some(near) => format!("did you mean `{near}`? Values are compared exactly, including case"),
            None => format!("no response has this {name}; check the spelling against the exports"),
        };
        Some(
            Diagnostic::warning(format!("`{name} = \"{value}\"` matches no response, so its figures are empty"))
                .in_file(file)
                .with_help(help),
        )
    })
}

/// One customer with at least a tenth of all responses (and 1,000 or more): most likely a value
/// of the customer column that stands for no customer. Its surveys would count as one long
/// customer history, and a build holds one customer's surveys in memory together. The value is
/// not named: warnings end up in CI logs, and a customer id is personal data.
fn placeholder_customer(metrics: &Metrics) -> Option<Diagnostic> {
    let most = metrics.fatigue()?.most_answers();
    let all = metrics.tally(crate::metrics::Grain::All, crate::metrics::Segment::All).responses;
    (most >= 1_000 && most * 10 >= all).then(|| {
        Diagnostic::warning(format!(
            "one customer answered {most} of the {all} responses ({:.0} %): is it a placeholder for \"no customer\"?",
            100.0 * most as f64 / all as f64
        ))
        .with_help(
            "if a value of the customer column stands for no customer (\"unknown\", \"n/a\", \"0\"), leave those \
             cells empty: every response of one customer counts as one history (first survey, returning), \
             and a build holds each customer's responses in memory together",
        )
    })
}

/// Loads, renders and writes the site; the previous output stays untouched on any error.
pub fn build(options: &BuildOptions) -> Result<Summary, Error> {
    build_with(options, &())
}

/// [`build`], telling `progress` how ingest goes.
pub fn build_with(options: &BuildOptions, progress: &dyn Progress) -> Result<Summary, Error> {
    let output = resolve_output(&options.root, &options.output)?;
    let site = Site::load_with(options, &mut Cache::default(), progress)?;
    let started = Instant::now();
    let Rendered { files, pages, .. } = site.render()?;
    let rendered = started.elapsed();
    output::publish(&files, &output)?;
    let mut timings = site.timings.clone();
    timings.push(("render", rendered));
    timings.push(("write", started.elapsed() - rendered));
    Ok(Summary {
        output,
        pages,
        totals: site.inputs.totals(),
        files: site.inputs.files.clone(),
        rejections: site.inputs.rejections.iter().take(5).cloned().collect(),
        warnings: site.warnings.clone(),
        timings,
    })
}

/// Everything a build does short of writing: loads, computes and renders in memory,
/// so that every error a build would meet is met. Returns the site for its figures.
pub fn check(options: &BuildOptions) -> Result<Site, Error> {
    let site = Site::load(options)?;
    site.render()?;
    Ok(site)
}

/// A hash of a file's bytes (0 when it cannot be read).
fn file_hash(path: &Path) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(&std::fs::read(path).unwrap_or_default());
    hasher.finish()
}

/// The output folder, refusing places whose contents a build would destroy.
fn resolve_output(root: &Path, output: &Path) -> Result<PathBuf, Error> {
    let output = if output.is_absolute() { output.to_path_buf() } else { root.join(output) };
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (out, site) = (normalize(&absolute(&output)), normalize(&absolute(root)));
    let protected = ["content", "templates", "static", "themes"].map(|d| site.join(d));
    if site.starts_with(&out) || protected.iter().any(|p| out.starts_with(p)) {
        return Err(Error::Output(OutputError::Unsafe { path: out }));
    }
    Ok(output)
}

/// Removes `.` and `..` components without touching the disk.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
