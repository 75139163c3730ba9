//! Parsing policy documents into typed statements.
//!
//! Grammar follows the IAM User Guide's "IAM JSON policy elements reference" and
//! "Grammar of the IAM JSON policy language": `Version`, `Id`, `Statement` (one
//! object or an array), and per statement `Sid`, `Effect`, `Action`/`NotAction`,
//! `Resource`/`NotResource`, `Principal`/`NotPrincipal`, `Condition`, each list
//! element accepting a single string or an array of strings.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;
use serde_json::value::RawValue;

use crate::Tri;
use crate::catalogue::Expansion;
use crate::condition::Condition;
use crate::context::VariableSource;
use crate::matching::{Pattern, Syntax};

/// What a policy document is attached to, which decides the elements it may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// An identity-based policy (inline or managed) of a user, group or role.
    Identity,
    /// A resource-based policy (bucket policy, queue policy, …).
    Resource,
    /// A role's trust policy (the resource policy of `sts:AssumeRole*`).
    Trust,
    /// A KMS key policy.
    KeyPolicy,
    /// A permissions boundary.
    Boundary,
    /// An AWS Organizations service control policy.
    ServiceControl,
    /// An AWS Organizations resource control policy.
    ResourceControl,
    /// A session policy passed when assuming a role or federating.
    Session,
    /// A VPC endpoint policy: it may name principals, and one without
    /// `Principal` applies to every caller.
    VpcEndpoint,
}

impl PolicyKind {
    /// Whether statements of this kind carry `Principal`/`NotPrincipal`.
    pub fn names_principals(self) -> bool {
        matches!(
            self,
            PolicyKind::Resource | PolicyKind::Trust | PolicyKind::KeyPolicy
        )
    }
}

/// The policy language version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LanguageVersion {
    /// `2012-10-17`: policy variables are substituted.
    V2012,
    /// `2008-10-17`: `${…}` is literal text.
    V2008,
    /// No `Version` element: treated as 2008-10-17, so `${…}` is literal.
    Unspecified,
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// The statement grants.
    Allow,
    /// The statement denies.
    Deny,
}

/// As a policy writes it: `Allow`, `Deny`.
impl fmt::Display for Effect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        })
    }
}

