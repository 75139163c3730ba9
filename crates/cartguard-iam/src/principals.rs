//! Users and roles with the policies that govern them, built from
//! `get-account-authorization-details`.
//!
//! A user's identity policies are its inline and attached policies plus the
//! inline and attached policies of every group in its `GroupList`; a role's are
//! its inline and attached policies. Boundaries and the account's SCPs come
//! along. Managed policies are parsed once and shared. Policies that do not
//! parse, and attached policies that the evidence does not contain, are kept in
//! [`Principals::errors`] and [`Principal::unresolved`] so a rule can say what it
//! could not assess instead of passing silently.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use cartguard_inventory::iam::{AttachedPolicy, AuthorizationDetails, InlinePolicy};
use rayon::prelude::*;

use crate::arn::account_of;
use crate::evaluate::{Decision, PolicySet, PrincipalType, Request, RequestPrincipal, evaluate};
use crate::policy::{Policy, PolicyError, PolicyKind, StatementCache};

/// User or role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrincipalKind {
    /// An IAM user.
    User,
    /// An IAM role.
    Role,
}

/// A user or role with its effective policy set.
#[derive(Debug, Clone)]
pub struct Principal {
    /// User or role.
    pub kind: PrincipalKind,
    /// The user or role name.
    pub name: String,
    /// The ARN.
    pub arn: String,
    /// The account id from the ARN.
    pub account: Option<String>,
    /// The unique id (`AIDA…`, `AROA…`).
    pub id: Option<String>,
    /// Tags.
    pub tags: BTreeMap<String, String>,
    /// Groups (users only).
    pub groups: Vec<String>,
    /// Identity policies, boundary and SCPs.
    pub policies: PolicySet,
    /// The trust policy (roles only).
    pub trust_policy: Option<Arc<Policy>>,
    /// Instance profile ARNs that carry the role.
    pub instance_profiles: Vec<String>,
    /// Attached or boundary policy ARNs, and group names, that the evidence does not describe.
    pub unresolved: Vec<String>,
}

impl Principal {
    /// The principal as a request's caller (a role acts through a session).
    pub fn request_principal(&self) -> RequestPrincipal {
        RequestPrincipal {
            kind: match self.kind {
                PrincipalKind::User => PrincipalType::User,
                PrincipalKind::Role => PrincipalType::Role,
            },
            arn: self.arn.clone(),
            session_arn: None,
            account: self.account.clone(),
            id: self.id.clone(),
            tags: Some(self.tags.clone()),
        }
    }

    /// Decides whether the principal can do `action` on `resource` with an
    /// open context (unknown condition keys make the answer `Conditional`).
    pub fn can(&self, action: &str, resource: &str) -> Decision {
        evaluate(
            &self.policies,
            &Request::new(self.request_principal(), action, resource),
        )
    }

    /// Decides a request made by this principal, with its own context.
    pub fn decide(&self, request: &Request) -> Decision {
        evaluate(&self.policies, request)
    }

    /// Whether the principal is a service-linked role (path `/aws-service-role/`):
    /// only its AWS service assumes it, and IAM refuses to change its trust or
    /// permissions policies, so no principal can use it or rewrite it.
    pub fn is_service_linked(&self) -> bool {
        self.kind == PrincipalKind::Role
            && self
                .arn
                .split_once(":role/")
                .is_some_and(|(_, path)| path.starts_with("aws-service-role/"))
    }

    /// Whether every attached policy and group was found in the evidence.
    pub fn fully_resolved(&self) -> bool {
        self.unresolved.is_empty()
    }
}

/// A policy that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyFailure {
    /// The policy's name (ARN, or `<owner ARN>#<inline name>`).
    pub policy: String,
    /// What is wrong with it.
    pub error: PolicyError,
}

/// Why a principal could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    /// Nothing by that name or ARN.
    #[error("no user or role named {0:?}")]
    NotFound(String),
    /// A user and a role share the name.
    #[error("{0:?} names both a user and a role; give the ARN")]
    Ambiguous(String),
}

