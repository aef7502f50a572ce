//! Problems in `site.toml`, told the way people fix them.

use std::path::{Path, PathBuf};

use super::FILE_NAME;
use crate::diagnostic::{Diagnostic, nearest};

/// `site.toml` could not be read or is not valid.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{}", .0.message)]
    Invalid(Box<Diagnostic>),
}

impl ConfigError {
    pub fn diagnostic(&self) -> Diagnostic {
        match self {
            ConfigError::Read { path, source } if source.kind() == std::io::ErrorKind::NotFound => Diagnostic::new(
                format!("no {FILE_NAME} in {}", display_dir(path.parent())),
            )
            .with_help("run `rapport build` in a site folder, pass `--root DIR`, or create a site with `rapport init`"),
            ConfigError::Read { path, source } => Diagnostic::new(format!("cannot read {}: {source}", path.display())),
            ConfigError::Invalid(d) => (**d).clone(),
        }
    }
}

fn display_dir(dir: Option<&Path>) -> String {
    match dir {
        Some(d) if !d.as_os_str().is_empty() => d.display().to_string(),
        _ => "the current folder".into(),
    }
}

pub(super) fn invalid(d: Diagnostic) -> ConfigError {
    ConfigError::Invalid(Box::new(d.in_file(FILE_NAME)))
}

/// Turns toml's error into a diagnostic, with a "did you mean" for unknown keys and values.
pub fn toml_diagnostic(text: &str, error: &toml::de::Error) -> Diagnostic {
    let message = error.message().trim_end().to_string();
    let (mut headline, label, help) = explain(&message);
    if let Some(key) = error.span().filter(|_| message == "duplicate key").and_then(|span| text.get(span)) {
        headline = format!("`{}` is defined twice", key.trim().trim_matches('"'));
    }
    let d = Diagnostic::new(headline);
    let d = match error.span() {
        Some(span) => d.at(text, span, label),
        None => d,
    };
    match help {
        Some(help) => d.with_help(help),
        None => d,
    }
}

/// Rephrases serde's messages for people: `unknown field `titel`, expected one
/// of `title`, ...` becomes "unknown key `titel`" with "did you mean `title`?".
fn explain(message: &str) -> (String, String, Option<String>) {
    for (prefix, noun) in [("unknown field", "key"), ("unknown variant", "value")] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let names = backticked(rest);
            let Some((wrong, expected)) = names.split_first() else { break };
            let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
            let help = match nearest(wrong, expected.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None if expected.is_empty() => format!("remove `{wrong}`: this table takes no {noun}s"),
                None => format!(
                    "expected one of {}",
                    expected.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", ")
                ),
            };
            return (format!("unknown {noun} `{wrong}`"), format!("unknown {noun}"), Some(help));
        }
    }
    if let Some(rest) = message.strip_prefix("missing field") {
        let names = backticked(rest);
        let field = names.first().map(String::as_str).unwrap_or("?");
        return (
            format!("missing key `{field}`"),
            "in this table".into(),
            Some(format!("add `{field} = …` to this table")),
        );
    }
    if message == "duplicate key" {
        return (
            message.into(),
            "defined again".into(),
            Some(
                "a key can appear once in a table: remove one, or merge the two (a topic's keywords go in one list)"
                    .into(),
            ),
        );
    }
    (message.replace("invalid type", "wrong type"), "here".into(), None)
}

fn backticked(text: &str) -> Vec<String> {
    text.split('`').skip(1).step_by(2).map(str::to_string).collect()
}
