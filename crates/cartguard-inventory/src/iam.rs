//! IAM: users, groups, roles, policies, credentials and account settings.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, PolicyDocument, Tag, Timestamp, each, one};

/// `iam:GetAccountAuthorizationDetails`: users, groups, roles and policies.
pub const GET_ACCOUNT_AUTHORIZATION_DETAILS: Operation =
    Operation::account("iam", "GetAccountAuthorizationDetails");
/// `iam:GetCredentialReport` (after `iam:GenerateCredentialReport`).
pub const GET_CREDENTIAL_REPORT: Operation = Operation::account("iam", "GetCredentialReport");
/// `iam:GetAccountSummary`.
pub const GET_ACCOUNT_SUMMARY: Operation = Operation::account("iam", "GetAccountSummary");
/// `iam:GetAccountPasswordPolicy`.
pub const GET_ACCOUNT_PASSWORD_POLICY: Operation =
    Operation::account("iam", "GetAccountPasswordPolicy");
/// `iam:ListVirtualMFADevices`.
pub const LIST_VIRTUAL_MFA_DEVICES: Operation = Operation::account("iam", "ListVirtualMFADevices");
/// `iam:ListOpenIDConnectProviders`.
pub const LIST_OPEN_ID_CONNECT_PROVIDERS: Operation =
    Operation::account("iam", "ListOpenIDConnectProviders");
/// `iam:ListAccessKeys`, per user.
pub const LIST_ACCESS_KEYS: Operation = Operation::account("iam", "ListAccessKeys").per("user");

/// Every IAM operation the model holds.
pub const OPERATIONS: &[Operation] = &[
    GET_ACCOUNT_AUTHORIZATION_DETAILS,
    GET_CREDENTIAL_REPORT,
    GET_ACCOUNT_SUMMARY,
    GET_ACCOUNT_PASSWORD_POLICY,
    LIST_VIRTUAL_MFA_DEVICES,
    LIST_OPEN_ID_CONNECT_PROVIDERS,
    LIST_ACCESS_KEYS,
];

/// Account-wide IAM evidence.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IamEvidence {
    /// `iam get-account-authorization-details`.
    #[serde(default)]
    pub authorization_details: Collected<AuthorizationDetails>,
    /// `iam get-credential-report`, decoded.
    #[serde(default)]
    pub credential_report: Collected<CredentialReport>,
    /// `iam get-account-summary` (`SummaryMap`).
    #[serde(default)]
    pub account_summary: Collected<BTreeMap<String, i64>>,
    /// `iam get-account-password-policy`; `NotConfigured` when there is none.
    #[serde(default)]
    pub password_policy: Collected<PasswordPolicy>,
    /// `iam list-virtual-mfa-devices`.
    #[serde(default)]
    pub virtual_mfa_devices: Collected<Vec<VirtualMfaDevice>>,
    /// `iam list-open-id-connect-providers`.
    #[serde(default)]
    pub oidc_providers: Collected<Vec<OidcProviderRef>>,
    /// `iam list-access-keys`, per user name.
    #[serde(default)]
    pub access_keys: BTreeMap<String, Collected<Vec<AccessKeyMetadata>>>,
}

impl IamEvidence {
    /// What the evidence holds for `operation`: one answer, or one per user.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            GET_ACCOUNT_AUTHORIZATION_DETAILS => one(&self.authorization_details),
            GET_CREDENTIAL_REPORT => one(&self.credential_report),
            GET_ACCOUNT_SUMMARY => one(&self.account_summary),
            GET_ACCOUNT_PASSWORD_POLICY => one(&self.password_policy),
            LIST_VIRTUAL_MFA_DEVICES => one(&self.virtual_mfa_devices),
            LIST_OPEN_ID_CONNECT_PROVIDERS => one(&self.oidc_providers),
            LIST_ACCESS_KEYS => each(&self.access_keys),
            _ => return None,
        })
    }
}

/// The output of `get-account-authorization-details`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuthorizationDetails {
    /// IAM users.
    #[serde(default)]
    pub user_detail_list: Vec<UserDetail>,
    /// IAM groups.
    #[serde(default)]
    pub group_detail_list: Vec<GroupDetail>,
    /// IAM roles.
    #[serde(default)]
    pub role_detail_list: Vec<RoleDetail>,
    /// Managed policies (customer and, when collected, AWS managed).
    #[serde(default)]
    pub policies: Vec<ManagedPolicyDetail>,
}

/// An inline policy embedded in a user, group or role.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InlinePolicy {
    /// The policy's name.
    pub policy_name: String,
    /// The policy document.
    pub policy_document: PolicyDocument,
}

/// A managed policy attached to a principal.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttachedPolicy {
    /// The policy's name.
    #[serde(default)]
    pub policy_name: String,
    /// The policy's ARN.
    pub policy_arn: String,
}

/// A permissions boundary set on a user or role.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PermissionsBoundary {
    /// Always `Policy` today.
    #[serde(default)]
    pub permissions_boundary_type: Option<String>,
    /// The boundary policy's ARN.
    pub permissions_boundary_arn: String,
}

