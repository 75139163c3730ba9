use cartguard_iam::arn::{account_of, partition_of};
use cartguard_iam::condition::Condition;
use cartguard_iam::policy::PrincipalEntry;
use cartguard_iam::trust::{condition_text, only_wildcards, operator_gap, requiring_operator};
use cartguard_iam::{Effect, Policy, RequestContext, Statement, Tri};
use cartguard_inventory::organizations;
use serde_json::json;

use super::{principals, trust_evidence, trust_policies};
use cartguard_inventory::Collected;

use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every `Allow` statement of a role's trust policy that lets another AWS
    /// account call `sts:AssumeRole` — a principal that is an account id
    /// (`123456789012`, `arn:aws:iam::123456789012:root`) or a user or role ARN in
    /// an account other than the role's own — must require a particular
    /// `sts:ExternalId`. The requirement is decided by evaluating the statement's
    /// conditions twice, once with no external id in the request and once with a
    /// wrong one: both must fail. So `StringEquals sts:ExternalId "…"` passes,
    /// while `StringLike sts:ExternalId "*"`, `StringEqualsIfExists`,
    /// `StringNotEquals` and `Null sts:ExternalId false` (any id will do) fail. A
    /// `Deny` in the same trust policy that refuses the caller whenever the
    /// external id is absent or wrong also counts. Principals in the role's own
    /// account, AWS services and federated identity providers are out of scope;
    /// `"Principal": "*"` is `iam-trust-any-principal`'s. So are the accounts of
    /// the role's own organization, when `organizations list-accounts` names
    /// them, and statements whose conditions admit only callers of that
    /// organization (`aws:PrincipalOrgID` pinned to the id `describe-organization`
    /// gives). A finding says when the organization's accounts were not
    /// collected, so that an internal account can be told from a vendor's. A
    /// role whose trust policy is missing or unreadable is `not-assessed`.
    ///
    /// ## Why it matters
    /// A SaaS vendor (monitoring, backups, cost tools) assumes roles in many
    /// customers' accounts from its own account. Without an external id that only
    /// you and the vendor know, any other customer of that vendor can give it
    /// your role's ARN and have the vendor act on your account for them (the
    /// confused deputy problem). PCI DSS 8.2.7 asks that third-party access be
    /// enabled only for the time and the parties that need it.
    ///
    /// ## Severity
    /// Always high.
    ///
    /// ## How to fix
    /// Use the external id the vendor issued for your account (its console shows
    /// it) in the trust statement, then apply the policy:
    ///
    /// ```json
    /// {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
    ///  "Action": "sts:AssumeRole",
    ///  "Condition": {"StringEquals": {"sts:ExternalId": "c7f1d0e2-vendor-issued-id"}}}
    /// ```
    ///
    /// ```sh
    /// aws iam update-assume-role-policy --role-name vendor-monitoring --policy-document file://vendor-monitoring-trust.json
    /// ```
    ///
    /// ## Example
    /// A role trusting `arn:aws:iam::444455556666:root` with no condition fails; the
    /// same statement with `StringEquals sts:ExternalId` passes; a role trusting
    /// `arn:aws:iam::111122223333:role/deployer` in its own account 111122223333
    /// passes.
    pub static RULE = {
        id: "iam-trust-third-party-no-external-id",
        title: "A role trusted by another account has no external id",
        severity: High,
        area: Iam,
        evidence: [cartguard_iam::EVIDENCE, &[organizations::LIST_ACCOUNTS]],
        check: check,
    };
}

/// An external id nobody agreed on, to test that a condition pins the value.
const WRONG_ID: &str = "cartguard-probe-not-the-agreed-external-id";

/// The two requests a confused deputy could make: without an external id, and
/// with an id that is not the agreed one. Other keys stay unknown.
fn probes() -> [RequestContext; 2] {
    let mut absent = RequestContext::new();
    absent.set_absent("sts:ExternalId");
    let mut wrong = RequestContext::new();
    wrong.set("sts:ExternalId", [WRONG_ID]);
    [absent, wrong]
}

/// Whether the statement's conditions certainly fail without the agreed external id.
fn allow_requires_id(statement: &Statement, probes: &[RequestContext]) -> bool {
    probes
        .iter()
        .all(|p| statement.conditions_hold(p) == Tri::False)
}

/// Whether a `Deny` of the trust policy certainly refuses `entry` without the
/// agreed external id.
fn deny_requires_id(policy: &Policy, entry: &PrincipalEntry, probes: &[RequestContext]) -> bool {
    policy.statements.iter().any(|s| {
        s.effect == Effect::Deny
            && s.matches_action("sts:assumerole")
            && s.principals.as_ref().is_some_and(|c| {
                !c.negated
                    && c.entries
                        .iter()
                        .any(|e| e == entry || *e == PrincipalEntry::Everyone)
            })
            && probes.iter().all(|p| s.conditions_hold(p) == Tri::True)
    })
}

/// Why an `sts:ExternalId` condition does not pin the id.
fn id_gap(condition: &Condition) -> String {
    let text = condition_text(condition);
    match requiring_operator(condition) {
        None if condition.operator.eq_ignore_ascii_case("null") => {
            format!("{text} only asks that some id be passed")
        }
        None => format!("{text}: {}", operator_gap(condition)),
        Some(wildcards) => match condition
            .values
            .iter()
            .find(|v| only_wildcards(v, wildcards))
        {
            Some(value) => format!("{text}: {value:?} accepts any id"),
            None => text,
        },
    }
}

