//! Rendered HTML of the small fixture site, as snapshots: a change to a page's
//! markup shows up in review. Charts are replaced by a placeholder (their
//! drawing is tested in `src/charts`), so snapshots stay readable.
//!
//! After an intended change: `INSTA_UPDATE=always cargo test --test snapshots`, then review the diff.

mod common;

use common::{rapport, read, site, stderr};

fn without_charts(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("</svg>").map_or(rest.len(), |i| start + i + "</svg>".len());
        let class = rest[start..end].split("class=\"").nth(1).and_then(|c| c.split('"').next()).unwrap_or("");
        out.push_str(&format!("<svg class=\"{class}\">…</svg>"));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn page(path: &str) -> String {
    themed_page("default", path)
}

fn themed_page(theme: &str, path: &str) -> String {
    let dir = site("small");
    let config = read(dir.path(), "site.toml").replacen("title = ", &format!("theme = \"{theme}\"\ntitle = "), 1);
    std::fs::write(dir.path().join("site.toml"), config).unwrap();
    let out = rapport(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    without_charts(&read(dir.path(), &format!("public/{path}")))
}

#[test]
fn dashboard() {
    insta::assert_snapshot!(page("index.html"));
}

#[test]
fn monthly_report() {
    insta::assert_snapshot!(page("reports/2026-02/index.html"));
}

#[test]
fn reports_index() {
    insta::assert_snapshot!(page("reports/index.html"));
}

#[test]
fn case_study() {
    insta::assert_snapshot!(page("cases/globex/index.html"));
}

#[test]
fn monthly_report_topics() {
    // The small site with comment topics; only the topics section, so the snapshot shows its markup.
    let dir = site("small");
    let topics = "\n[topics]\n\"Speed\" = [\"quick\"]\n\"Scripts\" = [\"script\"]\n";
    std::fs::write(dir.path().join("site.toml"), read(dir.path(), "site.toml") + topics).unwrap();
    let out = rapport(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = read(dir.path(), "public/reports/2026-02/index.html");
    let start = html.find("<section class=\"block\" aria-labelledby=\"topics-heading\">").expect("a topics section");
    let end = start + html[start..].find("</section>").unwrap() + "</section>".len();
    insta::assert_snapshot!(&html[start..end]);
}

#[test]
fn scorecard() {
    insta::assert_snapshot!(page("scorecard/index.html"));
}

#[test]
fn executive_monthly_report() {
    insta::assert_snapshot!(themed_page("executive", "reports/2026-02/index.html"));
}
