//! `cartguard scan`: read the sources, run the rules, render, set the exit status.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use cartguard_report::{RenderOptions, Report, ScanInfo};
use cartguard_rules::Settings;

use crate::cli::{ScanArgs, write_stdout_with};

pub fn scan(args: &ScanArgs) -> anyhow::Result<ExitCode> {
    if let Some(jobs) = args.jobs {
        rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(jobs))
            .build_global()
            .context("setting up the scan's threads")?;
    }
    let started = chrono::Utc::now();
    let started_at = Instant::now();
    let (inventory, warnings) = crate::sources::load(&args.sources)?;
    let loaded = Instant::now();
    if let Some(path) = &args.save_snapshot {
        cartguard_evidence::write_snapshot(path, &inventory)?;
    }

    let settings = Settings {
        unused_credential_days: args.unused_days,
        ..Settings::default()
    };
    let now = args.now.unwrap_or(started);
    let (findings, timings) = cartguard_rules::run_timed(&inventory, &settings, now);
    let checked = Instant::now();
    let coverage = cartguard_rules::coverage(&inventory);
    let scan = ScanInfo {
        started: started.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        accounts: inventory.accounts.iter().map(|a| a.id.clone()).collect(),
        sources: inventory
            .accounts
            .iter()
            .flat_map(|a| a.sources.clone())
            .collect(),
        fail_on: args.fail_on.0,
        warnings,
    };
    let report = Report::new(scan, coverage, findings);

    let color = args.output.is_none()
        && anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never;
    let renderer = args.format.renderer(&RenderOptions { color });
    match &args.output {
        Some(path) => {
            let mut file = std::fs::File::create(path)
                .with_context(|| format!("creating {}", path.display()))?;
            renderer
                .render(&report, &mut file)
                .with_context(|| format!("writing {}", path.display()))?;
        }
        None => write_stdout_with(renderer.styled(), |out| renderer.render(&report, out))?,
    }

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
    } else {
        ExitCode::SUCCESS
    })
}
