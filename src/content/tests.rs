use super::*;
use crate::config::Config;

const CONFIG: &str =
    "title = \"T\"\n[[sources]]\npath = \"x\"\n[sources.dimensions]\naccount = \"Account\"\nchannel = \"Channel\"\n";

fn load(files: &[(&str, &str)], drafts: bool) -> Result<Content, ContentError> {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join("content").join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    Content::load(dir.path(), &Config::parse(CONFIG).unwrap(), drafts)
}

fn error(files: &[(&str, &str)]) -> Diagnostic {
    load(files, false).unwrap_err().diagnostic().clone()
}

#[test]
fn reads_every_kind_of_file() {
    let c = load(
        &[
            ("_index.md", "+++\ntitle = \"Welcome\"\n+++\nHello *there*."),
            ("reports/2026-10.md", "+++\ntitle = \"October\"\n+++\nBusy month."),
            ("reports/2026-q3.md", "No front matter at all."),
            (
                "cases/acme-corp.md",
                "+++\ntitle = \"Acme\"\ncustomer = \"Acme Corp\"\nwhere = { account = \"Acme\" }\n+++\n## Story\n",
            ),
            ("pages/about.md", "+++\ntitle = \"About\"\ndescription = \"How\"\n+++\nText"),
        ],
        false,
    )
    .unwrap();
    let index = c.index.unwrap();
    assert_eq!(index.title.as_deref(), Some("Welcome"));
    assert_eq!(index.html, "<p>Hello <em>there</em>.</p>\n");
    let keys: Vec<String> = c.reports.keys().map(Period::key).collect();
    assert_eq!(keys, ["2026-10", "2026-Q3"]);
    assert_eq!(c.cases[0].slug, "acme-corp");
    assert_eq!(c.cases[0].filter["account"], "Acme");
    assert_eq!(c.cases[0].html, "<h2 id=\"story\">Story</h2>\n");
    assert_eq!(c.pages[0].slug, "about");
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let files = [("pages/wip.md", "+++\ntitle = \"WIP\"\ndraft = true\n+++\n")];
    assert!(load(&files, false).unwrap().pages.is_empty());
    assert_eq!(load(&files, true).unwrap().pages.len(), 1);
}

#[test]
fn front_matter_errors_point_into_the_file() {
    let d = error(&[("pages/about.md", "+++\ntitle = \"About\"\ntitel = \"x\"\n+++\n")]);
    assert_eq!(d.file.as_deref(), Some("content/pages/about.md"));
    assert_eq!(d.message, "unknown key `titel`");
    assert_eq!(d.line_column(), Some((3, 1)));
    assert_eq!(d.help.as_deref(), Some("did you mean `title`?"));
}

#[test]
fn a_case_study_must_filter_on_a_known_dimension() {
    let d =
        error(&[("cases/acme.md", "+++\ntitle = \"Acme\"\ncustomer = \"Acme\"\nwhere = { acount = \"Acme\" }\n+++\n")]);
    assert_eq!(d.message, "`acount` is not a dimension");
    assert_eq!(d.line_column(), Some((4, 20)));
    assert_eq!(d.help.as_deref(), Some("did you mean `account`?"));
}

#[test]
fn a_case_study_needs_its_customer() {
    let d = error(&[("cases/acme.md", "+++\ntitle = \"Acme\"\nwhere = { account = \"Acme\" }\n+++\n")]);
    assert_eq!(d.message, "missing key `customer`");
}

#[test]
fn report_commentary_is_named_after_its_period() {
    let d = error(&[("reports/october.md", "Text")]);
    assert_eq!(d.message, "`october` is not a period");
    assert!(d.help.unwrap().contains("2026-10.md"));
}

#[test]
fn commentary_for_an_unpublished_kind_of_period_is_a_warning() {
    let c = load(&[("reports/2026-W41.md", "Text")], false).unwrap();
    assert_eq!(c.warnings.len(), 1);
    assert!(c.warnings[0].warning);
    assert!(c.warnings[0].message.contains("no week reports"), "{}", c.warnings[0].message);
}

#[test]
fn unclosed_front_matter_is_an_error() {
    let d = error(&[("_index.md", "+++\ntitle = \"x\"\nNo end")]);
    assert_eq!(d.message, "the front matter is not closed");
    assert_eq!(d.line_column(), Some((1, 1)));
}

#[test]
fn slugs_are_lowercase_words_joined_by_dashes() {
    assert_eq!(slugify("Acme Corp — Q3 Review"), "acme-corp-q3-review");
    assert_eq!(slugify("  --Hello__World--"), "hello-world");
    assert_eq!(slugify("Café"), "café");
}

#[test]
fn every_page_needs_an_address_of_its_own() {
    let d = error(&[("pages/---.md", "+++\ntitle = \"x\"\n+++\n")]);
    assert_eq!(d.message, "`---` gives the page no address");
    let d = error(&[("cases/Globex.md", CASE), ("cases/globex.md", CASE)]);
    assert!(d.message.contains("would both be published at `globex/`"), "{}", d.message);
    let d = error(&[("pages/reports.md", "+++\ntitle = \"x\"\n+++\n")]);
    assert!(d.message.contains("would replace the site's own reports/ pages"), "{}", d.message);
}

#[test]
fn a_case_study_without_front_matter_says_so() {
    let d = error(&[("cases/acme.md", "Just a story.")]);
    assert_eq!(d.message, "the case study has no front matter");
}

#[test]
fn a_byte_order_mark_before_front_matter_is_ignored() {
    let c = load(&[("pages/about.md", "\u{feff}+++\ntitle = \"About\"\n+++\nText")], false).unwrap();
    assert_eq!(c.pages[0].title.as_deref(), Some("About"));
}

const CASE: &str = "+++\ntitle = \"G\"\ncustomer = \"G\"\nwhere = { account = \"G\" }\n+++\n";
