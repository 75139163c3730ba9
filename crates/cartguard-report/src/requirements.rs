//! A standard's requirements as a scan's findings support them: for each
//! requirement the rules citing it that failed, passed or could not be
//! assessed.

use std::collections::BTreeMap;

use cartguard_rules::{Area, Finding, NotChecked, Status, all_rules, compliance_for};
use comfy_table::{ContentArrangement, Table, presets};

/// The standard the requirement view is shown for.
pub const PCI_DSS: &str = "pci-dss-4.0.1";

/// One requirement and the rules that cite it, by verdict.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Requirement {
    /// The requirement's number as the catalogue cites it (`8.4.2`).
    pub id: String,
    /// Rules with at least one failure.
    pub failing: Vec<&'static str>,
    /// Rules that ran and found nothing.
    pub passing: Vec<&'static str>,
    /// Rules without a failure that could not assess something.
    pub not_assessed: Vec<&'static str>,
}

/// The requirements of `standard` that some rule cites, in the standard's
/// order (`1.3.1` before `1.4.2` before `10.2.1`). Every rule ran, so a rule
/// without a finding passed. The rules of an area the scan did not check
/// (`not_checked`) are left out: they neither passed nor failed.
pub fn requirements(
    standard: &str,
    findings: &[Finding],
    not_checked: &[NotChecked],
) -> Vec<Requirement> {
    let mut by_id: BTreeMap<Vec<u32>, Requirement> = BTreeMap::new();
    for rule in all_rules() {
        if not_checked.iter().any(|n| n.area == rule.area) {
            continue;
        }
        let ours = findings.iter().filter(|f| f.rule_id == rule.id);
        let (mut failed, mut unknown) = (false, false);
        for finding in ours {
            match finding.status {
                Status::Fail => failed = true,
                Status::NotAssessed => unknown = true,
            }
        }
        let compliance = compliance_for(rule.id);
        for cited in compliance.get(standard).into_iter().flatten() {
            // `3.5.1 (see 3.5.1.2)` is requirement 3.5.1.
            let id = cited.split_whitespace().next().unwrap_or(cited).to_string();
            let entry = by_id.entry(order_key(&id)).or_insert_with(|| Requirement {
                id: id.clone(),
                ..Requirement::default()
            });
            let list = if failed {
                &mut entry.failing
            } else if unknown {
                &mut entry.not_assessed
            } else {
                &mut entry.passing
            };
            if !list.contains(&rule.id) {
                list.push(rule.id);
            }
        }
    }
    by_id.into_values().collect()
}

/// What a scan says of one area of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AreaSummary {
    /// The area.
    #[serde(serialize_with = "area_name")]
    pub area: Area,
    /// Rules of the area in this build.
    pub rules: usize,
    /// Rules with at least one failure.
    pub failing: usize,
    /// Rules that ran and found nothing.
    pub passing: usize,
    /// Rules without a failure that could not assess something, and the
    /// regions where they could not (`global` for account-wide evidence).
    pub not_assessed: usize,
    /// Where the not-assessed results are.
    pub not_assessed_regions: Vec<String>,
    /// Why the scan did not check the area at all (no source of the kind its
    /// rules read was given); its rules then neither pass nor fail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_checked: Option<String>,
}

fn area_name<S: serde::Serializer>(area: &Area, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(area.name())
}

/// Every area of the catalogue, with its rules' verdicts; an area without a
/// rule in this build, or one the scan did not check (`not_checked`), says so.
pub fn areas(findings: &[Finding], not_checked: &[NotChecked]) -> Vec<AreaSummary> {
    Area::ALL
        .iter()
        .map(|&area| {
            let mut summary = AreaSummary {
                area,
                rules: 0,
                failing: 0,
                passing: 0,
                not_assessed: 0,
                not_assessed_regions: Vec::new(),
                not_checked: None,
            };
            let rules = all_rules().iter().filter(|r| r.area == area);
            if let Some(unchecked) = not_checked.iter().find(|n| n.area == area) {
                summary.rules = rules.count();
                summary.not_checked = Some(unchecked.reason.clone());
                return summary;
            }
            for rule in rules {
                summary.rules += 1;
                let ours: Vec<&Finding> =
                    findings.iter().filter(|f| f.rule_id == rule.id).collect();
                if ours.iter().any(|f| f.status == Status::Fail) {
                    summary.failing += 1;
                } else if ours.iter().any(|f| f.status == Status::NotAssessed) {
                    summary.not_assessed += 1;
                    for f in ours.iter().filter(|f| f.status == Status::NotAssessed) {
                        if !summary.not_assessed_regions.contains(&f.region) {
                            summary.not_assessed_regions.push(f.region.clone());
                        }
                    }
                }
            }
            summary.not_assessed_regions.sort();
            summary.passing = summary.rules - summary.failing - summary.not_assessed;
            summary
        })
        .collect()
}

/// Numbers compare as numbers: `1.4.2` < `10.2.1`.
fn order_key(id: &str) -> Vec<u32> {
    id.split('.')
        .map(|part| part.parse().unwrap_or(u32::MAX))
        .collect()
}

/// The requirements as a table: the counts, and the rules that fail or could
/// not be assessed by name.
pub fn requirements_table(requirements: &[Requirement]) -> String {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(["requirement", "failing", "passing", "not assessed"]);
    // Off a terminal (a file, a pipe, CI logs) lines wrap at a fixed width.
    if table.width().is_none() {
        table.set_width(100);
    }
    let named = |rules: &[&str]| match rules.len() {
        0 => "0".to_string(),
        n => format!("{n}: {}", rules.join(", ")),
    };
    for r in requirements {
        table.add_row([
            r.id.clone(),
            named(&r.failing),
            r.passing.len().to_string(),
            named(&r.not_assessed),
        ]);
    }
    format!("{table}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirements_are_in_the_standards_order() {
        let mut ids = vec!["10.2.1", "1.4.2", "3.5.1", "1.3.1", "12.10.1", "8.2.2"];
        ids.sort_by_key(|id| order_key(id));
        assert_eq!(
            ids,
            ["1.3.1", "1.4.2", "3.5.1", "8.2.2", "10.2.1", "12.10.1"]
        );
    }

    #[test]
    fn a_rule_without_findings_passes_and_a_failing_rule_is_named() {
        let all = requirements(PCI_DSS, &[], &[]);
        assert!(!all.is_empty());
        assert!(
            all.iter()
                .all(|r| r.failing.is_empty() && r.not_assessed.is_empty())
        );
        // Every rule citing a PCI requirement appears under it.
        let cited = all_rules()
            .iter()
            .filter(|rule| {
                compliance_for(rule.id)
                    .get(PCI_DSS)
                    .is_some_and(|r| !r.is_empty())
            })
            .count();
        let listed: std::collections::BTreeSet<&str> =
            all.iter().flat_map(|r| r.passing.iter().copied()).collect();
        assert_eq!(listed.len(), cited);
    }
}
