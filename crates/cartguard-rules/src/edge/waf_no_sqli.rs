use super::waf::{Defence, WEB_ACLS, check_defence, scope_args};
use crate::{Context, Emitter, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every web ACL that protects something (a load balancer, an API Gateway stage
    /// or a CloudFront distribution, from `wafv2 list-resources-for-web-acl` and the
    /// distributions' `WebACLId`; a web ACL whose associations were not collected
    /// is judged too) must stop SQL injection: either the AWS managed rule group
    /// `AWSManagedRulesSQLiRuleSet` with `OverrideAction` `None`, or a custom rule
    /// whose statement holds a `SqliMatchStatement` (also nested in `AndStatement`
    /// or `OrStatement`) with action `Block`. A group in `Count` override, a group
    /// whose SQL-injection rules are all overridden to `Count` (or `Allow`), or
    /// excluded, and a `SqliMatchStatement` under a `NotStatement` do not count.
    /// A rule group of the account (`RuleGroupReferenceStatement`) or a seller's
    /// managed group may hold such rules: the evidence does not show them, so the
    /// web ACL is then reported not assessed rather than failed.
    ///
    /// ## Why it matters
    /// A store's search, filter and checkout parameters reach its database. A WAF
    /// rule set against SQL injection is the compensating layer PCI DSS 6.4.2
    /// asks for in front of public-facing web applications, between a
    /// vulnerability and its fix.
    ///
    /// ## Severity
    /// Always high.
    ///
    /// ## How to fix
    /// Add the rule to the web ACL's rules (keep the others, give it a free
    /// priority), then update the web ACL with the lock token `get-web-acl` printed:
    ///
    /// ```sh
    /// aws wafv2 get-web-acl --scope REGIONAL --name shop-web --id <id> > acl.json
    /// # rules.json: the WebACL.Rules of acl.json with this rule added
    /// # {"Name":"AWS-SQLi","Priority":0,"Statement":{"ManagedRuleGroupStatement":{"VendorName":"AWS","Name":"AWSManagedRulesSQLiRuleSet"}},"OverrideAction":{"None":{}},"VisibilityConfig":{"SampledRequestsEnabled":true,"CloudWatchMetricsEnabled":true,"MetricName":"AWS-SQLi"}}
    /// aws wafv2 update-web-acl --scope REGIONAL --name shop-web --id <id> \
    ///   --lock-token <LockToken> --default-action '{"Allow":{}}' \
    ///   --rules file://rules.json --visibility-config \
    ///   SampledRequestsEnabled=true,CloudWatchMetricsEnabled=true,MetricName=shop-web
    /// ```
    ///
    /// ## Example
    /// A web ACL with only `AWSManagedRulesCommonRuleSet` and a rate-based rule
    /// fails; one that adds `AWSManagedRulesSQLiRuleSet` with `OverrideAction`
    /// `{"None": {}}` passes; the same group with `{"Count": {}}` fails.
    pub static RULE = {
        id: "waf-no-sqli",
        title: "A web ACL has no SQL-injection rules",
        severity: High,
        area: Edge,
        evidence: [WEB_ACLS],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    check_defence(ctx, out, Defence::Sqli, &|acl, region| {
        let id = acl.arn.rsplit('/').next().unwrap_or_default();
        format!(
            "aws wafv2 get-web-acl {scope} --name {name} --id {id} > acl.json; write the WebACL.Rules of acl.json with the rule {rule} added at a free priority to rules.json; then aws wafv2 update-web-acl {scope} --name {name} --id {id} --lock-token <LockToken from acl.json> --default-action <DefaultAction from acl.json> --rules file://rules.json --visibility-config <VisibilityConfig from acl.json>",
            scope = scope_args(region),
            rule = r#"{"Name":"AWS-SQLi","Priority":0,"Statement":{"ManagedRuleGroupStatement":{"VendorName":"AWS","Name":"AWSManagedRulesSQLiRuleSet"}},"OverrideAction":{"None":{}},"VisibilityConfig":{"SampledRequestsEnabled":true,"CloudWatchMetricsEnabled":true,"MetricName":"AWS-SQLi"}}"#,
            name = acl.name,
        )
    });
}