/// Serialised as it is displayed.
impl serde::Serialize for Effect {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A parse error, naming the statement (index and Sid) and the element, as an
/// auditor would: "statement 2 (Sid "Read"), entry 3 of its Action element:
/// …"; [`PolicyError::field`] keeps the element's path for programs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}: {}", location(.statement, .sid), element_in_words(.field, .statement.is_some()), .message)]
pub struct PolicyError {
    /// Zero-based index of the statement, when the problem is inside one.
    pub statement: Option<usize>,
    /// The statement's Sid, when it has one.
    pub sid: Option<String>,
    /// The element path (`Action[2]`, `Condition.StringEquals.aws:username`).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

fn location(statement: &Option<usize>, sid: &Option<String>) -> String {
    match (statement, sid) {
        (Some(i), Some(s)) => format!("statement {i} (Sid {s:?}), "),
        (Some(i), None) => format!("statement {i}, "),
        _ => String::new(),
    }
}

/// A path such as `Action[2]` or `Principal.AWS[0]` said in words: "entry 3
/// of its Action element", "entry 1 of the AWS principals of its Principal
/// element".
fn element_in_words(field: &str, in_statement: bool) -> String {
    fn split_index(part: &str) -> (&str, Option<usize>) {
        match part.strip_suffix(']').and_then(|p| p.split_once('[')) {
            Some((name, index)) => (name, index.parse().ok()),
            None => (part, None),
        }
    }
    let mut parts = field.splitn(2, '.');
    let (head, head_index) = split_index(parts.next().unwrap_or_default());
    let element = match head {
        "document" => return "the document".to_string(),
        _ if in_statement => format!("its {head} element"),
        _ => format!("the {head} element"),
    };
    match (parts.next().map(split_index), head_index) {
        (Some((kind, Some(i))), _) => {
            format!("entry {} of the {kind} principals of {element}", i + 1)
        }
        (Some((kind, None)), _) => format!("the {kind} principals of {element}"),
        (None, Some(i)) => format!("entry {} of {element}", i + 1),
        (None, None) => element,
    }
}

/// A parsed policy document.
#[derive(Debug, Clone)]
pub struct Policy {
    /// How the auditor names it: a managed policy's ARN, or `<principal ARN>#<inline name>`.
    pub name: Arc<str>,
    /// What it is attached to.
    pub kind: PolicyKind,
    /// The language version.
    pub version: LanguageVersion,
    /// The optional `Id` element.
    pub id: Option<String>,
    /// The statements, in document order (identical statements of different
    /// policies may be one shared value, see [`StatementCache`]).
    pub statements: Vec<Arc<Statement>>,
}

/// Statements already parsed, shared between the policies of an account.
///
/// Accounts repeat statements across many policies (stacks and modules stamp
/// out the same logging or trust statement for every role). A statement
/// parsed once is stored once and its actions are expanded once. The key is
/// everything the parse depends on: the policy kind, whether policy variables
/// apply, the position and the statement's compact JSON text.
#[derive(Debug, Default)]
pub struct StatementCache {
    parsed: Mutex<HashMap<StatementKey, Arc<Statement>>>,
}

/// What a statement's parse depends on: the policy kind, whether policy
/// variables apply, the position and the compact JSON text.
type StatementKey = (PolicyKind, bool, usize, Box<str>);

/// One statement.
#[derive(Debug, Clone)]
pub struct Statement {
    /// Zero-based position in the document.
    pub index: usize,
    /// The `Sid`, if any.
    pub sid: Option<Arc<str>>,
    /// `Allow` or `Deny`.
    pub effect: Effect,
    /// `Action` or `NotAction`.
    pub actions: ActionClause,
    /// `Resource` or `NotResource` (`*` when a trust policy or SCP omits it).
    pub resources: ResourceClause,
    /// `Principal` or `NotPrincipal` (resource-based kinds only).
    pub principals: Option<PrincipalClause>,
    /// The `Condition` block, one entry per operator and key.
    pub conditions: Vec<Condition>,
    /// The statement as written (compact JSON text), for evidence.
    pub source: Box<RawValue>,
    pub(crate) expansion: OnceLock<Expansion>,
}

/// `Action` (listed) or `NotAction` (everything but listed).
#[derive(Debug, Clone)]
pub struct ActionClause {
    /// True for `NotAction`.
    pub negated: bool,
    /// The patterns, matched case-insensitively.
    pub patterns: Vec<Pattern>,
}

/// `Resource` or `NotResource`.
#[derive(Debug, Clone)]
pub struct ResourceClause {
    /// True for `NotResource`.
    pub negated: bool,
    /// The ARN patterns, matched case-sensitively.
    pub patterns: Arc<[Pattern]>,
}

/// `Principal` or `NotPrincipal`.
#[derive(Debug, Clone)]
pub struct PrincipalClause {
    /// True for `NotPrincipal`.
    pub negated: bool,
    /// The principals named.
    pub entries: Vec<PrincipalEntry>,
}

/// One principal named in a `Principal` element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalEntry {
    /// `"*"` or `{"AWS": "*"}`: everyone, including anonymous callers.
    Everyone,
    /// An account (`123456789012` or `arn:aws:iam::123456789012:root`).
    Account(String),
    /// An IAM user, role, assumed-role session or federated user ARN.
    Arn(String),
    /// A unique id (`AIDA…`, `AROA…`) left where a deleted entity was named.
    UniqueId(String),
    /// `{"Service": "…"}`.
    Service(String),
    /// `{"Federated": "…"}`.
    Federated(String),
    /// `{"CanonicalUser": "…"}`.
    CanonicalUser(String),
}

impl fmt::Display for PrincipalEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrincipalEntry::Everyone => write!(f, "*"),
            PrincipalEntry::Account(a) => write!(f, "AWS:{a}"),
            PrincipalEntry::Arn(a) | PrincipalEntry::UniqueId(a) => write!(f, "AWS:{a}"),
            PrincipalEntry::Service(s) => write!(f, "Service:{s}"),
            PrincipalEntry::Federated(s) => write!(f, "Federated:{s}"),
            PrincipalEntry::CanonicalUser(s) => write!(f, "CanonicalUser:{s}"),
        }
    }
}

const STATEMENT_FIELDS: &[&str] = &[
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
];

impl Policy {
    /// Parses a document given as JSON.
    pub fn parse(name: &str, kind: PolicyKind, document: &Value) -> Result<Policy, PolicyError> {
        Policy::parse_shared(name, kind, document, None)
    }

