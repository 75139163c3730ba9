//! The terminal report, for a person: a summary first (counts by severity and
//! area, what was not assessed, the PCI DSS requirements with failures), then
//! one line per finding grouped by severity and rule, cut to the terminal's
//! width. With `--detail` each finding is shown in full: the resource, the
//! evidence in an auditor's words, why it matters and the fix.

use std::fmt::Write;
use std::io;

use anstyle::{AnsiColor, Style};
use cartguard_rules::{Coverage, CoverageStatus, Finding, NotChecked, Severity, Status};
use serde_json::Value;

use crate::{Incomplete, NowFrom, RenderOptions, Renderer, Report, Tally};

/// How many evidence lines a finding shows before pointing at the JSON output.
const EVIDENCE_LINES: usize = 30;

/// How many distinct reasons the summary of an incomplete scan names; the rest
/// are counted, and listed under NOT ASSESSED.
const REASONS_SHOWN: usize = 5;

struct Paint {
    color: bool,
}

impl Paint {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    fn severity(&self, severity: Severity, text: &str) -> String {
        let style = match severity {
            Severity::Critical => Style::new()
                .bold()
                .fg_color(Some(AnsiColor::BrightRed.into())),
            Severity::High => Style::new().bold().fg_color(Some(AnsiColor::Red.into())),
            Severity::Medium => Style::new().bold().fg_color(Some(AnsiColor::Yellow.into())),
            Severity::Low => Style::new().bold().fg_color(Some(AnsiColor::Cyan.into())),
            Severity::Info => Style::new().bold().fg_color(Some(AnsiColor::Blue.into())),
        };
        self.paint(style, text)
    }

    fn dim(&self, text: &str) -> String {
        self.paint(Style::new().dimmed(), text)
    }

    fn bold(&self, text: &str) -> String {
        self.paint(Style::new().bold(), text)
    }
}

/// The terminal report.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextRenderer {
    options: RenderOptions,
}

impl TextRenderer {
    /// The detailed renderer; `color` adds ANSI styles (only for a terminal).
    pub fn new(color: bool) -> TextRenderer {
        TextRenderer::with_options(RenderOptions {
            color,
            detail: true,
            ..RenderOptions::default()
        })
    }

    /// The renderer for `options` (colour, detail, passed rules, width).
    pub fn with_options(options: RenderOptions) -> TextRenderer {
        TextRenderer { options }
    }
}

impl Renderer for TextRenderer {
    fn render(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        out.write_all(render(report, &self.options).as_bytes())?;
        out.flush()
    }

    fn styled(&self) -> bool {
        true
    }
}

/// The detailed report without colour (the tests' view).
#[cfg(test)]
fn render_text(report: &Report, color: bool) -> String {
    render(
        report,
        &RenderOptions {
            color,
            detail: true,
            ..RenderOptions::default()
        },
    )
}

/// The whole report as one string: it is small next to the JSON document, and
/// formatting into a string cannot fail half-way through a write.
fn render(report: &Report, options: &RenderOptions) -> String {
    let p = Paint {
        color: options.color,
    };
    let mut out = String::new();
    let scan = report.scan();
    let findings = report.findings();
    let tally = report.tally();
    let _ = writeln!(
        out,
        "{} {} · account {} · {}",
        p.bold("cartguard"),
        env!("CARGO_PKG_VERSION"),
        accounts_of(scan),
        scan.sources.join(", ")
    );
    let _ = match scan.now_from {
        NowFrom::Option => writeln!(
            out,
            "{}",
            p.dim(&format!("ages computed as of {} (--now)", scan.now))
        ),
        NowFrom::Clock => writeln!(
            out,
            "{}",
            p.dim(&format!(
                "ages computed as of {} (today; fix it with --now to reproduce this report)",
                scan.now
            ))
        ),
    };
    for warning in &scan.warnings {
        let _ = writeln!(
            out,
            "{} {warning}",
            p.paint(
                Style::new().fg_color(Some(AnsiColor::Yellow.into())),
                "warning:"
            )
        );
    }
    let passed = passed_count(report);
    summary(&mut out, &p, tally, passed);
    if let Some(incomplete) = report.incomplete() {
        incomplete_lines(&mut out, &p, incomplete);
    }
    coverage_lines(&mut out, &p, report.coverage());
    area_lines(&mut out, &p, findings, &scan.not_checked);

    if options.detail {
        detailed(&mut out, &p, report);
    } else {
        compact(&mut out, &p, report, options.width);
    }
    if options.show_passed {
        passed_rules(&mut out, &p, report);
    }
    out.push('\n');
    summary(&mut out, &p, tally, passed);
    if let Some(verdict) = verdict(&p, report) {
        let _ = writeln!(out, "{verdict}");
    }
    out
}

/// Every failure in full, grouped by severity; what was not assessed; the
/// PCI DSS requirements as a table.
fn detailed(out: &mut String, p: &Paint, report: &Report) {
    let scan = report.scan();
    let findings = report.findings();
    for (severity, group) in by_severity(findings) {
        let _ = writeln!(
            out,
            "\n{}",
            p.severity(
                severity,
                &format!("{} ({})", severity.name().to_uppercase(), group.len())
            )
        );
        for finding in group {
            failure(out, p, finding, EVIDENCE_LINES);
        }
    }

    let unknown = not_assessed_section(out, p, findings);
    if !unknown.is_empty() {
        for finding in unknown {
            let _ = writeln!(
                out,
                "  ? {} {}",
                p.bold(finding.rule_id),
                p.dim(&format!("{} [{}]", finding.resource, finding.region))
            );
            let _ = writeln!(out, "      {}", finding.detail);
        }
    }
    let pci = crate::requirements(crate::PCI_DSS, findings, &scan.not_checked);
    if !pci.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            p.bold("PCI DSS v4.0.1 BY REQUIREMENT (rules citing each requirement)")
        );
        out.push_str(&crate::requirements_table(&pci));
        not_checked_note(out, p, &scan.not_checked);
    }
}

