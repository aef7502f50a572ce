use super::*;
use crate::config::Config;

const CONFIG: &str = r#"
title = "Test"
timezone = "Europe/Berlin"
[[sources]]
path = "exports/*.csv"
[sources.columns]
id = "response_id"
submitted_at = "submitted_at"
csat = "csat"
nps = "nps"
[sources.dimensions]
channel = "channel"
[sources.measures]
transfers = "transfers"
"#;

fn site(config: &str, files: &[(&str, &str)]) -> (tempfile::TempDir, Config) {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    (dir, Config::parse(config).unwrap())
}

fn read_site(config: &str, files: &[(&str, &str)]) -> Inputs {
    let (dir, c) = site(config, files);
    read(&c, dir.path(), &dir.path().join("public")).unwrap()
}

const HEADER: &str = "response_id,submitted_at,channel,csat,nps,transfers\n";

#[test]
fn reads_rows_with_their_dimensions_and_measures() {
    let csv = format!("{HEADER}r1,2026-01-05T10:00:00Z,email,5,9,0\nr2,2026-01-06 10:00,chat,,3,2\n");
    let inputs = read_site(CONFIG, &[("exports/a.csv", &csv)]);
    assert_eq!(inputs.responses.len(), 2);
    let r2 = &inputs.all_responses().unwrap()[1];
    assert_eq!(r2.scores, Scores { csat: None, nps: Some(3), ces: None });
    assert_eq!(inputs.dimensions[0].values[r2.dimensions[0].unwrap() as usize], "chat");
    assert_eq!(r2.measures[0], Some(2.0));
    // A naive time is read in Berlin (UTC+1 in January).
    assert_eq!(r2.submitted_at.to_string(), "2026-01-06T09:00:00Z");
    assert_eq!(r2.line, 3);
}

#[test]
fn the_day_is_local_to_the_site() {
    // 23:30 UTC on 31 January is 00:30 on 1 February in Berlin.
    let csv = format!("{HEADER}r1,2026-01-31T23:30:00Z,email,5,9,0\n");
    let inputs = read_site(CONFIG, &[("exports/a.csv", &csv)]);
    assert_eq!(inputs.all_responses().unwrap()[0].day, jiff::civil::date(2026, 2, 1));
}

#[test]
fn every_row_is_used_rejected_or_a_duplicate() {
    let a = format!(
        "{HEADER}r1,2026-01-05T10:00:00Z,email,5,9,0\nr2,2026-01-06T10:00:00Z,chat,4,8,1\nr3,2026-01-07T10:00:00Z,chat,7,8,1\n"
    );
    let b = format!(
        "{HEADER}r2,2026-01-06T10:00:00Z,chat,2,8,1\nr4,yesterday,chat,4,8,1\nr5,2026-01-08T10:00:00Z,phone,3,,\n"
    );
    let inputs = read_site(CONFIG, &[("exports/a.csv", &a), ("exports/b.csv", &b)]);
    let [fa, fb] = [&inputs.files[0], &inputs.files[1]];
    assert_eq!((fa.rows_read, fa.rows_used, fa.rows_rejected, fa.duplicates), (3, 1, 1, 1));
    assert_eq!((fb.rows_read, fb.rows_used, fb.rows_rejected, fb.duplicates), (3, 2, 1, 0));
    let t = inputs.totals();
    assert_eq!(t.rows_read, t.rows_used + t.rows_rejected + t.duplicates);
    assert_eq!(inputs.responses.len(), t.rows_used);
}

#[test]
fn the_copy_in_the_file_that_sorts_last_wins() {
    let a = format!("{HEADER}r1,2026-01-05T10:00:00Z,email,5,9,0\n");
    let b = format!("{HEADER}r1,2026-01-05T10:00:00Z,email,1,2,0\n");
    let inputs = read_site(CONFIG, &[("exports/2026-02.csv", &b), ("exports/2026-01.csv", &a)]);
    assert_eq!(inputs.responses.len(), 1);
    assert_eq!(inputs.all_responses().unwrap()[0].scores.csat, Some(1));
    assert_eq!(inputs.files[0].path, "exports/2026-01.csv");
    assert_eq!(inputs.files[0].duplicates, 1);
}

