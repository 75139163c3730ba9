//! JUnit XML, so a CI dashboard shows the audit like a test run: one test suite
//! per area of the catalogue, one test case per rule and resource. A failure
//! carries the detail and the fix, a not-assessed result is a skipped case
//! with its reason, and a rule that found nothing is one passing case. An area
//! without a rule in this build is one skipped case, so it is never mistaken
//! for a pass.

use std::io;

use cartguard_rules::{Area, Finding, NotChecked, Status, all_rules};
use quick_junit::{NonSuccessKind, Report as Junit, TestCase, TestCaseStatus, TestSuite};

use crate::{Renderer, Report};

/// The JUnit report.
#[derive(Debug, Clone, Copy, Default)]
pub struct JunitRenderer;

impl Renderer for JunitRenderer {
    fn render(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        junit(report.findings(), &report.scan().not_checked)
            .serialize(out)
            .map_err(io::Error::other)
    }
}

fn junit(findings: &[Finding], not_checked: &[NotChecked]) -> Junit {
    let mut junit = Junit::new("cartguard");
    for area in Area::ALL {
        let mut suite = TestSuite::new(format!("cartguard.{}", area.name()));
        let rules: Vec<_> = all_rules().iter().filter(|r| r.area == area).collect();
        if let Some(unchecked) = not_checked.iter().find(|n| n.area == area) {
            let mut status = TestCaseStatus::skipped();
            status.set_message(format!("not checked: {}", unchecked.reason));
            suite.add_test_case(TestCase::new(area.name(), status));
            junit.add_test_suite(suite);
            continue;
        }
        if rules.is_empty() {
            let mut status = TestCaseStatus::skipped();
            status.set_message("this build has no rule of this area: it was not checked");
            suite.add_test_case(TestCase::new(area.name(), status));
        }
        for rule in rules {
            let ours: Vec<&Finding> = findings.iter().filter(|f| f.rule_id == rule.id).collect();
            if ours.is_empty() {
                let mut case = TestCase::new(rule.id, TestCaseStatus::success());
                case.set_classname(rule.id);
                suite.add_test_case(case);
            }
            for finding in ours {
                suite.add_test_case(case_of(finding));
            }
        }
        junit.add_test_suite(suite);
    }
    junit
}

fn case_of(finding: &Finding) -> TestCase {
    let place = if finding.region == "global" {
        finding.resource.clone()
    } else {
        format!("{} [{}]", finding.resource, finding.region)
    };
    let status = match finding.status {
        Status::Fail => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status
                .set_message(finding.detail.as_str())
                .set_type(finding.severity.name())
                .set_description(format!(
                    "{}\n\n{}\n\nHow to fix: {}\n\nFingerprint: {}",
                    finding.title, finding.detail, finding.remediation, finding.fingerprint
                ));
            status
        }
        Status::NotAssessed => {
            let mut status = TestCaseStatus::skipped();
            status.set_message(format!("not assessed: {}", finding.detail));
            status
        }
    };
    let mut case = TestCase::new(format!("{} · {place}", finding.rule_id), status);
    case.set_classname(finding.rule_id);
    case
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::tests::{finding, report};

    #[test]
    fn failures_carry_the_fix_not_assessed_is_skipped_and_quiet_rules_pass() {
        let report = report(vec![
            finding("iam-root-no-mfa", Status::Fail),
            finding("iam-admin-access", Status::NotAssessed),
        ]);
        let mut out = Vec::new();
        JunitRenderer.render(&report, &mut out).expect("renders");
        let xml = String::from_utf8(out).expect("UTF-8");
        assert!(xml.starts_with("<?xml"), "{xml}");
        assert!(xml.contains(r#"<testsuite name="cartguard.iam""#), "{xml}");
        assert!(
            xml.contains(r#"<testcase name="iam-root-no-mfa · arn:aws:iam::111122223333:user/alice" classname="iam-root-no-mfa">"#),
            "{xml}"
        );
        assert!(xml.contains("How to fix: fix"), "{xml}");
        assert!(
            xml.contains(r#"<skipped message="not assessed: the detail"/>"#),
            "{xml}"
        );
        // A rule without findings is one passing case.
        assert!(
            xml.contains(
                r#"<testcase name="iam-password-policy-weak" classname="iam-password-policy-weak">"#
            ),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<skipped message="not checked: no --path was given"/>"#),
            "{xml}"
        );
        let failures = xml.matches("<failure").count();
        assert_eq!(failures, 1, "{xml}");
    }
}
