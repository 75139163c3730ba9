//! Coverage: which areas of each account were assessed, and which were not and why.

use cartguard_inventory::{Account, GLOBAL, Inventory, Operation};

use crate::evidence_read;
use serde::Serialize;

/// How much of an area could be assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CoverageStatus {
    /// Every piece of evidence the area's rules use was collected.
    Assessed,
    /// Some was collected, some not.
    Partial,
    /// None was collected.
    NotAssessed,
}

/// The coverage of one area (service) in one account and region.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    /// The account id.
    pub account: String,
    /// The area (AWS service).
    pub area: String,
    /// Region, or `global`.
    pub region: String,
    /// Status.
    pub status: CoverageStatus,
    /// What was missing, when anything was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Coverage {
    /// Whether no rule could read anything: every area of every account is
    /// `not-assessed`, or there is no area at all (no account). Such a scan
    /// proves nothing, so it must not be reported as a scan that passed.
    pub fn nothing_assessed(coverage: &[Coverage]) -> bool {
        coverage
            .iter()
            .all(|area| area.status == CoverageStatus::NotAssessed)
    }
}

/// The coverage of every account in the inventory: for every operation some
/// rule reads, whether its evidence was collected, grouped by service and
/// region (account-wide services first, then each region).
pub fn coverage(inventory: &Inventory) -> Vec<Coverage> {
    let operations = evidence_read();
    let mut out = Vec::new();
    for account in &inventory.accounts {
        account_coverage(account, &operations, &mut out);
    }
    out
}

/// A coverage area: a region (or `global`) and a service.
type Area<'s> = (String, &'s str);

fn account_coverage(account: &Account, operations: &[Operation], out: &mut Vec<Coverage>) {
    // (region, service) → why each piece of evidence cannot be used, if it cannot.
    let mut areas: Vec<(Area, Vec<Option<String>>)> = Vec::new();
    for operation in operations {
        for (key, availability) in account.answers(operation) {
            let area = (key.region.clone(), operation.service);
            let reason = availability.reason(&key);
            match areas.iter_mut().find(|(a, _)| *a == area) {
                Some((_, items)) => items.push(reason),
                None => areas.push((area, vec![reason])),
            }
        }
    }
    // SCPs narrow what every principal may do; one that cannot be parsed is
    // left out, so permissions were evaluated as if it did not exist.
    let (_, unreadable) = cartguard_iam::principals::service_control_policies(account);
    if !unreadable.is_empty() {
        let area = (GLOBAL.to_string(), "organizations");
        let reasons = unreadable.into_iter().map(|failure| {
            Some(format!(
                "the SCP {} could not be parsed ({}), so permissions were evaluated without it",
                failure.policy, failure.error
            ))
        });
        match areas.iter_mut().find(|(a, _)| *a == area) {
            Some((_, items)) => items.extend(reasons),
            None => areas.push((area, reasons.collect())),
        }
    }
    // Account-wide areas first, then region by region; services in the order
    // the catalogue first reads them.
    areas.sort_by_key(|((region, _), _)| (region != GLOBAL, region.clone()));
    for ((region, service), items) in areas {
        push(out, account, service, &region, items);
    }
}

fn push(
    out: &mut Vec<Coverage>,
    account: &Account,
    area: &str,
    region: &str,
    items: Vec<Option<String>>,
) {
    let missing: Vec<String> = items.iter().flatten().cloned().collect();
    let status = if missing.is_empty() {
        CoverageStatus::Assessed
    } else if missing.len() == items.len() {
        CoverageStatus::NotAssessed
    } else {
        CoverageStatus::Partial
    };
    out.push(Coverage {
        account: account.id.clone(),
        area: area.to_string(),
        region: region.to_string(),
        status,
        reason: (!missing.is_empty()).then(|| missing.join("; ")),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(status: CoverageStatus) -> Coverage {
        Coverage {
            account: "111122223333".into(),
            area: "iam".into(),
            region: GLOBAL.into(),
            status,
            reason: None,
        }
    }

    #[test]
    fn nothing_is_assessed_only_when_no_area_was() {
        use CoverageStatus::*;
        assert!(Coverage::nothing_assessed(&[]));
        assert!(Coverage::nothing_assessed(&[
            area(NotAssessed),
            area(NotAssessed)
        ]));
        assert!(!Coverage::nothing_assessed(&[
            area(NotAssessed),
            area(Partial)
        ]));
        assert!(!Coverage::nothing_assessed(&[area(Assessed)]));
    }

    #[test]
    fn an_account_without_evidence_has_nothing_assessed() {
        let empty = Inventory {
            accounts: vec![Account::default()],
            ..Inventory::default()
        };
        assert!(Coverage::nothing_assessed(&coverage(&empty)));
        assert!(Coverage::nothing_assessed(&coverage(&Inventory::default())));
    }
}
