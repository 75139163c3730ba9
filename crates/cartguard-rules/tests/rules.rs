//! Every rule over its fixtures, in process. Each case of `tests/fixtures/`
//! (`rules/<rule-id>/fires…` or `quiet…`, see `tests/fixtures/README.md`) is a
//! test of its own: a `fires…` case must make its rule fail, with the findings
//! pinned in `tests/snapshots/<rule-id>__<case>.snap`; a `quiet…` case must make
//! it say nothing at all; an `undecided…` case must make it report `not-assessed`
//! and nothing else (evidence it cannot read is never a pass), pinned likewise. The rules come from the registry and the cases from
//! the fixture tree, so neither is listed here.
//!
//! Run one case with `cargo test -p cartguard-rules --test rules -- <rule-id>/<case>`.

#[path = "support/compose.rs"]
mod compose;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use cartguard_inventory::{Inventory, Timestamp};
use cartguard_rules::{Area, Finding, Settings, Status, all_rules};
use compose::{COMPOSE_FILE, Case, Fixtures};
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::Value;

/// The fixed "today" of every scan of a fixture.
const NOW: &str = "2026-11-20T12:00:00Z";

fn main() -> std::process::ExitCode {
    let args = Arguments::from_args();
    let mut trials = vec![
        Trial::test(
            "every_rule_has_fixtures_and_every_fixture_a_rule",
            every_rule_has_fixtures_and_every_fixture_a_rule,
        ),
        Trial::test("every_base_is_used", every_base_is_used),
        Trial::test(
            "fixture_tree_holds_no_file_twice",
            fixture_tree_holds_no_file_twice,
        ),
        Trial::test(
            "missing_evidence_is_never_a_pass",
            missing_evidence_is_never_a_pass,
        ),
        Trial::test(
            "files_without_anything_to_judge_are_never_a_pass",
            files_without_anything_to_judge_are_never_a_pass,
        ),
        Trial::test(
            "denied_evidence_is_not_assessed_with_the_reason",
            denied_evidence_is_not_assessed_with_the_reason,
        ),
        Trial::test(
            "composition_follows_the_directives",
            composition_follows_the_directives,
        ),
        Trial::test(
            "every_severity_of_a_range_has_a_fires_case",
            every_severity_of_a_range_has_a_fires_case,
        ),
    ];
    match Fixtures::open(&fixtures_root()).and_then(|f| Ok((f.cases()?, f))) {
        Ok((cases, fixtures)) => {
            let fixtures = Arc::new(fixtures);
            for case in cases {
                let fixtures = Arc::clone(&fixtures);
                trials.push(Trial::test(
                    format!("{}/{}", case.rule_id, case.name),
                    move || check_case(&fixtures, &case),
                ));
            }
        }
        Err(e) => trials.push(Trial::test("fixtures", move || Err(e.into()))),
    }
    libtest_mimic::run(&args, trials).exit_code()
}

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn fixtures() -> Result<Fixtures, Failed> {
    Ok(Fixtures::open(&fixtures_root())?)
}

/// Every rule's findings on an evidence folder given as its files. Files
/// under `server/` are server files, read as `scan --path server` reads them;
/// `server/.modes` gives their modes and owners (`path mode uid gid` a line).
fn scan(root: &Path, files: BTreeMap<String, String>) -> Result<Vec<Finding>, Failed> {
    let (server, evidence): (BTreeMap<String, String>, BTreeMap<String, String>) = files
        .into_iter()
        .partition(|(path, _)| path.starts_with("server/"));
    let folder = cartguard_evidence::parse_evidence(root, evidence)
        .map_err(|e| format!("{}: {e}", root.display()))?;
    let mut inventory = Inventory::default();
    inventory.accounts.push(folder.account);
    if !server.is_empty() {
        inventory.files = server_files(server);
    }
    let now: Timestamp = NOW.parse().map_err(|e| format!("{NOW}: {e}"))?;
    Ok(cartguard_rules::run(&inventory, &Settings::default(), now))
}