/// An IAM user.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserDetail {
    /// Path.
    #[serde(default)]
    pub path: Option<String>,
    /// User name.
    pub user_name: String,
    /// Unique id (`AIDA…`).
    #[serde(default)]
    pub user_id: Option<String>,
    /// ARN.
    pub arn: String,
    /// Creation time.
    #[serde(default)]
    pub create_date: Option<Timestamp>,
    /// Inline policies.
    #[serde(default)]
    pub user_policy_list: Vec<InlinePolicy>,
    /// Names of the groups the user belongs to.
    #[serde(default)]
    pub group_list: Vec<String>,
    /// Attached managed policies.
    #[serde(default)]
    pub attached_managed_policies: Vec<AttachedPolicy>,
    /// Permissions boundary.
    #[serde(default)]
    pub permissions_boundary: Option<PermissionsBoundary>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<Tag>,
}

/// An IAM group.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupDetail {
    /// Path.
    #[serde(default)]
    pub path: Option<String>,
    /// Group name.
    pub group_name: String,
    /// Unique id.
    #[serde(default)]
    pub group_id: Option<String>,
    /// ARN.
    pub arn: String,
    /// Creation time.
    #[serde(default)]
    pub create_date: Option<Timestamp>,
    /// Inline policies.
    #[serde(default)]
    pub group_policy_list: Vec<InlinePolicy>,
    /// Attached managed policies.
    #[serde(default)]
    pub attached_managed_policies: Vec<AttachedPolicy>,
}

/// An IAM role.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RoleDetail {
    /// Path.
    #[serde(default)]
    pub path: Option<String>,
    /// Role name.
    pub role_name: String,
    /// Unique id (`AROA…`).
    #[serde(default)]
    pub role_id: Option<String>,
    /// ARN.
    pub arn: String,
    /// Creation time.
    #[serde(default)]
    pub create_date: Option<Timestamp>,
    /// The trust policy.
    #[serde(default)]
    pub assume_role_policy_document: Option<PolicyDocument>,
    /// Instance profiles that carry this role.
    #[serde(default)]
    pub instance_profile_list: Vec<InstanceProfile>,
    /// Inline policies.
    #[serde(default)]
    pub role_policy_list: Vec<InlinePolicy>,
    /// Attached managed policies.
    #[serde(default)]
    pub attached_managed_policies: Vec<AttachedPolicy>,
    /// Permissions boundary.
    #[serde(default)]
    pub permissions_boundary: Option<PermissionsBoundary>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<Tag>,
    /// When and where the role was last used.
    #[serde(default)]
    pub role_last_used: Option<RoleLastUsed>,
}

/// An instance profile.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InstanceProfile {
    /// Name.
    pub instance_profile_name: String,
    /// Unique id.
    #[serde(default)]
    pub instance_profile_id: Option<String>,
    /// ARN.
    pub arn: String,
}

/// `RoleLastUsed` of a role.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RoleLastUsed {
    /// Last use.
    #[serde(default)]
    pub last_used_date: Option<Timestamp>,
    /// Region of last use.
    #[serde(default)]
    pub region: Option<String>,
}

/// A managed policy with its versions.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ManagedPolicyDetail {
    /// Name (empty when the output leaves it out: the ARN names the policy).
    #[serde(default)]
    pub policy_name: String,
    /// Unique id.
    #[serde(default)]
    pub policy_id: Option<String>,
    /// ARN.
    pub arn: String,
    /// Path.
    #[serde(default)]
    pub path: Option<String>,
    /// The version in force.
    #[serde(default)]
    pub default_version_id: Option<String>,
    /// How many principals it is attached to.
    #[serde(default)]
    pub attachment_count: Option<i64>,
    /// How many principals use it as a permissions boundary.
    #[serde(default)]
    pub permissions_boundary_usage_count: Option<i64>,
    /// Versions with their documents.
    #[serde(default)]
    pub policy_version_list: Vec<PolicyVersion>,
}

impl ManagedPolicyDetail {
    /// The document of the default version, if collected.
    pub fn default_document(&self) -> Option<&PolicyDocument> {
        self.policy_version_list
            .iter()
            .find(|v| v.is_default_version)
            .or_else(|| {
                let default = self.default_version_id.as_deref()?;
                self.policy_version_list
                    .iter()
                    .find(|v| v.version_id.as_deref() == Some(default))
            })
            .and_then(|v| v.document.as_ref())
    }
}

/// One version of a managed policy.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyVersion {
    /// The document.
    #[serde(default)]
    pub document: Option<PolicyDocument>,
    /// `v1`, `v2`, …
    #[serde(default)]
    pub version_id: Option<String>,
    /// Whether this version is in force.
    #[serde(default)]
    pub is_default_version: bool,
    /// Creation time.
    #[serde(default)]
    pub create_date: Option<Timestamp>,
}

/// The IAM credential report, decoded from CSV.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CredentialReport {
    /// When AWS generated the report, if known.
    #[serde(default)]
    pub generated_time: Option<Timestamp>,
    /// One row per user; the root user's row is named `<root_account>`.
    pub rows: Vec<CredentialReportRow>,
}

