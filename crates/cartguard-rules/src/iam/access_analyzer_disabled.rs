use cartguard_inventory::accessanalyzer;
use serde_json::json;

use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// In every region that holds workloads (EC2 instances, RDS databases or load
    /// balancers in the evidence), `accessanalyzer list-analyzers` must show an
    /// `ACTIVE` analyzer of type `ACCOUNT` or `ORGANIZATION`. A region whose workloads
    /// cannot be told (their evidence was not collected) is reported `not-assessed`
    /// unless it has an active analyzer.
    ///
    /// ## Why it matters
    /// IAM Access Analyzer is AWS's own check for buckets, keys, roles and secrets
    /// shared with the outside world; without it, an S3 bucket of order exports made
    /// public by mistake is found by someone else first.
    ///
    /// ## Severity
    /// Always medium.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws accessanalyzer create-analyzer --analyzer-name account-analyzer --type ACCOUNT --region eu-west-1
    /// ```
    ///
    /// ## Example
    /// A region with running instances and `{"analyzers": []}` fails; a region with
    /// `{"analyzers": [{"type": "ACCOUNT", "status": "ACTIVE", …}]}` passes.
    pub static RULE = {
        id: "iam-access-analyzer-disabled",
        title: "No IAM Access Analyzer in a region with resources",
        severity: Medium,
        area: Iam,
        evidence: [&[accessanalyzer::LIST_ANALYZERS], super::WORKLOADS],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    if ctx.account.regions.is_empty() {
        out.not_assessed(
            &format!("arn:aws:access-analyzer:*:{}:analyzer/*", ctx.account.id),
            "all",
            "no regional evidence was collected (accessanalyzer list-analyzers, describe-instances, …)".into(),
        );
    }
    for (name, region) in &ctx.account.regions {
        let resource = format!(
            "arn:aws:access-analyzer:{name}:{}:analyzer/*",
            ctx.account.id
        );
        let analyzers = region.accessanalyzer.analyzers.present();
        let active = analyzers.into_iter().flatten().find(|a| {
            matches!(a.analyzer_type.as_str(), "ACCOUNT" | "ORGANIZATION")
                && a.status.as_deref().is_none_or(|s| s == "ACTIVE")
        });
        if active.is_some() {
            continue;
        }
        let workloads_known = region.ec2.instances.present().is_some()
            && region.rds.db_instances.present().is_some()
            && region.elbv2.load_balancers.present().is_some();
        if !region.has_workloads() {
            if !workloads_known {
                out.not_assessed(&resource, name, format!(
                    "no active analyzer is recorded in {name}, and whether the region holds resources cannot be told: describe-instances, describe-db-instances or describe-load-balancers was not collected"
                ));
            }
            continue;
        }
        let Some(analyzers) = out.require(
            &region.accessanalyzer.analyzers,
            &accessanalyzer::LIST_ANALYZERS.key(name),
            &resource,
            name,
        ) else {
            continue;
        };
        let listed: Vec<_> = analyzers
            .iter()
            .map(|a| json!({"name": a.name, "type": a.analyzer_type, "status": a.status}))
            .collect();
        out.fail(Failure {
            detail: format!(
                "Region {name} holds workloads but has no active account or organization analyzer ({} analyzer(s) listed).",
                analyzers.len()
            ),
            evidence: json!({"source": "accessanalyzer list-analyzers", "region": name, "analyzers": listed}),
            remediation: format!("aws accessanalyzer create-analyzer --analyzer-name account-analyzer --type ACCOUNT --region {name}"),
            region: name.clone(),
            ..Failure::global(resource)
        });
    }
}
