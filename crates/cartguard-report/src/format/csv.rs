//! One row per finding with stable columns, for spreadsheets and ticket imports.
//!
//! Columns, in this order (a new column is only ever added at the end):
//! `rule_id, severity, status, account, region, resource, title, detail,
//! remediation`, one column per standard the catalogue cites (its references
//! joined with `; `), then `fingerprint`. Evidence is left out: it is structured
//! and can be long; the JSON report carries it.

use std::io;

use cartguard_rules::{Finding, Status, standards};

use crate::{Renderer, Report};

/// The CSV report.
#[derive(Debug, Clone, Copy, Default)]
pub struct CsvRenderer;

/// The fixed columns before the standards'.
const LEADING: [&str; 9] = [
    "rule_id",
    "severity",
    "status",
    "account",
    "region",
    "resource",
    "title",
    "detail",
    "remediation",
];

impl Renderer for CsvRenderer {
    fn render(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        let mut writer = csv::Writer::from_writer(out);
        let mut header: Vec<&str> = LEADING.to_vec();
        header.extend(standards().iter().map(|s| s.id.as_str()));
        header.push("fingerprint");
        writer.write_record(&header).map_err(io::Error::other)?;
        for finding in report.findings() {
            writer
                .write_record(row(finding))
                .map_err(io::Error::other)?;
        }
        writer.flush()
    }
}

fn row(finding: &Finding) -> Vec<String> {
    let status = match finding.status {
        Status::Fail => "fail",
        Status::NotAssessed => "not-assessed",
    };
    let mut row = vec![
        finding.rule_id.to_string(),
        finding.severity.name().to_string(),
        status.to_string(),
        finding.account.clone(),
        finding.region.clone(),
        finding.resource.clone(),
        finding.title.to_string(),
        finding.detail.clone(),
        finding.remediation.clone(),
    ];
    for standard in standards() {
        let references = finding
            .compliance
            .get(&standard.id)
            .map(|r| r.join("; "))
            .unwrap_or_default();
        row.push(references);
    }
    row.push(finding.fingerprint.clone());
    row
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::tests::{finding, report};

    #[test]
    fn one_row_per_finding_with_the_header_first_and_quoting_where_needed() {
        let mut tricky = finding("iam-root-no-mfa", Status::Fail);
        tricky.detail = "root has no MFA, \"really\"\nsecond line".into();
        let report = report(vec![
            tricky,
            finding("iam-admin-access", Status::NotAssessed),
        ]);
        let mut out = Vec::new();
        CsvRenderer.render(&report, &mut out).expect("renders");
        let mut reader = csv::Reader::from_reader(out.as_slice());
        let header: Vec<String> = reader
            .headers()
            .expect("a header")
            .iter()
            .map(str::to_string)
            .collect();
        assert_eq!(header[..3], ["rule_id", "severity", "status"]);
        assert_eq!(header.last().map(String::as_str), Some("fingerprint"));
        assert!(header.iter().any(|h| h == "pci-dss-4.0.1"));
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][7], "root has no MFA, \"really\"\nsecond line");
        assert_eq!(&rows[1][2], "not-assessed");
        let pci = header
            .iter()
            .position(|h| h == "pci-dss-4.0.1")
            .expect("pci");
        assert_eq!(&rows[0][pci], "8.4.1; 8.4.3");
    }
}
