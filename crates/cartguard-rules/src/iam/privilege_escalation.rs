use std::collections::HashMap;

use serde_json::json;

use super::{principals, statement_evidence};
use crate::{Context, Emitter, Failure, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Whether a principal that is not an administrator can make itself one, by any
    /// of the known escalation methods — creating a new default version of a policy
    /// it is attached to, attaching or writing policies on itself, its group or a
    /// role, creating access keys or login profiles for another user, joining a
    /// group, rewriting a role's trust policy and assuming it, passing a more
    /// privileged role to a compute service it can create and run (EC2, Lambda,
    /// CloudFormation, Glue, Data Pipeline, ECS, CodeBuild, SageMaker), changing the
    /// code or user data of compute that runs with a stronger role, or sending
    /// commands to it through Systems Manager. Each method's permissions are checked
    /// against the principal's *effective* permissions, so a method split across a
    /// group policy and an inline policy is found. A path through another user or
    /// role counts only when that principal is an administrator or can itself become
    /// one (up to three hops); gaining some other principal's unrelated permissions is
    /// lateral movement, not escalation. The finding names the method, every
    /// permission it uses with the statements that grant it, and the targets (the
    /// roles, users or groups it reaches) where known. Escalations that depend on a
    /// condition are reported at high rather than critical.
    ///
    /// ## Why it matters
    /// Least privilege means nothing if the principal can grant itself the rest: a
    /// deploy role that can `iam:PassRole` an admin role to `ec2:RunInstances` is an
    /// admin role with one more step. Attackers enumerate exactly these paths.
    ///
    /// ## How to fix
    /// Remove one permission of the path, or scope it: restrict `iam:PassRole` to the
    /// roles the workload must pass (and `iam:PassedToService`), restrict policy
    /// management to policies outside the principal's own, and require a permissions
    /// boundary on anything it creates:
    ///
    /// ```json
    /// {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/app-runtime",
    ///  "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}}
    /// ```
    ///
    /// ## Example
    /// A developer whose group allows `iam:PassRole` on `*` and whose inline policy
    /// allows `ec2:RunInstances`, in an account with an admin role trusted by EC2,
    /// fails with method `PassRole+EC2`.
    pub static RULE = {
        id: "iam-privilege-escalation",
        title: "A principal can escalate to administrator",
        severity: Critical,
        area: Iam,
        check: check,
    };
}

/// How many hops through other principals a path to administrator may take.
const MAX_HOPS: usize = 3;

/// Whether principal `index` is an administrator or can become one within
/// `hops` further escalations (memoised; a principal on the current path counts
/// as not reaching, which breaks cycles).
fn reaches_admin(
    analysis: &cartguard_iam::escalation::Analysis,
    by_arn: &HashMap<&str, usize>,
    index: usize,
    hops: usize,
    memo: &mut HashMap<usize, bool>,
) -> bool {
    if analysis.admin[index].is_admin() {
        return true;
    }
    if hops == 0 {
        return false;
    }
    if let Some(known) = memo.get(&index) {
        return *known;
    }
    memo.insert(index, false);
    let answer = analysis.escalations_of(index).iter().any(|f| {
        f.targets.is_empty()
            || f.targets.iter().any(|t| match by_arn.get(t.as_str()) {
                Some(&next) => reaches_admin(analysis, by_arn, next, hops - 1, memo),
                None => true,
            })
    });
    memo.insert(index, answer);
    answer
}

/// Methods that act on an EC2 instance and gain its instance profile role.
const INSTANCE_METHODS: &[&str] = &[
    "ssm-send-command",
    "ssm-start-session",
    "ec2-modify-instance-attribute",
];

/// The running instances whose role reaches administrator and on which the
/// principal may perform `action` (tags of the instance given as resource-tag
/// context), as `instance ARN (role ARN)`; `None` when instances were not collected.
fn instance_targets(
    ctx: &Context,
    principal: &cartguard_iam::Principal,
    action: &str,
    admin_roles: &HashMap<&str, &str>,
) -> Option<Vec<String>> {
    let mut found = Vec::new();
    for (region, evidence) in &ctx.account.regions {
        let instances = evidence.ec2.instances.present()?;
        for instance in instances.iter().filter(|i| i.is_running()) {
            let Some(profile) = &instance.iam_instance_profile else {
                continue;
            };
            let Some(role) = admin_roles.get(profile.arn.as_str()) else {
                continue;
            };
            let arn = format!(
                "arn:aws:ec2:{region}:{}:instance/{}",
                ctx.account.id, instance.instance_id
            );
            let mut request =
                cartguard_iam::Request::new(principal.request_principal(), action, &arn);
            for tag in &instance.tags {
                for prefix in ["aws:ResourceTag/", "ec2:ResourceTag/", "ssm:resourceTag/"] {
                    request
                        .context
                        .set(&format!("{prefix}{}", tag.key), [tag.value.as_str()]);
                }
            }
            if principal.decide(&request).may_allow() {
                found.push(format!("{arn} ({role})"));
            }
        }
    }
    Some(found)
}

