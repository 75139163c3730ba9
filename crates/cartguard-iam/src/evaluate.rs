//! Deciding one request against a set of policies, in AWS's order.
//!
//! The order and each branch follow the IAM User Guide, "Policy evaluation
//! logic", "How AWS enforcement code logic evaluates requests to allow or deny
//! access" and "Cross-account policy evaluation logic"; the comments in
//! [`evaluate`] quote the statement each branch implements. Every step is
//! three-valued: a statement whose applicability depends on an unknown key
//! leaves the decision `Conditional`, listing what remains to be known.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use crate::Tri;
use crate::context::{Lookup, RequestContext, VariableSource};
use crate::matching::arn_fields;
use crate::policy::{
    Effect, Policy, PolicyKind, PrincipalClause, PrincipalEntry, Statement, StatementRef,
};

/// What kind of caller makes a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrincipalType {
    /// An IAM user.
    User,
    /// A session of an IAM role.
    Role,
    /// The account's root user.
    Root,
    /// An AWS service (`ec2.amazonaws.com`).
    Service,
    /// A federated (web identity or SAML) caller.
    Federated,
    /// An unauthenticated caller.
    Anonymous,
}

/// Who makes the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestPrincipal {
    /// The kind of caller.
    pub kind: PrincipalType,
    /// The user, role or root ARN; the service name; or the identity provider.
    pub arn: String,
    /// For a role, the assumed-role session ARN when known.
    pub session_arn: Option<String>,
    /// The caller's account.
    pub account: Option<String>,
    /// The unique id (`AIDA…`, `AROA…`) when known.
    pub id: Option<String>,
    /// The principal's tags; `None` when unknown.
    pub tags: Option<BTreeMap<String, String>>,
}

impl RequestPrincipal {
    /// Reads a user, role, assumed-role, root or federated-user ARN.
    pub fn from_arn(arn: &str) -> Option<RequestPrincipal> {
        let f = arn_fields(arn)?;
        let account = Some(f[4].to_string()).filter(|a| !a.is_empty());
        let (kind, arn, session_arn) = match (f[2], f[5]) {
            ("iam", "root") => (PrincipalType::Root, arn.to_string(), None),
            ("iam", r) if r.starts_with("user/") => (PrincipalType::User, arn.to_string(), None),
            ("iam", r) if r.starts_with("role/") => (PrincipalType::Role, arn.to_string(), None),
            ("sts", r) if r.starts_with("assumed-role/") => {
                let mut parts = r.splitn(3, '/');
                let _ = parts.next();
                let role = parts.next()?;
                let role_arn = format!("arn:{}:iam::{}:role/{role}", f[1], f[4]);
                (PrincipalType::Role, role_arn, Some(arn.to_string()))
            }
            ("sts", r) if r.starts_with("federated-user/") => {
                (PrincipalType::Federated, arn.to_string(), None)
            }
            _ => return None,
        };
        Some(RequestPrincipal {
            kind,
            arn,
            session_arn,
            account,
            id: None,
            tags: None,
        })
    }

    /// An AWS service principal (`lambda.amazonaws.com`).
    pub fn service(name: &str) -> RequestPrincipal {
        RequestPrincipal {
            kind: PrincipalType::Service,
            arn: name.to_string(),
            session_arn: None,
            account: None,
            id: None,
            tags: Some(BTreeMap::new()),
        }
    }

    /// An unauthenticated caller.
    pub fn anonymous() -> RequestPrincipal {
        RequestPrincipal {
            kind: PrincipalType::Anonymous,
            arn: "*".to_string(),
            session_arn: None,
            account: None,
            id: None,
            tags: Some(BTreeMap::new()),
        }
    }

    /// The session name of an assumed-role session
    /// (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`), when known.
    pub fn session_name(&self) -> Option<&str> {
        let session = self.session_arn.as_deref()?;
        let resource = arn_fields(session)?[5];
        resource
            .strip_prefix("assumed-role/")?
            .split_once('/')
            .map(|(_, name)| name)
    }

    /// Whether the caller is a service-linked role (or a session of one): its
    /// ARN's path is `/aws-service-role/`.
    pub fn is_service_linked_role(&self) -> bool {
        self.kind == PrincipalType::Role
            && self
                .arn
                .split_once(":role/")
                .is_some_and(|(_, path)| path.starts_with("aws-service-role/"))
    }

    /// The user or role name (last path segment of the ARN).
    pub fn name(&self) -> Option<&str> {
        match self.kind {
            PrincipalType::User | PrincipalType::Role => {
                arn_fields(&self.arn).and_then(|f| f[5].rsplit('/').next())
            }
            _ => None,
        }
    }

