//! Reading one cell: scores, timestamps and numbers, with the reason when it cannot be read.
//!
//! An empty cell is a missing answer, never an error; anything else either
//! reads as a value or explains itself in words the data-quality page can show.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::{Offset, TimeZone};

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
        Ok(v) if whole && v > MOST_TRANSFERS as f64 => Err(unreadable(
            format!("{what} `{text}` is more than {MOST_TRANSFERS}"),
            "no ticket is handed on that often: the column likely holds something else, or a placeholder",
        )),
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

/// The most transfers one response may report. Far beyond any real ticket, it keeps sums of
/// squares exact in 64 bits (with at most [`MOST_COUNTED`] responses).
pub const MOST_TRANSFERS: u64 = 1000;

/// The most responses and answers a site's pre-aggregated tables may count in all (a trillion):
/// every count, sum and sum of squares of the figures then fits in 64 bits.
pub const MOST_COUNTED: u64 = 1 << 40;

/// Years a response can be dated in; anything else is a placeholder or a typo.
pub const YEARS: std::ops::RangeInclusive<i16> = 1970..=2100;

/// An ISO 8601 timestamp: with `Z` or an offset it is absolute; without one
/// it is a wall-clock time in `tz` (a time skipped by a DST change moves
/// forward, a repeated one takes the earlier instant, as RFC 5545 does).
#[cfg(test)]
pub fn timestamp(text: &str, tz: &TimeZone) -> Result<Option<Timestamp>, Unreadable> {
    timestamp_in::<&str>(text, &mut Clock::new(tz), &[])
}

/// Like [`timestamp`], also trying `formats` (strftime, as `%m/%d/%Y %I:%M:%S %p`)
/// when the text is not ISO 8601. A trailing `GMT+1` or `UTC-05:00` is an offset.
/// The zone is `clock`'s, which remembers its offset from one row to the next.
pub fn timestamp_in<F: AsRef<str>>(
    text: &str,
    clock: &mut Clock,
    formats: &[F],
) -> Result<Option<Timestamp>, Unreadable> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let tz = clock.tz;
    let parsed = iso_instant(text.as_bytes())
        .or_else(|| text.parse::<Timestamp>().ok())
        .or_else(|| text.parse::<DateTime>().ok().and_then(|dt| tz.to_timestamp(dt).ok()))
        .or_else(|| formats.iter().find_map(|f| with_format(text, f.as_ref(), tz)));
    if let Some(ts) = parsed {
        let year = clock.date(ts).year();
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

/// `2025-10-01T06:00:25Z` or `2025-10-01 06:00:25+02:00`, the form most exports write, read
/// without the general parser (a fifth of making a response). Anything else (fractions of a
/// second, a leap second, other forms) is `None`: the general parser decides, as it does for
/// everything. Where this reads a time, it reads the instant the general parser would (tested).
fn iso_instant(text: &[u8]) -> Option<Timestamp> {
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let mut value = 0;
        for &b in text.get(range)? {
            if !b.is_ascii_digit() {
                return None;
            }
            value = value * 10 + i64::from(b - b'0');
        }
        Some(value)
    };
    let at = |i: usize, expected: &[u8]| text.get(i).is_some_and(|b| expected.contains(b));
    let shape =
        matches!(text.len(), 20 | 25) && at(4, b"-") && at(7, b"-") && at(10, b"T ") && at(13, b":") && at(16, b":");
    if !shape {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    let offset = match (text.len(), text[19]) {
        (20, b'Z') => 0,
        (25, sign @ (b'+' | b'-')) if at(22, b":") => {
            let (hours, minutes) = (digits(20..22)?, digits(23..25)?);
            if hours > 17 || minutes > 59 {
                return None;
            }
            let seconds = hours * 3600 + minutes * 60;
            if sign == b'-' { -seconds } else { seconds }
        }
        _ => return None,
    };
    // Every field in its range, the day in its month (a leap second, :60, is not: the general
    // parser decides).
    let narrow = |n: i64| i8::try_from(n).ok();
    let datetime = DateTime::new(
        i16::try_from(year).ok()?,
        narrow(month)?,
        narrow(day)?,
        narrow(hour)?,
        narrow(minute)?,
        narrow(second)?,
        0,
    )
    .ok()?;
    Offset::from_seconds(i32::try_from(offset).ok()?).ok()?.to_timestamp(datetime).ok()
}

/// A time zone asked about many instants in a row (the rows of an export): it remembers the
/// offset of the last one and the span of whole seconds, from one transition of the zone to
/// the next, in which that offset holds, so that most rows need no lookup in the zone's rules.
pub struct Clock<'a> {
    tz: &'a TimeZone,
    /// [start, end) in seconds since the Unix epoch, and the offset there.
    span: Option<(i64, i64, Offset)>,
}

