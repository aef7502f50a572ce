//! The errors of every stage, as one type that `main` can show and map to an exit code.

use crate::config::ConfigError;
use crate::content::ContentError;
use crate::diagnostic::Diagnostic;
use crate::ingest::IngestError;
use crate::render::RenderError;
use crate::site::OutputError;

/// Exit code for a failed check: invalid input, a missed target.
pub const EXIT_CHECK_FAILED: u8 = 1;
/// Exit code for a usage or configuration error.
pub const EXIT_USAGE: u8 = 2;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error(transparent)]
    Content(#[from] ContentError),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Output(#[from] OutputError),
    /// A command was used wrongly (e.g. `init` into a folder that has files).
    #[error("{}", .0.message)]
    Usage(Box<Diagnostic>),
}

impl Error {
    pub fn usage(d: Diagnostic) -> Error {
        Error::Usage(Box::new(d))
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Config(_)
            | Error::Render(_)
            | Error::Usage(_)
            | Error::Ingest(IngestError::Mapping(_))
            | Error::Output(
                OutputError::Unsafe { .. }
                | OutputError::Foreign { .. }
                | OutputError::Collision { .. }
                | OutputError::OutsidePath { .. },
            ) => EXIT_USAGE,
            Error::Ingest(IngestError::Input(_)) | Error::Content(_) | Error::Output(_) => EXIT_CHECK_FAILED,
        }
    }

    /// What to tell the user.
    pub fn diagnostic(&self) -> Diagnostic {
        match self {
            Error::Config(e) => e.diagnostic(),
            Error::Ingest(e) => e.diagnostic().clone(),
            Error::Content(e) => e.diagnostic().clone(),
            Error::Render(e) => e.diagnostic(),
            Error::Output(e) => e.diagnostic(),
            Error::Usage(d) => (**d).clone(),
        }
    }
}
