//! What a WAF web ACL defends against: AWS managed rule groups and custom
//! statements of the matching kind, with the overrides that disarm them.
//! Shared by `waf-no-sqli`, `waf-no-xss`, `waf-no-rate-limit` and
//! `waf-no-ip-reputation`.

use cartguard_inventory::wafv2::{
    self, ManagedRuleGroupStatement, OverrideAction, RuleAction, RuleActionOverride,
    RuleGroupReferenceStatement, Statement, WafRule, WebAcl,
};
use cartguard_inventory::{GLOBAL, Operation, cloudfront};
use serde_json::{Value, json};

use crate::{Context, Emitter, Failure};

/// What the web ACL rules read.
pub(crate) const WEB_ACLS: &[Operation] = &[
    wafv2::LIST_WEB_ACLS,
    wafv2::GET_WEB_ACL,
    wafv2::LIST_LOAD_BALANCERS_FOR_WEB_ACL,
    wafv2::LIST_API_STAGES_FOR_WEB_ACL,
    wafv2::LIST_CLOUDFRONT_WEB_ACLS,
    wafv2::GET_CLOUDFRONT_WEB_ACL,
    cloudfront::LIST_DISTRIBUTIONS,
];

/// The region CloudFront's web ACLs live in.
pub(crate) const CLOUDFRONT_REGION: &str = "us-east-1";

/// A kind of attack a web ACL should stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Defence {
    /// SQL injection.
    Sqli,
    /// Cross-site scripting (and the common rule set that holds its rules).
    Xss,
    /// Request floods from one client: brute force, card testing.
    RateLimit,
    /// Requests from addresses known for attacks, bots or anonymity services.
    IpReputation,
}

/// An AWS managed rule group and the rules in it that give a defence, each
/// with whether its own action blocks (as AWS ships it).
struct ManagedGroup {
    name: &'static str,
    rules: &'static [(&'static str, bool)],
}

const SQLI_GROUPS: &[ManagedGroup] = &[ManagedGroup {
    name: "AWSManagedRulesSQLiRuleSet",
    rules: &[
        ("SQLiExtendedPatterns_QUERYARGUMENTS", true),
        ("SQLi_QUERYARGUMENTS", true),
        ("SQLi_BODY", true),
        ("SQLiExtendedPatterns_BODY", true),
        ("SQLi_COOKIE", true),
        ("SQLi_URIPATH", true),
    ],
}];

const XSS_GROUPS: &[ManagedGroup] = &[ManagedGroup {
    name: "AWSManagedRulesCommonRuleSet",
    rules: &[
        ("CrossSiteScripting_COOKIE", true),
        ("CrossSiteScripting_QUERYARGUMENTS", true),
        ("CrossSiteScripting_BODY", true),
        ("CrossSiteScripting_URIPATH", true),
    ],
}];

const IP_REPUTATION_GROUPS: &[ManagedGroup] = &[
    ManagedGroup {
        name: "AWSManagedRulesAmazonIpReputationList",
        rules: &[
            ("AWSManagedIPReputationList", true),
            ("AWSManagedReconnaissanceList", true),
            // Shipped to count: it blocks only when overridden to.
            ("AWSManagedIPDDoSList", false),
        ],
    },
    ManagedGroup {
        name: "AWSManagedRulesAnonymousIpList",
        rules: &[("AnonymousIPList", true), ("HostingProviderIPList", true)],
    },
];

impl Defence {
    /// The attack in words.
    pub(crate) fn words(self) -> &'static str {
        match self {
            Defence::Sqli => "SQL injection",
            Defence::Xss => "cross-site scripting",
            Defence::RateLimit => "request floods",
            Defence::IpReputation => "requests from addresses of bad reputation",
        }
    }

    fn groups(self) -> &'static [ManagedGroup] {
        match self {
            Defence::Sqli => SQLI_GROUPS,
            Defence::Xss => XSS_GROUPS,
            Defence::RateLimit => &[],
            Defence::IpReputation => IP_REPUTATION_GROUPS,
        }
    }

    /// Whether a custom statement matches this attack.
    fn matches(self, statement: &Statement) -> bool {
        match self {
            Defence::Sqli => statement.sqli_match_statement.is_some(),
            Defence::Xss => statement.xss_match_statement.is_some(),
            Defence::RateLimit => statement.rate_based_statement.is_some(),
            Defence::IpReputation => false,
        }
    }

    /// Whether a rule's action stops the requests it matches. An injection
    /// is stopped only by blocking it; a flood or a bad address also by a
    /// CAPTCHA or a challenge, which automated clients fail.
    fn stops(self, action: &str) -> bool {
        match self {
            Defence::Sqli | Defence::Xss => action == "Block",
            Defence::RateLimit | Defence::IpReputation => {
                matches!(action, "Block" | "Captcha" | "Challenge")
            }
        }
    }
}

