use cartguard_files::nginx::eval::{Effective, effective};
use cartguard_inventory::files::NginxDirective;
use serde_json::json;

use super::headers::{SECURITY, find};
use super::nginx::{all_servers, failure, lines};
use crate::{Context, Emitter, declare_rule};

declare_rule! {
    /// ## What it checks
    /// nginx inherits `add_header` from an outer block only when the inner
    /// block has none of its own. For every `server` and `location` with its
    /// own `add_header`, the security headers (`Strict-Transport-Security`,
    /// `X-Frame-Options`, `X-Content-Type-Options`, `Referrer-Policy`,
    /// `Content-Security-Policy`, `Permissions-Policy`) in force around it
    /// must be repeated in it; the finding names those it drops.
    ///
    /// ## Why it matters
    /// A `location` that adds a caching header silently strips HSTS and the
    /// framing and content policies from every response it serves: the
    /// configuration reads as protected while the pages are not.
    ///
    /// ## Severity
    /// Always medium.
    ///
    /// ## How to fix
    /// Put the security headers in a snippet and include it in every block
    /// that has its own `add_header`:
    ///
    /// ```nginx
    /// location /static/ {
    ///     add_header Cache-Control "public";
    ///     include snippets/security-headers.conf;
    /// }
    /// ```
    ///
    /// ## Example
    /// `server { add_header X-Frame-Options SAMEORIGIN always; location /media/ { add_header Cache-Control public; } }`
    /// fails at the `location` line: X-Frame-Options is lost there.
    pub static RULE = {
        id: "nginx-header-inheritance-lost",
        title: "A block with its own add_header drops the security headers set around it",
        severity: Medium,
        area: Application,
        evidence: [],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    for server in all_servers(ctx, out) {
        let mut blocks: Vec<Vec<&NginxDirective>> = vec![server.levels()];
        blocks.extend(server.locations().into_iter().map(|l| l.levels));
        for levels in blocks {
            let Some((block, outer)) = levels.split_last() else {
                continue;
            };
            if outer.is_empty() {
                continue;
            }
            let own: Vec<&NginxDirective> = block
                .children()
                .iter()
                .filter(|d| d.name == "add_header")
                .collect();
            if own.is_empty() {
                continue;
            }
            let Effective::Set(around) = effective(outer, "add_header", true) else {
                continue;
            };
            let lost: Vec<&NginxDirective> = SECURITY
                .iter()
                .filter(|h| find(&own, h).is_none())
                .filter_map(|h| find(&around, h))
                .collect();
            if lost.is_empty() {
                continue;
            }
            let names: Vec<&str> = lost.iter().map(|d| d.arg(0)).collect();
            let shown: Vec<&NginxDirective> = std::iter::once(*block)
                .chain(own.iter().copied())
                .chain(lost.iter().copied())
                .collect();
            out.fail(failure(
                block,
                format!(
                    "`{}` in {} has its own add_header, so {} set around it {} not sent from it",
                    block.source,
                    server.label(),
                    names.join(", "),
                    if names.len() == 1 { "is" } else { "are" }
                ),
                json!({"lost": names, "lines": lines(&shown)}),
                format!(
                    "Repeat the security headers in `{}` (an `include` of a snippet holding them keeps them in one place).",
                    block.source
                ),
            ));
        }
    }
}
