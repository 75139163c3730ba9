//! Role trust policies: the actions they decide, the roles that have one,
//! and which of their conditions really pin a key to the values listed.

use crate::condition::{Condition, SetQualifier};
use crate::policy::{Policy, Statement};
use crate::principals::{Principal, Principals};

/// The actions whose resource is a role and that the role's trust policy must
/// allow as well as the caller's own policies, as AWS writes them.
pub const ASSUME_ACTIONS: &[&str] = &[
    "sts:AssumeRole",
    "sts:AssumeRoleWithWebIdentity",
    "sts:AssumeRoleWithSAML",
    "sts:TagSession",
    "sts:SetSourceIdentity",
];

/// Whether `action` (in any case) is one of [`ASSUME_ACTIONS`].
pub fn is_assume_action(action: &str) -> bool {
    ASSUME_ACTIONS
        .iter()
        .any(|a| a.eq_ignore_ascii_case(action))
}

/// The trust-policy actions an `Allow` statement grants, as AWS writes them:
/// [`ASSUME_ACTIONS`] but `sts:SetSourceIdentity`, which findings about trust
/// statements have never listed and which grants nothing the others do not.
pub fn assume_actions(statement: &Statement) -> Vec<&'static str> {
    ASSUME_ACTIONS
        .iter()
        .copied()
        .filter(|action| *action != "sts:SetSourceIdentity")
        .filter(|action| statement.matches_action(&action.to_ascii_lowercase()))
        .collect()
}

/// Each role with its parsed trust policy, or why it has none to weigh: the
/// evidence does not hold it, or it could not be parsed.
pub fn policies(principals: &Principals) -> Vec<(&Principal, Result<&Policy, String>)> {
    principals
        .roles()
        .map(|role| {
            let trust = match &role.trust_policy {
                Some(policy) => Ok(policy.as_ref()),
                None => {
                    let name = format!("{}#trust", role.arn);
                    Err(match principals.errors.iter().find(|e| e.policy == name) {
                        Some(failure) => format!(
                            "the trust policy of {} could not be read: {}",
                            role.arn, failure.error
                        ),
                        None => format!(
                            "get-account-authorization-details has no AssumeRolePolicyDocument for {}",
                            role.arn
                        ),
                    })
                }
            };
            (role, trust)
        })
        .collect()
}

/// Whether a condition can only hold when its key is present with one of its
/// values: a positive string or ARN comparison that is not `…IfExists` and not
/// `ForAllValues:` (both hold when the key is absent). The answer, when it can,
/// says whether the operator reads `*` and `?` as wildcards.
pub fn requiring_operator(condition: &Condition) -> Option<bool> {
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
pub fn operator_gap(condition: &Condition) -> String {
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
pub fn has_wildcard(value: &str, wildcards: bool) -> bool {
    wildcards && value.contains(['*', '?'])
}

/// Whether `value` is nothing but wildcards, for an operator that reads them.
pub fn only_wildcards(value: &str, wildcards: bool) -> bool {
    wildcards && value.chars().all(|c| c == '*' || c == '?')
}

/// A condition as one line of text: `StringLike aws:PrincipalArn ["…"]`.
pub fn condition_text(condition: &Condition) -> String {
    format!(
        "{} {} {}",
        condition.operator,
        condition.key,
        serde_json::to_string(&condition.values).unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assume_actions_are_recognised_in_any_case() {
        assert!(is_assume_action("sts:assumerole"));
        assert!(is_assume_action("STS:SetSourceIdentity"));
        assert!(!is_assume_action("sts:GetCallerIdentity"));
    }
}
