use cartguard_inventory::ec2;
use serde_json::json;

use super::ec2_arn;
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// The default security group of every VPC (`GroupName: default`) must have no
    /// inbound and no outbound rules.
    ///
    /// ## Why it matters
    /// Anything launched without an explicit group lands in the default one. With
    /// its standard rules it lets every such resource talk to every other, and
    /// anywhere out — an unreviewed path into and out of the cardholder data
    /// environment. CIS asks for it to restrict all traffic.
    ///
    /// ## Severity
    /// Always medium.
    ///
    /// ## How to fix
    /// Move resources to purpose-made groups, then remove every rule of the default group:
    ///
    /// ```sh
    /// aws ec2 revoke-security-group-ingress --group-id sg-default --ip-permissions "$(aws ec2 describe-security-groups --group-ids sg-default --query 'SecurityGroups[0].IpPermissions')"
    /// aws ec2 revoke-security-group-egress --group-id sg-default --ip-permissions "$(aws ec2 describe-security-groups --group-ids sg-default --query 'SecurityGroups[0].IpPermissionsEgress')"
    /// ```
    ///
    /// ## Example
    /// A default group with its self-referencing allow-all ingress rule fails; a
    /// default group with empty `IpPermissions` and `IpPermissionsEgress` passes.
    pub static RULE = {
        id: "net-default-sg-open",
        title: "A VPC's default security group allows traffic",
        severity: Medium,
        area: Network,
        evidence: [&[ec2::DESCRIBE_SECURITY_GROUPS]],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    if !super::any_region(ctx, out) {
        return;
    }
    for (name, region) in &ctx.account.regions {
        let Some(groups) = super::regional(
            ctx,
            out,
            name,
            &region.ec2.security_groups,
            ec2::DESCRIBE_SECURITY_GROUPS,
            "security-group/*",
        ) else {
            continue;
        };
        for group in groups.iter().filter(|g| g.group_name == "default") {
            let (inbound, outbound) = (
                group.ip_permissions.len(),
                group.ip_permissions_egress.len(),
            );
            if inbound == 0 && outbound == 0 {
                continue;
            }
            out.fail(Failure {
                detail: format!(
                    "The default security group {} of {} has {inbound} inbound and {outbound} outbound rule(s).",
                    group.group_id,
                    group.vpc_id.as_deref().unwrap_or("its VPC")
                ),
                evidence: json!({"source": "describe-security-groups", "GroupId": group.group_id, "VpcId": group.vpc_id, "IpPermissions": group.ip_permissions, "IpPermissionsEgress": group.ip_permissions_egress}),
                remediation: format!(
                    "Move any resource using {id} to a purpose-made group, then revoke all its rules: aws ec2 revoke-security-group-ingress --group-id {id} --ip-permissions <its IpPermissions>; aws ec2 revoke-security-group-egress --group-id {id} --ip-permissions <its IpPermissionsEgress>.",
                    id = group.group_id
                ),
                region: name.clone(),
                ..Failure::global(ec2_arn(ctx, name, "security-group", &group.group_id))
            });
        }
    }
}
