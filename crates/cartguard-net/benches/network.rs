//! Benchmark: index a synthetic region and run the exposure and network ACL
//! analyses over it.
//!
//! The input is a snapshot written by `scripts/gen-network.py` (200 VPCs, 2,000
//! subnets, 20,000 security-group rules, 5,000 instances by default). Set
//! `CARTGUARD_NET_BENCH_INPUT` to use an existing file; otherwise the script is
//! run once into the target directory. Run with `cargo bench -p cartguard-net`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use cartguard_inventory::Inventory;
use cartguard_net::Network;

const RUNS: usize = 7;

fn input() -> PathBuf {
    if let Some(p) = std::env::var_os("CARTGUARD_NET_BENCH_INPUT") {
        return PathBuf::from(p);
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = manifest.join("../..");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace.join("target"), PathBuf::from);
    let path = target.join("cartguard-net-bench/region.json");
    if !path.exists() {
        let status = Command::new("python3")
            .arg(workspace.join("scripts/gen-network.py"))
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

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort_unstable();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:8.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    // `cargo test --benches` runs bench targets with `--bench` absent; keep that quick.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let path = input();
    let started = Instant::now();
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}: {e}", path.display());
            std::process::exit(2);
        }
    };
    let inventory: Inventory = match serde_json::from_str(&text) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("{}: {e}", path.display());
            std::process::exit(2);
        }
    };
    let parse = started.elapsed();
    let Some((name, region)) = inventory
        .accounts
        .first()
        .and_then(|a| a.regions.iter().next())
    else {
        eprintln!("{}: no region", path.display());
        std::process::exit(2);
    };

    let (mut build, mut exposure, mut acls, mut latent, mut total) =
        (vec![], vec![], vec![], vec![], vec![]);
    let mut summary = String::new();
    for _ in 0..RUNS {
        let t0 = Instant::now();
        let net = Network::new(name, region);
        let t1 = Instant::now();
        let exp = net.exposure();
        let t2 = Instant::now();
        let findings = net.acl_findings();
        let t3 = Instant::now();
        let lat = net.latent_exposure();
        let t4 = Instant::now();
        build.push(t1 - t0);
        exposure.push(t2 - t1);
        acls.push(t3 - t2);
        latent.push(t4 - t3);
        total.push(t4 - t0);
        summary = format!(
            "{} exposed endpoints ({} not assessed), {} shadowed NACL entries, {} missing return paths, \
             {} admin-port NACL entries, {} latent exposures, {} evidence problems",
            exp.endpoints.len(),
            exp.not_assessed.len(),
            findings.shadowed.len(),
            findings.missing_return_paths.len(),
            findings.admin_ports.len(),
            lat.len(),
            net.problems().len(),
        );
    }
    println!("input     {}", path.display());
    println!("parse     {} (JSON → inventory, once)", ms(parse));
    println!("index     {}", ms(median(build)));
    println!("exposure  {}", ms(median(exposure)));
    println!("nacl      {}", ms(median(acls)));
    println!("latent    {}", ms(median(latent)));
    println!(
        "total     {} (median of {RUNS}, excluding parse)",
        ms(median(total))
    );
    println!("found     {summary}");
}
