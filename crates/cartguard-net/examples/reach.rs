//! Prints a reachability answer as JSON: `reach SNAPSHOT FROM TO [PORT]`, where
//! FROM is `internet`, a CIDR or a security group id, and TO an instance,
//! interface, database or load balancer. Uses the first region of the first
//! account of a snapshot written by `cartguard collect` or `scripts/gen-network.py`.

use cartguard_inventory::Inventory;
use cartguard_net::{Network, ServiceSet, Source};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [snapshot, from, to, rest @ ..] = args.as_slice() else {
        eprintln!("usage: reach SNAPSHOT FROM TO [PORT]");
        std::process::exit(2);
    };
    let fail = |msg: String| -> ! {
        eprintln!("{msg}");
        std::process::exit(2)
    };
    let text =
        std::fs::read_to_string(snapshot).unwrap_or_else(|e| fail(format!("{snapshot}: {e}")));
    let inventory: Inventory =
        serde_json::from_str(&text).unwrap_or_else(|e| fail(format!("{snapshot}: {e}")));
    let Some((name, region)) = inventory
        .accounts
        .first()
        .and_then(|a| a.regions.iter().next())
    else {
        fail(format!("{snapshot}: no region"));
    };
    let net = Network::new(name, region);
    let source = Source::parse(from).unwrap_or_else(|e| fail(e.to_string()));
    let target = net
        .resolve_target(to)
        .unwrap_or_else(|| fail(format!("{to} is not in {name}")));
    let services = match rest.first() {
        Some(p) => {
            ServiceSet::tcp_udp_port(p.parse().unwrap_or_else(|_| fail(format!("bad port {p}"))))
        }
        None => ServiceSet::all(),
    };
    let answer = net.reach(&source, &target, &services);
    println!(
        "{}",
        serde_json::to_string_pretty(&answer).unwrap_or_default()
    );
}