    /// The context keys AWS derives from the caller (`aws:username`,
    /// `aws:PrincipalArn`, `aws:PrincipalTag/…`, …), lower-cased; `None` values
    /// are keys known to be absent for this kind of caller.
    fn derived_keys(&self) -> Vec<(String, Option<Vec<String>>)> {
        let mut out: Vec<(String, Option<Vec<String>>)> = Vec::new();
        let mut put =
            |k: &str, v: Option<&str>| out.push((k.to_string(), v.map(|v| vec![v.to_string()])));
        let is_service = self.kind == PrincipalType::Service;
        match self.kind {
            PrincipalType::Service | PrincipalType::Anonymous => put("aws:principalarn", None),
            _ => put("aws:principalarn", Some(&self.arn)),
        }
        if let Some(a) = &self.account {
            put("aws:principalaccount", Some(a));
        } else if matches!(self.kind, PrincipalType::Service | PrincipalType::Anonymous) {
            put("aws:principalaccount", None);
        }
        // The organization keys are present only for a principal of an
        // account in an organization (AWS global condition context keys,
        // aws:PrincipalOrgID): never for the public or an AWS service.
        if matches!(self.kind, PrincipalType::Service | PrincipalType::Anonymous) {
            put("aws:principalorgid", None);
            put("aws:principalorgpaths", None);
        }
        match self.kind {
            PrincipalType::User => {
                if let Some(n) = self.name() {
                    put("aws:username", Some(n));
                }
                if let Some(id) = &self.id {
                    put("aws:userid", Some(id));
                }
            }
            _ => put("aws:username", None),
        }
        if self.kind == PrincipalType::Root
            && let Some(a) = &self.account
        {
            put("aws:userid", Some(a));
        }
        // A role session's aws:userid is "role-id:caller-specified-role-name",
        // the role's unique id and the session name (IAM User Guide, IAM
        // policy elements: Variables and tags, "Information available in all
        // requests"); aws:PrincipalArn stays the role's ARN.
        if self.kind == PrincipalType::Role
            && let (Some(id), Some(session)) = (&self.id, self.session_name())
        {
            put("aws:userid", Some(&format!("{id}:{session}")));
        }
        let principal_type = match self.kind {
            PrincipalType::User => Some("User"),
            PrincipalType::Role => Some("AssumedRole"),
            PrincipalType::Root => Some("Account"),
            PrincipalType::Federated => Some("FederatedUser"),
            PrincipalType::Service => None,
            PrincipalType::Anonymous => Some("Anonymous"),
        };
        put("aws:principaltype", principal_type);
        put(
            "aws:principalservicename",
            is_service.then_some(self.arn.as_str()),
        );
        put(
            "aws:principalisawsservice",
            Some(if is_service { "true" } else { "false" }),
        );
        if let Some(tags) = &self.tags {
            for (k, v) in tags {
                put(
                    &format!("aws:principaltag/{}", k.to_ascii_lowercase()),
                    Some(v),
                );
            }
        }
        out
    }
}

/// A request to decide.
#[derive(Debug, Clone)]
pub struct Request {
    /// Who asks.
    pub principal: RequestPrincipal,
    /// The action (`s3:GetObject`), any case.
    pub action: String,
    /// The resource ARN (or `*` for actions without resource-level permissions).
    pub resource: String,
    /// The account owning the resource; taken from the ARN when it names one,
    /// otherwise the resource is taken to be in the caller's account.
    pub resource_account: Option<String>,
    /// Condition keys; keys derived from the principal fill in what it does not state.
    pub context: RequestContext,
}

impl Request {
    /// A request with an open context (unstated keys are unknown).
    pub fn new(principal: RequestPrincipal, action: &str, resource: &str) -> Request {
        Request {
            principal,
            action: action.to_string(),
            resource: resource.to_string(),
            resource_account: None,
            context: RequestContext::new(),
        }
    }

    fn resource_account(&self) -> Option<&str> {
        self.resource_account.as_deref().or_else(|| {
            // AWS managed policies (`arn:aws:iam::aws:policy/…`) belong to no
            // customer account: AWS decides requests on them with the caller's
            // own policies alone (IAM User Guide, "AWS managed policies"), so
            // they are never another account's resource.
            crate::arn::account_of(&self.resource).filter(|account| *account != "aws")
        })
    }

    fn same_account(&self) -> bool {
        match (self.resource_account(), self.principal.account.as_deref()) {
            (Some(r), Some(p)) => r == p,
            _ => true,
        }
    }
}

