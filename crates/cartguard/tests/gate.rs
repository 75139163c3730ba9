//! The CI gate never goes green on nothing: a scan that read nothing is an
//! input error, an incomplete scan says so, `--fail-on-not-assessed` fails it,
//! and "now" is stated and may not contradict the evidence.

mod common;

use std::path::Path;

use common::{NOW, cartguard, fixture, repo};
use serde_json::Value;

/// Runs `cartguard ARGS` and returns (exit status, stdout, stderr).
fn run(args: &[&str], evidence: &Path) -> (Option<i32>, String, String) {
    let output = cartguard()
        .args(args)
        .arg("--evidence")
        .arg(evidence)
        .output()
        .expect("cartguard runs");
    (
        output.status.code(),
        String::from_utf8(output.stdout).expect("UTF-8"),
        String::from_utf8(output.stderr).expect("UTF-8"),
    )
}

fn demo() -> std::path::PathBuf {
    repo().join("examples/securecart/evidence")
}

/// The error a scan of `sources` that read nothing prints, around the examples
/// of operations (which follow the catalogue).
fn assert_nothing_read(stderr: &str, read: &str) {
    let operations = cartguard_rules::evidence_read();
    let head = format!(
        "error: {read}: no evidence that any rule reads was found, so nothing could be assessed; \
         cartguard expects the AWS CLI's JSON output of operations such as "
    );
    let tail = format!(
        " ({} operations in all); see docs/evidence.md for the files and the commands that produce them\n",
        operations.len()
    );
    assert!(stderr.starts_with(&head), "{stderr}");
    assert!(stderr.ends_with(&tail), "{stderr}");
    let examples = &stderr[head.len()..stderr.len() - tail.len()];
    let named: Vec<&str> = examples.split(", ").collect();
    assert_eq!(named.len(), 4, "{examples}");
    for name in named {
        assert!(
            operations.iter().any(|o| o.to_string() == name),
            "{name} is not an operation a rule reads"
        );
    }
}

#[test]
fn a_scan_that_reads_nothing_is_an_input_error_not_a_pass() {
    // An empty folder, and one holding only the caller identity (which names
    // the account but is read by no rule): neither can pass a gate.
    let empty = tempfile::tempdir().expect("tempdir");
    let identity_only = tempfile::tempdir().expect("tempdir");
    let sts = identity_only.path().join("sts/global");
    std::fs::create_dir_all(&sts).expect("mkdir");
    std::fs::write(
        sts.join("get-caller-identity.json"),
        r#"{"UserId": "AIDAEXAMPLE", "Account": "123456789012", "Arn": "arn:aws:iam::123456789012:user/auditor"}"#,
    )
    .expect("write");
    for args in [
        &["scan"][..],
        &["scan", "--format", "json", "--fail-on", "none"],
        &["scan", "--now", NOW, "--fail-on-not-assessed"],
    ] {
        // The empty folder is recognised as such while the folder is read.
        let (status, stdout, stderr) = run(args, empty.path());
        assert_eq!(status, Some(2), "{args:?}: {stderr}");
        assert_eq!(stdout, "", "{args:?}: nothing on standard output");
        assert_eq!(
            stderr,
            format!(
                "error: {}: no evidence file cartguard reads; the folder is empty; produce an evidence folder with scripts/collect-evidence.sh (docs/evidence.md)\n",
                empty.path().display()
            )
        );
        // A folder with evidence that no rule reads is caught after reading.
        let dir = identity_only.path();
        let (status, stdout, stderr) = run(args, dir);
        assert_eq!(status, Some(2), "{args:?}: {stderr}");
        assert_eq!(stdout, "", "{args:?}: nothing on standard output");
        assert_nothing_read(
            &stderr,
            &format!("nothing usable was read from evidence:{}", dir.display()),
        );
    }
}

#[test]
fn a_snapshot_without_accounts_is_an_input_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snapshot = dir.path().join("empty.snapshot.json");
    std::fs::write(
        &snapshot,
        r#"{"schema": "cartguard.snapshot/v1", "accounts": []}"#,
    )
    .expect("write");
    let output = cartguard()
        .args(["scan", "--snapshot"])
        .arg(&snapshot)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert_nothing_read(
        &String::from_utf8_lossy(&output.stderr),
        "the sources hold no account",
    );
}

