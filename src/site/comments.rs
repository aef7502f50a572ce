//! Verbatims: the comments customers wrote, newest first, redacted, and
//! grouped by the score they gave.
//!
//! Comments are untrusted text: [`Redactor`] removes personal data here,
//! templates escape what is left, and nothing about the customer beyond the
//! day and the scores is shown. `privacy.publish_comments = false` removes
//! them from every page.

use rayon::prelude::*;
use serde::Serialize;

use super::redact::Redactor;
use crate::config::Config;
use crate::ingest::{Inputs, Response};
use crate::locale::Locale;
use crate::metrics::{Matcher, Metrics, NPS_DETRACTORS, NPS_PROMOTERS, Period};

/// Comments per page of the browser.
pub const PER_PAGE: usize = 50;
/// The browser shows at most this many of the newest comments per list, so the site's size stays bounded.
pub const SHOWN: usize = 1000;
/// Positive and negative verbatims on a report.
pub const ON_REPORT: usize = 3;

/// How a response leans, from its CSAT (else NPS, else CES) score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    Positive,
    Neutral,
    Negative,
}

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

/// 0 detractors, 1 passives, 2 promoters.
fn nps_group(score: u8) -> u8 {
    if NPS_DETRACTORS.contains(&score) {
        0
    } else if NPS_PROMOTERS.contains(&score) {
        2
    } else {
        1
    }
}

/// The published comments of a site, newest first.
pub struct Comments<'a> {
    inputs: &'a Inputs,
    config: &'a Config,
    redactor: Redactor,
    /// Indices into `inputs.responses` of the responses with a comment, newest first.
    order: &'a [usize],
    pub filters: &'a [(CommentFilter, usize)],
    lists: &'a [Vec<usize>],
    /// The keywords and names of `[topics]`, to tag each comment with the topics it mentions.
    topics: Option<(&'a Matcher, &'a [String])>,
}

/// The browser's lists of comments, worked out once per build (the site's shortcodes and its
/// pages read the same).
#[derive(Debug, Default)]
pub struct CommentLists {
    /// The lists of the browser, with how many comments each holds in all.
    filters: Vec<(CommentFilter, usize)>,
    /// Per list of `filters`: its newest [`SHOWN`] comments, as indices into `inputs.responses`.
    lists: Vec<Vec<usize>>,
}

impl CommentLists {
    /// Splits the published comments of `inputs` by CSAT score (else NPS group).
    pub fn new(config: &Config, inputs: &Inputs) -> CommentLists {
        let order = published_order(config, inputs);
        let responses = || order.iter().map(|&i| &inputs.responses[i]);
        let candidates: Vec<CommentFilter> = if responses().any(|r| r.scores.csat.is_some()) {
            let [lo, hi] = config.metrics.csat.scale;
            (lo..=hi).rev().map(CommentFilter::Csat).collect()
        } else if responses().any(|r| r.scores.nps.is_some()) {
            (0..3).rev().map(CommentFilter::Nps).collect()
        } else {
            Vec::new()
        };
        let mut counts = vec![0usize; candidates.len()];
        let mut lists = vec![Vec::new(); candidates.len()];
        // The lists do not overlap (one score, or one NPS group, each): one lookup per comment.
        let list_of = |r: &Response| -> Option<usize> {
            match candidates.first()? {
                CommentFilter::Csat(hi) => Some(usize::from(hi.checked_sub(r.scores.csat?)?)),
                CommentFilter::Nps(_) => Some(2 - usize::from(nps_group(r.scores.nps?))),
            }
        };
        for &i in order {
            let Some(k) = list_of(&inputs.responses[i]).filter(|&k| k < candidates.len()) else { continue };
            counts[k] += 1;
            if lists[k].len() < SHOWN {
                lists[k].push(i);
            }
        }
        let kept: Vec<usize> = (0..candidates.len()).filter(|&k| counts[k] > 0).collect();
        CommentLists {
            filters: kept.iter().map(|&k| (candidates[k], counts[k])).collect(),
            lists: kept.iter().map(|&k| std::mem::take(&mut lists[k])).collect(),
        }
    }
}

