use serde_json::json;

use super::nginx::{configs, failure, lines, walk};
use crate::{Context, Emitter, declare_rule};

declare_rule! {
    /// ## What it checks
    /// No `add_header X-XSS-Protection` with a value starting with `1`
    /// (`1`, `1; mode=block`) anywhere in the nginx configuration.
    ///
    /// ## Why it matters
    /// Browsers have removed the XSS auditor this header drives; where it
    /// still runs, its filtering has been used to leak data across origins
    /// and to disable a page's own scripts. Current guidance is to send `0`
    /// or nothing, and rely on a Content-Security-Policy.
    ///
    /// ## Severity
    /// Always low.
    ///
    /// ## How to fix
    /// Remove the header or send `add_header X-XSS-Protection "0" always;`,
    /// and set a `Content-Security-Policy`.
    ///
    /// ## Example
    /// `add_header X-XSS-Protection "1; mode=block";` fails at its line.
    pub static RULE = {
        id: "nginx-xss-protection-enabled",
        title: "The obsolete X-XSS-Protection filter is turned on",
        severity: Low,
        area: Application,
        evidence: [],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    for config in configs(ctx, out) {
        let mut all = Vec::new();
        walk(&config.directives, &mut all);
        for directive in all.into_iter().filter(|d| {
            d.name == "add_header"
                && d.arg(0).eq_ignore_ascii_case("X-XSS-Protection")
                && d.arg(1).trim_start().starts_with('1')
        }) {
            out.fail(failure(
                directive,
                format!(
                    "X-XSS-Protection is set to {:?} at {}",
                    directive.arg(1),
                    directive.place()
                ),
                json!({"lines": lines(&[directive])}),
                format!(
                    "Replace `{}` with `add_header X-XSS-Protection \"0\" always;` or remove it.",
                    directive.source
                ),
            ));
        }
    }
}
