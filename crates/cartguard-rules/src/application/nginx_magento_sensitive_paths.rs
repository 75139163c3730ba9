use serde_json::json;

use super::nginx::{Probe, REGION, all_servers, failure, lines, probe, runs_php};
use crate::{Context, Emitter, Failure, declare_rule};

/// Magento's files that must never be served, asked for as an attacker would.
const PROBES: &[&str] = &[
    "/app/etc/env.php",
    "/composer.json",
    "/composer.lock",
    "/var/log/system.log",
    "/var/session/sess_0",
    "/var/backups/backup.sql",
];

declare_rule! {
    /// ## What it checks
    /// For every nginx `server` that runs PHP (a `fastcgi_pass`, or Magento's
    /// `$MAGE_ROOT`), requests for `app/etc/env.php`, `composer.json`,
    /// `composer.lock`, `var/log/`, `var/session/` and `var/backups/` are
    /// routed as nginx routes them and must end in a refusal (`deny all`, a
    /// 4xx `return`, `internal`), or in a location whose `root` is Magento's
    /// `pub/` folder, which keeps these files out of reach.
    ///
    /// ## Why it matters
    /// `env.php` holds the database password and the encryption key that
    /// protects stored payment data; `composer.lock` tells an attacker which
    /// known vulnerabilities apply; sessions and logs hold customers' data
    /// and admin session ids.
    ///
    /// ## Severity
    /// Always high.
    ///
    /// ## How to fix
    /// Serve Magento from `pub/` (`root $MAGE_ROOT/pub;`) as its sample
    /// configuration does, or deny the paths:
    ///
    /// ```nginx
    /// location ~* ^/(app|var|vendor|setup|dev|generated)/ { deny all; }
    /// location ~* ^/composer\.(json|lock)$ { deny all; }
    /// ```
    ///
    /// ## Example
    /// A server with `root /var/www/magento;` and only PHP locations serves
    /// `/app/etc/env.php` as text and fails; `root /var/www/magento/pub;`
    /// passes.
    pub static RULE = {
        id: "nginx-magento-sensitive-paths",
        title: "Magento's configuration, logs, sessions or backups are served",
        severity: High,
        area: Application,
        evidence: [],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    for server in all_servers(ctx, out) {
        if !runs_php(&server) {
            continue;
        }
        let mut served = Vec::new();
        let mut refused = Vec::new();
        let mut shown = vec![server.directive];
        for path in PROBES {
            match probe(&server, path, true) {
                Probe::Refused(by) | Probe::OutsideRoot(by) => {
                    refused.push(json!({"path": path, "refused_by": format!("{}: {}", by.place(), by.source)}));
                }
                Probe::Served(location) => {
                    served.push(json!({
                        "path": path,
                        "served_by": location.map_or_else(|| "the server (no location matches)".to_string(), |l| format!("{}: {}", l.place(), l.source)),
                    }));
                    shown.extend(location);
                }
                Probe::Unknown(location, reason) => out.not_assessed_as(Failure {
                    resource: location.place(),
                    region: REGION.into(),
                    detail: format!(
                        "{}: where {path} is served cannot be decided: {reason}",
                        server.label()
                    ),
                    discriminator: Some((*path).to_string()),
                    ..Failure::default()
                }),
            }
        }
        if served.is_empty() {
            continue;
        }
        shown.dedup();
        let paths: Vec<&str> = served.iter().filter_map(|s| s["path"].as_str()).collect();
        out.fail(failure(
            server.directive,
            format!(
                "{} serves Magento's private files: no location refuses {}",
                server.label(),
                paths.join(", ")
            ),
            json!({"served": served, "refused": refused, "lines": lines(&shown)}),
            format!(
                "In {}, serve the store from pub/ (`root $MAGE_ROOT/pub;`) or add `location ~* ^/(app|var|vendor|setup|dev|generated)/ {{ deny all; }}` and `location ~* ^/composer\\.(json|lock)$ {{ deny all; }}`.",
                server.label()
            ),
        ));
    }
}
