use std::path::Path;

use super::*;

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_committed_demo_is_what_the_generator_writes() {
    // The repository root is the demo: `rapport init --demo` must write exactly these files.
    // After changing the generator, run `cargo run -- init --demo --force .` and commit the result.
    for file in demo_site() {
        let committed = std::fs::read(repository().join(&file.path)).unwrap_or_default();
        assert!(committed == file.bytes, "{} differs from the generator's output", file.path);
    }
    let exports: Vec<String> = std::fs::read_dir(repository().join("content/surveys"))
        .unwrap()
        .map(|e| format!("content/surveys/{}", e.unwrap().file_name().to_string_lossy()))
        .filter(|p| p.ends_with(".csv"))
        .collect();
    let generated: Vec<String> = super::exports().into_iter().map(|f| f.path).collect();
    assert_eq!(exports.len(), generated.len(), "content/surveys holds exports the generator does not write");
}

#[test]
fn the_demo_is_big_and_varied_enough() {
    let rows = generate::responses();
    assert!(rows.len() >= 10_000, "{} responses", rows.len());
    let months = Period::range(PeriodKind::Month, generate::FIRST_DAY, generate::LAST_DAY);
    assert!(months.len() >= 12);
    let distinct = |column: usize| {
        let mut values: Vec<&str> = rows.iter().map(|r| r.fields[column].as_str()).collect();
        values.sort();
        values.dedup();
        values.len()
    };
    assert_eq!(distinct(4), 5, "channels");
    assert_eq!(distinct(5), 5, "touchpoints");
    assert!(distinct(6) >= 20, "agents");
    assert!(distinct(3) >= 30, "accounts");
}

#[test]
fn the_generator_is_deterministic() {
    assert_eq!(super::exports(), super::exports());
}

#[test]
fn a_blank_site_escapes_its_title() {
    let files = blank_site("Say \"hi\"");
    let config = crate::config::Config::parse(std::str::from_utf8(&files[0].bytes).unwrap()).unwrap();
    assert_eq!(config.title, "Say \"hi\"");
}