/// "rules of the areas not checked (…) are left out", under a requirement view.
fn not_checked_note(out: &mut String, p: &Paint, not_checked: &[NotChecked]) {
    if !not_checked.is_empty() {
        let names: Vec<&str> = not_checked.iter().map(|n| n.area.name()).collect();
        let _ = writeln!(
            out,
            "{}",
            p.dim(&format!(
                "rules of the areas not checked ({}) are left out",
                names.join(", ")
            ))
        );
    }
}

/// One line per finding, grouped by severity and then by rule (in report
/// order), each cut to `width`; the requirements with failures; where to
/// find the rest.
fn compact(out: &mut String, p: &Paint, report: &Report, width: Option<usize>) {
    let scan = report.scan();
    let findings = report.findings();
    let pci = crate::requirements(crate::PCI_DSS, findings, &scan.not_checked);
    if !pci.is_empty() {
        let failing: Vec<&str> = pci
            .iter()
            .filter(|r| !r.failing.is_empty())
            .map(|r| r.id.as_str())
            .collect();
        let unknown: Vec<&str> = pci
            .iter()
            .filter(|r| r.failing.is_empty() && !r.not_assessed.is_empty())
            .map(|r| r.id.as_str())
            .collect();
        let passing = pci.len() - failing.len() - unknown.len();
        let _ = writeln!(
            out,
            "{} {} requirements cited · {} with failures · {} not assessed · {passing} passing",
            p.dim("PCI DSS v4.0.1:"),
            pci.len(),
            failing.len(),
            unknown.len(),
        );
        for (label, ids) in [("with failures", &failing), ("not assessed", &unknown)] {
            if !ids.is_empty() {
                let line = format!("  {label}: {}", ids.join(", "));
                let _ = writeln!(out, "{}", p.dim(&wrap(&line, width, "    ")));
            }
        }
    }
    for (severity, group) in by_severity(findings) {
        let _ = writeln!(
            out,
            "\n{}",
            p.severity(
                severity,
                &format!("{} ({})", severity.name().to_uppercase(), group.len())
            )
        );
        for (rule, of_rule) in by_rule(&group) {
            let count = if of_rule.len() > 1 {
                format!(" ({})", of_rule.len())
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "  {} · {}{}",
                p.bold(rule),
                of_rule[0].title,
                p.dim(&count)
            );
            // An info result is an inventory entry, not a failure.
            let mark = if severity == Severity::Info {
                "i"
            } else {
                "✗"
            };
            for finding in of_rule {
                let line = cut(
                    &format!("{} — {}", located(finding), finding.detail),
                    width,
                    15,
                );
                let _ = writeln!(
                    out,
                    "    {} {} {line}",
                    p.severity(severity, mark),
                    p.dim(short_fingerprint(finding))
                );
            }
        }
    }
    let unknown = not_assessed_section(out, p, findings);
    if !unknown.is_empty() {
        for (rule, of_rule) in by_rule(&unknown) {
            let _ = writeln!(out, "  {}", p.bold(rule));
            for finding in of_rule {
                let line = cut(
                    &format!("{} — {}", located(finding), finding.detail),
                    width,
                    15,
                );
                let _ = writeln!(out, "    ? {} {line}", p.dim(short_fingerprint(finding)));
            }
        }
    }
    let _ = writeln!(
        out,
        "\n{}",
        p.dim("One finding in full (evidence, why it matters, fix): --show FINGERPRINT (the 8 characters after its mark); all of them: --detail; a page to hand over: --format html")
    );
}

/// The start of a finding's fingerprint that the one-line view shows and
/// `--show` accepts.
fn short_fingerprint(finding: &Finding) -> &str {
    finding.fingerprint.get(..8).unwrap_or(&finding.fingerprint)
}

/// One finding in full, as `--detail` shows it: for a failure the resource,
/// detail, evidence, why it matters and the fix; for a result that could not
/// be assessed, the resource and why.
pub fn finding_text(finding: &Finding, color: bool) -> String {
    let p = Paint { color };
    let mut out = String::new();
    match finding.status {
        Status::Fail => failure(&mut out, &p, finding, usize::MAX),
        Status::NotAssessed => {
            let _ = writeln!(
                out,
                "  ? {} · {}\n    {}\n      {}",
                p.bold(finding.rule_id),
                finding.title,
                located(finding),
                finding.detail
            );
        }
    }
    let _ = writeln!(out, "    {} {}", p.dim("fingerprint"), finding.fingerprint);
    out
}

/// The failures of each severity that has some, most severe first.
fn by_severity(findings: &[Finding]) -> Vec<(Severity, Vec<&Finding>)> {
    Severity::DESCENDING
        .into_iter()
        .map(|severity| {
            let group: Vec<&Finding> = findings
                .iter()
                .filter(|f| f.status == Status::Fail && f.severity == severity)
                .collect();
            (severity, group)
        })
        .filter(|(_, group)| !group.is_empty())
        .collect()
}

