//! Response rates and survey fatigue on a built site: every output that shows them, the
//! diagnostics of bad sent files, and customers counted but never named.

mod common;

use std::path::Path;

use common::{rapport, read, site, stderr, tree};

fn built(dir: &Path) {
    let out = rapport(dir, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

fn edit(dir: &Path, path: &str, from: &str, to: &str) {
    let text = read(dir, path);
    assert!(text.contains(from), "{path} lacks {from:?}");
    std::fs::write(dir.join(path), text.replacen(from, to, 1)).unwrap();
}

fn json(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&read(dir, "public/data/metrics.json")).unwrap()
}

fn period<'a>(json: &'a serde_json::Value, kind: &str, key: &str) -> &'a serde_json::Value {
    json["periods"][kind].as_array().unwrap().iter().find(|p| p["key"] == key).unwrap()
}

fn close(a: &serde_json::Value, b: f64) -> bool {
    (a.as_f64().unwrap() - b).abs() < 1e-9
}

#[test]
fn response_rates_are_published_with_their_interval_n_and_change() {
    let dir = site("small");
    built(dir.path());
    let json = json(dir.path());
    // content/sent/sent.csv: February sent 56 + 52 + 65 = 173; the month has 40 responses.
    let feb = &period(&json, "month", "2026-02")["response_rate"];
    assert_eq!((feb["responses"].as_u64(), feb["sent"].as_u64()), (Some(40), Some(173)));
    // proportion_confint(40, 173, method='wilson') = (0.17463968814790526, 0.29946553231232614)
    assert!(close(&feb["ci"][0], 17.463968814790526) && close(&feb["ci"][1], 29.946553231232614), "{feb}");
    // January: 40 of 70 + 40 + 52 = 162. proportions_ztest([40, 40], [173, 162]) = (-0.3368…, 0.7362633731596784)
    assert!((feb["change"]["p_value"].as_f64().unwrap() - 0.7362633731596784).abs() < 1e-9);
    assert!(close(&feb["change"]["delta"], 100.0 * (40.0 / 173.0 - 40.0 / 162.0)));
    // The quarter adds up its three months: 120 responses of 535 surveys.
    let q1 = &period(&json, "quarter", "2026-Q1")["response_rate"];
    assert_eq!((q1["responses"].as_u64(), q1["sent"].as_u64()), (Some(120), Some(535)));
    // proportion_confint(120, 535, method='wilson') = (0.19099064630823362, 0.26153848787228096)
    assert!(close(&q1["ci"][0], 19.099064630823362) && close(&q1["ci"][1], 26.153848787228096));
    let email = &period(&json, "month", "2026-02")["response_rates"]["channel"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["value"] == "email")
        .unwrap()["response_rate"];
    // proportion_confint(14, 56, method='wilson') = (0.15517054688270682, 0.376926421476675)
    assert!(close(&email["percent"], 25.0) && close(&email["ci"][0], 15.517054688270682));

    let report = read(dir.path(), "public/reports/2026-02/index.html");
    assert!(report.contains("<h2 id=\"response-rate-heading\">Response rate</h2>"));
    assert!(report.contains("<p class=\"tile-meta\">95% CI 17.5–29.9 · 173 sent</p>"), "rate, interval and n");
    assert!(report.contains("vs January 2026 · p = 0.736"));
    assert!(report.contains("Web &lt;b&gt;form&lt;/b&gt;"), "sent values are escaped like any export text");

    let csv = read(dir.path(), "public/data/2026-02.csv");
    let row: Vec<&str> =
        csv.lines().find(|l| l.starts_with("2026-02,all,,response_rate,")).unwrap().split(',').collect();
    let number = |i: usize| row[i].parse::<f64>().unwrap();
    assert_eq!(row[4], "173");
    assert!((number(5) - 100.0 * 40.0 / 173.0).abs() < 1e-9 && (number(6) - 17.463968814790526).abs() < 1e-9);
    assert_eq!((row[9].parse::<f64>().unwrap() * 1e6).round(), 736263.0);
    assert!(csv.contains("2026-02,channel,email,surveys_sent,56,56,"));
    let quality = read(dir.path(), "public/data-quality/index.html");
    assert!(
        quality.contains("<code>content/sent/sent.csv</code></th><td class=\"num\">9</td><td class=\"num\">9</td>")
    );
    let methodology = read(dir.path(), "public/methodology/index.html");
    assert!(methodology.contains("Response rate = responses ÷ surveys sent"));
}

