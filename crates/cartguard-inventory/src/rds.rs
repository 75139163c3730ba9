//! RDS database instances.

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, Tag, one};

/// `rds:DescribeDBInstances`.
pub const DESCRIBE_DB_INSTANCES: Operation = Operation::regional("rds", "DescribeDBInstances");

/// `rds:DescribeDBClusters` (Aurora and Multi-AZ DB clusters).
pub const DESCRIBE_DB_CLUSTERS: Operation = Operation::regional("rds", "DescribeDBClusters");

/// Every RDS operation the model holds.
pub const OPERATIONS: &[Operation] = &[DESCRIBE_DB_INSTANCES, DESCRIBE_DB_CLUSTERS];

/// RDS evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RdsEvidence {
    /// `describe-db-instances`.
    #[serde(default)]
    pub db_instances: Collected<Vec<DbInstance>>,
    /// `describe-db-clusters`.
    #[serde(default)]
    pub db_clusters: Collected<Vec<DbCluster>>,
}

impl RdsEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            DESCRIBE_DB_INSTANCES => one(&self.db_instances),
            DESCRIBE_DB_CLUSTERS => one(&self.db_clusters),
            _ => return None,
        })
    }
}

/// An RDS database instance.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DbInstance {
    /// Identifier.
    #[serde(rename = "DBInstanceIdentifier")]
    pub db_instance_identifier: String,
    /// ARN.
    #[serde(rename = "DBInstanceArn", default)]
    pub db_instance_arn: Option<String>,
    /// Engine (`mysql`, `postgres`, `aurora-mysql`, …).
    #[serde(rename = "Engine", default)]
    pub engine: Option<String>,
    /// Engine version.
    #[serde(rename = "EngineVersion", default)]
    pub engine_version: Option<String>,
    /// Whether AWS gives it a public DNS name (omitted by some endpoints).
    #[serde(rename = "PubliclyAccessible", default)]
    pub publicly_accessible: Option<bool>,
    /// Storage encryption.
    #[serde(rename = "StorageEncrypted", default)]
    pub storage_encrypted: Option<bool>,
    /// KMS key of the storage encryption.
    #[serde(rename = "KmsKeyId", default)]
    pub kms_key_id: Option<String>,
    /// Days automated backups are kept (0 = off).
    #[serde(rename = "BackupRetentionPeriod", default)]
    pub backup_retention_period: Option<i64>,
    /// Deletion protection.
    #[serde(rename = "DeletionProtection", default)]
    pub deletion_protection: Option<bool>,
    /// Automatic minor version upgrades.
    #[serde(rename = "AutoMinorVersionUpgrade", default)]
    pub auto_minor_version_upgrade: Option<bool>,
    /// Connection endpoint.
    #[serde(rename = "Endpoint", default)]
    pub endpoint: Option<DbEndpoint>,
    /// Listening port when no endpoint is reported.
    #[serde(rename = "DbInstancePort", default)]
    pub db_instance_port: Option<i64>,
    /// Security groups.
    #[serde(rename = "VpcSecurityGroups", default)]
    pub vpc_security_groups: Vec<VpcSecurityGroupMembership>,
    /// Subnet group.
    #[serde(rename = "DBSubnetGroup", default)]
    pub db_subnet_group: Option<DbSubnetGroup>,
    /// The cluster the instance is a member of (Aurora, Multi-AZ DB clusters):
    /// its storage, backups and deletion protection are the cluster's.
    #[serde(rename = "DBClusterIdentifier", default)]
    pub db_cluster_identifier: Option<String>,
    /// Tags.
    #[serde(rename = "TagList", default)]
    pub tag_list: Vec<Tag>,
}

impl DbInstance {
    /// The port the database listens on, if known.
    pub fn port(&self) -> Option<i64> {
        self.endpoint
            .as_ref()
            .and_then(|e| e.port)
            .or(self.db_instance_port.filter(|p| *p > 0))
    }
}

/// An RDS endpoint.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DbEndpoint {
    /// DNS name.
    #[serde(default)]
    pub address: Option<String>,
    /// Port.
    #[serde(default)]
    pub port: Option<i64>,
}

/// A security group membership of a database.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcSecurityGroupMembership {
    /// `sg-…`.
    pub vpc_security_group_id: String,
    /// `active`, …
    #[serde(default)]
    pub status: Option<String>,
}

/// A DB subnet group.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DbSubnetGroup {
    /// Name.
    #[serde(rename = "DBSubnetGroupName", default)]
    pub db_subnet_group_name: Option<String>,
    /// VPC.
    #[serde(rename = "VpcId", default)]
    pub vpc_id: Option<String>,
    /// Subnets.
    #[serde(rename = "Subnets", default)]
    pub subnets: Vec<DbSubnet>,
}

/// A subnet of a DB subnet group.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DbSubnet {
    /// `subnet-…`.
    pub subnet_identifier: String,
}

/// An RDS DB cluster (Aurora or Multi-AZ), as `rds describe-db-clusters` prints it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DbCluster {
    /// Identifier.
    #[serde(rename = "DBClusterIdentifier")]
    pub db_cluster_identifier: String,
    /// ARN.
    #[serde(rename = "DBClusterArn", default)]
    pub db_cluster_arn: Option<String>,
    /// Engine (`aurora-mysql`, `aurora-postgresql`, `mysql`, …).
    #[serde(rename = "Engine", default)]
    pub engine: Option<String>,
    /// Storage encryption.
    #[serde(rename = "StorageEncrypted", default)]
    pub storage_encrypted: Option<bool>,
    /// KMS key of the storage encryption.
    #[serde(rename = "KmsKeyId", default)]
    pub kms_key_id: Option<String>,
    /// Days automated backups are kept.
    #[serde(rename = "BackupRetentionPeriod", default)]
    pub backup_retention_period: Option<i64>,
    /// Deletion protection.
    #[serde(rename = "DeletionProtection", default)]
    pub deletion_protection: Option<bool>,
    /// The member instances.
    #[serde(rename = "DBClusterMembers", default)]
    pub db_cluster_members: Vec<DbClusterMember>,
    /// Tags.
    #[serde(rename = "TagList", default)]
    pub tag_list: Vec<Tag>,
}

/// A member instance of a DB cluster.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DbClusterMember {
    /// The instance's identifier.
    #[serde(rename = "DBInstanceIdentifier")]
    pub db_instance_identifier: String,
    /// Whether it is the writer.
    #[serde(rename = "IsClusterWriter", default)]
    pub is_cluster_writer: Option<bool>,
}
