//! Whom a resource policy admits from outside its account: anyone at all (an
//! anonymous caller) or any principal of an unrelated account.
//!
//! The answer comes from evaluating requests, not from reading the text for
//! `"*"`. Each outsider asks for concrete actions on concrete resources with
//! the context an outsider has: no VPC endpoint, VPC, organization, account or
//! source ARN of the owner's (an outsider cannot take those on), TLS when a
//! policy asks for it, and whatever other keys it controls (user agent,
//! referer, request parameters) chosen to satisfy an `Allow` and dodge a
//! `Deny`. A grant to everyone narrowed by a fixed value of one of the keys an
//! outsider cannot choose (`aws:SourceVpce`, `aws:SourceVpc`,
//! `aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:SourceAccount`,
//! `aws:SourceArn`, …) therefore admits no outsider, and neither does one
//! limited to a set of address ranges by `aws:SourceIp`, unless a range is
//! broader than S3's notion of public allows (shorter than /8 for IPv4, /32
//! for IPv6); a `Deny` that applies to every outsider request removes the
//! grant; `NotPrincipal` is evaluated as AWS does. This follows the Amazon S3
//! User Guide ("The meaning of public") and the IAM User Guide ("Policy
//! evaluation logic"); it is written for any resource policy (bucket, queue,
//! topic, function, secret, key), the caller saying which requests to probe.

use std::net::IpAddr;
use std::sync::Arc;

use serde::Serialize;

use crate::condition::Condition;
use crate::evaluate::{Decision, PolicySet, Request, RequestPrincipal, evaluate};
use crate::policy::{Effect, Policy, PolicyKind, PrincipalEntry, Statement, StatementRef};
use crate::quote::StatementQuote;

/// Condition keys whose value an outsider cannot choose: a fixed value of one
/// of them narrows a grant to everyone to the owner's network, organization or
/// accounts (S3 User Guide, "The meaning of public").
pub const NARROWING_KEYS: &[&str] = &[
    "aws:sourcevpce",
    "aws:sourcevpc",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceowner",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:userid",
    "s3:dataaccesspointaccount",
    "s3:dataaccesspointarn",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
];

/// The key that limits a grant to address ranges.
const SOURCE_IP: &str = "aws:sourceip";

/// Who asks from outside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outsider {
    /// An unauthenticated caller: anyone on the internet.
    Anonymous,
    /// An IAM user of an account unrelated to the owner's, with full rights in
    /// its own account.
    OtherAccount,
    /// A principal of another account that the policy names, with full rights
    /// in its own account.
    NamedAccount,
}

impl Outsider {
    /// In an auditor's words.
    pub fn describe(self) -> &'static str {
        match self {
            Outsider::Anonymous => "an anonymous caller (anyone on the internet)",
            Outsider::OtherAccount => "any principal of an unrelated AWS account",
            Outsider::NamedAccount => "a principal of another account the policy names",
        }
    }
}

/// One request to try: an action on a resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// The action (`s3:GetObject`).
    pub action: String,
    /// The resource ARN (`arn:aws:s3:::bucket/key`).
    pub resource: String,
}

/// What to probe a resource policy with.
pub struct Target<'a> {
    /// The account that owns the resource.
    pub owner_account: &'a str,
    /// Requests to try besides those the policy's own statements name.
    pub probes: Vec<Probe>,
    /// The ARNs of the resource (and its parts, such as a bucket's objects)
    /// that the statements' resource patterns are tried against.
    pub resources: Vec<String>,
    /// Whether an action applies to a resource ARN (an object action to an
    /// object, a bucket action to the bucket).
    pub fits: fn(&str, &str) -> bool,
}

/// A request that an outsider can make and the policy allows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Witness {
    /// Who asks.
    pub outsider: Outsider,
    /// The caller's ARN (`*` for an anonymous caller).
    pub principal: String,
    /// The action.
    pub action: String,
    /// The resource.
    pub resource: String,
    /// Condition keys the request states (the outsider's own choice).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<(String, String)>,
    /// The statements that admit it, as written.
    pub statements: Vec<StatementQuote>,
}

/// A statement that grants to everyone but is narrowed: by which conditions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Narrowed {
    /// The statement.
    pub statement: StatementQuote,
    /// Its conditions on keys an outsider cannot choose, as written
    /// (`StringEquals aws:SourceVpce ["vpce-1a2b"]`).
    pub conditions: Vec<String>,
}

/// A request whose decision hangs on context that could not be chosen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Undecided {
    /// Who asks.
    pub outsider: Outsider,
    /// The action.
    pub action: String,
    /// The resource.
    pub resource: String,
    /// The keys still unknown.
    pub keys: Vec<String>,
}

