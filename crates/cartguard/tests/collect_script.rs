//! `scripts/collect-evidence.sh` must collect every piece of evidence some rule
//! declares it reads: a rule whose evidence the script never writes would be
//! `not-assessed` on every folder the script produces.

mod common;

use std::collections::BTreeSet;

use common::repo;

/// The files the script writes, as patterns: `ec2/<region>/describe-vpcs.json`,
/// `iam/global/list-access-keys/<resource>.json`.
fn files_written(script: &str) -> BTreeSet<String> {
    let joined = script.replace("\\\n", " ");
    let mut loop_operations: Vec<String> = Vec::new();
    let mut out = BTreeSet::new();
    for line in joined.lines().map(str::trim) {
        if let Some(list) = line
            .strip_prefix("for operation in ")
            .and_then(|rest| rest.split(';').next())
        {
            loop_operations = list.split_whitespace().map(str::to_string).collect();
            continue;
        }
        let Some(rest) = line.strip_prefix("collect ") else {
            continue;
        };
        let first = match rest.strip_prefix('"') {
            Some(quoted) => quoted.split('"').next().unwrap_or_default(),
            None => rest.split_whitespace().next().unwrap_or_default(),
        };
        let file = placeholders(first);
        if file.contains("$operation") {
            for operation in &loop_operations {
                out.insert(file.replace("$operation", operation));
            }
        } else {
            out.insert(file);
        }
    }
    out
}

/// A path with its shell variables replaced by `<region>` or `<resource>`.
fn placeholders(path: &str) -> String {
    let mut parts = Vec::new();
    for (i, part) in path.split('/').enumerate() {
        let part = if i == 1 && part.starts_with('$') {
            "<region>".to_string()
        } else if part.contains('$') && part != "$operation.json" {
            "<resource>.json".to_string()
        } else {
            part.to_string()
        };
        parts.push(part);
    }
    parts.join("/")
}

/// A documented file pattern with its resource placeholder written `<resource>`
/// (`iam/global/list-access-keys/<user>.json` → `…/<resource>.json`).
fn normalised(pattern: &str) -> String {
    let mut parts: Vec<&str> = pattern.split('/').collect();
    if parts.len() == 4 {
        parts[3] = "<resource>.json";
    }
    parts.join("/")
}

#[test]
fn the_collection_script_writes_every_key_a_rule_reads() {
    let script = std::fs::read_to_string(repo().join("scripts/collect-evidence.sh"))
        .expect("scripts/collect-evidence.sh is readable");
    let written = files_written(&script);
    assert!(
        written.contains("iam/global/get-credential-report.json"),
        "the script parser found no files: {written:?}"
    );
    let mut missing = Vec::new();
    for rule in cartguard_rules::all_rules() {
        for operation in rule.operations() {
            let pattern =
                cartguard_evidence::layout::file_pattern(&operation).unwrap_or_else(|| {
                    panic!("{operation} (read by {}) has no evidence file", rule.id)
                });
            if !written.contains(&normalised(&pattern)) {
                missing.push(format!("{} reads {operation} ({pattern})", rule.id));
            }
        }
    }
    missing.dedup();
    assert!(
        missing.is_empty(),
        "scripts/collect-evidence.sh does not collect:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_script_parser_sees_loops_and_resources() {
    let script = "for operation in describe-vpcs \\\n describe-subnets; do\n  collect \"ec2/$region/$operation.json\" \"$region\" ec2 \"$operation\"\ndone\ncollect \"iam/global/list-access-keys/$(safe_name \"$user\").json\" x\n";
    let written = files_written(script);
    assert!(
        written.contains("ec2/<region>/describe-vpcs.json"),
        "{written:?}"
    );
    assert!(
        written.contains("ec2/<region>/describe-subnets.json"),
        "{written:?}"
    );
    assert!(
        written.contains("iam/global/list-access-keys/<resource>.json"),
        "{written:?}"
    );
}
