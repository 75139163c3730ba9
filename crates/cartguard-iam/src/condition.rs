//! `Condition` blocks: operators, set qualifiers and AWS's missing-key rules.
//!
//! Semantics implemented (IAM User Guide, "IAM JSON policy elements: Condition
//! operators" and "Single-valued vs. multivalued context keys"):
//! - Several operators in a block, and several keys under one operator, must all
//!   hold (AND); several values for one key match if any matches (OR).
//! - Condition key names are case-insensitive; values follow the operator.
//! - When the key is absent from the request the condition is false, except that
//!   negated operators (`StringNotEquals`, `StringNotLike`, `NumericNotEquals`,
//!   `DateNotEquals`, `NotIpAddress`, `ArnNotEquals`, `ArnNotLike`, also
//!   `StringNotEqualsIgnoreCase`) are true, `…IfExists` is true, and `Null` tests
//!   presence itself.
//! - A negated operator is true when the value matches none of the policy values.
//! - `ForAllValues:` holds when every request value matches some policy value,
//!   and also when the key is absent or empty; `ForAnyValue:` holds when at least
//!   one request value matches, and is false when the key is absent.
//! - A key whose value the auditor does not know makes the condition unknown.
//! - An operator this engine does not know, or a condition it cannot read (a
//!   value that is not a number for a numeric operator, a block that is not an
//!   object), is kept as an *unreadable* condition whose outcome is unknown: the
//!   statement's decision becomes `Conditional`, naming the problem, instead of
//!   the whole policy being dropped. The IAM User Guide ("IAM JSON policy
//!   elements: Condition operators") lists the operators AWS defines; a document
//!   that names another reaches an audit only where IAM did not validate it (a
//!   policy under review, a service's own resource policy), and what AWS would
//!   decide for it is not documented, so no decision is certain.

use std::net::IpAddr;

use crate::Tri;
use crate::context::{Lookup, VariableSource};
use crate::matching::{Pattern, Syntax};

/// Set qualifier of a condition operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetQualifier {
    /// `ForAllValues:`.
    ForAllValues,
    /// `ForAnyValue:`.
    ForAnyValue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Test {
    StrEq,
    StrEqIgnoreCase,
    StrLike,
    Num(Cmp),
    Date(Cmp),
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
    /// An operator or value this engine cannot read: always unknown.
    Unreadable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
enum Operand {
    Text(Pattern),
    Number(f64),
    Date(i64),
    Bool(bool),
    Cidr(Cidr),
    Binary(String),
    Null(bool),
}

/// One key under one operator, with its values.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The operator as written (`ForAnyValue:StringLikeIfExists`).
    pub operator: String,
    /// The condition key as written.
    pub key: String,
    /// The values as written.
    pub values: Vec<String>,
    key_lower: String,
    test: Test,
    negated: bool,
    qualifier: Option<SetQualifier>,
    if_exists: bool,
    operands: Vec<Operand>,
    problem: Option<String>,
}

impl Condition {
    /// Parses a whole `Condition` element (`{operator: {key: value(s)}}`).
    /// What cannot be read becomes an unreadable condition ([`Condition::problem`])
    /// whose outcome is unknown, one per operator and key where they can be told
    /// apart, so the rest of the statement still counts.
    pub(crate) fn parse_block(value: &serde_json::Value, variables: bool) -> Vec<Condition> {
        let Some(block) = value.as_object() else {
            return vec![Condition::unreadable(
                "",
                "",
                Vec::new(),
                format!(
                    "the Condition element is {} instead of an object of operators",
                    json_kind(value)
                ),
            )];
        };
        let mut out = Vec::new();
        for (operator, keys) in block {
            let Some(keys) = keys.as_object() else {
                out.push(Condition::unreadable(
                    operator,
                    "",
                    Vec::new(),
                    format!(
                        "the operator {operator} holds {} instead of an object of condition keys",
                        json_kind(keys)
                    ),
                ));
                continue;
            };
            let parsed = parse_operator(operator);
            for (key, raw) in keys {
                let values = scalar_list(raw);
                let shown = values.clone().unwrap_or_default();
                let problem = match (&parsed, &values) {
                    (None, _) => Some(format!(
                        "{operator} is not a condition operator AWS defines"
                    )),
                    _ if key.trim().is_empty() => Some("the condition key is empty".to_string()),
                    (_, None) => Some(format!(
                        "the values of {key} are not strings, numbers or booleans"
                    )),
                    (_, Some(v)) if v.is_empty() => Some(format!("{key} is given no value")),
                    _ => None,
                };
                if let Some(problem) = problem {
                    out.push(Condition::unreadable(operator, key, shown, problem));
                    continue;
                }
                let (Some((test, negated, qualifier, if_exists)), Some(values)) = (parsed, values)
                else {
                    continue;
                };
                let operands = values
                    .iter()
                    .map(|v| compile_operand(test, v, variables))
                    .collect::<Result<Vec<_>, _>>();
                match operands {
                    Ok(operands) => out.push(Condition {
                        operator: operator.clone(),
                        key: key.clone(),
                        values,
                        key_lower: key.to_ascii_lowercase(),
                        test,
                        negated,
                        qualifier,
                        if_exists,
                        operands,
                        problem: None,
                    }),
                    Err(message) => out.push(Condition::unreadable(
                        operator,
                        key,
                        values,
                        format!("{operator} on {key}: {message}"),
                    )),
                }
            }
        }
        out
    }