#[test]
fn rejections_name_file_line_column_and_reason() {
    let csv = format!("{HEADER}r1,2026-01-05T10:00:00Z,email,6,9,0\nr2,2026-01-05T10:00:00Z,email,5,9\n,,,,,\n");
    let inputs = read_site(CONFIG, &[("exports/a.csv", &csv)]);
    let r = &inputs.rejections;
    assert_eq!(r.len(), 3);
    assert_eq!((r[0].file.as_str(), r[0].line, r[0].column.as_deref()), ("exports/a.csv", 2, Some("csat")));
    assert_eq!(r[0].reason, "CSAT `6` is outside the scale 1–5");
    assert_eq!(r[1].reason, "the row has 5 fields, the header has 6");
    assert_eq!(r[2].reason, "the row is empty");
}

#[test]
fn quoted_fields_may_hold_delimiters_and_newlines() {
    let config = CONFIG.replace("nps = \"nps\"", "nps = \"nps\"\ncomment = \"comment\"");
    let csv = "response_id,submitted_at,channel,csat,nps,transfers,comment\nr1,2026-01-05T10:00:00Z,email,5,9,0,\"Fast, \"\"friendly\"\"\nand kind\"\nr2,2026-01-06T10:00:00Z,email,4,9,0,ok\n";
    let inputs = read_site(&config, &[("exports/a.csv", csv)]);
    assert_eq!(inputs.all_responses().unwrap()[0].comment.as_deref(), Some("Fast, \"friendly\"\nand kind"));
    assert_eq!(inputs.all_responses().unwrap()[1].line, 4);
}

#[test]
fn semicolons_tabs_and_a_byte_order_mark_are_read() {
    let csv = "\u{feff}response_id;submitted_at;channel;csat;nps;transfers\r\nr1;2026-01-05T10:00:00Z;email;5;9;0\r\n";
    let tsv = "response_id\tsubmitted_at\tchannel\tcsat\tnps\ttransfers\nr2\t2026-01-05T10:00:00Z\tchat\t4\t9\t0\n";
    let inputs = read_site(CONFIG, &[("exports/a.csv", csv), ("exports/b.csv", tsv)]);
    assert_eq!(inputs.responses.len(), 2);
    assert!(inputs.rejections.is_empty());
}

#[test]
fn headers_match_whatever_their_case() {
    let csv = "Response_ID,Submitted_At,Channel,CSAT,NPS,Transfers\nr1,2026-01-05T10:00:00Z,email,5,9,0\n";
    assert_eq!(read_site(CONFIG, &[("exports/a.csv", csv)]).responses.len(), 1);
}

#[test]
fn a_missing_mapped_column_is_a_configuration_error_with_a_suggestion() {
    let csv = "response_id,submitted_at,channell,csat,nps,transfers\nr1,2026-01-05T10:00:00Z,email,5,9,0\n";
    let (dir, c) = site(CONFIG, &[("exports/a.csv", csv)]);
    let e = read(&c, dir.path(), &dir.path().join("public")).unwrap_err();
    assert!(matches!(e, IngestError::Mapping(_)));
    let d = e.diagnostic();
    assert_eq!(d.message, "exports/a.csv has no column `channel` (the dimension `channel` in site.toml)");
    assert_eq!(
        d.help.as_deref(),
        Some(
            "the headers are `response_id`, `submitted_at`, `channell`, `csat`, `nps`, `transfers`; did you mean `channell`? Fix the mapping in site.toml or the export's header"
        )
    );
    assert_eq!(d.line_column(), Some((1, 1)));
}

#[test]
fn a_glob_that_matches_nothing_says_where_to_put_exports() {
    let (dir, c) = site(CONFIG, &[]);
    let d = read(&c, dir.path(), &dir.path().join("public")).unwrap_err().diagnostic().clone();
    assert_eq!(d.message, "no export matches `exports/*.csv`");
    assert!(d.help.unwrap().contains("exports/"));
}