impl<'a> Clock<'a> {
    pub fn new(tz: &'a TimeZone) -> Clock<'a> {
        Clock { tz, span: None }
    }

    /// The offset from UTC at `ts`.
    fn offset(&mut self, ts: Timestamp) -> Offset {
        // Whole seconds, rounded down (a time before 1970 with a fraction is in the second before).
        let second = ts.as_second() - i64::from(ts.subsec_nanosecond() < 0);
        if let Some((start, end, offset)) = self.span
            && (start..end).contains(&second)
        {
            return offset;
        }
        let tz = self.tz;
        let offset = tz.to_offset(ts);
        // Transitions fall on whole seconds: the one in force is the last at or before `second`
        // (before `second + 1`), the next is the first after `second`.
        let start = Timestamp::from_second(second + 1)
            .ok()
            .map(|t| tz.preceding(t).next().map_or(i64::MIN, |t| t.timestamp().as_second()));
        let end = Timestamp::from_second(second)
            .ok()
            .map(|t| tz.following(t).next().map_or(i64::MAX, |t| t.timestamp().as_second()));
        self.span = start.zip(end).map(|(start, end)| (start, end, offset));
        offset
    }

    /// The day of `ts` in the zone.
    pub fn date(&mut self, ts: Timestamp) -> Date {
        self.offset(ts).to_datetime(ts).date()
    }
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
        let t = |text: &str, f: &str| timestamp_in(text, &mut Clock::new(&berlin), &[f]).unwrap().unwrap().to_string();
        // SurveyMonkey: US month first, 12-hour clock, the account's zone (here the site's).
        assert_eq!(t("07/31/2023 04:21:36 PM", "%m/%d/%Y %I:%M:%S %p"), "2023-07-31T14:21:36Z");
        // Google Forms: a GMT offset after the time.
        assert_eq!(t("2024/01/15 2:30:45 PM GMT+1", "%Y/%m/%d %I:%M:%S %p"), "2024-01-15T13:30:45Z");
        assert_eq!(t("2024/01/15 2:30:45 PM GMT-05:30", "%Y/%m/%d %I:%M:%S %p"), "2024-01-15T20:00:45Z");
        // ISO 8601 is always understood.
        assert_eq!(t("2024-01-15T10:00:00Z", "%m/%d/%Y %I:%M:%S %p"), "2024-01-15T10:00:00Z");
        let e = timestamp_in("31/07/2023 16:21", &mut Clock::new(&berlin), &["%m/%d/%Y %H:%M"]).unwrap_err();
        assert!(e.reason.contains("not a timestamp in the form `%m/%d/%Y %H:%M`"), "{}", e.reason);
    }

