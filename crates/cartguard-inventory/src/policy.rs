//! Policy documents as they arrive from AWS.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// An IAM policy document (identity, resource, trust, boundary or SCP).
///
/// The AWS CLI prints documents as JSON objects; the raw API returns them as
/// URL-encoded JSON strings, and some tools store them as plain JSON strings.
/// All three forms are accepted and kept as the document's JSON text (an
/// account holds thousands of documents: text takes a fraction of the memory
/// of a parsed tree). `cartguard-iam` gives it meaning.
#[derive(Debug, Clone)]
pub struct PolicyDocument(Box<RawValue>);

impl PolicyDocument {
    /// Parses a document from its string form, URL-encoded or not.
    pub fn from_text(text: &str) -> Result<Self, String> {
        let trimmed = text.trim_start();
        let decoded;
        let json = if trimmed.starts_with('{') {
            text
        } else {
            decoded = percent_encoding::percent_decode_str(text)
                .decode_utf8()
                .map_err(|e| format!("policy document is not valid URL-encoded UTF-8: {e}"))?;
            &decoded
        };
        let raw: Box<RawValue> = serde_json::from_str(json)
            .map_err(|e| format!("policy document is not valid JSON: {e}"))?;
        PolicyDocument::from_raw(raw)
    }

    /// A document from JSON text that must hold an object.
    fn from_raw(raw: Box<RawValue>) -> Result<Self, String> {
        if raw.get().trim_start().starts_with('{') {
            Ok(PolicyDocument(raw))
        } else {
            let value: serde_json::Value = serde_json::from_str(raw.get())
                .map_err(|e| format!("policy document is not valid JSON: {e}"))?;
            Err(format!(
                "expected a policy document (object or URL-encoded string), found {}",
                kind(&value)
            ))
        }
    }

    /// A document from parsed JSON.
    pub fn from_json(value: &serde_json::Value) -> Result<Self, String> {
        let raw = serde_json::value::to_raw_value(value).map_err(|e| e.to_string())?;
        PolicyDocument::from_raw(raw)
    }

    /// The document's JSON text.
    pub fn text(&self) -> &str {
        self.0.get()
    }

    /// The document parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        // The text was checked to be JSON when the document was read.
        serde_json::from_str(self.0.get()).unwrap_or(serde_json::Value::Null)
    }
}

impl PartialEq for PolicyDocument {
    fn eq(&self, other: &Self) -> bool {
        self.text() == other.text() || self.json() == other.json()
    }
}

impl Serialize for PolicyDocument {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for PolicyDocument {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(d)?;
        let text = raw.get().trim_start();
        if text.starts_with('"') {
            let inner: String =
                serde_json::from_str(raw.get()).map_err(serde::de::Error::custom)?;
            PolicyDocument::from_text(&inner).map_err(serde::de::Error::custom)
        } else {
            PolicyDocument::from_raw(raw).map_err(serde::de::Error::custom)
        }
    }
}

fn kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_object_plain_and_url_encoded_forms() {
        let object: PolicyDocument =
            serde_json::from_str(r#"{"Version":"2012-10-17","Statement":[]}"#).unwrap();
        let plain: PolicyDocument =
            serde_json::from_str(r#""{\"Version\":\"2012-10-17\",\"Statement\":[]}""#).unwrap();
        let encoded: PolicyDocument = serde_json::from_str(
            r#""%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D""#,
        )
        .unwrap();
        assert_eq!(object, plain);
        assert_eq!(object, encoded);
    }

    #[test]
    fn rejects_non_documents() {
        assert!(serde_json::from_str::<PolicyDocument>("42").is_err());
        assert!(serde_json::from_str::<PolicyDocument>(r#""%7Bnot json""#).is_err());
    }
}