#[test]
fn a_period_the_sent_counts_do_not_cover_in_whole_periods_has_no_rate() {
    let dir = site("small");
    edit(dir.path(), "site.toml", "periods = [\"month\", \"quarter\"]", "periods = [\"week\", \"month\", \"quarter\"]");
    // March goes missing for chat: neither March nor the quarter can be added up any more.
    edit(dir.path(), "content/sent/sent.csv", "2026-03,chat,130\n", "");
    built(dir.path());
    let json = json(dir.path());
    assert!(period(&json, "month", "2026-02").get("response_rate").is_some());
    for (kind, key) in [("month", "2026-03"), ("quarter", "2026-Q1"), ("week", "2026-W06")] {
        assert!(period(&json, kind, key).get("response_rate").is_none(), "{key}");
    }
    // Email still covers March on its own.
    assert!(period(&json, "month", "2026-03")["response_rates"]["channel"][0]["value"] == "email");
    let week = read(dir.path(), "public/reports/2026-w06/index.html");
    assert!(week.contains("The sent counts do not cover"), "a monthly count is never split into weeks");
    assert!(!week.contains("fatigue-heading"), "the monthly limit says nothing about a week");
}

#[test]
fn more_responses_than_surveys_sent_is_a_warning_and_never_a_rate_above_100_percent() {
    let dir = site("small");
    edit(dir.path(), "content/sent/sent.csv", "2026-03,chat,130", "2026-03,chat,20");
    let out = rapport(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("2026-03, channel = chat: 26 responses but 20 surveys sent"), "{}", stderr(&out));
    let quality = read(dir.path(), "public/data-quality/index.html");
    assert!(
        quality.contains("2026-03, channel = chat: 26 responses but 20 surveys sent, so no response rate is shown")
    );
    let march = read(dir.path(), "public/reports/2026-03/index.html");
    assert!(march.contains("chat: 26 responses but only 20 surveys sent"));
    let json = json(dir.path());
    for p in json["periods"]["month"].as_array().unwrap().iter().chain(json["periods"]["quarter"].as_array().unwrap()) {
        let rates = std::iter::once(&p["response_rate"])
            .chain(p["response_rates"]["channel"].as_array().into_iter().flatten().map(|g| &g["response_rate"]));
        for rate in rates.filter(|r| !r.is_null()) {
            assert!(rate["percent"].as_f64().unwrap() <= 100.0 && rate["ci"][1].as_f64().unwrap() <= 100.0);
        }
    }
    assert!(
        period(&json, "month", "2026-03")["response_rates"]["channel"]
            .as_array()
            .unwrap()
            .iter()
            .all(|g| g["value"] != "chat")
    );
}

#[test]
fn bad_sent_files_stop_the_build_at_their_file_line_and_column() {
    // (replace, with, exit code, what stderr must say)
    let cases = [
        ("2026-02,chat,52", "2026-02,chat,5.5", 1, "content/sent/sent.csv:6:14"),
        ("2026-02,chat,52", "2026-02,chat,-52", 1, "the count -52 is negative"),
        ("2026-02,chat,52", "Feb 2026,chat,52", 1, "`Feb 2026` is not a day or a period"),
        ("Month,Channel,Sent", "Month,Channel,Count", 2, "content/sent/sent.csv has no column `Sent`"),
        (
            "2026-02,chat,52",
            "2026-02,chat,52\n2026-02-10,chat,5",
            1,
            "content/sent/sent.csv:6 and content/sent/sent.csv:7 overlap",
        ),
    ];
    for (from, to, code, message) in cases {
        let dir = site("small");
        edit(dir.path(), "content/sent/sent.csv", from, to);
        let out = rapport(dir.path(), &["build"]);
        assert_eq!(out.status.code(), Some(code), "{to}: {}", stderr(&out));
        assert!(stderr(&out).contains(message), "{to}: {}", stderr(&out));
        assert!(!dir.path().join("public").exists(), "a failed build writes nothing");
    }
    // A value no response has is a warning, not an error.
    let dir = site("small");
    edit(dir.path(), "content/sent/sent.csv", "2026-01,chat,40", "2026-01,Chat,40");
    let out = rapport(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("no response has channel = Chat"), "{}", stderr(&out));
    assert!(stderr(&out).contains("did you mean `chat`?"), "{}", stderr(&out));
}

