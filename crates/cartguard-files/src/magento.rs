//! A Magento 2 root: `app/etc/env.php` and `app/etc/config.php` read with
//! the PHP reader, `composer.lock` with serde, and the modes and owners of
//! the configuration files, into the inventory's [`MagentoRoot`].
//!
//! Parsing ([`parse_env`], [`parse_config`], [`parse_composer_lock`]) is pure;
//! [`read_root`] does the I/O.

use std::path::Path;

use cartguard_inventory::files::magento::{
    ComposerLock, ConfigFile, DbConnection, DbPassword, FilePermissions, Located, LockedPackage,
    MagentoConfig, MagentoEnv, MagentoRoot, ModuleFlag, Setting,
};
use serde::Deserialize;

use crate::credentials::redact;
use crate::php::{PhpArray, PhpValue, read_returned_value};
use crate::secrets::value_hash;

/// The files that make a folder a Magento 2 root, relative to it.
pub const ENV_PHP: &str = "app/etc/env.php";
/// Magento's module list and shared configuration.
pub const CONFIG_PHP: &str = "app/etc/config.php";
/// The lock file of the root's Composer project.
pub const COMPOSER_LOCK: &str = "composer.lock";

/// The packages whose version is the installed Magento release.
pub const RELEASE_PACKAGES: &[&str] = &[
    "magento/product-community-edition",
    "magento/product-enterprise-edition",
    "magento/magento2-base",
    "magento/magento2-ee-base",
];

/// Whether `dir` is a Magento 2 root: it holds `app/etc/env.php`, or
/// `app/etc/config.php` beside `bin/magento`.
pub fn is_root(dir: &Path) -> bool {
    dir.join(ENV_PHP).is_file()
        || (dir.join(CONFIG_PHP).is_file() && dir.join("bin/magento").is_file())
}

/// Reads a Magento root. `shown` is how findings name the root (the path as
/// the user gave it or as found under a scanned path).
pub fn read_root(dir: &Path, shown: &str) -> MagentoRoot {
    let shown = shown.trim_end_matches('/');
    let named = |relative: &str| {
        if shown.is_empty() || shown == "." {
            relative.to_string()
        } else {
            format!("{shown}/{relative}")
        }
    };
    MagentoRoot {
        path: if shown.is_empty() {
            ".".into()
        } else {
            shown.to_string()
        },
        env_php: read_file(&dir.join(ENV_PHP), named(ENV_PHP), parse_env),
        config_php: read_file(&dir.join(CONFIG_PHP), named(CONFIG_PHP), parse_config),
        composer_lock: read_file(
            &dir.join(COMPOSER_LOCK),
            named(COMPOSER_LOCK),
            parse_composer_lock,
        ),
    }
}

/// A file already read: its path as findings name it, its text, and its
/// mode and owner when recorded.
#[derive(Debug, Clone, Copy)]
pub struct FileInMemory<'a> {
    /// The path.
    pub path: &'a str,
    /// The content.
    pub text: &'a str,
    /// The mode and owner.
    pub permissions: Option<FilePermissions>,
}

/// A Magento root from files already read (`None` for a file that is not
/// there): what discovery, which reads every file once, hands over.
pub fn root_from_files(
    root: &str,
    env_php: Option<FileInMemory>,
    config_php: Option<FileInMemory>,
    composer_lock: Option<FileInMemory>,
) -> MagentoRoot {
    MagentoRoot {
        path: root.trim_end_matches('/').to_string(),
        env_php: parsed(env_php, parse_env),
        config_php: parsed(config_php, parse_config),
        composer_lock: parsed(composer_lock, parse_composer_lock),
    }
}

fn parsed<T>(file: Option<FileInMemory>, parse: fn(&str) -> Result<T, String>) -> ConfigFile<T> {
    let Some(file) = file else {
        return ConfigFile::Missing;
    };
    match parse(file.text) {
        Ok(content) => ConfigFile::Read {
            path: file.path.to_string(),
            permissions: file.permissions,
            content,
        },
        Err(reason) => ConfigFile::Unreadable {
            path: file.path.to_string(),
            reason,
            permissions: file.permissions,
        },
    }
}

