use serde_json::json;

use super::nginx::{configs, failure, lines, walk};
use crate::{Context, Emitter, declare_rule};

declare_rule! {
    /// ## What it checks
    /// No `autoindex on;` anywhere in the nginx configuration (in `http`,
    /// a `server`, a `location`, or a file any of them includes). nginx's
    /// default is off.
    ///
    /// ## Why it matters
    /// A directory listing shows every file of a folder, including backups,
    /// exports and uploads nobody meant to publish, and hands an attacker a
    /// map of the application.
    ///
    /// ## Severity
    /// Always medium.
    ///
    /// ## How to fix
    /// Remove the directive, or set `autoindex off;`.
    ///
    /// ## Example
    /// `location /media/ { autoindex on; }` fails at its line.
    pub static RULE = {
        id: "nginx-autoindex-on",
        title: "Directory listing is on",
        severity: Medium,
        area: Application,
        evidence: [],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    for config in configs(ctx, out) {
        let mut all = Vec::new();
        walk(&config.directives, &mut all);
        for directive in all
            .into_iter()
            .filter(|d| d.name == "autoindex" && d.arg(0) == "on")
        {
            out.fail(failure(
                directive,
                format!("directory listing is on at {}", directive.place()),
                json!({"lines": lines(&[directive])}),
                format!(
                    "Replace `{}` with `autoindex off;` (or remove it).",
                    directive.source
                ),
            ));
        }
    }
}
