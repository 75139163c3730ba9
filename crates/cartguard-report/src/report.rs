//! The report of a scan: one value every format renders, built once.

use cartguard_rules::{Coverage, Finding, NotChecked, Severity, Status};
use serde::Serialize;

/// Where the scan's "now" came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum NowFrom {
    /// The clock when the scan ran: a later run of the same evidence may differ.
    #[serde(rename = "clock")]
    Clock,
    /// `--now`: the scan is reproducible.
    #[serde(rename = "--now")]
    Option,
}

/// What the report says about the scan itself.
#[derive(Debug, Clone, Serialize)]
pub struct ScanInfo {
    /// When the scan started (RFC 3339).
    pub started: String,
    /// "Today" for age-based rules (RFC 3339).
    pub now: String,
    /// Where `now` came from.
    pub now_from: NowFrom,
    /// The accounts scanned.
    pub accounts: Vec<String>,
    /// The sources read (`evidence:<dir>`, `snapshot:<file>`, …).
    pub sources: Vec<String>,
    /// The severity at or above which a failure fails the run.
    #[serde(skip)]
    pub fail_on: Option<Severity>,
    /// Whether a not-assessed result fails the run (`--fail-on-not-assessed`).
    #[serde(skip)]
    pub fail_on_not_assessed: bool,
    /// Warnings about the input (files not used, …).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// The areas of the catalogue not checked at all, and why (shown per area).
    #[serde(skip)]
    pub not_checked: Vec<NotChecked>,
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

/// What a scan could not assess, summed up for the top of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incomplete {
    /// Not-assessed results.
    pub findings: usize,
    /// Distinct rules with at least one not-assessed result.
    pub rules: usize,
    /// Each distinct reason with how many results gave it, most frequent
    /// first (ties in report order).
    pub reasons: Vec<(String, usize)>,
}

impl Incomplete {
    /// The summary of the not-assessed results among `findings`, if any.
    pub fn of(findings: &[Finding]) -> Option<Incomplete> {
        let mut rules: Vec<&str> = Vec::new();
        let mut reasons: Vec<(String, usize)> = Vec::new();
        let mut count = 0;
        for finding in findings.iter().filter(|f| f.status == Status::NotAssessed) {
            count += 1;
            if !rules.contains(&finding.rule_id) {
                rules.push(finding.rule_id);
            }
            match reasons.iter_mut().find(|(r, _)| *r == finding.detail) {
                Some((_, n)) => *n += 1,
                None => reasons.push((finding.detail.clone(), 1)),
            }
        }
        // Stable: equally frequent reasons stay in report order.
        reasons.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
        (count > 0).then_some(Incomplete {
            findings: count,
            rules: rules.len(),
            reasons,
        })
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
    incomplete: Option<Incomplete>,
}

impl Report {
    /// The report of a scan; `findings` are kept in the order given.
    pub fn new(scan: ScanInfo, coverage: Vec<Coverage>, findings: Vec<Finding>) -> Report {
        let tally = Tally::of(&findings);
        let incomplete = Incomplete::of(&findings);
        Report {
            scan,
            coverage,
            findings,
            tally,
            incomplete,
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

    /// What could not be assessed, if anything: such a scan is incomplete.
    pub fn incomplete(&self) -> Option<&Incomplete> {
        self.incomplete.as_ref()
    }

    /// Failures at or above the scan's `--fail-on` threshold (`None`: no threshold).
    pub fn failing(&self) -> Option<usize> {
        self.scan
            .fail_on
            .map(|threshold| self.tally.failed_at_or_above(threshold))
    }

    /// Whether the scan fails its gate: something at or above the threshold
    /// failed, or (with `--fail-on-not-assessed`) something was not assessed.
    pub fn fails_gate(&self) -> bool {
        self.failing().is_some_and(|n| n > 0) || self.fails_on_not_assessed()
    }

    /// Whether not-assessed results fail the gate in this scan.
    pub fn fails_on_not_assessed(&self) -> bool {
        self.scan.fail_on_not_assessed && self.tally.not_assessed > 0
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

    fn scan(fail_on: Option<Severity>, fail_on_not_assessed: bool) -> ScanInfo {
        ScanInfo {
            started: "2026-01-01T00:00:00Z".into(),
            now: "2026-01-01T00:00:00Z".into(),
            now_from: NowFrom::Clock,
            accounts: vec![],
            sources: vec![],
            fail_on,
            fail_on_not_assessed,
            warnings: vec![],
            not_checked: vec![],
        }
    }

    fn report(fail_on: Option<Severity>) -> Report {
        let scan = scan(fail_on, false);
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

    #[test]
    fn not_assessed_results_fail_the_gate_only_when_asked_to() {
        let one_unknown = vec![finding(Severity::Low, Status::NotAssessed)];
        let strict = Report::new(
            scan(Some(Severity::High), true),
            vec![],
            one_unknown.clone(),
        );
        assert!(strict.fails_gate());
        let strict_no_threshold = Report::new(scan(None, true), vec![], one_unknown.clone());
        assert!(strict_no_threshold.fails_gate());
        let lenient = Report::new(scan(Some(Severity::High), false), vec![], one_unknown);
        assert!(!lenient.fails_gate());
        let complete = Report::new(
            scan(Some(Severity::High), true),
            vec![],
            vec![finding(Severity::Low, Status::Fail)],
        );
        assert!(!complete.fails_gate());
        assert_eq!(complete.incomplete(), None);
    }

    #[test]
    fn incompleteness_counts_rules_and_ranks_distinct_reasons() {
        let mut findings = Vec::new();
        for (rule_id, detail) in [
            ("iam-root-no-mfa", "a was not collected"),
            ("iam-admin-access", "b was not collected"),
            ("iam-admin-access", "b was not collected"),
            ("iam-root-no-mfa", "c failed"),
            ("iam-root-no-mfa", "b was not collected"),
        ] {
            let mut f = finding(Severity::High, Status::NotAssessed);
            f.rule_id = rule_id;
            f.detail = detail.into();
            findings.push(f);
        }
        findings.push(finding(Severity::High, Status::Fail));
        let incomplete = Incomplete::of(&findings).expect("incomplete");
        assert_eq!(incomplete.findings, 5);
        assert_eq!(incomplete.rules, 2);
        assert_eq!(
            incomplete.reasons,
            [
                ("b was not collected".to_string(), 3),
                ("a was not collected".to_string(), 1),
                ("c failed".to_string(), 1),
            ]
        );
        assert_eq!(Incomplete::of(&findings[5..]), None);
    }
}
