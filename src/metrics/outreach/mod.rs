//! Outreach: how many surveys went out, how many came back, and how often one
//! customer is asked.
//!
//! Two figures that sit beside the cube rather than in it: response rates
//! ([`Rates`]) divide the cube's response counts by the `[sent]` counts, and
//! survey fatigue ([`Fatigue`]) counts answers per customer and month, which
//! no tally of scores can say. Both follow the site's rules: intervals at
//! `stats.confidence`, tests of SPEC §4, nothing about a group below
//! `privacy.min_group`.

mod fatigue;
mod rates;

pub use fatigue::{CustomerLoad, Fatigue};
pub use rates::{Rate, RateOutcome, Rates};

use super::Metrics;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::ingest::{Inputs, SentCounts};

/// Response rates and survey fatigue of a site, when it has the data for them.
#[derive(Debug, Default)]
pub struct Outreach {
    /// The `[sent]` files as read; `None` without `[sent]`.
    pub sent: Option<SentCounts>,
    pub rates: Option<Rates>,
    /// `None` when no response names its customer.
    pub fatigue: Option<Fatigue>,
}

impl Outreach {
    pub fn compute(config: &Config, inputs: &Inputs, sent: Option<SentCounts>, metrics: &Metrics) -> Outreach {
        let rates = sent.as_ref().map(|sent| Rates::compute(config, inputs, sent, metrics));
        let fatigue = metrics.fatigue().cloned();
        Outreach { sent, rates, fatigue }
    }

    /// What the user should know about the sent counts: repeated rows, values no
    /// response has, groups with more responses than surveys sent.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        let read = self.sent.iter().flat_map(|s| &s.warnings);
        read.chain(self.rates.iter().flat_map(|r| &r.warnings))
    }
}

#[cfg(test)]
mod tests;
