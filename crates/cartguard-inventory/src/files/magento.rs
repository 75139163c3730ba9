//! What a scan of server files learned about a Magento 2 installation: the
//! settings of `app/etc/env.php` and `app/etc/config.php` that the rules
//! judge, the Magento release `composer.lock` pins, and the modes and owners
//! of the configuration files. Secret values are never held: a literal
//! password is kept as its redacted form and a short hash.

use serde::{Deserialize, Serialize};

/// One Magento 2 root (the folder holding `app/etc/env.php`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MagentoRoot {
    /// The root folder, as given or found under a scanned path.
    pub path: String,
    /// `app/etc/env.php`.
    pub env_php: ConfigFile<MagentoEnv>,
    /// `app/etc/config.php`.
    pub config_php: ConfigFile<MagentoConfig>,
    /// `composer.lock` beside `app/`.
    pub composer_lock: ConfigFile<ComposerLock>,
}

/// A configuration file of a Magento root: read, absent or unreadable.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum ConfigFile<T> {
    /// Read and understood.
    Read {
        /// The file's path.
        path: String,
        /// Its mode and owner on disk, when the platform gives them.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        permissions: Option<FilePermissions>,
        /// What the rules judge.
        content: T,
    },
    /// There is no such file.
    #[default]
    Missing,
    /// The file exists but could not be read or parsed.
    Unreadable {
        /// The file's path.
        path: String,
        /// Why, with the line where parsing stopped.
        reason: String,
        /// Its mode and owner on disk, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        permissions: Option<FilePermissions>,
    },
}

impl<T> ConfigFile<T> {
    /// The content, if the file was read.
    pub fn content(&self) -> Option<&T> {
        match self {
            ConfigFile::Read { content, .. } => Some(content),
            _ => None,
        }
    }

    /// The file's path, unless it is missing.
    pub fn path(&self) -> Option<&str> {
        match self {
            ConfigFile::Read { path, .. } | ConfigFile::Unreadable { path, .. } => Some(path),
            ConfigFile::Missing => None,
        }
    }

    /// The file's mode and owner, when recorded.
    pub fn permissions(&self) -> Option<&FilePermissions> {
        match self {
            ConfigFile::Read { permissions, .. } | ConfigFile::Unreadable { permissions, .. } => {
                permissions.as_ref()
            }
            ConfigFile::Missing => None,
        }
    }
}

/// A file's mode bits and owner, as `stat` reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilePermissions {
    /// The permission bits (`0o640`).
    pub mode: u32,
    /// The owning user id, when recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<u32>,
    /// The owning group id, when recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gid: Option<u32>,
}

impl FilePermissions {
    /// Whether anyone may write the file.
    pub fn world_writable(&self) -> bool {
        self.mode & 0o002 != 0
    }

    /// Whether anyone may read the file.
    pub fn world_readable(&self) -> bool {
        self.mode & 0o004 != 0
    }

    /// The mode as `ls -l` would print it without the type (`rw-r-----`).
    pub fn symbolic(&self) -> String {
        let mut out = String::with_capacity(9);
        for shift in [6, 3, 0] {
            let bits = (self.mode >> shift) & 0o7;
            out.push(if bits & 4 != 0 { 'r' } else { '-' });
            out.push(if bits & 2 != 0 { 'w' } else { '-' });
            out.push(if bits & 1 != 0 { 'x' } else { '-' });
        }
        out
    }
}

/// A setting's value as written in a PHP file, without secrets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Setting {
    /// A literal value, as text (strings, numbers, booleans).
    Literal {
        /// The value.
        value: String,
    },
    /// A value computed when PHP runs (`getenv('X')`, `$_ENV['X']`, a
    /// constant, a function call): the expression as written.
    Dynamic {
        /// The expression.
        expression: String,
    },
}

/// A setting and the line it is written on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Located<T> {
    /// The 1-based line.
    pub line: u32,
    /// The value.
    pub value: T,
}

/// What `app/etc/env.php` says, as far as the rules judge it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MagentoEnv {
    /// `backend.frontName`, the path of the admin panel (absent: `admin`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_front_name: Option<Located<Setting>>,
    /// The database connections under `db.connection`.
    #[serde(default)]
    pub db_connections: Vec<DbConnection>,
}

/// One entry of `db.connection` in env.php.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DbConnection {
    /// The connection's name (`default`, `indexer`, `checkout`).
    pub name: String,
    /// The line of the connection's entry.
    pub line: u32,
    /// `host`, when written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<Setting>,
    /// `username`, when written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<Setting>,
    /// `password`.
    pub password: DbPassword,
}

/// How env.php gives a database password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum DbPassword {
    /// No `password` entry.
    Absent,
    /// An empty string.
    Empty {
        /// The line.
        line: u32,
    },
    /// A literal password, held only redacted.
    Literal {
        /// The line.
        line: u32,
        /// The first characters and the length.
        redacted: String,
        /// A short hash of the value, to recognise it elsewhere.
        hash: String,
    },
    /// A value computed when PHP runs.
    Dynamic {
        /// The line.
        line: u32,
        /// The expression as written.
        expression: String,
    },
}

/// What `app/etc/config.php` says, as far as the rules judge it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MagentoConfig {
    /// The `modules` list, when present: each module with its flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modules: Option<Vec<ModuleFlag>>,
    /// The line of the `modules` entry.
    #[serde(default)]
    pub modules_line: u32,
}

/// A module's entry in config.php's `modules`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleFlag {
    /// The module's name (`Magento_TwoFactorAuth`).
    pub name: String,
    /// Enabled (`1`), disabled (`0`), or unknown when computed.
    pub enabled: Option<bool>,
    /// The line.
    pub line: u32,
}

/// What `composer.lock` pins, for the packages that say which Magento
/// release is installed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ComposerLock {
    /// The Magento product and base packages, in file order.
    #[serde(default)]
    pub magento_packages: Vec<LockedPackage>,
}

/// A package pinned by composer.lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockedPackage {
    /// The package name (`magento/product-community-edition`).
    pub name: String,
    /// The pinned version (`2.4.7-p3`).
    pub version: String,
    /// The line of its `"name"` entry.
    pub line: u32,
}
