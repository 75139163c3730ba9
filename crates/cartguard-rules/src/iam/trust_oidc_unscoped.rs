use cartguard_iam::policy::PrincipalEntry;
use cartguard_iam::trust::{
    condition_text, has_wildcard, only_wildcards, operator_gap, requiring_operator,
};
use cartguard_iam::{Effect, Statement};
use serde_json::json;

use super::{principals, trust_evidence, trust_policies};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every `Allow` statement of a role's trust policy that lets an OIDC identity
    /// provider (`"Principal": {"Federated": "arn:aws:iam::…:oidc-provider/HOST"}`)
    /// call `sts:AssumeRoleWithWebIdentity` must pin both claims of the token:
    /// `HOST:aud` (the audience) and `HOST:sub` (the subject), each with a positive
    /// operator (`StringEquals`, `StringLike`, `ForAnyValue:…`) whose values are
    /// not just wildcards. Negated operators (`StringNotEquals`), `…IfExists`,
    /// `ForAllValues:` and `Null` pin nothing. For GitHub Actions
    /// (`token.actions.githubusercontent.com`) the subject must name a repository,
    /// `repo:OWNER/REPO:…`: `repo:*` and `*` match every workflow on GitHub, and an
    /// owner with a wildcard (`repo:acme*/…`) matches other owners.
    /// `repo:OWNER/*` pins the owner and is accepted, though every repository of
    /// OWNER may then assume the role (a finding for the role's other gaps says
    /// so too). For
    /// EKS (`oidc.eks.REGION.amazonaws.com/id/…`) the subject must name a
    /// namespace, `system:serviceaccount:NAMESPACE:…`. A role whose trust policy
    /// is missing or unreadable is `not-assessed`.
    ///
    /// ## Why it matters
    /// An OIDC provider such as GitHub issues tokens to everyone who uses it.
    /// Without a pinned subject, a workflow in any repository on GitHub — anyone's —
    /// can exchange its token for this role's credentials; without a pinned
    /// audience, tokens minted for other relying parties are accepted. CI roles
    /// usually deploy to production, so this is a direct path into the cardholder
    /// data environment (PCI DSS 7.2.5).
    ///
    /// ## Severity
    /// Always critical: every failure admits tokens the store does not issue.
    ///
    /// ## How to fix
    /// Pin the audience and the repository (and, better, the branch or
    /// environment) in the trust statement, then apply it:
    ///
    /// ```json
    /// "Condition": {
    ///   "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
    ///   "StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/shop:ref:refs/heads/main"}
    /// }
    /// ```
    ///
    /// ```sh
    /// aws iam update-assume-role-policy --role-name github-deploy --policy-document file://github-deploy-trust.json
    /// ```
    ///
    /// ## Example
    /// A role trusting GitHub's provider with `StringLike
    /// token.actions.githubusercontent.com:sub "repo:*"` fails (subject unpinned,
    /// and audience missing if there is no `aud` condition); the same role with
    /// `StringEquals …:aud "sts.amazonaws.com"` and `StringLike …:sub
    /// "repo:acme/shop:ref:refs/heads/main"` passes.
    pub static RULE = {
        id: "iam-trust-oidc-unscoped",
        title: "A role trusting an OIDC provider does not pin the token's subject and audience",
        severity: Critical,
        area: Iam,
        evidence: [cartguard_iam::EVIDENCE],
        check: check,
    };
}

const GITHUB: &str = "token.actions.githubusercontent.com";

/// How tightly the conditions of a statement hold one claim, loosest first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Pin {
    /// No condition on the claim.
    Missing,
    /// Conditions that accept any token; why.
    Unpinned(String),
    /// Pinned to an owner or namespace, not one identity; what may assume.
    Broad(String),
    /// Pinned.
    Pinned,
}

