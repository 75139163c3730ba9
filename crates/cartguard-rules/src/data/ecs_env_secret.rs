use cartguard_files::credentials::detect_all;
use cartguard_inventory::ecs;

use super::support::{any_region, arn, credential_evidence, per_resource, regional};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every active ECS task definition (`list-task-definitions`, then
    /// `describe-task-definition` for each) must keep credentials out of its
    /// containers' plain `environment`; they belong in `secrets`, whose
    /// `valueFrom` names a Secrets Manager secret or a Parameter Store
    /// parameter. A value is a credential by its shape (AWS key ids and the
    /// secret key beside them, Stripe, Shopify, GitHub and Slack tokens, PEM
    /// private keys, database URLs with a password) or by its name together
    /// with its value (`*PASSWORD*`, `*_SECRET`, `*_TOKEN`, `*_KEY`,
    /// `*API_KEY*` holding a long, varied value); placeholders, templates, ARNs
    /// and plain words are not. The finding names the container, the variable,
    /// the kind and a redacted form, never the value.
    ///
    /// ## Why it matters
    /// A task definition is readable by anyone with `ecs:DescribeTaskDefinition`
    /// and every revision is kept: a password put there once stays in the
    /// account's history even after the next revision removes it. PCI DSS
    /// 8.6.2 asks that application passwords not be hard-coded in
    /// configuration, 8.3.2 that they be unreadable in storage.
    ///
    /// ## Severity
    /// Always high.
    ///
    /// ## How to fix
    /// Put the value in Secrets Manager and reference it from `secrets`; the
    /// task's execution role needs `secretsmanager:GetSecretValue` on it:
    ///
    /// ```json
    /// "secrets": [{"name": "DB_PASSWORD",
    ///   "valueFrom": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop/prod/db-AbCdEf"}]
    /// ```
    ///
    /// ```sh
    /// aws ecs register-task-definition --cli-input-json file://shop-web.json
    /// aws ecs update-service --cluster shop --service shop-web --task-definition shop-web
    /// aws ecs deregister-task-definition --task-definition shop-web:7
    /// ```
    ///
    /// Then change the credential: the old revisions have shown it.
    ///
    /// ## Example
    /// A container with `{"name": "DB_PASSWORD", "value": "Sh0p-…"}` in
    /// `environment` fails; one with `DB_PASSWORD` under `secrets` passes.
    pub static RULE = {
        id: "ecs-env-secret",
        title: "An ECS task definition's plain environment holds a credential",
        severity: High,
        area: Data,
        evidence: [&[ecs::LIST_TASK_DEFINITIONS, ecs::DESCRIBE_TASK_DEFINITION]],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    if !any_region(ctx, out, "ecs", "task definitions") {
        return;
    }
    for (name, region) in &ctx.account.regions {
        let evidence = &region.ecs;
        let Some(arns) = regional(
            ctx,
            out,
            name,
            &evidence.task_definition_arns,
            ecs::LIST_TASK_DEFINITIONS,
            "task-definition/*",
        ) else {
            continue;
        };
        for definition_arn in arns {
            let revision = ecs::family_revision(definition_arn);
            let resource = if definition_arn.starts_with("arn:") {
                definition_arn.clone()
            } else {
                arn(ctx, "ecs", name, &format!("task-definition/{revision}"))
            };
            let Some(definition) = per_resource(
                out,
                &evidence.task_definitions,
                ecs::DESCRIBE_TASK_DEFINITION,
                name,
                revision,
                &resource,
            ) else {
                continue;
            };
            for container in &definition.container_definitions {
                let cname = container.name.as_deref().unwrap_or("(unnamed)");
                let found = detect_all(
                    container
                        .environment
                        .iter()
                        .filter_map(|pair| Some((pair.name.as_deref()?, pair.value.as_deref()?))),
                );
                for (variable, credential) in found {
                    let mut evidence = credential_evidence(variable, &credential);
                    evidence["source"] = "describe-task-definition".into();
                    evidence["taskDefinition"] = revision.into();
                    evidence["container"] = cname.into();
                    evidence["section"] = "environment".into();
                    if let Some(role) = &definition.execution_role_arn {
                        evidence["executionRoleArn"] = role.as_str().into();
                    }
                    out.fail(Failure {
                        detail: format!(
                            "The task definition {revision} gives the container {cname} {} in the plain environment variable {variable} ({}), readable by anyone who can describe the task definition and kept in every revision.",
                            credential.kind.describe(),
                            credential.redacted
                        ),
                        evidence,
                        remediation: format!(
                            "aws secretsmanager create-secret --name {cname}/{variable} --secret-string \"$NEW_VALUE\" --region {name}; in a new revision, move {variable} from environment to secrets with valueFrom the secret's ARN and allow the execution role secretsmanager:GetSecretValue on it; aws ecs register-task-definition --cli-input-json file://task-definition.json --region {name}; aws ecs deregister-task-definition --task-definition {revision} --region {name}; change the credential: it has been readable."
                        ),
                        discriminator: Some(format!("{cname}/{variable}")),
                        region: name.clone(),
                        ..Failure::global(resource.clone())
                    });
                }
            }
        }
    }
}
