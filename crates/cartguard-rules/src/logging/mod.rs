//! Logging, monitoring and detection rules (CHECKLIST.md section 4): what
//! CloudTrail records and whether it is trustworthy, whether anyone is alerted,
//! and whether AWS's detective services watch the regions in use.

pub mod cloudtrail_bucket_exposed;
pub mod cloudtrail_bucket_mutable;
pub mod cloudtrail_missing;
pub mod cloudtrail_no_cloudwatch;
pub mod cloudtrail_no_lambda_data_events;
pub mod cloudtrail_no_log_validation;
pub mod cloudtrail_no_s3_data_events;
pub mod cloudtrail_not_kms;
pub mod cloudtrail_not_multi_region;
pub mod config_recorder_off;
pub mod filter_pattern;
pub mod guardduty_disabled;
pub mod logs_retention_short;
pub(crate) mod monitored_events;
pub mod monitoring_alarm_missing;
pub mod monitoring_alarm_no_action;
pub mod securityhub_disabled;

use std::collections::BTreeMap;

use cartguard_inventory::cloudtrail::{
    DESCRIBE_TRAILS, EventSelectors, FieldSelector, GET_EVENT_SELECTORS, GET_TRAIL_STATUS, Trail,
    TrailStatus,
};
use cartguard_inventory::{Collected, Operation, Region};
use serde_json::{Value, json};

use crate::{Context, Emitter};

/// The trails, their status and their event selectors.
pub(crate) const TRAILS: &[Operation] = &[DESCRIBE_TRAILS, GET_TRAIL_STATUS, GET_EVENT_SELECTORS];
/// The trail list alone.
pub(crate) const TRAIL_LIST: &[Operation] = &[DESCRIBE_TRAILS];

/// Every trail of the account, at its home region.
pub(crate) fn all_trails(ctx: &Context) -> String {
    format!("arn:aws:cloudtrail:*:{}:trail/*", ctx.account.id)
}

static NO_STATUS: Collected<TrailStatus> = Collected::NotCollected;
static NO_SELECTORS: Collected<EventSelectors> = Collected::NotCollected;

/// One trail as the account sees it, once however many regions list it.
pub(crate) struct TrailView<'a> {
    /// The trail as `describe-trails` lists it.
    pub trail: &'a Trail,
    /// Its ARN.
    pub arn: String,
    /// Its home region, where its status and selectors are asked.
    pub home: String,
    /// `get-trail-status` in the home region.
    pub status: &'a Collected<TrailStatus>,
    /// `get-event-selectors` in the home region.
    pub selectors: &'a Collected<EventSelectors>,
}

/// The account's trails, and the regions whose trail list cannot be read
/// (region, reason).
pub(crate) fn trails<'a>(ctx: &Context<'a>) -> (Vec<TrailView<'a>>, Vec<(String, String)>) {
    let mut seen: BTreeMap<String, TrailView<'a>> = BTreeMap::new();
    let mut unreadable = Vec::new();
    for (name, region) in &ctx.account.regions {
        let listed = &region.cloudtrail.trails;
        let Some(list) = listed.present() else {
            let key = DESCRIBE_TRAILS.key(name);
            let reason = match listed {
                Collected::NotConfigured { code } => format!("{key}: AWS answered {code}"),
                other => other
                    .unavailable_reason(&key)
                    .unwrap_or_else(|| format!("{key} is unavailable")),
            };
            unreadable.push((name.clone(), reason));
            continue;
        };
        for trail in list {
            let arn = trail.arn(name, &ctx.account.id);
            if seen.contains_key(&arn) {
                continue;
            }
            let home = trail.home_region.clone().unwrap_or_else(|| name.clone());
            let home_region: Option<&'a Region> = ctx.account.regions.get(&home);
            let status = home_region
                .and_then(|r| r.cloudtrail.trail_status.get(&trail.name))
                .unwrap_or(&NO_STATUS);
            let selectors = home_region
                .and_then(|r| r.cloudtrail.event_selectors.get(&trail.name))
                .unwrap_or(&NO_SELECTORS);
            seen.insert(
                arn.clone(),
                TrailView {
                    trail,
                    arn,
                    home,
                    status,
                    selectors,
                },
            );
        }
    }
    (seen.into_values().collect(), unreadable)
}

