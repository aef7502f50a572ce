//! The documentation is tested like code: every `site.toml` key the config
//! types accept is in docs/configuration.md (and nothing it lists is made
//! up), every TOML example there loads, and each CI recipe's site builds and
//! passes `rapport check`, with its workflow quoted verbatim in docs/ci.md.
//!
//! The keys are not listed by hand: every config table rejects unknown keys,
//! and serde's error names the keys it expected, so probing each table with an
//! unknown key reads the accepted keys off the config types themselves.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{copy, rapport, stderr, stdout};
use rapport::config::Config;
use toml::{Table, Value};

fn doc(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The fenced blocks of `markdown` whose info string is `lang`.
fn blocks<'a>(markdown: &'a str, lang: &str) -> Vec<&'a str> {
    let fence = format!("```{lang}\n");
    markdown
        .split(fence.as_str())
        .skip(1)
        .map(|rest| &rest[..rest.find("\n```").map_or(rest.len(), |i| i + 1)])
        .collect()
}

/// A step of a key path: a key, and whether it holds an array of tables.
type Step = (String, bool);

/// The keys the table at `path` accepts, or `None` when it is not a table with fixed keys
/// (a scalar, a list, or a map taking any key).
fn accepted_keys(path: &[Step]) -> Option<Vec<String>> {
    const PROBE: &str = "zz_not_a_key";
    let mut value = Value::Table(Table::from_iter([(PROBE.to_string(), Value::Integer(1))]));
    for (key, array) in path.iter().rev() {
        if *array {
            value = Value::Array(vec![value]);
        }
        value = Value::Table(Table::from_iter([(key.clone(), value)]));
    }
    let Value::Table(probe) = value else { unreachable!() };
    let mut document: Table = toml::from_str("title = \"T\"\n[[sources]]\npath = \"x\"\n").unwrap();
    // The probed key comes last at the top level, first in every table below it.
    document.extend(probe);
    let text = toml::to_string(&document).unwrap();
    let message = match toml::from_str::<Config>(&text) {
        Ok(_) => return None,
        Err(e) => e.message().to_string(),
    };
    let rest = message.strip_prefix(&format!("unknown field `{PROBE}`"))?;
    Some(rest.split('`').skip(1).step_by(2).map(str::to_string).collect())
}

/// Every key `site.toml` accepts, as dotted paths (`sources.columns.id`), found by probing.
fn config_keys() -> BTreeSet<String> {
    fn walk(path: Vec<Step>, keys: &mut BTreeSet<String>) {
        for key in accepted_keys(&path).expect("a table with fixed keys") {
            let mut child = path.clone();
            child.push((key, false));
            keys.insert(child.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>().join("."));
            if accepted_keys(&child).is_some() {
                walk(child, keys);
            } else {
                child.last_mut().unwrap().1 = true;
                if accepted_keys(&child).is_some() {
                    walk(child, keys);
                }
            }
        }
    }
    let mut keys = BTreeSet::new();
    walk(Vec::new(), &mut keys);
    keys
}

#[test]
fn probing_finds_the_keys_of_nested_tables_and_arrays_of_tables() {
    let keys = config_keys();
    for key in ["title", "sources.columns.submitted_at", "metrics.first_response.buckets", "targets.where", "topics"] {
        assert!(keys.contains(key), "{key} not found in {keys:?}");
    }
    assert!(!keys.iter().any(|k| k.starts_with("sources.dimensions.")), "a map's keys are free: {keys:?}");
}

#[test]
fn every_config_key_is_in_the_reference_and_the_reference_invents_none() {
    let keys = config_keys();
    let reference = doc("configuration.md");
    // A table of fixed keys (`[metrics.csat]`) is documented by the rows of its keys.
    let is_table = |k: &str| keys.iter().any(|other| other.starts_with(&format!("{k}.")));
    let missing: Vec<&String> =
        keys.iter().filter(|k| !is_table(k) && !reference.contains(&format!("| `{k}` |"))).collect();
    assert!(missing.is_empty(), "docs/configuration.md has no table row for {missing:?}");
    let listed: Vec<&str> =
        reference.lines().filter_map(|line| line.strip_prefix("| `")?.split_once("` |").map(|(key, _)| key)).collect();
    let invented: Vec<&&str> = listed.iter().filter(|k| !keys.contains(**k)).collect();
    assert!(invented.is_empty(), "docs/configuration.md documents keys site.toml rejects: {invented:?}");
}

/// The dotted paths of every key in a TOML document (arrays of tables are looked into).
fn keys_of(table: &Table, prefix: &str, out: &mut BTreeSet<String>) {
    for (key, value) in table {
        let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        out.insert(path.clone());
        match value {
            Value::Table(t) => keys_of(t, &path, out),
            Value::Array(items) => {
                for item in items {
                    if let Value::Table(t) = item {
                        keys_of(t, &path, out);
                    }
                }
            }
            _ => {}
        }
    }
}

