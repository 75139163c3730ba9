//! Identity and access rules (CHECKLIST.md section 1).

pub mod access_analyzer_disabled;
pub mod access_key_not_rotated;
pub mod access_key_unused;
pub mod admin_access;
pub mod allow_not_action;
pub mod allow_shadowed;
pub mod allow_wildcard_action;
pub mod allow_wildcard_resource;
pub mod boundary_allows_iam;
pub mod identity_center_unused;
pub mod instance_role_broad;
pub mod mfa_not_enforced;
pub mod password_policy_weak;
pub mod policy_unknown_action;
pub mod privilege_escalation;
pub mod role_creation_unbounded;
pub mod root_access_keys;
pub mod root_no_mfa;
pub mod root_recently_used;
pub mod root_virtual_mfa;
pub mod secret_read_broad;
pub mod too_many_admins;
pub mod trust_any_principal;
pub mod trust_oidc_unscoped;
pub mod trust_third_party_no_external_id;
pub mod user_console_no_mfa;
pub mod user_direct_policies;
pub mod user_inactive;
pub mod user_multiple_active_keys;
pub mod workload_uses_static_keys;

use std::collections::BTreeMap;

use cartguard_inventory::iam::{
    AccessKeyMetadata, CredentialReport, CredentialReportKey, CredentialReportRow,
    GET_ACCOUNT_AUTHORIZATION_DETAILS, GET_ACCOUNT_SUMMARY, GET_CREDENTIAL_REPORT,
    LIST_ACCESS_KEYS,
};
use cartguard_inventory::{Operation, Timestamp};
use serde_json::{Value, json};

use crate::{Context, Emitter};

/// The credential report.
pub(crate) const CREDENTIAL_REPORT: &[Operation] = &[GET_CREDENTIAL_REPORT];
/// The credential report with each user's access keys, which name the keys
/// the report only numbers.
pub(crate) const CREDENTIALS: &[Operation] = &[GET_CREDENTIAL_REPORT, LIST_ACCESS_KEYS];
/// Whether a region holds workloads: its instances, databases and load balancers.
pub(crate) const WORKLOADS: &[Operation] = &[
    cartguard_inventory::ec2::DESCRIBE_INSTANCES,
    cartguard_inventory::rds::DESCRIBE_DB_INSTANCES,
    cartguard_inventory::elbv2::DESCRIBE_LOAD_BALANCERS,
];
/// What is known about the root user: its credential report row, or the
/// account summary's counters when the report has no root row.
pub(crate) const ROOT_USER: &[Operation] = &[GET_CREDENTIAL_REPORT, GET_ACCOUNT_SUMMARY];

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
        &GET_CREDENTIAL_REPORT.global(),
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
    let (report_key, summary_key) = (GET_CREDENTIAL_REPORT.global(), GET_ACCOUNT_SUMMARY.global());
    let report = match iam.credential_report.unavailable_reason(&report_key) {
        Some(reason) => reason,
        None => format!("the credential report ({report_key}) has no <root_account> row"),
    };
    let summary = iam
        .account_summary
        .unavailable_reason(&summary_key)
        .unwrap_or_else(|| format!("{summary_key} is unavailable"));
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

/// The account's users and roles with their policy sets, or `None` after
/// reporting the rule as not assessed.
pub(crate) fn principals<'a>(
    ctx: &Context<'a>,
    out: &mut Emitter,
) -> Option<&'a cartguard_iam::Principals> {
    let resource = format!("arn:aws:iam::{}:*", ctx.account.id);
    out.require(
        &ctx.account.iam.authorization_details,
        &GET_ACCOUNT_AUTHORIZATION_DETAILS.global(),
        &resource,
        "global",
    )?;
    ctx.principals()
}

/// The account's principals with their effective permissions, admin status
/// and escalations, or `None` after saying why they cannot be assessed.
pub(crate) fn analysed<'c, 'a>(
    ctx: &'c Context<'a>,
    out: &mut Emitter,
) -> Option<(
    &'a cartguard_iam::Principals,
    &'c cartguard_iam::escalation::Analysis<'a>,
)> {
    let principals = principals(ctx, out)?;
    Some((principals, ctx.iam_analysis()?))
}

/// The principals whose permissions the account defines, with their positions:
/// every user and role except service-linked roles, whose policies AWS
/// defines and IAM refuses to change.
pub(crate) fn account_defined(
    principals: &cartguard_iam::Principals,
) -> impl Iterator<Item = (usize, &cartguard_iam::Principal)> {
    principals
        .principals
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.is_service_linked())
}

