use cartguard_iam::AdminAccess;
use serde_json::json;

use super::{account_defined, analysed};
use crate::{Context, Emitter, Failure, Proof, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Whether a user or role can do every action on every resource — the effect of
    /// `AdministratorAccess`, of `"Action": "*", "Resource": "*"`, or of several
    /// statements that add up to it — after evaluating its identity policies (inline,
    /// attached and group policies) against explicit denies, its permissions boundary
    /// and, where collected, SCPs. A few guardrail actions denied to everyone (an SCP
    /// that keeps anyone from stopping CloudTrail or leaving the organization: at most
    /// 2% of all actions) do not make an administrator less of one; losing any IAM
    /// permissions-management action does. Admin access that holds only under a condition
    /// (MFA, source IP) is reported too, with the condition. A principal whose
    /// policies are not all in the evidence, and who is not admin on what was
    /// collected, is `not-assessed`.
    /// Service-linked roles (path `/aws-service-role/`) are out of scope: AWS
    /// defines their policies, IAM refuses to change them, and only their service
    /// assumes them.
    ///
    /// ## Why it matters
    /// An administrator can read every order, customer record and secret, turn off
    /// logging and delete backups. Each one is a full compromise waiting for a leaked
    /// key or a phished password; PCI DSS 7.2.2 asks that access be limited to what
    /// the job needs.
    ///
    /// ## Severity
    /// High when the principal is an administrator whatever the request; medium
    /// when a grant or deny on the way depends on request context the evidence
    /// cannot settle (MFA, the source address), one level lower.
    ///
    /// ## How to fix
    /// Replace the administrator policy with one scoped to the job (see what the
    /// principal actually uses with IAM's last-accessed data), and keep break-glass
    /// administration on a role that needs MFA:
    ///
    /// ```sh
    /// aws iam generate-service-last-accessed-details --arn arn:aws:iam::111122223333:role/app
    /// aws iam detach-role-policy --role-name app --policy-arn arn:aws:iam::aws:policy/AdministratorAccess
    /// ```
    ///
    /// ## Example
    /// A group `Admins` with `AdministratorAccess` makes each member fail; a role
    /// whose only policy allows `s3:GetObject` on one bucket passes; a role with
    /// `"Action": "*"` and a boundary allowing only S3 passes; `AdministratorAccess`
    /// under an SCP that denies `cloudtrail:StopLogging` still fails, under one that
    /// denies `iam:*` it passes.
    pub static RULE = {
        id: "iam-admin-access",
        title: "A principal has administrator access",
        severity: High,
        lowest: Medium,
        area: Iam,
        evidence: [cartguard_iam::EVIDENCE],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    let Some((principals, analysis)) = analysed(ctx, out) else {
        return;
    };
    for (index, principal) in account_defined(principals) {
        let (by, conditional) = match &analysis.admin[index] {
            AdminAccess::Unconditional { by } => (by, false),
            AdminAccess::Conditional { by } => (by, true),
            AdminAccess::No => {
                if let Some(reason) = principals.incomplete(principal) {
                    out.not_assessed(&principal.arn, "global", reason);
                }
                continue;
            }
        };
        let statements: Vec<_> = by
            .iter()
            .map(|s| principals.quote(s).deciding(cartguard_iam::GRANTING))
            .collect();
        let sources: Vec<String> = by.iter().map(|s| s.policy.to_string()).collect();
        out.fail(Failure {
            detail: format!(
                "{} can perform every action on every resource{}, granted by {}.",
                principal.arn,
                if conditional { " only under conditions (a grant or deny on the way depends on request context such as MFA or source IP)" } else { "" },
                sources.join(", ")
            ),
            evidence: json!({"source": "policy evaluation", "principal": principal.arn, "conditional": conditional, "granted_by": statements, "permissions_boundary": principal.policies.boundary.as_ref().map(|b| b.name.to_string())}),
            remediation: format!(
                "Replace the administrator grants ({}) with a policy scoped to what {} needs (start from aws iam generate-service-last-accessed-details --arn {}), and keep break-glass administration on a separate role that requires MFA.",
                sources.join(", "),
                principal.name,
                principal.arn
            ),
            proof: if conditional { Proof::Conditional } else { Proof::Proven },
            ..Failure::global(principal.arn.clone())
        });
    }
}
