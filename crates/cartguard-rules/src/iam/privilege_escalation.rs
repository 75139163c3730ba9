use cartguard_inventory::{cloudformation, codebuild, ec2, iam};
use serde_json::json;

use super::principals;
use crate::{Context, Emitter, Failure, Proof, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Whether a principal that is not an administrator can make itself one, by any
    /// of the known escalation methods — creating a new default version of a policy
    /// it is attached to, attaching or writing policies on itself, its group or a
    /// role, creating access keys or login profiles for another user, joining a
    /// group, assuming a more privileged role whose trust policy already admits it
    /// (by name, through the account or everyone: decided by evaluating
    /// `sts:AssumeRole` with that trust policy), rewriting a role's trust policy
    /// and assuming it, passing a more privileged role to a compute service it
    /// can create and run (EC2, Lambda, CloudFormation, Glue, Data Pipeline, ECS,
    /// CodeBuild, SageMaker), changing the code or user data of compute that runs
    /// with a stronger role, or sending
    /// commands to it through Systems Manager, creating a role or user of its own
    /// making and giving it AdministratorAccess, or acting through the service role
    /// of an existing CloudFormation stack or CodeBuild project. Each step is decided
    /// by evaluating its request with the keys the step itself fixes
    /// (`iam:PassedToService`, `iam:PolicyARN`, `iam:PermissionsBoundary`), so a
    /// boundary condition on `iam:CreateRole` or a PassRole limited to another
    /// service stops a path. A method whose targets the evidence does not show
    /// (stacks, projects, instances, functions not collected) is reported as
    /// potential, naming the missing evidence. Each method's permissions are checked
    /// against the principal's *effective* permissions, so a method split across a
    /// group policy and an inline policy is found. A path through another user or
    /// role counts only when that principal is an administrator or can itself become
    /// one (up to three hops); gaining some other principal's unrelated permissions is
    /// lateral movement, not escalation. The finding names the method, every
    /// permission it uses with the statements that grant it, and the targets (the
    /// roles, users or groups it reaches) where known. A principal gets one
    /// finding listing every method it can use.
    /// Service-linked roles (path `/aws-service-role/`) are neither escalating
    /// principals nor targets: only their service assumes them, and IAM refuses
    /// to change their trust or permissions policies.
    ///
    /// ## Why it matters
    /// Least privilege means nothing if the principal can grant itself the rest: a
    /// deploy role that can `iam:PassRole` an admin role to `ec2:RunInstances` is an
    /// admin role with one more step. Attackers enumerate exactly these paths.
    ///
    /// ## Severity
    /// Critical when at least one method is proven: every permission of the
    /// path holds whatever the request, and its targets are in the evidence.
    /// High, one level lower, when every method depends on a condition the
    /// evidence cannot settle or on targets it does not show (stacks,
    /// projects, instances or functions that were not collected).
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
        lowest: High,
        area: Iam,
        evidence: [
            cartguard_iam::EVIDENCE,
            &[
                iam::GET_CREDENTIAL_REPORT,
                ec2::DESCRIBE_INSTANCES,
                cloudformation::DESCRIBE_STACKS,
                codebuild::LIST_PROJECTS,
                codebuild::BATCH_GET_PROJECTS,
            ],
        ],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    let Some(principals) = principals(ctx, out) else {
        return;
    };
    let Some(paths) = ctx.admin_paths() else {
        return;
    };
    let Some(analysis) = ctx.iam_analysis() else {
        return;
    };
    // A principal with a policy that could not be read may hold the permission
    // an escalation needs; one already admin has nothing to escalate to.
    for (index, principal) in super::account_defined(principals) {
        if analysis.admin[index].is_admin() || paths.iter().any(|f| f.principal == principal.arn) {
            continue;
        }
        if let Some(reason) = principals.permissions_incomplete(principal) {
            out.not_assessed(&principal.arn, "global", reason);
        }
    }
    // One finding per principal, listing every method it can use: the
    // methods are ways to the same end, and each one must be closed.
    let mut by_principal: Vec<(&str, Vec<_>)> = Vec::new();
    for path in paths {
        match by_principal.iter_mut().find(|(p, _)| *p == path.principal) {
            Some((_, group)) => group.push(path),
            None => by_principal.push((path.principal.as_str(), vec![path])),
        }
    }
    for (principal, methods) in by_principal {
        let mut described = Vec::new();
        let mut evidence = Vec::new();
        let mut used_everywhere: Vec<String> = Vec::new();
        for finding in &methods {
            let permissions: Vec<_> = finding
                .permissions
                .iter()
                .map(|p| {
                    json!({
                        "action": p.action,
                        "resource": p.resource,
                        "unconditional": p.certain,
                        "granted_by": p.statements.iter().map(|s| principals.quote(s).deciding(cartguard_iam::GRANTING)).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let used = finding.steps();
            let steps: Vec<String> = used
                .iter()
                .enumerate()
                .map(|(n, step)| format!("({}) {step}", n + 1))
                .collect();
            let targets = if finding.potential() {
                format!(
                    " Potential: its targets are not in the evidence (not collected: {}); the path is real if one exists that acts with a more privileged role.",
                    finding.missing.join(", ")
                )
            } else if finding.targets.is_empty() {
                String::new()
            } else {
                format!(" Targets: {}.", finding.targets.join(", "))
            };
            described.push(format!(
                "{} ({}) in {} step{}: {}{}.{targets}",
                finding.method.id,
                finding.method.description.trim_end_matches('.'),
                steps.len(),
                if steps.len() == 1 { "" } else { "s" },
                steps.join("; "),
                if finding.conditional {
                    " — only when the conditions of some granting statements hold"
                } else {
                    ""
                }
            ));
            for step in &used {
                if !used_everywhere.contains(step) {
                    used_everywhere.push(step.clone());
                }
            }
            evidence.push(json!({"method": finding.method.id, "description": finding.method.description, "steps": used, "permissions": permissions, "targets": finding.targets, "conditional": finding.conditional, "missing_evidence": finding.missing}));
        }
        let detail = match described.as_slice() {
            [one] => format!("{principal} can escalate by {one}"),
            many => format!(
                "{principal} can escalate by {} methods: {}",
                many.len(),
                many.iter()
                    .enumerate()
                    .map(|(n, m)| format!("[{}] {m}", n + 1))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        };
        // Proven when one method needs no condition and has its target in
        // the evidence; otherwise a condition may fail or no target exist.
        let proven = methods.iter().any(|f| !f.conditional && !f.potential());
        out.fail(Failure {
            detail,
            evidence: json!({"source": "policy evaluation", "principal": principal, "methods": evidence}),
            remediation: format!(
                "Break every path: remove or scope one permission of each method ({}) for {principal} (restrict iam:PassRole to the roles it must pass with iam:PassedToService, keep policy-management actions off its own policies, users, groups and roles, and require a permissions boundary on what it creates).",
                used_everywhere.join(", "),
            ),
            proof: if proven {
                Proof::Proven
            } else {
                Proof::Conditional
            },
            ..Failure::global(principal.to_string())
        });
    }
}
