//! The exchange formats on the demo scan (the store's account and its
//! servers): validated against their published schemas, pinned by snapshots,
//! carrying every finding of the JSON report; several formats at once with
//! `--output-dir`; and `cartguard report`, which renders a saved findings
//! document again without scanning.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{DEMO, NOW, cartguard, repo};
use serde_json::Value;

/// The server files of the demo run in the production account: ASFF files
/// every finding under an account.
const FILES_ACCOUNT: [&str; 2] = ["--files-account", "111122223333"];

/// Scans the demo into `dir`, one file per format, and returns the files' directory.
fn demo_reports(dir: &Path, formats: &[&str]) -> std::process::Output {
    let mut command = cartguard();
    command
        .current_dir(repo())
        .args(["scan", "--now", NOW, "--fail-on", "none"])
        .args(DEMO)
        .args(FILES_ACCOUNT);
    for format in formats {
        command.args(["--format", format]);
    }
    command
        .arg("--output-dir")
        .arg(dir)
        .output()
        .expect("cartguard runs")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn schema(name: &str) -> jsonschema::Validator {
    let path = repo().join("crates/cartguard-report/schemas").join(name);
    jsonschema::validator_for(&read_json(&path)).expect("the schema compiles")
}

fn assert_valid(validator: &jsonschema::Validator, document: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(document)
        .take(20)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

fn all_formats() -> Vec<&'static str> {
    cartguard_report::FORMATS.iter().map(|f| f.name).collect()
}

#[test]
fn exchange_formats_validate_against_their_published_schemas() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = demo_reports(dir.path(), &["sarif", "ocsf", "asff", "json"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let sarif = read_json(&dir.path().join("cartguard.sarif"));
    assert_valid(&schema("sarif-schema-2.1.0.json"), &sarif, "SARIF");
    let ocsf = read_json(&dir.path().join("cartguard.ocsf.json"));
    let ocsf_schema = schema("ocsf-1.5.0-compliance_finding.schema.json");
    for (n, event) in ocsf
        .as_array()
        .expect("an array of events")
        .iter()
        .enumerate()
    {
        assert_valid(&ocsf_schema, event, &format!("OCSF event {n}"));
    }
    let asff = read_json(&dir.path().join("cartguard.asff.json"));
    assert_valid(&schema("asff-2018-10-26.schema.json"), &asff, "ASFF");
    // The limits AWS states in prose only.
    let chars = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
    for finding in asff.as_array().expect("findings") {
        assert!(chars(&finding["Title"]) <= 256);
        assert!(chars(&finding["Description"]) <= 1024);
        assert!(chars(&finding["Remediation"]["Recommendation"]["Text"]) <= 512);
        let related = &finding["Compliance"]["RelatedRequirements"];
        assert!(related.as_array().map_or(0, Vec::len) <= 32);
    }
    let json = read_json(&dir.path().join("cartguard.json"));
    let findings = json["findings"].as_array().expect("findings").len();
    assert!(findings > 100, "the demo has findings of every kind");
    assert_eq!(ocsf.as_array().map(Vec::len), Some(findings));
    assert_eq!(asff.as_array().map(Vec::len), Some(findings));
}

/// Copies a folder, recursively.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("readable").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Results that could not be assessed take their own shape in each exchange
/// format (SARIF kind `open`, OCSF status Warning, ASFF WARNING with a
/// reason); they validate too.
#[test]
fn not_assessed_results_validate_in_every_exchange_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let evidence = dir.path().join("evidence");
    copy_dir(&repo().join("examples/securecart/evidence"), &evidence);
    // Without the KMS answers and the buckets' encryption, those rules cannot decide.
    std::fs::remove_dir_all(evidence.join("kms")).expect("kms");
    std::fs::remove_dir_all(evidence.join("s3/global/get-bucket-encryption")).expect("s3");
    let out = dir.path().join("reports");
    let output = cartguard()
        .args(["scan", "--now", NOW, "--fail-on", "none", "--evidence"])
        .arg(&evidence)
        .args(["--format", "sarif", "--format", "ocsf", "--format", "asff"])
        .arg("--output-dir")
        .arg(&out)
        .output()
        .expect("runs");
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("INCOMPLETE"));

    let sarif = read_json(&out.join("cartguard.sarif"));
    assert_valid(&schema("sarif-schema-2.1.0.json"), &sarif, "SARIF");
    let open = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["kind"] == "open" && r["level"] == "none")
        .count();
    assert!(open > 0, "not-assessed results are of kind open");

    let ocsf = read_json(&out.join("cartguard.ocsf.json"));
    let ocsf_schema = schema("ocsf-1.5.0-compliance_finding.schema.json");
    let mut warnings = 0;
    for event in ocsf.as_array().expect("events") {
        assert_valid(&ocsf_schema, event, "OCSF event");
        if event["compliance"]["status"] == "Warning" {
            warnings += 1;
            assert!(event["compliance"]["status_detail"].is_string());
        }
    }
    assert_eq!(warnings, open);

    let asff = read_json(&out.join("cartguard.asff.json"));
    assert_valid(&schema("asff-2018-10-26.schema.json"), &asff, "ASFF");
    let warned = asff
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| {
            f["Compliance"]["Status"] == "WARNING"
                && f["Compliance"]["StatusReasons"][0]["Description"].is_string()
        })
        .count();
    assert_eq!(warned, open);
}

