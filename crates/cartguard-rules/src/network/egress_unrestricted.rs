use cartguard_inventory::{ec2, elbv2};
use cartguard_net::Target;
use serde_json::json;

use super::ec2_arn;
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Security groups of a backend or database tier — attached to an RDS instance,
    /// guarding a database port, or attached to instances in private subnets or
    /// registered behind a load balancer — must
    /// not allow all outbound traffic to `0.0.0.0/0` or `::/0`.
    ///
    /// ## Why it matters
    /// Unrestricted egress is how stolen card data and credentials leave: a
    /// compromised backend can send anything anywhere, and malware can fetch its
    /// next stage. PCI DSS 1.3.2 asks that outbound traffic from the cardholder data
    /// environment be restricted to what is necessary.
    ///
    /// ## Severity
    /// Always low: open egress does not expose anything by itself; it makes theft
    /// and command-and-control easier after a compromise.
    ///
    /// ## How to fix
    /// Replace the allow-all egress rule with the destinations the tier needs (the
    /// database's group, VPC endpoints, a proxy for the payment provider's API):
    ///
    /// ```sh
    /// aws ec2 revoke-security-group-egress --group-id sg-app --ip-permissions IpProtocol=-1,IpRanges='[{CidrIp=0.0.0.0/0}]'
    /// aws ec2 authorize-security-group-egress --group-id sg-app --ip-permissions IpProtocol=tcp,FromPort=3306,ToPort=3306,UserIdGroupPairs='[{GroupId=sg-db}]'
    /// ```
    ///
    /// ## Example
    /// A database group with the default `IpProtocol -1 → 0.0.0.0/0` egress rule
    /// fails; a bastion's group in a public subnet is not a backend tier and is not checked.
    pub static RULE = {
        id: "net-egress-unrestricted",
        title: "A backend or database tier allows all outbound traffic",
        severity: Low,
        area: Network,
        evidence: [cartguard_net::EVIDENCE, &[elbv2::DESCRIBE_TARGET_GROUPS, elbv2::DESCRIBE_TARGET_HEALTH]],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    if !super::any_region(ctx, out) {
        return;
    }
    for region in ctx.networks() {
        let evidence = &ctx.account.regions[region.region].ec2;
        let Some(groups) = super::regional(
            ctx,
            out,
            region.region,
            &evidence.security_groups,
            ec2::DESCRIBE_SECURITY_GROUPS,
            "security-group/*",
        ) else {
            continue;
        };
        let instances = evidence.instances.present();
        let balanced: Vec<&str> = ctx.account.regions[region.region]
            .elbv2
            .target_health
            .values()
            .filter_map(|h| h.present())
            .flatten()
            .map(|t| t.target.id.as_str())
            .collect();
        let gaps = tiering_gaps(ctx, region.region);
        for group in groups {
            let unrestricted = region.network.egress_unrestricted(&group.group_id);
            // An egress rule that cannot be read may be the one that lets everything out.
            let unreadable: Vec<String> = region
                .network
                .problems_of(&group.group_id)
                .iter()
                .filter(|p| p.resource.contains(" egress rule "))
                .map(ToString::to_string)
                .collect();
            if !unrestricted && unreadable.is_empty() {
                continue;
            }
            let members = region.network.attachments(&group.group_id);
            let private_instance = |id: &str| {
                instances
                    .and_then(|all| all.iter().find(|i| i.instance_id == id))
                    .and_then(|i| i.subnet_id.as_deref())
                    .and_then(|subnet| region.network.subnet_is_public(subnet))
                    == Some(false)
            };
            let tier = if members.iter().any(|m| matches!(m, Target::Database(_))) || region.network.is_database_tier(&group.group_id) {
                "database"
            } else if members.iter().any(|m| matches!(m, Target::Instance(id) if private_instance(id) || balanced.contains(&id.as_str()))) {
                "backend"
            } else {
                if !gaps.is_empty() {
                    out.not_assessed(
                        &ec2_arn(ctx, region.region, "security-group", &group.group_id),
                        region.region,
                        format!(
                            "security group {} allows all outbound traffic, and whether it serves a backend or database tier cannot be told: {}",
                            group.group_id,
                            gaps.join("; ")
                        ),
                    );
                }
                continue;
            };
            if !unrestricted {
                out.not_assessed(
                    &ec2_arn(ctx, region.region, "security-group", &group.group_id),
                    region.region,
                    format!(
                        "whether security group {} of a {tier} tier allows all outbound traffic cannot be decided: {}",
                        group.group_id,
                        unreadable.join("; ")
                    ),
                );
                continue;
            }
            let member_names: Vec<String> = members.iter().map(ToString::to_string).collect();
            out.fail(Failure {
                detail: format!(
                    "Security group {} ({}) of a {tier} tier ({}) allows all outbound traffic to the internet.",
                    group.group_id,
                    group.group_name,
                    if member_names.is_empty() { "no members".to_string() } else { member_names.join(", ") }
                ),
                evidence: json!({"source": "describe-security-groups", "GroupId": group.group_id, "IpPermissionsEgress": group.ip_permissions_egress, "members": member_names}),
                remediation: format!(
                    "aws ec2 revoke-security-group-egress --group-id {} --ip-permissions IpProtocol=-1,IpRanges='[{{CidrIp=0.0.0.0/0}}]' (and the ::/0 rule), then allow only the destinations the tier needs (database group, VPC endpoints, an egress proxy).",
                    group.group_id
                ),
                region: region.region.to_string(),
                ..Failure::global(ec2_arn(ctx, region.region, "security-group", &group.group_id))
            });
        }
    }
}

/// What is missing to tell a group's tier: its members (instances and their
/// interfaces), whether their subnets are private (subnets and route tables),
/// and which instances serve a load balancer (target groups and their health).
fn tiering_gaps(ctx: &Context, region: &str) -> Vec<String> {
    let ec2 = &ctx.account.regions[region].ec2;
    let mut gaps: Vec<String> = [
        ec2.instances
            .unavailable_reason(&ec2::DESCRIBE_INSTANCES.key(region)),
        ec2.network_interfaces
            .unavailable_reason(&ec2::DESCRIBE_NETWORK_INTERFACES.key(region)),
        ec2.subnets
            .unavailable_reason(&ec2::DESCRIBE_SUBNETS.key(region)),
        ec2.route_tables
            .unavailable_reason(&ec2::DESCRIBE_ROUTE_TABLES.key(region)),
    ]
    .into_iter()
    .flatten()
    .collect();
    gaps.extend(super::load_balancer_targets_unknown(ctx, region));
    gaps
}
