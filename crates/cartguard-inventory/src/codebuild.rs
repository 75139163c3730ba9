//! AWS CodeBuild: build projects and the service roles their builds run with.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, each, one};

/// `codebuild:ListProjects`.
pub const LIST_PROJECTS: Operation = Operation::regional("codebuild", "ListProjects");
/// `codebuild:BatchGetProjects`, once per project.
pub const BATCH_GET_PROJECTS: Operation =
    Operation::regional("codebuild", "BatchGetProjects").per("project");

/// Every CodeBuild operation the model holds.
pub const OPERATIONS: &[Operation] = &[LIST_PROJECTS, BATCH_GET_PROJECTS];

/// CodeBuild evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CodeBuildEvidence {
    /// `codebuild list-projects`: the projects' names.
    #[serde(default)]
    pub project_names: Collected<Vec<String>>,
    /// `codebuild batch-get-projects --names NAME`, by project name.
    #[serde(default)]
    pub projects: BTreeMap<String, Collected<Vec<Project>>>,
}

impl CodeBuildEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            LIST_PROJECTS => one(&self.project_names),
            BATCH_GET_PROJECTS => each(&self.projects),
            _ => return None,
        })
    }
}

/// A build project, as `codebuild batch-get-projects` prints it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Project {
    /// The project's name.
    pub name: String,
    /// The project's ARN.
    #[serde(default)]
    pub arn: Option<String>,
    /// The ARN of the role its builds run with.
    #[serde(default)]
    pub service_role: Option<String>,
}
