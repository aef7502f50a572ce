//! Verbatims: the comments customers wrote, newest first, redacted, and
//! grouped by the score they gave.
//!
//! Comments are untrusted text: [`Redactor`] removes personal data here,
//! templates escape what is left, and nothing about the customer beyond the
//! day and the scores is shown. `privacy.publish_comments = false` removes
//! them from every page.

use std::sync::Arc;

use serde::Serialize;

use super::redact::Redactor;
use crate::config::Config;
use crate::locale::Locale;
use crate::metrics::{Matcher, Metrics, Period, Quote};
pub use crate::metrics::{ON_REPORT, SHOWN, Tone};

/// Comments per page of the browser.
pub const PER_PAGE: usize = 50;

/// A list of the comments browser besides "all": one CSAT score, or one NPS group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CommentFilter {
    Csat(u8),
    /// 0 detractors, 1 passives, 2 promoters.
    Nps(u8),
}

impl CommentFilter {
    pub fn slug(self) -> String {
        match self {
            CommentFilter::Csat(score) => format!("csat-{score}"),
            CommentFilter::Nps(group) => ["detractors", "passives", "promoters"][group as usize].into(),
        }
    }

    pub fn label(self, l: &Locale) -> String {
        match self {
            CommentFilter::Csat(score) => l.fill("comments_csat_score", &[("score", &score.to_string())]),
            CommentFilter::Nps(group) => l.t(["detractors", "passives", "promoters"][group as usize]).to_string(),
        }
    }
}

/// The published comments of a site, newest first.
pub struct Comments<'a> {
    config: &'a Config,
    metrics: &'a Metrics,
    redactor: Redactor,
    lists: &'a CommentLists,
    pub filters: &'a [(CommentFilter, usize)],
    /// The keywords and names of `[topics]`, to tag each comment with the topics it mentions.
    topics: Option<(&'a Matcher, &'a [String])>,
}

/// The browser's lists of comments, worked out once per build (the site's shortcodes and its
/// pages read the same) from the comments the figures kept.
#[derive(Debug, Default)]
pub struct CommentLists {
    /// Every published comment: how many, and the newest [`SHOWN`].
    total: usize,
    all: Vec<Arc<Quote>>,
    /// The lists of the browser, with how many comments each holds in all.
    filters: Vec<(CommentFilter, usize)>,
    /// Per list of `filters`: its newest [`SHOWN`] comments.
    lists: Vec<Vec<Arc<Quote>>>,
}

impl CommentLists {
    /// Splits the published comments by CSAT score (else NPS group).
    pub fn new(config: &Config, metrics: &Metrics) -> CommentLists {
        let samples = &metrics.samples;
        let [lo, hi] = config.metrics.csat.scale;
        let candidates: Vec<(CommentFilter, &crate::metrics::Listed)> = if samples.csat.iter().any(|l| l.total > 0) {
            (lo..=hi).rev().filter_map(|s| Some((CommentFilter::Csat(s), samples.csat.get(usize::from(s))?))).collect()
        } else {
            (0..3u8).rev().filter_map(|g| Some((CommentFilter::Nps(g), samples.nps.get(usize::from(g))?))).collect()
        };
        let kept: Vec<_> = candidates.into_iter().filter(|(_, list)| list.total > 0).collect();
        CommentLists {
            total: samples.all.total as usize,
            all: samples.all.newest.sorted(),
            filters: kept.iter().map(|(f, list)| (*f, list.total as usize)).collect(),
            lists: kept.iter().map(|(_, list)| list.newest.sorted()).collect(),
        }
    }
}

/// One comment, ready to show.
#[derive(Debug, Clone, Serialize)]
pub struct Verbatim {
    pub date: String,
    pub text: String,
    pub tone: Tone,
    /// "CSAT 5", "NPS 9", ...
    pub scores: Vec<String>,
    /// "Topics: Wait time, Transfers": the topics of `[topics]` it mentions (see [`Comments::with_topics`]).
    pub topics: Option<String>,
}

impl<'a> Comments<'a> {
    /// Nothing is kept when the site does not publish comments.
    pub fn new(config: &'a Config, metrics: &'a Metrics, lists: &'a CommentLists, locale: &Locale) -> Comments<'a> {
        let redactor = Redactor::new(
            &config.privacy.redact,
            locale.t("redacted_email"),
            locale.t("redacted_phone"),
            locale.t("redacted_card"),
        );
        Comments { config, metrics, redactor, lists, filters: &lists.filters, topics: None }
    }

    /// Tags every comment shown with the topics of `[topics]` it mentions.
    pub fn with_topics(mut self) -> Comments<'a> {
        if !self.metrics.topic_names().is_empty() {
            self.topics = Some((self.metrics.topic_matcher(), self.metrics.topic_names()));
        }
        self
    }