/// Whom a resource policy admits from outside.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OutsiderAccess {
    /// The first admitted request of each outsider, if any.
    pub witnesses: Vec<Witness>,
    /// Every action each outsider is admitted to (across the probed resources).
    pub admitted_actions: Vec<(Outsider, Vec<String>)>,
    /// Statements granting to everyone that no outsider gets through, and why.
    pub narrowed: Vec<Narrowed>,
    /// Requests that could not be decided.
    pub undecided: Vec<Undecided>,
}

impl OutsiderAccess {
    /// Whether some outsider is admitted.
    pub fn is_public(&self) -> bool {
        !self.witnesses.is_empty()
    }

    /// The witness for `outsider`, if it is admitted.
    pub fn witness(&self, outsider: Outsider) -> Option<&Witness> {
        self.witnesses.iter().find(|w| w.outsider == outsider)
    }
}

/// An account id that is not `owner`.
fn unrelated_account(owner: &str) -> &'static str {
    if owner == "210987654321" {
        "123456789012"
    } else {
        "210987654321"
    }
}

/// The caller of `outsider`, with the identity policies it has at home.
fn caller(outsider: Outsider, owner: &str) -> (RequestPrincipal, Vec<Arc<Policy>>) {
    match outsider {
        Outsider::Anonymous => (RequestPrincipal::anonymous(), Vec::new()),
        Outsider::OtherAccount | Outsider::NamedAccount => {
            let account = unrelated_account(owner);
            foreign_caller(&format!("arn:aws:iam::{account}:user/outsider"), account)
        }
    }
}

/// A caller of another account, `arn`, with full rights in its own account.
fn foreign_caller(arn: &str, account: &str) -> (RequestPrincipal, Vec<Arc<Policy>>) {
    let principal = RequestPrincipal::from_arn(arn).unwrap_or_else(|| RequestPrincipal {
        kind: crate::evaluate::PrincipalType::User,
        arn: arn.to_string(),
        session_arn: None,
        account: Some(account.to_string()),
        id: None,
        tags: None,
    });
    (principal, vec![everything_allowed()])
}

/// The principals of other accounts that the policy's `Allow` statements
/// name (an account, or a user or role ARN of another account), each as the
/// caller ARN to try: the account's root user for an account.
pub fn named_foreign_principals(policy: &Policy, owner: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for statement in policy
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Allow)
    {
        let Some(clause) = &statement.principals else {
            continue;
        };
        if clause.negated {
            continue;
        }
        for entry in &clause.entries {
            let arn = match entry {
                PrincipalEntry::Account(account) if account.len() == 12 => {
                    format!("arn:aws:iam::{account}:root")
                }
                PrincipalEntry::Account(arn) | PrincipalEntry::Arn(arn) => arn.clone(),
                _ => continue,
            };
            let account = crate::arn::account_of(&arn).unwrap_or_default();
            if !account.is_empty() && account != owner && !out.contains(&arn) {
                out.push(arn);
            }
        }
    }
    out
}

/// What each principal of another account that the policy names may do
/// (`named_foreign_principals`): the first admitted request of each, in
/// `witnesses`, and every admitted action, per principal.
pub fn named_account_access(policy: &Policy, target: &Target<'_>) -> Vec<(Witness, Vec<String>)> {
    let probes = probes_of(policy, target);
    let mut out = Vec::new();
    for arn in named_foreign_principals(policy, target.owner_account) {
        let account = crate::arn::account_of(&arn).unwrap_or_default().to_string();
        let (principal, identity) = foreign_caller(&arn, &account);
        let set = PolicySet {
            identity,
            resource: vec![Arc::new(policy.clone())],
            ..PolicySet::default()
        };
        let mut first = None;
        let mut admitted: Vec<String> = Vec::new();
        for probe in &probes {
            let attempt = try_probe(
                &set,
                policy,
                &principal,
                Outsider::NamedAccount,
                probe,
                target.owner_account,
            );
            if let Attempt::Admitted(witness) = attempt {
                if !admitted.contains(&probe.action) {
                    admitted.push(probe.action.clone());
                }
                first.get_or_insert(witness);
            }
        }
        if let Some(witness) = first {
            out.push((witness, admitted));
        }
    }
    out
}

/// An identity policy that allows every action: an outsider's own account
/// grants it whatever it likes.
fn everything_allowed() -> Arc<Policy> {
    static EVERYTHING: std::sync::LazyLock<Arc<Policy>> = std::sync::LazyLock::new(|| {
        let document = serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
        });
        Arc::new(
            Policy::parse("outsider-identity", PolicyKind::Identity, &document).unwrap_or_else(
                |_| Policy {
                    name: Arc::from("outsider-identity"),
                    kind: PolicyKind::Identity,
                    version: crate::policy::LanguageVersion::V2012,
                    id: None,
                    statements: Vec::new(),
                },
            ),
        )
    });
    Arc::clone(&EVERYTHING)
}

