//! `site.toml`: what a site is made of and how its figures are computed.
//!
//! The file is read in two passes. serde turns it into the types below,
//! rejecting unknown keys and wrong types with the span toml reports; then
//! `validate` checks what types cannot say (a time zone that exists, a
//! scale whose top is above its bottom, a target on a known dimension) and
//! points at the offending value by looking its path up in the document.
//! Every default lives here, in one place, so a `site.toml` with a title and
//! one source is a complete site.

mod errors;
mod kpis;
mod sent;
mod source;
mod validate;

pub use errors::{ConfigError, toml_diagnostic};
pub use kpis::{Better, Indicator, KpiSource, Perspective};
pub use sent::{MAX_SURVEYS_LIMIT, SentColumns, SentConfig};
pub use source::{Columns, Field, OnError, Preset, SourceConfig};
pub use validate::{Locator, Step, base_url};

use std::path::Path;

use indexmap::IndexMap;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Deserialize;

use crate::diagnostic::nearest;
use errors::invalid;

pub const FILE_NAME: &str = "site.toml";

/// The whole of `site.toml`, with defaults filled in and validated.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    /// Absolute URL the site is published at; empty means links are relative to the site root.
    #[serde(default)]
    pub base_url: String,
    #[serde(default)]
    pub language: Language,
    #[serde(default = "default_theme")]
    pub theme: String,
    /// IANA time zone name; periods are cut and naive timestamps read in it.
    #[serde(default = "default_timezone")]
    pub timezone: String,
    /// Which periodic reports to publish.
    #[serde(default = "default_periods")]
    pub periods: Vec<PeriodKind>,
    #[serde(default)]
    pub sources: Vec<SourceConfig>,
    /// Surveys sent per period (and group), for response rates.
    pub sent: Option<SentConfig>,
    #[serde(default)]
    pub metrics: MetricsConfig,
    #[serde(default)]
    pub stats: StatsConfig,
    #[serde(default)]
    pub privacy: PrivacyConfig,
    #[serde(default)]
    pub targets: Vec<TargetConfig>,
    #[serde(default)]
    pub events: Vec<EventConfig>,
    /// CSV files of other KPIs for the scorecard.
    #[serde(default)]
    pub kpis: Vec<KpiSource>,
    /// Topic name = keywords (used by comment topics; kept in order of the file).
    #[serde(default)]
    pub topics: IndexMap<String, Vec<String>>,

    /// The parsed `timezone`, filled in by validation.
    #[serde(skip, default = "TimeZone::unknown")]
    pub time_zone: TimeZone,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    Ru,
    Zh,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Ru => "ru",
            Language::Zh => "zh",
        }
    }
}

/// The length of a periodic report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PeriodKind {
    Week,
    Month,
    Quarter,
    Year,
}

