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
         {% block segments %}<p class=\"plain\">{{ t.plain_note }}</p>{% endblock segments %}\n",
    );
    write(dir.path(), "themes/plain/i18n/en.toml", "plain_note = \"Segments are on their own pages.\"\n");
    build(dir.path());
    let report = read(dir.path(), "public/reports/2026-02/index.html");
    assert!(report.contains("<p class=\"plain\">Segments are on their own pages.</p>"), "the block is the theme's");
    assert!(!report.contains("segments-heading"), "the default's block is replaced");
    assert!(report.contains("<h2 id=\"glance\">"), "the other blocks are the default's");
    assert!(report.contains("<footer class=\"colophon\">"), "and so is the layout");
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
        err.contains("help: put the theme in themes/nordic/, or use a theme built into rapport: `theme = \"default\"`"),
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
    assert!(err.contains("templates/default/report.html: the folder `default/` is reserved"), "{err}");
    assert!(err.contains("put yours at templates/x.html"), "{err}");
}