/// Whether some statement of `policy` with `effect` names `principal` (or
/// names no one, and so applies to every caller). A resource policy admits a
/// caller of another account, or an anonymous one, only through an `Allow`
/// that names it, and refuses a request only through a `Deny` that names it:
/// without such a statement, no request of that caller needs evaluating.
fn names_caller(policy: &Policy, effect: Effect, principal: &RequestPrincipal) -> bool {
    policy.statements.iter().any(|statement| {
        statement.effect == effect
            && statement.principals.as_ref().is_none_or(|clause| {
                crate::evaluate::principal_named(clause, principal) != crate::evaluate::Named::No
            })
    })
}

/// The context an outsider's request starts from: the keys it cannot choose
/// are absent (a direct request from the internet, no service acting for it).
fn outsider_context(outsider: Outsider) -> crate::RequestContext {
    let mut context = crate::RequestContext::new();
    for key in NARROWING_KEYS {
        match (*key, outsider) {
            // Derived from the caller: the evaluator knows them.
            ("aws:principalaccount" | "aws:principalarn" | "aws:userid", _) => {}
            // A named account may be in the owner's organization: unknown.
            ("aws:principalorgid" | "aws:principalorgpaths", Outsider::NamedAccount) => {}
            ("aws:principalorgid", Outsider::OtherAccount) => {
                context.set(key, ["o-outsider0000"]);
            }
            ("aws:principalorgpaths", Outsider::OtherAccount) => {
                context.set(key, ["o-outsider0000/r-out0/"]);
            }
            _ => {
                context.set_absent(key);
            }
        }
    }
    context
}

/// Whether `policy`, a resource policy of `target`, admits an outsider.
pub fn outsider_access(policy: &Policy, target: &Target<'_>) -> OutsiderAccess {
    let probes = probes_of(policy, target);
    let mut out = OutsiderAccess::default();
    for outsider in [Outsider::Anonymous, Outsider::OtherAccount] {
        let (principal, identity) = caller(outsider, target.owner_account);
        if !names_caller(policy, Effect::Allow, &principal) {
            continue;
        }
        let set = PolicySet {
            identity,
            resource: vec![Arc::new(policy.clone())],
            ..PolicySet::default()
        };
        let mut admitted: Vec<String> = Vec::new();
        for probe in &probes {
            match try_probe(
                &set,
                policy,
                &principal,
                outsider,
                probe,
                target.owner_account,
            ) {
                Attempt::Admitted(witness) => {
                    if !admitted.contains(&probe.action) {
                        admitted.push(probe.action.clone());
                    }
                    if out.witness(outsider).is_none() {
                        out.witnesses.push(witness);
                    }
                }
                Attempt::Refused => {}
                Attempt::Undecided(keys) => out.undecided.push(Undecided {
                    outsider,
                    action: probe.action.clone(),
                    resource: probe.resource.clone(),
                    keys,
                }),
            }
        }
        if !admitted.is_empty() {
            out.admitted_actions.push((outsider, admitted));
        }
    }
    out.narrowed = narrowed_statements(policy);
    out
}

/// The requests to try: the caller's probes, and each action a statement
/// names literally on each resource its patterns match.
fn probes_of(policy: &Policy, target: &Target<'_>) -> Vec<Probe> {
    let mut out: Vec<Probe> = target.probes.clone();
    let mut add = |action: &str, resource: &str| {
        let probe = Probe {
            action: action.to_string(),
            resource: resource.to_string(),
        };
        if (target.fits)(action, resource) && !out.contains(&probe) {
            out.push(probe);
        }
    };
    let mut resources: Vec<String> = target.resources.clone();
    for statement in &policy.statements {
        if statement.resources.negated {
            continue;
        }
        for pattern in statement.resources.patterns.iter() {
            if pattern.has_variables() {
                continue;
            }
            // A concrete resource the pattern matches: wildcards stand for a letter.
            let concrete = pattern.as_str().replace(['*', '?'], "x");
            if target
                .resources
                .iter()
                .any(|r| concrete.starts_with(r.as_str()))
                && !resources.contains(&concrete)
            {
                resources.push(concrete);
            }
        }
    }
    let mut actions: Vec<String> = target.probes.iter().map(|p| p.action.clone()).collect();
    for statement in &policy.statements {
        if statement.effect != Effect::Allow || statement.actions.negated {
            continue;
        }
        for pattern in &statement.actions.patterns {
            if let Some(literal) = pattern.literal()
                && !actions.iter().any(|a| a.eq_ignore_ascii_case(&literal))
            {
                // As AWS spells it, when the catalogue knows it.
                let catalogue = crate::catalogue::catalogue();
                let spelled = catalogue
                    .index_of(&literal)
                    .map_or(literal, |i| catalogue.name(i).to_string());
                actions.push(spelled);
            }
        }
    }
    for action in &actions {
        for resource in &resources {
            add(action, resource);
        }
    }
    out
}

