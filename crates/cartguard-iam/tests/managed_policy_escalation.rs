//! Escalation agrees with the evaluator on AWS's own managed policies.
//!
//! Each managed policy is attached, alone, to a role of an account that also
//! holds an administrator role for each compute service an escalation method
//! passes a role to. Every `iam:PassRole` step of every path found for that
//! role is then asked of `iam can`, with `iam:PassedToService` bound to the
//! method's service as the attack binds it: no path may rest on a PassRole
//! the evaluator denies, and a path whose PassRole is allowed outright must
//! not be called conditional on account of it.

#[path = "support/managed_policies.rs"]
mod managed_policies;

use cartguard_iam::escalation::{METHODS, Target, acting_as};
use cartguard_iam::query::{Question, Verdict, can, principal_named};
use cartguard_iam::{Principals, RequestContext};
use cartguard_inventory::iam::AuthorizationDetails;
use cartguard_inventory::{Account, Collected};
use managed_policies::{ManagedPolicy, managed_policies};
use serde_json::json;

const ACCOUNT: &str = "111122223333";

/// The services escalation methods pass roles to.
fn passed_services() -> Vec<&'static str> {
    let mut services: Vec<&str> = METHODS
        .iter()
        .flat_map(|m| m.requires.iter())
        .filter_map(|r| match r.target {
            Target::PassedRole(service) => Some(service),
            _ => None,
        })
        .collect();
    services.sort_unstable();
    services.dedup();
    services
}

/// An account whose role `subject` has only `policy`, beside one
/// administrator role trusted by each of `services`.
fn account_with(policy: &ManagedPolicy, services: &[&str]) -> Account {
    let arn = policy.arn_or_default();
    let mut roles = vec![json!({
        "RoleName": "subject", "RoleId": "AROASUBJECT", "Path": "/",
        "Arn": format!("arn:aws:iam::{ACCOUNT}:role/subject"),
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}, "Action": "sts:AssumeRole"}]},
        "RolePolicyList": [],
        "AttachedManagedPolicies": [{"PolicyName": policy.name, "PolicyArn": arn}],
        "InstanceProfileList": []
    })];
    for (i, service) in services.iter().enumerate() {
        let name = format!("admin-{}", service.split('.').next().unwrap_or("service"));
        roles.push(json!({
            "RoleName": name, "RoleId": format!("AROAADMIN{i}"), "Path": "/",
            "Arn": format!("arn:aws:iam::{ACCOUNT}:role/{name}"),
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]},
            "RolePolicyList": [{"PolicyName": "admin", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "*", "Resource": "*"}]}}],
            "AttachedManagedPolicies": [],
            "InstanceProfileList": []
        }));
    }
    let details: AuthorizationDetails = serde_json::from_value(json!({
        "UserDetailList": [], "GroupDetailList": [], "RoleDetailList": roles,
        "Policies": [{
            "PolicyName": policy.name, "PolicyId": "ANPAMANAGED", "Arn": arn, "Path": "/",
            "DefaultVersionId": "v1", "AttachmentCount": 1, "IsAttachable": true,
            "PolicyVersionList": [{"Document": policy.document, "VersionId": "v1", "IsDefaultVersion": true}]
        }]
    }))
    .expect("the authorization details are well formed");
    let mut account = Account {
        id: ACCOUNT.into(),
        ..Account::default()
    };
    account.iam.authorization_details = Collected::Present(details);
    account
}

#[test]
fn no_passrole_path_rests_on_a_passrole_the_evaluator_denies() {
    let services = passed_services();
    assert!(
        !services.is_empty(),
        "the catalogue passes roles to services"
    );
    let mut checked = 0;
    let mut disagreements = Vec::new();
    for policy in &managed_policies().policies {
        let account = account_with(policy, &services);
        let principals = Principals::of_account(&account).expect("principals");
        let subject = principal_named(&account, &principals, "subject").expect("the subject role");
        let analysis = cartguard_iam::escalation::Analysis::for_account(&principals, &account);
        for finding in analysis
            .escalations()
            .into_iter()
            .filter(|f| f.principal == subject.arn)
        {
            let Some(service) = finding.method.requires.iter().find_map(|r| match r.target {
                Target::PassedRole(service) => Some(service),
                _ => None,
            }) else {
                continue;
            };
            let passes = finding
                .permissions
                .iter()
                .any(|p| p.action.eq_ignore_ascii_case("iam:PassRole"));
            if !passes {
                continue;
            }
            for target in &finding.targets {
                let role = acting_as(target);
                // Roles of the principal's own making are not in the evidence.
                if !role.starts_with(&format!("arn:aws:iam::{ACCOUNT}:role/admin-")) {
                    continue;
                }
                let mut context = RequestContext::new();
                context.set("iam:PassedToService", [service]);
                let question = Question {
                    context,
                    ..Question::new("iam:PassRole", role)
                };
                let answer = can(&account, &principals, subject, &question);
                checked += 1;
                let pass_use_certain = finding
                    .permissions
                    .iter()
                    .filter(|p| p.action.eq_ignore_ascii_case("iam:PassRole"))
                    .all(|p| p.certain);
                let wrong = match answer.decision {
                    Verdict::ExplicitDeny | Verdict::ImplicitDeny => Some("denied"),
                    // Allowed outright with the service bound: the step is proven.
                    Verdict::Allow if !pass_use_certain => {
                        Some("allowed outright, yet called conditional")
                    }
                    _ => None,
                };
                if let Some(how) = wrong {
                    disagreements.push(format!(
                        "{} ({}): {} to {service} is {how} by the evaluator, yet reported",
                        policy.name, finding.method.id, role
                    ));
                }
            }
        }
    }
    assert!(
        checked > 0,
        "some managed policy escalates by passing a role"
    );
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
