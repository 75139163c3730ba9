use cartguard_inventory::rds;
use serde_json::json;

use super::support::{any_region, databases, field_missing};
use crate::{Context, Emitter, Failure, declare_rule};

/// The shortest retention of automated backups that passes, in days.
const MINIMUM_DAYS: i64 = 7;

declare_rule! {
    /// ## What it checks
    /// Every RDS DB instance outside a cluster and every DB cluster must keep
    /// automated backups (`BackupRetentionPeriod`) for at least 7 days. `0` means
    /// automated backups are off. A cluster member is judged by its cluster.
    ///
    /// ## Why it matters
    /// Automated backups are what point-in-time restore rewinds to after a bad
    /// migration, a deleted table or ransomware; a day of retention is gone
    /// before a weekend incident is noticed. PCI DSS 12.10.1 expects an incident
    /// response plan that can restore the store's data.
    ///
    /// ## Severity
    /// Always medium.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws rds modify-db-instance --db-instance-identifier shop-db --backup-retention-period 14 --apply-immediately
    /// aws rds modify-db-cluster --db-cluster-identifier shop-aurora --backup-retention-period 14 --apply-immediately
    /// ```
    ///
    /// ## Example
    /// `"BackupRetentionPeriod": 1` fails, and so does `0`; `14` passes.
    pub static RULE = {
        id: "rds-backup-retention-short",
        title: "An RDS database keeps automated backups for less than 7 days",
        severity: Medium,
        area: Data,
        evidence: [&[rds::DESCRIBE_DB_INSTANCES, rds::DESCRIBE_DB_CLUSTERS]],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    if !any_region(ctx, out, "rds", "databases") {
        return;
    }
    for (name, region) in &ctx.account.regions {
        for db in databases(ctx, out, name, &region.rds) {
            let Some(days) = db.backup_retention_period else {
                field_missing(out, name, &db, "BackupRetentionPeriod");
                continue;
            };
            if days >= MINIMUM_DAYS {
                continue;
            }
            let what = if days <= 0 {
                "has automated backups turned off (BackupRetentionPeriod 0): there is no point-in-time restore".to_string()
            } else {
                format!(
                    "keeps automated backups for {days} day{} (minimum {MINIMUM_DAYS})",
                    if days == 1 { "" } else { "s" }
                )
            };
            out.fail(Failure {
                detail: format!("The {} {} {what}.", db.kind, db.id),
                evidence: db.evidence(json!({"BackupRetentionPeriod": days, "minimum_days": MINIMUM_DAYS})),
                remediation: format!(
                    "aws rds {} {} --backup-retention-period 14 --apply-immediately --region {name}",
                    db.modify_command(),
                    db.identifier_option()
                ),
                region: name.clone(),
                ..Failure::global(db.arn.clone())
            });
        }
    }
}