/// Every user and role of an account.
#[derive(Debug, Clone, Default)]
pub struct Principals {
    /// Users, then roles, in evidence order.
    pub principals: Vec<Principal>,
    /// Parsed managed policies by ARN.
    pub managed: BTreeMap<String, Arc<Policy>>,
    /// Policies that failed to parse.
    pub errors: Vec<PolicyFailure>,
    /// SCPs that failed to parse, left out of every principal's policy set.
    pub unreadable_scps: Vec<PolicyFailure>,
    /// Every parsed policy (managed, inline, boundary, trust, SCP) by its name.
    by_name: HashMap<Arc<str>, Arc<Policy>>,
}

/// Parsed managed policies, boundaries and groups, shared while the
/// principals are built in parallel.
struct Builder {
    managed: BTreeMap<String, Arc<Policy>>,
    /// Managed policies that failed to parse, by ARN.
    failed: HashSet<String>,
    /// Managed policies used as permissions boundaries, seen as boundaries.
    boundaries: HashMap<String, Arc<Policy>>,
    /// Statements parsed so far, shared by every policy of the account.
    cache: StatementCache,
}

/// One principal's policies as they are gathered, with what went wrong.
#[derive(Default)]
struct Gathered {
    identity: Vec<Arc<Policy>>,
    unresolved: Vec<String>,
    errors: Vec<PolicyFailure>,
}

impl Gathered {
    /// The inline and attached policies of a user, group or role.
    fn of(
        b: &Builder,
        owner_arn: &str,
        inline: &[InlinePolicy],
        attached: &[AttachedPolicy],
    ) -> Self {
        let mut own = Gathered::default();
        for p in inline {
            own.inline(b, owner_arn, p);
        }
        for a in attached {
            own.attached(b, a);
        }
        own
    }

    fn inline(&mut self, b: &Builder, owner_arn: &str, p: &InlinePolicy) {
        let name = format!("{owner_arn}#{}", p.policy_name);
        let document = &p.policy_document;
        match Policy::from_document_shared(&name, PolicyKind::Identity, document, &b.cache) {
            Ok(policy) => self.identity.push(Arc::new(policy)),
            Err(error) => self.errors.push(PolicyFailure {
                policy: name,
                error,
            }),
        }
    }

    fn attached(&mut self, b: &Builder, a: &AttachedPolicy) {
        match b.managed.get(&a.policy_arn) {
            Some(p) => self.identity.push(Arc::clone(p)),
            // A policy that failed to parse is already reported in `errors`.
            None if b.failed.contains(&a.policy_arn) => {}
            None => self.unresolved.push(a.policy_arn.clone()),
        }
    }

    fn boundary(&mut self, b: &Builder, arn: &str) -> Option<Arc<Policy>> {
        let found = b.boundaries.get(arn).cloned();
        if found.is_none() {
            self.unresolved.push(arn.to_string());
        }
        found
    }
}

fn tags(tags: &[cartguard_inventory::Tag]) -> BTreeMap<String, String> {
    tags.iter()
        .map(|t| (t.key.clone(), t.value.clone()))
        .collect()
}

