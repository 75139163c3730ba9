//! Errors that name the file, line, column and JSON path at fault.

use std::path::PathBuf;

/// Why an evidence source could not be read.
#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
    /// The folder or file cannot be read.
    // The I/O error is part of the message and deliberately not a `source()`:
    // error chains printed whole (`{:#}`) would otherwise say it twice.
    #[error("{path}: {error}", path = path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The underlying error.
        error: std::io::Error,
    },
    /// The path given as an evidence folder or snapshot does not exist.
    #[error("{}: no such file or folder", .0.display())]
    NotFound(PathBuf),
    /// The path given as an evidence folder is not a directory.
    #[error(
        "{}: not a folder (an evidence folder holds <service>/<region|global>/<operation>.json files; a snapshot is given with --snapshot)",
        .0.display()
    )]
    NotAFolder(PathBuf),
    /// A file is not UTF-8 text.
    #[error(
        "{path}:{line}:{column}: not UTF-8 text: byte 0x{byte:02x} at byte offset {offset} cannot start or continue a UTF-8 character (the AWS CLI writes UTF-8)",
        path = path.display()
    )]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// 0-based byte offset of the first invalid byte.
        offset: usize,
        /// 1-based line of that byte.
        line: usize,
        /// 1-based column (in characters) of that byte.
        column: usize,
        /// The invalid byte.
        byte: u8,
    },
    /// A JSON file is malformed or has values of the wrong type.
    #[error("{path}:{line}:{column}: {message}{}", json_path.as_deref().map(|p| format!(" (at {p})")).unwrap_or_default(), path = path.display())]
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
    /// A JSON file is not the answer of the operation its name says.
    #[error("{path}:{line}:{column}: {message}", path = path.display())]
    WrongShape {
        /// The file.
        path: PathBuf,
        /// 1-based line of the top-level value.
        line: usize,
        /// 1-based column of the top-level value.
        column: usize,
        /// The top-level keys that are missing (JSON paths).
        missing: Vec<String>,
        /// The operations whose output the file holds instead, as `service command`.
        holds: Vec<String>,
        /// What was expected and what was found.
        message: String,
    },
    /// The credential report is malformed.
    #[error("{path}: credential report line {line}: {message}", path = path.display())]
    CredentialReport {
        /// The file.
        path: PathBuf,
        /// 1-based line within the CSV.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A snapshot file is not a snapshot this build reads.
    #[error("{path}: {message}", path = path.display())]
    Snapshot {
        /// The file.
        path: PathBuf,
        /// What is wrong, with the versions this build reads.
        message: String,
    },
}