/// The findings of each rule, rules in order of their first finding.
fn by_rule<'a>(findings: &[&'a Finding]) -> Vec<(&'static str, Vec<&'a Finding>)> {
    let mut groups: Vec<(&'static str, Vec<&'a Finding>)> = Vec::new();
    for finding in findings {
        match groups.iter_mut().find(|(rule, _)| *rule == finding.rule_id) {
            Some((_, group)) => group.push(finding),
            None => groups.push((finding.rule_id, vec![finding])),
        }
    }
    groups
}

/// The resource, with its region unless it is global.
fn located(finding: &Finding) -> String {
    if finding.region == "global" {
        finding.resource.clone()
    } else {
        format!("{} [{}]", finding.resource, finding.region)
    }
}

/// `text` cut to fit `width` after `indent` columns, ending in `…` when cut.
fn cut(text: &str, width: Option<usize>, indent: usize) -> String {
    let Some(room) = width.map(|w| w.saturating_sub(indent).max(20)) else {
        return text.to_string();
    };
    if text.chars().count() <= room {
        return text.to_string();
    }
    let mut kept: String = text.chars().take(room - 1).collect();
    kept.push('…');
    kept
}

/// `text` wrapped at commas to `width`, continued lines starting with `indent`.
fn wrap(text: &str, width: Option<usize>, indent: &str) -> String {
    let Some(width) = width else {
        return text.to_string();
    };
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_inclusive(' ') {
        if !line.is_empty() && line.chars().count() + word.chars().count() > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = indent.to_string();
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out
}

/// The rules that ran and found nothing, with their titles, by area.
fn passed_rules(out: &mut String, p: &Paint, report: &Report) {
    let scan = report.scan();
    let findings = report.findings();
    let passed: Vec<&&cartguard_rules::Rule> = cartguard_rules::all_rules()
        .iter()
        .filter(|rule| !scan.not_checked.iter().any(|n| n.area == rule.area))
        .filter(|rule| !findings.iter().any(|f| f.rule_id == rule.id))
        .collect();
    let _ = writeln!(
        out,
        "\n{}",
        p.bold(&format!("PASSED ({} rules)", passed.len()))
    );
    for rule in passed {
        let _ = writeln!(
            out,
            "  {} {} · {} {}",
            p.paint(Style::new().fg_color(Some(AnsiColor::Green.into())), "✓"),
            p.bold(rule.id),
            rule.title,
            p.dim(&format!("[{}]", rule.area.name()))
        );
    }
}

/// The accounts scanned, for a header line.
fn accounts_of(scan: &crate::ScanInfo) -> String {
    if scan.accounts.is_empty() {
        "none".to_string()
    } else {
        scan.accounts.join(", ")
    }
}

/// How many rules ran and found nothing.
fn passed_count(report: &Report) -> usize {
    crate::areas(report.findings(), &report.scan().not_checked)
        .iter()
        .map(|a| a.passing)
        .sum()
}

/// The few lines a scan prints on the terminal when its reports go to files:
/// what was scanned, the counts by severity, what could not be assessed and
/// the verdict, so a run that writes files still tells its result.
pub fn summary_text(report: &Report, color: bool) -> String {
    let p = Paint { color };
    let mut out = String::new();
    let scan = report.scan();
    let _ = writeln!(
        out,
        "{} {} · account {} · as of {}",
        p.bold("cartguard"),
        env!("CARGO_PKG_VERSION"),
        accounts_of(scan),
        scan.now
    );
    let passed = passed_count(report);
    summary(&mut out, &p, report.tally(), passed);
    if let Some(incomplete) = report.incomplete() {
        incomplete_lines(&mut out, &p, incomplete);
    }
    if let Some(verdict) = verdict(&p, report) {
        let _ = writeln!(out, "{verdict}");
    }
    out
}

/// The last line: whether the gate passed, and whether the scan was complete.
/// A scan that could not assess everything never says PASS on its own.
fn verdict(p: &Paint, report: &Report) -> Option<String> {
    let scan = report.scan();
    let fail = |text: String| p.severity(Severity::Critical, &text);
    let mut parts = Vec::new();
    if let (Some(threshold), Some(failing)) = (scan.fail_on, report.failing()) {
        if failing > 0 {
            parts.push(fail(format!(
                "FAIL: {failing} finding(s) at or above {}",
                threshold.name()
            )));
        } else if !report.fails_on_not_assessed() {
            parts.push(p.paint(
                Style::new().bold().fg_color(Some(AnsiColor::Green.into())),
                &format!("PASS: nothing at or above {}", threshold.name()),
            ));
        }
    }
    if let Some(incomplete) = report.incomplete() {
        let what = not_assessed_count(incomplete);
        parts.push(if report.fails_on_not_assessed() {
            fail(format!("FAIL: {what} (--fail-on-not-assessed)"))
        } else {
            incomplete_label(p, &what)
        });
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// "3 findings of 2 rules not assessed".
fn not_assessed_count(incomplete: &Incomplete) -> String {
    format!(
        "{} finding{} of {} rule{} not assessed",
        incomplete.findings,
        if incomplete.findings == 1 { "" } else { "s" },
        incomplete.rules,
        if incomplete.rules == 1 { "" } else { "s" },
    )
}

fn incomplete_label(p: &Paint, what: &str) -> String {
    p.paint(
        Style::new().bold().fg_color(Some(AnsiColor::Yellow.into())),
        &format!("INCOMPLETE: {what}"),
    )
}

/// The summary of an incomplete scan: how much was not assessed, and why.
fn incomplete_lines(out: &mut String, p: &Paint, incomplete: &Incomplete) {
    let what = not_assessed_count(incomplete);
    let _ = writeln!(out, "{}, because:", incomplete_label(p, &what));
    for (reason, count) in incomplete.reasons.iter().take(REASONS_SHOWN) {
        let _ = writeln!(out, "  - {reason} {}", p.dim(&format!("(×{count})")));
    }
    let more = incomplete.reasons.len().saturating_sub(REASONS_SHOWN);
    if more > 0 {
        let _ = writeln!(
            out,
            "  - and {more} more reason{} (see NOT ASSESSED below)",
            if more == 1 { "" } else { "s" }
        );
    }
}

/// "180 failed: … · 7 info (inventory, not failures) · 0 not assessed · 12 rules passed".
fn summary(out: &mut String, p: &Paint, tally: &Tally, passed: usize) {
    let info = tally_info(tally);
    let counts: Vec<String> = tally
        .failed
        .iter()
        .filter(|(s, _)| *s != Severity::Info)
        .map(|(s, n)| {
            let text = format!("{n} {}", s.name());
            if *n > 0 {
                p.severity(*s, &text)
            } else {
                p.dim(&text)
            }
        })
        .collect();
    let info_part = if info > 0 {
        format!(" · {info} info (inventory, not failures)")
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "{} failed: {}{info_part} · {} not assessed · {passed} rule{} passed",
        p.bold(&(tally.total_failed() - info).to_string()),
        counts.join(", "),
        tally.not_assessed,
        if passed == 1 { "" } else { "s" },
    );
}

/// The `info` results: inventory entries, not failures.
fn tally_info(tally: &Tally) -> usize {
    tally
        .failed
        .iter()
        .find(|(s, _)| *s == Severity::Info)
        .map_or(0, |(_, n)| *n)
}

/// One line per area of the catalogue: what its rules found, and an area
/// this build has no rule for, or that the scan had no source for, said to
/// be unchecked.
fn area_lines(out: &mut String, p: &Paint, findings: &[Finding], not_checked: &[NotChecked]) {
    let _ = writeln!(out, "{}", p.dim("rules by area:"));
    for area in crate::areas(findings, not_checked) {
        let name = area.area.name();
        if let Some(reason) = &area.not_checked {
            let _ = writeln!(
                out,
                "  {name:<12} {}",
                p.dim(&format!("{} rules · not checked: {reason}", area.rules))
            );
            continue;
        }
        if area.rules == 0 {
            let _ = writeln!(
                out,
                "  {name:<12} {}",
                p.dim("not checked: this build has no rule of this area")
            );
            continue;
        }
        let mut parts = vec![
            format!("{} rules", area.rules),
            format!("{} failed", area.failing),
            format!("{} passed", area.passing),
        ];
        if area.not_assessed > 0 {
            parts.push(format!(
                "{} not assessed ({})",
                area.not_assessed,
                area.not_assessed_regions.join(", ")
            ));
        }
        let _ = writeln!(out, "  {name:<12} {}", parts.join(" · "));
    }
}

/// The findings that could not be assessed, under their heading (none, and
/// no heading, when everything was assessed).
fn not_assessed_section<'a>(
    out: &mut String,
    p: &Paint,
    findings: &'a [Finding],
) -> Vec<&'a Finding> {
    let unknown: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.status == Status::NotAssessed)
        .collect();
    if !unknown.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            p.bold(&format!("NOT ASSESSED ({})", unknown.len()))
        );
    }
    unknown
}

