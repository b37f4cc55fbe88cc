//! Errors the library reports: each names the file, line, field, hour or policy it is about.

use std::path::PathBuf;

use thiserror::Error;

/// Everything that can go wrong between reading a scenario and writing results.
#[derive(Debug, Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{}: {err}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        err: std::io::Error,
    },
    /// One row of a CSV file is malformed.
    #[error("{}:{line}: {msg}", path.display())]
    Row {
        /// The file.
        path: PathBuf,
        /// 1-based line number in the file.
        line: u64,
        /// What was expected.
        msg: String,
    },
    /// A file is well formed row by row but wrong as a whole (header, names, coverage).
    #[error("{}: {msg}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// What was expected.
        msg: String,
    },
    /// A `--set KEY=VALUE` override names no scenario key or gives a value of the wrong type.
    #[error("--set {key}: {msg}")]
    Override {
        /// The dotted key as given.
        key: String,
        /// What was expected.
        msg: String,
    },
    /// A policy name that the registry does not know.
    #[error("unknown policy `{name}`; known policies: {known}")]
    UnknownPolicy {
        /// The name as given.
        name: String,
        /// The names that exist, comma-separated.
        known: String,
    },
    /// Some hours' demand cannot be served by the capacity reachable under the routing.
    #[error("infeasible scenario: {0}")]
    Infeasible(String),
    /// A policy failed to decide (solver error, or its own routing cannot serve the demand).
    #[error("policy {policy}: {msg}")]
    Policy {
        /// The policy's name.
        policy: String,
        /// What went wrong.
        msg: String,
    },
}

/// Result with the library's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, err: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            err,
        }
    }

    /// A whole-file error on `path`.
    pub fn file(path: impl Into<PathBuf>, msg: impl Into<String>) -> Self {
        Error::File {
            path: path.into(),
            msg: msg.into(),
        }
    }
}