    /// Parses a document, reusing the statements `cache` already holds.
    pub fn parse_shared(
        name: &str,
        kind: PolicyKind,
        document: &Value,
        cache: Option<&StatementCache>,
    ) -> Result<Policy, PolicyError> {
        let doc_err = |field: &str, message: String| PolicyError {
            statement: None,
            sid: None,
            field: field.to_string(),
            message,
        };
        let map = document.as_object().ok_or_else(|| {
            doc_err(
                "document",
                format!("must be a JSON object, found {}", kind_of(document)),
            )
        })?;
        for key in map.keys() {
            if !matches!(key.as_str(), "Version" | "Id" | "Statement") {
                return Err(doc_err(key, "unknown top-level element".to_string()));
            }
        }
        let version = match map.get("Version") {
            None => LanguageVersion::Unspecified,
            Some(Value::String(v)) if v == "2012-10-17" => LanguageVersion::V2012,
            Some(Value::String(v)) if v == "2008-10-17" => LanguageVersion::V2008,
            Some(other) => {
                return Err(doc_err(
                    "Version",
                    format!("unsupported policy language version {other}"),
                ));
            }
        };
        let id = match map.get("Id") {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                return Err(doc_err(
                    "Id",
                    format!("must be a string, found {}", kind_of(other)),
                ));
            }
        };
        let raw_statements: Vec<&Value> = match map.get("Statement") {
            None => return Err(doc_err("Statement", "missing".to_string())),
            Some(Value::Array(items)) => items.iter().collect(),
            Some(obj @ Value::Object(_)) => vec![obj],
            Some(other) => {
                return Err(doc_err(
                    "Statement",
                    format!("must be an object or an array, found {}", kind_of(other)),
                ));
            }
        };
        let variables = version == LanguageVersion::V2012;
        let statements = raw_statements
            .into_iter()
            .enumerate()
            .map(|(index, raw)| shared_statement(index, raw, kind, variables, cache))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Policy {
            name: Arc::from(name),
            kind,
            version,
            id,
            statements,
        })
    }

    /// Parses an inventory document.
    pub fn from_document(
        name: &str,
        kind: PolicyKind,
        document: &cartguard_inventory::PolicyDocument,
    ) -> Result<Policy, PolicyError> {
        Policy::parse(name, kind, &document.json())
    }

    /// Parses an inventory document, reusing the statements `cache` already holds.
    pub fn from_document_shared(
        name: &str,
        kind: PolicyKind,
        document: &cartguard_inventory::PolicyDocument,
        cache: &StatementCache,
    ) -> Result<Policy, PolicyError> {
        Policy::parse_shared(name, kind, &document.json(), Some(cache))
    }

    /// The same statements seen as another kind (a managed policy used as a boundary).
    pub fn with_kind(&self, kind: PolicyKind) -> Policy {
        Policy {
            kind,
            ..self.clone()
        }
    }
}

/// A reference to one statement: the policy, its position and its Sid.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StatementRef {
    /// The policy's name (see [`Policy::name`]).
    pub policy: Arc<str>,
    /// Zero-based index of the statement in the policy.
    pub index: usize,
    /// The statement's Sid, if any.
    pub sid: Option<Arc<str>>,
}

impl serde::Serialize for StatementRef {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("StatementRef", 3)?;
        out.serialize_field("policy", self.policy.as_ref())?;
        out.serialize_field("statement_index", &self.index)?;
        out.serialize_field("sid", &self.sid.as_deref())?;
        out.end()
    }
}

impl StatementRef {
    /// The reference to `statement` of `policy`.
    pub fn new(policy: &Policy, statement: &Statement) -> StatementRef {
        StatementRef {
            policy: Arc::clone(&policy.name),
            index: statement.index,
            sid: statement.sid.clone(),
        }
    }
}

