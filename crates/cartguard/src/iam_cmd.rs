//! `cartguard iam can` and `cartguard iam blast-radius`.

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::{Context, bail};
use cartguard_iam::escalation::Analysis;
use std::sync::Arc;

use cartguard_iam::principals::PrincipalKind;
use cartguard_iam::{
    Decision, Policy, PolicyKind, Principals, Request, RequestContext, StatementRef,
};
use serde_json::{Value, json};

use cartguard_rules::iam::{quoted_statement, statement_evidence};

use crate::cli::{BlastArgs, CanArgs, Format, write_stdout};
use crate::sources::{load, one_account};

fn principals_of(account: &cartguard_inventory::Account) -> anyhow::Result<Principals> {
    let principals = Principals::of_account(account);
    principals.with_context(|| {
        account
            .iam
            .authorization_details
            .unavailable_reason(
                &cartguard_inventory::iam::GET_ACCOUNT_AUTHORIZATION_DETAILS.global(),
            )
            .unwrap_or_else(|| "the authorization details are unavailable".into())
    })
}

/// The collected key policy of the KMS key `arn`, if the evidence has it.
fn collected_key_policy(account: &cartguard_inventory::Account, arn: &str) -> Option<Arc<Policy>> {
    account.regions.values().find_map(|region| {
        let key = region
            .kms
            .keys
            .present()?
            .iter()
            .find(|k| k.key_arn.as_deref() == Some(arn))?;
        let document = region.kms.key_policies.get(&key.key_id)?.present()?;
        let name = format!("{arn}#key-policy");
        Policy::from_document(&name, PolicyKind::KeyPolicy, document)
            .ok()
            .map(Arc::new)
    })
}

/// Actions whose resource is a role, decided with the role's trust policy.
const ASSUME_ACTIONS: &[&str] = &[
    "sts:AssumeRole",
    "sts:AssumeRoleWithWebIdentity",
    "sts:AssumeRoleWithSAML",
    "sts:TagSession",
    "sts:SetSourceIdentity",
];

/// The policies given with --resource-policy, parsed: a key policy when the
/// resource is a KMS key, a resource-based policy otherwise.
fn resource_policies(args: &CanArgs) -> anyhow::Result<Vec<Arc<Policy>>> {
    let kind = if args.resource.starts_with("arn:") && args.resource.contains(":kms:") {
        PolicyKind::KeyPolicy
    } else {
        PolicyKind::Resource
    };
    args.resource_policy
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            let value: Value = serde_json::from_str(&text)
                .with_context(|| format!("{}: not JSON", path.display()))?;
            // `get-bucket-policy` and `get-key-policy` wrap the document in
            // {"Policy": "<the document as a string>"}.
            let document = match value.get("Policy") {
                Some(Value::String(inner)) => serde_json::from_str(inner).with_context(|| {
                    format!("{}: Policy is not a JSON policy document", path.display())
                })?,
                Some(inner @ Value::Object(_)) => inner.clone(),
                _ => value,
            };
            let name = path.display().to_string();
            Policy::parse(&name, kind, &document)
                .map(Arc::new)
                .with_context(|| format!("{}: not a valid policy", path.display()))
        })
        .collect()
}

/// What the decision could not take into account: the principal's policies
/// that the evidence names but does not hold or that do not parse, and SCPs
/// that do not parse (left out, so the answer may allow more than AWS does).
fn unevaluated(principals: &Principals, principal: &cartguard_iam::Principal) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(reason) = cartguard_rules::iam::incomplete(principals, principal) {
        out.push(reason);
    }
    for failure in &principals.unreadable_scps {
        out.push(format!(
            "the SCP {} could not be parsed ({}); it was left out of the decision",
            failure.policy, failure.error
        ));
    }
    out
}