/// What a web ACL does against one kind of attack.
#[derive(Debug, Default)]
pub(crate) struct Assessment {
    /// The rules that stop it.
    pub(crate) stopped_by: Vec<String>,
    /// Rules that would stop it but only count, or allow.
    pub(crate) disarmed: Vec<String>,
    /// Why some rule may stop it without the evidence showing it.
    pub(crate) unknown: Vec<String>,
}

/// What `acl` does against `defence`.
pub(crate) fn assess(acl: &WebAcl, defence: Defence) -> Assessment {
    let mut out = Assessment::default();
    for group in &acl.pre_process_firewall_manager_rule_groups {
        firewall_manager_group(group, defence, &mut out);
    }
    for rule in &acl.rules {
        own_rule(rule, defence, &mut out);
    }
    for group in &acl.post_process_firewall_manager_rule_groups {
        firewall_manager_group(group, defence, &mut out);
    }
    out
}

fn firewall_manager_group(
    group: &wafv2::FirewallManagerRuleGroup,
    defence: Defence,
    out: &mut Assessment,
) {
    let what = format!("Firewall Manager rule group {}", group.name);
    let Some(statement) = &group.firewall_manager_statement else {
        out.unknown
            .push(format!("{what} has no statement that can be read"));
        return;
    };
    if let Some(managed) = &statement.managed_rule_group_statement {
        managed_group(&what, managed, group.override_action.as_ref(), defence, out);
    } else if let Some(reference) = &statement.rule_group_reference_statement {
        referenced_group(&what, reference, group.override_action.as_ref(), out);
    } else {
        out.unknown
            .push(format!("{what} has no statement that can be read"));
    }
}

fn own_rule(rule: &WafRule, defence: Defence, out: &mut Assessment) {
    let what = format!("rule {}", rule.name);
    let Some(statement) = &rule.statement else {
        out.unknown
            .push(format!("{what} has no statement that can be read"));
        return;
    };
    if let Some(managed) = &statement.managed_rule_group_statement {
        managed_group(&what, managed, rule.override_action.as_ref(), defence, out);
        return;
    }
    if let Some(reference) = &statement.rule_group_reference_statement {
        referenced_group(&what, reference, rule.override_action.as_ref(), out);
        return;
    }
    if !matches_positively(statement, defence, false) {
        return;
    }
    match rule.action.as_ref().and_then(RuleAction::kind) {
        None => out.unknown.push(format!(
            "{what} matches {} but its Action cannot be read",
            defence.words()
        )),
        Some(action) if defence.stops(action) => {
            out.stopped_by.push(format!("{what} ({action})"));
        }
        Some(action) => out.disarmed.push(format!(
            "{what} matches {} but its action is {action}, which lets the request through",
            defence.words()
        )),
    }
}

/// Whether the statement matches the attack where a match means the attack
/// (not its absence): under an odd number of `NotStatement`s it does not.
fn matches_positively(statement: &Statement, defence: Defence, negated: bool) -> bool {
    if defence.matches(statement) && !negated {
        return true;
    }
    let nested = statement
        .and_statement
        .iter()
        .chain(statement.or_statement.iter())
        .flat_map(|s| s.statements.iter())
        .any(|s| matches_positively(s, defence, negated));
    let under_not = statement
        .not_statement
        .as_ref()
        .is_some_and(|n| matches_positively(&n.statement, defence, !negated));
    nested || under_not
}