#[test]
fn on_error_fail_stops_at_the_first_bad_row_with_its_place() {
    let config = CONFIG.replace("path = \"exports/*.csv\"", "path = \"exports/*.csv\"\non_error = \"fail\"");
    let csv = format!("{HEADER}r1,2026-01-05T10:00:00Z,email,5,9,0\nr2,2026-01-05T10:00:00Z,email,5,12,0\n");
    let (dir, c) = site(&config, &[("exports/a.csv", &csv)]);
    let e = read(&c, dir.path(), &dir.path().join("public")).unwrap_err();
    assert!(matches!(e, IngestError::Input(_)));
    let d = e.diagnostic();
    assert_eq!(d.message, "exports/a.csv, line 3: NPS `12` is outside the scale 0–10");
    // `12` follows "r2," (3) + the timestamp and comma (21) + "email," (6) + "5," (2): column 33.
    assert_eq!(d.line_column(), Some((3, 33)));
    let text = d.render(false);
    assert!(text.contains("exports/a.csv:3:33"), "{text}");
}

/// Reads one export given as bytes, with `extra` added to the source's settings.
fn read_bytes(extra: &str, bytes: &[u8]) -> Result<Inputs, IngestError> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("exports")).unwrap();
    std::fs::write(dir.path().join("exports/a.csv"), bytes).unwrap();
    let config = CONFIG.replace("path = \"exports/*.csv\"\n", &format!("path = \"exports/*.csv\"\n{extra}"));
    read(&Config::parse(&config).unwrap(), dir.path(), &dir.path().join("public"))
}

#[test]
fn an_export_that_is_not_utf8_is_read_as_windows_1252_and_said_so() {
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(b"r1,2026-01-05T10:00:00Z,caf\xe9,5,9,0\n");
    let inputs = read_bytes("", &bytes).unwrap();
    assert_eq!(inputs.dimensions[0].values, ["café"]);
    assert_eq!(inputs.files[0].encoding, "windows-1252");
    assert!(inputs.warnings[0].message.contains("read as Windows-1252"), "{:?}", inputs.warnings);
}

#[test]
fn invalid_utf8_in_a_utf8_export_is_rejected_with_a_hint() {
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(b"r1,2026-01-05T10:00:00Z,caf\xe9,5,9,0\n");
    let inputs = read_bytes("encoding = \"utf-8\"\n", &bytes).unwrap();
    assert_eq!(inputs.rejections[0].reason, "the cell is not valid UTF-8 text");
    assert!(inputs.rejections[0].hint.contains("UTF-8"));
}

#[test]
fn excel_unicode_text_is_utf16_with_tabs() {
    let text = "response_id\tsubmitted_at\tchannel\tcsat\tnps\ttransfers\r\nr1\t2026-01-05T10:00:00Z\tT\u{e9}l\u{e9}phone\t5\t9\t0\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let inputs = read_bytes("", &bytes).unwrap();
    assert_eq!(inputs.responses.len(), 1);
    assert_eq!(inputs.dimensions[0].values, ["Téléphone"]);
    assert_eq!(inputs.files[0].encoding, "utf-16");
}

#[test]
fn an_empty_file_is_skipped_with_a_warning() {
    let inputs = read_site(
        CONFIG,
        &[("exports/a.csv", ""), ("exports/b.csv", &format!("{HEADER}r1,2026-01-05T10:00:00Z,email,5,9,0\n"))],
    );
    assert_eq!(inputs.responses.len(), 1);
    assert!(inputs.warnings.iter().any(|w| w.message == "exports/a.csv is empty and was skipped"));
}

#[test]
fn files_are_matched_below_the_glob_prefix_only() {
    let csv = format!("{HEADER}r1,2026-01-05T10:00:00Z,email,5,9,0\n");
    let inputs = read_site(CONFIG, &[("exports/a.csv", &csv), ("exports/old/b.csv", &csv), ("other/c.csv", &csv)]);
    let paths: Vec<&str> = inputs.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["exports/a.csv"]);
}

