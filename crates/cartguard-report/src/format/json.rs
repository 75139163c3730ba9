//! The `cartguard.findings/v1` JSON document (docs/findings.schema.json).

use std::io::{self, Write};

use cartguard_rules::{Coverage, Finding};
use rayon::prelude::*;
use serde::Serialize;

use crate::{AreaSummary, Renderer, Report, ScanInfo, areas};

/// The schema id of the findings document.
pub const FINDINGS_SCHEMA: &str = "cartguard.findings/v1";

/// Everything but the findings, which are written after it.
#[derive(Serialize)]
struct Head<'a> {
    schema: &'static str,
    tool: Tool,
    scan: Scan<'a>,
    coverage: &'a [Coverage],
    areas: Vec<AreaSummary>,
}

/// The scan object: what the scan was, and whether it is complete.
#[derive(Serialize)]
struct Scan<'a> {
    #[serde(flatten)]
    info: &'a ScanInfo,
    /// Whether every rule could decide on every resource.
    complete: bool,
    /// Not-assessed results, as in `findings`.
    not_assessed: usize,
    /// Distinct rules with a not-assessed result.
    not_assessed_rules: usize,
}

impl<'a> Scan<'a> {
    fn of(report: &'a Report) -> Scan<'a> {
        let incomplete = report.incomplete();
        Scan {
            info: report.scan(),
            complete: incomplete.is_none(),
            not_assessed: incomplete.map_or(0, |i| i.findings),
            not_assessed_rules: incomplete.map_or(0, |i| i.rules),
        }
    }
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

/// Findings rendered side by side before being written in order.
const BATCH: usize = 2048;

/// The findings document, pretty-printed (two-space indent), with a trailing
/// newline.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonRenderer;

impl Renderer for JsonRenderer {
    fn render(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        write_json(out, Scan::of(report), report.coverage(), report.findings())
    }
}

/// Findings are rendered in parallel batches and written as they are ready, so
/// a large account's report never has to fit in memory.
fn write_json(
    out: &mut dyn io::Write,
    scan: Scan<'_>,
    coverage: &[Coverage],
    findings: &[Finding],
) -> io::Result<()> {
    let areas = areas(findings, &scan.info.not_checked);
    let head = Head {
        schema: FINDINGS_SCHEMA,
        tool: Tool {
            name: "cartguard",
            version: env!("CARGO_PKG_VERSION"),
        },
        scan,
        coverage,
        areas,
    };
    let mut writer = io::BufWriter::with_capacity(1 << 16, out);
    let mut text = serde_json::to_vec_pretty(&head).map_err(io::Error::from)?;
    // The head ends with "\n}"; the findings continue the object.
    text.truncate(text.len().saturating_sub(2));
    writer.write_all(&text)?;
    if findings.is_empty() {
        writer.write_all(b",\n  \"findings\": []\n}\n")?;
        return writer.flush();
    }
    writer.write_all(b",\n  \"findings\": [")?;
    for (n, batch) in findings.chunks(BATCH).enumerate() {
        let rendered: Vec<io::Result<Vec<u8>>> = batch
            .par_iter()
            .enumerate()
            .map(|(i, finding)| element(finding, n == 0 && i == 0))
            .collect();
        for item in rendered {
            writer.write_all(&item?)?;
        }
    }
    writer.write_all(b"\n  ]\n}\n")?;
    writer.flush()
}

/// One finding as an element of the `findings` array: pretty-printed, then
/// indented two levels. Every newline of serde_json's output is structural
/// (newlines inside strings are escaped), so indenting after each is exact.
fn element(finding: &Finding, first: bool) -> io::Result<Vec<u8>> {
    let text = serde_json::to_vec_pretty(finding).map_err(io::Error::from)?;
    let mut out = Vec::with_capacity(text.len() + text.len() / 8 + 8);
    out.extend_from_slice(if first { b"\n    " } else { b",\n    " });
    let mut lines = text.split(|&byte| byte == b'\n');
    if let Some(line) = lines.next() {
        out.extend_from_slice(line);
    }
    for line in lines {
        out.extend_from_slice(b"\n    ");
        out.extend_from_slice(line);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartguard_rules::{CoverageStatus, Severity, Status};
    use serde_json::json;
    use std::sync::Arc;

    /// The whole document serialised in one piece, as the reference.
    #[derive(Serialize)]
    struct Whole<'a> {
        #[serde(flatten)]
        head: Head<'a>,
        findings: &'a [Finding],
    }

    fn finding(n: usize) -> Finding {
        let evidence = json!({"source": "test", "n": n, "nested": {"list": [1, "two\nlines"], "empty": {}}, "none": []});
        Finding {
            rule_id: "iam-admin-access",
            severity: Severity::High,
            status: Status::Fail,
            resource: format!("arn:aws:iam::111122223333:role/r{n}"),
            account: "111122223333".into(),
            region: "global".into(),
            title: "title",
            detail: "detail with \"quotes\" and a\nnewline".into(),
            rationale: Arc::from("why"),
            evidence: serde_json::value::to_raw_value(&evidence).unwrap(),
            remediation: "fix".into(),
            compliance: Arc::new(Default::default()),
            fingerprint: format!("{n:032x}"),
        }
    }

    fn both(findings: Vec<Finding>) -> (String, String) {
        let scan = ScanInfo {
            started: "2026-01-01T00:00:00Z".into(),
            now: "2026-01-01T00:00:00Z".into(),
            now_from: crate::NowFrom::Option,
            accounts: vec!["111122223333".into()],
            sources: vec!["evidence:x".into()],
            fail_on: None,
            fail_on_not_assessed: false,
            warnings: vec!["a warning".into()],
            not_checked: vec![],
        };
        let coverage = vec![Coverage {
            account: "111122223333".into(),
            area: "iam".into(),
            region: "global".into(),
            status: CoverageStatus::Partial,
            reason: Some("r".into()),
        }];
        let report = Report::new(scan, coverage, findings);
        let mut written = Vec::new();
        JsonRenderer.render(&report, &mut written).unwrap();
        let head = Head {
            schema: FINDINGS_SCHEMA,
            tool: Tool {
                name: "cartguard",
                version: env!("CARGO_PKG_VERSION"),
            },
            scan: Scan::of(&report),
            coverage: report.coverage(),
            areas: areas(report.findings(), &report.scan().not_checked),
        };
        let whole = Whole {
            head,
            findings: report.findings(),
        };
        let reference = serde_json::to_string_pretty(&whole).unwrap() + "\n";
        (String::from_utf8(written).unwrap(), reference)
    }

    #[test]
    fn batched_output_is_the_pretty_document_byte_for_byte() {
        for count in [0, 1, 2, BATCH, BATCH + 3] {
            let findings: Vec<Finding> = (0..count).map(finding).collect();
            let (written, reference) = both(findings);
            assert_eq!(written, reference, "{count} findings");
        }
    }
}
