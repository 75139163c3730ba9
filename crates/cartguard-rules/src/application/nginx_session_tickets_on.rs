use cartguard_files::nginx::Effective;
use serde_json::json;

use super::nginx::{all_servers, failure, lines, outer_unknown};
use crate::{Context, Emitter, declare_rule};

declare_rule! {
    /// ## What it checks
    /// For every nginx `server` answering HTTPS, `ssl_session_tickets` must be
    /// `off` after inheritance from `http`. nginx's default is `on`.
    ///
    /// ## Why it matters
    /// Session tickets are encrypted with a key nginx keeps for as long as it
    /// runs and never rotates on its own: whoever obtains it can decrypt every
    /// recorded session that used it, which undoes forward secrecy.
    ///
    /// ## Severity
    /// Always low.
    ///
    /// ## How to fix
    /// In the `http` block: `ssl_session_tickets off;` (session resumption
    /// still works through `ssl_session_cache shared:SSL:10m;`).
    ///
    /// ## Example
    /// An HTTPS server in a configuration that never sets
    /// `ssl_session_tickets` fails at its `server` line.
    pub static RULE = {
        id: "nginx-session-tickets-on",
        title: "TLS session tickets are on",
        severity: Low,
        area: Application,
        evidence: [],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    for server in all_servers(ctx, out) {
        if !server.answers_https() {
            continue;
        }
        match server.effective("ssl_session_tickets") {
            Effective::Unknown => outer_unknown(out, &server, "ssl_session_tickets", None),
            Effective::Default => out.fail(failure(
                server.directive,
                format!(
                    "{} does not set ssl_session_tickets, and nginx's default is on",
                    server.label()
                ),
                json!({"lines": lines(&[server.directive])}),
                "Add `ssl_session_tickets off;` to the http block.".to_string(),
            )),
            Effective::Set(set) => {
                if let Some(on) = set.last().filter(|d| d.arg(0) != "off") {
                    out.fail(failure(
                        on,
                        format!("{} has `{}`", server.label(), on.source),
                        json!({"lines": lines(&[on])}),
                        format!("Replace `{}` with `ssl_session_tickets off;`.", on.source),
                    ));
                }
            }
        }
    }
}
