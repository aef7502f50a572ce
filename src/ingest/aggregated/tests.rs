use super::*;
use crate::config::Config;
use crate::ingest::{IngestError, Inputs, Rejection, read, read_bytes};

const CONFIG: &str = r#"
title = "T"
timezone = "Europe/Berlin"
[[sources]]
path = "*.csv"
preset = "aggregated"
[sources.dimensions]
channel = "channel"
[sources.measures]
transfers = "transfers"
first_response_minutes = "first_response_minutes"
resolution_minutes = "resolution_minutes"
"#;

const HEADER: &str = "day,channel,visit,transfers_bucket,first_response_bucket,metric,score,sketch_key,count\n";

fn read_table(config: &str, text: &str) -> Result<Inputs, IngestError> {
    read_bytes(&Config::parse(config).unwrap(), vec![("t.csv".into(), text.as_bytes().to_vec())])
}

/// The rejection of the one data row `row`.
fn rejected(row: &str) -> Rejection {
    let inputs = read_table(CONFIG, &format!("{HEADER}{row}\n")).unwrap();
    assert_eq!((inputs.files[0].rows_rejected, inputs.files[0].rows_used), (1, 0), "{row}");
    inputs.rejections[0].clone()
}

fn reason(row: &str) -> (Option<String>, String, String) {
    let r = rejected(row);
    assert_eq!((r.file.as_str(), r.line), ("t.csv", 2));
    (r.column, r.reason, r.hint)
}

#[test]
fn reads_each_kind_of_row_as_a_group() {
    let text = format!(
        "{HEADER}\
         2026-03-01,email,1,0,0,responses,,,3\n\
         2026-03-01,email,1,0,0,csat,5,,2\n\
         2026-03-01,email,1,0,0,nps,10,,1\n\
         2026-03-01,email,1,0,0,ces,6,,1\n\
         2026-03-01,email,1,0,0,transfers,0,,3\n\
         2026-03-01,email,1,0,0,first_response_minutes,,205,2\n\
         2026-03-01,email,1,0,0,first_response_minutes,,zero,1\n\
         2026-03-02,chat,2-3,3,240,responses,,,4\n\
         2026-03-02,chat,4+,3,1440,resolution_minutes,,-34,12.0\n\
         2026-03-02,,,,,responses,,,1\n"
    );
    let inputs = read_table(CONFIG, &text).unwrap();
    let f = &inputs.files[0];
    assert_eq!((f.rows_read, f.rows_used, f.rows_rejected, f.responses), (10, 10, 0, Some(8)));
    assert_eq!(f.responses_counted(), 8);
    assert!(inputs.responses.is_empty());
    let g = &inputs.groups;
    assert_eq!(g.len(), 10);
    assert_eq!(g[0].day, jiff::civil::date(2026, 3, 1));
    assert_eq!((g[0].counts, g[0].count, g[0].line), (Counts::Responses, 3, 2));
    assert_eq!((g[1].counts, g[2].counts, g[3].counts), (Counts::Csat(5), Counts::Nps(10), Counts::Ces(6)));
    assert_eq!(g[4].counts, Counts::Transfers(0));
    assert_eq!((g[5].counts, g[6].counts), (Counts::FirstResponse(Some(205)), Counts::FirstResponse(None)));
    assert_eq!((g[0].visit, g[0].transfers_bucket, g[0].first_response_bucket), (Some(0), Some(0), Some(0)));
    // 240 starts the third bucket of the default [60, 240, 1440], 1440 the fourth.
    assert_eq!((g[7].visit, g[7].transfers_bucket, g[7].first_response_bucket), (Some(1), Some(3), Some(2)));
    assert_eq!((g[8].visit, g[8].first_response_bucket), (Some(2), Some(3)));
    assert_eq!((g[8].counts, g[8].count), (Counts::Resolution(Some(-34)), 12));
    assert_eq!((g[9].dimensions[0], g[9].visit, g[9].transfers_bucket), (None, None, None));
    assert_eq!(inputs.dimensions[0].values, ["email", "chat"]);
    assert_eq!((g[0].dimensions[0], g[7].dimensions[0]), (Some(0), Some(1)));
    // The 4+ cell of line 10 counts 12 resolution times and no responses: said, not refused.
    let [w] = &inputs.warnings[..] else { panic!("{:?}", inputs.warnings) };
    assert!(w.warning);
    assert_eq!(w.message, "t.csv, line 10: this row's cell counts 12 answers to one metric but 0 responses");
    assert!(w.help.as_deref().is_some_and(|h| h.contains("`responses` row")));
    let whole = text.replace("2026-03-02,chat,4+,3,1440,resolution_minutes,,-34,12.0\n", "");
    assert!(read_table(CONFIG, &whole).unwrap().warnings.is_empty());
}

