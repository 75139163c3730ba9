//! The request context: condition keys that are known, stated absent, or unknown.
//!
//! An auditor rarely knows every key of a future request (the source IP, whether
//! MFA was used). Keys the context does not mention are *unknown* by default, so
//! a decision that hinges on them comes back `Conditional` instead of being
//! guessed; [`RequestContext::closed`] makes unmentioned keys absent instead.

use std::collections::HashMap;

/// What the context states about one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextValue {
    /// The key is present with these values (one for single-valued keys).
    Values(Vec<String>),
    /// The key is known to be absent from the request.
    Absent,
}

/// The result of looking a key up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup<'a> {
    /// Present with these values.
    Values(&'a [String]),
    /// Known to be absent.
    Absent,
    /// Not known.
    Unknown,
}

/// Something that can resolve condition keys and policy variables.
pub trait VariableSource {
    /// Looks up a key given in lower case.
    fn variable(&self, key_lower: &str) -> Lookup<'_>;
}

/// Condition keys of a request, keyed case-insensitively.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestContext {
    entries: HashMap<String, ContextValue>,
    closed: bool,
}

impl RequestContext {
    /// An open context: keys not stated are unknown.
    pub fn new() -> RequestContext {
        RequestContext::default()
    }

    /// A closed context: keys not stated are absent.
    pub fn closed() -> RequestContext {
        RequestContext {
            entries: HashMap::new(),
            closed: true,
        }
    }

    /// Whether unstated keys count as absent.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// States the values of `key`.
    pub fn set<I, S>(&mut self, key: &str, values: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let values = values.into_iter().map(Into::into).collect();
        self.entries
            .insert(key.to_ascii_lowercase(), ContextValue::Values(values));
        self
    }

    /// States that `key` is absent from the request.
    pub fn set_absent(&mut self, key: &str) -> &mut Self {
        self.entries
            .insert(key.to_ascii_lowercase(), ContextValue::Absent);
        self
    }

    /// Forgets what was stated about `key`.
    pub fn forget(&mut self, key: &str) -> &mut Self {
        self.entries.remove(&key.to_ascii_lowercase());
        self
    }

    /// Whether the context states something (values or absence) about `key`.
    pub fn states(&self, key: &str) -> bool {
        self.entries.contains_key(&key.to_ascii_lowercase())
    }

    /// Looks `key` up (any case).
    pub fn get(&self, key: &str) -> Lookup<'_> {
        self.lookup_lower(&key.to_ascii_lowercase())
    }

    pub(crate) fn lookup_lower(&self, key_lower: &str) -> Lookup<'_> {
        match self.entries.get(key_lower) {
            Some(ContextValue::Values(v)) => Lookup::Values(v),
            Some(ContextValue::Absent) => Lookup::Absent,
            None if self.closed => Lookup::Absent,
            None => Lookup::Unknown,
        }
    }

    pub(crate) fn stated_lower(&self, key_lower: &str) -> Option<Lookup<'_>> {
        match self.entries.get(key_lower)? {
            ContextValue::Values(v) => Some(Lookup::Values(v)),
            ContextValue::Absent => Some(Lookup::Absent),
        }
    }

    /// Reads a context from JSON: `{"key": "v" | ["a", "b"] | 12 | true | null}`,
    /// where `null` states the key absent.
    pub fn from_json(value: &serde_json::Value, closed: bool) -> Result<RequestContext, String> {
        let mut ctx = if closed {
            RequestContext::closed()
        } else {
            RequestContext::new()
        };
        let map = value
            .as_object()
            .ok_or_else(|| "the context must be a JSON object".to_string())?;
        for (key, v) in map {
            match v {
                serde_json::Value::Null => {
                    ctx.set_absent(key);
                }
                serde_json::Value::Array(items) => {
                    let values = items
                        .iter()
                        .map(|i| {
                            scalar_text(i)
                                .ok_or_else(|| format!("context key {key}: values must be scalars"))
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    ctx.set(key, values);
                }
                other => {
                    let text = scalar_text(other).ok_or_else(|| {
                        format!("context key {key}: value must be a scalar or an array")
                    })?;
                    ctx.set(key, [text]);
                }
            }
        }
        Ok(ctx)
    }
}

pub(crate) fn scalar_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl VariableSource for RequestContext {
    fn variable(&self, key_lower: &str) -> Lookup<'_> {
        self.lookup_lower(key_lower)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_case_insensitive_and_three_state() {
        let mut ctx = RequestContext::new();
        ctx.set("aws:SourceIp", ["10.0.0.1"])
            .set_absent("aws:MultiFactorAuthPresent");
        assert!(matches!(ctx.get("AWS:SOURCEIP"), Lookup::Values(v) if v == ["10.0.0.1"]));
        assert_eq!(ctx.get("aws:multifactorauthpresent"), Lookup::Absent);
        assert_eq!(ctx.get("aws:Referer"), Lookup::Unknown);
        assert_eq!(RequestContext::closed().get("aws:Referer"), Lookup::Absent);
    }

    #[test]
    fn reads_json() {
        let v = serde_json::json!({"a": "x", "b": ["1", 2], "c": null, "d": true});
        let ctx = RequestContext::from_json(&v, false).unwrap();
        assert!(matches!(ctx.get("b"), Lookup::Values(v) if v == ["1", "2"]));
        assert_eq!(ctx.get("c"), Lookup::Absent);
        assert!(RequestContext::from_json(&serde_json::json!([1]), false).is_err());
    }
}
