//! `rapport build`: the site into public/ (or --output), all or nothing.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use jiff::Timestamp;

use crate::cli::BuildArgs;
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::site::{self, BuildOptions};

pub fn run(args: &BuildArgs) -> Result<(), Error> {
    let started = Instant::now();
    let options = BuildOptions {
        root: args.root.clone(),
        output: args.output.clone().unwrap_or_else(|| PathBuf::from("public")),
        base_url: args.base_url.clone(),
        drafts: args.drafts,
        now: build_time()?,
    };
    let summary = site::build(&options)?;
    let styled = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for warning in &summary.warnings {
        eprintln!("{}", warning.render(styled));
    }
    let t = &summary.totals;
    if t.rows_rejected > 0 {
        eprintln!("{} rows were rejected and left out of every figure:", t.rows_rejected);
        for r in &summary.rejections {
            let column = r.column.as_deref().map(|c| format!(" (column `{c}`)")).unwrap_or_default();
            eprintln!("  {}:{}{column}: {}", r.file, r.line, r.reason);
            eprintln!("    ({})", r.hint);
        }
        if t.rows_rejected > summary.rejections.len() as u64 {
            eprintln!("  … and {} more", t.rows_rejected - summary.rejections.len() as u64);
        }
    }
    let index =
        std::path::absolute(summary.output.join("index.html")).unwrap_or_else(|_| summary.output.join("index.html"));
    println!(
        "Built {} pages from {} responses ({} rejected, {} duplicates) in {} ms.",
        summary.pages,
        t.rows_used,
        t.rows_rejected,
        t.duplicates,
        started.elapsed().as_millis()
    );
    println!("Open file://{} in a browser.", index.display());
    Ok(())
}

/// The build's moment: `SOURCE_DATE_EPOCH` (seconds, the reproducible-builds convention) when set, else now.
fn build_time() -> Result<Timestamp, Error> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) => {
            text.trim().parse::<i64>().ok().and_then(|s| Timestamp::from_second(s).ok()).ok_or_else(|| {
                Error::usage(Diagnostic::new(format!("SOURCE_DATE_EPOCH=`{text}` is not a time")).with_help(
                    "set it to seconds since 1970-01-01 UTC, e.g. SOURCE_DATE_EPOCH=1793491200, or unset it",
                ))
            })
        }
        Err(_) => Ok(Timestamp::now()),
    }
}
