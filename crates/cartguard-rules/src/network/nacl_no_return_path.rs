use cartguard_inventory::ec2;
use serde_json::json;

use super::{acls_assessed, ec2_arn, entry_text};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Network ACLs are stateless: a flow they admit in one direction needs its
    /// replies — from the service port to the client's ephemeral ports 1024–65535 —
    /// allowed in the other. For every entry that admits requests (inbound to a
    /// service, or outbound to a remote service), cartguard evaluates the opposite
    /// direction's entries in order and reports the flows whose replies are dropped,
    /// naming the entry that drops them (or the implicit final deny). Only ACLs
    /// associated with a subnet are checked.
    ///
    /// ## Why it matters
    /// The service the entry was written for cannot work: customers' HTTPS requests
    /// arrive and their answers are thrown away. Such half-open configurations are
    /// often "fixed" later by allowing everything, which is worse.
    ///
    /// ## Severity
    /// Always high.
    ///
    /// ## How to fix
    /// Allow the reply traffic on the ephemeral range in the other direction:
    ///
    /// ```sh
    /// aws ec2 create-network-acl-entry --network-acl-id acl-0123 --egress --rule-number 120 \
    ///   --protocol tcp --port-range From=1024,To=65535 --cidr-block 0.0.0.0/0 --rule-action allow
    /// ```
    ///
    /// ## Example
    /// A public subnet's ACL admitting inbound `tcp/443` from `0.0.0.0/0` but allowing
    /// outbound traffic only to `10.0.0.0/16` fails (the implicit deny drops the
    /// replies); adding outbound `tcp/1024-65535` to `0.0.0.0/0` passes.
    pub static RULE = {
        id: "net-nacl-no-return-path",
        title: "A network ACL admits a flow but drops its replies",
        severity: High,
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
        // Without the subnets, an ACL that seems unused may be the default of
        // subnets the evidence does not show.
        let subnets_unknown = ctx.account.regions[region.region]
            .ec2
            .subnets
            .unavailable_reason(&ec2::DESCRIBE_SUBNETS.key(region.region));
        let mut undecided: Vec<&str> = Vec::new();
        for gap in &region.acls.missing_return_paths {
            if gap.replies_dropped_for.is_empty() {
                continue;
            }
            let subnets = region.network.subnets_using_acl(&gap.acl_id);
            if subnets.is_empty() {
                if let Some(reason) = &subnets_unknown
                    && !undecided.contains(&gap.acl_id.as_str())
                {
                    undecided.push(&gap.acl_id);
                    out.not_assessed(
                        &ec2_arn(ctx, region.region, "network-acl", &gap.acl_id),
                        region.region,
                        format!(
                            "network ACL {} drops the replies of a flow it admits, and whether any subnet uses it cannot be told: {reason}",
                            gap.acl_id
                        ),
                    );
                }
                continue;
            }
            let flow = entry_text(&gap.flow_entry, gap.direction);
            let droppers: Vec<String> = gap
                .dropped_by
                .iter()
                .map(|n| {
                    if cartguard_net::is_implicit_deny(*n) {
                        "the implicit final deny (*)".to_string()
                    } else {
                        format!("rule {n}")
                    }
                })
                .collect();
            let reply_way = match gap.direction.reverse() {
                cartguard_net::Direction::Inbound => "--ingress",
                cartguard_net::Direction::Outbound => "--egress",
            };
            let remotes = gap.replies_dropped_for.describe();
            out.fail(Failure {
                detail: format!(
                    "Network ACL {} (subnets {}) admits {flow}, but the replies to {} are dropped by {}{}.",
                    gap.acl_id,
                    subnets.join(", "),
                    remotes.join(", "),
                    droppers.join(", "),
                    if gap.completely_dropped { ": the flow cannot work at all" } else { "" }
                ),
                evidence: json!({"source": "describe-network-acls", "missing_return_path": gap, "subnets": subnets}),
                remediation: format!(
                    "aws ec2 create-network-acl-entry --network-acl-id {} {reply_way} --rule-number <below {}> --protocol {} --port-range From=1024,To=65535 --cidr-block {} --rule-action allow",
                    gap.acl_id,
                    gap.dropped_by.first().copied().unwrap_or(cartguard_net::IMPLICIT_DENY),
                    gap.protocol,
                    remotes.first().map(String::as_str).unwrap_or("0.0.0.0/0")
                ),
                discriminator: Some(format!("{:?}-{}-{}", gap.direction, gap.flow_entry.rule_number, gap.protocol)),
                region: region.region.to_string(),
                ..Failure::global(ec2_arn(ctx, region.region, "network-acl", &gap.acl_id))
            });
        }
    }
}