impl Principals {
    /// Builds every user's and role's policy set; `scps` are the SCP levels
    /// that apply to the account (empty when the account is not in an organization
    /// or the SCPs were not collected). Principals are built in parallel; the
    /// result is in evidence order.
    pub fn from_authorization_details(
        details: &AuthorizationDetails,
        scps: &[Vec<Arc<Policy>>],
    ) -> Principals {
        let mut b = Builder {
            managed: BTreeMap::new(),
            failed: HashSet::new(),
            boundaries: HashMap::new(),
            cache: StatementCache::default(),
        };
        let parsed: Vec<(&String, Result<Policy, PolicyError>)> = details
            .policies
            .par_iter()
            // A policy whose default version was not collected is reported as
            // unresolved wherever it is attached.
            .filter_map(|m| {
                let doc = m.default_document()?;
                Some((
                    &m.arn,
                    Policy::from_document_shared(&m.arn, PolicyKind::Identity, doc, &b.cache),
                ))
            })
            .collect();
        let mut errors = Vec::new();
        for (arn, result) in parsed {
            match result {
                Ok(p) => {
                    b.managed.insert(arn.clone(), Arc::new(p));
                }
                Err(error) => {
                    b.failed.insert(arn.clone());
                    errors.push(PolicyFailure {
                        policy: arn.clone(),
                        error,
                    });
                }
            }
        }
        let boundary_arns = details
            .user_detail_list
            .iter()
            .filter_map(|u| u.permissions_boundary.as_ref())
            .chain(
                details
                    .role_detail_list
                    .iter()
                    .filter_map(|r| r.permissions_boundary.as_ref()),
            )
            .map(|pb| &pb.permissions_boundary_arn);
        for arn in boundary_arns {
            if !b.boundaries.contains_key(arn)
                && let Some(p) = b.managed.get(arn)
            {
                let boundary = Arc::new(p.with_kind(PolicyKind::Boundary));
                b.boundaries.insert(arn.clone(), boundary);
            }
        }

        // Group policies, parsed once per group.
        let mut groups: HashMap<&str, Gathered> = HashMap::new();
        for g in &details.group_detail_list {
            let mut gathered = Gathered::of(
                &b,
                &g.arn,
                &g.group_policy_list,
                &g.attached_managed_policies,
            );
            errors.append(&mut gathered.errors);
            groups.insert(g.group_name.as_str(), gathered);
        }

        let users: Vec<(Principal, Vec<PolicyFailure>)> = details
            .user_detail_list
            .par_iter()
            .map(|u| {
                let mut own = Gathered::of(
                    &b,
                    &u.arn,
                    &u.user_policy_list,
                    &u.attached_managed_policies,
                );
                for g in &u.group_list {
                    match groups.get(g.as_str()) {
                        Some(group) => {
                            own.identity.extend(group.identity.iter().cloned());
                            own.unresolved.extend(group.unresolved.iter().cloned());
                        }
                        None => own.unresolved.push(format!("group {g}")),
                    }
                }
                let boundary = u
                    .permissions_boundary
                    .as_ref()
                    .and_then(|pb| own.boundary(&b, &pb.permissions_boundary_arn));
                let principal = Principal {
                    kind: PrincipalKind::User,
                    name: u.user_name.clone(),
                    arn: u.arn.clone(),
                    account: account_of(&u.arn).map(str::to_string),
                    id: u.user_id.clone(),
                    tags: tags(&u.tags),
                    groups: u.group_list.clone(),
                    policies: PolicySet {
                        identity: own.identity,
                        boundary,
                        scps: scps.to_vec(),
                        ..PolicySet::default()
                    },
                    trust_policy: None,
                    instance_profiles: Vec::new(),
                    unresolved: own.unresolved,
                };
                (principal, own.errors)
            })
            .collect();
        let roles: Vec<(Principal, Vec<PolicyFailure>)> = details
            .role_detail_list
            .par_iter()
            .map(|r| {
                let mut own = Gathered::of(
                    &b,
                    &r.arn,
                    &r.role_policy_list,
                    &r.attached_managed_policies,
                );
                let boundary = r
                    .permissions_boundary
                    .as_ref()
                    .and_then(|pb| own.boundary(&b, &pb.permissions_boundary_arn));
                let trust_name = format!("{}#trust", r.arn);
                let trust_policy = match &r.assume_role_policy_document {
                    Some(doc) => match Policy::from_document(&trust_name, PolicyKind::Trust, doc) {
                        Ok(p) => Some(Arc::new(p)),
                        Err(error) => {
                            own.errors.push(PolicyFailure {
                                policy: trust_name,
                                error,
                            });
                            None
                        }
                    },
                    None => None,
                };
                // "SCPs don't affect service-linked roles" (AWS Organizations
                // User Guide, Service control policies): their service acts
                // with the permissions AWS defines, whatever the organization denies.
                let service_linked = r
                    .arn
                    .split_once(":role/")
                    .is_some_and(|(_, path)| path.starts_with("aws-service-role/"));
                let principal = Principal {
                    kind: PrincipalKind::Role,
                    name: r.role_name.clone(),
                    arn: r.arn.clone(),
                    account: account_of(&r.arn).map(str::to_string),
                    id: r.role_id.clone(),
                    tags: tags(&r.tags),
                    groups: Vec::new(),
                    policies: PolicySet {
                        identity: own.identity,
                        boundary,
                        scps: if service_linked {
                            Vec::new()
                        } else {
                            scps.to_vec()
                        },
                        ..PolicySet::default()
                    },
                    trust_policy,
                    instance_profiles: r
                        .instance_profile_list
                        .iter()
                        .map(|i| i.arn.clone())
                        .collect(),
                    unresolved: own.unresolved,
                };
                (principal, own.errors)
            })
            .collect();
        let mut principals = Vec::with_capacity(users.len() + roles.len());
        for (principal, mut failures) in users.into_iter().chain(roles) {
            errors.append(&mut failures);
            principals.push(principal);
        }
        let mut by_name: HashMap<Arc<str>, Arc<Policy>> = b
            .managed
            .values()
            .map(|p| (Arc::clone(&p.name), Arc::clone(p)))
            .collect();
        for p in &principals {
            let own = p
                .policies
                .identity
                .iter()
                .chain(p.policies.boundary.iter())
                .chain(p.trust_policy.iter())
                .chain(p.policies.scps.iter().flatten());
            for policy in own {
                by_name
                    .entry(Arc::clone(&policy.name))
                    .or_insert_with(|| Arc::clone(policy));
            }
        }
        Principals {
            principals,
            managed: b.managed,
            errors,
            unreadable_scps: Vec::new(),
            by_name,
        }
    }

