//! The security headers the header rules look for.

use cartguard_inventory::files::NginxDirective;

/// The headers a store's HTTPS responses must carry.
pub(crate) const REQUIRED: &[&str] = &[
    "Strict-Transport-Security",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Content-Security-Policy",
];

/// Headers whose loss the inheritance rule reports.
pub(crate) const SECURITY: &[&str] = &[
    "Strict-Transport-Security",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Content-Security-Policy",
    "Permissions-Policy",
];

/// The `add_header` among `set` that sends `header` (names compare without case).
pub(crate) fn find<'c>(set: &[&'c NginxDirective], header: &str) -> Option<&'c NginxDirective> {
    set.iter()
        .copied()
        .find(|d| d.arg(0).eq_ignore_ascii_case(header))
}

/// Whether an `add_header` is sent with error responses too (`always`).
pub(crate) fn always(directive: &NginxDirective) -> bool {
    directive.args.iter().skip(2).any(|a| a == "always")
}
