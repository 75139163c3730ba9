//! AWS Secrets Manager.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, PolicyDocument, Timestamp, each, one};

/// `secretsmanager:ListSecrets`.
pub const LIST_SECRETS: Operation = Operation::regional("secretsmanager", "ListSecrets");
/// `secretsmanager:GetResourcePolicy`, per secret.
pub const GET_RESOURCE_POLICY: Operation =
    Operation::regional("secretsmanager", "GetResourcePolicy").per("secret");

/// Every Secrets Manager operation the model holds.
pub const OPERATIONS: &[Operation] = &[LIST_SECRETS, GET_RESOURCE_POLICY];

/// Secrets Manager evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SecretsManagerEvidence {
    /// `secretsmanager list-secrets`.
    #[serde(default)]
    pub secrets: Collected<Vec<Secret>>,
    /// Each secret's resource policy (`get-resource-policy`), by secret name;
    /// `None` when the secret has none.
    #[serde(default)]
    pub resource_policies: BTreeMap<String, Collected<Option<PolicyDocument>>>,
}

impl SecretsManagerEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            LIST_SECRETS => one(&self.secrets),
            GET_RESOURCE_POLICY => each(&self.resource_policies),
            _ => return None,
        })
    }
}

/// A Secrets Manager secret, as `secretsmanager list-secrets` prints it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Secret {
    /// ARN.
    #[serde(rename = "ARN")]
    pub arn: String,
    /// Name.
    #[serde(rename = "Name", default)]
    pub name: Option<String>,
    /// Whether rotation is turned on (AWS leaves it out when it never was).
    #[serde(rename = "RotationEnabled", default)]
    pub rotation_enabled: Option<bool>,
    /// The Lambda function that rotates it.
    #[serde(rename = "RotationLambdaARN", default)]
    pub rotation_lambda_arn: Option<String>,
    /// The rotation schedule.
    #[serde(rename = "RotationRules", default)]
    pub rotation_rules: Option<RotationRules>,
    /// When it was last rotated.
    #[serde(
        rename = "LastRotatedDate",
        default,
        deserialize_with = "crate::wire_timestamp"
    )]
    pub last_rotated_date: Option<Timestamp>,
    /// When its value or settings last changed.
    #[serde(
        rename = "LastChangedDate",
        default,
        deserialize_with = "crate::wire_timestamp"
    )]
    pub last_changed_date: Option<Timestamp>,
    /// When it was created.
    #[serde(
        rename = "CreatedDate",
        default,
        deserialize_with = "crate::wire_timestamp"
    )]
    pub created_date: Option<Timestamp>,
    /// The next scheduled rotation.
    #[serde(
        rename = "NextRotationDate",
        default,
        deserialize_with = "crate::wire_timestamp"
    )]
    pub next_rotation_date: Option<Timestamp>,
    /// The AWS service that manages it (`rds` for a database's master password).
    #[serde(rename = "OwningService", default)]
    pub owning_service: Option<String>,
    /// When it is scheduled for deletion.
    #[serde(
        rename = "DeletedDate",
        default,
        deserialize_with = "crate::wire_timestamp"
    )]
    pub deleted_date: Option<Timestamp>,
}

/// A secret's rotation schedule.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RotationRules {
    /// Days between rotations.
    #[serde(default)]
    pub automatically_after_days: Option<i64>,
    /// A `rate()` or `cron()` schedule.
    #[serde(default)]
    pub schedule_expression: Option<String>,
}