/// The policies that bear on a request.
#[derive(Debug, Clone, Default)]
pub struct PolicySet {
    /// Identity-based policies of the caller (user inline, attached and group
    /// policies; role inline and attached).
    pub identity: Vec<Arc<Policy>>,
    /// The caller's permissions boundary, if any.
    pub boundary: Option<Arc<Policy>>,
    /// Session policies, if the caller is a session created with them.
    pub session: Vec<Arc<Policy>>,
    /// Resource-based policies of the target (bucket policy, trust policy, key policy).
    pub resource: Vec<Arc<Policy>>,
    /// SCPs of the caller's account, one list per level of the organization
    /// (root, each OU, the account); every level must allow.
    pub scps: Vec<Vec<Arc<Policy>>>,
    /// RCPs of the resource's account, one list per level; every level must allow.
    pub rcps: Vec<Vec<Arc<Policy>>>,
    /// The policies of the VPC endpoint the request goes through, if it goes
    /// through one; one of them must allow the request.
    pub endpoint: Vec<Arc<Policy>>,
}

impl PolicySet {
    /// A set with these identity-based policies only.
    pub fn with_identity(policies: impl IntoIterator<Item = Policy>) -> PolicySet {
        PolicySet {
            identity: policies.into_iter().map(Arc::new).collect(),
            ..PolicySet::default()
        }
    }

    /// Every policy in the set.
    pub fn all(&self) -> impl Iterator<Item = &Arc<Policy>> {
        self.identity
            .iter()
            .chain(self.boundary.iter())
            .chain(self.session.iter())
            .chain(self.resource.iter())
            .chain(self.scps.iter().flatten())
            .chain(self.rcps.iter().flatten())
            .chain(self.endpoint.iter())
    }
}

/// Why a request is implicitly denied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImplicitDenyReason {
    /// No applicable policy allows it.
    NoAllow,
    /// A level of service control policies allows nothing that matches.
    ServiceControlPolicy,
    /// A level of resource control policies allows nothing that matches.
    ResourceControlPolicy,
    /// The identity policies allow it but the permissions boundary does not.
    PermissionsBoundary,
    /// The session policy does not allow it.
    SessionPolicy,
    /// A role trust policy or KMS key policy must allow the caller, and does not.
    ResourcePolicyRequired,
    /// Cross-account: the resource's policy does not allow the caller.
    CrossAccountResourcePolicy,
    /// The policy of the VPC endpoint the request goes through does not allow it.
    VpcEndpointPolicy,
}

impl fmt::Display for ImplicitDenyReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            ImplicitDenyReason::NoAllow => "no-allow",
            ImplicitDenyReason::ServiceControlPolicy => "service-control-policy",
            ImplicitDenyReason::ResourceControlPolicy => "resource-control-policy",
            ImplicitDenyReason::PermissionsBoundary => "permissions-boundary",
            ImplicitDenyReason::SessionPolicy => "session-policy",
            ImplicitDenyReason::ResourcePolicyRequired => "resource-policy-required",
            ImplicitDenyReason::CrossAccountResourcePolicy => "cross-account-resource-policy",
            ImplicitDenyReason::VpcEndpointPolicy => "vpc-endpoint-policy",
        })
    }
}

/// Serialised as it is displayed.
impl serde::Serialize for ImplicitDenyReason {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A piece of a statement that could not be decided for lack of context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    /// `Condition` or `Resource`.
    pub element: &'static str,
    /// The condition operator, for conditions.
    pub operator: Option<String>,
    /// The condition key or policy variable whose value is unknown.
    pub key: String,
    /// The values it is compared with, or the resource patterns.
    pub values: Vec<String>,
    /// For a condition that cannot be read, why: it stays unknown whatever
    /// the request carries.
    pub problem: Option<String>,
}

/// A statement whose applicability depends on unknown context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingStatement {
    /// The statement.
    pub statement: StatementRef,
    /// Its effect.
    pub effect: Effect,
    /// What remains to be known.
    pub unresolved: Vec<Unresolved>,
}

/// The outcome of evaluating a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Allowed; the statements that grant it.
    Allow {
        /// The allowing statements on the path that decided.
        by: Vec<StatementRef>,
    },
    /// Denied by at least one applicable `Deny`.
    ExplicitDeny {
        /// The denying statements.
        by: Vec<StatementRef>,
    },
    /// Not allowed by what had to allow it.
    ImplicitDeny {
        /// Which gate failed.
        reason: ImplicitDenyReason,
    },
    /// Depends on context the auditor does not have.
    Conditional {
        /// The statements that remain undecided and what each needs.
        pending: Vec<PendingStatement>,
    },
}

impl Decision {
    /// Whether the request is allowed outright.
    pub fn is_allow(&self) -> bool {
        matches!(self, Decision::Allow { .. })
    }

    /// Whether the request may be allowed (allowed or conditional).
    pub fn may_allow(&self) -> bool {
        matches!(self, Decision::Allow { .. } | Decision::Conditional { .. })
    }

