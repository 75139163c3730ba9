//! Shared by the trust-policy rules: which conditions really pin a key, the
//! roles' trust policies, and how a trust statement is shown as evidence.

use cartguard_iam::condition::{Condition, SetQualifier};
use cartguard_iam::{Policy, Principal, Principals, Statement, StatementRef};
use serde_json::{Value, json};

use super::statement_evidence;
use crate::Emitter;

/// The actions by which a trust policy lets a caller in (lower case).
pub(crate) const ASSUME_ACTIONS: [&str; 4] = [
    "sts:assumerole",
    "sts:assumerolewithwebidentity",
    "sts:assumerolewithsaml",
    "sts:tagsession",
];

/// The condition keys that say who the caller (or the calling service's
/// customer) is, in lower case.
/// Whether a condition can only hold when its key is present with one of its
/// values: a positive string or ARN comparison that is not `…IfExists` and not
/// `ForAllValues:` (both hold when the key is absent). The answer, when it can,
/// says whether the operator reads `*` and `?` as wildcards.
pub(crate) fn requiring_operator(condition: &Condition) -> Option<bool> {
    if condition.is_negated()
        || condition.if_exists()
        || condition.qualifier() == Some(SetQualifier::ForAllValues)
    {
        return None;
    }
    let base = condition
        .operator
        .rsplit(':')
        .next()
        .unwrap_or(condition.operator.as_str())
        .to_ascii_lowercase();
    match base.as_str() {
        "stringequals" | "stringequalsignorecase" => Some(false),
        "stringlike" | "arnequals" | "arnlike" => Some(true),
        _ => None,
    }
}

/// Why a condition whose operator [`requiring_operator`] rejects does not
/// restrict the key to its values.
pub(crate) fn operator_gap(condition: &Condition) -> String {
    let op = &condition.operator;
    if condition.is_negated() {
        format!("{op} is negated: it holds for every value but the listed ones")
    } else if condition.if_exists() || condition.qualifier() == Some(SetQualifier::ForAllValues) {
        format!("{op} also holds when the request has no {}", condition.key)
    } else {
        format!("{op} does not compare {} with a value", condition.key)
    }
}

/// Whether `value` contains a wildcard, for an operator that reads them.
pub(crate) fn has_wildcard(value: &str, wildcards: bool) -> bool {
    wildcards && value.contains(['*', '?'])
}

/// Whether `value` is nothing but wildcards, for an operator that reads them.
pub(crate) fn only_wildcards(value: &str, wildcards: bool) -> bool {
    wildcards && value.chars().all(|c| c == '*' || c == '?')
}

/// A condition as one line of text: `StringLike aws:PrincipalArn ["…"]`.
pub(crate) fn condition_text(condition: &Condition) -> String {
    format!(
        "{} {} {}",
        condition.operator,
        condition.key,
        serde_json::to_string(&condition.values).unwrap_or_default()
    )
}

/// The roles with their parsed trust policies. A role whose trust policy is
/// missing from the evidence or failed to parse is reported as not assessed.
pub(crate) fn trust_policies<'p>(
    principals: &'p Principals,
    out: &mut Emitter,
) -> Vec<(&'p Principal, &'p Policy)> {
    let mut roles = Vec::new();
    for role in principals.roles() {
        match &role.trust_policy {
            Some(policy) => roles.push((role, policy.as_ref())),
            None => {
                let name = format!("{}#trust", role.arn);
                let reason = match principals.errors.iter().find(|e| e.policy == name) {
                    Some(failure) => format!(
                        "the trust policy of {} could not be read: {}",
                        role.arn, failure.error
                    ),
                    None => format!(
                        "get-account-authorization-details has no AssumeRolePolicyDocument for {}",
                        role.arn
                    ),
                };
                out.not_assessed(&role.arn, "global", reason);
            }
        }
    }
    roles
}

/// The trust-policy actions (as AWS writes them) an `Allow` statement grants.
pub(crate) fn assume_actions(statement: &Statement) -> Vec<&'static str> {
    const NAMES: [&str; 4] = [
        "sts:AssumeRole",
        "sts:AssumeRoleWithWebIdentity",
        "sts:AssumeRoleWithSAML",
        "sts:TagSession",
    ];
    ASSUME_ACTIONS
        .iter()
        .zip(NAMES)
        .filter(|(lower, _)| statement.matches_action(lower))
        .map(|(_, name)| name)
        .collect()
}

/// A statement's evidence: the statement, its `Principal` and its `Condition`.
pub(crate) fn trust_evidence(
    principals: &Principals,
    role: &Principal,
    policy: &Policy,
    statement: &Statement,
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
        "trust_statement": statement_evidence(principals, &StatementRef::new(policy, statement)),
        "principal": principal,
        "condition": source.get("Condition").cloned().unwrap_or(Value::Null),
    })
}