enum Attempt {
    Admitted(Witness),
    Refused,
    Undecided(Vec<String>),
}

/// Tries one request, choosing the keys the outsider controls so that an
/// `Allow` holds and no `Deny` applies; a few rounds, as a choice can bring
/// another condition into play.
fn try_probe(
    set: &PolicySet,
    policy: &Policy,
    principal: &RequestPrincipal,
    outsider: Outsider,
    probe: &Probe,
    owner: &str,
) -> Attempt {
    // First straight from the internet; then through the outsider's own VPC
    // endpoint, organization or resources, where a pattern lets them in.
    let direct = try_from(set, policy, principal, outsider, probe, owner, Vec::new());
    if matches!(direct, Attempt::Admitted(_)) {
        return direct;
    }
    let own: Vec<(String, String)> = policy
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Allow)
        .flat_map(|s| s.conditions.iter())
        .filter(|c| {
            NARROWING_KEYS.contains(&c.key_lower()) && !CALLER_KEYS.contains(&c.key_lower())
        })
        .filter_map(|c| match satisfying(c, owner) {
            Some(Choice::Value(v)) => Some((c.key.clone(), v)),
            _ => None,
        })
        .collect();
    if own.is_empty() {
        return direct;
    }
    match try_from(set, policy, principal, outsider, probe, owner, own) {
        Attempt::Refused => direct,
        other => other,
    }
}

/// Tries one request whose context starts with `preset` keys.
fn try_from(
    set: &PolicySet,
    policy: &Policy,
    principal: &RequestPrincipal,
    outsider: Outsider,
    probe: &Probe,
    owner: &str,
    preset: Vec<(String, String)>,
) -> Attempt {
    let mut request = Request::new(principal.clone(), &probe.action, &probe.resource);
    // S3 ARNs name no account: the resource is the owner's.
    request.resource_account = Some(owner.to_string());
    request.context = outsider_context(outsider);
    // KMS states the caller's own account (AWS KMS Developer Guide, "AWS KMS
    // condition keys": kms:CallerAccount); an anonymous caller has none.
    match &principal.account {
        Some(account) => request.context.set("kms:CallerAccount", [account.as_str()]),
        None => request.context.set_absent("kms:CallerAccount"),
    };
    // Over TLS, which any caller can choose.
    request.context.set("aws:SecureTransport", ["true"]);
    let mut chosen: Vec<(String, String)> = vec![("aws:SecureTransport".into(), "true".into())];
    for (key, value) in preset {
        request.context.set(&key, [value.as_str()]);
        chosen.push((key, value));
    }
    for _ in 0..4 {
        match evaluate(set, &request) {
            Decision::Allow { by } => {
                return Attempt::Admitted(Witness {
                    outsider,
                    principal: principal.arn.clone(),
                    action: probe.action.clone(),
                    resource: probe.resource.clone(),
                    context: chosen
                        .into_iter()
                        .filter(|(k, _)| k != "aws:SecureTransport")
                        .collect(),
                    statements: by.iter().filter_map(|r| quote(policy, r)).collect(),
                });
            }
            Decision::ExplicitDeny { .. } | Decision::ImplicitDeny { .. } => {
                return Attempt::Refused;
            }
            Decision::Conditional { pending } => {
                let mut progress = false;
                for statement in &pending {
                    let Some(parsed) = policy.statements.get(statement.statement.index) else {
                        continue;
                    };
                    for condition in &parsed.conditions {
                        let key = condition.key.as_str();
                        if chosen.iter().any(|(k, _)| k.eq_ignore_ascii_case(key)) {
                            continue;
                        }
                        let value = match statement.effect {
                            Effect::Allow => satisfying(condition, owner),
                            Effect::Deny if request.context.states(key) => None,
                            Effect::Deny => failing(condition),
                        };
                        match value {
                            Some(Choice::Value(v)) => {
                                request.context.set(key, [v.as_str()]);
                                chosen.push((condition.key.clone(), v));
                            }
                            Some(Choice::Absent) => {
                                request.context.set_absent(key);
                                chosen.push((condition.key.clone(), "(absent)".into()));
                            }
                            None => continue,
                        }
                        progress = true;
                    }
                }
                if !progress {
                    let mut keys: Vec<String> = pending
                        .iter()
                        .flat_map(|p| p.unresolved.iter().map(|u| u.key.clone()))
                        .collect();
                    keys.sort();
                    keys.dedup();
                    return Attempt::Undecided(keys);
                }
            }
        }
    }
    Attempt::Undecided(Vec::new())
}

