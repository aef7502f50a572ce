//! Replays the fuzzer's corpus (fuzz/corpus/ingest: real exports, hostile
//! shapes and what `cargo +nightly fuzz run ingest` found interesting) on
//! stable Rust, so every CI run checks that none of it panics.

#[test]
fn no_corpus_input_panics() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/ingest");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| rapport::ingest::fuzz_one(&data));
        assert!(outcome.is_ok(), "{} panics", path.display());
        count += 1;
    }
    assert!(count >= 50, "the corpus is committed ({count} inputs)");
}