impl TrailView<'_> {
    /// Whether the trail is logging, or why that cannot be told.
    pub(crate) fn logging(&self) -> Result<bool, String> {
        match self.status {
            Collected::Present(status) => Ok(status.is_logging == Some(true)),
            other => Err(reason(
                other,
                &GET_TRAIL_STATUS.about(&self.home, &self.trail.name),
            )),
        }
    }

    /// What the trail records, or why that cannot be told.
    pub(crate) fn recording(&self) -> Result<Recording, String> {
        match self.selectors {
            Collected::Present(selectors) => Ok(Recording::of(selectors)),
            other => Err(reason(
                other,
                &GET_EVENT_SELECTORS.about(&self.home, &self.trail.name),
            )),
        }
    }

    /// Whether the trail records every region's events.
    pub(crate) fn multi_region(&self) -> bool {
        self.trail.is_multi_region_trail == Some(true)
    }

    /// The trail's settings as the auditor reads them in `describe-trails`.
    pub(crate) fn settings(&self) -> Value {
        let t = self.trail;
        json!({
            "Name": t.name,
            "TrailARN": self.arn,
            "HomeRegion": self.home,
            "IsMultiRegionTrail": t.is_multi_region_trail,
            "IncludeGlobalServiceEvents": t.include_global_service_events,
            "IsOrganizationTrail": t.is_organization_trail,
            "LogFileValidationEnabled": t.log_file_validation_enabled,
            "KmsKeyId": t.kms_key_id,
            "S3BucketName": t.s3_bucket_name,
            "CloudWatchLogsLogGroupArn": t.cloud_watch_logs_log_group_arn,
        })
    }

    /// The trail, as a finding's evidence: its settings, and its status and
    /// selectors where they were read.
    pub(crate) fn evidence(&self) -> Value {
        let mut out = self.settings();
        if let Some(status) = self.status.present() {
            out["IsLogging"] = json!(status.is_logging);
        }
        if let Some(selectors) = self.selectors.present() {
            if let Some(basic) = &selectors.event_selectors {
                out["EventSelectors"] = json!(basic);
            }
            if let Some(advanced) = &selectors.advanced_event_selectors {
                out["AdvancedEventSelectors"] = json!(advanced);
            }
        }
        out
    }

    /// Whether the trail's log files are validated, by its settings.
    pub(crate) fn organization_note(&self, account: &str) -> String {
        let owner = self.arn.split(':').nth(4).unwrap_or_default();
        if self.trail.is_organization_trail == Some(true) && owner != account {
            format!(" It is an organization trail managed from account {owner}.")
        } else {
            String::new()
        }
    }
}

/// Why a piece of evidence cannot be used.
pub(crate) fn reason<T>(
    collected: &Collected<T>,
    key: &cartguard_inventory::EvidenceKey,
) -> String {
    match collected {
        Collected::NotConfigured { code } => format!("{key}: AWS answered {code}"),
        other => other
            .unavailable_reason(key)
            .unwrap_or_else(|| format!("{key} is unavailable")),
    }
}

/// What a trail's selectors record.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Recording {
    /// Management events that read.
    pub management_read: bool,
    /// Management events that write.
    pub management_write: bool,
    /// S3 object-level events.
    pub s3: DataEvents,
    /// Lambda invocations.
    pub lambda: DataEvents,
}

/// Which resources' data events a trail records, reads and writes apart.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct DataEvents {
    /// Every resource's reads.
    pub all_read: bool,
    /// Every resource's writes.
    pub all_write: bool,
    /// ARN prefixes whose reads are recorded.
    pub read_prefixes: Vec<String>,
    /// ARN prefixes whose writes are recorded.
    pub write_prefixes: Vec<String>,
}

