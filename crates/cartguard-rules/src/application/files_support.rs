//! What the application rules share: the Magento roots and their files, how
//! a file's finding names it, and the table of Magento security releases.

use cartguard_inventory::files::magento::{ConfigFile, MagentoRoot};
use serde::Deserialize;

use crate::{Context, Emitter, Failure};

/// The region of every finding on a server file.
pub(crate) const FILES_REGION: &str = "files";

/// `path:line`, the resource of a finding on a file.
pub(crate) fn at(path: &str, line: u32) -> String {
    format!("{path}:{line}")
}

/// A failure on a file at a line.
pub(crate) fn on_file(path: &str, line: u32) -> Failure {
    Failure {
        resource: at(path, line),
        region: FILES_REGION.to_string(),
        ..Failure::default()
    }
}

/// A failure on a whole file.
pub(crate) fn whole_file(path: &str) -> Failure {
    Failure {
        resource: path.to_string(),
        region: FILES_REGION.to_string(),
        ..Failure::default()
    }
}

/// The Magento roots found among the server files.
pub(crate) fn magento_roots<'a>(ctx: &Context<'a>) -> &'a [MagentoRoot] {
    &ctx.server_files().magento
}

/// The Magento roots, or none after saying that no root was found under the
/// paths scanned: files given without a Magento root are not a pass.
pub(crate) fn magento_roots_or_say<'a>(ctx: &Context<'a>, out: &mut Emitter) -> &'a [MagentoRoot] {
    let roots = magento_roots(ctx);
    if roots.is_empty() {
        let scanned = ctx.server_files().roots.join(", ");
        out.not_assessed(
            &scanned,
            FILES_REGION,
            format!(
                "no Magento root (app/etc/env.php or app/etc/config.php) was found under {scanned}"
            ),
        );
    }
    roots
}

/// The content of one of a root's files, or `None` after saying why the rule
/// could not decide (missing or unreadable), naming `what` the rule needed.
pub(crate) fn required<'f, T>(
    out: &mut Emitter,
    root: &MagentoRoot,
    file: &'f ConfigFile<T>,
    relative: &str,
    what: &str,
) -> Option<&'f T> {
    match file {
        ConfigFile::Read { content, .. } => Some(content),
        ConfigFile::Missing => {
            let path = format!("{}/{relative}", root.path);
            out.not_assessed(
                &path,
                FILES_REGION,
                format!("{path} was not found, so {what} is unknown"),
            );
            None
        }
        ConfigFile::Unreadable { path, reason, .. } => {
            out.not_assessed(
                path,
                FILES_REGION,
                format!("{path} could not be read ({reason}), so {what} is unknown"),
            );
            None
        }
    }
}

/// The newest security release of each Magento 2.4 line (`data/magento-releases.toml`).
#[derive(Debug, Deserialize)]
pub(crate) struct ReleaseTable {
    /// Where the table's facts come from.
    pub(crate) source: String,
    /// The date the table was last brought up to date.
    pub(crate) as_of: String,
    /// Where the retired lines come from.
    pub(crate) retired_source: String,
    /// Lines that no longer receive security patches.
    pub(crate) retired: Vec<String>,
    /// The lines still patched.
    pub(crate) line: Vec<ReleaseLine>,
}

/// One line of the release table.
#[derive(Debug, Deserialize)]
pub(crate) struct ReleaseLine {
    /// `2.4.7`.
    pub(crate) line: String,
    /// Its newest security release, `2.4.7-p10`.
    pub(crate) newest: String,
    /// When that release was published.
    pub(crate) released: String,
    /// A caveat on the line's support.
    #[serde(default)]
    pub(crate) note: Option<String>,
}

/// The release table, compiled in.
pub(crate) fn release_table() -> &'static ReleaseTable {
    static TABLE: std::sync::LazyLock<ReleaseTable> = std::sync::LazyLock::new(|| {
        toml::from_str(include_str!("../../data/magento-releases.toml"))
            .expect("data/magento-releases.toml is checked by a test")
    });
    &TABLE
}

/// A Magento version as composer.lock pins it: `2.4.7-p3` is line `2.4.7`,
/// patch 3; `2.4.7` is patch 0.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct MagentoVersion {
    /// Major, minor and release numbers.
    pub(crate) numbers: (u32, u32, u32),
    /// The `-pN` security patch number, 0 without one.
    pub(crate) patch: u32,
}

impl MagentoVersion {
    /// Parses `2.4.7`, `2.4.7-p3` (a leading `v` is allowed). Pre-releases and
    /// other suffixes are not versions this table can judge.
    pub(crate) fn parse(text: &str) -> Option<MagentoVersion> {
        let text = text.trim().trim_start_matches('v');
        let (base, patch) = match text.split_once('-') {
            Some((base, suffix)) => (base, suffix.strip_prefix('p')?.parse().ok()?),
            None => (text, 0),
        };
        let mut numbers = base.split('.').map(|n| n.parse::<u32>().ok());
        let major = numbers.next()??;
        let minor = numbers.next()??;
        let release = numbers.next()??;
        if numbers.next().is_some() {
            return None;
        }
        Some(MagentoVersion {
            numbers: (major, minor, release),
            patch,
        })
    }

    /// The line, `2.4.7`.
    pub(crate) fn line(&self) -> String {
        let (a, b, c) = self.numbers;
        format!("{a}.{b}.{c}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_release_table_reads_and_each_newest_release_is_of_its_line() {
        let table = release_table();
        assert!(table.source.starts_with("https://"));
        assert!(!table.line.is_empty() && !table.retired.is_empty() && !table.as_of.is_empty());
        for line in &table.line {
            let newest = MagentoVersion::parse(&line.newest).expect("a version");
            assert_eq!(newest.line(), line.line);
            assert!(!line.released.is_empty());
        }
        assert!(!table.retired_source.is_empty());
    }

    #[test]
    fn versions() {
        let v = MagentoVersion::parse("2.4.7-p3").unwrap();
        assert_eq!((v.line(), v.patch), ("2.4.7".into(), 3));
        assert_eq!(MagentoVersion::parse("2.4.8").unwrap().patch, 0);
        assert!(MagentoVersion::parse("2.4.8-beta1").is_none());
        assert!(MagentoVersion::parse("dev-2.4-develop").is_none());
        assert!(
            MagentoVersion::parse("2.4.6-p2").unwrap()
                < MagentoVersion::parse("2.4.6-p13").unwrap()
        );
    }
}