    /// A condition that cannot be read, whose outcome is always unknown.
    fn unreadable(operator: &str, key: &str, values: Vec<String>, problem: String) -> Condition {
        Condition {
            operator: operator.to_string(),
            key: key.to_string(),
            values,
            key_lower: key.to_ascii_lowercase(),
            test: Test::Unreadable,
            negated: false,
            qualifier: None,
            if_exists: false,
            operands: Vec::new(),
            problem: Some(problem),
        }
    }

    /// Why the condition cannot be read (an unknown operator, a value the
    /// operator cannot take), in which case it is always unknown; `None` for a
    /// condition that can be decided.
    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// The condition key in lower case.
    pub fn key_lower(&self) -> &str {
        &self.key_lower
    }

    /// The set qualifier, if any.
    pub fn qualifier(&self) -> Option<SetQualifier> {
        self.qualifier
    }

    /// Whether the operator ends in `IfExists`.
    pub fn if_exists(&self) -> bool {
        self.if_exists
    }

    /// Whether the operator is a negated one (`StringNotEquals`, `NotIpAddress`, …).
    pub fn is_negated(&self) -> bool {
        self.negated
    }

    /// Decides the condition against a request.
    pub fn evaluate(&self, vars: &dyn VariableSource) -> Tri {
        if self.test == Test::Unreadable {
            return Tri::Unknown;
        }
        let lookup = vars.variable(&self.key_lower);
        if self.test == Test::Null {
            let present = match lookup {
                Lookup::Unknown => return Tri::Unknown,
                Lookup::Values(v) => !v.is_empty(),
                Lookup::Absent => false,
            };
            // "Null": "true" asks that the key be absent.
            return Tri::from_bool(
                self.operands
                    .iter()
                    .any(|o| matches!(o, Operand::Null(want_absent) if *want_absent != present)),
            );
        }
        let values = match lookup {
            Lookup::Unknown => return Tri::Unknown,
            Lookup::Values(v) if !v.is_empty() => v,
            _ => {
                return Tri::from_bool(if self.if_exists {
                    true
                } else {
                    match self.qualifier {
                        Some(SetQualifier::ForAllValues) => true,
                        Some(SetQualifier::ForAnyValue) => false,
                        None => self.negated,
                    }
                });
            }
        };
        let one = |v: &String| -> Tri {
            let mut acc = Tri::False;
            for operand in &self.operands {
                acc = acc.or(self.test_pair(v, operand, vars));
                if acc == Tri::True {
                    break;
                }
            }
            acc
        };
        match self.qualifier {
            None => {
                let any = values.iter().fold(Tri::False, |acc, v| acc.or(one(v)));
                if self.negated { any.not() } else { any }
            }
            Some(SetQualifier::ForAnyValue) => values.iter().fold(Tri::False, |acc, v| {
                let m = one(v);
                acc.or(if self.negated { m.not() } else { m })
            }),
            Some(SetQualifier::ForAllValues) => values.iter().fold(Tri::True, |acc, v| {
                let m = one(v);
                acc.and(if self.negated { m.not() } else { m })
            }),
        }
    }