impl DataEvents {
    fn add(&mut self, read: bool, write: bool, prefixes: Option<&[String]>) {
        match prefixes {
            None => {
                self.all_read |= read;
                self.all_write |= write;
            }
            Some(prefixes) => {
                if read {
                    self.read_prefixes.extend(prefixes.iter().cloned());
                }
                if write {
                    self.write_prefixes.extend(prefixes.iter().cloned());
                }
            }
        }
    }

    /// Whether any data event is recorded.
    #[cfg(test)]
    pub(crate) fn any(&self) -> bool {
        self.all_read
            || self.all_write
            || !self.read_prefixes.is_empty()
            || !self.write_prefixes.is_empty()
    }

    /// Whether reads and writes of the resource `arn` are recorded.
    pub(crate) fn covers(&self, arn: &str) -> (bool, bool) {
        let under = |prefixes: &[String]| prefixes.iter().any(|p| arn.starts_with(p.as_str()));
        (
            self.all_read || under(&self.read_prefixes),
            self.all_write || under(&self.write_prefixes),
        )
    }

    fn merge(&mut self, other: &DataEvents) {
        self.all_read |= other.all_read;
        self.all_write |= other.all_write;
        self.read_prefixes
            .extend(other.read_prefixes.iter().cloned());
        self.write_prefixes
            .extend(other.write_prefixes.iter().cloned());
    }
}

