//! Compliance references, kept as data (`data/compliance.toml`) keyed by rule id,
//! so a new version of a standard is a data change.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

/// Standard name → references, e.g. `pci-dss-4.0.1` → `["8.2.2", "7.2.2"]`.
pub type Compliance = BTreeMap<String, Vec<String>>;

const DATA: &str = include_str!("../data/compliance.toml");

#[derive(Debug, Deserialize)]
struct Entry {
    #[serde(default)]
    notes: Vec<String>,
    #[serde(flatten)]
    references: Compliance,
}

fn table() -> &'static BTreeMap<String, Entry> {
    static TABLE: OnceLock<BTreeMap<String, Entry>> = OnceLock::new();
    // The file is part of the binary and checked by a unit test, so a parse
    // failure can only come from editing it; fall back to no references rather
    // than aborting a scan.
    TABLE.get_or_init(|| toml::from_str(DATA).unwrap_or_default())
}

/// The compliance references of a rule (empty lists when it has none).
pub fn compliance_for(rule_id: &str) -> Compliance {
    table()
        .get(rule_id)
        .map(|e| e.references.clone())
        .unwrap_or_default()
}

/// The caveats attached to a rule's references.
pub fn compliance_notes(rule_id: &str) -> &'static [String] {
    table()
        .get(rule_id)
        .map(|e| e.notes.as_slice())
        .unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_file_parses_and_names_three_standards_per_rule() {
        let parsed: BTreeMap<String, Entry> = toml::from_str(DATA).expect("compliance.toml parses");
        assert!(parsed.len() > 100);
        for (id, entry) in &parsed {
            let standards: Vec<&str> = entry.references.keys().map(String::as_str).collect();
            assert_eq!(
                standards,
                ["cis-aws-3.0.0", "cis-aws-7.0.0", "pci-dss-4.0.1"],
                "{id}"
            );
        }
    }

    #[test]
    fn every_registered_rule_has_references() {
        for rule in crate::all_rules() {
            assert!(
                table().contains_key(rule.id),
                "{} has no compliance entry",
                rule.id
            );
        }
        assert_eq!(
            compliance_for("iam-root-access-keys")["pci-dss-4.0.1"],
            ["8.2.2", "7.2.2"]
        );
    }
}