    fn test_pair(&self, value: &str, operand: &Operand, vars: &dyn VariableSource) -> Tri {
        match (self.test, operand) {
            (Test::StrEq | Test::StrLike, Operand::Text(p)) => p.matches(value, vars),
            (Test::StrEqIgnoreCase, Operand::Text(p)) => {
                p.matches(&value.to_ascii_lowercase(), vars)
            }
            (Test::Arn, Operand::Text(p)) => p.matches_arn(value, vars),
            (Test::Num(cmp), Operand::Number(n)) => match parse_number(value) {
                Some(v) => Tri::from_bool(compare(cmp, v.partial_cmp(n))),
                None => Tri::False,
            },
            (Test::Date(cmp), Operand::Date(d)) => match parse_date(value) {
                Some(v) => Tri::from_bool(compare(cmp, Some(v.cmp(d)))),
                None => Tri::False,
            },
            (Test::Bool, Operand::Bool(b)) => Tri::from_bool(parse_bool(value) == Some(*b)),
            (Test::Binary, Operand::Binary(b)) => Tri::from_bool(value == b),
            (Test::Ip, Operand::Cidr(c)) => match value.trim().parse::<IpAddr>() {
                Ok(ip) => Tri::from_bool(c.contains(ip)),
                Err(_) => Tri::from_bool(parse_cidr(value).is_some_and(|inner| c.covers(&inner))),
            },
            _ => Tri::False,
        }
    }
}

fn compare(cmp: Cmp, ord: Option<std::cmp::Ordering>) -> bool {
    use std::cmp::Ordering::*;
    match (cmp, ord) {
        (_, None) => false,
        (Cmp::Eq, Some(o)) => o == Equal,
        (Cmp::Lt, Some(o)) => o == Less,
        (Cmp::Le, Some(o)) => o != Greater,
        (Cmp::Gt, Some(o)) => o == Greater,
        (Cmp::Ge, Some(o)) => o != Less,
    }
}

fn parse_operator(text: &str) -> Option<(Test, bool, Option<SetQualifier>, bool)> {
    let (qualifier, rest) = match text.split_once(':') {
        Some((q, rest)) => match q.to_ascii_lowercase().as_str() {
            "forallvalues" => (Some(SetQualifier::ForAllValues), rest),
            "foranyvalue" => (Some(SetQualifier::ForAnyValue), rest),
            _ => return None,
        },
        None => (None, text),
    };
    let lower = rest.to_ascii_lowercase();
    let (base, if_exists) = match lower.strip_suffix("ifexists") {
        Some(b) => (b, true),
        None => (lower.as_str(), false),
    };
    let (test, negated) = match base {
        "stringequals" => (Test::StrEq, false),
        "stringnotequals" => (Test::StrEq, true),
        "stringequalsignorecase" => (Test::StrEqIgnoreCase, false),
        "stringnotequalsignorecase" => (Test::StrEqIgnoreCase, true),
        "stringlike" => (Test::StrLike, false),
        "stringnotlike" => (Test::StrLike, true),
        "numericequals" => (Test::Num(Cmp::Eq), false),
        "numericnotequals" => (Test::Num(Cmp::Eq), true),
        "numericlessthan" => (Test::Num(Cmp::Lt), false),
        "numericlessthanequals" => (Test::Num(Cmp::Le), false),
        "numericgreaterthan" => (Test::Num(Cmp::Gt), false),
        "numericgreaterthanequals" => (Test::Num(Cmp::Ge), false),
        "dateequals" => (Test::Date(Cmp::Eq), false),
        "datenotequals" => (Test::Date(Cmp::Eq), true),
        "datelessthan" => (Test::Date(Cmp::Lt), false),
        "datelessthanequals" => (Test::Date(Cmp::Le), false),
        "dategreaterthan" => (Test::Date(Cmp::Gt), false),
        "dategreaterthanequals" => (Test::Date(Cmp::Ge), false),
        "bool" => (Test::Bool, false),
        "binaryequals" => (Test::Binary, false),
        "ipaddress" => (Test::Ip, false),
        "notipaddress" => (Test::Ip, true),
        "arnequals" | "arnlike" => (Test::Arn, false),
        "arnnotequals" | "arnnotlike" => (Test::Arn, true),
        "null" if !if_exists && qualifier.is_none() => (Test::Null, false),
        _ => return None,
    };
    Some((test, negated, qualifier, if_exists))
}

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

