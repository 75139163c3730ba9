//! Blast radius: which data stores a principal can read, write or delete.
//!
//! Stores the inventory describes (S3 buckets, RDS instances) are judged one by
//! one; for store kinds it does not describe, the question is asked of every
//! resource of the kind in the account (`arn:aws:dynamodb:*:<account>:table/*`),
//! so the answer still says whether a leaked credential reaches all customer
//! data, some, or none. What the stores' own policies in the evidence (bucket
//! and secret policies) grant the principal counts too: within the account, a
//! resource policy that names it grants without an identity-based Allow.

use std::fmt;

use cartguard_inventory::Account;
use serde::Serialize;

use crate::Tri;
use crate::effective::EffectivePermissions;
use crate::escalation::{AdminPaths, Analysis};
use crate::evaluate::{Decision, PolicySet, Request, evaluate};
use crate::policy::{Policy, StatementRef};
use crate::principals::ResolveError;
use crate::query::{self, QueryError};
use crate::resource_policy::{
    self, CollectedPolicy, CollectedState, collected_bucket_policy, collected_resource_policy,
};

/// What a principal may do to a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    /// Read the data.
    Read,
    /// Change the data.
    Write,
    /// Destroy the data or the store.
    Delete,
}

/// How far a permission reaches within a kind of store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Every store of the kind.
    All,
    /// Some of them (named resources or patterns).
    Some,
    /// Only when conditions of the granting statements hold.
    Conditional,
}

impl fmt::Display for Access {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Access::Read => "read",
            Access::Write => "write",
            Access::Delete => "delete",
        })
    }
}

/// Serialised as it is displayed.
impl Serialize for Access {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl fmt::Display for Reach {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Reach::All => "all",
            Reach::Some => "some",
            Reach::Conditional => "conditional",
        })
    }
}

