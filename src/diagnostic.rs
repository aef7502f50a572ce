//! Problems in a user's files, located precisely enough to fix them.
//!
//! Every stage reports what went wrong as a [`Diagnostic`]: the file, the
//! line and column, the offending text with a marker under it, and a hint.
//! Rendering is left to `annotate-snippets` (the renderer rustc uses), so a
//! rapport error reads like a compiler error and points at the same place
//! an editor would.

use std::fmt;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

/// One problem, with where it is and what to do about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Warnings do not stop a build.
    pub warning: bool,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The file as the user knows it (relative to the site root where possible).
    pub file: Option<String>,
    /// The offending text, when the problem has a place inside the file.
    pub excerpt: Option<Excerpt>,
    /// How to fix it.
    pub help: Option<String>,
}

/// The lines around a problem, cut out of a larger source.
#[derive(Debug, Clone, PartialEq)]
pub struct Excerpt {
    /// Whole lines of the source, at most a few.
    pub text: String,
    /// 1-based number of the first line of `text`.
    pub first_line: usize,
    /// Byte range of the offending text within `text`.
    pub span: Range<usize>,
    /// A short label printed under the marker.
    pub label: String,
}

impl Diagnostic {
    pub fn new(message: impl Into<String>) -> Self {
        Diagnostic { warning: false, message: message.into(), file: None, excerpt: None, help: None }
    }

    /// A problem that does not stop the build.
    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic { warning: true, ..Diagnostic::new(message) }
    }

    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Points at `span` (bytes) of `source`, the whole text of the file.
    pub fn at(mut self, source: &str, span: Range<usize>, label: impl Into<String>) -> Self {
        self.excerpt = Some(Excerpt::cut(source, span, label.into()));
        self
    }

    /// Points at `span` of one line whose number in the file is known.
    pub fn at_line(mut self, line_text: &str, line: usize, span: Range<usize>, label: impl Into<String>) -> Self {
        let mut excerpt = Excerpt::cut(line_text, span, label.into());
        excerpt.first_line += line - 1;
        self.excerpt = Some(excerpt);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The diagnostic for programs: `{"severity", "message", "file", "line", "column", "help"}`.
    pub fn to_json(&self) -> serde_json::Value {
        let (line, column) = self.line_column().unzip();
        serde_json::json!({
            "severity": if self.warning { "warning" } else { "error" },
            "message": self.message,
            "file": self.file,
            "line": line,
            "column": column,
            "help": self.help,
        })
    }

    /// 1-based line and column (in characters) of the offending text.
    pub fn line_column(&self) -> Option<(usize, usize)> {
        self.excerpt.as_ref().map(Excerpt::line_column)
    }

    /// The diagnostic as people read it; `styled` adds terminal colours.
    pub fn render(&self, styled: bool) -> String {
        let renderer = if styled { Renderer::styled() } else { Renderer::plain() };
        let level = if self.warning { Level::WARNING } else { Level::ERROR };
        let title = level.primary_title(self.message.as_str());
        let group = match (&self.excerpt, &self.file) {
            (Some(excerpt), file) => {
                let mut snippet = Snippet::source(excerpt.text.as_str())
                    .line_start(excerpt.first_line)
                    .annotation(AnnotationKind::Primary.span(excerpt.span.clone()).label(excerpt.label.as_str()));
                if let Some(file) = file {
                    snippet = snippet.path(file.as_str());
                }
                title.element(snippet)
            }
            (None, Some(file)) => title.element(Origin::path(file.as_str())),
            (None, None) => Group::with_title(title),
        };
        let mut report = vec![group];
        if let Some(help) = &self.help {
            report.push(Group::with_title(Level::HELP.secondary_title(help.as_str())));
        }
        renderer.render(&report)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl Excerpt {
    /// Cuts the lines containing `span` out of `source`. Long lines (a CSV
    /// record can be megabytes) are trimmed around the span.
    fn cut(source: &str, span: Range<usize>, label: String) -> Excerpt {
        let start = floor_char(source, span.start.min(source.len()));
        let end = floor_char(source, span.end.clamp(start, source.len()));
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[end..].find('\n').map_or(source.len(), |i| end + i);
        let first_line = source[..line_start].bytes().filter(|&b| b == b'\n').count() + 1;
        let mut text = &source[line_start..line_end];
        let mut span = (start - line_start)..(end - line_start);
        // Keep at most ~100 bytes either side of the span so huge fields stay readable.
        const CONTEXT: usize = 100;
        if text.len() > span.end + CONTEXT {
            text = &text[..floor_char(text, span.end + CONTEXT)];
        }
        if span.start > CONTEXT {
            let cut = floor_char(text, span.start - CONTEXT);
            text = &text[cut..];
            span = (span.start - cut)..(span.end - cut);
        }
        let text = text.trim_end_matches('\r').to_string();
        let span = span.start.min(text.len())..span.end.min(text.len());
        Excerpt { text, first_line, span, label }
    }

    fn line_column(&self) -> (usize, usize) {
        let before = &self.text[..self.span.start];
        let line = self.first_line + before.matches('\n').count();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The closest of `candidates` to `wrong`, if it is close enough to be a typo.
pub fn nearest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&wrong.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_reports_line_and_column_in_characters() {
        let source = "title = \"x\"\n[stats]\nconfidence = \"hoch\"\n";
        let start = source.find("\"hoch\"").unwrap();
        let d = Diagnostic::new("wrong type").in_file("site.toml").at(source, start..start + 6, "a string");
        assert_eq!(d.line_column(), Some((3, 14)));
        let text = d.render(false);
        assert!(text.contains("site.toml:3:14"), "{text}");
        assert!(text.contains("confidence = \"hoch\""), "{text}");
    }

    #[test]
    fn excerpt_trims_huge_lines_around_the_span() {
        let mut source = "x".repeat(10_000);
        source.push_str("BAD");
        source.push_str(&"y".repeat(10_000));
        let d = Diagnostic::new("bad").at(&source, 10_000..10_003, "here");
        let excerpt = d.excerpt.as_ref().unwrap();
        assert!(excerpt.text.len() < 300);
        assert_eq!(&excerpt.text[excerpt.span.clone()], "BAD");
    }

    #[test]
    fn nearest_finds_typos_but_not_strangers() {
        let keys = ["title", "base_url", "timezone", "periods"];
        assert_eq!(nearest("titel", keys), Some("title"));
        assert_eq!(nearest("time_zone", keys), Some("timezone"));
        assert_eq!(nearest("colour", keys), None);
    }
}
