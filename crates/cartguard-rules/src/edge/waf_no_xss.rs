use super::waf::{Defence, WEB_ACLS, check_defence, scope_args};
use crate::{Context, Emitter, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every web ACL that protects something must stop cross-site scripting:
    /// either the AWS managed core rule set `AWSManagedRulesCommonRuleSet` (with
    /// `OverrideAction` `None` and at least one of its `CrossSiteScripting_*`
    /// rules not overridden to `Count` or `Allow`), or a custom rule whose
    /// statement holds an `XssMatchStatement` (also nested in `AndStatement` or
    /// `OrStatement`, not under a `NotStatement`) with action `Block`.
    /// `AWSManagedRulesKnownBadInputsRuleSet` does not count: it holds no
    /// cross-site scripting rule. A rule group of the account or a seller's group
    /// makes the web ACL not assessed rather than failed.
    ///
    /// ## Why it matters
    /// Reflected and stored scripts in product reviews, search terms or account
    /// fields run in customers' browsers, where they can read the checkout page.
    /// The core rule set also stops path traversal, remote file inclusion and
    /// SSRF attempts against the instance metadata; PCI DSS 6.4.2 asks for such a
    /// layer in front of public-facing web applications.
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
    /// # {"Name":"AWS-Common","Priority":0,"Statement":{"ManagedRuleGroupStatement":{"VendorName":"AWS","Name":"AWSManagedRulesCommonRuleSet"}},"OverrideAction":{"None":{}},"VisibilityConfig":{"SampledRequestsEnabled":true,"CloudWatchMetricsEnabled":true,"MetricName":"AWS-Common"}}
    /// aws wafv2 update-web-acl --scope REGIONAL --name shop-web --id <id> \
    ///   --lock-token <LockToken> --default-action '{"Allow":{}}' \
    ///   --rules file://rules.json --visibility-config \
    ///   SampledRequestsEnabled=true,CloudWatchMetricsEnabled=true,MetricName=shop-web
    /// ```
    ///
    /// ## Example
    /// A web ACL with `AWSManagedRulesCommonRuleSet` whose four
    /// `CrossSiteScripting_*` rules are overridden to `Count` fails; the same
    /// group without those overrides passes.
    pub static RULE = {
        id: "waf-no-xss",
        title: "A web ACL has no cross-site scripting rules",
        severity: High,
        area: Edge,
        evidence: [WEB_ACLS],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    check_defence(ctx, out, Defence::Xss, &|acl, region| {
        let id = acl.arn.rsplit('/').next().unwrap_or_default();
        format!(
            "aws wafv2 get-web-acl {scope} --name {name} --id {id} > acl.json; write the WebACL.Rules of acl.json with the rule {rule} added at a free priority to rules.json; then aws wafv2 update-web-acl {scope} --name {name} --id {id} --lock-token <LockToken from acl.json> --default-action <DefaultAction from acl.json> --rules file://rules.json --visibility-config <VisibilityConfig from acl.json>",
            scope = scope_args(region),
            rule = r#"{"Name":"AWS-Common","Priority":0,"Statement":{"ManagedRuleGroupStatement":{"VendorName":"AWS","Name":"AWSManagedRulesCommonRuleSet"}},"OverrideAction":{"None":{}},"VisibilityConfig":{"SampledRequestsEnabled":true,"CloudWatchMetricsEnabled":true,"MetricName":"AWS-Common"}}"#,
            name = acl.name,
        )
    });
}
