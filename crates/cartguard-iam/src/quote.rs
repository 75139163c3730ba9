//! Statements quoted as evidence: where a statement is, and what it says.

use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

use crate::policy::{Statement, StatementRef};
use crate::principals::Principals;

/// A statement as an answer or a finding quotes it: its policy, position and
/// Sid, and its text as written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatementQuote {
    /// The policy's name (see [`crate::Policy::name`]).
    pub policy: Arc<str>,
    /// Zero-based index of the statement in the policy.
    pub statement_index: usize,
    /// The statement's Sid, if any.
    pub sid: Option<Arc<str>>,
    /// The statement as written; `null` when it is not at hand.
    pub statement: Value,
    /// The statement's elements the answer turned on (`Action`, `Resource`,
    /// `Principal`, `Condition`, …), for a reader to find them at once.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub deciding: Vec<&'static str>,
}

/// The elements that grant: what may be done, and on what.
pub const GRANTING: &[&str] = &["Action", "NotAction", "Resource", "NotResource"];
/// The elements that admit a caller: who, and under which condition.
pub const ADMITTING: &[&str] = &["Principal", "NotPrincipal", "Condition"];

impl StatementQuote {
    /// The quote of the statement `reference` points to, given the statement
    /// as parsed (`None` when it is not at hand: the reference is quoted alone).
    pub fn new(reference: &StatementRef, statement: Option<&Statement>) -> StatementQuote {
        StatementQuote {
            policy: Arc::clone(&reference.policy),
            statement_index: reference.index,
            sid: reference.sid.clone(),
            statement: statement.map_or(Value::Null, Statement::source_json),
            deciding: Vec::new(),
        }
    }

    /// The same quote, marking those of `elements` the statement holds.
    pub fn deciding(mut self, elements: &[&'static str]) -> StatementQuote {
        self.deciding = elements
            .iter()
            .copied()
            .filter(|e| self.statement.get(*e).is_some())
            .collect();
        self
    }
}

impl Principals {
    /// The statement `reference` points to, quoted from the account's policies.
    pub fn quote(&self, reference: &StatementRef) -> StatementQuote {
        StatementQuote::new(reference, self.statement(reference))
    }
}
