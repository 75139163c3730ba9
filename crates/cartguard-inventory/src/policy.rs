//! Policy documents as they arrive from AWS.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An IAM policy document (identity, resource, trust, boundary or SCP).
///
/// The AWS CLI prints documents as JSON objects; the raw API returns them as
/// URL-encoded JSON strings, and some tools store them as plain JSON strings.
/// All three forms deserialize to the same parsed JSON value. The document is kept
/// as JSON here; `cartguard-iam` gives it meaning.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyDocument(pub serde_json::Value);

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
        serde_json::from_str(json)
            .map(PolicyDocument)
            .map_err(|e| format!("policy document is not valid JSON: {e}"))
    }

    /// The parsed JSON.
    pub fn json(&self) -> &serde_json::Value {
        &self.0
    }
}

impl Serialize for PolicyDocument {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for PolicyDocument {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(text) => {
                PolicyDocument::from_text(&text).map_err(serde::de::Error::custom)
            }
            value @ serde_json::Value::Object(_) => Ok(PolicyDocument(value)),
            other => Err(serde::de::Error::custom(format!(
                "expected a policy document (object or URL-encoded string), found {}",
                kind(&other)
            ))),
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
