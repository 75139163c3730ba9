//! SARIF 2.1.0, shaped the way GitHub code scanning accepts uploads.
//!
//! - One `reportingDescriptor` per rule of the catalogue: its title, what it
//!   checks, its whole documentation (what `cartguard explain` prints) as help,
//!   its default level, tags for its area and the standards it cites, and the
//!   `security-severity` GitHub ranks alerts by.
//! - One result per finding, always with a location (GitHub requires one): a
//!   file finding points at its file and line; a cloud finding has no file, so
//!   its physical location is a stable relative path made of the account, the
//!   service, the region (none for an account-wide resource) and the resource
//!   (`aws/111122223333/ec2/eu-west-1/instance/i-0…`), and
//!   its logical locations name the ARN, the account and the region.
//! - `partialFingerprints` carry the finding's stable fingerprint, so an alert
//!   keeps its identity from one upload to the next.
//! - A failure's level follows its severity; a not-assessed result is of kind
//!   `open` (the tool could not decide) with level `none`.
//! - A result's properties repeat its severity, status, account, region,
//!   resource, fix and compliance references; the evidence stays in the JSON
//!   report (code scanning shows none of it).
//!
//! The types below are the subset of SARIF written, borrowing from the
//! report, rather than a complete generated model (serde-sarif generates
//! owned types from the schema at build time): 20,000 results render in about
//! a tenth of a second, and the tests validate the output against the
//! published schema all the same.

use std::collections::HashMap;
use std::io::{self, Write};

use cartguard_rules::{Finding, Rule, Severity, Status, all_rules};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde::Serialize;

use crate::exchange::{Place, standard_title};
use crate::{Renderer, Report, explain_rule};

/// The SARIF report.
#[derive(Debug, Clone, Copy, Default)]
pub struct SarifRenderer;

/// The schema the document names (the OASIS errata 01 schema).
const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

impl Renderer for SarifRenderer {
    fn render(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        let mut descriptors: Vec<Descriptor> = all_rules().iter().map(|r| descriptor(r)).collect();
        let mut index: HashMap<&str, usize> = descriptors
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id, i))
            .collect();
        // A saved report may hold rules this build does not know.
        for finding in report.findings() {
            if !index.contains_key(finding.rule_id) {
                index.insert(finding.rule_id, descriptors.len());
                descriptors.push(unknown_descriptor(finding));
            }
        }
        let results: Vec<SarifResult> = report
            .findings()
            .iter()
            .map(|f| result(f, index.get(f.rule_id).copied().unwrap_or(0)))
            .collect();
        let log = Log {
            schema: SCHEMA,
            version: "2.1.0",
            runs: [Run {
                tool: Tool {
                    driver: Driver {
                        name: "cartguard",
                        version: env!("CARGO_PKG_VERSION"),
                        semantic_version: env!("CARGO_PKG_VERSION"),
                        information_uri: env!("CARGO_PKG_REPOSITORY"),
                        rules: descriptors,
                    },
                },
                automation_details: AutomationDetails {
                    id: automation_id(report),
                },
                results,
                column_kind: "unicodeCodePoints",
            }],
        };
        let mut writer = io::BufWriter::with_capacity(1 << 16, out);
        serde_json::to_writer_pretty(&mut writer, &log).map_err(io::Error::from)?;
        writer.write_all(b"\n")?;
        writer.flush()
    }
}

/// `cartguard/<accounts>/`: GitHub keeps the alerts of each category apart, so
/// scans of two accounts uploaded to one repository do not close each other's.
fn automation_id(report: &Report) -> String {
    let accounts = &report.scan().accounts;
    if accounts.is_empty() {
        "cartguard/".to_string()
    } else {
        format!("cartguard/{}/", accounts.join("+"))
    }
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    automation_details: AutomationDetails,
    results: Vec<SarifResult<'a>>,
    column_kind: &'static str,
}

