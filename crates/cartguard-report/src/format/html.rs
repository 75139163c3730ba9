//! One self-contained HTML file for people who read a report away from the
//! terminal: an auditor handing it to a client, a QSA reading it offline. No
//! request leaves the page (styles, script and chart are inline), it prints
//! with every finding open, and it shows the scan four ways: a summary by
//! severity and area, the findings with filters, the PCI DSS v4.0.1 and CIS
//! requirements as the evidence supports them, and the coverage.
//!
//! The template (`crates/cartguard-report/templates/report.html`) is compiled into the binary and
//! escapes every value it inserts; this module only arranges the report's
//! data for it.

use std::collections::BTreeSet;
use std::io;
use std::sync::LazyLock;

use cartguard_rules::{Finding, Status, find_rule};
use serde::Serialize;

use crate::requirements::{AreaSummary, Requirement, areas, requirements};
use crate::{Renderer, Report};

/// The HTML report.
#[derive(Debug, Clone, Copy, Default)]
pub struct HtmlRenderer;

impl Renderer for HtmlRenderer {
    fn render(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        let template = TEMPLATES
            .get_template("report.html")
            .map_err(io::Error::other)?;
        let page = page(report);
        let html = template
            .render(minijinja::context! { page => page })
            .map_err(io::Error::other)?;
        out.write_all(html.as_bytes())
    }
}

/// The compiled template. `.html` names turn HTML escaping on for every
/// value the template prints.
static TEMPLATES: LazyLock<minijinja::Environment<'static>> = LazyLock::new(|| {
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    if let Err(e) = env.add_template("report.html", include_str!("../../templates/report.html")) {
        // The template is part of the build: its tests fail on this.
        eprintln!("cartguard: the HTML template does not compile: {e}");
    }
    env
});

/// The standards the page has a requirement view for, with their names.
const STANDARDS: &[(&str, &str)] = &[
    (crate::PCI_DSS, "PCI DSS v4.0.1"),
    ("cis-aws-3.0.0", "CIS AWS Foundations Benchmark v3.0.0"),
    ("cis-aws-7.0.0", "CIS AWS Foundations Benchmark v7.0.0"),
];

#[derive(Serialize)]
struct Page {
    verdict: String,
    failing_gate: bool,
    accounts: Vec<String>,
    sources: Vec<String>,
    now: String,
    reproducible: bool,
    started: String,
    warnings: Vec<String>,
    severities: Vec<Bar>,
    not_assessed: usize,
    areas: Vec<AreaRow>,
    findings: Vec<FindingView>,
    standards: Vec<StandardView>,
    coverage: Vec<CoverageRow>,
    choices: Choices,
}

/// One bar of the severity chart.
#[derive(Serialize)]
struct Bar {
    name: &'static str,
    count: usize,
    /// Width in the chart's units (0–100).
    width: usize,
}

#[derive(Serialize)]
struct AreaRow {
    name: &'static str,
    rules: usize,
    failing: usize,
    passing: usize,
    not_assessed: usize,
    not_checked: Option<String>,
}

#[derive(Serialize)]
struct FindingView {
    /// Its anchor in the page.
    anchor: String,
    rule_id: &'static str,
    title: &'static str,
    area: &'static str,
    severity: &'static str,
    status: &'static str,
    resource: String,
    account: String,
    region: String,
    detail: String,
    rationale: String,
    /// The evidence as the terminal's full view prints it.
    evidence: String,
    remediation: String,
    references: Vec<Reference>,
    fingerprint: String,
}

#[derive(Serialize)]
struct Reference {
    standard: &'static str,
    ids: String,
}

#[derive(Serialize)]
struct StandardView {
    id: &'static str,
    name: &'static str,
    requirements: Vec<RequirementRow>,
    failing: usize,
    passing: usize,
    not_assessed: usize,
}

#[derive(Serialize)]
struct RequirementRow {
    id: String,
    /// `failing`, `not-assessed` or `passing`: the requirement's worst verdict.
    verdict: &'static str,
    failing: Vec<&'static str>,
    passing: Vec<&'static str>,
    not_assessed: Vec<&'static str>,
}

#[derive(Serialize)]
struct CoverageRow {
    account: String,
    area: String,
    region: String,
    status: String,
    reason: String,
}

/// The values each filter offers.
#[derive(Serialize)]
struct Choices {
    severities: Vec<&'static str>,
    areas: Vec<&'static str>,
    accounts: Vec<String>,
    regions: Vec<String>,
}

