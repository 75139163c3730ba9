//! No report shows a secret: a tree full of credentials (in code, in
//! configuration, in `.env` files, in a Magento env.php and in a git
//! repository's history) is scanned in every format, alone and with the demo
//! account, and none of the values appears anywhere in what cartguard prints
//! or writes.

mod common;

use std::path::Path;
use std::process::Command as Process;

use common::{NOW, cartguard, repo};

fn write(dir: &Path, relative: &str, text: &str) {
    let path = dir.join(relative);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// The secrets, assembled at run time so that this file holds none whole.
fn secrets() -> Vec<String> {
    let join = |a: &str, b: &str| format!("{a}{b}");
    vec![
        join("Qm7vT2xZ9kL4pR8sW1nB", "6cY3hJ5dF0gA+eK2uV/i"),
        join("sk_live_", "51HaBcDeFgHiJkLmNoPqRsTu"),
        join("rk_live_", "51HaBcDeFgHiJkLmNoPqRsTu"),
        join("shpat_", "0a1b2c3d4e5f60718293a4b5c6d7e8f9"),
        join("shpss_", "0a1b2c3d4e5f60718293a4b5c6d7e8f9"),
        join("shpca_", "0a1b2c3d4e5f60718293a4b5c6d7e8f9"),
        join("shppa_", "0a1b2c3d4e5f60718293a4b5c6d7e8f9"),
        join("pk_", "0123456789abcdef0123456789abcdef01"),
        join("ghp_", "Ab3dEf6hIj9lMn2pQr5tUv8xYz1BcD4fGh7J"),
        join("glpat-", "xY3zA1bC2dE3fG4hI5jK"),
        join(
            "https://hooks.slack.com/services/T0123ABCD/B0123ABCD/",
            "aB3dE6gH9jK2mN5pQ8sT1vW4",
        ),
        join("Shop2024!", "db-password"),
        join("EJk3lM9nP2qR5sT8", "uV1wX4yZ7aB0cD3e"),
        join("Mg-Secret#", "2026-prod"),
        join("S3cr3t-Pa55", "-for-postgres"),
        join(
            "MIIEowIBAAKCAQEAx4Ujb0fVLqLt2q1Cq3wZr4",
            "xQ0s7fYb9yZk3j2Uq8c1VvT6eW",
        ),
        join("sk_live_51HistoryOnly", "Key0a9b8c7d6e5f4"),
    ]
}

fn tree(dir: &Path) {
    let s = secrets();
    write(
        dir,
        "app/.env",
        &format!(
            "AWS_ACCESS_KEY_ID=AKIALFTHJHBAEJFSINOO\nAWS_SECRET_ACCESS_KEY={}\nSTRIPE_SECRET_KEY={}\nSHOPIFY_ACCESS_TOKEN={}\nSHOPIFY_API_SECRET={}\nPAYPAL_CLIENT_SECRET={}\nDATABASE_URL=postgres://shop:{}@db.internal:5432/shop\n",
            s[0], s[1], s[3], s[4], s[12], s[14]
        ),
    );
    write(
        dir,
        "app/src/keys.js",
        &format!(
            "const restricted = \"{}\";\nconst custom = '{}';\nconst privateApp = '{}';\nconst klaviyo = '{}';\nconst hook = \"{}\";\n",
            s[2], s[5], s[6], s[7], s[10]
        ),
    );
    write(
        dir,
        "ci/settings.yml",
        &format!(
            "github_token: {}\ngitlab: {}\ndb_password: {}\n",
            s[8], s[9], s[11]
        ),
    );
    write(
        dir,
        "deploy/id_rsa",
        &format!(
            "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----\n",
            s[15]
        ),
    );
    write(
        dir,
        "magento/app/etc/env.php",
        &format!(
            "<?php\nreturn [\n  'backend' => ['frontName' => 'admin'],\n  'db' => ['connection' => ['default' => ['host' => 'db', 'password' => '{}']]],\n];\n",
            s[13]
        ),
    );
    write(
        dir,
        "magento/app/etc/config.php",
        "<?php\nreturn ['modules' => ['Magento_Store' => 1]];\n",
    );
}

/// A repository whose history alone holds the last secret.
fn history(dir: &Path) {
    let s = secrets();
    let git = |args: &[&str]| {
        let status = Process::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_AUTHOR_NAME", "T")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "T")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "--quiet", "."]);
    write(dir, "pay.js", &format!("const k = \"{}\";\n", s[16]));
    git(&["add", "."]);
    git(&["commit", "--quiet", "-m", "one"]);
    write(dir, "pay.js", "const k = process.env.STRIPE_SECRET_KEY;\n");
    git(&["add", "."]);
    git(&["commit", "--quiet", "-m", "two"]);
}

fn assert_clean(what: &str, text: &str) {
    for secret in secrets() {
        assert!(
            !text.contains(&secret),
            "{what} shows a secret value ({} chars)",
            secret.len()
        );
        // Not even most of it.
        let head = &secret[..secret.len() * 2 / 3];
        assert!(!text.contains(head), "{what} shows most of a secret value");
    }
}

#[test]
fn no_format_shows_a_secret() {
    let dir = tempfile::tempdir().expect("tempdir");
    tree(dir.path());
    let repo_dir = dir.path().join("history");
    std::fs::create_dir_all(&repo_dir).expect("mkdir");
    history(&repo_dir);
    let root = dir.path().to_str().expect("UTF-8");
    let repo_root = repo_dir.to_str().expect("UTF-8");
    let evidence = repo().join("examples/securecart/evidence");
    let mut found_history = false;
    for format in cartguard_report::FORMATS.iter().map(|f| f.name) {
        for with_account in [false, true] {
            let out_file = dir.path().join(format!("report-{format}-{with_account}"));
            let mut command = cartguard();
            command
                .args(["scan", "--now", NOW, "--fail-on", "none", "--git-history"])
                .args(["--format", format, "--path", root, "--path", repo_root]);
            if with_account {
                command.arg("--evidence").arg(&evidence);
            }
            let output = command.output().expect("runs");
            let stdout = String::from_utf8_lossy(&output.stdout);
            let stderr = String::from_utf8_lossy(&output.stderr);
            if format == "asff" && !with_account {
                // Security Hub needs an account: the error says so, and shows no secret either.
                assert_eq!(output.status.code(), Some(2), "{stderr}");
                assert!(stderr.contains("account"), "{stderr}");
                assert_clean("asff error", &stderr);
                continue;
            }
            assert_eq!(output.status.code(), Some(0), "{stderr}");
            assert_clean(&format!("{format} stdout"), &stdout);
            assert_clean(&format!("{format} stderr"), &stderr);
            assert!(stdout.contains("secret-hardcoded"), "{stdout}");
            found_history |= stdout.contains("history/pay.js");
            let mut command = cartguard();
            command
                .args(["scan", "--now", NOW, "--fail-on", "none", "--git-history"])
                .args(["--format", format, "--path", root, "--path", repo_root])
                .arg("--output")
                .arg(&out_file);
            if with_account {
                command.arg("--evidence").arg(&evidence);
            }
            let written = command.output().expect("runs");
            assert_eq!(written.status.code(), Some(0));
            let file = std::fs::read_to_string(&out_file).expect("the report file");
            assert_clean(&format!("{format} --output"), &file);
        }
    }
    assert!(found_history, "the history's secret is reported");
}
