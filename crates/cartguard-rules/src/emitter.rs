//! How a rule reports: failures and what it could not decide.

use cartguard_inventory::{Collected, EvidenceKey, Operation};

use crate::finding::{Failure, Finding, RuleFacts, Status};

/// Collects the findings of one rule on one account.
pub struct Emitter {
    facts: RuleFacts,
    declared: &'static [&'static [Operation]],
    findings: Vec<Finding>,
}

impl Emitter {
    /// An emitter for the rule these facts describe, which declared it reads
    /// the evidence `declared`.
    pub(crate) fn new(facts: RuleFacts, declared: &'static [&'static [Operation]]) -> Self {
        Emitter {
            facts,
            declared,
            findings: Vec::new(),
        }
    }

    pub(crate) fn into_findings(self) -> Vec<Finding> {
        self.findings
    }

    /// Reports a failure.
    pub fn fail(&mut self, failure: Failure) {
        let finding = Finding::new(&self.facts, Status::Fail, failure);
        self.findings.push(finding);
    }

    /// Reports that the rule could not decide for `resource` in `region`, and why.
    pub fn not_assessed(&mut self, resource: &str, region: &str, reason: String) {
        let failure = Failure {
            resource: resource.to_string(),
            region: region.to_string(),
            detail: reason,
            remediation: "Collect the missing evidence (see docs/evidence.md) and scan again."
                .to_string(),
            ..Failure::default()
        };
        let finding = Finding::new(&self.facts, Status::NotAssessed, failure);
        self.findings.push(finding);
    }

    /// Reports that the rule could not decide, in the shape of a failure: for
    /// rules that report several findings on one resource, told apart by the
    /// failure's discriminator. The remediation is to collect the evidence.
    pub fn not_assessed_as(&mut self, failure: Failure) {
        let failure = Failure {
            remediation: "Collect the missing evidence (see docs/evidence.md) and scan again."
                .to_string(),
            ..failure
        };
        let finding = Finding::new(&self.facts, Status::NotAssessed, failure);
        self.findings.push(finding);
    }

    /// The evidence under `key`, or `None` after reporting why the rule cannot
    /// decide without it. AWS's "not configured" answer also yields `None`
    /// here: rules for which that answer is meaningful match on the
    /// [`Collected`] themselves.
    pub fn require<'c, T>(
        &mut self,
        collected: &'c Collected<T>,
        key: &EvidenceKey,
        resource: &str,
        region: &str,
    ) -> Option<&'c T> {
        // What a rule reads must be what it declares: coverage and the
        // collectors are derived from the declaration.
        debug_assert!(
            self.declared
                .iter()
                .any(|group| group.contains(&key.operation)),
            "{} reads {} without declaring it",
            self.facts.rule_id,
            key.operation
        );
        match collected {
            Collected::Present(value) => Some(value),
            Collected::NotConfigured { code } => {
                self.not_assessed(resource, region, format!("{key}: AWS answered {code}"));
                None
            }
            other => {
                let reason = other
                    .unavailable_reason(key)
                    .unwrap_or_else(|| format!("{key} is unavailable"));
                self.not_assessed(resource, region, reason);
                None
            }
        }
    }
}
