//! Resource policies that take part in a decision besides the caller's own:
//! the ones the evidence holds (KMS key policies; bucket, secret, function,
//! topic and queue policies), and the policies an auditor supplies.

use cartguard_inventory::{Account, Collected, EvidenceKey, GLOBAL, PolicyDocument};
use serde_json::Value;

use crate::arn::Arn;
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

/// What the evidence says of a resource's own policy.
#[derive(Debug, Clone)]
pub enum CollectedState {
    /// The policy, parsed, named by the label and `(evidence)`.
    Found(Policy),
    /// The evidence shows the resource has no policy.
    NoPolicy,
    /// The evidence does not hold it: why (the call was not made, or failed).
    Unavailable(String),
    /// The evidence holds it, but it does not parse.
    Unreadable(PolicyError),
}

/// A resource's own policy, looked up in the evidence by the resource's ARN.
#[derive(Debug, Clone)]
pub struct CollectedPolicy {
    /// How an answer names it: `bucket policy of shop-orders-export`.
    pub label: String,
    /// What the evidence holds.
    pub state: CollectedState,
    /// For a qualified function ARN, the alias or version it names: the
    /// evidence holds the function's own policy only.
    pub qualifier: Option<String>,
}

impl CollectedPolicy {
    fn new(label: String, state: CollectedState) -> CollectedPolicy {
        CollectedPolicy {
            label,
            state,
            qualifier: None,
        }
    }

    /// The name a collected policy goes by in answers: its label and where it
    /// came from (`bucket policy of shop-orders-export (evidence)`).
    pub fn policy_name(label: &str) -> String {
        format!("{label} (evidence)")
    }
}

/// The state of `collected` (`None`: no file), the answer of `key`, whose
/// document `document` picks (`None`: the resource has no policy).
fn state_of<T>(
    label: &str,
    key: &EvidenceKey,
    collected: Option<&Collected<T>>,
    document: impl Fn(&T) -> Option<&PolicyDocument>,
) -> CollectedState {
    let unavailable = |c: &Collected<T>| {
        CollectedState::Unavailable(
            c.unavailable_reason(key)
                .unwrap_or_else(|| format!("{key} is unavailable")),
        )
    };
    match collected {
        None => CollectedState::Unavailable(format!("{key} was not collected")),
        Some(Collected::Present(value)) => match document(value) {
            None => CollectedState::NoPolicy,
            Some(doc) => {
                let name = CollectedPolicy::policy_name(label);
                match Policy::from_document(&name, PolicyKind::Resource, doc) {
                    Ok(policy) => CollectedState::Found(policy),
                    Err(error) => CollectedState::Unreadable(error),
                }
            }
        },
        Some(Collected::NotConfigured { .. }) => CollectedState::NoPolicy,
        Some(other) => unavailable(other),
    }
}

/// The name of the S3 bucket an S3 ARN names (`arn:aws:s3:::bucket/key`).
pub(crate) fn bucket_of(resource: &str) -> Option<&str> {
    let rest = resource.split_once(":s3:::")?.1;
    let bucket = rest.split('/').next()?;
    (!bucket.is_empty() && resource.starts_with("arn:")).then_some(bucket)
}

/// The collected policy of the S3 bucket `bucket`, when the bucket is the
/// account's (its bucket list holds it, or its policy was collected) or the
/// bucket list was not collected.
pub fn collected_bucket_policy(account: &Account, bucket: &str) -> Option<CollectedPolicy> {
    use cartguard_inventory::s3::GET_BUCKET_POLICY;
    let s3 = &account.s3;
    let answer = s3.policies.get(bucket);
    let listed = match s3.buckets.present() {
        Some(buckets) => buckets.iter().any(|b| b.name == bucket),
        None => true,
    };
    if answer.is_none() && !listed {
        // Another account's bucket: its policy is not the evidence's to hold.
        return None;
    }
    let label = format!("bucket policy of {bucket}");
    let key = GET_BUCKET_POLICY.about(GLOBAL, bucket);
    let state = state_of(&label, &key, answer, |d| Some(d));
    Some(CollectedPolicy::new(label, state))
}

