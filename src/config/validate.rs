//! The checks serde cannot make: values that must exist, agree or be in range.
//!
//! Each failed check points at the value it is about. The value is found by
//! its path in the document (`sources[0].columns.csat`), using toml's spanned
//! parse tree, so the config types themselves stay plain.

use std::ops::Range;

use jiff::tz::TimeZone;
use toml::de::{DeTable, DeValue};

use super::{Config, SourceConfig};
use crate::diagnostic::{Diagnostic, nearest};

/// One step of a path into a TOML document.
#[derive(Clone, Copy)]
pub enum Step<'a> {
    Key(&'a str),
    Index(usize),
}
use Step::{Index, Key};

/// Finds values of a TOML document by their path, to point diagnostics at them.
/// The spanned tree is parsed only when a diagnostic needs it: valid files never pay for it.
pub struct Locator<'t> {
    text: &'t str,
    doc: std::cell::OnceCell<Option<toml::Spanned<DeTable<'t>>>>,
}

impl<'t> Locator<'t> {
    pub fn new(text: &'t str) -> Locator<'t> {
        Locator { text, doc: std::cell::OnceCell::new() }
    }

    /// The span of the value at `path`, or of its nearest existing parent.
    pub fn span(&self, path: &[Step]) -> Range<usize> {
        let Some(doc) = self.doc.get_or_init(|| DeTable::parse(self.text).ok()) else { return 0..0 };
        let mut best = 0..0;
        let mut table: Option<&DeTable> = Some(doc.get_ref());
        let mut value: Option<&toml::Spanned<DeValue>> = None;
        for step in path {
            let next = match (step, table, value) {
                (Key(k), Some(t), _) => t.iter().find(|(key, _)| key.get_ref() == k).map(|(_, v)| v),
                (Key(k), None, Some(v)) => v.get_ref().get(*k),
                (Index(i), _, Some(v)) => v.get_ref().get(*i),
                _ => None,
            };
            let Some(next) = next else { break };
            best = next.span();
            table = None;
            value = Some(next);
        }
        best
    }

    /// A diagnostic pointing at the value at `path`.
    pub fn error(
        &self,
        path: &[Step],
        message: impl Into<String>,
        label: &str,
        help: impl Into<String>,
    ) -> Box<Diagnostic> {
        Box::new(Diagnostic::new(message).at(self.text, self.span(path), label).with_help(help))
    }
}

/// The outcome of a check: the first problem found, if any.
pub(super) type Check = Result<(), Box<Diagnostic>>;

pub(super) fn validate(config: &mut Config, text: &str) -> Check {
    let checker = Locator::new(text);
    let c = &checker;

    if config.title.trim().is_empty() {
        return Err(c.error(
            &[Key("title")],
            "the title is empty",
            "empty",
            "give the site a title, e.g. `title = \"Acme Support — Customer Satisfaction\"`",
        ));
    }
    if config.theme.is_empty() || !config.theme.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_') {
        return Err(c.error(
            &[Key("theme")],
            format!("`{}` cannot name a theme", config.theme),
            "not a theme name",
            "a theme is a folder in themes/; use its name, e.g. `theme = \"default\"`",
        ));
    }
    match base_url(&config.base_url) {
        Ok(url) => config.base_url = url,
        Err(help) => {
            return Err(c.error(
                &[Key("base_url")],
                format!("`{}` is not a URL", config.base_url),
                "not an absolute URL",
                help,
            ));
        }
    }
    config.time_zone = match TimeZone::get(&config.timezone) {
        Ok(tz) => tz,
        Err(_) => {
            let names: Vec<String> = jiff::tz::db().available().map(|n| n.as_str().to_string()).collect();
            let help = match nearest(&config.timezone, names.iter().map(String::as_str)) {
                Some(near) => format!("did you mean `{near}`?"),
                None => "use an IANA time zone name such as `Europe/Berlin`, `America/New_York` or `UTC`".into(),
            };
            return Err(c.error(
                &[Key("timezone")],
                format!("unknown time zone `{}`", config.timezone),
                "not an IANA time zone",
                help,
            ));
        }
    };

    if config.periods.is_empty() {
        return Err(c.error(
            &[Key("periods")],
            "no periods to report on",
            "empty",
            "list at least one of \"week\", \"month\", \"quarter\", \"year\"",
        ));
    }
    for (i, p) in config.periods.iter().enumerate() {
        if config.periods[..i].contains(p) {
            return Err(c.error(
                &[Key("periods"), Index(i)],
                format!("`{}` is listed twice", p.name()),
                "repeated",
                "list each period once",
            ));
        }
    }
    // Shortest first, everywhere periods are listed.
    config.periods.sort();

