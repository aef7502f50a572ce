//! The command line, as a user meets it: commands, exit codes, messages, files.

mod common;

use common::{assert_same_files, rapport, read, site, stderr, stdout, tree};

#[test]
fn help_lists_only_the_commands_that_work() {
    let dir = tempfile::tempdir().unwrap();
    let out = rapport(dir.path(), &["--help"]);
    assert!(out.status.success());
    let text = stdout(&out);
    let commands: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // Wrapped descriptions continue on deeper-indented lines.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(commands, ["init", "build", "serve", "check", "metrics"]);
}

#[test]
fn unknown_commands_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(rapport(dir.path(), &["publish"]).status.code(), Some(2));
}

#[test]
fn build_writes_every_page_and_says_where_to_open_it() {
    let dir = site("small");
    let out = rapport(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Built 24 pages from 120 responses (2 rejected, 40 duplicates)"), "{text}");
    assert!(text.contains("public/index.html"), "{text}");
    let files = tree(&dir.path().join("public"));
    for path in [
        "index.html",
        "reports/index.html",
        "reports/2026-01/index.html",
        "reports/2026-02/index.html",
        "reports/2026-03/index.html",
        "reports/2026-q1/index.html",
        "cases/index.html",
        "cases/globex/index.html",
        "methodology/index.html",
        "scorecard/index.html",
        "data/metrics.json",
        "style.css",
        "fonts/roboto-400.woff2",
    ] {
        assert!(files.contains_key(path), "{path} is missing");
    }
    // Rejected rows are listed with file, line and column.
    let err = stderr(&out);
    assert!(
        err.contains("content/surveys/2026-q1-part2.csv:82 (column `Satisfaction`): CSAT `9` is outside the scale 1–5"),
        "{err}"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let dir = site("small");
    assert!(rapport(dir.path(), &["build", "--output", "one"]).status.success());
    assert!(rapport(dir.path(), &["build", "--output", "two"]).status.success());
    assert_same_files(&dir.path().join("one"), &dir.path().join("two"), "between builds");
}

#[test]
fn a_broken_site_toml_names_the_key_and_line_and_keeps_the_previous_site() {
    let dir = site("small");
    assert!(rapport(dir.path(), &["build"]).status.success());
    let before = tree(&dir.path().join("public"));
    let config = read(dir.path(), "site.toml").replace("timezone = ", "time_zone = ");
    std::fs::write(dir.path().join("site.toml"), config).unwrap();
    let out = rapport(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("unknown key `time_zone`"), "{err}");
    assert!(err.contains("site.toml:5:1"), "{err}");
    assert!(err.contains("did you mean `timezone`?"), "{err}");
    assert!(err.contains("time_zone = \"America/New_York\""), "{err}");
    assert_eq!(tree(&dir.path().join("public")), before, "the previous site is untouched");
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("rapport"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_failing_template_keeps_the_previous_site() {
    let dir = site("small");
    assert!(rapport(dir.path(), &["build"]).status.success());
    let before = tree(&dir.path().join("public"));
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/page.html"),
        "{% extends \"base.html\" %}{% block content %}{{ page.nonexistent.field }}{% endblock content %}",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("templates/report.html"),
        "{% extends \"base.html\" %}{% block content %}{{ page.missing }}{% endblock content %}",
    )
    .unwrap();
    let out = rapport(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("report.html"), "{err}");
    assert!(err.contains("templates/report.html"), "{err}");
    assert_eq!(tree(&dir.path().join("public")), before);
}

#[test]
fn on_error_fail_stops_with_file_line_and_column() {
    let dir = site("small");
    let config = read(dir.path(), "site.toml")
        .replace("path = \"content/surveys/*.csv\"", "path = \"content/surveys/*.csv\"\non_error = \"fail\"");
    std::fs::write(dir.path().join("site.toml"), config).unwrap();
    let out = rapport(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("content/surveys/2026-q1-part2.csv:82:"), "{err}");
    assert!(err.contains("CSAT `9` is outside the scale 1–5"), "{err}");
    assert!(!dir.path().join("public").exists(), "nothing is written");
    // `rapport check` fails the same way, and says where in JSON for a CI job.
    let out = rapport(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let error = &report["errors"][0];
    assert_eq!(error["file"], "content/surveys/2026-q1-part2.csv");
    assert_eq!(error["line"], 82);
    assert!(error["message"].as_str().unwrap().contains("outside the scale"), "{error}");
}

#[test]
fn a_minimal_site_builds_with_defaults() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.toml"), "title = \"Minimal\"\n[[sources]]\npath = \"*.csv\"\n").unwrap();
    std::fs::write(dir.path().join("export.csv"), "id,submitted_at,csat\n1,2026-01-01,5\n2,2026-01-02,4\n3,2026-01-03,5\n4,2026-01-04,2\n5,2026-01-05,5\n6,2026-01-06,4\n").unwrap();
    let out = rapport(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = read(dir.path(), "public/index.html");
    assert!(html.contains("83.3%"), "5 of 6 satisfied");
    assert!(html.contains("tile-csat"));
    assert!(!html.contains("tile-nps") && !html.contains("tile-ces"), "no tiles for questions the exports do not ask");
}

#[test]
fn init_creates_a_site_that_builds_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let out = rapport(dir.path(), &["init", "acme-support"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let site = dir.path().join("acme-support");
    assert!(read(&site, "site.toml").contains("title = \"Acme support — Customer Satisfaction\""));
    assert!(rapport(&site, &["build"]).status.success());
    let again = rapport(dir.path(), &["init", "acme-support"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("is not empty"), "{}", stderr(&again));
}

#[test]
fn init_demo_writes_the_repository_demo() {
    let dir = tempfile::tempdir().unwrap();
    assert!(rapport(dir.path(), &["init", "--demo", "demo"]).status.success());
    let demo = dir.path().join("demo");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for path in ["site.toml", "content/_index.md", "content/surveys/northwind-2026-10.csv"] {
        assert_eq!(std::fs::read(demo.join(path)).unwrap(), std::fs::read(root.join(path)).unwrap(), "{path}");
    }
    let out = rapport(&demo, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn responses_kept_on_disk_build_the_same_site_as_in_memory() {
    // The demo has copies of responses across exports, conflicts, customers with several
    // surveys, topics, sent counts and case studies: everything counted from partitions.
    let dir = tempfile::tempdir().unwrap();
    assert!(rapport(dir.path(), &["init", "--demo", "demo"]).status.success());
    let demo = dir.path().join("demo");
    assert!(rapport(&demo, &["build", "--output", "memory"]).status.success());
    let out =
        common::command(&demo).args(["build", "--output", "disk"]).env("RAPPORT_SPILL_ABOVE_MB", "0").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_same_files(&demo.join("memory"), &demo.join("disk"), "when the responses wait on disk");
}

#[test]
fn a_temporary_folder_that_cannot_be_used_stops_the_build_and_says_so() {
    let dir = site("small");
    let out = common::command(dir.path())
        .arg("build")
        .env("RAPPORT_SPILL_ABOVE_MB", "0")
        .env("TMPDIR", dir.path().join("no such folder"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("temporary folder") && err.contains("TMPDIR"), "{err}");
    assert!(!dir.path().join("public").exists(), "nothing is written");
}

/// Ctrl-C during a build removes the temporary partitions (they hold comments as read). The
/// signal is sent while the demo's exports are being read; a build that wins the race ends
/// normally, which must leave nothing behind either.
#[cfg(unix)]
#[test]
fn an_interrupted_build_leaves_no_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    assert!(rapport(dir.path(), &["init", "--demo", "demo"]).status.success());
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let mut child = common::command(&dir.path().join("demo"))
        .arg("build")
        .env("RAPPORT_SPILL_ABOVE_MB", "0")
        .env("TMPDIR", &tmp)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the partitions exist, then interrupt.
    let started = std::time::Instant::now();
    while std::fs::read_dir(&tmp).unwrap().next().is_none() && started.elapsed().as_secs() < 20 {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let _ = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status();
    child.wait().unwrap();
    let left: Vec<_> = std::fs::read_dir(&tmp).unwrap().collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn the_output_may_not_hold_the_sites_own_files() {
    let dir = site("small");
    for output in [".", "content", "..", "content/public"] {
        let out = rapport(dir.path(), &["build", "--output", output]);
        assert_eq!(out.status.code(), Some(2), "--output {output}");
        assert!(stderr(&out).contains("refusing to build into"), "{}", stderr(&out));
    }
    assert!(dir.path().join("content/surveys/2026-q1-part1.csv").exists());
}

#[test]
fn base_url_can_be_replaced_on_the_command_line() {
    let dir = site("small");
    assert!(rapport(dir.path(), &["build", "--base-url", "https://staging.example/"]).status.success());
    let html = read(dir.path(), "public/reports/2026-02/index.html");
    assert!(html.contains("<link rel=\"canonical\" href=\"https://staging.example/reports/2026-02/\">"), "{html}");
}

#[test]
fn an_invalid_source_date_epoch_is_a_usage_error() {
    let dir = site("small");
    let out = common::command(dir.path()).arg("build").env("SOURCE_DATE_EPOCH", "yesterday").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("SOURCE_DATE_EPOCH"));
}

#[test]
fn no_site_here_says_how_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let out = rapport(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("no site.toml"), "{err}");
    assert!(err.contains("rapport init"), "{err}");
}

#[test]
fn a_base_url_must_be_an_address() {
    let dir = site("small");
    let out = rapport(dir.path(), &["build", "--base-url", "javascript:alert(1)"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is not a URL"), "{}", stderr(&out));
}

#[test]
fn a_folder_that_is_not_an_earlier_build_is_never_replaced() {
    let dir = site("small");
    std::fs::create_dir_all(dir.path().join("thesis")).unwrap();
    std::fs::write(dir.path().join("thesis/chapter-1.txt"), "years of work").unwrap();
    let out = rapport(dir.path(), &["build", "--output", "thesis"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("holds files that rapport did not write"), "{}", stderr(&out));
    assert!(dir.path().join("thesis/chapter-1.txt").exists());
}

#[test]
fn a_filter_that_matches_nothing_is_a_warning_with_the_likely_value() {
    let dir = site("small");
    let case = read(dir.path(), "content/cases/globex.md").replace("account = \"Globex\"", "account = \"globex\"");
    std::fs::write(dir.path().join("content/cases/globex.md"), case).unwrap();
    let out = rapport(dir.path(), &["build"]);
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(err.contains("`account = \"globex\"` matches no response"), "{err}");
    assert!(err.contains("did you mean `Globex`?"), "{err}");
}

#[test]
fn one_customer_with_a_tenth_of_the_responses_is_a_warning_that_does_not_name_them() {
    let dir = site("small");
    assert!(!stderr(&rapport(dir.path(), &["build"])).contains("one customer answered"), "the fixture has none");
    // 1,200 more responses, 1,100 of them from customer `ANON-000`.
    let mut csv = String::from(
        "Response ID,Submitted,Customer,Account,Channel,Satisfaction,Recommend,Effort,Transfers,Comment\n",
    );
    for i in 0..1200 {
        let customer = if i < 1100 { "ANON-000".to_string() } else { format!("C-{i}") };
        csv += &format!("B-{i:04},2026-03-{:02}T10:00:00-05:00,{customer},Globex,email,4,8,,0,\n", 1 + i % 28);
    }
    std::fs::write(dir.path().join("content/surveys/2026-q1-part3.csv"), csv).unwrap();
    let out = rapport(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("one customer answered 1100 of the"), "{err}");
    assert!(err.contains("leave those cells empty"), "{err}");
    assert!(!err.contains("ANON-000"), "the value is not named: {err}");
}

/// Replaces the fixture's single target with `targets` (TOML).
fn with_targets(dir: &std::path::Path, targets: &str) {
    let path = dir.join("site.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replace("[[targets]]\nmetric = \"csat\"\nmin = 70\n", targets);
    std::fs::write(path, text).unwrap();
}

#[test]
fn check_passes_when_every_target_is_met_and_writes_nothing() {
    let dir = site("small");
    let out = rapport(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    // March 2026: 32 of 40 satisfied (counted by hand from the fixture) = 80.0 %.
    assert!(
        text.contains("✓ met: CSAT was 80.0 % (95 % interval 65.2–89.5 %, n = 40); the target is at least 70.0 %."),
        "{text}"
    );
    assert!(text.contains("2 rows rejected"), "{text}");
    assert!(!dir.path().join("public").exists(), "check never writes the site");
}

#[test]
fn check_fails_on_a_missed_target_and_says_by_how_much() {
    let dir = site("small");
    with_targets(dir.path(), "[[targets]]\nmetric = \"csat\"\nmin = 95\n[[targets]]\nmetric = \"nps\"\nmax = 90\n");
    let out = rapport(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("✗ MISSED by 15.0 points: CSAT was 80.0 %"), "{text}");
    // The interval (65.2–89.5) does not reach 95: not chance.
    assert!(text.contains("the shortfall is real"), "{text}");
    assert!(text.contains("1 of 2 targets missed."), "{text}");
}

#[test]
fn check_reports_json_for_ci_jobs() {
    let dir = site("small");
    with_targets(dir.path(), "[[targets]]\nmetric = \"csat\"\nmin = 85\nwhere = { channel = \"chat\" }\n");
    let out = rapport(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], false);
    let target = &report["targets"][0];
    assert_eq!(target["status"], "missed");
    assert_eq!(target["period"], "2026-03");
    assert_eq!(target["where"]["channel"], "chat");
    // March, chat: 19 of 26 satisfied (by hand) = 73.08 %.
    assert_eq!(target["n"], 26);
    assert!((target["value"].as_f64().unwrap() - 1900.0 / 26.0).abs() < 1e-9);
    assert_eq!(report["inputs"]["rows_rejected"], 2);
    assert_eq!(report["inputs"]["rejections"][0]["line"], 82);
}

#[test]
fn check_shows_configuration_errors_as_json_too() {
    let dir = site("small");
    with_targets(dir.path(), "[[targets]]\nmetric = \"csatt\"\nmin = 85\n");
    let out = rapport(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], false);
    let error = &report["errors"][0];
    assert_eq!(error["file"], "site.toml");
    assert!(error["line"].as_u64().is_some(), "{error}");
    assert!(stderr(&out).contains("csatt"), "people still get the message on stderr");
}

#[test]
fn metrics_prints_a_table_with_intervals_and_n() {
    let dir = site("small");
    let out = rapport(dir.path(), &["metrics", "--period", "2026-03", "--by", "channel"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("period   channel  responses  CSAT %"), "{text}");
    assert!(text.contains("2026-03  chat            26   73.1*  53.9–86.3  26"), "{text}");
    assert!(text.contains("* fewer than 30 answers"), "{text}");
}

#[test]
fn metrics_writes_json_and_csv_with_the_same_figures() {
    let dir = site("small");
    let json = rapport(dir.path(), &["metrics", "--by", "channel", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let email = rows.as_array().unwrap().iter().find(|r| r["group"]["channel"] == "email").unwrap();
    let csv = stdout(&rapport(dir.path(), &["metrics", "--by", "channel", "--format", "csv"]));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let head = reader.headers().unwrap().clone();
    let record = reader.records().map(Result::unwrap).find(|r| &r[2] == "email").unwrap();
    let column = |name: &str| record[head.iter().position(|h| h == name).unwrap()].to_string();
    assert_eq!(column("csat_n"), email["metrics"]["csat"]["n"].to_string());
    let percent: f64 = column("csat_percent").parse().unwrap();
    assert!((percent - email["metrics"]["csat"]["percent"].as_f64().unwrap()).abs() < 1e-6);
    assert_eq!(&record[0], "all");
}

#[test]
fn metrics_cross_tabs_two_dimensions_and_withholds_small_cells() {
    let dir = site("small");
    let out = rapport(dir.path(), &["metrics", "--by", "channel,account", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for row in rows.as_array().unwrap() {
        assert!(row["group"]["channel"].is_string() && row["group"]["account"].is_string());
        assert!(row["metrics"]["responses"].as_u64().unwrap() >= 5);
    }
}

#[test]
fn metrics_names_unknown_groupings_and_periods() {
    let dir = site("small");
    let out = rapport(dir.path(), &["metrics", "--by", "chanel"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean `channel`?"), "{}", stderr(&out));
    let out = rapport(dir.path(), &["metrics", "--period", "2026-13"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--period `2026-13` names no period"), "{}", stderr(&out));
}

#[test]
fn a_static_file_that_would_overwrite_a_generated_one_is_a_configuration_error() {
    let dir = site("small");
    std::fs::create_dir_all(dir.path().join("static")).unwrap();
    std::fs::write(dir.path().join("static/feed.xml"), "<feed/>").unwrap();
    let out = rapport(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("static/feed.xml would overwrite the generated feed.xml"), "{}", stderr(&out));
}

#[test]
fn an_unknown_filter_in_a_template_names_the_template_line_and_column() {
    let dir = site("small");
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/page.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ page.html | nosuchfilter }}</p>\n{% endblock content %}\n",
    )
    .unwrap();
    let out = rapport(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("template error: Unknown filter `nosuchfilter`"), "{err}");
    assert!(err.contains("--> templates/page.html:3:19"), "{err}");
}
