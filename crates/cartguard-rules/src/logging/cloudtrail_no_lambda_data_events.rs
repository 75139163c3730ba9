use cartguard_inventory::lambda;
use serde_json::json;

use super::TRAILS;
use super::cloudtrail_no_s3_data_events::account_recording;
use crate::data::support::arn;
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A logging, multi-region trail must record Lambda invocations for every
    /// function (`get-event-selectors`): a basic data resource of type
    /// `AWS::Lambda::Function` with the value `arn:aws:lambda`, or an advanced selector
    /// with `eventCategory` = `Data` and `resources.type` = `AWS::Lambda::Function` and
    /// no ARN condition. Selectors naming single functions are checked against each
    /// region's function list (`list-functions`): the rule fails for the functions
    /// they leave out, and is `not-assessed` when a region's list was not collected.
    /// An account whose function lists are all known and empty has nothing to
    /// record and passes; when no list was collected and no trail records any
    /// invocation, the rule fails.
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
        evidence: [TRAILS, &[lambda::LIST_FUNCTIONS]],
        check: check,
    };
}

/// The account's functions, from each region's function list: their ARNs,
/// and the regions whose list is not known.
fn functions(ctx: &Context) -> (Vec<String>, Vec<String>) {
    let mut arns = Vec::new();
    let mut unread = Vec::new();
    for (name, region) in &ctx.account.regions {
        match region.lambda.functions.present() {
            Some(list) => arns.extend(list.iter().map(|f| {
                f.function_arn.clone().unwrap_or_else(|| {
                    arn(
                        ctx,
                        "lambda",
                        name,
                        &format!("function:{}", f.function_name),
                    )
                })
            })),
            None => unread.push(name.clone()),
        }
    }
    (arns, unread)
}

/// Whether a selector value records the invocations of the function `arn`.
/// A basic selector names a function by its ARN, and an advanced selector's
/// `Equals` is exact; a value is taken as a prefix only where it ends at a
/// separator (`…:function:`), so that `…:function:checkout` does not count for
/// `…:function:checkout-v2`. An advanced `StartsWith` on part of a name is
/// thereby under-counted, never over-counted.
fn recorded(values: &[String], arn: &str) -> bool {
    values
        .iter()
        .any(|v| arn == v || (arn.starts_with(v.as_str()) && v.ends_with([':', '/'])))
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
    let (arns, unread) = functions(ctx);
    let not_recorded: Vec<&String> = arns
        .iter()
        .filter(|arn| !recorded(&lambda.write_prefixes, arn))
        .collect();
    // With every region's function list known, only the functions whose
    // invocations go unrecorded count: an account without functions, or
    // whose functions are each named by a selector, passes.
    if unread.is_empty() && not_recorded.is_empty() {
        return;
    }
    if !unread.is_empty() && !lambda.write_prefixes.is_empty() {
        out.not_assessed(
            &resource,
            "global",
            format!(
                "the trails record the invocations of some functions only ({}); whether every function is covered cannot be told without the function list of {} (lambda list-functions)",
                lambda.write_prefixes.join(", "),
                unread.join(", ")
            ),
        );
        return;
    }
    let shown: Vec<&str> = not_recorded.iter().take(10).map(|a| a.as_str()).collect();
    let more = not_recorded.len().saturating_sub(shown.len());
    let named = if shown.is_empty() {
        String::new()
    } else {
        format!(
            " Not recorded: {}{}.",
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        )
    };
    let detail = if lambda.write_prefixes.is_empty() {
        let which = if unread.is_empty() {
            format!("the account's {} function(s)", arns.len())
        } else {
            "the account's functions".to_string()
        };
        format!(
            "No logging multi-region trail records Lambda invoke events: calls to {which} leave no trace.{named}"
        )
    } else {
        format!(
            "The trails record the invocations of some functions only ({}); {} of the account's {} function(s) are not among them.{named}",
            lambda.write_prefixes.join(", "),
            not_recorded.len(),
            arns.len()
        )
    };
    out.fail(Failure {
        detail,
        evidence: json!({
            "source": "cloudtrail describe-trails, get-trail-status, get-event-selectors; lambda list-functions",
            "trails_counted": counted.iter().map(|t| t.evidence()).collect::<Vec<_>>(),
            "functions_not_recorded": not_recorded,
            "function_lists_not_read": unread,
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
