//! Amazon ECS: task definitions and how their containers receive settings.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, each, one};

/// `ecs:ListTaskDefinitions` (active revisions).
pub const LIST_TASK_DEFINITIONS: Operation = Operation::regional("ecs", "ListTaskDefinitions");
/// `ecs:DescribeTaskDefinition`, per task definition (`family:revision`).
pub const DESCRIBE_TASK_DEFINITION: Operation =
    Operation::regional("ecs", "DescribeTaskDefinition").per("task definition");

/// Every Amazon ECS operation the model holds.
pub const OPERATIONS: &[Operation] = &[LIST_TASK_DEFINITIONS, DESCRIBE_TASK_DEFINITION];

/// Amazon ECS evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EcsEvidence {
    /// `ecs list-task-definitions`: the ARNs of the active revisions.
    #[serde(default)]
    pub task_definition_arns: Collected<Vec<String>>,
    /// `ecs describe-task-definition`, by `family:revision`.
    #[serde(default)]
    pub task_definitions: BTreeMap<String, Collected<TaskDefinition>>,
}

impl EcsEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            LIST_TASK_DEFINITIONS => one(&self.task_definition_arns),
            DESCRIBE_TASK_DEFINITION => each(&self.task_definitions),
            _ => return None,
        })
    }
}

/// `family:revision` of a task definition ARN
/// (`arn:aws:ecs:eu-west-1:111122223333:task-definition/shop-web:7`).
pub fn family_revision(arn: &str) -> &str {
    arn.rsplit_once("task-definition/")
        .map_or(arn, |(_, rest)| rest)
}

/// A task definition, as `ecs describe-task-definition` prints it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskDefinition {
    /// ARN.
    #[serde(default)]
    pub task_definition_arn: Option<String>,
    /// Family.
    #[serde(default)]
    pub family: Option<String>,
    /// Revision.
    #[serde(default)]
    pub revision: Option<i64>,
    /// `ACTIVE` or `INACTIVE`.
    #[serde(default)]
    pub status: Option<String>,
    /// The role the containers act with.
    #[serde(default)]
    pub task_role_arn: Option<String>,
    /// The role ECS uses to pull images and fetch `secrets`.
    #[serde(default)]
    pub execution_role_arn: Option<String>,
    /// The containers.
    #[serde(default)]
    pub container_definitions: Vec<ContainerDefinition>,
}

/// A container of a task definition.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerDefinition {
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Image.
    #[serde(default)]
    pub image: Option<String>,
    /// Plain environment variables, stored in the task definition.
    #[serde(default)]
    pub environment: Vec<KeyValuePair>,
    /// Variables fetched from Secrets Manager or Parameter Store at start.
    #[serde(default)]
    pub secrets: Vec<ContainerSecret>,
}

/// A plain environment variable.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyValuePair {
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Value.
    #[serde(default)]
    pub value: Option<String>,
}

/// A variable taken from a secret store.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerSecret {
    /// Name.
    pub name: String,
    /// The secret or parameter ARN.
    pub value_from: String,
}