/// A case with one medium failure whose other rules mostly lack evidence.
const INCOMPLETE_CASE: &str = "iam-user-multiple-active-keys/quiet";

#[test]
fn an_incomplete_scan_is_announced_in_text_and_json() {
    let case = fixture(INCOMPLETE_CASE);
    let (status, stdout, _) = run(&["scan", "--now", NOW, "--format", "json"], case.path());
    assert_eq!(status, Some(0), "nothing at or above high failed");
    let document: Value = serde_json::from_str(&stdout).expect("JSON");
    let unknown: Vec<&Value> = document["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["status"] == "not-assessed")
        .collect();
    let mut rules: Vec<&str> = unknown
        .iter()
        .filter_map(|f| f["rule_id"].as_str())
        .collect();
    rules.sort_unstable();
    rules.dedup();
    assert!(unknown.len() > 5, "the case is incomplete");
    assert_eq!(document["scan"]["complete"], false);
    assert_eq!(document["scan"]["not_assessed"], unknown.len());
    assert_eq!(document["scan"]["not_assessed_rules"], rules.len());

    let (status, text, _) = run(&["scan", "--now", NOW], case.path());
    assert_eq!(status, Some(0));
    let counted = format!(
        "{} findings of {} rules not assessed",
        unknown.len(),
        rules.len()
    );
    // The distinct reasons, most frequent first (ties in report order), five at most.
    let mut reasons: Vec<(&str, usize)> = Vec::new();
    for detail in unknown.iter().filter_map(|f| f["detail"].as_str()) {
        match reasons.iter_mut().find(|(r, _)| *r == detail) {
            Some((_, n)) => *n += 1,
            None => reasons.push((detail, 1)),
        }
    }
    reasons.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let mut expected = vec![format!("INCOMPLETE: {counted}, because:")];
    expected.extend(
        reasons
            .iter()
            .take(5)
            .map(|(reason, n)| format!("  - {reason} (×{n})")),
    );
    if reasons.len() > 5 {
        expected.push(format!(
            "  - and {} more reasons (see NOT ASSESSED below)",
            reasons.len() - 5
        ));
    }
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[3..3 + expected.len()], expected, "{text}");
    assert!(
        !lines[3 + expected.len()].starts_with("  - "),
        "no more reasons than announced: {text}"
    );
    assert!(
        lines[4].starts_with("  - iam:GetAccountAuthorizationDetails was not collected (×"),
        "the most frequent reason first: {text}"
    );
    assert_eq!(
        lines.last().copied(),
        Some(format!("PASS: nothing at or above high · INCOMPLETE: {counted}").as_str())
    );
}

#[test]
fn a_complete_scan_says_complete() {
    let (_, stdout, _) = run(
        &[
            "scan",
            "--now",
            NOW,
            "--format",
            "json",
            "--fail-on",
            "none",
        ],
        &demo(),
    );
    let document: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(document["scan"]["complete"], true);
    assert_eq!(document["scan"]["not_assessed"], 0);
    let (_, text, _) = run(&["scan", "--now", NOW, "--fail-on", "none"], &demo());
    assert!(!text.contains("INCOMPLETE"), "{text}");
}

#[test]
fn fail_on_not_assessed_fails_the_gate_on_an_incomplete_scan_only() {
    let case = fixture(INCOMPLETE_CASE);
    let (status, text, _) = run(
        &["scan", "--now", NOW, "--fail-on-not-assessed"],
        case.path(),
    );
    assert_eq!(status, Some(1));
    let last = text.lines().last().expect("a verdict");
    assert!(
        last.starts_with("FAIL: ") && last.ends_with(" not assessed (--fail-on-not-assessed)"),
        "{last}"
    );
    assert!(!text.contains("PASS"), "{text}");
    // Even when failures alone never fail the run.
    let (status, _, _) = run(
        &[
            "scan",
            "--now",
            NOW,
            "--fail-on",
            "none",
            "--fail-on-not-assessed",
        ],
        case.path(),
    );
    assert_eq!(status, Some(1));
    // The demo store was assessed in full: only its failures count.
    let (status, _, _) = run(
        &[
            "scan",
            "--now",
            NOW,
            "--fail-on",
            "none",
            "--fail-on-not-assessed",
        ],
        &demo(),
    );
    assert_eq!(status, Some(0));
}

