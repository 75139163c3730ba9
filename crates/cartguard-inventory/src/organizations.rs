//! AWS Organizations: the organization, its accounts, and the service control
//! and resource control policies that apply to the account.

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, PolicyDocument, one};

/// `organizations:DescribeOrganization`.
pub const DESCRIBE_ORGANIZATION: Operation =
    Operation::account("organizations", "DescribeOrganization");
/// `organizations:ListAccounts`.
pub const LIST_ACCOUNTS: Operation = Operation::account("organizations", "ListAccounts");
/// `organizations:ListParents`, from the account up to the root.
pub const LIST_PARENTS: Operation =
    Operation::account("organizations", "ListParents").per("organization node");
/// `organizations:ListPoliciesForTarget` (service control policies), per node
/// from the root down to the account.
pub const LIST_POLICIES_FOR_TARGET: Operation =
    Operation::account("organizations", "ListPoliciesForTarget").per("organization node");
/// `organizations:ListPoliciesForTarget` with the filter
/// `RESOURCE_CONTROL_POLICY`, per node from the root down to the account: the
/// same call as [`LIST_POLICIES_FOR_TARGET`] asked for the other policy type,
/// so its answers are kept apart.
pub const LIST_RESOURCE_CONTROL_POLICIES_FOR_TARGET: Operation = Operation::account(
    "organizations",
    "ListPoliciesForTarget (resource control policies)",
)
.per("organization node");
/// `organizations:DescribePolicy`, per attached policy.
pub const DESCRIBE_POLICY: Operation =
    Operation::account("organizations", "DescribePolicy").per("policy");

/// Every Organizations operation the model holds.
pub const OPERATIONS: &[Operation] = &[
    DESCRIBE_ORGANIZATION,
    LIST_ACCOUNTS,
    LIST_PARENTS,
    LIST_POLICIES_FOR_TARGET,
    LIST_RESOURCE_CONTROL_POLICIES_FOR_TARGET,
    DESCRIBE_POLICY,
];

/// The account's organization evidence.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OrganizationsEvidence {
    /// `organizations describe-organization`: the organization the account is
    /// in; `NotConfigured` when it is in none.
    #[serde(default)]
    pub organization: Collected<Organization>,
    /// `organizations list-accounts`: the organization's accounts (readable from
    /// the management account or a delegated administrator).
    #[serde(default)]
    pub accounts: Collected<Vec<OrganizationAccount>>,
    /// The service control policies that apply to the account, one level per
    /// node from the organization root down to the account (read through
    /// `list-parents`, `list-policies-for-target` and `describe-policy`);
    /// `NotConfigured` when the account is the organization's management
    /// account (SCPs do not apply) or in no organization.
    #[serde(default)]
    pub service_control_policies: Collected<Vec<ScpLevel>>,
    /// The resource control policies that apply to the account's resources,
    /// one level per node from the root down to the account (read through
    /// `list-parents`, `list-policies-for-target --filter
    /// RESOURCE_CONTROL_POLICY` and `describe-policy`; each level has the
    /// shape of an SCP level); `NotConfigured` when the account is the
    /// management account (RCPs do not apply to its resources) or in no
    /// organization.
    #[serde(default)]
    pub resource_control_policies: Collected<Vec<ScpLevel>>,
}

impl OrganizationsEvidence {
    /// What the evidence holds for `operation`. The chain of parents and the
    /// policy documents are folded into the service control policies.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            DESCRIBE_ORGANIZATION => one(&self.organization),
            LIST_ACCOUNTS => one(&self.accounts),
            LIST_POLICIES_FOR_TARGET => one(&self.service_control_policies),
            LIST_RESOURCE_CONTROL_POLICIES_FOR_TARGET => one(&self.resource_control_policies),
            _ => return None,
        })
    }
}

/// An AWS Organizations organization, as `describe-organization` prints it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Organization {
    /// `o-…`.
    pub id: String,
    /// ARN.
    #[serde(default)]
    pub arn: Option<String>,
    /// The management account's id.
    #[serde(default)]
    pub master_account_id: Option<String>,
}

/// One account of the organization, as `list-accounts` prints it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OrganizationAccount {
    /// The 12-digit account id.
    pub id: String,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// `ACTIVE`, `SUSPENDED`, …
    #[serde(default)]
    pub status: Option<String>,
}

/// The SCPs (or RCPs) attached to one node of the organization (root, OU or
/// the account).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScpLevel {
    /// The node's id (`r-…`, `ou-…` or the account id).
    pub target_id: String,
    /// The policies attached there.
    pub policies: Vec<ServiceControlPolicy>,
}

/// One service control policy (or resource control policy: same shape).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServiceControlPolicy {
    /// `p-…`.
    pub id: String,
    /// Name.
    pub name: String,
    /// ARN.
    pub arn: Option<String>,
    /// The policy document.
    pub document: PolicyDocument,
}
