//! AWS WAF (v2): web ACLs, their rules, and the resources they protect.
//!
//! Regional web ACLs (scope `REGIONAL`, for load balancers and API Gateway
//! stages) are read in each region; web ACLs of scope `CLOUDFRONT` exist only
//! in us-east-1 and are filed with the account-wide evidence, beside the
//! CloudFront distributions that use them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::key::{Availability, Operation};
use crate::{Collected, each, one};

/// `wafv2:ListWebACLs` with `--scope REGIONAL`.
pub const LIST_WEB_ACLS: Operation = Operation::regional("wafv2", "ListWebACLs");
/// `wafv2:GetWebACL` with `--scope REGIONAL`, per web ACL.
pub const GET_WEB_ACL: Operation = Operation::regional("wafv2", "GetWebACL").per("web ACL");
/// `wafv2:ListResourcesForWebACL --resource-type APPLICATION_LOAD_BALANCER`, per web ACL.
pub const LIST_LOAD_BALANCERS_FOR_WEB_ACL: Operation = Operation::regional(
    "wafv2",
    "ListResourcesForWebACL (APPLICATION_LOAD_BALANCER)",
)
.per("web ACL");
/// `wafv2:ListResourcesForWebACL --resource-type API_GATEWAY`, per web ACL.
pub const LIST_API_STAGES_FOR_WEB_ACL: Operation =
    Operation::regional("wafv2", "ListResourcesForWebACL (API_GATEWAY)").per("web ACL");
/// `wafv2:ListWebACLs` with `--scope CLOUDFRONT` (called in us-east-1).
pub const LIST_CLOUDFRONT_WEB_ACLS: Operation =
    Operation::account("wafv2", "ListWebACLs (CLOUDFRONT)");
/// `wafv2:GetWebACL` with `--scope CLOUDFRONT`, per web ACL.
pub const GET_CLOUDFRONT_WEB_ACL: Operation =
    Operation::account("wafv2", "GetWebACL (CLOUDFRONT)").per("web ACL");

/// Every AWS WAF (v2) operation the model holds.
pub const OPERATIONS: &[Operation] = &[
    LIST_WEB_ACLS,
    GET_WEB_ACL,
    LIST_LOAD_BALANCERS_FOR_WEB_ACL,
    LIST_API_STAGES_FOR_WEB_ACL,
    LIST_CLOUDFRONT_WEB_ACLS,
    GET_CLOUDFRONT_WEB_ACL,
];

/// AWS WAF (v2) evidence: one region's `REGIONAL` web ACLs, or (held by the
/// account) the `CLOUDFRONT` ones.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Wafv2Evidence {
    /// `wafv2 list-web-acls`.
    #[serde(default)]
    pub web_acls: Collected<Vec<WebAclSummary>>,
    /// `wafv2 get-web-acl`, per web ACL name.
    #[serde(default)]
    pub web_acl_details: BTreeMap<String, Collected<WebAcl>>,
    /// `wafv2 list-resources-for-web-acl --resource-type APPLICATION_LOAD_BALANCER`,
    /// per web ACL name: the load balancers' ARNs.
    #[serde(default)]
    pub load_balancers: BTreeMap<String, Collected<Vec<String>>>,
    /// `wafv2 list-resources-for-web-acl --resource-type API_GATEWAY`, per web
    /// ACL name: the REST API stages' ARNs.
    #[serde(default)]
    pub api_stages: BTreeMap<String, Collected<Vec<String>>>,
}

impl Wafv2Evidence {
    /// What the evidence holds for `operation` (regional operations in a
    /// region's evidence, the `CLOUDFRONT` ones in the account's).
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            LIST_WEB_ACLS | LIST_CLOUDFRONT_WEB_ACLS => one(&self.web_acls),
            GET_WEB_ACL | GET_CLOUDFRONT_WEB_ACL => each(&self.web_acl_details),
            LIST_LOAD_BALANCERS_FOR_WEB_ACL => each(&self.load_balancers),
            LIST_API_STAGES_FOR_WEB_ACL => each(&self.api_stages),
            _ => return None,
        })
    }
}

