use cartguard_inventory::files::magento::Setting;
use serde_json::json;

use super::files_support::{magento_roots_or_say, on_file, required};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// In every Magento 2 root found under `--path`, `app/etc/env.php` must
    /// set `backend.frontName` to a path of its own. The rule fails when it
    /// is `admin` (in any case) or absent, since Magento then serves its admin
    /// panel at `/admin`. A value computed at run time (`getenv(...)`) cannot
    /// be judged from the file and is reported as not assessed.
    ///
    /// ## Why it matters
    /// `/admin` is the first address every automated credential-stuffing and
    /// brute-force campaign against Magento tries. A custom admin path does
    /// not replace strong authentication, but it removes the store from the
    /// cheapest attacks and keeps the admin login out of routine scans. PCI
    /// DSS 2.2.6 asks that system security parameters be configured to
    /// prevent misuse.
    ///
    /// ## Severity
    /// Always medium.
    ///
    /// ## How to fix
    /// Choose an unpredictable path and set it with Magento's CLI (it writes
    /// env.php), then restrict it further in the web server if you can:
    ///
    /// ```sh
    /// bin/magento setup:config:set --backend-frontname="ops_$(openssl rand -hex 4)"
    /// bin/magento cache:flush
    /// ```
    ///
    /// ## Example
    /// `'backend' => ['frontName' => 'admin']` fails, and so does an env.php
    /// without `backend`; `'frontName' => 'ops_7f3a9c2e'` passes.
    pub static RULE = {
        id: "magento-admin-default-path",
        title: "Magento's admin panel is at the default /admin path",
        severity: Medium,
        area: Application,
        evidence: [],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    for root in magento_roots_or_say(ctx, out) {
        let Some(env) = required(
            out,
            root,
            &root.env_php,
            "app/etc/env.php",
            "the admin path",
        ) else {
            continue;
        };
        let path = root.env_php.path().unwrap_or_default();
        let remediation = format!(
            "cd {} && bin/magento setup:config:set --backend-frontname=\"ops_$(openssl rand -hex 4)\" && bin/magento cache:flush",
            root.path
        );
        match &env.admin_front_name {
            None => out.fail(Failure {
                detail: format!(
                    "{path} sets no backend.frontName, so the admin panel answers at the default /admin."
                ),
                evidence: json!({ "file": path, "backend.frontName": null, "default": "admin" }),
                remediation,
                ..on_file(path, 1)
            }),
            Some(located) => match &located.value {
                Setting::Literal { value } if value.trim().eq_ignore_ascii_case("admin") => {
                    out.fail(Failure {
                        detail: format!(
                            "{path} line {} sets backend.frontName to '{value}': the admin panel answers at the default /admin.",
                            located.line
                        ),
                        evidence: json!({ "file": path, "line": located.line, "backend.frontName": value }),
                        remediation,
                        ..on_file(path, located.line)
                    })
                }
                Setting::Literal { .. } => {}
                Setting::Dynamic { expression } => out.not_assessed_as(Failure {
                    detail: format!(
                        "{path} line {} computes backend.frontName at run time ({expression}); its value cannot be read from the file.",
                        located.line
                    ),
                    ..on_file(path, located.line)
                }),
            },
        }
    }
}