impl fmt::Display for StatementRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} statement {}", self.policy, self.index)?;
        if let Some(sid) = &self.sid {
            write!(f, " ({sid})")?;
        }
        Ok(())
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// One statement, from the cache when an identical one was parsed before.
fn shared_statement(
    index: usize,
    raw: &Value,
    kind: PolicyKind,
    variables: bool,
    cache: Option<&StatementCache>,
) -> Result<Arc<Statement>, PolicyError> {
    let Some(cache) = cache else {
        return parse_statement(index, raw, kind, variables).map(Arc::new);
    };
    let text = compact(raw, index)?;
    let key = (kind, variables, index, Box::from(text.get()));
    let cached = cache
        .parsed
        .lock()
        .ok()
        .and_then(|map| map.get(&key).cloned());
    if let Some(statement) = cached {
        return Ok(statement);
    }
    let statement = Arc::new(parse_statement_with(index, raw, kind, variables, text)?);
    if let Ok(mut map) = cache.parsed.lock() {
        map.entry(key).or_insert_with(|| Arc::clone(&statement));
    }
    Ok(statement)
}

/// A statement's compact JSON text.
fn compact(raw: &Value, index: usize) -> Result<Box<RawValue>, PolicyError> {
    // Serialising a parsed JSON value cannot fail.
    serde_json::value::to_raw_value(raw).map_err(|e| PolicyError {
        statement: Some(index),
        sid: None,
        field: "Statement".to_string(),
        message: e.to_string(),
    })
}

fn parse_statement(
    index: usize,
    raw: &Value,
    kind: PolicyKind,
    variables: bool,
) -> Result<Statement, PolicyError> {
    parse_statement_with(index, raw, kind, variables, compact(raw, index)?)
}

fn parse_statement_with(
    index: usize,
    raw: &Value,
    kind: PolicyKind,
    variables: bool,
    source: Box<RawValue>,
) -> Result<Statement, PolicyError> {
    let sid_text = raw.get("Sid").and_then(Value::as_str).map(str::to_string);
    let err = |field: &str, message: String| PolicyError {
        statement: Some(index),
        sid: sid_text.clone(),
        field: field.to_string(),
        message,
    };
    let map = raw.as_object().ok_or_else(|| {
        err(
            "Statement",
            format!("must be an object, found {}", kind_of(raw)),
        )
    })?;
    for key in map.keys() {
        if !STATEMENT_FIELDS.contains(&key.as_str()) {
            return Err(err(key, "unknown statement element".to_string()));
        }
    }
    let sid = match map.get("Sid") {
        None => None,
        Some(Value::String(s)) => Some(Arc::from(s.as_str())),
        Some(other) => {
            return Err(err(
                "Sid",
                format!("must be a string, found {}", kind_of(other)),
            ));
        }
    };
    let effect = match map.get("Effect") {
        Some(Value::String(e)) if e == "Allow" => Effect::Allow,
        Some(Value::String(e)) if e == "Deny" => Effect::Deny,
        Some(other) => {
            return Err(err(
                "Effect",
                format!("must be \"Allow\" or \"Deny\", found {other}"),
            ));
        }
        None => return Err(err("Effect", "missing".to_string())),
    };

    let actions = match (map.get("Action"), map.get("NotAction")) {
        (Some(_), Some(_)) => {
            return Err(err(
                "NotAction",
                "cannot be used together with Action".to_string(),
            ));
        }
        (None, None) => {
            return Err(err(
                "Action",
                "missing (a statement needs Action or NotAction)".to_string(),
            ));
        }
        (Some(v), None) => ActionClause {
            negated: false,
            patterns: parse_actions("Action", v).map_err(|(f, m)| err(&f, m))?,
        },
        (None, Some(v)) => ActionClause {
            negated: true,
            patterns: parse_actions("NotAction", v).map_err(|(f, m)| err(&f, m))?,
        },
    };

    let resources = match (map.get("Resource"), map.get("NotResource")) {
        (Some(_), Some(_)) => {
            return Err(err(
                "NotResource",
                "cannot be used together with Resource".to_string(),
            ));
        }
        (Some(v), None) => ResourceClause {
            negated: false,
            patterns: parse_resources("Resource", v, variables)
                .map_err(|(f, m)| err(&f, m))?
                .into(),
        },
        (None, Some(v)) => ResourceClause {
            negated: true,
            patterns: parse_resources("NotResource", v, variables)
                .map_err(|(f, m)| err(&f, m))?
                .into(),
        },
        (None, None) => match kind {
            // A trust policy's resource is the role itself; SCPs written before
            // Resource was required mean every resource.
            PolicyKind::Trust | PolicyKind::ServiceControl | PolicyKind::ResourceControl => {
                ResourceClause {
                    negated: false,
                    patterns: Arc::from([resource_pattern("*", false)]),
                }
            }
            _ => {
                return Err(err(
                    "Resource",
                    "missing (a statement needs Resource or NotResource)".to_string(),
                ));
            }
        },
    };

    let principals = match (map.get("Principal"), map.get("NotPrincipal")) {
        (Some(_), Some(_)) => {
            return Err(err(
                "NotPrincipal",
                "cannot be used together with Principal".to_string(),
            ));
        }
        (Some(v), None) => Some(PrincipalClause {
            negated: false,
            entries: parse_principals("Principal", v).map_err(|(f, m)| err(&f, m))?,
        }),
        (None, Some(v)) => Some(PrincipalClause {
            negated: true,
            entries: parse_principals("NotPrincipal", v).map_err(|(f, m)| err(&f, m))?,
        }),
        (None, None) => None,
    };
    match (&principals, kind) {
        (Some(p), k)
            if !k.names_principals()
                && !matches!(k, PolicyKind::ResourceControl | PolicyKind::VpcEndpoint) =>
        {
            let field = if p.negated {
                "NotPrincipal"
            } else {
                "Principal"
            };
            return Err(err(
                field,
                format!(
                    "not allowed in a {} policy (it applies to whoever it is attached to)",
                    kind_label(k)
                ),
            ));
        }
        (None, k) if k.names_principals() => {
            return Err(err(
                "Principal",
                format!(
                    "missing (a {} policy must name its principals)",
                    kind_label(k)
                ),
            ));
        }
        _ => {}
    }

    let conditions = match map.get("Condition") {
        None => Vec::new(),
        Some(v) => Condition::parse_block(v, variables),
    };

    Ok(Statement {
        index,
        sid,
        effect,
        actions,
        resources,
        principals,
        conditions,
        source,
        expansion: OnceLock::new(),
    })
}