/// The responses with a published comment, newest first: none when comments are not published.
fn published_order<'a>(config: &Config, inputs: &'a Inputs) -> &'a [usize] {
    if config.privacy.publish_comments { inputs.comment_order.get_or_init(|| newest_first(inputs)) } else { &[] }
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
    pub fn new(config: &'a Config, inputs: &'a Inputs, lists: &'a CommentLists, locale: &Locale) -> Comments<'a> {
        let redactor = Redactor::new(
            &config.privacy.redact,
            locale.t("redacted_email"),
            locale.t("redacted_phone"),
            locale.t("redacted_card"),
        );
        Comments {
            inputs,
            config,
            redactor,
            order: published_order(config, inputs),
            filters: &lists.filters,
            lists: &lists.lists,
            topics: None,
        }
    }

    /// Tags every comment shown with the topics of `[topics]` it mentions.
    pub fn with_topics(mut self, metrics: &'a Metrics) -> Comments<'a> {
        if !metrics.topic_names().is_empty() {
            self.topics = Some((metrics.topic_matcher(), metrics.topic_names()));
        }
        self
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }

    /// How many comments a list holds in all.
    pub fn total(&self, filter: Option<CommentFilter>) -> usize {
        match filter {
            None => self.order.len(),
            Some(f) => self.filters.iter().find(|(g, _)| *g == f).map_or(0, |(_, n)| *n),
        }
    }

    /// How many pages a list has in the browser (at least one, which may say there is nothing).
    pub fn pages(&self, filter: Option<CommentFilter>) -> usize {
        self.total(filter).min(SHOWN).div_ceil(PER_PAGE).max(1)
    }

    /// Page `page` (1-based) of a list.
    pub fn page(&self, filter: Option<CommentFilter>, page: usize, l: &Locale) -> Vec<Verbatim> {
        let list: &[usize] = match filter {
            None => &self.order[..self.order.len().min(SHOWN)],
            Some(f) => self.filters.iter().position(|(g, _)| *g == f).map_or(&[], |k| &self.lists[k]),
        };
        list.iter()
            .skip((page - 1) * PER_PAGE)
            .take(PER_PAGE)
            .map(|&i| self.verbatim(&self.inputs.responses[i], l))
            .collect()
    }

    /// The newest comments of `period` that lean `tone`.
    pub fn of_period(&self, period: Period, tone: Tone, l: &Locale) -> Vec<Verbatim> {
        // Newest first, so the period's comments are one run: skip to it rather than scan the newer ones.
        let responses = &self.inputs.responses;
        let first = self.order.partition_point(|&i| responses[i].day > period.end());
        self.order[first..]
            .iter()
            .map(|&i| &responses[i])
            .take_while(|r| r.day >= period.start)
            .filter(|r| self.tone(r) == tone)
            .take(ON_REPORT)
            .map(|r| self.verbatim(r, l))
            .collect()
    }

    /// The comment of response `i`, ready to show; none when the site does not publish comments.
    pub fn quote(&self, i: usize, l: &Locale) -> Option<Verbatim> {
        let r = self.inputs.responses.get(i).filter(|_| self.config.privacy.publish_comments)?;
        Some(self.verbatim(r, l))
    }

    fn tone(&self, r: &Response) -> Tone {
        let m = &self.config.metrics;
        // The bottom two points of a scale, below its satisfied (easy) range, are the unhappy end.
        let lean = |score: u8, [lo, _]: [u8; 2], [good_lo, good_hi]: [u8; 2]| {
            if (good_lo..=good_hi).contains(&score) {
                Tone::Positive
            } else if score <= lo + 1 && score < good_lo {
                Tone::Negative
            } else {
                Tone::Neutral
            }
        };
        match (r.scores.csat, r.scores.nps, r.scores.ces) {
            (Some(s), _, _) => lean(s, m.csat.scale, m.csat.satisfied),
            (None, Some(s), _) => [Tone::Negative, Tone::Neutral, Tone::Positive][nps_group(s) as usize],
            (None, None, Some(s)) => lean(s, m.ces.scale, m.ces.easy),
            (None, None, None) => Tone::Neutral,
        }
    }

    fn verbatim(&self, r: &Response, l: &Locale) -> Verbatim {
        let text = r.comment.as_deref().unwrap_or_default().trim();
        let scores = [("csat", r.scores.csat), ("nps", r.scores.nps), ("ces", r.scores.ces)]
            .into_iter()
            .filter_map(|(key, s)| Some(format!("{} {}", l.t(key), s?)))
            .collect();
        let topics = self.topics.and_then(|(matcher, names)| {
            let found: Vec<&str> = matcher.tag(text).into_iter().map(|t| names[usize::from(t)].as_str()).collect();
            (!found.is_empty()).then(|| l.fill("topics_tags", &[("topics", &found.join(l.t("list_separator")))]))
        });
        Verbatim {
            date: l.date(r.day),
            text: self.redactor.apply(text).into_owned(),
            tone: self.tone(r),
            scores,
            topics,
        }
    }
}

/// The responses with a comment, newest first; ties in the order the rows were read, so the
/// order never depends on threads. The keys are gathered once: sorting by them beats looking
/// each response up in every comparison.
fn newest_first(inputs: &Inputs) -> Vec<usize> {
    let mut keyed: Vec<(std::cmp::Reverse<jiff::Timestamp>, u32, u64, usize)> = inputs
        .responses
        .par_iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let comment = r.comment.as_deref()?;
            (!comment.trim().is_empty()).then_some((std::cmp::Reverse(r.submitted_at), r.file, r.line, i))
        })
        .collect();
    keyed.par_sort_unstable();
    keyed.into_iter().map(|(.., i)| i).collect()
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