    /// `Allow`, `ExplicitDeny`, `ImplicitDeny` or `Conditional`.
    pub fn label(&self) -> &'static str {
        match self {
            Decision::Allow { .. } => "Allow",
            Decision::ExplicitDeny { .. } => "ExplicitDeny",
            Decision::ImplicitDeny { .. } => "ImplicitDeny",
            Decision::Conditional { .. } => "Conditional",
        }
    }

    /// The decision as a three-valued "is it allowed".
    pub fn allowed(&self) -> Tri {
        match self {
            Decision::Allow { .. } => Tri::True,
            Decision::Conditional { .. } => Tri::Unknown,
            _ => Tri::False,
        }
    }
}

/// Condition keys and variables for one request: what the context states,
/// then what the principal implies, then the context's default.
pub(crate) struct Env<'a> {
    pub(crate) context: &'a RequestContext,
    derived: Vec<(String, Option<Vec<String>>)>,
    tags_known: bool,
}

impl<'a> Env<'a> {
    pub(crate) fn new(context: &'a RequestContext, principal: &RequestPrincipal) -> Env<'a> {
        Env {
            context,
            derived: principal.derived_keys(),
            tags_known: principal.tags.is_some(),
        }
    }
}

impl VariableSource for Env<'_> {
    fn variable(&self, key_lower: &str) -> Lookup<'_> {
        if let Some(stated) = self.context.stated_lower(key_lower) {
            return stated;
        }
        if let Some((_, value)) = self.derived.iter().find(|(k, _)| k == key_lower) {
            return match value {
                Some(v) => Lookup::Values(v),
                None => Lookup::Absent,
            };
        }
        if self.tags_known && key_lower.starts_with("aws:principaltag/") {
            return Lookup::Absent;
        }
        self.context.lookup_lower(key_lower)
    }
}

/// How a resource-based statement names the caller; the strongest form wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Named {
    No,
    /// The caller's account (delegation to the account's own policies).
    Account,
    /// The role ARN of a role session (still subject to its boundary).
    RoleArn,
    /// The user ARN, session ARN, service, provider or everyone.
    Directly,
}

pub(crate) fn principal_named(clause: &PrincipalClause, p: &RequestPrincipal) -> Named {
    let mut best = Named::No;
    for entry in &clause.entries {
        let named = entry_names(entry, p);
        if named > best {
            best = named;
        }
    }
    if clause.negated {
        // NotPrincipal: applies to everyone not listed.
        if best == Named::No {
            Named::Directly
        } else {
            Named::No
        }
    } else {
        best
    }
}

fn entry_names(entry: &PrincipalEntry, p: &RequestPrincipal) -> Named {
    match entry {
        PrincipalEntry::Everyone => Named::Directly,
        PrincipalEntry::Account(a) => match p.kind {
            PrincipalType::Root if p.account.as_deref() == Some(a) => Named::Directly,
            PrincipalType::User | PrincipalType::Role | PrincipalType::Federated
                if p.account.as_deref() == Some(a) =>
            {
                Named::Account
            }
            _ => Named::No,
        },
        PrincipalEntry::Arn(arn) => match p.kind {
            PrincipalType::Role => {
                if p.session_arn.as_deref() == Some(arn.as_str()) {
                    Named::Directly
                } else if same_role(arn, &p.arn) {
                    Named::RoleArn
                } else {
                    Named::No
                }
            }
            PrincipalType::User | PrincipalType::Federated if *arn == p.arn => Named::Directly,
            _ => Named::No,
        },
        PrincipalEntry::UniqueId(id) => match (p.kind, &p.id) {
            (PrincipalType::Role, Some(pid)) if pid == id => Named::RoleArn,
            (_, Some(pid)) if pid == id => Named::Directly,
            _ => Named::No,
        },
        PrincipalEntry::Service(s) => {
            if p.kind == PrincipalType::Service && s.eq_ignore_ascii_case(&p.arn) {
                Named::Directly
            } else {
                Named::No
            }
        }
        PrincipalEntry::Federated(s) => {
            if p.kind == PrincipalType::Federated && *s == p.arn {
                Named::Directly
            } else {
                Named::No
            }
        }
        PrincipalEntry::CanonicalUser(c) => {
            if *c == p.arn {
                Named::Directly
            } else {
                Named::No
            }
        }
    }
}

/// Role ARNs name the same role when partition, account and role name agree:
/// assumed-role ARNs drop the role's path.
fn same_role(named: &str, role_arn: &str) -> bool {
    match (arn_fields(named), arn_fields(role_arn)) {
        (Some(a), Some(b)) => {
            a[2] == "iam"
                && a[5].starts_with("role/")
                && a[1] == b[1]
                && a[4] == b[4]
                && a[5].rsplit('/').next() == b[5].rsplit('/').next()
        }
        _ => false,
    }
}

/// One gate of the evaluation: the OR of the matching statements' outcomes.
#[derive(Default)]
struct Gate {
    tri: Option<Tri>,
    decided: Vec<StatementRef>,
    pending: Vec<PendingStatement>,
}

impl Gate {
    fn value(&self) -> Tri {
        self.tri.unwrap_or(Tri::False)
    }

