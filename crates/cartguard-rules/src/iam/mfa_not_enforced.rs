use cartguard_iam::arn::partition_of;
use cartguard_iam::catalogue::catalogue;
use cartguard_iam::principals::PrincipalKind;
use cartguard_iam::probe::probe_resource;
use cartguard_iam::{Decision, Request, RequestContext, StatementRef};
use serde_json::json;

use super::{all_users, credential_report, principals, row_evidence};
use crate::{Context, Emitter, Failure, Proof, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every human IAM user — a user with a console password
    /// (`password_enabled=true` in the credential report) — must be subject to a
    /// policy that denies their actions when they have not signed in with MFA. The
    /// rule decides by evaluation: for each of the user's effective grants it takes
    /// some of the granted actions (well-known sensitive ones such as
    /// `s3:GetObject` or `ec2:RunInstances` when granted, and others spread across
    /// the grant) and evaluates the user's whole policy set (inline, attached and
    /// group policies, boundary) on a request with `aws:MultiFactorAuthPresent` =
    /// `false` and no `aws:MultiFactorAuthAge`. If any is still allowed — outright,
    /// or depending only on other keys such as `aws:SourceIp` — MFA is not
    /// enforced. The actions a user needs to enrol an MFA device and change their
    /// password (`iam:EnableMFADevice`, `iam:CreateVirtualMFADevice`,
    /// `iam:ChangePassword`, `sts:GetSessionToken`, …) are left out, as AWS's own
    /// example policy leaves them allowed. A user every sampled action of which is
    /// denied without MFA passes, and so does a user with no permissions. Without
    /// the credential report or the authorization details the rule is
    /// `not-assessed`, and so is a console user whose policies are not all in the
    /// evidence (the missing one could be the MFA policy).
    ///
    /// ## Why it matters
    /// An MFA device that the user has but is not required to use protects
    /// nothing: a phished password still opens the console with all the user's
    /// permissions. PCI DSS 8.4.2 requires MFA for all access into the cardholder
    /// data environment, and 8.5.1 that it cannot be bypassed.
    ///
    /// ## Severity
    /// Medium when actions stay allowed without MFA whatever the request; low when
    /// they stay allowed only under other conditions the evidence cannot settle (a
    /// source address, a tag), one level lower.
    ///
    /// ## How to fix
    /// Attach a policy that denies everything but MFA self-service without MFA
    /// (to a group all console users are in):
    ///
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{
    ///   "Sid": "DenyAllExceptMfaSetupWithoutMfa", "Effect": "Deny",
    ///   "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser",
    ///                 "iam:GetMFADevice", "iam:ListMFADevices", "iam:ListVirtualMFADevices",
    ///                 "iam:ResyncMFADevice", "iam:ChangePassword", "sts:GetSessionToken"],
    ///   "Resource": "*",
    ///   "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}
    /// ```
    ///
    /// ```sh
    /// aws iam create-policy --policy-name RequireMFA --policy-document file://require-mfa.json
    /// aws iam attach-group-policy --group-name Developers --policy-arn arn:aws:iam::111122223333:policy/RequireMFA
    /// ```
    ///
    /// ## Example
    /// A console user in a group with `ReadOnlyAccess` and no MFA condition anywhere
    /// fails (`s3:GetObject` is allowed without MFA); the same user with the policy
    /// above attached passes; a user with only an access key is not a console user
    /// and is not checked.
    pub static RULE = {
        id: "iam-mfa-not-enforced",
        title: "Console users are not required to use MFA",
        severity: Medium,
        lowest: Low,
        area: Iam,
        evidence: [cartguard_iam::EVIDENCE, super::CREDENTIAL_REPORT],
        check: check,
    };
}

/// What a user needs to set up MFA and change their password; AWS's example
/// "self-manage MFA" policy leaves these allowed without MFA.
const MFA_SELF_SERVICE: [&str; 17] = [
    "iam:CreateVirtualMFADevice",
    "iam:DeleteVirtualMFADevice",
    "iam:EnableMFADevice",
    "iam:ResyncMFADevice",
    "iam:GetMFADevice",
    "iam:ListMFADevices",
    "iam:ListVirtualMFADevices",
    "iam:ListMFADeviceTags",
    "iam:GetUser",
    "iam:ChangePassword",
    "iam:GetAccountPasswordPolicy",
    "iam:GetLoginProfile",
    "iam:ListUsers",
    "iam:ListAccountAliases",
    "iam:GetAccountSummary",
    "sts:GetSessionToken",
    "sts:GetCallerIdentity",
];

/// Actions tried first when a grant includes them: what an attacker with a
/// phished password would do.
const SENSITIVE: [&str; 12] = [
    "s3:GetObject",
    "s3:PutObject",
    "secretsmanager:GetSecretValue",
    "ssm:GetParameter",
    "kms:Decrypt",
    "dynamodb:Scan",
    "rds:DeleteDBInstance",
    "ec2:RunInstances",
    "iam:CreateAccessKey",
    "iam:AttachUserPolicy",
    "lambda:UpdateFunctionCode",
    "cloudtrail:StopLogging",
];

/// Further actions tried per grant, spread over its actions.
const SPREAD: usize = 3;

/// How many allowed actions a finding lists.
const LIST_AT_MOST: usize = 8;

/// One action still allowed without MFA.
struct Allowed {
    action: String,
    resource: String,
    decision: &'static str,
    statement: StatementRef,
    pending: Vec<String>,
}

/// The request context of a console session signed in without MFA.
fn without_mfa() -> RequestContext {
    let mut context = RequestContext::new();
    context.set("aws:MultiFactorAuthPresent", ["false"]);
    context.set_absent("aws:MultiFactorAuthAge");
    context
}

/// The actions of a grant to try: the sensitive ones it includes, then a few
/// spread across the rest, never MFA self-service.
fn sample(grant: &cartguard_iam::effective::Grant) -> Vec<usize> {
    let cat = catalogue();
    let exempt: Vec<usize> = MFA_SELF_SERVICE
        .iter()
        .filter_map(|a| cat.index_of(a))
        .collect();
    let mut picked: Vec<usize> = SENSITIVE
        .iter()
        .filter_map(|a| cat.index_of(a))
        .filter(|i| grant.actions.contains(*i))
        .collect();
    let rest: Vec<usize> = grant
        .actions
        .iter()
        .filter(|i| !exempt.contains(i) && !picked.contains(i))
        .collect();
    if !rest.is_empty() {
        let step = rest.len().div_ceil(SPREAD).max(1);
        picked.extend(rest.iter().step_by(step).take(SPREAD));
    }
    picked
}

/// The statements of the user's policies that test MFA.
fn mfa_statements(user: &cartguard_iam::Principal) -> Vec<StatementRef> {
    user.policies
        .identity
        .iter()
        .chain(user.policies.boundary.iter())
        .flat_map(|p| {
            p.statements
                .iter()
                .filter(|s| {
                    s.conditions.iter().any(|c| {
                        matches!(
                            c.key_lower(),
                            "aws:multifactorauthpresent" | "aws:multifactorauthage"
                        )
                    })
                })
                .map(move |s| StatementRef::new(p, s))
        })
        .collect()
}

fn check(ctx: &Context, out: &mut Emitter) {
    // Both are needed; say which of them is missing.
    let report = credential_report(ctx, out, &all_users(ctx));
    let principals = principals(ctx, out);
    let (Some(report), Some(principals)) = (report, principals) else {
        return;
    };
    let Some(analysis) = ctx.iam_analysis() else {
        return;
    };
    let cat = catalogue();
    let context = without_mfa();
    for row in report.users().filter(|r| r.has_password()) {
        let Some((index, user)) = principals
            .principals
            .iter()
            .enumerate()
            .find(|(_, p)| p.kind == PrincipalKind::User && p.arn == row.arn)
        else {
            out.not_assessed(
                &row.arn,
                "global",
                format!(
                    "user {} has a console password but is not in get-account-authorization-details",
                    row.user
                ),
            );
            continue;
        };
        if let Some(reason) = principals.permissions_incomplete(user) {
            out.not_assessed(&user.arn, "global", reason);
            continue;
        }
        let Some(effective) = analysis.effective.get(index) else {
            continue;
        };
        let who = user.request_principal();
        let mut tried = 0;
        let mut allowed: Vec<Allowed> = Vec::new();
        for grant in &effective.grants {
            for action in sample(grant) {
                let name = cat.name(action);
                let resource = probe_resource(grant, name, "*");
                if allowed.iter().any(|a| a.action == name) {
                    continue;
                }
                tried += 1;
                let mut request = Request::new(who.clone(), name, &resource);
                request.resource_account = user.account.clone();
                request.context = context.clone();
                let decision = user.decide(&request);
                if !decision.may_allow() {
                    continue;
                }
                let pending = match &decision {
                    Decision::Conditional { pending } => pending
                        .iter()
                        .flat_map(|p| p.unresolved.iter())
                        .map(|u| {
                            format!(
                                "{} {} {}",
                                u.operator.as_deref().unwrap_or(u.element),
                                u.key,
                                serde_json::to_string(&u.values).unwrap_or_default()
                            )
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                allowed.push(Allowed {
                    action: name.to_string(),
                    resource,
                    decision: decision.label(),
                    statement: grant.statement.clone(),
                    pending,
                });
            }
        }
        if allowed.is_empty() {
            continue;
        }
        let checks = mfa_statements(user);
        let mut granting: Vec<&StatementRef> = allowed
            .iter()
            .take(LIST_AT_MOST)
            .map(|a| &a.statement)
            .collect();
        granting.sort();
        granting.dedup();
        let names: Vec<&str> = allowed
            .iter()
            .take(LIST_AT_MOST)
            .map(|a| a.action.as_str())
            .collect();
        let more = if allowed.len() > LIST_AT_MOST {
            format!(" and {} more", allowed.len() - LIST_AT_MOST)
        } else {
            String::new()
        };
        let why = if checks.is_empty() {
            "no policy of the user tests aws:MultiFactorAuthPresent".to_string()
        } else {
            format!(
                "the MFA conditions in {} do not cover them",
                checks
                    .iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        };
        let conditional = allowed.iter().all(|a| a.decision == "Conditional");
        let target = match user.groups.first() {
            Some(group) => format!("aws iam attach-group-policy --group-name {group}"),
            None => format!("aws iam attach-user-policy --user-name {}", user.name),
        };
        let account = user.account.as_deref().unwrap_or(&ctx.account.id);
        out.fail(Failure {
            detail: format!(
                "User {} signs in to the console with a password and has {}, but {} of {} sampled actions stay allowed without MFA{}: {}{} — {}.",
                user.name,
                if row.mfa_active { "an MFA device" } else { "no MFA device" },
                allowed.len(),
                tried,
                if conditional { " when other conditions hold" } else { "" },
                names.join(", "),
                more,
                why
            ),
            evidence: json!({
                "source": "policy evaluation",
                "user": user.arn,
                "credential_report": row_evidence(row, &["password_enabled", "password_last_used", "mfa_active"]),
                "context": {"aws:MultiFactorAuthPresent": "false", "aws:MultiFactorAuthAge": null},
                "allowed_without_mfa": allowed.iter().take(LIST_AT_MOST).map(|a| json!({
                    "action": a.action,
                    "resource": a.resource,
                    "decision": a.decision,
                    "pending_conditions": a.pending,
                    "statement": a.statement.to_string(),
                })).collect::<Vec<_>>(),
                "granted_by": granting.iter().map(|s| principals.quote(s).deciding(cartguard_iam::GRANTING)).collect::<Vec<_>>(),
                "mfa_statements": checks.iter().map(|s| principals.quote(s).deciding(&["Condition"])).collect::<Vec<_>>(),
            }),
            remediation: format!(
                "Create a policy that denies all but MFA self-service when aws:MultiFactorAuthPresent is false ({{\"Effect\": \"Deny\", \"NotAction\": [\"iam:CreateVirtualMFADevice\", \"iam:EnableMFADevice\", \"iam:GetUser\", \"iam:GetMFADevice\", \"iam:ListMFADevices\", \"iam:ListVirtualMFADevices\", \"iam:ResyncMFADevice\", \"iam:ChangePassword\", \"sts:GetSessionToken\"], \"Resource\": \"*\", \"Condition\": {{\"BoolIfExists\": {{\"aws:MultiFactorAuthPresent\": \"false\"}}}}}}) and attach it: aws iam create-policy --policy-name RequireMFA --policy-document file://require-mfa.json; {target} --policy-arn arn:{}:iam::{account}:policy/RequireMFA.",
                partition_of(&user.arn),
            ),
            proof: if conditional { Proof::Conditional } else { Proof::Proven },
            ..Failure::global(user.arn.clone())
        });
    }
}
