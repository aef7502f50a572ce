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

#[test]
fn every_page_kind_of_the_spec_is_built() {
    let dir = built("small");
    let files = tree(&dir.path().join("public"));
    for path in [
        "segments/index.html",
        "segments/channel/email/index.html",
        "events/index.html",
        "events/new-help-centre/index.html",
        "comments/index.html",
        "comments/csat-5/index.html",
        "data-quality/index.html",
        "feed.xml",
        "sitemap.xml",
        "data/2026-02.csv",
        "data/2026-q1.csv",
    ] {
        assert!(files.contains_key(path), "missing {path}");
    }
}

#[test]
fn segment_pages_are_exactly_the_groups_metrics_json_publishes() {
    let dir = built("small");
    let json: serde_json::Value = serde_json::from_str(&read(dir.path(), "public/data/metrics.json")).unwrap();
    let mut published = 0;
    for (dimension, values) in json["segments"].as_object().unwrap() {
        for v in values.as_array().unwrap() {
            published += 1;
            let slug = rapport::content::slugify(v["value"].as_str().unwrap());
            let page = read(dir.path(), &format!("public/segments/{dimension}/{slug}/index.html"));
            let n = v["metrics"]["responses"].as_u64().unwrap();
            assert!(page.contains(&format!("n = {n}")) || page.contains(&n.to_string()), "{dimension}/{slug}");
        }
    }
    let files = tree(&dir.path().join("public/segments"));
    assert_eq!(files.len(), published + 1, "one page per published group, and the index");
}

#[test]
fn the_data_quality_page_accounts_for_every_row() {
    let dir = built("small");
    let page = read(dir.path(), "public/data-quality/index.html");
    assert!(page.contains("All 162 rows read are accounted for."));
    assert!(page.contains("content/surveys/2026-q1-part2.csv"));
    assert!(page.contains("<td class=\"num\">82</td>"), "the rejected row's line");
    assert!(page.contains("CSAT `9` is outside the scale 1–5"));
    assert!(page.contains("`not a date` is not an ISO 8601 timestamp"));
}

#[test]
fn report_csv_holds_the_figures_of_metrics_json() {
    let dir = built("small");
    let json: serde_json::Value = serde_json::from_str(&read(dir.path(), "public/data/metrics.json")).unwrap();
    let feb = json["periods"]["month"].as_array().unwrap().iter().find(|p| p["key"] == "2026-02").unwrap().clone();
    let csv = read(dir.path(), "public/data/2026-02.csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "period",
            "group",
            "value",
            "metric",
            "n",
            "estimate",
            "ci_low",
            "ci_high",
            "change",
            "p_value",
            "significant"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let find = |group: &str, value: &str, metric: &str| {
        rows.iter().find(|r| &r[1] == group && &r[2] == value && &r[3] == metric).cloned()
    };
    let num = |s: &str| s.parse::<f64>().unwrap();
    let csat = find("all", "", "csat_percent").expect("overall CSAT");
    assert_eq!(num(&csat[4]), feb["metrics"]["csat"]["n"].as_f64().unwrap());
    assert_eq!(num(&csat[5]), feb["metrics"]["csat"]["percent"].as_f64().unwrap());
    assert_eq!(num(&csat[6]), feb["metrics"]["csat"]["ci"][0].as_f64().unwrap());
    assert_eq!(num(&csat[8]), feb["change"]["csat"]["delta"].as_f64().unwrap());
    assert_eq!(&csat[10], feb["change"]["csat"]["significant"].to_string());
    let nps = find("all", "", "nps").expect("overall NPS");
    assert_eq!(num(&nps[5]), feb["metrics"]["nps"]["score"].as_f64().unwrap());
    for segment in feb["segments"]["channel"].as_array().unwrap() {
        let value = segment["value"].as_str().unwrap();
        let row = find("channel", value, "responses").expect("every published channel");
        assert_eq!(num(&row[4]), segment["metrics"]["responses"].as_f64().unwrap());
    }
    // Nothing below min_group: every row has n >= 5.
    assert!(rows.iter().all(|r| num(&r[4]) >= 5.0));
}

#[test]
fn the_feed_lists_reports_newest_first_and_the_sitemap_every_page() {
    let dir = built("small");
    let feed = read(dir.path(), "public/feed.xml");
    assert!(
        feed.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"")
    );
    let titles: Vec<&str> = feed.split("<title>").skip(1).map(|rest| &rest[..rest.find("</title>").unwrap()]).collect();
    assert_eq!(
        titles,
        [
            "Acme Help Desk",
            "Q1 2026 · Quarterly report",
            "March 2026 · Monthly report",
            "February 2026 · Monthly report",
            "January 2026 · Monthly report"
        ]
    );
    assert!(feed.contains("<id>https://help.acme.example/cx/reports/2026-02/</id>"));
    // Periods end at midnight in New York.
    assert!(feed.contains("<updated>2026-03-01T05:00:00Z</updated>"), "{feed}");
    let sitemap = read(dir.path(), "public/sitemap.xml");
    let pages = tree(&dir.path().join("public")).keys().filter(|p| p.ends_with(".html")).count();
    assert_eq!(sitemap.matches("<loc>").count(), pages);
    assert!(sitemap.contains("<loc>https://help.acme.example/cx/segments/channel/web-b-form-b/</loc>"));
}