    validate_sources(config, c)?;
    validate_metrics(config, c)?;
    validate_rules(config, c)?;
    super::sent::validate(config, c)?;
    super::kpis::validate(&config.kpis, c)?;
    Ok(())
}

fn validate_sources(config: &Config, c: &Locator) -> Check {
    if config.sources.is_empty() {
        return Err(Box::new(
            Diagnostic::new("no survey exports are configured")
                .with_help("add a source, e.g.\n\n[[sources]]\npath = \"content/surveys/*.csv\""),
        ));
    }
    for (i, source) in config.sources.iter().enumerate() {
        check_reading(i, source, c)?;
        check_columns(i, source, c)?;
        check_aggregated(i, source, c)?;
    }
    Ok(())
}

/// Where a source's files are and how to read them.
fn check_reading(i: usize, source: &SourceConfig, c: &Locator) -> Check {
    if source.path.trim().is_empty() {
        return Err(c.error(
            &source_path(i, &[Key("path")]),
            "the source path is empty",
            "empty",
            "give a glob relative to the site root, e.g. `content/surveys/*.csv`",
        ));
    }
    if let Err(e) = globset::Glob::new(&source.path) {
        return Err(c.error(
            &source_path(i, &[Key("path")]),
            format!("`{}` is not a valid glob: {}", source.path, e.kind()),
            "invalid glob",
            "use `*` for any name and `**` for any folder, e.g. `content/surveys/**/*.csv`",
        ));
    }
    if let Some(format) = &source.date_format
        && jiff::fmt::strtime::format(format, jiff::civil::date(2026, 1, 2).at(3, 4, 5, 0)).is_err()
    {
        return Err(c.error(
            &source_path(i, &[Key("date_format")]),
            format!("`{format}` is not a date format"),
            "not a strftime format",
            "write it with strftime fields, e.g. \"%d/%m/%Y %H:%M\" or \"%m/%d/%Y %I:%M:%S %p\"",
        ));
    }
    if let Some(encoding) = &source.encoding {
        let e = encoding.to_ascii_lowercase().replace('_', "-");
        const KNOWN: [&str; 7] = ["utf-8", "utf8", "utf-16", "utf-16le", "utf-16be", "windows-1252", "cp1252"];
        if !KNOWN.contains(&e.as_str()) {
            return Err(c.error(
                &source_path(i, &[Key("encoding")]),
                format!("encoding `{encoding}` is not one rapport reads"),
                "unknown encoding",
                "use \"utf-8\", \"utf-16\" or \"windows-1252\", or leave `encoding` out to detect it",
            ));
        }
    }
    if let Some(d) = &source.delimiter {
        let ok = d.len() == 1 && d.is_ascii() && !matches!(d.as_str(), "\"" | "\n" | "\r");
        if !ok {
            return Err(c.error(
                &source_path(i, &[Key("delimiter")]),
                format!("`{d}` cannot be a delimiter"),
                "not a single character",
                "use one character such as \",\", \";\" or \"\\t\"",
            ));
        }
    }
    Ok(())
}

/// How a source's columns map to fields, dimensions and measures.
fn check_columns(i: usize, source: &SourceConfig, c: &Locator) -> Check {
    for field in super::Field::ALL {
        if let Some(h) = source.columns.get(field)
            && h.trim().is_empty()
        {
            return Err(c.error(
                &source_path(i, &[Key("columns"), Key(field.key())]),
                "the column header is empty",
                "empty",
                "name the export's column header, or remove the line",
            ));
        }
    }
    for (table, names) in [("dimensions", &source.dimensions), ("measures", &source.measures)] {
        for (name, header) in names {
            if !is_identifier(name) {
                return Err(c.error(
                    &source_path(i, &[Key(table), Key(name)]),
                    format!("`{name}` cannot name a {}", &table[..table.len() - 1]),
                    "not a simple name",
                    "use lowercase letters, digits, `_` and `-` (the name appears in page addresses)",
                ));
            }
            if header.trim().is_empty() {
                return Err(c.error(
                    &source_path(i, &[Key(table), Key(name)]),
                    "the column header is empty",
                    "empty",
                    "name the export's column header",
                ));
            }
        }
    }
    for name in source.dimensions.keys() {
        if source.measures.contains_key(name) {
            return Err(c.error(
                &source_path(i, &[Key("measures"), Key(name)]),
                format!("`{name}` is both a dimension and a measure"),
                "also a dimension",
                "give the measure another name",
            ));
        }
    }
    Ok(())
}

