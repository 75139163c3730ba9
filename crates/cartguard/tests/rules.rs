//! Every rule has fixtures under `tests/fixtures/rules/<rule-id>/`: folders named
//! `fires…` where it must fail (output pinned with insta) and `quiet…` where it
//! must say nothing at all. An empty evidence folder makes every rule report
//! `not-assessed`, never pass.

mod common;

use std::collections::BTreeSet;

use common::{findings_of, repo, scan_json};

fn fixtures() -> std::path::PathBuf {
    repo().join("crates/cartguard/tests/fixtures/rules")
}

fn check_rule(rule_id: &str) {
    let dir = fixtures().join(rule_id);
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("readable fixture dir").path())
        .collect();
    cases.sort();
    let (mut fired, mut quiet) = (0, 0);
    for case in cases {
        let name = case
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let document = scan_json(&case);
        let findings = findings_of(&document, rule_id);
        if name.starts_with("fires") {
            fired += 1;
            assert!(
                !findings.is_empty(),
                "{rule_id}/{name}: expected the rule to fire"
            );
            assert!(
                findings.iter().all(|f| f["status"] == "fail"),
                "{rule_id}/{name}: expected only failures, got {findings:#?}"
            );
            insta::with_settings!({snapshot_path => "snapshots/rules", prepend_module_to_snapshot => false}, {
                insta::assert_json_snapshot!(format!("{rule_id}__{name}"), findings);
            });
        } else if name.starts_with("quiet") {
            quiet += 1;
            assert!(
                findings.is_empty(),
                "{rule_id}/{name}: expected silence, got {findings:#?}"
            );
        } else {
            panic!("{rule_id}/{name}: fixture folders are named fires… or quiet…");
        }
    }
    assert!(
        fired > 0 && quiet > 0,
        "{rule_id}: needs a fires and a quiet fixture"
    );
}

macro_rules! rule_tests {
    ($($name:ident => $id:literal),+ $(,)?) => {
        $(#[test] fn $name() { check_rule($id) })+

        #[test]
        fn every_rule_has_fixtures_and_every_fixture_a_rule() {
            let tested: BTreeSet<&str> = [$($id),+].into_iter().collect();
            let output = common::cartguard().args(["rules", "--format", "json"]).output().expect("runs");
            let rules: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
            let registered: BTreeSet<&str> = rules.as_array().expect("array").iter().filter_map(|r| r["id"].as_str()).collect();
            assert_eq!(registered, tested, "every registered rule needs a fixture test here");
            let on_disk: BTreeSet<String> = std::fs::read_dir(fixtures()).expect("fixtures")
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned()).collect();
            let tested: BTreeSet<String> = tested.into_iter().map(String::from).collect();
            assert_eq!(on_disk, tested);
        }
    };
}

rule_tests! {
    root_access_keys => "iam-root-access-keys",
    root_no_mfa => "iam-root-no-mfa",
    root_virtual_mfa => "iam-root-virtual-mfa",
    root_recently_used => "iam-root-recently-used",
    user_console_no_mfa => "iam-user-console-no-mfa",
    access_key_not_rotated => "iam-access-key-not-rotated",
    access_key_unused => "iam-access-key-unused",
    user_inactive => "iam-user-inactive",
    user_multiple_active_keys => "iam-user-multiple-active-keys",
    workload_uses_static_keys => "iam-workload-uses-static-keys",
    user_direct_policies => "iam-user-direct-policies",
    password_policy_weak => "iam-password-policy-weak",
    access_analyzer_disabled => "iam-access-analyzer-disabled",
    identity_center_unused => "iam-identity-center-unused",
    iam_admin_access => "iam-admin-access",
    iam_role_creation_unbounded => "iam-role-creation-unbounded",
    iam_boundary_allows_iam => "iam-boundary-allows-iam",
    iam_trust_any_principal => "iam-trust-any-principal",
    iam_trust_third_party_no_external_id => "iam-trust-third-party-no-external-id",
    iam_trust_oidc_unscoped => "iam-trust-oidc-unscoped",
    iam_mfa_not_enforced => "iam-mfa-not-enforced",
    iam_too_many_admins => "iam-too-many-admins",
    iam_allow_wildcard_action => "iam-allow-wildcard-action",
    iam_allow_wildcard_resource => "iam-allow-wildcard-resource",
    iam_allow_not_action => "iam-allow-not-action",
    iam_allow_shadowed => "iam-allow-shadowed",
    iam_privilege_escalation => "iam-privilege-escalation",
    iam_instance_role_broad => "iam-instance-role-broad",
    iam_secret_read_broad => "iam-secret-read-broad",
    iam_policy_unknown_action => "iam-policy-unknown-action",
    net_admin_port_open => "net-admin-port-open",
    net_db_port_open => "net-db-port-open",
    net_all_ports_open => "net-all-ports-open",
    net_nonweb_port_open => "net-nonweb-port-open",
    net_egress_unrestricted => "net-egress-unrestricted",
    net_db_ingress_not_from_app_sg => "net-db-ingress-not-from-app-sg",
    net_rds_public => "net-rds-public",
    net_backend_bypasses_lb => "net-backend-bypasses-lb",
    net_nacl_rule_shadowed => "net-nacl-rule-shadowed",
    net_nacl_no_return_path => "net-nacl-no-return-path",
    net_nacl_admin_port_open => "net-nacl-admin-port-open",
    net_default_sg_open => "net-default-sg-open",
    net_flow_logs_missing => "net-flow-logs-missing",
    net_imdsv1_enabled => "net-imdsv1-enabled",
    net_exposure_inventory => "net-exposure-inventory",
}

#[test]
fn missing_evidence_is_never_a_pass() {
    let empty = tempfile::tempdir().expect("tempdir");
    let document = scan_json(empty.path());
    let output = common::cartguard()
        .args(["rules", "--format", "json"])
        .output()
        .expect("runs");
    let rules: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    for rule in rules.as_array().expect("array") {
        let id = rule["id"].as_str().expect("id");
        let findings = findings_of(&document, id);
        assert!(
            !findings.is_empty(),
            "{id} said nothing about an empty evidence folder"
        );
        assert!(
            findings.iter().all(|f| f["status"] == "not-assessed"),
            "{id}: {findings:#?}"
        );
    }
}

#[test]
fn denied_evidence_is_not_assessed_with_the_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("iam/global");
    std::fs::create_dir_all(&path).expect("mkdir");
    std::fs::write(
        path.join("get-credential-report.json"),
        r#"{"Error":{"Code":"AccessDenied","Message":"User is not authorized to perform: iam:GenerateCredentialReport"}}"#,
    )
    .expect("write");
    let document = scan_json(dir.path());
    let findings = findings_of(&document, "iam-user-console-no-mfa");
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["status"], "not-assessed");
    let detail = findings[0]["detail"].as_str().expect("detail");
    assert!(detail.contains("AccessDenied"), "{detail}");
}
