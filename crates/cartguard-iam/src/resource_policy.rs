//! Resource policies that take part in a decision besides the caller's own:
//! the KMS key policies the evidence holds, and the policies an auditor
//! supplies.

use cartguard_inventory::{Account, PolicyDocument};
use serde_json::Value;

use crate::policy::{Policy, PolicyError, PolicyKind};
use crate::principals::PolicyFailure;

/// The key policy of the KMS key `key_arn`, parsed and named
/// `<key ARN>#key-policy`, or why it cannot be used.
pub(crate) fn key_policy(
    key_arn: &str,
    document: &PolicyDocument,
) -> Result<Policy, PolicyFailure> {
    let name = format!("{key_arn}#key-policy");
    Policy::from_document(&name, PolicyKind::KeyPolicy, document).map_err(|error| PolicyFailure {
        policy: name,
        error,
    })
}

/// The collected key policy of the KMS key `key_arn`, parsed and named
/// `<key ARN>#key-policy`, or why it cannot be used; `None` when the evidence
/// lists no such key or holds no key policy for it.
pub fn collected_key_policy(
    account: &Account,
    key_arn: &str,
) -> Option<Result<Policy, PolicyFailure>> {
    account.regions.values().find_map(|region| {
        let key = region
            .kms
            .keys
            .present()?
            .iter()
            .find(|k| k.key_arn.as_deref() == Some(key_arn))?;
        let document = region.kms.key_policies.get(&key.key_id)?.present()?;
        Some(key_policy(key_arn, document))
    })
}

/// Whether `resource` is the ARN of a KMS resource, whose key policy must
/// allow the caller.
pub(crate) fn names_kms_key(resource: &str) -> bool {
    resource.starts_with("arn:") && resource.contains(":kms:")
}