    #[test]
    fn measures_are_non_negative_numbers() {
        assert_eq!(measure("12.5", "minutes", false, false), Ok(Some(12.5)));
        assert!(measure("-1", "minutes", false, false).is_err());
        assert!(measure("NaN", "minutes", false, false).is_err());
        assert!(measure("12,5", "minutes", false, false).is_err());
        assert_eq!(measure("2", "transfers", true, false), Ok(Some(2.0)));
        assert_eq!(measure("1000", "transfers", true, false), Ok(Some(1000.0)));
        // Beyond any real ticket, and beyond what sums of squares hold exactly.
        assert_eq!(measure("1e30", "transfers", true, false).unwrap_err().reason, "transfers `1e30` is more than 1000");
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

#[cfg(test)]
mod fast {
    use jiff::Timestamp;
    use jiff::tz::TimeZone;
    use proptest::prelude::*;

    use super::{Clock, iso_instant};

    /// Texts near the fast form: every field over and past its range, each separator and suffix.
    fn near_iso() -> impl Strategy<Value = String> {
        let suffix = prop_oneof![
            Just("Z".to_string()),
            Just("z".to_string()),
            Just(String::new()),
            (any::<bool>(), 0u8..30, 0u8..70)
                .prop_map(|(minus, h, m)| format!("{}{h:02}:{m:02}", if minus { '-' } else { '+' })),
            (0u8..30, 0u8..70).prop_map(|(h, m)| format!("+{h:02}{m:02}")),
        ];
        let fraction = prop_oneof![Just(String::new()), (0u32..1000).prop_map(|f| format!(".{f:03}"))];
        (
            (0i64..10_000, 0u8..14, 0u8..33),
            (0u8..26, 0u8..62, 0u8..62),
            prop::sample::select(vec!['T', 't', ' ', '_']),
            fraction,
            suffix,
        )
            .prop_map(|((y, mo, d), (h, mi, s), sep, fraction, suffix)| {
                format!("{y:04}-{mo:02}-{d:02}{sep}{h:02}:{mi:02}:{s:02}{fraction}{suffix}")
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]
        #[test]
        fn the_fast_form_reads_what_the_general_parser_reads(text in near_iso()) {
            if let Some(fast) = iso_instant(text.as_bytes()) {
                prop_assert_eq!(Ok(fast), text.parse::<Timestamp>().map_err(|e| e.to_string()), "{}", text);
            }
        }
    }

    #[test]
    fn exports_usual_forms_take_the_fast_path() {
        for text in ["2025-10-01T06:00:25Z", "2024-02-29 23:59:59+05:30", "1970-01-01T00:00:00-08:00"] {
            assert_eq!(iso_instant(text.as_bytes()), Some(text.parse().unwrap()), "{text}");
        }
        for text in ["2025-02-29T06:00:25Z", "2025-10-01T06:00:60Z", "2025-10-01T06:00:25.5Z", "2025-10-01T06:00:25"] {
            assert_eq!(iso_instant(text.as_bytes()), None, "{text}");
        }
    }

    /// The day a clock gives is the zone's, for instants in any order, across every transition.
    #[test]
    fn a_clock_gives_the_zones_day_at_every_instant() {
        let zones = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "America/Sao_Paulo"];
        let mut zones: Vec<TimeZone> = zones.iter().map(|z| TimeZone::get(z).unwrap()).collect();
        zones.extend([TimeZone::UTC, TimeZone::fixed(jiff::tz::offset(-3))]);
        let (first, last) = (Timestamp::from_second(0).unwrap(), "2100-12-31T23:59:59Z".parse::<Timestamp>().unwrap());
        for tz in &zones {
            let mut instants: Vec<i64> = Vec::new();
            // Around each transition, and every 4 h 17 min across the years (wall clocks and far future).
            for t in tz.following(first).take_while(|t| t.timestamp() < last) {
                let at = t.timestamp().as_second();
                instants.extend([at - 86_400, at - 1, at, at + 1, at + 3_600]);
            }
            instants.extend((0..last.as_second()).step_by(15_420));
            let mut clock = Clock::new(tz);
            let forward = instants.iter();
            let backward = instants.iter().rev();
            let shuffled = instants.iter().step_by(7).chain(instants.iter().skip(3).step_by(5));
            for &second in forward.chain(backward).chain(shuffled) {
                for nanos in [0, 999_999_999] {
                    let ts = Timestamp::new(second, nanos).unwrap();
                    assert_eq!(clock.date(ts), tz.to_datetime(ts).date(), "{ts} in {tz:?}");
                }
            }
        }
    }
}
