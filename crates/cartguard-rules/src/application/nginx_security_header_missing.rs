use cartguard_files::nginx::Effective;
use serde_json::json;

use super::headers::{REQUIRED, always, find};
use super::nginx::{all_servers, failure, lines, outer_unknown};
use crate::{Context, Emitter, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every nginx `server` that answers HTTPS must send, after inheritance
    /// from `http`, `Strict-Transport-Security`, `X-Frame-Options` (or a
    /// `Content-Security-Policy` with `frame-ancestors`),
    /// `X-Content-Type-Options`, `Referrer-Policy` and
    /// `Content-Security-Policy`, each with `always` so that error pages carry
    /// it too. One finding per missing header.
    ///
    /// ## Why it matters
    /// These headers stop clickjacking, MIME sniffing, leaking URLs with
    /// tokens to other sites, downgrade to HTTP, and limit where scripts may
    /// come from: PCI DSS 6.4.3 and 11.6.1 ask the payment page's scripts and
    /// headers to be controlled, which starts with sending them.
    ///
    /// ## Severity
    /// Always medium.
    ///
    /// ## How to fix
    ///
    /// ```nginx
    /// add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;
    /// add_header X-Frame-Options "SAMEORIGIN" always;
    /// add_header X-Content-Type-Options "nosniff" always;
    /// add_header Referrer-Policy "strict-origin-when-cross-origin" always;
    /// add_header Content-Security-Policy "frame-ancestors 'self'; upgrade-insecure-requests" always;
    /// ```
    ///
    /// ## Example
    /// An HTTPS server with only `add_header X-Frame-Options SAMEORIGIN;`
    /// fails five times: four headers missing, and X-Frame-Options without `always`.
    pub static RULE = {
        id: "nginx-security-header-missing",
        title: "An HTTPS server lacks a security header",
        severity: Medium,
        area: Application,
        evidence: [],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    for server in all_servers(ctx, out) {
        if !server.answers_https() || server.returns_everything().is_some() {
            continue;
        }
        let set = match server.effective("add_header") {
            Effective::Unknown => {
                outer_unknown(out, &server, "add_header", None);
                continue;
            }
            Effective::Default => Vec::new(),
            Effective::Set(set) => set,
        };
        for header in REQUIRED {
            let found = find(&set, header).or_else(|| {
                (*header == "X-Frame-Options")
                    .then(|| find(&set, "Content-Security-Policy"))
                    .flatten()
                    .filter(|csp| csp.arg(1).contains("frame-ancestors"))
            });
            let (at, detail, shown) = match found {
                Some(directive) if always(directive) => continue,
                Some(directive) => (
                    directive,
                    format!(
                        "{} sends {header} without `always`: error pages lack it",
                        server.label()
                    ),
                    vec![server.directive, directive],
                ),
                None => (
                    server.directive,
                    format!("{} does not send {header}", server.label()),
                    std::iter::once(server.directive)
                        .chain(set.iter().copied())
                        .collect(),
                ),
            };
            let mut failure = failure(
                at,
                detail,
                json!({"header": header, "lines": lines(&shown)}),
                format!(
                    "In {}: `add_header {header} {} always;`",
                    server.label(),
                    example(header)
                ),
            );
            failure.discriminator = Some((*header).to_string());
            out.fail(failure);
        }
    }
}

fn example(header: &str) -> &'static str {
    match header {
        "Strict-Transport-Security" => "\"max-age=31536000; includeSubDomains\"",
        "X-Frame-Options" => "\"SAMEORIGIN\"",
        "X-Content-Type-Options" => "\"nosniff\"",
        "Referrer-Policy" => "\"strict-origin-when-cross-origin\"",
        _ => "\"frame-ancestors 'self'; upgrade-insecure-requests\"",
    }
}
