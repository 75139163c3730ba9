use cartguard_inventory::Operation;
use cartguard_inventory::elbv2::{self, attribute};
use serde_json::json;

use super::load_balancers;
use crate::{Context, Emitter, Failure, declare_rule};

/// What `elb-invalid-headers-kept` reads.
const EVIDENCE: &[Operation] = &[
    elbv2::DESCRIBE_LOAD_BALANCERS,
    elbv2::DESCRIBE_LOAD_BALANCER_ATTRIBUTES,
];

/// The attribute that drops invalid header fields.
const DROP_INVALID: &str = "routing.http.drop_invalid_header_fields.enabled";

declare_rule! {
    /// ## What it checks
    /// Every application load balancer must have the attribute
    /// `routing.http.drop_invalid_header_fields.enabled` set to `true`
    /// (`describe-load-balancer-attributes`; AWS's default is `false`). AWS
    /// prints every attribute, so an answer without it makes the load balancer
    /// not assessed.
    ///
    /// ## Why it matters
    /// Header names that are not valid HTTP (underscores, odd characters) are read
    /// differently by the load balancer and by the web server behind it. That
    /// disagreement is what request smuggling and header spoofing attacks use to
    /// slip a request past the load balancer's view of it.
    ///
    /// ## Severity
    /// Always low.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws elbv2 modify-load-balancer-attributes --load-balancer-arn <ARN> \
    ///   --attributes Key=routing.http.drop_invalid_header_fields.enabled,Value=true
    /// ```
    ///
    /// ## Example
    /// An ALB with the attribute `false` fails; with `true` it passes. Network and
    /// gateway load balancers are not judged.
    pub static RULE = {
        id: "elb-invalid-headers-kept",
        title: "The ALB does not drop invalid header fields",
        severity: Low,
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
        for lb in balancers {
            match lb.lb_type.as_deref() {
                Some("application") => {}
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
            let Some(collected) = region.elbv2.attributes.get(&lb.load_balancer_name) else {
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
            match attribute(attributes, DROP_INVALID) {
                Some("true") => {}
                Some("false") => out.fail(Failure {
                    detail: format!(
                        "Application load balancer {} passes header fields with invalid names to its targets: {DROP_INVALID} is false.",
                        lb.load_balancer_name
                    ),
                    evidence: json!({
                        "source": "elbv2 describe-load-balancer-attributes",
                        "load_balancer": lb.load_balancer_name,
                        "attributes": attributes
                            .iter()
                            .filter(|a| a.key.starts_with("routing.http."))
                            .collect::<Vec<_>>(),
                    }),
                    remediation: format!(
                        "aws elbv2 modify-load-balancer-attributes --region {name} --load-balancer-arn {} --attributes Key={DROP_INVALID},Value=true",
                        lb.load_balancer_arn
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
                            || format!("no {DROP_INVALID} attribute"),
                            |v| format!("{DROP_INVALID} = {v:?}, neither true nor false")
                        )
                    ),
                ),
            }
        }
    }
}
