use cartguard_files::nginx::Route;
use cartguard_files::nginx::eval::refusal;
use cartguard_inventory::files::NginxDirective;
use serde_json::json;

use super::nginx::{all_servers, failure, lines};
use crate::{Context, Emitter, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every nginx `server` that serves content must reject request methods
    /// other than GET, HEAD and POST: an `if ($request_method !~ ^(GET|HEAD|POST)$)`
    /// at the server level that returns a 4xx status, or a `limit_except GET POST`
    /// that denies the rest in the location serving `/`. A server that
    /// answers everything with a `return` (a redirect) is not judged. A store
    /// whose API needs PUT or DELETE should allow them only on its API
    /// locations.
    ///
    /// ## Why it matters
    /// TRACE, PUT, DELETE and WebDAV methods the storefront never uses widen
    /// what reaches PHP and the application, and some (TRACE) help steal
    /// cookies; PCI DSS 2.2.4 asks that only necessary functions be enabled.
    ///
    /// ## Severity
    /// Always low.
    ///
    /// ## How to fix
    ///
    /// ```nginx
    /// if ($request_method !~ ^(GET|HEAD|POST)$) { return 405; }
    /// ```
    ///
    /// ## Example
    /// A server with only locations and no method filter fails at its
    /// `server` line; adding the `if` above passes.
    pub static RULE = {
        id: "nginx-methods-unrestricted",
        title: "Request methods other than GET, HEAD and POST are not rejected",
        severity: Low,
        area: Application,
        evidence: [],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    for server in all_servers(ctx, out) {
        if server.returns_everything().is_some() {
            continue;
        }
        if method_filter(server.directive.children()).is_some() {
            continue;
        }
        if let Route::Location(root) = server.route("/")
            && root.directive.children().iter().any(|d| {
                d.name == "limit_except" && {
                    let mut levels = root.levels.clone();
                    levels.push(d);
                    refusal(&levels, server.complete()).is_some()
                }
            })
        {
            continue;
        }
        out.fail(failure(
            server.directive,
            format!("{} accepts any request method (no filter on $request_method, no limit_except)", server.label()),
            json!({"lines": lines(&[server.directive])}),
            format!(
                "In {}: `if ($request_method !~ ^(GET|HEAD|POST)$) {{ return 405; }}` (allow the API's methods on its own locations).",
                server.label()
            ),
        ));
    }
}

/// An `if` on `$request_method` that refuses with a 4xx status.
fn method_filter(block: &[NginxDirective]) -> Option<&NginxDirective> {
    block.iter().find(|d| {
        d.name == "if"
            && d.args.iter().any(|a| a.contains("$request_method"))
            && d.children()
                .iter()
                .any(|r| r.name == "return" && r.arg(0).starts_with('4'))
    })
}
