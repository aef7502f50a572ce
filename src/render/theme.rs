//! Finding a theme's files: the built-in default, the chosen theme, then the site's overrides.
//!
//! Static files and interface strings are layered by path: a file of a higher layer replaces the
//! one of the same path below it (strings key by key). Templates are layered by *name* instead, so
//! that a layer can build on the one below rather than copy it: the default theme's templates are
//! known as `default/report.html`, the chosen theme's as `executive/report.html`, the site's own
//! plainly as `report.html`, and a plain name that no site template has is looked up in the chosen
//! theme, then in the default (tera's fallback prefixes). So a theme's `report.html` can
//! `{% extends "default/report.html" %}` and replace one block, and every `{% include %}` of the
//! default's templates still finds the theme's or the site's version of a partial first.

use std::collections::BTreeMap;
use std::path::Path;

use super::RenderError;
use crate::charts::ChartStyle;
use crate::config::{Config, Language};
use crate::diagnostic::Diagnostic;
use crate::locale::Locale;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/bundled_themes.rs"));
}

/// The theme every other builds on; its templates are always known as `default/…`.
pub const DEFAULT: &str = "default";

/// The stylesheet a theme adds to the default's instead of replacing it (linked from its
/// `base.html`); charts read its custom properties after those of `style.css`.
const THEME_CSS: &str = "theme.css";

/// The names of the themes built into rapport, in order.
pub fn bundled() -> impl Iterator<Item = &'static str> {
    embedded::BUNDLED_THEMES.iter().map(|(name, _)| *name)
}

fn bundled_files(name: &str) -> Option<embedded::Files> {
    embedded::BUNDLED_THEMES.iter().find(|(n, _)| *n == name).map(|(_, files)| *files)
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
    /// By the name templates call them: the default theme's as `default/base.html`, the chosen
    /// theme's as `<theme>/report.html`, the site's own as their path (`partials/tile.html`).
    pub templates: BTreeMap<String, Template>,
    /// Where a name without a template of its own is looked up, in order: `<theme>/`, `default/`.
    pub fallbacks: Vec<String>,
    /// By output path (`style.css`, `fonts/roboto-latin-400-normal.woff2`).
    pub assets: BTreeMap<String, Asset>,
    pub locale: Locale,
    pub chart_style: ChartStyle,
}

/// The files of one layer, by path relative to the layer's root (`templates/base.html`), and what
/// its templates are called: `default/`, `<theme>/`, or nothing for the site's own.
struct Layer {
    prefix: String,
    files: Vec<(String, Vec<u8>, String)>,
}

impl Layer {
    fn bundled(name: &str, files: &[(&str, &[u8])]) -> Layer {
        Layer {
            prefix: format!("{name}/"),
            files: files.iter().map(|(p, b)| (p.to_string(), b.to_vec(), format!("({name} theme) {p}"))).collect(),
        }
    }
}

impl Theme {
    pub fn load(root: &Path, config: &Config) -> Result<Theme, RenderError> {
        let name = config.theme.as_str();
        let on_disk = root.join("themes").join(name);
        let mut layers = vec![Layer::bundled(DEFAULT, bundled_files(DEFAULT).expect("the default theme is bundled"))];
        if name != DEFAULT {
            match bundled_files(name) {
                Some(files) => layers.push(Layer::bundled(name, files)),
                None if !on_disk.is_dir() => return Err(unknown_theme(name)),
                None => {}
            }
        }
        // A theme folder of the site layers over the bundled theme of its name, file by file.
        if on_disk.is_dir() {
            layers.push(Layer { prefix: format!("{name}/"), files: read_layer(&on_disk, &format!("themes/{name}"))? });
        }
        let mut site = Layer { prefix: String::new(), files: Vec::new() };
        for dir in ["templates", "static"] {
            if root.join(dir).is_dir() {
                for (path, bytes, origin) in read_layer(&root.join(dir), dir)? {
                    site.files.push((format!("{dir}/{path}"), bytes, origin));
                }
            }
        }
        layers.push(site);
        Theme::from_layers(layers, config)
    }