fn managed_group(
    what: &str,
    managed: &ManagedRuleGroupStatement,
    override_action: Option<&OverrideAction>,
    defence: Defence,
    out: &mut Assessment,
) {
    let group = &managed.name;
    let known = (managed.vendor_name == "AWS")
        .then(|| defence.groups().iter().find(|g| g.name == group))
        .flatten();
    let Some(known) = known else {
        if managed.vendor_name != "AWS" {
            out.unknown.push(format!(
                "{what} runs {}'s managed rule group {group}, whose rules the evidence does not show",
                managed.vendor_name
            ));
        }
        return;
    };
    match override_action.and_then(OverrideAction::counts_only) {
        None => {
            out.unknown.push(format!(
                "{what} runs {group} but its OverrideAction cannot be read"
            ));
            return;
        }
        Some(true) => {
            out.disarmed.push(format!(
                "{what} runs {group} with OverrideAction Count: it only counts"
            ));
            return;
        }
        Some(false) => {}
    }
    let mut stopping = Vec::new();
    let mut disarmed = Vec::new();
    for (name, blocks) in known.rules {
        let action = effective_action(name, *blocks, managed);
        match action {
            Err(problem) => {
                out.unknown.push(format!("{what} runs {group}: {problem}"));
                return;
            }
            Ok(action) if defence.stops(action) => stopping.push(*name),
            Ok(action) => disarmed.push(format!("{name} → {action}")),
        }
    }
    if stopping.is_empty() {
        out.disarmed.push(format!(
            "{what} runs {group}, but every rule of it against {} is overridden or set to count ({})",
            defence.words(),
            disarmed.join(", ")
        ));
    } else {
        out.stopped_by.push(format!("{what} ({group})"));
    }
}

/// A managed rule's action after the web ACL's overrides.
fn effective_action(
    name: &str,
    blocks: bool,
    managed: &ManagedRuleGroupStatement,
) -> Result<&'static str, String> {
    if let Some(over) = managed
        .rule_action_overrides
        .iter()
        .find(|o: &&RuleActionOverride| o.name == name)
    {
        return over
            .action_to_use
            .kind()
            .ok_or_else(|| format!("the override of {name} cannot be read"));
    }
    if managed.excluded_rules.iter().any(|e| e.name == name) {
        return Ok("Count");
    }
    Ok(if blocks { "Block" } else { "Count" })
}

fn referenced_group(
    what: &str,
    reference: &RuleGroupReferenceStatement,
    override_action: Option<&OverrideAction>,
    out: &mut Assessment,
) {
    if override_action.and_then(OverrideAction::counts_only) == Some(true) {
        return;
    }
    out.unknown.push(format!(
        "{what} runs the rule group {}, whose rules the evidence does not hold (wafv2 get-rule-group)",
        reference.arn
    ));
}

/// A statement in words: its kind, the managed group it names, what it nests.
fn statement_words(statement: &Statement) -> String {
    let mut parts = Vec::new();
    if statement.sqli_match_statement.is_some() {
        parts.push("SqliMatchStatement".to_string());
    }
    if statement.xss_match_statement.is_some() {
        parts.push("XssMatchStatement".to_string());
    }
    if let Some(rate) = &statement.rate_based_statement {
        parts.push(format!(
            "RateBasedStatement ({} requests per {} s by {})",
            rate.limit
                .map_or_else(|| "?".to_string(), |l| l.to_string()),
            rate.evaluation_window_sec.unwrap_or(300),
            rate.aggregate_key_type.as_deref().unwrap_or("?")
        ));
    }
    if let Some(m) = &statement.managed_rule_group_statement {
        parts.push(managed_words(m));
    }
    if let Some(r) = &statement.rule_group_reference_statement {
        parts.push(format!("RuleGroupReferenceStatement {}", r.arn));
    }
    for (kind, list) in [
        ("AndStatement", &statement.and_statement),
        ("OrStatement", &statement.or_statement),
    ] {
        if let Some(list) = list {
            let inner: Vec<String> = list.statements.iter().map(statement_words).collect();
            parts.push(format!("{kind}({})", inner.join(", ")));
        }
    }
    if let Some(not) = &statement.not_statement {
        parts.push(format!("NotStatement({})", statement_words(&not.statement)));
    }
    parts.extend(statement.other.keys().cloned());
    if parts.is_empty() {
        "no statement".to_string()
    } else {
        parts.join(" + ")
    }
}

fn managed_words(m: &ManagedRuleGroupStatement) -> String {
    let mut text = format!("ManagedRuleGroupStatement {}/{}", m.vendor_name, m.name);
    if let Some(version) = &m.version {
        text.push_str(&format!(" {version}"));
    }
    let mut overrides: Vec<String> = m
        .rule_action_overrides
        .iter()
        .map(|o| format!("{} → {}", o.name, o.action_to_use.kind().unwrap_or("?")))
        .collect();
    overrides.extend(
        m.excluded_rules
            .iter()
            .map(|e| format!("{} → Count", e.name)),
    );
    if !overrides.is_empty() {
        text.push_str(&format!(" with {}", overrides.join(", ")));
    }
    text
}

