use cartguard_inventory::dynamodb;
use serde_json::json;

use super::support::{any_region, arn, per_resource, regional};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every DynamoDB table (`list-tables`) must have point-in-time recovery on:
    /// `describe-continuous-backups` gives
    /// `PointInTimeRecoveryDescription.PointInTimeRecoveryStatus: ENABLED`.
    ///
    /// ## Why it matters
    /// Point-in-time recovery restores a table to any second of the recovery
    /// period: the way back after a faulty deploy overwrites carts or orders, or
    /// after someone deletes items in bulk. Without it, only on-demand backups
    /// (if anyone took one) remain. PCI DSS 12.10.1 expects the data to be
    /// recoverable in an incident.
    ///
    /// ## Severity
    /// Always medium.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws dynamodb update-continuous-backups --table-name orders \
    ///   --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true
    /// ```
    ///
    /// ## Example
    /// `"PointInTimeRecoveryStatus": "DISABLED"` fails; `"ENABLED"` passes.
    pub static RULE = {
        id: "dynamodb-no-pitr",
        title: "A DynamoDB table has point-in-time recovery off",
        severity: Medium,
        area: Data,
        evidence: [&[dynamodb::LIST_TABLES, dynamodb::DESCRIBE_CONTINUOUS_BACKUPS]],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    if !any_region(ctx, out, "dynamodb", "tables") {
        return;
    }
    for (name, region) in &ctx.account.regions {
        let ddb = &region.dynamodb;
        let Some(tables) = regional(
            ctx,
            out,
            name,
            &ddb.tables,
            dynamodb::LIST_TABLES,
            "table/*",
        ) else {
            continue;
        };
        for table in tables {
            let table_arn = arn(ctx, "dynamodb", name, &format!("table/{table}"));
            let Some(backups) = per_resource(
                out,
                &ddb.continuous_backups,
                dynamodb::DESCRIBE_CONTINUOUS_BACKUPS,
                name,
                table,
                &table_arn,
            ) else {
                continue;
            };
            let status = backups
                .point_in_time_recovery_description
                .as_ref()
                .and_then(|p| p.point_in_time_recovery_status.as_deref());
            match status {
                Some("ENABLED") => {}
                None => out.not_assessed(
                    &table_arn,
                    name,
                    format!("describe-continuous-backups does not give PointInTimeRecoveryStatus for the table {table}"),
                ),
                Some(status) => out.fail(Failure {
                    detail: format!("The DynamoDB table {table} has point-in-time recovery {status}: it cannot be restored to the moment before a bad write or delete."),
                    evidence: json!({
                        "source": "describe-continuous-backups",
                        "TableName": table,
                        "ContinuousBackupsStatus": backups.continuous_backups_status,
                        "PointInTimeRecoveryStatus": status,
                    }),
                    remediation: format!(
                        "aws dynamodb update-continuous-backups --table-name {table} --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true --region {name}"
                    ),
                    region: name.clone(),
                    ..Failure::global(table_arn)
                }),
            }
        }
    }
}
