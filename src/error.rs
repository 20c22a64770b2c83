//! One error type for the whole pipeline; each variant maps to a documented exit code.

use std::path::PathBuf;

/// Exit codes documented in the README.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_USAGE: i32 = 2;
pub const EXIT_IO: i32 = 3;
pub const EXIT_LOCKED: i32 = 4;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad command line (unknown dataset name, conflicting options).
    #[error("usage: {0}")]
    Usage(String),

    /// Broken or inconsistent configuration; `line` is 1-based when known.
    #[error("{}: {message}", location(path, *line, *column))]
    Config {
        path: PathBuf,
        line: Option<usize>,
        column: Option<usize>,
        message: String,
    },

    /// An input that cannot be read at all: missing, empty, binary, not UTF-8.
    #[error("{}: {message}", path.display())]
    Input { path: PathBuf, message: String },

    /// Input that was read but does not have the structure an extractor needs.
    #[error("{}: {message}", location(path, Some(*line), None))]
    Malformed {
        path: PathBuf,
        line: usize,
        message: String,
    },

    /// Writing outputs failed; earlier outputs are left as they were.
    #[error("{}: {message}", path.display())]
    Output { path: PathBuf, message: String },

    /// Another run holds the output folder's lock.
    #[error("{}: the output folder is locked by {holder}; gave up after waiting {waited} s (use --wait SECONDS to wait longer)", path.display())]
    Locked {
        path: PathBuf,
        holder: String,
        waited: u64,
    },
}

fn location(path: &std::path::Path, line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("{}:{l}:{c}", path.display()),
        (Some(l), None) => format!("{}:{l}", path.display()),
        _ => path.display().to_string(),
    }
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) | Error::Config { .. } => EXIT_USAGE,
            Error::Input { .. } | Error::Malformed { .. } | Error::Output { .. } => EXIT_IO,
            Error::Locked { .. } => EXIT_LOCKED,
        }
    }

    pub fn output(path: impl Into<PathBuf>, err: impl std::fmt::Display) -> Self {
        Error::Output {
            path: path.into(),
            message: err.to_string(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