#[test]
fn absolute_globs_find_exports_outside_the_site() {
    let exports = tempfile::tempdir().unwrap();
    std::fs::write(exports.path().join("a.csv"), format!("{HEADER}r1,2026-01-05T10:00:00Z,email,5,9,0\n")).unwrap();
    let glob = format!("{}/*.csv", exports.path().display());
    let config = CONFIG.replace("path = \"exports/*.csv\"", &format!("path = {glob:?}"));
    let inputs = read_site(&config, &[]);
    assert_eq!(inputs.responses.len(), 1);
    assert_eq!(inputs.files[0].path, format!("{}/a.csv", exports.path().display()));
}

#[test]
fn a_folder_named_like_an_export_is_not_read() {
    let csv = format!("{HEADER}r1,2026-01-05T10:00:00Z,email,5,9,0\n");
    let inputs = read_site(CONFIG, &[("exports/a.csv", &csv), ("exports/b.csv/readme.txt", "not an export")]);
    assert_eq!(inputs.files.len(), 1);
}

#[test]
fn an_unterminated_quote_is_a_rejection_not_a_silent_loss() {
    let config = CONFIG.replace("nps = \"nps\"", "nps = \"nps\"\ncomment = \"comment\"");
    let csv = "response_id,submitted_at,channel,csat,nps,transfers,comment\nr1,2026-01-05T10:00:00Z,email,5,9,0,\"fine\"\nr2,2026-01-06T10:00:00Z,email,4,9,0,\"oops\nr3,2026-01-07T10:00:00Z,email,4,9,0,ok\nr4,2026-01-08T10:00:00Z,email,4,9,0,ok\n";
    let inputs = read_site(&config, &[("exports/a.csv", csv)]);
    let f = &inputs.files[0];
    assert_eq!((f.rows_read, f.rows_used, f.rows_rejected), (2, 1, 1));
    assert!(
        inputs.rejections[0].reason.contains("opens a quote that is never closed"),
        "{}",
        inputs.rejections[0].reason
    );
    assert!(inputs.rejections[0].reason.contains("line 3"), "{}", inputs.rejections[0].reason);
}

#[test]
fn quotes_inside_unquoted_fields_are_not_mistaken_for_an_open_quote() {
    let config = CONFIG.replace("nps = \"nps\"", "nps = \"nps\"\ncomment = \"comment\"");
    let csv = "response_id,submitted_at,channel,csat,nps,transfers,comment\nr1,2026-01-05T10:00:00Z,email,5,9,0,a 5\" screen\nr2,2026-01-06T10:00:00Z,email,4,9,0,ok\n";
    let inputs = read_site(&config, &[("exports/a.csv", csv)]);
    assert_eq!(inputs.files[0].rows_used, 2);
}

#[test]
fn trailing_empty_fields_are_accepted() {
    let csv = format!("{HEADER}r1,2026-01-05T10:00:00Z,email,5,9,0,,\nr2,2026-01-05T10:00:00Z,email,5,9,0,x\n");
    let inputs = read_site(CONFIG, &[("exports/a.csv", &csv)]);
    assert_eq!(inputs.files[0].rows_used, 1);
    assert_eq!(inputs.rejections[0].reason, "the row has 7 fields, the header has 6");
}

#[test]
fn a_mapped_column_that_appears_twice_is_an_error() {
    let csv = "response_id,submitted_at,channel,csat,csat,nps,transfers\nr1,2026-01-05T10:00:00Z,email,5,4,9,0\n";
    let (dir, c) = site(CONFIG, &[("exports/a.csv", csv)]);
    let d = read(&c, dir.path(), &dir.path().join("public")).unwrap_err().diagnostic().clone();
    assert_eq!(d.message, "exports/a.csv has 2 columns named `csat`");
}

#[test]
fn a_header_of_one_column_hints_at_the_delimiter() {
    let config = CONFIG.replace("path = \"exports/*.csv\"", "path = \"exports/*.csv\"\ndelimiter = \";\"");
    let csv = format!("{HEADER}r1,2026-01-05T10:00:00Z,email,5,9,0\n");
    let (dir, c) = site(&config, &[("exports/a.csv", &csv)]);
    let d = read(&c, dir.path(), &dir.path().join("public")).unwrap_err().diagnostic().clone();
    assert!(d.help.as_deref().unwrap().contains("separated by something other than `;`"), "{d}");
}