fn override_words(action: Option<&OverrideAction>) -> String {
    match action.and_then(OverrideAction::counts_only) {
        Some(true) => "override Count".into(),
        Some(false) => "override None (the group's own actions)".into(),
        None => "override unreadable".into(),
    }
}

/// The web ACL's rules as an auditor reads them, in the order they run.
pub(crate) fn rules_evidence(acl: &WebAcl) -> Value {
    let mut rules = Vec::new();
    let groups = |list: &[wafv2::FirewallManagerRuleGroup], when: &str| -> Vec<Value> {
        list.iter()
            .map(|g| {
                let statement = g.firewall_manager_statement.as_ref().map_or_else(
                    || "no statement".to_string(),
                    |s| match (
                        &s.managed_rule_group_statement,
                        &s.rule_group_reference_statement,
                    ) {
                        (Some(m), _) => managed_words(m),
                        (None, Some(r)) => format!("RuleGroupReferenceStatement {}", r.arn),
                        (None, None) => "no statement".to_string(),
                    },
                );
                json!({
                    "name": g.name,
                    "priority": g.priority,
                    "firewall_manager": when,
                    "statement": statement,
                    "action": override_words(g.override_action.as_ref()),
                })
            })
            .collect()
    };
    rules.extend(groups(
        &acl.pre_process_firewall_manager_rule_groups,
        "before",
    ));
    let mut own: Vec<&WafRule> = acl.rules.iter().collect();
    own.sort_by_key(|r| r.priority);
    for rule in own {
        let statement = rule
            .statement
            .as_ref()
            .map_or_else(|| "no statement".to_string(), statement_words);
        let is_group = rule.statement.as_ref().is_some_and(|s| {
            s.managed_rule_group_statement.is_some() || s.rule_group_reference_statement.is_some()
        });
        let action = if is_group {
            override_words(rule.override_action.as_ref())
        } else {
            rule.action
                .as_ref()
                .and_then(RuleAction::kind)
                .unwrap_or("unreadable")
                .to_string()
        };
        rules.push(json!({
            "name": rule.name,
            "priority": rule.priority,
            "statement": statement,
            "action": action,
        }));
    }
    rules.extend(groups(
        &acl.post_process_firewall_manager_rule_groups,
        "after",
    ));
    json!({
        "source": "wafv2 get-web-acl",
        "web_acl": acl.name,
        "arn": acl.arn,
        "default_action": acl.default_action,
        "rules": rules,
    })
}

/// A web ACL to judge, with what it protects where the evidence says.
pub(crate) struct JudgedAcl<'a> {
    pub(crate) acl: &'a WebAcl,
    /// The region, or `global` for CloudFront's.
    pub(crate) region: String,
    /// What it protects (empty when unknown).
    pub(crate) protects: Vec<String>,
}

