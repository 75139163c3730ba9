use cartguard_inventory::cloudwatch::{self, MetricAlarm};
use cartguard_inventory::logs::{self, MetricFilter};
use cartguard_inventory::sns;
use serde_json::{Value, json};

use super::filter_pattern::{Pattern, PatternError};
use super::monitored_events::{MONITORED_EVENTS, MonitoredEvent};
use super::{TRAILS, TrailView};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// For each of the fifteen activities CIS asks to alert on (CIS AWS Foundations
    /// v3.0.0 4.1–4.15, v7.0.0 5.1–5.15: unauthorized API calls, console sign-in
    /// without MFA, root use, IAM policy changes, CloudTrail changes, console
    /// authentication failures, disabled or deleted KMS keys, bucket policy changes,
    /// Config changes, security group, network ACL, gateway, route table and VPC
    /// changes, Organizations changes) the account must have a complete chain:
    ///
    /// 1. a trail that is logging, multi-region and records all management events
    ///    delivers to a log group (`CloudWatchLogsLogGroupArn`);
    /// 2. a metric filter on that group (`logs describe-metric-filters`) whose pattern
    ///    matches the activity. The pattern is parsed and run against CloudTrail
    ///    records built from the CIS definition: one per event name the CIS pattern
    ///    lists, with the fields its conditions test (an `errorCode` ending in
    ///    `UnauthorizedOperation` or starting with `AccessDenied`, `MFAUsed` `No`,
    ///    `userIdentity.type` `Root`, …). It must match every one of them and none of
    ///    their look-alikes (the same sign-in with MFA, the same call when it
    ///    succeeded, a read of the same resource, an unrelated call): a filter that
    ///    matches every event would raise the alarm on every API call and covers nothing;
    /// 3. an alarm (`cloudwatch describe-alarms`) on the filter's metric (name and
    ///    namespace);
    /// 4. an enabled alarm action naming an SNS topic;
    /// 5. a confirmed subscription on that topic (`sns list-subscriptions-by-topic`:
    ///    a `SubscriptionArn`, not `PendingConfirmation`).
    ///
    /// One finding per activity whose chain is broken, naming the furthest link
    /// reached and what is missing after it. Evidence that cannot be read where the
    /// chain would continue (a trail's status, a region's filters or alarms, a
    /// topic's subscriptions, a pattern this parser does not decide) makes that
    /// activity `not-assessed`.
    ///
    /// ## Why it matters
    /// CloudTrail records the attack; only an alarm makes someone look at it while it
    /// happens. Without these alerts a root sign-in, a stopped trail or a security
    /// group opened to the world is found at the next audit, months later (PCI DSS
    /// 10.4.1.1 asks for automated review of audit logs).
    ///
    /// ## Severity
    /// Always medium.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws logs put-metric-filter --log-group-name management-trail-events --filter-name root-usage \
    ///   --filter-pattern '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }' \
    ///   --metric-transformations metricName=RootUsage,metricNamespace=CISBenchmark,metricValue=1
    /// aws cloudwatch put-metric-alarm --alarm-name root-usage --metric-name RootUsage --namespace CISBenchmark \
    ///   --statistic Sum --period 300 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold \
    ///   --evaluation-periods 1 --alarm-actions arn:aws:sns:eu-west-1:111122223333:security-alerts
    /// aws sns subscribe --topic-arn arn:aws:sns:eu-west-1:111122223333:security-alerts \
    ///   --protocol email --notification-endpoint security@example.com   # then confirm the e-mail
    /// ```
    ///
    /// ## Example
    /// A filter `{ $.eventName = "ConsoleLogin" }` does not cover console sign-in
    /// without MFA: it also matches every sign-in with MFA. A filter
    /// `{ ($.eventName = ConsoleLogin) && ($.additionalEventData.MFAUsed != "Yes") }`
    /// with an alarm notifying a topic whose only subscription is
    /// `PendingConfirmation` fails with "no confirmed subscriber"; once the e-mail is
    /// confirmed, it passes.
    pub static RULE = {
        id: "monitoring-alarm-missing",
        title: "No metric filter and alarm for a monitored activity",
        severity: Medium,
        area: Logging,
        evidence: [
            TRAILS,
            &[
                logs::DESCRIBE_METRIC_FILTERS,
                cloudwatch::DESCRIBE_ALARMS,
                sns::LIST_TOPICS,
                sns::LIST_SUBSCRIPTIONS_BY_TOPIC,
            ],
        ],
        check: check,
    };
}

