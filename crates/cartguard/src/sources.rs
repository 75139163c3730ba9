//! Reading the sources a command was given into one inventory.

use std::path::{Path, PathBuf};

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::{Context, bail};
use cartguard_inventory::{Account, Inventory};
use rayon::prelude::*;

use crate::cli::{CollectArgs, LiveArgs, SourceArgs};

/// What the sources gave: the inventory, warnings about input that was not
/// used, and, for a live scan, the calls that failed.
pub struct Loaded {
    /// Every account and the server files.
    pub inventory: Inventory,
    /// Input that was not used, and other remarks for the report.
    pub warnings: Vec<String>,
    /// Whether an account was collected live.
    pub live: bool,
    /// The live collection's failed calls ("operation failed: code: message").
    pub live_failures: Vec<String>,
}

/// The inventory of every source, and warnings about input that was not used.
pub fn load(sources: &SourceArgs) -> anyhow::Result<(Inventory, Vec<String>)> {
    let loaded = load_all(sources)?;
    Ok((loaded.inventory, loaded.warnings))
}

/// The options of a live collection, from the command line.
fn live_options(live: &LiveArgs) -> cartguard_aws::LiveOptions {
    let terminal = std::io::stderr().is_terminal();
    cartguard_aws::LiveOptions {
        profile: live.profile.clone(),
        regions: live.region.clone(),
        endpoint_url: live.endpoint_url.clone(),
        role_arn: live.role_arn.clone(),
        external_id: live.external_id.clone(),
        max_in_flight: usize::from(live.max_in_flight),
        progress: if terminal && !live.quiet {
            cartguard_aws::ProgressDisplay::Terminal
        } else {
            cartguard_aws::ProgressDisplay::Hidden
        },
    }
}

/// Collects the account `live` leads to.
fn collect_live(live: &LiveArgs) -> anyhow::Result<cartguard_aws::LiveCollection> {
    cartguard_aws::collect_blocking(&live_options(live)).context("live collection")
}

