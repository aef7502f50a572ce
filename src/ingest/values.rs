//! Reading one cell: scores, timestamps and numbers, with the reason when it cannot be read.
//!
//! An empty cell is a missing answer, never an error; anything else either
//! reads as a value or explains itself in words the data-quality page can show.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use super::labels::Labels;

/// Why one cell could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct Unreadable {
    pub reason: String,
    pub hint: String,
}

fn unreadable(reason: String, hint: impl Into<String>) -> Unreadable {
    Unreadable { reason, hint: hint.into() }
}

/// A metric's scale, its name in messages (`CSAT`) and in site.toml (`csat`), and its answer labels.
pub struct ScoreRules<'a> {
    pub scale: [u8; 2],
    pub what: &'a str,
    pub key: &'a str,
    pub labels: &'a Labels,
}

/// A score on `rules.scale` (inclusive), as a number or a known answer label.
pub fn score(text: &str, rules: &ScoreRules) -> Result<Option<u8>, Unreadable> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let (what, [lo, hi]) = (rules.what, rules.scale);
    let value: f64 = match text.parse() {
        Ok(v) => v,
        Err(_) => match rules.labels.score(text) {
            Some(s) => f64::from(s),
            None => {
                let example = if text.chars().count() > 40 { "…".to_string() } else { text.replace('"', "\\\"") };
                let (guess, near) = match rules.labels.nearest(text) {
                    Some((label, score)) => (score, format!("; it looks like `{label}` ({score})")),
                    None => (hi, String::new()),
                };
                return Err(unreadable(
                    format!("{what} `{text}` is neither a number nor a known answer label"),
                    format!(
                        "use a whole number from {lo} to {hi}, or give the label its score in site.toml: [metrics.{}.labels] \"{example}\" = {guess}{near}",
                        rules.key
                    ),
                ));
            }
        },
    };
    if value.fract() != 0.0 || !(f64::from(lo)..=f64::from(hi)).contains(&value) {
        return Err(unreadable(
            format!("{what} `{text}` is outside the scale {lo}–{hi}"),
            format!("scores on this scale run from {lo} to {hi}; leave the cell empty for no answer"),
        ));
    }
    Ok(Some(value as u8))
}

/// A non-negative number such as minutes, or (`whole`) a count such as transfers.
/// With `decimal_comma` (semicolon-separated files, as European Excel writes
/// them) `12,5` is 12.5.
pub fn measure(text: &str, what: &str, whole: bool, decimal_comma: bool) -> Result<Option<f64>, Unreadable> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let comma;
    let number = if decimal_comma && text.matches(',').count() == 1 && !text.contains('.') {
        comma = text.replace(',', ".");
        comma.as_str()
    } else {
        text
    };
    match number.parse::<f64>() {
        Ok(v) if whole && v.fract() != 0.0 => {
            Err(unreadable(format!("{what} `{text}` is not a whole number"), "counts are whole numbers: 0, 1, 2, …"))
        }
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(Some(v)),
        Ok(_) => Err(unreadable(
            format!("{what} `{text}` is negative or not finite"),
            "use a number of zero or more, or leave the cell empty",
        )),
        Err(_) => Err(unreadable(
            format!("{what} `{text}` is not a number"),
            "use digits with a `.` for decimals, e.g. `12.5`",
        )),
    }
}

/// Years a response can be dated in; anything else is a placeholder or a typo.
pub const YEARS: std::ops::RangeInclusive<i16> = 1970..=2100;

/// An ISO 8601 timestamp: with `Z` or an offset it is absolute; without one
/// it is a wall-clock time in `tz` (a time skipped by a DST change moves
/// forward, a repeated one takes the earlier instant, as RFC 5545 does).
#[cfg(test)]
pub fn timestamp(text: &str, tz: &TimeZone) -> Result<Option<Timestamp>, Unreadable> {
    timestamp_in::<&str>(text, tz, &[])
}

