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
}

impl StatementQuote {
    /// The quote of the statement `reference` points to, given the statement
    /// as parsed (`None` when it is not at hand: the reference is quoted alone).
    pub fn new(reference: &StatementRef, statement: Option<&Statement>) -> StatementQuote {
        StatementQuote {
            policy: Arc::clone(&reference.policy),
            statement_index: reference.index,
            sid: reference.sid.clone(),
            statement: statement.map_or(Value::Null, Statement::source_json),
        }
    }
}

impl Principals {
    /// The statement `reference` points to, quoted from the account's policies.
    pub fn quote(&self, reference: &StatementRef) -> StatementQuote {
        StatementQuote::new(reference, self.statement(reference))
    }
}
