//! Shortcodes on a tiny site whose figures are worked out by hand.
//!
//! January 2026: 12 CSAT answers, 8 of them 4 or 5 -> 66.7 %, Wilson 95 % interval 39.1–86.2;
//! mean 45 / 12 = 3.75. Email: 6 answers, 4 satisfied -> 66.7 %, interval 30.0–90.3.
//! Phone: 2 answers, below `min_group = 3`, so never published; and chat (4 answers) is
//! hidden too, or phone would be January minus email minus chat.
//! February: no responses. March: 3 answers from `<b>web</b>`, all satisfied.

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::site::{BuildOptions, Site};

const SITE: &str = r#"
title = "T"
timezone = "UTC"
periods = ["month"]
[[sources]]
path = "content/surveys/*.csv"
[sources.columns]
id = "id"
submitted_at = "at"
csat = "csat"
[sources.dimensions]
channel = "channel"
[privacy]
min_group = 3
"#;

const EXPORT: &str = "id,at,channel,csat
1,2026-01-05T10:00:00Z,email,5
2,2026-01-06T10:00:00Z,email,5
3,2026-01-07T10:00:00Z,email,4
4,2026-01-08T10:00:00Z,email,4
5,2026-01-09T10:00:00Z,email,3
6,2026-01-10T10:00:00Z,email,2
7,2026-01-11T10:00:00Z,chat,5
8,2026-01-12T10:00:00Z,chat,5
9,2026-01-13T10:00:00Z,chat,5
10,2026-01-14T10:00:00Z,chat,1
11,2026-01-15T10:00:00Z,phone,5
12,2026-01-16T10:00:00Z,phone,1
13,2026-03-02T10:00:00Z,<b>web</b>,5
14,2026-03-03T10:00:00Z,<b>web</b>,4
15,2026-03-04T10:00:00Z,<b>web</b>,5
";

/// Loads the site with `files` (path under content/, text) besides the export.
fn load(files: &[(&str, &str)]) -> Result<Site, Error> {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("site.toml", SITE);
    write("content/surveys/export.csv", EXPORT);
    for (path, text) in files {
        write(&format!("content/{path}"), text);
    }
    Site::load(&BuildOptions {
        root: dir.path().to_path_buf(),
        output: "public".into(),
        base_url: None,
        drafts: false,
        now: "2026-06-01T00:00:00Z".parse().unwrap(),
    })
}

/// The dashboard commentary's HTML for `body`.
fn html(body: &str) -> String {
    let site = load(&[("_index.md", body)]).unwrap_or_else(|e| panic!("{}", e.diagnostic()));
    site.content.index.unwrap().html
}

fn error(body: &str) -> Diagnostic {
    match load(&[("_index.md", &format!("+++\ntitle = \"Home\"\n+++\n\n{body}\n"))]) {
        Ok(_) => panic!("expected an error for {body}"),
        Err(e) => e.diagnostic(),
    }
}

