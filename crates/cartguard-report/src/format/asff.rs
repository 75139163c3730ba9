//! The AWS Security Finding Format (ASFF): a JSON array of findings in the
//! shape `BatchImportFindings` takes (`aws securityhub batch-import-findings
//! --findings file://…`, at most 100 per call).
//!
//! Each finding is imported into its own region; an account-wide one (IAM, S3,
//! CloudFront) and a server file's into us-east-1, where Security Hub reports
//! global resources. `ProductArn` is the account's own default product (the
//! one every account may import into), `GeneratorId` the rule id, `Id` the
//! stable fingerprint (so a later scan updates the finding instead of adding
//! one), `Compliance.Status` FAILED or, for a result that could not be
//! assessed, WARNING (Security Hub's "information is missing") with the
//! reason, and `Compliance.RelatedRequirements` every PCI DSS and CIS
//! reference as `<standard>/<requirement>`. AWS's stated limits are kept: a
//! title of at most 256 characters, a description of 1,024, a recommendation
//! of 512 and at most 32 related requirements. A finding without an account
//! (server files scanned without their account's evidence) cannot be
//! imported, so rendering such a report is an error that says so.

use std::collections::BTreeMap;
use std::io::{self, Write};

use cartguard_rules::{Finding, Severity, Status};
use serde::Serialize;

use crate::exchange::{Place, cited, clip, resource_type};
use crate::{Renderer, Report};

/// The ASFF report.
#[derive(Debug, Clone, Copy, Default)]
pub struct AsffRenderer;

/// Where account-wide findings and server files' are imported.
const HOME_REGION: &str = "us-east-1";

