use cartguard_inventory::{GLOBAL, Operation, apigateway, cloudfront, shield};
use serde_json::json;

use crate::network::target_arn;
use crate::{Context, Emitter, Failure, declare_rule};

/// What `shield-advanced-off` reads besides the network engine's evidence.
const EVIDENCE: &[Operation] = &[
    shield::GET_SUBSCRIPTION_STATE,
    cloudfront::LIST_DISTRIBUTIONS,
    apigateway::GET_REST_APIS,
    apigateway::GET_APIS,
];

declare_rule! {
    /// ## What it checks
    /// When the store has internet-facing endpoints — anything the network engine
    /// finds reachable from the internet (load balancers, instances), an enabled
    /// CloudFront distribution, a REST API that is not `PRIVATE`, an HTTP API —
    /// `shield get-subscription-state` should be `ACTIVE`. An account with no
    /// such endpoint is not judged; one whose endpoints cannot all be known is
    /// reported not assessed.
    ///
    /// ## Why it matters
    /// Shield Standard absorbs common network floods for every account. Shield
    /// Advanced adds application-layer detection, the AWS response team during an
    /// attack and credits for the scaling a flood causes. For a store whose sales
    /// stop when the site does, it is worth weighing; it is a recommendation, not
    /// a requirement.
    ///
    /// ## Severity
    /// Always info: a paid service worth considering, not a requirement.
    ///
    /// ## How to fix
    /// Subscribing commits to a yearly fee: decide it with the business.
    ///
    /// ```sh
    /// aws shield create-subscription
    /// aws shield create-protection --name securecart-web \
    ///   --resource-arn arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/securecart-web/<id>
    /// ```
    ///
    /// ## Example
    /// An account with an internet-facing ALB and `SubscriptionState` `INACTIVE`
    /// gets one informational finding listing its endpoints; `ACTIVE` passes.
    pub static RULE = {
        id: "shield-advanced-off",
        title: "No Shield Advanced subscription for a store with internet-facing endpoints",
        severity: Info,
        area: Edge,
        evidence: [cartguard_net::EVIDENCE, EVIDENCE],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    let account = ctx.account;
    let resource = format!("arn:aws:shield::{}:subscription", account.id);
    let Some(state) = out.require(
        &account.shield.subscription_state,
        &shield::GET_SUBSCRIPTION_STATE.global(),
        &resource,
        GLOBAL,
    ) else {
        return;
    };
    if state == "ACTIVE" {
        return;
    }
    let mut endpoints: Vec<String> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    if account.regions.is_empty() {
        unknown.push("no regional evidence was collected".into());
    }
    for region in ctx.networks() {
        let exposure = &region.exposure;
        endpoints.extend(
            exposure
                .endpoints
                .iter()
                .map(|r| target_arn(ctx, region.region, &r.target)),
        );
        unknown.extend(exposure.missing_evidence.iter().cloned());
        unknown.extend(
            exposure
                .not_assessed
                .iter()
                .map(|r| format!("whether the internet reaches {} is undecided", r.target)),
        );
    }
    for (name, region) in &account.regions {
        let gateway = &region.apigateway;
        match gateway.rest_apis.present() {
            Some(apis) => endpoints.extend(
                apis.iter()
                    .filter(|a| !a.is_private())
                    .map(|a| format!("arn:aws:apigateway:{name}::/restapis/{}", a.id)),
            ),
            None => unknown.extend(
                gateway
                    .rest_apis
                    .unavailable_reason(&apigateway::GET_REST_APIS.key(name)),
            ),
        }
        match gateway.apis.present() {
            Some(apis) => endpoints.extend(
                apis.iter()
                    .map(|a| format!("arn:aws:apigateway:{name}::/apis/{}", a.api_id)),
            ),
            None => unknown.extend(
                gateway
                    .apis
                    .unavailable_reason(&apigateway::GET_APIS.key(name)),
            ),
        }
    }
    match account.cloudfront.distributions.present() {
        Some(all) => endpoints.extend(
            all.iter()
                .filter(|d| d.enabled != Some(false))
                .map(|d| d.arn.clone()),
        ),
        None => unknown.extend(
            account
                .cloudfront
                .distributions
                .unavailable_reason(&cloudfront::LIST_DISTRIBUTIONS.global()),
        ),
    }
    if endpoints.is_empty() {
        if !unknown.is_empty() {
            out.not_assessed(
                &resource,
                GLOBAL,
                format!(
                    "whether the store has internet-facing endpoints cannot be decided: {}",
                    unknown.join("; ")
                ),
            );
        }
        return;
    }
    out.fail(Failure {
        detail: format!(
            "Shield Advanced is {state} while {} endpoint(s) face the internet: {}.",
            endpoints.len(),
            endpoints.join(", ")
        ),
        evidence: json!({
            "source": "shield get-subscription-state; reachability from the internet; cloudfront list-distributions; API Gateway APIs",
            "SubscriptionState": state,
            "internet_facing": endpoints,
        }),
        remediation: "If an outage of the store would cost more than the subscription, subscribe and protect the entrances: aws shield create-subscription; aws shield create-protection --name <name> --resource-arn <load balancer, distribution or Elastic IP ARN>".into(),
        ..Failure::global(resource)
    });
}
