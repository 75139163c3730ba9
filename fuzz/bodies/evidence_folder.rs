//! The body of the `evidence_folder` fuzz target, kept here so that the
//! stable test `crates/cartguard-evidence/tests/fuzz_bodies.rs` runs the very
//! same check on generated inputs.
//!
//! The first byte picks a file of the folder layout, the rest is its content.
//! No input may panic, and an input the reader refuses must be named by file.

// `pick_for` serves only the stable test.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use cartguard_evidence::layout::{LAYOUT, file_of};
use cartguard_inventory::{GLOBAL, Scope};

/// The decoded credential report, read beside the CLI's JSON form.
const CREDENTIAL_REPORT_CSV: &str = "iam/global/credential-report.csv";

/// Every file an evidence folder may hold, one per operation of the layout (a
/// per-resource call about the resource `fuzz`), and the decoded credential
/// report.
pub fn files() -> &'static [String] {
    static FILES: OnceLock<Vec<String>> = OnceLock::new();
    FILES.get_or_init(|| {
        let mut out: Vec<String> = LAYOUT
            .iter()
            .filter_map(|(operation, _, _)| {
                let region = match operation.scope {
                    Scope::Account => GLOBAL,
                    Scope::Region => "eu-west-1",
                };
                let key = match operation.per {
                    Some(_) => operation.about(region, "fuzz"),
                    None => operation.key(region),
                };
                file_of(&key)
            })
            .collect();
        out.push(CREDENTIAL_REPORT_CSV.to_string());
        out
    })
}

/// The index of the file of `files()` that holds the same operation as `rel`,
/// a file of any evidence folder, as the byte that picks it.
pub fn pick_for(rel: &str) -> Option<u8> {
    let operation_of = |path: &str| {
        let parts: Vec<&str> = path.split('/').collect();
        match parts.as_slice() {
            [service, _, file] => Some((service.to_string(), file.to_string())),
            [service, _, command, _] => Some((service.to_string(), format!("{command}/"))),
            _ => None,
        }
    };
    let wanted = operation_of(rel)?;
    let at = files()
        .iter()
        .position(|f| operation_of(f).as_ref() == Some(&wanted))?;
    u8::try_from(at).ok()
}

/// Reads `data` as one evidence file of a folder.
pub fn run(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let files = files();
    let file = &files[usize::from(pick) % files.len()];
    let text = String::from_utf8_lossy(rest).into_owned();
    let folder = BTreeMap::from([(file.clone(), text)]);
    if let Err(error) = cartguard_evidence::parse_evidence(Path::new("fuzz"), folder) {
        let message = error.to_string();
        assert!(
            message.contains(file.as_str()),
            "the error does not name {file}: {message}"
        );
    }
}