/// How far along the chain an activity's alerting gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    NoLogGroup,
    NoFilter,
    FilterDoesNotMatch,
    NoAlarm,
    NoAction,
    NoSubscriber,
    Covered,
}

/// A log group that receives a qualifying trail's events.
struct Feed<'t, 'a> {
    trail: &'t TrailView<'a>,
    region: String,
    group: String,
    /// The group's metric filters with their parsed patterns, once the
    /// region's filters are read (parsed once, not once per activity), or
    /// why they cannot be.
    filters: Result<Vec<ParsedFilter<'a>>, String>,
}

/// A metric filter with its pattern, parsed.
type ParsedFilter<'a> = (&'a MetricFilter, Result<Pattern, PatternError>);

/// The records an activity's filter must match, and those it must not.
struct Records {
    samples: Vec<Value>,
    look_alikes: Vec<Value>,
}

/// The furthest point one path reached, in words, with its evidence.
struct Reached {
    stage: Stage,
    detail: String,
    evidence: Value,
    remediation: String,
}

/// What is known about one activity.
#[derive(Default)]
struct Verdict {
    best: Option<Reached>,
    unknown: Vec<String>,
}

impl Verdict {
    fn reach(&mut self, reached: Reached) {
        if self.best.as_ref().is_none_or(|b| reached.stage > b.stage) {
            self.best = Some(reached);
        }
    }
}

/// `arn:aws:logs:<region>:<account>:log-group:<name>[:*]` → (region, name).
fn log_group_of(arn: &str) -> Option<(String, String)> {
    let parts: Vec<&str> = arn.splitn(7, ':').collect();
    if parts.len() < 7 || parts[2] != "logs" || parts[5] != "log-group" {
        return None;
    }
    let name = parts[6].strip_suffix(":*").unwrap_or(parts[6]);
    Some((parts[3].to_string(), name.to_string()))
}

/// A CloudTrail record in an auditor's words: its event name and what sets it apart.
fn describe(event: &Value) -> String {
    let mut out = event["eventName"].as_str().unwrap_or("?").to_string();
    let mut details = Vec::new();
    if let Some(code) = event["errorCode"].as_str() {
        details.push(format!("errorCode {code}"));
    }
    if let Some(kind) = event["userIdentity"]["type"]
        .as_str()
        .filter(|kind| *kind != "IAMUser")
    {
        details.push(format!("by {kind}"));
    }
    if let Some(mfa) = event["additionalEventData"]["MFAUsed"].as_str() {
        details.push(format!("MFAUsed {mfa}"));
    }
    if let Some(message) = event["errorMessage"]
        .as_str()
        .filter(|_| event["errorCode"].is_null())
    {
        details.push(format!("errorMessage \"{message}\""));
    }
    if event["readOnly"] == json!(true) {
        details.push("a read".to_string());
    }
    if !details.is_empty() {
        out.push_str(&format!(" ({})", details.join(", ")));
    }
    out
}

