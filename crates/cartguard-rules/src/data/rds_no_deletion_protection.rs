use cartguard_inventory::rds;
use serde_json::json;

use super::support::{any_region, databases, field_missing};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every RDS DB instance outside a cluster and every DB cluster must have
    /// `DeletionProtection: true`. A cluster member is judged by its cluster,
    /// which is what a deletion removes.
    ///
    /// ## Why it matters
    /// Without it, one API call — a mistaken `terraform destroy`, a script run
    /// against the wrong account, a stolen key — deletes the store's database;
    /// with it, the setting must be turned off first, a second deliberate step
    /// that CloudTrail records.
    ///
    /// ## Severity
    /// Always low.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws rds modify-db-instance --db-instance-identifier shop-db --deletion-protection --apply-immediately
    /// aws rds modify-db-cluster --db-cluster-identifier shop-aurora --deletion-protection --apply-immediately
    /// ```
    ///
    /// ## Example
    /// `"DeletionProtection": false` fails; `true` passes.
    pub static RULE = {
        id: "rds-no-deletion-protection",
        title: "An RDS database has no deletion protection",
        severity: Low,
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
            match db.deletion_protection {
                Some(true) => {}
                None => field_missing(out, name, &db, "DeletionProtection"),
                Some(false) => out.fail(Failure {
                    detail: format!(
                        "The {} {} has deletion protection off: a single delete call removes it.",
                        db.kind, db.id
                    ),
                    evidence: db.evidence(json!({"DeletionProtection": false})),
                    remediation: format!(
                        "aws rds {} {} --deletion-protection --apply-immediately --region {name}",
                        db.modify_command(),
                        db.identifier_option()
                    ),
                    region: name.clone(),
                    ..Failure::global(db.arn.clone())
                }),
            }
        }
    }
}
