use cartguard_inventory::backup::{self, BackupSelection, SelectionConditions};
use cartguard_inventory::{Collected, Tag, dynamodb, ec2, rds};
use serde_json::{Value, json};

use super::support::{any_region, arn, databases, regional};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every RDS DB instance (outside a cluster) and DB cluster, DynamoDB table
    /// and EBS volume of a region must be assigned to an AWS Backup plan of that
    /// region. Each plan's selections (`list-backup-selections`,
    /// `get-backup-selection`) are resolved the way AWS Backup resolves them: a
    /// resource is chosen when its ARN matches `Resources` (with `*`
    /// wildcards) or its tags match one entry of `ListOfTags`, all `Conditions`
    /// on tags hold (`StringEquals`, `StringNotEquals`, `StringLike`,
    /// `StringNotLike`), and it matches no `NotResources`; a selection with
    /// neither `Resources` nor `ListOfTags` chooses every resource its
    /// conditions allow. An EBS volume also counts as covered when the instance
    /// it is attached to is chosen. The finding names each resource no plan
    /// covers. Where a choice depends on tags the evidence does not give
    /// (DynamoDB tables' tags are not collected), the resource is reported not
    /// assessed. `list-protected-resources` is shown beside a finding: recovery
    /// points of a resource no plan covers come from on-demand backups or from
    /// a plan that no longer chooses it.
    ///
    /// ## Why it matters
    /// RDS automated backups and DynamoDB point-in-time recovery live and die
    /// with the resource and the account: deleting the database or the table,
    /// or an attacker with the account's keys, takes them too. A backup plan
    /// keeps copies in a vault on a schedule, for as long as the plan says, and
    /// can copy them to another account or region. PCI DSS 12.10.1 expects an
    /// incident response plan that can bring the store's data back.
    ///
    /// ## Severity
    /// Always medium.
    ///
    /// ## How to fix
    /// Create a plan (or reuse one) and assign the resources to it:
    ///
    /// ```sh
    /// aws backup create-backup-plan --backup-plan '{"BackupPlanName": "store-daily",
    ///   "Rules": [{"RuleName": "daily-35-days", "TargetBackupVaultName": "Default",
    ///   "ScheduleExpression": "cron(0 3 * * ? *)", "Lifecycle": {"DeleteAfterDays": 35}}]}'
    /// aws backup create-backup-selection --backup-plan-id <plan id> --backup-selection '{
    ///   "SelectionName": "store-data",
    ///   "IamRoleArn": "arn:aws:iam::111122223333:role/service-role/AWSBackupDefaultServiceRole",
    ///   "Resources": ["arn:aws:rds:eu-west-1:111122223333:db:shop-db",
    ///                 "arn:aws:dynamodb:eu-west-1:111122223333:table/orders"]}'
    /// ```
    ///
    /// ## Example
    /// A region whose only plan selects `Conditions` `StringEquals`
    /// `aws:ResourceTag/backup` = `daily` fails for a database without that tag
    /// and passes for one tagged `backup=daily`; a region with a database and
    /// no plan at all fails for the database.
    pub static RULE = {
        id: "backup-no-plan",
        title: "A database, table or volume is in no AWS Backup plan",
        severity: Medium,
        area: Data,
        evidence: [
            &[rds::DESCRIBE_DB_INSTANCES, rds::DESCRIBE_DB_CLUSTERS, dynamodb::LIST_TABLES, ec2::DESCRIBE_VOLUMES, ec2::DESCRIBE_INSTANCES],
            &[backup::LIST_BACKUP_PLANS, backup::LIST_BACKUP_SELECTIONS, backup::GET_BACKUP_SELECTION, backup::LIST_PROTECTED_RESOURCES],
        ],
        check: check,
    };
}

/// Yes, no, or the evidence cannot say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tri {
    Yes,
    No,
    Unknown,
}

impl Tri {
    fn from(b: bool) -> Tri {
        if b { Tri::Yes } else { Tri::No }
    }
    fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::Yes, _) | (_, Tri::Yes) => Tri::Yes,
            (Tri::Unknown, _) | (_, Tri::Unknown) => Tri::Unknown,
            _ => Tri::No,
        }
    }
    fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::No, _) | (_, Tri::No) => Tri::No,
            (Tri::Unknown, _) | (_, Tri::Unknown) => Tri::Unknown,
            _ => Tri::Yes,
        }
    }
}

/// A resource a selection may choose: its ARN and tags (`None`: not collected).
struct Target<'a> {
    arn: String,
    tags: Option<&'a [Tag]>,
}

/// A resource that should be in a plan.
struct Protectable<'a> {
    kind: &'static str,
    id: String,
    target: Target<'a>,
    /// For a volume: the instances it is attached to.
    instances: Vec<Target<'a>>,
}

