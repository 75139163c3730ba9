//! Server files: what a scan of `--path` read, what it skipped and why, and
//! what the file analysers made of it (parsed nginx configurations; Magento
//! roots and credentials found, filled by their analysers).
//!
//! Paths are kept as text, spelt as the scan reached them (the root as given,
//! joined with the path below it), so a finding's `path:line` is one the
//! user can open.

pub mod magento;
pub mod nginx;
pub mod secrets;

use serde::{Deserialize, Serialize};

pub use magento::MagentoRoot;
pub use nginx::{NginxConfig, NginxDirective, NginxIssue};
pub use secrets::SecretFound;

/// The default size above which a file is skipped (8 MiB): configuration and
/// source files are far smaller; logs, dumps and media are not worth reading.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 8 * 1024 * 1024;

/// Everything read from the paths given with `--path`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServerFiles {
    /// The paths given, in order (files or folders).
    #[serde(default)]
    pub roots: Vec<String>,
    /// The size above which a file was skipped, in bytes.
    #[serde(default = "default_max_file_size")]
    pub max_file_size: u64,
    /// Whether `.gitignore` and similar files were honoured while walking.
    #[serde(default)]
    pub honoured_ignore_files: bool,
    /// Every file read, and what it was read as.
    #[serde(default)]
    pub files: Vec<FileRead>,
    /// Files not read, and why.
    #[serde(default)]
    pub skipped: Vec<FileSkipped>,
    /// The nginx configurations: one per main file (`nginx.conf`, or a site
    /// file that no other configuration includes), includes resolved.
    #[serde(default)]
    pub nginx: Vec<NginxConfig>,
    /// Magento 2 installations (a folder holding `app/etc/env.php`).
    #[serde(default)]
    pub magento: Vec<MagentoRoot>,
    /// Credentials written in files (values redacted).
    #[serde(default)]
    pub secrets: Vec<SecretFound>,
    /// The git histories scanned (`--git-history`), one per path given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub git_history: Vec<GitHistory>,
}

/// A path's git history, as scanned for credentials.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GitHistory {
    /// The path given.
    pub root: String,
    /// Commits walked.
    pub commits: usize,
    /// Distinct blobs scanned.
    pub blobs: usize,
    /// Blobs not scanned: binary, or over the size limit.
    pub skipped_blobs: usize,
    /// Why the history could not be read (not a repository, a damaged one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

fn default_max_file_size() -> u64 {
    DEFAULT_MAX_FILE_SIZE
}

impl ServerFiles {
    /// Whether any path was given (a scan without `--path` has no server files).
    pub fn is_empty(&self) -> bool {
        self.roots.is_empty()
    }

    /// The files read as `kind`.
    pub fn of_kind(&self, kind: FileKind) -> impl Iterator<Item = &FileRead> {
        self.files.iter().filter(move |f| f.kind == kind)
    }

    /// The files read under `root` (one of [`ServerFiles::roots`]).
    pub fn under<'s>(&'s self, root: &'s str) -> impl Iterator<Item = &'s FileRead> {
        self.files.iter().filter(move |f| f.root == root)
    }
}

/// One file read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRead {
    /// The file's path.
    pub path: String,
    /// The root (one of the paths given) it was found under.
    pub root: String,
    /// What it was read as.
    pub kind: FileKind,
    /// Its size in bytes.
    pub size: u64,
    /// Its Unix permission bits (`0o640`), where the file system has them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<u32>,
}

/// What a file was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    /// An nginx configuration file (a main file or one it includes).
    NginxConfig,
    /// Magento 2's `app/etc/env.php`.
    MagentoEnvPhp,
    /// Magento 2's `app/etc/config.php`.
    MagentoConfigPhp,
    /// A Composer lock file.
    ComposerLock,
    /// A `.env` file (`.env`, `.env.production`, …).
    DotEnv,
    /// Any other text file: read for credentials only.
    Other,
}

impl FileKind {
    /// How the kind reads in a report.
    pub fn describe(self) -> &'static str {
        match self {
            FileKind::NginxConfig => "nginx configuration",
            FileKind::MagentoEnvPhp => "Magento env.php",
            FileKind::MagentoConfigPhp => "Magento config.php",
            FileKind::ComposerLock => "composer.lock",
            FileKind::DotEnv => ".env file",
            FileKind::Other => "other text",
        }
    }
}

/// A file not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSkipped {
    /// The file's path.
    pub path: String,
    /// The root it was found under.
    pub root: String,
    /// Why it was not read.
    pub reason: SkipReason,
}

/// Why a file was not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum SkipReason {
    /// It holds binary data (a NUL byte, or text that is not UTF-8).
    Binary,
    /// It is larger than the limit.
    TooLarge {
        /// Its size in bytes.
        size: u64,
        /// The limit in force, in bytes.
        limit: u64,
    },
    /// It could not be read.
    Unreadable {
        /// The operating system's error.
        error: String,
    },
}

impl SkipReason {
    /// The reason in a sentence fragment ("binary", "over the 8 MiB limit").
    pub fn describe(&self) -> String {
        match self {
            SkipReason::Binary => "binary".to_string(),
            SkipReason::TooLarge { size, limit } => format!(
                "{} is over the {} limit (--max-file-size)",
                human_size(*size),
                human_size(*limit)
            ),
            SkipReason::Unreadable { error } => format!("unreadable: {error}"),
        }
    }
}

/// A byte count as people say it: `8 MiB`, `512 KiB`, `37 bytes`.
pub fn human_size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * KIB;
    const GIB: u64 = 1024 * MIB;
    let unit = |n: u64, size: u64, name: &str| {
        if n.is_multiple_of(size) {
            format!("{} {name}", n / size)
        } else {
            format!("{:.1} {name}", n as f64 / size as f64)
        }
    };
    match bytes {
        b if b >= GIB => unit(b, GIB, "GiB"),
        b if b >= MIB => unit(b, MIB, "MiB"),
        b if b >= KIB => unit(b, KIB, "KiB"),
        b => format!("{b} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(human_size(DEFAULT_MAX_FILE_SIZE), "8 MiB");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(37), "37 bytes");
    }

    #[test]
    fn an_old_snapshot_without_files_reads_as_no_files() {
        let files: ServerFiles = serde_json::from_str("{}").unwrap();
        assert!(files.is_empty());
        assert_eq!(files.max_file_size, DEFAULT_MAX_FILE_SIZE);
    }
}
