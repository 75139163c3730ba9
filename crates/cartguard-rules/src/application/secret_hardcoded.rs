use cartguard_inventory::files::secrets::{CredentialKind, SecretFound};
use serde_json::json;

use super::files_support::on_file;
use crate::{Context, Emitter, Failure, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every text file read under `--path` (and, with `--git-history`, every
    /// version of every file in a repository's history) must hold no
    /// credential. A value is a credential by its shape: an AWS access key id
    /// (`AKIA…`/`ASIA…`) and the 40-character secret key near it, Shopify
    /// tokens (`shpat_`, `shpca_`, `shppa_`, `shpss_`), Stripe live keys
    /// (`sk_live_`, `rk_live_`), Klaviyo private keys (`pk_` and 34 hex
    /// digits), Braintree production access tokens, GitHub (`ghp_`,
    /// `github_pat_`, …) and GitLab (`glpat-`) tokens, Slack tokens and
    /// incoming webhooks, PEM private key blocks (a header followed by a key
    /// body), database URLs with a password; or by its name together with its
    /// value (a varied value under `*PASSWORD*`, a long high-entropy value
    /// under `*_SECRET`, `*_TOKEN`, `*_KEY`, such as a PayPal client secret).
    /// `.env` files are read as `KEY=VALUE` lines; in source code only quoted
    /// values count, so `password = getPassword()` is not a credential.
    /// Placeholders, `${VAR}` templates and references to a secret store are
    /// not credentials. Findings give `file:line`, the kind, the name, the
    /// first characters, the length and a short hash — never the value.
    ///
    /// ## Why it matters
    /// A credential in a file is in every copy of that file: backups, images,
    /// the repository and its forks, CI caches, a developer's laptop. A key
    /// to Stripe, Shopify or AWS lets whoever finds it take payments, orders
    /// and customer data. PCI DSS 8.6.2 asks that passwords of application and
    /// system accounts not be hard-coded in scripts, configuration or source
    /// code, and 8.3.2 that they be unreadable in storage.
    ///
    /// ## Severity
    /// Critical for a credential that signs or authorises requests by itself (a
    /// secret key, a token, a password, a private key, a webhook); high for an AWS
    /// access key id alone, which names a key but cannot sign
    /// (`secret-leaked-key-active` looks it up in the account).
    ///
    /// ## How to fix
    /// Revoke or rotate the credential first (it has leaked), then move the
    /// new one to a secret store and read it at start, and remove it from the
    /// file (and from the repository's history if it was committed):
    ///
    /// ```sh
    /// aws secretsmanager create-secret --name shop/prod/stripe-key --secret-string "$NEW_KEY"
    /// git rm --cached .env && echo ".env" >> .gitignore
    /// ```
    ///
    /// ## Example
    /// `STRIPE_SECRET_KEY=sk_live_…` in `.env` fails, reported as
    /// `sk_l… (32 chars)`; `STRIPE_SECRET_KEY=${STRIPE_SECRET_KEY}` and
    /// `stripe_key = os.environ["STRIPE_SECRET_KEY"]` pass.
    pub static RULE = {
        id: "secret-hardcoded",
        title: "A credential is written in a file",
        severity: Critical,
        lowest: High,
        area: Application,
        evidence: [],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    for secret in &ctx.server_files().secrets {
        report(out, secret);
    }
}

fn report(out: &mut Emitter, secret: &SecretFound) {
    let SecretFound {
        path,
        line,
        kind,
        basis,
        name,
        redacted,
        hash,
        aws_access_key_id,
        introduced,
    } = secret;
    let named = name
        .as_deref()
        .map(|n| format!(" under the name {n}"))
        .unwrap_or_default();
    let shown = match aws_access_key_id {
        Some(id) => id.clone(),
        None => format!("{redacted}, hash {hash}"),
    };
    let history = match introduced {
        Some(intro) => format!(
            " It was committed in {} (authored {}){}.",
            intro.commit,
            intro.author_date,
            if intro.still_present {
                " and is still there"
            } else {
                "; a later commit removed it, but the history still holds it"
            }
        ),
        None => String::new(),
    };
    // A key id alone identifies a key; the secret beside it is what signs requests.
    let severity = (*kind == CredentialKind::AwsAccessKeyId).then_some(Severity::High);
    let why_key_id = if *kind == CredentialKind::AwsAccessKeyId {
        " (an access key id identifies the key; secret-leaked-key-active looks it up in the account)"
    } else {
        ""
    };
    let remediation = match kind {
        CredentialKind::AwsAccessKeyId | CredentialKind::AwsSecretAccessKey => format!(
            "Deactivate and delete the key (aws iam update-access-key --access-key-id <id> --status Inactive --user-name <owner>; aws iam delete-access-key …), give the workload a role instead of a key, and remove the value from {path}{}.",
            history_fix(introduced.is_some())
        ),
        _ => format!(
            "Revoke or rotate the credential at its issuer (it has leaked), keep the new one in a secret store (aws secretsmanager create-secret --name <name> --secret-string \"$NEW_VALUE\") read at start, and remove it from {path}{}.",
            history_fix(introduced.is_some())
        ),
    };
    out.fail(Failure {
        detail: format!(
            "{path} line {line} holds {}{named}: {shown}{why_key_id}.{history}",
            kind.describe()
        ),
        evidence: without_nulls(json!({
            "file": path,
            "line": line,
            "kind": kind,
            "recognised_by": basis,
            "name": name,
            "value_redacted": redacted,
            "value_hash": hash,
            "aws_access_key_id": aws_access_key_id,
            "introduced": introduced,
        })),
        remediation,
        discriminator: Some(format!(
            "{hash}{}",
            introduced
                .as_ref()
                .map(|i| format!("@{}", i.commit))
                .unwrap_or_default()
        )),
        severity,
        ..on_file(path, *line)
    });
}

fn history_fix(in_history: bool) -> &'static str {
    if in_history {
        " and from the repository's history (git filter-repo --replace-text), then have every clone fetched again"
    } else {
        ""
    }
}

/// The evidence without the fields that do not apply.
fn without_nulls(mut value: serde_json::Value) -> serde_json::Value {
    if let Some(object) = value.as_object_mut() {
        object.retain(|_, v| !v.is_null());
    }
    value
}