/// What a pre-aggregated table (`preset = "aggregated"`, docs/warehouse.md) can map: its rows
/// are groups of responses, so there is no id, time, customer or comment to read.
fn check_aggregated(i: usize, source: &SourceConfig, c: &Locator) -> Check {
    if source.preset != super::Preset::Aggregated {
        return Ok(());
    }
    for field in [super::Field::Id, super::Field::SubmittedAt, super::Field::Customer, super::Field::Comment] {
        if source.columns.get(field).is_some() {
            return Err(c.error(
                &source_path(i, &[Key("columns"), Key(field.key())]),
                format!("an aggregated table has no `{}` column", field.key()),
                "not in an aggregated table",
                "its rows are groups of responses, counted by day: remove this line (docs/warehouse.md)",
            ));
        }
    }
    if source.date_format.is_some() {
        return Err(c.error(
            &source_path(i, &[Key("date_format")]),
            "an aggregated table has no timestamps to read",
            "not in an aggregated table",
            "its `day` column is always YYYY-MM-DD: remove `date_format`",
        ));
    }
    const MEASURES: [&str; 3] = ["transfers", "first_response_minutes", "resolution_minutes"];
    if let Some(name) = source.measures.keys().find(|m| !MEASURES.contains(&m.as_str())) {
        return Err(c.error(
            &source_path(i, &[Key("measures"), Key(name)]),
            format!("`{name}` cannot be read from an aggregated table"),
            "not an aggregated measure",
            "an aggregated table carries transfers, first_response_minutes and resolution_minutes; remove this line",
        ));
    }
    Ok(())
}

/// The path `sources[i].<rest>`.
fn source_path<'a>(i: usize, rest: &[Step<'a>]) -> Vec<Step<'a>> {
    let mut path = vec![Key("sources"), Index(i)];
    path.extend_from_slice(rest);
    path
}

fn validate_metrics(config: &Config, c: &Locator) -> Check {
    let m = &config.metrics;
    for (name, scale, top, top_key) in
        [("csat", m.csat.scale, m.csat.satisfied, "satisfied"), ("ces", m.ces.scale, m.ces.easy, "easy")]
    {
        let [lo, hi] = scale;
        if lo >= hi || hi > 10 {
            return Err(c.error(
                &[Key("metrics"), Key(name), Key("scale")],
                format!("{name} scale {lo}–{hi} is not a scale"),
                "not a scale",
                "give the lowest and highest score, lowest first, within 0–10, e.g. `scale = [1, 5]`",
            ));
        }
        if top[0] > top[1] || top[0] < lo || top[1] > hi {
            return Err(c.error(
                &[Key("metrics"), Key(name), Key(top_key)],
                format!("{name} {top_key} range {}–{} is not within the scale {lo}–{hi}", top[0], top[1]),
                "outside the scale",
                format!(
                    "choose scores within {lo}–{hi}, lowest first, e.g. `{top_key} = [{}, {hi}]`",
                    hi.saturating_sub(1).max(lo)
                ),
            ));
        }
    }
    let bounds = [
        ("csat", m.csat.target, 0.0, 100.0),
        ("nps", m.nps.target, -100.0, 100.0),
        ("ces", m.ces.target, f64::from(m.ces.scale[0]), f64::from(m.ces.scale[1])),
    ];
    for (name, target, lo, hi) in bounds {
        if let Some(t) = target
            && !(lo..=hi).contains(&t)
        {
            return Err(c.error(
                &[Key("metrics"), Key(name), Key("target")],
                format!("{name} target {t} is outside {lo}…{hi}"),
                "out of range",
                format!("choose a target between {lo} and {hi}"),
            ));
        }
    }
    let label_tables =
        [("csat", &m.csat.labels, m.csat.scale), ("nps", &m.nps.labels, [0, 10]), ("ces", &m.ces.labels, m.ces.scale)];
    for (name, labels, [lo, hi]) in label_tables {
        if let Some((label, score)) = labels.iter().find(|(_, s)| !(lo..=hi).contains(*s)) {
            return Err(c.error(
                &[Key("metrics"), Key(name), Key("labels"), Key(label)],
                format!("the {name} label `{label}` maps to {score}, outside the scale {lo}–{hi}"),
                "outside the scale",
                format!("map each label to a score from {lo} to {hi}"),
            ));
        }
    }
    let edges = &m.first_response.buckets;
    if edges.is_empty()
        || edges.len() > 8
        || edges.iter().any(|e| !e.is_finite() || *e <= 0.0)
        || edges.windows(2).any(|w| w[0] >= w[1])
    {
        return Err(c.error(
            &[Key("metrics"), Key("first_response"), Key("buckets")],
            "first-response buckets must be 1 to 8 increasing numbers of minutes above 0",
            "not increasing minutes",
            "list the upper edge of each bucket in minutes, e.g. `buckets = [60, 240, 1440]` for < 1 h, 1–4 h, 4–24 h and ≥ 24 h",
        ));
    }
    let s = &config.stats;
    if !(s.confidence > 0.5 && s.confidence < 1.0) {
        return Err(c.error(
            &[Key("stats"), Key("confidence")],
            format!("confidence {} is not a probability between 0.5 and 1", s.confidence),
            "out of range",
            "use a level such as 0.90, 0.95 or 0.99",
        ));
    }
    if s.min_n == 0 {
        return Err(c.error(
            &[Key("stats"), Key("min_n")],
            "min_n must be at least 1",
            "zero",
            "the usual choice is 30",
        ));
    }
    if config.privacy.min_group == 0 {
        return Err(c.error(
            &[Key("privacy"), Key("min_group")],
            "min_group must be at least 1",
            "zero",
            "the usual choice is 5 (a smaller group can identify people)",
        ));
    }
    Ok(())
}

