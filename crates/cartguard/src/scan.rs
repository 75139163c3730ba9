//! `cartguard scan`: read the sources, run the rules, render, set the exit status.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use cartguard_inventory::Inventory;
use cartguard_report::{NowFrom, Report, ScanInfo};
use cartguard_rules::{Coverage, Settings};

use crate::cli::ScanArgs;

/// The exit status of a live scan or collection that could not read everything.
pub const INCOMPLETE: u8 = 3;

pub fn scan(args: &ScanArgs) -> anyhow::Result<ExitCode> {
    if let Some(jobs) = args.jobs {
        rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(jobs))
            .build_global()
            .context("setting up the scan's threads")?;
    }
    // A bad combination of outputs is a usage error, before any work is done.
    args.output.formats()?;
    let started = chrono::Utc::now();
    let started_at = Instant::now();
    let crate::sources::Loaded {
        inventory,
        warnings,
        live,
        live_failures,
    } = crate::sources::load_all(&args.sources)?;
    let loaded = Instant::now();
    let coverage = cartguard_rules::coverage(&inventory);
    if Coverage::nothing_assessed(&coverage) && live && !live_failures.is_empty() {
        // Nothing could be collected: the calls' errors say why (no
        // credentials, access denied, an endpoint where nothing listens).
        for failure in live_failures.iter().take(5) {
            eprintln!("error: {failure}");
        }
        eprintln!(
            "error: the live collection read nothing that any rule uses ({} calls failed); nothing could be assessed",
            live_failures.len()
        );
        return Ok(ExitCode::from(INCOMPLETE));
    }
    if Coverage::nothing_assessed(&coverage) {
        // The warnings name the files that were not used: often the reason.
        for warning in &warnings {
            eprintln!("warning: {warning}");
        }
        bail!("{}", nothing_read(&inventory));
    }
    let now = args.now.unwrap_or(started);
    if args.now.is_some() {
        check_now_against_evidence(&inventory, now)?;
    }
    if let Some(path) = &args.save_snapshot {
        cartguard_evidence::write_snapshot(path, &inventory)?;
    }

    if let Some(id) = &args.sources.files_account
        && !inventory.accounts.iter().any(|a| &a.id == id)
    {
        let scanned: Vec<&str> = inventory.accounts.iter().map(|a| a.id.as_str()).collect();
        bail!(
            "--files-account {id} is not an account of this scan (scanned: {})",
            if scanned.is_empty() {
                "none".to_string()
            } else {
                scanned.join(", ")
            }
        );
    }
    let settings = Settings {
        unused_credential_days: args.unused_days,
        files_account: args.sources.files_account.clone(),
        ..Settings::default()
    };
    let (findings, timings) = cartguard_rules::run_timed(&inventory, &settings, now);
    let checked = Instant::now();
    let scan = ScanInfo {
        started: rfc3339(started),
        now: rfc3339(now),
        now_from: if args.now.is_some() {
            NowFrom::Option
        } else {
            NowFrom::Clock
        },
        accounts: inventory.accounts.iter().map(|a| a.id.clone()).collect(),
        sources: inventory
            .accounts
            .iter()
            .flat_map(|a| a.sources.clone())
            .chain(inventory.files.roots.iter().map(|r| format!("path:{r}")))
            .collect(),
        fail_on: args.fail_on.0,
        fail_on_not_assessed: args.fail_on_not_assessed,
        warnings,
        not_checked: cartguard_rules::not_checked(&inventory),
    };
    let report = Report::new(scan, coverage, findings);

    args.output.write(&report)?;

    if args.timings {
        eprint!(
            "{}",
            cartguard_report::timings_text(
                loaded - started_at,
                &timings,
                checked - loaded,
                checked.elapsed(),
            )
        );
    }
    let failed = report.fails_gate();
    // The process ends right after: freeing a large account's inventory and
    // findings piece by piece would only add to the run time.
    std::mem::forget((inventory, report));
    Ok(if failed {
        ExitCode::from(1)
    } else if !live_failures.is_empty() {
        ExitCode::from(INCOMPLETE)
    } else {
        ExitCode::SUCCESS
    })
}

fn rfc3339(time: chrono::DateTime<chrono::Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The error for a scan in which no rule could read anything: reporting it
/// would show an empty list of failures, which a CI gate would take for a pass.
fn nothing_read(inventory: &Inventory) -> String {
    let sources: Vec<&str> = inventory
        .accounts
        .iter()
        .flat_map(|a| a.sources.iter().map(String::as_str))
        .collect();
    let read = if sources.is_empty() {
        "the sources hold no account".to_string()
    } else {
        format!("nothing usable was read from {}", sources.join(", "))
    };
    // One operation per service, so the examples show the shape of the folder.
    let operations = cartguard_rules::evidence_read();
    let mut examples: Vec<String> = Vec::new();
    let mut services: Vec<&str> = Vec::new();
    for operation in &operations {
        if !services.contains(&operation.service) && examples.len() < 4 {
            services.push(operation.service);
            examples.push(operation.to_string());
        }
    }
    format!(
        "{read}: no evidence that any rule reads was found, so nothing could be assessed; \
         cartguard expects the AWS CLI's JSON output of operations such as {} ({} operations in all); \
         see docs/evidence.md for the files and the commands that produce them",
        examples.join(", "),
        operations.len()
    )
}

/// A "now" before a date the evidence states would compute negative or
/// shortened ages: a key used an hour ago would look unused for days.
fn check_now_against_evidence(
    inventory: &Inventory,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    for account in &inventory.accounts {
        if let Some((newest, what)) = account.newest_evidence_time()
            && now < newest
        {
            bail!(
                "--now {} is earlier than the evidence of account {}: {what} is {}; \
                 give a --now at or after it, or leave --now out to use the clock",
                rfc3339(now),
                account.id,
                rfc3339(newest),
            );
        }
    }
    Ok(())
}