    pub fn is_empty(&self) -> bool {
        self.lists.total == 0
    }

    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }

    /// How many comments a list holds in all.
    pub fn total(&self, filter: Option<CommentFilter>) -> usize {
        match filter {
            None => self.lists.total,
            Some(f) => self.filters.iter().find(|(g, _)| *g == f).map_or(0, |(_, n)| *n),
        }
    }

    /// How many pages a list has in the browser (at least one, which may say there is nothing).
    pub fn pages(&self, filter: Option<CommentFilter>) -> usize {
        self.total(filter).min(SHOWN).div_ceil(PER_PAGE).max(1)
    }

    /// Page `page` (1-based) of a list.
    pub fn page(&self, filter: Option<CommentFilter>, page: usize, l: &Locale) -> Vec<Verbatim> {
        let list: &[Arc<Quote>] = match filter {
            None => &self.lists.all,
            Some(f) => self.filters.iter().position(|(g, _)| *g == f).map_or(&[], |k| &self.lists.lists[k]),
        };
        list.iter().skip((page - 1) * PER_PAGE).take(PER_PAGE).map(|q| self.verbatim(q, l)).collect()
    }

    /// The newest comments of `period` that lean `tone`.
    pub fn of_period(&self, period: Period, tone: Tone, l: &Locale) -> Vec<Verbatim> {
        let newest = self.metrics.samples.of_period(period, tone);
        newest.iter().take(ON_REPORT).map(|q| self.verbatim(q, l)).collect()
    }

    /// A comment, ready to show; none when the site does not publish comments.
    pub fn quote(&self, quote: &Quote, l: &Locale) -> Option<Verbatim> {
        self.config.privacy.publish_comments.then(|| self.verbatim(quote, l))
    }

    fn verbatim(&self, q: &Quote, l: &Locale) -> Verbatim {
        let text = q.comment.trim();
        let scores = [("csat", q.scores.csat), ("nps", q.scores.nps), ("ces", q.scores.ces)]
            .into_iter()
            .filter_map(|(key, s)| Some(format!("{} {}", l.t(key), s?)))
            .collect();
        let topics = self.topics.and_then(|(matcher, names)| {
            let found: Vec<&str> = matcher.tag(text).into_iter().map(|t| names[usize::from(t)].as_str()).collect();
            (!found.is_empty()).then(|| l.fill("topics_tags", &[("topics", &found.join(l.t("list_separator")))]))
        });
        Verbatim {
            date: l.date(q.day),
            text: self.redactor.apply(text).into_owned(),
            tone: Tone::of(q.scores, &self.metrics.rules),
            scores,
            topics,
        }
    }
}

/// A list of the browser, as a tab.
#[derive(Debug, Serialize)]
pub struct ListLink {
    pub label: String,
    pub url: String,
    pub count: String,
    pub current: bool,
}

#[derive(Debug, Serialize)]
pub struct PageLink {
    pub label: String,
    pub url: String,
    pub current: bool,
}

#[derive(Debug, Serialize)]
pub struct CommentsView {
    /// "CSAT 5", or "All comments".
    pub list: String,
    pub lists: Vec<ListLink>,
    pub items: Vec<Verbatim>,
    /// "Comments 51–100 of the 1,000 most recent (3,202 in all)".
    pub position: String,
    pub pages: Vec<PageLink>,
    pub previous: Option<String>,
    pub next: Option<String>,
}

/// Where page `page` of a list goes, relative to the site root.
pub fn page_path(filter: Option<CommentFilter>, page: usize) -> String {
    let list = filter.map_or(String::new(), |f| format!("{}/", f.slug()));
    let page = if page > 1 { format!("page/{page}/") } else { String::new() };
    format!("comments/{list}{page}index.html")
}

pub fn view(comments: &Comments, filter: Option<CommentFilter>, page: usize, l: &Locale) -> CommentsView {
    let all = std::iter::once((None, comments.total(None))).chain(comments.filters.iter().map(|&(f, n)| (Some(f), n)));
    let lists = all
        .map(|(f, n)| ListLink {
            label: f.map_or_else(|| l.t("comments_all").to_string(), |f| f.label(l)),
            url: page_path(f, 1),
            count: l.count(n as u64),
            current: f == filter,
        })
        .collect();
    let pages = comments.pages(filter);
    let total = comments.total(filter);
    let first = (page - 1) * PER_PAGE + 1;
    let last = (page * PER_PAGE).min(total.min(SHOWN));
    let position = if total == 0 {
        l.t("comments_none").to_string()
    } else {
        let key = if total > SHOWN { "comments_position_newest" } else { "comments_position" };
        l.fill(
            key,
            &[
                ("first", &l.count(first as u64)),
                ("last", &l.count(last as u64)),
                ("shown", &l.count(SHOWN as u64)),
                ("total", &l.count(total as u64)),
            ],
        )
    };
    CommentsView {
        list: filter.map_or_else(|| l.t("comments_all").to_string(), |f| f.label(l)),
        lists,
        items: comments.page(filter, page, l),
        position,
        pages: (1..=pages)
            .map(|p| PageLink { label: l.count(p as u64), url: page_path(filter, p), current: p == page })
            .collect(),
        previous: (page > 1).then(|| page_path(filter, page - 1)),
        next: (page < pages).then(|| page_path(filter, page + 1)),
    }
}
