//! Amazon DynamoDB.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, each, one};

/// `dynamodb:ListTables`.
pub const LIST_TABLES: Operation = Operation::regional("dynamodb", "ListTables");
/// `dynamodb:DescribeTable`, per table.
pub const DESCRIBE_TABLE: Operation = Operation::regional("dynamodb", "DescribeTable").per("table");
/// `dynamodb:DescribeContinuousBackups`, per table.
pub const DESCRIBE_CONTINUOUS_BACKUPS: Operation =
    Operation::regional("dynamodb", "DescribeContinuousBackups").per("table");

/// Every DynamoDB operation the model holds.
pub const OPERATIONS: &[Operation] = &[LIST_TABLES, DESCRIBE_TABLE, DESCRIBE_CONTINUOUS_BACKUPS];

/// DynamoDB evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DynamoDbEvidence {
    /// `dynamodb list-tables`: the table names.
    #[serde(default)]
    pub tables: Collected<Vec<String>>,
    /// `dynamodb describe-table`, by table name.
    #[serde(default)]
    pub table_descriptions: BTreeMap<String, Collected<TableDescription>>,
    /// `dynamodb describe-continuous-backups`, by table name.
    #[serde(default)]
    pub continuous_backups: BTreeMap<String, Collected<ContinuousBackupsDescription>>,
}

impl DynamoDbEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            LIST_TABLES => one(&self.tables),
            DESCRIBE_TABLE => each(&self.table_descriptions),
            DESCRIBE_CONTINUOUS_BACKUPS => each(&self.continuous_backups),
            _ => return None,
        })
    }
}

/// A table, as `dynamodb describe-table` prints it under `Table`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TableDescription {
    /// Name.
    pub table_name: String,
    /// ARN.
    #[serde(default)]
    pub table_arn: Option<String>,
    /// `ACTIVE`, `CREATING`, …
    #[serde(default)]
    pub table_status: Option<String>,
    /// Encryption at rest; AWS leaves it out when the table uses the
    /// AWS-owned key.
    #[serde(rename = "SSEDescription", default)]
    pub sse_description: Option<SseDescription>,
}

/// A table's encryption at rest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SseDescription {
    /// `ENABLED`, `ENABLING`, `DISABLED`, `DISABLING`, `UPDATING`.
    #[serde(rename = "Status", default)]
    pub status: Option<String>,
    /// `KMS` (a KMS key in the account) or `AES256`.
    #[serde(rename = "SSEType", default)]
    pub sse_type: Option<String>,
    /// The KMS key.
    #[serde(rename = "KMSMasterKeyArn", default)]
    pub kms_master_key_arn: Option<String>,
}

/// A table's backups, as `dynamodb describe-continuous-backups` prints it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContinuousBackupsDescription {
    /// `ENABLED` or `DISABLED`.
    #[serde(default)]
    pub continuous_backups_status: Option<String>,
    /// Point-in-time recovery.
    #[serde(default)]
    pub point_in_time_recovery_description: Option<PointInTimeRecoveryDescription>,
}

/// Point-in-time recovery of a table.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PointInTimeRecoveryDescription {
    /// `ENABLED` or `DISABLED`.
    #[serde(default)]
    pub point_in_time_recovery_status: Option<String>,
    /// Days of recovery kept (1–35).
    #[serde(default)]
    pub recovery_period_in_days: Option<i64>,
}