/// Appends rows with personal data in their comments to the small fixture.
fn with_personal_comments(dir: &Path) {
    let path = dir.join("content/surveys/2026-q1-part1.csv");
    let mut csv = std::fs::read_to_string(&path).unwrap();
    csv.push_str("Z-1,2026-01-20T10:00:00-05:00,C-900,Globex,email,1,2,2,3,Write to jane.roe@globex.example or call +1 212 555 0199\n");
    csv.push_str(
        "Z-2,2026-01-21T10:00:00-05:00,C-901,Globex,email,5,10,7,0,\"Paid with 4111 1111 1111 1111, all good\"\n",
    );
    std::fs::write(&path, csv).unwrap();
}

#[test]
fn comments_are_redacted_everywhere_they_are_shown() {
    let dir = site("small");
    with_personal_comments(dir.path());
    let out = rapport(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for (path, bytes) in tree(&dir.path().join("public")) {
        let text = String::from_utf8_lossy(&bytes);
        for secret in ["jane.roe@globex.example", "555 0199", "4111 1111"] {
            assert!(!text.contains(secret), "{path} publishes {secret}");
        }
    }
    let comments = read(dir.path(), "public/comments/index.html");
    assert!(comments.contains("Write to [email removed] or call [phone removed]"));
    assert!(comments.contains("Paid with [card removed], all good"));
    assert!(comments.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), "escaped, not executed");
    let report = read(dir.path(), "public/reports/2026-01/index.html");
    assert!(report.contains("Write to [email removed]"), "the negative verbatim of January");
}

#[test]
fn publish_comments_false_removes_every_verbatim() {
    let dir = site("small");
    with_personal_comments(dir.path());
    let toml = read(dir.path(), "site.toml").replace("min_group = 5", "min_group = 5\npublish_comments = false");
    std::fs::write(dir.path().join("site.toml"), toml).unwrap();
    let out = rapport(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let files = tree(&dir.path().join("public"));
    assert!(!files.keys().any(|p| p.starts_with("comments/")), "no comments browser");
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        for comment in ["Write to", "Paid with", "friendly", "alert"] {
            assert!(!text.contains(comment), "{path} shows a comment");
        }
    }
}