fn kind_label(kind: PolicyKind) -> &'static str {
    match kind {
        PolicyKind::Identity => "identity-based",
        PolicyKind::Resource => "resource-based",
        PolicyKind::Trust => "role trust",
        PolicyKind::KeyPolicy => "KMS key",
        PolicyKind::Boundary => "permissions boundary",
        PolicyKind::ServiceControl => "service control",
        PolicyKind::ResourceControl => "resource control",
        PolicyKind::Session => "session",
        PolicyKind::VpcEndpoint => "VPC endpoint",
    }
}

type FieldError = (String, String);

fn string_list<'a>(field: &str, v: &'a Value) -> Result<Vec<(String, &'a str)>, FieldError> {
    match v {
        Value::String(s) => Ok(vec![(field.to_string(), s.as_str())]),
        Value::Array(items) => {
            if items.is_empty() {
                return Err((field.to_string(), "must not be empty".to_string()));
            }
            items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let f = format!("{field}[{i}]");
                    match item {
                        Value::String(s) => Ok((f, s.as_str())),
                        other => Err((f, format!("must be a string, found {}", kind_of(other)))),
                    }
                })
                .collect()
        }
        other => Err((
            field.to_string(),
            format!(
                "must be a string or an array of strings, found {}",
                kind_of(other)
            ),
        )),
    }
}

fn parse_actions(field: &str, v: &Value) -> Result<Vec<Pattern>, FieldError> {
    string_list(field, v)?
        .into_iter()
        .map(|(f, text)| {
            let valid = text == "*"
                || text.split_once(':').is_some_and(|(svc, name)| {
                    !svc.is_empty() && !name.is_empty() && !text.contains(char::is_whitespace)
                });
            if !valid {
                return Err((f, format!("{text:?} is not of the form service:action")));
            }
            Ok(Pattern::new(
                text,
                Syntax {
                    wildcards: true,
                    variables: false,
                    case_insensitive: true,
                },
            ))
        })
        .collect()
}

fn resource_pattern(text: &str, variables: bool) -> Pattern {
    Pattern::new(
        text,
        Syntax {
            wildcards: true,
            variables,
            case_insensitive: false,
        },
    )
}

fn parse_resources(field: &str, v: &Value, variables: bool) -> Result<Vec<Pattern>, FieldError> {
    string_list(field, v)?
        .into_iter()
        .map(|(f, text)| {
            if text == "*" || text.starts_with("arn:") {
                Ok(resource_pattern(text, variables))
            } else {
                Err((f, format!("{text:?} is neither \"*\" nor an ARN")))
            }
        })
        .collect()
}