fn validate_rules(config: &Config, c: &Locator) -> Check {
    let dimensions = config.dimensions();
    for (i, target) in config.targets.iter().enumerate() {
        if target.min.is_none() && target.max.is_none() {
            return Err(c.error(
                &[Key("targets"), Index(i)],
                format!("the target on `{}` has neither `min` nor `max`", target.metric.key()),
                "no bound",
                "add `min = …` (the figure must stay at or above) or `max = …`",
            ));
        }
        check_target_figure(config, i, target, c)?;
        if let (Some(lo), Some(hi)) = (target.min, target.max)
            && lo > hi
        {
            return Err(c.error(
                &[Key("targets"), Index(i), Key("max")],
                format!("max {hi} is below min {lo}"),
                "below min",
                "swap them",
            ));
        }
        for name in target.filter.keys() {
            if !dimensions.contains(&name.as_str()) {
                let help = config.unknown_dimension_help(name);
                return Err(c.error(
                    &[Key("targets"), Index(i), Key("where"), Key(name)],
                    format!("`{name}` is not a dimension"),
                    "unknown dimension",
                    help,
                ));
            }
        }
    }
    for (i, event) in config.events.iter().enumerate() {
        let d = event.date;
        let ok = d.time.is_none()
            && d.offset.is_none()
            && d.date.is_some_and(|d| jiff::civil::Date::new(d.year as i16, d.month as i8, d.day as i8).is_ok());
        if !ok {
            return Err(c.error(
                &[Key("events"), Index(i), Key("date")],
                "an event date is a day, without a time",
                "not a plain date",
                "write the day as a TOML date, e.g. `date = 2026-03-01`",
            ));
        }
        if event.title.trim().is_empty() {
            return Err(c.error(
                &[Key("events"), Index(i), Key("title")],
                "the event has no title",
                "empty",
                "say what changed, e.g. `title = \"New onboarding videos\"`",
            ));
        }
        if !crate::ingest::YEARS.contains(&(d.date.map_or(0, |d| d.year) as i16)) {
            return Err(c.error(
                &[Key("events"), Index(i), Key("date")],
                "the event date is out of range",
                "out of range",
                format!("use a day between {} and {}", crate::ingest::YEARS.start(), crate::ingest::YEARS.end()),
            ));
        }
        if event.window_days == 0 || event.window_days > MAX_WINDOW_DAYS {
            return Err(c.error(
                &[Key("events"), Index(i), Key("window_days")],
                format!("window_days must be between 1 and {MAX_WINDOW_DAYS}"),
                "out of range",
                "compare e.g. 60 days before and after: `window_days = 60`",
            ));
        }
    }
    validate_topics(config, c)
}

