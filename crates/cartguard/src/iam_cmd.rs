//! `cartguard iam can` and `cartguard iam blast-radius`.

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::{Context, bail};
use cartguard_iam::query::{self, Question};
use cartguard_iam::resource_policy::supplied_policy;
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

/// The policies given with --resource-policy, each named by its file.
fn resource_policies(args: &CanArgs) -> anyhow::Result<Vec<Policy>> {
    args.resource_policy
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            let name = path.display().to_string();
            supplied_policy(&name, &text, &args.resource).with_context(|| name.clone())
        })
        .collect()
}

pub fn can(args: &CanArgs) -> anyhow::Result<ExitCode> {
    let (inventory, _) = load(&args.sources)?;
    let account = one_account(&inventory, &args.principal)?;
    let principals = query::principals_of(account)?;
    let principal = principals.resolve(&args.principal)?;
    let mut question = Question::new(&args.action, &args.resource);
    question.context = request_context(args)?;
    question.resource_policies = resource_policies(args)?;
    let answer = query::can(account, &principals, principal, &question);
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
