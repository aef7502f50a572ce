//! `[sent]`: how many surveys went out, for response rates.
//!
//! Survey exports hold the answers; how many surveys were sent lives
//! elsewhere (the survey tool's distribution report, a helpdesk count), so it
//! is a file of its own: one row per period (and, optionally, per value of
//! some dimensions) with a count. One table, not an array: counts from two
//! differently split files could not be added up without counting surveys
//! twice or leaving a group out.

use indexmap::IndexMap;
use serde::Deserialize;

use super::validate::{Check, Locator, Step, is_identifier};

/// The `[sent]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SentConfig {
    /// Glob relative to the site root.
    pub path: String,
    #[serde(default)]
    pub columns: SentColumns,
    /// Dimension name (of `[sources.dimensions]`) = column header of the sent file.
    #[serde(default)]
    pub dimensions: IndexMap<String, String>,
}

/// `[sent.columns]`: which columns hold the period and the count.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SentColumns {
    /// A day (`2026-10-05`) or a period key (`2026-W41`, `2026-10`, `2026-Q4`, `2026`).
    #[serde(default = "default_period")]
    pub period: String,
    /// Surveys sent in that period (and group): a whole number, 0 or more.
    #[serde(default = "default_sent")]
    pub sent: String,
}

impl Default for SentColumns {
    fn default() -> Self {
        SentColumns { period: default_period(), sent: default_sent() }
    }
}

fn default_period() -> String {
    "period".into()
}

fn default_sent() -> String {
    "sent".into()
}

/// The default of `stats.max_surveys_per_customer`.
pub fn default_max_surveys() -> u32 {
    3
}

/// The largest `stats.max_surveys_per_customer`: each count up to it is a row of the report's table.
pub const MAX_SURVEYS_LIMIT: u32 = 20;

/// Checks `[sent]` and `stats.max_surveys_per_customer`.
pub(super) fn validate(config: &super::Config, c: &Locator) -> Check {
    use Step::Key;
    let max = config.stats.max_surveys_per_customer;
    if !(1..=MAX_SURVEYS_LIMIT).contains(&max) {
        return Err(c.error(
            &[Key("stats"), Key("max_surveys_per_customer")],
            format!("max_surveys_per_customer must be between 1 and {MAX_SURVEYS_LIMIT}"),
            "out of range",
            "it is surveys answered by one customer in one calendar month; the default is 3",
        ));
    }
    let Some(sent) = &config.sent else { return Ok(()) };
    if sent.path.trim().is_empty() {
        return Err(c.error(
            &[Key("sent"), Key("path")],
            "the path of the sent counts is empty",
            "empty",
            "give a glob relative to the site root, e.g. `content/sent/*.csv`",
        ));
    }
    if let Err(e) = globset::Glob::new(&sent.path) {
        return Err(c.error(
            &[Key("sent"), Key("path")],
            format!("`{}` is not a valid glob: {}", sent.path, e.kind()),
            "invalid glob",
            "use `*` for any name and `**` for any folder, e.g. `content/sent/*.csv`",
        ));
    }
    for (key, header) in [("period", &sent.columns.period), ("sent", &sent.columns.sent)] {
        if header.trim().is_empty() {
            return Err(c.error(
                &[Key("sent"), Key("columns"), Key(key)],
                "the column header is empty",
                "empty",
                "name the column of the sent file, or remove the line for the default",
            ));
        }
    }
    let dimensions = config.dimensions();
    for (name, header) in &sent.dimensions {
        if !is_identifier(name) || !dimensions.contains(&name.as_str()) {
            return Err(c.error(
                &[Key("sent"), Key("dimensions"), Key(name)],
                format!("`{name}` is not a dimension"),
                "unknown dimension",
                format!(
                    "sent counts are split by the dimensions of [sources.dimensions]; {}",
                    config.unknown_dimension_help(name)
                ),
            ));
        }
        if header.trim().is_empty() {
            return Err(c.error(
                &[Key("sent"), Key("dimensions"), Key(name)],
                "the column header is empty",
                "empty",
                "name the column of the sent file that holds this dimension",
            ));
        }
    }
    let headers = [&sent.columns.period, &sent.columns.sent].into_iter().chain(sent.dimensions.values());
    let mut seen: Vec<&str> = Vec::new();
    for header in headers {
        if seen.contains(&header.as_str()) {
            return Err(c.error(
                &[Key("sent")],
                format!("the column `{header}` is mapped twice in [sent]"),
                "repeated column",
                "the period, the count and each dimension need a column of their own",
            ));
        }
        seen.push(header);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    const SITE: &str = "title = \"Acme\"\n[[sources]]\npath = \"x\"\n[sources.dimensions]\nchannel = \"Channel\"\n";

    fn parse(extra: &str) -> Result<Config, Box<crate::diagnostic::Diagnostic>> {
        Config::parse(&format!("{SITE}{extra}")).map_err(|e| Box::new(e.diagnostic()))
    }

    #[test]
    fn sent_counts_are_optional_and_have_default_columns() {
        let c = parse("").unwrap();
        assert!(c.sent.is_none());
        assert_eq!(c.stats.max_surveys_per_customer, 3);
        let c = parse("[sent]\npath = \"content/sent/*.csv\"\n").unwrap();
        let sent = c.sent.unwrap();
        assert_eq!((sent.columns.period.as_str(), sent.columns.sent.as_str()), ("period", "sent"));
        assert!(sent.dimensions.is_empty());
    }

    #[test]
    fn bad_sent_settings_point_at_their_value() {
        // (extra text, line of the offending value, message); SITE has five lines.
        let cases = [
            ("[sent]\npath = \"\"\n", 7, "the path of the sent counts is empty"),
            ("[sent]\npath = \"a/[b\"\n", 7, "is not a valid glob"),
            ("[sent]\npath = \"x.csv\"\n[sent.columns]\nsent = \" \"\n", 9, "the column header is empty"),
            ("[sent]\npath = \"x.csv\"\n[sent.dimensions]\nchanel = \"channel\"\n", 9, "`chanel` is not a dimension"),
            ("[sent]\npath = \"x.csv\"\n[sent.dimensions]\nchannel = \"\"\n", 9, "the column header is empty"),
            ("[stats]\nmax_surveys_per_customer = 0\n", 7, "between 1 and 20"),
            ("[stats]\nmax_surveys_per_customer = 21\n", 7, "between 1 and 20"),
        ];
        for (extra, line, message) in cases {
            let d = parse(extra).err().unwrap_or_else(|| panic!("{extra} was accepted"));
            assert!(d.message.contains(message), "{extra}: {}", d.message);
            assert_eq!(d.line_column().map(|(l, _)| l), Some(line), "{extra}: {d}");
        }
        let d = parse("[sent]\npath = \"x.csv\"\n[sent.dimensions]\nchanel = \"channel\"\n").unwrap_err();
        assert!(d.help.unwrap().contains("did you mean `channel`?"));
        let d = parse("[sent]\npath = \"x.csv\"\n[sent.columns]\nperiod = \"sent\"\n").unwrap_err();
        assert_eq!(d.message, "the column `sent` is mapped twice in [sent]");
        let d = parse("[sent]\npath = \"x.csv\"\ncolumn = 1\n").unwrap_err();
        assert_eq!(d.help.as_deref(), Some("did you mean `columns`?"));
    }
}
