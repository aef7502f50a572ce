//! Any bytes, read as an export by any preset, in either error mode:
//! rapport must answer with responses, rejections or an error, never a panic.
//!
//!   cd fuzz && cargo +nightly fuzz run ingest corpus/ingest -- -max_total_time=600
//!
//! The first byte picks the preset (and `on_error`), the rest is the file
//! (see `rapport::ingest::fuzz_one`, which tests/fuzz_corpus.rs replays).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| rapport::ingest::fuzz_one(data));
