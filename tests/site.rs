//! What a built site contains: pages, links, figures, data, escaping, overrides.

mod common;

use std::path::Path;

use common::{rapport, read, site, stderr, tree};

fn built(name: &str) -> tempfile::TempDir {
    let dir = site(name);
    let out = rapport(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    dir
}

#[test]
fn every_internal_link_leads_to_a_file() {
    let dir = built("small");
    let public = dir.path().join("public");
    let files = tree(&public);
    let mut checked = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        for link in html.split("href=\"").skip(1).map(|rest| &rest[..rest.find('"').unwrap()]) {
            if link.starts_with("http") || link.starts_with('#') {
                continue;
            }
            let target = Path::new(path).parent().unwrap().join(link.split('#').next().unwrap());
            let target = common_normalize(&target);
            assert!(files.contains_key(&target), "{path} links to {link}, which does not exist");
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} links checked");
}

fn common_normalize(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

#[test]
fn metrics_json_follows_the_documented_schema() {
    let dir = built("small");
    let json: serde_json::Value = serde_json::from_str(&read(dir.path(), "public/data/metrics.json")).unwrap();
    assert_eq!(json["generator"], format!("rapport {}", env!("CARGO_PKG_VERSION")));
    let inputs = &json["inputs"];
    assert_eq!(inputs["rows_read"], 162);
    assert_eq!(inputs["rows_used"], 120);
    assert_eq!(inputs["rows_rejected"], 2);
    assert_eq!(inputs["duplicates"], 40);
    assert_eq!(inputs["files"][1]["path"], "content/surveys/2026-q1-part2.csv");
    let csat = &json["overall"]["csat"];
    for key in ["n", "satisfied", "percent", "ci", "mean"] {
        assert!(!csat[key].is_null(), "overall.csat.{key}");
    }
    for key in ["n", "promoters", "passives", "detractors", "score", "ci"] {
        assert!(!json["overall"]["nps"][key].is_null(), "overall.nps.{key}");
    }
    for key in ["n", "mean", "ci", "easy_percent"] {
        assert!(!json["overall"]["ces"][key].is_null(), "overall.ces.{key}");
    }
    let months = json["periods"]["month"].as_array().unwrap();
    assert_eq!(months.len(), 3);
    assert_eq!(months[0]["key"], "2026-01");
    assert_eq!(months[0]["start"], "2026-01-01");
    assert_eq!(months[0]["end"], "2026-01-31");
    assert_eq!(months[0]["partial"], false);
    assert!(months[0]["change"].as_object().unwrap().is_empty(), "no previous month to compare with");
    for key in ["delta", "p_value", "significant"] {
        assert!(!months[1]["change"]["csat"][key].is_null(), "change.csat.{key}");
    }
    assert_eq!(json["periods"]["quarter"][0]["key"], "2026-Q1");
    let channels = json["segments"]["channel"].as_array().unwrap();
    assert_eq!(
        channels.iter().map(|c| c["value"].as_str().unwrap()).collect::<Vec<_>>(),
        ["Web <b>form</b>", "chat", "email"]
    );
    assert_eq!(json["events"][0]["date"], "2026-02-15");
    assert!(!json["events"][0]["before"]["csat"].is_null());
}

#[test]
fn counts_in_metrics_json_match_a_count_by_hand() {
    // January of the fixture: 40 responses, all answering CSAT; count the 4s and 5s straight from the CSV.
    let csv = read(&common::fixture("small"), "content/surveys/2026-q1-part1.csv");
    let january: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .filter(|f: &Vec<&str>| f[1].starts_with("2026-01"))
        .collect();
    let satisfied = january.iter().filter(|f| f[5] == "4" || f[5] == "5").count();
    let dir = built("small");
    let json: serde_json::Value = serde_json::from_str(&read(dir.path(), "public/data/metrics.json")).unwrap();
    let jan = &json["periods"]["month"][0]["metrics"]["csat"];
    assert_eq!(jan["n"], january.len());
    assert_eq!(jan["satisfied"], satisfied);
    let percent = 100.0 * satisfied as f64 / january.len() as f64;
    assert!((jan["percent"].as_f64().unwrap() - percent).abs() < 1e-9);
}

#[test]
fn untrusted_text_is_escaped() {
    let dir = built("small");
    let files = tree(&dir.path().join("public"));
    // JSON carries the data as it is; every page escapes it.
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("<b>form</b>"), "{path} shows raw markup from the data");
        assert!(!text.contains("<script>"), "{path} contains a script");
    }
    let report = read(dir.path(), "public/reports/2026-02/index.html");
    assert!(report.contains("Web &lt;b&gt;form&lt;/b&gt;"), "the value is shown, escaped");
}

