use cartguard_net::AdminEntryKind;
use serde_json::json;

use super::{acls_assessed, ec2_arn, entry_text};
use crate::{Context, Emitter, Failure, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// No inbound network ACL entry may admit SSH (22) or RDP (3389) from `0.0.0.0/0`
    /// or `::/0` — whether by a port range aimed at administration or by an
    /// allow-all entry (CIS 5.1 / 6.2). Entries are evaluated in order, so an entry
    /// whose 22/3389 traffic is already denied by a lower-numbered entry is not
    /// reported. An ephemeral return entry (1024–65535, needed for replies to
    /// outbound connections through NAT gateways and load balancers) that happens to
    /// include 3389 is reported at low severity as a CIS deviation only: whether
    /// anything listens there is decided by security groups, and `net-admin-port-open`
    /// reports it if it is reachable.
    ///
    /// ## Why it matters
    /// The network ACL is the subnet-wide second line behind security groups; if it
    /// admits administration ports from anywhere, one permissive security group is
    /// all it takes to put SSH or RDP on the internet.
    ///
    /// ## Severity
    /// High for an entry that admits SSH or RDP from the whole internet (a port
    /// range for administration, or all traffic); low for an ephemeral return range
    /// that happens to include 3389, a CIS deviation whose exposure security groups
    /// decide.
    ///
    /// ## How to fix
    /// Deny 22 and 3389 from the internet before the allows (or narrow the allow):
    ///
    /// ```sh
    /// aws ec2 create-network-acl-entry --network-acl-id acl-0123 --ingress --rule-number 50 \
    ///   --protocol tcp --port-range From=22,To=22 --cidr-block 0.0.0.0/0 --rule-action deny
    /// ```
    ///
    /// ## Example
    /// Inbound rule 140 `allow tcp/22 0.0.0.0/0` fails (high); the default ACL's
    /// rule 100 `allow all 0.0.0.0/0` fails (high); rule 120 `allow tcp/1024-65535
    /// 0.0.0.0/0` is low; a deny of 22 at rule 50 before an allow-all passes for SSH.
    pub static RULE = {
        id: "net-nacl-admin-port-open",
        title: "A network ACL admits SSH or RDP from the whole internet",
        severity: High,
        lowest: Low,
        area: Network,
        evidence: [cartguard_net::EVIDENCE],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    if !super::any_region(ctx, out) {
        return;
    }
    for region in ctx.networks() {
        if !acls_assessed(ctx, region, out) {
            continue;
        }
        super::unreadable_acls(ctx, region, out);
        for admin in &region.acls.admin_ports {
            let entry = entry_text(&admin.entry, cartguard_net::Direction::Inbound);
            let ports: Vec<String> = admin.admin_ports.iter().map(|p| p.to_string()).collect();
            let subnets = region.network.subnets_using_acl(&admin.acl_id);
            let (severity, what) = match admin.kind {
                AdminEntryKind::EphemeralReturnRange => (
                    Severity::Low,
                    "an ephemeral return range that includes the RDP port (a CIS deviation; security groups decide whether anything listens)",
                ),
                AdminEntryKind::AllTraffic => (
                    Severity::High,
                    "all traffic, including administration ports",
                ),
                AdminEntryKind::Administration => (
                    Severity::High,
                    "a port range aimed at remote administration",
                ),
            };
            out.fail(Failure {
                detail: format!(
                    "Network ACL {} ({}) has {entry}: {what}, admitting TCP {} from the whole internet.",
                    admin.acl_id,
                    if subnets.is_empty() { "associated with no subnet".to_string() } else { format!("subnets {}", subnets.join(", ")) },
                    ports.join(" and ")
                ),
                evidence: json!({"source": "describe-network-acls", "entry": admin, "subnets": subnets}),
                remediation: format!(
                    "Add inbound deny entries for tcp/22 and tcp/3389 from 0.0.0.0/0 and ::/0 numbered below {} (aws ec2 create-network-acl-entry --network-acl-id {} --ingress --rule-number <n> --protocol tcp --port-range From=22,To=22 --cidr-block 0.0.0.0/0 --rule-action deny), or narrow the entry's ports.",
                    admin.entry.rule_number, admin.acl_id
                ),
                discriminator: Some(format!("{}-{}", admin.entry.rule_number, admin.entry.cidr)),
                severity: Some(severity),
                region: region.region.to_string(),
                ..Failure::global(ec2_arn(ctx, region.region, "network-acl", &admin.acl_id))
            });
        }
    }
}
