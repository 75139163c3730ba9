//! Markdown for a pull-request comment: the verdict, a summary table by
//! severity, the areas of the catalogue, and the most severe findings, kept
//! under the size a GitHub comment may have (65,536 characters) by leaving
//! out the least severe rows and saying how many were left out.

use std::fmt::Write as _;
use std::io;

use cartguard_rules::{Finding, Status};

use crate::{Renderer, Report, areas};

/// The Markdown report.
#[derive(Debug, Clone, Copy, Default)]
pub struct MarkdownRenderer;

/// A GitHub comment holds at most 65,536 characters; the rest is margin for
/// whatever a CI step puts around the report.
const LIMIT: usize = 60_000;

/// Findings listed at most, even when they would fit.
const TOP: usize = 50;

impl Renderer for MarkdownRenderer {
    fn render(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        out.write_all(markdown(report).as_bytes())
    }
}

fn markdown(report: &Report) -> String {
    let scan = report.scan();
    let tally = report.tally();
    let mut md = String::new();
    let _ = writeln!(md, "## cartguard: {}\n", verdict(report));
    let _ = writeln!(
        md,
        "Account {} · {} · as of {}\n",
        scan.accounts.join(", "),
        scan.sources.join(", "),
        scan.now
    );
    md.push_str("| severity | failed |\n|---|---:|\n");
    for (severity, count) in tally.failed {
        let _ = writeln!(md, "| {} | {count} |", severity.name());
    }
    let _ = writeln!(md, "| not assessed | {} |\n", tally.not_assessed);
    if let Some(incomplete) = report.incomplete() {
        let _ = writeln!(
            md,
            "> **Incomplete:** {} findings of {} rules could not be assessed; the absence of a failure there proves nothing.\n",
            incomplete.findings, incomplete.rules
        );
    }
    md.push_str("| area | rules | failed | passed | not assessed |\n|---|---:|---:|---:|---:|\n");
    for area in areas(report.findings(), &scan.not_checked) {
        if let Some(why) = &area.not_checked {
            let _ = writeln!(
                md,
                "| {} | {} | not checked: {} | | |",
                area.area.name(),
                area.rules,
                cell(why)
            );
        } else if area.rules == 0 {
            let _ = writeln!(md, "| {} | — | not checked | | |", area.area.name());
        } else {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} |",
                area.area.name(),
                area.rules,
                area.failing,
                area.passing,
                area.not_assessed
            );
        }
    }
    let failures: Vec<&Finding> = report
        .findings()
        .iter()
        .filter(|f| f.status == Status::Fail)
        .collect();
    if failures.is_empty() {
        return md;
    }
    md.push_str("\n### Findings, most severe first\n\n");
    md.push_str("| severity | rule | resource | what is wrong |\n|---|---|---|---|\n");
    let mut shown = 0;
    for finding in &failures {
        let row = format!(
            "| {} | `{}` | {} | {} |\n",
            finding.severity.name(),
            finding.rule_id,
            cell(&place(finding)),
            cell(&finding.detail)
        );
        if shown == TOP || md.len() + row.len() > LIMIT {
            break;
        }
        md.push_str(&row);
        shown += 1;
    }
    if shown < failures.len() {
        let _ = writeln!(
            md,
            "\n{} more findings are not shown here; the JSON report (`--format json`) has them all.",
            failures.len() - shown
        );
    }
    md
}

/// The verdict, in the words the text report ends with.
pub(crate) fn verdict(report: &Report) -> String {
    let scan = report.scan();
    let tally = report.tally();
    let incomplete = report
        .incomplete()
        .map(|i| format!("{} findings of {} rules not assessed", i.findings, i.rules));
    match (scan.fail_on, report.failing()) {
        (Some(threshold), Some(failing)) if failing > 0 => {
            format!(
                "FAIL: {failing} finding(s) at or above {}",
                threshold.name()
            )
        }
        _ if report.fails_on_not_assessed() => format!(
            "FAIL: {} (--fail-on-not-assessed)",
            incomplete.unwrap_or_default()
        ),
        (Some(threshold), _) => match incomplete {
            Some(what) => format!(
                "PASS: nothing at or above {} · INCOMPLETE: {what}",
                threshold.name()
            ),
            None => format!("PASS: nothing at or above {}", threshold.name()),
        },
        (None, _) => format!(
            "{} failure(s), {} not assessed",
            tally.total_failed(),
            tally.not_assessed
        ),
    }
}

fn place(finding: &Finding) -> String {
    if finding.region == "global" {
        format!("`{}`", finding.resource)
    } else {
        format!("`{}` ({})", finding.resource, finding.region)
    }
}

/// Text made safe for a table cell: no line breaks, no column separators, and
/// no markup that would turn into a link, a mention or HTML.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '@' => out.push_str("@\u{200b}"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::tests::{finding, report};

    #[test]
    fn the_comment_has_the_verdict_the_tables_and_the_findings() {
        let mut piped = finding("iam-root-no-mfa", Status::Fail);
        piped.detail = "a | b\nc <script> @team".into();
        let md = markdown(&report(vec![
            piped,
            finding("iam-admin-access", Status::NotAssessed),
        ]));
        assert!(
            md.starts_with("## cartguard: FAIL: 1 finding(s) at or above high\n"),
            "{md}"
        );
        assert!(md.contains("| high | 1 |"), "{md}");
        assert!(md.contains("| not assessed | 1 |"), "{md}");
        assert!(md.contains("**Incomplete:**"), "{md}");
        assert!(
            md.lines().any(|l| l.starts_with("| application | ")
                && l.ends_with(" | not checked: no --path was given | | |")),
            "{md}"
        );
        assert!(
            md.contains("a \\| b c &lt;script&gt; @\u{200b}team"),
            "{md}"
        );
    }

    #[test]
    fn a_large_report_stays_under_the_comment_limit_and_says_what_it_left_out() {
        let mut many = Vec::new();
        for n in 0..5000 {
            let mut f = finding("iam-root-no-mfa", Status::Fail);
            f.detail = format!("finding {n} {}", "x".repeat(400));
            many.push(f);
        }
        let md = markdown(&report(many));
        assert!(md.len() <= LIMIT + 200, "{}", md.len());
        assert!(md.contains("more findings are not shown here"), "{md}");
    }
}