#[test]
fn a_missing_column_names_the_file_the_column_and_what_it_is_for() {
    for (header, missing, why) in [
        ("day,channel,metric,score,sketch_key,transfers_bucket,first_response_bucket", "count", "how many"),
        ("channel,metric,score,sketch_key,count,transfers_bucket,first_response_bucket", "day", "YYYY-MM-DD"),
        ("day,metric,score,sketch_key,count,transfers_bucket,first_response_bucket", "channel", "dimension `channel`"),
        ("day,channel,metric,score,count,transfers_bucket,first_response_bucket", "sketch_key", "duration"),
        ("day,channel,metric,score,sketch_key,count,first_response_bucket", "transfers_bucket", "CSAT by transfers"),
        ("day,channel,metric,score,sketch_key,count,transfers_bucket", "first_response_bucket", "first-response"),
    ] {
        let Err(IngestError::Mapping(d)) = read_table(CONFIG, &format!("{header}\n")) else {
            panic!("{missing}: not a mapping error")
        };
        assert!(d.message.starts_with(&format!("t.csv has no column `{missing}` (")), "{}", d.message);
        assert!(d.message.contains(why), "{}", d.message);
        assert_eq!(d.file.as_deref(), Some("t.csv"));
        assert_eq!(d.line_column(), Some((1, 1)), "the header row is shown");
        assert!(d.help.as_deref().is_some_and(|h| h.contains("the headers are `")), "{:?}", d.help);
    }
    // Without durations, transfers or visits mapped, their columns are not needed.
    let plain = "title = \"T\"\n[[sources]]\npath = \"*.csv\"\npreset = \"aggregated\"\n";
    let inputs = read_table(plain, "day,metric,score,count\n2026-01-01,csat,4,2\n").unwrap();
    assert_eq!(inputs.groups[0].counts, Counts::Csat(4));
}

#[test]
fn an_unknown_metric_is_rejected_with_the_names_it_could_be() {
    let (column, why, hint) = reason("2026-03-01,email,,,,csatt,4,,1");
    assert_eq!((column.as_deref(), why.as_str()), (Some("metric"), "`csatt` is not a metric of this table"));
    assert!(hint.starts_with("did you mean `csat`?"), "{hint}");
    assert!(hint.contains("`responses`, `csat`, `nps`, `ces`, `transfers`"), "{hint}");
    assert_eq!(reason("2026-03-01,email,,,,,4,,1").1, "the metric is empty");
    // A measure the site does not map: say how to map it.
    let plain = "title = \"T\"\n[[sources]]\npath = \"*.csv\"\npreset = \"aggregated\"\n";
    let inputs = read_table(plain, "day,metric,score,count\n2026-01-01,transfers,1,2\n").unwrap();
    assert!(inputs.rejections[0].hint.contains("[sources.measures]: `transfers = \"transfers\"`"));
}

#[test]
fn metric_names_follow_the_mapping_in_site_toml() {
    let config = CONFIG.replace(
        "[sources.measures]\ntransfers = \"transfers\"",
        "[sources.columns]\ncsat = \"satisfaction\"\n[sources.measures]\ntransfers = \"handoffs\"",
    );
    let text = format!("{HEADER}2026-03-01,email,,0,,satisfaction,4,,2\n2026-03-01,email,,0,,handoffs,2,,2\n");
    let inputs = read_table(&config, &text).unwrap();
    assert_eq!(inputs.groups.iter().map(|g| g.counts).collect::<Vec<_>>(), [Counts::Csat(4), Counts::Transfers(2)]);
}

#[test]
fn counts_are_whole_numbers_of_zero_or_more() {
    for (count, why) in [
        ("-3", "count `-3` is negative"),
        ("2.5", "count `2.5` is not a whole number"),
        ("many", "count `many` is not a number"),
        ("", "the count is empty"),
        ("1e300", "count `1e300` is more than a trillion (1099511627776)"),
        ("1099511627777", "count `1099511627777` is more than a trillion (1099511627776)"),
        ("18446744073709551615", "count `18446744073709551615` is more than a trillion (1099511627776)"),
    ] {
        let (column, reason, hint) = reason(&format!("2026-03-01,email,,,,csat,4,,{count}"));
        assert_eq!((column.as_deref(), reason.as_str()), (Some("count"), why));
        assert!(hint.contains("whole number of responses or answers"), "{hint}");
    }
    // Engines that sum in floating point write 12.0: that is 12.
    let inputs = read_table(CONFIG, &format!("{HEADER}2026-03-01,email,,,,csat,4,,12.0\n")).unwrap();
    assert_eq!(inputs.groups[0].count, 12);
}

