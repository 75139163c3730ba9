use cartguard_net::{Protocol, ServiceSet};

use super::{
    OpenClass, describe, exposure_evidence, exposure_gaps, latent_findings, open_to_world,
    target_arn, undecided_exposure,
};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Whether every TCP port of an instance, interface or database is reachable from
    /// every internet address — typically a security group rule for all traffic
    /// (`-1`) from `0.0.0.0/0` on a machine with a public address and an open
    /// network ACL. Groups that allow everything but whose members the internet
    /// cannot reach are reported as latent exposure.
    ///
    /// ## Why it matters
    /// Every service on the machine — admin panels, debug ports, the database that
    /// "only listens locally" after a config change — is one scan away from the
    /// internet. There is no firewall left; PCI DSS requires inbound traffic to be
    /// restricted to what is necessary.
    ///
    /// ## Severity
    /// Critical when the internet reaches every port today; medium, two levels
    /// lower, for a security group open to the world whose members the internet
    /// cannot reach (latent exposure).
    ///
    /// ## How to fix
    /// Replace the allow-all rule with rules for the ports the service needs, from
    /// the sources that need them (for a web tier: 443 from the load balancer's group):
    ///
    /// ```sh
    /// aws ec2 revoke-security-group-ingress --group-id sg-0123 --ip-permissions IpProtocol=-1,IpRanges='[{CidrIp=0.0.0.0/0}]'
    /// aws ec2 authorize-security-group-ingress --group-id sg-0123 --protocol tcp --port 443 --source-group sg-alb
    /// ```
    ///
    /// ## Example
    /// An instance with a public IP whose group has `{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}`
    /// fails; an instance whose group admits only `tcp/443` passes.
    pub static RULE = {
        id: "net-all-ports-open",
        title: "All ports are reachable from the internet",
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
    let every_tcp_port = ServiceSet::protocol(Protocol::Tcp);
    for region in ctx.networks() {
        exposure_gaps(ctx, region, out);
        for reach in &region.exposure.endpoints {
            let open = open_to_world(reach);
            if !every_tcp_port.is_subset(&open) {
                undecided_exposure(ctx, region, reach, &every_tcp_port.difference(&open), out);
                continue;
            }
            out.fail(Failure {
                detail: format!("{} is reachable from the whole internet on every TCP port ({}).", reach.target, describe(&open)),
                evidence: exposure_evidence(reach, &open),
                remediation: "Replace the allow-all ingress rule with rules for the ports the service needs, from the sources that need them (aws ec2 revoke-security-group-ingress … IpProtocol=-1; aws ec2 authorize-security-group-ingress --protocol tcp --port 443 --source-group <load balancer group>).".into(),
                region: region.region.to_string(),
                ..Failure::global(target_arn(ctx, region.region, &reach.target))
            });
        }
        latent_findings(ctx, region, OpenClass::AllPorts, out);
    }
}
