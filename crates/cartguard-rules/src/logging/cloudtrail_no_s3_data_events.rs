use cartguard_inventory::s3;
use serde_json::json;

use super::{Recording, TRAILS, TrailView};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// The logging, multi-region trails of the account (`get-trail-status`,
    /// `describe-trails`) must together record S3 object-level reads and writes
    /// (`get-event-selectors`) for every bucket: a basic data resource of type
    /// `AWS::S3::Object` whose value is `arn:aws:s3` or `arn:aws:s3:::` (every
    /// bucket) or the bucket's own prefix (`arn:aws:s3:::orders/`), with `ReadWriteType`
    /// `All` (or one selector for reads and one for writes), or the advanced-selector
    /// equivalent (`eventCategory` = `Data`, `resources.type` = `AWS::S3::Object`, no
    /// ARN condition or `resources.ARN` StartsWith the bucket, `readOnly` absent or both
    /// values). Advanced selectors that name events or exclude ARNs record only part of
    /// the bucket's events and are not counted. With per-bucket selectors, the buckets
    /// come from `s3api list-buckets`; the finding names every bucket whose reads or
    /// writes are not recorded.
    ///
    /// ## Why it matters
    /// Management events show who changed a bucket, not who read the order exports in
    /// it: without object-level events, the question "which customer records left the
    /// account" has no answer (PCI DSS 10.2.1.1 asks for every access to cardholder data).
    ///
    /// ## Severity
    /// Always medium.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws cloudtrail put-event-selectors --trail-name <trail> --advanced-event-selectors '[
    ///   {"Name":"Management","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]},
    ///   {"Name":"S3 objects","FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},
    ///     {"Field":"resources.type","Equals":["AWS::S3::Object"]}]}]'
    /// ```
    ///
    /// ## Example
    /// A trail with only the default management selector fails for every bucket; one
    /// with `DataResources: [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}]` and
    /// `ReadWriteType: All` passes.
    pub static RULE = {
        id: "cloudtrail-no-s3-data-events",
        title: "S3 object-level read and write events are not recorded",
        severity: Medium,
        area: Logging,
        evidence: [TRAILS, &[s3::LIST_BUCKETS]],
        check: check,
    };
}

/// What the account's logging multi-region trails record together, the trails
/// that count, and the reasons the others could not be read.
pub(crate) fn account_recording<'t, 'a>(
    trails: &'t [TrailView<'a>],
) -> (Recording, Vec<&'t TrailView<'a>>, Vec<String>) {
    let mut all = Recording::default();
    let mut counted = Vec::new();
    let mut unknown = Vec::new();
    for trail in trails {
        let state = trail.logging().and_then(|l| Ok((l, trail.recording()?)));
        match state {
            Ok((true, recording)) if trail.multi_region() => {
                all.merge(&recording);
                counted.push(trail);
            }
            Ok(_) => {}
            Err(why) => unknown.push(why),
        }
    }
    (all, counted, unknown)
}

fn check(ctx: &Context, out: &mut Emitter) {
    let resource = "arn:aws:s3:::*".to_string();
    if super::no_regions(ctx, out, &resource, "cloudtrail describe-trails") {
        return;
    }
    let (trails, unreadable) = super::trails(ctx);
    let (recording, counted, mut unknown) = account_recording(&trails);
    let s3 = &recording.s3;
    if s3.all_read && s3.all_write {
        return;
    }
    unknown.extend(unreadable.into_iter().map(|(_, why)| why));
    let buckets = ctx.account.s3.buckets.present();
    let uncovered: Option<Vec<(String, &str)>> = buckets.map(|buckets| {
        buckets
            .iter()
            .filter_map(|bucket| {
                let arn = format!("{}/", bucket.arn("aws"));
                match s3.covers(&arn) {
                    (true, true) => None,
                    (true, false) => Some((bucket.name.clone(), "writes")),
                    (false, true) => Some((bucket.name.clone(), "reads")),
                    (false, false) => Some((bucket.name.clone(), "reads and writes")),
                }
            })
            .collect()
    });
    if uncovered.as_ref().is_some_and(Vec::is_empty) {
        return;
    }
    if !unknown.is_empty() {
        out.not_assessed(
            &resource,
            "global",
            format!(
                "no trail is known to record S3 object events of every bucket, and the rest cannot be read: {}",
                unknown.join("; ")
            ),
        );
        return;
    }
    let per_bucket = !s3.read_prefixes.is_empty() || !s3.write_prefixes.is_empty();
    let detail = match &uncovered {
        Some(list) => format!(
            "No logging multi-region trail records S3 object-level events for {} of the account's {} bucket(s): {}.",
            list.len(),
            buckets.map_or(0, Vec::len),
            list.iter()
                .map(|(name, what)| format!("{name} ({what})"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None if per_bucket => {
            out.not_assessed(
                &resource,
                "global",
                format!(
                    "the trails record S3 object events only for some bucket prefixes ({}), and which buckets exist is not known: {}",
                    s3.read_prefixes
                        .iter()
                        .chain(&s3.write_prefixes)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", "),
                    super::reason(
                        &ctx.account.s3.buckets,
                        &s3::LIST_BUCKETS.global()
                    )
                ),
            );
            return;
        }
        None => format!(
            "No logging multi-region trail records S3 object-level {}: reads of customer and order data in any bucket leave no trace.",
            match (s3.all_read, s3.all_write) {
                (true, false) => "writes",
                (false, true) => "reads",
                _ => "reads or writes",
            }
        ),
    };
    let trail = counted.first().copied().or(trails.first());
    out.fail(Failure {
        detail,
        evidence: json!({
            "source": "cloudtrail describe-trails, get-trail-status, get-event-selectors; s3api list-buckets",
            "trails_counted": counted.iter().map(|t| t.evidence()).collect::<Vec<_>>(),
            "s3_data_events": {
                "all_buckets_read": s3.all_read,
                "all_buckets_write": s3.all_write,
                "read_prefixes": s3.read_prefixes,
                "write_prefixes": s3.write_prefixes,
            },
            "buckets_not_covered": uncovered.as_ref().map(|list| list.iter().map(|(name, what)| json!({"bucket": name, "missing": what})).collect::<Vec<_>>()),
        }),
        remediation: format!(
            "aws cloudtrail put-event-selectors --trail-name {} --advanced-event-selectors '[{{\"Name\":\"Management\",\"FieldSelectors\":[{{\"Field\":\"eventCategory\",\"Equals\":[\"Management\"]}}]}},{{\"Name\":\"S3 objects\",\"FieldSelectors\":[{{\"Field\":\"eventCategory\",\"Equals\":[\"Data\"]}},{{\"Field\":\"resources.type\",\"Equals\":[\"AWS::S3::Object\"]}}]}}]'",
            trail.map_or("<multi-region trail>".to_string(), |t| t.arn.clone())
        ),
        ..Failure::global(resource)
    });
}