    fn add(&mut self, t: Tri, policy: &Policy, stmt: &Statement, env: &Env<'_>, resource: &str) {
        self.tri = Some(self.value().or(t));
        match t {
            Tri::True => self.decided.push(StatementRef::new(policy, stmt)),
            Tri::Unknown => self.pending.push(pending_of(policy, stmt, env, resource)),
            Tri::False => {}
        }
    }
}

fn pending_of(
    policy: &Policy,
    stmt: &Statement,
    env: &Env<'_>,
    resource: &str,
) -> PendingStatement {
    let mut unresolved = Vec::new();
    if stmt.matches_resource(resource, env) == Tri::Unknown {
        for p in stmt.resources.patterns.iter() {
            for key in p.variable_keys() {
                if env.variable(key) == Lookup::Unknown {
                    unresolved.push(Unresolved {
                        element: if stmt.resources.negated {
                            "NotResource"
                        } else {
                            "Resource"
                        },
                        operator: None,
                        key: key.to_string(),
                        values: stmt
                            .resources
                            .patterns
                            .iter()
                            .map(|p| p.as_str().to_string())
                            .collect(),
                        problem: None,
                    });
                }
            }
        }
    }
    for c in &stmt.conditions {
        if c.evaluate(env) == Tri::Unknown {
            unresolved.push(Unresolved {
                element: "Condition",
                operator: Some(c.operator.clone()),
                key: c.key.clone(),
                values: c.values.clone(),
                problem: c.problem().map(str::to_string),
            });
        }
    }
    PendingStatement {
        statement: StatementRef::new(policy, stmt),
        effect: stmt.effect,
        unresolved,
    }
}

/// Whether a statement applies to the request, ignoring `Principal`.
pub(crate) fn statement_applies(
    stmt: &Statement,
    action_lower: &str,
    resource: &str,
    env: &Env<'_>,
) -> Tri {
    if !stmt.matches_action(action_lower) {
        return Tri::False;
    }
    let r = stmt.matches_resource(resource, env);
    if r == Tri::False {
        return Tri::False;
    }
    r.and(stmt.conditions_hold(env))
}

/// Actions AWS documents as not controlled by policies, with the callers
/// that can make them and where AWS says so.
const NO_PERMISSION_NEEDED: &[(&str, &[PrincipalType], &str)] = &[
    // "No permissions are required to perform this operation. If an
    // administrator attaches a policy to your identity that explicitly denies
    // access to the sts:GetCallerIdentity action, you can still perform this
    // operation." (AWS STS API Reference, GetCallerIdentity)
    (
        "sts:getcalleridentity",
        &[
            PrincipalType::User,
            PrincipalType::Role,
            PrincipalType::Root,
            PrincipalType::Federated,
        ],
        "AWS STS API Reference, GetCallerIdentity: no permissions are required, and an explicit deny does not stop it",
    ),
    // "No permissions are required for a user to get a session token. ... You
    // cannot use policies to control authentication operations." (IAM User
    // Guide, Permissions for GetSessionToken); it is called with a user's or
    // the root user's long-term credentials.
    (
        "sts:getsessiontoken",
        &[PrincipalType::User, PrincipalType::Root],
        "IAM User Guide, Permissions for GetSessionToken: no permissions are required, and policies cannot control authentication operations",
    ),
];

/// Why `action` by a caller of `kind` is allowed whatever the policies say,
/// when AWS documents that it needs no permission (`sts:GetCallerIdentity`);
/// `None` for every other action.
pub fn needs_no_permission(action: &str, kind: PrincipalType) -> Option<&'static str> {
    NO_PERMISSION_NEEDED
        .iter()
        .find(|(name, callers, _)| action.eq_ignore_ascii_case(name) && callers.contains(&kind))
        .map(|(_, _, source)| *source)
}