#[derive(Serialize)]
struct AutomationDetails {
    id: String,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    information_uri: &'static str,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: DescriptorProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct DescriptorProperties {
    tags: Vec<String>,
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<&'static str>,
    severity: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    kind: &'static str,
    level: &'static str,
    message: Message<'a>,
    locations: [Location<'a>; 1],
    partial_fingerprints: Fingerprints<'a>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
struct Message<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    fully_qualified_name: Option<&'a str>,
    kind: &'static str,
}

#[derive(Serialize)]
struct Fingerprints<'a> {
    /// GitHub matches alerts across uploads by this key.
    #[serde(rename = "primaryLocationLineHash")]
    primary: &'a str,
    #[serde(rename = "cartguard/v1")]
    cartguard: &'a str,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    severity: &'static str,
    status: &'static str,
    account: &'a str,
    region: &'a str,
    resource: &'a str,
    title: &'a str,
    remediation: &'a str,
    compliance: &'a cartguard_rules::Compliance,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's scale: over 9.0 critical, 7.0 to 8.9 high, 4.0 to 6.9 medium,
/// 0.1 to 3.9 low. Inventory (`info`) gets none, so GitHub ranks it by level.
fn security_severity(severity: Severity) -> Option<&'static str> {
    match severity {
        Severity::Critical => Some("9.5"),
        Severity::High => Some("8.0"),
        Severity::Medium => Some("5.5"),
        Severity::Low => Some("3.0"),
        Severity::Info => None,
    }
}

/// `iam-root-access-keys` → `IamRootAccessKeys`.
fn pascal_case(id: &str) -> String {
    id.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        })
        .collect()
}

fn descriptor(rule: &Rule) -> Descriptor {
    let compliance = cartguard_rules::compliance_for(rule.id);
    let mut tags = vec!["security".to_string(), rule.area.name().to_string()];
    for standard in cartguard_rules::standards() {
        let title = standard_title(&standard.id);
        for reference in compliance.get(&standard.id).into_iter().flatten() {
            tags.push(format!("{title} {reference}"));
        }
    }
    let what = rule.section("What it checks");
    let help = explain_rule(rule);
    Descriptor {
        id: rule.id,
        name: pascal_case(rule.id),
        short_description: Text {
            text: rule.title.to_string(),
        },
        full_description: Text {
            text: if what.is_empty() {
                rule.title.to_string()
            } else {
                what
            },
        },
        help: Help {
            text: help.clone(),
            markdown: help,
        },
        default_configuration: Configuration {
            level: level(rule.severity),
        },
        properties: DescriptorProperties {
            tags,
            security_severity: security_severity(rule.severity),
            severity: rule.severity.name(),
        },
    }
}

/// A rule known only from a saved report's finding.
fn unknown_descriptor(finding: &Finding) -> Descriptor {
    Descriptor {
        id: finding.rule_id,
        name: pascal_case(finding.rule_id),
        short_description: Text {
            text: finding.title.to_string(),
        },
        full_description: Text {
            text: finding.title.to_string(),
        },
        help: Help {
            text: finding.rationale.to_string(),
            markdown: finding.rationale.to_string(),
        },
        default_configuration: Configuration {
            level: level(finding.severity),
        },
        properties: DescriptorProperties {
            tags: vec!["security".to_string()],
            security_severity: security_severity(finding.severity),
            severity: finding.severity.name(),
        },
    }
}

/// What may stand in a URI path as it is: RFC 3986 unreserved and
/// sub-delimiter characters, `:`, `@` and `/`.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

fn uri_path(path: &str) -> String {
    utf8_percent_encode(path, PATH).to_string()
}