/// How one value of a `sub` condition pins the subject.
fn sub_value(host: &str, value: &str, wildcards: bool) -> Pin {
    let wild = |part: &str| part.is_empty() || has_wildcard(part, wildcards);
    if only_wildcards(value, wildcards) {
        return Pin::Unpinned(format!("{value:?} matches every subject"));
    }
    if host.starts_with(GITHUB) {
        if let Some(rest) = value.strip_prefix("repo:") {
            let repository = rest.split(':').next().unwrap_or_default();
            let (owner, repo) = repository.split_once('/').unwrap_or((repository, ""));
            if only_wildcards(owner, wildcards) {
                return Pin::Unpinned(format!(
                    "{value:?} does not name a repository owner, so it matches repositories of anyone on GitHub"
                ));
            }
            if wild(owner) {
                return Pin::Unpinned(format!(
                    "{value:?} does not name one repository owner: anyone can create an owner whose name matches it"
                ));
            }
            if wild(repo) {
                return Pin::Broad(format!(
                    "{value:?} pins only the owner: every repository of {owner} may assume the role"
                ));
            }
            return Pin::Pinned;
        }
        // A customised subject template: `claim:value:claim:value…`.
        let mut parts = value.split(':');
        let claim = parts.next().unwrap_or_default();
        let first = parts.next().unwrap_or_default();
        if wild(claim) || wild(first) {
            return Pin::Unpinned(format!("{value:?} does not name a repository or owner"));
        }
        if matches!(claim, "repository_owner" | "repository_owner_id") {
            return Pin::Broad(format!(
                "{value:?} pins only the owner: every repository of {first} may assume the role"
            ));
        }
        return Pin::Pinned;
    }
    if host.starts_with("oidc.eks.")
        && let Some(rest) = value.strip_prefix("system:serviceaccount:")
    {
        let (namespace, account) = rest.split_once(':').unwrap_or((rest, ""));
        if wild(namespace) {
            return Pin::Unpinned(format!(
                "{value:?} does not name a namespace, so every service account of the cluster matches"
            ));
        }
        if wild(account) {
            return Pin::Broad(format!(
                "{value:?} pins only the namespace: every service account in {namespace} may assume the role"
            ));
        }
        return Pin::Pinned;
    }
    Pin::Pinned
}

/// How one value of an `aud` condition pins the audience.
fn aud_value(value: &str, wildcards: bool) -> Pin {
    if only_wildcards(value, wildcards) {
        Pin::Unpinned(format!("{value:?} matches every audience"))
    } else {
        Pin::Pinned
    }
}

/// How the statement's conditions pin `HOST:claim`: the conditions are ANDed,
/// so the tightest counts; a condition's values are ORed, so its loosest value
/// counts.
fn claim_pin(statement: &Statement, host: &str, claim: &str) -> (Pin, Vec<String>) {
    let key = format!("{host}:{claim}").to_ascii_lowercase();
    let mut best = Pin::Missing;
    let mut texts = Vec::new();
    for condition in statement.conditions.iter().filter(|c| c.key_lower() == key) {
        texts.push(condition_text(condition));
        let pin = match requiring_operator(condition) {
            None => Pin::Unpinned(format!(
                "{}: {}",
                condition_text(condition),
                operator_gap(condition)
            )),
            Some(wildcards) => condition
                .values
                .iter()
                .map(|v| match claim {
                    "sub" => sub_value(host, v, wildcards),
                    _ => aud_value(v, wildcards),
                })
                .min()
                .unwrap_or(Pin::Missing),
        };
        if pin > best {
            best = pin;
        }
    }
    (best, texts)
}

/// The OIDC provider hosts a `Federated` principal names.
fn oidc_host(entry: &PrincipalEntry) -> Option<(&str, &str)> {
    match entry {
        PrincipalEntry::Federated(arn) => arn
            .split_once(":oidc-provider/")
            .map(|(_, host)| (arn.as_str(), host)),
        _ => None,
    }
}

fn describe(claim: &str, host: &str, pin: &Pin) -> Option<String> {
    match pin {
        Pin::Missing => Some(format!("{host}:{claim} has no condition")),
        Pin::Unpinned(why) => Some(format!("{host}:{claim} is not pinned ({why})")),
        _ => None,
    }
}