fn parse_principals(field: &str, v: &Value) -> Result<Vec<PrincipalEntry>, FieldError> {
    match v {
        Value::String(s) if s == "*" => Ok(vec![PrincipalEntry::Everyone]),
        Value::String(s) => Err((
            field.to_string(),
            format!("{s:?}: a principal string must be \"*\"; name others as {{\"AWS\": …}}"),
        )),
        Value::Object(map) => {
            let mut out = Vec::new();
            for (kind, values) in map {
                let f = format!("{field}.{kind}");
                for (fi, text) in string_list(&f, values)? {
                    let entry = match kind.as_str() {
                        "AWS" => aws_principal(text).ok_or_else(|| {
                            (
                                fi.clone(),
                                format!("{text:?} is not an account id, an IAM ARN or \"*\""),
                            )
                        })?,
                        "Service" => PrincipalEntry::Service(text.to_string()),
                        "Federated" => PrincipalEntry::Federated(text.to_string()),
                        "CanonicalUser" => PrincipalEntry::CanonicalUser(text.to_string()),
                        other => {
                            return Err((f, format!("unknown principal type {other:?}")));
                        }
                    };
                    out.push(entry);
                }
            }
            if out.is_empty() {
                return Err((field.to_string(), "names no principal".to_string()));
            }
            Ok(out)
        }
        other => Err((
            field.to_string(),
            format!("must be \"*\" or an object, found {}", kind_of(other)),
        )),
    }
}

fn aws_principal(text: &str) -> Option<PrincipalEntry> {
    if text == "*" {
        return Some(PrincipalEntry::Everyone);
    }
    if text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit()) {
        return Some(PrincipalEntry::Account(text.to_string()));
    }
    if let Some(f) = crate::matching::arn_fields(text) {
        if f[5] == "root" && !f[4].is_empty() {
            return Some(PrincipalEntry::Account(f[4].to_string()));
        }
        return Some(PrincipalEntry::Arn(text.to_string()));
    }
    if text.len() >= 16 && text.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Some(PrincipalEntry::UniqueId(text.to_string()));
    }
    None
}

impl Statement {
    /// The statement as written, as parsed JSON.
    pub fn source_json(&self) -> Value {
        // The text was produced from parsed JSON.
        serde_json::from_str(self.source.get()).unwrap_or(Value::Null)
    }

    /// Whether the statement's `Action`/`NotAction` covers `action_lower`.
    pub fn matches_action(&self, action_lower: &str) -> bool {
        let listed = self
            .actions
            .patterns
            .iter()
            .any(|p| p.matches_static(action_lower) == Tri::True);
        listed != self.actions.negated
    }

    /// Whether the statement's `Resource`/`NotResource` covers `resource`.
    pub fn matches_resource(&self, resource: &str, vars: &dyn VariableSource) -> Tri {
        let listed = self.resources.patterns.iter().fold(Tri::False, |acc, p| {
            if acc == Tri::True {
                acc
            } else {
                acc.or(p.matches(resource, vars))
            }
        });
        if self.resources.negated {
            listed.not()
        } else {
            listed
        }
    }

    /// Whether every condition holds.
    pub fn conditions_hold(&self, vars: &dyn VariableSource) -> Tri {
        let mut acc = Tri::True;
        for c in &self.conditions {
            acc = acc.and(c.evaluate(vars));
            if acc == Tri::False {
                break;
            }
        }
        acc
    }

