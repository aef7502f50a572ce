//! `rapport build`: the site into public/ (or --output), all or nothing.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use crate::cli::{BuildArgs, Verbosity};
use crate::error::Error;
use crate::site::{self, BuildOptions};

pub fn run(args: &BuildArgs, verbosity: Verbosity) -> Result<(), Error> {
    let started = Instant::now();
    super::remove_temporary_files_on_interrupt();
    let options = BuildOptions {
        root: args.root.root.clone(),
        output: args.output.clone().unwrap_or_else(|| PathBuf::from("public")),
        base_url: args.base_url.clone(),
        drafts: args.drafts,
        now: super::build_time()?,
    };
    let summary = if super::progress::wanted(verbosity) {
        site::build_with(&options, &super::progress::Bars::new())?
    } else {
        site::build(&options)?
    };
    let styled = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for warning in &summary.warnings {
        eprintln!("{}", warning.render(styled));
    }
    let t = &summary.totals;
    if t.rows_rejected > 0 {
        eprintln!("{} rows were rejected and left out of every figure:", t.rows_rejected);
        for r in &summary.rejections {
            eprintln!("  {r}");
            eprintln!("    ({})", r.hint);
        }
        if t.rows_rejected > summary.rejections.len() as u64 {
            eprintln!("  … and {} more", t.rows_rejected - summary.rejections.len() as u64);
        }
    }
    if verbosity == Verbosity::Quiet {
        return Ok(());
    }
    if verbosity == Verbosity::Verbose {
        super::progress::details(&summary.timings, &summary.files);
    }
    let index =
        std::path::absolute(summary.output.join("index.html")).unwrap_or_else(|_| summary.output.join("index.html"));
    let changed =
        if t.conflicts > 0 { format!(", {} of them with changed answers", t.conflicts) } else { String::new() };
    println!(
        "Built {} pages from {} responses ({} rejected, {} duplicates{changed}) in {} ms.",
        summary.pages,
        t.responses_counted(),
        t.rows_rejected,
        t.duplicates,
        started.elapsed().as_millis()
    );
    println!("Open file://{} in a browser.", index.display());
    Ok(())
}