/// Serialised as it is displayed.
impl Serialize for Reach {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// One line of a blast radius: an access to a store (or kind of store).
#[derive(Debug, Clone, Serialize)]
pub struct StoreAccess {
    /// `s3`, `dynamodb`, `secretsmanager`, `kms`, `rds`.
    pub store: &'static str,
    /// The store's ARN, or the ARN pattern of every store of the kind.
    pub resource: String,
    /// Read, write or delete.
    pub access: Access,
    /// How far it reaches.
    pub reach: Reach,
    /// The actions that give it.
    pub actions: Vec<String>,
    /// The statements that grant them.
    pub granted_by: Vec<StatementRef>,
}

/// The actions that give each access to a store.
type AccessActions = &'static [(Access, &'static [&'static str])];

/// Per kind of store: its name, the ARN pattern of all of them, and the actions
/// that read, write and delete its data.
const KINDS: &[(&str, &str, AccessActions)] = &[
    (
        "s3",
        "arn:aws:s3:::*/*",
        &[
            (Access::Read, &["s3:GetObject", "s3:GetObjectVersion"]),
            (Access::Write, &["s3:PutObject"]),
            (
                Access::Delete,
                &[
                    "s3:DeleteObject",
                    "s3:DeleteObjectVersion",
                    "s3:DeleteBucket",
                ],
            ),
        ],
    ),
    (
        "dynamodb",
        "arn:aws:dynamodb:*:{account}:table/*",
        &[
            (
                Access::Read,
                &[
                    "dynamodb:GetItem",
                    "dynamodb:Query",
                    "dynamodb:Scan",
                    "dynamodb:BatchGetItem",
                    "dynamodb:ExportTableToPointInTime",
                ],
            ),
            (
                Access::Write,
                &[
                    "dynamodb:PutItem",
                    "dynamodb:UpdateItem",
                    "dynamodb:BatchWriteItem",
                ],
            ),
            (
                Access::Delete,
                &["dynamodb:DeleteItem", "dynamodb:DeleteTable"],
            ),
        ],
    ),
    (
        "secretsmanager",
        "arn:aws:secretsmanager:*:{account}:secret:*",
        &[
            (Access::Read, &["secretsmanager:GetSecretValue"]),
            (
                Access::Write,
                &[
                    "secretsmanager:PutSecretValue",
                    "secretsmanager:UpdateSecret",
                ],
            ),
            (Access::Delete, &["secretsmanager:DeleteSecret"]),
        ],
    ),
    (
        "ssm-parameters",
        "arn:aws:ssm:*:{account}:parameter/*",
        &[
            (
                Access::Read,
                &[
                    "ssm:GetParameter",
                    "ssm:GetParameters",
                    "ssm:GetParametersByPath",
                ],
            ),
            (Access::Write, &["ssm:PutParameter"]),
            (
                Access::Delete,
                &["ssm:DeleteParameter", "ssm:DeleteParameters"],
            ),
        ],
    ),
    (
        "kms",
        "arn:aws:kms:*:{account}:key/*",
        &[
            (Access::Read, &["kms:Decrypt"]),
            (Access::Write, &["kms:Encrypt", "kms:ReEncryptTo"]),
            (
                Access::Delete,
                &["kms:ScheduleKeyDeletion", "kms:DisableKey"],
            ),
        ],
    ),
];

/// Actions on one RDS instance: snapshots and IAM authentication read it; changing
/// the master password takes it over; deletion destroys it.
const RDS: AccessActions = &[
    (
        Access::Read,
        &[
            "rds:CreateDBSnapshot",
            "rds-db:connect",
            "rds:StartExportTask",
        ],
    ),
    (
        Access::Write,
        &[
            "rds:ModifyDBInstance",
            "rds:RestoreDBInstanceFromDBSnapshot",
        ],
    ),
    (Access::Delete, &["rds:DeleteDBInstance"]),
];

/// A way to become administrator, as a blast radius lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EscalationPath {
    /// The escalation method's id.
    pub method: &'static str,
    /// How the method works, in one sentence.
    pub description: &'static str,
    /// The users, roles or groups it goes through, where known.
    pub targets: Vec<String>,
    /// Whether a permission it uses is only granted under conditions.
    pub conditional: bool,
    /// Its steps in order, as `action on resource`.
    pub steps: Vec<String>,
    /// The evidence that would show its targets, when it was not collected:
    /// the path is then potential.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_evidence: Vec<String>,
}

/// What a principal, or whoever holds one of its access keys, can reach.
#[derive(Debug, Clone, Serialize)]
pub struct BlastRadius {
    /// The principal's ARN.
    pub principal: String,
    /// Whether it is an administrator (and so reaches every store).
    pub administrator: bool,
    /// The stores, or kinds of store, it can read, write or delete.
    pub data_stores: Vec<StoreAccess>,
    /// Its ways to become administrator.
    pub escalations: Vec<EscalationPath>,
    /// What the answer could not take into account.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// The blast radius of the principal `who` names in `account`: a user or role
/// by ARN or name, or an access key id, which names the user that owns it.
pub fn of(account: &Account, who: &str) -> Result<BlastRadius, QueryError> {
    let principals = query::principals_of(account)?;
    let principal = query::principal_named(account, &principals, who)?;
    let index = principals
        .principals
        .iter()
        .position(|p| p.arn == principal.arn)
        .ok_or_else(|| ResolveError::NotFound(principal.arn.clone()))?;
    let analysis = Analysis::for_account(&principals, account);
    let mut warnings = Vec::new();
    let data_stores = data_stores(
        &analysis.effective[index],
        &principal.policies,
        account,
        &mut warnings,
    );
    let escalations = AdminPaths::new(&analysis, &principals, account)
        .of(index)
        .into_iter()
        .map(|e| EscalationPath {
            method: e.method.id,
            description: e.method.description,
            steps: e.steps(),
            targets: e.targets,
            conditional: e.conditional,
            missing_evidence: e.missing,
        })
        .collect();
    Ok(BlastRadius {
        principal: principal.arn.clone(),
        administrator: analysis.admin[index].is_admin(),
        data_stores,
        escalations,
        warnings,
    })
}

/// The data stores a principal reaches in `account`: `effective` are its
/// effective permissions, `policies` its policy set (KMS keys are decided with
/// their key policies, which must allow the principal). What could not be
/// taken into account is added to `warnings`.
fn data_stores(
    effective: &EffectivePermissions,
    policies: &PolicySet,
    account: &Account,
    warnings: &mut Vec<String>,
) -> Vec<StoreAccess> {
    let mut out = Vec::new();
    let buckets = account.s3.buckets.present();
    let partition = effective.principal.arn.split(':').nth(1).unwrap_or("aws");
    for (store, pattern, accesses) in KINDS {
        if *store == "s3"
            && let Some(buckets) = buckets
        {
            for bucket in buckets {
                let arn = bucket.arn(partition);
                let mut lines = bucket_access(effective, &arn, accesses);
                if let Some(policy) =
                    usable(collected_bucket_policy(account, &bucket.name), warnings)
                {
                    for (access, actions) in *accesses {
                        if reaches_all(&lines, *access) {
                            continue;
                        }
                        let probes = bucket_probes(&arn, &policy, actions);
                        let line = policy_line(
                            effective,
                            policies,
                            &policy,
                            &account.id,
                            "s3",
                            &arn,
                            *access,
                            &probes,
                        );
                        add_line(&mut lines, line);
                    }
                }
                out.extend(lines);
            }
            continue;
        }
        // Secrets and tables listed per region are judged one by one; the
        // pattern for all of them stands in where no region listed them.
        let listed: Option<Vec<String>> = match *store {
            "secretsmanager" => listed(account, |_, r| {
                r.secretsmanager
                    .secrets
                    .present()
                    .map(|s| s.iter().map(|s| s.arn.clone()).collect())
            }),
            "dynamodb" => listed(account, |name, r| {
                r.dynamodb.tables.present().map(|tables| {
                    tables
                        .iter()
                        .map(|t| {
                            format!("arn:{partition}:dynamodb:{name}:{}:table/{t}", account.id)
                        })
                        .collect()
                })
            }),
            "kms"
                if account
                    .regions
                    .values()
                    .any(|r| r.kms.keys.present().is_some()) =>
            {
                for (name, region) in &account.regions {
                    for key in region.kms.keys.present().into_iter().flatten() {
                        let arn = key.key_arn.clone().unwrap_or_else(|| {
                            format!(
                                "arn:{partition}:kms:{name}:{}:key/{}",
                                account.id, key.key_id
                            )
                        });
                        let key_policy = match region
                            .kms
                            .key_policies
                            .get(&key.key_id)
                            .and_then(|p| p.present())
                            .map(|doc| resource_policy::key_policy(&arn, doc))
                        {
                            Some(Ok(policy)) => Some(policy),
                            Some(Err(failure)) => {
                                warnings.push(format!(
                                    "the key policy of {arn} could not be parsed ({}); access to the key was judged without it, as if it allowed the principal",
                                    failure.error
                                ));
                                None
                            }
                            None => None,
                        };
                        for (access, actions) in *accesses {
                            let line = match &key_policy {
                                Some(kp) => {
                                    judge_key(effective, policies, kp, &arn, *access, actions)
                                }
                                None => judge(effective, store, &arn, *access, actions, Scope::Arn),
                            };
                            out.extend(line);
                        }
                    }
                }
                continue;
            }
            _ => None,
        };
        if let Some(arns) = listed {
            for arn in arns {
                let mut lines = Vec::new();
                for (access, actions) in *accesses {
                    if let Some(line) = judge(effective, store, &arn, *access, actions, Scope::Arn)
                    {
                        lines.push(line);
                    }
                }
                // A secret's own policy may grant what identity policies do not.
                if let Some(policy) = usable(collected_resource_policy(account, &arn), warnings) {
                    for (access, actions) in *accesses {
                        if reaches_all(&lines, *access) {
                            continue;
                        }
                        let probes: Vec<(&str, String, bool)> =
                            actions.iter().map(|a| (*a, arn.clone(), true)).collect();
                        let line = policy_line(
                            effective,
                            policies,
                            &policy,
                            &account.id,
                            store,
                            &arn,
                            *access,
                            &probes,
                        );
                        add_line(&mut lines, line);
                    }
                }
                out.extend(lines);
            }
            continue;
        }
        let everything = pattern.replace("{account}", &account.id);
        for (access, actions) in *accesses {
            if let Some(line) = judge(
                effective,
                store,
                &everything,
                *access,
                actions,
                Scope::Pattern,
            ) {
                out.push(line);
            }
        }
    }
    for region in account.regions.values() {
        for db in region.rds.db_instances.present().into_iter().flatten() {
            let Some(arn) = db.db_instance_arn.as_deref() else {
                continue;
            };
            for (access, actions) in RDS {
                if let Some(line) = judge(effective, "rds", arn, *access, actions, Scope::Arn) {
                    out.push(line);
                }
            }
        }
    }
    out
}

/// The policy of a collected resource policy that can be weighed; what keeps
/// another from being weighed is added to `warnings`.
fn usable(collected: Option<CollectedPolicy>, warnings: &mut Vec<String>) -> Option<Policy> {
    let collected = collected?;
    let label = collected.label;
    match collected.state {
        CollectedState::Found(policy) => Some(policy),
        CollectedState::NoPolicy => None,
        CollectedState::Unavailable(why) => {
            warnings.push(format!(
                "the {label} is not in the evidence ({why}); what it grants was not counted"
            ));
            None
        }
        CollectedState::Unreadable(error) => {
            warnings.push(format!(
                "the {label} could not be parsed ({error}); what it grants was not counted"
            ));
            None
        }
    }
}

/// The requests that try a bucket policy for `actions`: bucket actions on the
/// bucket, object actions on every object (`bucket/*`, which stands for all
/// of them) and on an object under each prefix the policy names (some).
fn bucket_probes<'a>(
    bucket: &str,
    policy: &Policy,
    actions: &[&'a str],
) -> Vec<(&'a str, String, bool)> {
    let objects = format!("{bucket}/");
    let mut prefixes: Vec<String> = Vec::new();
    for statement in &policy.statements {
        if statement.effect != crate::policy::Effect::Allow || statement.resources.negated {
            continue;
        }
        for pattern in statement.resources.patterns.iter() {
            let text = pattern.as_str();
            if text.starts_with(&objects) && !pattern.has_variables() {
                // A concrete object the pattern matches: wildcards stand for a letter.
                let concrete = text.replace(['*', '?'], "x");
                if !prefixes.contains(&concrete) {
                    prefixes.push(concrete);
                }
            }
        }
    }
    let mut out = Vec::new();
    for action in actions {
        if action.ends_with("Bucket") {
            out.push((*action, bucket.to_string(), true));
            continue;
        }
        out.push((*action, format!("{bucket}/*"), true));
        out.extend(prefixes.iter().map(|p| (*action, p.clone(), false)));
    }
    out
}

/// What `policy`, the resource's own policy, and the principal's policies
/// together allow of `probes` (action, resource, whether the resource stands
/// for the whole store), as one line for `access` to `resource`. Within the
/// account, a resource policy that names the principal grants on its own
/// (IAM User Guide, Policy evaluation logic); the caller is taken to choose
/// TLS, as anyone holding the credentials can.
#[allow(clippy::too_many_arguments)]
fn policy_line(
    effective: &EffectivePermissions,
    policies: &PolicySet,
    policy: &Policy,
    owner: &str,
    store: &'static str,
    resource: &str,
    access: Access,
    probes: &[(&str, String, bool)],
) -> Option<StoreAccess> {
    let mut set = policies.clone();
    set.resource.push(std::sync::Arc::new(policy.clone()));
    let mut found: Vec<String> = Vec::new();
    let mut granted_by: Vec<StatementRef> = Vec::new();
    let (mut certain, mut all) = (false, false);
    for (action, target, whole) in probes {
        let mut request = Request::new(effective.principal.clone(), action, target);
        request.resource_account = Some(owner.to_string());
        request.context.set("aws:SecureTransport", ["true"]);
        let deciding = match evaluate(&set, &request) {
            Decision::Allow { by } => {
                certain = true;
                all |= *whole;
                by
            }
            Decision::Conditional { pending } => pending.into_iter().map(|p| p.statement).collect(),
            _ => continue,
        };
        // Only what the resource's policy takes part in: the rest is the
        // identity side's, which the other lines count.
        if !deciding.iter().any(|s| *s.policy == *policy.name) {
            continue;
        }
        if !found.iter().any(|a| a == action) {
            found.push((*action).to_string());
        }
        for s in deciding {
            if !granted_by.contains(&s) {
                granted_by.push(s);
            }
        }
    }
    if found.is_empty() {
        return None;
    }
    Some(StoreAccess {
        store,
        resource: resource.to_string(),
        access,
        reach: if !certain {
            Reach::Conditional
        } else if all {
            Reach::All
        } else {
            Reach::Some
        },
        actions: found,
        granted_by,
    })
}

/// Whether `lines` already give `access` to the whole store.
fn reaches_all(lines: &[StoreAccess], access: Access) -> bool {
    lines
        .iter()
        .any(|l| l.access == access && l.reach == Reach::All)
}

/// Adds `line` to `lines`, merged into the line of the same access when there
/// is one: the broader reach, and the actions and statements of both.
fn add_line(lines: &mut Vec<StoreAccess>, line: Option<StoreAccess>) {
    let Some(line) = line else {
        return;
    };
    let Some(same) = lines.iter_mut().find(|l| l.access == line.access) else {
        lines.push(line);
        return;
    };
    let rank = |reach: Reach| match reach {
        Reach::All => 2,
        Reach::Some => 1,
        Reach::Conditional => 0,
    };
    if rank(line.reach) > rank(same.reach) {
        same.reach = line.reach;
    }
    for action in line.actions {
        if !same.actions.contains(&action) {
            same.actions.push(action);
        }
    }
    for statement in line.granted_by {
        if !same.granted_by.contains(&statement) {
            same.granted_by.push(statement);
        }
    }
}

/// One KMS key, decided by evaluating each action with the key policy: KMS
/// requires the key policy to allow the caller (or delegate to its account).
fn judge_key(
    effective: &EffectivePermissions,
    policies: &PolicySet,
    key_policy: &Policy,
    arn: &str,
    access: Access,
    actions: &[&str],
) -> Option<StoreAccess> {
    let mut set = policies.clone();
    set.resource.push(std::sync::Arc::new(key_policy.clone()));
    let mut found = Vec::new();
    let mut granted_by: Vec<StatementRef> = Vec::new();
    let mut certain = false;
    for action in actions {
        let request = Request::new(effective.principal.clone(), action, arn);
        let deciding = match evaluate(&set, &request) {
            Decision::Allow { by } => {
                certain = true;
                by
            }
            Decision::Conditional { pending } => pending.into_iter().map(|p| p.statement).collect(),
            _ => continue,
        };
        found.push((*action).to_string());
        for s in deciding {
            if !granted_by.contains(&s) {
                granted_by.push(s);
            }
        }
    }
    if found.is_empty() {
        return None;
    }
    Some(StoreAccess {
        store: "kms",
        resource: arn.to_string(),
        access,
        reach: if certain {
            Reach::All
        } else {
            Reach::Conditional
        },
        actions: found,
        granted_by,
    })
}

/// The ARNs `list` gives for every region that listed the kind of store, or
/// `None` when no region did.
fn listed(
    account: &Account,
    list: impl Fn(&str, &cartguard_inventory::Region) -> Option<Vec<String>>,
) -> Option<Vec<String>> {
    let mut any = false;
    let mut out = Vec::new();
    for (name, region) in &account.regions {
        if let Some(arns) = list(name, region) {
            any = true;
            out.extend(arns);
        }
    }
    any.then_some(out)
}

/// One bucket: object actions are judged on its objects, bucket actions
/// (`s3:DeleteBucket`) on the bucket itself.
fn bucket_access(
    effective: &EffectivePermissions,
    bucket: &str,
    accesses: AccessActions,
) -> Vec<StoreAccess> {
    let objects = format!("{bucket}/*");
    let mut out = Vec::new();
    for (access, actions) in accesses {
        let (on_bucket, on_objects): (Vec<&str>, Vec<&str>) =
            actions.iter().partition(|a| a.ends_with("Bucket"));
        let lines = [
            judge(
                effective,
                "s3",
                &objects,
                *access,
                &on_objects,
                Scope::Pattern,
            ),
            judge(effective, "s3", bucket, *access, &on_bucket, Scope::Pattern),
        ];
        let mut merged: Option<StoreAccess> = None;
        for line in lines.into_iter().flatten() {
            merged = Some(match merged {
                None => line,
                Some(mut m) => {
                    m.reach = match (m.reach, line.reach) {
                        (Reach::All, _) | (_, Reach::All) => Reach::All,
                        (Reach::Some, _) | (_, Reach::Some) => Reach::Some,
                        _ => Reach::Conditional,
                    };
                    m.actions.extend(line.actions);
                    for s in line.granted_by {
                        if !m.granted_by.contains(&s) {
                            m.granted_by.push(s);
                        }
                    }
                    m
                }
            });
        }
        if let Some(mut line) = merged {
            line.resource = bucket.to_string();
            out.push(line);
        }
    }
    out
}

#[derive(Clone, Copy)]
enum Scope {
    /// `resource` is a pattern for every store of a kind.
    Pattern,
    /// `resource` is one store's ARN.
    Arn,
}

fn judge(
    effective: &EffectivePermissions,
    store: &'static str,
    resource: &str,
    access: Access,
    actions: &[&str],
    scope: Scope,
) -> Option<StoreAccess> {
    let mut found = Vec::new();
    let mut granted_by: Vec<StatementRef> = Vec::new();
    let mut all = false;
    let mut certain = false;
    for action in actions {
        let (tri, grants) = match scope {
            Scope::Pattern => effective.allows_on(action, resource),
            Scope::Arn => effective.allows_on_arn(action, resource),
        };
        if tri == Tri::False {
            continue;
        }
        found.push((*action).to_string());
        certain |= tri == Tri::True;
        for grant in grants {
            if matches!(scope, Scope::Arn) || grant.covers_pattern(resource) {
                all = true;
            }
            if !granted_by.contains(&grant.statement) {
                granted_by.push(grant.statement.clone());
            }
        }
    }
    if found.is_empty() {
        return None;
    }
    let reach = if !certain {
        Reach::Conditional
    } else if all {
        Reach::All
    } else {
        Reach::Some
    };
    Some(StoreAccess {
        store,
        resource: resource.to_string(),
        access,
        reach,
        actions: found,
        granted_by,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::tests::{KEY, account, grant_to_web, with_bucket};
    use cartguard_inventory::Collected;

    fn kms_lines(radius: &BlastRadius) -> Vec<(&str, Access, Reach)> {
        radius
            .data_stores
            .iter()
            .filter(|s| s.store == "kms")
            .map(|s| (s.resource.as_str(), s.access, s.reach))
            .collect()
    }

    #[test]
    fn a_key_is_judged_with_its_key_policy() {
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/web"},"Action":"kms:Decrypt","Resource":"*"}]}"#;
        let account = account(Some(policy));
        let web = of(&account, "web").expect("a blast radius");
        assert_eq!(kms_lines(&web), [(KEY, Access::Read, Reach::All)]);
        assert!(web.warnings.is_empty(), "{:?}", web.warnings);
        // The administrator is not named by the key policy.
        let alice = of(&account, "AKIAALICE00000000001").expect("the key's owner");
        assert_eq!(alice.principal, "arn:aws:iam::111122223333:user/alice");
        assert!(alice.administrator);
        assert!(kms_lines(&alice).is_empty());
    }

    #[test]
    fn a_key_policy_that_cannot_be_parsed_is_reported() {
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Everyone","Effect":"Permit","Principal":"*","Action":"kms:Decrypt","Resource":"*"}]}"#;
        let web = of(&account(Some(policy)), "web").expect("a blast radius");
        assert_eq!(kms_lines(&web), [(KEY, Access::Read, Reach::All)]);
        assert_eq!(web.warnings.len(), 1);
        assert!(web.warnings[0].contains("could not be parsed"));
    }

    fn s3_lines(radius: &BlastRadius) -> Vec<(&str, Access, Reach, Vec<&str>)> {
        radius
            .data_stores
            .iter()
            .filter(|s| s.store == "s3")
            .map(|s| {
                let actions = s.actions.iter().map(String::as_str).collect();
                (s.resource.as_str(), s.access, s.reach, actions)
            })
            .collect()
    }

    const ORDERS: &str = "arn:aws:s3:::shop-orders-export";

    #[test]
    fn a_bucket_policy_naming_the_role_is_in_its_blast_radius() {
        let policy = grant_to_web("WebReads", "s3:GetObject", &format!("{ORDERS}/*"));
        let account = with_bucket(Some(Collected::Present(policy)));
        let web = of(&account, "web").expect("a blast radius");
        assert_eq!(
            s3_lines(&web),
            [(ORDERS, Access::Read, Reach::All, vec!["s3:GetObject"])]
        );
        let line = &web.data_stores[0];
        assert_eq!(
            &*line.granted_by[0].policy,
            "bucket policy of shop-orders-export (evidence)"
        );
        assert!(web.warnings.is_empty(), "{:?}", web.warnings);
        // A grant on one prefix reaches some of the objects.
        let prefix = grant_to_web("WebWrites", "s3:PutObject", &format!("{ORDERS}/exports/*"));
        let web =
            of(&with_bucket(Some(Collected::Present(prefix))), "web").expect("a blast radius");
        assert_eq!(
            s3_lines(&web),
            [(ORDERS, Access::Write, Reach::Some, vec!["s3:PutObject"])]
        );
        // The administrator's lines are its identity policy's, unchanged.
        let alice = of(&account, "alice").expect("a blast radius");
        assert!(
            alice
                .data_stores
                .iter()
                .filter(|s| s.store == "s3")
                .all(|s| s.reach == Reach::All
                    && s.granted_by
                        .iter()
                        .all(|g| !g.policy.contains("bucket policy")))
        );
    }

    #[test]
    fn a_bucket_policy_the_evidence_lacks_is_a_warning() {
        let web = of(&with_bucket(None), "web").expect("a blast radius");
        assert!(s3_lines(&web).is_empty());
        assert_eq!(
            web.warnings,
            [
                "the bucket policy of shop-orders-export is not in the evidence (s3:GetBucketPolicy for shop-orders-export was not collected); what it grants was not counted"
            ]
        );
    }

    #[test]
    fn a_secret_policy_naming_the_role_is_in_its_blast_radius() {
        let arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-AbCdEf";
        let mut account = account(None);
        let secrets = &mut account
            .regions
            .get_mut("eu-west-1")
            .expect("the region")
            .secretsmanager;
        secrets.secrets = Collected::Present(
            serde_json::from_value(serde_json::json!([{"ARN": arn, "Name": "prod/db"}]))
                .expect("secrets"),
        );
        secrets.resource_policies.insert(
            "prod/db".into(),
            Collected::Present(Some(grant_to_web(
                "WebReadsSecret",
                "secretsmanager:GetSecretValue",
                arn,
            ))),
        );
        let web = of(&account, "web").expect("a blast radius");
        let lines: Vec<_> = web
            .data_stores
            .iter()
            .filter(|s| s.store == "secretsmanager")
            .map(|s| (s.resource.as_str(), s.access, s.reach))
            .collect();
        assert_eq!(lines, [(arn, Access::Read, Reach::All)]);
    }

    #[test]
    fn an_unknown_access_key_is_an_error() {
        let unknown = of(&account(None), "AKIAUNKNOWN000000000");
        assert!(matches!(unknown, Err(QueryError::UnknownAccessKey { .. })));
    }
}
