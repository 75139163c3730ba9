//! Edge and web tier rules (CHECKLIST.md section 5): what stands between the
//! internet and the store — WAF web ACLs, load balancer listeners, API Gateway
//! authorization, Cognito MFA and Shield. Whether a load balancer faces the
//! internet is decided by the network engine's reachability, not by its scheme.

pub mod apigw_no_authorizer;
pub mod cognito_mfa_off;
pub mod elb_access_logs_off;
pub mod elb_http_not_redirected;
pub mod elb_invalid_headers_kept;
pub mod elb_weak_tls;
pub mod shield_advanced_off;
pub mod waf_missing;
pub mod waf_no_ip_reputation;
pub mod waf_no_rate_limit;
pub mod waf_no_sqli;
pub mod waf_no_xss;

mod waf;

use cartguard_inventory::elbv2::{self, LoadBalancer};
use cartguard_inventory::{Collected, Operation};
use cartguard_net::{Reachability, Target};

use crate::{Context, Emitter, RegionNetwork};

/// What the load balancer rules read besides the network engine's evidence.
pub(crate) const LOAD_BALANCERS: &[Operation] =
    &[elbv2::DESCRIBE_LOAD_BALANCERS, elbv2::DESCRIBE_LISTENERS];

/// Whether any region's evidence was collected; if none was, reports the rule
/// as not assessed for the whole account (an empty picture is not a clean one).
pub(crate) fn any_region(ctx: &Context, out: &mut Emitter, service: &str) -> bool {
    if ctx.account.regions.is_empty() {
        out.not_assessed(
            &format!("arn:aws:{service}:*:{}:*", ctx.account.id),
            "all",
            "no regional evidence was collected (no region answered any call)".into(),
        );
        return false;
    }
    true
}

/// Regional evidence a rule needs, or `None` after reporting the rule as not
/// assessed for `resource` (an ARN, possibly with `*`) in the region.
pub(crate) fn regional<'c, T>(
    out: &mut Emitter,
    region: &str,
    collected: &'c Collected<T>,
    operation: Operation,
    resource: &str,
) -> Option<&'c T> {
    out.require(collected, &operation.key(region), resource, region)
}

/// Every resource of the account in a region, whatever the service: what a
/// rule speaks for when a region's list of resources is missing.
pub(crate) fn everything_in(ctx: &Context, service: &str, region: &str) -> String {
    format!("arn:aws:{service}:{region}:{}:*", ctx.account.id)
}

/// The listeners of a load balancer as an ARN pattern (`…:listener/app/web/abc/*`).
pub(crate) fn listeners_of(lb: &LoadBalancer) -> String {
    format!(
        "{}/*",
        lb.load_balancer_arn
            .replacen(":loadbalancer/", ":listener/", 1)
    )
}

/// Whether the internet reaches a load balancer.
pub(crate) enum Facing<'r> {
    /// It is reachable, as the engine shows.
    Internet(&'r Reachability),
    /// It is not (internal, or nothing admits traffic to it).
    Not,
    /// The evidence cannot decide, and why.
    Unknown(String),
}

/// Whether the internet reaches `lb`, by the network engine's exposure of its
/// region. An `internal` load balancer has no public address, so it is never
/// reached whatever else is missing.
pub(crate) fn facing<'r>(region: &'r RegionNetwork, lb: &LoadBalancer) -> Facing<'r> {
    if lb.scheme.as_deref() == Some("internal") {
        return Facing::Not;
    }
    let target = Target::LoadBalancer(lb.load_balancer_arn.clone());
    let exposure = &region.exposure;
    if let Some(reach) = exposure.endpoints.iter().find(|r| r.target == target) {
        return Facing::Internet(reach);
    }
    if let Some(undecided) = exposure.not_assessed.iter().find(|r| r.target == target) {
        let mut reasons = undecided.not_assessed.clone();
        reasons.extend(undecided.unknown.iter().flat_map(|u| u.reasons.clone()));
        reasons.dedup();
        return Facing::Unknown(format!(
            "whether the internet reaches load balancer {} cannot be decided: {}",
            lb.load_balancer_name,
            reasons.join("; ")
        ));
    }
    if !exposure.missing_evidence.is_empty() {
        return Facing::Unknown(format!(
            "whether the internet reaches load balancer {} cannot be decided: {}",
            lb.load_balancer_name,
            exposure.missing_evidence.join("; ")
        ));
    }
    Facing::Not
}

/// The region's network analysis, by name.
pub(crate) fn network<'c, 'a>(ctx: &'c Context<'a>, region: &str) -> Option<&'c RegionNetwork<'a>> {
    ctx.networks().iter().find(|n| n.region == region)
}

/// The region's load balancers, or `None` after reporting every one of them
/// (and their listeners) not assessed.
pub(crate) fn load_balancers<'c>(
    ctx: &'c Context,
    out: &mut Emitter,
    region: &str,
) -> Option<&'c [LoadBalancer]> {
    let elb = &ctx.account.regions.get(region)?.elbv2;
    regional(
        out,
        region,
        &elb.load_balancers,
        elbv2::DESCRIBE_LOAD_BALANCERS,
        &everything_in(ctx, "elasticloadbalancing", region),
    )
    .map(Vec::as_slice)
}

/// A tag that marks a resource as meant for everyone (`cartguard:public` = `true`).
pub(crate) const PUBLIC_TAG: &str = "cartguard:public";

/// Whether the tags hold [`PUBLIC_TAG`] set to `true`.
pub(crate) fn tagged_public(tags: &std::collections::BTreeMap<String, String>) -> bool {
    tags.get(PUBLIC_TAG)
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}