/// Server files held in memory, analysed as discovery analyses what it read.
fn server_files(mut server: BTreeMap<String, String>) -> cartguard_inventory::files::ServerFiles {
    let modes_file = server.remove("server/.modes").unwrap_or_default();
    let modes: BTreeMap<String, (u32, u32, u32)> = modes_file
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            let path = format!("server/{}", parts.next()?);
            let mode = u32::from_str_radix(parts.next()?, 8).ok()?;
            let uid = parts.next()?.parse().ok()?;
            let gid = parts.next()?.parse().ok()?;
            Some((path, (mode, uid, gid)))
        })
        .collect();
    let texts = server
        .into_iter()
        .map(|(path, text)| {
            let recorded = modes.get(&path);
            cartguard_files::discover::FileText {
                mode: recorded.map(|(mode, _, _)| *mode),
                owner: recorded.map(|(_, uid, gid)| (*uid, *gid)),
                root: "server".to_string(),
                path,
                text,
            }
        })
        .collect();
    cartguard_files::discover::analyse(
        vec!["server".to_string()],
        cartguard_files::Options::default(),
        texts,
        Vec::new(),
    )
}

/// Every rule's findings on server files given as their paths and texts
/// (the root is the fixture layer, so findings name `nginx.conf:12`).
fn scan_server_files(files: BTreeMap<String, String>) -> Result<Vec<Finding>, Failed> {
    use cartguard_files::discover::{FileText, Options, analyse};
    let texts = files
        .into_iter()
        .map(|(path, text)| FileText {
            path: cartguard_files::paths::normalise(&path),
            root: ".".into(),
            text,
            mode: None,
            owner: None,
        })
        .collect();
    let inventory = Inventory {
        files: analyse(vec![".".into()], Options::default(), texts, Vec::new()),
        ..Inventory::default()
    };
    let now: Timestamp = NOW.parse().map_err(|e| format!("{NOW}: {e}"))?;
    Ok(cartguard_rules::run(&inventory, &Settings::default(), now))
}

/// One rule's findings, as the JSON report writes them.
fn findings_of(findings: &[Finding], rule_id: &str) -> Result<Vec<Value>, Failed> {
    findings
        .iter()
        .filter(|f| f.rule_id == rule_id)
        .map(|f| serde_json::to_value(f).map_err(|e| Failed::from(format!("{rule_id}: {e}"))))
        .collect()
}

/// Every rule's findings on a case's evidence.
fn scan_case(fixtures: &Fixtures, case: &Case) -> Result<Vec<Finding>, Failed> {
    let layer = case.layer();
    let evidence = fixtures.evidence(&layer)?;
    // Cases that hold evidence and server files keep the files under `server/`.
    let mixed = evidence.keys().any(|path| path.starts_with("server/"));
    if compose::holds_server_files(&layer) && !mixed {
        scan_server_files(evidence)
    } else {
        scan(&fixtures.root().join(&layer), evidence)
    }
}

/// The failures, of any rule, whose severity is outside their rule's declared range.
fn outside_range(findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f.status == Status::Fail)
        .filter_map(|f| {
            let rule = cartguard_rules::find_rule(f.rule_id)?;
            (!rule.allows(f.severity)).then(|| {
                format!(
                    "{} on {} is {}, outside its declared {}",
                    f.rule_id,
                    f.resource,
                    f.severity.name(),
                    rule.severity_range()
                )
            })
        })
        .collect()
}

