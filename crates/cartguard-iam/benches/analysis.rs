//! Analysis over a synthetic account: parse, build principals, effective
//! permissions and admin status, shadowed allows, escalation.
//!
//! Input: the file named by `CARTGUARD_BENCH_AUTHZ`, or one generated with
//! `scripts/gen-authz-details.py 5000` into the target directory.

use std::time::{Duration, Instant};

use cartguard_iam::escalation::Analysis;
use cartguard_iam::{Principals, shadow};
use cartguard_inventory::iam::AuthorizationDetails;

#[path = "support/synthetic.rs"]
mod synthetic;

fn main() {
    // `cargo test --benches` runs benches in test mode; do nothing there.
    if std::env::args().any(|a| a == "--test") {
        return;
    }
    let path = match synthetic::authorization_details(5000) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("no input: {e}");
            std::process::exit(2);
        }
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot read {}: {e}", path.display());
            std::process::exit(2);
        }
    };
    let runs = 5;
    let mut best: Option<(Duration, Duration, Duration, Duration, Duration, Duration)> = None;
    let mut summary = String::new();
    for _ in 0..runs {
        let t0 = Instant::now();
        let details: AuthorizationDetails = match serde_json::from_str(&text) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                std::process::exit(2);
            }
        };
        let t1 = Instant::now();
        let principals = Principals::from_authorization_details(&details, &[]);
        let t2 = Instant::now();
        let analysis = Analysis::new(&principals);
        let admins = analysis.admin.iter().filter(|a| a.is_admin()).count();
        let t3 = Instant::now();
        let shadowed: usize = principals
            .principals
            .iter()
            .map(|p| shadow::of_principal(p).len())
            .sum();
        let t4 = Instant::now();
        let escalations = analysis.escalations();
        let t5 = Instant::now();
        summary = format!(
            "{} roles, {} users, {} policy errors; {admins} admins, {shadowed} shadowed allows, {} escalations",
            principals.roles().count(),
            principals.users().count(),
            principals.errors.len(),
            escalations.len()
        );
        let times = (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t5 - t1);
        if best.is_none_or(|b| times.5 < b.5) {
            best = Some(times);
        }
    }
    if let Some((json, build, effective, shadow, escalation, analysis)) = best {
        println!("input: {}", path.display());
        println!("{summary}");
        println!("best of {runs} runs:");
        println!("  deserialize JSON         {json:>10.1?}");
        println!("  build principals         {build:>10.1?}");
        println!("  effective + admin        {effective:>10.1?}");
        println!("  shadowed allows          {shadow:>10.1?}");
        println!("  escalation               {escalation:>10.1?}");
        println!("  analysis total (no JSON) {analysis:>10.1?}");
    }
}
