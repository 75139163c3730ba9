//! Coverage: which areas of each account were assessed, and which were not and why.

use cartguard_inventory::files::{ServerFiles, human_size};
use cartguard_inventory::{Account, GLOBAL, Inventory, Operation};

use crate::evidence_read;
use crate::rule::Area as CatalogueArea;
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
///
/// Server files are one entry per path given (area `files`, region the
/// path): what was read, the size limit in force, what was skipped. A scan
/// without an AWS source, or without `--path`, has an entry saying so.
pub fn coverage(inventory: &Inventory) -> Vec<Coverage> {
    let operations = evidence_read();
    let mut out = Vec::new();
    for account in &inventory.accounts {
        account_coverage(account, &operations, &mut out);
    }
    for unchecked in not_checked_sources(inventory) {
        out.push(unchecked);
    }
    files_coverage(&inventory.files, &mut out);
    out
}

/// The area `files` of the coverage: server files.
pub const FILES_AREA: &str = "files";

/// The area `aws` of the coverage: every AWS service, when no AWS source was given.
pub const AWS_AREA: &str = "aws";

/// Why no AWS area was checked: no AWS source was given.
pub const NO_AWS_SOURCE: &str = "no AWS source was given (--evidence or --snapshot)";

/// Why the application area was not checked: no `--path` was given.
pub const NO_PATH: &str = "no --path was given";

/// An area of the catalogue a scan did not check at all, and why: its rules
/// did not run, which is neither a pass nor a failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotChecked {
    /// The area.
    pub area: CatalogueArea,
    /// Why (no source of the kind its rules read was given).
    pub reason: String,
}

/// The areas of the catalogue a scan of `inventory` does not check: the AWS
/// areas without an account, the application area without server files.
pub fn not_checked(inventory: &Inventory) -> Vec<NotChecked> {
    CatalogueArea::ALL
        .into_iter()
        .filter_map(|area| {
            let reason = match area {
                CatalogueArea::Application if inventory.files.is_empty() => NO_PATH,
                CatalogueArea::Application => return None,
                _ if inventory.accounts.is_empty() => NO_AWS_SOURCE,
                _ => return None,
            };
            Some(NotChecked {
                area,
                reason: reason.to_string(),
            })
        })
        .collect()
}

/// The coverage entries of the kinds of source that were not given.
fn not_checked_sources(inventory: &Inventory) -> Vec<Coverage> {
    let mut out = Vec::new();
    if inventory.accounts.is_empty() {
        let areas: Vec<&str> = CatalogueArea::ALL
            .iter()
            .filter(|a| **a != CatalogueArea::Application)
            .map(|a| a.name())
            .collect();
        out.push(Coverage {
            account: String::new(),
            area: AWS_AREA.to_string(),
            region: GLOBAL.to_string(),
            status: CoverageStatus::NotAssessed,
            reason: Some(format!(
                "{NO_AWS_SOURCE}: the {} areas were not checked",
                areas.join(", ")
            )),
        });
    }
    if inventory.files.is_empty() {
        out.push(Coverage {
            account: String::new(),
            area: FILES_AREA.to_string(),
            region: GLOBAL.to_string(),
            status: CoverageStatus::NotAssessed,
            reason: Some(format!(
                "{NO_PATH}: server files (nginx, Magento, .env files, source code) were not checked"
            )),
        });
    }
    out
}

/// One entry per path given: how many files were read, under which size
/// limit, and what was skipped or could not be parsed (then `partial`).
fn files_coverage(files: &ServerFiles, out: &mut Vec<Coverage>) {
    for root in &files.roots {
        let read = files.under(root).count();
        let mut notes = vec![format!(
            "{read} file{} read (files over {} skipped, --max-file-size{})",
            if read == 1 { "" } else { "s" },
            human_size(files.max_file_size),
            if files.honoured_ignore_files {
                "; .gitignore honoured, --no-ignore reads ignored files"
            } else {
                "; ignore files not honoured"
            }
        )];
        let mut missing = Vec::new();
        for skipped in files.skipped.iter().filter(|s| s.root == *root) {
            missing.push(format!(
                "{} not read: {}",
                skipped.path,
                skipped.reason.describe()
            ));
        }
        let under_root = |path: &str| files.under(root).any(|f| f.path == path);
        for config in files.nginx.iter().filter(|c| under_root(&c.main)) {
            for issue in &config.issues {
                missing.push(if issue.fatal {
                    format!(
                        "{issue}; the nginx configuration {} was not assessed",
                        config.main
                    )
                } else {
                    issue.to_string()
                });
            }
        }
        let status = if missing.is_empty() {
            CoverageStatus::Assessed
        } else {
            CoverageStatus::Partial
        };
        notes.extend(missing);
        out.push(Coverage {
            account: String::new(),
            area: FILES_AREA.to_string(),
            region: root.clone(),
            status,
            reason: Some(notes.join("; ")),
        });
    }
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
    fn a_scan_says_which_kind_of_source_was_not_given() {
        let aws_only = Inventory {
            accounts: vec![Account::default()],
            ..Inventory::default()
        };
        assert_eq!(
            not_checked(&aws_only),
            [NotChecked {
                area: CatalogueArea::Application,
                reason: NO_PATH.into()
            }]
        );
        let files = ServerFiles {
            roots: vec!["srv".into()],
            ..ServerFiles::default()
        };
        let files_only = Inventory {
            files,
            ..Inventory::default()
        };
        let unchecked: Vec<CatalogueArea> = not_checked(&files_only)
            .into_iter()
            .map(|n| n.area)
            .collect();
        assert_eq!(unchecked.len(), 5);
        assert!(!unchecked.contains(&CatalogueArea::Application));
        let coverage = coverage(&files_only);
        assert_eq!(coverage[0].area, AWS_AREA);
        assert_eq!(coverage[0].status, CoverageStatus::NotAssessed);
        assert_eq!(coverage[1].region, "srv");
        assert!(!Coverage::nothing_assessed(&coverage));
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