/// `cartguard collect`: a live collection saved as a compressed snapshot.
pub fn collect(args: &CollectArgs) -> anyhow::Result<ExitCode> {
    let collection = collect_live(&args.live)?;
    let summary = format!(
        "account {} in {}: {} calls, {} failed",
        collection.account.id,
        collection.regions.join(", "),
        collection.operations.iter().map(|(_, n)| n).sum::<u64>(),
        collection.failures.len()
    );
    let incomplete = collection.is_incomplete();
    for failure in &collection.failures {
        eprintln!("warning: {failure}");
    }
    let inventory = Inventory {
        accounts: vec![collection.account],
        ..Inventory::default()
    };
    cartguard_evidence::write_compressed_snapshot(&args.out, &inventory)?;
    if !args.live.quiet {
        eprintln!(
            "collected {summary}; snapshot written to {}",
            args.out.display()
        );
    }
    Ok(if incomplete {
        ExitCode::from(crate::scan::INCOMPLETE)
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads every source given; with none, collects the credential chain's account live.
pub fn load_all(sources: &SourceArgs) -> anyhow::Result<Loaded> {
    let live = &sources.live;
    let offline_given =
        !(sources.evidence.is_empty() && sources.snapshot.is_empty() && sources.path.is_empty());
    if !sources.aws
        && offline_given
        && let Some(flag) = live.any()
    {
        bail!("{flag} is an option of live scans: add --aws to scan the account live too");
    }
    let live_scan = sources.aws || !offline_given;
    refuse_repeated_paths(sources)?;
    let mut inventory = Inventory::default();
    let mut warnings = Vec::new();
    // Which argument each account came from, to name both when two overlap.
    let mut origins: Vec<String> = Vec::new();
    let mut live_failures = Vec::new();
    if live_scan {
        let collection = collect_live(live)?;
        if collection.is_incomplete() {
            warnings.push(format!(
                "the live collection is incomplete: {} calls failed (first: {})",
                collection.failures.len(),
                collection.failures[0]
            ));
        }
        live_failures = collection.failures;
        origins.push("--aws".to_string());
        inventory.accounts.push(collection.account);
    }
    // Folders (one per account) are read side by side, and kept in the order given.
    let folders = sources
        .evidence
        .par_iter()
        .map(|dir| cartguard_evidence::read_evidence_folder(dir))
        .collect::<Result<Vec<_>, _>>()?;
    for (dir, folder) in sources.evidence.iter().zip(folders) {
        if folder.files_read == 0 {
            bail!(
                "{}: no evidence file cartguard reads; {}",
                dir.display(),
                cartguard_evidence::diagnose(dir)
            );
        }
        warnings.extend(folder.unused_files.iter().map(|f| {
            format!(
                "{}: not an evidence file cartguard reads; ignored",
                f.display()
            )
        }));
        origins.push(format!("--evidence {}", dir.display()));
        inventory.accounts.push(folder.account);
    }
    for file in &sources.snapshot {
        let snapshot = cartguard_evidence::read_snapshot(file)?;
        if !snapshot.files.is_empty() {
            if !inventory.files.is_empty() {
                bail!(
                    "--snapshot {} holds server files, and so does an earlier snapshot; give server files once",
                    file.display()
                );
            }
            inventory.files = snapshot.files;
        }
        for mut account in snapshot.accounts {
            account.sources.push(format!("snapshot:{}", file.display()));
            origins.push(format!("--snapshot {}", file.display()));
            inventory.accounts.push(account);
        }
    }
    refuse_repeated_accounts(&inventory.accounts, &origins)?;
    if !sources.path.is_empty() {
        if !inventory.files.is_empty() {
            bail!(
                "a snapshot given holds server files already; scan them from the snapshot or with --path, not both"
            );
        }
        let options = cartguard_files::Options {
            max_file_size: sources.max_file_size,
            honour_ignore_files: !sources.no_ignore,
            git_history: sources.git_history,
        };
        inventory.files = cartguard_files::read_server_files(&sources.path, options)?;
    }
    if inventory.accounts.len() > 1 {
        warnings.extend(
            inventory
                .accounts
                .iter()
                .zip(&origins)
                .filter(|(account, _)| account.id == "unknown")
                .map(|(_, origin)| format!(
                    "{origin}: the account id is not in the evidence (sts:GetCallerIdentity, an IAM ARN or a security group owner), so it cannot be checked against the other sources for overlap"
                )),
        );
    }
    Ok(Loaded {
        inventory,
        warnings,
        live: live_scan,
        live_failures,
    })
}

/// Refuses a folder or snapshot given twice, under any spelling of its path:
/// its evidence would be counted twice.
fn refuse_repeated_paths(sources: &SourceArgs) -> anyhow::Result<()> {
    let given = sources
        .evidence
        .iter()
        .map(|p| ("--evidence", p))
        .chain(sources.snapshot.iter().map(|p| ("--snapshot", p)))
        .chain(sources.path.iter().map(|p| ("--path", p)));
    let mut seen: Vec<(PathBuf, String)> = Vec::new();
    for (flag, path) in given {
        // A path that cannot be resolved is reported when it is read.
        let canonical = canonical(path);
        let label = format!("{flag} {}", path.display());
        if let Some((_, first)) = seen.iter().find(|(c, _)| *c == canonical) {
            bail!(
                "{first} and {label} are the same source ({}); give each source once",
                canonical.display()
            );
        }
        seen.push((canonical, label));
    }
    Ok(())
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Refuses two sources holding the same account: their evidence would be
/// counted twice, and they may disagree.
fn refuse_repeated_accounts(accounts: &[Account], origins: &[String]) -> anyhow::Result<()> {
    for (i, first) in accounts.iter().enumerate() {
        // Without an id, two sources cannot be told to be the same account.
        if first.id == "unknown" {
            continue;
        }
        for (j, second) in accounts.iter().enumerate().skip(i + 1) {
            if second.id != first.id {
                continue;
            }
            let common: Vec<&str> = first
                .regions
                .keys()
                .filter(|r| second.regions.contains_key(*r))
                .map(String::as_str)
                .collect();
            let regions = match common.as_slice() {
                [] => String::new(),
                [one] => format!(", both with region {one}"),
                many => format!(", both with regions {}", many.join(", ")),
            };
            let (a, b) = (&origins[i], &origins[j]);
            if a == b {
                bail!("{a} holds account {} twice{regions}", first.id);
            }
            bail!(
                "{a} and {b} both hold account {}{regions}; give each account once (sources are not merged)",
                first.id
            );
        }
    }
    Ok(())
}

/// The one account a question is about: the only one given, or the one `hint`
/// (an ARN) names.
pub fn one_account<'a>(inventory: &'a Inventory, hint: &str) -> anyhow::Result<&'a Account> {
    match inventory.accounts.as_slice() {
        [] => bail!("the sources hold no account"),
        [only] => Ok(only),
        many => {
            let named = hint.split(':').nth(4).unwrap_or("");
            match many.iter().find(|a| !named.is_empty() && a.id == named) {
                Some(account) => Ok(account),
                None => bail!(
                    "the sources hold {} accounts ({}); name the principal by ARN to pick one",
                    many.len(),
                    many.iter()
                        .map(|a| a.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }
        }
    }
}
