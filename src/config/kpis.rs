//! `[[kpis]]`: CSV files of the KPIs that surveys cannot measure (support
//! cost per ticket, churned revenue, training hours), for the scorecard.
//!
//! The files hold the numbers (period, name, value, optional target); what a
//! KPI *is* (its perspective, whether more is better, its unit) is declared
//! once here, under `[kpis.indicators]`. So a name misspelt in one month of a
//! spreadsheet is an error pointing at its cell, not a new KPI, and the
//! direction of a cost is never guessed.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::validate::{Locator, Step};
use crate::diagnostic::Diagnostic;

/// One `[[kpis]]` entry: a set of CSV files and the KPIs they may name.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KpiSource {
    /// Glob relative to the site root.
    pub path: String,
    /// KPI name (as written in the files' `name` column) = what it is, in the order of the file.
    #[serde(default)]
    pub indicators: IndexMap<String, Indicator>,
}

/// What a KPI is: where it goes on the scorecard and which way is good.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub perspective: Perspective,
    pub better: Better,
    /// Written after the value: "€", "h", "%", "k€".
    pub unit: Option<String>,
    /// The target of every period whose row gives none.
    pub target: Option<f64>,
}

/// The four perspectives of a balanced scorecard (Kaplan & Norton), in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Perspective {
    Customer,
    Internal,
    Financial,
    Learning,
}

impl Perspective {
    pub const ALL: [Perspective; 4] =
        [Perspective::Customer, Perspective::Internal, Perspective::Financial, Perspective::Learning];

    pub fn key(self) -> &'static str {
        match self {
            Perspective::Customer => "customer",
            Perspective::Internal => "internal",
            Perspective::Financial => "financial",
            Perspective::Learning => "learning",
        }
    }
}

/// Which way a KPI should go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    /// The target is a floor (training hours, articles published).
    Higher,
    /// The target is a ceiling (cost, churn).
    Lower,
}

type Check = Result<(), Box<Diagnostic>>;

/// The path `kpis[i].<rest>`.
fn at<'a>(i: usize, rest: &[Step<'a>]) -> Vec<Step<'a>> {
    let mut path = vec![Step::Key("kpis"), Step::Index(i)];
    path.extend_from_slice(rest);
    path
}

pub(super) fn validate(kpis: &[KpiSource], c: &Locator) -> Check {
    for (i, source) in kpis.iter().enumerate() {
        if source.path.trim().is_empty() {
            return Err(c.error(
                &at(i, &[Step::Key("path")]),
                "the KPI path is empty",
                "empty",
                "give a glob relative to the site root, e.g. `content/kpis/*.csv`",
            ));
        }
        if let Err(e) = globset::Glob::new(&source.path) {
            return Err(c.error(
                &at(i, &[Step::Key("path")]),
                format!("`{}` is not a valid glob: {}", source.path, e.kind()),
                "invalid glob",
                "use `*` for any name and `**` for any folder, e.g. `content/kpis/*.csv`",
            ));
        }
        if source.indicators.is_empty() {
            return Err(c.error(
                &at(i, &[]),
                "these KPIs have no `[kpis.indicators]`",
                "no indicators",
                "declare each KPI the files name, e.g.\n\n[kpis.indicators]\n\"Support cost per ticket\" = { perspective = \"financial\", better = \"lower\", unit = \"€\" }",
            ));
        }
        for (name, indicator) in &source.indicators {
            let here = at(i, &[Step::Key("indicators"), Step::Key(name)]);
            if name.trim().is_empty() || name.trim() != name {
                return Err(c.error(
                    &here,
                    format!("`{name}` cannot name a KPI"),
                    "blank or padded name",
                    "write the name exactly as the files' `name` column does, without spaces around it",
                ));
            }
            if let Some(other) = kpis[..i].iter().position(|s| s.indicators.contains_key(name)) {
                return Err(c.error(
                    &here,
                    format!("the KPI `{name}` is declared by [[kpis]] number {} too", other + 1),
                    "declared twice",
                    "declare each KPI once, in the [[kpis]] entry whose files hold it",
                ));
            }
            if indicator.unit.as_deref().is_some_and(|u| u.trim().is_empty() || u.chars().count() > 12) {
                return Err(c.error(
                    &[here.as_slice(), &[Step::Key("unit")]].concat(),
                    "a unit is a short word or symbol",
                    "empty or long",
                    "write it as it follows a number, e.g. `unit = \"€\"`, `\"h\"` or `\"%\"`, or leave `unit` out",
                ));
            }
            if indicator.target.is_some_and(|t| !t.is_finite()) {
                return Err(c.error(
                    &[here.as_slice(), &[Step::Key("target")]].concat(),
                    "the target is not a number",
                    "not finite",
                    "give a number, e.g. `target = 17.5`",
                ));
            }
        }
    }
    Ok(())
}