#[test]
fn a_header_that_is_not_utf8_says_so() {
    let e =
        read_bytes("encoding = \"utf-8\"\n", b"response_id,submitted_at,ch\xe4nnel,csat,nps,transfers\n").unwrap_err();
    assert_eq!(e.diagnostic().message, "the header row of exports/a.csv is not UTF-8 text");
}

#[test]
fn transfers_must_be_whole() {
    let csv = format!("{HEADER}r1,2026-01-05T10:00:00Z,email,5,9,2.5\n");
    let inputs = read_site(CONFIG, &[("exports/a.csv", &csv)]);
    assert_eq!(inputs.rejections[0].reason, "transfers `2.5` is not a whole number");
}

#[test]
fn hidden_folders_and_the_output_are_never_searched() {
    let config = CONFIG.replace("path = \"exports/*.csv\"", "path = \"**/*.csv\"");
    let csv = format!("{HEADER}r1,2026-01-05T10:00:00Z,email,5,9,0\n");
    let inputs =
        read_site(&config, &[("exports/a.csv", &csv), (".git/b.csv", &csv), ("public/data/2026-01.csv", &csv)]);
    let paths: Vec<&str> = inputs.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["exports/a.csv"]);
}

#[test]
fn answer_labels_are_scores_and_unknown_labels_are_rejected_by_name() {
    let rows = "r1,2026-01-05T10:00:00Z,email,Very satisfied,Extremely likely,0\n\
                r2,2026-01-05T11:00:00Z,email,очень недоволен,0 - Not at all likely,0\n\
                r3,2026-01-05T12:00:00Z,email,非常满意,,0\n\
                r4,2026-01-05T13:00:00Z,email,Over the moon,9,0\n";
    let inputs = read_site(CONFIG, &[("exports/a.csv", &format!("{HEADER}{rows}"))]);
    let scores: Vec<(Option<u8>, Option<u8>)> =
        inputs.all_responses().unwrap().into_iter().map(|r| (r.scores.csat, r.scores.nps)).collect();
    assert_eq!(scores, [(Some(5), Some(10)), (Some(1), Some(0)), (Some(5), None)]);
    let r = &inputs.rejections[0];
    assert_eq!((r.line, r.column.as_deref()), (5, Some("csat")));
    assert_eq!(r.reason, "CSAT `Over the moon` is neither a number nor a known answer label");
}

#[test]
fn semicolon_exports_from_european_excel_read_decimal_commas() {
    let config =
        CONFIG.replace("transfers = \"transfers\"", "transfers = \"transfers\"\nfirst_response_minutes = \"frt\"");
    let text = "response_id;submitted_at;channel;csat;nps;transfers;frt\r\nr1;2026-01-05 10:00;email;5;9;0;12,5\r\n";
    let inputs = read_site(&config, &[("exports/a.csv", text)]);
    assert_eq!(inputs.all_responses().unwrap()[0].measures[1], Some(12.5));
}

#[test]
fn a_response_exported_twice_with_different_answers_is_a_listed_conflict() {
    let a = format!("{HEADER}r1,2026-01-05T10:00:00Z,email,2,9,0\nr2,2026-01-05T11:00:00Z,email,5,9,0\n");
    let b = format!("{HEADER}r1,2026-01-05T10:00:00Z,email,4,9,0\nr2,2026-01-05T11:00:00Z,email,5,9,0\n");
    let inputs = read_site(CONFIG, &[("exports/a.csv", &a), ("exports/b.csv", &b)]);
    assert_eq!(inputs.responses.len(), 2);
    let r1 = inputs.all_responses().unwrap().into_iter().find(|r| r.id.as_deref() == Some("r1")).unwrap();
    assert_eq!(r1.scores.csat, Some(4), "the file that sorts last wins");
    assert_eq!(inputs.files[0].duplicates, 2);
    assert_eq!(inputs.files[1].conflicts, 1, "r2 is the same in both: a duplicate, not a conflict");
    let c = &inputs.conflicts[0];
    assert_eq!(
        (c.id.as_str(), &c.kept, &c.dropped),
        ("r1", &("exports/b.csv".to_string(), 2), &("exports/a.csv".to_string(), 2))
    );
}