fn coverage_lines(out: &mut String, p: &Paint, coverage: &[Coverage]) {
    // With several accounts, each account's coverage is a line of its own;
    // server files belong to no account.
    let mut accounts: Vec<&str> = Vec::new();
    for c in coverage {
        if !c.account.is_empty() && !accounts.contains(&c.account.as_str()) {
            accounts.push(&c.account);
        }
    }
    for (status, label) in [
        (CoverageStatus::Assessed, "assessed"),
        (CoverageStatus::Partial, "partial"),
        (CoverageStatus::NotAssessed, "not assessed"),
    ] {
        // One line per account, its areas grouped by region, in the order
        // the coverage lists them.
        type Regions<'a> = Vec<(&'a str, Vec<&'a str>)>;
        let mut lines: Vec<(String, Regions)> = Vec::new();
        for c in coverage.iter().filter(|c| c.status == status) {
            let title = if accounts.len() > 1 && !c.account.is_empty() {
                format!("{label} in {}:", c.account)
            } else {
                format!("{label}:")
            };
            let index = match lines.iter().position(|(t, _)| *t == title) {
                Some(i) => i,
                None => {
                    lines.push((title, Vec::new()));
                    lines.len() - 1
                }
            };
            let regions = &mut lines[index].1;
            match regions.iter_mut().find(|(region, _)| *region == c.region) {
                Some((_, areas)) => areas.push(&c.area),
                None => regions.push((&c.region, vec![&c.area])),
            }
        }
        for (title, regions) in lines {
            let groups: Vec<String> = regions
                .iter()
                .map(|(region, areas)| format!("{region} ({})", areas.join(", ")))
                .collect();
            let _ = writeln!(out, "{} {}", p.dim(&title), groups.join("; "));
        }
    }
}