/// The quote of a statement of `policy`.
fn quote(policy: &Policy, reference: &StatementRef) -> Option<StatementQuote> {
    if *reference.policy != *policy.name {
        return None;
    }
    Some(
        StatementQuote::new(
            reference,
            policy.statements.get(reference.index).map(|s| s.as_ref()),
        )
        .deciding(crate::quote::ADMITTING),
    )
}

enum Choice {
    Value(String),
    Absent,
}

/// Keys derived from the caller itself, which no request can change.
const CALLER_KEYS: &[&str] = &["aws:principalaccount", "aws:principalarn", "aws:userid"];

/// A value of the condition's key that an outsider can send and that makes
/// the condition hold; `None` for keys an outsider cannot choose and for
/// address ranges no wider than S3 allows. A narrowing key compared with a
/// pattern that does not pin the owner's account (`vpce-*`) is one an
/// outsider can satisfy with a VPC endpoint, organization or resource of its own.
fn satisfying(condition: &Condition, owner: &str) -> Option<Choice> {
    let key = condition.key_lower();
    if CALLER_KEYS.contains(&key) {
        return None;
    }
    if NARROWING_KEYS.contains(&key) {
        if condition.is_negated() {
            return None;
        }
        return condition
            .values
            .iter()
            .find(|v| is_pattern(v) && !v.contains(owner))
            .map(|v| Choice::Value(v.replace(['*', '?'], "x")));
    }
    let operator = condition.operator.to_ascii_lowercase();
    let first = condition.values.first().cloned().unwrap_or_default();
    if operator.starts_with("null") {
        return Some(if first.eq_ignore_ascii_case("true") {
            Choice::Absent
        } else {
            Choice::Value("outsider".into())
        });
    }
    if key == SOURCE_IP {
        // Only a range broader than S3 accepts as non-public opens it: an
        // outsider's address lies outside fixed narrow ranges.
        let broad = condition.values.iter().find(|v| is_broad_range(v));
        return Some(Choice::Value(match broad {
            Some(range) if !condition.is_negated() => {
                range.split('/').next().unwrap_or_default().to_string()
            }
            _ => address_outside(&condition.values),
        }));
    }
    if condition.is_negated() {
        return Some(Choice::Value("cartguard-outsider".into()));
    }
    if operator.starts_with("numeric") || operator.starts_with("date") {
        // The bound itself satisfies the inclusive forms; the strict forms
        // are left to evaluation (the request stays undecided).
        return (operator.contains("equals") || !operator.contains("than"))
            .then_some(Choice::Value(first));
    }
    Some(Choice::Value(first.replace(['*', '?'], "x")))
}

/// A value that makes the condition of a `Deny` fail, if an outsider can send one.
fn failing(condition: &Condition) -> Option<Choice> {
    let key = condition.key_lower();
    if NARROWING_KEYS.contains(&key) {
        return None;
    }
    let operator = condition.operator.to_ascii_lowercase();
    let first = condition.values.first().cloned().unwrap_or_default();
    if operator.starts_with("null") {
        return Some(if first.eq_ignore_ascii_case("true") {
            Choice::Value("outsider".into())
        } else {
            Choice::Absent
        });
    }
    if key == SOURCE_IP {
        return if condition.is_negated() {
            // Deny unless from these ranges: an outsider is outside them,
            // unless a range is broad enough to be anyone.
            condition
                .values
                .iter()
                .find(|v| is_broad_range(v))
                .map(|v| Choice::Value(v.split('/').next().unwrap_or_default().to_string()))
        } else {
            Some(Choice::Value(address_outside(&condition.values)))
        };
    }
    if condition.is_negated() {
        // `StringNotEquals`: send the expected value (a wildcard pattern is
        // matched by its own letters).
        return Some(Choice::Value(first.replace(['*', '?'], "x")));
    }
    if condition.values.iter().any(|v| v == "*") {
        return None;
    }
    Some(Choice::Value("cartguard-outsider".into()))
}

/// Whether a condition value is a pattern rather than a fixed value.
fn is_pattern(value: &str) -> bool {
    value.contains(['*', '?'])
}

/// Whether a CIDR is broader than S3 counts as a fixed set of addresses:
/// shorter than /8 for IPv4, /32 for IPv6.
fn is_broad_range(cidr: &str) -> bool {
    let (address, prefix) = cidr.split_once('/').unwrap_or((cidr, ""));
    let Ok(address) = address.trim().parse::<IpAddr>() else {
        return false;
    };
    let Ok(prefix) = prefix.trim().parse::<u8>() else {
        return false;
    };
    match address {
        IpAddr::V4(_) => prefix < 8,
        IpAddr::V6(_) => prefix < 32,
    }
}

