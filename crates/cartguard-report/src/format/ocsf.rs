//! OCSF 1.5.0 Compliance Finding events (class 2003, category Findings), with
//! the `cloud` profile: a JSON array, one event per finding.
//!
//! Compliance Finding rather than Detection Finding (2004): a cartguard verdict
//! is the result of checking a resource's configuration against a control of
//! PCI DSS or the CIS AWS Foundations Benchmark, not the detection of an
//! activity; class 2003 requires the `compliance` object that carries the
//! control, the standards, the requirements and the check's status, and its
//! status "Warning" ("the check did not yield a result due to missing
//! information") is what cartguard calls not assessed. Security Hub reports its
//! own control checks in this class.
//!
//! Each event: `cloud` (provider, account, region), `resources` (the ARN or
//! the file, with Security Hub's resource type), `compliance` (the rule as the
//! control, each standard it cites and each requirement as `<standard>
//! <requirement>`, status Fail or Warning), `remediation`, `finding_info` (the
//! fingerprint as uid, the rule as the analytic), `status` New, and the
//! evidence under `unmapped`.

use std::io::{self, Write};

use cartguard_rules::{Finding, Severity, Status};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::value::RawValue;

use crate::exchange::{Place, cited, epoch_millis, resource_type};
use crate::{Renderer, Report};

/// The OCSF report.
#[derive(Debug, Clone, Copy, Default)]
pub struct OcsfRenderer;

/// The OCSF version the events follow.
const OCSF_VERSION: &str = "1.5.0";

/// Findings rendered side by side before being written in order.
const BATCH: usize = 2048;

impl Renderer for OcsfRenderer {
    fn render(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        let time = epoch_millis(&report.scan().now);
        let mut writer = io::BufWriter::with_capacity(1 << 16, out);
        writer.write_all(b"[")?;
        let mut first = true;
        for batch in report.findings().chunks(BATCH) {
            let rendered: Vec<io::Result<Vec<u8>>> = batch
                .par_iter()
                .map(|finding| {
                    serde_json::to_vec_pretty(&event(finding, time)).map_err(io::Error::from)
                })
                .collect();
            for item in rendered {
                writer.write_all(if first { b"\n" } else { b",\n" })?;
                first = false;
                writer.write_all(&item?)?;
            }
        }
        writer.write_all(if first { b"]\n" } else { b"\n]\n" })?;
        writer.flush()
    }
}

#[derive(Serialize)]
struct Event<'a> {
    activity_id: u8,
    activity_name: &'static str,
    category_uid: u8,
    category_name: &'static str,
    class_uid: u16,
    class_name: &'static str,
    type_uid: u32,
    type_name: &'static str,
    severity_id: u8,
    severity: &'static str,
    status_id: u8,
    status: &'static str,
    time: i64,
    message: &'a str,
    metadata: Metadata<'a>,
    finding_info: FindingInfo<'a>,
    cloud: Cloud<'a>,
    resources: [Resource<'a>; 1],
    compliance: Compliance<'a>,
    remediation: Remediation<'a>,
    unmapped: Unmapped<'a>,
}

#[derive(Serialize)]
struct Metadata<'a> {
    version: &'static str,
    product: Product,
    profiles: [&'static str; 1],
    event_code: &'a str,
    uid: &'a str,
}

#[derive(Serialize)]
struct Product {
    name: &'static str,
    vendor_name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct FindingInfo<'a> {
    uid: &'a str,
    title: &'a str,
    desc: &'a str,
    types: [&'static str; 1],
    analytic: Analytic<'a>,
}

#[derive(Serialize)]
struct Analytic<'a> {
    uid: &'a str,
    name: &'a str,
    type_id: u8,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct Cloud<'a> {
    provider: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    account: Option<Account<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<&'a str>,
}

#[derive(Serialize)]
struct Account<'a> {
    uid: &'a str,
    type_id: u8,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct Resource<'a> {
    uid: &'a str,
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cloud_partition: Option<&'static str>,
}

#[derive(Serialize)]
struct Compliance<'a> {
    control: &'a str,
    standards: Vec<String>,
    requirements: Vec<String>,
    status_id: u8,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    status_detail: Option<&'a str>,
}

#[derive(Serialize)]
struct Remediation<'a> {
    desc: &'a str,
}

#[derive(Serialize)]
struct Unmapped<'a> {
    rationale: &'a str,
    evidence: &'a RawValue,
}