/// The policies written by the account (customer managed and inline), each
/// once, with the resource a finding about it names and the finding's
/// discriminator. AWS managed policies are AWS's to maintain and are left out,
/// and so are policies used only as permissions boundaries.
pub(crate) fn customer_policies(
    principals: &cartguard_iam::Principals,
) -> Vec<(&cartguard_iam::Policy, String, Option<String>)> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    // A policy used only as a permissions boundary caps permissions and grants
    // nothing, so it is not judged as a grant (iam-boundary-allows-iam judges it).
    let granting: std::collections::BTreeSet<&str> = principals
        .principals
        .iter()
        .flat_map(|p| {
            p.policies
                .identity
                .iter()
                .map(|policy| policy.name.as_ref())
        })
        .collect();
    let boundary_only = |name: &str| {
        !granting.contains(name)
            && principals.principals.iter().any(|p| {
                p.policies
                    .boundary
                    .as_ref()
                    .is_some_and(|b| b.name.as_ref() == name)
            })
    };
    let managed = principals.managed.values().map(AsRef::as_ref);
    let inline = principals
        .principals
        .iter()
        .flat_map(|p| p.policies.identity.iter().map(AsRef::as_ref));
    for policy in managed.chain(inline) {
        let name: &str = &policy.name;
        if name.starts_with("arn:aws:iam::aws:policy/")
            || boundary_only(name)
            || !seen.insert(name.to_string())
        {
            continue;
        }
        let (resource, discriminator) = match name.split_once('#') {
            Some((owner, inline_name)) => (owner.to_string(), Some(inline_name.to_string())),
            None => (name.to_string(), None),
        };
        out.push((policy, resource, discriminator));
    }
    out
}

/// Reports, for a rule that reads the statements of the account's own
/// policies, every such policy that could not be parsed: its statements are
/// unknown, so the rule cannot say they pass. One finding per resource (the
/// managed policy, or the owner of inline policies). Trust policies are left
/// to the trust rules, AWS managed policies to AWS.
pub(crate) fn unreadable_customer_policies(
    principals: &cartguard_iam::Principals,
    out: &mut Emitter,
) {
    let mut by_resource: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for failure in &principals.errors {
        let name = failure.policy.as_str();
        if name.starts_with("arn:aws:iam::aws:policy/") || name.ends_with("#trust") {
            continue;
        }
        let resource = name.split_once('#').map_or(name, |(owner, _)| owner);
        by_resource
            .entry(resource.to_string())
            .or_default()
            .push(format!(
                "{} could not be parsed: {}",
                policy_label(name),
                failure.error
            ));
    }
    for (resource, reasons) in by_resource {
        out.not_assessed(
            &resource,
            "global",
            format!(
                "{}: {}",
                GET_ACCOUNT_AUTHORIZATION_DETAILS.global(),
                reasons.join("; ")
            ),
        );
    }
}

/// How to name a policy in a sentence.
pub(crate) fn policy_label(name: &str) -> String {
    match name.split_once('#') {
        Some((owner, inline)) => format!("inline policy {inline} of {owner}"),
        None => format!("policy {name}"),
    }
}

/// The roles with their parsed trust policies. A role whose trust policy is
/// missing from the evidence or failed to parse is reported as not assessed.
pub(crate) fn trust_policies<'p>(
    principals: &'p cartguard_iam::Principals,
    out: &mut Emitter,
) -> Vec<(&'p cartguard_iam::Principal, &'p cartguard_iam::Policy)> {
    let mut roles = Vec::new();
    for (role, trust) in cartguard_iam::trust::policies(principals) {
        match trust {
            Ok(policy) => roles.push((role, policy)),
            Err(reason) => out.not_assessed(&role.arn, "global", reason),
        }
    }
    roles
}

/// A trust statement's evidence: the statement, its `Principal` and its `Condition`.
pub(crate) fn trust_evidence(
    principals: &cartguard_iam::Principals,
    role: &cartguard_iam::Principal,
    policy: &cartguard_iam::Policy,
    statement: &cartguard_iam::Statement,
) -> Value {
    let source = statement.source_json();
    let principal = source
        .get("Principal")
        .or_else(|| source.get("NotPrincipal"))
        .cloned()
        .unwrap_or(Value::Null);
    json!({
        "source": "get-account-authorization-details (AssumeRolePolicyDocument)",
        "role": role.arn,
        "trust_statement": principals.quote(&cartguard_iam::StatementRef::new(policy, statement)).deciding(cartguard_iam::ADMITTING),
        "principal": principal,
        "condition": source.get("Condition").cloned().unwrap_or(Value::Null),
    })
}

/// The command that replaces a policy's document, by how the policy is named.
pub(crate) fn update_command(policy: &str) -> String {
    let Some((owner, inline)) = policy.split_once('#') else {
        let name = policy.rsplit('/').next().unwrap_or(policy);
        return format!(
            "aws iam create-policy-version --policy-arn {policy} --policy-document file://{name}.json --set-as-default"
        );
    };
    let name = owner.rsplit('/').next().unwrap_or(owner);
    let kind = cartguard_iam::Arn::parse(owner)
        .and_then(|arn| arn.resource.split('/').next())
        .unwrap_or("role");
    format!(
        "aws iam put-{kind}-policy --{kind}-name {name} --policy-name {inline} --policy-document file://{inline}.json"
    )
}