/// A web ACL as `list-web-acls` prints it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WebAclSummary {
    /// Name (unique within its scope and region).
    #[serde(rename = "Name")]
    pub name: String,
    /// Id.
    #[serde(rename = "Id", default)]
    pub id: Option<String>,
    /// ARN.
    #[serde(rename = "ARN")]
    pub arn: String,
}

/// A web ACL as `get-web-acl` prints it (under `WebACL`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WebAcl {
    /// Name.
    #[serde(rename = "Name")]
    pub name: String,
    /// ARN.
    #[serde(rename = "ARN")]
    pub arn: String,
    /// What happens to a request no rule decides: `{"Allow": {}}` or `{"Block": {}}`.
    #[serde(rename = "DefaultAction", default)]
    pub default_action: Option<Value>,
    /// The web ACL's own rules.
    #[serde(rename = "Rules", default)]
    pub rules: Vec<WafRule>,
    /// Rule groups AWS Firewall Manager runs before the web ACL's rules.
    #[serde(rename = "PreProcessFirewallManagerRuleGroups", default)]
    pub pre_process_firewall_manager_rule_groups: Vec<FirewallManagerRuleGroup>,
    /// Rule groups AWS Firewall Manager runs after the web ACL's rules.
    #[serde(rename = "PostProcessFirewallManagerRuleGroups", default)]
    pub post_process_firewall_manager_rule_groups: Vec<FirewallManagerRuleGroup>,
}

/// A rule of a web ACL.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WafRule {
    /// Name.
    pub name: String,
    /// Priority (lower runs first).
    #[serde(default)]
    pub priority: Option<i64>,
    /// What the rule matches.
    #[serde(default)]
    pub statement: Option<Statement>,
    /// The action of a rule that is not a rule group.
    #[serde(default)]
    pub action: Option<RuleAction>,
    /// The override of a rule group: `Count` (only count) or `None` (the group's own actions).
    #[serde(default)]
    pub override_action: Option<OverrideAction>,
}

/// A statement: exactly one kind is set. The kinds the rules reason about
/// have fields; any other kind is kept under its name in `other`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Statement {
    /// Matches requests that look like SQL injection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sqli_match_statement: Option<Value>,
    /// Matches requests that look like cross-site scripting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xss_match_statement: Option<Value>,
    /// Counts requests per key and matches when a limit is exceeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_based_statement: Option<Box<RateBasedStatement>>,
    /// A managed rule group (AWS's or a seller's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_rule_group_statement: Option<Box<ManagedRuleGroupStatement>>,
    /// A rule group of the account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_group_reference_statement: Option<RuleGroupReferenceStatement>,
    /// Matches when every statement matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub and_statement: Option<Statements>,
    /// Matches when any statement matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub or_statement: Option<Statements>,
    /// Matches when its statement does not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_statement: Option<Box<NotStatement>>,
    /// Any other kind of statement, by its name (`ByteMatchStatement`, `GeoMatchStatement`, …).
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// The statements of an `AndStatement` or `OrStatement`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Statements {
    /// The statements.
    pub statements: Vec<Statement>,
}

/// A `NotStatement`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NotStatement {
    /// The statement negated.
    pub statement: Statement,
}

/// A rate-based statement.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RateBasedStatement {
    /// Requests allowed per evaluation window and key.
    #[serde(default)]
    pub limit: Option<i64>,
    /// The window in seconds (300 when absent).
    #[serde(default)]
    pub evaluation_window_sec: Option<i64>,
    /// `IP`, `FORWARDED_IP`, `CUSTOM_KEYS` or `CONSTANT`.
    #[serde(default)]
    pub aggregate_key_type: Option<String>,
    /// Narrows the requests counted.
    #[serde(default)]
    pub scope_down_statement: Option<Statement>,
}

