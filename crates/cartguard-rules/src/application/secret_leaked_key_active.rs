use std::collections::BTreeMap;

use cartguard_iam::blast::{self, BlastRadius};
use cartguard_inventory::Account;
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
    // Files given with one account are that account's; with several, a key
    // is looked up in each of them.
    let accounts: Vec<&Account> = if ctx.account.id.is_empty() {
        ctx.accounts().iter().collect()
    } else {
        vec![ctx.account]
    };
    if accounts.is_empty() {
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
    let mut reports = Vec::new();
    let mut unread = Vec::new();
    if let [account] = accounts.as_slice() {
        let Some(report) = out.require(
            &account.iam.credential_report,
            &GET_CREDENTIAL_REPORT.global(),
            &at(&first.path, first.line),
            "global",
        ) else {
            return;
        };
        reports.push((*account, report));
    } else {
        for account in accounts {
            match account.iam.credential_report.present() {
                Some(report) => reports.push((account, report)),
                None => unread.push(account.id.as_str()),
            }
        }
    }
    for (id, found) in &keys {
        judge(ctx, out, &reports, &unread, id, found);
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
    reports: &[(&Account, &CredentialReport)],
    unread: &[&str],
    id: &str,
    found: &[&SecretFound],
) {
    let where_found = places(found);
    let base = on_file(&found[0].path, found[0].line);
    let mut unlisted: Vec<String> = Vec::new();
    let mut owner: Option<(&Account, &CredentialReport, &str, &AccessKeyMetadata)> = None;
    for (account, report) in reports {
        for row in report.users() {
            match account
                .iam
                .access_keys
                .get(&row.user)
                .and_then(|c| c.present())
            {
                Some(list) => {
                    if let Some(key) = list.iter().find(|k| k.access_key_id == id) {
                        owner = Some((account, report, row.user.as_str(), key));
                    }
                }
                None if reports.len() == 1 => unlisted.push(row.user.clone()),
                None => unlisted.push(format!("{} (account {})", row.user, account.id)),
            }
        }
    }
    let searched: Vec<&str> = reports.iter().map(|(a, _)| a.id.as_str()).collect();
    let accounts = match searched.as_slice() {
        [one] => format!("account {one}"),
        many => format!("accounts {}", many.join(", ")),
    };
    let Some((owning, report, user, key)) = owner else {
        if !unlisted.is_empty() || !unread.is_empty() {
            let mut gaps = Vec::new();
            if !unlisted.is_empty() {
                gaps.push(format!(
                    "the keys of {} were not collected (iam list-access-keys)",
                    unlisted.join(", ")
                ));
            }
            if !unread.is_empty() {
                gaps.push(format!(
                    "the credential report of account {} was not collected (iam get-credential-report)",
                    unread.join(", ")
                ));
            }
            out.not_assessed_as(Failure {
                detail: format!(
                    "The AWS access key id {id} found in {where_found} is not among the listed keys of {accounts}, but {}, so it may be theirs.",
                    gaps.join(", and ")
                ),
                discriminator: Some(id.to_string()),
                ..base
            });
            return;
        }
        out.fail(Failure {
            detail: format!(
                "The AWS access key id {id} found in {where_found} is not a key of any IAM user of {accounts}: it was deleted, belongs to another account, or is the root user's (root keys are not listed). Remove it from the files all the same."
            ),
            evidence: json!({ "access_key_id": id, "found_in": where_found, "accounts": searched, "in_account": false }),
            remediation: format!(
                "Remove the key from {where_found}; if the root user has an access key, delete it (IAM console, Security credentials), and if another account owns the key, tell its owner."
            ),
            discriminator: Some(id.to_string()),
            severity: Some(Severity::Low),
            ..base
        });
        return;
    };
    let account = &owning.id;
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
    let (reach, radius) = match blast::of(owning, id) {
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