/// A selection of a plan, resolved.
struct Selection<'a> {
    plan: &'a str,
    name: &'a str,
    rules: &'a BackupSelection,
}

fn check(ctx: &Context, out: &mut Emitter) {
    if !any_region(ctx, out, "backup", "backup plans") {
        return;
    }
    for (name, region) in &ctx.account.regions {
        let protectables = protectables(ctx, out, name, region);
        if protectables.is_empty() {
            continue;
        }
        let Some(plans) = regional(
            ctx,
            out,
            name,
            &region.backup.plans,
            backup::LIST_BACKUP_PLANS,
            "*",
        ) else {
            continue;
        };
        let mut gaps: Vec<String> = Vec::new();
        let mut selections: Vec<Selection> = Vec::new();
        let live_plans: Vec<_> = plans.iter().filter(|p| p.deletion_date.is_none()).collect();
        for plan in &live_plans {
            let plan_name = plan
                .backup_plan_name
                .as_deref()
                .unwrap_or(&plan.backup_plan_id);
            let key = backup::LIST_BACKUP_SELECTIONS.about(name, &plan.backup_plan_id);
            let listed = match region.backup.selections.get(&plan.backup_plan_id) {
                Some(Collected::Present(listed)) => listed,
                Some(other) => {
                    gaps.extend(other.unavailable_reason(&key).or_else(|| {
                        Some(format!("{key}: AWS answered that it is not configured"))
                    }));
                    continue;
                }
                None => {
                    gaps.push(format!("{key} was not collected"));
                    continue;
                }
            };
            for summary in listed {
                let key = backup::GET_BACKUP_SELECTION.about(name, &summary.selection_id);
                match region.backup.selection_details.get(&summary.selection_id) {
                    Some(Collected::Present(rules)) => selections.push(Selection {
                        plan: plan_name,
                        name: rules
                            .selection_name
                            .as_deref()
                            .or(summary.selection_name.as_deref())
                            .unwrap_or(&summary.selection_id),
                        rules,
                    }),
                    Some(other) => gaps.extend(other.unavailable_reason(&key).or_else(|| {
                        Some(format!("{key}: AWS answered that it is not configured"))
                    })),
                    None => gaps.push(format!("{key} was not collected")),
                }
            }
        }
        let described: Vec<Value> = selections.iter().map(describe).collect();
        let protected = region.backup.protected_resources.present();
        for item in &protectables {
            let mut verdict = Tri::No;
            for selection in &selections {
                let mut chosen = selects(selection.rules, &item.target);
                for instance in &item.instances {
                    chosen = chosen.or(selects(selection.rules, instance));
                }
                verdict = verdict.or(chosen);
            }
            if verdict == Tri::Yes {
                continue;
            }
            if verdict == Tri::Unknown || !gaps.is_empty() {
                let mut reasons = gaps.clone();
                if verdict == Tri::Unknown {
                    reasons.push(format!(
                        "a selection chooses resources by tags and the tags of the {} {} are not in the evidence",
                        item.kind, item.id
                    ));
                }
                out.not_assessed(&item.target.arn, name, reasons.join("; "));
                continue;
            }
            let recovery_points = protected
                .and_then(|list| list.iter().find(|p| p.resource_arn == item.target.arn))
                .map(|p| json!({"ResourceArn": p.resource_arn, "LastBackupTime": p.last_backup_time}));
            let why = if live_plans.is_empty() {
                format!("{name} has no AWS Backup plan")
            } else if selections.is_empty() {
                format!("the plans of {name} have no resource selection")
            } else {
                let names: Vec<String> = selections
                    .iter()
                    .map(|s| format!("{}/{}", s.plan, s.name))
                    .collect();
                format!(
                    "no selection of the plans in {name} ({}) chooses it",
                    names.join(", ")
                )
            };
            let plan_hint = live_plans
                .first()
                .map(|p| p.backup_plan_id.clone())
                .unwrap_or_else(|| "<id from create-backup-plan>".into());
            let create = if live_plans.is_empty() {
                format!(
                    "aws backup create-backup-plan --backup-plan '{{\"BackupPlanName\": \"store-daily\", \"Rules\": [{{\"RuleName\": \"daily-35-days\", \"TargetBackupVaultName\": \"Default\", \"ScheduleExpression\": \"cron(0 3 * * ? *)\", \"Lifecycle\": {{\"DeleteAfterDays\": 35}}}}]}}' --region {name}; "
                )
            } else {
                String::new()
            };
            out.fail(Failure {
                detail: format!(
                    "The {} {} is in no AWS Backup plan: {why}.{}",
                    item.kind,
                    item.id,
                    if recovery_points.is_some() {
                        " It has recovery points, but no plan will take the next one."
                    } else {
                        ""
                    }
                ),
                evidence: json!({
                    "source": "list-backup-plans, list-backup-selections, get-backup-selection",
                    "resource": item.target.arn,
                    "tags": item.target.tags.map(|tags| tags.iter().map(|t| (t.key.clone(), Value::from(t.value.clone()))).collect::<serde_json::Map<String, Value>>()),
                    "attached_to": item.instances.iter().map(|i| i.arn.clone()).collect::<Vec<_>>(),
                    "plans": live_plans.iter().map(|p| json!({"BackupPlanId": p.backup_plan_id, "BackupPlanName": p.backup_plan_name})).collect::<Vec<_>>(),
                    "selections": described,
                    "recovery_points": recovery_points,
                }),
                remediation: format!(
                    "{create}aws backup create-backup-selection --backup-plan-id {plan_hint} --backup-selection '{{\"SelectionName\": \"store-data\", \"IamRoleArn\": \"arn:aws:iam::{}:role/service-role/AWSBackupDefaultServiceRole\", \"Resources\": [\"{}\"]}}' --region {name}",
                    ctx.account.id, item.target.arn
                ),
                region: name.clone(),
                ..Failure::global(item.target.arn.clone())
            });
        }
    }
}

