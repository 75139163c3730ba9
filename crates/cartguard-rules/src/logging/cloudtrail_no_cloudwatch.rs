use serde_json::json;

use super::TRAIL_LIST;
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every trail (`describe-trails`) must deliver its events to a CloudWatch Logs
    /// log group (`CloudWatchLogsLogGroupArn` set).
    ///
    /// ## Why it matters
    /// Log files in S3 are read after the fact; only events delivered to CloudWatch
    /// Logs can drive metric filters and alarms that wake someone while an attack is
    /// under way.
    ///
    /// ## Severity
    /// Always low.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws logs create-log-group --log-group-name management-trail-events
    /// aws cloudtrail update-trail --name <trail> \
    ///   --cloud-watch-logs-log-group-arn arn:aws:logs:eu-west-1:111122223333:log-group:management-trail-events:* \
    ///   --cloud-watch-logs-role-arn arn:aws:iam::111122223333:role/cloudtrail-to-cloudwatch
    /// ```
    ///
    /// ## Example
    /// A trail without `CloudWatchLogsLogGroupArn` fails; one naming a log group passes.
    pub static RULE = {
        id: "cloudtrail-no-cloudwatch",
        title: "A trail does not deliver to CloudWatch Logs",
        severity: Low,
        area: Logging,
        evidence: [TRAIL_LIST],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    for trail in super::each_trail(ctx, out) {
        if trail
            .trail
            .cloud_watch_logs_log_group_arn
            .as_deref()
            .is_some_and(|g| !g.is_empty())
        {
            continue;
        }
        out.fail(Failure {
            detail: format!(
                "Trail {} delivers only to bucket {} (no CloudWatchLogsLogGroupArn): no metric filter or alarm can see its events as they happen.{}",
                trail.trail.name,
                trail.trail.s3_bucket_name.as_deref().unwrap_or("(none named)"),
                trail.organization_note(&ctx.account.id),
            ),
            evidence: json!({"source": "cloudtrail describe-trails", "trail": trail.settings()}),
            remediation: format!(
                "aws logs create-log-group --log-group-name {name}-trail-events --region {home} && aws cloudtrail update-trail --name {arn} --cloud-watch-logs-log-group-arn arn:aws:logs:{home}:{account}:log-group:{name}-trail-events:* --cloud-watch-logs-role-arn <role CloudTrail may assume to write there> --region {home}",
                name = trail.trail.name,
                arn = trail.arn,
                home = trail.home,
                account = ctx.account.id,
            ),
            region: trail.home.clone(),
            ..Failure::global(trail.arn.clone())
        });
    }
}