/// What GitHub code scanning requires of an upload beyond the SARIF schema:
/// a location with a relative URI for every result, rule ids that resolve,
/// a security-severity on each rule that is not inventory, fingerprints.
#[test]
fn sarif_is_shaped_the_way_github_code_scanning_takes_uploads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = demo_reports(dir.path(), &["sarif"]);
    assert!(output.status.success());
    let sarif = read_json(&dir.path().join("cartguard.sarif"));
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    for rule in rules {
        assert!(
            rule["help"]["text"]
                .as_str()
                .is_some_and(|t| t.contains("## How to fix"))
        );
        if rule["properties"]["severity"] != "info" {
            let score: f64 = rule["properties"]["security-severity"]
                .as_str()
                .and_then(|s| s.parse().ok())
                .unwrap_or_else(|| panic!("{}: no security-severity", rule["id"]));
            assert!((0.1..=10.0).contains(&score));
        }
    }
    let mut files = 0;
    for result in run["results"].as_array().expect("results") {
        let id = result["ruleId"].as_str().expect("a rule id");
        let index = result["ruleIndex"].as_u64().expect("a rule index") as usize;
        assert_eq!(ids.get(index), Some(&id));
        let locations = result["locations"].as_array().expect("locations");
        assert_eq!(locations.len(), 1, "{result}");
        let physical = &locations[0]["physicalLocation"];
        let uri = physical["artifactLocation"]["uri"].as_str().expect("a URI");
        assert!(!uri.starts_with('/') && !uri.contains("://"), "{uri}");
        if uri.starts_with("examples/securecart/server/") {
            files += 1;
            if let Some(line) = physical["region"]["startLine"].as_u64() {
                assert!(line >= 1);
            }
        } else {
            // Each cloud finding is located in its own account.
            let account = ["111122223333", "222233334444"]
                .into_iter()
                .find(|a| uri.starts_with(&format!("aws/{a}/")))
                .unwrap_or_else(|| panic!("{uri} is in no account of the demo"));
            let logical = locations[0]["logicalLocations"]
                .as_array()
                .expect("logical");
            assert!(
                logical[0]["fullyQualifiedName"]
                    .as_str()
                    .is_some_and(|arn| arn.starts_with("arn:aws:"))
            );
            assert_eq!(logical[1]["name"], account);
        }
        assert!(result["partialFingerprints"]["primaryLocationLineHash"].is_string());
    }
    assert!(files > 10, "the demo's server files are located");
}

