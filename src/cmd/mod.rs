//! One file per command; each turns its arguments into calls on the stages.

mod build;
mod init;

use crate::cli::Command;
use crate::error::Error;

pub fn run(command: Command) -> Result<(), Error> {
    match command {
        Command::Init(args) => init::run(&args),
        Command::Build(args) => build::run(&args),
    }
}
