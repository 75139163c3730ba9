use cartguard_inventory::secretsmanager;
use serde_json::json;

use super::support::{any_region, regional};
use crate::{Context, Emitter, Failure, declare_rule};

/// Days within which a secret must have rotated.
const ROTATION_DAYS: i64 = 90;

declare_rule! {
    /// ## What it checks
    /// Every Secrets Manager secret (`list-secrets`; secrets scheduled for
    /// deletion excepted) must have rotation turned on (`RotationEnabled: true`)
    /// and must have rotated within the last 90 days, counted back from the
    /// scan's "now": `LastRotatedDate`, or `CreatedDate` for a secret that has
    /// never rotated yet.
    ///
    /// ## Why it matters
    /// The database password, the payment provider's API key and the Shopify
    /// app secret stay valid for as long as they are not changed; every copy
    /// in a developer's shell history, an old build log or a former employee's
    /// laptop keeps working. Rotation bounds that exposure; PCI DSS 8.6.3 asks
    /// that passwords of application and system accounts be changed
    /// periodically and on suspicion of compromise. A rotation that is enabled
    /// but failing shows as a secret that has not rotated.
    ///
    /// ## Severity
    /// Always medium.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws secretsmanager rotate-secret --secret-id shop/prod/db \
    ///   --rotation-lambda-arn arn:aws:lambda:eu-west-1:111122223333:function:rotate-mysql \
    ///   --rotation-rules '{"ScheduleExpression": "rate(30 days)"}'
    /// ```
    ///
    /// For a secret whose rotation is on but stalled, read the rotation
    /// function's logs and run `aws secretsmanager rotate-secret --secret-id …`.
    ///
    /// ## Example
    /// With `--now 2026-11-20T12:00:00Z`, a secret without `RotationEnabled`
    /// fails, and so does one with rotation on whose `LastRotatedDate` is
    /// 2026-03-01; one rotated on 2026-11-01 passes.
    pub static RULE = {
        id: "secrets-rotation-off",
        title: "A secret does not rotate, or has not rotated in 90 days",
        severity: Medium,
        area: Data,
        evidence: [&[secretsmanager::LIST_SECRETS]],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    if !any_region(ctx, out, "secretsmanager", "secrets") {
        return;
    }
    for (name, region) in &ctx.account.regions {
        let Some(secrets) = regional(
            ctx,
            out,
            name,
            &region.secretsmanager.secrets,
            secretsmanager::LIST_SECRETS,
            "secret:*",
        ) else {
            continue;
        };
        for secret in secrets {
            if secret.deleted_date.is_some() {
                continue;
            }
            let label = secret.name.as_deref().unwrap_or(&secret.arn);
            let evidence = json!({
                "source": "list-secrets",
                "Name": secret.name,
                "RotationEnabled": secret.rotation_enabled,
                "RotationLambdaARN": secret.rotation_lambda_arn,
                "RotationRules": secret.rotation_rules,
                "LastRotatedDate": secret.last_rotated_date,
                "CreatedDate": secret.created_date,
                "OwningService": secret.owning_service,
            });
            if secret.rotation_enabled != Some(true) {
                out.fail(Failure {
                    detail: format!(
                        "The secret {label} has rotation off{}: its value stays valid until someone changes it by hand.",
                        secret
                            .last_rotated_date
                            .map(|d| format!(" (last rotated {}, {} days ago)", d.format("%Y-%m-%d"), ctx.days_since(d)))
                            .unwrap_or_default()
                    ),
                    evidence,
                    remediation: format!(
                        "aws secretsmanager rotate-secret --secret-id {} --rotation-lambda-arn <rotation function ARN> --rotation-rules '{{\"ScheduleExpression\": \"rate(30 days)\"}}' --region {name}",
                        secret.arn
                    ),
                    discriminator: Some("rotation-off".into()),
                    region: name.clone(),
                    ..Failure::global(secret.arn.clone())
                });
                continue;
            }
            let (since, what) = match (secret.last_rotated_date, secret.created_date) {
                (Some(date), _) => (date, "last rotated"),
                (None, Some(date)) => (date, "created and never rotated since"),
                (None, None) => {
                    out.not_assessed(
                        &secret.arn,
                        name,
                        format!("list-secrets gives neither LastRotatedDate nor CreatedDate for the secret {label}"),
                    );
                    continue;
                }
            };
            let age = ctx.days_since(since);
            if age <= ROTATION_DAYS {
                continue;
            }
            out.fail(Failure {
                detail: format!(
                    "The secret {label} has rotation on but was {what} on {}, {age} days ago (limit {ROTATION_DAYS}): its rotation is not happening.",
                    since.format("%Y-%m-%d")
                ),
                evidence,
                remediation: format!(
                    "Read the rotation function's CloudWatch logs to see why rotation fails, fix it, then aws secretsmanager rotate-secret --secret-id {} --region {name}",
                    secret.arn
                ),
                discriminator: Some("rotation-stale".into()),
                region: name.clone(),
                ..Failure::global(secret.arn.clone())
            });
        }
    }
}