/// Counts that would overflow the figures' 64-bit sums stop the build with the table named;
/// found by the fuzzer once the aggregated preset was part of its target.
#[test]
fn tables_count_at_most_a_trillion_in_all() {
    let most = "1099511627776";
    let row = format!("2026-03-01,email,,,,nps,10,,{most}\n");
    let inputs = read_table(CONFIG, &format!("{HEADER}{row}")).unwrap();
    assert_eq!(inputs.groups[0].count, 1 << 40);
    let Err(IngestError::Input(d)) = read_table(CONFIG, &format!("{HEADER}{row}{row}")) else { panic!("accepted") };
    assert!(d.message.contains("count more than a trillion"), "{}", d.message);
    assert_eq!(d.file.as_deref(), Some("t.csv"));
    let (_, reason, _) = reason("2026-03-01,email,,,,transfers,1001,,1");
    assert_eq!(reason, "transfers `1001` is not a whole number from 0 to 1000");
}

#[test]
fn sketch_keys_belong_to_durations_and_scores_to_the_rest() {
    let (column, why, hint) = reason("2026-03-01,email,,,,csat,4,205,1");
    assert_eq!((column.as_deref(), why.as_str()), (Some("sketch_key"), "a `csat` row has a sketch key"));
    assert!(hint.contains("leave `sketch_key` empty"), "{hint}");
    let (column, why, _) = reason("2026-03-01,email,,,,responses,,zero,1");
    assert_eq!((column.as_deref(), why.as_str()), (Some("sketch_key"), "a `responses` row has a sketch key"));
    let (column, why, hint) = reason("2026-03-01,email,,,,first_response_minutes,30,205,1");
    assert_eq!((column.as_deref(), why.as_str()), (Some("score"), "a `first_response_minutes` row has a score"));
    assert!(hint.contains("counted by `sketch_key`"), "{hint}");
    let (column, why, _) = reason("2026-03-01,email,,,,responses,3,,1");
    assert_eq!((column.as_deref(), why.as_str()), (Some("score"), "a `responses` row has a score"));
    let (column, why, hint) = reason("2026-03-01,email,,,,resolution_minutes,,,1");
    assert_eq!((column.as_deref(), why.as_str()), (Some("sketch_key"), "a `resolution_minutes` row has no sketch key"));
    assert!(hint.contains("ceil(ln(minutes) / ln(1.01 / 0.99))"), "{hint}");
    let (_, why, _) = reason("2026-03-01,email,,,,resolution_minutes,,12.5,1");
    assert_eq!(why, "sketch key `12.5` is neither a whole number nor `zero`");
    let (_, why, hint) = reason("2026-03-01,email,,,,resolution_minutes,,5000,1");
    assert_eq!(why, "sketch key `5000` is out of range");
    assert!(hint.contains("-2000 to 2000"), "{hint}");
}

#[test]
fn scores_are_whole_numbers_on_the_metric_scale() {
    let (column, why, hint) = reason("2026-03-01,email,,,,csat,6,,1");
    assert_eq!((column.as_deref(), why.as_str()), (Some("score"), "CSAT `6` is outside the scale 1–5"));
    assert!(hint.contains("run from 1 to 5"), "{hint}");
    assert_eq!(reason("2026-03-01,email,,,,nps,11,,1").1, "NPS `11` is outside the scale 0–10");
    assert_eq!(reason("2026-03-01,email,,,,ces,0,,1").1, "CES `0` is outside the scale 1–7");
    let (_, why, hint) = reason("2026-03-01,email,,,,csat,Very satisfied,,1");
    assert_eq!(why, "CSAT `Very satisfied` is not a whole number");
    assert!(hint.contains("turn them into scores in the query"), "{hint}");
    assert_eq!(reason("2026-03-01,email,,,,csat,,,1").1, "a `csat` row has no score");
    assert_eq!(reason("2026-03-01,email,,,,transfers,-1,,1").1, "transfers `-1` is not a whole number from 0 to 1000");
}