fn page(report: &Report) -> Page {
    let scan = report.scan();
    let tally = report.tally();
    let most = tally
        .failed
        .iter()
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(0)
        .max(1);
    let findings: Vec<FindingView> = report
        .findings()
        .iter()
        .enumerate()
        .map(|(i, f)| finding_view(i, f))
        .collect();
    let regions: BTreeSet<String> = findings.iter().map(|f| f.region.clone()).collect();
    let accounts: BTreeSet<String> = findings
        .iter()
        .map(|f| f.account.clone())
        .chain(scan.accounts.iter().cloned())
        .collect();
    Page {
        verdict: super::markdown::verdict(report),
        failing_gate: report.fails_gate() || report.fails_on_not_assessed(),
        accounts: scan.accounts.clone(),
        sources: scan.sources.clone(),
        now: scan.now.clone(),
        reproducible: scan.now_from == crate::NowFrom::Option,
        started: scan.started.clone(),
        warnings: scan.warnings.clone(),
        severities: tally
            .failed
            .iter()
            .map(|(severity, count)| Bar {
                name: severity.name(),
                count: *count,
                width: count * 100 / most,
            })
            .collect(),
        not_assessed: tally.not_assessed,
        areas: areas(report.findings(), &scan.not_checked)
            .into_iter()
            .map(area_row)
            .collect(),
        standards: STANDARDS
            .iter()
            .map(|(id, name)| standard_view(id, name, report))
            .collect(),
        coverage: report
            .coverage()
            .iter()
            .map(|c| CoverageRow {
                account: c.account.clone(),
                area: c.area.clone(),
                region: c.region.clone(),
                status: serde_json::to_value(c.status)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                reason: c.reason.clone().unwrap_or_default(),
            })
            .collect(),
        choices: Choices {
            severities: cartguard_rules::Severity::DESCENDING
                .map(|s| s.name())
                .to_vec(),
            areas: cartguard_rules::Area::ALL.map(|a| a.name()).to_vec(),
            accounts: accounts.into_iter().collect(),
            regions: regions.into_iter().collect(),
        },
        findings,
    }
}

fn area_row(area: AreaSummary) -> AreaRow {
    AreaRow {
        name: area.area.name(),
        rules: area.rules,
        failing: area.failing,
        passing: area.passing,
        not_assessed: area.not_assessed,
        not_checked: area.not_checked,
    }
}

fn finding_view(index: usize, finding: &Finding) -> FindingView {
    // The evidence in the same words as the terminal's full view: fields
    // indented, statements as JSON with the deciding elements marked.
    let evidence = serde_json::from_str::<serde_json::Value>(finding.evidence.get())
        .map(|v| super::text::evidence_lines(&v).join("\n"))
        .unwrap_or_else(|_| finding.evidence.get().to_string());
    let references = STANDARDS
        .iter()
        .filter_map(|(id, name)| {
            let cited = finding.compliance.get(*id)?;
            (!cited.is_empty()).then(|| Reference {
                standard: name,
                ids: cited.join(", "),
            })
        })
        .collect();
    FindingView {
        anchor: format!("f{index}"),
        rule_id: finding.rule_id,
        title: finding.title,
        area: find_rule(finding.rule_id).map_or("", |r| r.area.name()),
        severity: finding.severity.name(),
        status: match finding.status {
            Status::Fail => "fail",
            Status::NotAssessed => "not-assessed",
        },
        resource: finding.resource.clone(),
        account: finding.account.clone(),
        region: finding.region.clone(),
        detail: finding.detail.clone(),
        rationale: finding.rationale.to_string(),
        evidence,
        remediation: finding.remediation.clone(),
        references,
        fingerprint: finding.fingerprint.clone(),
    }
}

fn standard_view(id: &'static str, name: &'static str, report: &Report) -> StandardView {
    let rows: Vec<RequirementRow> = requirements(id, report.findings(), &report.scan().not_checked)
        .into_iter()
        .map(requirement_row)
        .collect();
    let count = |verdict: &str| rows.iter().filter(|r| r.verdict == verdict).count();
    StandardView {
        id,
        name,
        failing: count("failing"),
        passing: count("passing"),
        not_assessed: count("not-assessed"),
        requirements: rows,
    }
}

fn requirement_row(requirement: Requirement) -> RequirementRow {
    let verdict = if !requirement.failing.is_empty() {
        "failing"
    } else if !requirement.not_assessed.is_empty() {
        "not-assessed"
    } else {
        "passing"
    };
    RequirementRow {
        id: requirement.id,
        verdict,
        failing: requirement.failing,
        passing: requirement.passing,
        not_assessed: requirement.not_assessed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::tests::{finding, report};

    fn html(findings: Vec<Finding>) -> String {
        let mut out = Vec::new();
        HtmlRenderer
            .render(&report(findings), &mut out)
            .expect("renders");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn the_template_compiles_and_the_page_stands_alone() {
        let page = html(vec![finding("iam-root-access-keys", Status::Fail)]);
        assert!(page.starts_with("<!DOCTYPE html>"), "{}", &page[..80]);
        // Nothing is fetched: no external script, style, image or font.
        for outside in ["src=\"http", "href=\"http", "url(http", "@import", "<link "] {
            assert!(!page.contains(outside), "{outside}");
        }
        assert!(page.contains("iam-root-access-keys"));
        assert!(page.contains("PCI DSS v4.0.1"));
    }

    #[test]
    fn values_are_escaped() {
        let mut f = finding("iam-root-access-keys", Status::Fail);
        f.detail = "<script>alert(1)</script> & more".into();
        let page = html(vec![f]);
        assert!(!page.contains("<script>alert(1)"));
        assert!(page.contains("&lt;script&gt;alert(1)&lt;"));
        assert!(page.contains("&amp; more"));
    }

    #[test]
    fn each_requirement_takes_its_worst_verdict() {
        let page = page(&report(vec![
            finding("iam-root-access-keys", Status::Fail),
            finding("iam-user-console-no-mfa", Status::NotAssessed),
        ]));
        let pci = &page.standards[0];
        let of = |rule: &str| {
            pci.requirements
                .iter()
                .filter(|r| r.failing.contains(&rule) || r.not_assessed.contains(&rule))
                .map(|r| r.verdict)
                .collect::<Vec<_>>()
        };
        assert!(of("iam-root-access-keys").iter().all(|v| *v == "failing"));
        assert!(!of("iam-user-console-no-mfa").is_empty());
        assert!(pci.failing > 0 && pci.passing > 0);
    }
}
