//! AWS's managed policies, vendored in `tests/data/aws-managed-policies.json`
//! (see the README there for the source, its date and how to refresh it).
//!
//! A test takes this file in with
//! `#[path = "support/managed_policies.rs"] mod managed_policies;` (from
//! another crate, with the path to this file); it needs only `serde_json`.
//! [`managed_policies`] parses the data once and lists the policies by name.

#![allow(dead_code)]

use std::sync::OnceLock;

use serde_json::Value;

static DATA: &str = include_str!("../data/aws-managed-policies.json");

/// Where the vendored policies were taken from.
#[derive(Debug, Clone)]
pub struct Source {
    /// The repository (`https://github.com/iann0036/iam-dataset`).
    pub repository: String,
    /// The commit the policies were read at.
    pub commit: String,
    /// The date of that commit (ISO date).
    pub date: String,
}

/// One AWS managed policy: its default version.
#[derive(Debug, Clone)]
pub struct ManagedPolicy {
    /// Its name (`SecurityAudit`).
    pub name: String,
    /// Its ARN (`arn:aws:iam::aws:policy/SecurityAudit`), when the source records it.
    pub arn: Option<String>,
    /// The default version's id (`v92`), when the source records it.
    pub version: Option<String>,
    /// Whether AWS has deprecated it (it can no longer be attached anew).
    pub deprecated: bool,
    /// The default version's document, as AWS wrote it.
    pub document: Value,
}

impl ManagedPolicy {
    /// The ARN, or the one a policy without a path would have.
    pub fn arn_or_default(&self) -> String {
        self.arn
            .clone()
            .unwrap_or_else(|| format!("arn:aws:iam::aws:policy/{}", self.name))
    }
}

/// Every vendored policy, sorted by name.
#[derive(Debug)]
pub struct ManagedPolicies {
    /// Where they came from.
    pub source: Source,
    /// The policies, sorted by name.
    pub policies: Vec<ManagedPolicy>,
}

impl ManagedPolicies {
    /// The policy of that name.
    pub fn get(&self, name: &str) -> Option<&ManagedPolicy> {
        self.policies
            .binary_search_by(|p| p.name.as_str().cmp(name))
            .ok()
            .map(|i| &self.policies[i])
    }

    /// The policies, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = &ManagedPolicy> {
        self.policies.iter()
    }

    /// The number of policies.
    pub fn len(&self) -> usize {
        self.policies.len()
    }
}

/// The vendored policies, parsed on first use. Panics, naming the problem,
/// if the data file is damaged: it is the repository's own test data.
pub fn managed_policies() -> &'static ManagedPolicies {
    static POLICIES: OnceLock<ManagedPolicies> = OnceLock::new();
    POLICIES.get_or_init(|| {
        parse(DATA).unwrap_or_else(|e| panic!("tests/data/aws-managed-policies.json: {e}"))
    })
}

fn text(v: &Value, key: &str, what: &str) -> Result<String, String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| format!("{what}: no string \"{key}\""))
}

/// Parses the data file's text.
pub fn parse(data: &str) -> Result<ManagedPolicies, String> {
    let root: Value = serde_json::from_str(data).map_err(|e| format!("not JSON: {e}"))?;
    let source = root.get("source").ok_or("no \"source\"")?;
    let source = Source {
        repository: text(source, "repository", "source")?,
        commit: text(source, "commit", "source")?,
        date: text(source, "date", "source")?,
    };
    let entries = root
        .get("policies")
        .and_then(Value::as_object)
        .ok_or("no \"policies\" object")?;
    let mut policies = Vec::with_capacity(entries.len());
    for (name, entry) in entries {
        let document = entry
            .get("document")
            .filter(|d| d.is_object())
            .ok_or_else(|| format!("{name}: no document"))?;
        policies.push(ManagedPolicy {
            name: name.clone(),
            arn: entry.get("arn").and_then(Value::as_str).map(str::to_string),
            version: entry
                .get("version")
                .and_then(Value::as_str)
                .map(str::to_string),
            deprecated: entry
                .get("deprecated")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            document: document.clone(),
        });
    }
    policies.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(ManagedPolicies { source, policies })
}
