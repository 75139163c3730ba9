//! What the data rules share: reading regional and per-resource evidence,
//! ARNs, the databases of a region (instances and clusters) and the wording
//! of credentials found in configuration.

use std::collections::BTreeMap;

use cartguard_files::credentials::Credential;
use cartguard_inventory::{Collected, Operation, Tag, rds};
use serde_json::{Value, json};

use crate::{Context, Emitter};

/// The ARN of a resource of the account.
pub(crate) fn arn(ctx: &Context, service: &str, region: &str, resource: &str) -> String {
    format!("arn:aws:{service}:{region}:{}:{resource}", ctx.account.id)
}

/// Whether any region was collected; if none, reports the rule not assessed
/// for the whole account.
pub(crate) fn any_region(ctx: &Context, out: &mut Emitter, service: &str, what: &str) -> bool {
    if ctx.account.regions.is_empty() {
        out.not_assessed(
            &format!("arn:aws:{service}:*:{}:*", ctx.account.id),
            "all",
            format!("no regional evidence was collected, so the account's {what} are unknown"),
        );
        return false;
    }
    true
}

/// Regional evidence, or `None` after reporting every resource of the kind in
/// the region (`resource`: the ARN's resource part for "all of them") not assessed.
pub(crate) fn regional<'c, T>(
    ctx: &Context,
    out: &mut Emitter,
    region: &str,
    collected: &'c Collected<T>,
    operation: Operation,
    resource: &str,
) -> Option<&'c T> {
    out.require(
        collected,
        &operation.key(region),
        &arn(ctx, operation.service, region, resource),
        region,
    )
}

/// The answer of a per-resource call about `name`, or `None` after reporting
/// `resource_arn` not assessed.
pub(crate) fn per_resource<'c, T>(
    out: &mut Emitter,
    answers: &'c BTreeMap<String, Collected<T>>,
    operation: Operation,
    region: &str,
    name: &str,
    resource_arn: &str,
) -> Option<&'c T> {
    let key = operation.about(region, name);
    match answers.get(name) {
        Some(collected) => out.require(collected, &key, resource_arn, region),
        None => {
            out.require(&Collected::<T>::NotCollected, &key, resource_arn, region);
            None
        }
    }
}

/// An RDS database as the rules judge it: a DB instance outside any cluster,
/// or a DB cluster (whose members share its storage, backups and deletion
/// protection).
pub(crate) struct Database<'a> {
    /// `DB instance` or `DB cluster`.
    pub(crate) kind: &'static str,
    /// Identifier.
    pub(crate) id: &'a str,
    /// ARN.
    pub(crate) arn: String,
    /// Whether it is a cluster.
    pub(crate) cluster: bool,
    /// Engine.
    pub(crate) engine: Option<&'a str>,
    /// `StorageEncrypted`.
    pub(crate) storage_encrypted: Option<bool>,
    /// `BackupRetentionPeriod`.
    pub(crate) backup_retention_period: Option<i64>,
    /// `DeletionProtection`.
    pub(crate) deletion_protection: Option<bool>,
    /// Tags.
    pub(crate) tags: &'a [Tag],
    /// Member instances of a cluster.
    pub(crate) members: Vec<&'a str>,
}

impl Database<'_> {
    /// The call whose output holds it.
    pub(crate) fn source(&self) -> &'static str {
        if self.cluster {
            "describe-db-clusters"
        } else {
            "describe-db-instances"
        }
    }

    /// The evidence of a finding: the call, the database and `fields`.
    pub(crate) fn evidence(&self, fields: Value) -> Value {
        let mut evidence = json!({"source": self.source()});
        let id_key = if self.cluster {
            "DBClusterIdentifier"
        } else {
            "DBInstanceIdentifier"
        };
        evidence[id_key] = json!(self.id);
        if let Some(engine) = self.engine {
            evidence["Engine"] = json!(engine);
        }
        if !self.members.is_empty() {
            evidence["DBClusterMembers"] = json!(self.members);
        }
        if let Value::Object(fields) = fields {
            for (k, v) in fields {
                evidence[k] = v;
            }
        }
        evidence
    }

    /// `--db-instance-identifier X` or `--db-cluster-identifier X`.
    pub(crate) fn identifier_option(&self) -> String {
        if self.cluster {
            format!("--db-cluster-identifier {}", self.id)
        } else {
            format!("--db-instance-identifier {}", self.id)
        }
    }

    /// `modify-db-instance` or `modify-db-cluster`.
    pub(crate) fn modify_command(&self) -> &'static str {
        if self.cluster {
            "modify-db-cluster"
        } else {
            "modify-db-instance"
        }
    }
}

