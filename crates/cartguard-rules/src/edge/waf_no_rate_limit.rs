use super::waf::{Defence, WEB_ACLS, check_defence, scope_args};
use crate::{Context, Emitter, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every web ACL that protects something must hold a rule whose statement is
    /// a `RateBasedStatement` with action `Block`, `Captcha` or `Challenge` (a
    /// rate-based rule that only counts does not stop anything). A rule group of
    /// the account or a seller's group may hold one: the web ACL is then reported
    /// not assessed rather than failed.
    ///
    /// ## Why it matters
    /// Without a rate limit one client may try passwords on the login form or
    /// card numbers on the payment form as fast as the store answers: credential
    /// stuffing and card testing, which end in account takeovers and chargebacks.
    ///
    /// ## Severity
    /// Always medium.
    ///
    /// ## How to fix
    /// Add the rule to the web ACL's rules (keep the others, give it a free
    /// priority), then update the web ACL with the lock token `get-web-acl` printed:
    ///
    /// ```sh
    /// aws wafv2 get-web-acl --scope REGIONAL --name shop-web --id <id> > acl.json
    /// # rules.json: the WebACL.Rules of acl.json with this rule added
    /// # {"Name":"RateLimitPerIp","Priority":0,"Statement":{"RateBasedStatement":{"Limit":1000,"AggregateKeyType":"IP"}},"Action":{"Block":{}},"VisibilityConfig":{"SampledRequestsEnabled":true,"CloudWatchMetricsEnabled":true,"MetricName":"RateLimitPerIp"}}
    /// aws wafv2 update-web-acl --scope REGIONAL --name shop-web --id <id> \
    ///   --lock-token <LockToken> --default-action '{"Allow":{}}' \
    ///   --rules file://rules.json --visibility-config \
    ///   SampledRequestsEnabled=true,CloudWatchMetricsEnabled=true,MetricName=shop-web
    /// ```
    ///
    /// ## Example
    /// A web ACL with only managed rule groups fails; one with a rule
    /// `RateBasedStatement` `{"Limit": 1000, "AggregateKeyType": "IP"}` and action
    /// `{"Block": {}}` passes.
    pub static RULE = {
        id: "waf-no-rate-limit",
        title: "A web ACL has no rate-based rule",
        severity: Medium,
        area: Edge,
        evidence: [WEB_ACLS],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    check_defence(ctx, out, Defence::RateLimit, &|acl, region| {
        let id = acl.arn.rsplit('/').next().unwrap_or_default();
        format!(
            "aws wafv2 get-web-acl {scope} --name {name} --id {id} > acl.json; write the WebACL.Rules of acl.json with the rule {rule} added at a free priority to rules.json; then aws wafv2 update-web-acl {scope} --name {name} --id {id} --lock-token <LockToken from acl.json> --default-action <DefaultAction from acl.json> --rules file://rules.json --visibility-config <VisibilityConfig from acl.json>",
            scope = scope_args(region),
            rule = r#"{"Name":"RateLimitPerIp","Priority":0,"Statement":{"RateBasedStatement":{"Limit":1000,"AggregateKeyType":"IP"}},"Action":{"Block":{}},"VisibilityConfig":{"SampledRequestsEnabled":true,"CloudWatchMetricsEnabled":true,"MetricName":"RateLimitPerIp"}}"#,
            name = acl.name,
        )
    });
}
