//! One file per command; each turns its arguments into calls on the stages.

mod build;
mod check;
mod init;
mod metrics;
mod progress;
mod serve;

use jiff::Timestamp;

use crate::cli::{Command, Verbosity};
use crate::diagnostic::Diagnostic;
use crate::error::Error;

/// How a command that ran to the end went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// A check failed: a target was missed (exit code 1).
    CheckFailed,
}

pub fn run(command: Command, verbosity: Verbosity) -> Result<Outcome, Error> {
    match command {
        Command::Init(args) => init::run(&args).map(|()| Outcome::Success),
        Command::Build(args) => build::run(&args, verbosity).map(|()| Outcome::Success),
        Command::Serve(args) => serve::run(&args, verbosity).map(|()| Outcome::Success),
        Command::Check(args) => check::run(&args),
        Command::Metrics(args) => metrics::run(&args).map(|()| Outcome::Success),
    }
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

/// On Ctrl-C, removes the temporary partition files of large exports (they hold customers'
/// comments and names as read) before the process ends, as a build that finishes does.
fn remove_temporary_files_on_interrupt() {
    // Another handler (a server's) may be set already: then it stays.
    let _ = ctrlc::set_handler(|| {
        crate::ingest::remove_temporary_files();
        eprintln!("\nStopped.");
        std::process::exit(130);
    });
}
