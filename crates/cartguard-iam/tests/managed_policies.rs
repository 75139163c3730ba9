//! AWS's own managed policies (tests/data, dated) against the action catalogue:
//! every action they name is one the catalogue knows, apart from the short
//! lists below, each entry with its reason.

#[path = "support/managed_policies.rs"]
mod managed_policies;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use cartguard_iam::{Policy, PolicyKind, catalogue};
use managed_policies::managed_policies;

/// Service prefixes some managed policy names that no copy of the reference
/// the catalogue is built from lists, not even as retired, with why.
const GONE_SERVICES: &[(&str, &str)] = &[
    (
        "applicationwizard",
        "the Application Wizard console, superseded by AWS Launch Wizard (launchwizard); only a deprecated policy names it",
    ),
    (
        "builderid",
        "AWS Builder ID has no page in the reference; only the managed-settings and Supply Chain federation policies name it",
    ),
    (
        "catalog-admin",
        "AWS Service Catalog's prefix for administrators before servicecatalog; only a deprecated policy names it",
    ),
    (
        "catalog-user",
        "AWS Service Catalog's prefix for end users before servicecatalog; only deprecated policies name it",
    ),
    (
        "crowd",
        "the Mechanical Turk crowd console, absent from the reference (mechanicalturk is listed); only deprecated policies name it",
    ),
    (
        "datazonecontrol",
        "Amazon DataZone's preview prefix, before datazone; only deprecated policies name it",
    ),
    (
        "ec2-reports",
        "the retired EC2 usage reports console; only a deprecated policy names it",
    ),
    (
        "iotroborunner",
        "AWS IoT RoboRunner, a preview AWS ended; only deprecated policies name it",
    ),
    (
        "mobilehub",
        "AWS Mobile Hub, retired in favour of AWS Amplify; only deprecated policies name it",
    ),
    (
        "sumerian",
        "Amazon Sumerian, discontinued; only a deprecated policy names it",
    ),
    (
        "zocalo",
        "Amazon WorkDocs' original prefix, which the reference no longer lists (WorkDocs is workdocs)",
    ),
];

/// Names of live services that one managed policy uses and the reference does
/// not list, by (policy, service prefix), with why: leftovers and slips in
/// AWS's own policies, or permissions AWS has not documented.
const POLICY_LEFTOVERS: &[(&str, &str, &str)] = &[
    (
        "AWSManagedSettingsAdminAccess",
        "budgets",
        "the Billing console's old budget calls (CreateBudget, DescribeBudgets, ...); the reference has ModifyBudget and ViewBudget",
    ),
    (
        "AWSManagedSettingsAdminAccess",
        "organizations",
        "CreateBuilderIdOwnedAccount, not in the reference",
    ),
    (
        "AWSManagedSettingsAdminAccess",
        "payments",
        "payment-profile and currency calls of the Billing console the reference does not list",
    ),
    (
        "AWSCodeStarFullAccess",
        "cloud9",
        "ValidateEnvironmentName, no longer in the reference",
    ),
    (
        "RDSCloudHsmAuthorizationRole",
        "cloudhsm",
        "the Luna client and HA partition group calls of CloudHSM Classic, which AWS retired",
    ),
    (
        "MemoryDBServiceRolePolicy",
        "memorydb",
        "ReplicateMultiRegionClusterData, a service-internal permission of the service-linked role",
    ),
    (
        "AWSIAMIdentityCenterAllowListForIdentityContext",
        "qapps",
        "ImportDocumentToQApp(Session), not in the reference",
    ),
    (
        "AmazonRoute53RecoveryControlConfigReadOnlyAccess",
        "route53-recovery-control-config",
        "DescribeRoutingControlByName, not in the reference",
    ),
    (
        "AmazonLaunchWizardFullaccess",
        "s3",
        "API operation names (ListBuckets, ListObjects, ListObjectsV2) where IAM has ListAllMyBuckets and ListBucket; a deprecated policy",
    ),
    (
        "SecurityAgentWebAppAPIPolicy",
        "securityagent",
        "calls of AWS Security Agent's web application that the reference does not list yet",
    ),
    (
        "ServiceCatalogAdminReadOnlyAccess",
        "servicecatalog",
        "AccountLevel* and GetTagOptionMigrationStatus, no longer in the reference; a deprecated policy",
    ),
    (
        "AmazonApplicationWizardFullaccess",
        "ssm",
        "RemoveTagsToResource, a slip for RemoveTagsFromResource; a deprecated policy",
    ),
];

fn service_of(entry: &str) -> &str {
    entry.split_once(':').map_or(entry, |(s, _)| s)
}