fn scalar_list(v: &serde_json::Value) -> Option<Vec<String>> {
    match v {
        serde_json::Value::Array(items) => items.iter().map(crate::context::scalar_text).collect(),
        other => crate::context::scalar_text(other).map(|s| vec![s]),
    }
}

fn compile_operand(test: Test, value: &str, variables: bool) -> Result<Operand, String> {
    let text = |wildcards: bool, case_insensitive: bool| {
        Operand::Text(Pattern::new(
            value,
            Syntax {
                wildcards,
                variables,
                case_insensitive,
            },
        ))
    };
    Ok(match test {
        Test::StrEq => text(false, false),
        Test::StrEqIgnoreCase => text(false, true),
        Test::StrLike | Test::Arn => text(true, false),
        Test::Num(_) => Operand::Number(
            parse_number(value).ok_or_else(|| format!("{value:?} is not a number"))?,
        ),
        Test::Date(_) => {
            Operand::Date(parse_date(value).ok_or_else(|| format!("{value:?} is not a date"))?)
        }
        Test::Bool => Operand::Bool(
            parse_bool(value).ok_or_else(|| format!("{value:?} is not true or false"))?,
        ),
        Test::Binary => Operand::Binary(value.to_string()),
        Test::Ip => Operand::Cidr(
            parse_cidr(value)
                .ok_or_else(|| format!("{value:?} is not an IP address or CIDR block"))?,
        ),
        Test::Null => Operand::Null(
            parse_bool(value).ok_or_else(|| format!("{value:?} is not true or false"))?,
        ),
        Test::Unreadable => return Err("the operator cannot be read".to_string()),
    })
}

fn parse_number(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// Milliseconds since the epoch, from ISO 8601 forms or epoch seconds.
pub(crate) fn parse_date(s: &str) -> Option<i64> {
    use chrono::{DateTime, NaiveDate, NaiveDateTime};
    let s = s.trim();
    if let Ok(secs) = s.parse::<i64>() {
        return secs.checked_mul(1000);
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.timestamp_millis());
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.fZ",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%MZ",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(dt.and_utc().timestamp_millis());
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|dt| dt.and_utc().timestamp_millis())
}

/// An IPv4 or IPv6 network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cidr {
    addr: u128,
    prefix: u8,
    v6: bool,
}

impl Cidr {
    fn bits(&self) -> u8 {
        if self.v6 { 128 } else { 32 }
    }

    fn mask(&self, prefix: u8) -> u128 {
        let bits = self.bits();
        if prefix == 0 {
            return 0;
        }
        let all: u128 = if bits == 128 {
            u128::MAX
        } else {
            (1u128 << bits) - 1
        };
        let host = bits - prefix;
        if host >= 128 {
            0
        } else {
            all & !((1u128 << host) - 1)
        }
    }

    fn contains(&self, ip: IpAddr) -> bool {
        let (addr, v6) = ip_bits(ip);
        v6 == self.v6 && (addr & self.mask(self.prefix)) == (self.addr & self.mask(self.prefix))
    }

    fn covers(&self, inner: &Cidr) -> bool {
        inner.v6 == self.v6
            && inner.prefix >= self.prefix
            && (inner.addr & self.mask(self.prefix)) == (self.addr & self.mask(self.prefix))
    }
}

fn ip_bits(ip: IpAddr) -> (u128, bool) {
    match ip {
        IpAddr::V4(v4) => (u128::from(u32::from(v4)), false),
        IpAddr::V6(v6) => (u128::from(v6), true),
    }
}

