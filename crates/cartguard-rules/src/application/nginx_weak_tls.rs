use cartguard_files::nginx::Effective;
use serde_json::json;

use super::nginx::{all_servers, failure, lines, outer_unknown};
use crate::{Context, Emitter, declare_rule};

/// Protocol versions PCI DSS no longer accepts as strong cryptography.
const WEAK_PROTOCOLS: &[&str] = &["SSLv2", "SSLv3", "TLSv1", "TLSv1.1"];

/// nginx's default `ssl_ciphers`.
const DEFAULT_CIPHERS: &str = "HIGH:!aNULL:!MD5";

declare_rule! {
    /// ## What it checks
    /// For every nginx `server` answering HTTPS, after inheritance from
    /// `http`: `ssl_protocols` must not enable SSLv2, SSLv3, TLSv1 or TLSv1.1
    /// (and must be set: nginx before 1.23.4 enables TLSv1 and TLSv1.1 by
    /// default), and `ssl_ciphers` must name only AEAD suites (AES-GCM,
    /// ChaCha20-Poly1305, AES-CCM) — no group such as `HIGH` or `ALL` that
    /// brings in CBC, RC4, 3DES or export suites, and no such suite by name.
    /// nginx's default `HIGH:!aNULL:!MD5` includes CBC suites and fails.
    /// Protocols and ciphers are separate findings.
    ///
    /// ## Why it matters
    /// TLS 1.0 and 1.1 are not strong cryptography for PCI DSS 4.2.1; CBC
    /// suites are exposed to padding-oracle attacks (Lucky13), RC4 and 3DES
    /// are broken. Cardholder data crosses this connection.
    ///
    /// ## Severity
    /// Always high.
    ///
    /// ## How to fix
    ///
    /// ```nginx
    /// ssl_protocols TLSv1.2 TLSv1.3;
    /// ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;
    /// ssl_prefer_server_ciphers off;
    /// ```
    ///
    /// ## Example
    /// `ssl_protocols TLSv1 TLSv1.1 TLSv1.2;` fails at its line; so does
    /// `ssl_ciphers HIGH:!aNULL;`.
    pub static RULE = {
        id: "nginx-weak-tls",
        title: "nginx allows TLS below 1.2 or non-AEAD cipher suites",
        severity: High,
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
        match server.effective("ssl_protocols") {
            Effective::Unknown => {
                outer_unknown(out, &server, "ssl_protocols", Some("protocols".into()))
            }
            Effective::Default => {
                let mut f = failure(
                    server.directive,
                    format!(
                        "{} does not set ssl_protocols: nginx before 1.23.4 then enables TLSv1 and TLSv1.1",
                        server.label()
                    ),
                    json!({"lines": lines(&[server.directive])}),
                    "Add `ssl_protocols TLSv1.2 TLSv1.3;` to the http block.".to_string(),
                );
                f.discriminator = Some("protocols".into());
                out.fail(f);
            }
            Effective::Set(set) => {
                if let Some(last) = set.last() {
                    let weak: Vec<&str> = last
                        .args
                        .iter()
                        .map(String::as_str)
                        .filter(|a| WEAK_PROTOCOLS.contains(a))
                        .collect();
                    if !weak.is_empty() {
                        let mut f = failure(
                            last,
                            format!("{} enables {}", server.label(), weak.join(", ")),
                            json!({"weak": weak, "lines": lines(&[last])}),
                            format!(
                                "Replace `{}` with `ssl_protocols TLSv1.2 TLSv1.3;`.",
                                last.source
                            ),
                        );
                        f.discriminator = Some("protocols".into());
                        out.fail(f);
                    }
                }
            }
        }
        let (ciphers, at) = match server.effective("ssl_ciphers") {
            Effective::Unknown => {
                outer_unknown(out, &server, "ssl_ciphers", Some("ciphers".into()));
                continue;
            }
            Effective::Default => (DEFAULT_CIPHERS.to_string(), None),
            Effective::Set(set) => match set.last() {
                Some(last) => (last.arg(0).to_string(), Some(*last)),
                None => continue,
            },
        };
        let legacy = legacy_ciphers(&ciphers);
        if legacy.is_empty() {
            continue;
        }
        let shown: Vec<_> = at.into_iter().collect();
        let mut f = failure(
            at.unwrap_or(server.directive),
            match at {
                Some(_) => format!("{} allows non-AEAD cipher suites: {}", server.label(), legacy.join(", ")),
                None => format!(
                    "{} does not set ssl_ciphers; nginx's default {DEFAULT_CIPHERS} allows non-AEAD (CBC) suites",
                    server.label()
                ),
            },
            json!({"ciphers": ciphers, "legacy": legacy, "lines": lines(if shown.is_empty() { std::slice::from_ref(&server.directive) } else { &shown })}),
            "Set `ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;`.".to_string(),
        );
        f.discriminator = Some("ciphers".into());
        out.fail(f);
    }
}

/// The parts of an OpenSSL cipher string that allow a non-AEAD suite: a
/// group (`HIGH`, `ALL`, `DEFAULT`, …) or a suite without GCM, ChaCha20 or CCM.
/// Exclusions (`!`, `-`), reordering (`+`) and `@` settings allow nothing.
pub(crate) fn legacy_ciphers(ciphers: &str) -> Vec<String> {
    const AEAD: &[&str] = &["GCM", "CHACHA20", "CCM"];
    ciphers
        .split([':', ' ', ','])
        .map(str::trim)
        .filter(|t| !t.is_empty() && !t.starts_with(['!', '-', '+', '@']))
        .filter(|t| {
            let upper = t.to_ascii_uppercase();
            // `ECDHE+AESGCM` style combinations are AEAD when every part is.
            !upper
                .split('+')
                .any(|part| AEAD.iter().any(|a| part.contains(a)))
        })
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::legacy_ciphers;

    #[test]
    fn only_aead_suites_pass() {
        assert_eq!(legacy_ciphers("HIGH:!aNULL:!MD5"), ["HIGH"]);
        assert!(
            legacy_ciphers("ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305:!aNULL")
                .is_empty()
        );
        assert_eq!(
            legacy_ciphers("ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA:DES-CBC3-SHA"),
            ["AES128-SHA", "DES-CBC3-SHA"]
        );
        assert!(legacy_ciphers("ECDHE+AESGCM:!aNULL").is_empty());
    }
}
