//! Markdown + front matter -> pages: dashboard commentary, report commentary,
//! case studies and free pages.
//!
//! Files start with TOML front matter between `+++` lines (Zola's
//! convention). Each kind of file has its own front-matter type, so a key
//! that means nothing there is an error pointing at its line, like in
//! `site.toml`. Markdown is rendered once, here; templates only place it.
//!
//! A body with shortcodes cannot be rendered yet: its figures do not exist
//! when content is read. Its syntax is checked here, and it is rendered by
//! [`Content::expand`] once the site has turned each shortcode into HTML.

mod document;
mod markdown;
pub mod shortcodes;

use std::collections::BTreeMap;
use std::path::Path;

use indexmap::IndexMap;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::config::{Config, Locator, Step, toml_diagnostic};
use crate::diagnostic::Diagnostic;
use crate::metrics::Period;

pub use document::{Markdown, Scope, escape_html};
pub use markdown::{Substitute, render as render_markdown};

/// Everything under `content/` except the exports.
#[derive(Debug, Default)]
pub struct Content {
    /// `content/_index.md`: commentary on the dashboard.
    pub index: Option<Page>,
    /// `content/reports/<period>.md`, by period.
    pub reports: BTreeMap<Period, Page>,
    /// `content/cases/*.md`, by slug.
    pub cases: Vec<CaseStudy>,
    /// `content/pages/*.md`, by slug.
    pub pages: Vec<Page>,
    pub warnings: Vec<Diagnostic>,
}

/// A rendered markdown file.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The file, relative to the site root.
    pub source: String,
    /// From the file name: `methodology.md` -> `methodology`.
    pub slug: String,
    pub title: Option<String>,
    pub description: Option<String>,
    /// The body as HTML (empty until [`Content::expand`] when it has shortcodes).
    pub html: String,
    pub markdown: Markdown,
}

/// A customer story whose figures come from the data through its `where` filter.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseStudy {
    pub source: String,
    pub slug: String,
    pub title: String,
    pub customer: String,
    /// Dimension = value; responses matching all of them are the customer's.
    pub filter: IndexMap<String, String>,
    pub summary: Option<String>,
    pub html: String,
    pub markdown: Markdown,
}

#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    #[error("{}", .0.message)]
    Invalid(Box<Diagnostic>),
}

impl ContentError {
    pub fn diagnostic(&self) -> &Diagnostic {
        match self {
            ContentError::Invalid(d) => d,
        }
    }
}

