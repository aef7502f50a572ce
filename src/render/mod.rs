//! Theme + page views -> HTML.
//!
//! A theme is layered: the default theme built into the binary, then the
//! site's `themes/<name>/` (when `theme` names one), then the site's own
//! `templates/` and `static/`. Each layer replaces single files of the one
//! below, so a site can change its footer without copying the theme. Pages
//! are rendered by tera from views the site stage prepared; nothing here
//! computes a figure or formats a number.

mod theme;

use std::collections::BTreeMap;

use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostic::Diagnostic;

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
    /// Template name -> the file it came from, for error messages.
    origins: BTreeMap<String, String>,
}

impl Renderer {
    /// Compiles every template of `theme`; `globals` are visible to every page.
    pub fn new(theme: &Theme, globals: &impl Serialize) -> Result<Renderer, RenderError> {
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        let origins: BTreeMap<String, String> =
            theme.templates.iter().map(|(name, t)| (name.clone(), t.origin.clone())).collect();
        tera.add_raw_templates(theme.templates.iter().map(|(name, t)| (name.as_str(), t.text.as_str())))
            .map_err(|e| RenderError::Template(Box::new(template_diagnostic(&e, &origins))))?;
        let globals = Context::from_serialize(globals)
            .map_err(|e| RenderError::Template(Box::new(Diagnostic::new(e.to_string()))))?;
        tera.global_context().extend(globals);
        Ok(Renderer { tera, origins })
    }

    /// Renders `template` with `view` as its context.
    pub fn render(&self, template: &str, view: &impl Serialize) -> Result<String, RenderError> {
        let context = Context::from_serialize(view)
            .map_err(|e| RenderError::Template(Box::new(Diagnostic::new(e.to_string()))))?;
        self.tera
            .render(template, &context)
            .map_err(|e| RenderError::Template(Box::new(template_diagnostic(&e, &self.origins))))
    }
}

/// tera already prints the template, line and column in rustc style; we add which file it came from.
fn template_diagnostic(error: &tera::Error, origins: &BTreeMap<String, String>) -> Diagnostic {
    let text = error.to_string();
    let mut d = Diagnostic::new(format!("template error\n{}", text.trim_end()));
    let mentioned: Vec<&String> = origins
        .keys()
        .filter(|name| text.contains(&format!("{name}:")) || text.contains(&format!("'{name}'")))
        .collect();
    if let Some(name) = mentioned.first() {
        let origin = &origins[*name];
        d = d.with_help(if origin.starts_with("(default theme)") {
            format!("`{name}` is the default theme's; if you changed it, compare with the theme's copy")
        } else {
            format!("`{name}` comes from {origin}")
        });
    }
    d
}