fn read_file<T>(file: &Path, shown: String, parse: fn(&str) -> Result<T, String>) -> ConfigFile<T> {
    let Ok(metadata) = std::fs::metadata(file) else {
        return ConfigFile::Missing;
    };
    let permissions = permissions_of(&metadata);
    let text = match std::fs::read(file) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            return ConfigFile::Unreadable {
                path: shown,
                reason: format!("cannot be read: {e}"),
                permissions,
            };
        }
    };
    match parse(&text) {
        Ok(content) => ConfigFile::Read {
            path: shown,
            permissions,
            content,
        },
        Err(reason) => ConfigFile::Unreadable {
            path: shown,
            reason,
            permissions,
        },
    }
}

/// A file's mode and owner, on platforms that have them.
pub fn permissions_of(metadata: &std::fs::Metadata) -> Option<FilePermissions> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(FilePermissions {
            mode: metadata.mode() & 0o7777,
            uid: Some(metadata.uid()),
            gid: Some(metadata.gid()),
        })
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        None
    }
}

fn returned_array(source: &str) -> Result<PhpArray, String> {
    match read_returned_value(source) {
        Ok(PhpValue::Array(array)) => Ok(array),
        Ok(_) => Err("the file returns something other than an array".into()),
        Err(e) => Err(e.to_string()),
    }
}

fn setting(value: &PhpValue) -> Option<Setting> {
    match value {
        PhpValue::Dynamic(expression) => Some(Setting::Dynamic {
            expression: expression.clone(),
        }),
        PhpValue::Array(_) => None,
        scalar => scalar.as_text().map(|value| Setting::Literal { value }),
    }
}

/// What env.php says: the admin path and the database connections. A literal
/// password is kept only redacted and hashed.
pub fn parse_env(source: &str) -> Result<MagentoEnv, String> {
    let env = returned_array(source)?;
    let admin_front_name = env
        .array("backend")
        .and_then(|backend| backend.get("frontName"))
        .and_then(|entry| {
            Some(Located {
                line: entry.line,
                value: setting(&entry.value)?,
            })
        });
    let mut db_connections = Vec::new();
    if let Some(connections) = env.array("db").and_then(|db| db.array("connection")) {
        for entry in &connections.entries {
            let PhpValue::Array(connection) = &entry.value else {
                continue;
            };
            let name = entry
                .key
                .as_ref()
                .and_then(PhpValue::as_text)
                .unwrap_or_default();
            let password = match connection.get("password") {
                None => DbPassword::Absent,
                Some(p) => match &p.value {
                    PhpValue::Dynamic(expression) => DbPassword::Dynamic {
                        line: p.line,
                        expression: expression.clone(),
                    },
                    PhpValue::Array(_) => DbPassword::Dynamic {
                        line: p.line,
                        expression: "an array".into(),
                    },
                    scalar => {
                        let value = scalar.as_text().unwrap_or_default();
                        if value.is_empty() {
                            DbPassword::Empty { line: p.line }
                        } else {
                            DbPassword::Literal {
                                line: p.line,
                                redacted: redact(&value),
                                hash: value_hash(&value),
                            }
                        }
                    }
                },
            };
            db_connections.push(DbConnection {
                name,
                line: entry.line,
                host: connection.get("host").and_then(|e| setting(&e.value)),
                username: connection.get("username").and_then(|e| setting(&e.value)),
                password,
            });
        }
    }
    Ok(MagentoEnv {
        admin_front_name,
        db_connections,
    })
}

/// What config.php says: the modules and whether each is enabled.
pub fn parse_config(source: &str) -> Result<MagentoConfig, String> {
    let config = returned_array(source)?;
    let Some(entry) = config.get("modules") else {
        return Ok(MagentoConfig::default());
    };
    let PhpValue::Array(modules) = &entry.value else {
        return Ok(MagentoConfig {
            modules: None,
            modules_line: entry.line,
        });
    };
    let flags = modules
        .entries
        .iter()
        .filter_map(|m| {
            let name = m.key.as_ref()?.as_text()?;
            let enabled = match &m.value {
                PhpValue::Int(i) => Some(*i != 0),
                PhpValue::Bool(b) => Some(*b),
                PhpValue::String(s) => Some(!s.is_empty() && s != "0"),
                PhpValue::Null => Some(false),
                _ => None,
            };
            Some(ModuleFlag {
                name,
                enabled,
                line: m.line,
            })
        })
        .collect();
    Ok(MagentoConfig {
        modules: Some(flags),
        modules_line: entry.line,
    })
}

