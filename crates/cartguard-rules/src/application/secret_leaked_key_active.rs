use std::collections::BTreeMap;

use cartguard_iam::blast::{self, BlastRadius};
use cartguard_inventory::files::secrets::SecretFound;
use cartguard_inventory::iam::{AccessKeyMetadata, CredentialReport, GET_CREDENTIAL_REPORT};
use serde_json::{Value, json};

use super::files_support::{at, on_file};
use crate::iam::{CREDENTIALS, day};
use crate::{Context, Emitter, Failure, Proof, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// When server files (`--path`) and an account's evidence are scanned
    /// together, every AWS access key id found written in a file is looked up
    /// in that account: in each user's `list-access-keys` and in the
    /// credential report. A key that is **active** fails as critical, with its
    /// owner, its age, when and where it was last used, and what its owner can
    /// do: the data stores it can read, write or delete and its ways to become
    /// administrator (the blast radius of `cartguard iam blast-radius`). A key
    /// of the account that is inactive is reported at medium severity (anyone
    /// allowed `iam:UpdateAccessKey` can turn it back on); a key the account
    /// does not have at low severity, saying so (another account's, a deleted
    /// key, or the root user's, whose keys are not listed). Without account
    /// evidence the key cannot be looked up, and the rule says so.
    ///
    /// ## Why it matters
    /// A key id in a file is usually next to its secret, and together they
    /// sign requests as the key's owner from anywhere, with no password and no
    /// MFA. Whether that is an incident depends on what the account says: an
    /// active key of a user who can read the customer database is a breach
    /// waiting to happen. PCI DSS 8.6.2 forbids hard-coded credentials, 8.6.3
    /// asks that exposed ones be changed, and 12.10.1 that a suspected
    /// compromise start the incident response plan.
    ///
    /// ## Severity
    /// Critical when the key is active; medium, two levels lower, when it is an
    /// inactive key of the account (anyone allowed `iam:UpdateAccessKey` can turn
    /// it back on); low when the account has no such key (another account's, a
    /// deleted key, or the root user's, which `iam-root-access-keys` judges).
    ///
    /// ## How to fix
    /// Treat it as an incident: deactivate the key now, look in CloudTrail for
    /// what it did, then delete it and give the workload a role:
    ///
    /// ```sh
    /// aws iam update-access-key --user-name shopify-app-ci --access-key-id AKIA… --status Inactive
    /// aws cloudtrail lookup-events --lookup-attributes AttributeKey=AccessKeyId,AttributeValue=AKIA…
    /// aws iam delete-access-key --user-name shopify-app-ci --access-key-id AKIA…
    /// ```
    ///
    /// ## Example
    /// `.env` holding `AWS_ACCESS_KEY_ID=AKIALFTHJHBAEJFSINOO`, an active key
    /// of the user shopify-app-ci in the scanned account, fails as critical
    /// with that user's blast radius; the same id marked `Inactive` in
    /// `list-access-keys` is reported as medium.
    pub static RULE = {
        id: "secret-leaked-key-active",
        title: "A leaked AWS access key is an active key of the account",
        severity: Critical,
        lowest: Low,
        area: Application,
        evidence: [CREDENTIALS],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    // Each key once, with every place it was found.
    let mut keys: BTreeMap<&str, Vec<&SecretFound>> = BTreeMap::new();
    for secret in &ctx.server_files().secrets {
        if let Some(id) = &secret.aws_access_key_id {
            keys.entry(id.as_str()).or_default().push(secret);
        }
    }
    let Some((_, first)) = keys.iter().next() else {
        return;
    };
    let first = first[0];
    if ctx.account.id.is_empty() {
        for (id, found) in &keys {
            out.not_assessed_as(Failure {
                detail: format!(
                    "The AWS access key id {id} found in {} cannot be looked up: no account evidence was given with --path (--evidence or --snapshot).",
                    places(found)
                ),
                ..on_file(&found[0].path, found[0].line)
            });
        }
        return;
    }
    let Some(report) = out.require(
        &ctx.account.iam.credential_report,
        &GET_CREDENTIAL_REPORT.global(),
        &at(&first.path, first.line),
        "global",
    ) else {
        return;
    };
    for (id, found) in &keys {
        judge(ctx, out, report, id, found);
    }
}

/// Where a key was found: `a/.env:3, b/config.yml:12`.
fn places(found: &[&SecretFound]) -> String {
    found
        .iter()
        .map(|f| at(&f.path, f.line))
        .collect::<Vec<_>>()
        .join(", ")
}

fn judge(
    ctx: &Context,
    out: &mut Emitter,
    report: &CredentialReport,
    id: &str,
    found: &[&SecretFound],
) {
    let account = &ctx.account.id;
    let where_found = places(found);
    let base = on_file(&found[0].path, found[0].line);
    let mut unlisted: Vec<&str> = Vec::new();
    let mut owner: Option<(&str, &AccessKeyMetadata)> = None;
    for row in report.users() {
        match ctx
            .account
            .iam
            .access_keys
            .get(&row.user)
            .and_then(|c| c.present())
        {
            Some(list) => {
                if let Some(key) = list.iter().find(|k| k.access_key_id == id) {
                    owner = Some((row.user.as_str(), key));
                }
            }
            None => unlisted.push(row.user.as_str()),
        }
    }
    let Some((user, key)) = owner else {
        if !unlisted.is_empty() {
            out.not_assessed_as(Failure {
                detail: format!(
                    "The AWS access key id {id} found in {where_found} is not among the listed keys of account {account}, but the keys of {} were not collected (iam list-access-keys), so it may be theirs.",
                    unlisted.join(", ")
                ),
                discriminator: Some(id.to_string()),
                ..base
            });
            return;
        }
        out.fail(Failure {
            detail: format!(
                "The AWS access key id {id} found in {where_found} is not a key of any IAM user of account {account}: it was deleted, belongs to another account, or is the root user's (root keys are not listed). Remove it from the files all the same."
            ),
            evidence: json!({ "access_key_id": id, "found_in": where_found, "account": account, "in_account": false }),
            remediation: format!(
                "Remove the key from {where_found}; if the root user has an access key, delete it (IAM console, Security credentials), and if another account owns the key, tell its owner."
            ),
            discriminator: Some(id.to_string()),
            severity: Some(Severity::Low),
            ..base
        });
        return;
    };
    let row = report.users().find(|r| r.user == user);
    let slot = row.and_then(|r| {
        r.access_keys
            .iter()
            .enumerate()
            .find(|(_, k)| match (k.last_rotated, key.create_date) {
                (Some(rotated), Some(created)) => (created - rotated).num_seconds().abs() < 2,
                _ => false,
            })
    });
    let age = key.create_date.map(|c| ctx.days_since(c));
    let last_used = slot.and_then(|(_, k)| k.last_used);
    let last_region = slot.and_then(|(i, _)| {
        row?.raw
            .get(&format!("access_key_{}_last_used_region", i + 1))
            .cloned()
    });
    let last_service = slot.and_then(|(_, k)| k.last_used_service.clone());
    let user_arn = row
        .map(|r| r.arn.clone())
        .unwrap_or_else(|| format!("arn:aws:iam::{account}:user/{user}"));
    let age_text = age
        .map(|d| format!("created {} ({d} days ago)", day(key.create_date, "")))
        .unwrap_or_else(|| "creation date unknown".into());
    let used_text = match last_used {
        Some(t) => format!(
            "last used {}{}{}",
            day(Some(t), ""),
            last_service
                .as_deref()
                .map(|s| format!(" for {s}"))
                .unwrap_or_default(),
            last_region
                .as_deref()
                .filter(|r| *r != "N/A")
                .map(|r| format!(" in {r}"))
                .unwrap_or_default()
        ),
        None => "never used (or its use is not in the credential report)".into(),
    };
    let mut evidence = json!({
        "access_key_id": id,
        "found_in": where_found,
        "owner": user_arn,
        "status": key.status,
        "created": key.create_date,
        "age_days": age,
        "last_used": last_used,
        "last_used_service": last_service,
        "last_used_region": last_region,
    });
    let active = key.status.eq_ignore_ascii_case("Active");
    if !active {
        out.fail(Failure {
            detail: format!(
                "The AWS access key {id} found in {where_found} is an inactive key of {user_arn} ({age_text}, {used_text}): anyone allowed iam:UpdateAccessKey can turn it back on."
            ),
            evidence,
            remediation: format!(
                "aws iam delete-access-key --user-name {user} --access-key-id {id}; remove it from {where_found}."
            ),
            discriminator: Some(id.to_string()),
            proof: Proof::Blocked,
            ..base
        });
        return;
    }
    let (reach, radius) = match blast::of(ctx.account, id) {
        Ok(radius) => (
            summarise(&radius),
            serde_json::to_value(&radius).unwrap_or(Value::Null),
        ),
        Err(e) => (
            format!("what it can do could not be computed ({e})"),
            Value::Null,
        ),
    };
    evidence["blast_radius"] = radius;
    out.fail(Failure {
        detail: format!(
            "The AWS access key {id} found in {where_found} is an ACTIVE key of {user_arn} ({age_text}, {used_text}). With its secret, anyone holding the file acts as {user}: {reach}."
        ),
        evidence,
        remediation: format!(
            "Now: aws iam update-access-key --user-name {user} --access-key-id {id} --status Inactive. Then look for its use in CloudTrail (aws cloudtrail lookup-events --lookup-attributes AttributeKey=AccessKeyId,AttributeValue={id}), delete it (aws iam delete-access-key --user-name {user} --access-key-id {id}), remove it from {where_found}, and give the workload a role instead of a key."
        ),
        discriminator: Some(id.to_string()),
        ..base
    });
}

/// The blast radius in one sentence.
fn summarise(radius: &BlastRadius) -> String {
    if radius.administrator {
        return "an administrator of the account, it reaches every store and setting".into();
    }
    let mut parts: Vec<String> = Vec::new();
    let mut by_access: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for store in &radius.data_stores {
        by_access
            .entry(store.access.to_string())
            .or_default()
            .push(format!("{} ({})", store.resource, store.reach));
    }
    for (access, stores) in &by_access {
        let shown: Vec<&String> = stores.iter().take(4).collect();
        let more = stores.len().saturating_sub(shown.len());
        parts.push(format!(
            "{access} {}{}",
            shown
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
    }
    if !radius.escalations.is_empty() {
        let methods: Vec<&str> = radius.escalations.iter().map(|e| e.method).collect();
        parts.push(format!("can become administrator ({})", methods.join(", ")));
    }
    if parts.is_empty() {
        "it reaches no data store the inventory describes and has no way to become administrator"
            .into()
    } else {
        parts.join("; ")
    }
}
