//! Theme + page views -> HTML.
//!
//! A theme is layered: the default theme built into the binary, then the
//! chosen theme (bundled, or the site's `themes/<name>/`), then the site's own
//! `templates/` and `static/`. Each layer replaces single files of the one
//! below, so a site can change its footer without copying the theme, and a
//! template can extend the one it replaces (`default/report.html`). Pages
//! are rendered by tera from views the site stage prepared; nothing here
//! computes a figure or formats a number.

mod theme;

use std::collections::BTreeMap;

use serde::Serialize;
use tera::{ErrorKind, Tera};

use crate::diagnostic::Diagnostic;

pub use tera::Context;
pub use theme::{Asset, Theme};

/// The theme's templates or strings are broken, or a page could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("{}", .0.message)]
    Theme(Box<Diagnostic>),
    #[error("{}", .0.message)]
    Template(Box<Diagnostic>),
}

impl RenderError {
    pub fn diagnostic(&self) -> Diagnostic {
        match self {
            RenderError::Theme(d) | RenderError::Template(d) => (**d).clone(),
        }
    }
}

/// Renders pages with a theme's templates.
pub struct Renderer {
    tera: Tera,
    /// The templates by name, to point errors at their source file.
    templates: BTreeMap<String, theme::Template>,
}

impl Renderer {
    /// Compiles every template of `theme`; `globals` are visible to every page.
    pub fn new(theme: &Theme, globals: &impl Serialize) -> Result<Renderer, RenderError> {
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        // A name the site's templates lack is the chosen theme's, else the default's.
        tera.set_fallback_prefixes(theme.fallbacks.clone())
            .map_err(|e| RenderError::Template(Box::new(Diagnostic::new(e.to_string()))))?;
        let templates = theme.templates.clone();
        tera.add_raw_templates(templates.iter().map(|(name, t)| (name.as_str(), t.text.as_str())))
            .map_err(|e| RenderError::Template(Box::new(template_diagnostic(&e, &templates))))?;
        let globals = Context::from_serialize(globals)
            .map_err(|e| RenderError::Template(Box::new(Diagnostic::new(e.to_string()))))?;
        tera.global_context().extend(globals);
        Ok(Renderer { tera, templates })
    }

    /// Renders `template` with `view` as its context.
    pub fn render(&self, template: &str, view: &impl Serialize) -> Result<String, RenderError> {
        self.render_context(template, &context_of(view)?)
    }

    /// Renders `template` with a context made earlier by [`context_of`].
    pub fn render_context(&self, template: &str, context: &Context) -> Result<String, RenderError> {
        self.tera
            .render(template, context)
            .map_err(|e| RenderError::Template(Box::new(template_diagnostic(&e, &self.templates))))
    }
}

/// What a template sees of `view`: made once, it can be rendered with several templates, or
/// again after a template changed.
pub fn context_of(view: &impl Serialize) -> Result<Context, RenderError> {
    Context::from_serialize(view).map_err(|e| RenderError::Template(Box::new(Diagnostic::new(e.to_string()))))
}

/// The template and byte offset of a "--> name:line:column" mark in an error's text.
fn located<'t>(text: &str, templates: &'t BTreeMap<String, theme::Template>) -> Option<(&'t theme::Template, usize)> {
    let mark = text.lines().find_map(|l| l.trim().strip_prefix("--> "))?;
    let mut parts = mark.rsplitn(3, ':');
    let (column, line, name) =
        (parts.next()?.parse::<usize>().ok()?, parts.next()?.parse::<usize>().ok()?, parts.next()?);
    let template = templates.get(name)?;
    let start: usize = template.text.split_inclusive('\n').take(line.checked_sub(1)?).map(str::len).sum();
    let offset = start + template.text[start..].char_indices().nth(column.checked_sub(1)?)?.0;
    Some((template, offset))
}

/// Points a tera error at the template file it came from (the theme's or the site's own).
fn template_diagnostic(error: &tera::Error, templates: &BTreeMap<String, theme::Template>) -> Diagnostic {
    let text = error.to_string();
    // tera lists the includes that led to the error as "note: called from <template>:<line>:<column>".
    let called_from: Vec<&str> = text.lines().filter_map(|l| l.trim().strip_prefix("note: called from ")).collect();
    let report = match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => report,
        _ => {
            let first = text.lines().next().unwrap_or("").trim_start_matches("error: ");
            // Errors found when templates are put together (an unknown filter or function) name
            // their place as "--> <template>:<line>:<column>" in the text only.
            if let Some((template, span)) = located(&text, templates) {
                let word = template.text[span..].find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(0);
                return Diagnostic::new(format!("template error: {first}")).in_file(&template.origin).at(
                    &template.text,
                    span..span + word.max(1),
                    "here",
                );
            }
            return Diagnostic::new(format!("template error: {first}")).with_help(
                text.lines().skip(1).map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n"),
            );
        }
    };
    let name = report.filename();
    let mut d = Diagnostic::new(format!("in template `{name}`: {}", report.message()));
    if let Some(template) = templates.get(name) {
        d = d.in_file(&template.origin).at(&template.text, report.span().range.clone(), "here");
    }
    if !called_from.is_empty() {
        d = d.with_help(format!("called from {}", called_from.join(", then from ")));
    }
    d
}