/// A public address outside every range of `cidrs`.
fn address_outside(cidrs: &[String]) -> String {
    const CANDIDATES: [&str; 4] = ["203.0.113.77", "198.51.100.77", "192.0.2.77", "100.64.7.77"];
    CANDIDATES
        .iter()
        .find(|candidate| !cidrs.iter().any(|c| in_range(candidate, c)))
        .unwrap_or(&CANDIDATES[0])
        .to_string()
}

/// Whether an IPv4 address lies in a CIDR (IPv6 ranges never hold one).
fn in_range(address: &str, cidr: &str) -> bool {
    let (base, prefix) = cidr.split_once('/').unwrap_or((cidr, "32"));
    let (Ok(IpAddr::V4(a)), Ok(IpAddr::V4(b)), Ok(prefix)) = (
        address.parse::<IpAddr>(),
        base.trim().parse::<IpAddr>(),
        prefix.trim().parse::<u32>(),
    ) else {
        return false;
    };
    if prefix > 32 {
        return false;
    }
    let mask = if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - prefix)
    };
    u32::from(a) & mask == u32::from(b) & mask
}

/// The `Allow` statements that name everyone (`*`, or `NotPrincipal`) with
/// conditions on keys an outsider cannot choose, or on address ranges.
fn narrowed_statements(policy: &Policy) -> Vec<Narrowed> {
    policy
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Allow && names_everyone(s))
        .filter_map(|s| {
            let conditions: Vec<String> = s
                .conditions
                .iter()
                .filter(|c| {
                    let key = c.key_lower();
                    (NARROWING_KEYS.contains(&key) || key == SOURCE_IP)
                        && !c.is_negated()
                        && !c.values.iter().any(|v| is_pattern(v) || is_broad_range(v))
                })
                .map(|c| format!("{} {} {:?}", c.operator, c.key, c.values))
                .collect();
            (!conditions.is_empty()).then(|| Narrowed {
                statement: StatementQuote::new(&StatementRef::new(policy, s), Some(s)),
                conditions,
            })
        })
        .collect()
}

/// Whether a statement's principal covers everyone.
pub fn names_everyone(statement: &Statement) -> bool {
    match &statement.principals {
        Some(clause) if clause.negated => true,
        Some(clause) => clause.entries.contains(&PrincipalEntry::Everyone),
        None => false,
    }
}

/// Requests that a `Deny` on `aws:SecureTransport` false must refuse for
/// `target`'s transport to be enforced, and which of them it does not
/// refuse: each probe asked over plain HTTP by a principal of the owner's
/// account and by an outsider (both with full rights of their own), every
/// other key unknown. Empty: every insecure request is denied outright.
pub fn insecure_requests_not_denied(policy: &Policy, target: &Target<'_>) -> Vec<Probe> {
    let owner = RequestPrincipal::from_arn(&format!(
        "arn:aws:iam::{}:user/insider",
        target.owner_account
    ));
    let (outsider, _) = caller(Outsider::OtherAccount, target.owner_account);
    let set = PolicySet {
        identity: vec![everything_allowed()],
        resource: vec![Arc::new(policy.clone())],
        ..PolicySet::default()
    };
    // A request is refused only by a Deny naming its caller.
    if !owner
        .iter()
        .chain([&outsider])
        .all(|principal| names_caller(policy, Effect::Deny, principal))
    {
        return target.probes.clone();
    }
    let mut missed = Vec::new();
    for probe in &target.probes {
        let denied = owner.iter().chain([&outsider]).all(|principal| {
            let mut request = Request::new(principal.clone(), &probe.action, &probe.resource);
            request.resource_account = Some(target.owner_account.to_string());
            request.context.set("aws:SecureTransport", ["false"]);
            matches!(evaluate(&set, &request), Decision::ExplicitDeny { .. })
        });
        if !denied {
            missed.push(probe.clone());
        }
    }
    missed
}

/// Whether an S3 action applies to a resource: object actions to objects
/// (`bucket/key`), bucket actions to the bucket.
pub fn s3_fits(action: &str, resource: &str) -> bool {
    let name = action.split_once(':').map_or(action, |(_, n)| n);
    let on_object = resource
        .strip_prefix("arn:")
        .and_then(|r| r.split(":::").nth(1))
        .is_some_and(|path| path.contains('/'));
    let object_action = !name.contains("Bucket")
        && (name.contains("Object")
            || name == "AbortMultipartUpload"
            || name == "ListMultipartUploadParts");
    object_action == on_object
}