/// Whether an ARN prefix of a basic selector names every resource of the
/// service: `arn:aws:s3`, `arn:aws:s3:::`, `arn:aws:lambda`.
fn names_every(value: &str, service: &str) -> bool {
    let mut parts = value.split(':');
    let (Some("arn"), Some(_partition), Some(s)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    s == service && parts.all(str::is_empty)
}

impl Recording {
    /// What `selectors` record.
    pub(crate) fn of(selectors: &EventSelectors) -> Recording {
        let mut out = Recording::default();
        for selector in selectors.event_selectors.iter().flatten() {
            let (read, write) = match selector.read_write_type.as_deref() {
                Some("ReadOnly") => (true, false),
                Some("WriteOnly") => (false, true),
                _ => (true, true),
            };
            if selector.include_management_events != Some(false) {
                out.management_read |= read;
                out.management_write |= write;
            }
            for resource in &selector.data_resources {
                let (service, events) = match resource.resource_type.as_deref() {
                    Some("AWS::S3::Object") => ("s3", &mut out.s3),
                    Some("AWS::Lambda::Function") => ("lambda", &mut out.lambda),
                    _ => continue,
                };
                if resource.values.iter().any(|v| names_every(v, service)) {
                    events.add(read, write, None);
                } else {
                    events.add(read, write, Some(&resource.values));
                }
            }
        }
        for selector in selectors.advanced_event_selectors.iter().flatten() {
            out.add_advanced(&selector.field_selectors);
        }
        out
    }

    fn add_advanced(&mut self, fields: &[FieldSelector]) {
        let field = |name: &str| fields.iter().find(|f| f.field == name);
        let equals_one = |name: &str| {
            field(name)
                .and_then(|f| f.equals.as_deref())
                .filter(|values| values.len() == 1)
                .map(|values| values[0].as_str())
        };
        let (read, write) = match field("readOnly") {
            None => (true, true),
            Some(_) => match equals_one("readOnly") {
                Some("true") => (true, false),
                Some("false") => (false, true),
                // A readOnly condition other than one Equals value: take none.
                _ => return,
            },
        };
        match equals_one("eventCategory") {
            Some("Management") => {
                // Management selectors may only leave out event sources (KMS,
                // RDS Data API) with `eventSource` NotEquals.
                self.management_read |= read;
                self.management_write |= write;
            }
            Some("Data") => {
                let events = match equals_one("resources.type") {
                    Some("AWS::S3::Object") => &mut self.s3,
                    Some("AWS::Lambda::Function") => &mut self.lambda,
                    _ => return,
                };
                // Any other condition (event names, ARN exclusions, user
                // identities) narrows what is recorded: counted as nothing.
                let known = [
                    "eventCategory",
                    "resources.type",
                    "readOnly",
                    "resources.ARN",
                ];
                if fields.iter().any(|f| !known.contains(&f.field.as_str())) {
                    return;
                }
                match field("resources.ARN") {
                    None => events.add(read, write, None),
                    Some(arn) => {
                        let narrowed = arn.ends_with.is_some()
                            || arn.not_equals.is_some()
                            || arn.not_starts_with.is_some()
                            || arn.not_ends_with.is_some();
                        if narrowed {
                            return;
                        }
                        let mut prefixes: Vec<String> = Vec::new();
                        prefixes.extend(arn.starts_with.iter().flatten().cloned());
                        prefixes.extend(arn.equals.iter().flatten().cloned());
                        events.add(read, write, Some(&prefixes));
                    }
                }
            }
            _ => {}
        }
    }

    /// Everything any of `recordings` records.
    pub(crate) fn merge(&mut self, other: &Recording) {
        self.management_read |= other.management_read;
        self.management_write |= other.management_write;
        self.s3.merge(&other.s3);
        self.lambda.merge(&other.lambda);
    }
}

/// Whether the region holds workloads, or, when that cannot be told, why.
pub(crate) fn holds_workloads(name: &str, region: &Region) -> Result<bool, String> {
    if region.has_workloads() {
        return Ok(true);
    }
    let known = region.ec2.instances.present().is_some()
        && region.rds.db_instances.present().is_some()
        && region.elbv2.load_balancers.present().is_some();
    if known {
        Ok(false)
    } else {
        Err(format!(
            "whether {name} holds resources cannot be told: describe-instances, describe-db-instances or describe-load-balancers was not collected there"
        ))
    }
}

/// Reports a regional detective control as not assessed in a region whose
/// workloads cannot be told; returns whether the region must be checked.
pub(crate) fn region_in_use(
    out: &mut Emitter,
    name: &str,
    region: &Region,
    resource: &str,
    enabled: bool,
) -> bool {
    match holds_workloads(name, region) {
        Ok(in_use) => in_use,
        Err(why) => {
            if !enabled {
                out.not_assessed(resource, name, why);
            }
            false
        }
    }
}

/// Reports that no regional evidence was collected at all.
pub(crate) fn no_regions(ctx: &Context, out: &mut Emitter, resource: &str, calls: &str) -> bool {
    if ctx.account.regions.is_empty() {
        out.not_assessed(
            resource,
            "all",
            format!("no regional evidence was collected ({calls})"),
        );
        return true;
    }
    false
}

/// Every trail, for a rule that judges each trail on its own; the regions
/// whose trail list cannot be read are reported not-assessed.
pub(crate) fn each_trail<'a>(ctx: &Context<'a>, out: &mut Emitter) -> Vec<TrailView<'a>> {
    if no_regions(ctx, out, &all_trails(ctx), "cloudtrail describe-trails") {
        return Vec::new();
    }
    let (trails, unreadable) = trails(ctx);
    for (region, why) in unreadable {
        out.not_assessed(
            &format!("arn:aws:cloudtrail:{region}:{}:trail/*", ctx.account.id),
            &region,
            why,
        );
    }
    trails
}

/// The buckets the account's trails deliver to, each with the trails that
/// use it. A bucket that is not in the account's bucket list (a central log
/// archive of another account, say) is reported not assessed: its settings
/// are that account's evidence.
pub(crate) fn trail_buckets<'a>(
    ctx: &Context<'a>,
    out: &mut Emitter,
) -> Vec<(&'a str, Vec<TrailView<'a>>)> {
    let trails = each_trail(ctx, out);
    if trails.is_empty() {
        return Vec::new();
    }
    let Some(buckets) = crate::data::buckets(ctx, out) else {
        return Vec::new();
    };
    let mut by_bucket: Vec<(&'a str, Vec<TrailView<'a>>)> = Vec::new();
    for trail in trails {
        let Some(name) = trail
            .trail
            .s3_bucket_name
            .as_deref()
            .filter(|n| !n.is_empty())
        else {
            continue;
        };
        if !buckets.iter().any(|b| b.name == name) {
            out.not_assessed(
                &crate::data::bucket_arn(name),
                cartguard_inventory::GLOBAL,
                format!(
                    "trail {} delivers to bucket {name}, which is not in this account's bucket list (s3:ListBuckets): its settings must be audited with the evidence of the account that owns it",
                    trail.trail.name
                ),
            );
            continue;
        }
        match by_bucket.iter_mut().find(|(b, _)| *b == name) {
            Some((_, users)) => users.push(trail),
            None => by_bucket.push((name, vec![trail])),
        }
    }
    by_bucket
}