/// The region's databases, tables and volumes; what cannot be read is
/// reported not assessed.
fn protectables<'a>(
    ctx: &Context,
    out: &mut Emitter,
    name: &str,
    region: &'a cartguard_inventory::Region,
) -> Vec<Protectable<'a>> {
    let mut found = Vec::new();
    for db in databases(ctx, out, name, &region.rds) {
        found.push(Protectable {
            kind: if db.cluster {
                "RDS DB cluster"
            } else {
                "RDS DB instance"
            },
            id: db.id.to_string(),
            target: Target {
                arn: db.arn.clone(),
                tags: Some(db.tags),
            },
            instances: Vec::new(),
        });
    }
    if let Some(tables) = regional(
        ctx,
        out,
        name,
        &region.dynamodb.tables,
        dynamodb::LIST_TABLES,
        "table/*",
    ) {
        for table in tables {
            let table_arn = region
                .dynamodb
                .table_descriptions
                .get(table)
                .and_then(|d| d.present())
                .and_then(|d| d.table_arn.clone())
                .unwrap_or_else(|| arn(ctx, "dynamodb", name, &format!("table/{table}")));
            found.push(Protectable {
                kind: "DynamoDB table",
                id: table.clone(),
                target: Target {
                    arn: table_arn,
                    tags: None,
                },
                instances: Vec::new(),
            });
        }
    }
    if let Some(volumes) = regional(
        ctx,
        out,
        name,
        &region.ec2.volumes,
        ec2::DESCRIBE_VOLUMES,
        "volume/*",
    ) {
        let instances = region.ec2.instances.present();
        for volume in volumes {
            let attached = volume
                .attached()
                .filter_map(|a| a.instance_id.as_deref())
                .map(|id| Target {
                    arn: arn(ctx, "ec2", name, &format!("instance/{id}")),
                    tags: instances
                        .and_then(|list| list.iter().find(|i| i.instance_id == id))
                        .map(|i| i.tags.as_slice()),
                })
                .collect();
            found.push(Protectable {
                kind: "EBS volume",
                id: volume.volume_id.clone(),
                target: Target {
                    arn: arn(ctx, "ec2", name, &format!("volume/{}", volume.volume_id)),
                    tags: Some(&volume.tags),
                },
                instances: attached,
            });
        }
    }
    found
}

/// Whether a selection chooses `target`.
fn selects(rules: &BackupSelection, target: &Target) -> Tri {
    if rules.not_resources.iter().any(|p| wildcard(p, &target.arn)) {
        return Tri::No;
    }
    let included = if rules.resources.is_empty() && rules.list_of_tags.is_empty() {
        Tri::Yes
    } else {
        let by_arn = Tri::from(rules.resources.iter().any(|p| wildcard(p, &target.arn)));
        rules.list_of_tags.iter().fold(by_arn, |acc, condition| {
            acc.or(tag_test(target.tags, &condition.condition_key, |v| {
                v == Some(condition.condition_value.as_str())
            }))
        })
    };
    included.and(conditions_hold(rules.conditions.as_ref(), target.tags))
}

/// Whether every condition of `Conditions` holds.
fn conditions_hold(conditions: Option<&SelectionConditions>, tags: Option<&[Tag]>) -> Tri {
    let Some(c) = conditions else {
        return Tri::Yes;
    };
    let mut all = Tri::Yes;
    for p in &c.string_equals {
        all = all.and(tag_test(tags, &p.condition_key, |v| {
            v == Some(p.condition_value.as_str())
        }));
    }
    for p in &c.string_not_equals {
        all = all.and(tag_test(tags, &p.condition_key, |v| {
            v != Some(p.condition_value.as_str())
        }));
    }
    for p in &c.string_like {
        all = all.and(tag_test(tags, &p.condition_key, |v| {
            v.is_some_and(|v| wildcard(&p.condition_value, v))
        }));
    }
    for p in &c.string_not_like {
        all = all.and(tag_test(tags, &p.condition_key, |v| {
            !v.is_some_and(|v| wildcard(&p.condition_value, v))
        }));
    }
    all
}

