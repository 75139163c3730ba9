//! Reads a saved `cartguard.findings/v1` document back into a [`Report`], so
//! any format can be rendered from it without scanning again.
//!
//! The document is what the JSON format writes; reading checks its shape and
//! its closed vocabularies (schema id, severities, statuses, areas) and says
//! where a value is wrong by its JSON path, line and column.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;

use cartguard_rules::{
    Area, Compliance, Coverage, CoverageStatus, Finding, NotChecked, Severity, Status, all_rules,
};
use serde::Deserialize;
use serde::de::{self, Deserializer};

use crate::format::json::FINDINGS_SCHEMA;
use crate::{NowFrom, Report, ScanInfo};

/// What is wrong with a findings document, and where.
#[derive(Debug)]
pub struct DocumentError {
    path: String,
    line: usize,
    column: usize,
    message: String,
}

impl DocumentError {
    /// The JSON path of the value at fault (`findings[3].severity`), or `.`
    /// for the document as a whole.
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl fmt::Display for DocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "at {} (line {}, column {}): {}",
            self.path, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for DocumentError {}

/// The gate a re-rendered report applies, as `scan` takes it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Gate {
    /// Failures at or above this severity fail the gate (`None`: never).
    pub fail_on: Option<Severity>,
    /// Whether a not-assessed result fails the gate.
    pub fail_on_not_assessed: bool,
}

/// Reads a `cartguard.findings/v1` document (as `--format json` writes it).
pub fn read_findings(text: &str, gate: Gate) -> Result<Report, DocumentError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let document: Document = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        DocumentError {
            path,
            line: inner.line(),
            column: inner.column(),
            message: plain(&inner),
        }
    })?;
    deserializer.end().map_err(|e| DocumentError {
        path: ".".into(),
        line: e.line(),
        column: e.column(),
        message: plain(&e),
    })?;
    Ok(document.into_report(gate))
}