    /// A parsed policy by its name (managed policy ARN, `<owner ARN>#<inline
    /// name>`, `<role ARN>#trust`).
    pub fn policy(&self, name: &str) -> Option<&Arc<Policy>> {
        self.by_name.get(name)
    }

    /// The statement a reference points to, as parsed.
    pub fn statement(
        &self,
        reference: &crate::policy::StatementRef,
    ) -> Option<&crate::policy::Statement> {
        self.policy(&reference.policy)?
            .statements
            .get(reference.index)
            .map(|s| &**s)
    }

    /// Finds a principal by ARN (user, role or assumed-role session) or bare name.
    pub fn resolve(&self, name_or_arn: &str) -> Result<&Principal, ResolveError> {
        if name_or_arn.starts_with("arn:") {
            if let Some(p) = self.principals.iter().find(|p| p.arn == name_or_arn) {
                return Ok(p);
            }
            if let Some(session) = RequestPrincipal::from_arn(name_or_arn)
                && session.kind == PrincipalType::Role
            {
                let name = session.name().unwrap_or_default();
                if let Some(p) = self.principals.iter().find(|p| {
                    p.kind == PrincipalKind::Role && p.name == name && p.account == session.account
                }) {
                    return Ok(p);
                }
            }
            return Err(ResolveError::NotFound(name_or_arn.to_string()));
        }
        let mut matches = self.principals.iter().filter(|p| p.name == name_or_arn);
        match (matches.next(), matches.next()) {
            (Some(p), None) => Ok(p),
            (Some(_), Some(_)) => Err(ResolveError::Ambiguous(name_or_arn.to_string())),
            (None, _) => Err(ResolveError::NotFound(name_or_arn.to_string())),
        }
    }

    /// The users.
    pub fn users(&self) -> impl Iterator<Item = &Principal> {
        self.principals
            .iter()
            .filter(|p| p.kind == PrincipalKind::User)
    }

    /// The roles.
    pub fn roles(&self) -> impl Iterator<Item = &Principal> {
        self.principals
            .iter()
            .filter(|p| p.kind == PrincipalKind::Role)
    }

    /// Why the evaluation of `principal` may be incomplete, in one sentence:
    /// the policies or groups the evidence names but does not describe, and
    /// its policies that could not be parsed.
    pub fn incomplete(&self, principal: &Principal) -> Option<String> {
        let mut missing = principal.unresolved.clone();
        let names: Vec<&str> = principal
            .policies
            .identity
            .iter()
            .chain(principal.policies.boundary.iter())
            .map(|p| p.name.as_ref())
            .collect();
        let own = format!("{}#", principal.arn);
        for failure in &self.errors {
            if failure.policy.starts_with(&own) || names.contains(&failure.policy.as_str()) {
                missing.push(format!(
                    "{} (unreadable: {})",
                    failure.policy, failure.error
                ));
            }
        }
        (!missing.is_empty()).then(|| {
            format!(
                "not every policy of {} could be evaluated: {}",
                principal.arn,
                missing.join(", ")
            )
        })
    }

