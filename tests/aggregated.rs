//! The warehouse path (docs/warehouse.md): a site read from a pre-aggregated table
//! publishes exactly the figures of the same site read from its raw exports.
//!
//! The tables are made by DuckDB with docs/warehouse/duckdb.sql from the raw exports
//! (tools/aggregate-demo.sh, rerun by CI to check that the committed tables still
//! come out of the query). Here each raw site is built, then its twin whose one
//! `[[sources]]` entry reads the table instead, and their `data/metrics.json` are
//! compared. Everything but `inputs` must be identical: `inputs` counts rows of
//! files, and the rows of an aggregated table are groups, not responses (no
//! rejected rows or duplicates are left in it: the query removed them). Comment
//! topics and survey fatigue need each response's comment and customer, which a
//! table of counts does not have: the raw site has them, the aggregated one must not.

mod common;

use std::path::{Path, PathBuf};

use common::{copy, fixture, rapport, stderr};
use serde_json::Value;

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Where the `[[sources]]` section of `site` starts and ends: up to the next table that is
/// not part of it.
fn sources_section(site: &str) -> std::ops::Range<usize> {
    let start = site.find("\n[[sources]]").expect("a [[sources]] section") + 1;
    let rest = &site[start..];
    let end = rest
        .match_indices("\n[")
        .map(|(i, _)| i + 1)
        .find(|&i| !rest[i..].starts_with("[sources.") && !rest[i..].starts_with("[[sources]]"))
        .unwrap_or(rest.len());
    start..start + end
}

/// `site.toml` with its `[[sources]]` section replaced by `sources`.
fn with_sources(site: &str, sources: &str) -> String {
    let section = sources_section(site);
    format!("{}{}{}", &site[..section.start], sources, &site[section.end..])
}

/// The `[[sources]]` section of the committed aggregated site: the table of the
/// demo's exports, read as `northwind.csv`.
fn aggregated_sources() -> String {
    let site = std::fs::read_to_string(fixture("aggregated/site.toml")).unwrap();
    site[sources_section(&site)].to_string()
}

/// Builds the site at `root` into a temporary folder and reads its metrics.json.
fn metrics_json(root: &Path) -> Value {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let result = rapport(root, &["build", "--quiet", "--output", public.to_str().unwrap()]);
    assert!(result.status.success(), "{}: build failed:\n{}", root.display(), stderr(&result));
    serde_json::from_slice(&std::fs::read(public.join("data/metrics.json")).unwrap()).unwrap()
}

/// The first place where `a` and `b` differ, as a path into the document.
fn difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys = x.keys().chain(y.keys().filter(|k| !x.contains_key(*k)));
            keys.into_iter().find_map(|k| match (x.get(k), y.get(k)) {
                (Some(p), Some(q)) => difference(p, q, &format!("{path}/{k}")),
                (p, q) => Some(format!("{path}/{k}: {p:?} against {q:?}")),
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().find_map(|(i, (p, q))| difference(p, q, &format!("{path}[{i}]")))
        }
        _ => (a != b).then(|| format!("{path}: {a} against {b}")),
    }
}

/// What only each response's own comment or customer can give, which a table of counts does not
/// carry (docs/warehouse.md, "Limits"): comment topics and survey fatigue.
const PER_RESPONSE: [&str; 2] = ["comment_topics", "survey_fatigue"];

/// Removes the [`PER_RESPONSE`] keys wherever they are in `doc`; how many there were.
fn without_per_response(doc: &mut Value) -> usize {
    match doc {
        Value::Object(map) => {
            let removed = PER_RESPONSE.iter().filter(|k| map.remove(**k).is_some()).count();
            removed + map.values_mut().map(without_per_response).sum::<usize>()
        }
        Value::Array(items) => items.iter_mut().map(without_per_response).sum(),
        _ => 0,
    }
}

/// Compares two metrics.json documents but for `inputs` and the [`PER_RESPONSE`] figures
/// (which the aggregated site must not have), and returns both `inputs`.
fn same_figures(mut raw: Value, mut aggregated: Value) -> (Value, Value) {
    let raw_inputs = raw.as_object_mut().unwrap().remove("inputs").unwrap();
    let aggregated_inputs = aggregated.as_object_mut().unwrap().remove("inputs").unwrap();
    without_per_response(&mut raw);
    assert_eq!(without_per_response(&mut aggregated), 0, "a table of counts cannot give {PER_RESPONSE:?}");
    if let Some(place) = difference(&raw, &aggregated, "") {
        panic!("the aggregated site's metrics.json differs from the raw site's at {place}");
    }
    (raw_inputs, aggregated_inputs)
}

/// What `inputs` says of an aggregated table made from a raw site's exports: one file
/// whose rows (every one used) count the responses the raw site used.
fn check_inputs(raw: &Value, aggregated: &Value, table: &Path) {
    let rows = std::fs::read_to_string(table).unwrap().lines().count() as u64 - 1;
    let file = &aggregated["files"][0];
    assert_eq!(aggregated["files"].as_array().unwrap().len(), 1);
    assert_eq!(file["path"], "northwind.csv");
    assert_eq!((file["rows_read"].as_u64(), file["rows_used"].as_u64()), (Some(rows), Some(rows)));
    assert_eq!((aggregated["rows_rejected"].as_u64(), aggregated["duplicates"].as_u64()), (Some(0), Some(0)));
    assert_eq!(file["responses"], raw["rows_used"], "the table's `responses` rows count the responses used");
    assert!(raw["files"][0].get("responses").is_none(), "an export's rows are responses: no `responses` key");
}