/// serde_json's message without its own " at line L column C" suffix.
fn plain(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

#[derive(Deserialize)]
struct Document {
    #[serde(rename = "schema", deserialize_with = "schema_id")]
    _schema: (),
    scan: ScanDoc,
    coverage: Vec<CoverageDoc>,
    #[serde(default)]
    areas: Vec<AreaDoc>,
    findings: Vec<FindingDoc>,
}

#[derive(Deserialize)]
struct ScanDoc {
    started: String,
    now: String,
    #[serde(deserialize_with = "now_from")]
    now_from: NowFrom,
    accounts: Vec<String>,
    sources: Vec<String>,
    #[serde(default)]
    warnings: Vec<String>,
}

#[derive(Deserialize)]
struct CoverageDoc {
    account: String,
    area: String,
    region: String,
    #[serde(deserialize_with = "coverage_status")]
    status: CoverageStatus,
    #[serde(default)]
    reason: Option<String>,
}

#[derive(Deserialize)]
struct AreaDoc {
    #[serde(deserialize_with = "area")]
    area: Area,
    #[serde(default)]
    not_checked: Option<String>,
}

#[derive(Deserialize)]
struct FindingDoc {
    rule_id: String,
    #[serde(deserialize_with = "severity")]
    severity: Severity,
    #[serde(deserialize_with = "status")]
    status: Status,
    resource: String,
    account: String,
    region: String,
    title: String,
    detail: String,
    #[serde(default)]
    rationale: String,
    evidence: serde_json::Value,
    remediation: String,
    compliance: BTreeMap<String, Vec<String>>,
    fingerprint: String,
}

fn schema_id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(), D::Error> {
    let id = String::deserialize(deserializer)?;
    if id == FINDINGS_SCHEMA {
        Ok(())
    } else {
        Err(de::Error::custom(format!(
            "this is a {id:?} document; expected {FINDINGS_SCHEMA:?} (the output of `cartguard scan --format json`)"
        )))
    }
}

fn one_of<'de, D: Deserializer<'de>, T: Copy>(
    deserializer: D,
    what: &str,
    names: &[(&str, T)],
) -> Result<T, D::Error> {
    let text = String::deserialize(deserializer)?;
    names
        .iter()
        .find(|(name, _)| *name == text)
        .map(|(_, value)| *value)
        .ok_or_else(|| {
            let expected: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
            de::Error::custom(format!(
                "unknown {what} {text:?}; expected one of {}",
                expected.join(", ")
            ))
        })
}

fn severity<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Severity, D::Error> {
    let names = Severity::DESCENDING.map(|s| (s.name(), s));
    one_of(deserializer, "severity", &names)
}

fn status<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Status, D::Error> {
    one_of(
        deserializer,
        "status",
        &[
            ("fail", Status::Fail),
            ("not-assessed", Status::NotAssessed),
        ],
    )
}

fn now_from<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NowFrom, D::Error> {
    one_of(
        deserializer,
        "origin of now",
        &[("clock", NowFrom::Clock), ("--now", NowFrom::Option)],
    )
}

fn coverage_status<'de, D: Deserializer<'de>>(deserializer: D) -> Result<CoverageStatus, D::Error> {
    one_of(
        deserializer,
        "coverage status",
        &[
            ("assessed", CoverageStatus::Assessed),
            ("partial", CoverageStatus::Partial),
            ("not-assessed", CoverageStatus::NotAssessed),
        ],
    )
}

fn area<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Area, D::Error> {
    let names = Area::ALL.map(|a| (a.name(), a));
    one_of(deserializer, "area", &names)
}

/// Static strings for the rule ids and titles of a document: the catalogue's
/// own for the rules this build has, one leaked copy per distinct other
/// string (a report from another version), so findings keep their shape.
#[derive(Default)]
struct Interner {
    leaked: HashMap<String, &'static str>,
}

impl Interner {
    fn intern(&mut self, text: String, known: Option<&'static str>) -> &'static str {
        if let Some(known) = known.filter(|k| **k == text) {
            return known;
        }
        if let Some(found) = self.leaked.get(&text) {
            return found;
        }
        let leaked: &'static str = Box::leak(text.clone().into_boxed_str());
        self.leaked.insert(text, leaked);
        leaked
    }
}

impl Document {
    fn into_report(self, gate: Gate) -> Report {
        let not_checked = self
            .areas
            .iter()
            .filter_map(|a| {
                a.not_checked.as_ref().map(|reason| NotChecked {
                    area: a.area,
                    reason: reason.clone(),
                })
            })
            .collect();
        let scan = ScanInfo {
            started: self.scan.started,
            now: self.scan.now,
            now_from: self.scan.now_from,
            accounts: self.scan.accounts,
            sources: self.scan.sources,
            fail_on: gate.fail_on,
            fail_on_not_assessed: gate.fail_on_not_assessed,
            warnings: self.scan.warnings,
            not_checked,
        };
        let coverage = self
            .coverage
            .into_iter()
            .map(|c| Coverage {
                account: c.account,
                area: c.area,
                region: c.region,
                status: c.status,
                reason: c.reason,
            })
            .collect();
        let mut strings = Interner::default();
        // Findings of one rule share their references and rationale, as a scan's do.
        let mut shared: HashMap<(String, String), (Arc<Compliance>, Arc<str>)> = HashMap::new();
        let findings = self
            .findings
            .into_iter()
            .map(|f| {
                let rule = all_rules().iter().find(|r| r.id == f.rule_id);
                let (compliance, rationale) = shared
                    .entry((f.rule_id.clone(), f.rationale.clone()))
                    .or_insert_with(|| (Arc::new(f.compliance), Arc::from(f.rationale.as_str())))
                    .clone();
                let evidence = serde_json::value::to_raw_value(&f.evidence)
                    .unwrap_or_else(|_| empty_evidence());
                Finding {
                    rule_id: strings.intern(f.rule_id, rule.map(|r| r.id)),
                    severity: f.severity,
                    status: f.status,
                    resource: f.resource,
                    account: f.account,
                    region: f.region,
                    title: strings.intern(f.title, rule.map(|r| r.title)),
                    detail: f.detail,
                    rationale,
                    evidence,
                    remediation: f.remediation,
                    compliance,
                    fingerprint: f.fingerprint,
                }
            })
            .collect();
        Report::new(scan, coverage, findings)
    }
}

/// `{}`: serialising a parsed JSON value cannot fail, so this is never used.
fn empty_evidence() -> Box<serde_json::value::RawValue> {
    serde_json::value::RawValue::from_string("{}".to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::tests::{finding, report};
    use crate::{JsonRenderer, Renderer};

    fn json(report: &Report) -> String {
        let mut out = Vec::new();
        JsonRenderer.render(report, &mut out).expect("renders");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn a_written_document_reads_back_to_the_same_document() {
        let mut other = finding("iam-admin-access", Status::NotAssessed);
        other.rule_id = "a-rule-of-another-version";
        other.title = "a title of another version";
        let original = report(vec![finding("iam-root-no-mfa", Status::Fail), other]);
        let text = json(&original);
        let read = read_findings(&text, Gate::default()).expect("reads");
        assert_eq!(json(&read), text);
        assert_eq!(read.scan().not_checked.len(), 1);
        assert_eq!(read.findings()[0].rule_id, "iam-root-no-mfa");
    }

    #[test]
    fn errors_name_the_json_path() {
        let original = report(vec![finding("iam-root-no-mfa", Status::Fail)]);
        let text = json(&original).replace("\"severity\": \"high\"", "\"severity\": \"hgih\"");
        let error = read_findings(&text, Gate::default()).expect_err("a bad severity");
        assert_eq!(error.path(), "findings[0].severity");
        let message = error.to_string();
        assert!(message.contains("unknown severity \"hgih\""), "{message}");
        assert!(message.contains("line "), "{message}");

        let error = read_findings("{\"schema\": \"other/v2\"}", Gate::default())
            .expect_err("another schema");
        assert_eq!(error.path(), "schema");
        let missing = json(&original).replace("\"fingerprint\"", "\"fingerprunt\"");
        let error = read_findings(&missing, Gate::default()).expect_err("a missing field");
        assert!(error.to_string().contains("fingerprint"), "{error}");
        assert!(error.path().starts_with("findings[0]"), "{error}");
        let error = read_findings("[]", Gate::default()).expect_err("not an object");
        assert_eq!(error.path(), ".");
    }
}
