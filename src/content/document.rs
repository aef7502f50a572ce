//! A markdown body kept with its shortcodes until the figures exist to fill them in.

use std::ops::Range;

use super::shortcodes::{self, Piece, Shortcode};
use super::{ContentError, Substitute, invalid, markdown};
use crate::diagnostic::Diagnostic;
use crate::metrics::Period;

/// A markdown body and its shortcodes, kept until the figures exist to fill them in.
#[derive(Debug, Clone, PartialEq)]
pub struct Markdown {
    /// The file, as shown in messages.
    pub file: String,
    /// The whole file, front matter included, so that errors point at its lines.
    pub text: String,
    /// Where the body starts in `text`.
    body: usize,
    pieces: Vec<Piece>,
}

impl Markdown {
    pub(super) fn parse(file: &str, text: &str, body: usize) -> Result<Markdown, ContentError> {
        let pieces = shortcodes::parse(text, body).map_err(|e| invalid(e.diagnostic(file, text)))?;
        Ok(Markdown { file: file.into(), text: text.into(), body, pieces })
    }

    /// The shortcodes of the body, in order.
    pub fn shortcodes(&self) -> impl Iterator<Item = &Shortcode> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Shortcode(s) => Some(s),
            Piece::Literal { .. } => None,
        })
    }

    pub(super) fn has_shortcodes(&self) -> bool {
        self.shortcodes().next().is_some()
    }

    /// The body as HTML, each shortcode replaced by its substitute (in the order of [`Markdown::shortcodes`]).
    pub fn render(&self, expansions: &[Substitute]) -> String {
        let mut source = String::with_capacity(self.text.len() - self.body);
        let mut substitutes = Vec::with_capacity(self.pieces.len());
        let mut expansions = expansions.iter();
        let mut from = self.body;
        for piece in &self.pieces {
            let span = piece.span();
            source.push_str(&self.text[from..span.start]);
            source.push_str(&markdown::placeholder(substitutes.len()));
            substitutes.push(match piece {
                Piece::Shortcode(_) => {
                    expansions.next().cloned().unwrap_or(Substitute { html: String::new(), block: false })
                }
                Piece::Literal { text, .. } => Substitute { html: escape_html(text), block: false },
            });
            from = span.end;
        }
        source.push_str(&self.text[from..]);
        markdown::render_with(&source, &substitutes)
    }

    /// An error at `span` of the file.
    pub fn error(
        &self,
        span: Range<usize>,
        message: impl Into<String>,
        label: &str,
        help: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(message).in_file(&self.file).at(&self.text, span, label).with_help(help)
    }
}

/// Text as HTML: `&`, `<`, `>` and quotes escaped.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Which figures a markdown file's shortcodes show when they name no period or group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// `content/_index.md`.
    Dashboard,
    /// `content/reports/<period>.md`.
    Report(Period),
    /// `content/cases/*.md`, by index.
    Case(usize),
    /// `content/pages/*.md`.
    Page,
}
