//! Input the scan cannot use stops it with exit status 2 and one message that
//! says what is wrong and what to give instead.

mod common;

use std::path::Path;

use common::{NOW, cartguard, repo};

/// Exit status and standard error of `cartguard scan ARGS`, run in the repository.
fn scan(args: &[&str]) -> (Option<i32>, String) {
    let output = cartguard()
        .current_dir(repo())
        .args(["scan", "--now", NOW, "--fail-on", "none"])
        .args(args)
        .output()
        .expect("runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 temp path")
}

#[test]
fn the_folder_above_the_evidence_names_the_evidence() {
    assert_eq!(
        scan(&["--evidence", "examples/securecart"]),
        (
            Some(2),
            "error: examples/securecart: no evidence file cartguard reads; the evidence is one level down: did you mean --evidence examples/securecart/evidence --evidence examples/securecart/evidence-staging?\n".to_string()
        )
    );
}

#[test]
fn an_empty_folder_or_flat_cli_output_is_explained() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (status, stderr) = scan(&["--evidence", path(dir.path())]);
    assert_eq!(status, Some(2));
    assert_eq!(
        stderr,
        format!(
            "error: {}: no evidence file cartguard reads; the folder is empty; produce an evidence folder with scripts/collect-evidence.sh (docs/evidence.md)\n",
            dir.path().display()
        )
    );
    write(
        dir.path(),
        "describe-security-groups.json",
        r#"{"SecurityGroups": []}"#,
    );
    let (status, stderr) = scan(&["--evidence", path(dir.path())]);
    assert_eq!(status, Some(2));
    assert_eq!(
        stderr,
        format!(
            "error: {}: no evidence file cartguard reads; it holds AWS CLI output side by side (describe-security-groups.json); cartguard reads each call's output at <service>/<region|global>/<operation>.json (see docs/evidence.md), e.g. ec2/eu-west-1/describe-vpcs.json\n",
            dir.path().display()
        )
    );
}

#[test]
fn another_tools_output_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "output/prowler-output-111122223333.ocsf.json",
        "[]",
    );
    let (status, stderr) = scan(&["--evidence", path(dir.path())]);
    assert_eq!(status, Some(2));
    assert!(
        stderr.ends_with("no evidence file cartguard reads; it holds Prowler's output (*.ocsf.json), which cartguard does not read; give it the AWS CLI's output laid out as <service>/<region|global>/<operation>.json (see docs/evidence.md), which scripts/collect-evidence.sh produces\n"),
        "{stderr}"
    );
}

#[test]
fn a_file_holding_another_calls_output_stops_the_scan() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "ec2/eu-west-1/describe-security-groups.json",
        "{\n    \"Vpcs\": []\n}\n",
    );
    let (status, stderr) = scan(&["--evidence", path(dir.path())]);
    assert_eq!(status, Some(2));
    assert_eq!(
        stderr,
        format!(
            "error: {}/ec2/eu-west-1/describe-security-groups.json:1:1: holds the output of ec2 describe-vpcs, not describe-security-groups (expected `SecurityGroups` at the top level, found the keys `Vpcs`)\n",
            dir.path().display()
        )
    );
}

#[test]
fn a_syntax_error_is_said_in_words_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "iam/global/get-account-summary.json",
        "{\"SummaryMap\": {\"Users\": 3]}",
    );
    let (status, stderr) = scan(&["--evidence", path(dir.path())]);
    assert_eq!(status, Some(2));
    assert_eq!(
        stderr,
        format!(
            "error: {}/iam/global/get-account-summary.json:1:27: expected `,` or `}}` after an object member, found `]`\n",
            dir.path().display()
        )
    );
}

#[test]
fn a_missing_source_is_named_once() {
    assert_eq!(
        scan(&["--evidence", "/nonexistent/evidence"]),
        (
            Some(2),
            "error: /nonexistent/evidence: no such file or folder\n".to_string()
        )
    );
    assert_eq!(
        scan(&["--snapshot", "/nonexistent/snapshot.json"]),
        (
            Some(2),
            "error: /nonexistent/snapshot.json: no such file or folder\n".to_string()
        )
    );
}

#[test]
fn the_same_folder_twice_is_refused() {
    let (status, stderr) = scan(&[
        "--evidence",
        "examples/securecart/evidence",
        "--evidence",
        "./examples/securecart/evidence/",
    ]);
    assert_eq!(status, Some(2));
    assert_eq!(
        stderr,
        format!(
            "error: --evidence examples/securecart/evidence and --evidence ./examples/securecart/evidence/ are the same source ({}); give each source once\n",
            repo()
                .join("examples/securecart/evidence")
                .canonicalize()
                .expect("exists")
                .display()
        )
    );
}