/// The formats a program reads carry every finding of the JSON report, each
/// by its fingerprint. The text and Markdown reports are for people: the
/// Markdown report keeps the most severe findings under GitHub's comment
/// limit, and neither shows fingerprints. A new format must be put in one list.
#[test]
fn every_machine_format_carries_the_fingerprints_of_the_json() {
    let for_people = ["text", "markdown"];
    let dir = tempfile::tempdir().expect("tempdir");
    let output = demo_reports(dir.path(), &all_formats());
    assert!(output.status.success());
    let json = read_json(&dir.path().join("cartguard.json"));
    let expected: BTreeSet<String> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            f["fingerprint"]
                .as_str()
                .expect("a fingerprint")
                .to_string()
        })
        .collect();
    assert_eq!(
        expected.len(),
        json["findings"].as_array().map_or(0, Vec::len)
    );
    for format in cartguard_report::FORMATS {
        let path = dir.path().join(format.file_name);
        let text = std::fs::read_to_string(&path).expect("written");
        let found: BTreeSet<String> = match format.name {
            "json" => expected.clone(),
            "csv" => {
                let mut reader = csv::Reader::from_reader(text.as_bytes());
                let column = reader
                    .headers()
                    .expect("a header")
                    .iter()
                    .position(|h| h == "fingerprint")
                    .expect("a fingerprint column");
                reader
                    .records()
                    .map(|r| r.expect("a row")[column].to_string())
                    .collect()
            }
            "html" => text
                .split("<dt>Fingerprint</dt><dd><code>")
                .skip(1)
                .map(|rest| rest.chars().take_while(char::is_ascii_hexdigit).collect())
                .collect(),
            "junit" => text
                .split("Fingerprint: ")
                .skip(1)
                .map(|rest| rest.chars().take_while(char::is_ascii_hexdigit).collect())
                .collect(),
            "sarif" => read_json(&path)["runs"][0]["results"]
                .as_array()
                .expect("results")
                .iter()
                .map(|r| {
                    r["partialFingerprints"]["cartguard/v1"]
                        .as_str()
                        .unwrap_or("")
                        .to_string()
                })
                .collect(),
            "ocsf" => read_json(&path)
                .as_array()
                .expect("events")
                .iter()
                .map(|e| e["finding_info"]["uid"].as_str().unwrap_or("").to_string())
                .collect(),
            "asff" => read_json(&path)
                .as_array()
                .expect("findings")
                .iter()
                .map(|f| {
                    f["ProductFields"]["cartguard/Fingerprint"]
                        .as_str()
                        .unwrap_or("")
                        .to_string()
                })
                .collect(),
            name => {
                assert!(
                    for_people.contains(&name),
                    "format {name}: say here how it carries fingerprints, or list it as for people"
                );
                continue;
            }
        };
        assert_eq!(found, expected, "{}", format.name);
    }
}

fn pinned(format: &str, mut document: Value) {
    // The version changes with every release; the rest must not change unseen.
    for event in document.as_array_mut().into_iter().flatten() {
        event["metadata"]["product"]["version"] = "[version]".into();
    }
    if format == "sarif" {
        let driver = &mut document["runs"][0]["tool"]["driver"];
        driver["version"] = "[version]".into();
        driver["semanticVersion"] = "[version]".into();
    }
    insta::with_settings!({snapshot_path => "snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_json_snapshot!(format!("securecart-demo.{format}"), document);
    });
}

#[test]
fn demo_in_each_exchange_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = demo_reports(dir.path(), &["sarif", "ocsf", "asff"]);
    assert!(output.status.success());
    pinned("sarif", read_json(&dir.path().join("cartguard.sarif")));
    pinned("ocsf", read_json(&dir.path().join("cartguard.ocsf.json")));
    pinned("asff", read_json(&dir.path().join("cartguard.asff.json")));
}

