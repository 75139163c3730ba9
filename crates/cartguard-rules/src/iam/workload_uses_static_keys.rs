use serde_json::json;

use super::{all_users, credential_report, day, row_evidence};
use crate::{Context, Emitter, Failure, declare_rule};

/// Name fragments that mark an identity as a machine rather than a person.
const WORKLOAD_HINTS: &[&str] = &[
    "ci",
    "cd",
    "deploy",
    "github",
    "gitlab",
    "bitbucket",
    "jenkins",
    "circle",
    "build",
    "bot",
    "svc",
    "service",
    "app",
    "automation",
    "terraform",
    "backup",
    "sync",
    "worker",
    "lambda",
    "api",
    "integration",
    "pipeline",
];

declare_rule! {
    /// ## What it checks
    /// IAM users that are programmatic only — an active access key and no console
    /// password in the credential report — are workload or CI identities living on
    /// static keys. A name that reads like a machine (`github-deploy`, `shopify-app-ci`,
    /// `backup-svc`) is quoted as further evidence, but every programmatic-only user
    /// with an active key is reported.
    ///
    /// ## Why it matters
    /// A static key used by software sits in CI variables, container images and
    /// config files, never expires and is the most common credential found in leaked
    /// repositories. Roles hand out temporary credentials that expire within hours.
    ///
    /// ## Severity
    /// Always medium.
    ///
    /// ## How to fix
    /// Give the workload a role: an instance profile on EC2, a task role on ECS, an
    /// execution role on Lambda, or OIDC federation for CI (GitHub Actions:
    /// `aws-actions/configure-aws-credentials` with `role-to-assume`). Then delete the
    /// user's keys:
    ///
    /// ```sh
    /// aws iam create-open-id-connect-provider --url https://token.actions.githubusercontent.com --client-id-list sts.amazonaws.com
    /// aws iam delete-access-key --user-name github-deploy --access-key-id AKIA…
    /// ```
    ///
    /// ## Example
    /// `github-deploy` with `password_enabled=false` and `access_key_1_active=true`
    /// fails; a person with a console password and MFA and no keys passes.
    pub static RULE = {
        id: "iam-workload-uses-static-keys",
        title: "A workload or CI identity uses static access keys",
        severity: Medium,
        area: Iam,
        evidence: [super::CREDENTIAL_REPORT],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    let Some(report) = credential_report(ctx, out, &all_users(ctx)) else {
        return;
    };
    for row in report.users() {
        let active: Vec<usize> = row.active_keys().map(|(slot, _)| slot).collect();
        if active.is_empty() || row.password_enabled != Some(false) {
            continue;
        }
        let lower = row.user.to_ascii_lowercase();
        let hints: Vec<&str> = WORKLOAD_HINTS
            .iter()
            .copied()
            .filter(|h| {
                lower
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .any(|part| part == *h)
            })
            .collect();
        let last_used = row.access_keys.iter().filter_map(|k| k.last_used).max();
        let mut evidence = row_evidence(
            row,
            &[
                "password_enabled",
                "access_key_1_active",
                "access_key_1_last_used",
                "access_key_2_active",
                "access_key_2_last_used",
            ],
        );
        evidence["name_hints"] = json!(hints);
        let service = row
            .access_keys
            .iter()
            .find_map(|k| k.last_used_service.clone());
        out.fail(Failure {
            detail: format!(
                "User {} has no console password and {} active access key(s), last used {}{}{}: a programmatic identity on long-lived keys.",
                row.user,
                active.len(),
                day(last_used, "never"),
                service.map(|s| format!(" with {s}")).unwrap_or_default(),
                if hints.is_empty() { String::new() } else { format!("; its name suggests a workload ({})", hints.join(", ")) }
            ),
            evidence,
            remediation: format!(
                "Replace {} with a role: an instance profile, ECS task role or Lambda execution role for workloads, or an OIDC-federated role for CI (e.g. GitHub Actions with role-to-assume). Then delete its keys with aws iam delete-access-key --user-name {} --access-key-id <key>.",
                row.user, row.user
            ),
            ..Failure::global(row.arn.clone())
        });
    }
}
