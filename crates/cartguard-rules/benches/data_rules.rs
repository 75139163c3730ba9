//! The data-protection, logging and edge rules (CHECKLIST.md sections 3–5)
//! over a synthetic account: 10,000 buckets, 2,000 KMS keys, 2,000 log groups
//! with 5,000 metric filters, 500 alarms, 1,000 Lambda functions and a
//! multi-region trail, spread over 17 regions, with a few load balancers, web
//! ACLs, APIs, tables and databases in each.
//!
//! Input: the evidence folder named by `CARTGUARD_DATA_BENCH_INPUT`, or one
//! generated once with `scripts/gen-data-account.py` into the target
//! directory. The folder is read once (timed); the network index the edge
//! rules share is built once (timed). Then each rule runs on its own, one
//! thread, best and median of 7 runs; then all of them together, side by side
//! on every core as `scan` runs them, and one after another, best of 7. Prints
//! the process's peak resident memory.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use cartguard_inventory::Account;
use cartguard_rules::{Area, Context, Rule, Settings};
use rayon::prelude::*;

// The allocator of the `cartguard` binary, so the figures are the scan's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const RUNS: usize = 7;

/// The evidence folder to bench on.
fn input() -> PathBuf {
    if let Some(p) = std::env::var_os("CARTGUARD_DATA_BENCH_INPUT") {
        return PathBuf::from(p);
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = manifest.join("../..");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace.join("target"), PathBuf::from);
    let path = target.join("cartguard-rules-bench/data-account");
    // Shield's answer is the generator's last file: without it, a run was cut
    // short, and the folder is made again (the generator wants it empty).
    if !path
        .join("shield/global/get-subscription-state.json")
        .exists()
    {
        let _ = std::fs::remove_dir_all(&path);
        let status = Command::new("python3")
            .arg(workspace.join("scripts/gen-data-account.py"))
            .arg("--out")
            .arg(&path)
            .status();
        match status {
            Ok(s) if s.success() => {}
            other => {
                eprintln!("could not generate {}: {other:?}", path.display());
                std::process::exit(2);
            }
        }
    }
    path
}

/// The process's peak resident memory in MiB, from /proc (Linux).
fn peak_rss_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

fn ms(d: Duration) -> String {
    format!("{:9.1} ms", d.as_secs_f64() * 1000.0)
}

/// Best and median of `RUNS` runs of `work`, and what its last run returned.
fn time<T>(mut work: impl FnMut() -> T) -> (Duration, Duration, T) {
    let mut times = Vec::with_capacity(RUNS);
    let mut last = None;
    for _ in 0..RUNS {
        let started = Instant::now();
        let out = work();
        times.push(started.elapsed());
        last = Some(out);
    }
    times.sort_unstable();
    let out = last.expect("RUNS > 0");
    (times[0], times[RUNS / 2], out)
}

fn main() {
    // `cargo test --benches` runs benches in test mode; do nothing there.
    if std::env::args().any(|a| a == "--test") {
        return;
    }
    let folder = input();
    let started = Instant::now();
    let account: Account = match cartguard_evidence::read_evidence_folder(&folder) {
        Ok(read) => read.account,
        Err(e) => {
            eprintln!("{}: {e}", folder.display());
            std::process::exit(2);
        }
    };
    let read = started.elapsed();
    let settings = Settings::default();
    let now = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_else(|_| chrono::Utc::now());
    let principals = cartguard_iam::Principals::of_account(&account);
    let context = Context::new(&account, now, &settings, principals.as_ref());
    let started = Instant::now();
    let _ = context.prepare();
    let prepare = started.elapsed();

    let rules: Vec<&'static Rule> = cartguard_rules::all_rules()
        .iter()
        .copied()
        .filter(|r| matches!(r.area, Area::Data | Area::Logging | Area::Edge))
        .collect();
    println!(
        "{} data-protection, logging and edge rules over {} ({} regions)",
        rules.len(),
        folder.display(),
        account.regions.len()
    );
    println!(
        "  {:<38} {}",
        "reading the evidence folder (once)",
        ms(read)
    );
    println!(
        "  {:<38} {}",
        "network index of every region (once)",
        ms(prepare)
    );

    // Each rule on its own, on this thread.
    let mut each: Vec<(&'static str, Area, Duration, Duration, usize)> = rules
        .iter()
        .map(|rule| {
            let (best, median, found) = time(|| cartguard_rules::run_rule(rule, &context));
            (rule.id, rule.area, best, median, found.len())
        })
        .collect();
    each.sort_by_key(|e| std::cmp::Reverse(e.2));
    println!();
    println!(
        "  {:<34} {:<8} {:>12} {:>12} {:>9}",
        "rule (one thread)", "area", "best", "median", "findings"
    );
    for (id, area, best, median, findings) in &each {
        println!(
            "  {id:<34} {:<8} {} {} {findings:>9}",
            area.name(),
            ms(*best),
            ms(*median)
        );
    }

    // All of them together.
    let (side_best, side_median, side_found) = time(|| {
        rules
            .par_iter()
            .map(|rule| cartguard_rules::run_rule(rule, &context).len())
            .sum::<usize>()
    });
    let (seq_best, seq_median, _) = time(|| {
        rules
            .iter()
            .map(|rule| cartguard_rules::run_rule(rule, &context).len())
            .sum::<usize>()
    });
    println!();
    println!(
        "  {:<43} {:>12} {:>12} {:>9}",
        "every section 3-5 rule", "best", "median", "findings"
    );
    println!(
        "  {:<43} {} {} {side_found:>9}",
        format!("side by side ({} threads)", rayon::current_num_threads()),
        ms(side_best),
        ms(side_median)
    );
    println!(
        "  {:<43} {} {}",
        "one after another (one thread)",
        ms(seq_best),
        ms(seq_median)
    );
    match peak_rss_mib() {
        Some(mib) => println!("  {:<43} {mib:>9} MiB", "peak resident memory"),
        None => println!("  peak resident memory: not available on this system"),
    }
}
