//! Compliance references, kept as data (`data/compliance.toml`) keyed by rule id,
//! so a new version of a standard is a data change: the standards themselves,
//! their names and the order reports show them in are listed there too.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// Standard name → references, e.g. `pci-dss-4.0.1` → `["8.2.2", "7.2.2"]`.
pub type Compliance = BTreeMap<String, Vec<String>>;

const DATA: &str = include_str!("../data/compliance.toml");

/// A standard the compliance references cite, as the data lists it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Standard {
    /// The key of its references, e.g. `pci-dss-4.0.1`.
    pub id: String,
    /// Its name, e.g. `PCI DSS 4.0.1`.
    pub name: String,
    /// Its name where room is short (the terminal's rule table), e.g. `PCI`.
    pub short: String,
}

#[derive(Debug, Default, Deserialize)]
struct Data {
    #[serde(default)]
    standards: Vec<Standard>,
    #[serde(flatten)]
    rules: BTreeMap<String, Entry>,
}

#[derive(Debug, Deserialize)]
struct Entry {
    #[serde(default)]
    notes: Vec<String>,
    #[serde(flatten)]
    references: Compliance,
}

fn data() -> &'static Data {
    static PARSED: OnceLock<Data> = OnceLock::new();
    // The file is part of the binary and checked by a unit test, so a parse
    // failure can only come from editing it; fall back to no references rather
    // than aborting a scan.
    PARSED.get_or_init(|| toml::from_str(DATA).unwrap_or_default())
}

/// The standards rules are mapped to, in the order reports show them.
pub fn standards() -> &'static [Standard] {
    &data().standards
}

/// The compliance references of a rule (empty lists when it has none).
pub fn compliance_for(rule_id: &str) -> Compliance {
    data()
        .rules
        .get(rule_id)
        .map(|e| e.references.clone())
        .unwrap_or_default()
}

/// The caveats attached to a rule's references.
pub fn compliance_notes(rule_id: &str) -> &'static [String] {
    data()
        .rules
        .get(rule_id)
        .map(|e| e.notes.as_slice())
        .unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed() -> Data {
        toml::from_str(DATA).expect("compliance.toml parses")
    }

    #[test]
    fn the_standards_are_listed_in_report_order() {
        let ids: Vec<String> = parsed().standards.into_iter().map(|s| s.id).collect();
        assert_eq!(ids, ["pci-dss-4.0.1", "cis-aws-3.0.0", "cis-aws-7.0.0"]);
        assert_eq!(standards()[0].short, "PCI");
    }

    #[test]
    fn every_rule_names_every_listed_standard_and_no_other() {
        let data = parsed();
        assert!(data.rules.len() > 100);
        let mut listed: Vec<&str> = data.standards.iter().map(|s| s.id.as_str()).collect();
        listed.sort_unstable();
        let before = listed.len();
        listed.dedup();
        assert_eq!(listed.len(), before, "a standard is listed twice");
        for (id, entry) in &data.rules {
            let cited: Vec<&str> = entry.references.keys().map(String::as_str).collect();
            assert_eq!(cited, listed, "{id}");
        }
    }

    #[test]
    fn every_registered_rule_has_references() {
        for rule in crate::all_rules() {
            assert!(
                data().rules.contains_key(rule.id),
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
