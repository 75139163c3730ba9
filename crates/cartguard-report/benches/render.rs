//! Rendering a large report to every format: 20,000 findings of every rule of
//! the catalogue, three in four on AWS resources and one in four in server
//! files, one in fifty not assessed, each with an evidence object of the size
//! a policy statement makes. Each format renders into memory (no disk), best
//! of 5 runs; prints each format's time and size, and the total.
//!
//! `CARTGUARD_BENCH_FINDINGS=N` changes the number of findings.

use std::sync::Arc;
use std::time::{Duration, Instant};

use cartguard_report::{FORMATS, NowFrom, RenderOptions, Report, ScanInfo};
use cartguard_rules::{
    Coverage, CoverageStatus, Finding, Severity, Status, all_rules, compliance_for,
};

// The allocator of the `cartguard` binary, so the figures are the scan's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const RUNS: usize = 5;

fn findings(count: usize) -> Vec<Finding> {
    let rules = all_rules();
    let regions = ["eu-west-1", "us-east-1", "global"];
    (0..count)
        .map(|n| {
            let rule = rules[n % rules.len()];
            let region = regions[n % regions.len()];
            let (resource, region) = if n % 4 == 3 {
                (
                    format!("srv/shop-{}/app/config/settings-{n}.php:{}", n % 40, n % 300 + 1),
                    "files".to_string(),
                )
            } else if region == "global" {
                (
                    format!("arn:aws:iam::111122223333:role/service-role-{n}"),
                    region.to_string(),
                )
            } else {
                (
                    format!("arn:aws:ec2:{region}:111122223333:instance/i-{n:017x}"),
                    region.to_string(),
                )
            };
            let evidence = serde_json::json!({
                "policy": format!("arn:aws:iam::111122223333:policy/app-{n}"),
                "statement": {
                    "Sid": format!("Statement{n}"),
                    "Effect": "Allow",
                    "Action": ["s3:GetObject", "s3:PutObject", "kms:Decrypt"],
                    "Resource": format!("arn:aws:s3:::bucket-{}/*", n % 100),
                    "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-0abc"}}
                },
                "granted_by": [{"role": format!("role-{n}"), "via": "inline"}]
            });
            Finding {
                rule_id: rule.id,
                severity: if n % 7 == 0 { Severity::Critical } else { rule.severity },
                status: if n % 50 == 0 {
                    Status::NotAssessed
                } else {
                    Status::Fail
                },
                resource,
                account: "111122223333".into(),
                region,
                title: rule.title,
                detail: format!(
                    "resource {n} allows more than its workload needs: s3:PutObject on every object of bucket-{}, granted by an inline policy of role-{n}.",
                    n % 100
                ),
                rationale: Arc::from(rule.section("Why it matters").as_str()),
                evidence: serde_json::value::to_raw_value(&evidence).unwrap_or_default(),
                remediation: format!(
                    "Narrow the statement to the objects the workload writes: aws iam put-role-policy --role-name role-{n} --policy-name app --policy-document file://narrow.json"
                ),
                compliance: Arc::new(compliance_for(rule.id)),
                fingerprint: format!("{n:032x}"),
            }
        })
        .collect()
}

fn report(count: usize) -> Report {
    let scan = ScanInfo {
        started: "2026-11-20T12:00:00Z".into(),
        now: "2026-11-20T12:00:00Z".into(),
        now_from: NowFrom::Option,
        accounts: vec!["111122223333".into()],
        sources: vec!["evidence:bench".into(), "path:srv".into()],
        fail_on: Some(Severity::High),
        fail_on_not_assessed: false,
        warnings: vec![],
        not_checked: vec![],
    };
    let coverage = ["iam", "s3", "ec2"]
        .iter()
        .map(|area| Coverage {
            account: "111122223333".into(),
            area: area.to_string(),
            region: "global".into(),
            status: CoverageStatus::Assessed,
            reason: None,
        })
        .collect();
    Report::new(scan, coverage, findings(count))
}

fn main() {
    let count = std::env::var("CARTGUARD_BENCH_FINDINGS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_000);
    let report = report(count);
    println!("rendering {count} findings to every format, best of {RUNS} runs");
    let mut total = Duration::ZERO;
    for format in FORMATS {
        let renderer = format.renderer(&RenderOptions::default());
        let mut best = Duration::MAX;
        let mut size = 0;
        for _ in 0..RUNS {
            let mut out = Vec::with_capacity(size);
            let start = Instant::now();
            if let Err(error) = renderer.render(&report, &mut out) {
                eprintln!("{}: {error}", format.name);
                std::process::exit(2);
            }
            best = best.min(start.elapsed());
            size = out.len();
        }
        total += best;
        println!(
            "  {:<9} {:>8.1} ms  {:>7.1} MB",
            format.name,
            best.as_secs_f64() * 1000.0,
            size as f64 / 1e6
        );
    }
    println!(
        "  {:<9} {:>8.1} ms  (goal: under 2,000 ms)",
        "total",
        total.as_secs_f64() * 1000.0
    );
}