/// Like [`timestamp`], also trying `formats` (strftime, as `%m/%d/%Y %I:%M:%S %p`)
/// when the text is not ISO 8601. A trailing `GMT+1` or `UTC-05:00` is an offset.
pub fn timestamp_in<F: AsRef<str>>(text: &str, tz: &TimeZone, formats: &[F]) -> Result<Option<Timestamp>, Unreadable> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let parsed = text
        .parse::<Timestamp>()
        .ok()
        .or_else(|| text.parse::<DateTime>().ok().and_then(|dt| tz.to_timestamp(dt).ok()))
        .or_else(|| formats.iter().find_map(|f| with_format(text, f.as_ref(), tz)));
    if let Some(ts) = parsed {
        let year = tz.to_datetime(ts).year();
        if !YEARS.contains(&year) {
            return Err(unreadable(
                format!("`{text}` is in the year {year}"),
                format!(
                    "survey responses are dated {}–{}; a date such as 9999-12-31 usually means \"never\" or a typo",
                    YEARS.start(),
                    YEARS.end()
                ),
            ));
        }
        return Ok(Some(ts));
    }
    if let Some(format) = formats.first().map(AsRef::as_ref) {
        return Err(unreadable(
            format!("`{text}` is not a timestamp in the form `{format}` or ISO 8601"),
            "check the export's date format; set `date_format` in [[sources]] if it differs",
        ));
    }
    Err(unreadable(
        format!("`{text}` is not an ISO 8601 timestamp"),
        "write dates as 2026-10-03, 2026-10-03 14:05 or 2026-10-03T14:05:00+02:00, or set `date_format` in [[sources]]",
    ))
}

/// `text` read with one strftime `format`; a `GMT±h[:mm]`/`UTC±h[:mm]` suffix gives the offset.
fn with_format(text: &str, format: &str, tz: &TimeZone) -> Option<Timestamp> {
    let (text, offset) = match text.rfind(" GMT").or_else(|| text.rfind(" UTC")) {
        Some(i) => (&text[..i], Some(gmt_offset(&text[i + 4..])?)),
        None => (text, None),
    };
    let broken = jiff::fmt::strtime::parse(format, text).ok()?;
    if offset.is_none()
        && let Ok(ts) = broken.to_timestamp()
    {
        // The text carried its own offset (`%z`) or was a Unix time (`%s`).
        return Some(ts);
    }
    let datetime = broken.to_datetime().ok()?;
    match offset.or(broken.offset()) {
        Some(offset) => offset.to_timestamp(datetime).ok(),
        None => tz.to_timestamp(datetime).ok(),
    }
}

