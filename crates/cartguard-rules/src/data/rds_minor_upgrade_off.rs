use cartguard_inventory::rds;
use serde_json::json;

use super::support::{any_region, arn, regional};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every RDS DB instance, Aurora members included (the setting is per
    /// instance), must have `AutoMinorVersionUpgrade: true`.
    ///
    /// ## Why it matters
    /// Minor versions carry the engine's security fixes. With automatic minor
    /// upgrades off, a database stays on a version with known vulnerabilities
    /// until someone remembers to upgrade it; PCI DSS 6.3.3 asks that security
    /// patches be installed within a month of release.
    ///
    /// ## Severity
    /// Always low.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws rds modify-db-instance --db-instance-identifier shop-db --auto-minor-version-upgrade --apply-immediately
    /// ```
    ///
    /// The upgrade then happens in the instance's maintenance window.
    ///
    /// ## Example
    /// `"AutoMinorVersionUpgrade": false` fails; `true` passes.
    pub static RULE = {
        id: "rds-minor-upgrade-off",
        title: "An RDS instance does not apply minor version upgrades",
        severity: Low,
        area: Data,
        evidence: [&[rds::DESCRIBE_DB_INSTANCES]],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    if !any_region(ctx, out, "rds", "databases") {
        return;
    }
    for (name, region) in &ctx.account.regions {
        let Some(instances) = regional(
            ctx,
            out,
            name,
            &region.rds.db_instances,
            rds::DESCRIBE_DB_INSTANCES,
            "db:*",
        ) else {
            continue;
        };
        for db in instances {
            let id = &db.db_instance_identifier;
            let db_arn = db
                .db_instance_arn
                .clone()
                .unwrap_or_else(|| arn(ctx, "rds", name, &format!("db:{id}")));
            match db.auto_minor_version_upgrade {
                Some(true) => {}
                None => out.not_assessed(
                    &db_arn,
                    name,
                    format!("describe-db-instances does not give AutoMinorVersionUpgrade for the DB instance {id}"),
                ),
                Some(false) => out.fail(Failure {
                    detail: format!(
                        "The DB instance {id} ({} {}) does not install minor version upgrades automatically: engine security fixes wait for a manual upgrade.",
                        db.engine.as_deref().unwrap_or("engine unknown"),
                        db.engine_version.as_deref().unwrap_or("")
                    ).replace(" )", ")"),
                    evidence: json!({
                        "source": "describe-db-instances",
                        "DBInstanceIdentifier": id,
                        "Engine": db.engine,
                        "EngineVersion": db.engine_version,
                        "AutoMinorVersionUpgrade": false,
                    }),
                    remediation: format!(
                        "aws rds modify-db-instance --db-instance-identifier {id} --auto-minor-version-upgrade --apply-immediately --region {name}"
                    ),
                    region: name.clone(),
                    ..Failure::global(db_arn)
                }),
            }
        }
    }
}
