//! Coverage: which areas of each account were assessed, and which were not and why.

use cartguard_inventory::{Account, Collected, Inventory};
use serde::Serialize;

/// How much of an area could be assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CoverageStatus {
    /// Every piece of evidence the area's rules use was collected.
    Assessed,
    /// Some was collected, some not.
    Partial,
    /// None was collected.
    NotAssessed,
}

/// The coverage of one area (service) in one account and region.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    /// The account id.
    pub account: String,
    /// The area (AWS service).
    pub area: String,
    /// Region, or `global`.
    pub region: String,
    /// Status.
    pub status: CoverageStatus,
    /// What was missing, when anything was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Why a piece of evidence cannot be used, if it cannot.
type Item = Option<String>;

fn item<T>(name: &str, collected: &Collected<T>) -> Item {
    collected.unavailable_reason(name)
}

/// The coverage of every account in the inventory.
pub fn coverage(inventory: &Inventory) -> Vec<Coverage> {
    let mut out = Vec::new();
    for account in &inventory.accounts {
        account_coverage(account, &mut out);
    }
    out
}

fn account_coverage(account: &Account, out: &mut Vec<Coverage>) {
    let iam = &account.iam;
    push(
        out,
        account,
        "iam",
        "global",
        vec![
            item(
                "get-account-authorization-details",
                &iam.authorization_details,
            ),
            item("get-credential-report", &iam.credential_report),
            item("get-account-summary", &iam.account_summary),
            item("get-account-password-policy", &iam.password_policy),
            item("list-virtual-mfa-devices", &iam.virtual_mfa_devices),
            item("list-open-id-connect-providers", &iam.oidc_providers),
        ],
    );
    // SCPs narrow what every principal may do; without them (or with one that
    // cannot be parsed) permissions are evaluated as if it did not exist.
    let mut organizations = vec![item(
        "list-policies-for-target (service control policies)",
        &iam.service_control_policies,
    )];
    let (_, unreadable) = cartguard_iam::principals::service_control_policies(account);
    organizations.extend(unreadable.into_iter().map(|failure| {
        Some(format!(
            "the SCP {} could not be parsed ({}), so permissions were evaluated without it",
            failure.policy, failure.error
        ))
    }));
    push(out, account, "organizations", "global", organizations);
    push(
        out,
        account,
        "s3",
        "global",
        vec![item("list-buckets", &account.s3.buckets)],
    );
    for (name, region) in &account.regions {
        let ec2 = &region.ec2;
        push(
            out,
            account,
            "ec2",
            name,
            vec![
                item("describe-vpcs", &ec2.vpcs),
                item("describe-subnets", &ec2.subnets),
                item("describe-route-tables", &ec2.route_tables),
                item("describe-internet-gateways", &ec2.internet_gateways),
                item("describe-nat-gateways", &ec2.nat_gateways),
                item("describe-network-acls", &ec2.network_acls),
                item("describe-security-groups", &ec2.security_groups),
                item("describe-instances", &ec2.instances),
                item("describe-network-interfaces", &ec2.network_interfaces),
                item("describe-flow-logs", &ec2.flow_logs),
            ],
        );
        push(
            out,
            account,
            "rds",
            name,
            vec![item("describe-db-instances", &region.rds.db_instances)],
        );
        let mut elb = vec![item(
            "describe-load-balancers",
            &region.elbv2.load_balancers,
        )];
        for (lb, listeners) in &region.elbv2.listeners {
            elb.push(item(&format!("describe-listeners/{lb}"), listeners));
        }
        push(out, account, "elbv2", name, elb);
        push(
            out,
            account,
            "accessanalyzer",
            name,
            vec![item("list-analyzers", &region.access_analyzers)],
        );
        push(
            out,
            account,
            "sso-admin",
            name,
            vec![item("list-instances", &region.identity_center_instances)],
        );
    }
}

fn push(out: &mut Vec<Coverage>, account: &Account, area: &str, region: &str, items: Vec<Item>) {
    let missing: Vec<String> = items.iter().flatten().cloned().collect();
    let status = if missing.is_empty() {
        CoverageStatus::Assessed
    } else if missing.len() == items.len() {
        CoverageStatus::NotAssessed
    } else {
        CoverageStatus::Partial
    };
    out.push(Coverage {
        account: account.id.clone(),
        area: area.to_string(),
        region: region.to_string(),
        status,
        reason: (!missing.is_empty()).then(|| missing.join("; ")),
    });
}