fn check(ctx: &Context, out: &mut Emitter) {
    let Some(principals) = principals(ctx, out) else {
        return;
    };
    let Some(analysis) = ctx.iam_analysis() else {
        return;
    };
    let by_arn: HashMap<&str, usize> = principals
        .principals
        .iter()
        .enumerate()
        .map(|(i, p)| (p.arn.as_str(), i))
        .collect();
    let mut memo = HashMap::new();
    let mut admin_roles: HashMap<&str, &str> = HashMap::new();
    for (j, role) in principals.principals.iter().enumerate() {
        if role.instance_profiles.is_empty()
            || !reaches_admin(analysis, &by_arn, j, MAX_HOPS, &mut memo)
        {
            continue;
        }
        for profile in &role.instance_profiles {
            admin_roles.insert(profile.as_str(), role.arn.as_str());
        }
    }
    for mut finding in analysis.escalations() {
        // Instance methods: the inventory knows the instances, their roles and
        // tags, so the path is real only through an instance whose role reaches
        // administrator and that the principal may act on.
        if INSTANCE_METHODS.contains(&finding.method.id) && finding.targets.is_empty() {
            let Some(principal) = by_arn
                .get(finding.principal.as_str())
                .map(|&i| &principals.principals[i])
            else {
                continue;
            };
            let action = finding
                .permissions
                .first()
                .map(|p| p.action.clone())
                .unwrap_or_default();
            match instance_targets(ctx, principal, &action, &admin_roles) {
                Some(targets) if targets.is_empty() => continue,
                Some(targets) => finding.targets = targets,
                None => {}
            }
        }
        // A target counts when it is, or leads to, an administrator; groups and
        // other non-principal targets are kept as found.
        if !finding.targets.is_empty() {
            finding.targets.retain(|t| match by_arn.get(t.as_str()) {
                Some(&j) => reaches_admin(analysis, &by_arn, j, MAX_HOPS, &mut memo),
                None => true,
            });
            if finding.targets.is_empty() {
                continue;
            }
        }
        let permissions: Vec<_> = finding
            .permissions
            .iter()
            .map(|p| {
                json!({
                    "action": p.action,
                    "resource": p.resource,
                    "unconditional": p.certain,
                    "granted_by": p.statements.iter().map(|s| statement_evidence(principals, s)).collect::<Vec<_>>(),
                })
            })
            .collect();
        let used: Vec<String> = finding
            .permissions
            .iter()
            .map(|p| format!("{} on {}", p.action, p.resource))
            .collect();
        let targets = if finding.targets.is_empty()
            && finding.permissions.iter().any(|p| p.resource == "*")
            && !INSTANCE_METHODS.contains(&finding.method.id)
            && finding.method.id.contains("update")
        {
            " The compute it acts on (functions, development endpoints) is not in the evidence, so this path is potential: it is real if one runs with a more privileged role.".to_string()
        } else if finding.targets.is_empty() {
            String::new()
        } else {
            format!(" Targets: {}.", finding.targets.join(", "))
        };
        out.fail(Failure {
            detail: format!(
                "{} can escalate by {} ({}): {}{}.{targets}",
                finding.principal,
                finding.method.id,
                finding.method.description.trim_end_matches('.'),
                used.join("; "),
                if finding.conditional { " — only when the conditions of some granting statements hold" } else { "" }
            ),
            evidence: json!({"source": "policy evaluation", "principal": finding.principal, "method": finding.method.id, "description": finding.method.description, "permissions": permissions, "targets": finding.targets, "conditional": finding.conditional}),
            remediation: format!(
                "Break the path: remove or scope one of {} for {} (restrict iam:PassRole to the roles it must pass with iam:PassedToService, keep policy-management actions off its own policies, users, groups and roles, and require a permissions boundary on what it creates).",
                used.join(", "),
                finding.principal
            ),
            discriminator: Some(finding.method.id.to_string()),
            severity: finding.conditional.then_some(Severity::High),
            ..Failure::global(finding.principal.clone())
        });
    }
}
