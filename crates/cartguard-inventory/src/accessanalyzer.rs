//! IAM Access Analyzer.

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, one};

/// `access-analyzer:ListAnalyzers`.
pub const LIST_ANALYZERS: Operation = Operation::regional("access-analyzer", "ListAnalyzers");

/// Every Access Analyzer operation the model holds.
pub const OPERATIONS: &[Operation] = &[LIST_ANALYZERS];

/// Access Analyzer evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AccessAnalyzerEvidence {
    /// `accessanalyzer list-analyzers`.
    #[serde(default)]
    pub analyzers: Collected<Vec<Analyzer>>,
}

impl AccessAnalyzerEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            LIST_ANALYZERS => one(&self.analyzers),
            _ => return None,
        })
    }
}

/// An IAM Access Analyzer analyzer (`accessanalyzer list-analyzers`; camelCase).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Analyzer {
    /// ARN.
    pub arn: String,
    /// Name.
    pub name: String,
    /// `ACCOUNT`, `ORGANIZATION`, `ACCOUNT_UNUSED_ACCESS`, …
    #[serde(rename = "type")]
    pub analyzer_type: String,
    /// `ACTIVE`, `CREATING`, `DISABLED`, `FAILED`.
    #[serde(default)]
    pub status: Option<String>,
}