#[test]
fn the_demo_aggregated_by_duckdb_gives_the_raw_demo_metrics_exactly() {
    let repository = repository();
    let raw = metrics_json(&repository);

    // The demo's commentary, cases and pages (they decide which groups are counted),
    // without its exports; the committed table and its site.toml instead.
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir(site.path().join("content")).unwrap();
    for entry in std::fs::read_dir(repository.join("content")).unwrap() {
        let (from, name) = entry.map(|e| (e.path(), e.file_name())).unwrap();
        let to = site.path().join("content").join(&name);
        match () {
            _ if name == "surveys" => {}
            _ if from.is_dir() => copy(&from, &to),
            _ => drop(std::fs::copy(&from, &to).unwrap()),
        }
    }
    for file in ["site.toml", "northwind.csv"] {
        std::fs::copy(fixture("aggregated").join(file), site.path().join(file)).unwrap();
    }
    let aggregated = metrics_json(site.path());

    assert!(raw["overall"]["csat"]["n"].as_u64().unwrap() > 10_000, "the comparison is not vacuous");
    let (raw_inputs, aggregated_inputs) = same_figures(raw, aggregated);
    check_inputs(&raw_inputs, &aggregated_inputs, &fixture("aggregated/northwind.csv"));
    // The raw demo has rejected rows and duplicates across its overlapping exports; the
    // query left them out exactly as rapport does.
    assert!(raw_inputs["rows_rejected"].as_u64() > Some(0) && raw_inputs["duplicates"].as_u64() > Some(0));

    // Pages build without comments, and the data-quality page says why there are none.
    let public = site.path().join("public");
    let out = rapport(site.path(), &["build", "--quiet"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!public.join("comments").exists(), "an aggregated table holds no comments");
    let quality = std::fs::read_to_string(public.join("data-quality/index.html")).unwrap();
    assert!(quality.contains("northwind.csv is a pre-aggregated table: its 69,890 rows are groups"), "{quality}");
    assert!(quality.contains("It holds no comments and no response ids"));
    // A case study's takeaway on its mix of channels is counted from the table's responses too.
    let case = std::fs::read_to_string(public.join("cases/contoso-logistics/index.html")).unwrap();
    assert!(case.contains("most responses come through"), "{case}");
}

#[test]
fn edge_cases_aggregated_by_duckdb_give_the_raw_metrics_exactly() {
    // DST gaps and repeats, days cut at Berlin's midnight, duplicates within and across
    // files, ties in customer history, zero and tiny durations, bucket edges, rejections:
    // see the comments in the exports themselves.
    let raw_site = fixture("aggregated/edge");
    let raw = metrics_json(&raw_site);
    let site = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(raw_site.join("site.toml")).unwrap();
    std::fs::write(site.path().join("site.toml"), with_sources(&text, &aggregated_sources())).unwrap();
    std::fs::copy(raw_site.join("aggregated.csv"), site.path().join("northwind.csv")).unwrap();
    let aggregated = metrics_json(site.path());

    // Not vacuous: every kind of period, every bucket, the event, the target.
    for kind in ["week", "month", "quarter", "year"] {
        assert!(!raw["periods"][kind].as_array().unwrap().is_empty(), "{kind}");
    }
    for bucket in ["transfers", "first_response_minutes", "survey_count"] {
        assert!(raw["buckets"][bucket].as_array().unwrap().len() >= 3, "{bucket}");
    }
    assert!(raw["events"][0]["before"]["csat"]["n"].as_u64() > Some(0));
    let (raw_inputs, aggregated_inputs) = same_figures(raw, aggregated);
    check_inputs(&raw_inputs, &aggregated_inputs, &raw_site.join("aggregated.csv"));
    assert_eq!(raw_inputs["rows_used"], 18);
}

#[test]
fn the_duckdb_query_in_the_docs_is_the_tested_one() {
    let docs = std::fs::read_to_string(repository().join("docs/warehouse.md")).unwrap();
    let query = std::fs::read_to_string(repository().join("docs/warehouse/duckdb.sql")).unwrap();
    assert!(
        docs.contains(&format!("```sql\n{query}```\n")),
        "docs/warehouse.md must quote docs/warehouse/duckdb.sql as it is"
    );
}

#[test]
fn the_aggregated_site_is_the_demo_but_for_its_sources() {
    let demo = std::fs::read_to_string(repository().join("site.toml")).unwrap();
    let aggregated = std::fs::read_to_string(fixture("aggregated/site.toml")).unwrap();
    let body = |text: &str| text[text.find("title =").unwrap()..].to_string();
    assert_eq!(
        body(&with_sources(&demo, &aggregated_sources())),
        body(&aggregated),
        "tests/fixtures/aggregated/site.toml must be the demo's site.toml with only [[sources]] changed"
    );
}
