//! The `cartguard.findings/v1` JSON document (docs/findings.schema.json).

use cartguard_rules::{Coverage, Finding};
use serde::Serialize;

use crate::ScanInfo;

/// The schema id of the findings document.
pub const FINDINGS_SCHEMA: &str = "cartguard.findings/v1";

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    tool: Tool,
    scan: &'a ScanInfo,
    coverage: &'a [Coverage],
    findings: &'a [Finding],
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

/// The findings document, pretty-printed, with a trailing newline.
pub fn render_json(scan: &ScanInfo, coverage: &[Coverage], findings: &[Finding]) -> String {
    let document = Document {
        schema: FINDINGS_SCHEMA,
        tool: Tool {
            name: "cartguard",
            version: env!("CARGO_PKG_VERSION"),
        },
        scan,
        coverage,
        findings,
    };
    // Serializing plain data with string keys cannot fail.
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}
