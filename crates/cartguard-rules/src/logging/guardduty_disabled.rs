use cartguard_inventory::guardduty;
use serde_json::json;

use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// In every region that holds workloads (EC2 instances, RDS databases or load
    /// balancers), GuardDuty must have a detector (`guardduty list-detectors`) whose
    /// status is `ENABLED` (`guardduty get-detector`). A detector set up by the
    /// organization's delegated administrator appears in the member account and
    /// counts the same. A region without workloads passes; one whose workloads cannot
    /// be told is `not-assessed` unless it has an enabled detector.
    ///
    /// ## Why it matters
    /// GuardDuty is the alarm for what no configuration check sees: instance
    /// credentials used from outside AWS, a web server talking to a cryptomining
    /// pool, an API called from a Tor exit node.
    ///
    /// ## Severity
    /// Always high.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws guardduty create-detector --enable --finding-publishing-frequency FIFTEEN_MINUTES --region eu-west-1
    /// ```
    ///
    /// ## Example
    /// A region with running instances and `{"DetectorIds": []}` fails; a detector
    /// with `"Status": "ENABLED"` passes.
    pub static RULE = {
        id: "guardduty-disabled",
        title: "GuardDuty is not enabled in a region with resources",
        severity: High,
        area: Logging,
        evidence: [&[guardduty::LIST_DETECTORS, guardduty::GET_DETECTOR], crate::iam::WORKLOADS],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    let all = format!("arn:aws:guardduty:*:{}:detector/*", ctx.account.id);
    if super::no_regions(
        ctx,
        out,
        &all,
        "guardduty list-detectors, describe-instances, …",
    ) {
        return;
    }
    for (name, region) in &ctx.account.regions {
        let resource = format!("arn:aws:guardduty:{name}:{}:detector/*", ctx.account.id);
        let evidence = &region.guardduty;
        let ids = evidence.detector_ids.present();
        let statuses: Vec<(&String, Option<&str>)> = ids
            .into_iter()
            .flatten()
            .map(|id| {
                let status = evidence
                    .detectors
                    .get(id)
                    .and_then(|d| d.present())
                    .map(|d| d.status.as_str());
                (id, status)
            })
            .collect();
        let enabled = statuses.iter().any(|(_, s)| *s == Some("ENABLED"));
        if enabled || !super::region_in_use(out, name, region, &resource, enabled) {
            continue;
        }
        let Some(ids) = out.require(
            &evidence.detector_ids,
            &guardduty::LIST_DETECTORS.key(name),
            &resource,
            name,
        ) else {
            continue;
        };
        let unread: Vec<String> = ids
            .iter()
            .filter(|id| {
                evidence
                    .detectors
                    .get(*id)
                    .and_then(|d| d.present())
                    .is_none()
            })
            .map(|id| {
                let key = guardduty::GET_DETECTOR.about(name, id);
                match evidence.detectors.get(id) {
                    Some(d) => super::reason(d, &key),
                    None => format!("{key} was not collected"),
                }
            })
            .collect();
        if !unread.is_empty() {
            out.not_assessed(&resource, name, unread.join("; "));
            continue;
        }
        out.fail(Failure {
            detail: if ids.is_empty() {
                format!("Region {name} holds workloads but has no GuardDuty detector.")
            } else {
                format!(
                    "Region {name} holds workloads but its GuardDuty detector(s) are not enabled: {}.",
                    statuses
                        .iter()
                        .map(|(id, s)| format!("{id} ({})", s.unwrap_or("?")))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            },
            evidence: json!({
                "source": "guardduty list-detectors, get-detector",
                "region": name,
                "detectors": statuses.iter().map(|(id, s)| json!({"DetectorId": id, "Status": s})).collect::<Vec<_>>(),
            }),
            remediation: match ids.first() {
                Some(id) => format!("aws guardduty update-detector --detector-id {id} --enable --region {name}"),
                None => format!("aws guardduty create-detector --enable --finding-publishing-frequency FIFTEEN_MINUTES --region {name}"),
            },
            region: name.clone(),
            ..Failure::global(resource)
        });
    }
}