/// The requests that test a bucket: reading, writing and deleting objects,
/// listing, and reading or changing the bucket's policy and ACLs.
pub fn s3_bucket_target<'a>(owner_account: &'a str, bucket_arn: &str) -> Target<'a> {
    let object = format!("{bucket_arn}/example-object");
    let on_object = [
        "s3:GetObject",
        "s3:GetObjectVersion",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:DeleteObjectVersion",
        "s3:GetObjectAcl",
        "s3:PutObjectAcl",
        "s3:RestoreObject",
        "s3:AbortMultipartUpload",
    ];
    let on_bucket = [
        "s3:ListBucket",
        "s3:ListBucketVersions",
        "s3:GetBucketPolicy",
        "s3:PutBucketPolicy",
        "s3:DeleteBucketPolicy",
        "s3:GetBucketAcl",
        "s3:PutBucketAcl",
        "s3:PutLifecycleConfiguration",
        "s3:DeleteBucket",
    ];
    let mut probes: Vec<Probe> = on_object
        .iter()
        .map(|a| Probe {
            action: a.to_string(),
            resource: object.clone(),
        })
        .collect();
    probes.extend(on_bucket.iter().map(|a| Probe {
        action: a.to_string(),
        resource: bucket_arn.to_string(),
    }));
    Target {
        owner_account,
        probes,
        resources: vec![bucket_arn.to_string()],
        fits: s3_fits,
    }
}

