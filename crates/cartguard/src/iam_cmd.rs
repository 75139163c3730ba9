//! `cartguard iam can` and `cartguard iam blast-radius`.

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::{Context, bail};
use cartguard_iam::blast::BlastRadius;
use cartguard_iam::query::{self, Answer, Question};
use cartguard_iam::resource_policy::supplied_policy;
use cartguard_iam::{Policy, RequestContext};

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
        Format::Json => serde_json::to_string_pretty(&answer)? + "\n",
        Format::Text => answer_text(&answer),
    };
    write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn answer_text(answer: &Answer) -> String {
    let mut out = format!(
        "{}: {} {} on {}\n",
        answer.decision.to_string().to_uppercase(),
        answer.principal,
        answer.action,
        answer.resource
    );
    if let Some(reason) = answer.reason {
        out.push_str(&format!("  no statement allows it ({reason})\n"));
    }
    for s in &answer.statements {
        out.push_str(&format!(
            "  statement {} {}of {}\n    {}\n",
            s.statement_index,
            s.sid
                .as_deref()
                .map(|x| format!("({x}) "))
                .unwrap_or_default(),
            s.policy,
            s.statement
        ));
    }
    for c in &answer.conditions {
        out.push_str(&format!(
            "  depends on {} ({} {}) — give it with --context {}=… or --absent {}\n",
            c.key,
            c.operator.as_deref().unwrap_or(c.element),
            c.values.join(", "),
            c.key,
            c.key
        ));
    }
    for warning in &answer.warnings {
        out.push_str(&format!("  warning: {warning}\n"));
    }
    out
}

pub fn blast_radius(args: &BlastArgs) -> anyhow::Result<ExitCode> {
    let (inventory, _) = load(&args.sources)?;
    let account = one_account(&inventory, &args.principal)?;
    let radius = cartguard_iam::blast::of(account, &args.principal)?;
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&radius)? + "\n",
        Format::Text => radius_text(&radius),
    };
    write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn radius_text(radius: &BlastRadius) -> String {
    let mut out = format!(
        "blast radius of {}{}\n",
        radius.principal,
        if radius.administrator {
            " (administrator: every store)"
        } else {
            ""
        }
    );
    if radius.data_stores.is_empty() {
        out.push_str("  no data store in reach\n");
    }
    for s in &radius.data_stores {
        out.push_str(&format!(
            "  {:<7} {:<11} {:<15} {}  ({})\n",
            format!("{:?}", s.access).to_lowercase(),
            format!("{:?}", s.reach).to_lowercase(),
            s.store,
            s.resource,
            s.actions.join(", ")
        ));
    }
    for e in &radius.escalations {
        out.push_str(&format!(
            "  escalation: {} — {}{}\n",
            e.method,
            e.description,
            if e.targets.is_empty() {
                String::new()
            } else {
                format!(" (targets: {})", e.targets.join(", "))
            }
        ));
    }
    for warning in &radius.warnings {
        out.push_str(&format!("  warning: {warning}\n"));
    }
    out
}