#[test]
fn a_field_of_several_megabytes_is_read() {
    let long = "word ".repeat(1_200_000);
    let config = CONFIG.replace("nps = \"nps\"", "nps = \"nps\"\ncomment = \"comment\"");
    let text = format!(
        "response_id,submitted_at,channel,csat,nps,transfers,comment\r\nr1,2026-01-05T10:00:00Z,email,5,9,0,\"{long}\"\r\nr2,2026-01-05T11:00:00Z,email,4,8,0,short\r\n"
    );
    let inputs = read_site(&config, &[("exports/a.csv", &text)]);
    assert_eq!(inputs.responses.len(), 2);
    assert_eq!(inputs.all_responses().unwrap()[0].comment.as_deref().map(str::len), Some(long.trim().len()));
    assert_eq!(inputs.all_responses().unwrap()[1].line, 3);
}
#[test]
fn crlf_exports_number_their_lines_like_lf_ones() {
    let text = "response_id,submitted_at,channel,csat,nps,transfers\r\nr1,2026-01-05T10:00:00Z,email,5,9,0\r\nr2,2026-01-05T11:00:00Z,email,4,8,0,\r\n";
    for text in [text.to_string(), text.replace("\r\n", "\n")] {
        let inputs = read_site(CONFIG, &[("exports/a.csv", &text)]);
        let lines: Vec<u64> = inputs.all_responses().unwrap().into_iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3], "{text:?}");
    }
}

#[test]
fn old_mac_exports_end_their_lines_with_a_carriage_return() {
    let text = "response_id,submitted_at,channel,csat,nps,transfers\rr1,2026-01-05T10:00:00Z,email,5,9,0\rr2,2026-01-05T11:00:00Z,email,4,8,0\r";
    let inputs = read_site(CONFIG, &[("exports/a.csv", text)]);
    assert_eq!(inputs.responses.len(), 2);
}