/// Whether a filter covers the activity: `Ok(())`, or what it misses or
/// wrongly matches, or `Err(None)` when it has nothing to do with it.
fn judge(
    pattern: &Pattern,
    event: &MonitoredEvent,
    records: &Records,
) -> Result<(), Option<String>> {
    let samples = &records.samples;
    let missed: Vec<String> = samples
        .iter()
        .filter(|s| !pattern.matches(s))
        .map(describe)
        .collect();
    if missed.len() == samples.len() {
        return Err(None);
    }
    let wrongly: Vec<String> = records
        .look_alikes
        .iter()
        .filter(|s| pattern.matches(s))
        .map(describe)
        .collect();
    let mut problems = Vec::new();
    if !missed.is_empty() {
        problems.push(format!("does not match {}", dedup(missed).join(", ")));
    }
    if !wrongly.is_empty() {
        problems.push(format!(
            "also matches events that are not {}: {}",
            event.title,
            dedup(wrongly).join(", ")
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Some(problems.join("; it ")))
    }
}

fn dedup(mut list: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    list.retain(|item| seen.insert(item.clone()));
    list
}

fn filter_evidence(feed: &Feed, filter: &MetricFilter) -> Value {
    json!({
        "trail": feed.trail.arn,
        "logGroupName": feed.group,
        "region": feed.region,
        "filterName": filter.filter_name,
        "filterPattern": filter.filter_pattern,
        "metricTransformations": filter.metric_transformations.iter().map(|m| json!({"metricName": m.metric_name, "metricNamespace": m.metric_namespace})).collect::<Vec<_>>(),
    })
}

fn check(ctx: &Context, out: &mut Emitter) {
    let resource = format!("arn:aws:cloudwatch:*:{}:alarm:*", ctx.account.id);
    if super::no_regions(
        ctx,
        out,
        &resource,
        "cloudtrail describe-trails, logs describe-metric-filters, …",
    ) {
        return;
    }
    let (trails, unreadable) = super::trails(ctx);
    let mut shared_unknown: Vec<String> = unreadable.into_iter().map(|(_, why)| why).collect();
    let mut feeds: Vec<Feed> = Vec::new();
    let mut not_feeding: Vec<String> = Vec::new();
    for trail in &trails {
        let Some(group_arn) = trail.trail.cloud_watch_logs_log_group_arn.as_deref() else {
            not_feeding.push(format!(
                "trail {} delivers to no log group",
                trail.trail.name
            ));
            continue;
        };
        let Some((region, group)) = log_group_of(group_arn) else {
            not_feeding.push(format!(
                "{}: its log group ARN {group_arn} cannot be read",
                trail.trail.name
            ));
            continue;
        };
        match trail.logging().and_then(|l| Ok((l, trail.recording()?))) {
            Err(why) => shared_unknown.push(why),
            Ok((true, recording))
                if trail.multi_region()
                    && recording.management_read
                    && recording.management_write =>
            {
                let filters = group_filters(ctx, &region, &group);
                feeds.push(Feed {
                    trail,
                    region,
                    group,
                    filters,
                });
            }
            Ok(_) => not_feeding.push(format!(
                "{} delivers to {group} but is not a logging multi-region trail recording all management events",
                trail.trail.name
            )),
        }
    }
    for event in MONITORED_EVENTS {
        let mut verdict = Verdict::default();
        verdict.unknown.extend(shared_unknown.iter().cloned());
        verdict.reach(Reached {
            stage: Stage::NoLogGroup,
            detail: format!(
                "No log group receives the events of a logging multi-region trail that records all management events, so nothing can alert on {}{}.",
                event.title,
                if not_feeding.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", not_feeding.join("; "))
                }
            ),
            evidence: json!({
                "source": "cloudtrail describe-trails, get-trail-status, get-event-selectors",
                "trails": trails.iter().map(TrailView::settings).collect::<Vec<_>>(),
            }),
            remediation: "Deliver a multi-region trail to CloudWatch Logs: aws cloudtrail update-trail --name <trail> --cloud-watch-logs-log-group-arn <log group ARN> --cloud-watch-logs-role-arn <role ARN>, then add the metric filter and alarm.".to_string(),
        });
        let records = Records {
            samples: event.samples(),
            look_alikes: event.look_alikes(),
        };
        for feed in &feeds {
            follow(ctx, feed, event, &records, &mut verdict);
        }
        report(out, &resource, event, verdict);
    }
}

