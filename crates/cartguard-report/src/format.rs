//! The report formats: one [`Renderer`] per format over one [`Report`], in the
//! manner of ripgrep's printers. A new format is a file in `format/` holding
//! its renderer, its `pub mod` line and its entry in the `formats!` list below
//! (a test checks that every file there is listed).

use std::io;

use crate::Report;

/// Writes a [`Report`] in one format.
pub trait Renderer {
    /// Writes the whole report to `out`.
    fn render(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()>;

    /// Whether the output may carry terminal styles. Standard output for such a
    /// format goes through a stream that adapts the styles to the terminal.
    fn styled(&self) -> bool {
        false
    }
}

/// What a caller decides about rendering, as opposed to what the report holds.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// Add terminal styles (for a terminal only; formats without styles ignore it).
    pub color: bool,
    /// The text report: each finding in full (evidence, why it matters, fix)
    /// instead of one line per finding.
    pub detail: bool,
    /// The text report: list the rules that ran and found nothing.
    pub show_passed: bool,
    /// The text report: the terminal's width, to which one-line findings are
    /// cut; `None` (not a terminal) keeps every line whole.
    pub width: Option<usize>,
}

/// A report format: its name, a line for `--help`, and its renderer.
#[derive(Debug, Clone, Copy)]
pub struct Format {
    /// The `--format` value, which is also the name of its module.
    pub name: &'static str,
    /// One line describing it, as `--help` shows it (no final full stop).
    pub about: &'static str,
    /// The name of its file in `--output-dir`, e.g. `cartguard.sarif`.
    pub file_name: &'static str,
    renderer: fn(&RenderOptions) -> Box<dyn Renderer>,
}

impl Format {
    /// This format's renderer for `options`.
    pub fn renderer(&self, options: &RenderOptions) -> Box<dyn Renderer> {
        (self.renderer)(options)
    }
}

/// The format named `name` (as `--format` spells it).
pub fn format_named(name: &str) -> Option<&'static Format> {
    FORMATS.iter().find(|f| f.name == name)
}

// Modules are declared outside the macro so that rustfmt sees their files.
pub mod asff;
pub mod csv;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod ocsf;
pub mod sarif;
pub mod text;

/// Lists each format in [`FORMATS`], named after its module.
macro_rules! formats {
    ($($module:ident($about:literal, $file:literal) => $renderer:expr,)*) => {
        /// Every report format, in the order `--help` lists them.
        pub const FORMATS: &[Format] = &[$(Format {
            name: stringify!($module),
            about: $about,
            file_name: $file,
            renderer: $renderer,
        },)*];
    };
}

formats! {
    text("A readable report (coloured on a terminal unless NO_COLOR is set)", "cartguard.txt")
        => |options| Box::new(text::TextRenderer::with_options(*options)),
    json("The cartguard.findings/v1 document (docs/findings.schema.json)", "cartguard.json")
        => |_| Box::new(json::JsonRenderer),
    csv("One row per finding with stable columns, for spreadsheets and ticket imports", "cartguard.csv")
        => |_| Box::new(csv::CsvRenderer),
    markdown("A pull-request comment: the verdict, summary tables and the most severe findings", "cartguard.md")
        => |_| Box::new(markdown::MarkdownRenderer),
    junit("JUnit XML: one test case per rule and resource, not-assessed results skipped", "cartguard.junit.xml")
        => |_| Box::new(junit::JunitRenderer),
    html("One self-contained HTML file: summary, filters, PCI DSS and CIS views, coverage", "cartguard.html")
        => |_| Box::new(html::HtmlRenderer),
    sarif("SARIF 2.1.0 for GitHub code scanning and other static-analysis viewers", "cartguard.sarif")
        => |_| Box::new(sarif::SarifRenderer),
    ocsf("OCSF 1.5.0 Compliance Finding events (JSON array) for Security Lake and SIEMs", "cartguard.ocsf.json")
        => |_| Box::new(ocsf::OcsfRenderer),
    asff("AWS Security Finding Format (JSON array) for Security Hub's BatchImportFindings", "cartguard.asff.json")
        => |_| Box::new(asff::AsffRenderer),
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::{NowFrom, ScanInfo};
    use cartguard_rules::{Finding, Severity, Status, compliance_for};
    use std::sync::Arc;

    /// A finding of `rule_id` on one user, with its real compliance references.
    pub(crate) fn finding(rule_id: &'static str, status: Status) -> Finding {
        Finding {
            rule_id,
            severity: Severity::High,
            status,
            resource: "arn:aws:iam::111122223333:user/alice".into(),
            account: "111122223333".into(),
            region: "global".into(),
            title: "the title",
            detail: "the detail".into(),
            rationale: Arc::from("why"),
            evidence: serde_json::value::to_raw_value(&serde_json::json!({})).expect("serializes"),
            remediation: "fix".into(),
            compliance: Arc::new(compliance_for(rule_id)),
            fingerprint: "0123".into(),
        }
    }

    /// A report of `findings` with a high gate, of an account without server files.
    pub(crate) fn report(findings: Vec<Finding>) -> Report {
        let scan = ScanInfo {
            started: "2026-12-03T10:00:00Z".into(),
            now: "2026-12-03T10:00:00Z".into(),
            now_from: NowFrom::Option,
            accounts: vec!["111122223333".into()],
            sources: vec!["evidence:x".into()],
            fail_on: Some(Severity::High),
            fail_on_not_assessed: false,
            warnings: vec![],
            not_checked: vec![cartguard_rules::NotChecked {
                area: cartguard_rules::Area::Application,
                reason: "no --path was given".into(),
            }],
        };
        Report::new(scan, vec![], findings)
    }

    #[test]
    fn every_format_module_is_listed() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/format");
        for entry in std::fs::read_dir(dir).expect("src/format is readable") {
            let path = entry.expect("a directory entry").path();
            let Some(name) = path.file_stem().and_then(|n| n.to_str()) else {
                continue;
            };
            assert!(
                format_named(name).is_some(),
                "src/format/{name}.rs is not in the formats! list"
            );
        }
    }

    #[test]
    fn every_format_is_found_by_its_name_and_names_are_distinct() {
        for format in FORMATS {
            let found = format_named(format.name).map(|f| f.about);
            assert_eq!(found, Some(format.about), "{}", format.name);
            assert!(!format.about.ends_with('.'), "{}", format.name);
        }
        assert!(format_named("xml").is_none());
        let mut files: Vec<&str> = FORMATS.iter().map(|f| f.file_name).collect();
        files.sort_unstable();
        files.dedup();
        assert_eq!(files.len(), FORMATS.len(), "one file name per format");
        assert_eq!(FORMATS[0].name, "text", "the default format comes first");
    }
}
