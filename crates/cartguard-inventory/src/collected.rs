//! Whether a piece of evidence was collected, and if not, why.

use serde::{Deserialize, Serialize};

use crate::key::{Availability, EvidenceKey};

/// A piece of evidence together with its collection state.
///
/// The distinction matters: `NotConfigured` is a verdict-bearing answer from AWS
/// ("there is no password policy"), while `NotCollected` and `Failed` mean the
/// rules that need this evidence cannot decide and must say so.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(tag = "status", content = "data", rename_all = "kebab-case")]
pub enum Collected<T> {
    /// The evidence was collected.
    Present(T),
    /// AWS answered that the thing is not configured (the error code says how).
    NotConfigured {
        /// The AWS error code, such as `NoSuchEntity`.
        code: String,
    },
    /// No evidence was provided for it.
    #[default]
    NotCollected,
    /// Collection failed: access denied, throttled, or not supported by the endpoint.
    Failed {
        /// The AWS error code, such as `AccessDenied`.
        code: String,
        /// The error message as returned.
        message: String,
    },
}

impl<T> Collected<T> {
    /// The collected value, if present.
    pub fn present(&self) -> Option<&T> {
        match self {
            Collected::Present(v) => Some(v),
            _ => None,
        }
    }

    /// Whether AWS answered that the thing is not configured.
    pub fn is_not_configured(&self) -> bool {
        matches!(self, Collected::NotConfigured { .. })
    }

    /// Whether the evidence can be used, without its content.
    pub fn availability(&self) -> Availability {
        match self {
            Collected::Present(_) => Availability::Present,
            Collected::NotConfigured { code } => Availability::NotConfigured { code: code.clone() },
            Collected::NotCollected => Availability::NotCollected,
            Collected::Failed { code, message } => Availability::Failed {
                code: code.clone(),
                message: message.clone(),
            },
        }
    }

    /// Why the evidence under `key` cannot be used to decide, phrased for a
    /// report, if it cannot ("iam:GetCredentialReport was not collected").
    pub fn unavailable_reason(&self, key: &EvidenceKey) -> Option<String> {
        self.availability().reason(key)
    }

    /// The collected value, or the reason there is none (retyped for any evidence).
    pub fn into_present<U>(self) -> Result<T, Collected<U>> {
        match self {
            Collected::Present(v) => Ok(v),
            Collected::NotConfigured { code } => Err(Collected::NotConfigured { code }),
            Collected::NotCollected => Err(Collected::NotCollected),
            Collected::Failed { code, message } => Err(Collected::Failed { code, message }),
        }
    }

    /// Maps the collected value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Collected<U> {
        match self.into_present() {
            Ok(v) => Collected::Present(f(v)),
            Err(absent) => absent,
        }
    }
}
