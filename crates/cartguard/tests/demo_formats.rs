//! The demo scan (account and servers) in the formats people read and CI
//! dashboards take, pinned: the one-line and the full text report, CSV,
//! Markdown, JUnit and the HTML page. The machine formats with a published
//! schema (SARIF, OCSF, ASFF) are pinned and validated in `report_formats.rs`,
//! the JSON document in `cli.rs`.

mod common;

use common::{DEMO, NOW, cartguard, repo};

/// Renders the demo in `format` (text with `extra` options) to a string.
fn demo(format: &str, extra: &[&str]) -> String {
    let root = repo();
    let output = cartguard()
        .current_dir(&root)
        .arg("scan")
        .args(DEMO)
        .args(["--now", NOW, "--fail-on", "none", "--format", format])
        .args(extra)
        .output()
        .expect("cartguard runs");
    assert!(
        output.status.success(),
        "{format}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    // The clock's time of the scan is the one thing that changes between runs.
    match text.find("scan started ") {
        Some(at) => {
            let end = text[at..].find('<').map_or(text.len(), |n| at + n);
            format!("{}scan started [started]{}", &text[..at], &text[end..])
        }
        None => text,
    }
}

fn pin(name: &str, text: &str) {
    insta::with_settings!({snapshot_path => "snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn the_demo_in_every_format_people_read() {
    pin("securecart-demo.txt", &demo("text", &[]));
    pin(
        "securecart-demo.detail.txt",
        &demo("text", &["--detail", "--show-passed"]),
    );
    pin("securecart-demo.csv", &demo("csv", &[]));
    pin("securecart-demo.md", &demo("markdown", &[]));
    pin("securecart-demo.junit.xml", &demo("junit", &[]));
    pin("securecart-demo.html", &demo("html", &[]));
}