/// An organization id no account belongs to, to test that a condition pins
/// `aws:PrincipalOrgID`.
const OTHER_ORGANIZATION: &str = "o-cartguardprobe0";

/// Whether the statement only admits callers from the account's own
/// organization: its conditions certainly fail for a caller of another
/// organization and may hold for one of `own` (all without an external id).
fn own_organization_only(statement: &Statement, own: Option<&str>) -> bool {
    let Some(own) = own else {
        return false;
    };
    let caller = |organization: &str| {
        let mut context = RequestContext::new();
        context.set_absent("sts:ExternalId");
        context.set("aws:PrincipalOrgID", [organization]);
        statement.conditions_hold(&context)
    };
    caller(OTHER_ORGANIZATION) == Tri::False && caller(own) != Tri::False
}

/// The account of a principal entry, for AWS accounts, users and roles.
fn entry_account(entry: &PrincipalEntry) -> Option<&str> {
    match entry {
        PrincipalEntry::Account(account) => Some(account),
        PrincipalEntry::Arn(arn) => account_of(arn),
        _ => None,
    }
}

fn check(ctx: &Context, out: &mut Emitter) {
    let Some(principals) = principals(ctx, out) else {
        return;
    };
    let probes = probes();
    let orgs = &ctx.account.organizations;
    let organization = orgs.organization.present().map(|o| o.id.as_str());
    let members = orgs.accounts.present();
    for (role, policy) in trust_policies(principals, out) {
        let own = role.account.as_deref().unwrap_or(&ctx.account.id);
        for statement in policy
            .statements
            .iter()
            .filter(|s| s.effect == Effect::Allow && s.matches_action("sts:assumerole"))
        {
            let Some(clause) = statement.principals.as_ref().filter(|c| !c.negated) else {
                continue;
            };
            if allow_requires_id(statement, &probes)
                || own_organization_only(statement, organization)
            {
                continue;
            }
            // Accounts of the organization are not third parties.
            let foreign: Vec<(&PrincipalEntry, &str)> = clause
                .entries
                .iter()
                .filter_map(|e| entry_account(e).map(|a| (e, a)))
                .filter(|(_, account)| *account != own)
                .filter(|(_, account)| !members.is_some_and(|m| m.iter().any(|a| a.id == *account)))
                .filter(|(e, _)| !deny_requires_id(policy, e, &probes))
                .collect();
            if foreign.is_empty() {
                continue;
            }
            let mut accounts: Vec<&str> = foreign.iter().map(|(_, a)| *a).collect();
            accounts.sort_unstable();
            accounts.dedup();
            let named: Vec<String> = foreign
                .iter()
                .map(|(e, account)| match e {
                    PrincipalEntry::Arn(arn) => arn.clone(),
                    _ => format!("arn:{}:iam::{account}:root", partition_of(&role.arn)),
                })
                .collect();
            let id_conditions: Vec<String> = statement
                .conditions
                .iter()
                .filter(|c| c.key_lower() == "sts:externalid")
                .map(id_gap)
                .collect();
            let why = if id_conditions.is_empty() {
                "that statement has no sts:ExternalId condition".to_string()
            } else {
                format!(
                    "its sts:ExternalId condition does not require one particular id ({})",
                    id_conditions.join("; ")
                )
            };
            let (they, belong) = if accounts.len() == 1 {
                ("it", "it belongs")
            } else {
                ("them", "they belong")
            };
            let membership = match &orgs.accounts {
                Collected::Present(_) => {
                    format!(" The organization's account list does not name {they}.")
                }
                Collected::NotConfigured { .. } => String::new(),
                absent => format!(
                    " Whether {belong} to your organization could not be told: {}.",
                    absent
                        .unavailable_reason(&organizations::LIST_ACCOUNTS.global())
                        .unwrap_or_default()
                ),
            };
            let mut evidence = trust_evidence(principals, role, policy, statement);
            evidence["foreign_principals"] = json!(named);
            evidence["role_account"] = json!(own);
            evidence["organization_accounts_collected"] = json!(members.is_some());
            out.fail(Failure {
                detail: format!(
                    "Role {} can be assumed by {} (account {}) through statement {} of its trust policy, and {}: any other customer of that account's owner can have it assume this role for them (confused deputy).{membership}",
                    role.name,
                    named.join(", "),
                    accounts.join(", "),
                    statement.index,
                    why
                ),
                evidence,
                remediation: format!(
                    "Add \"Condition\": {{\"StringEquals\": {{\"sts:ExternalId\": \"<the external id {} issued for account {}>\"}}}} to statement {} of the trust policy of {}, then apply it with aws iam update-assume-role-policy --role-name {} --policy-document file://{}-trust.json. If {} is one of your own accounts rather than a vendor's, an id you choose and pass with aws sts assume-role --external-id does the same.",
                    accounts.join(" / "),
                    own,
                    statement.index,
                    role.name,
                    role.name,
                    role.name,
                    accounts.join(", ")
                ),
                discriminator: Some(format!("statement {}", statement.index)),
                ..Failure::global(role.arn.clone())
            });
        }
    }
}