/// The RDS databases of `region` that the evidence shows: DB instances outside
/// clusters, and DB clusters. What cannot be read is reported not assessed:
/// every database when the instances were not collected, every cluster and
/// each cluster member when the clusters were not.
pub(crate) fn databases<'a>(
    ctx: &Context,
    out: &mut Emitter,
    region: &str,
    evidence: &'a rds::RdsEvidence,
) -> Vec<Database<'a>> {
    let mut found = Vec::new();
    let instances = regional(
        ctx,
        out,
        region,
        &evidence.db_instances,
        rds::DESCRIBE_DB_INSTANCES,
        "db:*",
    );
    let clusters = regional(
        ctx,
        out,
        region,
        &evidence.db_clusters,
        rds::DESCRIBE_DB_CLUSTERS,
        "cluster:*",
    );
    for db in instances.into_iter().flatten() {
        let db_arn = db.db_instance_arn.clone().unwrap_or_else(|| {
            arn(
                ctx,
                "rds",
                region,
                &format!("db:{}", db.db_instance_identifier),
            )
        });
        if let Some(cluster) = &db.db_cluster_identifier {
            // A member is judged through its cluster.
            let listed =
                clusters.is_some_and(|cs| cs.iter().any(|c| &c.db_cluster_identifier == cluster));
            if clusters.is_some() && !listed {
                out.not_assessed(
                    &db_arn,
                    region,
                    format!(
                        "{} is a member of the DB cluster {cluster}, which rds:DescribeDBClusters in {region} does not list",
                        db.db_instance_identifier
                    ),
                );
            } else if clusters.is_none() {
                let key = rds::DESCRIBE_DB_CLUSTERS.key(region);
                let reason = evidence
                    .db_clusters
                    .unavailable_reason(&key)
                    .unwrap_or_else(|| format!("{key}: AWS answered that it is not configured"));
                out.not_assessed(
                    &db_arn,
                    region,
                    format!(
                        "{} is a member of the DB cluster {cluster}, whose storage, backups and deletion protection are the cluster's, and {reason}",
                        db.db_instance_identifier
                    ),
                );
            }
            continue;
        }
        found.push(Database {
            kind: "DB instance",
            id: &db.db_instance_identifier,
            arn: db_arn,
            cluster: false,
            engine: db.engine.as_deref(),
            storage_encrypted: db.storage_encrypted,
            backup_retention_period: db.backup_retention_period,
            deletion_protection: db.deletion_protection,
            tags: &db.tag_list,
            members: Vec::new(),
        });
    }
    for cluster in clusters.into_iter().flatten() {
        found.push(Database {
            kind: "DB cluster",
            id: &cluster.db_cluster_identifier,
            arn: cluster.db_cluster_arn.clone().unwrap_or_else(|| {
                arn(
                    ctx,
                    "rds",
                    region,
                    &format!("cluster:{}", cluster.db_cluster_identifier),
                )
            }),
            cluster: true,
            engine: cluster.engine.as_deref(),
            storage_encrypted: cluster.storage_encrypted,
            backup_retention_period: cluster.backup_retention_period,
            deletion_protection: cluster.deletion_protection,
            tags: &cluster.tag_list,
            members: cluster
                .db_cluster_members
                .iter()
                .map(|m| m.db_instance_identifier.as_str())
                .collect(),
        });
    }
    found
}

/// Reports a database not assessed because `field` is missing from its description.
pub(crate) fn field_missing(out: &mut Emitter, region: &str, db: &Database, field: &str) {
    out.not_assessed(
        &db.arn,
        region,
        format!(
            "{} does not give {field} for the {} {}",
            db.source(),
            db.kind,
            db.id
        ),
    );
}

/// The evidence of a credential found in a variable: never its value.
pub(crate) fn credential_evidence(variable: &str, credential: &Credential) -> Value {
    json!({
        "variable": variable,
        "kind": credential.kind,
        "recognised_by": credential.basis,
        "value_redacted": credential.redacted,
    })
}