#[test]
fn the_complete_example_loads_and_uses_every_key() {
    let reference = doc("configuration.md");
    let section = reference.split("## A complete example").nth(1).expect("a complete example");
    let example = blocks(section, "toml")[0];
    Config::parse(example).unwrap_or_else(|e| panic!("the complete example does not load: {}", e.diagnostic().message));
    let mut used = BTreeSet::new();
    keys_of(&toml::from_str(example).unwrap(), "", &mut used);
    let keys = config_keys();
    let unused: Vec<&String> = keys.iter().filter(|k| !used.contains(*k)).collect();
    assert!(unused.is_empty(), "the complete example leaves out {unused:?}");
}

#[test]
fn every_site_toml_example_in_the_docs_loads() {
    let mut checked = 0;
    for name in ["configuration.md", "themes.md", "ci.md", "exports.md", "warehouse.md"] {
        let text = doc(name);
        for block in blocks(&text, "toml") {
            // Fragments of a site.toml (a table or two) are checked inside a minimal site.
            let mut site = block.to_string();
            if !block.lines().any(|l| l.starts_with("title =")) {
                site = format!("title = \"T\"\n{site}");
            }
            if !block.contains("[[sources]]") {
                site.push_str("\n[[sources]]\npath = \"x\"\n[sources.dimensions]\nchannel = \"channel\"\n");
            }
            if let Err(e) = Config::parse(&site) {
                panic!("docs/{name}: this example does not load ({}):\n{block}", e.diagnostic().message);
            }
            checked += 1;
        }
    }
    assert!(checked >= 8, "only {checked} examples found");
}

/// The CI recipes: (folder under docs/examples, workflow file, the base URL CI passes).
const RECIPES: [(&str, &str, &str); 2] = [
    ("github", "report.yml", "https://example.github.io/cx"),
    ("gitlab", "gitlab-ci.yml", "https://example.gitlab.io/cx"),
];

fn example(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples").join(name), dir.path());
    dir
}

#[test]
fn each_ci_recipe_builds_and_passes_its_check() {
    for (name, _, base_url) in RECIPES {
        let dir = example(name);
        let out = rapport(dir.path(), &["build", "--base-url", base_url]);
        assert!(out.status.success(), "docs/examples/{name}: build failed:\n{}", stderr(&out));
        let index = std::fs::read_to_string(dir.path().join("public/index.html")).unwrap();
        assert!(index.contains(&format!("<link rel=\"canonical\" href=\"{base_url}/\">")), "{name}: no canonical link");
        assert!(dir.path().join("public/sitemap.xml").is_file(), "{name}: --base-url gives a sitemap");

        let out = rapport(dir.path(), &["check", "--format", "json"]);
        assert_eq!(out.status.code(), Some(0), "docs/examples/{name}: check failed:\n{}{}", stdout(&out), stderr(&out));
        let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(report["ok"], true);
        assert!(report["targets"].as_array().unwrap().iter().all(|t| t["status"] == "met"), "{report}");
    }
}

#[test]
fn a_missed_target_fails_the_ci_recipes_check_with_exit_1() {
    for (name, _, _) in RECIPES {
        let dir = example(name);
        let site = dir.path().join("site.toml");
        let text = std::fs::read_to_string(&site).unwrap().replacen("min = 60", "min = 99", 1);
        std::fs::write(&site, text).unwrap();
        let out = rapport(dir.path(), &["check", "--format", "json"]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
        let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!((report["ok"].as_bool(), report["missed"].as_u64()), (Some(false), Some(1)));
    }
}

#[test]
fn the_ci_docs_quote_each_recipe_verbatim_and_the_workflows_are_plain_yaml() {
    let ci = doc("ci.md");
    for (name, workflow, _) in RECIPES {
        for file in [workflow, "site.toml"] {
            let text = doc(&format!("examples/{name}/{file}"));
            assert!(ci.contains(&text), "docs/ci.md does not quote docs/examples/{name}/{file} as it is");
        }
        // No YAML parser is a dependency: check what trips people up, and what each recipe must do.
        let text = doc(&format!("examples/{name}/{workflow}"));
        for (i, line) in text.lines().enumerate() {
            assert!(!line.contains('\t'), "{name}/{workflow}:{}: a tab", i + 1);
            let indent = line.len() - line.trim_start().len();
            assert!(indent % 2 == 0, "{name}/{workflow}:{}: odd indentation", i + 1);
            assert!(!line.ends_with(' '), "{name}/{workflow}:{}: trailing space", i + 1);
        }
        for needed in ["rapport build --base-url", "rapport check", "SOURCE_DATE_EPOCH", "cargo install --locked"] {
            assert!(text.contains(needed), "{name}/{workflow} lacks `{needed}`");
        }
    }
    assert!(doc("examples/github/report.yml").contains("cron: \"0 6 2 * *\""));
}

#[test]
fn the_readme_links_every_doc() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let docs = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs")).unwrap();
    for entry in docs {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") {
            assert!(readme.contains(&format!("(docs/{name})")), "README.md does not link docs/{name}");
        }
    }
}
