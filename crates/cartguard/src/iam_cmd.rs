//! `cartguard iam can` and `cartguard iam blast-radius`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use cartguard_iam::query::{self, Caller, Question};
use cartguard_iam::resource_policy::{SuppliedKind, supplied_policy, supplied_policy_as};
use cartguard_iam::{Policy, RequestContext};
use cartguard_report::iam;

use crate::cli::{BlastArgs, CanArgs, Format, write_stdout};
use crate::sources::{load, one_account};

/// The request context the arguments state: `--context KEY=VALUE` (a key
/// given twice has several values) and `--absent KEY`.
fn request_context(args: &CanArgs) -> anyhow::Result<RequestContext> {
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
    Ok(context)
}

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

/// The policies given with --resource-policy, each named by its file.
fn resource_policies(args: &CanArgs, resource: &str) -> anyhow::Result<Vec<Policy>> {
    args.resource_policy
        .iter()
        .map(|path| {
            let name = path.display().to_string();
            supplied_policy(&name, &read(path)?, resource).with_context(|| name.clone())
        })
        .collect()
}

/// A session, trust or VPC endpoint policy read from `path`, named by its file.
fn policy_file(path: &Path, kind: SuppliedKind) -> anyhow::Result<Policy> {
    let name = path.display().to_string();
    supplied_policy_as(&name, &read(path)?, kind).with_context(|| name.clone())
}

/// Who asks, and the action and resource, from the positional arguments.
fn request<'p>(
    args: &CanArgs,
    account: &cartguard_inventory::Account,
    principals: &'p cartguard_iam::Principals,
) -> anyhow::Result<(Caller<'p>, String, String)> {
    let special = args.anonymous || args.service.is_some();
    match (args.request.as_slice(), special) {
        ([action, resource], true) => {
            let caller = match &args.service {
                Some(service) => Caller::Service(service.clone()),
                None => Caller::Anonymous,
            };
            Ok((caller, action.clone(), resource.clone()))
        }
        ([who, action, resource], false) => Ok((
            query::caller_named(account, principals, who)?,
            action.clone(),
            resource.clone(),
        )),
        (_, true) => bail!(
            "with --anonymous or --service give ACTION RESOURCE only (the caller is not a principal of the account)"
        ),
        (_, false) => {
            bail!("give PRINCIPAL ACTION RESOURCE (or --anonymous/--service and ACTION RESOURCE)")
        }
    }
}

pub fn can(args: &CanArgs) -> anyhow::Result<ExitCode> {
    let (inventory, _) = load(&args.sources)?;
    let special = args.anonymous || args.service.is_some();
    let hint = args.request.first().map(String::as_str).unwrap_or_default();
    let account = one_account(&inventory, if special { "" } else { hint })?;
    let principals = match query::principals_of(account) {
        Ok(principals) => principals,
        // An anonymous or service caller has no policies of its own.
        Err(_) if special => cartguard_iam::Principals::default(),
        Err(e) => return Err(e.into()),
    };
    let (caller, action, resource) = request(args, account, &principals)?;
    if let Some(id) = &args.resource_account
        && (id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()))
    {
        bail!("--resource-account {id:?}: expected a 12-digit account id");
    }
    let mut question = Question::new(&action, &resource);
    question.context = request_context(args)?;
    question.resource_policies = resource_policies(args, &resource)?;
    question.resource_account = args.resource_account.clone();
    for given in &args.session_policy {
        if given.starts_with("arn:") {
            question.session_policy_arns.push(given.clone());
        } else {
            question
                .session_policies
                .push(policy_file(Path::new(given), SuppliedKind::Session)?);
        }
    }
    if let Some(path) = &args.trust_policy {
        if !query::assumes_role(&action) {
            bail!("--trust-policy decides sts:AssumeRole* only, not {action}");
        }
        question.trust_policy = Some(policy_file(path, SuppliedKind::Trust)?);
    }
    for path in &args.vpce_policy {
        question
            .endpoint_policies
            .push(policy_file(path, SuppliedKind::VpcEndpoint)?);
    }
    let answer = query::ask(account, &principals, &caller, &question);
    let text = match args.format {
        Format::Json => iam::answer_json(&answer)?,
        Format::Text => iam::answer_text(&answer),
    };
    write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

pub fn blast_radius(args: &BlastArgs) -> anyhow::Result<ExitCode> {
    let (inventory, _) = load(&args.sources)?;
    let account = one_account(&inventory, &args.principal)?;
    let radius = cartguard_iam::blast::of(account, &args.principal)?;
    let text = match args.format {
        Format::Json => iam::blast_radius_json(&radius)?,
        Format::Text => iam::blast_radius_text(&radius),
    };
    write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}