    /// Why the permissions of `principal` may be incomplete
    /// ([`Principals::incomplete`]), leaving out an unreadable trust policy,
    /// which grants the principal nothing.
    pub fn permissions_incomplete(&self, principal: &Principal) -> Option<String> {
        let reason = self.incomplete(principal)?;
        let own = format!("{}#", principal.arn);
        let trust = format!("{}#trust", principal.arn);
        let only_trust = principal.unresolved.is_empty()
            && self
                .errors
                .iter()
                .filter(|e| e.policy.starts_with(&own))
                .all(|e| e.policy == trust);
        (!only_trust).then_some(reason)
    }
}

/// The account's SCPs, one list per level from the root down, parsed, and
/// those that could not be parsed. SCPs only restrict, so one that cannot be
/// parsed is left out of the levels: permissions may then be over-reported,
/// never under-reported, and the failure says which policy and why.
pub fn service_control_policies(
    account: &cartguard_inventory::Account,
) -> (Vec<Vec<Arc<Policy>>>, Vec<PolicyFailure>) {
    organization_policies(
        &account.organizations.service_control_policies,
        PolicyKind::ServiceControl,
    )
}

/// The RCPs that apply to the account's resources, one list per level from
/// the root down, parsed, and those that could not be parsed (left out, as
/// for SCPs: access may then be over-reported, never under-reported).
pub fn resource_control_policies(
    account: &cartguard_inventory::Account,
) -> (Vec<Vec<Arc<Policy>>>, Vec<PolicyFailure>) {
    organization_policies(
        &account.organizations.resource_control_policies,
        PolicyKind::ResourceControl,
    )
}

fn organization_policies(
    levels: &cartguard_inventory::Collected<Vec<cartguard_inventory::organizations::ScpLevel>>,
    kind: PolicyKind,
) -> (Vec<Vec<Arc<Policy>>>, Vec<PolicyFailure>) {
    let Some(levels) = levels.present() else {
        return (Vec::new(), Vec::new());
    };
    let mut failures = Vec::new();
    let parsed = levels
        .iter()
        .map(|level| {
            level
                .policies
                .iter()
                .filter_map(|scp| {
                    let name = scp.arn.clone().unwrap_or_else(|| scp.id.clone());
                    match Policy::from_document(&name, kind, &scp.document) {
                        Ok(policy) => Some(Arc::new(policy)),
                        Err(error) => {
                            if !failures.iter().any(|f: &PolicyFailure| f.policy == name) {
                                failures.push(PolicyFailure {
                                    policy: name,
                                    error,
                                });
                            }
                            None
                        }
                    }
                })
                .collect()
        })
        .collect();
    (parsed, failures)
}

