use jiff::civil::date;

use super::*;

fn config(extra: &str) -> Config {
    Config::parse(&format!(
        "title = \"T\"\n[[sources]]\npath = \"s/*.csv\"\n[sources.dimensions]\nchannel = \"channel\"\n[sent]\npath = \"sent/*.csv\"\n{extra}"
    ))
    .unwrap()
}

fn read(extra: &str, files: &[(&str, &str)]) -> Result<SentCounts, Box<Diagnostic>> {
    let config = config(extra);
    let files = files.iter().map(|(name, text)| (name.to_string(), text.as_bytes().to_vec())).collect();
    parse_sent(config.sent.as_ref().unwrap(), files).map_err(|e| Box::new(e.diagnostic().clone()))
}

const BY_CHANNEL: &str = "[sent.dimensions]\nchannel = \"channel\"\n";

#[test]
fn days_weeks_months_quarters_and_years_are_read_as_their_days() {
    // 2026-W42 is Monday 12 to Sunday 18 October 2026 (ISO 8601).
    let text = "period,sent\n2026-10-05,3\n2026-w42,10\n2026-11,20\n2027-Q1,30\n2025,40\n";
    let counts = read("", &[("sent/a.csv", text)]).unwrap();
    let spans: Vec<(Date, Date, u64, u64)> = counts.rows.iter().map(|r| (r.first, r.last, r.sent, r.line)).collect();
    assert_eq!(
        spans,
        [
            (date(2025, 1, 1), date(2025, 12, 31), 40, 6),
            (date(2026, 10, 5), date(2026, 10, 5), 3, 2),
            (date(2026, 10, 12), date(2026, 10, 18), 10, 3),
            (date(2026, 11, 1), date(2026, 11, 30), 20, 4),
            (date(2027, 1, 1), date(2027, 3, 31), 30, 5),
        ]
    );
    assert_eq!(counts.rows[3].days(), 30);
    assert_eq!(counts.files, [SentFile { path: "sent/a.csv".into(), rows_read: 5, rows_used: 5, duplicates: 0 }]);
}

#[test]
fn columns_and_dimensions_are_mapped_and_found_ignoring_case() {
    let extra =
        "[sent.columns]\nperiod = \"Month\"\nsent = \"Surveys sent\"\n[sent.dimensions]\nchannel = \"Channel\"\n";
    let text = "\u{feff}month;CHANNEL;Surveys sent\n2026-10;email;1200\n2026-10;chat;400\n";
    let counts = read(extra, &[("sent/a.csv", text)]).unwrap();
    assert_eq!(counts.dimensions, ["channel"]);
    let rows: Vec<(&str, u64)> = counts.rows.iter().map(|r| (&*r.values[0], r.sent)).collect();
    assert_eq!(rows, [("chat", 400), ("email", 1200)]);
}

#[test]
fn a_row_in_two_files_counts_once_and_a_changed_count_is_a_warning() {
    let first = "period,channel,sent\n2026-09,email,100\n2026-10,email,110\n";
    let second = "period,channel,sent\n2026-10,email,115\n2026-11,email,120\n";
    let counts = read(BY_CHANNEL, &[("sent/a.csv", first), ("sent/b.csv", second)]).unwrap();
    let sent: Vec<u64> = counts.rows.iter().map(|r| r.sent).collect();
    assert_eq!(sent, [100, 115, 120]);
    assert_eq!((counts.files[0].rows_used, counts.files[0].duplicates), (1, 1));
    assert_eq!((counts.files[1].rows_used, counts.files[1].duplicates), (2, 0));
    assert_eq!(counts.warnings.len(), 1);
    assert!(
        counts.warnings[0].message.contains("sent/b.csv:2 repeats the row of sent/a.csv:3"),
        "{}",
        counts.warnings[0]
    );
    // An identical copy is no news.
    let counts = read(BY_CHANNEL, &[("sent/a.csv", first), ("sent/b.csv", first)]).unwrap();
    assert!(counts.warnings.is_empty());
}

