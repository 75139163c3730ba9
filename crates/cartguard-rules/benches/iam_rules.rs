//! Every rule over a synthetic account of 5,000 roles: the IAM rules' work as
//! a scan does it (principals, effective permissions, escalation paths, each
//! rule), reading the evidence folder included, rendering excluded.
//!
//! Input: the authorization details named by `CARTGUARD_BENCH_AUTHZ`, or one
//! generated with `scripts/gen-authz-details.py 5000` into the temporary
//! directory. Prints the best of 5 runs with its slowest steps, and the
//! process's peak resident memory.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use cartguard_inventory::Inventory;
use cartguard_rules::{Settings, Status, Timing};

#[path = "../../cartguard-iam/benches/support/synthetic.rs"]
mod synthetic;

// The allocator of the `cartguard` binary, so the figures are the scan's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ROLES: u32 = 5000;
const RUNS: usize = 5;

/// An evidence folder holding only the authorization details.
fn evidence_folder(details: &Path) -> Result<PathBuf, String> {
    let dir =
        std::env::temp_dir().join(format!("cartguard-bench-iam-rules-{}", std::process::id()));
    let iam = dir.join("iam/global");
    std::fs::create_dir_all(&iam).map_err(|e| format!("{}: {e}", iam.display()))?;
    std::fs::copy(details, iam.join("get-account-authorization-details.json"))
        .map_err(|e| format!("copying {}: {e}", details.display()))?;
    Ok(dir)
}

/// The process's peak resident memory in MiB, from /proc (Linux).
fn peak_rss_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

fn main() {
    // `cargo test --benches` runs benches in test mode; do nothing there.
    if std::env::args().any(|a| a == "--test") {
        return;
    }
    let folder = match synthetic::authorization_details(ROLES).and_then(|d| evidence_folder(&d)) {
        Ok(folder) => folder,
        Err(e) => {
            eprintln!("no input: {e}");
            std::process::exit(2);
        }
    };
    let settings = Settings::default();
    let now = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_else(|_| chrono::Utc::now());
    let mut best: Option<(Duration, Duration, Vec<Timing>, usize)> = None;
    let mut first_peak = None;
    for run in 0..RUNS {
        let started = Instant::now();
        let account = match cartguard_evidence::read_evidence_folder(&folder) {
            Ok(read) => read.account,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(2);
            }
        };
        let inventory = Inventory {
            accounts: vec![account],
            ..Inventory::default()
        };
        let read = started.elapsed();
        let (findings, timings) = cartguard_rules::run_timed(&inventory, &settings, now);
        let total = started.elapsed();
        let failures = findings.iter().filter(|f| f.status == Status::Fail).count();
        drop(findings);
        drop(inventory);
        if run == 0 {
            first_peak = peak_rss_mib();
        }
        if best.as_ref().is_none_or(|b| total < b.0) {
            best = Some((total, read, timings, failures));
        }
    }
    let _ = std::fs::remove_dir_all(&folder);
    let Some((total, read, mut timings, failures)) = best else {
        return;
    };
    println!("every rule over {ROLES} roles, best of {RUNS} runs ({failures} failures)");
    println!("  {:<36} {read:>10.1?}", "reading the evidence folder");
    timings.sort_by_key(|t| std::cmp::Reverse(t.elapsed));
    for t in timings.iter().take(12) {
        println!("  {:<36} {:>10.1?}", t.step, t.elapsed);
    }
    println!("  {:<36} {total:>10.1?}", "total (rendering excluded)");
    // Later runs reuse memory the allocator kept, so the first run's peak is
    // the figure of one scan.
    match first_peak {
        Some(mib) => println!("  {:<36} {mib:>7} MiB", "peak resident memory (first run)"),
        None => println!("  peak resident memory: not available on this system"),
    }
}
