use serde_json::json;

use super::TRAILS;
use super::cloudtrail_no_s3_data_events::account_recording;
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A logging, multi-region trail must record Lambda invocations for every
    /// function (`get-event-selectors`): a basic data resource of type
    /// `AWS::Lambda::Function` with the value `arn:aws:lambda`, or an advanced selector
    /// with `eventCategory` = `Data` and `resources.type` = `AWS::Lambda::Function` and
    /// no ARN condition. Selectors naming single functions cannot be checked against
    /// the function list, which is not read, and make the rule `not-assessed`.
    ///
    /// ## Why it matters
    /// Functions that handle orders, webhooks or payment callbacks run with their own
    /// role; without invoke events nobody can tell who called a function that moved
    /// data out.
    ///
    /// ## Severity
    /// Always low.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws cloudtrail put-event-selectors --trail-name <trail> --advanced-event-selectors '[
    ///   {"Name":"Management","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]},
    ///   {"Name":"Lambda","FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},
    ///     {"Field":"resources.type","Equals":["AWS::Lambda::Function"]}]}]'
    /// ```
    ///
    /// ## Example
    /// A trail recording only management events fails; one with
    /// `DataResources: [{"Type": "AWS::Lambda::Function", "Values": ["arn:aws:lambda"]}]`
    /// passes.
    pub static RULE = {
        id: "cloudtrail-no-lambda-data-events",
        title: "Lambda invocations are not recorded",
        severity: Low,
        area: Logging,
        evidence: [TRAILS],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    let resource = format!("arn:aws:lambda:*:{}:function:*", ctx.account.id);
    if super::no_regions(ctx, out, &resource, "cloudtrail describe-trails") {
        return;
    }
    let (trails, unreadable) = super::trails(ctx);
    let (recording, counted, mut unknown) = account_recording(&trails);
    let lambda = &recording.lambda;
    // Invoke, the Lambda data event, is recorded as a write.
    if lambda.all_write {
        return;
    }
    unknown.extend(unreadable.into_iter().map(|(_, why)| why));
    if !unknown.is_empty() {
        out.not_assessed(
            &resource,
            "global",
            format!(
                "no trail is known to record Lambda invocations, and the rest cannot be read: {}",
                unknown.join("; ")
            ),
        );
        return;
    }
    if !lambda.write_prefixes.is_empty() {
        out.not_assessed(
            &resource,
            "global",
            format!(
                "the trails record the invocations of some functions only ({}); whether every function is covered cannot be told, as the function list is not read",
                lambda.write_prefixes.join(", ")
            ),
        );
        return;
    }
    out.fail(Failure {
        detail: "No logging multi-region trail records Lambda invoke events: calls to the account's functions leave no trace.".to_string(),
        evidence: json!({
            "source": "cloudtrail describe-trails, get-trail-status, get-event-selectors",
            "trails_counted": counted.iter().map(|t| t.evidence()).collect::<Vec<_>>(),
        }),
        remediation: format!(
            "aws cloudtrail put-event-selectors --trail-name {} --advanced-event-selectors '[{{\"Name\":\"Management\",\"FieldSelectors\":[{{\"Field\":\"eventCategory\",\"Equals\":[\"Management\"]}}]}},{{\"Name\":\"Lambda\",\"FieldSelectors\":[{{\"Field\":\"eventCategory\",\"Equals\":[\"Data\"]}},{{\"Field\":\"resources.type\",\"Equals\":[\"AWS::Lambda::Function\"]}}]}}]'",
            counted
                .first()
                .map_or("<multi-region trail>".to_string(), |t| t.arn.clone())
        ),
        ..Failure::global(resource)
    });
}
