use serde_json::json;

use super::{describe, exposure_gaps, reachable, target_arn};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Lists every endpoint the internet can reach — instances, network interfaces,
    /// RDS databases and load balancers — with the traffic that gets through, the
    /// sources it gets through from, and the path that admits it (public address,
    /// internet gateway route, network ACL entries both ways, security group rule).
    /// One informational finding per endpoint.
    ///
    /// ## Why it matters
    /// PCI DSS 1.2.5 asks for an inventory of the services, protocols and ports
    /// allowed; an auditor needs to see the whole attack surface, not only what a
    /// rule considers wrong, and to compare it with what the store means to expose.
    ///
    /// ## Severity
    /// Always info: an inventory of what the internet reaches, not a failure; the
    /// exposure rules judge it.
    ///
    /// ## How to fix
    /// Nothing to fix by itself: check that every endpoint listed is meant to be
    /// public. Ask cartguard why a particular one is reachable with
    /// `cartguard net reach --from internet --to <resource> --port <port> --evidence DIR`.
    ///
    /// ## Example
    /// An internet-facing load balancer listening on 80 and 443 is listed with its
    /// listeners, security group rules and network ACL entries.
    pub static RULE = {
        id: "net-exposure-inventory",
        title: "Internet-reachable endpoint",
        severity: Info,
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
        exposure_gaps(ctx, region, out);
        for reach in &region.exposure.endpoints {
            let open = reachable(reach);
            out.fail(Failure {
                detail: format!("{} is reachable from the internet on {}.", reach.target, describe(&open)),
                evidence: json!({"source": "reachability from the internet", "reachability": reach}),
                remediation: format!(
                    "Confirm that {} is meant to be public on {}; otherwise remove its public address or the rules that admit the traffic.",
                    reach.target,
                    describe(&open)
                ),
                region: region.region.to_string(),
                ..Failure::global(target_arn(ctx, region.region, &reach.target))
            });
        }
    }
}
