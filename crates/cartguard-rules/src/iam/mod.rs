//! Identity and access rules (CHECKLIST.md section 1).

pub mod access_analyzer_disabled;
pub mod access_key_not_rotated;
pub mod access_key_unused;
pub mod identity_center_unused;
pub mod password_policy_weak;
pub mod root_access_keys;
pub mod root_no_mfa;
pub mod root_recently_used;
pub mod root_virtual_mfa;
pub mod user_console_no_mfa;
pub mod user_direct_policies;
pub mod user_inactive;
pub mod user_multiple_active_keys;
pub mod workload_uses_static_keys;

use std::collections::BTreeMap;

use cartguard_inventory::Timestamp;
use cartguard_inventory::iam::{
    AccessKeyMetadata, CredentialReport, CredentialReportKey, CredentialReportRow,
};
use serde_json::{Value, json};

use crate::rule::{Context, Emitter};

/// Where the credential report is read from.
pub(crate) const CREDENTIAL_REPORT: &str = "iam/global/get-credential-report.json";
/// Where the account summary is read from.
pub(crate) const ACCOUNT_SUMMARY: &str = "iam/global/get-account-summary.json";

/// The resource named when a per-user rule cannot decide for any user.
pub(crate) fn all_users(ctx: &Context) -> String {
    format!("arn:aws:iam::{}:user/*", ctx.account.id)
}

/// The credential report, or `None` after reporting the rule as not assessed.
pub(crate) fn credential_report<'a>(
    ctx: &Context<'a>,
    out: &mut Emitter,
    resource: &str,
) -> Option<&'a CredentialReport> {
    out.require(
        &ctx.account.iam.credential_report,
        CREDENTIAL_REPORT,
        resource,
        "global",
    )
}

/// What is known about the root user: its credential report row, or, when the
/// report has no root row, the account summary's counters.
pub(crate) enum RootEvidence<'a> {
    /// The `<root_account>` row of the credential report.
    Row(&'a CredentialReportRow),
    /// `get-account-summary`'s `SummaryMap`.
    Summary(&'a BTreeMap<String, i64>),
}

/// The root user's evidence, or `None` after reporting the rule as not assessed.
pub(crate) fn root_evidence<'a>(ctx: &Context<'a>, out: &mut Emitter) -> Option<RootEvidence<'a>> {
    let iam = &ctx.account.iam;
    if let Some(row) = iam.credential_report.present().and_then(|r| r.root()) {
        return Some(RootEvidence::Row(row));
    }
    if let Some(summary) = iam.account_summary.present() {
        return Some(RootEvidence::Summary(summary));
    }
    let report = match iam.credential_report.unavailable_reason(CREDENTIAL_REPORT) {
        Some(reason) => reason,
        None => format!("{CREDENTIAL_REPORT} has no <root_account> row"),
    };
    let summary = iam
        .account_summary
        .unavailable_reason(ACCOUNT_SUMMARY)
        .unwrap_or_else(|| format!("{ACCOUNT_SUMMARY} is unavailable"));
    out.not_assessed(
        &ctx.account.root_arn(),
        "global",
        format!("{report}; {summary}"),
    );
    None
}

/// A date for a sentence: `2026-03-04`, or the given word when there is none.
pub(crate) fn day(time: Option<Timestamp>, none: &str) -> String {
    time.map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| none.to_string())
}

/// A credential report row's columns, for evidence: who first, then the columns.
pub(crate) fn row_evidence(row: &CredentialReportRow, prefixes: &[&str]) -> Value {
    let mut columns = serde_json::Map::new();
    columns.insert("user".into(), json!(row.user));
    columns.insert("arn".into(), json!(row.arn));
    for (column, value) in row.columns(prefixes) {
        columns.insert(column, json!(value));
    }
    json!({ "source": "credential report", "row": columns })
}

/// The most recent use of any of the row's credentials.
pub(crate) fn last_activity(row: &CredentialReportRow) -> Option<Timestamp> {
    let keys = row.access_keys.iter().filter_map(|k| k.last_used);
    row.password_last_used.into_iter().chain(keys).max()
}

/// The access key id of a credential report key slot, found in `list-access-keys`
/// by its creation time (the report gives no id).
pub(crate) fn key_id<'a>(
    ctx: &Context<'a>,
    row: &CredentialReportRow,
    key: &CredentialReportKey,
) -> Option<&'a str> {
    let keys = ctx.account.iam.access_keys.get(&row.user)?.present()?;
    let rotated = key.last_rotated?;
    keys.iter()
        .filter(|k: &&AccessKeyMetadata| k.status == "Active")
        .find(|k| {
            k.create_date
                .is_some_and(|c| (c - rotated).num_seconds().abs() < 2)
        })
        .map(|k| k.access_key_id.as_str())
}
