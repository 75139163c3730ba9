//! The demo store's server files, scanned with its account: the verdicts of
//! the application rules are pinned (rule, resource, severity, status), like
//! the account's in `demo_verdicts.rs`. The files are copied to a temporary
//! folder first and given the modes EXPECTED.md describes (env.php 0644,
//! config.php 0640), since a checkout's modes depend on the umask. The
//! history of the Shopify app, built by `scripts/make-example-repo.sh`, is
//! scanned with `--git-history`.

mod common;

use std::path::Path;

use common::{NOW, cartguard, repo};
use serde_json::Value;

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

fn verdicts(document: &Value) -> Vec<Value> {
    document["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| {
            let id = f["rule_id"].as_str().unwrap_or("");
            id.starts_with("magento-") || id.starts_with("secret-")
        })
        .map(|f| {
            serde_json::json!({
                "rule_id": f["rule_id"],
                "severity": f["severity"],
                "status": f["status"],
                "resource": f["resource"],
            })
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn demo_server_verdicts_are_unchanged() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy(
        &repo().join("examples/securecart/server"),
        &dir.path().join("server"),
    );
    let etc = dir.path().join("server/magento/app/etc");
    set_mode(&etc.join("env.php"), 0o644);
    set_mode(&etc.join("config.php"), 0o640);
    let history = dir.path().join("shopify-app-history");
    let status = std::process::Command::new("sh")
        .arg(repo().join("scripts/make-example-repo.sh"))
        .arg(&history)
        .status()
        .expect("sh runs");
    assert!(status.success());

    let output = cartguard()
        .current_dir(dir.path())
        .args(["scan", "--now", NOW, "--format", "json", "--path", "server"])
        .args([
            "--path",
            "shopify-app-history",
            "--git-history",
            "--evidence",
        ])
        .arg(repo().join("examples/securecart/evidence"))
        .output()
        .expect("cartguard runs");
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let document: Value = serde_json::from_slice(&output.stdout).expect("prints JSON");
    let verdicts = verdicts(&document);
    let file = repo().join("crates/cartguard/tests/fixtures/demo-server-verdicts.json");
    // CARTGUARD_BLESS=1 writes the verdicts of this build, to be reviewed in the diff.
    if std::env::var_os("CARTGUARD_BLESS").is_some() {
        let text = serde_json::to_string_pretty(&verdicts).expect("serializes") + "\n";
        std::fs::write(&file, text).expect("writes the pinned verdicts");
    }
    let pinned = std::fs::read_to_string(&file).expect("pinned verdicts");
    let pinned: Vec<Value> = serde_json::from_str(&pinned).expect("pinned verdicts are JSON");
    assert_eq!(verdicts, pinned);
}
