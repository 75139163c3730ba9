//! Which error answers mean "this is not configured" rather than a failure.
//!
//! Some AWS operations answer an error where the thing they read is simply
//! absent: a bucket without a policy, an account without a password policy.
//! Such an answer is evidence of absence ([`Collected::NotConfigured`]), and
//! every way into the inventory (the evidence reader, the live collector) must
//! read it the same way, so the table lives here, once.
//!
//! [`Collected::NotConfigured`]: crate::Collected::NotConfigured

use crate::key::Operation;

/// Error codes that mean "not configured" whatever the operation: IAM's
/// `NoSuchEntity` (no password policy).
const ANY_OPERATION: &[&str] = &["NoSuchEntity"];

/// Error codes that one operation answers when the thing it reads is not
/// configured. The same code answered by another operation is a failure.
const PER_OPERATION: &[(Operation, &str)] = &[
    // Security Hub's answer to describe-hub where the hub is not enabled.
    (crate::securityhub::DESCRIBE_HUB, "InvalidAccessException"),
    (
        crate::s3::GET_BUCKET_ENCRYPTION,
        "ServerSideEncryptionConfigurationNotFoundError",
    ),
    (crate::s3::GET_BUCKET_POLICY, "NoSuchBucketPolicy"),
    (
        crate::s3::GET_PUBLIC_ACCESS_BLOCK,
        "NoSuchPublicAccessBlockConfiguration",
    ),
    (
        crate::s3::GET_ACCOUNT_PUBLIC_ACCESS_BLOCK,
        "NoSuchPublicAccessBlockConfiguration",
    ),
    (
        crate::s3::GET_OBJECT_LOCK_CONFIGURATION,
        "ObjectLockConfigurationNotFoundError",
    ),
    // A function without a resource-based policy.
    (crate::lambda::GET_POLICY, "ResourceNotFoundException"),
];

/// Whether the error `code` answered by `operation` means "not configured".
pub fn means_not_configured(operation: &Operation, code: &str) -> bool {
    ANY_OPERATION.contains(&code)
        || PER_OPERATION
            .iter()
            .any(|(op, known)| op == operation && *known == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_not_configured_only_for_its_own_operation() {
        assert!(means_not_configured(
            &crate::s3::GET_BUCKET_POLICY,
            "NoSuchBucketPolicy"
        ));
        assert!(!means_not_configured(
            &crate::s3::GET_BUCKET_ACL,
            "NoSuchBucketPolicy"
        ));
        assert!(means_not_configured(
            &crate::iam::GET_ACCOUNT_PASSWORD_POLICY,
            "NoSuchEntity"
        ));
        assert!(!means_not_configured(
            &crate::iam::GET_ACCOUNT_SUMMARY,
            "AccessDenied"
        ));
    }
}
