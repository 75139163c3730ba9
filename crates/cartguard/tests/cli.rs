//! The command line as a user runs it: exit codes, errors, formats, docs.

mod common;

use common::{NOW, cartguard, fixture, json_of, json_text_of, repo, scan_json};

#[test]
fn exit_status_follows_fail_on() {
    // A critical finding: root has an active access key.
    let critical = fixture("iam-root-access-keys/fires");
    let run = |fail_on: &str| {
        cartguard()
            .args(["scan", "--now", NOW, "--fail-on", fail_on, "--evidence"])
            .arg(critical.path())
            .output()
            .expect("runs")
            .status
            .code()
    };
    assert_eq!(run("high"), Some(1));
    assert_eq!(run("critical"), Some(1));
    assert_eq!(run("none"), Some(0));
    // Only a low finding (two active keys) fails at low but not at the default.
    let low = fixture("iam-user-multiple-active-keys/fires");
    let status = |args: &[&str]| {
        cartguard()
            .args(["scan", "--now", NOW])
            .args(args)
            .arg("--evidence")
            .arg(low.path())
            .output()
            .expect("runs")
            .status
            .code()
    };
    assert_eq!(status(&[]), Some(0));
    assert_eq!(status(&["--fail-on", "low"]), Some(1));
}

#[test]
fn usage_errors_exit_2() {
    let output = cartguard()
        .args(["scan", "--fail-on", "severe", "--evidence", "."])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let output = cartguard()
        .args(["scan", "--now", "yesterday", "--evidence", "."])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    // No source: the default credential chain's account, live. Here the
    // chain holds dummy keys and the endpoint is a port where nothing
    // listens, so every call fails: the scan says so and exits 3.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let output = cartguard()
        .args(["scan", "--region", "eu-west-1"])
        .env("AWS_ENDPOINT_URL", format!("http://127.0.0.1:{closed}"))
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("sts:GetCallerIdentity failed: ConnectionError"),
        "{stderr}"
    );
    let output = cartguard()
        .args(["scan", "--evidence", "/nonexistent/evidence"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("/nonexistent/evidence"));
}

fn corrupt(rel: &str, text: &str) -> (i32, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(&path, text).expect("write");
    let output = cartguard()
        .args(["scan", "--evidence"])
        .arg(dir.path())
        .output()
        .expect("runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn corrupted_evidence_is_one_line_with_file_line_and_column() {
    let (code, stderr) = corrupt(
        "ec2/eu-west-1/describe-security-groups.json",
        "{\"SecurityGroups\": [\n  {\"GroupId\": \"sg-1\",",
    );
    assert_eq!(code, 2);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("describe-security-groups.json:2:"),
        "{stderr}"
    );

    let (code, stderr) = corrupt(
        "iam/global/get-account-password-policy.json",
        "{\"PasswordPolicy\": {\"MinimumPasswordLength\": \"fourteen\"}}",
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("get-account-password-policy.json:1:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("PasswordPolicy.MinimumPasswordLength"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");

    let (code, stderr) = corrupt(
        "iam/global/credential-report.csv",
        "user,arn\nalice,arn:aws:iam::1:user/alice\n",
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("credential-report.csv"), "{stderr}");
}

#[test]
fn json_output_validates_against_the_documented_schema() {
    let schema_text =
        std::fs::read_to_string(repo().join("docs/findings.schema.json")).expect("schema");
    let schema: serde_json::Value = serde_json::from_str(&schema_text).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let (fires, quiet) = (
        fixture("iam-root-access-keys/fires"),
        fixture("iam-password-policy-weak/quiet"),
    );
    for evidence in [
        repo().join("examples/securecart/evidence"),
        fires.path().to_path_buf(),
        quiet.path().to_path_buf(),
    ] {
        let document = scan_json(&evidence);
        let errors: Vec<String> = validator
            .iter_errors(&document)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", evidence.display());
    }
}

#[test]
fn output_file_and_snapshot_round_trip() {
    let dir = tempfile::tempdir().expect("tempdir");
    let report = dir.path().join("report.json");
    let snapshot = dir.path().join("account.snapshot.json");
    let case = fixture("iam-user-console-no-mfa/fires");
    let evidence = case.path();
    let status = cartguard()
        .args([
            "scan",
            "--format",
            "json",
            "--fail-on",
            "none",
            "--now",
            NOW,
            "--output",
        ])
        .arg(&report)
        .arg("--save-snapshot")
        .arg(&snapshot)
        .arg("--evidence")
        .arg(evidence)
        .output()
        .expect("runs");
    assert!(status.status.success());
    assert!(status.stdout.is_empty(), "the report goes to the file only");
    let from_evidence: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("report")).expect("json");
    let output = cartguard()
        .args([
            "scan",
            "--format",
            "json",
            "--fail-on",
            "none",
            "--now",
            NOW,
            "--snapshot",
        ])
        .arg(&snapshot)
        .output()
        .expect("runs");
    let from_snapshot: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(from_evidence["findings"], from_snapshot["findings"]);
    assert_eq!(from_evidence["coverage"], from_snapshot["coverage"]);
}