/// The collected resource policy of the secret `arn` (full or partial ARN).
fn collected_secret_policy(account: &Account, arn: &Arn<'_>, full: &str) -> CollectedPolicy {
    use cartguard_inventory::secretsmanager::GET_RESOURCE_POLICY;
    let written = arn.resource.strip_prefix("secret:").unwrap_or(arn.resource);
    let region = account.regions.get(arn.region);
    // A secret's ARN ends with `-` and six random characters; a partial ARN
    // leaves them out.
    let names = |name: &str| {
        written == name
            || written
                .strip_prefix(name)
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|suffix| suffix.len() == 6)
    };
    let name = region
        .and_then(|r| {
            let listed = r.secretsmanager.secrets.present().and_then(|secrets| {
                secrets
                    .iter()
                    .find(|s| {
                        s.arn == full
                            || s.arn.strip_prefix(full).is_some_and(|rest| rest.len() == 7)
                    })
                    .and_then(|s| s.name.clone())
            });
            listed.or_else(|| {
                r.secretsmanager
                    .resource_policies
                    .keys()
                    .find(|name| names(name))
                    .cloned()
            })
        })
        .unwrap_or_else(|| written.to_string());
    let label = format!("resource policy of secret {name}");
    let key = GET_RESOURCE_POLICY.about(arn.region, &name);
    let answer = region.and_then(|r| r.secretsmanager.resource_policies.get(&name));
    let state = state_of(&label, &key, answer, |p: &Option<PolicyDocument>| {
        p.as_ref()
    });
    CollectedPolicy::new(label, state)
}

/// The collected policy of the function `arn` names; for a qualified ARN
/// (`function:NAME:ALIAS` or `:VERSION`), the function's own policy.
fn collected_function_policy(account: &Account, arn: &Arn<'_>) -> CollectedPolicy {
    use cartguard_inventory::lambda::GET_POLICY;
    let rest = arn
        .resource
        .strip_prefix("function:")
        .unwrap_or(arn.resource);
    let (name, qualifier) = match rest.split_once(':') {
        Some((name, qualifier)) => (name, Some(qualifier.to_string())),
        None => (rest, None),
    };
    let label = format!("policy of function {name}");
    let key = GET_POLICY.about(arn.region, name);
    let answer = account
        .regions
        .get(arn.region)
        .and_then(|r| r.lambda.policies.get(name));
    let state = state_of(&label, &key, answer, |d| Some(d));
    CollectedPolicy {
        qualifier,
        ..CollectedPolicy::new(label, state)
    }
}

/// The collected access policy of the SNS topic `arn` names.
fn collected_topic_policy(account: &Account, arn: &Arn<'_>) -> CollectedPolicy {
    use cartguard_inventory::sns::GET_TOPIC_ATTRIBUTES;
    let topic = arn.resource;
    let label = format!("topic policy of {topic}");
    let key = GET_TOPIC_ATTRIBUTES.about(arn.region, topic);
    let answer = account
        .regions
        .get(arn.region)
        .and_then(|r| r.sns.topic_policies.get(topic));
    let state = state_of(&label, &key, answer, |p: &Option<PolicyDocument>| {
        p.as_ref()
    });
    CollectedPolicy::new(label, state)
}

/// The collected access policy of the SQS queue `arn` names.
fn collected_queue_policy(account: &Account, arn: &Arn<'_>) -> CollectedPolicy {
    use cartguard_inventory::sqs::GET_QUEUE_ATTRIBUTES;
    let queue = arn.resource;
    let label = format!("queue policy of {queue}");
    let key = GET_QUEUE_ATTRIBUTES.about(arn.region, queue);
    let answer = account
        .regions
        .get(arn.region)
        .and_then(|r| r.sqs.attributes.get(queue));
    let state = state_of(&label, &key, answer, |a| a.policy.as_ref());
    CollectedPolicy::new(label, state)
}

/// The resource policy the evidence holds for `resource`, found by its ARN:
/// an S3 bucket or object ARN gives the bucket's policy, a secret ARN the
/// secret's, a function ARN (qualified or not) the function's, a topic or
/// queue ARN its access policy. `None` when the resource is of another kind
/// (KMS keys: [`collected_key_policy`]) or of another account.
pub fn collected_resource_policy(account: &Account, resource: &str) -> Option<CollectedPolicy> {
    if let Some(bucket) = bucket_of(resource) {
        return collected_bucket_policy(account, bucket);
    }
    let arn = Arn::parse(resource)?;
    if arn.account != account.id || arn.region.is_empty() {
        return None;
    }
    match arn.service {
        "secretsmanager" if arn.resource.starts_with("secret:") => {
            Some(collected_secret_policy(account, &arn, resource))
        }
        "lambda" if arn.resource.starts_with("function:") => {
            Some(collected_function_policy(account, &arn))
        }
        "sns" if !arn.resource.is_empty() && !arn.resource.contains(':') => {
            Some(collected_topic_policy(account, &arn))
        }
        "sqs" if !arn.resource.is_empty() && !arn.resource.contains(':') => {
            Some(collected_queue_policy(account, &arn))
        }
        _ => None,
    }
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