fn invalid(d: Diagnostic) -> ContentError {
    ContentError::Invalid(Box::new(d))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PageFront {
    title: Option<String>,
    description: Option<String>,
    #[serde(default)]
    draft: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFront {
    title: String,
    customer: String,
    #[serde(rename = "where")]
    filter: IndexMap<String, String>,
    summary: Option<String>,
    #[serde(default)]
    draft: bool,
}

impl Content {
    /// Reads `content/` under `root`; drafts are left out unless `drafts`.
    pub fn load(root: &Path, config: &Config, drafts: bool) -> Result<Content, ContentError> {
        let dir = root.join("content");
        let mut content = Content::default();
        if let Some(file) = read(&dir.join("_index.md"), "content/_index.md")? {
            let (front, html) = file.parse::<PageFront>()?;
            if drafts || !front.draft {
                content.index = Some(file.page(front, html));
            }
        }
        for file in read_dir(&dir.join("reports"), "content/reports")? {
            let (front, html) = file.parse::<PageFront>()?;
            let Some(period) = Period::parse_key(&file.slug) else {
                return Err(invalid(
                    Diagnostic::new(format!("`{}` is not a period", file.stem))
                        .in_file(&file.shown)
                        .with_help("name report commentary after its period: 2026-10.md (month), 2026-Q4.md, 2026-W41.md or 2026.md"),
                ));
            };
            if !config.periods.contains(&period.kind) {
                content.warnings.push(
                    Diagnostic::warning(format!(
                        "{} comments on a {}, but no {} reports are published",
                        file.shown,
                        period.kind.name(),
                        period.kind.name()
                    ))
                    .in_file(&file.shown)
                    .with_help(format!("add \"{}\" to `periods` in site.toml", period.kind.name())),
                );
            }
            if drafts || !front.draft {
                content.reports.insert(period, file.page(front, html));
            }
        }
        let dimensions = config.dimensions();
        let cases = read_dir(&dir.join("cases"), "content/cases")?;
        check_slugs(&cases, &[])?;
        for file in cases {
            if file.front.is_empty() {
                return Err(invalid(
                    Diagnostic::new("the case study has no front matter").in_file(&file.shown).with_help(
                        "start the file with\n\n+++\ntitle = \"…\"\ncustomer = \"…\"\nwhere = { account = \"…\" }\n+++",
                    ),
                ));
            }
            let (front, html) = file.parse::<CaseFront>()?;
            if front.filter.is_empty() {
                return Err(invalid(file.error(
                    &[Step::Key("where")],
                    "the case study has an empty `where`",
                    "empty",
                    "name the customer's responses, e.g. `where = { account = \"Contoso\" }`",
                )));
            }
            for name in front.filter.keys() {
                if !dimensions.contains(&name.as_str()) {
                    let help = config.unknown_dimension_help(name);
                    return Err(invalid(file.error(
                        &[Step::Key("where"), Step::Key(name)],
                        format!("`{name}` is not a dimension"),
                        "unknown dimension",
                        help,
                    )));
                }
            }
            if front.draft && !drafts {
                continue;
            }
            content.cases.push(CaseStudy {
                source: file.shown.clone(),
                slug: file.slug.clone(),
                title: front.title,
                customer: front.customer,
                filter: front.filter,
                summary: front.summary,
                html: html.1,
                markdown: html.0,
            });
        }
        let pages = read_dir(&dir.join("pages"), "content/pages")?;
        check_slugs(&pages, &RESERVED_PAGE_NAMES)?;
        for file in pages {
            let (front, html) = file.parse::<PageFront>()?;
            if front.title.is_none() {
                return Err(invalid(
                    Diagnostic::new("the page has no title")
                        .in_file(&file.shown)
                        .with_help("add front matter:\n\n+++\ntitle = \"Methodology\"\n+++"),
                ));
            }
            if drafts || !front.draft {
                content.pages.push(file.page(front, html));
            }
        }
        Ok(content)
    }

    /// Every body with shortcodes, with its scope, in a fixed order (the order [`Content::expand`] takes).
    pub fn documents(&self) -> Vec<(Scope, &Markdown)> {
        let index = self.index.iter().map(|p| (Scope::Dashboard, &p.markdown));
        let reports = self.reports.iter().map(|(period, p)| (Scope::Report(*period), &p.markdown));
        let cases = self.cases.iter().enumerate().map(|(i, c)| (Scope::Case(i), &c.markdown));
        let pages = self.pages.iter().map(|p| (Scope::Page, &p.markdown));
        index.chain(reports).chain(cases).chain(pages).filter(|(_, m)| m.has_shortcodes()).collect()
    }

    /// Renders the bodies of [`Content::documents`], given the HTML of each one's shortcodes.
    pub fn expand(&mut self, expansions: Vec<Vec<Substitute>>) {
        let index = self.index.iter_mut().map(|p| (&p.markdown, &mut p.html));
        let reports = self.reports.values_mut().map(|p| (&p.markdown, &mut p.html));
        let cases = self.cases.iter_mut().map(|c| (&c.markdown, &mut c.html));
        let pages = self.pages.iter_mut().map(|p| (&p.markdown, &mut p.html));
        let bodies = index.chain(reports).chain(cases).chain(pages).filter(|(m, _)| m.has_shortcodes());
        for ((markdown, html), substitutes) in bodies.zip(expansions) {
            *html = markdown.render(&substitutes);
        }
    }
}

/// One markdown file, split into front matter and body.
struct File {
    shown: String,
    stem: String,
    slug: String,
    text: String,
    /// Byte range of the front matter (between the `+++` lines) in `text`.
    front: std::ops::Range<usize>,
    /// Byte offset where the body starts.
    body: usize,
}

impl File {
    /// The front matter, and the body: rendered now unless it has shortcodes.
    fn parse<T: DeserializeOwned>(&self) -> Result<(T, (Markdown, String)), ContentError> {
        let front: T = toml::from_str(&self.text[self.front.clone()]).map_err(|e| invalid(self.toml_error(&e)))?;
        let markdown = Markdown::parse(&self.shown, &self.text, self.body)?;
        let html = if markdown.has_shortcodes() { String::new() } else { markdown.render(&[]) };
        Ok((front, (markdown, html)))
    }

    fn toml_error(&self, e: &toml::de::Error) -> Diagnostic {
        let front_text = &self.text[self.front.clone()];
        let mut d = toml_diagnostic(front_text, e).in_file(&self.shown);
        // Re-point the span from the front matter to the whole file.
        if let Some(span) = e.span() {
            let shifted = (span.start + self.front.start)..(span.end + self.front.start);
            let label = d.excerpt.as_ref().map(|x| x.label.clone()).unwrap_or_default();
            d = d.at(&self.text, shifted, label);
        }
        d
    }

    fn error(&self, path: &[Step], message: impl Into<String>, label: &str, help: impl Into<String>) -> Diagnostic {
        let front_text = &self.text[self.front.clone()];
        let span = Locator::new(front_text).span(path);
        let shifted = (span.start + self.front.start)..(span.end + self.front.start);
        Diagnostic::new(message).in_file(&self.shown).at(&self.text, shifted, label).with_help(help)
    }

    fn page(&self, front: PageFront, (markdown, html): (Markdown, String)) -> Page {
        Page {
            source: self.shown.clone(),
            slug: self.slug.clone(),
            title: front.title,
            description: front.description,
            html,
            markdown,
        }
    }
}

/// Names of the site's own output folders, which free pages may not take.
pub const RESERVED_PAGE_NAMES: [&str; 12] = [
    "reports",
    "cases",
    "segments",
    "events",
    "comments",
    "data",
    "data-quality",
    "methodology",
    "fonts",
    "static",
    "index",
    "feed",
];

/// Every file of a folder needs its own, non-empty address.
fn check_slugs(files: &[File], reserved: &[&str]) -> Result<(), ContentError> {
    for (i, file) in files.iter().enumerate() {
        if file.slug.is_empty() {
            return Err(invalid(
                Diagnostic::new(format!("`{}` gives the page no address", file.stem))
                    .in_file(&file.shown)
                    .with_help("name the file with letters or digits, e.g. `methodology.md`"),
            ));
        }
        if let Some(other) = files[..i].iter().find(|f| f.slug == file.slug) {
            return Err(invalid(
                Diagnostic::new(format!(
                    "{} and {} would both be published at `{}/`",
                    other.shown, file.shown, file.slug
                ))
                .in_file(&file.shown)
                .with_help("rename one of them"),
            ));
        }
        if reserved.contains(&file.slug.as_str()) {
            return Err(invalid(
                Diagnostic::new(format!(
                    "a page named `{}` would replace the site's own {}/ pages",
                    file.slug, file.slug
                ))
                .in_file(&file.shown)
                .with_help("rename the file"),
            ));
        }
    }
    Ok(())
}

/// Reads one file, if it exists.
fn read(path: &Path, shown: &str) -> Result<Option<File>, ContentError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(invalid(Diagnostic::new(format!("cannot read {shown}: {e}")).in_file(shown))),
    };
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    split(shown, &stem, text).map(Some)
}