/// The metric filters on log group `group` of `region`, each with its parsed
/// pattern, or why the region's filters cannot be read.
fn group_filters<'a>(
    ctx: &Context<'a>,
    region: &str,
    group: &str,
) -> Result<Vec<ParsedFilter<'a>>, String> {
    let evidence = ctx.account.regions.get(region);
    let filters_key = logs::DESCRIBE_METRIC_FILTERS.key(region);
    let Some(filters) = evidence.and_then(|r| r.logs.metric_filters.present()) else {
        return Err(match evidence {
            Some(r) => super::reason(&r.logs.metric_filters, &filters_key),
            None => format!("{filters_key} was not collected"),
        });
    };
    Ok(filters
        .iter()
        .filter(|f| f.log_group_name.as_deref() == Some(group))
        .map(|f| (f, Pattern::parse(f.filter_pattern.as_deref().unwrap_or(""))))
        .collect())
}

/// Follows the chain from one log group for one activity.
fn follow(
    ctx: &Context,
    feed: &Feed,
    event: &MonitoredEvent,
    records: &Records,
    verdict: &mut Verdict,
) {
    let filters = match &feed.filters {
        Ok(filters) => filters,
        Err(why) => {
            verdict.unknown.push(why.clone());
            return;
        }
    };
    verdict.reach(Reached {
        stage: Stage::NoFilter,
        detail: format!(
            "No metric filter on log group {} (which receives trail {}) matches {}.",
            feed.group, feed.trail.trail.name, event.title
        ),
        evidence: json!({
            "source": "logs describe-metric-filters",
            "logGroupName": feed.group,
            "region": feed.region,
            "filters": filters.iter().map(|(f, _)| json!({"filterName": f.filter_name, "filterPattern": f.filter_pattern})).collect::<Vec<_>>(),
        }),
        remediation: format!(
            "aws logs put-metric-filter --log-group-name {} --filter-name {} --filter-pattern '{}' --metric-transformations metricName={},metricNamespace=CISBenchmark,metricValue=1 --region {}",
            feed.group, event.key, event.pattern, event.key, feed.region
        ),
    });
    for (filter, parsed) in filters {
        let filter = *filter;
        let text = filter.filter_pattern.as_deref().unwrap_or("");
        let pattern = match parsed {
            Ok(pattern) => pattern,
            Err(error) => {
                verdict.unknown.push(format!(
                    "the pattern of metric filter {} on {} cannot be decided ({error}): `{text}`",
                    filter.filter_name, feed.group
                ));
                continue;
            }
        };
        match judge(pattern, event, records) {
            Err(None) => continue,
            Err(Some(problem)) => verdict.reach(Reached {
                stage: Stage::FilterDoesNotMatch,
                detail: format!(
                    "No metric filter on log group {} covers {}: the closest, {}, {problem}.",
                    feed.group, event.title, filter.filter_name
                ),
                evidence: filter_evidence(feed, filter),
                remediation: format!(
                    "aws logs put-metric-filter --log-group-name {} --filter-name {} --filter-pattern '{}' --metric-transformations {} --region {}",
                    feed.group,
                    filter.filter_name,
                    event.pattern,
                    filter
                        .metric_transformations
                        .first()
                        .map_or(format!("metricName={},metricNamespace=CISBenchmark,metricValue=1", event.key), |m| format!(
                            "metricName={},metricNamespace={},metricValue=1",
                            m.metric_name, m.metric_namespace
                        )),
                    feed.region
                ),
            }),
            Ok(()) => follow_metrics(ctx, feed, filter, event, verdict),
        }
    }
}

