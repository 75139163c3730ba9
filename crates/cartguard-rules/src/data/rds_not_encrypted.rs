use cartguard_inventory::rds;
use serde_json::json;

use super::support::{any_region, databases, field_missing};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every RDS DB instance (`describe-db-instances`) and DB cluster
    /// (`describe-db-clusters`, Aurora and Multi-AZ clusters) must have
    /// `StorageEncrypted: true`. An instance that belongs to a cluster is judged
    /// by its cluster, where the storage lives.
    ///
    /// ## Why it matters
    /// An unencrypted database leaves orders, customer records and password
    /// hashes readable in its storage, its automated backups, its snapshots and
    /// its read replicas; a snapshot shared by mistake or copied out of the
    /// account gives them away. Encryption at rest is also what lets the key
    /// policy decide who can restore a copy. Disk encryption alone does not meet
    /// PCI DSS 3.5.1 for stored account data (see 3.5.1.2), but its absence
    /// fails it.
    ///
    /// ## Severity
    /// Always high.
    ///
    /// ## How to fix
    /// RDS cannot encrypt a running database: snapshot it, copy the snapshot
    /// with a KMS key, restore from the copy and move the application to it.
    ///
    /// ```sh
    /// aws rds create-db-snapshot --db-instance-identifier shop-db --db-snapshot-identifier shop-db-plain
    /// aws rds copy-db-snapshot --source-db-snapshot-identifier shop-db-plain \
    ///   --target-db-snapshot-identifier shop-db-encrypted --kms-key-id alias/rds-data
    /// aws rds restore-db-instance-from-db-snapshot --db-instance-identifier shop-db-2 \
    ///   --db-snapshot-identifier shop-db-encrypted
    /// ```
    ///
    /// ## Example
    /// A MySQL instance with `"StorageEncrypted": false` fails; one with
    /// `"StorageEncrypted": true` and a `KmsKeyId` passes, and so does an Aurora
    /// member whose cluster is encrypted.
    pub static RULE = {
        id: "rds-not-encrypted",
        title: "An RDS database's storage is not encrypted",
        severity: High,
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
            match db.storage_encrypted {
                Some(true) => {}
                None => field_missing(out, name, &db, "StorageEncrypted"),
                Some(false) => {
                    let (snapshot, copy, restore) = if db.cluster {
                        (
                            format!(
                                "aws rds create-db-cluster-snapshot --db-cluster-identifier {id} --db-cluster-snapshot-identifier {id}-plain --region {name}",
                                id = db.id
                            ),
                            format!(
                                "aws rds copy-db-cluster-snapshot --source-db-cluster-snapshot-identifier {id}-plain --target-db-cluster-snapshot-identifier {id}-encrypted --kms-key-id alias/rds-data --region {name}",
                                id = db.id
                            ),
                            format!(
                                "aws rds restore-db-cluster-from-snapshot --db-cluster-identifier {id}-encrypted --snapshot-identifier {id}-encrypted --engine {engine} --region {name}",
                                id = db.id,
                                engine = db.engine.unwrap_or("<engine>")
                            ),
                        )
                    } else {
                        (
                            format!(
                                "aws rds create-db-snapshot --db-instance-identifier {id} --db-snapshot-identifier {id}-plain --region {name}",
                                id = db.id
                            ),
                            format!(
                                "aws rds copy-db-snapshot --source-db-snapshot-identifier {id}-plain --target-db-snapshot-identifier {id}-encrypted --kms-key-id alias/rds-data --region {name}",
                                id = db.id
                            ),
                            format!(
                                "aws rds restore-db-instance-from-db-snapshot --db-instance-identifier {id}-encrypted --db-snapshot-identifier {id}-encrypted --region {name}",
                                id = db.id
                            ),
                        )
                    };
                    out.fail(Failure {
                        detail: format!(
                            "The {} {} stores its data unencrypted (StorageEncrypted is false): its storage, automated backups and snapshots can be read by anyone who gets a copy.",
                            db.kind, db.id
                        ),
                        evidence: db.evidence(json!({"StorageEncrypted": false})),
                        remediation: format!(
                            "Encryption cannot be turned on in place. {snapshot}; {copy}; {restore}; then point the application at the encrypted copy and delete the unencrypted database and snapshot."
                        ),
                        region: name.clone(),
                        ..Failure::global(db.arn.clone())
                    });
                }
            }
        }
    }
}