#[test]
fn the_comments_browser_pages_through_the_newest_first() {
    let dir = site("small");
    let mut csv = String::from(
        "Response ID,Submitted,Customer,Account,Channel,Satisfaction,Recommend,Effort,Transfers,Comment\n",
    );
    for i in 0..120 {
        let score = if i % 2 == 0 { 5 } else { 2 };
        csv.push_str(&format!(
            "B-{i:03},2026-03-{:02}T{:02}:00:00-05:00,C-1{i:02},Globex,email,{score},,,,comment number {i}\n",
            1 + i / 10,
            8 + i % 10
        ));
    }
    std::fs::write(dir.path().join("content/surveys/2026-q1-part3.csv"), csv).unwrap();
    let out = rapport(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let first = read(dir.path(), "public/comments/index.html");
    // The newest comment comes first and the fixture's January comments are on the last page.
    let newest = first.find("comment number 119").expect("newest on page 1");
    assert!(first.find("comment number 118").unwrap() > newest);
    assert!(first.contains("Comments 1–50 of 1"), "{}", &first[first.find("Comments 1").unwrap()..][..60]);
    assert!(
        read(dir.path(), "public/comments/page/3/index.html").contains("Quick, “friendly” help")
            || read(dir.path(), "public/comments/page/3/index.html").contains("Quick, &quot;friendly&quot; help")
    );
    assert!(!tree(&dir.path().join("public")).contains_key("comments/page/4/index.html"));
    let fives = read(dir.path(), "public/comments/csat-5/index.html");
    assert!(fives.contains("comment number 118") && !fives.contains("comment number 119"));
}

#[test]
fn customer_ids_are_never_published() {
    let dir = built("small");
    let csv = read(dir.path(), "content/surveys/2026-q1-part1.csv");
    let ids: Vec<String> = csv.lines().skip(1).map(|l| l.split(',').nth(2).unwrap().to_string()).collect();
    assert!(ids.len() > 50);
    for (path, bytes) in tree(&dir.path().join("public")) {
        let text = String::from_utf8_lossy(&bytes);
        for id in &ids {
            assert!(!text.contains(id.as_str()), "{path} publishes the customer id {id}");
        }
    }
}

#[test]
fn case_studies_sum_up_the_customer_in_sentences() {
    let dir = built("small");
    let page = read(dir.path(), "public/cases/globex/index.html");
    let takeaways = &page[page.find("class=\"takeaways\"").expect("takeaways")..];
    let takeaways = &takeaways[..takeaways.find("</ul>").unwrap()];
    assert!(takeaways.contains("CSAT is ") && takeaways.contains("for everyone else"), "{takeaways}");
    assert!(takeaways.contains("CSAT went from "), "{takeaways}");
    assert!(takeaways.contains("Channel: most responses come through "), "{takeaways}");
}

#[test]
fn a_commentary_or_template_edit_renders_again_only_its_pages_and_the_result_is_a_full_build() {
    use rapport::site::{BuildOptions, Cache, Site};
    let dir = site("small");
    let options = BuildOptions {
        root: dir.path().to_path_buf(),
        output: "public".into(),
        base_url: None,
        drafts: false,
        now: "2026-11-23T00:00:00Z".parse().unwrap(),
    };
    let mut cache = Cache::keeping();
    let first = Site::load_with(&options, &mut cache, &()).unwrap();
    let mut before = first.render_keeping().unwrap();
    for (file, text) in [
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nNew words on the dashboard.\n"),
        ("content/reports/2026-02.md", "+++\ntitle = \"February\"\n+++\nFebruary, rewritten.\n"),
        ("content/reports/2026-03.md", "+++\n+++\nMarch gets commentary.\n"),
        (
            "templates/methodology.html",
            "{% extends \"base.html\" %}{% block content %}<h1>How we count</h1>{% endblock content %}",
        ),
        ("templates/partials/tile.html", "<div class=\"tile\">{{ tile.label }}</div>"),
        (
            "templates/methodology.html",
            "{% extends \"base.html\" %}{% block content %}<h1>Ours</h1>{% endblock content %}",
        ),
        (
            "templates/base.html",
            "<!doctype html><title>{{ title }}</title><main>{% block content %}{% endblock content %}</main>",
        ),
        // The first template to read a report's brief: the kept contexts lack it (none read it
        // before), so the reports are made again from their views.
        (
            "templates/report.html",
            "{% extends \"base.html\" %}{% block content %}{% if page.brief %}brief: {{ page.brief.targets | length }}{% endif %}{% endblock content %}",
        ),
    ] {
        std::fs::create_dir_all(dir.path().join(file).parent().unwrap()).unwrap();
        std::fs::write(dir.path().join(file), text).unwrap();
        let site = Site::load_with(&options, &mut cache, &()).unwrap();
        assert!(std::sync::Arc::ptr_eq(&first.metrics, &site.metrics), "the figures are reused");
        let partly = site.render_after(&before, dir.path(), &[dir.path().join(file)]).unwrap();
        let fully = site.render().unwrap();
        assert_eq!(partly.pages, fully.pages);
        for ((a, x), (b, y)) in partly.files.iter().zip(&fully.files) {
            assert_eq!(a, b);
            assert!(x == y, "{a} differs from a full build after editing {file}");
        }
        assert_eq!(partly.files.len(), fully.files.len());
        before = partly;
    }
}

/// The small fixture with comment topics: "quick" is in most comments, the hostile `<script>` comment in one,
/// and a topic's name is markup.
fn with_topics(top: &str, privacy: &str) -> tempfile::TempDir {
    let dir = site("small");
    let config =
        top.to_string() + &read(dir.path(), "site.toml").replace("[privacy]\n", &format!("[privacy]\n{privacy}"));
    let topics = "\n[topics]\n\"Speed\" = [\"quick\"]\n\"<i>Scripts</i>\" = [\"script\"]\n\"Ожидание\" = [\"ждал*\", \"等待\"]\n";
    std::fs::write(dir.path().join("site.toml"), format!("{config}{topics}")).unwrap();
    let out = rapport(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    dir
}

#[test]
fn reports_show_comment_topics_escaped_and_counted_by_hand() {
    // February's comments, straight from the CSV (the second export repeats them): 6 comments, "Quick, "friendly" help"
    // in 5 of them and `<script>alert('x')</script>` in 1; 2 are from CSAT 3 and 4 from CSAT 5, both below
    // min_group = 5, so no share among the (not) satisfied is shown.
    let csv = read(&common::fixture("small"), "content/surveys/2026-q1-part1.csv");
    let february: Vec<&str> = csv.lines().filter(|l| l.contains(",2026-02-") && !l.ends_with(',')).collect();
    assert_eq!(february.len(), 6);
    assert_eq!(february.iter().filter(|l| l.contains("Quick")).count(), 5);
    let dir = with_topics("", "");
    let report = read(dir.path(), "public/reports/2026-02/index.html");
    assert!(report.contains("id=\"topics-heading\">Comment topics</h2>"));
    assert!(report.contains("What the 6 comments of February 2026 are about"));
    assert!(report.contains("<th scope=\"row\">Speed</th>") && report.contains("<th scope=\"row\">No topic</th>"));
    // 5 of 6 = 83.3 %; Wilson 95 %: statsmodels proportion_confint(5, 6, method='wilson') = (0.4365, 0.9699).
    assert!(
        report.contains("83.3%<span class=\"low\" title=\"Low sample\">*</span><span class=\"ci\">43.6–97.0</span>")
    );
    assert!(report.contains("—: fewer than 5 comments in that group, not shown."));
    assert!(report.contains("vs January 2026"), "January has 6 comments too: a change is shown");
    // The hostile comment is quoted as an example of "Scripts", escaped.
    assert!(report.contains("Newest comments by topic") && report.contains("<h4>&lt;i&gt;Scripts&lt;/i&gt;</h4>"));
    assert!(report.contains("<th scope=\"row\">&lt;i&gt;Scripts&lt;/i&gt;</th>") && !report.contains("<i>Scripts"));
    assert!(report.contains("&lt;script&gt;alert("), "escaped");
    assert!(!report.contains("<script>alert"), "never as markup");
    // The comments browser tags each comment with its topics.
    let comments = read(dir.path(), "public/comments/index.html");
    assert!(comments.contains("CSAT 5 · NPS 9 · CES 7 · Topics: Speed</p>"), "{comments}");
    assert!(comments.contains("CSAT 5 · NPS 10 · CES 6 · Topics: &lt;i&gt;Scripts&lt;/i&gt;</p>"));

    let json: serde_json::Value = serde_json::from_str(&read(dir.path(), "public/data/metrics.json")).unwrap();
    let topics = &json["periods"]["month"][1]["comment_topics"];
    assert_eq!(topics["comments"], 6);
    assert_eq!(topics["topics"][0]["topic"], "Speed");
    assert_eq!((topics["topics"][0]["count"].as_u64(), topics["topics"][0]["n"].as_u64()), (Some(5), Some(6)));
    assert!(topics["topics"][0]["among"].as_object().unwrap().is_empty(), "sides below min_group are absent");
    assert_eq!(topics["topics"][2]["count"], 0);
    assert_eq!(topics["untagged"]["count"], 0);
    assert!(topics["topics"][0]["change"]["p_value"].is_number());
    assert_eq!(json["comment_topics"]["comments"], 18, "all time: six a month");

    let csv = read(dir.path(), "public/data/2026-02.csv");
    assert!(csv.contains("2026-02,topic,Speed,comments,5,5,,,,,\r\n"), "{csv}");
    assert!(csv.contains("2026-02,topic,Speed,comments_percent,6,83.33333333333333,"), "{csv}");
    assert!(csv.contains("2026-02,untagged,,comments,0,0,,,,,\r\n"), "{csv}");
}

#[test]
fn comment_topics_without_published_comments_keep_their_figures_and_quote_nothing() {
    let dir = with_topics("", "publish_comments = false\n");
    let report = read(dir.path(), "public/reports/2026-02/index.html");
    assert!(report.contains("<th scope=\"row\">Speed</th>"), "shares are figures, not comments");
    assert!(!report.contains("Newest comments by topic"));
    assert!(!report.contains("alert("));
}

#[test]
fn comment_topics_speak_the_sites_language() {
    for (language, heading) in [("ru", "Темы комментариев"), ("zh", "评论主题")] {
        let dir = with_topics(&format!("language = \"{language}\"\n"), "");
        let report = read(dir.path(), "public/reports/2026-02/index.html");
        assert!(report.contains(&format!("id=\"topics-heading\">{heading}</h2>")), "{language}");
        let comments = read(dir.path(), "public/comments/index.html");
        let tags = if language == "ru" { "Темы: Speed" } else { "主题：Speed" };
        assert!(comments.contains(tags), "{language}");
    }
}
