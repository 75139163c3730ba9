use cartguard_net::{Protocol, ServiceSet};

use super::{
    OpenClass, admin_ports, all_ports, database_ports, describe, exposure_evidence, exposure_gaps,
    latent_findings, non_web, open_to_world, target_arn, undecided_exposure,
};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Whether a TCP or UDP port other than 80 and 443 is reachable from every
    /// internet address on an instance, interface, database or load balancer (for a
    /// load balancer, the ports its listeners serve). SSH/RDP and database ports are
    /// left to `net-admin-port-open` and `net-db-port-open`, and endpoints open on
    /// every port to `net-all-ports-open`, so each exposure is reported once. A
    /// security group open to the world on such a port whose members the internet
    /// cannot reach is reported as latent exposure.
    ///
    /// ## Why it matters
    /// A store needs HTTP and HTTPS from the internet and nothing else. Every other
    /// open port — an app server on 3000, a metrics endpoint, a mail relay — is
    /// attack surface that usually lacks the hardening of the web front, and PCI DSS
    /// asks that only necessary services be exposed.
    ///
    /// ## Severity
    /// High when the internet reaches the port today; low, two levels lower, for a
    /// security group open to the world whose members the internet cannot reach
    /// (latent exposure).
    ///
    /// ## How to fix
    /// Serve the application only through the load balancer on 443, and close the
    /// other ports to the internet:
    ///
    /// ```sh
    /// aws ec2 revoke-security-group-ingress --group-id sg-0123 --ip-permissions IpProtocol=tcp,FromPort=3000,ToPort=3000,IpRanges='[{CidrIp=0.0.0.0/0}]'
    /// ```
    ///
    /// ## Example
    /// An instance with a public IP admitting `tcp/3000` from `0.0.0.0/0` fails; a
    /// load balancer listening on 80 and 443 passes.
    pub static RULE = {
        id: "net-nonweb-port-open",
        title: "A port other than 80/443 is reachable from the internet",
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
    let reported_elsewhere = admin_ports().union(&database_ports());
    let every_tcp_port = ServiceSet::protocol(Protocol::Tcp);
    for region in ctx.networks() {
        exposure_gaps(ctx, region, out);
        for reach in &region.exposure.endpoints {
            let world = open_to_world(reach);
            if every_tcp_port.is_subset(&world) {
                continue;
            }
            let open = non_web(&world).difference(&reported_elsewhere);
            let asked = non_web(&all_ports()).difference(&reported_elsewhere);
            undecided_exposure(ctx, region, reach, &asked.difference(&open), out);
            if open.is_empty() {
                continue;
            }
            out.fail(Failure {
                detail: format!("{} is reachable from the whole internet on {} besides HTTP/HTTPS.", reach.target, describe(&open)),
                evidence: exposure_evidence(reach, &open),
                remediation: format!(
                    "Close {} to 0.0.0.0/0 and ::/0 (aws ec2 revoke-security-group-ingress --group-id <group> --ip-permissions …); serve the application through the load balancer on 443.",
                    describe(&open)
                ),
                region: region.region.to_string(),
                ..Failure::global(target_arn(ctx, region.region, &reach.target))
            });
        }
        latent_findings(ctx, region, OpenClass::NonWeb, out);
    }
}
