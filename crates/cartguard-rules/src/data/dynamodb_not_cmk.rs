use cartguard_inventory::dynamodb;
use serde_json::json;

use super::support::{any_region, arn, per_resource, regional};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every DynamoDB table (`list-tables`, then `describe-table` for each) must
    /// be encrypted with a KMS key (`SSEDescription` with `SSEType: KMS` and
    /// `Status: ENABLED`). A table without `SSEDescription` uses the AWS-owned
    /// key, which fails. A KMS key is accepted whether the account manages it or
    /// it is the AWS managed `aws/dynamodb` key: telling them apart needs
    /// `kms describe-key`, which this rule does not read.
    ///
    /// ## Why it matters
    /// With the AWS-owned key, the account cannot see or control who decrypts
    /// the table: no key policy limits it, no CloudTrail event records key use,
    /// and the key cannot be disabled to cut off access in an incident. PCI DSS
    /// 3.6.1 asks that keys protecting stored account data be under the
    /// entity's control.
    ///
    /// ## Severity
    /// Always low: the table is encrypted; only who controls the key differs.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws dynamodb update-table --table-name orders \
    ///   --sse-specification Enabled=true,SSEType=KMS,KMSMasterKeyId=alias/dynamodb-data
    /// ```
    ///
    /// ## Example
    /// A table whose `describe-table` has no `SSEDescription` fails; one with
    /// `"SSEDescription": {"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": "…"}` passes.
    pub static RULE = {
        id: "dynamodb-not-cmk",
        title: "A DynamoDB table is encrypted with the AWS-owned key",
        severity: Low,
        area: Data,
        evidence: [&[dynamodb::LIST_TABLES, dynamodb::DESCRIBE_TABLE]],
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
            let Some(description) = per_resource(
                out,
                &ddb.table_descriptions,
                dynamodb::DESCRIBE_TABLE,
                name,
                table,
                &table_arn,
            ) else {
                continue;
            };
            let sse = description.sse_description.as_ref();
            let kms = sse.is_some_and(|s| {
                s.sse_type.as_deref() == Some("KMS")
                    && s.status
                        .as_deref()
                        .is_none_or(|st| st == "ENABLED" || st == "UPDATING")
            });
            if kms {
                continue;
            }
            let state = match sse {
                None => "has no SSEDescription: it is encrypted with the AWS-owned key".to_string(),
                Some(s) => format!(
                    "reports SSEDescription Status {} and SSEType {}: it is not encrypted with a KMS key of the account",
                    s.status.as_deref().unwrap_or("(none)"),
                    s.sse_type.as_deref().unwrap_or("(none)")
                ),
            };
            out.fail(Failure {
                detail: format!("The DynamoDB table {table} {state}, so no key policy or CloudTrail record governs who decrypts it."),
                evidence: json!({
                    "source": "describe-table",
                    "TableName": table,
                    "SSEDescription": sse.map(|s| json!({"Status": s.status, "SSEType": s.sse_type, "KMSMasterKeyArn": s.kms_master_key_arn})),
                }),
                remediation: format!(
                    "aws dynamodb update-table --table-name {table} --sse-specification Enabled=true,SSEType=KMS,KMSMasterKeyId=alias/dynamodb-data --region {name}"
                ),
                region: name.clone(),
                ..Failure::global(description.table_arn.clone().unwrap_or(table_arn))
            });
        }
    }
}
