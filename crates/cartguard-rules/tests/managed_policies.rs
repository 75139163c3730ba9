//! The rules over AWS's own managed policies (the IAM crate's vendored copy,
//! `crates/cartguard-iam/tests/data`, dated there).

#[path = "../../cartguard-iam/tests/support/managed_policies.rs"]
mod managed_policies;

use std::collections::BTreeMap;
use std::path::Path;

use cartguard_inventory::{Inventory, Timestamp};
use cartguard_rules::{Finding, Settings};
use managed_policies::{ManagedPolicy, managed_policies};
use serde_json::{Value, json};

const ACCOUNT: &str = "123456789012";
const RULE: &str = "iam-policy-unknown-action";

fn policy_entry(arn: &str, name: &str, document: &Value) -> Value {
    json!({
        "PolicyName": name,
        "PolicyId": "ANPAEXAMPLE0000000000",
        "Arn": arn,
        "Path": "/",
        "DefaultVersionId": "v1",
        "AttachmentCount": 1,
        "PermissionsBoundaryUsageCount": 0,
        "IsAttachable": true,
        "CreateDate": "2026-01-05T09:00:00+00:00",
        "UpdateDate": "2026-01-05T09:00:00+00:00",
        "PolicyVersionList": [{
            "Document": document,
            "VersionId": "v1",
            "IsDefaultVersion": true,
            "CreateDate": "2026-01-05T09:00:00+00:00"
        }]
    })
}

/// An account whose role `auditor` has the AWS managed policy attached, a
/// customer managed copy of its document attached, and the same document
/// inline: the way teams copy AWS's policies to adapt them.
fn account_with(managed: &ManagedPolicy) -> BTreeMap<String, String> {
    let copy_arn = format!("arn:aws:iam::{ACCOUNT}:policy/{}Copy", managed.name);
    let details = json!({
        "UserDetailList": [],
        "GroupDetailList": [],
        "Policies": [
            policy_entry(&managed.arn_or_default(), &managed.name, &managed.document),
            policy_entry(&copy_arn, &format!("{}Copy", managed.name), &managed.document),
        ],
        "RoleDetailList": [{
            "Path": "/",
            "RoleName": "auditor",
            "RoleId": "AROAAUDITORXXXXXXXXX",
            "Arn": format!("arn:aws:iam::{ACCOUNT}:role/auditor"),
            "CreateDate": "2026-01-05T09:00:00+00:00",
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")},
                    "Action": "sts:AssumeRole"
                }]
            },
            "InstanceProfileList": [],
            "RolePolicyList": [{
                "PolicyName": format!("{}Inline", managed.name),
                "PolicyDocument": managed.document
            }],
            "AttachedManagedPolicies": [
                {"PolicyName": managed.name, "PolicyArn": managed.arn_or_default()},
                {"PolicyName": format!("{}Copy", managed.name), "PolicyArn": copy_arn}
            ],
            "Tags": []
        }]
    });
    BTreeMap::from([(
        "iam/global/get-account-authorization-details.json".to_string(),
        details.to_string(),
    )])
}

fn findings(files: BTreeMap<String, String>, rule: &str) -> Vec<Finding> {
    let folder = cartguard_evidence::parse_evidence(Path::new("managed-policies"), files)
        .unwrap_or_else(|e| panic!("the account does not read: {e}"));
    let mut inventory = Inventory::default();
    inventory.accounts.push(folder.account);
    let now: Timestamp = "2026-11-20T12:00:00Z"
        .parse()
        .unwrap_or_else(|e| panic!("the date does not parse: {e}"));
    cartguard_rules::run(&inventory, &Settings::default(), now)
        .into_iter()
        .filter(|f| f.rule_id == rule)
        .collect()
}

fn security_audit() -> &'static ManagedPolicy {
    managed_policies()
        .get("SecurityAudit")
        .unwrap_or_else(|| panic!("SecurityAudit is not in the vendored managed policies"))
}

#[test]
fn security_audit_names_no_unknown_action() {
    let audit = security_audit();
    // It names deepracer:ListModels, of a service AWS has retired from the reference.
    assert!(audit.document.to_string().contains("deepracer:"));
    let found = findings(account_with(audit), RULE);
    assert!(
        found.is_empty(),
        "{RULE} on copies of SecurityAudit: {:#?}",
        found.iter().map(|f| &f.detail).collect::<Vec<_>>()
    );
}

#[test]
fn a_misspelled_action_in_a_copy_of_security_audit_is_reported() {
    // The same account with one slip added, so the quiet answer above is the
    // rule's and not a setup that hides the policies from it.
    let mut audit = security_audit().clone();
    let statements = audit.document["Statement"]
        .as_array_mut()
        .unwrap_or_else(|| panic!("SecurityAudit's Statement is not a list"));
    statements.push(json!({"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}));
    let found = findings(account_with(&audit), RULE);
    assert!(!found.is_empty(), "the slip is not reported");
    for f in &found {
        assert!(f.detail.contains("s3:GetObjekt"), "{}", f.detail);
        assert!(!f.detail.contains("deepracer"), "{}", f.detail);
    }
}