impl Principals {
    /// The account's users and roles under the SCPs that apply to it, or
    /// `None` when the authorization details were not collected. SCPs that
    /// cannot be parsed are left out and listed in [`Principals::unreadable_scps`].
    pub fn of_account(account: &cartguard_inventory::Account) -> Option<Principals> {
        let details = account.iam.authorization_details.present()?;
        let (scps, unreadable) = service_control_policies(account);
        let mut principals = Principals::from_authorization_details(details, &scps);
        principals.unreadable_scps = unreadable;
        Some(principals)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn details() -> AuthorizationDetails {
        serde_json::from_value(json!({
            "UserDetailList": [{
                "UserName": "alice", "UserId": "AIDAALICE", "Arn": "arn:aws:iam::111122223333:user/alice",
                "GroupList": ["devs", "ghost"],
                "UserPolicyList": [{"PolicyName": "own", "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}}],
                "AttachedManagedPolicies": [{"PolicyName": "missing", "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}]
            }, {
                "UserName": "app", "Arn": "arn:aws:iam::111122223333:user/app"
            }],
            "GroupDetailList": [{
                "GroupName": "devs", "Arn": "arn:aws:iam::111122223333:group/devs",
                "GroupPolicyList": [{"PolicyName": "g", "PolicyDocument": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22ec2%3A%2A%22%2C%22Resource%22%3A%22%2A%22%7D%7D"}],
                "AttachedManagedPolicies": [{"PolicyName": "shared", "PolicyArn": "arn:aws:iam::111122223333:policy/shared"}]
            }],
            "RoleDetailList": [{
                "RoleName": "app", "Arn": "arn:aws:iam::111122223333:role/svc/app",
                "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
                "AttachedManagedPolicies": [{"PolicyName": "shared", "PolicyArn": "arn:aws:iam::111122223333:policy/shared"}],
                "PermissionsBoundary": {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": "arn:aws:iam::111122223333:policy/boundary"}
            }],
            "Policies": [{
                "PolicyName": "shared", "Arn": "arn:aws:iam::111122223333:policy/shared", "DefaultVersionId": "v2",
                "PolicyVersionList": [
                    {"VersionId": "v1", "IsDefaultVersion": false, "Document": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}},
                    {"VersionId": "v2", "IsDefaultVersion": true, "Document": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}}}
                ]
            }, {
                "PolicyName": "boundary", "Arn": "arn:aws:iam::111122223333:policy/boundary", "DefaultVersionId": "v1",
                "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true, "Document": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}}]
            }]
        }))
        .unwrap()
    }

    #[test]
    fn service_control_policies_do_not_affect_service_linked_roles() {
        // "SCPs don't affect service-linked roles" (AWS Organizations User
        // Guide, Service control policies).
        let details: AuthorizationDetails = serde_json::from_value(json!({
            "RoleDetailList": [{
                "RoleName": "AWSServiceRoleForSupport",
                "Arn": "arn:aws:iam::111122223333:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport",
                "RolePolicyList": [{"PolicyName": "own", "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "iam:GetRole", "Resource": "*"}}}]
            }, {
                "RoleName": "ops",
                "Arn": "arn:aws:iam::111122223333:role/ops",
                "RolePolicyList": [{"PolicyName": "own", "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "iam:GetRole", "Resource": "*"}}}]
            }]
        }))
        .unwrap();
        let deny_all = Policy::parse(
            "scp",
            PolicyKind::ServiceControl,
            &json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}, {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}]}),
        )
        .unwrap();
        let ps = Principals::from_authorization_details(&details, &[vec![Arc::new(deny_all)]]);
        let linked = ps.resolve("AWSServiceRoleForSupport").unwrap();
        assert!(linked.can("iam:GetRole", "*").is_allow());
        let ops = ps.resolve("ops").unwrap();
        assert!(matches!(
            ops.can("iam:GetRole", "*"),
            crate::Decision::ExplicitDeny { .. }
        ));
    }

    #[test]
    fn users_get_group_policies_and_roles_boundaries() {
        let ps = Principals::from_authorization_details(&details(), &[]);
        let alice = ps.resolve("alice").unwrap();
        assert!(alice.can("s3:GetObject", "arn:aws:s3:::b/k").is_allow());
        assert!(alice.can("ec2:RunInstances", "*").is_allow());
        assert!(alice.can("dynamodb:GetItem", "*").is_allow());
        assert!(!alice.can("iam:CreateUser", "*").may_allow());
        assert_eq!(
            alice.unresolved,
            vec![
                "arn:aws:iam::aws:policy/ReadOnlyAccess".to_string(),
                "group ghost".to_string()
            ]
        );
        let role = ps
            .resolve("arn:aws:sts::111122223333:assumed-role/app/i-1")
            .unwrap();
        assert_eq!(role.kind, PrincipalKind::Role);
        assert!(role.trust_policy.is_some());
        // The managed policy allows dynamodb but the boundary only s3.
        assert!(!role.can("dynamodb:GetItem", "*").may_allow());
        assert!(matches!(ps.resolve("app"), Err(ResolveError::Ambiguous(_))));
        assert!(matches!(
            ps.resolve("nobody"),
            Err(ResolveError::NotFound(_))
        ));
        assert!(ps.resolve("arn:aws:iam::111122223333:user/app").is_ok());
    }
}
