//! Renders findings: the terminal report, the JSON document of the output
//! contract, and the rule catalogue. Renderers decide nothing.

mod catalogue;
pub mod iam;
mod json;
mod text;

use cartguard_rules::{Finding, Severity, Status};
use serde::Serialize;

pub use catalogue::{explain_rule, rules_json, rules_markdown, rules_reference, rules_table};
pub use json::{FINDINGS_SCHEMA, write_json};
pub use text::render_text;

/// What the report says about the scan itself.
#[derive(Debug, Clone, Serialize)]
pub struct ScanInfo {
    /// When the scan started (RFC 3339).
    pub started: String,
    /// The accounts scanned.
    pub accounts: Vec<String>,
    /// The sources read (`evidence:<dir>`, `snapshot:<file>`, …).
    pub sources: Vec<String>,
    /// The severity at or above which a failure fails the run.
    #[serde(skip)]
    pub fail_on: Option<Severity>,
    /// Warnings about the input (files not used, …).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Counts of failures per severity, and of not-assessed results.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Failures per severity, most severe first.
    pub failed: [(Severity, usize); 5],
    /// Not-assessed results.
    pub not_assessed: usize,
}

impl Tally {
    /// Counts the findings.
    pub fn of(findings: &[Finding]) -> Tally {
        let mut failed = Severity::DESCENDING.map(|s| (s, 0));
        let mut not_assessed = 0;
        for finding in findings {
            match finding.status {
                Status::NotAssessed => not_assessed += 1,
                Status::Fail => {
                    if let Some(slot) = failed.iter_mut().find(|(s, _)| *s == finding.severity) {
                        slot.1 += 1;
                    }
                }
            }
        }
        Tally {
            failed,
            not_assessed,
        }
    }

    /// Total failures.
    pub fn total_failed(&self) -> usize {
        self.failed.iter().map(|(_, n)| n).sum()
    }
}
