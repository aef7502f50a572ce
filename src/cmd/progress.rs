//! What commands print while they work: progress bars on a terminal, stage timings with `--verbose`.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressFinish, ProgressStyle};

use crate::cli::Verbosity;
use crate::ingest::{FileReport, Progress};

/// Exports smaller than this are read too quickly for a bar to help.
const BAR_FROM_BYTES: u64 = 8 << 20;

/// Whether to draw progress: on a terminal, outside CI, unless `--quiet`.
pub fn wanted(verbosity: Verbosity) -> bool {
    verbosity != Verbosity::Quiet
        && std::io::stderr().is_terminal()
        && std::io::stdout().is_terminal()
        && std::env::var_os("CI").is_none()
}

/// One bar per large export, over its bytes, on stderr.
pub struct Bars {
    multi: MultiProgress,
}

impl Bars {
    pub fn new() -> Bars {
        Bars { multi: MultiProgress::with_draw_target(ProgressDrawTarget::stderr_with_hz(10)) }
    }
}

impl Progress for Bars {
    fn reading(&self, shown: &str, bytes: u64) -> Option<Box<dyn FnMut(usize) + Send>> {
        if bytes < BAR_FROM_BYTES {
            return None;
        }
        let style = ProgressStyle::with_template("{msg} [{bar:30}] {binary_bytes}/{binary_total_bytes} {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        let bar = self.multi.add(
            ProgressBar::new(bytes)
                .with_style(style)
                .with_message(format!("reading {shown}"))
                .with_finish(ProgressFinish::AndClear),
        );
        // The bar is cleared when the reader, and so this counter, is dropped.
        Some(Box::new(move |n| bar.inc(n as u64)))
    }
}

/// `--verbose`: how long each stage took and what each export held, on stderr.
pub fn details(timings: &[(&'static str, Duration)], files: &[FileReport]) {
    for (stage, took) in timings {
        eprintln!("  {stage:<14} {:>8.1} ms", took.as_secs_f64() * 1000.0);
    }
    for f in files {
        eprintln!(
            "  {}: {} rows read, {} used, {} rejected, {} duplicates ({})",
            f.path, f.rows_read, f.rows_used, f.rows_rejected, f.duplicates, f.encoding
        );
    }
}