/// Every topic has a name of its own and keywords that can match (see `metrics::Keyword`).
fn validate_topics(config: &Config, c: &Locator) -> Check {
    use crate::metrics::{Keyword, KeywordProblem, fold};
    let mut names: Vec<(String, &str)> = Vec::new();
    for (topic, words) in &config.topics {
        let here = [Key("topics"), Key(topic)];
        if topic.trim().is_empty() {
            return Err(c.error(
                &here,
                "a topic has no name",
                "unnamed topic",
                "name the topic in quotes, e.g. `\"Wait time\" = [\"wait\", \"slow\"]`",
            ));
        }
        let mut name = String::new();
        fold(topic.trim(), &mut name);
        if let Some((_, first)) = names.iter().find(|(seen, _)| *seen == name) {
            return Err(c.error(
                &here,
                format!("topic `{topic}` is topic `{first}` again"),
                "same topic",
                "topic names are compared ignoring case and spaces: put the keywords of both in one list",
            ));
        }
        names.push((name, topic));
        if words.is_empty() {
            return Err(c.error(
                &here,
                format!("topic `{topic}` has no keywords"),
                "no keywords",
                "list words that mark the topic, e.g. `[\"wait\", \"slow\"]`",
            ));
        }
        let mut keywords: Vec<Keyword> = Vec::new();
        for (i, word) in words.iter().enumerate() {
            let at = [Key("topics"), Key(topic), Index(i)];
            let (message, label, help) = match Keyword::parse(word) {
                Err(KeywordProblem::Empty) => (
                    format!("keyword {} of topic `{topic}` is empty", i + 1),
                    "empty",
                    "remove it, or write the word it stands for".to_string(),
                ),
                Err(KeywordProblem::OnlyStar) => (
                    format!("`{word}` in topic `{topic}` would match every word"),
                    "no word before `*`",
                    "a `*` ends a word to match the words that start with it, e.g. `\"wait*\"`".to_string(),
                ),
                Err(KeywordProblem::StarInside) => (
                    format!("`{word}` in topic `{topic}` has a `*` before its end"),
                    "`*` inside",
                    "a `*` can only end a keyword (`\"wait*\"` matches wait, waited, waiting); list other forms as keywords of their own".to_string(),
                ),
                Ok(keyword) if keywords.contains(&keyword) => (
                    format!("`{word}` is listed twice in topic `{topic}`"),
                    "repeated",
                    "keywords are compared ignoring case: list each once".to_string(),
                ),
                Ok(keyword) => {
                    keywords.push(keyword);
                    continue;
                }
            };
            return Err(c.error(&at, message, label, help));
        }
    }
    if let Err(e) = crate::metrics::Matcher::build(&config.topics) {
        return Err(c.error(
            &[Key("topics")],
            format!("the keywords of [topics] cannot be compiled: {e}"),
            "too many keywords",
            "use fewer or shorter keywords",
        ));
    }
    Ok(())
}

/// The figure a target judges exists, and its bounds make sense for it.
fn check_target_figure(config: &Config, i: usize, target: &super::TargetConfig, c: &Locator) -> Check {
    let metric = target.metric;
    let key = metric.key();
    for (bound, value) in [("min", target.min), ("max", target.max)] {
        if value.is_some_and(|v| !v.is_finite()) {
            return Err(c.error(
                &[Key("targets"), Index(i), Key(bound)],
                format!("`{bound}` is not a number"),
                "not finite",
                "give a number, e.g. `min = 85`",
            ));
        }
    }
    if target.stat.is_some() && !metric.is_duration() {
        return Err(c.error(
            &[Key("targets"), Index(i), Key("stat")],
            format!("`stat` does not apply to `{key}`"),
            "only for durations",
            "`stat` chooses the median or the 90th percentile of `first_response_minutes` or `resolution_minutes`; remove it here",
        ));
    }
    if !metric.is_operations() {
        return Ok(());
    }
    if !config.measures().contains(&key) {
        return Err(c.error(
            &[Key("targets"), Index(i), Key("metric")],
            format!("no source maps the measure `{key}`"),
            "not mapped",
            format!("map the export's column under [sources.measures], e.g. `{key} = \"{key}\"`"),
        ));
    }
    if target.max.is_none() {
        return Err(c.error(
            &[Key("targets"), Index(i), Key("min")],
            format!("a `min` alone asks `{key}` to stay high, but lower is better"),
            "a floor on a cost",
            "use `max = …` (the figure must stay at or below it); give both for a band",
        ));
    }
    if target.max.is_some_and(|m| m < 0.0) {
        return Err(c.error(
            &[Key("targets"), Index(i), Key("max")],
            format!("`{key}` is never below 0, so this target can never be met"),
            "below 0",
            "give a bound of 0 or more",
        ));
    }
    Ok(())
}

/// A site's address without its trailing slash; the error is the hint.
pub fn base_url(url: &str) -> Result<String, &'static str> {
    let url = url.trim().trim_end_matches('/');
    let scheme = url.split_once("://").map(|(scheme, _)| scheme);
    if url.is_empty() || url.starts_with('/') && !url.starts_with("//") || matches!(scheme, Some("http" | "https")) {
        Ok(url.to_string())
    } else {
        Err("use the address the site is published at, e.g. `https://cx.example.com`, or a path such as `/cx`")
    }
}

/// The longest before/after window: ten years.
const MAX_WINDOW_DAYS: u32 = 3660;

pub(super) fn is_identifier(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_' || ch == '-')
}
