//! Errors that name the file, line, column and JSON path at fault.

use std::path::PathBuf;

/// Why an evidence source could not be read.
#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
    /// The folder or file does not exist or cannot be read.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The path given as an evidence folder is not a directory.
    #[error(
        "{0}: not a directory (an evidence folder holds <service>/<region>/<operation>.json files)"
    )]
    NotAFolder(PathBuf),
    /// A JSON file is malformed or has values of the wrong type.
    #[error("{path}:{line}:{column}: {message}{}", json_path.as_deref().map(|p| format!(" (at {p})")).unwrap_or_default())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The JSON path of the offending value, when known.
        json_path: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// The credential report is malformed.
    #[error("{path}: credential report line {line}: {message}")]
    CredentialReport {
        /// The file.
        path: PathBuf,
        /// 1-based line within the CSV.
        line: usize,
        /// What is wrong.
        message: String,
    },
}
