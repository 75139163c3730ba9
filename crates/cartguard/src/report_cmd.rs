//! `cartguard report`: render a saved findings document again, without scanning.

use std::process::ExitCode;

use anyhow::Context;
use cartguard_report::Gate;

use crate::cli::ReportArgs;

/// `cartguard report`: renders a saved findings document again.
pub fn report(args: &ReportArgs) -> anyhow::Result<ExitCode> {
    args.output.formats()?;
    let path = &args.findings;
    let (text, name) = if path.as_os_str() == "-" {
        let text = std::io::read_to_string(std::io::stdin()).context("reading standard input")?;
        (text, "standard input".to_string())
    } else {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        (text, path.display().to_string())
    };
    let gate = Gate {
        fail_on: args.fail_on.0,
        fail_on_not_assessed: args.fail_on_not_assessed,
    };
    let report = cartguard_report::read_findings(&text, gate).map_err(|e| {
        anyhow::anyhow!(
            "{name} is not a usable {} document: {e}",
            cartguard_report::FINDINGS_SCHEMA
        )
    })?;
    args.output.write(&report)?;
    Ok(if report.fails_gate() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