impl Renderer for AsffRenderer {
    fn render(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        // Security Hub files every finding under an account; server files
        // scanned without their account's evidence belong to none.
        if let Some(orphan) = report.findings().iter().find(|f| f.account.is_empty()) {
            return Err(io::Error::other(format!(
                "ASFF needs the AWS account each finding belongs to, and {} has none: {}",
                orphan.resource,
                if report.scan().accounts.len() > 1 {
                    "with several accounts, name the one the server files run in with --files-account"
                } else {
                    "scan the server files together with the evidence (--evidence or --snapshot) \
                     of the account they run in"
                }
            )));
        }
        let now = report.scan().now.as_str();
        let findings: Vec<AwsSecurityFinding> =
            report.findings().iter().map(|f| asff(f, now)).collect();
        let mut writer = io::BufWriter::with_capacity(1 << 16, out);
        serde_json::to_writer_pretty(&mut writer, &findings).map_err(io::Error::from)?;
        writer.write_all(b"\n")?;
        writer.flush()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct AwsSecurityFinding<'a> {
    schema_version: &'static str,
    id: String,
    product_arn: String,
    product_name: &'static str,
    company_name: &'static str,
    region: &'a str,
    generator_id: &'a str,
    aws_account_id: &'a str,
    types: Vec<&'static str>,
    created_at: &'a str,
    updated_at: &'a str,
    severity: SeverityField,
    title: std::borrow::Cow<'a, str>,
    description: std::borrow::Cow<'a, str>,
    remediation: RemediationField<'a>,
    product_fields: BTreeMap<&'static str, &'a str>,
    resources: [ResourceField<'a>; 1],
    compliance: ComplianceField<'a>,
    workflow: Workflow,
    record_state: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct SeverityField {
    label: &'static str,
    original: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct RemediationField<'a> {
    recommendation: Recommendation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Recommendation<'a> {
    text: std::borrow::Cow<'a, str>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ResourceField<'a> {
    #[serde(rename = "Type")]
    kind: &'static str,
    id: &'a str,
    partition: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ComplianceField<'a> {
    status: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_requirements: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    status_reasons: Vec<StatusReason<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct StatusReason<'a> {
    reason_code: &'static str,
    description: std::borrow::Cow<'a, str>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Workflow {
    status: &'static str,
}

fn label(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "CRITICAL",
        Severity::High => "HIGH",
        Severity::Medium => "MEDIUM",
        Severity::Low => "LOW",
        Severity::Info => "INFORMATIONAL",
    }
}

/// The region a finding is imported into.
fn home_region(finding: &Finding) -> &str {
    match finding.region.as_str() {
        "global" | "files" | "" => HOME_REGION,
        region => region,
    }
}

fn asff<'a>(finding: &'a Finding, now: &'a str) -> AwsSecurityFinding<'a> {
    let region = home_region(finding);
    let place = Place::of(&finding.resource);
    let mut types = vec!["Software and Configuration Checks/AWS Security Best Practices"];
    let mut related = Vec::new();
    for (standard, references) in cited(finding) {
        let kind = if standard.starts_with("PCI DSS") {
            "Software and Configuration Checks/Industry and Regulatory Standards/PCI-DSS"
        } else if standard.starts_with("CIS AWS") {
            "Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark"
        } else {
            "Software and Configuration Checks/Industry and Regulatory Standards"
        };
        if !types.contains(&kind) {
            types.push(kind);
        }
        for reference in references {
            related.push(format!("{standard}/{reference}"));
        }
    }
    related.truncate(32);
    let (status, reasons) = match finding.status {
        Status::Fail => ("FAILED", vec![]),
        Status::NotAssessed => (
            "WARNING",
            vec![StatusReason {
                reason_code: "NOT_ASSESSED",
                description: clip(&finding.detail, 2048),
            }],
        ),
    };
    let mut product_fields = BTreeMap::new();
    product_fields.insert("cartguard/RuleId", finding.rule_id);
    product_fields.insert("cartguard/Fingerprint", finding.fingerprint.as_str());
    product_fields.insert("cartguard/Severity", finding.severity.name());
    product_fields.insert(
        "cartguard/Status",
        match finding.status {
            Status::Fail => "fail",
            Status::NotAssessed => "not-assessed",
        },
    );
    AwsSecurityFinding {
        schema_version: "2018-10-08",
        id: format!("cartguard/{}", finding.fingerprint),
        product_arn: format!(
            "arn:aws:securityhub:{region}:{account}:product/{account}/default",
            account = finding.account
        ),
        product_name: "cartguard",
        company_name: "cartguard",
        region,
        generator_id: finding.rule_id,
        aws_account_id: &finding.account,
        types,
        created_at: now,
        updated_at: now,
        severity: SeverityField {
            label: label(finding.severity),
            original: finding.severity.name(),
        },
        title: clip(finding.title, 256),
        description: clip(&finding.detail, 1024),
        remediation: RemediationField {
            recommendation: Recommendation {
                text: clip(&finding.remediation, 512),
            },
        },
        product_fields,
        resources: [ResourceField {
            kind: resource_type(place),
            id: &finding.resource,
            partition: "aws",
            region: match place {
                Place::Cloud { .. } if finding.region != "global" => Some(region),
                _ => None,
            },
        }],
        compliance: ComplianceField {
            status,
            related_requirements: related,
            status_reasons: reasons,
        },
        workflow: Workflow { status: "NEW" },
        record_state: "ACTIVE",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::tests::{finding, report};

    #[test]
    fn findings_carry_the_rule_the_requirements_and_stated_limits() {
        let mut long = finding("iam-root-no-mfa", Status::Fail);
        long.detail = "x".repeat(5000);
        let mut regional = finding("iam-admin-access", Status::NotAssessed);
        regional.region = "eu-west-1".into();
        regional.resource = "arn:aws:ec2:eu-west-1:111122223333:instance/i-1".into();
        let mut out = Vec::new();
        AsffRenderer
            .render(&report(vec![long, regional]), &mut out)
            .expect("renders");
        let findings: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
        let first = &findings[0];
        assert_eq!(first["GeneratorId"], "iam-root-no-mfa");
        assert_eq!(
            first["ProductArn"],
            "arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default"
        );
        assert_eq!(first["Compliance"]["Status"], "FAILED");
        assert!(
            first["Compliance"]["RelatedRequirements"]
                .as_array()
                .expect("requirements")
                .contains(&serde_json::json!("PCI DSS v4.0.1/8.4.1"))
        );
        assert_eq!(
            first["Description"].as_str().expect("text").chars().count(),
            1024
        );
        assert_eq!(first["Severity"]["Label"], "HIGH");
        assert_eq!(first["Resources"][0]["Type"], "AwsIamUser");
        let second = &findings[1];
        assert_eq!(second["Region"], "eu-west-1");
        assert_eq!(second["Compliance"]["Status"], "WARNING");
        assert_eq!(second["Resources"][0]["Region"], "eu-west-1");
        assert_eq!(second["Workflow"]["Status"], "NEW");
        assert_eq!(second["RecordState"], "ACTIVE");
    }

    #[test]
    fn a_finding_without_an_account_cannot_be_imported() {
        let mut file = finding("secret-hardcoded", Status::Fail);
        file.account = String::new();
        file.resource = "app/.env:3".into();
        let error = AsffRenderer
            .render(&report(vec![file]), &mut Vec::new())
            .expect_err("no account");
        assert!(error.to_string().contains("app/.env:3"), "{error}");
    }
}
