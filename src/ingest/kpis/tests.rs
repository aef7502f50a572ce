use super::*;
use crate::config::{Better, Config, Perspective};
use jiff::civil::date;

const SITE: &str = r#"
title = "T"
[[sources]]
path = "x"
[[kpis]]
path = "content/kpis/*.csv"
[kpis.indicators]
"Support cost per ticket" = { perspective = "financial", better = "lower", unit = "€", target = 18 }
"Training hours" = { perspective = "learning", better = "higher" }
"#;

/// A site folder holding `files` (path, text), read with [`SITE`] or `config`.
fn read_with(config: &str, files: &[(&str, &[u8])]) -> Result<Kpis, Box<Diagnostic>> {
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let config = Config::parse(config).unwrap();
    read_kpis(&config, dir.path(), &dir.path().join("public")).map_err(|e| Box::new(e.diagnostic().clone()))
}

fn read(files: &[(&str, &str)]) -> Result<Kpis, Box<Diagnostic>> {
    let files: Vec<(&str, &[u8])> = files.iter().map(|(p, t)| (*p, t.as_bytes())).collect();
    read_with(SITE, &files)
}

fn error(files: &[(&str, &str)]) -> Diagnostic {
    *read(files).expect_err("expected an error")
}

#[test]
fn periods_are_the_site_keys_or_a_day() {
    let key = |text: &str| KpiPeriod::parse(text).map(|p| p.key());
    assert_eq!(key("2026-10").as_deref(), Some("2026-10"));
    assert_eq!(key(" 2026-q3 ").as_deref(), Some("2026-Q3"));
    assert_eq!(key("2026-W41").as_deref(), Some("2026-W41"));
    assert_eq!(key("2026").as_deref(), Some("2026"));
    assert_eq!(key("2026-10-31").as_deref(), Some("2026-10-31"));
    for bad in ["Oct 2026", "10/2026", "2026-13", "2026-02-30", "31.10.2026", "2026-1-5", "", "1066-10-14"] {
        assert_eq!(KpiPeriod::parse(bad), None, "{bad}");
    }
    let q3 = KpiPeriod::parse("2026-Q3").unwrap();
    assert_eq!((q3.start(), q3.end()), (date(2026, 7, 1), date(2026, 9, 30)));
    let day = KpiPeriod::parse("2026-10-31").unwrap();
    assert_eq!((day.start(), day.end()), (date(2026, 10, 31), date(2026, 10, 31)));
}

#[test]
fn a_sheet_is_read_by_its_headers_in_declaration_order() {
    let kpis = read(&[
        (
            "content/kpis/finance.csv",
            "Name,Notes,Period,Value,Target\n\
             Support cost per ticket,,2026-10,17.02,17.50\n\
             Support cost per ticket,estimate,2026-09,17.2,\n\
             \n\
             Support cost per ticket,,2026-11,,17.5\n",
        ),
        ("content/kpis/team.csv", "period,name,value\n2026-Q3,Training hours,18\n"),
    ])
    .unwrap();
    let names: Vec<&str> = kpis.kpis.iter().map(|k| k.name.as_str()).collect();
    assert_eq!(names, ["Support cost per ticket", "Training hours"]);
    let cost = &kpis.kpis[0];
    assert_eq!((cost.indicator.perspective, cost.indicator.better), (Perspective::Financial, Better::Lower));
    assert_eq!(cost.places, 2, "as many decimals as the most precise value");
    // Sorted by period; the November row only sets a target ahead.
    let rows: Vec<(String, Option<f64>, Option<f64>)> =
        cost.values.iter().map(|v| (v.period.key(), v.value, v.target)).collect();
    assert_eq!(
        rows,
        [
            ("2026-09".to_string(), Some(17.2), None),
            ("2026-10".to_string(), Some(17.02), Some(17.5)),
            ("2026-11".to_string(), None, Some(17.5)),
        ]
    );
    assert_eq!(kpis.kpis[1].values[0].value, Some(18.0));
    assert_eq!(kpis.kpis[1].places, 0);
}

#[test]
fn excel_sheets_with_semicolons_decimal_commas_a_mark_or_windows_1252_are_read() {
    let semicolons = "\u{feff}period;name;value;target\n2026-10;Support cost per ticket;17,02;17,5\n";
    let kpis = read(&[("content/kpis/a.csv", semicolons)]).unwrap();
    assert_eq!(kpis.kpis[0].values[0].value, Some(17.02));
    assert_eq!(kpis.kpis[0].values[0].target, Some(17.5));
    // "Schulungsstunden für Agenten" in Windows-1252: ü is the single byte 0xFC.
    let config = SITE.replace("\"Training hours\"", "\"Schulungsstunden für Agenten\"");
    let mut bytes = b"period,name,value\n2026-10,Schulungsstunden f".to_vec();
    bytes.extend([0xFC]);
    bytes.extend(b"r Agenten,6\n");
    let kpis = read_with(&config, &[("content/kpis/b.csv", &bytes)]).unwrap();
    assert_eq!(kpis.kpis[1].values[0].value, Some(6.0));
}

