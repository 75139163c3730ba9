use serde_json::json;

use super::nginx::{Probe, REGION, all_servers, failure, lines, probe};
use crate::{Context, Emitter, Failure, declare_rule};

/// Hidden files a store's document root may hold, asked for as an attacker would.
const PROBES: &[&str] = &["/.git/config", "/.env", "/.htaccess"];

declare_rule! {
    /// ## What it checks
    /// For every nginx `server`, requests for `/.git/config`, `/.env` and
    /// `/.htaccess` are routed the way nginx routes them (exact, longest
    /// prefix, `^~`, then regexes in order) and must end in a refusal:
    /// `deny all`, a `return` of a 4xx status or `internal`. A location
    /// that re-allows one path (`location ^~ /.well-known/`) is fine; a deny
    /// whose regex never matches these paths protects nothing. A server that
    /// answers everything with a `return` (a redirect to HTTPS) serves no file.
    ///
    /// ## Why it matters
    /// A deployed `.git` folder gives away the whole source history, often
    /// with credentials; `.env` files hold database passwords and API keys.
    /// Scanners request these paths on every site they find.
    ///
    /// ## Severity
    /// Always high.
    ///
    /// ## How to fix
    ///
    /// ```nginx
    /// location ^~ /.well-known/ { allow all; }
    /// location ~ /\. { deny all; return 404; }
    /// ```
    ///
    /// ## Example
    /// A storefront whose only locations are `/` and `~ \.php$` serves
    /// `/.git/config` from its root and fails; adding `location ~ /\. { deny all; }`
    /// makes it pass.
    pub static RULE = {
        id: "nginx-dotfiles-served",
        title: "Hidden files and folders (.git, .env) are served",
        severity: High,
        area: Application,
        evidence: [],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    for server in all_servers(ctx, out) {
        let mut served = Vec::new();
        let mut refused = Vec::new();
        let mut shown = vec![server.directive];
        for path in PROBES {
            match probe(&server, path, false) {
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
                "{} serves hidden files: no location refuses {}",
                server.label(),
                paths.join(", ")
            ),
            json!({"served": served, "refused": refused, "lines": lines(&shown)}),
            format!(
                "Add to {} (before other regex locations): `location ~ /\\. {{ deny all; return 404; }}`, keeping `location ^~ /.well-known/ {{ }}` for certificate checks.",
                server.label()
            ),
        ));
    }
}
