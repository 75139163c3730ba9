//! AWS Lambda: functions (with their environment variables and roles) and
//! their resource-based policies.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, PolicyDocument, each, one};

/// `lambda:ListFunctions`.
pub const LIST_FUNCTIONS: Operation = Operation::regional("lambda", "ListFunctions");
/// `lambda:GetPolicy`, per function.
pub const GET_POLICY: Operation = Operation::regional("lambda", "GetPolicy").per("function");

/// Every AWS Lambda operation the model holds.
pub const OPERATIONS: &[Operation] = &[LIST_FUNCTIONS, GET_POLICY];

/// AWS Lambda evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LambdaEvidence {
    /// `lambda list-functions`.
    #[serde(default)]
    pub functions: Collected<Vec<Function>>,
    /// Each function's resource-based policy (`lambda get-policy`), by
    /// function name; not configured when the function has none.
    #[serde(default)]
    pub policies: BTreeMap<String, Collected<PolicyDocument>>,
}

impl LambdaEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            LIST_FUNCTIONS => one(&self.functions),
            GET_POLICY => each(&self.policies),
            _ => return None,
        })
    }
}

/// A function, as `lambda list-functions` prints it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Function {
    /// Name.
    pub function_name: String,
    /// ARN.
    #[serde(default)]
    pub function_arn: Option<String>,
    /// Runtime (`nodejs20.x`, …).
    #[serde(default)]
    pub runtime: Option<String>,
    /// The execution role.
    #[serde(default)]
    pub role: Option<String>,
    /// Environment variables.
    #[serde(default)]
    pub environment: Option<FunctionEnvironment>,
    /// The KMS key that encrypts the environment at rest.
    #[serde(rename = "KMSKeyArn", default)]
    pub kms_key_arn: Option<String>,
}

/// A function's environment.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FunctionEnvironment {
    /// Name → value.
    #[serde(default)]
    pub variables: BTreeMap<String, String>,
}
