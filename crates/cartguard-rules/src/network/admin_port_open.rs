use super::{
    OpenClass, admin_ports, admitting_groups, describe, exposure_evidence, exposure_gaps,
    latent_findings, open_to_world, target_arn, undecided_exposure,
};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Whether SSH (TCP 22) or RDP (TCP 3389) on an instance, network interface or
    /// database is reachable from every internet address (`0.0.0.0/0` or `::/0`).
    /// Reachable means the whole path lets the packet in and its reply out: a public
    /// address, a route to an internet gateway, the subnet's network ACL in both
    /// directions, and a security group rule. A security group open to the world
    /// whose members the internet cannot reach is reported as latent exposure.
    ///
    /// ## Why it matters
    /// Internet-wide scanners find an open SSH or RDP port within minutes and start
    /// guessing passwords and exploiting server bugs; remote administration is the
    /// first door an attacker tries into the servers that run the checkout.
    ///
    /// ## Severity
    /// Critical when the internet reaches the port today; medium, two levels lower,
    /// for a security group open to the world whose members the internet cannot
    /// reach (latent exposure: one change, such as a public address, makes it
    /// real).
    ///
    /// ## How to fix
    /// Close the port to the internet and reach the servers through AWS Systems
    /// Manager Session Manager (no inbound port at all) or a VPN:
    ///
    /// ```sh
    /// aws ec2 revoke-security-group-ingress --group-id sg-0123456789abcdef0 \
    ///   --ip-permissions IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges='[{CidrIp=0.0.0.0/0}]'
    /// aws ssm start-session --target i-0123456789abcdef0
    /// ```
    ///
    /// ## Example
    /// A bastion with a public IP in a subnet routed to an internet gateway, whose
    /// security group admits `tcp/22` from `0.0.0.0/0` and whose NACL allows it,
    /// fails; the same group on a private instance without a public address is
    /// latent exposure (medium); a group admitting 22 only from `203.0.113.10/32` passes.
    pub static RULE = {
        id: "net-admin-port-open",
        title: "SSH or RDP is reachable from the whole internet",
        severity: Critical,
        lowest: Medium,
        area: Network,
        evidence: [cartguard_net::EVIDENCE],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    if !super::any_region(ctx, out) {
        return;
    }
    let admin = admin_ports();
    for region in ctx.networks() {
        exposure_gaps(ctx, region, out);
        for reach in &region.exposure.endpoints {
            let open = open_to_world(reach).intersection(&admin);
            undecided_exposure(ctx, region, reach, &admin.difference(&open), out);
            if open.is_empty() {
                continue;
            }
            let groups = admitting_groups(reach, &open);
            out.fail(Failure {
                detail: format!("{} is reachable from the whole internet on {}.", reach.target, describe(&open)),
                evidence: exposure_evidence(reach, &open),
                remediation: format!(
                    "Remove the 0.0.0.0/0 and ::/0 rules for {} from {} (aws ec2 revoke-security-group-ingress --group-id <group> --ip-permissions …) and administer through SSM Session Manager or a VPN.",
                    describe(&open),
                    if groups.is_empty() { "the security groups".to_string() } else { groups.join(", ") }
                ),
                region: region.region.to_string(),
                ..Failure::global(target_arn(ctx, region.region, &reach.target))
            });
        }
        latent_findings(ctx, region, OpenClass::Admin, out);
    }
}
