//! `[[sources]]`: where the exports are and how their columns map to fields.

use indexmap::IndexMap;
use serde::Deserialize;

/// One `[[sources]]` entry: a set of exports and how to read them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    /// Glob relative to the site root.
    pub path: String,
    #[serde(default)]
    pub preset: Preset,
    #[serde(default)]
    pub on_error: OnError,
    /// Text encoding; detected when absent.
    pub encoding: Option<String>,
    /// Field delimiter; detected when absent.
    pub delimiter: Option<String>,
    /// strftime format of the submission times when they are not ISO 8601,
    /// e.g. "%d/%m/%Y %H:%M"; tried before the preset's own formats.
    pub date_format: Option<String>,
    #[serde(default)]
    pub columns: Columns,
    /// Segment name = column header, in the order of the file.
    #[serde(default)]
    pub dimensions: IndexMap<String, String>,
    /// Numeric support-operations field = column header.
    #[serde(default)]
    pub measures: IndexMap<String, String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Preset {
    #[default]
    Generic,
    Qualtrics,
    Surveymonkey,
    Typeform,
    Delighted,
    Zendesk,
    GoogleForms,
    /// A pre-aggregated table of counts (docs/warehouse.md), not responses.
    Aggregated,
}

/// What to do with a row that cannot be read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OnError {
    /// List the row on the data-quality page and leave it out of every figure.
    #[default]
    Reject,
    /// Stop the build at the first bad row.
    Fail,
}

/// Semantic field = column header. A field left out is looked up under its
/// conventional header (see [`Columns::candidates`]) and is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Columns {
    pub id: Option<String>,
    pub submitted_at: Option<String>,
    pub customer: Option<String>,
    pub comment: Option<String>,
    pub csat: Option<String>,
    pub nps: Option<String>,
    pub ces: Option<String>,
}

/// The fields a response can have, in the users' words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Id,
    SubmittedAt,
    Customer,
    Comment,
    Csat,
    Nps,
    Ces,
}

impl Field {
    pub const ALL: [Field; 7] =
        [Field::Id, Field::SubmittedAt, Field::Customer, Field::Comment, Field::Csat, Field::Nps, Field::Ces];

    pub fn key(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::SubmittedAt => "submitted_at",
            Field::Customer => "customer",
            Field::Comment => "comment",
            Field::Csat => "csat",
            Field::Nps => "nps",
            Field::Ces => "ces",
        }
    }
}

impl Columns {
    pub fn get(&self, field: Field) -> Option<&str> {
        match field {
            Field::Id => self.id.as_deref(),
            Field::SubmittedAt => self.submitted_at.as_deref(),
            Field::Customer => self.customer.as_deref(),
            Field::Comment => self.comment.as_deref(),
            Field::Csat => self.csat.as_deref(),
            Field::Nps => self.nps.as_deref(),
            Field::Ces => self.ces.as_deref(),
        }
    }

    /// Headers tried, in order, for a field that `[sources.columns]` leaves out.
    pub fn candidates(field: Field) -> &'static [&'static str] {
        match field {
            Field::Id => &["id", "response_id"],
            Field::SubmittedAt => &["submitted_at", "timestamp"],
            Field::Customer => &["customer", "customer_id"],
            Field::Comment => &["comment"],
            Field::Csat => &["csat"],
            Field::Nps => &["nps"],
            Field::Ces => &["ces"],
        }
    }
}
