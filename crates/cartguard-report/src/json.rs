//! The `cartguard.findings/v1` JSON document (docs/findings.schema.json).

use cartguard_rules::{Coverage, Finding};
use std::io::Write;

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

/// Writes the findings document, pretty-printed, with a trailing newline, as
/// it is serialised: a large account's report never has to fit in memory twice.
pub fn write_json(
    out: &mut dyn std::io::Write,
    scan: &ScanInfo,
    coverage: &[Coverage],
    findings: &[Finding],
) -> std::io::Result<()> {
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
    let mut writer = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut writer, &document).map_err(std::io::Error::from)?;
    writer.write_all(b"\n")?;
    writer.flush()
}
