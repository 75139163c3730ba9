use cartguard_inventory::Operation;
use cartguard_inventory::elbv2::{self, attribute};
use serde_json::json;

use super::load_balancers;
use crate::{Context, Emitter, Failure, declare_rule};

/// What `elb-access-logs-off` reads.
const EVIDENCE: &[Operation] = &[
    elbv2::DESCRIBE_LOAD_BALANCERS,
    elbv2::DESCRIBE_LISTENERS,
    elbv2::DESCRIBE_LOAD_BALANCER_ATTRIBUTES,
];

/// The attribute that turns access logs on.
const ACCESS_LOGS: &str = "access_logs.s3.enabled";

declare_rule! {
    /// ## What it checks
    /// Every application load balancer, and every network load balancer with a
    /// `TLS` listener (a network load balancer logs only TLS requests), must have
    /// the attribute `access_logs.s3.enabled` set to `true`
    /// (`describe-load-balancer-attributes`). AWS prints every attribute, so an
    /// answer without it makes the load balancer not assessed. Gateway load
    /// balancers keep no access logs and are not judged.
    ///
    /// ## Why it matters
    /// The access log is the record of every request the store received: who
    /// asked for which page, from where, and what was answered. Without it a
    /// breach cannot be traced through the web tier (PCI DSS 10.2.1).
    ///
    /// ## Severity
    /// Always medium.
    ///
    /// ## How to fix
    /// The bucket's policy must let Elastic Load Balancing write to it.
    ///
    /// ```sh
    /// aws elbv2 modify-load-balancer-attributes --load-balancer-arn <ARN> --attributes \
    ///   Key=access_logs.s3.enabled,Value=true Key=access_logs.s3.bucket,Value=securecart-elb-logs
    /// ```
    ///
    /// ## Example
    /// An ALB with `access_logs.s3.enabled` = `false` fails; one with `true` and a
    /// bucket passes.
    pub static RULE = {
        id: "elb-access-logs-off",
        title: "Load balancer access logging is off",
        severity: Medium,
        area: Edge,
        evidence: [EVIDENCE],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    if !super::any_region(ctx, out, "elasticloadbalancing") {
        return;
    }
    for (name, region) in &ctx.account.regions {
        let Some(balancers) = load_balancers(ctx, out, name) else {
            continue;
        };
        let elb = &region.elbv2;
        for lb in balancers {
            match lb.lb_type.as_deref() {
                Some("application") => {}
                Some("network") => {
                    let key = elbv2::DESCRIBE_LISTENERS.about(name, &lb.load_balancer_name);
                    let Some(collected) = elb.listeners.get(&lb.load_balancer_name) else {
                        out.not_assessed(
                            &lb.load_balancer_arn,
                            name,
                            format!("{key} was not collected: whether the network load balancer has a TLS listener to log is unknown"),
                        );
                        continue;
                    };
                    let Some(listeners) = out.require(collected, &key, &lb.load_balancer_arn, name)
                    else {
                        continue;
                    };
                    if !listeners
                        .iter()
                        .any(|l| l.protocol.as_deref() == Some("TLS"))
                    {
                        continue;
                    }
                }
                Some(_) => continue,
                None => {
                    out.not_assessed(
                        &lb.load_balancer_arn,
                        name,
                        format!(
                            "load balancer {} has no Type in {}",
                            lb.load_balancer_name,
                            elbv2::DESCRIBE_LOAD_BALANCERS.key(name)
                        ),
                    );
                    continue;
                }
            }
            let key = elbv2::DESCRIBE_LOAD_BALANCER_ATTRIBUTES.about(name, &lb.load_balancer_name);
            let Some(collected) = elb.attributes.get(&lb.load_balancer_name) else {
                out.not_assessed(
                    &lb.load_balancer_arn,
                    name,
                    format!("{key} was not collected"),
                );
                continue;
            };
            let Some(attributes) = out.require(collected, &key, &lb.load_balancer_arn, name) else {
                continue;
            };
            match attribute(attributes, ACCESS_LOGS) {
                Some("true") => {}
                Some("false") => out.fail(Failure {
                    detail: format!(
                        "Load balancer {} keeps no access log: {ACCESS_LOGS} is false.",
                        lb.load_balancer_name
                    ),
                    evidence: json!({
                        "source": "elbv2 describe-load-balancer-attributes",
                        "load_balancer": lb.load_balancer_name,
                        "type": lb.lb_type,
                        "attributes": attributes
                            .iter()
                            .filter(|a| a.key.starts_with("access_logs."))
                            .collect::<Vec<_>>(),
                    }),
                    remediation: format!(
                        "aws elbv2 modify-load-balancer-attributes --region {name} --load-balancer-arn {} --attributes Key={ACCESS_LOGS},Value=true Key=access_logs.s3.bucket,Value=<log bucket> Key=access_logs.s3.prefix,Value={}",
                        lb.load_balancer_arn, lb.load_balancer_name
                    ),
                    region: name.clone(),
                    ..Failure::global(lb.load_balancer_arn.clone())
                }),
                other => out.not_assessed(
                    &lb.load_balancer_arn,
                    name,
                    format!(
                        "{key} holds {}",
                        other.map_or_else(
                            || format!("no {ACCESS_LOGS} attribute"),
                            |v| format!("{ACCESS_LOGS} = {v:?}, neither true nor false")
                        )
                    ),
                ),
            }
        }
    }
}
