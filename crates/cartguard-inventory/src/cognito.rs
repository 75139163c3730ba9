//! Amazon Cognito user pools and their MFA configuration.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, each, one};

/// `cognito-idp:ListUserPools`.
pub const LIST_USER_POOLS: Operation = Operation::regional("cognito-idp", "ListUserPools");
/// `cognito-idp:DescribeUserPool`, per user pool.
pub const DESCRIBE_USER_POOL: Operation =
    Operation::regional("cognito-idp", "DescribeUserPool").per("user pool");

/// Every Amazon Cognito user pools operation the model holds.
pub const OPERATIONS: &[Operation] = &[LIST_USER_POOLS, DESCRIBE_USER_POOL];

/// Amazon Cognito user pools evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CognitoEvidence {
    /// `cognito-idp list-user-pools`.
    #[serde(default)]
    pub user_pools: Collected<Vec<UserPoolSummary>>,
    /// `cognito-idp describe-user-pool`, per user pool id.
    #[serde(default)]
    pub user_pool_details: BTreeMap<String, Collected<UserPool>>,
}

impl CognitoEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            LIST_USER_POOLS => one(&self.user_pools),
            DESCRIBE_USER_POOL => each(&self.user_pool_details),
            _ => return None,
        })
    }
}

/// A user pool as `list-user-pools` prints it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolSummary {
    /// Id (`eu-west-1_AbC123dEf`).
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
}

/// A user pool as `describe-user-pool` prints it (under `UserPool`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPool {
    /// Id.
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// ARN.
    #[serde(default)]
    pub arn: Option<String>,
    /// `OFF`, `ON` or `OPTIONAL`.
    #[serde(default)]
    pub mfa_configuration: Option<String>,
    /// Tags.
    #[serde(default)]
    pub user_pool_tags: BTreeMap<String, String>,
    /// Who may create users.
    #[serde(default)]
    pub admin_create_user_config: Option<AdminCreateUserConfig>,
    /// About how many users the pool holds.
    #[serde(default)]
    pub estimated_number_of_users: Option<i64>,
}

/// Who may create users in a pool.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminCreateUserConfig {
    /// Whether only administrators create users (no self sign-up).
    #[serde(default)]
    pub allow_admin_create_user_only: Option<bool>,
}