fn failure(out: &mut String, p: &Paint, finding: &Finding, evidence_limit: usize) {
    let _ = writeln!(
        out,
        "  {} {} · {}",
        p.severity(finding.severity, "✗"),
        p.bold(finding.rule_id),
        finding.title
    );
    let label = |name: &str| p.dim(&format!("{name:<9}"));
    let region = if finding.region == "global" {
        String::new()
    } else {
        format!(" [{}]", finding.region)
    };
    let _ = writeln!(
        out,
        "    {} {}{}",
        label("resource"),
        finding.resource,
        region
    );
    let _ = writeln!(out, "    {} {}", label("detail"), finding.detail);
    let lines = evidence_lines(&finding.evidence_json());
    for (i, line) in lines.iter().take(evidence_limit).enumerate() {
        let _ = writeln!(
            out,
            "    {} {line}",
            label(if i == 0 { "evidence" } else { "" })
        );
    }
    if lines.len() > evidence_limit {
        let _ = writeln!(
            out,
            "    {} … {} more (see --show {} or --format json)",
            label(""),
            lines.len() - evidence_limit,
            short_fingerprint(finding)
        );
    }
    if !finding.rationale.is_empty() {
        let _ = writeln!(out, "    {} {}", label("why"), finding.rationale);
    }
    let _ = writeln!(out, "    {} {}", label("fix"), finding.remediation);
    // The requirements the rule supports, standard by standard.
    let refs: Vec<String> = cartguard_rules::standards()
        .iter()
        .filter_map(|standard| {
            let ids = finding.compliance.get(&standard.id)?;
            (!ids.is_empty()).then(|| format!("{} {}", standard.name, ids.join(", ")))
        })
        .collect();
    if !refs.is_empty() {
        let _ = writeln!(out, "    {} {}", label("refs"), refs.join(" · "));
    }
}

/// The evidence as an auditor reads it: `name: value` lines, nested parts
/// indented under their name, list items marked `-`, and policy statements
/// as the JSON they were written in.
pub(crate) fn evidence_lines(value: &Value) -> Vec<String> {
    let mut lines = Vec::new();
    match value {
        Value::Object(map) if !map.is_empty() => fields(map, "", &mut lines),
        other => block(other, "", &mut lines),
    }
    lines
}

/// Widest statement printed on one line; wider ones are indented JSON.
const STATEMENT_WIDTH: usize = 100;

/// Marks, at the end of its line, an element of a quoted statement that the
/// evidence names under `deciding`: the part the verdict turned on.
const DECIDES: &str = "   ◀ decides";

fn fields(map: &serde_json::Map<String, Value>, indent: &str, lines: &mut Vec<String>) {
    // `deciding` names elements of the statement quoted next to it; it is
    // shown as marks on those elements, not as a field of its own.
    let deciding: Vec<&str> = map
        .get("deciding")
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let marks_a_statement = !deciding.is_empty() && map.values().any(is_statement);
    for (key, value) in map {
        if marks_a_statement && key == "deciding" {
            continue;
        }
        if marks_a_statement && is_statement(value) {
            lines.push(format!("{indent}{key}:"));
            json_lines(value, &format!("{indent}  "), "", &deciding, lines);
            continue;
        }
        match inline(value) {
            Some(text) => lines.push(format!("{indent}{key}: {text}")),
            None => {
                lines.push(format!("{indent}{key}:"));
                block(value, &format!("{indent}  "), lines);
            }
        }
    }
}

/// A value that does not fit on its name's line, at `indent`.
fn block(value: &Value, indent: &str, lines: &mut Vec<String>) {
    match value {
        _ if is_statement(value) => json_lines(value, indent, "", &[], lines),
        Value::Object(map) => fields(map, indent, lines),
        Value::Array(items) => {
            let inner = format!("{indent}  ");
            for item in items {
                let mut item_lines = Vec::new();
                match inline(item) {
                    Some(text) => item_lines.push(format!("{inner}{text}")),
                    None => block(item, &inner, &mut item_lines),
                }
                // `- ` takes the place of the first line's indentation.
                if let Some(first) = item_lines.first_mut() {
                    *first = format!("{indent}- {}", &first[inner.len()..]);
                }
                lines.extend(item_lines);
            }
        }
        other => lines.push(format!("{indent}{}", scalar(other))),
    }
}

/// The value on one line, when it is short enough to be read there: a scalar,
/// a list of scalars, or a short policy statement as JSON.
fn inline(value: &Value) -> Option<String> {
    if let Some(words) = in_words(value) {
        return Some(words);
    }
    match value {
        Value::Object(map) if map.is_empty() => Some("{}".into()),
        Value::Array(items) if items.is_empty() => Some("none".into()),
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            Some(items.iter().map(scalar).collect::<Vec<_>>().join(", "))
        }
        _ if is_statement(value) => serde_json::to_string(value)
            .ok()
            .filter(|text| text.len() <= STATEMENT_WIDTH),
        Value::Object(_) | Value::Array(_) => None,
        other => Some(scalar(other)),
    }
}