pub(crate) fn parse_cidr(s: &str) -> Option<Cidr> {
    let s = s.trim();
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p.parse::<u8>().ok()?)),
        None => (s, None),
    };
    let ip: IpAddr = addr.parse().ok()?;
    let (bits, v6) = ip_bits(ip);
    let max = if v6 { 128 } else { 32 };
    let prefix = prefix.unwrap_or(max);
    (prefix <= max).then_some(Cidr {
        addr: bits,
        prefix,
        v6,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::RequestContext;
    use serde_json::json;

    fn cond(v: serde_json::Value) -> Vec<Condition> {
        Condition::parse_block(&v, true)
    }

    fn all(conds: &[Condition], ctx: &RequestContext) -> Tri {
        conds.iter().fold(Tri::True, |a, c| a.and(c.evaluate(ctx)))
    }

    #[test]
    fn missing_key_rules() {
        let ctx = RequestContext::closed();
        assert_eq!(
            all(&cond(json!({"StringEquals": {"k": "a"}})), &ctx),
            Tri::False
        );
        assert_eq!(
            all(&cond(json!({"StringNotEquals": {"k": "a"}})), &ctx),
            Tri::True
        );
        assert_eq!(
            all(&cond(json!({"StringEqualsIfExists": {"k": "a"}})), &ctx),
            Tri::True
        );
        assert_eq!(
            all(
                &cond(json!({"ForAllValues:StringEquals": {"k": "a"}})),
                &ctx
            ),
            Tri::True
        );
        assert_eq!(
            all(&cond(json!({"ForAnyValue:StringEquals": {"k": "a"}})), &ctx),
            Tri::False
        );
        assert_eq!(all(&cond(json!({"Null": {"k": "true"}})), &ctx), Tri::True);
        assert_eq!(all(&cond(json!({"Null": {"k": false}})), &ctx), Tri::False);
        let open = RequestContext::new();
        assert_eq!(
            all(&cond(json!({"StringNotEquals": {"k": "a"}})), &open),
            Tri::Unknown
        );
    }

    #[test]
    fn ip_and_dates_and_numbers() {
        let mut ctx = RequestContext::new();
        ctx.set("aws:SourceIp", ["203.0.113.7"]);
        ctx.set("aws:CurrentTime", ["2024-06-01T12:00:00Z"]);
        ctx.set("s3:max-keys", ["10"]);
        assert_eq!(
            all(
                &cond(json!({"IpAddress": {"aws:sourceip": "203.0.113.0/24"}})),
                &ctx
            ),
            Tri::True
        );
        assert_eq!(
            all(
                &cond(json!({"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}})),
                &ctx
            ),
            Tri::True
        );
        assert_eq!(
            all(
                &cond(json!({"DateLessThan": {"aws:CurrentTime": "2025-01-01"}})),
                &ctx
            ),
            Tri::True
        );
        assert_eq!(
            all(
                &cond(json!({"DateGreaterThan": {"aws:CurrentTime": "1735689600"}})),
                &ctx
            ),
            Tri::False
        );
        assert_eq!(
            all(
                &cond(json!({"NumericLessThanEquals": {"s3:max-keys": 10}})),
                &ctx
            ),
            Tri::True
        );
        assert_eq!(
            all(
                &cond(json!({"NumericGreaterThan": {"s3:max-keys": "10"}})),
                &ctx
            ),
            Tri::False
        );
    }

    /// The IAM User Guide (IAM JSON policy elements: Condition operators) lists
    /// the operators AWS defines and the values each takes; a condition outside
    /// that list cannot be decided, so it is unknown, naming the problem, and
    /// the statement's other elements still count.
    #[test]
    fn unreadable_conditions_are_unknown_and_say_why() {
        let ctx = RequestContext::closed();
        for (block, why) in [
            (
                json!({"StringEqualz": {"k": "a"}}),
                "not a condition operator",
            ),
            (json!({"NumericLessThan": {"k": "abc"}}), "is not a number"),
            (
                json!({"IpAddress": {"k": "10.0.0.0/33"}}),
                "not an IP address",
            ),
            (
                json!({"Sometimes:StringEquals": {"k": "a"}}),
                "not a condition operator",
            ),
            (json!({"StringEquals": {"k": []}}), "given no value"),
            (
                json!({"StringEquals": "k"}),
                "instead of an object of condition keys",
            ),
            (json!(["StringEquals"]), "instead of an object of operators"),
        ] {
            let conditions = cond(block.clone());
            assert_eq!(conditions.len(), 1, "{block}");
            let problem = conditions[0].problem().unwrap_or_default();
            assert!(problem.contains(why), "{block}: {problem}");
            assert_eq!(conditions[0].evaluate(&ctx), Tri::Unknown, "{block}");
        }
        // A readable key beside an unreadable one keeps its own outcome.
        let mixed = cond(json!({"StringEquals": {"k": "a"}, "NumericEquals": {"n": "x"}}));
        assert_eq!(mixed.iter().filter(|c| c.problem().is_none()).count(), 1);
        assert_eq!(all(&mixed, &ctx), Tri::False);
    }
}
