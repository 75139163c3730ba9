//! The operation log: an SDK interceptor on every client that records each
//! operation called and refuses any that is not read-only.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

/// Operation names a scanner may call: they read and change nothing.
/// `GenerateCredentialReport` only asks IAM to (re)build the credential
/// report that `GetCredentialReport` returns; it changes no configuration.
const READ_ONLY_PREFIXES: &[&str] = &["List", "Get", "Describe", "BatchGet"];
const READ_ONLY_EXCEPTIONS: &[&str] = &["GenerateCredentialReport"];

/// Whether an API operation (`DescribeInstances`) is read-only by its name.
pub fn is_read_only(operation: &str) -> bool {
    READ_ONLY_EXCEPTIONS.contains(&operation)
        || READ_ONLY_PREFIXES.iter().any(|prefix| {
            operation
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
        })
}

/// Every API operation the collector calls (as the operation log names it,
/// `service:Operation`) with the IAM action that permits it. Most actions
/// are named after their operation; S3's are not always.
/// `docs/scanner-policy.json` grants exactly these actions.
pub const OPERATION_ACTIONS: &[(&str, &str)] = &[
    ("sts:GetCallerIdentity", "sts:GetCallerIdentity"),
    (
        "iam:GetAccountAuthorizationDetails",
        "iam:GetAccountAuthorizationDetails",
    ),
    (
        "iam:GenerateCredentialReport",
        "iam:GenerateCredentialReport",
    ),
    ("iam:GetCredentialReport", "iam:GetCredentialReport"),
    ("iam:GetAccountSummary", "iam:GetAccountSummary"),
    (
        "iam:GetAccountPasswordPolicy",
        "iam:GetAccountPasswordPolicy",
    ),
    ("iam:ListVirtualMFADevices", "iam:ListVirtualMFADevices"),
    (
        "iam:ListOpenIDConnectProviders",
        "iam:ListOpenIDConnectProviders",
    ),
    ("iam:ListUsers", "iam:ListUsers"),
    ("iam:ListAccessKeys", "iam:ListAccessKeys"),
    ("s3:ListBuckets", "s3:ListAllMyBuckets"),
    ("s3:GetBucketLocation", "s3:GetBucketLocation"),
    ("s3:GetBucketEncryption", "s3:GetEncryptionConfiguration"),
    ("s3:GetBucketVersioning", "s3:GetBucketVersioning"),
    ("s3:GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock"),
    ("s3:GetBucketPolicy", "s3:GetBucketPolicy"),
    ("s3:GetBucketAcl", "s3:GetBucketAcl"),
    ("s3:GetBucketLogging", "s3:GetBucketLogging"),
    (
        "s3:GetObjectLockConfiguration",
        "s3:GetBucketObjectLockConfiguration",
    ),
    (
        "s3control:GetPublicAccessBlock",
        "s3:GetAccountPublicAccessBlock",
    ),
    ("cloudtrail:DescribeTrails", "cloudtrail:DescribeTrails"),
    ("cloudtrail:GetTrailStatus", "cloudtrail:GetTrailStatus"),
    (
        "cloudtrail:GetEventSelectors",
        "cloudtrail:GetEventSelectors",
    ),
    ("ec2:DescribeRegions", "ec2:DescribeRegions"),
    ("ec2:DescribeVpcs", "ec2:DescribeVpcs"),
    ("ec2:DescribeSubnets", "ec2:DescribeSubnets"),
    ("ec2:DescribeRouteTables", "ec2:DescribeRouteTables"),
    (
        "ec2:DescribeInternetGateways",
        "ec2:DescribeInternetGateways",
    ),
    ("ec2:DescribeNatGateways", "ec2:DescribeNatGateways"),
    ("ec2:DescribeNetworkAcls", "ec2:DescribeNetworkAcls"),
    ("ec2:DescribeSecurityGroups", "ec2:DescribeSecurityGroups"),
    ("ec2:DescribeInstances", "ec2:DescribeInstances"),
    (
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeNetworkInterfaces",
    ),
    ("ec2:DescribeAddresses", "ec2:DescribeAddresses"),
    ("ec2:DescribeFlowLogs", "ec2:DescribeFlowLogs"),
    (
        "ec2:DescribeManagedPrefixLists",
        "ec2:DescribeManagedPrefixLists",
    ),
    (
        "ec2:GetManagedPrefixListEntries",
        "ec2:GetManagedPrefixListEntries",
    ),
    ("ec2:DescribeVolumes", "ec2:DescribeVolumes"),
    (
        "ec2:GetEbsEncryptionByDefault",
        "ec2:GetEbsEncryptionByDefault",
    ),
];

/// The IAM actions a collection needs: what `docs/scanner-policy.json` grants.
pub fn required_actions() -> impl Iterator<Item = &'static str> {
    OPERATION_ACTIONS.iter().map(|(_, action)| *action)
}

/// The IAM action that permits a logged operation (`s3:ListBuckets` →
/// `s3:ListAllMyBuckets`), if the collector is meant to call it.
pub fn action_for(operation: &str) -> Option<&'static str> {
    OPERATION_ACTIONS
        .iter()
        .find(|(logged, _)| logged.eq_ignore_ascii_case(operation))
        .map(|(_, action)| *action)
}

/// Records every operation the clients call, and refuses, before anything is
/// sent, an operation that [`is_read_only`] does not allow.
#[derive(Debug, Clone, Default)]
pub struct OperationLog {
    calls: Arc<Mutex<BTreeMap<String, u64>>>,
}

impl OperationLog {
    /// Every operation called, as `service:Operation`, with how often.
    pub fn counts(&self) -> Vec<(String, u64)> {
        match self.calls.lock() {
            Ok(calls) => calls.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            Err(poisoned) => poisoned
                .into_inner()
                .iter()
                .map(|(k, v)| (k.clone(), *v))
                .collect(),
        }
    }

    /// How many calls were made.
    pub fn total(&self) -> u64 {
        self.counts().iter().map(|(_, n)| n).sum()
    }

    fn record(&self, name: String) {
        let mut calls = match self.calls.lock() {
            Ok(calls) => calls,
            Err(poisoned) => poisoned.into_inner(),
        };
        *calls.entry(name).or_default() += 1;
    }
}

impl Intercept for OperationLog {
    fn name(&self) -> &'static str {
        "cartguard operation log"
    }

    // Not `read_before_execution`: a client's interceptors run that hook
    // before the operation's configuration, which names it, is in place.
    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(metadata) = cfg.load::<Metadata>() else {
            return Err("an AWS call without an operation name was refused: cartguard only makes read-only calls".into());
        };
        // The SDK names services as AWS does (`S3 Control`, `EC2`); the log
        // uses IAM's prefixes' form (`s3control`, `ec2`).
        let service: String = metadata
            .service()
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        let operation = metadata.name().to_string();
        self.record(format!("{service}:{operation}"));
        if is_read_only(&operation) {
            Ok(())
        } else {
            Err(
                format!("{service}:{operation} was refused: cartguard only makes read-only calls")
                    .into(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_reads_pass() {
        for name in [
            "GetAccountAuthorizationDetails",
            "ListBuckets",
            "DescribeSecurityGroups",
            "BatchGetProjects",
            "GenerateCredentialReport",
        ] {
            assert!(is_read_only(name), "{name}");
        }
        for name in [
            "PutBucketPolicy",
            "CreateUser",
            "DeleteBucket",
            "AuthorizeSecurityGroupIngress",
            "Getaway",
            "Listen",
            "ModifyInstanceAttribute",
            "GenerateDataKey",
        ] {
            assert!(!is_read_only(name), "{name}");
        }
    }
}
