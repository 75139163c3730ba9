//! Invariants of the code base that ARCHITECTURE.md states: checked, so they
//! stay true.

mod common;

use std::path::{Path, PathBuf};

use common::repo;

fn rust_sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Only the evidence reader knows where evidence lives in a folder: rules,
/// engines, reports and the CLI speak of evidence keys (API operations).
#[test]
fn no_evidence_file_path_outside_the_evidence_reader() {
    let mut sources = Vec::new();
    for entry in std::fs::read_dir(repo().join("crates"))
        .expect("crates/")
        .flatten()
    {
        if entry.file_name() == "cartguard-evidence" {
            continue;
        }
        rust_sources(&entry.path().join("src"), &mut sources);
    }
    assert!(!sources.is_empty());
    let mut found = Vec::new();
    for path in &sources {
        let text = std::fs::read_to_string(path).expect("readable source");
        for (number, line) in text.lines().enumerate() {
            for (_, service, command) in cartguard_evidence::layout::LAYOUT {
                let file = format!("/{command}.json");
                let folder = format!("{service}/{{");
                if line.contains(&file) || line.contains(&folder) || line.contains("/global/") {
                    found.push(format!(
                        "{}:{}: {}",
                        path.display(),
                        number + 1,
                        line.trim()
                    ));
                    break;
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "evidence file paths outside cartguard-evidence:\n{}",
        found.join("\n")
    );
}

/// The binary asks the engines their documented questions (`query`, `blast`,
/// `resource_policy`, the network index's reachability) and never reaches into
/// how they decide, nor into the rules' own modules.
#[test]
fn the_cli_uses_only_the_engines_query_apis() {
    const ALLOWED: &[&str] = &[
        "cartguard_iam::query::",
        "cartguard_iam::blast::",
        "cartguard_iam::resource_policy::",
    ];
    let mut sources = Vec::new();
    rust_sources(&repo().join("crates/cartguard/src"), &mut sources);
    assert!(!sources.is_empty());
    let mut found = Vec::new();
    for path in &sources {
        let text = std::fs::read_to_string(path).expect("readable source");
        for (number, line) in text.lines().enumerate() {
            for engine in ["cartguard_iam::", "cartguard_net::", "cartguard_rules::"] {
                for (at, _) in line.match_indices(engine) {
                    let rest = &line[at + engine.len()..];
                    // A lower-case segment followed by `::` is a module path.
                    let module = rest.split("::").next().filter(|m| {
                        rest.len() > m.len() && m.starts_with(|c: char| c.is_ascii_lowercase())
                    });
                    if let Some(module) = module {
                        let path_used = format!("{engine}{module}::");
                        if !ALLOWED.contains(&path_used.as_str()) {
                            found.push(format!(
                                "{}:{}: {}",
                                path.display(),
                                number + 1,
                                line.trim()
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "the CLI reaches into engine internals:\n{}",
        found.join("\n")
    );
}
