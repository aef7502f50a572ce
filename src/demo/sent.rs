//! The demo's sent counts: how many surveys Northwind's helpdesk sent per
//! month and channel, for response rates.
//!
//! Drawn from a random stream of its own, so the survey exports (and every
//! figure computed from them) are the same with or without this file. Each
//! month's count is its responses divided by a response rate typical of the
//! channel (an email survey is answered far less often than one shown at
//! the end of a chat), wobbling a little from month to month.

use std::collections::BTreeMap;

use super::File;
use super::generate::{CHANNELS, Row};
use super::random::Random;

/// Where the demo's sent counts go; `site.toml` reads them from there.
pub const PATH: &str = "content/sent/northwind-sent.csv";

/// The share of surveys answered, by channel, before the monthly wobble.
const RATES: [(&str, f64); 5] =
    [("email", 0.14), ("chat", 0.32), ("phone", 0.23), ("messenger", 0.26), ("whatsapp", 0.29)];

/// The sent counts for the demo's `rows`: one row per month and channel.
pub fn sent_counts(rows: &[Row]) -> File {
    let mut rng = Random::new(0x7365_6e74_2063_6f75); // "sent cou"
    let mut responses: BTreeMap<(String, &str), u64> = BTreeMap::new();
    for row in rows {
        let month = row.local.date().strftime("%Y-%m").to_string();
        *responses.entry((month, channel_of(row))).or_insert(0) += 1;
    }
    let months: Vec<&String> = {
        let mut months: Vec<&String> = responses.keys().map(|(m, _)| m).collect();
        months.dedup();
        months
    };
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["month", "channel", "surveys_sent"]).expect("writing to memory");
    for month in months {
        for (channel, _) in CHANNELS {
            let answered = responses.get(&(month.clone(), channel)).copied().unwrap_or(0);
            let base = RATES.iter().find(|(c, _)| *c == channel).map_or(0.2, |(_, r)| *r);
            let rate = (base * (0.08 * rng.normal()).exp()).clamp(0.05, 0.9);
            let sent = (answered as f64 / rate).round() as u64;
            writer.write_record([month.as_str(), channel, &sent.max(answered).to_string()]).expect("writing to memory");
        }
    }
    File { path: PATH.into(), bytes: writer.into_inner().expect("writing to memory") }
}

fn channel_of(row: &Row) -> &str {
    row.fields[4].as_str()
}