/// From a matching filter to its alarms, their actions and subscribers.
fn follow_metrics(
    ctx: &Context,
    feed: &Feed,
    filter: &MetricFilter,
    event: &MonitoredEvent,
    verdict: &mut Verdict,
) {
    let metrics: Vec<String> = filter
        .metric_transformations
        .iter()
        .map(|m| format!("{}/{}", m.metric_namespace, m.metric_name))
        .collect();
    verdict.reach(Reached {
        stage: Stage::NoAlarm,
        detail: format!(
            "Metric filter {} on log group {} matches {} and publishes {}, but no alarm watches {}.",
            filter.filter_name,
            feed.group,
            event.title,
            if metrics.is_empty() { "no metric".to_string() } else { metrics.join(", ") },
            if metrics.len() == 1 { "it" } else { "them" },
        ),
        evidence: filter_evidence(feed, filter),
        remediation: match filter.metric_transformations.first() {
            Some(m) => format!(
                "aws cloudwatch put-metric-alarm --alarm-name {} --metric-name {} --namespace {} --statistic Sum --period 300 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold --evaluation-periods 1 --alarm-actions arn:aws:sns:{}:{}:<topic with a confirmed subscriber> --region {}",
                event.key, m.metric_name, m.metric_namespace, feed.region, ctx.account.id, feed.region
            ),
            None => format!("Give metric filter {} a metric transformation and alarm on it.", filter.filter_name),
        },
    });
    let region = ctx.account.regions.get(&feed.region);
    let alarms_key = cloudwatch::DESCRIBE_ALARMS.key(&feed.region);
    let Some(alarms) = region.and_then(|r| r.cloudwatch.alarms.present()) else {
        verdict.unknown.push(match region {
            Some(r) => super::reason(&r.cloudwatch.alarms, &alarms_key),
            None => format!("{alarms_key} was not collected"),
        });
        return;
    };
    let watching: Vec<&MetricAlarm> = alarms
        .metric_alarms
        .iter()
        .filter(|a| {
            filter
                .metric_transformations
                .iter()
                .any(|m| a.watches(&m.metric_name, &m.metric_namespace))
        })
        .collect();
    for alarm in watching {
        let alarm_evidence = json!({
            "filter": filter_evidence(feed, filter),
            "alarm": {
                "AlarmName": alarm.alarm_name,
                "MetricName": alarm.metric_name,
                "Namespace": alarm.namespace,
                "ActionsEnabled": alarm.actions_enabled,
                "AlarmActions": alarm.alarm_actions,
            },
        });
        let actions = alarm.effective_actions();
        if actions.is_empty() {
            verdict.reach(Reached {
                stage: Stage::NoAction,
                detail: format!(
                    "Alarm {} watches the metric of filter {} ({}) but has no enabled action: when it fires, nobody is told.",
                    alarm.alarm_name, filter.filter_name, event.title
                ),
                evidence: alarm_evidence,
                remediation: format!(
                    "Add an SNS topic with a confirmed subscriber to alarm {}'s actions (aws cloudwatch put-metric-alarm --alarm-name {} <its current settings> --alarm-actions arn:aws:sns:{}:{}:<topic>), or aws cloudwatch enable-alarm-actions --alarm-names {} when its actions are disabled.",
                    alarm.alarm_name, alarm.alarm_name, feed.region, ctx.account.id, alarm.alarm_name
                ),
            });
            continue;
        }
        let mut pending = Vec::new();
        for action in actions {
            match subscribers(ctx, action) {
                Ok(Some(confirmed)) if confirmed > 0 => {
                    verdict.reach(Reached {
                        stage: Stage::Covered,
                        detail: String::new(),
                        evidence: Value::Null,
                        remediation: String::new(),
                    });
                    return;
                }
                Ok(Some(_)) => pending.push(format!("{action} has no confirmed subscription")),
                Ok(None) => pending.push(format!("{action} is not an SNS topic")),
                Err(why) => verdict.unknown.push(why),
            }
        }
        verdict.reach(Reached {
            stage: Stage::NoSubscriber,
            detail: format!(
                "Alarm {} watches the metric of filter {} ({}) but nobody receives it: {}.",
                alarm.alarm_name,
                filter.filter_name,
                event.title,
                pending.join("; ")
            ),
            evidence: alarm_evidence,
            remediation: format!(
                "aws sns subscribe --topic-arn {} --protocol email --notification-endpoint <security team address> --region {}, then confirm the subscription",
                actions
                    .iter()
                    .find(|a| a.starts_with("arn:aws:sns:"))
                    .cloned()
                    .unwrap_or_else(|| format!("arn:aws:sns:{}:{}:<topic>", feed.region, ctx.account.id)),
                feed.region
            ),
        });
    }
}

