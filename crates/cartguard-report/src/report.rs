//! The report of a scan: one value every format renders, built once.

use cartguard_rules::{Coverage, Finding, Severity, Status};
use serde::Serialize;

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

    /// Failures at or above `threshold`.
    pub fn failed_at_or_above(&self, threshold: Severity) -> usize {
        self.failed
            .iter()
            .filter(|(s, _)| *s >= threshold)
            .map(|(_, n)| n)
            .sum()
    }
}

/// A scan's report: what was scanned, what could be assessed, the findings in
/// report order, and their tally. Every [`Renderer`](crate::Renderer) reads
/// this one value, so formats cannot disagree about what a scan found.
#[derive(Debug)]
pub struct Report {
    scan: ScanInfo,
    coverage: Vec<Coverage>,
    findings: Vec<Finding>,
    tally: Tally,
}

impl Report {
    /// The report of a scan; `findings` are kept in the order given.
    pub fn new(scan: ScanInfo, coverage: Vec<Coverage>, findings: Vec<Finding>) -> Report {
        let tally = Tally::of(&findings);
        Report {
            scan,
            coverage,
            findings,
            tally,
        }
    }

    /// What the report says about the scan itself.
    pub fn scan(&self) -> &ScanInfo {
        &self.scan
    }

    /// What could be assessed, per area and region.
    pub fn coverage(&self) -> &[Coverage] {
        &self.coverage
    }

    /// The findings, failures and not-assessed results alike.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// Failures per severity and not-assessed results.
    pub fn tally(&self) -> &Tally {
        &self.tally
    }

    /// Failures at or above the scan's `--fail-on` threshold (`None`: no threshold).
    pub fn failing(&self) -> Option<usize> {
        self.scan
            .fail_on
            .map(|threshold| self.tally.failed_at_or_above(threshold))
    }

    /// Whether the scan fails its gate: something at or above the threshold failed.
    pub fn fails_gate(&self) -> bool {
        self.failing().is_some_and(|n| n > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn finding(severity: Severity, status: Status) -> Finding {
        Finding {
            rule_id: "iam-admin-access",
            severity,
            status,
            resource: "arn:aws:iam::111122223333:role/r".into(),
            account: "111122223333".into(),
            region: "global".into(),
            title: "title",
            detail: "detail".into(),
            rationale: Arc::from("why"),
            evidence: serde_json::value::to_raw_value(&serde_json::json!({}))
                .expect("an empty object serializes"),
            remediation: "fix".into(),
            compliance: Arc::new(Default::default()),
            fingerprint: "0".into(),
        }
    }

    fn report(fail_on: Option<Severity>) -> Report {
        let scan = ScanInfo {
            started: "2026-01-01T00:00:00Z".into(),
            accounts: vec![],
            sources: vec![],
            fail_on,
            warnings: vec![],
        };
        let findings = vec![
            finding(Severity::Medium, Status::Fail),
            finding(Severity::Low, Status::Fail),
            finding(Severity::Critical, Status::NotAssessed),
        ];
        Report::new(scan, Vec::new(), findings)
    }

    #[test]
    fn the_gate_counts_failures_at_or_above_the_threshold_only() {
        assert_eq!(report(None).failing(), None);
        assert!(!report(None).fails_gate());
        // A not-assessed result never fails the gate, whatever its severity.
        assert_eq!(report(Some(Severity::High)).failing(), Some(0));
        assert!(!report(Some(Severity::High)).fails_gate());
        assert_eq!(report(Some(Severity::Medium)).failing(), Some(1));
        assert!(report(Some(Severity::Low)).fails_gate());
        let tally = report(None).tally().clone();
        assert_eq!((tally.total_failed(), tally.not_assessed), (2, 1));
    }
}