fn check(ctx: &Context, out: &mut Emitter) {
    let Some(principals) = principals(ctx, out) else {
        return;
    };
    for (role, policy) in trust_policies(principals, out) {
        for statement in policy.statements.iter().filter(|s| {
            s.effect == Effect::Allow && s.matches_action("sts:assumerolewithwebidentity")
        }) {
            let Some(clause) = statement.principals.as_ref().filter(|c| !c.negated) else {
                continue;
            };
            for (provider, host) in clause.entries.iter().filter_map(oidc_host) {
                let (sub, sub_conditions) = claim_pin(statement, host, "sub");
                let (aud, aud_conditions) = claim_pin(statement, host, "aud");
                let problems: Vec<String> =
                    [describe("sub", host, &sub), describe("aud", host, &aud)]
                        .into_iter()
                        .flatten()
                        .collect();
                if problems.is_empty() {
                    continue;
                }
                let consequence = match &sub {
                    Pin::Broad(why) => format!("; besides, {why}"),
                    Pin::Pinned => {
                        ": tokens the provider issues for other audiences are accepted".to_string()
                    }
                    _ if host.starts_with(GITHUB) => {
                        ": a GitHub Actions workflow in any repository on GitHub can assume it"
                            .to_string()
                    }
                    _ if host.starts_with("oidc.eks.") => {
                        ": any service account of the cluster can assume it".to_string()
                    }
                    _ => format!(": any identity {host} issues tokens to can assume it"),
                };
                let missing: Vec<&str> = [("sub", &sub), ("aud", &aud)]
                    .into_iter()
                    .filter(|(_, p)| matches!(p, Pin::Missing | Pin::Unpinned(_)))
                    .map(|(c, _)| c)
                    .collect();
                let example = if host.starts_with(GITHUB) {
                    format!(
                        "\"Condition\": {{\"StringEquals\": {{\"{host}:aud\": \"sts.amazonaws.com\"}}, \"StringLike\": {{\"{host}:sub\": \"repo:<owner>/<repository>:ref:refs/heads/<branch>\"}}}}"
                    )
                } else if host.starts_with("oidc.eks.") {
                    format!(
                        "\"Condition\": {{\"StringEquals\": {{\"{host}:aud\": \"sts.amazonaws.com\", \"{host}:sub\": \"system:serviceaccount:<namespace>:<service account>\"}}}}"
                    )
                } else {
                    format!(
                        "\"Condition\": {{\"StringEquals\": {{\"{host}:aud\": \"<client id>\", \"{host}:sub\": \"<subject of the workload>\"}}}}"
                    )
                };
                let mut evidence = trust_evidence(principals, role, policy, statement);
                evidence["provider"] = json!(provider);
                evidence["claims"] = json!({
                    "sub": {"pinned": matches!(sub, Pin::Pinned | Pin::Broad(_)), "conditions": sub_conditions},
                    "aud": {"pinned": matches!(aud, Pin::Pinned | Pin::Broad(_)), "conditions": aud_conditions},
                });
                out.fail(Failure {
                    detail: format!(
                        "Role {} trusts the OIDC provider {} for sts:AssumeRoleWithWebIdentity (statement {} of its trust policy), but {}{}.",
                        role.name,
                        host,
                        statement.index,
                        problems.join(" and "),
                        consequence
                    ),
                    evidence,
                    remediation: format!(
                        "Pin {} in statement {} of the trust policy of {}, e.g. {}, then apply it with aws iam update-assume-role-policy --role-name {} --policy-document file://{}-trust.json.",
                        missing.iter().map(|c| format!("{host}:{c}")).collect::<Vec<_>>().join(" and "),
                        statement.index,
                        role.name,
                        example,
                        role.name,
                        role.name
                    ),
                    discriminator: Some(format!("statement {} {}", statement.index, provider)),
                    ..Failure::global(role.arn.clone())
                });
            }
        }
    }
}