/// How many confirmed subscribers the SNS topic `action` has (`Ok(None)`: the
/// action is not an SNS topic), or why that cannot be told.
fn subscribers(ctx: &Context, action: &str) -> Result<Option<usize>, String> {
    let parts: Vec<&str> = action.split(':').collect();
    if parts.len() != 6 || parts[0] != "arn" || parts[2] != "sns" {
        return Ok(None);
    }
    let (region, account, topic) = (parts[3], parts[4], parts[5]);
    if account != ctx.account.id {
        return Err(format!(
            "the alarm notifies {action}, a topic of account {account}, whose subscriptions are not in this account's evidence"
        ));
    }
    let key = sns::LIST_SUBSCRIPTIONS_BY_TOPIC.about(region, topic);
    let evidence = ctx.account.regions.get(region).map(|r| &r.sns);
    match evidence.and_then(|e| e.subscriptions.get(topic)) {
        Some(collected) => match collected.present() {
            Some(subs) => Ok(Some(subs.iter().filter(|s| s.is_confirmed()).count())),
            None => Err(super::reason(collected, &key)),
        },
        None => {
            let listed = evidence.and_then(|e| e.topics.present());
            match listed {
                Some(topics) if !topics.iter().any(|t| t.topic_arn == action) => Ok(Some(0)),
                _ => Err(format!("{key} was not collected")),
            }
        }
    }
}