fn check_case(fixtures: &Fixtures, case: &Case) -> Result<(), Failed> {
    let layer = case.layer();
    let all = scan_case(fixtures, case)?;
    let outside = outside_range(&all);
    if !outside.is_empty() {
        return Err(format!("{layer}: {}", outside.join("; ")).into());
    }
    let findings = findings_of(&all, &case.rule_id)?;
    let name = &case.name;
    if name.starts_with("fires") {
        if findings.is_empty() {
            return Err(format!("{layer}: expected the rule to fire").into());
        }
        if !findings.iter().all(|f| f["status"] == "fail") {
            return Err(format!("{layer}: expected only failures, got {findings:#?}").into());
        }
        insta::with_settings!({snapshot_path => "snapshots", prepend_module_to_snapshot => false}, {
            insta::assert_json_snapshot!(format!("{}__{name}", case.rule_id), findings);
        });
        Ok(())
    } else if name.starts_with("quiet") {
        if findings.is_empty() {
            Ok(())
        } else {
            Err(format!("{layer}: expected silence, got {findings:#?}").into())
        }
    } else if name.starts_with("undecided") {
        if findings.is_empty() {
            return Err(format!("{layer}: expected the rule to report not-assessed").into());
        }
        if !findings.iter().all(|f| f["status"] == "not-assessed") {
            return Err(format!("{layer}: expected only not-assessed, got {findings:#?}").into());
        }
        insta::with_settings!({snapshot_path => "snapshots", prepend_module_to_snapshot => false}, {
            insta::assert_json_snapshot!(format!("{}__{name}", case.rule_id), findings);
        });
        Ok(())
    } else {
        Err(format!("{layer}: cases are named fires…, quiet… or undecided…").into())
    }
}