/// OCSF's severity scale.
fn severity(severity: Severity) -> (u8, &'static str) {
    match severity {
        Severity::Info => (1, "Informational"),
        Severity::Low => (2, "Low"),
        Severity::Medium => (3, "Medium"),
        Severity::High => (4, "High"),
        Severity::Critical => (5, "Critical"),
    }
}

/// An AWS region as the `cloud` object names one: none for account-wide
/// resources and for server files.
fn region(finding: &Finding) -> Option<&str> {
    match finding.region.as_str() {
        "global" | "files" | "" => None,
        region => Some(region),
    }
}

fn event(finding: &Finding, time: i64) -> Event<'_> {
    let (severity_id, severity) = severity(finding.severity);
    let place = Place::of(&finding.resource);
    let (name, partition) = match place {
        Place::Cloud { arn, resource, .. } => (
            if resource.is_empty() { arn } else { resource },
            Some("aws"),
        ),
        Place::File { path, .. } => (path, None),
    };
    let mut standards = Vec::new();
    let mut requirements = Vec::new();
    for (standard, references) in cited(finding) {
        for reference in references {
            requirements.push(format!("{standard} {reference}"));
        }
        standards.push(standard);
    }
    let (status_id, status, status_detail) = match finding.status {
        Status::Fail => (3, "Fail", None),
        Status::NotAssessed => (2, "Warning", Some(finding.detail.as_str())),
    };
    Event {
        activity_id: 1,
        activity_name: "Create",
        category_uid: 2,
        category_name: "Findings",
        class_uid: 2003,
        class_name: "Compliance Finding",
        type_uid: 200_301,
        type_name: "Compliance Finding: Create",
        severity_id,
        severity,
        status_id: 1,
        status: "New",
        time,
        message: &finding.detail,
        metadata: Metadata {
            version: OCSF_VERSION,
            product: Product {
                name: "cartguard",
                vendor_name: "cartguard",
                version: env!("CARGO_PKG_VERSION"),
            },
            profiles: ["cloud"],
            event_code: finding.rule_id,
            uid: &finding.fingerprint,
        },
        finding_info: FindingInfo {
            uid: &finding.fingerprint,
            title: finding.title,
            desc: &finding.detail,
            types: ["Software and Configuration Checks"],
            analytic: Analytic {
                uid: finding.rule_id,
                name: finding.rule_id,
                type_id: 1,
                kind: "Rule",
            },
        },
        cloud: Cloud {
            provider: "AWS",
            // Server files scanned without an account's evidence belong to none.
            account: (!finding.account.is_empty()).then_some(Account {
                uid: &finding.account,
                type_id: 10,
                kind: "AWS Account",
            }),
            region: region(finding),
        },
        resources: [Resource {
            uid: &finding.resource,
            name,
            kind: resource_type(place),
            region: partition.and(region(finding)),
            cloud_partition: partition,
        }],
        compliance: Compliance {
            control: finding.rule_id,
            standards,
            requirements,
            status_id,
            status,
            status_detail,
        },
        remediation: Remediation {
            desc: &finding.remediation,
        },
        unmapped: Unmapped {
            rationale: &finding.rationale,
            evidence: &finding.evidence,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::tests::{finding, report};

    #[test]
    fn one_compliance_finding_per_finding_with_requirements_and_status() {
        let report = report(vec![
            finding("iam-root-no-mfa", Status::Fail),
            finding("iam-admin-access", Status::NotAssessed),
        ]);
        let mut out = Vec::new();
        OcsfRenderer.render(&report, &mut out).expect("renders");
        let events: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
        let events = events.as_array().expect("an array");
        assert_eq!(events.len(), 2);
        assert_eq!(events[0]["class_uid"], 2003);
        assert_eq!(events[0]["time"], 1_796_292_000_000_i64);
        assert_eq!(events[0]["compliance"]["status"], "Fail");
        let requirements = events[0]["compliance"]["requirements"]
            .as_array()
            .expect("requirements");
        assert!(
            requirements.contains(&serde_json::json!("PCI DSS v4.0.1 8.4.1")),
            "{requirements:?}"
        );
        assert_eq!(events[1]["compliance"]["status_id"], 2);
        assert_eq!(events[0]["resources"][0]["type"], "AwsIamUser");
        assert_eq!(events[0]["cloud"]["account"]["uid"], "111122223333");
        assert!(events[0]["cloud"].get("region").is_none());
    }

    #[test]
    fn no_findings_is_an_empty_array() {
        let mut out = Vec::new();
        OcsfRenderer
            .render(&report(vec![]), &mut out)
            .expect("renders");
        assert_eq!(out, b"[]\n");
    }
}