/// The trails' names, for a finding's text: `management, audit`.
pub(crate) fn trail_names(trails: &[TrailView]) -> String {
    trails
        .iter()
        .map(|t| t.trail.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartguard_inventory::cloudtrail::{AdvancedEventSelector, DataResource, EventSelector};

    fn basic(rw: &str, management: bool, resources: &[(&str, &[&str])]) -> EventSelector {
        EventSelector {
            read_write_type: Some(rw.into()),
            include_management_events: Some(management),
            data_resources: resources
                .iter()
                .map(|(t, values)| DataResource {
                    resource_type: Some(t.to_string()),
                    values: values.iter().map(|v| v.to_string()).collect(),
                })
                .collect(),
            exclude_management_event_sources: Vec::new(),
        }
    }

    fn field(name: &str, equals: &[&str]) -> FieldSelector {
        FieldSelector {
            field: name.into(),
            equals: Some(equals.iter().map(|v| v.to_string()).collect()),
            ..FieldSelector::default()
        }
    }

    #[test]
    fn basic_selectors_name_all_buckets_by_prefix() {
        for all in ["arn:aws:s3", "arn:aws:s3:::", "arn:aws-cn:s3:::"] {
            let rec = Recording::of(&EventSelectors {
                event_selectors: Some(vec![basic("All", true, &[("AWS::S3::Object", &[all])])]),
                ..EventSelectors::default()
            });
            assert!(rec.s3.all_read && rec.s3.all_write, "{all}");
            assert!(rec.management_read && rec.management_write);
        }
        let rec = Recording::of(&EventSelectors {
            event_selectors: Some(vec![basic(
                "WriteOnly",
                false,
                &[("AWS::S3::Object", &["arn:aws:s3:::orders/"])],
            )]),
            ..EventSelectors::default()
        });
        assert!(!rec.management_read && !rec.management_write);
        assert_eq!(
            rec.s3.covers("arn:aws:s3:::orders/2026/1.json"),
            (false, true)
        );
        assert_eq!(rec.s3.covers("arn:aws:s3:::media/x"), (false, false));
    }

    #[test]
    fn advanced_selectors_are_read_field_by_field() {
        let selectors = EventSelectors {
            advanced_event_selectors: Some(vec![
                AdvancedEventSelector {
                    name: Some("management".into()),
                    field_selectors: vec![field("eventCategory", &["Management"])],
                },
                AdvancedEventSelector {
                    name: Some("s3 reads".into()),
                    field_selectors: vec![
                        field("eventCategory", &["Data"]),
                        field("resources.type", &["AWS::S3::Object"]),
                        field("readOnly", &["true"]),
                    ],
                },
                AdvancedEventSelector {
                    name: Some("only PutObject".into()),
                    field_selectors: vec![
                        field("eventCategory", &["Data"]),
                        field("resources.type", &["AWS::S3::Object"]),
                        field("eventName", &["PutObject"]),
                    ],
                },
            ]),
            ..EventSelectors::default()
        };
        let rec = Recording::of(&selectors);
        assert!(rec.management_read && rec.management_write);
        assert!(rec.s3.all_read);
        assert!(
            !rec.s3.all_write,
            "an eventName condition narrows the selector"
        );
        assert!(!rec.lambda.any());
    }
}
