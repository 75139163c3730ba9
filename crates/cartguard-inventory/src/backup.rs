//! AWS Backup: plans, the selections that assign resources to them, and the
//! resources that have recovery points.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, Timestamp, each, one};

/// `backup:ListBackupPlans`.
pub const LIST_BACKUP_PLANS: Operation = Operation::regional("backup", "ListBackupPlans");
/// `backup:ListBackupSelections`, per plan (by plan id).
pub const LIST_BACKUP_SELECTIONS: Operation =
    Operation::regional("backup", "ListBackupSelections").per("backup plan");
/// `backup:GetBackupSelection`, per selection (by selection id).
pub const GET_BACKUP_SELECTION: Operation =
    Operation::regional("backup", "GetBackupSelection").per("backup selection");
/// `backup:ListProtectedResources`.
pub const LIST_PROTECTED_RESOURCES: Operation =
    Operation::regional("backup", "ListProtectedResources");

/// Every AWS Backup operation the model holds.
pub const OPERATIONS: &[Operation] = &[
    LIST_BACKUP_PLANS,
    LIST_BACKUP_SELECTIONS,
    GET_BACKUP_SELECTION,
    LIST_PROTECTED_RESOURCES,
];

/// AWS Backup evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct BackupEvidence {
    /// `backup list-backup-plans`.
    #[serde(default)]
    pub plans: Collected<Vec<BackupPlan>>,
    /// `backup list-backup-selections`, by plan id.
    #[serde(default)]
    pub selections: BTreeMap<String, Collected<Vec<BackupSelectionSummary>>>,
    /// `backup get-backup-selection`, by selection id.
    #[serde(default)]
    pub selection_details: BTreeMap<String, Collected<BackupSelection>>,
    /// `backup list-protected-resources`.
    #[serde(default)]
    pub protected_resources: Collected<Vec<ProtectedResource>>,
}

impl BackupEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            LIST_BACKUP_PLANS => one(&self.plans),
            LIST_BACKUP_SELECTIONS => each(&self.selections),
            GET_BACKUP_SELECTION => each(&self.selection_details),
            LIST_PROTECTED_RESOURCES => one(&self.protected_resources),
            _ => return None,
        })
    }
}

/// A plan, as `backup list-backup-plans` prints it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BackupPlan {
    /// Id.
    pub backup_plan_id: String,
    /// Name.
    #[serde(default)]
    pub backup_plan_name: Option<String>,
    /// ARN.
    #[serde(default)]
    pub backup_plan_arn: Option<String>,
    /// When it was deleted, for a deleted plan still listed.
    #[serde(default, deserialize_with = "crate::wire_timestamp")]
    pub deletion_date: Option<Timestamp>,
    /// When a backup job last ran.
    #[serde(default, deserialize_with = "crate::wire_timestamp")]
    pub last_execution_date: Option<Timestamp>,
}

/// A selection of a plan, as `backup list-backup-selections` prints it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BackupSelectionSummary {
    /// Id.
    pub selection_id: String,
    /// Name.
    #[serde(default)]
    pub selection_name: Option<String>,
    /// The plan.
    #[serde(default)]
    pub backup_plan_id: Option<String>,
}

/// A selection's resource assignment, as `backup get-backup-selection` prints
/// it under `BackupSelection` (with the plan and selection ids beside it).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BackupSelection {
    /// Name.
    #[serde(default)]
    pub selection_name: Option<String>,
    /// ARNs (with `*` wildcards) of the resources assigned.
    #[serde(default)]
    pub resources: Vec<String>,
    /// ARNs (with `*` wildcards) of resources left out.
    #[serde(default)]
    pub not_resources: Vec<String>,
    /// Tag conditions of which one must match (OR).
    #[serde(default)]
    pub list_of_tags: Vec<TagCondition>,
    /// Tag conditions that must all match (AND).
    #[serde(default)]
    pub conditions: Option<SelectionConditions>,
}

/// A `ListOfTags` entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TagCondition {
    /// `STRINGEQUALS`.
    #[serde(default)]
    pub condition_type: Option<String>,
    /// The tag key (`backup` or `aws:ResourceTag/backup`).
    pub condition_key: String,
    /// The value.
    pub condition_value: String,
}

/// The `Conditions` of a selection, each list of one operator.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SelectionConditions {
    /// `StringEquals`.
    #[serde(default)]
    pub string_equals: Vec<ConditionParameter>,
    /// `StringNotEquals`.
    #[serde(default)]
    pub string_not_equals: Vec<ConditionParameter>,
    /// `StringLike` (`*` and `?` wildcards).
    #[serde(default)]
    pub string_like: Vec<ConditionParameter>,
    /// `StringNotLike`.
    #[serde(default)]
    pub string_not_like: Vec<ConditionParameter>,
}

/// One condition of `Conditions`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConditionParameter {
    /// `aws:ResourceTag/<key>`.
    pub condition_key: String,
    /// The value or pattern.
    pub condition_value: String,
}

/// A resource with recovery points, as `backup list-protected-resources` prints it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProtectedResource {
    /// ARN.
    pub resource_arn: String,
    /// `RDS`, `DynamoDB`, `EBS`, …
    #[serde(default)]
    pub resource_type: Option<String>,
    /// The latest backup.
    #[serde(default, deserialize_with = "crate::wire_timestamp")]
    pub last_backup_time: Option<Timestamp>,
}