/// "+1", "-05:00", "+0530" or nothing (GMT itself) as an offset.
fn gmt_offset(text: &str) -> Option<jiff::tz::Offset> {
    let text = text.trim();
    if text.is_empty() {
        return Some(jiff::tz::Offset::UTC);
    }
    let (sign, rest) = match text.as_bytes()[0] {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let (hours, minutes) = match rest.split_once(':') {
        Some((h, m)) => (h.parse::<i32>().ok()?, m.parse::<i32>().ok()?),
        None if rest.len() == 4 => (rest[..2].parse().ok()?, rest[2..].parse().ok()?),
        None => (rest.parse().ok()?, 0),
    };
    if hours > 14 || minutes > 59 {
        return None;
    }
    jiff::tz::Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(text: &str, scale: [u8; 2], what: &str) -> Result<Option<u8>, Unreadable> {
        let labels = Labels::default();
        super::score(text, &ScoreRules { scale, what, key: &what.to_lowercase(), labels: &labels })
    }

    #[test]
    fn empty_cells_are_missing_answers() {
        assert_eq!(score("  ", [1, 5], "CSAT"), Ok(None));
        assert_eq!(measure("", "transfers", true, false), Ok(None));
        assert_eq!(timestamp("", &TimeZone::UTC), Ok(None));
    }

    #[test]
    fn scores_must_be_whole_and_on_the_scale() {
        assert_eq!(score("4", [1, 5], "CSAT"), Ok(Some(4)));
        assert_eq!(score(" 5.0 ", [1, 5], "CSAT"), Ok(Some(5)));
        assert_eq!(score("0", [0, 10], "NPS"), Ok(Some(0)));
        let e = score("6", [1, 5], "CSAT").unwrap_err();
        assert_eq!(e.reason, "CSAT `6` is outside the scale 1–5");
        assert!(score("4.5", [1, 5], "CSAT").is_err());
        let e = score("Very happy", [1, 5], "CSAT").unwrap_err();
        assert_eq!(e.reason, "CSAT `Very happy` is neither a number nor a known answer label");
        assert!(e.hint.contains("[metrics.csat.labels] \"Very happy\" = 5"), "{}", e.hint);
    }

    #[test]
    fn vendor_formats_are_read_in_the_zone_or_with_their_offset() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let t = |text: &str, f: &str| timestamp_in(text, &berlin, &[f]).unwrap().unwrap().to_string();
        // SurveyMonkey: US month first, 12-hour clock, the account's zone (here the site's).
        assert_eq!(t("07/31/2023 04:21:36 PM", "%m/%d/%Y %I:%M:%S %p"), "2023-07-31T14:21:36Z");
        // Google Forms: a GMT offset after the time.
        assert_eq!(t("2024/01/15 2:30:45 PM GMT+1", "%Y/%m/%d %I:%M:%S %p"), "2024-01-15T13:30:45Z");
        assert_eq!(t("2024/01/15 2:30:45 PM GMT-05:30", "%Y/%m/%d %I:%M:%S %p"), "2024-01-15T20:00:45Z");
        // ISO 8601 is always understood.
        assert_eq!(t("2024-01-15T10:00:00Z", "%m/%d/%Y %I:%M:%S %p"), "2024-01-15T10:00:00Z");
        let e = timestamp_in("31/07/2023 16:21", &berlin, &["%m/%d/%Y %H:%M"]).unwrap_err();
        assert!(e.reason.contains("not a timestamp in the form `%m/%d/%Y %H:%M`"), "{}", e.reason);
    }

    #[test]
    fn measures_are_non_negative_numbers() {
        assert_eq!(measure("12.5", "minutes", false, false), Ok(Some(12.5)));
        assert!(measure("-1", "minutes", false, false).is_err());
        assert!(measure("NaN", "minutes", false, false).is_err());
        assert!(measure("12,5", "minutes", false, false).is_err());
        assert_eq!(measure("2", "transfers", true, false), Ok(Some(2.0)));
        assert_eq!(
            measure("2.5", "transfers", true, false).unwrap_err().reason,
            "transfers `2.5` is not a whole number"
        );
    }

    #[test]
    fn semicolon_files_may_write_decimal_commas() {
        assert_eq!(measure("12,5", "minutes", false, true), Ok(Some(12.5)));
        assert_eq!(measure("12.5", "minutes", false, true), Ok(Some(12.5)));
        // A thousands separator and a decimal comma together are ambiguous: refused, not guessed.
        assert!(measure("1.234,5", "minutes", false, true).is_err());
    }

    #[test]
    fn timestamps_with_offsets_are_absolute() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let t = |s| timestamp(s, &berlin).unwrap().unwrap().to_string();
        assert_eq!(t("2026-10-03T14:05:00Z"), "2026-10-03T14:05:00Z");
        assert_eq!(t("2026-10-03T14:05:00+02:00"), "2026-10-03T12:05:00Z");
        assert_eq!(t("2026-10-03 14:05:00-05:00"), "2026-10-03T19:05:00Z");
    }

    #[test]
    fn naive_timestamps_are_read_in_the_site_zone_across_dst() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let t = |s| timestamp(s, &berlin).unwrap().unwrap().to_string();
        // Summer time (UTC+2) and winter time (UTC+1).
        assert_eq!(t("2026-07-01 12:00"), "2026-07-01T10:00:00Z");
        assert_eq!(t("2026-12-01T12:00:00"), "2026-12-01T11:00:00Z");
        // A date alone is midnight local time.
        assert_eq!(t("2026-12-01"), "2026-11-30T23:00:00Z");
        // 02:30 on 2026-03-29 does not exist in Berlin (clocks jump 02:00 -> 03:00): it moves forward.
        assert_eq!(t("2026-03-29T02:30:00"), "2026-03-29T01:30:00Z");
        // 02:30 on 2026-10-25 happens twice: the earlier (summer time) instant is taken.
        assert_eq!(t("2026-10-25T02:30:00"), "2026-10-25T00:30:00Z");
    }

    #[test]
    fn placeholder_dates_are_rejected() {
        for text in ["9999-12-30T00:00:00", "0001-01-01", "1969-12-31T23:00:00Z"] {
            let e = timestamp(text, &TimeZone::UTC).unwrap_err();
            assert!(e.reason.contains("is in the year"), "{text}: {}", e.reason);
        }
        assert!(timestamp("2100-12-31T23:59:59Z", &TimeZone::UTC).unwrap().is_some());
    }

    #[test]
    fn unreadable_timestamps_say_what_is_expected() {
        let e = timestamp("03/10/2026", &TimeZone::UTC).unwrap_err();
        assert!(e.reason.contains("03/10/2026"));
        assert!(e.hint.contains("2026-10-03"));
    }
}
