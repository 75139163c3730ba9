use cartguard_inventory::elbv2;
use cartguard_net::Target;
use serde_json::json;

use super::{describe, exposure_evidence, reachable, target_arn};
use crate::{Context, Emitter, Failure, RegionNetwork, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every instance registered as a target of a load balancer's target group
    /// (`describe-target-health`) must be reachable only through the load balancer:
    /// if the internet can reach the instance directly — a public address, a route
    /// to an internet gateway, open network ACLs and a security group rule that
    /// admits internet sources rather than only the load balancer's group — it fails.
    ///
    /// ## Why it matters
    /// The load balancer is where TLS policy, WAF rules, rate limits and access logs
    /// live. A backend reachable directly lets an attacker skip all of them: SQL
    /// injection without the WAF, brute force without the rate limit, and no log of it.
    ///
    /// ## Severity
    /// Always high: only backends the internet reaches today are reported.
    ///
    /// ## How to fix
    /// Move the instance to a private subnet (or drop its public address) and admit
    /// the application port only from the load balancer's security group:
    ///
    /// ```sh
    /// aws ec2 revoke-security-group-ingress --group-id sg-app --ip-permissions IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges='[{CidrIp=0.0.0.0/0}]'
    /// aws ec2 authorize-security-group-ingress --group-id sg-app --protocol tcp --port 3000 --source-group sg-alb
    /// ```
    ///
    /// ## Example
    /// An app server behind an ALB that also has a public IP and admits `tcp/443`
    /// from `0.0.0.0/0` fails; web servers in private subnets admitting 8080 only from
    /// the ALB's group pass.
    pub static RULE = {
        id: "net-backend-bypasses-lb",
        title: "A load balancer's backend is reachable directly from the internet",
        severity: High,
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
        let elb = &ctx.account.regions[region.region].elbv2;
        // Why some load balancer targets of the region are unknown: then every
        // instance the internet reaches may be a backend, and is said to be undecided.
        let targets_unknown = super::load_balancer_targets_unknown(ctx, region.region);
        let mut judged: Vec<Target> = Vec::new();
        let Some(groups) = super::regional(
            ctx,
            out,
            region.region,
            &elb.target_groups,
            elbv2::DESCRIBE_TARGET_GROUPS,
            "targetgroup/*",
        ) else {
            undecided_exposed_instances(ctx, region, &targets_unknown, &judged, out);
            continue;
        };
        for group in groups {
            let key = elbv2::DESCRIBE_TARGET_HEALTH.about(region.region, &group.target_group_name);
            let Some(health) = elb.target_health.get(&group.target_group_name) else {
                out.not_assessed(
                    &group.target_group_arn,
                    region.region,
                    format!("{key} was not collected"),
                );
                continue;
            };
            let Some(targets) = out.require(health, &key, &group.target_group_arn, region.region)
            else {
                continue;
            };
            for target in targets.iter().filter(|t| t.target.id.starts_with("i-")) {
                let instance = Target::Instance(target.target.id.clone());
                judged.push(instance.clone());
                let mut unknown = region.exposure.missing_evidence.clone();
                for undecided in region
                    .exposure
                    .not_assessed
                    .iter()
                    .filter(|r| r.target == instance)
                {
                    unknown.extend(undecided.not_assessed.iter().cloned());
                    unknown.extend(undecided.unknown.iter().flat_map(|u| u.reasons.clone()));
                }
                if !unknown.is_empty() {
                    out.not_assessed(
                        &target_arn(ctx, region.region, &instance),
                        region.region,
                        format!("whether the internet reaches {instance} directly cannot be decided: {}", unknown.join("; ")),
                    );
                    continue;
                }
                let Some(reach) = region
                    .exposure
                    .endpoints
                    .iter()
                    .find(|r| r.target == instance)
                else {
                    continue;
                };
                let open = reachable(reach);
                let mut evidence = exposure_evidence(reach, &open);
                evidence["target_group"] = json!({
                    "TargetGroupName": group.target_group_name,
                    "TargetGroupArn": group.target_group_arn,
                    "LoadBalancerArns": group.load_balancer_arns,
                    "Port": group.port,
                });
                out.fail(Failure {
                    detail: format!(
                        "{} serves target group {} behind {}, yet the internet reaches it directly on {}.",
                        instance,
                        group.target_group_name,
                        if group.load_balancer_arns.is_empty() { "a load balancer".to_string() } else { group.load_balancer_arns.join(", ") },
                        describe(&open)
                    ),
                    evidence,
                    remediation: format!(
                        "Remove the public address of {} (or move it to a private subnet) and admit its application port only from the load balancer's security group (aws ec2 authorize-security-group-ingress --group-id <instance group> --protocol tcp --port {} --source-group <load balancer group>), revoking the internet rules.",
                        instance.id(),
                        target.target.port.or(group.port).map(|p| p.to_string()).unwrap_or_else(|| "<port>".into())
                    ),
                    discriminator: Some(group.target_group_name.clone()),
                    region: region.region.to_string(),
                    ..Failure::global(target_arn(ctx, region.region, &instance))
                });
            }
        }
        undecided_exposed_instances(ctx, region, &targets_unknown, &judged, out);
    }
}

/// Reports every instance the internet reaches as undecided when some of the
/// region's load balancer targets are unknown: any of them may be a backend.
/// Instances already `judged` as known targets are left out.
fn undecided_exposed_instances(
    ctx: &Context,
    region: &RegionNetwork,
    targets_unknown: &[String],
    judged: &[Target],
    out: &mut Emitter,
) {
    if targets_unknown.is_empty() {
        return;
    }
    for reach in &region.exposure.endpoints {
        if !matches!(reach.target, Target::Instance(_)) || judged.contains(&reach.target) {
            continue;
        }
        out.not_assessed(
            &target_arn(ctx, region.region, &reach.target),
            region.region,
            format!(
                "the internet reaches {} directly, and whether it serves a load balancer cannot be told: {}",
                reach.target,
                targets_unknown.join("; ")
            ),
        );
    }
}