impl CredentialReport {
    /// The root user's row, if the report has one.
    pub fn root(&self) -> Option<&CredentialReportRow> {
        self.rows.iter().find(|r| r.is_root())
    }

    /// The IAM users' rows (everything but root).
    pub fn users(&self) -> impl Iterator<Item = &CredentialReportRow> {
        self.rows.iter().filter(|r| !r.is_root())
    }
}

/// One row of the credential report.
///
/// Date columns hold `None` where the report says `N/A`, `no_information` or
/// `not_supported`; the raw text of every column is kept in `raw` so findings can
/// quote the evidence exactly.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CredentialReportRow {
    /// `user` column (`<root_account>` for root).
    pub user: String,
    /// `arn` column.
    pub arn: String,
    /// `user_creation_time`.
    pub user_creation_time: Option<Timestamp>,
    /// `password_enabled` (`None` when `not_supported`, as for root).
    pub password_enabled: Option<bool>,
    /// `password_last_used`.
    pub password_last_used: Option<Timestamp>,
    /// `password_last_changed`.
    pub password_last_changed: Option<Timestamp>,
    /// `mfa_active`.
    pub mfa_active: bool,
    /// Access key slots 1 and 2.
    pub access_keys: [CredentialReportKey; 2],
    /// The row's columns exactly as in the report.
    pub raw: BTreeMap<String, String>,
}

impl CredentialReportRow {
    /// Whether this is the root user's row.
    pub fn is_root(&self) -> bool {
        self.user == "<root_account>"
    }

    /// The active access keys with their slot number (1 or 2).
    pub fn active_keys(&self) -> impl Iterator<Item = (usize, &CredentialReportKey)> {
        self.access_keys
            .iter()
            .enumerate()
            .filter(|(_, k)| k.active)
            .map(|(i, k)| (i + 1, k))
    }

    /// Whether the user has a console password.
    pub fn has_password(&self) -> bool {
        self.password_enabled == Some(true)
    }

    /// The raw report columns whose names start with any of `prefixes`, for evidence.
    pub fn columns(&self, prefixes: &[&str]) -> BTreeMap<String, String> {
        self.raw
            .iter()
            .filter(|(k, _)| prefixes.iter().any(|p| k.starts_with(p)))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

/// One access-key slot of a credential report row.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CredentialReportKey {
    /// `access_key_N_active`.
    pub active: bool,
    /// `access_key_N_last_rotated` (creation or last rotation).
    pub last_rotated: Option<Timestamp>,
    /// `access_key_N_last_used_date`.
    pub last_used: Option<Timestamp>,
    /// `access_key_N_last_used_service`.
    pub last_used_service: Option<String>,
}

/// The account password policy (`PasswordPolicy` of `get-account-password-policy`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PasswordPolicy {
    /// Minimum length.
    #[serde(default)]
    pub minimum_password_length: Option<i64>,
    /// Symbols required.
    #[serde(default)]
    pub require_symbols: Option<bool>,
    /// Digits required.
    #[serde(default)]
    pub require_numbers: Option<bool>,
    /// Upper-case letters required.
    #[serde(default)]
    pub require_uppercase_characters: Option<bool>,
    /// Lower-case letters required.
    #[serde(default)]
    pub require_lowercase_characters: Option<bool>,
    /// Users may change their own password.
    #[serde(default)]
    pub allow_users_to_change_password: Option<bool>,
    /// Passwords expire.
    #[serde(default)]
    pub expire_passwords: Option<bool>,
    /// Days before a password expires.
    #[serde(default)]
    pub max_password_age: Option<i64>,
    /// How many previous passwords may not be reused.
    #[serde(default)]
    pub password_reuse_prevention: Option<i64>,
    /// Expired passwords need an administrator reset.
    #[serde(default)]
    pub hard_expiry: Option<bool>,
}

/// A virtual MFA device.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VirtualMfaDevice {
    /// The device's serial number (an ARN).
    pub serial_number: String,
    /// The user it is assigned to, if any.
    #[serde(default)]
    pub user: Option<MfaDeviceUser>,
    /// When it was enabled.
    #[serde(default)]
    pub enable_date: Option<Timestamp>,
}

/// The user a virtual MFA device is assigned to.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MfaDeviceUser {
    /// User name (absent or the account id for root).
    #[serde(default)]
    pub user_name: Option<String>,
    /// ARN (`arn:aws:iam::123456789012:root` for root).
    pub arn: String,
}

/// An entry of `list-open-id-connect-providers`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OidcProviderRef {
    /// The provider's ARN.
    pub arn: String,
}

/// An entry of `list-access-keys`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccessKeyMetadata {
    /// Owner.
    #[serde(default)]
    pub user_name: Option<String>,
    /// The key id (`AKIA…`).
    pub access_key_id: String,
    /// `Active` or `Inactive`.
    pub status: String,
    /// Creation time.
    #[serde(default)]
    pub create_date: Option<Timestamp>,
}