#[test]
fn several_formats_need_an_output_dir_and_files_still_print_the_summary() {
    let output = cartguard()
        .current_dir(repo())
        .args(["scan", "--now", NOW])
        .args(DEMO)
        .args(FILES_ACCOUNT)
        .args(["--format", "sarif", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--output-dir"), "{stderr}");
    assert!(output.stdout.is_empty());

    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("report.sarif");
    let output = cartguard()
        .current_dir(repo())
        .args(["scan", "--now", NOW, "--format", "sarif"])
        .args(DEMO)
        .args(FILES_ACCOUNT)
        .arg("--output")
        .arg(&file)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1), "the demo fails its gate");
    assert!(output.stdout.is_empty(), "the report goes to the file");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("failed: "), "{stderr}");
    assert!(stderr.contains("FAIL: "), "{stderr}");
    assert!(stderr.contains("report.sarif"), "{stderr}");
    assert!(file.exists());

    // The same format twice is one file, and the folder is created.
    let nested = dir.path().join("a/b");
    let output = demo_reports(&nested, &["csv", "csv", "junit"]);
    assert!(output.status.success());
    let mut names: Vec<String> = std::fs::read_dir(&nested)
        .expect("the folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    assert_eq!(names, ["cartguard.csv", "cartguard.junit.xml"]);
}

#[test]
fn report_renders_a_saved_document_as_the_scan_would() {
    let dir = tempfile::tempdir().expect("tempdir");
    let formats = all_formats();
    let output = demo_reports(dir.path(), &formats);
    assert!(output.status.success());
    let saved = dir.path().join("cartguard.json");
    for format in cartguard_report::FORMATS {
        let again = dir.path().join(format!("again-{}", format.file_name));
        let output = cartguard()
            .args(["report", "--format", format.name])
            .arg(&saved)
            .arg("--output")
            .arg(&again)
            .output()
            .expect("runs");
        assert!(
            output.status.success(),
            "{}: {}",
            format.name,
            String::from_utf8_lossy(&output.stderr)
        );
        let original = std::fs::read(dir.path().join(format.file_name)).expect("scanned");
        let rendered = std::fs::read(&again).expect("re-rendered");
        assert!(
            original == rendered,
            "{} differs when re-rendered",
            format.name
        );
    }
    // The document keeps no gate (the scan's was none); one can be asked for again.
    let output = cartguard()
        .args(["report", "--format", "markdown", "--fail-on", "high"])
        .arg(&saved)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let markdown = String::from_utf8_lossy(&output.stdout);
    let scanned = std::fs::read_to_string(dir.path().join("cartguard.md")).expect("scanned");
    assert!(markdown.starts_with("## cartguard: FAIL: "), "{markdown}");
    assert_ne!(markdown, scanned, "the scan's own gate was none");

    // `-` reads the document from standard input.
    let output = cartguard()
        .args(["report", "-", "--format", "csv"])
        .pipe_stdin(&saved)
        .expect("the saved document")
        .output()
        .expect("runs");
    assert!(output.status.success());
    let scanned = std::fs::read(dir.path().join("cartguard.csv")).expect("scanned");
    assert!(output.stdout == scanned, "csv from standard input differs");
}

#[test]
fn report_names_the_file_and_the_json_path_of_a_bad_document() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = demo_reports(dir.path(), &["json", "sarif"]);
    assert!(output.status.success());
    let text = std::fs::read_to_string(dir.path().join("cartguard.json")).expect("saved");
    let bad = dir.path().join("bad.json");
    let broken = text.replacen("\"status\": \"fail\"", "\"status\": \"failed\"", 1);
    std::fs::write(&bad, broken).expect("write");
    let output = cartguard()
        .args(["report"])
        .arg(&bad)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bad.json"), "{stderr}");
    assert!(stderr.contains("findings[0].status"), "{stderr}");
    assert!(stderr.contains("\"failed\""), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");

    let output = cartguard()
        .args(["report"])
        .arg(dir.path().join("cartguard.sarif"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cartguard.sarif"), "{stderr}");
    assert!(stderr.contains("schema"), "{stderr}");

    let output = cartguard()
        .args(["report"])
        .arg(dir.path().join("missing.json"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("missing.json"));
}