#[test]
fn now_before_the_evidence_is_an_input_error_naming_the_date() {
    let (status, stdout, stderr) = run(&["scan", "--now", "2026-01-01T00:00:00Z"], &demo());
    assert_eq!(status, Some(2));
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "error: --now 2026-01-01T00:00:00Z is earlier than the evidence of account 111122223333: \
         the RoleLastUsed date of the role vpc-flow-logs-delivery is 2026-11-20T11:59:58Z; \
         give a --now at or after it, or leave --now out to use the clock\n"
    );
    // The credential report's dates count, to the second.
    let case = fixture(INCOMPLETE_CASE);
    let (status, _, stderr) = run(&["scan", "--now", "2026-11-19T09:59:59Z"], case.path());
    assert_eq!(status, Some(2));
    assert_eq!(
        stderr,
        "error: --now 2026-11-19T09:59:59Z is earlier than the evidence of account 123456789012: \
         deploy's access_key_1_last_used_date in the credential report is 2026-11-19T10:00:00Z; \
         give a --now at or after it, or leave --now out to use the clock\n"
    );
    let (status, _, stderr) = run(&["scan", "--now", "2026-11-19T10:00:00Z"], case.path());
    assert_eq!(
        status,
        Some(0),
        "the newest date itself is a valid now: {stderr}"
    );
}

#[test]
fn the_report_states_the_date_ages_were_computed_as_of() {
    let json = |args: &[&str]| -> Value {
        let (status, stdout, stderr) = run(args, &demo());
        assert_eq!(status, Some(0), "{stderr}");
        serde_json::from_str(&stdout).expect("JSON")
    };
    let fixed = json(&[
        "scan",
        "--format",
        "json",
        "--fail-on",
        "none",
        "--now",
        NOW,
    ]);
    assert_eq!(fixed["scan"]["now"], NOW);
    assert_eq!(fixed["scan"]["now_from"], "--now");
    let clock = json(&["scan", "--format", "json", "--fail-on", "none"]);
    assert_eq!(clock["scan"]["now_from"], "clock");
    assert_eq!(clock["scan"]["now"], clock["scan"]["started"]);

    let (_, text, _) = run(&["scan", "--fail-on", "none"], &demo());
    let line = text.lines().nth(1).expect("a second line");
    let now = clock["scan"]["now"].as_str().expect("a date");
    let (prefix, suffix) = (
        "ages computed as of ",
        " (today; fix it with --now to reproduce this report)",
    );
    assert!(line.starts_with(prefix) && line.ends_with(suffix), "{line}");
    let date = &line[prefix.len()..line.len() - suffix.len()];
    assert!(
        chrono::DateTime::parse_from_rfc3339(date).is_ok(),
        "{date} is not RFC 3339"
    );
    // Each run reads the clock anew: only the date's shape is compared.
    assert_eq!(date.len(), now.len(), "{date} vs {now}");
    let (_, text, _) = run(&["scan", "--fail-on", "none", "--now", NOW], &demo());
    assert_eq!(
        text.lines().nth(1),
        Some("ages computed as of 2026-11-20T12:00:00Z (--now)")
    );
}

#[test]
fn help_lists_only_what_this_build_does_and_the_exit_statuses() {
    let help = |args: &[&str]| {
        let output = cartguard().args(args).output().expect("runs");
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        String::from_utf8(output.stdout).expect("UTF-8")
    };
    let top = help(&["--help"]);
    assert!(top.contains("  collect "), "{top}");
    let scan = help(&["scan", "--help"]);
    for shown in [
        "--aws",
        "--profile <PROFILE>",
        "--region <REGION>",
        "--endpoint-url <URL>",
        "--role-arn <ARN>",
        "--external-id <ID>",
        "\n  3  a live scan (--aws) was incomplete",
        "--path <PATH>",
        "--max-file-size <SIZE>",
        "--no-ignore",
        "--fail-on-not-assessed",
        "Exit status:\n  0  nothing at or above --fail-on failed",
        "An incomplete scan exits 0 unless\n     --fail-on-not-assessed is given, but always says INCOMPLETE.",
        "\n  1  the gate failed",
        "\n  2  a usage or input error",
    ] {
        assert!(scan.contains(shown), "{shown:?} missing from\n{scan}");
    }
    let collect = help(&["collect", "--help"]);
    assert!(collect.contains("--out <FILE>"), "{collect}");
    assert!(
        collect.contains("\n  3  the snapshot was written but is incomplete"),
        "{collect}"
    );
}