    /// Whether the statement has a `Condition` block.
    pub fn is_conditional(&self) -> bool {
        !self.conditions.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(kind: PolicyKind, v: Value) -> Result<Policy, PolicyError> {
        Policy::parse("test", kind, &v)
    }

    #[test]
    fn identical_statements_are_parsed_once_and_shared() {
        let cache = StatementCache::default();
        let logs = json!({"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"});
        let other = json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}/*"});
        let doc = |stmts: Value| json!({"Version": "2012-10-17", "Statement": stmts});
        let a = Policy::parse_shared(
            "a",
            PolicyKind::Identity,
            &doc(json!([logs, other])),
            Some(&cache),
        )
        .unwrap();
        let b = Policy::parse_shared("b", PolicyKind::Identity, &doc(json!([logs])), Some(&cache))
            .unwrap();
        assert!(Arc::ptr_eq(&a.statements[0], &b.statements[0]));
        // The position, the kind and the language version are part of what was parsed.
        let c = Policy::parse_shared(
            "c",
            PolicyKind::Identity,
            &doc(json!([other, logs])),
            Some(&cache),
        )
        .unwrap();
        assert!(!Arc::ptr_eq(&a.statements[0], &c.statements[1]));
        assert_eq!(c.statements[1].index, 1);
        let boundary =
            Policy::parse_shared("d", PolicyKind::Boundary, &doc(json!([logs])), Some(&cache))
                .unwrap();
        assert!(!Arc::ptr_eq(&a.statements[0], &boundary.statements[0]));
        let old = json!({"Version": "2008-10-17", "Statement": [other]});
        let e = Policy::parse_shared("e", PolicyKind::Identity, &old, Some(&cache)).unwrap();
        assert!(!Arc::ptr_eq(&a.statements[1], &e.statements[0]));
        assert!(a.statements[1].resources.patterns[0].has_variables());
        assert!(!e.statements[0].resources.patterns[0].has_variables());
        // A statement that does not parse is an error with or without the cache.
        let bad = doc(json!([{"Effect": "Allow", "Resource": "*"}]));
        assert_eq!(
            Policy::parse_shared("f", PolicyKind::Identity, &bad, Some(&cache)).unwrap_err(),
            Policy::parse("f", PolicyKind::Identity, &bad).unwrap_err()
        );
        // Its source is kept as written, compact.
        assert_eq!(
            a.statements[0].source.get(),
            r#"{"Effect":"Allow","Action":"logs:PutLogEvents","Resource":"*"}"#
        );
    }

    #[test]
    fn accepts_single_statement_object_and_strings() {
        let p = parse(
            PolicyKind::Identity,
            json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}),
        )
        .unwrap();
        assert_eq!(p.statements.len(), 1);
        assert_eq!(p.version, LanguageVersion::V2012);
    }

    #[test]
    fn errors_name_statement_and_field() {
        let e = parse(
            PolicyKind::Identity,
            json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"},
                                 {"Sid": "Two", "Effect": "Allow", "Action": ["s3:Get*", 5], "Resource": "*"}]}),
        )
        .unwrap_err();
        assert_eq!(e.statement, Some(1));
        assert_eq!(e.field, "Action[1]");
        assert_eq!(
            e.to_string(),
            "statement 1 (Sid \"Two\"), entry 2 of its Action element: must be a string, found a number"
        );
        assert_eq!(
            element_in_words("Principal.AWS[0]", true),
            "entry 1 of the AWS principals of its Principal element"
        );
        assert_eq!(element_in_words("Version", false), "the Version element");
        let e = parse(
            PolicyKind::Identity,
            json!({"Statement": [{"Effect": "Permit", "Action": "*", "Resource": "*"}]}),
        )
        .unwrap_err();
        assert_eq!(e.field, "Effect");
        let e = parse(
            PolicyKind::Identity,
            json!({"Version": "2013-01-01", "Statement": []}),
        )
        .unwrap_err();
        assert_eq!(e.field, "Version");
        let e = parse(
            PolicyKind::Identity,
            json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "Principal": "*"}]}),
        )
        .unwrap_err();
        assert_eq!(e.field, "Principal");
        let e = parse(
            PolicyKind::Resource,
            json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}),
        )
        .unwrap_err();
        assert_eq!(e.field, "Principal");
    }

    #[test]
    fn principals_in_all_forms() {
        let p = parse(
            PolicyKind::Resource,
            json!({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
                "Principal": {"AWS": ["123456789012", "arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:user/a", "*"],
                              "Service": "ec2.amazonaws.com", "Federated": "cognito-identity.amazonaws.com",
                              "CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}}]}),
        )
        .unwrap();
        let entries = &p.statements[0].principals.as_ref().unwrap().entries;
        assert_eq!(entries[0], PrincipalEntry::Account("123456789012".into()));
        assert_eq!(entries[1], PrincipalEntry::Account("111122223333".into()));
        assert!(matches!(entries[2], PrincipalEntry::Arn(_)));
        assert_eq!(entries[3], PrincipalEntry::Everyone);
        assert_eq!(entries.len(), 7);
    }
}
