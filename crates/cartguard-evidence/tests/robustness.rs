//! No evidence file, however damaged, makes the reader panic: every file of the
//! demo store is truncated and corrupted at random places and must either parse
//! or produce an error that names the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

fn demo_files() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/securecart/evidence");
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("demo evidence is readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                let rel = path
                    .strip_prefix(&root)
                    .expect("below root")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, text));
            }
        }
    }
    out.sort();
    out
}

fn check(rel: &str, text: String) {
    let files = BTreeMap::from([(rel.to_string(), text)]);
    let root = PathBuf::from("evidence");
    if let Err(error) = cartguard_evidence::parse_evidence(&root, files) {
        let message = error.to_string();
        let name = rel.rsplit('/').next().unwrap_or(rel);
        assert!(
            message.contains(name),
            "error does not name {rel}: {message}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn damaged_files_never_panic(file in any::<prop::sample::Index>(), cut in any::<prop::sample::Index>(), byte in prop::sample::select(b"{}[]:,\"0a-. \n\xff".to_vec())) {
        let files = demo_files();
        let (rel, text) = file.get(&files).clone();
        let bytes = text.into_bytes();
        if bytes.is_empty() {
            return Ok(());
        }
        let at = cut.index(bytes.len());
        // Truncated.
        check(&rel, String::from_utf8_lossy(&bytes[..at]).into_owned());
        // One byte replaced.
        let mut changed = bytes.clone();
        changed[at] = byte;
        check(&rel, String::from_utf8_lossy(&changed).into_owned());
    }

    #[test]
    fn arbitrary_text_never_panics(rel in prop::sample::select(vec![
        "iam/global/get-credential-report.json", "iam/global/credential-report.csv",
        "iam/global/get-account-authorization-details.json", "ec2/eu-west-1/describe-instances.json",
        "ec2/eu-west-1/describe-network-acls.json", "elbv2/eu-west-1/describe-listeners/web.json",
    ]), text in ".{0,200}") {
        check(rel, text);
    }
}