fn location(finding: &Finding) -> Location<'_> {
    match Place::of(&finding.resource) {
        Place::File { path, line } => {
            let uri = if path.starts_with('/') {
                format!("file://{}", uri_path(path))
            } else {
                uri_path(path.strip_prefix("./").unwrap_or(path))
            };
            Location {
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation { uri },
                    region: line.map(|start_line| Region { start_line }),
                },
                logical_locations: vec![],
            }
        }
        Place::Cloud {
            arn,
            service,
            resource,
        } => {
            let name = if resource.is_empty() { arn } else { resource };
            let mut logical = vec![
                LogicalLocation {
                    name,
                    fully_qualified_name: Some(arn),
                    kind: "resource",
                },
                LogicalLocation {
                    name: &finding.account,
                    fully_qualified_name: None,
                    kind: "account",
                },
            ];
            if finding.region != "global" {
                logical.push(LogicalLocation {
                    name: &finding.region,
                    fully_qualified_name: None,
                    kind: "region",
                });
            }
            let mut uri = format!("aws/{}/{}/", uri_path(&finding.account), uri_path(service));
            if finding.region != "global" {
                uri.push_str(&uri_path(&finding.region));
                uri.push('/');
            }
            uri.push_str(&uri_path(name.trim_start_matches('/')));
            Location {
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation { uri },
                    region: None,
                },
                logical_locations: logical,
            }
        }
    }
}

fn result(finding: &Finding, rule_index: usize) -> SarifResult<'_> {
    let (kind, level, status) = match finding.status {
        Status::Fail => ("fail", level(finding.severity), "fail"),
        Status::NotAssessed => ("open", "none", "not-assessed"),
    };
    SarifResult {
        rule_id: finding.rule_id,
        rule_index,
        kind,
        level,
        message: Message {
            text: &finding.detail,
        },
        locations: [location(finding)],
        partial_fingerprints: Fingerprints {
            primary: &finding.fingerprint,
            cartguard: &finding.fingerprint,
        },
        properties: ResultProperties {
            severity: finding.severity.name(),
            status,
            account: &finding.account,
            region: &finding.region,
            resource: &finding.resource,
            title: finding.title,
            remediation: &finding.remediation,
            compliance: &finding.compliance,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::tests::{finding, report};

    fn render(findings: Vec<Finding>) -> serde_json::Value {
        let mut out = Vec::new();
        SarifRenderer
            .render(&report(findings), &mut out)
            .expect("renders");
        serde_json::from_slice(&out).expect("JSON")
    }

    #[test]
    fn results_locate_files_by_line_and_cloud_resources_by_arn() {
        let mut file = finding("secret-hardcoded", Status::Fail);
        file.resource = "server/app/.env:8".into();
        file.region = "files".into();
        let cloud = finding("iam-root-no-mfa", Status::Fail);
        let unknown = finding("iam-admin-access", Status::NotAssessed);
        let log = render(vec![file, cloud, unknown]);
        let run = &log["runs"][0];
        let results = run["results"].as_array().expect("results");
        assert_eq!(results.len(), 3);
        let physical = &results[0]["locations"][0]["physicalLocation"];
        assert_eq!(physical["artifactLocation"]["uri"], "server/app/.env");
        assert_eq!(physical["region"]["startLine"], 8);
        let cloud = &results[1]["locations"][0];
        assert_eq!(
            cloud["physicalLocation"]["artifactLocation"]["uri"],
            "aws/111122223333/iam/user/alice"
        );
        assert_eq!(
            cloud["logicalLocations"][0]["fullyQualifiedName"],
            "arn:aws:iam::111122223333:user/alice"
        );
        assert_eq!(results[1]["level"], "error");
        assert_eq!(results[2]["kind"], "open");
        assert_eq!(results[2]["level"], "none");
        assert_eq!(results[1]["partialFingerprints"]["cartguard/v1"], "0123");
        let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
        assert_eq!(rules.len(), all_rules().len());
        let index = results[1]["ruleIndex"].as_u64().expect("index") as usize;
        assert_eq!(rules[index]["id"], "iam-root-no-mfa");
        let help = rules[index]["help"]["text"].as_str().expect("help");
        assert!(help.contains("## How to fix"), "{help}");
        assert!(rules[index]["properties"]["security-severity"].is_string());
    }

    #[test]
    fn uris_are_percent_encoded_and_absolute_paths_are_file_uris() {
        let mut spaced = finding("secret-hardcoded", Status::Fail);
        spaced.resource = "/srv/my shop/.env:3".into();
        let log = render(vec![spaced]);
        assert_eq!(
            log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "file:///srv/my%20shop/.env"
        );
        assert_eq!(pascal_case("iam-root-access-keys"), "IamRootAccessKeys");
    }
}