#[test]
fn a_metric_is_the_hand_worked_figure_with_its_interval_and_n() {
    let out = html(r#"CSAT {{ metric(name="csat", period="2026-01") }}."#);
    assert_eq!(
        out,
        "<p>CSAT <span class=\"metric is-low-sample\" title=\"CSAT · January 2026 · 95% CI 39.1–86.2 · n = 12 · \
         Low sample\">66.7%<span class=\"low\" aria-label=\"Low sample\">*</span></span>.</p>\n"
    );
    let email = html(r#"{{ metric(name="csat", period="2026-01", where="channel=email") }}"#);
    assert!(email.contains(">66.7%<"), "{email}");
    assert!(email.contains("January 2026 · Channel = email · 95% CI 30.0–90.3 · n = 6"), "{email}");
    let shown = html(
        r#"{{ metric(name="csat", period="2026-01", show="ci") }} {{ metric(name="csat", period="2026-01", show="n") }}
{{ metric(name="responses", period="2026-01") }} {{ metric(name="csat_mean", period="2026-01") }}"#,
    );
    assert!(shown.contains(">95% CI 39.1–86.2<"), "{shown}");
    assert!(shown.contains(">n = 12<"), "{shown}");
    assert!(shown.contains("title=\"Responses · January 2026\">12<"), "{shown}");
    assert!(shown.contains(">3.75<"), "{shown}");
}

#[test]
fn the_default_period_is_the_reports_own_and_the_latest_on_the_dashboard() {
    let site = load(&[
        ("reports/2026-01.md", "{{ metric(name=\"responses\") }}"),
        ("_index.md", "{{ metric(name=\"responses\") }}"),
    ])
    .unwrap();
    let report = &site.content.reports.values().next().unwrap().html;
    assert!(report.contains("title=\"Responses · January 2026\">12<"), "{report}");
    // The latest complete month with responses is March.
    let index = &site.content.index.as_ref().unwrap().html;
    assert!(index.contains("title=\"Responses · March 2026\">3<"), "{index}");
}

#[test]
fn a_suppressed_figure_shows_why_and_never_a_number() {
    for channel in ["phone", "chat"] {
        let out = html(&format!(
            "{{{{ metric(name=\"csat\", period=\"2026-01\", where=\"channel={channel}\", show=\"full\") }}}}"
        ));
        assert_eq!(
            out, "<p><span class=\"metric is-suppressed\">Fewer than 3 responses: not shown</span></p>\n",
            "{channel}"
        );
    }
    let table = html(r#"{{ table(by="channel", period="2026-01") }}"#);
    assert!(
        table.contains("<th scope=\"row\"><a href=\"segments/channel/email/index.html\">email</a></th>"),
        "{table}"
    );
    assert!(!table.contains("phone") && !table.contains("chat"), "small groups are not even named: {table}");
}

#[test]
fn tables_and_charts_are_blocks_with_their_numbers() {
    let out = html(
        "Before {{ table(by=\"channel\", period=\"2026-01\") }} after\n\n{{ chart(kind=\"groups\", by=\"channel\", period=\"2026-01\") }}",
    );
    assert!(
        out.starts_with("<p>Before</p>\n<section class=\"segment\" aria-labelledby=\"commentary-segment-channel\">"),
        "{out}"
    );
    assert!(out.contains("<p>after</p>"), "{out}");
    assert!(
        out.contains(
            "<th scope=\"row\"><a href=\"segments/channel/email/index.html\">email</a></th>\n  <td class=\"num\">6</td>"
        ),
        "{out}"
    );
    assert!(out.contains("<figure class=\"figure\" id=\"commentary-chart-1\">"), "{out}");
    assert!(out.contains("CSAT by channel"), "{out}");
    assert!(!out.contains("<p><figure") && !out.contains("<p><section"), "{out}");
}

#[test]
fn text_from_the_data_is_escaped() {
    let out = html(r#"{{ metric(name="csat", period="2026-03", where="channel=<b>web</b>") }}"#);
    assert!(out.contains("Channel = &lt;b&gt;web&lt;/b&gt;"), "{out}");
    assert!(!out.contains("<b>"), "{out}");
    assert!(out.contains(">100.0%<"), "{out}");
}

#[test]
fn code_and_escapes_are_left_as_text() {
    let out = html("`{{ metric(name=\"nope\") }}`\n\n```\n{{ nonsense\n```\n\nWrite {{/* metric(name=\"csat\") */}}.");
    assert!(out.contains("<code>{{ metric(name=\"nope\") }}</code>"), "{out}");
    assert!(out.contains("<pre><code>{{ nonsense\n</code></pre>"), "{out}");
    assert!(out.contains("<p>Write {{ metric(name=&quot;csat&quot;) }}.</p>"), "{out}");
}

#[test]
fn every_error_names_the_file_line_and_column_and_what_to_do() {
    // The body starts on line 5 of the file; each shortcode is placed after "x ".
    let cases: [(&str, &str, &str); 14] = [
        (r#"{{ metrik(name="csat") }}"#, "there is no shortcode `metrik`", "did you mean `metric`?"),
        (
            r#"{{ metric(name="csat", peroid="2026-01") }}"#,
            "`metric` has no argument `peroid`",
            "did you mean `period`?",
        ),
        (r#"{{ metric() }}"#, "`metric` needs a `name` argument", "`csat`, `csat_mean`, `nps`"),
        (r#"{{ metric(name=5) }}"#, "`name` must be a string, not a whole number", "name=\"…\""),
        (r#"{{ metric(name="cast") }}"#, "`cast` is not a `name` of metric(…)", "did you mean `csat`?"),
        (r#"{{ metric(name="csat", period="2026-13") }}"#, "`2026-13` is not a period", "\"2026-Q3\""),
        (
            r#"{{ metric(name="csat", period="2025-05") }}"#,
            "no response falls in May 2025 (2025-05)",
            "2026-01-05 to 2026-03-04",
        ),
        (
            r#"{{ metric(name="csat", where="chanel=email") }}"#,
            "`chanel` is not a dimension",
            "did you mean `channel`?",
        ),
        (
            r#"{{ metric(name="csat", where="channel=emial") }}"#,
            "no response has channel = \"emial\"",
            "did you mean `email`?",
        ),
        (r#"{{ metric(name="csat", where="email") }}"#, "`email` is not a condition", "\"channel=email\""),
        (
            r#"{{ metric(name="csat", period="all", show="change") }}"#,
            "a change is against the previous period, and all time has none",
            "period=",
        ),
        (r#"{{ metric(name="transfers") }}"#, "no response answers `transfers`", "[sources.measures]"),
        (r#"{{ chart(kind="trend", periods="6") }}"#, "`periods` must be a whole number, not a string", "periods=13"),
        (r#"{{ table(by="agent") }}"#, "`agent` is not a dimension", "`channel`"),
    ];
    for (shortcode, message, help) in cases {
        let d = error(&format!("x {shortcode}"));
        assert_eq!(d.message, message, "{shortcode}");
        assert_eq!(d.file.as_deref(), Some("content/_index.md"), "{shortcode}");
        let (line, column) = d.line_column().unwrap();
        assert_eq!(line, 5, "{shortcode}");
        assert!(column >= 3, "{shortcode}");
        assert!(d.help.as_deref().unwrap_or("").contains(help), "{shortcode}: {:?}", d.help);
    }
    let d = error(r#"x {{ metric(name="csat", peroid="2026-01") }}"#);
    assert_eq!(d.line_column(), Some((5, 26)));
    assert!(d.to_string().contains("content/_index.md:5:26"), "{d}");
}

#[test]
fn syntax_errors_stop_the_build_with_their_place() {
    let d = error("Line\n{{ metric(name=\"csat\" }}");
    assert_eq!(d.message, "expected `,` or `)` after an argument");
    assert_eq!(d.line_column(), Some((6, 23)));
}

#[test]
fn a_trend_by_a_dimension_draws_everyone_and_each_published_group() {
    let out = html(r#"{{ chart(kind="trend", by="channel", period="2026-03", periods=3) }}"#);
    assert!(out.contains("CSAT % by month, by Channel"), "{out}");
    // All time, phone (2) is below min_group and <b>web</b> (3) is hidden with it, or phone would be
    // the total minus the rest: the lines are email (6) and chat (4), largest first.
    let head = "<th scope=\"col\">Period</th><th scope=\"col\">All customers</th><th scope=\"col\">95% interval</th>\
                <th scope=\"col\">n</th><th scope=\"col\">email</th><th scope=\"col\">95% interval</th>\
                <th scope=\"col\">n</th><th scope=\"col\">chat</th>";
    assert!(out.contains(head), "{out}");
    assert!(!out.contains("phone") && !out.contains("web</th>"), "{out}");
    // January: everyone 8/12, email 4/6 (Wilson 30.0–90.3), chat hidden that month.
    let january = &out[out.find("<th scope=\"row\">January 2026</th>").expect("a January row")..];
    let january = &january[..january.find("</tr>").unwrap()];
    assert_eq!(
        january,
        "<th scope=\"row\">January 2026</th><td>66.7%</td><td>39.1–86.2</td><td>12</td>\
         <td>66.7%</td><td>30.0–90.3</td><td>6</td><td>—</td><td>—</td><td>—</td>"
    );
}