#[test]
fn two_sources_of_one_account_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snapshot = dir.path().join("securecart.json");
    let (status, _) = scan(&[
        "--evidence",
        "examples/securecart/evidence",
        "--save-snapshot",
        path(&snapshot),
    ]);
    assert_eq!(status, Some(0));
    // The snapshot reads back alone.
    assert_eq!(scan(&["--snapshot", path(&snapshot)]).0, Some(0));
    let (status, stderr) = scan(&[
        "--evidence",
        "examples/securecart/evidence",
        "--snapshot",
        path(&snapshot),
    ]);
    assert_eq!(status, Some(2));
    assert_eq!(
        stderr,
        format!(
            "error: --evidence examples/securecart/evidence and --snapshot {} both hold account 111122223333, both with regions eu-west-1, us-east-1; give each account once (sources are not merged)\n",
            snapshot.display()
        )
    );
}

#[test]
fn a_snapshot_without_a_known_version_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("old.json");
    std::fs::write(&file, r#"{"accounts": []}"#).expect("write");
    let (status, stderr) = scan(&["--snapshot", path(&file)]);
    assert_eq!(status, Some(2));
    assert_eq!(
        stderr,
        format!(
            "error: {}: not a cartguard snapshot: no `schema` naming its format and version; this build reads snapshots of version `cartguard.snapshot/v1`\n",
            file.display()
        )
    );
}

/// A value inside a valid file that cannot be read (here the only rule that
/// opens SSH has the CIDR `0.0.0.0/99`) is never dropped: the scan says the
/// instance could not be assessed, naming the call, the JSON path and the
/// value, announces an incomplete scan, and fails a strict gate.
#[test]
fn an_unreadable_value_is_not_assessed_never_dropped() {
    let case = common::fixture("net-admin-port-open/undecided-only-rule-invalid");
    let run = |extra: &[&str]| {
        common::cartguard()
            .args(["scan", "--now", common::NOW])
            .args(extra)
            .arg("--evidence")
            .arg(case.path())
            .output()
            .expect("runs")
    };
    let json = run(&["--format", "json", "--fail-on", "none"]);
    assert_eq!(
        json.status.code(),
        Some(0),
        "not-assessed alone does not fail a gate"
    );
    let document: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let finding = document["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule_id"] == "net-admin-port-open")
        .expect("net-admin-port-open speaks about the instance");
    assert_eq!(finding["status"], "not-assessed");
    let detail = finding["detail"].as_str().expect("detail");
    for part in [
        "ec2:DescribeSecurityGroups in eu-west-1",
        "IpRanges[0].CidrIp",
        "\"0.0.0.0/99\"",
    ] {
        assert!(detail.contains(part), "{part} not in: {detail}");
    }
    assert_eq!(document["scan"]["complete"], false);

    let text = run(&[]);
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(stdout.contains("INCOMPLETE:"), "{stdout}");

    let strict = run(&["--fail-on", "none", "--fail-on-not-assessed"]);
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn live_options_without_a_live_scan_are_refused() {
    assert_eq!(
        scan(&[
            "--evidence",
            "examples/securecart/evidence",
            "--profile",
            "prod"
        ]),
        (
            Some(2),
            "error: --profile is an option of live scans: add --aws to scan the account live too\n"
                .to_string()
        )
    );
    assert_eq!(
        scan(&["--snapshot", "x.json", "--region", "eu-west-1"]).1,
        "error: --region is an option of live scans: add --aws to scan the account live too\n"
    );
}

#[test]
fn sources_without_an_account_id_are_said_to_be_unchecked() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["a", "b"] {
        write(
            dir.path(),
            &format!("{name}/ec2/eu-west-1/describe-vpcs.json"),
            r#"{"Vpcs": []}"#,
        );
    }
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let output = cartguard()
        .args(["scan", "--now", NOW, "--fail-on", "none"])
        .args(["--evidence", path(&a), "--evidence", path(&b)])
        .output()
        .expect("runs");
    // The warnings are part of the report.
    let stdout = String::from_utf8_lossy(&output.stdout);
    for folder in [&a, &b] {
        let warning = format!(
            "warning: --evidence {}: the account id is not in the evidence (sts:GetCallerIdentity, an IAM ARN or a security group owner), so it cannot be checked against the other sources for overlap\n",
            folder.display()
        );
        assert!(stdout.contains(&warning), "{stdout}");
    }
}

#[test]
fn files_account_must_be_an_account_of_the_scan() {
    assert_eq!(
        scan(&[
            "--evidence",
            "examples/securecart/evidence",
            "--path",
            "examples/securecart/server",
            "--files-account",
            "999999999999",
        ]),
        (
            Some(2),
            "error: --files-account 999999999999 is not an account of this scan (scanned: 111122223333)\n"
                .to_string()
        )
    );
}