/// Every web ACL that protects something, or whose associations are not
/// known; reports the rule not assessed where a web ACL's rules are missing.
pub(crate) fn judged_acls<'a>(ctx: &'a Context, out: &mut Emitter) -> Vec<JudgedAcl<'a>> {
    let account = ctx.account;
    let mut judged = Vec::new();
    for (region, evidence) in &account.regions {
        let waf = &evidence.wafv2;
        let Some(list) = out.require(
            &waf.web_acls,
            &wafv2::LIST_WEB_ACLS.key(region),
            &format!("arn:aws:wafv2:{region}:{}:regional/webacl/*", account.id),
            region,
        ) else {
            continue;
        };
        for summary in list {
            let listed = |map: &'a std::collections::BTreeMap<
                String,
                cartguard_inventory::Collected<Vec<String>>,
            >| map.get(&summary.name).and_then(|c| c.present());
            let balancers = listed(&waf.load_balancers);
            let stages = listed(&waf.api_stages);
            let protects: Vec<String> = balancers
                .into_iter()
                .chain(stages)
                .flatten()
                .cloned()
                .collect();
            if protects.is_empty() && balancers.is_some() && stages.is_some() {
                continue;
            }
            let key = wafv2::GET_WEB_ACL.about(region, &summary.name);
            if let Some(acl) = details(
                out,
                waf.web_acl_details.get(&summary.name),
                &key,
                &summary.arn,
                region,
            ) {
                judged.push(JudgedAcl {
                    acl,
                    region: region.clone(),
                    protects,
                });
            }
        }
    }
    let waf = &account.wafv2;
    if let Some(list) = out.require(
        &waf.web_acls,
        &wafv2::LIST_CLOUDFRONT_WEB_ACLS.global(),
        &format!(
            "arn:aws:wafv2:{CLOUDFRONT_REGION}:{}:global/webacl/*",
            account.id
        ),
        GLOBAL,
    ) {
        let distributions = account.cloudfront.distributions.present();
        for summary in list {
            // A distribution names its web ACL by ARN; one whose WebACLId is
            // absent cannot say which it uses.
            let protects: Option<Vec<String>> = distributions.and_then(|all| {
                all.iter()
                    .map(|d| d.web_acl_id.as_ref().map(|id| (id, &d.arn)))
                    .collect::<Option<Vec<_>>>()
                    .map(|ids| {
                        ids.into_iter()
                            .filter(|(id, _)| **id == summary.arn)
                            .map(|(_, arn)| arn.clone())
                            .collect()
                    })
            });
            if protects.as_ref().is_some_and(Vec::is_empty) {
                continue;
            }
            let key = wafv2::GET_CLOUDFRONT_WEB_ACL.about(GLOBAL, &summary.name);
            if let Some(acl) = details(
                out,
                waf.web_acl_details.get(&summary.name),
                &key,
                &summary.arn,
                GLOBAL,
            ) {
                judged.push(JudgedAcl {
                    acl,
                    region: GLOBAL.to_string(),
                    protects: protects.unwrap_or_default(),
                });
            }
        }
    }
    judged
}

fn details<'a>(
    out: &mut Emitter,
    collected: Option<&'a cartguard_inventory::Collected<WebAcl>>,
    key: &cartguard_inventory::EvidenceKey,
    arn: &str,
    region: &str,
) -> Option<&'a WebAcl> {
    match collected {
        Some(collected) => out.require(collected, key, arn, region),
        None => {
            out.not_assessed(arn, region, format!("{key} was not collected"));
            None
        }
    }
}

/// The check of a web ACL content rule: every judged web ACL must stop
/// `defence`; one that does not fails with `fix` as the remedy.
pub(crate) fn check_defence(
    ctx: &Context,
    out: &mut Emitter,
    defence: Defence,
    fix: &dyn Fn(&WebAcl, &str) -> String,
) {
    if ctx.account.regions.is_empty() {
        out.not_assessed(
            &format!("arn:aws:wafv2:*:{}:regional/webacl/*", ctx.account.id),
            "all",
            "no regional evidence was collected (no region answered any call)".into(),
        );
    }
    for judged in judged_acls(ctx, out) {
        let acl = judged.acl;
        let assessment = assess(acl, defence);
        if !assessment.stopped_by.is_empty() {
            continue;
        }
        if !assessment.unknown.is_empty() {
            out.not_assessed(
                &acl.arn,
                &judged.region,
                format!(
                    "whether web ACL {} stops {} cannot be decided: {}",
                    acl.name,
                    defence.words(),
                    assessment.unknown.join("; ")
                ),
            );
            continue;
        }
        let protects = if judged.protects.is_empty() {
            String::new()
        } else {
            format!(" It protects {}.", judged.protects.join(", "))
        };
        let disarmed = if assessment.disarmed.is_empty() {
            format!("no rule of it stops {}.", defence.words())
        } else {
            format!(
                "no rule of it stops {}: {}.",
                defence.words(),
                assessment.disarmed.join("; ")
            )
        };
        let mut evidence = rules_evidence(acl);
        evidence["protects"] = json!(judged.protects);
        out.fail(Failure {
            detail: format!("Web ACL {}: {disarmed}{protects}", acl.name),
            evidence,
            remediation: if assessment.disarmed.is_empty() {
                fix(acl, &judged.region)
            } else {
                format!(
                    "Make the disarmed rule stop requests again (remove its Count override or the overrides that set its rules to Count, or give it a Block action), or add one: {}",
                    fix(acl, &judged.region)
                )
            },
            region: judged.region.clone(),
            ..Failure::global(acl.arn.clone())
        });
    }
}

/// The `--scope` and `--region` of a web ACL's `aws wafv2` commands.
pub(crate) fn scope_args(region: &str) -> String {
    if region == GLOBAL {
        format!("--scope CLOUDFRONT --region {CLOUDFRONT_REGION}")
    } else {
        format!("--scope REGIONAL --region {region}")
    }
}