/// Reads every `*.md` file directly in `dir`, sorted by name.
fn read_dir(dir: &Path, shown_dir: &str) -> Result<Vec<File>, ContentError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(invalid(Diagnostic::new(format!("cannot read {shown_dir}: {e}")))),
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".md") && !name.starts_with('.') && !name.starts_with('_'))
        .collect();
    names.sort();
    let mut files = Vec::new();
    for name in names {
        let shown = format!("{shown_dir}/{name}");
        if let Some(file) = read(&dir.join(&name), &shown)? {
            files.push(file);
        }
    }
    Ok(files)
}

/// Splits `+++` front matter from the body.
fn split(shown: &str, stem: &str, mut text: String) -> Result<File, ContentError> {
    let slug = slugify(stem);
    // Editors on Windows may save a byte-order mark before the front matter.
    if let Some(rest) = text.strip_prefix('\u{feff}') {
        text = rest.to_string();
    }
    let opening = if text.starts_with("+++\n") {
        4
    } else if text.starts_with("+++\r\n") {
        5
    } else {
        return Ok(File { shown: shown.into(), stem: stem.into(), slug, front: 0..0, body: 0, text });
    };
    let closing = text[opening..]
        .match_indices("+++")
        .map(|(i, _)| opening + i)
        .find(|&i| text[..i].ends_with('\n') && matches!(text[i + 3..].chars().next(), None | Some('\n' | '\r')));
    let Some(close) = closing else {
        return Err(invalid(
            Diagnostic::new("the front matter is not closed")
                .in_file(shown)
                .at(&text, 0..3, "opened here")
                .with_help("end the front matter with a line of `+++`"),
        ));
    };
    let body = text[close + 3..].find('\n').map_or(text.len(), |i| close + 3 + i + 1);
    Ok(File { shown: shown.into(), stem: stem.into(), slug, front: opening..close, body, text })
}

/// A file name as a URL path segment: lowercase letters and digits joined by `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for ch in text.chars().flat_map(char::to_lowercase) {
        if ch.is_alphanumeric() {
            slug.push(ch);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests;
