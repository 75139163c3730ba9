use super::waf::{Defence, WEB_ACLS, check_defence, scope_args};
use crate::{Context, Emitter, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every web ACL that protects something must run an AWS managed IP reputation
    /// group — `AWSManagedRulesAmazonIpReputationList` or
    /// `AWSManagedRulesAnonymousIpList` — with `OverrideAction` `None` and at
    /// least one of its rules stopping requests (`AWSManagedIPDDoSList` counts by
    /// default and stops only when overridden to `Block`). A rule group of the
    /// account or a seller's group makes the web ACL not assessed rather than
    /// failed.
    ///
    /// ## Why it matters
    /// Addresses AWS has seen attacking, scanning or hiding behind anonymising
    /// services send most automated attacks; dropping them first takes the
    /// cheapest traffic off the other rules and the store.
    ///
    /// ## Severity
    /// Always low.
    ///
    /// ## How to fix
    /// Add the rule to the web ACL's rules (keep the others, give it a free
    /// priority), then update the web ACL with the lock token `get-web-acl` printed:
    ///
    /// ```sh
    /// aws wafv2 get-web-acl --scope REGIONAL --name shop-web --id <id> > acl.json
    /// # rules.json: the WebACL.Rules of acl.json with this rule added
    /// # {"Name":"AWS-IpReputation","Priority":0,"Statement":{"ManagedRuleGroupStatement":{"VendorName":"AWS","Name":"AWSManagedRulesAmazonIpReputationList"}},"OverrideAction":{"None":{}},"VisibilityConfig":{"SampledRequestsEnabled":true,"CloudWatchMetricsEnabled":true,"MetricName":"AWS-IpReputation"}}
    /// aws wafv2 update-web-acl --scope REGIONAL --name shop-web --id <id> \
    ///   --lock-token <LockToken> --default-action '{"Allow":{}}' \
    ///   --rules file://rules.json --visibility-config \
    ///   SampledRequestsEnabled=true,CloudWatchMetricsEnabled=true,MetricName=shop-web
    /// ```
    ///
    /// ## Example
    /// A web ACL with `AWSManagedRulesAmazonIpReputationList` in `Count` override
    /// fails; with `OverrideAction` `{"None": {}}` it passes.
    pub static RULE = {
        id: "waf-no-ip-reputation",
        title: "A web ACL has no IP reputation rules",
        severity: Low,
        area: Edge,
        evidence: [WEB_ACLS],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    check_defence(ctx, out, Defence::IpReputation, &|acl, region| {
        let id = acl.arn.rsplit('/').next().unwrap_or_default();
        format!(
            "aws wafv2 get-web-acl {scope} --name {name} --id {id} > acl.json; write the WebACL.Rules of acl.json with the rule {rule} added at a free priority to rules.json; then aws wafv2 update-web-acl {scope} --name {name} --id {id} --lock-token <LockToken from acl.json> --default-action <DefaultAction from acl.json> --rules file://rules.json --visibility-config <VisibilityConfig from acl.json>",
            scope = scope_args(region),
            rule = r#"{"Name":"AWS-IpReputation","Priority":0,"Statement":{"ManagedRuleGroupStatement":{"VendorName":"AWS","Name":"AWSManagedRulesAmazonIpReputationList"}},"OverrideAction":{"None":{}},"VisibilityConfig":{"SampledRequestsEnabled":true,"CloudWatchMetricsEnabled":true,"MetricName":"AWS-IpReputation"}}"#,
            name = acl.name,
        )
    });
}