#[test]
fn survey_fatigue_warns_on_the_report_and_counts_customers_without_naming_them() {
    let dir = site("small");
    // Six customers answered three surveys in February (by hand from the exports); a limit of 2 flags them.
    edit(dir.path(), "site.toml", "[privacy]", "[stats]\nmax_surveys_per_customer = 2\n\n[privacy]");
    built(dir.path());
    let report = read(dir.path(), "public/reports/2026-02/index.html");
    assert!(report.contains("February 2026: 6 customers answered more than 2 surveys in one month."), "the callout");
    assert!(report.contains("<th scope=\"row\">more than 2</th><td class=\"num\">6</td>"));
    let json = json(dir.path());
    let fatigue = &period(&json, "month", "2026-02")["survey_fatigue"];
    assert_eq!(fatigue["customers"], 17);
    assert_eq!(fatigue["above_max"], 6);
    assert_eq!(fatigue["by_busiest_month"][1]["customers"], 11, "eleven customers answered twice");
    // The quarter counts each of the 17 customers once, by their busiest month.
    assert_eq!(period(&json, "quarter", "2026-Q1")["survey_fatigue"]["customers"], 17);

    let ids: Vec<String> = read(dir.path(), "content/surveys/2026-q1-part1.csv")
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap().to_string())
        .collect();
    assert!(ids.len() > 50);
    for (path, bytes) in tree(&dir.path().join("public")) {
        let text = String::from_utf8_lossy(&bytes);
        for id in &ids {
            assert!(!text.contains(id.as_str()), "{path} publishes the customer id {id}");
        }
    }
}

#[test]
fn the_demos_october_rates_and_fatigue_match_pandas() {
    // Worked out from content/surveys/*.csv and content/sent/northwind-sent.csv with pandas:
    //   df = concat(read_csv(f, dtype=str) for f in sorted(glob(...))).drop_duplicates('response_id', keep='last')
    //   drop the rejected rows (ids R-X…); month = submitted_at in Europe/Berlin, '%Y-%m'
    //   October: 974 responses of 4530 sent; chat 303/1000, email 284/1904, whatsapp 96/341;
    //   proportion_confint(974, 4530, method='wilson') = (0.20329155675996072, 0.2272134524135165);
    //   customers by responses in October: 642 in all; 441 once, 115 twice, 54 three times, 32 more;
    //   2026-Q3: 2748 of 12374; by busiest month 781, 240, 87, 70 of 1178 customers.
    let out = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let built = rapport(root, &["build", "--quiet", "--output", out.path().to_str().unwrap()]);
    assert!(built.status.success(), "{}", stderr(&built));
    let json: serde_json::Value = serde_json::from_str(&read(out.path(), "data/metrics.json")).unwrap();
    let october = period(&json, "month", "2026-10");
    let rate = &october["response_rate"];
    assert_eq!((rate["responses"].as_u64(), rate["sent"].as_u64()), (Some(974), Some(4530)));
    assert!(close(&rate["ci"][0], 20.329155675996072) && close(&rate["ci"][1], 22.72134524135165), "{rate}");
    let channel = |name: &str| {
        let groups = october["response_rates"]["channel"].as_array().unwrap();
        let g = &groups.iter().find(|g| g["value"] == name).unwrap()["response_rate"];
        (g["responses"].as_u64().unwrap(), g["sent"].as_u64().unwrap())
    };
    assert_eq!((channel("chat"), channel("email"), channel("whatsapp")), ((303, 1000), (284, 1904), (96, 341)));
    let buckets = |p: &serde_json::Value| -> Vec<u64> {
        let f = &p["survey_fatigue"];
        let mut counts = vec![f["customers"].as_u64().unwrap()];
        counts.extend(f["by_busiest_month"].as_array().unwrap().iter().map(|b| b["customers"].as_u64().unwrap()));
        counts
    };
    assert_eq!(buckets(october), [642, 441, 115, 54, 32]);
    let q3 = period(&json, "quarter", "2026-Q3");
    assert_eq!(
        (q3["response_rate"]["responses"].as_u64(), q3["response_rate"]["sent"].as_u64()),
        (Some(2748), Some(12374))
    );
    assert_eq!(buckets(q3), [1178, 781, 240, 87, 70]);
    // The demo's customers do answer more than three surveys a month: the report says so.
    let report = read(out.path(), "reports/2026-10/index.html");
    assert!(report.contains("October 2026: 32 customers answered more than 3 surveys in one month."));
}
