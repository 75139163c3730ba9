//! `scan --path`: server files on their own or with an account, and what the
//! report says was not checked.

mod common;

use std::path::Path;

use common::{NOW, cartguard, fixture, repo};
use serde_json::Value;

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let output = cartguard()
        .current_dir(repo())
        .args(["scan", "--now", NOW, "--fail-on", "none"])
        .args(args)
        .output()
        .expect("runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn site(dir: &Path) {
    write(
        dir,
        "sites-enabled/shop.conf",
        "server {\n    listen 443 ssl;\n    server_name shop.example;\n}\n",
    );
}

#[test]
fn files_alone_say_the_aws_areas_were_not_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    site(dir.path());
    let root = dir.path().to_str().expect("UTF-8");
    let (status, out, err) = run(&["--path", root]);
    assert_eq!(status, Some(0), "{err}");
    for area in ["iam", "network", "data", "logging", "edge"] {
        let line = out
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{area} ")))
            .unwrap_or_else(|| panic!("no line for {area}:\n{out}"));
        assert!(
            line.contains("not checked: no AWS source was given"),
            "{line}"
        );
    }
    let (_, json, _) = run(&["--path", root, "--format", "json"]);
    let json: Value = serde_json::from_str(&json).expect("JSON");
    let coverage = json["coverage"].as_array().expect("coverage");
    assert!(coverage.iter().any(|c| {
        c["area"] == "aws"
            && c["status"] == "not-assessed"
            && c["reason"]
                .as_str()
                .is_some_and(|r| r.contains("no AWS source"))
    }));
    let files = coverage
        .iter()
        .find(|c| c["area"] == "files")
        .expect("files coverage");
    assert_eq!(files["region"], root);
    assert!(
        files["reason"]
            .as_str()
            .is_some_and(|r| r.contains("files over 8 MiB skipped")),
        "{files}"
    );
    assert_eq!(json["scan"]["sources"][0], format!("path:{root}"));
}

#[test]
fn an_account_alone_says_the_application_area_was_not_checked() {
    let evidence = fixture("iam-root-no-mfa/fires");
    let (status, out, err) = run(&["--evidence", evidence.path().to_str().expect("UTF-8")]);
    assert_eq!(status, Some(0), "{err}");
    let line = out
        .lines()
        .find(|l| l.trim_start().starts_with("application "))
        .expect("an application line");
    assert!(line.contains("not checked: no --path was given"), "{line}");
}

#[test]
fn a_path_with_nothing_to_read_is_an_input_error_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().to_str().expect("UTF-8");
    let (status, _, err) = run(&["--path", root]);
    assert_eq!(status, Some(2));
    assert_eq!(
        err,
        format!(
            "error: {root}: no file to scan (an empty folder, or every file is ignored; --no-ignore reads ignored files)\n"
        )
    );
    let (status, _, err) = run(&["--path", &format!("{root}/missing")]);
    assert_eq!(status, Some(2));
    assert!(
        err.starts_with(&format!("error: {root}/missing: ")),
        "{err}"
    );
}

#[test]
fn ignored_files_are_read_with_no_ignore_and_large_ones_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    site(dir.path());
    write(dir.path(), ".gitignore", "backup/\n");
    write(dir.path(), "backup/old.conf", "server { listen 80; }\n");
    write(dir.path(), "dump.sql", &"x".repeat(4096));
    let root = dir.path().to_str().expect("UTF-8");
    let files_read = |extra: &[&str]| -> String {
        let mut args = vec!["--path", root, "--format", "json"];
        args.extend_from_slice(extra);
        let (status, out, err) = run(&args);
        assert_eq!(status, Some(0), "{err}");
        let json: Value = serde_json::from_str(&out).expect("JSON");
        json["coverage"]
            .as_array()
            .expect("coverage")
            .iter()
            .find(|c| c["area"] == "files")
            .expect("files coverage")["reason"]
            .as_str()
            .expect("a reason")
            .to_string()
    };
    let honoured = files_read(&["--max-file-size", "2K"]);
    assert!(
        honoured.starts_with("2 files read (files over 2 KiB skipped"),
        "{honoured}"
    );
    assert!(
        honoured.contains("dump.sql not read: 4 KiB is over the 2 KiB limit"),
        "{honoured}"
    );
    let everything = files_read(&["--no-ignore"]);
    assert!(everything.starts_with("4 files read"), "{everything}");
}

/// The demo store's nginx configuration: which rule fires where, pinned
/// (examples/securecart/EXPECTED.md tells the story).
#[test]
fn the_demo_nginx_configuration() {
    let (status, out, err) = run(&[
        "--path",
        "examples/securecart/server/nginx",
        "--format",
        "json",
    ]);
    assert_eq!(status, Some(0), "{err}");
    let json: Value = serde_json::from_str(&out).expect("JSON");
    let files = json["coverage"]
        .as_array()
        .expect("coverage")
        .iter()
        .find(|c| c["area"] == "files")
        .expect("files coverage");
    assert_eq!(files["status"], "assessed", "{files}");
    let verdicts: Vec<String> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {}",
                f["status"].as_str().unwrap_or(""),
                f["rule_id"].as_str().unwrap_or(""),
                f["resource"].as_str().unwrap_or(""),
                f["detail"].as_str().unwrap_or("")
            )
        })
        .collect();
    insta::assert_snapshot!("securecart-nginx", verdicts.join("\n"));
}