#[test]
fn text_report_without_a_terminal_has_no_colour() {
    let output = cartguard()
        .args(["scan", "--now", NOW, "--fail-on", "none", "--evidence"])
        .arg(fixture("iam-user-console-no-mfa/fires").path())
        .output()
        .expect("runs");
    let text = String::from_utf8(output.stdout).expect("utf-8");
    assert!(!text.contains('\u{1b}'), "ANSI escapes in piped output");
    for needle in [
        "iam-user-console-no-mfa",
        "resource",
        "evidence",
        "why",
        "fix",
        "arn:aws:iam::123456789012:user/alice",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}

/// `explain` gives a rule's severity range and how the context sets it;
/// `rules --format json` gives the bottom of the range.
#[test]
fn explain_and_the_catalogue_give_the_severity_range() {
    let output = cartguard()
        .args(["explain", "net-rds-public"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for needle in [
        "severity: medium–critical · area: network",
        "## Severity\nCritical when the internet reaches",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in {text}");
    }
    let output = cartguard()
        .args(["rules", "--format", "json"])
        .output()
        .expect("runs");
    let rules: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let rds = rules
        .as_array()
        .and_then(|list| list.iter().find(|r| r["id"] == "net-rds-public"))
        .expect("net-rds-public listed");
    assert_eq!(rds["severity"], "critical");
    assert_eq!(rds["lowest_severity"], "medium");
}

#[test]
fn explain_prints_documentation_and_suggests_near_ids() {
    let output = cartguard()
        .args(["explain", "iam-root-no-mfa"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for needle in [
        "## What it checks",
        "## Why it matters",
        "## Severity\nAlways critical",
        "## How to fix",
        "## Example",
        "pci-dss-4.0.1: 8.4.1, 8.4.3",
    ] {
        assert!(text.contains(needle), "missing {needle:?}");
    }
    let output = cartguard()
        .args(["explain", "iam-root-nomfa"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("did you mean iam-root-no-mfa"));
}

#[test]
fn rules_table_lists_every_rule() {
    let output = cartguard().args(["rules"]).output().expect("runs");
    let text = String::from_utf8_lossy(&output.stdout);
    for id in ["iam-root-access-keys", "iam-identity-center-unused"] {
        assert!(text.contains(id), "{id} missing");
    }
    // Piped, the table is laid out for an 80-column terminal.
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "wider than 80: {line}");
    }
}

/// The README's rule list and docs/rules.md are generated from the registry.
/// Regenerate with `CARTGUARD_BLESS=1 cargo test -p cartguard --test cli`.
#[test]
fn generated_docs_are_current() {
    let bless = std::env::var_os("CARTGUARD_BLESS").is_some();
    let markdown = cartguard()
        .args(["rules", "--format", "markdown"])
        .output()
        .expect("runs")
        .stdout;
    let markdown = String::from_utf8(markdown).expect("utf-8");
    let readme_path = repo().join("README.md");
    let readme = std::fs::read_to_string(&readme_path).expect("README.md");
    let (start, end) = ("<!-- rules:start -->\n", "<!-- rules:end -->");
    let from = readme
        .find(start)
        .expect("README has the rules:start marker")
        + start.len();
    let to = readme.find(end).expect("README has the rules:end marker");
    let expected = format!("{}{markdown}{}", &readme[..from], &readme[to..]);
    let reference_path = repo().join("docs/rules.md");
    let reference = cartguard()
        .args(["rules", "--format", "reference"])
        .output()
        .expect("runs")
        .stdout;
    let reference = String::from_utf8(reference).expect("utf-8");
    if bless {
        std::fs::write(&readme_path, &expected).expect("write README");
        std::fs::write(&reference_path, &reference).expect("write docs/rules.md");
        return;
    }
    assert!(
        readme == expected,
        "README.md rule list is stale: run CARTGUARD_BLESS=1 cargo test -p cartguard --test cli"
    );
    let current = std::fs::read_to_string(&reference_path).unwrap_or_default();
    assert!(
        current == reference,
        "docs/rules.md is stale: run CARTGUARD_BLESS=1 cargo test -p cartguard --test cli"
    );
}

/// The README opens with the two commands a newcomer runs, and the demo builds
/// where the test suite builds, so running both does not build twice.
#[test]
fn readme_opens_with_the_demo_and_the_test_suite_sharing_a_build() {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README.md");
    let lines: Vec<&str> = readme.lines().take(6).collect();
    assert_eq!(lines[2], "```sh");
    assert!(
        lines[3].starts_with(
            "CARGO_TARGET_DIR=~/.cache/cartguard/target cargo run --locked -p cartguard -- scan --evidence examples/securecart/evidence "
        ),
        "{}",
        lines[3]
    );
    assert!(lines[4].starts_with("scripts/test.sh "), "{}", lines[4]);
    let test_sh = std::fs::read_to_string(repo().join("scripts/test.sh")).expect("test.sh");
    assert!(
        test_sh
            .contains(r#"CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cartguard/target}""#),
        "scripts/test.sh builds elsewhere than the README's demo"
    );
    assert!(
        !test_sh.contains("--release"),
        "the suite builds debug, as the demo command does"
    );
    let ci = std::fs::read_to_string(repo().join(".ci/run")).expect(".ci/run");
    assert!(
        ci.contains("exec scripts/test.sh"),
        "CI runs the README's command"
    );
}

/// The demo store's whole report, pinned: any change in a verdict shows up here.
#[test]
fn demo_store_report() {
    let document = scan_json(&repo().join("examples/securecart/evidence"));
    insta::with_settings!({snapshot_path => "snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_json_snapshot!("securecart-demo", document, {
            ".scan.started" => "[started]",
            ".scan.sources" => "[sources]",
            ".scan.warnings" => "[warnings]",
            ".tool.version" => "[version]",
        });
    });
}

#[test]
fn iam_can_names_the_deciding_statements() {
    // The self-shadowing policy: the Deny in statement 1 decides.
    let answer = json_of(
        &[
            "iam",
            "can",
            "uploader",
            "s3:PutObject",
            "arn:aws:s3:::b/report.csv",
        ],
        fixture("iam-allow-shadowed/fires").path(),
    );
    assert_eq!(answer["decision"], "explicit-deny");
    assert_eq!(answer["statements"][0]["statement_index"], 1);
    assert_eq!(answer["statements"][0]["statement"]["Effect"], "Deny");
}

#[test]
fn iam_can_is_three_valued_on_unknown_context() {
    // alice's MFA guard: Deny NotAction … when BoolIfExists aws:MultiFactorAuthPresent is false.
    let case = fixture("iam-allow-not-action/quiet");
    let evidence = case.path();
    let base = [
        "iam",
        "can",
        "alice",
        "s3:GetObject",
        "arn:aws:s3:::shop-media/logo.png",
    ];
    let unknown = json_of(&base, evidence);
    assert_eq!(unknown["decision"], "conditional");
    assert_eq!(
        unknown["conditions"][0]["key"],
        "aws:MultiFactorAuthPresent"
    );
    let with_mfa = json_of(
        &[&base[..], &["--context", "aws:MultiFactorAuthPresent=true"]].concat(),
        evidence,
    );
    assert_eq!(with_mfa["decision"], "allow");
    let absent = json_of(
        &[&base[..], &["--absent", "aws:MultiFactorAuthPresent"]].concat(),
        evidence,
    );
    assert_eq!(absent["decision"], "explicit-deny");
    let elsewhere = json_of(
        &[
            "iam",
            "can",
            "alice",
            "s3:GetObject",
            "arn:aws:s3:::other/x",
            "--context",
            "aws:MultiFactorAuthPresent=true",
        ],
        evidence,
    );
    assert_eq!(elsewhere["decision"], "implicit-deny");
}

#[test]
fn iam_blast_radius_lists_stores_and_escalations() {
    let answer = json_of(
        &["iam", "blast-radius", "dev"],
        fixture("iam-privilege-escalation/fires").path(),
    );
    let methods: Vec<&str> = answer["escalations"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|e| e["method"].as_str())
        .collect();
    assert!(
        methods.contains(&"passrole-ec2-run-instances"),
        "{methods:?}"
    );
    // The owner of an access key is found from list-access-keys.
    let demo = repo().join("examples/securecart/evidence");
    let by_key = json_of(&["iam", "blast-radius", "AKIAYOAOWRVFKPBZVMU4"], &demo);
    assert_eq!(
        by_key["principal"],
        "arn:aws:iam::111122223333:user/bruno.costa"
    );
    // Buckets from list-buckets are named one by one: Bruno reads the media
    // bucket (his policy names its objects), and the app artifacts through
    // their bucket policy, which admits everyone coming through the app
    // subnets' VPC endpoint (so on that condition); no other bucket.
    let stores: Vec<(&str, &str, &str)> = by_key["data_stores"]
        .as_array()
        .expect("data stores")
        .iter()
        .map(|s| {
            (
                s["access"].as_str().unwrap_or(""),
                s["resource"].as_str().unwrap_or(""),
                s["reach"].as_str().unwrap_or(""),
            )
        })
        .collect();
    let buckets: Vec<_> = stores
        .iter()
        .filter(|(_, resource, _)| resource.starts_with("arn:aws:s3:::"))
        .collect();
    assert_eq!(
        buckets,
        [
            &("read", "arn:aws:s3:::securecart-media-prod", "all"),
            &(
                "read",
                "arn:aws:s3:::securecart-shopify-app-artifacts",
                "conditional"
            )
        ],
        "{stores:?}"
    );
    // The AWS managed keys admit every principal of the account through
    // their service (kms:ViaService): usable, on that condition; the customer
    // managed keys delegate to IAM, and his policies grant no KMS action.
    let keys: Vec<_> = stores
        .iter()
        .filter(|(_, resource, _)| resource.contains(":kms:"))
        .collect();
    assert_eq!(keys.len(), 6, "{keys:?}");
    assert!(
        keys.iter()
            .all(|(_, resource, reach)| *reach == "conditional"
                && !resource.contains("6f0c2d1e")
                && !resource.contains("4f7b2d9e")
                && !resource.contains("9e1c5a3f")),
        "{keys:?}"
    );
    // An administrator reaches every bucket, and can delete each one.
    let admin = json_of(&["iam", "blast-radius", "ec2-bastion-ops"], &demo);
    let deletable: Vec<&str> = admin["data_stores"]
        .as_array()
        .expect("data stores")
        .iter()
        .filter(|s| s["store"] == "s3" && s["access"] == "delete")
        .filter_map(|s| s["resource"].as_str())
        .collect();
    assert_eq!(deletable.len(), 6, "{deletable:?}");
}

#[test]
fn net_reach_shows_the_path_or_what_blocks() {
    let open = json_of(
        &[
            "net",
            "reach",
            "--from",
            "internet",
            "--to",
            "i-0f000000000000001",
            "--port",
            "22",
            "--protocol",
            "tcp",
        ],
        fixture("net-admin-port-open/fires").path(),
    );
    assert_eq!(open["reachable"], true);
    let hops: Vec<&str> = open["ports"][0]["paths"][0]["hops"]
        .as_array()
        .expect("path")
        .iter()
        .filter_map(|h| h["hop"].as_str())
        .collect();
    for hop in [
        "public-address",
        "internet-gateway-route",
        "network-acl-entry",
        "security-group-rule",
    ] {
        assert!(hops.contains(&hop), "{hop} missing from {hops:?}");
    }
    // The quiet fixture admits 22 only from 198.51.100.7: another address is blocked,
    // that one gets through, and "the internet" (which includes it) reaches in part.
    let closed = json_of(
        &[
            "net",
            "reach",
            "--from",
            "203.0.113.99/32",
            "--to",
            "i-0f000000000000001",
            "--port",
            "22",
        ],
        fixture("net-admin-port-open/quiet").path(),
    );
    assert_eq!(closed["reachable"], false);
    assert!(!closed["blocked_by"].is_null());
    let office = json_of(
        &[
            "net",
            "reach",
            "--from",
            "198.51.100.7/32",
            "--to",
            "i-0f000000000000001",
            "--port",
            "22",
        ],
        fixture("net-admin-port-open/quiet").path(),
    );
    assert_eq!(office["reachable"], true);
    let internet = json_of(
        &[
            "net",
            "reach",
            "--from",
            "internet",
            "--to",
            "i-0f000000000000001",
            "--port",
            "22",
        ],
        fixture("net-admin-port-open/quiet").path(),
    );
    assert_eq!(internet["ports"][0]["from_anywhere"], false);
}

#[test]
fn net_exposure_lists_reachable_endpoints() {
    let list = json_of(
        &["net", "exposure"],
        fixture("net-exposure-inventory/fires").path(),
    );
    assert_eq!(list[0]["endpoints"].as_array().map(Vec::len), Some(1));
    let private = json_of(
        &["net", "exposure"],
        fixture("net-exposure-inventory/quiet").path(),
    );
    assert_eq!(private[0]["endpoints"].as_array().map(Vec::len), Some(0));
}

#[test]
fn timings_go_to_standard_error() {
    let output = cartguard()
        .args([
            "scan",
            "--format",
            "json",
            "--fail-on",
            "none",
            "--timings",
            "--evidence",
        ])
        .arg(fixture("net-admin-port-open/fires").path())
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    for step in [
        "reading sources",
        "net-admin-port-open",
        "all rules",
        "rendering and writing",
    ] {
        assert!(stderr.contains(step), "{step} missing from {stderr}");
    }
    let _: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("stdout stays pure JSON");
}

#[test]
fn service_control_policies_take_part_in_decisions() {
    let case = fixture("iam-admin-access/fires-despite-guardrail-scp");
    let evidence = case.path();
    let denied = json_of(
        &["iam", "can", "ops-admin", "cloudtrail:StopLogging", "*"],
        evidence,
    );
    assert_eq!(denied["decision"], "explicit-deny");
    assert_eq!(denied["statements"][0]["sid"], "ProtectAuditTrail");
    let allowed = json_of(
        &[
            "iam",
            "can",
            "ops-admin",
            "s3:GetObject",
            "arn:aws:s3:::orders/2026.csv",
        ],
        evidence,
    );
    assert_eq!(allowed["decision"], "allow");
    let no_iam = json_of(
        &["iam", "can", "ops-admin", "iam:CreateUser", "*"],
        fixture("iam-admin-access/quiet-scp-denies-iam").path(),
    );
    assert_eq!(no_iam["decision"], "explicit-deny");
}

/// `iam blast-radius` and `iam-privilege-escalation` give one answer: only paths
/// that reach an administrator, with instance paths joined to the instances.
#[test]
fn blast_radius_escalations_agree_with_the_rule() {
    let demo = repo().join("examples/securecart/evidence");
    let methods = |who: &str| -> Vec<String> {
        json_of(&["iam", "blast-radius", who], &demo)["escalations"]
            .as_array()
            .expect("array")
            .iter()
            .filter_map(|e| e["method"].as_str().map(String::from))
            .collect()
    };
    // chloe may open sessions only on Tier=app instances, whose role is not admin.
    assert!(methods("chloe.nguyen").is_empty());
    assert_eq!(methods("bruno.costa"), ["passrole-ec2-run-instances"]);
    let report = scan_json(&demo);
    let in_report: Vec<&str> = common::findings_of(&report, "iam-privilege-escalation")
        .iter()
        .filter_map(|f| f["resource"].as_str())
        .collect();
    assert!(!in_report.contains(&"arn:aws:iam::111122223333:user/chloe.nguyen"));
    assert!(in_report.contains(&"arn:aws:iam::111122223333:user/bruno.costa"));
}

#[test]
fn one_thread_and_many_write_the_same_report() {
    let evidence = repo().join("examples/securecart/evidence");
    let report = |jobs: &str| {
        let args = ["scan", "--fail-on", "none", "--now", NOW, "--jobs", jobs];
        // Only the start time may differ between two runs.
        json_text_of(&args, &evidence)
            .lines()
            .filter(|l| !l.trim_start().starts_with("\"started\""))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let one = report("1");
    assert!(one.contains("\"findings\": ["), "the demo has findings");
    assert_eq!(one, report("4"));
    cartguard()
        .args(["scan", "--jobs", "0", "--evidence"])
        .arg(&evidence)
        .assert()
        .code(2);
}

#[test]
fn an_scp_that_cannot_be_parsed_is_named_not_skipped() {
    let dir = fixture("iam-admin-access/fires-despite-guardrail-scp");
    let scp = dir
        .path()
        .join("organizations/global/describe-policy/p-guardrails01.json");
    // An Effect IAM does not know makes the whole policy unusable (a
    // condition it cannot read would only leave its statement undecided).
    let unreadable = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "ProtectAuditTrail", "Effect": "Refuse", "Action": "cloudtrail:StopLogging", "Resource": "*"}]}"#;
    let document = serde_json::json!({"Policy": {
        "PolicySummary": {"Id": "p-guardrails01", "Name": "Guardrails", "Type": "SERVICE_CONTROL_POLICY", "AwsManaged": false},
        "Content": unreadable,
    }});
    std::fs::write(&scp, document.to_string()).expect("write");

    // The SCP is left out (permissions may be over-reported, never under-),
    // and the answer says so.
    let answer = json_of(
        &["iam", "can", "ops-admin", "cloudtrail:StopLogging", "*"],
        dir.path(),
    );
    assert_eq!(answer["decision"], "allow");
    let warnings = answer["warnings"].to_string();
    assert!(
        warnings.contains("p-guardrails01") && warnings.contains("could not be parsed"),
        "{warnings}"
    );

    let report = scan_json(dir.path());
    let organizations: Vec<_> = report["coverage"]
        .as_array()
        .expect("coverage")
        .iter()
        .filter(|c| c["area"] == "organizations")
        .collect();
    assert_eq!(organizations.len(), 1);
    assert_eq!(organizations[0]["status"], "partial");
    let reason = organizations[0]["reason"].as_str().expect("a reason");
    assert!(reason.contains("p-guardrails01"), "{reason}");
    assert!(
        reason.contains("statement 0 (Sid \"ProtectAuditTrail\"), its Effect element"),
        "{reason}"
    );

    // With the SCP readable, the SCPs are not named as a gap.
    let intact = scan_json(fixture("iam-admin-access/fires-despite-guardrail-scp").path());
    let organizations = intact["coverage"]
        .as_array()
        .expect("coverage")
        .iter()
        .find(|c| c["area"] == "organizations")
        .expect("an organizations area");
    let reason = organizations["reason"].as_str().unwrap_or_default();
    assert!(
        !reason.contains("could not be parsed") && !reason.contains("ListPoliciesForTarget"),
        "{reason}"
    );
}

#[test]
fn iam_can_weighs_trust_key_and_bucket_policies() {
    let evidence = repo().join("examples/securecart/evidence");
    let mfa = "aws:MultiFactorAuthPresent=true";
    let can = |who: &str, action: &str, resource: &str, extra: &[&str]| {
        let mut args = vec!["iam", "can", who, action, resource];
        args.extend_from_slice(extra);
        json_of(&args, &evidence)
    };
    // An administrator still cannot assume a role whose trust policy names only EC2.
    let ec2_only = can(
        "alice.martin",
        "sts:AssumeRole",
        "arn:aws:iam::111122223333:role/ec2-bastion-ops",
        &["--context", mfa],
    );
    assert_eq!(ec2_only["decision"], "implicit-deny", "{ec2_only:#}");
    // A trust policy that admits anyone with the external id lets the administrator in.
    let partner = can(
        "alice.martin",
        "sts:AssumeRole",
        "arn:aws:iam::111122223333:role/partner-catalog-sync",
        &[
            "--context",
            mfa,
            "--context",
            "sts:ExternalId=securecart-catalog-2024",
        ],
    );
    assert_eq!(partner["decision"], "allow");
    assert_eq!(partner["statements"][0]["sid"], "PartnerFeed");

    let dir = tempfile::tempdir().expect("tempdir");
    let key = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let key_policy = dir.path().join("key-policy.json");
    std::fs::write(
        &key_policy,
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"WebDecrypts","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ec2-magento-web"},"Action":"kms:Decrypt","Resource":"*"}]}"#,
    )
    .expect("write");
    let key_policy = key_policy.to_str().expect("UTF-8 path");
    // The key policy must allow the caller itself: an administrator it does not name is denied.
    let admin = can(
        "alice.martin",
        "kms:Decrypt",
        key,
        &["--context", mfa, "--resource-policy", key_policy],
    );
    assert_eq!(admin["decision"], "implicit-deny", "{admin:#}");
    let web = can(
        "ec2-magento-web",
        "kms:Decrypt",
        key,
        &["--resource-policy", key_policy],
    );
    assert_eq!(web["decision"], "allow");
    assert_eq!(web["statements"][0]["sid"], "WebDecrypts");
    assert_eq!(web["statements"][0]["statement"]["Action"], "kms:Decrypt");
    // Without the key policy the answer says what it could not weigh.
    let unknown = can("ec2-magento-web", "kms:Decrypt", key, &[]);
    assert!(
        unknown["warnings"].to_string().contains("key policy"),
        "{unknown:#}"
    );

    // A bucket policy as get-bucket-policy prints it: its Deny wins over an administrator.
    let bucket_policy = dir.path().join("bucket-policy.json");
    let document = r#"{"Version":"2012-10-17","Statement":[{"Sid":"OnlyThroughVpce","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::securecart-orders/*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-0a1b2c3d"}}}]}"#;
    std::fs::write(
        &bucket_policy,
        serde_json::json!({"Policy": document}).to_string(),
    )
    .expect("write");
    let bucket_policy = bucket_policy.to_str().expect("UTF-8 path");
    let object = "arn:aws:s3:::securecart-orders/2026/11.csv";
    let outside = can(
        "alice.martin",
        "s3:GetObject",
        object,
        &[
            "--context",
            mfa,
            "--context",
            "aws:SourceVpce=vpce-ffffffff",
            "--resource-policy",
            bucket_policy,
        ],
    );
    assert_eq!(outside["decision"], "explicit-deny");
    assert_eq!(outside["statements"][0]["sid"], "OnlyThroughVpce");
    let inside = can(
        "alice.martin",
        "s3:GetObject",
        object,
        &[
            "--context",
            mfa,
            "--context",
            "aws:SourceVpce=vpce-0a1b2c3d",
            "--resource-policy",
            bucket_policy,
        ],
    );
    assert_eq!(inside["decision"], "allow");

    // A file that is not a policy is an error naming it.
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, r#"{"Statement": [{"Effect": "Allow"}]}"#).expect("write");
    let output = cartguard()
        .args([
            "iam",
            "can",
            "alice.martin",
            "s3:GetObject",
            object,
            "--resource-policy",
        ])
        .arg(&broken)
        .arg("--evidence")
        .arg(&evidence)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("broken.json"));
}