/// The requests that test a KMS key: using it to decrypt, encrypt and make
/// data keys, handing out grants, and managing or deleting it. A key policy's
/// `"Resource": "*"` is the key itself, so every action fits the key.
pub fn kms_key_target<'a>(owner_account: &'a str, key_arn: &str) -> Target<'a> {
    let actions = [
        "kms:Decrypt",
        "kms:Encrypt",
        "kms:ReEncryptFrom",
        "kms:GenerateDataKey",
        "kms:CreateGrant",
        "kms:PutKeyPolicy",
        "kms:DisableKey",
        "kms:ScheduleKeyDeletion",
    ];
    Target {
        owner_account,
        probes: actions
            .iter()
            .map(|a| Probe {
                action: a.to_string(),
                resource: key_arn.to_string(),
            })
            .collect(),
        resources: vec![key_arn.to_string()],
        fits: |_, _| true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWNER: &str = "111122223333";
    const BUCKET: &str = "arn:aws:s3:::shop-media";

    fn policy(statements: serde_json::Value) -> Policy {
        let document = serde_json::json!({"Version": "2012-10-17", "Statement": statements});
        Policy::parse("shop-media#bucket-policy", PolicyKind::Resource, &document)
            .expect("a valid policy")
    }

    fn access(statements: serde_json::Value) -> OutsiderAccess {
        outsider_access(&policy(statements), &s3_bucket_target(OWNER, BUCKET))
    }

    fn public_read(condition: serde_json::Value) -> serde_json::Value {
        serde_json::json!([{
            "Sid": "Read", "Effect": "Allow", "Principal": "*",
            "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shop-media/*",
            "Condition": condition
        }])
    }

    #[test]
    fn everyone_without_condition_is_public_with_a_witness() {
        let answer = access(serde_json::json!([{
            "Sid": "Read", "Effect": "Allow", "Principal": "*",
            "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shop-media/*"
        }]));
        let witness = answer.witness(Outsider::Anonymous).expect("anonymous read");
        assert_eq!(witness.action, "s3:GetObject");
        assert_eq!(witness.principal, "*");
        assert_eq!(witness.statements[0].sid.as_deref(), Some("Read"));
        assert!(answer.witness(Outsider::OtherAccount).is_some());
    }

    #[test]
    fn each_narrowing_key_with_a_fixed_value_is_not_public() {
        for (operator, key, value) in [
            ("StringEquals", "aws:SourceVpce", "vpce-1a2b3c4d"),
            ("StringEquals", "aws:SourceVpc", "vpc-0a1b2c3d"),
            ("StringEquals", "aws:PrincipalOrgID", "o-abc123"),
            ("StringEquals", "aws:PrincipalAccount", OWNER),
            ("StringEquals", "aws:SourceAccount", OWNER),
            (
                "ArnLike",
                "aws:SourceArn",
                "arn:aws:cloudfront::111122223333:distribution/E1",
            ),
            ("IpAddress", "aws:SourceIp", "203.0.113.0/24"),
        ] {
            let answer = access(public_read(serde_json::json!({operator: {key: value}})));
            assert!(!answer.is_public(), "{key}: {answer:?}");
            assert!(answer.undecided.is_empty(), "{key}: {answer:?}");
            assert_eq!(answer.narrowed.len(), 1, "{key}");
        }
    }

    #[test]
    fn a_wildcard_or_a_broad_range_does_not_narrow() {
        let wildcard = access(public_read(
            serde_json::json!({"StringLike": {"aws:SourceVpce": "vpce-*"}}),
        ));
        assert!(
            wildcard.witness(Outsider::Anonymous).is_some(),
            "an outsider's own endpoint matches vpce-*"
        );
        let pinned = access(public_read(serde_json::json!(
            {"ArnLike": {"aws:SourceArn": "arn:aws:cloudfront::111122223333:distribution/*"}}
        )));
        assert!(!pinned.is_public(), "{pinned:?}");
        let broad = access(public_read(
            serde_json::json!({"IpAddress": {"aws:SourceIp": "0.0.0.0/1"}}),
        ));
        assert!(broad.is_public());
        assert_eq!(
            broad.witness(Outsider::Anonymous).unwrap().context,
            vec![("aws:SourceIp".to_string(), "0.0.0.0".to_string())]
        );
    }

    #[test]
    fn keys_the_caller_chooses_do_not_narrow() {
        let answer = access(public_read(
            serde_json::json!({"StringLike": {"aws:Referer": "https://shop.example/*"}}),
        ));
        let witness = answer
            .witness(Outsider::Anonymous)
            .expect("referer is forged");
        assert_eq!(
            witness.context,
            vec![(
                "aws:Referer".to_string(),
                "https://shop.example/x".to_string()
            )]
        );
    }

    #[test]
    fn a_deny_that_always_applies_removes_the_grant() {
        let mut statements = public_read(serde_json::json!({}));
        statements.as_array_mut().unwrap().push(serde_json::json!({
            "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": ["arn:aws:s3:::shop-media", "arn:aws:s3:::shop-media/*"],
            "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}
        }));
        assert!(!access(statements).is_public());
    }

    #[test]
    fn not_principal_allow_is_public_and_not_principal_deny_closes() {
        let open = access(serde_json::json!([{
            "Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/bob"},
            "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shop-media/*"
        }]));
        assert!(open.is_public());
        let closed = access(serde_json::json!([
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
             "Resource": "arn:aws:s3:::shop-media/*"},
            {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"},
             "Action": "s3:*", "Resource": "arn:aws:s3:::shop-media/*"}
        ]));
        assert!(!closed.is_public(), "{closed:?}");
    }

    #[test]
    fn a_tls_deny_alone_is_not_public_and_enforces_transport() {
        let deny_only = policy(serde_json::json!([{
            "Sid": "TLS", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": ["arn:aws:s3:::shop-media", "arn:aws:s3:::shop-media/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}
        }]));
        let target = s3_bucket_target(OWNER, BUCKET);
        assert!(!outsider_access(&deny_only, &target).is_public());
        assert!(insecure_requests_not_denied(&deny_only, &target).is_empty());
        let objects_only = policy(serde_json::json!([{
            "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": "arn:aws:s3:::shop-media/*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}
        }]));
        let missed = insecure_requests_not_denied(&objects_only, &target);
        assert!(missed.iter().any(|p| p.action == "s3:ListBucket"));
        assert!(missed.iter().all(|p| p.resource == BUCKET));
    }

    #[test]
    fn a_grant_to_an_unrelated_account_is_seen_for_that_outsider_only() {
        let answer = access(serde_json::json!([{
            "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:PutObject",
            "Resource": "arn:aws:s3:::shop-media/*",
            "Condition": {"StringEquals": {"aws:PrincipalType": "User"}}
        }]));
        assert!(answer.witness(Outsider::OtherAccount).is_some());
        assert!(answer.witness(Outsider::Anonymous).is_none());
    }

    /// A grant to a named account is not public, but it admits that account:
    /// cross-account access needs the resource policy to allow it and the
    /// caller's own account, which grants its principals what it likes
    /// (IAM User Guide, "Cross-account policy evaluation logic").
    #[test]
    fn a_named_account_is_admitted_and_the_owner_is_not_an_outsider() {
        let granted = policy(serde_json::json!([
            {"Effect": "Allow", "Principal": {"AWS": ["444455556666", format!("arn:aws:iam::{OWNER}:role/own")]},
             "Action": ["s3:GetObject", "s3:DeleteObject"], "Resource": format!("{BUCKET}/*")}
        ]));
        let target = s3_bucket_target(OWNER, BUCKET);
        assert_eq!(
            named_foreign_principals(&granted, OWNER),
            ["arn:aws:iam::444455556666:root"]
        );
        let access = named_account_access(&granted, &target);
        assert_eq!(access.len(), 1);
        assert_eq!(access[0].0.principal, "arn:aws:iam::444455556666:root");
        assert_eq!(access[0].1, ["s3:GetObject", "s3:DeleteObject"]);
        assert!(!outsider_access(&granted, &target).is_public());
        // A Deny for everyone outside the organization takes it away again.
        let fenced = policy(serde_json::json!([
            {"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "s3:GetObject", "Resource": format!("{BUCKET}/*")},
            {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": format!("{BUCKET}/*"),
             "Condition": {"StringNotEquals": {"aws:PrincipalAccount": OWNER}}}
        ]));
        assert!(named_account_access(&fenced, &target).is_empty());
    }
}