/// Decides `request` against `policies`.
pub fn evaluate(policies: &PolicySet, request: &Request) -> Decision {
    let env = Env::new(&request.context, &request.principal);
    let action = request.action.to_ascii_lowercase();
    let resource = request.resource.as_str();
    let principal = &request.principal;

    // Actions AWS does not control with policies are allowed before any
    // policy is read, explicit denies included (see NO_PERMISSION_NEEDED).
    if needs_no_permission(&action, principal.kind).is_some() {
        return Decision::Allow { by: Vec::new() };
    }

    let mut deny = Gate::default();
    let scan = |policy: &Policy, allow: &mut Gate, deny: &mut Gate| {
        for stmt in &policy.statements {
            let t = statement_applies(stmt, &action, resource, &env);
            if t == Tri::False {
                continue;
            }
            match stmt.effect {
                Effect::Deny => deny.add(t, policy, stmt, &env, resource),
                Effect::Allow => allow.add(t, policy, stmt, &env, resource),
            }
        }
    };

    let mut identity = Gate::default();
    for p in &policies.identity {
        scan(p, &mut identity, &mut deny);
    }
    let mut boundary = policies.boundary.as_ref().map(|_| Gate::default());
    if let (Some(p), Some(g)) = (&policies.boundary, boundary.as_mut()) {
        scan(p, g, &mut deny);
    }
    let mut session = (!policies.session.is_empty()).then(Gate::default);
    if let Some(g) = session.as_mut() {
        for p in &policies.session {
            scan(p, g, &mut deny);
        }
    }
    // SCPs: "If the enforcement code does not find any Allow statements in the
    // applicable SCPs, the request is implicitly denied." SCPs do not restrict
    // service principals; every level of the organization must allow. "SCPs
    // don't affect service-linked roles" (AWS Organizations User Guide,
    // Service control policies).
    let scps_apply = !matches!(
        principal.kind,
        PrincipalType::Service | PrincipalType::Anonymous
    ) && !principal.is_service_linked_role();
    // RCPs restrict access to the resources of member accounts whoever asks,
    // AWS service principals included (the AWS KMS Developer Guide's RCP
    // examples restrict them by aws:SourceAccount and exempt them only with
    // aws:PrincipalIsAWSService), except service-linked roles, which
    // organization policies do not restrict (AWS Organizations User Guide,
    // Resource control policies).
    let rcps_apply = !principal.is_service_linked_role();
    let mut scp_levels: Vec<Gate> = Vec::new();
    for level in policies.scps.iter().filter(|_| scps_apply) {
        let mut g = Gate::default();
        for p in level {
            scan(p, &mut g, &mut deny);
        }
        scp_levels.push(g);
    }
    let mut rcp_levels: Vec<Gate> = Vec::new();
    for level in policies.rcps.iter().filter(|_| rcps_apply) {
        let mut g = Gate::default();
        for p in level {
            scan(p, &mut g, &mut deny);
        }
        rcp_levels.push(g);
    }

    // A VPC endpoint policy "does not override or replace identity-based
    // policies or resource-based policies" and must itself allow a request
    // made through the endpoint (AWS PrivateLink Guide, Control access to VPC
    // endpoints using endpoint policies); a policy without Principal applies
    // to every caller.
    let mut endpoint = (!policies.endpoint.is_empty()).then(Gate::default);
    if let Some(g) = endpoint.as_mut() {
        for policy in &policies.endpoint {
            for stmt in &policy.statements {
                let named = stmt
                    .principals
                    .as_ref()
                    .map_or(Named::Directly, |clause| principal_named(clause, principal));
                if named == Named::No {
                    continue;
                }
                let t = statement_applies(stmt, &action, resource, &env);
                match (t, stmt.effect) {
                    (Tri::False, _) => {}
                    (_, Effect::Deny) => deny.add(t, policy, stmt, &env, resource),
                    (_, Effect::Allow) => g.add(t, policy, stmt, &env, resource),
                }
            }
        }
    }

    let mut res_direct = Gate::default();
    let mut res_role = Gate::default();
    let mut res_account = Gate::default();
    let mut resource_required = false;
    for policy in &policies.resource {
        resource_required |= matches!(policy.kind, PolicyKind::Trust | PolicyKind::KeyPolicy);
        for stmt in &policy.statements {
            let named = match &stmt.principals {
                // "The NotPrincipal element with a Deny effect will always deny
                // any IAM principal that has a permissions boundary policy
                // attached, regardless of the values specified in the
                // NotPrincipal element" (IAM User Guide, Permissions boundaries
                // for IAM entities).
                Some(clause)
                    if clause.negated
                        && stmt.effect == Effect::Deny
                        && policies.boundary.is_some()
                        && matches!(principal.kind, PrincipalType::User | PrincipalType::Role) =>
                {
                    Named::Directly
                }
                Some(clause) => principal_named(clause, principal),
                None => Named::Directly,
            };
            if named == Named::No {
                continue;
            }
            let t = statement_applies(stmt, &action, resource, &env);
            if t == Tri::False {
                continue;
            }
            match (stmt.effect, named) {
                (Effect::Deny, _) => deny.add(t, policy, stmt, &env, resource),
                (Effect::Allow, Named::Directly) => res_direct.add(t, policy, stmt, &env, resource),
                (Effect::Allow, Named::RoleArn) => res_role.add(t, policy, stmt, &env, resource),
                (Effect::Allow, _) => res_account.add(t, policy, stmt, &env, resource),
            }
        }
    }

    // "If the enforcement code finds even one explicit deny that applies, the
    // enforcement code returns a final decision of Deny."
    if deny.value() == Tri::True {
        return Decision::ExplicitDeny { by: deny.decided };
    }

    let scp = scp_levels
        .iter()
        .fold(Tri::True, |acc, g| acc.and(g.value()));
    let rcp = rcp_levels
        .iter()
        .fold(Tri::True, |acc, g| acc.and(g.value()));
    let endpoint_ok = endpoint.as_ref().map_or(Tri::True, Gate::value);

    let boundary_ok = boundary.as_ref().map_or(Tri::True, Gate::value);
    let session_ok = session.as_ref().map_or(Tri::True, Gate::value);
    // The root user is not governed by identity-based policies or boundaries;
    // services and anonymous callers have none, so only resource policies count.
    let identity_path = match principal.kind {
        PrincipalType::Root => Tri::True,
        PrincipalType::Service | PrincipalType::Anonymous => Tri::False,
        _ => identity.value().and(boundary_ok).and(session_ok),
    };
    let direct = res_direct.value();
    // "An implicit deny in a permissions boundary does not limit the permissions
    // granted to an IAM user by a resource-based policy", and a grant to a role
    // session ARN is not limited either; a grant to the role ARN is limited by
    // the role's boundary and session policies.
    let via_role = res_role.value().and(boundary_ok).and(session_ok);

    let same_account = request.same_account();
    let allowed = if !same_account {
        // Cross-account: "the identity-based policy in the requesting account
        // must allow ... and the resource-based policy in the trusting account
        // must also allow".
        identity_path.and(direct.or(res_role.value()).or(res_account.value()))
    } else if resource_required {
        // Role trust policies and KMS key policies must allow the caller; a
        // grant to the account delegates to its identity-based policies.
        direct
            .or(via_role)
            .or(res_account.value().and(identity_path))
    } else {
        // Same account: "If the action is allowed by an identity-based policy, a
        // resource-based policy, or both, then AWS allows the action".
        direct.or(via_role).or(identity_path)
    };

    let result = deny
        .value()
        .not()
        .and(scp)
        .and(rcp)
        .and(endpoint_ok)
        .and(allowed);
    match result {
        Tri::True => {
            let mut by = Vec::new();
            if direct == Tri::True {
                by.extend(res_direct.decided);
            }
            if res_role.value() == Tri::True {
                by.extend(res_role.decided);
            }
            if res_account.value() == Tri::True && (resource_required || !same_account) {
                by.extend(res_account.decided);
            }
            if identity_path == Tri::True {
                by.extend(identity.decided);
                if let Some(b) = boundary {
                    by.extend(b.decided);
                }
                if let Some(s) = session {
                    by.extend(s.decided);
                }
            }
            for g in scp_levels {
                by.extend(g.decided);
            }
            for g in rcp_levels {
                by.extend(g.decided);
            }
            if let Some(g) = endpoint {
                by.extend(g.decided);
            }
            Decision::Allow { by }
        }
        Tri::Unknown => {
            let mut pending = deny.pending;
            for g in [identity, res_direct, res_role, res_account]
                .into_iter()
                .chain(boundary)
                .chain(session)
                .chain(scp_levels)
                .chain(rcp_levels)
                .chain(endpoint)
            {
                pending.extend(g.pending);
            }
            Decision::Conditional { pending }
        }
        Tri::False => {
            let reason = if scp == Tri::False {
                ImplicitDenyReason::ServiceControlPolicy
            } else if rcp == Tri::False {
                ImplicitDenyReason::ResourceControlPolicy
            } else if endpoint_ok == Tri::False {
                ImplicitDenyReason::VpcEndpointPolicy
            } else if !same_account
                && direct.or(res_role.value()).or(res_account.value()) == Tri::False
            {
                ImplicitDenyReason::CrossAccountResourcePolicy
            } else if same_account
                && resource_required
                && direct.or(res_role.value()).or(res_account.value()) == Tri::False
            {
                ImplicitDenyReason::ResourcePolicyRequired
            } else if identity.value().or(res_role.value()).maybe() && boundary_ok == Tri::False {
                ImplicitDenyReason::PermissionsBoundary
            } else if identity.value().or(res_role.value()).maybe() && session_ok == Tri::False {
                ImplicitDenyReason::SessionPolicy
            } else {
                ImplicitDenyReason::NoAllow
            };
            Decision::ImplicitDeny { reason }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/web/i-0abc";

    fn policy(name: &str, kind: PolicyKind, statements: serde_json::Value) -> Arc<Policy> {
        let document = json!({"Version": "2012-10-17", "Statement": statements});
        Arc::new(Policy::parse(name, kind, &document).expect("a valid policy"))
    }

    fn session() -> RequestPrincipal {
        let mut caller = RequestPrincipal::from_arn(SESSION).expect("a session ARN");
        caller.id = Some("AROAEXAMPLEROLEID0001".into());
        caller
    }

    /// A resource-based policy that names the session grants it access that
    /// the role's permissions boundary does not, while one that names the role
    /// ARN is limited by the boundary (IAM User Guide, Permissions boundaries
    /// for IAM entities, "Resource-based policies"; Session policies, on a
    /// resource-based policy that names the session ARN).
    #[test]
    fn a_grant_to_the_session_passes_the_boundary_a_grant_to_the_role_does_not() {
        let boundary = policy(
            "boundary",
            PolicyKind::Boundary,
            json!([{"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}]),
        );
        let grant = |who: &str| {
            policy(
                "bucket",
                PolicyKind::Resource,
                json!([{"Effect": "Allow", "Principal": {"AWS": who}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::media/*"}]),
            )
        };
        let request = Request::new(session(), "s3:GetObject", "arn:aws:s3:::media/a");
        let mut set = PolicySet {
            boundary: Some(boundary),
            resource: vec![grant(SESSION)],
            ..PolicySet::default()
        };
        assert!(evaluate(&set, &request).is_allow());
        set.resource = vec![grant("arn:aws:iam::111122223333:role/web")];
        assert_eq!(
            evaluate(&set, &request),
            Decision::ImplicitDeny {
                reason: ImplicitDenyReason::PermissionsBoundary
            }
        );
    }

    /// For a role session "aws:PrincipalArn" is the role's ARN and
    /// "aws:userid" is role-id:caller-specified-role-name (IAM User Guide,
    /// AWS global condition context keys and Policy variables).
    #[test]
    fn a_session_carries_the_role_arn_and_its_user_id() {
        let caller = session();
        assert_eq!(caller.session_name(), Some("i-0abc"));
        let keys = caller.derived_keys();
        let value = |key: &str| {
            keys.iter()
                .find(|(k, _)| k == key)
                .and_then(|(_, v)| v.clone())
        };
        assert_eq!(
            value("aws:principalarn"),
            Some(vec!["arn:aws:iam::111122223333:role/web".to_string()])
        );
        assert_eq!(
            value("aws:userid"),
            Some(vec!["AROAEXAMPLEROLEID0001:i-0abc".to_string()])
        );
    }

    /// "No permissions are required to perform this operation. If an
    /// administrator attaches a policy to your identity that explicitly denies
    /// access to the sts:GetCallerIdentity action, you can still perform this
    /// operation." (AWS STS API Reference, GetCallerIdentity)
    #[test]
    fn get_caller_identity_is_allowed_even_under_an_explicit_deny() {
        let set = PolicySet {
            identity: vec![policy(
                "deny-all",
                PolicyKind::Identity,
                json!([{"Effect": "Deny", "Action": "*", "Resource": "*"}]),
            )],
            ..PolicySet::default()
        };
        let request = Request::new(session(), "sts:GetCallerIdentity", "*");
        assert_eq!(evaluate(&set, &request), Decision::Allow { by: Vec::new() });
        assert!(needs_no_permission("sts:GetCallerIdentity", PrincipalType::Role).is_some());
        // Every other action still needs permission.
        let other = Request::new(session(), "sts:GetAccessKeyInfo", "*");
        assert!(matches!(
            evaluate(&set, &other),
            Decision::ExplicitDeny { .. }
        ));
        // The public cannot make a signed call.
        assert!(needs_no_permission("sts:GetCallerIdentity", PrincipalType::Anonymous).is_none());
    }

    /// A condition this engine cannot read makes its statement unknown, and
    /// the decision conditional naming the policy and statement, instead of
    /// dropping the whole policy (IAM User Guide, IAM JSON policy elements:
    /// Condition operators, lists the operators AWS defines).
    #[test]
    fn an_unreadable_condition_makes_the_decision_conditional_naming_the_statement() {
        let set = PolicySet {
            identity: vec![policy(
                "shop",
                PolicyKind::Identity,
                json!([
                    {"Effect": "Allow", "Action": "sqs:*", "Resource": "*"},
                    {"Sid": "Reads", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                     "Condition": {"StringEqualz": {"aws:username": "alice"}}}
                ]),
            )],
            ..PolicySet::default()
        };
        let alice =
            RequestPrincipal::from_arn("arn:aws:iam::111122223333:user/alice").expect("a user ARN");
        let read = Request::new(alice.clone(), "s3:GetObject", "arn:aws:s3:::media/a");
        let Decision::Conditional { pending } = evaluate(&set, &read) else {
            panic!("expected a conditional decision");
        };
        assert_eq!(&*pending[0].statement.policy, "shop");
        assert_eq!(pending[0].statement.index, 1);
        assert_eq!(pending[0].statement.sid.as_deref(), Some("Reads"));
        let problem = pending[0].unresolved[0]
            .problem
            .as_deref()
            .unwrap_or_default();
        assert!(problem.contains("StringEqualz"), "{problem}");
        // The policy's other statements still decide.
        let send = Request::new(alice, "sqs:SendMessage", "*");
        assert!(evaluate(&set, &send).is_allow());
    }
}