    /// Puts the layers together, lowest first: each static file replaces the one of the same path
    /// below it, templates are kept under their layer's prefix, and the interface strings of the
    /// site's language are merged key by key.
    fn from_layers(layers: Vec<Layer>, config: &Config) -> Result<Theme, RenderError> {
        let mut templates = BTreeMap::new();
        let mut assets = BTreeMap::new();
        let mut strings: BTreeMap<String, String> = BTreeMap::new();
        let i18n = format!("i18n/{}.toml", config.language.code());
        let mut found_strings = false;
        let reserved = [format!("{DEFAULT}/"), format!("{}/", config.theme)];
        for layer in layers {
            for (path, bytes, origin) in layer.files {
                if let Some(name) = path.strip_prefix("templates/") {
                    if layer.prefix.is_empty()
                        && let Some(prefix) = reserved.iter().find(|r| name.starts_with(r.as_str()))
                    {
                        return Err(reserved_name(&origin, prefix, name));
                    }
                    let text = String::from_utf8(bytes).map_err(|_| {
                        theme_error(Diagnostic::new(format!("{origin} is not UTF-8 text")).in_file(&origin))
                    })?;
                    templates.insert(format!("{}{name}", layer.prefix), Template { text, origin });
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
        let css = |name: &str| assets.get(name).map(|css| String::from_utf8_lossy(&css.bytes));
        let mut chart_style = css("style.css").map(|css| ChartStyle::from_css(&css)).unwrap_or_default();
        if let Some(css) = css(THEME_CSS) {
            chart_style = chart_style.with_css(&css);
        }
        if config.language == Language::Zh
            && let Some(font) = assets.get(crate::charts::CJK_FONT)
        {
            chart_style = chart_style.with_cjk_font(&font.bytes);
        }
        let mut fallbacks = vec![format!("{DEFAULT}/")];
        if config.theme != DEFAULT {
            fallbacks.insert(0, format!("{}/", config.theme));
        }
        Ok(Theme { templates, fallbacks, assets, locale: Locale::new(config.language, strings), chart_style })
    }
}

impl Theme {
    /// Whether any template reads the context field `field` (outside `{# comments #}`): what no
    /// template reads need not be worked out.
    pub fn reads(&self, field: &str) -> bool {
        static COMMENT: std::sync::LazyLock<regex::Regex> =
            std::sync::LazyLock::new(|| regex::Regex::new(r"(?s)\{#.*?#\}").expect("a valid pattern"));
        let Ok(word) = regex::Regex::new(&format!(r"\b{}\b", regex::escape(field))) else { return true };
        self.templates.values().any(|t| word.is_match(&COMMENT.replace_all(&t.text, "")))
    }

    /// The templates that show `names` (themselves, and every template that extends or includes
    /// one of them, at any depth): the pages made from these are the ones an edit of `names` can
    /// change. Names are compared without their layer's prefix (`default/report.html` is
    /// `report.html`), which may count a template of another layer in but never leaves a user
    /// out. `None` when that cannot be known from the templates' text (a tera component, whose
    /// uses are not tied to a file), so every page must be made again.
    pub fn users_of(&self, names: &[String]) -> Option<std::collections::BTreeSet<String>> {
        static REFERENCE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(r#"\{%-?\s*(?:extends|include)\s+["'`]([^"'`]+)["'`]"#).expect("a valid pattern")
        });
        static COMPONENT: std::sync::LazyLock<regex::Regex> =
            std::sync::LazyLock::new(|| regex::Regex::new(r"\{%-?\s*component\b").expect("a valid pattern"));
        let plain = |name: &str| -> String {
            let own = self.fallbacks.iter().find_map(|prefix| name.strip_prefix(prefix.as_str()));
            own.unwrap_or(name).to_string()
        };
        let mut uses: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, template) in &self.templates {
            if COMPONENT.is_match(&template.text) {
                return None;
            }
            for reference in REFERENCE.captures_iter(&template.text) {
                uses.entry(plain(reference.get(1).expect("one group").as_str())).or_default().push(plain(name));
            }
        }
        let mut users: std::collections::BTreeSet<String> = names.iter().map(|n| plain(n)).collect();
        let mut pending: Vec<String> = users.iter().cloned().collect();
        while let Some(name) = pending.pop() {
            for user in uses.get(&name).into_iter().flatten() {
                if users.insert(user.clone()) {
                    pending.push(user.clone());
                }
            }
        }
        Some(users)
    }
}

fn unknown_theme(name: &str) -> RenderError {
    let bundled: Vec<String> = bundled().map(|b| format!("`theme = \"{b}\"`")).collect();
    theme_error(Diagnostic::new(format!("there is no theme `{name}`")).in_file(crate::config::FILE_NAME).with_help(
        format!("put the theme in themes/{name}/, or use a theme built into rapport: {}", bundled.join(" or ")),
    ))
}

/// A site template whose path is a theme's prefix would hide that theme's template of the same name.
fn reserved_name(origin: &str, prefix: &str, name: &str) -> RenderError {
    let own = name.strip_prefix(prefix).unwrap_or(name);
    theme_error(
        Diagnostic::new(format!("{origin}: a site template may not be in a folder `{prefix}`"))
            .in_file(origin)
            .with_help(format!(
                "`{prefix}…` names the {} theme's templates (`{{% extends \"{prefix}{own}\" %}}`); \
                 to replace {own}, put yours at templates/{own}",
                prefix.trim_end_matches('/')
            )),
    )
}

fn theme_error(d: Diagnostic) -> RenderError {
    RenderError::Theme(Box::new(d))
}

/// Every file below `dir` (hidden files skipped), with paths relative to it.
fn read_layer(dir: &Path, shown: &str) -> Result<Vec<(String, Vec<u8>, String)>, RenderError> {
    let mut files = Vec::new();
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
        Layer::bundled(DEFAULT, bundled_files(DEFAULT).unwrap())
    }

