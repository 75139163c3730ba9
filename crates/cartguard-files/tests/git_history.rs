//! The history scan on the demo's repository, built by
//! `scripts/make-example-repo.sh` into a temporary folder.

use std::path::Path;
use std::process::Command;

use cartguard_files::git_history::{is_repository, merge_into, scan_history};
use cartguard_files::secrets::scan_file;
use cartguard_inventory::files::secrets::CredentialKind;

fn script() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/make-example-repo.sh")
}

fn example_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let status = Command::new("sh")
        .arg(script())
        .arg(dir.path())
        .status()
        .expect("sh runs");
    assert!(status.success(), "make-example-repo.sh failed");
    dir
}

#[test]
fn a_key_removed_by_a_later_commit_is_found_where_it_was_introduced() {
    let repo = example_repo();
    assert!(is_repository(repo.path()));
    let scan = scan_history(repo.path(), "shopify-app", 8 << 20).expect("reads the history");
    assert_eq!(scan.commits, 3);
    // README, two versions of payments.js, .env.example.
    assert_eq!(scan.blobs, 4);
    assert_eq!(scan.secrets.len(), 1, "{:?}", scan.secrets);
    let stripe = &scan.secrets[0];
    assert_eq!(stripe.kind, CredentialKind::StripeSecretKey);
    assert_eq!(stripe.path, "shopify-app/src/payments.js");
    assert_eq!(stripe.line, 4);
    let introduced = stripe.introduced.as_ref().expect("an introduction");
    assert_eq!(introduced.author_date, "2026-03-02T09:15:00Z");
    assert!(!introduced.still_present);
    assert_eq!(introduced.commit.len(), 40);
    assert!(!stripe.redacted.contains("DemoOnlyKey"));

    // The work tree no longer holds it: merged, the history's finding is added.
    let current = std::fs::read(repo.path().join("src/payments.js")).unwrap();
    let mut files = scan_file("shopify-app/src/payments.js", &current);
    assert!(files.is_empty());
    merge_into(&mut files, scan.secrets.clone());
    assert_eq!(files.len(), 1);
}

#[test]
fn a_key_still_in_the_work_tree_gets_its_introduction() {
    let repo = example_repo();
    // A fourth commit puts a key back; HEAD holds it.
    let key = format!("sk_live_{}", "51NzQx8AnotherDemoKey9f8e7d6c");
    std::fs::write(
        repo.path().join("src/refunds.js"),
        format!("const key = \"{key}\";\n"),
    )
    .unwrap();
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .args(args)
            .current_dir(repo.path())
            .env("GIT_AUTHOR_DATE", "2026-05-05T08:00:00+00:00")
            .env("GIT_COMMITTER_DATE", "2026-05-05T08:00:00+00:00")
            .status()
            .unwrap();
        assert!(status.success());
    };
    git(&["add", "src/refunds.js"]);
    git(&["commit", "--quiet", "-m", "Refunds"]);
    let scan = scan_history(repo.path(), "app", 8 << 20).unwrap();
    assert_eq!(scan.secrets.len(), 2);
    let refunds = scan
        .secrets
        .iter()
        .find(|s| s.path == "app/src/refunds.js")
        .unwrap();
    assert!(refunds.introduced.as_ref().unwrap().still_present);
    let current = std::fs::read(repo.path().join("src/refunds.js")).unwrap();
    let mut files = scan_file("app/src/refunds.js", &current);
    merge_into(&mut files, scan.secrets);
    assert_eq!(files.len(), 2);
    assert!(files[0].introduced.is_some());
    let json = serde_json::to_string(&files).unwrap();
    assert!(!json.contains(&key));
}

#[test]
fn a_folder_without_history_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    assert!(!is_repository(dir.path()));
    let error = scan_history(dir.path(), "plain", 1 << 20).unwrap_err();
    assert!(error.to_string().starts_with("plain:"));
}
