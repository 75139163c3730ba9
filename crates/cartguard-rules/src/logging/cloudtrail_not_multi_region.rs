use serde_json::json;

use super::{TRAILS, TrailView, all_trails};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// At least one trail must be logging (`get-trail-status`), be multi-region
    /// (`IsMultiRegionTrail`), include global service events
    /// (`IncludeGlobalServiceEvents`, the IAM, STS and CloudFront calls) and record
    /// both read and write management events (a basic selector with `ReadWriteType:
    /// All` and `IncludeManagementEvents: true`, or advanced selectors on
    /// `eventCategory` = `Management` covering both values of `readOnly`). An
    /// organization trail listed in a member account counts when its status and
    /// selectors were collected. A trail whose status or selectors cannot be read
    /// makes the rule `not-assessed` when no other trail qualifies.
    ///
    /// ## Why it matters
    /// An attacker works where nobody looks: a trail of one region misses the
    /// instances started in another, and a trail without global service events misses
    /// the IAM users and access keys created to come back later.
    ///
    /// ## Severity
    /// Always high.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws cloudtrail update-trail --name <trail> --is-multi-region-trail --include-global-service-events
    /// aws cloudtrail put-event-selectors --trail-name <trail> \
    ///   --event-selectors '[{"ReadWriteType":"All","IncludeManagementEvents":true}]'
    /// ```
    ///
    /// ## Example
    /// A logging trail with `"IsMultiRegionTrail": false` fails; the same trail with
    /// `"IsMultiRegionTrail": true`, `"IncludeGlobalServiceEvents": true` and the
    /// default selector passes.
    pub static RULE = {
        id: "cloudtrail-not-multi-region",
        title: "No multi-region trail records all management events",
        severity: High,
        area: Logging,
        evidence: [TRAILS],
        check: check,
    };
}

fn shortfall(trail: &TrailView) -> Result<Option<String>, String> {
    let logging = trail.logging()?;
    let recording = trail.recording()?;
    let mut missing = Vec::new();
    if !logging {
        missing.push("not logging");
    }
    if !trail.multi_region() {
        missing.push("single-region (IsMultiRegionTrail is not true)");
    }
    if trail.trail.include_global_service_events != Some(true) {
        missing.push("without global service events");
    }
    match (recording.management_read, recording.management_write) {
        (true, true) => {}
        (true, false) => missing.push("records only read management events"),
        (false, true) => missing.push("records only write management events"),
        (false, false) => missing.push("records no management events"),
    }
    Ok((!missing.is_empty()).then(|| missing.join(", ")))
}

fn check(ctx: &Context, out: &mut Emitter) {
    let resource = all_trails(ctx);
    if super::no_regions(ctx, out, &resource, "cloudtrail describe-trails") {
        return;
    }
    let (trails, unreadable) = super::trails(ctx);
    let mut unknown: Vec<String> = unreadable.into_iter().map(|(_, why)| why).collect();
    let mut reasons = Vec::new();
    for trail in &trails {
        match shortfall(trail) {
            Ok(None) => return,
            Ok(Some(why)) => reasons.push(format!("{} is {why}", trail.trail.name)),
            Err(why) => unknown.push(why),
        }
    }
    if !unknown.is_empty() {
        out.not_assessed(
            &resource,
            "global",
            format!(
                "no trail is known to record every region's management events, and the rest cannot be read: {}",
                unknown.join("; ")
            ),
        );
        return;
    }
    let detail = if trails.is_empty() {
        "The account has no trail at all, so none records every region's management events."
            .to_string()
    } else {
        format!(
            "No trail records the management events of every region, global services included: {}.",
            reasons.join("; ")
        )
    };
    let remediation = match trails.first() {
        Some(trail) => format!(
            "aws cloudtrail update-trail --name {arn} --is-multi-region-trail --include-global-service-events --region {home} && aws cloudtrail put-event-selectors --trail-name {arn} --event-selectors '[{{\"ReadWriteType\":\"All\",\"IncludeManagementEvents\":true}}]' --region {home} && aws cloudtrail start-logging --name {arn} --region {home}",
            arn = trail.arn,
            home = trail.home
        ),
        None => "aws cloudtrail create-trail --name management-events --s3-bucket-name <log bucket> --is-multi-region-trail --include-global-service-events --enable-log-file-validation && aws cloudtrail start-logging --name management-events".to_string(),
    };
    out.fail(Failure {
        detail,
        evidence: json!({
            "source": "cloudtrail describe-trails, get-trail-status, get-event-selectors",
            "trails": trails.iter().map(TrailView::evidence).collect::<Vec<_>>(),
        }),
        remediation,
        ..Failure::global(resource)
    });
}