/// A step of a network path, or a network ACL entry, as one line an auditor
/// reads: `security group sg-1 ingress rule 0 admits 0.0.0.0/0`, `rule 120 ·
/// allow · tcp 1024-65535 · 0.0.0.0/0`.
fn in_words(value: &Value) -> Option<String> {
    let map = value.as_object()?;
    let text = |key: &str| map.get(key).map(scalar).unwrap_or_else(|| "?".into());
    if let Some(hop) = map.get("hop").and_then(Value::as_str) {
        // The words `net reach` uses; a step this build does not know is
        // shown with its fields.
        return Some(
            match serde_json::from_value::<cartguard_net::Hop>(value.clone()) {
                Ok(known) => crate::net::hop_text(&known),
                Err(_) => {
                    let rest: Vec<String> = map
                        .iter()
                        .filter(|(k, _)| *k != "hop")
                        .map(|(k, v)| format!("{k} {}", scalar(v)))
                        .collect();
                    format!("{hop}: {}", rest.join(", "))
                }
            },
        );
    }
    // A network ACL entry: number, action, traffic, addresses.
    if map.contains_key("rule_number") && map.contains_key("action") {
        let ports = map
            .get("ports")
            .and_then(Value::as_array)
            .map(|ports| {
                ports
                    .iter()
                    .map(|p| {
                        let protocol = p.get("protocol").map(scalar).unwrap_or_default();
                        match (p.get("from_port"), p.get("to_port")) {
                            (Some(from), Some(to)) if from == to => {
                                format!("{protocol}/{}", scalar(from))
                            }
                            (Some(from), Some(to)) => {
                                format!("{protocol}/{}-{}", scalar(from), scalar(to))
                            }
                            _ => protocol,
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_else(|| "all traffic".into());
        let addresses = map
            .get("cidr")
            .or_else(|| map.get("ipv6_cidr"))
            .map(scalar)
            .unwrap_or_else(|| "?".into());
        return Some(format!(
            "rule {} · {} · {ports} · {addresses}",
            text("rule_number"),
            text("action")
        ));
    }
    None
}

/// A statement or policy as JSON, one element per line and each element's
/// value compact: `"NotAction": ["iam:*","account:*"],`; the elements named in
/// `deciding` are marked.
fn json_lines(
    value: &Value,
    indent: &str,
    comma: &str,
    deciding: &[&str],
    lines: &mut Vec<String>,
) {
    let compact = |v: &Value| serde_json::to_string(v).unwrap_or_default();
    match value {
        Value::Object(map) => {
            lines.push(format!("{indent}{{"));
            for (i, (key, inner)) in map.iter().enumerate() {
                let comma = if i + 1 < map.len() { "," } else { "" };
                let mark = if deciding.contains(&key.as_str()) {
                    DECIDES
                } else {
                    ""
                };
                let key = compact(&Value::String(key.clone()));
                match inner {
                    // The statements of a policy, each on lines of its own.
                    Value::Array(items) if items.iter().any(is_statement) => {
                        lines.push(format!("{indent}  {key}: ["));
                        for (j, item) in items.iter().enumerate() {
                            let comma = if j + 1 < items.len() { "," } else { "" };
                            json_lines(item, &format!("{indent}    "), comma, &[], lines);
                        }
                        lines.push(format!("{indent}  ]{comma}"));
                    }
                    _ => lines.push(format!("{indent}  {key}: {}{comma}{mark}", compact(inner))),
                }
            }
            lines.push(format!("{indent}}}{comma}"));
        }
        other => lines.push(format!("{indent}{}{comma}", compact(other))),
    }
}

/// Whether `value` is a policy statement (or a whole policy document).
fn is_statement(value: &Value) -> bool {
    value.as_object().is_some_and(|map| {
        map.contains_key("Statement")
            || (map.contains_key("Effect")
                && ["Action", "NotAction", "Principal", "NotPrincipal"]
                    .iter()
                    .any(|k| map.contains_key(*k)))
    })
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ScanInfo;
    use cartguard_rules::{Area, all_rules};
    use serde_json::json;
    use std::sync::Arc;

    fn finding(rule_id: &'static str, status: Status, detail: &str) -> Finding {
        Finding {
            rule_id,
            severity: Severity::High,
            status,
            resource: "arn:aws:iam::111122223333:user/alice".into(),
            account: "111122223333".into(),
            region: "global".into(),
            title: "title",
            detail: detail.into(),
            rationale: Arc::from("why"),
            evidence: serde_json::value::to_raw_value(&json!({})).expect("serializes"),
            remediation: "fix".into(),
            compliance: Arc::new(Default::default()),
            fingerprint: "0".into(),
        }
    }

    fn text(findings: Vec<Finding>, now_from: NowFrom, fail_on_not_assessed: bool) -> String {
        let scan = ScanInfo {
            started: "2026-12-03T10:00:00Z".into(),
            now: "2026-12-03T10:00:00Z".into(),
            now_from,
            accounts: vec!["111122223333".into()],
            sources: vec!["evidence:x".into()],
            fail_on: Some(Severity::High),
            fail_on_not_assessed,
            warnings: vec![],
            not_checked: vec![],
        };
        render_text(&Report::new(scan, vec![], findings), false)
    }

    /// Seven distinct reasons, the first given three times.
    fn incomplete_findings() -> Vec<Finding> {
        let mut findings = vec![finding("iam-root-no-mfa", Status::NotAssessed, "r0"); 3];
        for n in 1..7 {
            findings.push(finding(
                "iam-admin-access",
                Status::NotAssessed,
                &format!("r{n}"),
            ));
        }
        findings
    }

    #[test]
    fn an_incomplete_scan_says_so_at_the_top_and_never_passes_alone() {
        let report = text(incomplete_findings(), NowFrom::Option, false);
        let lines: Vec<&str> = report.lines().collect();
        assert_eq!(
            lines[1..11],
            [
                "ages computed as of 2026-12-03T10:00:00Z (--now)",
                &format!(
                    "0 failed: 0 critical, 0 high, 0 medium, 0 low · 9 not assessed · {} rules passed",
                    all_rules().len() - 2
                ),
                "INCOMPLETE: 9 findings of 2 rules not assessed, because:",
                "  - r0 (×3)",
                "  - r1 (×1)",
                "  - r2 (×1)",
                "  - r3 (×1)",
                "  - r4 (×1)",
                "  - and 2 more reasons (see NOT ASSESSED below)",
                "rules by area:",
            ]
        );
        assert_eq!(
            lines.last(),
            Some(
                &"PASS: nothing at or above high · INCOMPLETE: 9 findings of 2 rules not assessed"
            )
        );
        let strict = text(incomplete_findings(), NowFrom::Option, true);
        assert_eq!(
            strict.lines().last(),
            Some("FAIL: 9 findings of 2 rules not assessed (--fail-on-not-assessed)")
        );
    }

    #[test]
    fn a_complete_scan_passes_without_a_word_about_incompleteness() {
        let report = text(
            vec![finding("iam-root-no-mfa", Status::Fail, "d")],
            NowFrom::Clock,
            true,
        );
        assert!(!report.contains("INCOMPLETE"), "{report}");
        assert!(
            report.contains(
                "ages computed as of 2026-12-03T10:00:00Z (today; fix it with --now to reproduce this report)"
            ),
            "{report}"
        );
        assert_eq!(
            report.lines().last(),
            Some("FAIL: 1 finding(s) at or above high")
        );
    }

    #[test]
    fn each_area_says_what_its_rules_found_and_an_area_without_rules_is_unchecked() {
        let mut elsewhere = finding("iam-password-policy-weak", Status::NotAssessed, "denied");
        elsewhere.region = "eu-west-1".into();
        let out = text(
            vec![
                finding("iam-root-no-mfa", Status::Fail, "root has no MFA"),
                finding("iam-root-no-mfa", Status::NotAssessed, "not this one"),
                elsewhere,
            ],
            NowFrom::Option,
            false,
        );
        let iam = out
            .lines()
            .find(|l| l.starts_with("  iam "))
            .expect("the iam area has a line");
        let rules = all_rules().iter().filter(|r| r.area == Area::Iam).count();
        assert_eq!(
            iam,
            format!(
                "  iam          {rules} rules · 1 failed · {} passed · 1 not assessed (eu-west-1)",
                rules - 2
            )
        );
        for area in Area::ALL {
            let has_rules = all_rules().iter().any(|r| r.area == area);
            let line = out
                .lines()
                .find(|l| l.trim_start().starts_with(&format!("{} ", area.name())))
                .expect("every area has a line");
            assert_eq!(line.contains("not checked"), !has_rules, "{line}");
        }
    }

    #[test]
    fn the_report_ends_with_the_pci_requirements_the_rules_support() {
        let out = text(
            vec![
                finding("iam-root-no-mfa", Status::Fail, "root has no MFA"),
                finding(
                    "iam-password-policy-weak",
                    Status::NotAssessed,
                    "not collected",
                ),
            ],
            NowFrom::Option,
            false,
        );
        let table = out
            .split("PCI DSS v4.0.1 BY REQUIREMENT")
            .nth(1)
            .expect("the requirement view is there");
        let row = |id: &str| {
            table
                .lines()
                .find(|l| l.starts_with(&format!("│ {id} ")))
                .unwrap_or_default()
                .split('┆')
                .map(|cell| {
                    cell.trim_matches(|c: char| c == '│' || c.is_whitespace())
                        .to_string()
                })
                .collect::<Vec<_>>()
        };
        // 8.4.1: root MFA fails; 8.3.6: the password policy was not assessed.
        assert_eq!(row("8.4.1")[1], "1: iam-root-no-mfa");
        assert_eq!(row("8.3.6")[3], "1: iam-password-policy-weak");
        assert_eq!(row("8.3.6")[1], "0");
    }

    #[test]
    fn evidence_reads_as_indented_fields_with_statements_as_json() {
        let statement = json!({"Effect": "Allow", "Action": "s3:*", "Resource": "*"});
        let long = json!({"Sid": "EverythingButIdentity", "Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"});
        let lines = evidence_lines(&json!({
            "row": {"user": "alice", "mfa_active": "false"},
            "list": [1, 2],
            "empty": [],
            "grants": [{"policy": "p", "statement": statement}, {"policy": "q", "statement": long}],
        }));
        assert_eq!(
            lines,
            [
                "row:",
                "  user: alice",
                "  mfa_active: false",
                "list: 1, 2",
                "empty: none",
                "grants:",
                "  - policy: p",
                r#"    statement: {"Effect":"Allow","Action":"s3:*","Resource":"*"}"#,
                "  - policy: q",
                "    statement:",
                "      {",
                r#"        "Sid": "EverythingButIdentity","#,
                r#"        "Effect": "Allow","#,
                r#"        "NotAction": ["iam:*","organizations:*","account:*"],"#,
                r#"        "Resource": "*""#,
                "      }",
            ]
        );
    }

    #[test]
    fn the_statement_elements_a_verdict_turned_on_are_marked() {
        let lines = evidence_lines(&json!({
            "policy": "p",
            "statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
            "deciding": ["Resource"],
        }));
        assert_eq!(
            lines,
            [
                "policy: p",
                "statement:",
                "  {",
                r#"    "Effect": "Allow","#,
                r#"    "Action": "s3:GetObject","#,
                r#"    "Resource": "*"   ◀ decides"#,
                "  }",
            ]
        );
        // Without a statement beside it, `deciding` is an ordinary field.
        let lines = evidence_lines(&json!({"deciding": ["x"]}));
        assert_eq!(lines, ["deciding: x"]);
    }

    fn compact(findings: Vec<Finding>, options: RenderOptions) -> String {
        let scan = ScanInfo {
            started: "2026-12-03T10:00:00Z".into(),
            now: "2026-12-03T10:00:00Z".into(),
            now_from: NowFrom::Option,
            accounts: vec!["111122223333".into()],
            sources: vec!["evidence:x".into()],
            fail_on: Some(Severity::High),
            fail_on_not_assessed: false,
            warnings: vec![],
            not_checked: vec![],
        };
        render(&Report::new(scan, vec![], findings), &options)
    }

    #[test]
    fn by_default_each_finding_is_one_line_under_its_rule_cut_to_the_terminal() {
        let long = "x".repeat(300);
        let mut second = finding("iam-root-no-mfa", Status::Fail, &long);
        second.resource = "arn:aws:iam::111122223333:user/bob".into();
        second.fingerprint = "0123456789abcdef".into();
        let mut info = finding("iam-identity-center-unused", Status::Fail, "inventory");
        info.severity = Severity::Info;
        let out = compact(
            vec![
                finding("iam-root-no-mfa", Status::Fail, "short"),
                second,
                info,
            ],
            RenderOptions {
                width: Some(80),
                ..RenderOptions::default()
            },
        );
        assert!(out.contains("  iam-root-no-mfa · title (2)\n"), "{out}");
        assert!(
            out.contains("    ✗ 0 arn:aws:iam::111122223333:user/alice — short\n"),
            "{out}"
        );
        let cut = out
            .lines()
            .find(|l| l.contains("user/bob"))
            .expect("bob's line");
        assert_eq!(cut.chars().count(), 80, "{cut}");
        assert!(cut.ends_with('…'));
        // Neither evidence nor fix: those are for --detail.
        assert!(
            !out.contains("    evidence") && !out.contains("    fix "),
            "{out}"
        );
        assert!(out.contains("    i 0 arn:aws:iam::111122223333:user/alice — inventory"));
        // An info entry is inventory, not a failure.
        assert!(
            out.contains(
                "2 failed: 0 critical, 2 high, 0 medium, 0 low · 1 info (inventory, not failures)"
            ),
            "{out}"
        );
        // Piped (no width), nothing is cut.
        let whole = compact(
            vec![finding("iam-root-no-mfa", Status::Fail, &long)],
            RenderOptions::default(),
        );
        assert!(whole.contains(&long));
    }

    #[test]
    fn passed_rules_are_listed_on_request() {
        let findings = vec![finding("iam-root-no-mfa", Status::Fail, "d")];
        let quiet = compact(findings.clone(), RenderOptions::default());
        assert!(!quiet.contains("PASSED ("));
        let listed = compact(
            findings,
            RenderOptions {
                show_passed: true,
                ..RenderOptions::default()
            },
        );
        let passed = all_rules().len() - 1;
        assert!(
            listed.contains(&format!("PASSED ({passed} rules)")),
            "{listed}"
        );
        assert!(listed.contains("✓ iam-root-access-keys · "), "{listed}");
        assert!(!listed.contains("✓ iam-root-no-mfa "), "{listed}");
    }

    #[test]
    fn paths_read_hop_by_hop_and_acl_entries_as_rows() {
        let lines = evidence_lines(&json!({
            "path": [
                {"hop": "public-address", "interface": "eni-1", "address": "34.250.117.23", "family": "ipv4"},
                {"hop": "internet-gateway-route", "route_table": "rtb-1", "destination": "0.0.0.0/0", "gateway": "igw-1"},
                {"hop": "network-acl-entry", "acl_id": "acl-1", "subnet_id": "subnet-1", "direction": "inbound", "rule_number": 140, "role": "request"},
                {"hop": "security-group-rule", "group_id": "sg-1", "rule_index": 0, "peer": "0.0.0.0/0"}
            ],
            "entry": {"rule_number": 120, "action": "allow", "ports": [{"protocol": "tcp", "from_port": 1024, "to_port": 65535}], "cidr": "0.0.0.0/0"}
        }));
        assert_eq!(
            lines,
            [
                "path:",
                "  - public IPv4 address 34.250.117.23 on eni-1",
                "  - route table rtb-1 sends replies for 0.0.0.0/0 to internet gateway igw-1",
                "  - network ACL acl-1, inbound entry 140, lets the request into subnet-1",
                "  - security group sg-1, inbound rule 0, admits 0.0.0.0/0",
                "entry: rule 120 · allow · tcp/1024-65535 · 0.0.0.0/0",
            ]
        );
    }
}
