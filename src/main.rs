//! rapport: a static site generator for customer-feedback reports.
//!
//! `main` parses the command line, runs one command and turns its error, if
//! any, into a message for people and an exit code: 0 success, 1 a check
//! failed (invalid input, a missed target), 2 usage or configuration error.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use rapport::{cli, cmd};

/// mimalloc instead of the system allocator: a build allocates many small strings and vectors
/// from several threads (views, charts, rows), where glibc's malloc spent a fifth of the time
/// (BENCHMARKS.md, "Pages per second"). Built without transparent huge pages (`no_thp`): the
/// kernel zeroed whole 2 MB pages for mimalloc's segments, a sixth of a many-page build, and the
/// pages kept the peak memory of a large build above 150 MB.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let verbosity = cli.verbosity();
    match cmd::run(cli.command, verbosity) {
        Ok(cmd::Outcome::Success) => ExitCode::SUCCESS,
        Ok(cmd::Outcome::CheckFailed) => ExitCode::from(rapport::error::EXIT_CHECK_FAILED),
        Err(error) => {
            let styled = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            eprintln!("{}", error.diagnostic().render(styled));
            ExitCode::from(error.exit_code())
        }
    }
}
