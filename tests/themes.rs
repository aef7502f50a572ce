//! Themes: bundled ones, one on disk that builds on the default's templates, and the site's
//! own files over either.

mod common;

use std::path::Path;

use common::{rapport, read, site, stderr, tree};

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn set_theme(dir: &Path, theme: &str) {
    let config = read(dir, "site.toml").replacen("title = ", &format!("theme = \"{theme}\"\ntitle = "), 1);
    std::fs::write(dir.join("site.toml"), config).unwrap();
}

fn build(dir: &Path) {
    let out = rapport(dir, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_theme_template_extends_the_defaults_and_replaces_one_block() {
    let dir = site("small");
    set_theme(dir.path(), "plain");
    write(
        dir.path(),
        "themes/plain/templates/report.html",
        "{% extends \"default/report.html\" %}\n\
         {% block segments %}<p class=\"plain\">{{ t.plain_note }}</p>{% endblock segments %}\n\
         {% block pager %}<p class=\"before\">—</p>{{ super() }}{% endblock pager %}\n",
    );
    write(dir.path(), "themes/plain/i18n/en.toml", "plain_note = \"Segments are on their own pages.\"\n");
    build(dir.path());
    let report = read(dir.path(), "public/reports/2026-02/index.html");
    assert!(report.contains("<p class=\"plain\">Segments are on their own pages.</p>"), "the block is the theme's");
    assert!(!report.contains("segments-heading"), "the default's block is replaced");
    assert!(report.contains("<h2 id=\"glance\">"), "the other blocks are the default's");
    assert!(report.contains("<footer class=\"colophon\">"), "and so is the layout");
    assert!(report.contains("<p class=\"before\">—</p><nav class=\"pager\""), "super() is the default's block");
    // Every other page is the default theme's, unchanged.
    let plain = tree(&dir.path().join("public"));
    let reference = site("small");
    build(reference.path());
    let default = tree(&reference.path().join("public"));
    assert_eq!(plain.keys().collect::<Vec<_>>(), default.keys().collect::<Vec<_>>());
    let changed: Vec<&String> =
        plain.iter().filter(|(path, bytes)| default[*path] != **bytes).map(|(p, _)| p).collect();
    assert!(changed.iter().all(|p| p.starts_with("reports/") && p.ends_with("/index.html")), "{changed:?}");
}

#[test]
fn a_theme_stylesheet_beside_the_defaults_colours_the_charts() {
    let dir = site("small");
    set_theme(dir.path(), "ink");
    write(
        dir.path(),
        "themes/ink/templates/base.html",
        "{% extends \"default/base.html\" %}\n\
         {% block head %}<link rel=\"stylesheet\" href=\"{{ root }}theme.css\">\n{% endblock head %}\n",
    );
    write(dir.path(), "themes/ink/static/theme.css", ":root { --chart-1: #123456; }\n");
    build(dir.path());
    let dashboard = read(dir.path(), "public/index.html");
    assert!(dashboard.contains("<link rel=\"stylesheet\" href=\"style.css\">"), "the default's stylesheet stays");
    assert!(dashboard.contains("<link rel=\"stylesheet\" href=\"theme.css\">\n</head>"));
    let colours = dashboard.to_lowercase();
    assert!(colours.contains("#123456") && !colours.contains("#2f5d8a"), "charts read theme.css after style.css");
    assert!(colours.contains("#9bb7d4"), "the colours theme.css leaves out are the default's");
    assert_eq!(read(dir.path(), "public/theme.css"), ":root { --chart-1: #123456; }\n");
}

#[test]
fn an_unknown_theme_is_named_with_the_bundled_ones() {
    let dir = site("small");
    set_theme(dir.path(), "nordic");
    let out = rapport(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("error: there is no theme `nordic`"), "{err}");
    assert!(err.contains("--> site.toml"), "{err}");
    assert!(
        err.contains(
            "help: put the theme in themes/nordic/, or use a theme built into rapport: \
             `theme = \"default\"` or `theme = \"executive\"`"
        ),
        "{err}"
    );
}

#[test]
fn a_site_template_may_not_take_a_themes_name() {
    let dir = site("small");
    write(dir.path(), "templates/default/report.html", "<p>mine</p>");
    let out = rapport(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("error: templates/default/report.html: a site template may not be in a folder `default/`"));
    assert!(err.contains("help: `default/…` names the default theme's templates (`{% extends \"default/report.html\" %}`); to replace report.html, put yours at templates/report.html"), "{err}");
}

/// The repository's demo site (site.toml and content/) in a temporary folder, with `theme`.
fn demo_with_theme(theme: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(root.join("site.toml"), dir.path().join("site.toml")).unwrap();
    common::copy(&root.join("content"), &dir.path().join("content"));
    set_theme(dir.path(), theme);
    dir
}

#[test]
fn the_executive_theme_builds_the_demo_as_briefs() {
    let dir = demo_with_theme("executive");
    build(dir.path());
    let files = tree(&dir.path().join("public"));
    for page in [
        "index.html",
        "reports/index.html",
        "reports/2026-10/index.html",
        "reports/2026-q3/index.html",
        "cases/index.html",
        "cases/contoso-logistics/index.html",
        "about/index.html",
        "methodology/index.html",
        "segments/index.html",
        "segments/channel/email/index.html",
        "events/index.html",
        "events/video-walkthroughs-replace-written-onboarding-docs/index.html",
        "comments/index.html",
        "comments/page/2/index.html",
        "comments/csat-1/index.html",
        "data-quality/index.html",
        "feed.xml",
        "sitemap.xml",
        "data/2026-10.csv",
        "data/metrics.json",
        "style.css",
        "theme.css",
    ] {
        assert!(files.contains_key(page), "missing {page}");
    }
    let page = |path: &str| String::from_utf8_lossy(&files[path]).into_owned();
    for path in files.keys().filter(|p| p.ends_with(".html")) {
        let html = page(path);
        assert!(html.contains("style.css\">\n<link rel=\"alternate\""), "{path} links the default's stylesheet");
        assert!(html.contains("theme.css\">\n</head>"), "{path} and the theme's after it");
    }
    let october = page("reports/2026-10/index.html");
    assert!(october.contains("<body class=\"section-reports brief\">"));
    assert!(october.contains("<span class=\"brief-mark\">Executive brief</span>"));
    assert!(october.contains("<a href=\"../../data/2026-10.csv\">The figures as CSV</a>"));
    assert!(!october.contains("segments-heading"), "the segment tables are the default's, not the brief's");
    // The groups that differ in October, the smallest p-value first. Expected values worked out
    // with scipy from the counts in data/metrics.json: everyone else = all − the group; CSAT by the
    // pooled two-proportion z-test, NPS by the adjusted-Wald z of the SPEC.
    //   Ines G.  CSAT 48/49 = 98.0% against 83.2%: +14.8 pts, p = 0.00608
    //   Yuki T.  NPS 29.5 (n = 44) against 52.6: −23.0, p = 0.00653
    //   Tailspin Toys NPS 26.2 (n = 42) against 52.7: −26.5, p = 0.00844
    let rows: Vec<&str> = october.split("<tr>").skip(1).collect();
    let row = |value: &str| *rows.iter().find(|r| r.contains(&format!(">{value}</a></th>"))).unwrap();
    let (ines, yuki, tailspin) = (row("Ines G."), row("Yuki T."), row("Tailspin Toys"));
    for (row, figures) in [
        (ines, ["98.0%", "83.2%", "+14.8\u{a0}pts", "p = 0.006"]),
        (yuki, ["30<", "53<", "−23.0\u{a0}pts", "p = 0.007"]),
        (tailspin, ["26<", "53<", "−26.5\u{a0}pts", "p = 0.008"]),
    ] {
        for figure in figures {
            assert!(row.contains(figure), "{figure} in {row}");
        }
    }
    assert!(october.find("Ines G.") < october.find("Yuki T.") && october.find("Yuki T.") < october.find("Tailspin"));
    // 64 tests at 95 %: 3.2 expected by chance.
    assert!(october.contains("14 of 64 comparisons of a group with everyone else are significant; at 95% confidence, about 3.2 would be by chance alone."));
    // Q3: email's NPS 33.3 (n = 564) against 53.8, −20.4, p = 1.6e-10.
    let q3 = page("reports/2026-q3/index.html");
    let email = q3.split("<tr>").find(|r| r.contains(">email</a></th>")).unwrap();
    assert!(
        email.contains("33<")
            && email.contains("54<")
            && email.contains("−20.4\u{a0}pts")
            && email.contains("p &lt; 0.001")
    );
    // Three comments, a negative one first.
    let voices = october.split("brief-voices").nth(1).unwrap();
    assert_eq!(voices.matches("<li class=\"verbatim").count(), 3);
    assert!(voices.contains("<li class=\"verbatim verbatim-negative\">"));
    // Every other page is the default's template, in the executive look.
    let dashboard = page("index.html");
    assert!(dashboard.contains("<h2 id=\"glance\">") && !dashboard.contains("brief-mark"));
}

#[test]
fn the_sites_own_files_win_over_a_bundled_theme() {
    let dir = site("small");
    set_theme(dir.path(), "executive");
    write(
        dir.path(),
        "templates/report.html",
        "{% extends \"executive/report.html\" %}\n{% block pager %}<p class=\"mine\">site pager</p>{% endblock pager %}\n",
    );
    write(dir.path(), "templates/partials/verbatim.html", "<li class=\"my-verbatim\">{{ item.text }}</li>\n");
    write(dir.path(), "static/theme.css", ":root { --chart-1: #654321; }\n");
    write(dir.path(), "themes/executive/i18n/en.toml", "brief_mark = \"Board pack\"\n");
    build(dir.path());
    let report = read(dir.path(), "public/reports/2026-02/index.html");
    assert!(report.contains("<p class=\"mine\">site pager</p>"), "the site's block");
    assert!(report.contains("<span class=\"brief-mark\">Board pack</span>"), "a theme folder over the bundled theme");
    assert!(report.contains("brief-scoreboard"), "the rest is the executive theme's");
    assert!(report.contains("<li class=\"my-verbatim\">"), "the site's partial, in the theme's template");
    assert!(report.to_lowercase().contains("#654321"), "charts take the site's theme.css");
    assert_eq!(read(dir.path(), "public/theme.css"), ":root { --chart-1: #654321; }\n");
}

#[test]
fn an_executive_build_is_byte_identical_when_repeated() {
    let dir = site("small");
    set_theme(dir.path(), "executive");
    build(dir.path());
    let first = tree(&dir.path().join("public"));
    build(dir.path());
    assert_eq!(first, tree(&dir.path().join("public")));
    assert!(first.contains_key("theme.css"));
}

#[test]
fn a_brief_without_dimensions_or_targets_leaves_their_sections_out() {
    let dir = site("small");
    set_theme(dir.path(), "executive");
    let config = read(dir.path(), "site.toml");
    let config = config.replace("[sources.dimensions]\nchannel = \"Channel\"\naccount = \"Account\"\n", "");
    let config = config.replace("[[targets]]\nmetric = \"csat\"\nmin = 70\n", "");
    // The sent counts are split by channel too: counted for everyone only.
    let config = config.replace("[sent.dimensions]\nchannel = \"Channel\"\n", "");
    std::fs::write(dir.path().join("site.toml"), config).unwrap();
    // The case study picks its customer by a dimension.
    std::fs::remove_dir_all(dir.path().join("content/cases")).unwrap();
    build(dir.path());
    let report = read(dir.path(), "public/reports/2026-02/index.html");
    assert!(report.contains("brief-scoreboard") && report.contains("brief-trend"));
    assert!(!report.contains("brief-targets") && !report.contains("brief-differences"));
}

#[test]
fn a_themes_default_folder_layers_over_the_built_in_default() {
    let dir = site("small");
    write(dir.path(), "themes/default/i18n/en.toml", "dashboard = \"Overview\"\n");
    write(dir.path(), "themes/default/templates/partials/verbatim.html", "<li class=\"mine\">{{ item.text }}</li>\n");
    build(dir.path());
    let report = read(dir.path(), "public/reports/2026-02/index.html");
    assert!(report.contains(">Overview</a></li>") && report.contains("<li class=\"mine\">"));
    assert!(report.contains("<h2 id=\"glance\">"), "every other file is the built-in default's");
}