pub fn can(args: &CanArgs) -> anyhow::Result<ExitCode> {
    let (inventory, _) = load(&args.sources)?;
    let account = one_account(&inventory, &args.principal)?;
    let principals = principals_of(account)?;
    let principal = principals.resolve(&args.principal)?;

    let mut context = RequestContext::new();
    let mut values: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for pair in &args.context {
        let (key, value) = pair.split_once('=').with_context(|| {
            format!("--context {pair:?}: expected KEY=VALUE, e.g. aws:SourceIp=203.0.113.7")
        })?;
        values.entry(key).or_default().push(value);
    }
    for (key, list) in &values {
        context.set(key, list.iter().copied());
    }
    for key in &args.absent {
        if values.contains_key(key.as_str()) {
            bail!("--absent {key}: the key is also given with --context");
        }
        context.set_absent(key);
    }
    let mut request = Request::new(principal.request_principal(), &args.action, &args.resource);
    request.context = context;
    let mut warnings = Vec::new();
    let mut policies = principal.policies.clone();
    let mut extra = resource_policies(args)?;
    if extra.is_empty()
        && let Some(key_policy) = collected_key_policy(account, &args.resource)
    {
        extra.push(key_policy);
    }
    policies.resource.extend(extra.iter().cloned());
    if ASSUME_ACTIONS
        .iter()
        .any(|a| a.eq_ignore_ascii_case(&args.action))
    {
        let role = principals
            .principals
            .iter()
            .find(|p| p.kind == PrincipalKind::Role && p.arn == args.resource);
        match role.and_then(|r| r.trust_policy.as_ref()) {
            Some(trust) => policies.resource.push(Arc::clone(trust)),
            None => warnings.push(format!(
                "the trust policy of {} is not in the evidence; AWS also requires it to allow the caller",
                args.resource
            )),
        }
    }
    if extra.is_empty() && args.resource.starts_with("arn:") && args.resource.contains(":kms:") {
        warnings.push(format!(
            "the key policy of {} is not in the evidence and was not given (--resource-policy FILE); AWS also requires it to allow the caller",
            args.resource
        ));
    }
    let decision = cartguard_iam::evaluate(&policies, &request);
    // Statements of the resource policies given or collected are quoted from them.
    let quote = |s: &StatementRef| match extra.iter().find(|p| p.name == s.policy) {
        Some(policy) => quoted_statement(s, policy.statements.get(s.index).map(|st| &**st)),
        None => statement_evidence(&principals, s),
    };
    if cartguard_iam::catalogue().lookup(&args.action).is_none() && !args.action.contains('*') {
        warnings.push(format!(
            "{} is not in the IAM action catalogue",
            args.action
        ));
    }
    warnings.extend(unevaluated(&principals, principal));

    let (label, statements, conditions, reason) = match &decision {
        Decision::Allow { by } => ("allow", by.iter().map(quote).collect(), Vec::new(), None),
        Decision::ExplicitDeny { by } => ("explicit-deny", by.iter().map(quote).collect(), Vec::new(), None),
        Decision::ImplicitDeny { reason } => ("implicit-deny", Vec::new(), Vec::new(), Some(format!("{reason:?}"))),
        Decision::Conditional { pending } => (
            "conditional",
            pending.iter().map(|p| quote(&p.statement)).collect(),
            pending
                .iter()
                .flat_map(|p| {
                    p.unresolved.iter().map(move |u| {
                        json!({"effect": format!("{:?}", p.effect), "element": u.element, "operator": u.operator, "key": u.key, "values": u.values, "statement": p.statement})
                    })
                })
                .collect::<Vec<_>>(),
            None,
        ),
    };
    let text = match args.format {
        Format::Json => {
            let mut doc = json!({"decision": label, "principal": principal.arn, "action": args.action, "resource": args.resource, "statements": statements, "conditions": conditions});
            if let Some(reason) = &reason {
                doc["reason"] = json!(reason);
            }
            if !warnings.is_empty() {
                doc["warnings"] = json!(warnings);
            }
            serde_json::to_string_pretty(&doc)? + "\n"
        }
        Format::Text => {
            let mut out = format!(
                "{}: {} {} on {}\n",
                label.to_uppercase(),
                principal.arn,
                args.action,
                args.resource
            );
            if let Some(reason) = reason {
                out.push_str(&format!("  no statement allows it ({reason})\n"));
            }
            for s in &statements {
                out.push_str(&format!(
                    "  statement {} {}of {}\n    {}\n",
                    s["statement_index"],
                    s["sid"]
                        .as_str()
                        .map(|x| format!("({x}) "))
                        .unwrap_or_default(),
                    s["policy"].as_str().unwrap_or(""),
                    s["statement"]
                ));
            }
            for c in &conditions {
                let compared: Vec<&str> = c["values"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                out.push_str(&format!(
                    "  depends on {} ({} {}) — give it with --context {}=… or --absent {}\n",
                    c["key"].as_str().unwrap_or(""),
                    c["operator"]
                        .as_str()
                        .unwrap_or(c["element"].as_str().unwrap_or("")),
                    compared.join(", "),
                    c["key"].as_str().unwrap_or(""),
                    c["key"].as_str().unwrap_or("")
                ));
            }
            for warning in &warnings {
                out.push_str(&format!("  warning: {warning}\n"));
            }
            out
        }
    };
    write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

pub fn blast_radius(args: &BlastArgs) -> anyhow::Result<ExitCode> {
    let (inventory, _) = load(&args.sources)?;
    let account = one_account(&inventory, &args.principal)?;
    let principals = principals_of(account)?;
    let name = resolve_key(account, &args.principal)?;
    let principal = principals.resolve(&name)?;
    let index = principals
        .principals
        .iter()
        .position(|p| p.arn == principal.arn)
        .context("the principal is not in the account's list")?;
    let analysis = Analysis::new(&principals);
    let stores = cartguard_iam::blast::blast_radius(
        &analysis.effective[index],
        &principal.policies,
        account,
    );
    let escalations =
        cartguard_iam::escalation::AdminPaths::new(&analysis, &principals, account).of(index);
    let admin = analysis.admin[index].is_admin();
    let text = match args.format {
        Format::Json => {
            let doc = json!({
                "principal": principal.arn,
                "administrator": admin,
                "data_stores": stores,
                "escalations": escalations.iter().map(|e| json!({"method": e.method.id, "description": e.method.description, "targets": e.targets, "conditional": e.conditional})).collect::<Vec<_>>(),
            });
            serde_json::to_string_pretty(&doc)? + "\n"
        }
        Format::Text => {
            let mut out = format!(
                "blast radius of {}{}\n",
                principal.arn,
                if admin {
                    " (administrator: every store)"
                } else {
                    ""
                }
            );
            if stores.is_empty() {
                out.push_str("  no data store in reach\n");
            }
            for s in &stores {
                out.push_str(&format!(
                    "  {:<7} {:<11} {:<15} {}  ({})\n",
                    format!("{:?}", s.access).to_lowercase(),
                    format!("{:?}", s.reach).to_lowercase(),
                    s.store,
                    s.resource,
                    s.actions.join(", ")
                ));
            }
            for e in &escalations {
                out.push_str(&format!(
                    "  escalation: {} — {}{}\n",
                    e.method.id,
                    e.method.description,
                    if e.targets.is_empty() {
                        String::new()
                    } else {
                        format!(" (targets: {})", e.targets.join(", "))
                    }
                ));
            }
            out
        }
    };
    write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// An access key id (`AKIA…`) names its owner; anything else is a principal.
fn resolve_key(account: &cartguard_inventory::Account, given: &str) -> anyhow::Result<String> {
    let looks_like_key =
        (given.starts_with("AKIA") || given.starts_with("ASIA")) && given.len() == 20;
    if !looks_like_key {
        return Ok(given.to_string());
    }
    for (user, keys) in &account.iam.access_keys {
        if keys
            .present()
            .is_some_and(|ks| ks.iter().any(|k| k.access_key_id == given))
        {
            return Ok(user.clone());
        }
    }
    bail!(
        "access key {given} is not in the evidence ({} names no user with it)",
        cartguard_inventory::iam::LIST_ACCESS_KEYS.global()
    )
}