#[test]
fn bad_cells_are_errors_at_their_file_line_and_column() {
    // (file text, message, line, column of the cell in characters)
    let cases = [
        ("period,channel,sent\n2026-10,email,12.5\n", "the count 12.5 is not a whole number", 2, 15),
        ("period,channel,sent\n2026-10,email,-3\n", "the count -3 is negative", 2, 15),
        ("period,channel,sent\n2026-10,email,many\n", "`many` is not a number", 2, 15),
        ("period,channel,sent\n2026-10,email,\n", "the count is empty", 2, 15),
        ("period,channel,sent\nOctober 2026,email,5\n", "`October 2026` is not a day or a period", 2, 1),
        ("period,channel,sent\n2026-02-30,email,5\n", "`2026-02-30` is not a day of the calendar", 2, 1),
        ("period,channel,sent\n2026-13,email,5\n", "`2026-13` is not a day or a period", 2, 1),
        ("period,channel,sent\n,email,5\n", "the period is empty", 2, 1),
        ("period,channel,sent\n2026-10,email,5\n2026-11, ,5\n", "the channel is empty", 3, 9),
    ];
    for (text, message, line, column) in cases {
        let d = read(BY_CHANNEL, &[("sent/a.csv", text)]).unwrap_err();
        assert!(d.message.contains(message), "{text}: {}", d.message);
        assert_eq!(d.file.as_deref(), Some("sent/a.csv"));
        assert_eq!(d.line_column(), Some((line, column)), "{text}: {d}");
        assert!(d.help.is_some());
    }
}

#[test]
fn a_missing_column_names_the_nearest_header() {
    let d = read(BY_CHANNEL, &[("sent/a.csv", "period,channel,sent_count\n2026-10,email,5\n")]).unwrap_err();
    assert_eq!(d.message, "sent/a.csv has no column `sent`");
    assert_eq!(d.line_column(), Some((1, 1)));
    assert!(d.help.unwrap().contains("did you mean `sent_count`?"));
    let d = read(BY_CHANNEL, &[("sent/a.csv", "period,sent\n2026-10,5\n")]).unwrap_err();
    assert_eq!(d.message, "sent/a.csv has no column `channel`");
    let d = read("", &[("sent/a.csv", "")]).unwrap_err();
    assert_eq!(d.message, "sent/a.csv is empty");
}

#[test]
fn rows_of_one_group_may_not_overlap() {
    let text = "period,channel,sent\n2026-10,email,100\n2026-10-07,email,4\n2026-10-07,chat,4\n";
    let d = read(BY_CHANNEL, &[("sent/a.csv", text)]).unwrap_err();
    assert_eq!(
        d.message,
        "sent/a.csv:2 and sent/a.csv:3 overlap: both count surveys sent to channel = email on 2026-10-07"
    );
    // Months and the days of another month are fine; so are a week and the day after it.
    let text = "period,sent\n2026-09,100\n2026-10-01,4\n2026-W40,7\n";
    assert!(read("", &[("sent/a.csv", text)]).is_err(), "2026-W40 runs from 28 September to 4 October");
    let text = "period,sent\n2026-09,100\n2026-10-01,4\n2026-W41,7\n";
    assert_eq!(read("", &[("sent/a.csv", text)]).unwrap().rows.len(), 3);
}

#[test]
fn windows_1252_and_utf_16_files_are_read() {
    let config = config(BY_CHANNEL);
    let latin = b"period,channel,sent\n2026-10,T\xe9l\xe9phone,9\n".to_vec();
    let counts = parse_sent(config.sent.as_ref().unwrap(), vec![("a.csv".into(), latin)]).unwrap();
    assert_eq!(&*counts.rows[0].values[0], "Téléphone");
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend("period\tchannel\tsent\n2026-10\t电话\t9\n".encode_utf16().flat_map(u16::to_le_bytes));
    let counts = parse_sent(config.sent.as_ref().unwrap(), vec![("a.csv".into(), utf16)]).unwrap();
    assert_eq!((&*counts.rows[0].values[0], counts.rows[0].sent), ("电话", 9));
}

#[test]
fn sent_files_are_found_by_their_glob_and_kept_apart_from_the_exports() {
    let dir = tempfile::tempdir().unwrap();
    let config = config(BY_CHANNEL);
    let none = read_sent(&config, dir.path(), &dir.path().join("public")).unwrap_err();
    assert_eq!(none.diagnostic().message, "no file of sent counts matches `sent/*.csv`");
    assert!(none.diagnostic().help.as_deref().unwrap().contains("under sent/"));
    std::fs::create_dir_all(dir.path().join("sent")).unwrap();
    std::fs::write(dir.path().join("sent/a.csv"), "period,channel,sent\n2026-10,email,5\n").unwrap();
    let counts = read_sent(&config, dir.path(), &dir.path().join("public")).unwrap().unwrap();
    assert_eq!(counts.rows.len(), 1);
    let mut shared = config.clone();
    shared.sources[0].path = "sent/*.csv".into();
    let both = read_sent(&shared, dir.path(), &dir.path().join("public")).unwrap_err();
    assert_eq!(both.diagnostic().message, "sent/a.csv is matched both by [sent] and by [[sources]]");
}