#[test]
fn days_and_buckets_must_be_what_the_format_says() {
    let cases = [
        ("2026-3-1,email,,,,csat,4,,1", "day", "`2026-3-1` is not a day"),
        ("2026-02-30,email,,,,csat,4,,1", "day", "`2026-02-30` is not a day"),
        ("2026-03-01T10:00:00,email,,,,csat,4,,1", "day", "`2026-03-01T10:00:00` is not a day"),
        ("9999-12-31,email,,,,csat,4,,1", "day", "`9999-12-31` is in the year 9999"),
        (",email,,,,csat,4,,1", "day", "the day is empty"),
        ("2026-03-01,email,2,,,csat,4,,1", "visit", "`2` is not a survey-count bucket"),
        ("2026-03-01,email,,4,,csat,4,,1", "transfers_bucket", "`4` is not a transfers bucket"),
        (
            "2026-03-01,email,,,30,csat,4,,1",
            "first_response_bucket",
            "`30` is not where a first-response bucket starts",
        ),
    ];
    for (row, column, why) in cases {
        let (c, reason, _) = reason(row);
        assert_eq!((c.as_deref(), reason.as_str()), (Some(column), why), "{row}");
    }
    let (_, _, hint) = reason("2026-03-01,email,,,30,csat,4,,1");
    assert!(hint.contains("start at 0, 60, 240, 1440 minutes"), "{hint}");
    let (c, why, _) = reason("2026-03-01,email,,,,csat,4,1");
    assert_eq!((c, why.as_str()), (None, "the row has 8 fields, the header has 9"));
}

#[test]
fn with_on_error_fail_the_first_bad_row_stops_the_build_at_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("{HEADER}2026-03-01,email,,,,csat,4,,1\n2026-03-01,email,,,,csat,4,,-2\n");
    std::fs::write(dir.path().join("t.csv"), text).unwrap();
    let config =
        Config::parse(&CONFIG.replace("preset = \"aggregated\"", "preset = \"aggregated\"\non_error = \"fail\""))
            .unwrap();
    let Err(IngestError::Input(d)) = read(&config, dir.path(), &dir.path().join("public")) else {
        panic!("a bad row under on_error = \"fail\" stops the build")
    };
    assert_eq!(d.message, "t.csv, line 3: count `-2` is negative");
    assert_eq!(d.line_column(), Some((3, 29)), "the count cell");
    assert!(d.help.as_deref().is_some_and(|h| h.contains("whole number")));
}

#[test]
fn a_site_checks_what_an_aggregated_source_maps() {
    let source = "title = \"T\"\n[[sources]]\npath = \"*.csv\"\npreset = \"aggregated\"\n";
    for (extra, message, at) in [
        ("[sources.columns]\nid = \"response_id\"\n", "an aggregated table has no `id` column", (6, 6)),
        ("[sources.columns]\ncomment = \"comment\"\n", "an aggregated table has no `comment` column", (6, 11)),
        ("date_format = \"%d/%m/%Y\"\n", "an aggregated table has no timestamps to read", (5, 15)),
        (
            "[sources.measures]\nhandle_time = \"aht\"\n",
            "`handle_time` cannot be read from an aggregated table",
            (6, 15),
        ),
    ] {
        let Err(e) = Config::parse(&format!("{source}{extra}")) else { panic!("{extra} is accepted") };
        let d = e.diagnostic();
        assert_eq!(d.message, message);
        assert_eq!(d.line_column(), Some(at), "{message}");
        assert!(d.help.is_some());
    }
    // What it may map: dimensions, the three measures, the metrics' names.
    let ok = format!(
        "{source}[sources.columns]\ncsat = \"satisfaction\"\n[sources.dimensions]\nchannel = \"channel\"\n\
         [sources.measures]\ntransfers = \"transfers\"\nresolution_minutes = \"resolution_minutes\"\n"
    );
    Config::parse(&ok).unwrap();
}

use proptest::prelude::*;

proptest! {
    #[test]
    fn any_table_is_read_or_refused_without_a_panic(
        cells in proptest::collection::vec(
            proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::string::string_regex("[-0-9a-z+.,\" ]{0,6}").unwrap(),
                    proptest::sample::select(vec![
                        "2026-03-01", "responses", "csat", "first_response_minutes", "zero", "4+", "-2001",
                        "18446744073709551616", "1e308", "NaN", "\u{feff}", "\"\n\"",
                    ]).prop_map(String::from),
                ],
                0..11,
            ),
            0..8,
        ),
        fail in proptest::bool::ANY,
    ) {
        let mut text = HEADER.to_string();
        for row in cells {
            text.push_str(&row.join(","));
            text.push('\n');
        }
        let config = if fail { CONFIG.replace("preset = \"aggregated\"", "preset = \"aggregated\"\non_error = \"fail\"") } else { CONFIG.to_string() };
        if let Ok(inputs) = read_table(&config, &text) {
            let f = &inputs.files[0];
            prop_assert_eq!(f.rows_read, f.rows_used + f.rows_rejected);
            prop_assert_eq!(inputs.groups.len() as u64, f.rows_used);
        }
    }
}