fn report(out: &mut Emitter, resource: &str, event: &MonitoredEvent, verdict: Verdict) {
    let Some(best) = verdict.best else {
        return;
    };
    if best.stage == Stage::Covered {
        return;
    }
    let cis = format!("CIS v3.0.0 {} / v7.0.0 {}", event.cis_v3, event.cis_v7);
    if !verdict.unknown.is_empty() {
        out.not_assessed_as(Failure {
            detail: format!(
                "Whether an alarm is raised for {} cannot be told ({cis}): {}",
                event.title,
                dedup(verdict.unknown).join("; ")
            ),
            discriminator: Some(event.key.to_string()),
            ..Failure::global(resource)
        });
        return;
    }
    let missing = match best.stage {
        Stage::NoLogGroup => "no log group receives the trail",
        Stage::NoFilter => "no filter",
        Stage::FilterDoesNotMatch => "filter does not match",
        Stage::NoAlarm => "no alarm",
        Stage::NoAction => "no action",
        Stage::NoSubscriber => "no subscriber",
        Stage::Covered => return,
    };
    out.fail(Failure {
        detail: format!("{} ({cis}; missing: {missing})", best.detail),
        evidence: json!({
            "activity": event.title,
            "cis": {"v3.0.0": event.cis_v3, "v7.0.0": event.cis_v7},
            "pci-dss-4.0.1": event.pci,
            "missing": missing,
            "chain": best.evidence,
            "reference_pattern": event.pattern,
        }),
        remediation: best.remediation,
        discriminator: Some(event.key.to_string()),
        ..Failure::global(resource)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn covers(pattern: &str, event: &MonitoredEvent) -> Result<(), Option<String>> {
        let parsed = Pattern::parse(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
        let records = Records {
            samples: event.samples(),
            look_alikes: event.look_alikes(),
        };
        judge(&parsed, event, &records)
    }

    fn event(key: &str) -> &'static MonitoredEvent {
        MONITORED_EVENTS
            .iter()
            .find(|e| e.key == key)
            .unwrap_or_else(|| panic!("{key}"))
    }

    /// The reference pattern's `||` terms in reverse order, and its `&&` terms too.
    fn reordered(pattern: &str) -> String {
        let inner = pattern
            .trim()
            .trim_start_matches('{')
            .trim_end_matches('}')
            .trim();
        // Top-level `&&` parts; within a part, top-level `||` parts.
        fn split_top(text: &str, op: &str) -> Vec<String> {
            let mut parts = Vec::new();
            let mut depth = 0i32;
            let mut start = 0;
            let bytes = text.as_bytes();
            let mut i = 0;
            let mut quoted = false;
            while i < bytes.len() {
                match bytes[i] {
                    b'"' => quoted = !quoted,
                    b'(' if !quoted => depth += 1,
                    b')' if !quoted => depth -= 1,
                    _ => {}
                }
                if !quoted && depth == 0 && text[i..].starts_with(op) {
                    parts.push(text[start..i].trim().to_string());
                    i += op.len();
                    start = i;
                    continue;
                }
                i += 1;
            }
            parts.push(text[start..].trim().to_string());
            parts
        }
        let ors = split_top(inner, "||");
        if ors.len() > 1 && ors.iter().all(|p| !p.contains("&&")) {
            let mut ors = ors;
            ors.reverse();
            return format!("{{ {} }}", ors.join(" || "));
        }
        let mut ands = split_top(inner, "&&");
        ands.reverse();
        let ands: Vec<String> = ands
            .into_iter()
            .map(|part| {
                let unwrapped = part
                    .strip_prefix('(')
                    .and_then(|p| p.strip_suffix(')'))
                    .filter(|p| p.contains("||") && !p.contains("&&"));
                match unwrapped {
                    Some(p) => {
                        let mut ors = split_top(p, "||");
                        ors.reverse();
                        format!("({})", ors.join(" || "))
                    }
                    None => part,
                }
            })
            .collect();
        format!("{{ {} }}", ands.join(" && "))
    }

    #[test]
    fn the_cis_reference_patterns_cover_their_activity_and_no_other_look_alike() {
        for event in MONITORED_EVENTS {
            assert_eq!(covers(event.pattern, event), Ok(()), "{}", event.key);
        }
    }

    #[test]
    fn reordered_respaced_and_widened_patterns_still_cover() {
        for event in MONITORED_EVENTS {
            // The unauthorized-calls pattern mixes `||` and `&&` without
            // parentheses: reordering it changes its meaning, so it is
            // reordered by hand below.
            if event.key != "unauthorized-api-calls" {
                let turned = reordered(event.pattern);
                assert_eq!(covers(&turned, event), Ok(()), "{}: {turned}", event.key);
            }
            let spaced = event
                .pattern
                .replace("||", "  \n\t||   ")
                .replace("&&", " \t && \n ")
                .replace('(', "( ")
                .replace(')', " )")
                .replace('=', " =  ");
            let spaced = spaced.replace("! =", "!=");
            assert_eq!(covers(&spaced, event), Ok(()), "{}: {spaced}", event.key);
            let widened = format!(
                "{{ ({}) || ($.eventName = \"SomeOtherWriteCall\") || ($.eventSource = \"nothing.amazonaws.com\") }}",
                event
                    .pattern
                    .trim()
                    .trim_start_matches('{')
                    .trim_end_matches('}')
            );
            assert_eq!(covers(&widened, event), Ok(()), "{}: {widened}", event.key);
        }
        let unauthorized = event("unauthorized-api-calls");
        assert_eq!(
            covers(
                r#"{ ($.eventName != "HeadBucket") && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && (($.errorCode = "AccessDenied*") || ($.errorCode = "*UnauthorizedOperation")) }"#,
                unauthorized
            ),
            Ok(())
        );
    }

    #[test]
    fn near_misses_do_not_count() {
        // One event name left out.
        let policy = event("iam-policy-changes");
        let without = policy.pattern.replace(
            "($.eventName = DetachGroupPolicy)",
            "($.eventName = GetPolicy2)",
        );
        let verdict = covers(&without, policy).expect_err("one name missing");
        assert!(verdict.unwrap().contains("DetachGroupPolicy"));
        let trail = event("cloudtrail-changes");
        let verdict = covers(
            "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) }",
            trail,
        )
        .expect_err("StopLogging missing");
        assert!(verdict.unwrap().contains("does not match StopLogging"));
        // ConsoleLogin without the MFA condition.
        let mfa = event("console-sign-in-without-mfa");
        let verdict = covers(r#"{ $.eventName = "ConsoleLogin" }"#, mfa).expect_err("no MFA test");
        assert!(verdict.unwrap().contains("MFAUsed Yes"));
        // errorCode compared with the wrong value.
        let unauthorized = event("unauthorized-api-calls");
        let verdict = covers(
            r#"{ ($.errorCode = "UnauthorizedOperation") || ($.errorCode = "AccessDenied") }"#,
            unauthorized,
        )
        .expect_err("exact codes");
        let text = verdict.unwrap();
        assert!(text.contains("Client.UnauthorizedOperation"), "{text}");
        assert!(text.contains("AccessDeniedException"), "{text}");
        assert!(covers(r#"{ $.errorCode = "Denied" }"#, unauthorized).is_err());
        // An `&&` that can never hold: nothing matches, so the filter is not about it.
        let sg = event("security-group-changes");
        assert_eq!(
            covers(
                "{ ($.eventName = AuthorizeSecurityGroupIngress) && ($.eventName = RevokeSecurityGroupIngress) }",
                sg
            ),
            Err(None)
        );
        let kms = event("cmk-disabled-or-deleted");
        assert_eq!(
            covers(
                "{ ($.eventSource = kms.amazonaws.com) && ($.eventSource = s3.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }",
                kms
            ),
            Err(None)
        );
        // Root use without excluding IAM users: every call matches.
        let root = event("root-usage");
        assert!(covers(r#"{ $.userIdentity.type = "*" }"#, root).is_err());
        // A filter matching everything covers nothing.
        for everything in ["", "{ $.eventVersion = * }", "{ $.eventName = \"*\" }"] {
            let verdict = covers(everything, root).expect_err(everything);
            assert!(verdict.unwrap().contains("also matches"), "{everything}");
        }
        // A failed sign-in filter that also takes successful ones.
        let failures = event("console-authentication-failures");
        assert!(covers("{ $.eventName = ConsoleLogin }", failures).is_err());
    }

    #[test]
    fn every_activity_has_samples_with_each_listed_name() {
        for event in MONITORED_EVENTS {
            let samples = event.samples();
            for name in event.event_names() {
                assert!(
                    samples.iter().any(|s| s["eventName"] == *name),
                    "{}: {name}",
                    event.key
                );
            }
            assert!(!event.look_alikes().is_empty());
        }
    }

    #[test]
    fn log_group_arns() {
        assert_eq!(
            log_group_of("arn:aws:logs:eu-west-1:111122223333:log-group:cloudtrail/main:*"),
            Some(("eu-west-1".into(), "cloudtrail/main".into()))
        );
        assert_eq!(
            log_group_of("arn:aws:logs:eu-west-1:111122223333:log-group:a:b"),
            Some(("eu-west-1".into(), "a:b".into()))
        );
        assert_eq!(log_group_of("arn:aws:s3:::bucket"), None);
    }
}
