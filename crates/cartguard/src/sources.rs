//! Reading the sources a command was given into one inventory.

use anyhow::bail;
use cartguard_inventory::{Account, Inventory};
use rayon::prelude::*;

use crate::cli::SourceArgs;

/// The inventory of every source, and warnings about input that was not used.
pub fn load(sources: &SourceArgs) -> anyhow::Result<(Inventory, Vec<String>)> {
    if sources.aws {
        bail!(
            "--aws (live scans) is not supported in this build yet; produce an evidence folder with scripts/collect-evidence.sh and scan it with --evidence"
        );
    }
    if !sources.path.is_empty() {
        bail!("--path (server files) is not supported in this build yet");
    }
    if sources.evidence.is_empty() && sources.snapshot.is_empty() {
        bail!("nothing to scan: give --evidence DIR or --snapshot FILE");
    }
    let mut inventory = Inventory::default();
    let mut warnings = Vec::new();
    // Folders (one per account) are read side by side, and kept in the order given.
    let folders = sources
        .evidence
        .par_iter()
        .map(|dir| cartguard_evidence::read_evidence_folder(dir))
        .collect::<Result<Vec<_>, _>>()?;
    for folder in folders {
        warnings.extend(folder.unused_files.iter().map(|f| {
            format!(
                "{}: not an evidence file cartguard reads; ignored",
                f.display()
            )
        }));
        inventory.accounts.push(folder.account);
    }
    for file in &sources.snapshot {
        let snapshot = cartguard_evidence::read_snapshot(file)?;
        for mut account in snapshot.accounts {
            account.sources.push(format!("snapshot:{}", file.display()));
            inventory.accounts.push(account);
        }
    }
    Ok((inventory, warnings))
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