/// Why a policy an auditor supplies cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SuppliedPolicyError {
    /// The text is not JSON.
    #[error("not JSON")]
    NotJson(#[source] serde_json::Error),
    /// The text wraps something other than a policy document in `Policy`.
    #[error("Policy is not a JSON policy document")]
    WrappedNotJson(#[source] serde_json::Error),
    /// The document is not a valid policy.
    #[error("not a valid policy")]
    Invalid(#[source] PolicyError),
}

/// The policy document in `text`: a document as written, or as
/// `get-bucket-policy` and `get-key-policy` print it, wrapped in
/// `{"Policy": "<the document as a string>"}`.
pub fn unwrapped_document(text: &str) -> Result<Value, SuppliedPolicyError> {
    let value: Value = serde_json::from_str(text).map_err(SuppliedPolicyError::NotJson)?;
    match value.get("Policy") {
        Some(Value::String(inner)) => {
            serde_json::from_str(inner).map_err(SuppliedPolicyError::WrappedNotJson)
        }
        Some(inner @ Value::Object(_)) => Ok(inner.clone()),
        _ => Ok(value),
    }
}

/// The policy of `resource` that an auditor supplies as `text`
/// ([`unwrapped_document`]), named `name`: a key policy when the resource is a
/// KMS key, a resource-based policy (bucket, queue, …) otherwise.
pub fn supplied_policy(
    name: &str,
    text: &str,
    resource: &str,
) -> Result<Policy, SuppliedPolicyError> {
    let kind = if names_kms_key(resource) {
        PolicyKind::KeyPolicy
    } else {
        PolicyKind::Resource
    };
    let document = unwrapped_document(text)?;
    Policy::parse(name, kind, &document).map_err(SuppliedPolicyError::Invalid)
}

/// What a policy an auditor supplies besides the resource's own is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuppliedKind {
    /// A session policy the role session was created with.
    Session,
    /// The trust policy of a role to assume (also as `aws iam get-role`
    /// prints it, under `Role.AssumeRolePolicyDocument`).
    Trust,
    /// The policy of a VPC endpoint (also as `aws ec2 describe-vpc-endpoints`
    /// prints it, under `VpcEndpoints[0].PolicyDocument`).
    VpcEndpoint,
}

/// The policy in `text` ([`unwrapped_document`], or inside the AWS CLI answer
/// that holds it), named `name`, as `kind` says.
pub fn supplied_policy_as(
    name: &str,
    text: &str,
    kind: SuppliedKind,
) -> Result<Policy, SuppliedPolicyError> {
    let (policy_kind, path): (PolicyKind, &[&str]) = match kind {
        SuppliedKind::Session => (PolicyKind::Session, &[]),
        SuppliedKind::Trust => (PolicyKind::Trust, &["Role", "AssumeRolePolicyDocument"]),
        SuppliedKind::VpcEndpoint => (PolicyKind::VpcEndpoint, &["VpcEndpoints", "PolicyDocument"]),
    };
    let mut document = unwrapped_document(text)?;
    for key in path {
        document = match document.get(key) {
            Some(Value::String(inner)) => {
                serde_json::from_str(inner).map_err(SuppliedPolicyError::WrappedNotJson)?
            }
            // One endpoint: its entry; several are ambiguous and left as they
            // are, so the parse names what is wrong.
            Some(Value::Array(items)) if items.len() == 1 => items[0].clone(),
            Some(inner @ Value::Object(_)) => inner.clone(),
            _ => continue,
        };
    }
    Policy::parse(name, policy_kind, &document).map_err(SuppliedPolicyError::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOCUMENT: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;

    #[test]
    fn wrapped_and_bare_documents_are_the_same_policy() {
        let bare = unwrapped_document(DOCUMENT).unwrap();
        let as_string = serde_json::json!({ "Policy": DOCUMENT }).to_string();
        let as_object = format!(r#"{{"Policy": {DOCUMENT}}}"#);
        assert_eq!(unwrapped_document(&as_string).unwrap(), bare);
        assert_eq!(unwrapped_document(&as_object).unwrap(), bare);
    }

    #[test]
    fn a_kms_resource_gets_a_key_policy() {
        let key = "arn:aws:kms:eu-west-1:111122223333:key/k";
        let policy = supplied_policy("given", DOCUMENT, key).unwrap();
        assert_eq!(policy.kind, PolicyKind::KeyPolicy);
        let bucket = supplied_policy("given", DOCUMENT, "arn:aws:s3:::b/k").unwrap();
        assert_eq!(bucket.kind, PolicyKind::Resource);
    }

    #[test]
    fn trust_and_endpoint_policies_are_read_as_the_cli_prints_them() {
        let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}"#;
        let get_role = serde_json::json!({"Role": {"RoleName": "partner", "AssumeRolePolicyDocument": serde_json::from_str::<Value>(trust).unwrap()}}).to_string();
        for text in [trust.to_string(), get_role] {
            let policy = supplied_policy_as("t", &text, SuppliedKind::Trust).unwrap();
            assert_eq!(policy.kind, PolicyKind::Trust);
            assert_eq!(policy.statements.len(), 1);
        }
        let endpoint = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}"#;
        let described = serde_json::json!({"VpcEndpoints": [{"VpcEndpointId": "vpce-1", "PolicyDocument": endpoint}]}).to_string();
        let policy = supplied_policy_as("e", &described, SuppliedKind::VpcEndpoint).unwrap();
        assert_eq!(policy.kind, PolicyKind::VpcEndpoint);
        // An endpoint policy may leave Principal out.
        let open = r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
        assert!(supplied_policy_as("e", open, SuppliedKind::VpcEndpoint).is_ok());
    }

    #[test]
    fn what_is_wrong_is_told_apart() {
        assert!(matches!(
            unwrapped_document("{{"),
            Err(SuppliedPolicyError::NotJson(_))
        ));
        assert!(matches!(
            unwrapped_document(r#"{"Policy": "not json"}"#),
            Err(SuppliedPolicyError::WrappedNotJson(_))
        ));
        assert!(matches!(
            supplied_policy("given", r#"{"Statement": [{"Effect": "Allow"}]}"#, "*"),
            Err(SuppliedPolicyError::Invalid(_))
        ));
    }
}