#[test]
fn every_report_format_tells_the_same_scan_and_the_same_exit_status() {
    let demo = repo().join("examples/securecart/evidence");
    let run = |format: &str| {
        let output = cartguard()
            .args(["scan", "--now", NOW, "--format", format, "--evidence"])
            .arg(&demo)
            .output()
            .expect("runs");
        (
            output.status.code(),
            String::from_utf8(output.stdout).expect("UTF-8"),
        )
    };
    let (json_status, json) = run("json");
    let document: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let findings = document["findings"].as_array().expect("findings");
    let failed = findings.iter().filter(|f| f["status"] == "fail").count();
    assert_eq!(json_status, Some(1), "the demo fails its gate");

    let (status, csv) = run("csv");
    assert_eq!(status, json_status);
    let rows = csv::Reader::from_reader(csv.as_bytes()).records().count();
    assert_eq!(rows, findings.len());

    let (status, junit) = run("junit");
    assert_eq!(status, json_status);
    assert_eq!(junit.matches("<failure ").count(), failed);

    let (status, markdown) = run("markdown");
    assert_eq!(status, json_status);
    assert!(markdown.starts_with("## cartguard: FAIL: "), "{markdown}");
    assert!(markdown.len() < 65_536);
}

#[test]
fn one_line_per_finding_and_show_prints_one_in_full() {
    let demo = repo().join("examples/securecart/evidence");
    let scan = |extra: &[&str]| {
        cartguard()
            .args(["scan", "--now", NOW, "--evidence"])
            .arg(&demo)
            .args(extra)
            .output()
            .expect("runs")
    };
    let compact = String::from_utf8(scan(&[]).stdout).expect("UTF-8");
    // One line per finding: the mark, the fingerprint's start, the resource.
    let line = compact
        .lines()
        .find(|l| l.contains("✗") && l.contains("arn:aws:iam::111122223333:root —"))
        .expect("the root key's line");
    let short = line.split_whitespace().nth(1).expect("a fingerprint");
    assert_eq!(short.len(), 8, "{line}");
    assert!(
        !compact.contains("    evidence "),
        "no evidence without --show"
    );
    let document = scan_json(&demo);
    let full = document["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["fingerprint"].as_str())
        .find(|f| f.starts_with(short))
        .expect("the fingerprint is the JSON's");

    let shown = scan(&["--show", short]);
    let text = String::from_utf8(shown.stdout).expect("UTF-8");
    assert!(text.contains("iam-root-access-keys"), "{text}");
    assert!(text.contains("evidence") && text.contains("fix"), "{text}");
    assert!(text.contains(&format!("fingerprint {full}")), "{text}");
    assert_eq!(text.matches("fingerprint ").count(), 1, "{text}");

    let unknown = scan(&["--show", "0000zzzz"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&unknown.stderr)
            .contains("no finding has a fingerprint starting with 0000zzzz"),
        "{}",
        String::from_utf8_lossy(&unknown.stderr)
    );
}
