use cartguard_files::nginx::Effective;
use cartguard_files::nginx::eval::effective;
use serde_json::json;

use super::nginx::{all_servers, failure, lines, outer_unknown};
use crate::{Context, Emitter, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `server_tokens` must be `off` for every `server` and every location
    /// in it, after inheritance from `http`. nginx's default is `on`, so a
    /// configuration that never sets it fails. A site file read without its
    /// `nginx.conf` that does not set it is not assessed.
    ///
    /// ## Why it matters
    /// With tokens on, every response and error page names the nginx version,
    /// which tells an attacker which known vulnerabilities to try.
    ///
    /// ## Severity
    /// Always low.
    ///
    /// ## How to fix
    /// In the `http` block: `server_tokens off;`
    ///
    /// ## Example
    /// An `nginx.conf` without `server_tokens` fails at each server line; with
    /// `server_tokens off;` in `http` it passes.
    pub static RULE = {
        id: "nginx-server-tokens-on",
        title: "nginx announces its version (server_tokens is not off)",
        severity: Low,
        area: Application,
        evidence: [],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    for server in all_servers(ctx, out) {
        match server.effective("server_tokens") {
            Effective::Unknown => outer_unknown(out, &server, "server_tokens", None),
            Effective::Default => out.fail(failure(
                server.directive,
                format!(
                    "{} does not set server_tokens, and nginx's default is on",
                    server.label()
                ),
                json!({"lines": lines(&[server.directive])}),
                "Add `server_tokens off;` to the http block.".to_string(),
            )),
            Effective::Set(set) => {
                if let Some(on) = set.last().filter(|d| d.arg(0) != "off") {
                    out.fail(failure(
                        on,
                        format!("{} has `{}`", server.label(), on.source),
                        json!({"lines": lines(&[on])}),
                        format!("Replace `{}` with `server_tokens off;`.", on.source),
                    ));
                    continue;
                }
            }
        }
        // A location may turn them back on.
        for location in server.locations() {
            if let Effective::Set(set) = effective(&location.levels, "server_tokens", true)
                && let Some(on) = set.last().filter(|d| d.arg(0) != "off")
                && location
                    .directive
                    .children()
                    .iter()
                    .any(|d| std::ptr::eq(d, *on))
            {
                out.fail(failure(
                    on,
                    format!(
                        "{} turns server_tokens back on in `{}`",
                        server.label(),
                        location.directive.source
                    ),
                    json!({"lines": lines(&[location.directive, on])}),
                    format!("Remove `{}`.", on.source),
                ));
            }
        }
    }
}
