use cartguard_inventory::Operation;
use cartguard_inventory::elbv2::{self, SslPolicy};
use serde_json::json;

use super::{listeners_of, load_balancers};
use crate::{Context, Emitter, Failure, Proof, declare_rule};

/// What `elb-weak-tls` reads.
const EVIDENCE: &[Operation] = &[
    elbv2::DESCRIBE_LOAD_BALANCERS,
    elbv2::DESCRIBE_LISTENERS,
    elbv2::DESCRIBE_SSL_POLICIES,
];

declare_rule! {
    /// ## What it checks
    /// Every `HTTPS` or `TLS` listener's security policy (`SslPolicy`) is looked up
    /// in `describe-ssl-policies`, and the protocols it lists (`SslProtocols`)
    /// decide: `SSLv3`, `TLSv1` or `TLSv1.1` fails. The policy's name is not
    /// trusted to say it: the verdict comes from the protocols AWS prints for it.
    /// A policy missing from the answer, or a protocol the rule does not know,
    /// makes the listener not assessed. An `internal` load balancer fails at
    /// medium severity: its traffic stays inside the VPC.
    ///
    /// ## Why it matters
    /// TLS 1.0 and 1.1 rest on hash functions and cipher constructions with known
    /// attacks, and PCI DSS no longer accepts them as strong cryptography
    /// (4.2.1). A client that offers nothing better gets a weak session instead of
    /// a refusal.
    ///
    /// ## Severity
    /// High on an internet-facing load balancer; medium, one level lower, on an
    /// internal one, whose traffic stays inside the VPC.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws elbv2 modify-listener --listener-arn <HTTPS listener ARN> \
    ///   --ssl-policy ELBSecurityPolicy-TLS13-1-2-2021-06
    /// ```
    ///
    /// ## Example
    /// A listener with `ELBSecurityPolicy-2016-08`, whose `SslProtocols` are
    /// `TLSv1`, `TLSv1.1` and `TLSv1.2`, fails; one with
    /// `ELBSecurityPolicy-TLS13-1-2-2021-06` (`TLSv1.2`, `TLSv1.3`) passes.
    pub static RULE = {
        id: "elb-weak-tls",
        title: "A TLS listener's security policy allows TLS below 1.2",
        severity: High,
        lowest: Medium,
        area: Edge,
        evidence: [EVIDENCE],
        check: check,
    };
}

/// Protocols below TLS 1.2.
const WEAK: &[&str] = &["SSLv2", "SSLv3", "TLSv1", "TLSv1.0", "TLSv1.1"];
/// Protocols that are acceptable.
const STRONG: &[&str] = &["TLSv1.2", "TLSv1.3"];

fn check(ctx: &Context, out: &mut Emitter) {
    if !super::any_region(ctx, out, "elasticloadbalancing") {
        return;
    }
    for (name, region) in &ctx.account.regions {
        let Some(balancers) = load_balancers(ctx, out, name) else {
            continue;
        };
        let elb = &region.elbv2;
        let policies_key = elbv2::DESCRIBE_SSL_POLICIES.key(name);
        for lb in balancers {
            let key = elbv2::DESCRIBE_LISTENERS.about(name, &lb.load_balancer_name);
            let Some(collected) = elb.listeners.get(&lb.load_balancer_name) else {
                out.not_assessed(&listeners_of(lb), name, format!("{key} was not collected"));
                continue;
            };
            let Some(listeners) = out.require(collected, &key, &listeners_of(lb), name) else {
                continue;
            };
            for listener in listeners {
                if !matches!(listener.protocol.as_deref(), Some("HTTPS" | "TLS")) {
                    continue;
                }
                let Some(policy_name) = listener.ssl_policy.as_deref() else {
                    out.not_assessed(
                        &listener.listener_arn,
                        name,
                        format!("the listener has no SslPolicy in {key}"),
                    );
                    continue;
                };
                let Some(policies) = out.require(
                    &elb.ssl_policies,
                    &policies_key,
                    &listener.listener_arn,
                    name,
                ) else {
                    continue;
                };
                let Some(policy) = policies.iter().find(|p| p.name == policy_name) else {
                    out.not_assessed(
                        &listener.listener_arn,
                        name,
                        format!("the security policy {policy_name} is not in {policies_key}"),
                    );
                    continue;
                };
                judge(out, name, lb, listener, policy);
            }
        }
    }
}

fn judge(
    out: &mut Emitter,
    region: &str,
    lb: &elbv2::LoadBalancer,
    listener: &elbv2::Listener,
    policy: &SslPolicy,
) {
    let weak: Vec<&String> = policy
        .ssl_protocols
        .iter()
        .filter(|p| WEAK.contains(&p.as_str()))
        .collect();
    let unknown: Vec<&String> = policy
        .ssl_protocols
        .iter()
        .filter(|p| !WEAK.contains(&p.as_str()) && !STRONG.contains(&p.as_str()))
        .collect();
    if weak.is_empty() {
        if !unknown.is_empty() || policy.ssl_protocols.is_empty() {
            out.not_assessed(
                &listener.listener_arn,
                region,
                format!(
                    "the protocols of security policy {} cannot all be read: {:?}",
                    policy.name, policy.ssl_protocols
                ),
            );
        }
        return;
    }
    let internal = lb.scheme.as_deref() == Some("internal");
    let weak_list: Vec<&str> = weak.iter().map(|p| p.as_str()).collect();
    out.fail(Failure {
        detail: format!(
            "The {} listener on port {} of load balancer {} uses security policy {}, which allows {} (its protocols: {}).{}",
            listener.protocol.as_deref().unwrap_or("TLS"),
            listener.port.map_or_else(|| "?".to_string(), |p| p.to_string()),
            lb.load_balancer_name,
            policy.name,
            weak_list.join(", "),
            policy.ssl_protocols.join(", "),
            if internal { " The load balancer is internal, so the weak sessions stay inside the VPC." } else { "" }
        ),
        evidence: json!({
            "source": "elbv2 describe-listeners, describe-ssl-policies",
            "load_balancer": lb.load_balancer_name,
            "listener": {"ListenerArn": listener.listener_arn, "Protocol": listener.protocol, "Port": listener.port, "SslPolicy": policy.name},
            "policy": {"Name": policy.name, "SslProtocols": policy.ssl_protocols},
        }),
        remediation: format!(
            "aws elbv2 modify-listener --region {region} --listener-arn {} --ssl-policy ELBSecurityPolicy-TLS13-1-2-2021-06",
            listener.listener_arn
        ),
        proof: if internal { Proof::Conditional } else { Proof::Proven },
        region: region.to_string(),
        ..Failure::global(listener.listener_arn.clone())
    });
}
