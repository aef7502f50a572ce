//! The demo's other KPIs, for the scorecard: what Northwind's finance and
//! team leads keep in a sheet beside the helpdesk exports.
//!
//! Drawn from their own seeded stream, so the survey exports (and every
//! figure tested on them) never change when this file does. The model follows
//! the survey data's story: fewer tickets per customer after the video
//! onboarding (March 2026) and the Fabrikam team (May 2026) make each ticket
//! cheaper; churn is reported per quarter, and next month's targets are set
//! ahead with no value yet.

use super::generate::{FABRIKAM_POD, FIRST_DAY, LAST_DAY, VIDEO_ONBOARDING};
use super::random::Random;
use crate::config::PeriodKind;
use crate::metrics::Period;

pub const PATH: &str = "content/kpis.csv";

/// The KPI sheet: period, name, value, target.
pub fn sheet() -> Vec<u8> {
    let mut rng = Random::new(0x6b70_6973_2d64_656d); // "kpis-dem"
    let months = Period::range(PeriodKind::Month, FIRST_DAY, LAST_DAY);
    let mut rows: Vec<[String; 4]> = Vec::new();
    let mut row = |period: String, name: &str, value: Option<String>, target: String| {
        rows.push([period, name.to_string(), value.unwrap_or_default(), target]);
    };
    for (m, month) in months.iter().enumerate() {
        let m = m as f64;
        let after = |day| if month.start >= day { 1.0 } else { 0.0 };
        let cost = 19.6 - 0.16 * m - 0.5 * after(FABRIKAM_POD) + 0.35 * rng.normal();
        let cost_target = if month.start.year() < 2026 { "18.50" } else { "17.50" };
        row(month.key(), "Support cost per ticket", Some(format!("{cost:.2}")), cost_target.into());
        let backlog = 175.0 - 3.0 * m - 12.0 * after(VIDEO_ONBOARDING) + 9.0 * rng.normal();
        row(month.key(), "Open tickets at month end", Some(format!("{backlog:.0}")), "150".into());
        let training = 5.2 + 0.08 * m + 0.7 * rng.normal();
        row(month.key(), "Training hours per agent", Some(format!("{training:.1}")), "6.0".into());
        let articles = 8.0 + 0.4 * m + 4.0 * after(VIDEO_ONBOARDING) + 2.0 * rng.normal();
        row(month.key(), "Knowledge-base articles published", Some(format!("{:.0}", articles.max(0.0))), "14".into());
    }
    let quarters = Period::range(PeriodKind::Quarter, FIRST_DAY, LAST_DAY);
    // Churn is booked when a quarter closes: the running quarter has no value yet.
    for (q, quarter) in quarters.iter().filter(|q| q.end() < LAST_DAY).enumerate() {
        let churn = 150.0 - 11.0 * q as f64 + 8.0 * rng.normal();
        row(quarter.key(), "Churned ARR", Some(format!("{churn:.0}")), "120".into());
    }
    // Next month's targets, set ahead.
    let next = months.last().expect("the demo has months").next();
    row(next.key(), "Support cost per ticket", None, "17.50".into());
    row(next.key(), "Training hours per agent", None, "6.5".into());
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["period", "name", "value", "target"]).expect("writing to memory");
    for r in &rows {
        writer.write_record(r).expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}
