//! Runs the evaluation corpus in `tests/cases/*.json`.
//!
//! Each file holds `{"description", "defaults"?, "cases": [...]}`. A case gives
//! policies (`statement` as shorthand for one identity policy, or `identity`,
//! `boundary`, `session`, `resource` with `resource_kind`, `scps`, `rcps` as
//! lists of levels, `endpoint` for VPC endpoint policies), a `request` (its
//! `principal` may be a user, role, root, assumed-role session or
//! service-linked role ARN; `principal_type` makes it a `service`,
//! `anonymous` or `federated` caller; `resource_account` names the owner of
//! an ARN without account) and the `expect`ed decision, optionally the
//! implicit-deny `reason`, the deciding statements `by` (`policy#index`) and the
//! `pending` keys of a conditional decision. Parse cases give `kind`,
//! `document` and either `error` (a substring of the message), `valid: true`,
//! or `unreadable_condition` (a substring of the problem of a condition the
//! policy keeps as unknown).
//! `defaults` are merged under every case (one level deep for `request`).

use std::path::Path;
use std::sync::Arc;

use cartguard_iam::evaluate::PrincipalType;
use cartguard_iam::{
    Decision, Policy, PolicyKind, PolicySet, Request, RequestContext, RequestPrincipal, evaluate,
};
use serde_json::{Map, Value, json};

const DEFAULT_PRINCIPAL: &str = "arn:aws:iam::111122223333:user/alice";

fn merge(defaults: &Value, case: &Value) -> Value {
    let mut out = defaults.as_object().cloned().unwrap_or_default();
    if let Some(c) = case.as_object() {
        for (k, v) in c {
            match (out.get(k), v) {
                (Some(Value::Object(d)), Value::Object(o)) if k == "request" => {
                    let mut m = d.clone();
                    for (kk, vv) in o {
                        m.insert(kk.clone(), vv.clone());
                    }
                    out.insert(k.clone(), Value::Object(m));
                }
                _ => {
                    out.insert(k.clone(), v.clone());
                }
            }
        }
    }
    Value::Object(out)
}

fn docs(v: Option<&Value>) -> Vec<Value> {
    match v {
        None | Some(Value::Null) => vec![],
        Some(Value::Array(a)) => a.clone(),
        Some(other) => vec![other.clone()],
    }
}

fn levels(v: Option<&Value>) -> Vec<Vec<Value>> {
    docs(v)
        .into_iter()
        .map(|level| match level {
            Value::Array(a) => a,
            other => vec![other],
        })
        .collect()
}

fn parse(name: &str, kind: PolicyKind, doc: &Value) -> Result<Arc<Policy>, String> {
    Policy::parse(name, kind, doc)
        .map(Arc::new)
        .map_err(|e| format!("policy {name} does not parse: {e}"))
}

fn policy_set(case: &Map<String, Value>) -> Result<PolicySet, String> {
    let mut set = PolicySet::default();
    let mut identity = docs(case.get("identity"));
    if let Some(stmt) = case.get("statement") {
        identity.insert(0, json!({"Version": "2012-10-17", "Statement": stmt}));
    }
    for (i, d) in identity.iter().enumerate() {
        set.identity
            .push(parse(&format!("identity-{i}"), PolicyKind::Identity, d)?);
    }
    if let Some(b) = case.get("boundary") {
        set.boundary = Some(parse("boundary", PolicyKind::Boundary, b)?);
    }
    for (i, d) in docs(case.get("session")).iter().enumerate() {
        set.session
            .push(parse(&format!("session-{i}"), PolicyKind::Session, d)?);
    }
    let resource_kind = match case.get("resource_kind").and_then(Value::as_str) {
        None | Some("resource") => PolicyKind::Resource,
        Some("trust") => PolicyKind::Trust,
        Some("key") => PolicyKind::KeyPolicy,
        Some(other) => return Err(format!("unknown resource_kind {other}")),
    };
    for (i, d) in docs(case.get("resource")).iter().enumerate() {
        set.resource
            .push(parse(&format!("resource-{i}"), resource_kind, d)?);
    }
    for (li, level) in levels(case.get("scps")).iter().enumerate() {
        let mut l = Vec::new();
        for (i, d) in level.iter().enumerate() {
            l.push(parse(
                &format!("scp-{li}-{i}"),
                PolicyKind::ServiceControl,
                d,
            )?);
        }
        set.scps.push(l);
    }
    for (li, level) in levels(case.get("rcps")).iter().enumerate() {
        let mut l = Vec::new();
        for (i, d) in level.iter().enumerate() {
            l.push(parse(
                &format!("rcp-{li}-{i}"),
                PolicyKind::ResourceControl,
                d,
            )?);
        }
        set.rcps.push(l);
    }
    for (i, d) in docs(case.get("endpoint")).iter().enumerate() {
        set.endpoint
            .push(parse(&format!("endpoint-{i}"), PolicyKind::VpcEndpoint, d)?);
    }
    Ok(set)
}