impl PeriodKind {
    pub fn name(self) -> &'static str {
        match self {
            PeriodKind::Week => "week",
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
            PeriodKind::Year => "year",
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsConfig {
    #[serde(default)]
    pub csat: CsatConfig,
    #[serde(default)]
    pub nps: NpsConfig,
    #[serde(default)]
    pub ces: CesConfig,
    #[serde(default)]
    pub first_response: FirstResponseConfig,
}

/// `[metrics.first_response]`: how first-response times are grouped.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FirstResponseConfig {
    /// Upper edges of the buckets, in minutes, increasing: [60, 240, 1440] gives
    /// < 1 h, 1–4 h, 4–24 h and ≥ 24 h.
    #[serde(default = "first_response_buckets")]
    pub buckets: Vec<f64>,
}

impl Default for FirstResponseConfig {
    fn default() -> Self {
        FirstResponseConfig { buckets: first_response_buckets() }
    }
}

fn first_response_buckets() -> Vec<f64> {
    vec![60.0, 240.0, 1440.0]
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsatConfig {
    #[serde(default = "csat_scale")]
    pub scale: [u8; 2],
    /// Scores counted as satisfied (top-2-box on a 1–5 scale).
    #[serde(default = "csat_satisfied")]
    pub satisfied: [u8; 2],
    /// Target CSAT %, drawn on charts.
    pub target: Option<f64>,
    /// Answer labels beyond the built-in ones: label = score.
    #[serde(default)]
    pub labels: IndexMap<String, u8>,
}

impl Default for CsatConfig {
    fn default() -> Self {
        CsatConfig { scale: csat_scale(), satisfied: csat_satisfied(), target: None, labels: IndexMap::new() }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NpsConfig {
    pub target: Option<f64>,
    #[serde(default)]
    pub labels: IndexMap<String, u8>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CesConfig {
    #[serde(default = "ces_scale")]
    pub scale: [u8; 2],
    /// Scores counted as "easy".
    #[serde(default = "ces_easy")]
    pub easy: [u8; 2],
    pub target: Option<f64>,
    #[serde(default)]
    pub labels: IndexMap<String, u8>,
}

impl Default for CesConfig {
    fn default() -> Self {
        CesConfig { scale: ces_scale(), easy: ces_easy(), target: None, labels: IndexMap::new() }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatsConfig {
    #[serde(default = "default_confidence")]
    pub confidence: f64,
    /// Below this n a figure is marked "low sample" and no change is called significant.
    #[serde(default = "default_min_n")]
    pub min_n: u32,
    /// Surveys one customer may answer in a calendar month before the reports warn of survey fatigue.
    #[serde(default = "sent::default_max_surveys")]
    pub max_surveys_per_customer: u32,
}

impl Default for StatsConfig {
    fn default() -> Self {
        StatsConfig {
            confidence: default_confidence(),
            min_n: default_min_n(),
            max_surveys_per_customer: sent::default_max_surveys(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyConfig {
    /// A group with fewer responses is never published.
    #[serde(default = "default_min_group")]
    pub min_group: u32,
    #[serde(default = "default_redact")]
    pub redact: Vec<Redaction>,
    #[serde(default = "default_true")]
    pub publish_comments: bool,
}

impl Default for PrivacyConfig {
    fn default() -> Self {
        PrivacyConfig { min_group: default_min_group(), redact: default_redact(), publish_comments: true }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Redaction {
    Email,
    Phone,
    Card,
}

/// A figure that can carry a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricName {
    /// CSAT %.
    Csat,
    /// Mean CSAT score.
    CsatMean,
    /// Net Promoter Score.
    Nps,
    /// Mean CES score.
    Ces,
    /// CES % easy.
    CesEasy,
    /// Minutes to the first response (median, or `stat = "p90"`).
    FirstResponseMinutes,
    /// Minutes to resolution (median, or `stat = "p90"`).
    ResolutionMinutes,
    /// Transfers per ticket (mean).
    Transfers,
}

impl MetricName {
    pub fn key(self) -> &'static str {
        match self {
            MetricName::Csat => "csat",
            MetricName::CsatMean => "csat_mean",
            MetricName::Nps => "nps",
            MetricName::Ces => "ces",
            MetricName::CesEasy => "ces_easy",
            MetricName::FirstResponseMinutes => "first_response_minutes",
            MetricName::ResolutionMinutes => "resolution_minutes",
            MetricName::Transfers => "transfers",
        }
    }

    /// A support-operations figure (a duration or transfers), where lower is better.
    pub fn is_operations(self) -> bool {
        matches!(self, MetricName::FirstResponseMinutes | MetricName::ResolutionMinutes | MetricName::Transfers)
    }

    /// A duration, which has a median and a 90th percentile.
    pub fn is_duration(self) -> bool {
        matches!(self, MetricName::FirstResponseMinutes | MetricName::ResolutionMinutes)
    }
}

/// Which statistic of a duration a target judges.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stat {
    #[default]
    Median,
    P90,
}

/// One `[[targets]]` entry: a bound a figure must stay within.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetConfig {
    pub metric: MetricName,
    /// For durations: the median (default) or the 90th percentile.
    pub stat: Option<Stat>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Dimension = value filters; all must match.
    #[serde(default, rename = "where")]
    pub filter: IndexMap<String, String>,
}

/// One `[[events]]` entry: a dated change whose effect is measured.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventConfig {
    pub date: toml::value::Datetime,
    pub title: String,
    #[serde(default = "default_window_days")]
    pub window_days: u32,
}

impl EventConfig {
    /// The event's day; validation guarantees it is a plain date.
    pub fn day(&self) -> Date {
        let d = self.date.date.expect("validated: events have a date");
        Date::new(d.year as i16, d.month as i8, d.day as i8).expect("validated: a real date")
    }
}

fn default_theme() -> String {
    "default".into()
}
fn default_timezone() -> String {
    "UTC".into()
}
fn default_periods() -> Vec<PeriodKind> {
    vec![PeriodKind::Month, PeriodKind::Quarter]
}
fn csat_scale() -> [u8; 2] {
    [1, 5]
}
fn csat_satisfied() -> [u8; 2] {
    [4, 5]
}
fn ces_scale() -> [u8; 2] {
    [1, 7]
}
fn ces_easy() -> [u8; 2] {
    [5, 7]
}
fn default_confidence() -> f64 {
    0.95
}
fn default_min_n() -> u32 {
    30
}
fn default_min_group() -> u32 {
    5
}
fn default_redact() -> Vec<Redaction> {
    vec![Redaction::Email, Redaction::Phone, Redaction::Card]
}
fn default_true() -> bool {
    true
}
fn default_window_days() -> u32 {
    30
}

impl Config {
    /// Reads and validates `site.toml` in `root`.
    pub fn load(root: &Path) -> Result<Config, ConfigError> {
        let path = root.join(FILE_NAME);
        let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read { path: path.clone(), source })?;
        Config::parse(&text)
    }

    /// Parses and validates the text of a `site.toml`.
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|e| invalid(toml_diagnostic(text, &e)))?;
        validate::validate(&mut config, text).map_err(|d| invalid(*d))?;
        Ok(config)
    }

    /// Every dimension named by any source, in order of first appearance.
    pub fn dimensions(&self) -> Vec<&str> {
        self.names(|source| &source.dimensions)
    }

    /// Every measure named by any source, in order of first appearance.
    pub fn measures(&self) -> Vec<&str> {
        self.names(|source| &source.measures)
    }

    fn names<'a>(&'a self, table: impl Fn(&'a SourceConfig) -> &'a IndexMap<String, String>) -> Vec<&'a str> {
        let mut names: Vec<&str> = Vec::new();
        for name in self.sources.iter().flat_map(|s| table(s).keys()) {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
        names
    }

    /// What to tell someone who filtered on `name`, which is not a dimension.
    pub fn unknown_dimension_help(&self, name: &str) -> String {
        let dimensions = self.dimensions();
        match nearest(name, dimensions.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None if dimensions.is_empty() => "map the column under [sources.dimensions] in site.toml first".into(),
            None => format!(
                "`where` filters on the dimensions of [sources.dimensions] in site.toml: {}",
                dimensions.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", ")
            ),
        }
    }

    /// The target for a headline figure, from `[metrics.*] target`.
    pub fn headline_target(&self, metric: MetricName) -> Option<f64> {
        match metric {
            MetricName::Csat => self.metrics.csat.target,
            MetricName::Nps => self.metrics.nps.target,
            MetricName::Ces => self.metrics.ces.target,
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
