use cartguard_files::nginx::Modifier;
use cartguard_files::nginx::eval::location_pattern;
use serde_json::json;

use super::nginx::{configs, failure, lines, walk};
use crate::{Context, Emitter, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every prefix `location` whose path does not end with `/` and whose
    /// `alias` does (`location /static { alias /srv/static/; }`), anywhere in
    /// the nginx configuration.
    ///
    /// ## Why it matters
    /// nginx replaces the location's prefix with the alias: `/static../etc/app.php`
    /// becomes `/srv/static/../etc/app.php`, one folder above the one meant to be
    /// served. This "off-by-slash" exposes configuration and source files next
    /// to the aliased folder.
    ///
    /// ## Severity
    /// Always high.
    ///
    /// ## How to fix
    /// End both with a slash, or neither: `location /static/ { alias /srv/static/; }`.
    ///
    /// ## Example
    /// `location /media { alias /var/www/shop/pub/media/; }` fails at the
    /// location's line; `location /media/ { … }` passes.
    pub static RULE = {
        id: "nginx-alias-traversal",
        title: "A location without a trailing slash maps to an alias with one (path traversal)",
        severity: High,
        area: Application,
        evidence: [],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    for config in configs(ctx, out) {
        let mut all = Vec::new();
        walk(&config.directives, &mut all);
        for location in all
            .into_iter()
            .filter(|d| d.name == "location" && d.block.is_some())
        {
            let (modifier, pattern) = location_pattern(location);
            if !matches!(modifier, Modifier::Prefix | Modifier::PrefixNoRegex)
                || pattern.ends_with('/')
            {
                continue;
            }
            let Some(alias) = location
                .children()
                .iter()
                .find(|d| d.name == "alias" && d.arg(0).ends_with('/'))
            else {
                continue;
            };
            out.fail(failure(
                location,
                format!(
                    "`{}` maps to `{}`: {pattern}../ reaches the folder above {}",
                    location.source,
                    alias.source,
                    alias.arg(0)
                ),
                json!({"lines": lines(&[location, alias])}),
                format!("Write `location {pattern}/ {{` so that the location ends with a slash as the alias does."),
            ));
        }
    }
}