#[test]
fn an_unknown_kpi_is_pointed_at_with_the_nearest_declared_name() {
    let d = error(&[("content/kpis/a.csv", "period,name,value\n2026-10,Suport cost per ticket,17\n")]);
    assert_eq!(d.message, "unknown KPI `Suport cost per ticket`");
    assert_eq!(d.file.as_deref(), Some("content/kpis/a.csv"));
    assert_eq!(d.line_column(), Some((2, 9)));
    assert_eq!(d.help.as_deref(), Some("did you mean `Support cost per ticket`? Names are compared exactly"));
    let d = error(&[("content/kpis/a.csv", "period,name,value\n2026-10,Headcount,17\n")]);
    assert!(d.help.as_deref().unwrap().contains("[kpis.indicators]"), "{d}");
}

#[test]
fn bad_periods_and_numbers_name_their_cell_and_the_fix() {
    let d = error(&[("content/kpis/a.csv", "period,name,value\nOct 2026,Training hours,6\n")]);
    assert_eq!(d.message, "`Oct 2026` is not a period");
    assert_eq!(d.line_column(), Some((2, 1)));
    assert!(d.help.as_deref().unwrap().contains("`2026-Q3`"), "{d}");
    let d = error(&[(
        "content/kpis/a.csv",
        "period,name,value,target\n2026-09,Training hours,6,6\n2026-10,Support cost per ticket,18.40 €,18\n",
    )]);
    assert_eq!(d.message, "`18.40 €` is not a number");
    assert_eq!(d.line_column(), Some((3, 33)));
    assert!(d.render(false).contains("content/kpis/a.csv:3:33"), "{d}");
    for bad in ["1,234.5", "n/a", "NaN", "inf", "12%"] {
        let d = error(&[("content/kpis/a.csv", &format!("period,name,value\n2026-10,Training hours,\"{bad}\"\n"))]);
        assert_eq!(d.message, format!("`{bad}` is not a number"));
    }
    let d = error(&[("content/kpis/a.csv", "period,name,value,target\n2026-10,Training hours,6,six\n")]);
    assert_eq!((d.message.as_str(), d.line_column()), ("`six` is not a number", Some((2, 26))));
}

#[test]
fn columns_are_checked_against_the_four_known_headers() {
    let d = error(&[("content/kpis/a.csv", "period,name,amount\n2026-10,Training hours,6\n")]);
    assert_eq!(d.message, "content/kpis/a.csv has no `value` column");
    assert_eq!(d.line_column(), Some((1, 1)));
    let d = error(&[("content/kpis/a.csv", "period,name,value,taget\n2026-10,Training hours,6,7\n")]);
    assert_eq!(d.message, "unknown column `taget`");
    assert_eq!(d.line_column(), Some((1, 19)));
    assert!(d.help.as_deref().unwrap().starts_with("did you mean `target`?"), "{d}");
    let d = error(&[("content/kpis/a.csv", "period,name,value,value\n")]);
    assert_eq!(d.message, "two `value` columns");
}

#[test]
fn a_second_row_for_a_kpi_and_period_is_an_error_naming_the_first() {
    let d = error(&[
        ("content/kpis/a.csv", "period,name,value\n2026-10,Training hours,6\n"),
        ("content/kpis/b.csv", "period,name,value\n2026-09,Training hours,5\n2026-10,Training hours,7\n"),
    ]);
    assert_eq!(d.message, "`Training hours` has a second row for 2026-10");
    assert_eq!((d.file.as_deref(), d.line_column()), (Some("content/kpis/b.csv"), Some((3, 1))));
    assert_eq!(d.help.as_deref(), Some("content/kpis/a.csv, line 2 has it already; keep one row per KPI and period"));
}

#[test]
fn a_glob_matching_nothing_is_a_configuration_error() {
    let d = read_with(SITE, &[]).unwrap_err();
    assert_eq!(d.message, "no KPI file matches `content/kpis/*.csv`");
    assert_eq!(d.file.as_deref(), Some("site.toml"));
    let dir = tempfile::tempdir().unwrap();
    let config = Config::parse(SITE).unwrap();
    let error = read_kpis(&config, dir.path(), &dir.path().join("public")).unwrap_err();
    assert!(matches!(error, IngestError::Mapping(_)), "exit 2, like a missing export");
}

#[test]
fn a_file_belongs_to_one_kpis_entry() {
    let config = format!(
        "{SITE}[[kpis]]\npath = \"content/**/*.csv\"\n[kpis.indicators]\n\"Headcount\" = {{ perspective = \"learning\", better = \"higher\" }}\n"
    );
    let d = read_with(&config, &[("content/kpis/a.csv", b"period,name,value\n")]).unwrap_err();
    assert_eq!(d.message, "content/kpis/a.csv is matched by two [[kpis]] entries (number 1 and 2)");
}

#[test]
fn a_site_without_kpis_reads_nothing() {
    let config = Config::parse("title = \"T\"\n[[sources]]\npath = \"x\"\n").unwrap();
    assert_eq!(
        read_kpis(&config, Path::new("/nonexistent"), Path::new("/nonexistent/public")).unwrap(),
        Kpis::default()
    );
}
