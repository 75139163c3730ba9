use serde_json::json;

use super::{TRAILS, TrailView, all_trails};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// At least one trail of the account (`describe-trails --include-shadow-trails`,
    /// in every collected region) must be logging now (`get-trail-status`:
    /// `IsLogging: true`) and record management events (`get-event-selectors`: a basic
    /// selector with `IncludeManagementEvents` true, or an advanced selector on
    /// `eventCategory` = `Management`). An organization trail listed in the account
    /// counts when its status and selectors were collected. When no trail qualifies
    /// and the status or selectors of a trail, or the trail list of a region, could not
    /// be read, the rule says `not-assessed` instead.
    ///
    /// ## Why it matters
    /// Without a trail logging management events there is no record of who changed
    /// what in the account: after a breach nobody can tell which keys were used, which
    /// roles were assumed or which data stores were opened.
    ///
    /// ## Severity
    /// Always critical: without a trail nothing the account does is recorded.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws cloudtrail create-trail --name management-events --s3-bucket-name <log bucket> \
    ///   --is-multi-region-trail --include-global-service-events --enable-log-file-validation \
    ///   --kms-key-id <key ARN>
    /// aws cloudtrail start-logging --name management-events
    /// ```
    ///
    /// ## Example
    /// A trail whose status says `"IsLogging": false` (logging was stopped) is no
    /// trail: the account fails. A trail with `"IsLogging": true` and the default
    /// selector (`ReadWriteType: All`, `IncludeManagementEvents: true`) passes.
    pub static RULE = {
        id: "cloudtrail-missing",
        title: "No CloudTrail trail is logging management events",
        severity: Critical,
        area: Logging,
        evidence: [TRAILS],
        check: check,
    };
}

/// Why a trail does not log management events (`Ok(None)`: it does).
pub(crate) fn shortfall(trail: &TrailView) -> Result<Option<String>, String> {
    let logging = trail.logging()?;
    let recording = trail.recording()?;
    let mut missing = Vec::new();
    if !logging {
        missing.push("it is not logging (IsLogging is false)".to_string());
    }
    if !(recording.management_read || recording.management_write) {
        missing.push("its event selectors record no management events".to_string());
    }
    Ok((!missing.is_empty()).then(|| missing.join(" and ")))
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
            Ok(Some(why)) => reasons.push(format!("{}: {why}", trail.trail.name)),
            Err(why) => unknown.push(why),
        }
    }
    if !unknown.is_empty() {
        out.not_assessed(
            &resource,
            "global",
            format!(
                "no trail is known to log management events, and the rest cannot be read: {}",
                unknown.join("; ")
            ),
        );
        return;
    }
    let detail = if trails.is_empty() {
        "The account has no CloudTrail trail in any collected region: no API activity is recorded."
            .to_string()
    } else {
        format!("No trail logs management events: {}.", reasons.join("; "))
    };
    out.fail(Failure {
        detail,
        evidence: json!({
            "source": "cloudtrail describe-trails, get-trail-status, get-event-selectors",
            "regions": ctx.account.regions.keys().collect::<Vec<_>>(),
            "trails": trails.iter().map(TrailView::evidence).collect::<Vec<_>>(),
        }),
        remediation: match trails.iter().find(|t| t.logging() == Ok(false)) {
            Some(stopped) => format!(
                "aws cloudtrail start-logging --name {} --region {}",
                stopped.arn, stopped.home
            ),
            None => "aws cloudtrail create-trail --name management-events --s3-bucket-name <log bucket> --is-multi-region-trail --include-global-service-events --enable-log-file-validation && aws cloudtrail start-logging --name management-events".to_string(),
        },
        ..Failure::global(resource)
    });
}