/// A test on the value of the tag `key` (`aws:ResourceTag/<key>` or `<key>`).
fn tag_test(tags: Option<&[Tag]>, key: &str, test: impl Fn(Option<&str>) -> bool) -> Tri {
    let Some(tags) = tags else {
        return Tri::Unknown;
    };
    let key = key.strip_prefix("aws:ResourceTag/").unwrap_or(key);
    let value = tags.iter().find(|t| t.key == key).map(|t| t.value.as_str());
    Tri::from(test(value))
}

/// `*` (any run of characters) and `?` (one character) matching, case-sensitive.
fn wildcard(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// A selection as the evidence shows it.
fn describe(selection: &Selection) -> Value {
    let rules = selection.rules;
    json!({
        "plan": selection.plan,
        "SelectionName": selection.name,
        "Resources": rules.resources,
        "NotResources": rules.not_resources,
        "ListOfTags": rules.list_of_tags,
        "Conditions": rules.conditions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartguard_inventory::backup::{ConditionParameter, TagCondition};

    fn tag(key: &str, value: &str) -> Tag {
        Tag {
            key: key.into(),
            value: value.into(),
        }
    }

    fn selection(resources: &[&str]) -> BackupSelection {
        BackupSelection {
            selection_name: Some("s".into()),
            resources: resources.iter().map(|r| r.to_string()).collect(),
            not_resources: Vec::new(),
            list_of_tags: Vec::new(),
            conditions: None,
        }
    }

    #[test]
    fn wildcards() {
        assert!(wildcard("*", "arn:aws:rds:eu-west-1:1:db:x"));
        assert!(wildcard(
            "arn:aws:ec2:*:*:volume/*",
            "arn:aws:ec2:eu-west-1:1:volume/vol-1"
        ));
        assert!(!wildcard(
            "arn:aws:ec2:*:*:volume/*",
            "arn:aws:ec2:eu-west-1:1:instance/i-1"
        ));
        assert!(wildcard("shop-??", "shop-db"));
        assert!(!wildcard("shop-?", "shop-db"));
    }

    #[test]
    fn resources_or_tags_and_conditions() {
        let tags = [tag("backup", "daily"), tag("env", "prod")];
        let db = Target {
            arn: "arn:aws:rds:eu-west-1:1:db:shop".into(),
            tags: Some(&tags),
        };
        let untagged = Target {
            arn: "arn:aws:rds:eu-west-1:1:db:report".into(),
            tags: Some(&[]),
        };
        let unknown = Target {
            arn: "arn:aws:dynamodb:eu-west-1:1:table/t".into(),
            tags: None,
        };

        assert_eq!(
            selects(&selection(&["arn:aws:rds:*:*:db:*"]), &untagged),
            Tri::Yes
        );
        let mut by_tag = selection(&[]);
        by_tag.list_of_tags.push(TagCondition {
            condition_type: Some("STRINGEQUALS".into()),
            condition_key: "backup".into(),
            condition_value: "daily".into(),
        });
        assert_eq!(selects(&by_tag, &db), Tri::Yes);
        assert_eq!(selects(&by_tag, &untagged), Tri::No);
        assert_eq!(selects(&by_tag, &unknown), Tri::Unknown);
        // Resources and ListOfTags are alternatives.
        let mut either = by_tag.clone();
        either.resources.push("arn:aws:dynamodb:*:*:table/*".into());
        assert_eq!(selects(&either, &unknown), Tri::Yes);

        let mut all_with_condition = selection(&["*"]);
        all_with_condition.conditions = Some(SelectionConditions {
            string_equals: vec![ConditionParameter {
                condition_key: "aws:ResourceTag/env".into(),
                condition_value: "prod".into(),
            }],
            ..SelectionConditions::default()
        });
        assert_eq!(selects(&all_with_condition, &db), Tri::Yes);
        assert_eq!(selects(&all_with_condition, &untagged), Tri::No);

        let mut excluded = selection(&["*"]);
        excluded
            .not_resources
            .push("arn:aws:rds:*:*:db:shop".into());
        assert_eq!(selects(&excluded, &db), Tri::No);
        // Neither Resources nor ListOfTags: everything the conditions allow.
        assert_eq!(selects(&selection(&[]), &unknown), Tri::Yes);
    }
}
