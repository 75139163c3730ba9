//! Credentials found written in server files; never the value itself.

use serde::{Deserialize, Serialize};

/// A credential written in a file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretFound {
    /// The file.
    pub path: String,
    /// The line (1-based).
    pub line: u32,
    /// What kind of credential it is (`aws-access-key-id`, `stripe-live-key`, …).
    pub kind: String,
    /// The value redacted: a short prefix and a hash, never the value.
    pub redacted: String,
}