fn request(case: &Map<String, Value>) -> Result<Request, String> {
    let r = case
        .get("request")
        .and_then(Value::as_object)
        .ok_or("missing request")?;
    let text = |k: &str| r.get(k).and_then(Value::as_str);
    let principal_text = text("principal").unwrap_or(DEFAULT_PRINCIPAL);
    let mut principal = match text("principal_type") {
        Some("service") => RequestPrincipal::service(principal_text),
        Some("anonymous") => RequestPrincipal::anonymous(),
        Some("federated") => RequestPrincipal {
            kind: PrincipalType::Federated,
            arn: principal_text.to_string(),
            session_arn: None,
            account: text("principal_account").map(str::to_string),
            id: None,
            tags: None,
        },
        _ => RequestPrincipal::from_arn(principal_text)
            .ok_or_else(|| format!("bad principal {principal_text}"))?,
    };
    if let Some(tags) = r.get("principal_tags").and_then(Value::as_object) {
        principal.tags = Some(
            tags.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect(),
        );
    }
    if let Some(id) = text("principal_id") {
        principal.id = Some(id.to_string());
    }
    let action = text("action").ok_or("request.action missing")?;
    let resource = text("resource").unwrap_or("*");
    let mut req = Request::new(principal, action, resource);
    req.resource_account = text("resource_account").map(str::to_string);
    let closed = r.get("closed").and_then(Value::as_bool).unwrap_or(false);
    req.context = match r.get("context") {
        Some(c) => RequestContext::from_json(c, closed)?,
        None if closed => RequestContext::closed(),
        None => RequestContext::new(),
    };
    Ok(req)
}

fn refs(d: &Decision) -> Vec<String> {
    match d {
        Decision::Allow { by } | Decision::ExplicitDeny { by } => by
            .iter()
            .map(|r| format!("{}#{}", r.policy, r.index))
            .collect(),
        _ => vec![],
    }
}

fn run_case(case: &Map<String, Value>) -> Result<(), String> {
    if let Some(doc) = case.get("document") {
        let kind = match case
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("identity")
        {
            "identity" => PolicyKind::Identity,
            "resource" => PolicyKind::Resource,
            "trust" => PolicyKind::Trust,
            "boundary" => PolicyKind::Boundary,
            "scp" => PolicyKind::ServiceControl,
            "rcp" => PolicyKind::ResourceControl,
            "session" => PolicyKind::Session,
            "endpoint" => PolicyKind::VpcEndpoint,
            other => return Err(format!("unknown kind {other}")),
        };
        let result = Policy::parse("doc", kind, doc);
        if let Some(want) = case.get("unreadable_condition").and_then(Value::as_str) {
            let policy = result.map_err(|e| format!("expected to parse, got: {e}"))?;
            let problems: Vec<&str> = policy
                .statements
                .iter()
                .flat_map(|s| s.conditions.iter().filter_map(|c| c.problem()))
                .collect();
            return if problems.iter().any(|p| p.contains(want)) {
                Ok(())
            } else {
                Err(format!(
                    "no unreadable condition mentions {want:?}: {problems:?}"
                ))
            };
        }
        return match (case.get("error").and_then(Value::as_str), result) {
            (Some(want), Err(e)) if e.to_string().contains(want) => Ok(()),
            (Some(want), Err(e)) => Err(format!("error {e:?} does not mention {want:?}")),
            (Some(want), Ok(_)) => {
                Err(format!("parsed, but expected an error mentioning {want:?}"))
            }
            (None, Ok(_)) => Ok(()),
            (None, Err(e)) => Err(format!("expected to parse, got: {e}")),
        };
    }
    let set = policy_set(case)?;
    let req = request(case)?;
    let decision = evaluate(&set, &req);
    let expect = case
        .get("expect")
        .and_then(Value::as_str)
        .ok_or("missing expect")?;
    if decision.label() != expect {
        return Err(format!("expected {expect}, got {decision:?}"));
    }
    if let Some(reason) = case.get("reason").and_then(Value::as_str) {
        match &decision {
            Decision::ImplicitDeny { reason: got } if format!("{got:?}") == reason => {}
            other => return Err(format!("expected reason {reason}, got {other:?}")),
        }
    }
    if let Some(by) = case.get("by").and_then(Value::as_array) {
        let mut want: Vec<String> = by
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
        let mut got = refs(&decision);
        want.sort();
        got.sort();
        if want != got {
            return Err(format!("expected statements {want:?}, got {got:?}"));
        }
    }
    if let Some(keys) = case.get("pending").and_then(Value::as_array) {
        let Decision::Conditional { pending } = &decision else {
            return Err("pending keys given for a non-conditional decision".into());
        };
        let got: Vec<String> = pending
            .iter()
            .flat_map(|p| p.unresolved.iter().map(|u| u.key.to_ascii_lowercase()))
            .collect();
        for k in keys.iter().filter_map(Value::as_str) {
            if !got.contains(&k.to_ascii_lowercase()) {
                return Err(format!("pending keys {got:?} lack {k}"));
            }
        }
    }
    Ok(())
}

#[test]
fn evaluation_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/cases exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut total = 0;
    let mut failures = Vec::new();
    let mut names = std::collections::HashSet::new();
    for file in &files {
        let fname = file
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let text = std::fs::read_to_string(file).expect("readable case file");
        let v: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{fname}: not JSON: {e}"));
                continue;
            }
        };
        let defaults = v.get("defaults").cloned().unwrap_or(json!({}));
        for (i, case) in v
            .get("cases")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            total += 1;
            let name = case
                .get("name")
                .and_then(Value::as_str)
                .map_or_else(|| format!("#{i}"), str::to_string);
            if !names.insert(format!("{fname}:{name}")) {
                failures.push(format!("{fname}: duplicate case name {name}"));
            }
            let merged = merge(&defaults, case);
            let map = merged.as_object().cloned().unwrap_or_default();
            if let Err(e) = run_case(&map) {
                failures.push(format!("{fname}: {name}: {e}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        total >= 200,
        "the corpus should hold at least 200 cases, found {total}"
    );
}
