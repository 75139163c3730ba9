use cartguard_inventory::logs;
use serde_json::json;

use crate::{Context, Emitter, Failure, declare_rule};

/// Days of log history PCI DSS 10.5.1 asks to keep.
const REQUIRED_DAYS: i64 = 365;

declare_rule! {
    /// ## What it checks
    /// Every CloudWatch Logs log group (`logs describe-log-groups`, in every region)
    /// must keep its events at least 365 days: `retentionInDays` of 365 or more, or no
    /// `retentionInDays` at all (events never expire). A group that names a shorter
    /// retention fails, whatever it holds: CloudTrail events, VPC flow logs and
    /// application logs are all audit records.
    ///
    /// ## Why it matters
    /// Breaches are found months after they start; PCI DSS 10.5.1 asks for a year of
    /// audit history (three months of it at hand). A 30-day group has already deleted
    /// the start of any intrusion found late.
    ///
    /// ## Severity
    /// Always medium.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws logs put-retention-policy --log-group-name <group> --retention-in-days 365
    /// ```
    ///
    /// ## Example
    /// `"retentionInDays": 30` fails; `"retentionInDays": 400`, or no retention
    /// setting, passes.
    pub static RULE = {
        id: "logs-retention-short",
        title: "A log group keeps its events for less than a year",
        severity: Medium,
        area: Logging,
        evidence: [&[logs::DESCRIBE_LOG_GROUPS]],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    let all = format!("arn:aws:logs:*:{}:log-group:*", ctx.account.id);
    if super::no_regions(ctx, out, &all, "logs describe-log-groups") {
        return;
    }
    for (name, region) in &ctx.account.regions {
        let Some(groups) = out.require(
            &region.logs.log_groups,
            &logs::DESCRIBE_LOG_GROUPS.key(name),
            &format!("arn:aws:logs:{name}:{}:log-group:*", ctx.account.id),
            name,
        ) else {
            continue;
        };
        for group in groups {
            let Some(days) = group.retention_in_days else {
                continue;
            };
            if days >= REQUIRED_DAYS {
                continue;
            }
            let arn = format!(
                "arn:aws:logs:{name}:{}:log-group:{}",
                ctx.account.id, group.log_group_name
            );
            out.fail(Failure {
                detail: format!(
                    "Log group {} keeps its events {days} day(s) (retentionInDays {days}); a year ({REQUIRED_DAYS} days) is required.",
                    group.log_group_name
                ),
                evidence: json!({
                    "source": "logs describe-log-groups",
                    "logGroupName": group.log_group_name,
                    "retentionInDays": days,
                }),
                remediation: format!(
                    "aws logs put-retention-policy --log-group-name {} --retention-in-days 365 --region {name}",
                    group.log_group_name
                ),
                region: name.clone(),
                ..Failure::global(arn)
            });
        }
    }
}