/// Every `Action`/`NotAction` entry of a managed policy that the catalogue
/// does not know, as (entry, policy), computed once. Patterns are expanded
/// first: a pattern that matches no catalogue action is unknown.
fn unknown_entries() -> &'static BTreeSet<(String, String)> {
    static UNKNOWN: OnceLock<BTreeSet<(String, String)>> = OnceLock::new();
    UNKNOWN.get_or_init(|| {
        let cat = catalogue();
        let mut unknown = BTreeSet::new();
        for managed in managed_policies().iter() {
            let policy = Policy::parse(&managed.name, PolicyKind::Identity, &managed.document)
                .unwrap_or_else(|e| panic!("{} does not parse: {e}", managed.name));
            for (_, entry) in cat.unknown_actions(&policy) {
                unknown.insert((entry, managed.name.clone()));
            }
        }
        unknown
    })
}

/// The exception that excuses an unknown entry of a policy, if one does.
fn excuse(entry: &str, policy: &str) -> Option<String> {
    let service = service_of(entry);
    if let Some((prefix, _)) = GONE_SERVICES
        .iter()
        .find(|(prefix, _)| prefix.eq_ignore_ascii_case(service))
    {
        return Some(format!("service {prefix}"));
    }
    POLICY_LEFTOVERS
        .iter()
        .find(|(p, prefix, _)| *p == policy && prefix.eq_ignore_ascii_case(service))
        .map(|(p, prefix, _)| format!("{p}/{prefix}"))
}

#[test]
fn the_data_is_dated_and_complete() {
    let all = managed_policies();
    assert!(all.len() > 1_400, "{} policies", all.len());
    assert!(all.source.date.starts_with("20"), "{:?}", all.source);
    let audit = all.get("SecurityAudit").expect("SecurityAudit is vendored");
    assert_eq!(
        audit.arn.as_deref(),
        Some("arn:aws:iam::aws:policy/SecurityAudit")
    );
    assert!(all.get("AdministratorAccess").is_some());
}

#[test]
fn every_action_aws_managed_policies_name_is_known() {
    let unexcused: Vec<String> = unknown_entries()
        .iter()
        .filter(|(entry, policy)| excuse(entry, policy).is_none())
        .map(|(entry, policy)| format!("{entry} (in {policy})"))
        .collect();
    assert!(
        unexcused.is_empty(),
        "{} entries of AWS managed policies match no catalogue action; regenerate the \
         catalogue (scripts/gen-action-catalogue.py) or, for a retired service or a slip \
         in AWS's policy, add an exception with its reason:\n{}",
        unexcused.len(),
        unexcused.join("\n")
    );
}

#[test]
fn every_exception_is_still_needed() {
    let used: BTreeSet<String> = unknown_entries()
        .iter()
        .filter_map(|(entry, policy)| excuse(entry, policy))
        .collect();
    let cat = catalogue();
    for (prefix, _) in GONE_SERVICES {
        assert!(
            !cat.knows(&format!("{prefix}:*")),
            "{prefix} is in the catalogue: remove it from GONE_SERVICES"
        );
        assert!(
            used.contains(&format!("service {prefix}")),
            "no managed policy names {prefix} any more: remove it from GONE_SERVICES"
        );
    }
    for (policy, prefix, _) in POLICY_LEFTOVERS {
        assert!(
            cat.knows(&format!("{prefix}:*")),
            "{prefix} is not a live service: it belongs in GONE_SERVICES"
        );
        assert!(
            used.contains(&format!("{policy}/{prefix}")),
            "{policy} names no unknown {prefix} action any more: remove it from POLICY_LEFTOVERS"
        );
    }
}

#[test]
fn security_audit_names_only_known_actions() {
    // AWS's SecurityAudit names deepracer:ListModels: DeepRacer left the
    // reference, so the catalogue keeps it as a retired service.
    let audit = managed_policies()
        .get("SecurityAudit")
        .expect("SecurityAudit is vendored");
    let policy = Policy::parse(&audit.name, PolicyKind::Identity, &audit.document)
        .unwrap_or_else(|e| panic!("SecurityAudit does not parse: {e}"));
    let cat = catalogue();
    let unknown: Vec<String> = cat
        .unknown_actions(&policy)
        .into_iter()
        .map(|(_, entry)| entry)
        .collect();
    assert!(
        unknown.is_empty(),
        "SecurityAudit names unknown {unknown:?}"
    );
    let listed = cat.lookup("deepracer:ListModels");
    assert!(listed.is_some_and(|a| a.retired.is_some()), "{listed:?}");
}

#[test]
fn every_managed_policy_parses_and_names_known_or_excused_actions() {
    let cat = catalogue();
    for managed in managed_policies().iter() {
        let policy = Policy::parse(&managed.name, PolicyKind::Identity, &managed.document)
            .unwrap_or_else(|e| panic!("{} does not parse: {e}", managed.name));
        assert!(
            !policy.statements.is_empty(),
            "{} has no statement",
            managed.name
        );
        // A policy that names no catalogue action names only excused entries.
        let grants = policy
            .statements
            .iter()
            .any(|s| !cat.statement_actions(s).actions.is_empty());
        let all_excused = policy.statements.iter().all(|s| {
            s.actions
                .patterns
                .iter()
                .all(|p| excuse(p.as_str(), &managed.name).is_some())
        });
        assert!(
            grants || all_excused,
            "{} names no catalogue action",
            managed.name
        );
    }
}
