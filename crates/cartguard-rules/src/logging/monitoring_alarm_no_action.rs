use cartguard_inventory::cloudwatch;
use serde_json::json;

use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every CloudWatch alarm (`cloudwatch describe-alarms`, metric and composite
    /// alarms, in every region) must have an action to run when it goes to `ALARM`
    /// (`AlarmActions` not empty) with actions enabled (`ActionsEnabled` not false).
    ///
    /// ## Why it matters
    /// An alarm without an action changes colour on a dashboard nobody watches: the
    /// root sign-in or the stopped trail it was built to catch goes unnoticed.
    ///
    /// ## Severity
    /// Always low.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws cloudwatch put-metric-alarm --alarm-name <alarm> … --alarm-actions arn:aws:sns:eu-west-1:111122223333:security-alerts
    /// aws cloudwatch enable-alarm-actions --alarm-names <alarm>
    /// ```
    ///
    /// ## Example
    /// An alarm with `"AlarmActions": []` or `"ActionsEnabled": false` fails; one with
    /// an SNS topic in `AlarmActions` passes.
    pub static RULE = {
        id: "monitoring-alarm-no-action",
        title: "An alarm has no action",
        severity: Low,
        area: Logging,
        evidence: [&[cloudwatch::DESCRIBE_ALARMS]],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    let all = format!("arn:aws:cloudwatch:*:{}:alarm:*", ctx.account.id);
    if super::no_regions(ctx, out, &all, "cloudwatch describe-alarms") {
        return;
    }
    for (name, region) in &ctx.account.regions {
        let Some(alarms) = out.require(
            &region.cloudwatch.alarms,
            &cloudwatch::DESCRIBE_ALARMS.key(name),
            &format!("arn:aws:cloudwatch:{name}:{}:alarm:*", ctx.account.id),
            name,
        ) else {
            continue;
        };
        let metric = alarms.metric_alarms.iter().map(|a| {
            (
                &a.alarm_name,
                &a.alarm_arn,
                a.actions_enabled,
                &a.alarm_actions,
                json!({"MetricName": a.metric_name, "Namespace": a.namespace}),
            )
        });
        let composite = alarms.composite_alarms.iter().map(|a| {
            (
                &a.alarm_name,
                &a.alarm_arn,
                a.actions_enabled,
                &a.alarm_actions,
                json!({"composite": true}),
            )
        });
        for (alarm, arn, enabled, actions, watched) in metric.chain(composite) {
            let why = if actions.is_empty() {
                "has no alarm action (AlarmActions is empty)"
            } else if enabled == Some(false) {
                "has its actions disabled (ActionsEnabled is false)"
            } else {
                continue;
            };
            let arn = arn.clone().unwrap_or_else(|| {
                format!("arn:aws:cloudwatch:{name}:{}:alarm:{alarm}", ctx.account.id)
            });
            out.fail(Failure {
                detail: format!("Alarm {alarm} {why}: when it fires, nobody is told."),
                evidence: json!({
                    "source": "cloudwatch describe-alarms",
                    "AlarmName": alarm,
                    "ActionsEnabled": enabled,
                    "AlarmActions": actions,
                    "watches": watched,
                }),
                remediation: if actions.is_empty() {
                    format!("Add an SNS topic with a confirmed subscriber to the alarm's actions: aws cloudwatch put-metric-alarm --alarm-name {alarm} <its current settings> --alarm-actions arn:aws:sns:{name}:{}:<topic> --region {name}", ctx.account.id)
                } else {
                    format!("aws cloudwatch enable-alarm-actions --alarm-names {alarm} --region {name}")
                },
                region: name.clone(),
                ..Failure::global(arn)
            });
        }
    }
}