#[derive(Deserialize)]
struct LockFile {
    #[serde(default)]
    packages: Vec<LockEntry>,
}

#[derive(Deserialize)]
struct LockEntry {
    name: String,
    #[serde(default)]
    version: String,
}

/// What composer.lock pins for the packages that name the Magento release.
pub fn parse_composer_lock(text: &str) -> Result<ComposerLock, String> {
    let lock: LockFile =
        serde_json::from_str(text).map_err(|e| format!("not a composer.lock: {e}"))?;
    let magento_packages = lock
        .packages
        .into_iter()
        .filter(|p| RELEASE_PACKAGES.contains(&p.name.as_str()))
        .map(|p| LockedPackage {
            line: line_of(text, &format!("\"name\": \"{}\"", p.name))
                .or_else(|| line_of(text, &format!("\"name\":\"{}\"", p.name)))
                .unwrap_or(1),
            name: p.name,
            version: p.version,
        })
        .collect();
    Ok(ComposerLock { magento_packages })
}

fn line_of(text: &str, needle: &str) -> Option<u32> {
    let at = text.find(needle)?;
    Some(text[..at].matches('\n').count() as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENV: &str = r#"<?php
return [
    'backend' => [
        'frontName' => 'admin'
    ],
    'crypt' => ['key' => 'f3e1c0a1b2c3d4e5f60718293a4b5c6d'],
    'db' => [
        'table_prefix' => '',
        'connection' => [
            'default' => [
                'host' => 'db.internal',
                'dbname' => 'magento',
                'username' => 'magento',
                'password' => 'Mg' . '2024!prod',
                'active' => '1',
            ],
            'indexer' => [
                'host' => 'db.internal',
                'password' => getenv('MAGENTO_DB_PASSWORD'),
            ],
            'checkout' => [
                'password' => '',
            ],
        ],
    ],
];
"#;

    #[test]
    fn env_php() {
        let env = parse_env(ENV).unwrap();
        assert_eq!(
            env.admin_front_name,
            Some(Located {
                line: 4,
                value: Setting::Literal {
                    value: "admin".into()
                }
            })
        );
        let passwords: Vec<&DbPassword> = env.db_connections.iter().map(|c| &c.password).collect();
        assert_eq!(
            passwords,
            [
                &DbPassword::Literal {
                    line: 14,
                    redacted: "Mg… (11 chars)".into(),
                    hash: value_hash("Mg2024!prod"),
                },
                &DbPassword::Dynamic {
                    line: 19,
                    expression: "getenv('MAGENTO_DB_PASSWORD')".into()
                },
                &DbPassword::Empty { line: 22 },
            ]
        );
        // The parsed model holds no password.
        assert!(!format!("{env:?}").contains("2024!prod"));
    }

    #[test]
    fn config_php() {
        let config = parse_config(
            "<?php\nreturn array (\n  'modules' => array (\n    'Magento_Store' => 1,\n    'Magento_TwoFactorAuth' => 0,\n  ),\n);\n",
        )
        .unwrap();
        let modules = config.modules.unwrap();
        assert_eq!(modules[1].name, "Magento_TwoFactorAuth");
        assert_eq!(modules[1].enabled, Some(false));
        assert_eq!(modules[1].line, 5);
        assert_eq!(config.modules_line, 3);
    }

    #[test]
    fn composer_lock() {
        let lock = parse_composer_lock(
            "{\n  \"packages\": [\n    {\n      \"name\": \"laminas/laminas-code\",\n      \"version\": \"4.5.1\"\n    },\n    {\n      \"name\": \"magento/product-community-edition\",\n      \"version\": \"2.4.6-p3\"\n    }\n  ]\n}\n",
        )
        .unwrap();
        assert_eq!(
            lock.magento_packages,
            [LockedPackage {
                name: "magento/product-community-edition".into(),
                version: "2.4.6-p3".into(),
                line: 8
            }]
        );
        assert!(parse_composer_lock("{not json").is_err());
    }
}
