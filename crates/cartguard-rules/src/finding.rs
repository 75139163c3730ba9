//! Findings: what a rule reports, in the shape of the JSON output contract.

use std::sync::Arc;

use serde::{Serialize, Serializer};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use crate::compliance::Compliance;

/// How bad a failure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Inventory or a recommendation with no direct exposure.
    #[default]
    Info,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Exploitable now, or data loss or exposure likely.
    Critical,
}

impl Severity {
    /// All severities, most severe first.
    pub const DESCENDING: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    /// The lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }

    /// Parses a lowercase name.
    pub fn parse(text: &str) -> Option<Severity> {
        Severity::DESCENDING
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(text))
    }

    /// This severity `steps` levels lower. A failure is never lowered below
    /// `low`: `info` is kept for inventory, which is not a failure at all.
    pub const fn lowered(self, steps: u8) -> Severity {
        let level = match self {
            Severity::Info => return Severity::Info,
            Severity::Low => 1u8,
            Severity::Medium => 2,
            Severity::High => 3,
            Severity::Critical => 4,
        };
        match level.saturating_sub(steps) {
            0 | 1 => Severity::Low,
            2 => Severity::Medium,
            3 => Severity::High,
            _ => Severity::Critical,
        }
    }
}

/// How much of a failure the evidence proves today, which sets its severity
/// within its rule's range: the same context lowers every rule's severity by
/// the same number of levels, so that a severity means the same everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Proof {
    /// The evidence shows the weakness as it can be used today: the rule's
    /// severity.
    #[default]
    Proven,
    /// It holds only for a narrower audience (an internal load balancer, a
    /// private API, a pool that may not be the staff's) or under a condition
    /// the evidence cannot settle (a condition on MFA or the source address,
    /// a path through resources that were not collected): one level lower.
    Conditional,
    /// It is configured, but a control in force today stops it (a public
    /// access block, a security group or network ACL, a deactivated key) or
    /// nothing uses it yet: one change away from being real. Two levels lower.
    Blocked,
}

impl Proof {
    /// How many levels below the rule's severity a failure of this kind is.
    pub const fn steps(self) -> u8 {
        match self {
            Proof::Proven => 0,
            Proof::Conditional => 1,
            Proof::Blocked => 2,
        }
    }

    /// The severity of a failure of this kind, for a rule rated `severity`.
    pub const fn severity(self, severity: Severity) -> Severity {
        severity.lowered(self.steps())
    }
}

/// Whether the rule failed or could not decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The rule failed on this resource.
    Fail,
    /// The rule could not decide (evidence missing or access denied).
    NotAssessed,
}

/// What a rule says about one resource; the rule fills it, the emitter adds the rest.
#[derive(Debug, Clone, Default)]
pub struct Failure {
    /// The resource's ARN, or `path:line` for files.
    pub resource: String,
    /// Region, or `global`.
    pub region: String,
    /// What exactly is wrong with this resource.
    pub detail: String,
    /// The evidence the verdict was decided on.
    pub evidence: serde_json::Value,
    /// A concrete fix for this resource.
    pub remediation: String,
    /// Distinguishes several findings of one rule on one resource.
    pub discriminator: Option<String>,
    /// How much of the failure the evidence proves: lowers the rule's
    /// severity by [`Proof::steps`] levels.
    pub proof: Proof,
    /// Sets the severity outright, for a failure of another kind than the
    /// rule's main one (a key id without its secret, an entry that only
    /// repeats another); it must stay within the rule's declared range.
    pub severity: Option<Severity>,
}

impl Failure {
    /// A failure on an account-wide (`global`) resource.
    pub fn global(resource: impl Into<String>) -> Failure {
        Failure {
            resource: resource.into(),
            region: "global".into(),
            ..Failure::default()
        }
    }
}

/// What every finding of one rule on one account shares.
#[derive(Debug, Clone)]
pub(crate) struct RuleFacts {
    /// The rule's id.
    pub(crate) rule_id: &'static str,
    /// The rule's title.
    pub(crate) title: &'static str,
    /// The rule's default severity.
    pub(crate) severity: Severity,
    /// The account under audit.
    pub(crate) account: String,
    /// Why the rule matters, from its documentation.
    pub(crate) rationale: Arc<str>,
    /// The rule's compliance references.
    pub(crate) compliance: Arc<Compliance>,
}

/// One finding, as written to the JSON report.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// The rule's id.
    pub rule_id: &'static str,
    /// Severity.
    pub severity: Severity,
    /// `fail` or `not-assessed`.
    pub status: Status,
    /// The resource's ARN, or `path:line`.
    pub resource: String,
    /// The account id.
    pub account: String,
    /// Region, or `global`.
    pub region: String,
    /// The rule's title.
    pub title: &'static str,
    /// What exactly is wrong.
    pub detail: String,
    /// Why it matters (the rule's documentation, "Why it matters"), shared by
    /// the rule's findings.
    pub rationale: Arc<str>,
    /// The evidence decided on, as compact JSON text: a large account has tens
    /// of thousands of findings, and text takes a fraction of the memory of a
    /// parsed tree. The report prints it indented like the rest.
    #[serde(serialize_with = "indented")]
    pub evidence: Box<RawValue>,
    /// A concrete fix.
    pub remediation: String,
    /// Compliance references, shared by the rule's findings.
    pub compliance: Arc<Compliance>,
    /// Stable hash of rule id, account, region, resource and discriminator.
    pub fingerprint: String,
}

impl Finding {
    pub(crate) fn new(facts: &RuleFacts, status: Status, failure: Failure) -> Self {
        let mut hasher = Sha256::new();
        for part in [
            facts.rule_id,
            &facts.account,
            &failure.region,
            &failure.resource,
            failure.discriminator.as_deref().unwrap_or(""),
        ] {
            hasher.update(part.as_bytes());
            hasher.update([0]);
        }
        let fingerprint = hex::encode(&hasher.finalize()[..16]);
        let evidence = if failure.evidence.is_null() {
            serde_json::Value::Object(Default::default())
        } else {
            failure.evidence
        };
        // Serialising a JSON value cannot fail; the fallback is never taken.
        let evidence = serde_json::value::to_raw_value(&evidence)
            .or_else(|_| RawValue::from_string("{}".to_string()))
            .unwrap_or_default();
        Finding {
            rule_id: facts.rule_id,
            severity: failure
                .severity
                .unwrap_or_else(|| failure.proof.severity(facts.severity)),
            status,
            resource: failure.resource,
            account: facts.account.clone(),
            region: failure.region,
            title: facts.title,
            detail: failure.detail,
            rationale: Arc::clone(&facts.rationale),
            evidence,
            remediation: failure.remediation,
            compliance: Arc::clone(&facts.compliance),
            fingerprint,
        }
    }
}

impl Finding {
    /// The evidence as parsed JSON.
    pub fn evidence_json(&self) -> serde_json::Value {
        // The text was produced from a JSON value.
        serde_json::from_str(self.evidence.get()).unwrap_or(serde_json::Value::Null)
    }
}

/// Serialises compact evidence text through the report's own serializer, so a
/// pretty-printed report indents it like everything else.
fn indented<S: Serializer>(evidence: &RawValue, serializer: S) -> Result<S::Ok, S::Error> {
    let mut text = serde_json::Deserializer::from_str(evidence.get());
    serde_transcode::transcode(&mut text, serializer)
}
