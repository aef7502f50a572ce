//! Finding a theme's files: built-in default, `themes/<name>/`, then the site's overrides.

use std::collections::BTreeMap;
use std::path::Path;

use super::RenderError;
use crate::charts::ChartStyle;
use crate::config::{Config, Language};
use crate::diagnostic::Diagnostic;
use crate::locale::Locale;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));
}

/// A template's text and where it came from.
#[derive(Debug, Clone)]
pub struct Template {
    pub text: String,
    pub origin: String,
}

/// A file copied to the output as it is.
#[derive(Debug, Clone)]
pub struct Asset {
    pub bytes: Vec<u8>,
    pub origin: String,
}

/// Everything a build needs from the theme.
#[derive(Debug)]
pub struct Theme {
    /// By template name (`base.html`, `partials/tile.html`).
    pub templates: BTreeMap<String, Template>,
    /// By output path (`style.css`, `fonts/roboto-latin-400-normal.woff2`).
    pub assets: BTreeMap<String, Asset>,
    pub locale: Locale,
    pub chart_style: ChartStyle,
}

/// The files of one layer, by path relative to the layer's root.
type Layer = Vec<(String, Vec<u8>, String)>;

impl Theme {
    pub fn load(root: &Path, config: &Config) -> Result<Theme, RenderError> {
        let mut layers: Vec<Layer> = vec![
            embedded::DEFAULT_THEME
                .iter()
                .map(|(p, b)| (p.to_string(), b.to_vec(), format!("(default theme) {p}")))
                .collect(),
        ];
        let theme_dir = root.join("themes").join(&config.theme);
        if theme_dir.is_dir() {
            layers.push(read_layer(&theme_dir, &format!("themes/{}", config.theme))?);
        } else if config.theme != "default" {
            return Err(theme_error(
                Diagnostic::new(format!("there is no theme `{}`", config.theme))
                    .in_file(crate::config::FILE_NAME)
                    .with_help(format!(
                        "put the theme in themes/{}/, or use the built-in theme: `theme = \"default\"`",
                        config.theme
                    )),
            ));
        }
        let mut site_layer = Layer::new();
        for dir in ["templates", "static"] {
            if root.join(dir).is_dir() {
                for (path, bytes, origin) in read_layer(&root.join(dir), dir)? {
                    site_layer.push((format!("{dir}/{path}"), bytes, origin));
                }
            }
        }
        layers.push(site_layer);
        Theme::from_layers(layers, config)
    }

    /// Puts the layers together, lowest first: each file replaces the one of the same path below it,
    /// and the interface strings of the site's language are merged key by key.
    fn from_layers(layers: Vec<Layer>, config: &Config) -> Result<Theme, RenderError> {
        let mut templates = BTreeMap::new();
        let mut assets = BTreeMap::new();
        let mut strings: BTreeMap<String, String> = BTreeMap::new();
        let i18n = format!("i18n/{}.toml", config.language.code());
        let mut found_strings = false;
        for layer in layers {
            for (path, bytes, origin) in layer {
                if let Some(name) = path.strip_prefix("templates/") {
                    let text = String::from_utf8(bytes).map_err(|_| {
                        theme_error(Diagnostic::new(format!("{origin} is not UTF-8 text")).in_file(&origin))
                    })?;
                    templates.insert(name.to_string(), Template { text, origin });
                } else if let Some(name) = path.strip_prefix("static/") {
                    assets.insert(name.to_string(), Asset { bytes, origin });
                } else if path == i18n {
                    let text = String::from_utf8_lossy(&bytes).into_owned();
                    let layer_strings: BTreeMap<String, String> = toml::from_str(&text)
                        .map_err(|e| theme_error(crate::config::toml_diagnostic(&text, &e).in_file(&origin)))?;
                    strings.extend(layer_strings);
                    found_strings = true;
                }
            }
        }
        if !found_strings {
            return Err(theme_error(
                Diagnostic::new(format!("the theme has no interface strings for `{}`", config.language.code()))
                    .in_file(crate::config::FILE_NAME)
                    .with_help(format!("add {i18n} to the theme, or set `language = \"en\"`")),
            ));
        }
        let mut chart_style = assets
            .get("style.css")
            .map(|css| ChartStyle::from_css(&String::from_utf8_lossy(&css.bytes)))
            .unwrap_or_default();
        if config.language == Language::Zh
            && let Some(font) = assets.get(crate::charts::CJK_FONT)
        {
            chart_style = chart_style.with_cjk_font(&font.bytes);
        }
        Ok(Theme { templates, assets, locale: Locale::new(config.language, strings), chart_style })
    }
}

