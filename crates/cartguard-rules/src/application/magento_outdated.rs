use cartguard_inventory::files::magento::LockedPackage;
use serde_json::json;

use super::files_support::{
    MagentoVersion, magento_roots_or_say, on_file, release_table, required,
};
use crate::{Context, Emitter, Failure, declare_rule};

/// The packages whose version is the release, most telling first.
const RELEASE_PACKAGES: &[&str] = &[
    "magento/product-enterprise-edition",
    "magento/product-community-edition",
    "magento/magento2-ee-base",
    "magento/magento2-base",
];

declare_rule! {
    /// ## What it checks
    /// The Magento release a root's `composer.lock` pins (the version of
    /// `magento/product-enterprise-edition` or
    /// `magento/product-community-edition`, else `magento/magento2-base`)
    /// must be at least the newest security release of its 2.4 line. The
    /// newest releases are a dated table compiled into cartguard
    /// (`crates/cartguard-rules/data/magento-releases.toml`, with its source
    /// and date); a release of a line Adobe no longer patches (2.3 and
    /// earlier, 2.4.0 to 2.4.3) fails, and a line the table does not know (a
    /// line newer than the table, a pre-release) is reported as not assessed.
    /// Adobe's monthly isolated security patches (since July 2026) apply on
    /// top of a line's newest release and leave the pinned version unchanged:
    /// a pass here says the release is current, not that those patch files
    /// were applied; check them with Adobe's patch tooling.
    ///
    /// ## Why it matters
    /// Adobe's security releases close flaws that are exploited in the wild
    /// within days of publication (CosmicSting, CVE-2024-34102; SessionReaper,
    /// CVE-2025-54236), typically to plant a card skimmer in the checkout.
    /// PCI DSS 6.3.3 asks that critical security patches be installed within
    /// one month of release.
    ///
    /// ## Severity
    /// Always high.
    ///
    /// ## How to fix
    /// Upgrade to the newest release of the line (or a newer line), run the
    /// upgrade and deploy:
    ///
    /// ```sh
    /// composer require-commerce magento/product-community-edition 2.4.7-p10 --no-update
    /// composer update && bin/magento setup:upgrade && bin/magento setup:di:compile
    /// ```
    ///
    /// ## Example
    /// A lock pinning `magento/product-community-edition` `2.4.7-p3` fails
    /// (the line's newest in the table is `2.4.7-p10`); `2.4.7-p10` passes;
    /// `2.4.10-beta1` is not assessed.
    pub static RULE = {
        id: "magento-outdated",
        title: "composer.lock pins a Magento release older than its line's newest security release",
        severity: High,
        area: Application,
        evidence: [],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    let table = release_table();
    for root in magento_roots_or_say(ctx, out) {
        let Some(lock) = required(
            out,
            root,
            &root.composer_lock,
            "composer.lock",
            "the installed Magento release",
        ) else {
            continue;
        };
        let path = root.composer_lock.path().unwrap_or_default();
        let pinned: Option<&LockedPackage> = RELEASE_PACKAGES
            .iter()
            .find_map(|name| lock.magento_packages.iter().find(|p| p.name == *name));
        let Some(package) = pinned else {
            out.not_assessed_as(Failure {
                detail: format!(
                    "{path} pins none of {}: the installed Magento release is unknown.",
                    RELEASE_PACKAGES.join(", ")
                ),
                ..on_file(path, 1)
            });
            continue;
        };
        let (name, version, line) = (&package.name, &package.version, package.line);
        let Some(parsed) = MagentoVersion::parse(version) else {
            out.not_assessed_as(Failure {
                detail: format!(
                    "{path} pins {name} {version}, a version the release table cannot judge (not of the form 2.4.N or 2.4.N-pM)."
                ),
                ..on_file(path, line)
            });
            continue;
        };
        let line_name = parsed.line();
        let evidence = |newest: serde_json::Value| {
            json!({
                "file": path,
                "line": line,
                "package": name,
                "version": version,
                "release_line": line_name,
                "newest_security_release": newest,
                "table": { "source": table.source, "as_of": table.as_of },
            })
        };
        let upgrade = |target: &str| {
            format!(
                "cd {} && composer require-commerce {name} {target} --no-update && composer update && bin/magento setup:upgrade && bin/magento setup:di:compile, then deploy.",
                root.path
            )
        };
        let retired = table
            .retired
            .iter()
            .any(|r| line_name == *r || line_name.starts_with(&format!("{r}.")));
        if retired {
            let newest_line = table
                .line
                .first()
                .map(|l| l.newest.as_str())
                .unwrap_or("2.4");
            out.fail(Failure {
                detail: format!(
                    "{path} pins {name} {version}: the {line_name} line no longer receives security patches ({}).",
                    table.retired_source
                ),
                evidence: evidence(serde_json::Value::Null),
                remediation: upgrade(newest_line),
                ..on_file(path, line)
            });
            continue;
        }
        let Some(known) = table.line.iter().find(|l| l.line == line_name) else {
            out.not_assessed_as(Failure {
                detail: format!(
                    "{path} pins {name} {version}, of the {line_name} line, which the release table (as of {}) does not list; update the table to judge it.",
                    table.as_of
                ),
                ..on_file(path, line)
            });
            continue;
        };
        let Some(newest) = MagentoVersion::parse(&known.newest) else {
            continue;
        };
        if parsed >= newest {
            continue;
        }
        let note = known
            .note
            .as_deref()
            .map(|n| format!(" The {line_name} line is {n}."))
            .unwrap_or_default();
        out.fail(Failure {
            detail: format!(
                "{path} pins {name} {version}; the newest security release of the {line_name} line is {} (released {}, table as of {}).{note}",
                known.newest, known.released, table.as_of
            ),
            evidence: evidence(json!({ "version": known.newest, "released": known.released })),
            remediation: upgrade(&known.newest),
            ..on_file(path, line)
        });
    }
}