#[test]
fn pages_show_figures_with_their_n_interval_and_change() {
    let dir = built("small");
    let report = read(dir.path(), "public/reports/2026-02/index.html");
    assert!(report.contains("February notes"), "the commentary is shown");
    assert!(report.contains("<em>short</em>"), "markdown is rendered");
    assert!(report.contains("95% CI"), "intervals are shown");
    assert!(report.contains("n = 40"), "n is shown");
    assert!(report.contains("vs January 2026"), "change against the previous month");
    assert!(report.contains("rel=\"prev\"") && report.contains("rel=\"next\""));
    assert!(report.contains("<html lang=\"en\">"));
    let quarter = read(dir.path(), "public/reports/2026-q1/index.html");
    assert!(quarter.contains("Q1 2026"));
    let dashboard = read(dir.path(), "public/index.html");
    assert!(dashboard.contains("Acme support at a glance"));
    assert!(dashboard.contains("March 2026"));
    assert!(dashboard.contains("Show the numbers"), "every chart has its table");
}

#[test]
fn case_studies_show_the_customers_figures_beside_everyones() {
    let dir = built("small");
    let case = read(dir.path(), "public/cases/globex/index.html");
    assert!(case.contains("Globex &amp; the new help centre"));
    assert!(case.contains("vs everyone else"));
    assert!(case.contains("All customers"));
    let json: serde_json::Value = serde_json::from_str(&read(dir.path(), "public/data/metrics.json")).unwrap();
    let globex =
        json["segments"]["account"].as_array().unwrap().iter().find(|a| a["value"] == "Globex").unwrap().clone();
    let n = globex["metrics"]["csat"]["n"].as_u64().unwrap();
    assert!(case.contains(&format!("n = {n}")), "the case uses the account's own responses (n = {n})");
}

#[test]
fn small_groups_are_never_shown() {
    let dir = site("small");
    let config = read(dir.path(), "site.toml").replace("min_group = 5", "min_group = 45");
    std::fs::write(dir.path().join("site.toml"), config).unwrap();
    assert!(rapport(dir.path(), &["build"]).status.success());
    let report = read(dir.path(), "public/reports/2026-02/index.html");
    assert!(report.contains("Fewer than 45 responses: not shown"));
    let json: serde_json::Value = serde_json::from_str(&read(dir.path(), "public/data/metrics.json")).unwrap();
    let month = &json["periods"]["month"][0];
    assert!(month["metrics"].as_object().unwrap().is_empty(), "40 responses < 45: absent, not zero");
}

#[test]
fn the_sites_templates_and_static_files_override_the_themes() {
    let dir = site("small");
    std::fs::create_dir_all(dir.path().join("templates/partials")).unwrap();
    std::fs::create_dir_all(dir.path().join("static")).unwrap();
    std::fs::write(
        dir.path().join("templates/partials/tile.html"),
        "<div class=\"my-tile\">{{ tile.label }}={{ tile.value or '-' }}</div>",
    )
    .unwrap();
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static");
    let css = read(&theme, "style.css").replace("--chart-1: #2f5d8a", "--chart-1: #123456");
    std::fs::write(dir.path().join("static/style.css"), css).unwrap();
    std::fs::write(dir.path().join("static/logo.txt"), "logo").unwrap();
    let out = rapport(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let dashboard = read(dir.path(), "public/index.html");
    assert!(dashboard.contains("<div class=\"my-tile\">CSAT="), "the tile partial is the site's");
    assert!(dashboard.contains("#123456"), "charts take their colours from the site's stylesheet");
    assert_eq!(read(dir.path(), "public/logo.txt"), "logo");
}