    /// The `{name}` placeholders of an interface string.
    fn placeholders(text: &str) -> BTreeSet<&str> {
        text.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect()
    }

    /// The strings of every language of a bundled theme, the default's first and the theme's over them.
    fn merged_strings(theme: &str) -> BTreeMap<String, BTreeMap<String, String>> {
        let mut languages: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        for name in [DEFAULT, theme] {
            for (path, bytes) in bundled_files(name).unwrap() {
                let Some(code) = path.strip_prefix("i18n/").and_then(|p| p.strip_suffix(".toml")) else { continue };
                let strings: BTreeMap<String, String> = toml::from_str(std::str::from_utf8(bytes).unwrap()).unwrap();
                languages.entry(code.to_string()).or_default().extend(strings);
            }
        }
        languages
    }

    #[test]
    fn every_bundled_language_has_the_english_keys_and_placeholders() {
        assert_eq!(bundled().collect::<Vec<_>>(), [DEFAULT, "executive"]);
        for theme in bundled() {
            let files = merged_strings(theme);
            assert_eq!(files.keys().map(String::as_str).collect::<Vec<_>>(), ["en", "ru", "zh"], "{theme}");
            let en = &files["en"];
            for (code, strings) in &files {
                let missing: Vec<&String> = en.keys().filter(|k| !strings.contains_key(*k)).collect();
                let extra: Vec<&String> = strings.keys().filter(|k| !en.contains_key(*k)).collect();
                assert!(
                    missing.is_empty() && extra.is_empty(),
                    "{theme}: i18n/{code}.toml: missing {missing:?}, extra {extra:?}"
                );
                for (key, text) in strings {
                    assert_eq!(
                        placeholders(text),
                        placeholders(&en[key]),
                        "{theme}: i18n/{code}.toml: placeholders of `{key}`"
                    );
                }
            }
        }
    }

    #[test]
    fn a_theme_keeps_the_placeholders_of_the_strings_it_changes() {
        for theme in bundled().filter(|t| *t != DEFAULT) {
            let defaults = merged_strings(DEFAULT);
            for (code, strings) in merged_strings(theme) {
                for (key, text) in strings.iter().filter(|(k, _)| defaults[&code].contains_key(*k)) {
                    assert_eq!(placeholders(text), placeholders(&defaults[&code][key]), "{theme} {code} `{key}`");
                }
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
        let mut without_zh = default_layer();
        without_zh.files.retain(|(p, _, _)| p != "i18n/zh.toml");
        let error = Theme::from_layers(vec![without_zh], &config("zh")).unwrap_err().diagnostic();
        assert_eq!(error.message, "the theme has no interface strings for `zh`");
        assert!(error.help.unwrap().contains("i18n/zh.toml"));
    }
}
