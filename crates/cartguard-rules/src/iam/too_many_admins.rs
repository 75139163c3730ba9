use cartguard_iam::AdminAccess;
use cartguard_iam::policy::PrincipalEntry;
use cartguard_inventory::iam;
use serde_json::json;

use super::analysed;
use crate::{Context, Emitter, Failure, declare_rule};

/// More unbounded human administrators than this fails.
const MAX_HUMAN_ADMINS: usize = 2;

declare_rule! {
    /// ## What it checks
    /// Counts the human principals with unconditional administrator access after
    /// policy evaluation: IAM users with a console password (credential report) and
    /// roles that people assume through SAML federation or IAM Identity Center. More
    /// than two fails. Admin access that holds only with MFA or from a source IP is
    /// not counted as unbounded.
    ///
    /// ## Why it matters
    /// Every standing administrator is a person whose phished password or stolen
    /// laptop compromises the whole store. Two covers holidays; more usually means
    /// admin was handed out instead of a job-specific role (PCI DSS 7.2.2).
    ///
    /// ## Severity
    /// Always medium: only unconditional administrators are counted.
    ///
    /// ## How to fix
    /// Keep two break-glass administrators, give everyone else a role for their job,
    /// and make administration conditional on MFA:
    ///
    /// ```sh
    /// aws iam remove-user-from-group --group-name Admins --user-name carol
    /// aws iam add-user-to-group --group-name Developers --user-name carol
    /// ```
    ///
    /// ## Example
    /// Three console users in a group with `AdministratorAccess` fail; two pass.
    pub static RULE = {
        id: "iam-too-many-admins",
        title: "More than two people have unbounded administrator access",
        severity: Medium,
        area: Iam,
        evidence: [cartguard_iam::EVIDENCE, super::CREDENTIAL_REPORT],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    let Some((principals, analysis)) = analysed(ctx, out) else {
        return;
    };
    let resource = ctx.account.root_arn();
    let Some(report) = out.require(
        &ctx.account.iam.credential_report,
        &iam::GET_CREDENTIAL_REPORT.global(),
        &resource,
        "global",
    ) else {
        return;
    };
    let mut admins = Vec::new();
    let mut undecided = Vec::new();
    for (index, principal) in principals.principals.iter().enumerate() {
        let admin = matches!(analysis.admin[index], AdminAccess::Unconditional { .. });
        let human = match principal.kind {
            cartguard_iam::principals::PrincipalKind::User => report.users().any(|r| r.arn == principal.arn && r.has_password()),
            cartguard_iam::principals::PrincipalKind::Role => {
                principal.arn.contains("/aws-reserved/sso.amazonaws.com/")
                    || principal.trust_policy.as_ref().is_some_and(|trust| {
                        trust.statements.iter().any(|s| {
                            s.principals.as_ref().is_some_and(|c| {
                                c.entries.iter().any(|e| matches!(e, PrincipalEntry::Federated(f) if f.contains(":saml-provider/")))
                            })
                        })
                    })
            }
        };
        if !human {
            continue;
        }
        if admin {
            admins.push(principal.arn.clone());
        } else if let Some(reason) = principals.permissions_incomplete(principal) {
            // A policy that could not be read may be the one that makes it an admin.
            undecided.push(reason);
        }
    }
    if admins.len() <= MAX_HUMAN_ADMINS {
        if admins.len() + undecided.len() > MAX_HUMAN_ADMINS {
            out.not_assessed(
                &resource,
                "global",
                format!(
                    "{} people are known to have unconditional administrator access, and whether others do cannot be decided: {}",
                    admins.len(),
                    undecided.join("; ")
                ),
            );
        }
        return;
    }
    out.fail(Failure {
        detail: format!("{} people have unconditional administrator access (at most {MAX_HUMAN_ADMINS} expected): {}.", admins.len(), admins.join(", ")),
        evidence: json!({"source": "policy evaluation and credential report", "human_admins": admins, "threshold": MAX_HUMAN_ADMINS}),
        remediation: "Keep two break-glass administrators (with MFA enforced), move everyone else to job-specific groups or roles, and require MFA (aws:MultiFactorAuthPresent) for administrative actions.".into(),
        ..Failure::global(resource)
    });
}