impl Theme {
    /// The templates that show `names` (themselves, and every template that extends or includes
    /// one of them, at any depth): the pages made from these are the ones an edit of `names` can
    /// change. `None` when that cannot be known from the templates' text (a tera component,
    /// whose uses are not tied to a file), so every page must be made again.
    pub fn users_of(&self, names: &[String]) -> Option<std::collections::BTreeSet<String>> {
        static REFERENCE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(r#"\{%-?\s*(?:extends|include)\s+["'`]([^"'`]+)["'`]"#).expect("a valid pattern")
        });
        static COMPONENT: std::sync::LazyLock<regex::Regex> =
            std::sync::LazyLock::new(|| regex::Regex::new(r"\{%-?\s*component\b").expect("a valid pattern"));
        let mut uses: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (name, template) in &self.templates {
            if COMPONENT.is_match(&template.text) {
                return None;
            }
            for reference in REFERENCE.captures_iter(&template.text) {
                uses.entry(reference.get(1).expect("one group").as_str()).or_default().push(name);
            }
        }
        let mut users: std::collections::BTreeSet<String> = names.iter().cloned().collect();
        let mut pending: Vec<String> = names.to_vec();
        while let Some(name) = pending.pop() {
            for user in uses.get(name.as_str()).into_iter().flatten() {
                if users.insert(user.to_string()) {
                    pending.push(user.to_string());
                }
            }
        }
        Some(users)
    }
}

fn theme_error(d: Diagnostic) -> RenderError {
    RenderError::Theme(Box::new(d))
}

/// Every file below `dir` (hidden files skipped), with paths relative to it.
fn read_layer(dir: &Path, shown: &str) -> Result<Layer, RenderError> {
    let mut files = Layer::new();
    // Hidden files and folders (.git, .DS_Store, editor backups) are never published.
    let visible = |e: &walkdir::DirEntry| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.');
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().filter_entry(visible) {
        let entry = entry.map_err(|e| theme_error(Diagnostic::new(format!("cannot read {shown}: {e}"))))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(dir).expect("walkdir stays below its root");
        let relative = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        let bytes = std::fs::read(entry.path())
            .map_err(|e| theme_error(Diagnostic::new(format!("cannot read {shown}/{relative}: {e}"))))?;
        files.push((relative.clone(), bytes, format!("{shown}/{relative}")));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn config(language: &str) -> Config {
        let text = format!("title = \"T\"\nlanguage = \"{language}\"\n[[sources]]\npath = \"s.csv\"\n");
        Config::parse(&text).unwrap()
    }

    fn default_layer() -> Layer {
        embedded::DEFAULT_THEME.iter().map(|(p, b)| (p.to_string(), b.to_vec(), p.to_string())).collect()
    }

    /// The `{name}` placeholders of an interface string.
    fn placeholders(text: &str) -> BTreeSet<&str> {
        text.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect()
    }

    #[test]
    fn every_bundled_language_has_the_english_keys_and_placeholders() {
        let files: BTreeMap<&str, BTreeMap<String, String>> = embedded::DEFAULT_THEME
            .iter()
            .filter_map(|(path, bytes)| {
                let code = path.strip_prefix("i18n/")?.strip_suffix(".toml")?;
                Some((code, toml::from_str(std::str::from_utf8(bytes).unwrap()).unwrap()))
            })
            .collect();
        assert_eq!(files.keys().copied().collect::<Vec<_>>(), ["en", "ru", "zh"]);
        let en = &files["en"];
        for (code, strings) in &files {
            let missing: Vec<&String> = en.keys().filter(|k| !strings.contains_key(*k)).collect();
            let extra: Vec<&String> = strings.keys().filter(|k| !en.contains_key(*k)).collect();
            assert!(missing.is_empty() && extra.is_empty(), "i18n/{code}.toml: missing {missing:?}, extra {extra:?}");
            for (key, text) in strings {
                assert_eq!(placeholders(text), placeholders(&en[key]), "i18n/{code}.toml: placeholders of `{key}`");
            }
        }
    }

    #[test]
    fn the_language_picks_its_strings() {
        for (language, dashboard) in [("en", "Dashboard"), ("ru", "Обзор"), ("zh", "概览")] {
            let theme = Theme::from_layers(vec![default_layer()], &config(language)).unwrap();
            assert_eq!(theme.locale.t("dashboard"), dashboard);
        }
    }

    #[test]
    fn a_missing_language_file_is_named() {
        let without_zh = default_layer().into_iter().filter(|(p, _, _)| p != "i18n/zh.toml").collect();
        let error = Theme::from_layers(vec![without_zh], &config("zh")).unwrap_err().diagnostic();
        assert_eq!(error.message, "the theme has no interface strings for `zh`");
        assert!(error.help.unwrap().contains("i18n/zh.toml"));
    }
}