#[test]
fn rows_made_on_other_threads_come_back_in_the_order_of_the_file() {
    // In tests a batch is 3 records, so these 20 rows cross 7 batches; bad rows fall inside
    // batches, at their edges and in a row of their own. Read with on_error = "reject" (in
    // batches) and, without the bad rows, with on_error = "fail" (row by row): the same
    // responses, values numbered in the same order of first appearance, rejections in line order.
    let channels = ["email", "chat", "phone", "email", "web", "chat", "sms", "web"];
    let bad = [4, 6, 7, 13, 20];
    let mut all = String::from(HEADER);
    let mut good = String::from(HEADER);
    for i in 1..=20 {
        let channel = channels[i % channels.len()];
        let csat = if bad.contains(&i) { "9".to_string() } else { (i % 5 + 1).to_string() };
        let row = format!("r{i},2026-01-{:02}T10:00:00Z,{channel},{csat},{},{}\n", i, i % 11, i % 4);
        all.push_str(&row);
        if !bad.contains(&i) {
            good.push_str(&row);
        }
    }
    let batched = read_site(CONFIG, &[("exports/a.csv", &all)]);
    let fail = CONFIG.replace("path = \"exports/*.csv\"", "path = \"exports/*.csv\"\non_error = \"fail\"");
    let row_by_row = read_site(&fail, &[("exports/a.csv", &good)]);
    type Seen = (Option<Box<str>>, Scores, Box<[Option<u32>]>);
    let without_lines = |inputs: &Inputs| -> Vec<Seen> {
        inputs.all_responses().unwrap().into_iter().map(|r| (r.id.clone(), r.scores, r.dimensions.clone())).collect()
    };
    assert_eq!(without_lines(&batched), without_lines(&row_by_row));
    assert_eq!(batched.dimensions, row_by_row.dimensions);
    let lines: Vec<u64> = batched.rejections.iter().map(|r| r.line).collect();
    assert_eq!(lines, bad.iter().map(|&i| i as u64 + 1).collect::<Vec<u64>>());
    assert_eq!(batched.all_responses().unwrap().into_iter().map(|r| r.line).take(4).collect::<Vec<_>>(), [2, 3, 4, 6]);
    let t = batched.totals();
    assert_eq!((t.rows_read, t.rows_used, t.rows_rejected), (20, 15, 5));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
    /// Where responses wait (memory or disk, few or many partitions) never changes what is read:
    /// the same responses, duplicates, conflicts and counts.
    #[test]
    fn partitions_in_memory_or_on_disk_read_the_same(
        files in proptest::collection::vec(
            proptest::collection::vec((0u8..12, 0u8..7, 0u8..3, 0u8..5, 0u8..4), 0..25), 1..4),
    ) {
        let config = Config::parse(&CONFIG.replace("nps = \"nps\"", "nps = \"nps\"\ncustomer = \"customer\"")).unwrap();
        let exports: Vec<(String, Vec<u8>)> = files
            .iter()
            .enumerate()
            .map(|(f, rows)| {
                let mut text = String::from("response_id,submitted_at,channel,csat,nps,transfers,customer\n");
                for &(id, csat, channel, customer, day) in rows {
                    // Id 11 is left empty; CSAT 6 is out of the scale and rejected.
                    let id = if id == 11 { String::new() } else { format!("r{id}") };
                    let csat = if csat == 0 { String::new() } else { csat.to_string() };
                    let customer = if customer == 0 { String::new() } else { format!("c{customer}") };
                    text += &format!("{id},2026-01-0{}T10:00:00Z,{},{csat},9,1,{customer}\n", day + 1, ["email", "chat", "phone"][channel as usize]);
                }
                (format!("exports/{f}.csv"), text.into_bytes())
            })
            .collect();
        let read = |spill: &Spill| {
            let inputs = read_bytes_in(&config, exports.clone(), spill).unwrap();
            let summary = serde_json::to_string(&inputs.summary()).unwrap();
            let values: Vec<Vec<String>> = inputs.dimensions.iter().map(|d| d.values.clone()).collect();
            (summary, values, inputs.all_responses().unwrap())
        };
        let memory = read(&Spill::memory());
        let t = &memory.0;
        proptest::prop_assert!(!t.is_empty());
        for partitions in [1, 3, 7] {
            proptest::prop_assert_eq!(&read(&Spill::disk_partitions(partitions).unwrap()), &memory, "{} partitions on disk", partitions);
        }
        // Every row is used, rejected or a duplicate; one response per id.
        let inputs = read_bytes_in(&config, exports.clone(), &Spill::disk_partitions(2).unwrap()).unwrap();
        let t = inputs.totals();
        proptest::prop_assert_eq!(t.rows_read, t.rows_used + t.rows_rejected + t.duplicates);
        proptest::prop_assert_eq!(inputs.responses.len(), t.rows_used);
        let all = inputs.all_responses().unwrap();
        let mut ids: Vec<&str> = all.iter().filter_map(|r| r.id.as_deref()).collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        proptest::prop_assert_eq!(ids.len(), n);
    }
}

/// The fuzzer's configurations read real inputs, so that its corpus exercises each preset's
/// reading and not only its errors: the aggregated one a table DuckDB made of the demo.
#[test]
fn the_fuzzers_aggregated_configuration_reads_a_table() {
    let table = std::fs::read("tests/fixtures/aggregated/northwind.csv").unwrap();
    let head: Vec<u8> = table.split(|&b| b == b'\n').take(300).collect::<Vec<_>>().join(&b'\n');
    for pick in [240, 241] {
        let inputs = super::read_bytes(super::fuzz_config(pick), vec![("t.csv".into(), head.clone())]).unwrap();
        assert_eq!((inputs.groups.len(), inputs.rejections.len()), (299, 0), "{pick}");
    }
}
