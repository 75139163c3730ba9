use serde_json::json;

use super::files_support::{magento_roots_or_say, on_file, required};
use crate::{Context, Emitter, Failure, declare_rule};

/// The module that enforces two-factor authentication for admin users.
const TWO_FACTOR_MODULE: &str = "Magento_TwoFactorAuth";

declare_rule! {
    /// ## What it checks
    /// In every Magento 2 root found under `--path`, `app/etc/config.php`'s
    /// `modules` list must enable `Magento_TwoFactorAuth` (flag `1`). The rule
    /// fails when the module is disabled (`0`) or missing from the list (it
    /// was removed, often with a Composer `replace`), since the admin panel
    /// then accepts a password alone. Without config.php, or without a
    /// `modules` list, the rule says it could not decide.
    ///
    /// ## Why it matters
    /// The Magento admin can change prices, payment settings and the
    /// checkout's scripts: a stolen admin password is a skimmer on the
    /// payment page. PCI DSS 8.4.1 requires multi-factor authentication for
    /// all non-console administrative access to the cardholder data
    /// environment, and Magento ships the module enabled for that reason.
    ///
    /// ## Severity
    /// Always high.
    ///
    /// ## How to fix
    /// Enable the module (and restore it with Composer if it was removed),
    /// then have every admin user enrol a second factor:
    ///
    /// ```sh
    /// composer require magento/module-two-factor-auth   # only if it was removed
    /// bin/magento module:enable Magento_TwoFactorAuth
    /// bin/magento setup:upgrade && bin/magento cache:flush
    /// ```
    ///
    /// ## Example
    /// `'Magento_TwoFactorAuth' => 0` fails, and so does a `modules` list
    /// without the module; `'Magento_TwoFactorAuth' => 1` passes.
    pub static RULE = {
        id: "magento-2fa-disabled",
        title: "Magento's admin two-factor authentication is disabled",
        severity: High,
        area: Application,
        evidence: [],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    for root in magento_roots_or_say(ctx, out) {
        let Some(config) = required(
            out,
            root,
            &root.config_php,
            "app/etc/config.php",
            "whether two-factor authentication is enabled",
        ) else {
            continue;
        };
        let path = root.config_php.path().unwrap_or_default();
        let remediation = format!(
            "cd {} && bin/magento module:enable {TWO_FACTOR_MODULE} && bin/magento setup:upgrade && bin/magento cache:flush (if the module was removed, first composer require magento/module-two-factor-auth); then have every admin user enrol a second factor.",
            root.path
        );
        let Some(modules) = &config.modules else {
            out.not_assessed_as(Failure {
                detail: format!("{path} has no modules list, so whether {TWO_FACTOR_MODULE} is enabled is unknown."),
                ..on_file(path, config.modules_line.max(1))
            });
            continue;
        };
        match modules.iter().find(|m| m.name == TWO_FACTOR_MODULE) {
            None => out.fail(Failure {
                detail: format!(
                    "{path} lists {} modules but not {TWO_FACTOR_MODULE}: it is not installed, so the admin panel accepts a password alone.",
                    modules.len()
                ),
                evidence: json!({ "file": path, "line": config.modules_line, "module": TWO_FACTOR_MODULE, "listed": false }),
                remediation,
                ..on_file(path, config.modules_line.max(1))
            }),
            Some(module) => match module.enabled {
                Some(true) => {}
                Some(false) => out.fail(Failure {
                    detail: format!(
                        "{path} line {} disables {TWO_FACTOR_MODULE} (flag 0): the admin panel accepts a password alone.",
                        module.line
                    ),
                    evidence: json!({ "file": path, "line": module.line, "module": TWO_FACTOR_MODULE, "enabled": 0 }),
                    remediation,
                    ..on_file(path, module.line)
                }),
                None => out.not_assessed_as(Failure {
                    detail: format!(
                        "{path} line {} computes {TWO_FACTOR_MODULE}'s flag at run time; it cannot be read from the file.",
                        module.line
                    ),
                    ..on_file(path, module.line)
                }),
            },
        }
    }
}
