//! The `evidence_folder` fuzz target's body on stable, in every `cargo test`:
//! random bytes, JSON made of the field names AWS answers with, and the demo's
//! and the rule fixtures' evidence files mutated at random, each read as the
//! file of its operation. The body (`fuzz/bodies/evidence_folder.rs`) is the
//! fuzz target's own, so both check the same thing.

#[path = "../../../fuzz/bodies/evidence_folder.rs"]
mod body;

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use serde_json::Value;

/// Every `.json` and `.csv` file below `root`, as relative path and text.
fn files_under(root: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("a readable folder") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json" || e == "csv") {
                let rel = path.strip_prefix(root).expect("below the root");
                let text = std::fs::read_to_string(&path).expect("a readable file");
                out.push((rel.to_string_lossy().replace('\\', "/"), text));
            }
        }
    }
    out.sort();
    out
}

/// Evidence files of the demo and the rule fixtures, each with the byte that
/// makes the body read it as the file of its own operation.
fn seeds() -> &'static [(u8, String)] {
    static SEEDS: OnceLock<Vec<(u8, String)>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let demo = files_under(&repo.join("examples/securecart/evidence"));
        // A fixture file lies below `<layer>/`, two or three folders deep.
        let fixtures = files_under(&repo.join("crates/cartguard-rules/tests/fixtures"))
            .into_iter()
            .filter_map(|(rel, text)| {
                let parts: Vec<&str> = rel.split('/').collect();
                let skip = if parts.first() == Some(&"bases") {
                    2
                } else {
                    3
                };
                (parts.len() > skip).then(|| (parts[skip..].join("/"), text))
            });
        demo.into_iter()
            .chain(fixtures)
            .filter_map(|(rel, text)| Some((body::pick_for(&rel)?, text)))
            .collect()
    })
}

/// Every object key of the seeds: the fields AWS answers with.
fn field_names() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        fn walk(value: &Value, out: &mut BTreeSet<String>) {
            match value {
                Value::Object(fields) => {
                    for (key, item) in fields {
                        out.insert(key.clone());
                        walk(item, out);
                    }
                }
                Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
                _ => {}
            }
        }
        let mut names = BTreeSet::new();
        for (_, text) in seeds() {
            if let Ok(value) = serde_json::from_str::<Value>(text) {
                walk(&value, &mut names);
            }
        }
        names.into_iter().collect()
    })
}

/// JSON values built from AWS's field names and values that are easy to
/// get wrong: addresses, ports, wildcards, dates, empty and huge numbers.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop::sample::select(vec![-1i64, 0, 22, 65535, 65536, i64::MAX]).prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        prop::sample::select(vec![
            "",
            "*",
            "-1",
            "tcp",
            "0.0.0.0/0",
            "::/0",
            "10.0.0.0/33",
            "not-a-cidr",
            "Allow",
            "Deny",
            "true",
            "2026-11-20T12:00:00Z",
            "2026-13-45",
            "N/A",
            "arn:aws:iam::111122223333:root",
            "eu-west-1",
            "Active",
        ])
        .prop_map(|s| Value::String(s.to_string())),
        "\\PC{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(field_names().to_vec()), inner), 0..6)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

/// JSON pointers of every value in a document.
fn pointers(value: &Value, at: &str, out: &mut Vec<String>) {
    let children: Vec<(String, &Value)> = match value {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        Value::Object(fields) => fields
            .iter()
            .map(|(k, v)| (k.replace('~', "~0").replace('/', "~1"), v))
            .collect(),
        _ => Vec::new(),
    };
    for (step, child) in children {
        let here = format!("{at}/{step}");
        out.push(here.clone());
        pointers(child, &here, out);
    }
}

/// `text` with the value at one place replaced, or, when it is not JSON, with
/// bytes replaced at one place.
fn mutate(text: &str, at: prop::sample::Index, with: Value, bytes: &[u8]) -> Vec<u8> {
    if let Ok(mut value) = serde_json::from_str::<Value>(text) {
        let mut all = vec![String::new()];
        pointers(&value, "", &mut all);
        let pointer = at.get(&all);
        if let Some(node) = value.pointer_mut(pointer) {
            *node = with;
        }
        return value.to_string().into_bytes();
    }
    let mut out = text.as_bytes().to_vec();
    let start = at.index(out.len() + 1);
    let end = (start + bytes.len()).min(out.len());
    out.splice(start..end, bytes.iter().copied());
    out
}

fn input(pick: u8, content: &[u8]) -> Vec<u8> {
    let mut data = vec![pick];
    data.extend_from_slice(content);
    data
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes(data in prop::collection::vec(any::<u8>(), 0..512)) {
        body::run(&data);
    }

    #[test]
    fn json_of_aws_fields(pick in any::<u8>(), value in json()) {
        body::run(&input(pick, value.to_string().as_bytes()));
    }

    #[test]
    fn json_ish_text(pick in any::<u8>(), text in "[\\[\\]{}\":,0-9a-zA-Z.\\- \n]{0,200}") {
        body::run(&input(pick, text.as_bytes()));
    }

    #[test]
    fn mutated_evidence(
        seed in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        with in json(),
        bytes in prop::collection::vec(any::<u8>(), 0..8),
    ) {
        let (pick, text) = seed.get(seeds());
        body::run(&input(*pick, &mutate(text, at, with, &bytes)));
    }

    #[test]
    fn truncated_evidence(seed in any::<prop::sample::Index>(), cut in any::<prop::sample::Index>()) {
        let (pick, text) = seed.get(seeds());
        body::run(&input(*pick, &text.as_bytes()[..cut.index(text.len() + 1)]));
    }
}

#[test]
fn every_seed_is_read_as_its_own_operation() {
    assert!(seeds().len() > 100, "only {} seeds", seeds().len());
    for (pick, text) in seeds() {
        body::run(&input(*pick, text.as_bytes()));
    }
}
