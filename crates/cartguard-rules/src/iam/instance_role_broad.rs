use cartguard_iam::policy::PrincipalEntry;
use serde_json::json;

use super::{account_defined, analysed};
use crate::{Context, Emitter, Failure, declare_rule};

/// Services whose compute runs with a role's credentials.
const WORKLOAD_SERVICES: &[&str] = &[
    "ec2.amazonaws.com",
    "lambda.amazonaws.com",
    "ecs-tasks.amazonaws.com",
];

declare_rule! {
    /// ## What it checks
    /// Roles that workloads run with — EC2 instance profile roles, and roles whose
    /// trust policy lets `ec2.amazonaws.com`, `lambda.amazonaws.com` or
    /// `ecs-tasks.amazonaws.com` assume them — must not be administrators (after
    /// evaluation) nor hold effective grants of every action or of a whole service
    /// (`s3:*`), or grants written with `NotAction`.
    /// Service-linked roles (path `/aws-service-role/`) are out of scope: AWS
    /// defines their policies, IAM refuses to change them, and only their service
    /// assumes them.
    ///
    /// ## Why it matters
    /// Whatever runs on the server can use the role: a remote-code-execution bug in a
    /// Magento extension or an SSRF reaching the metadata service hands the attacker
    /// exactly these permissions. The role of an internet-facing workload should be
    /// the smallest in the account.
    ///
    /// ## Severity
    /// Always high.
    ///
    /// ## How to fix
    /// Give each workload a role with the actions it uses on its own resources:
    ///
    /// ```sh
    /// aws iam detach-role-policy --role-name magento-web --policy-arn arn:aws:iam::aws:policy/AmazonS3FullAccess
    /// aws iam put-role-policy --role-name magento-web --policy-name media --policy-document file://media-rw.json
    /// ```
    ///
    /// ## Example
    /// An instance profile role with an inline `{"Action": "s3:*", "Resource": "*"}`
    /// fails; one allowing `s3:GetObject` and `s3:PutObject` on its media bucket passes.
    pub static RULE = {
        id: "iam-instance-role-broad",
        title: "A workload role (EC2, Lambda, ECS) has wildcard or admin permissions",
        severity: High,
        area: Iam,
        evidence: [cartguard_iam::EVIDENCE],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    let Some((principals, analysis)) = analysed(ctx, out) else {
        return;
    };
    for (index, role) in account_defined(principals) {
        if role.kind != cartguard_iam::principals::PrincipalKind::Role {
            continue;
        }
        let services: Vec<&str> = WORKLOAD_SERVICES
            .iter()
            .copied()
            .filter(|service| {
                role.trust_policy.as_ref().is_some_and(|trust| {
                    trust.statements.iter().filter(|s| s.effect == cartguard_iam::Effect::Allow).any(|s| {
                        s.principals.as_ref().is_some_and(|c| !c.negated && c.entries.iter().any(|e| matches!(e, PrincipalEntry::Service(x) if x.eq_ignore_ascii_case(service))))
                    })
                })
            })
            .collect();
        if role.instance_profiles.is_empty() && services.is_empty() {
            continue;
        }
        let admin = analysis.admin[index].is_admin();
        let mut broad = Vec::new();
        for grant in &analysis.effective[index].grants {
            let Some(statement) = grant.source() else {
                continue;
            };
            let wildcards = cartguard_iam::catalogue().whole_service_grants(statement);
            if !wildcards.is_empty() || statement.actions.negated {
                broad.push((
                    grant.statement.clone(),
                    if wildcards.is_empty() {
                        vec!["NotAction".to_string()]
                    } else {
                        wildcards
                    },
                ));
            }
        }
        if !admin && broad.is_empty() {
            if let Some(reason) = principals.permissions_incomplete(role) {
                out.not_assessed(&role.arn, "global", reason);
            }
            continue;
        }
        let how: Vec<String> = broad
            .iter()
            .map(|(s, w)| format!("{} in statement {} of {}", w.join(", "), s.index, s.policy))
            .collect();
        let runs_as = if role.instance_profiles.is_empty() {
            services.join(", ")
        } else {
            format!("instance profile {}", role.instance_profiles.join(", "))
        };
        out.fail(Failure {
            detail: format!(
                "Workload role {} (used by {runs_as}) {}.",
                role.arn,
                if admin { "has administrator access".to_string() } else { format!("is granted {}", how.join("; ")) }
            ),
            evidence: json!({
                "source": "policy evaluation",
                "role": role.arn,
                "instance_profiles": role.instance_profiles,
                "trusted_services": services,
                "administrator": admin,
                "broad_grants": broad.iter().map(|(s, w)| json!({"wildcards": w, "statement": principals.quote(s).deciding(cartguard_iam::GRANTING)})).collect::<Vec<_>>(),
            }),
            remediation: format!(
                "Replace the broad grants of {} with the actions its workload uses on its own resources (IAM Access Analyzer can generate the policy from CloudTrail activity).",
                role.name
            ),
            ..Failure::global(role.arn.clone())
        });
    }
}