/// A managed rule group in a web ACL.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ManagedRuleGroupStatement {
    /// `AWS` for AWS Managed Rules, else the seller.
    pub vendor_name: String,
    /// The group's name (`AWSManagedRulesSQLiRuleSet`).
    pub name: String,
    /// The pinned version, if any.
    #[serde(default)]
    pub version: Option<String>,
    /// Rules set to count (the older form of a `Count` override).
    #[serde(default)]
    pub excluded_rules: Vec<ExcludedRule>,
    /// Rules whose action is replaced.
    #[serde(default)]
    pub rule_action_overrides: Vec<RuleActionOverride>,
    /// Narrows the requests the group inspects.
    #[serde(default)]
    pub scope_down_statement: Option<Statement>,
}

/// A rule group of the account referenced by a web ACL.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RuleGroupReferenceStatement {
    /// The rule group's ARN.
    #[serde(rename = "ARN")]
    pub arn: String,
    /// Rules set to count.
    #[serde(default)]
    pub excluded_rules: Vec<ExcludedRule>,
    /// Rules whose action is replaced.
    #[serde(default)]
    pub rule_action_overrides: Vec<RuleActionOverride>,
}

/// A rule of a group set to count.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ExcludedRule {
    /// The rule's name.
    pub name: String,
}

/// A rule of a group whose action is replaced.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RuleActionOverride {
    /// The rule's name.
    pub name: String,
    /// The action used instead.
    pub action_to_use: RuleAction,
}

/// A rule's action: exactly one of the fields is set (to `{}` or its settings).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RuleAction {
    /// Block the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block: Option<Value>,
    /// Allow the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow: Option<Value>,
    /// Only count it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<Value>,
    /// Ask for a CAPTCHA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captcha: Option<Value>,
    /// Run a silent browser challenge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge: Option<Value>,
}

impl RuleAction {
    /// `Block`, `Allow`, `Count`, `Captcha` or `Challenge`; `None` when not
    /// exactly one is set (the action cannot be read).
    pub fn kind(&self) -> Option<&'static str> {
        let set: Vec<&'static str> = [
            ("Block", &self.block),
            ("Allow", &self.allow),
            ("Count", &self.count),
            ("Captcha", &self.captcha),
            ("Challenge", &self.challenge),
        ]
        .into_iter()
        .filter(|(_, value)| value.is_some())
        .map(|(name, _)| name)
        .collect();
        match set.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }
}

/// A rule group's override action.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OverrideAction {
    /// Every match only counts.
    #[serde(rename = "Count", default, skip_serializing_if = "Option::is_none")]
    pub count: Option<Value>,
    /// The group's own rule actions apply.
    #[serde(rename = "None", default, skip_serializing_if = "Option::is_none")]
    pub none: Option<Value>,
}

impl OverrideAction {
    /// `Some(true)` when the group only counts, `Some(false)` when its own
    /// actions apply, `None` when the override cannot be read.
    pub fn counts_only(&self) -> Option<bool> {
        match (&self.count, &self.none) {
            (Some(_), None) => Some(true),
            (None, Some(_)) => Some(false),
            _ => None,
        }
    }
}

/// A rule group AWS Firewall Manager adds to a web ACL.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FirewallManagerRuleGroup {
    /// Name.
    pub name: String,
    /// Priority.
    #[serde(default)]
    pub priority: Option<i64>,
    /// The rule group.
    #[serde(default)]
    pub firewall_manager_statement: Option<FirewallManagerStatement>,
    /// `Count` or `None`.
    #[serde(default)]
    pub override_action: Option<OverrideAction>,
}

/// The rule group of a Firewall Manager entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FirewallManagerStatement {
    /// A managed rule group.
    #[serde(default)]
    pub managed_rule_group_statement: Option<ManagedRuleGroupStatement>,
    /// A rule group of the account.
    #[serde(default)]
    pub rule_group_reference_statement: Option<RuleGroupReferenceStatement>,
}
