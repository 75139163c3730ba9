//! Blast radius: which data stores a principal can read, write or delete.
//!
//! Stores the inventory describes (S3 buckets, RDS instances) are judged one by
//! one; for store kinds it does not describe, the question is asked of every
//! resource of the kind in the account (`arn:aws:dynamodb:*:<account>:table/*`),
//! so the answer still says whether a leaked credential reaches all customer
//! data, some, or none.

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
use crate::resource_policy;

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
                out.extend(bucket_access(effective, &bucket.arn(partition), accesses));
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
                for (access, actions) in *accesses {
                    if let Some(line) = judge(effective, store, &arn, *access, actions, Scope::Arn)
                    {
                        out.push(line);
                    }
                }
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
    use crate::query::tests::{KEY, account};

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

    #[test]
    fn an_unknown_access_key_is_an_error() {
        let unknown = of(&account(None), "AKIAUNKNOWN000000000");
        assert!(matches!(unknown, Err(QueryError::UnknownAccessKey { .. })));
    }
}
