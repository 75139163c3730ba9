use cartguard_inventory::ec2;
use serde_json::json;

use super::ec2_arn;
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A security group that guards a database tier — attached to an RDS instance, or
    /// admitting a database or cache port — must admit traffic only from other
    /// security groups (the application tier), never from CIDR ranges or prefix lists.
    ///
    /// ## Why it matters
    /// A CIDR such as `10.0.0.0/8` admits every machine in every peered network, VPN
    /// and subnet that falls in it, including ones created next year. A security
    /// group reference admits exactly the application servers, however they scale.
    ///
    /// ## Severity
    /// Always high, whatever the range: a database admits more than the app tier.
    /// Whether the internet reaches it is `net-db-port-open`'s to rate.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws ec2 authorize-security-group-ingress --group-id sg-db --protocol tcp --port 3306 --source-group sg-app
    /// aws ec2 revoke-security-group-ingress --group-id sg-db --ip-permissions IpProtocol=tcp,FromPort=3306,ToPort=3306,IpRanges='[{CidrIp=10.0.0.0/8}]'
    /// ```
    ///
    /// ## Example
    /// A database group admitting `tcp/3306` from `10.0.0.0/8` fails; one admitting
    /// 3306 only from the app tier's group passes.
    pub static RULE = {
        id: "net-db-ingress-not-from-app-sg",
        title: "A database security group admits CIDR ranges instead of the app tier's group",
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
        let Some(groups) = super::regional(
            ctx,
            out,
            region.region,
            &ctx.account.regions[region.region].ec2.security_groups,
            ec2::DESCRIBE_SECURITY_GROUPS,
            "security-group/*",
        ) else {
            continue;
        };
        for group in groups {
            let arn = ec2_arn(ctx, region.region, "security-group", &group.group_id);
            if !region.network.is_database_tier(&group.group_id) {
                // An ingress rule whose traffic cannot be read may be on a database port.
                let unreadable = region.network.unreadable_traffic(&group.group_id, true);
                if !unreadable.is_empty() {
                    out.not_assessed(
                        &arn,
                        region.region,
                        format!(
                            "whether {} guards a database tier cannot be decided: {}",
                            group.group_id,
                            unreadable.join("; ")
                        ),
                    );
                }
                continue;
            }
            let Some(sources) = region.network.ingress_sources(&group.group_id) else {
                continue;
            };
            if sources.only_security_groups() {
                continue;
            }
            let mut ranges = sources.cidrs.clone();
            ranges.extend(sources.prefix_lists.iter().cloned());
            if ranges.is_empty() {
                if !sources.unreadable.is_empty() {
                    out.not_assessed(
                        &arn,
                        region.region,
                        format!(
                            "whether database security group {} admits address ranges cannot be decided: {}",
                            group.group_id,
                            sources.unreadable.join("; ")
                        ),
                    );
                }
                continue;
            }
            out.fail(Failure {
                detail: format!(
                    "Database security group {} ({}) admits address ranges {} instead of only the application tier's security group{}.",
                    group.group_id,
                    group.group_name,
                    ranges.join(", "),
                    if sources.security_groups.is_empty() { String::new() } else { format!(" (it also admits {})", sources.security_groups.join(", ")) }
                ),
                evidence: json!({"source": "describe-security-groups", "GroupId": group.group_id, "GroupName": group.group_name, "IpPermissions": group.ip_permissions}),
                remediation: format!(
                    "aws ec2 authorize-security-group-ingress --group-id {id} --protocol tcp --port <db port> --source-group <app tier group>; then aws ec2 revoke-security-group-ingress --group-id {id} for each of {}.",
                    ranges.join(", "),
                    id = group.group_id
                ),
                region: region.region.to_string(),
                ..Failure::global(ec2_arn(ctx, region.region, "security-group", &group.group_id))
            });
        }
    }
}