/// A rule whose severity depends on context shows, in its `fires…` cases, a
/// failure at the top of its range (proven) and one at the bottom (blocked,
/// latent or conditional), each pinned in a snapshot.
fn every_severity_of_a_range_has_a_fires_case() -> Result<(), Failed> {
    let fixtures = fixtures()?;
    let cases = fixtures.cases()?;
    let mut problems = Vec::new();
    for rule in all_rules() {
        if rule.lowest == rule.severity {
            continue;
        }
        let mut seen = BTreeSet::new();
        for case in cases
            .iter()
            .filter(|c| c.rule_id == rule.id && c.name.starts_with("fires"))
        {
            for finding in scan_case(&fixtures, case)? {
                if finding.rule_id == rule.id && finding.status == Status::Fail {
                    seen.insert(finding.severity);
                }
            }
        }
        for level in [rule.severity, rule.lowest] {
            if !seen.contains(&level) {
                problems.push(format!(
                    "{}: no fires… case shows a {} failure (its range is {})",
                    rule.id,
                    level.name(),
                    rule.severity_range()
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

fn every_rule_has_fixtures_and_every_fixture_a_rule() -> Result<(), Failed> {
    let cases = fixtures()?.cases()?;
    let registered: BTreeSet<&str> = all_rules().iter().map(|r| r.id).collect();
    let mut problems = Vec::new();
    let on_disk: BTreeSet<&str> = cases.iter().map(|c| c.rule_id.as_str()).collect();
    for unknown in on_disk.difference(&registered) {
        problems.push(format!("rules/{unknown}: no registered rule has this id"));
    }
    for rule in all_rules() {
        for kind in ["fires", "quiet"] {
            if !cases
                .iter()
                .any(|c| c.rule_id == rule.id && c.name.starts_with(kind))
            {
                problems.push(format!("{}: needs a {kind}… case", rule.id));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

fn every_base_is_used() -> Result<(), Failed> {
    let fixtures = fixtures()?;
    let mut used = BTreeSet::new();
    for case in fixtures.cases()? {
        used.extend(fixtures.ancestors(&case.layer())?);
    }
    let unused: Vec<String> = fixtures
        .bases()?
        .into_iter()
        .filter(|b| !used.contains(b))
        .collect();
    if unused.is_empty() {
        Ok(())
    } else {
        Err(format!("no case is built on {}", unused.join(", ")).into())
    }
}

/// Shared evidence lives in a base, or is named with `same` in compose.txt:
/// no two files of the tree have the same content.
fn fixture_tree_holds_no_file_twice() -> Result<(), Failed> {
    let mut by_content: BTreeMap<Vec<u8>, Vec<String>> = BTreeMap::new();
    for (path, bytes) in fixtures()?.stored_files()? {
        by_content.entry(bytes).or_default().push(path);
    }
    let twice: Vec<String> = by_content
        .into_values()
        .filter(|paths| paths.len() > 1)
        .map(|paths| paths.join(" = "))
        .collect();
    if twice.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "files with the same content (share them through a base or a `same` line of {COMPOSE_FILE}):\n{}",
            twice.join("\n")
        )
        .into())
    }
}

fn missing_evidence_is_never_a_pass() -> Result<(), Failed> {
    let findings = scan(Path::new("empty"), BTreeMap::new())?;
    let mut problems = Vec::new();
    // Without --path the application rules do not run: the area is reported
    // as not checked (see `files_without_anything_to_judge_are_never_a_pass`).
    for rule in all_rules().iter().filter(|r| r.area != Area::Application) {
        let of_rule: Vec<&Finding> = findings.iter().filter(|f| f.rule_id == rule.id).collect();
        if of_rule.is_empty() {
            problems.push(format!(
                "{} said nothing about an empty evidence folder",
                rule.id
            ));
        }
        for finding in of_rule {
            if finding.status != Status::NotAssessed {
                problems.push(format!("{}: {finding:#?}", rule.id));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

/// Server files holding nothing an application rule judges (no nginx
/// configuration, no Magento root) make each of them say not-assessed.
fn files_without_anything_to_judge_are_never_a_pass() -> Result<(), Failed> {
    let findings = scan_server_files(BTreeMap::from([(
        "README.md".to_string(),
        "# a shop\n".to_string(),
    )]))?;
    let mut problems = Vec::new();
    // A credential rule has judged every file it read: finding no credential
    // in them is its answer, not a lack of evidence.
    const JUDGE_EVERY_FILE: &[&str] = &["secret-hardcoded", "secret-leaked-key-active"];
    for rule in all_rules()
        .iter()
        .filter(|r| r.area == Area::Application && !JUDGE_EVERY_FILE.contains(&r.id))
    {
        let of_rule: Vec<&Finding> = findings.iter().filter(|f| f.rule_id == rule.id).collect();
        if of_rule.is_empty() {
            problems.push(format!(
                "{} said nothing about files without anything to judge",
                rule.id
            ));
        }
        for finding in of_rule {
            if finding.status != Status::NotAssessed {
                problems.push(format!("{}: {finding:#?}", rule.id));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

fn denied_evidence_is_not_assessed_with_the_reason() -> Result<(), Failed> {
    let files = BTreeMap::from([(
        "iam/global/get-credential-report.json".to_string(),
        r#"{"Error":{"Code":"AccessDenied","Message":"User is not authorized to perform: iam:GenerateCredentialReport"}}"#
            .to_string(),
    )]);
    let findings = scan(Path::new("denied"), files)?;
    let findings = findings_of(&findings, "iam-user-console-no-mfa")?;
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["status"], "not-assessed");
    let detail = findings[0]["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("AccessDenied"), "{detail}");
    Ok(())
}

/// The directives of compose.txt, on a small tree of their own.
fn composition_follows_the_directives() -> Result<(), Failed> {
    let dir = tempfile::tempdir().map_err(|e| format!("a temporary folder: {e}"))?;
    let write = |rel: &str, text: &str| -> Result<(), Failed> {
        let path = dir.path().join(rel);
        let parent = path.parent().ok_or("a parent folder")?;
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(())
    };
    write("bases/iam/sts/global/get-caller-identity.json", "sts")?;
    write("bases/iam/iam/global/credential-report.csv", "report")?;
    write(
        "rules/iam-root-no-mfa/fires/iam/global/credential-report.csv",
        "root without MFA",
    )?;
    write(
        "rules/iam-root-no-mfa/quiet/iam/global/get-account-summary.json",
        "summary",
    )?;
    write(
        "rules/iam-root-access-keys/fires/iam/global/get-account-summary.json",
        "keys",
    )?;
    write(
        COMPOSE_FILE,
        "# comment\n\
         rules/iam-root-no-mfa/quiet remove iam/global/credential-report.csv\n\
         rules/iam-root-access-keys/fires on none\n\
         rules/iam-root-access-keys/quiet on rules/iam-root-no-mfa/fires\n\
         rules/iam-root-access-keys/quiet same iam/global/get-account-summary.json rules/iam-root-no-mfa/quiet/iam/global/get-account-summary.json\n",
    )?;
    let fixtures = Fixtures::open(dir.path())?;
    let evidence = |layer: &str| -> Result<Vec<(String, String)>, Failed> {
        Ok(fixtures.evidence(layer)?.into_iter().collect())
    };
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    // A case's own files are laid over its area's base.
    assert_eq!(
        evidence("rules/iam-root-no-mfa/fires")?,
        [
            pair("iam/global/credential-report.csv", "root without MFA"),
            pair("sts/global/get-caller-identity.json", "sts"),
        ]
    );
    // `remove` drops a file of the base.
    assert_eq!(
        evidence("rules/iam-root-no-mfa/quiet")?,
        [
            pair("iam/global/get-account-summary.json", "summary"),
            pair("sts/global/get-caller-identity.json", "sts"),
        ]
    );
    // `on none` starts from nothing.
    assert_eq!(
        evidence("rules/iam-root-access-keys/fires")?,
        [pair("iam/global/get-account-summary.json", "keys")]
    );
    // `on` starts from another case; `same` takes a file stored elsewhere. A
    // case named only in compose.txt is a case all the same.
    assert_eq!(
        evidence("rules/iam-root-access-keys/quiet")?,
        [
            pair("iam/global/credential-report.csv", "root without MFA"),
            pair("iam/global/get-account-summary.json", "summary"),
            pair("sts/global/get-caller-identity.json", "sts"),
        ]
    );
    let names: Vec<String> = fixtures.cases()?.iter().map(Case::layer).collect();
    assert_eq!(
        names,
        [
            "rules/iam-root-access-keys/fires",
            "rules/iam-root-access-keys/quiet",
            "rules/iam-root-no-mfa/fires",
            "rules/iam-root-no-mfa/quiet",
        ]
    );
    assert_eq!(
        fixtures.ancestors("rules/iam-root-access-keys/quiet")?,
        ["rules/iam-root-no-mfa/fires", "bases/iam"]
    );
    // Mistakes are named, not composed into something else.
    for (directives, error) in [
        (
            "rules/iam-root-no-mfa/fires remove iam/global/nothing.json\n",
            "removes iam/global/nothing.json",
        ),
        (
            "rules/iam-root-no-mfa/fires on rules/iam-root-no-mfa/quiet\nrules/iam-root-no-mfa/quiet on rules/iam-root-no-mfa/fires\n",
            "cycle",
        ),
        (
            "rules/iam-root-no-mfa/fires on bases/elsewhere\n",
            "no layer bases/elsewhere",
        ),
        (
            "rules/iam-root-no-mfa/fires same iam/global/credential-report.csv bases/iam/iam/global/credential-report.csv\n",
            "also takes it from",
        ),
        ("rules/iam-root-no-mfa/fires copy a b\n", "expected"),
        (
            "rules/iam-root-no-mfa/fires remove ../a.json\n",
            "not a relative path",
        ),
    ] {
        write(COMPOSE_FILE, directives)?;
        let outcome =
            Fixtures::open(dir.path()).and_then(|f| f.evidence("rules/iam-root-no-mfa/fires"));
        match outcome {
            Err(e) if e.contains(error) => {}
            other => return Err(format!("{directives}: expected {error:?}, got {other:?}").into()),
        }
    }
    Ok(())
}
