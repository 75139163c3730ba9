//! The auditor's questions about one account, answered as values a report
//! can render: may this principal perform this action on this resource
//! ([`can`]), and who is meant by a name or an access key id
//! ([`principal_named`]).

use std::fmt;
use std::sync::Arc;

use cartguard_inventory::Account;
use cartguard_inventory::iam::{GET_ACCOUNT_AUTHORIZATION_DETAILS, LIST_ACCESS_KEYS};
use serde::Serialize;

use crate::catalogue::catalogue;
use crate::context::RequestContext;
use crate::evaluate::{
    Decision, ImplicitDenyReason, PolicySet, Request, RequestPrincipal, evaluate,
    needs_no_permission,
};
use crate::policy::{Effect, Policy, PolicyKind, PrincipalEntry, StatementRef};
use crate::principals::{
    Principal, PrincipalKind, Principals, ResolveError, resource_control_policies,
};
use crate::quote::StatementQuote;
use crate::resource_policy::{
    CollectedState, bucket_of, collected_key_policy, collected_resource_policy, names_kms_key,
};
use crate::trust::is_assume_action;

/// Why a question about an account cannot be answered.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The evidence holds no authorization details; the message says why.
    #[error("{0}")]
    NoPrincipals(String),
    /// No principal, or more than one, has the name given.
    #[error(transparent)]
    Principal(#[from] ResolveError),
    /// No user in the evidence owns the access key.
    #[error(
        "access key {key} is not in the evidence ({evidence} names no user with it)",
        evidence = LIST_ACCESS_KEYS.global()
    )]
    UnknownAccessKey {
        /// The access key id asked about.
        key: String,
    },
}

/// The account's users and roles, or why the evidence cannot give them.
pub fn principals_of(account: &Account) -> Result<Principals, QueryError> {
    Principals::of_account(account).ok_or_else(|| {
        QueryError::NoPrincipals(
            account
                .iam
                .authorization_details
                .unavailable_reason(&GET_ACCOUNT_AUTHORIZATION_DETAILS.global())
                .unwrap_or_else(|| "the authorization details are unavailable".into()),
        )
    })
}

/// Whether `text` has the shape of an access key id: `AKIA…` (a user's
/// long-term key) or `ASIA…` (a session's), 20 characters.
pub fn is_access_key_id(text: &str) -> bool {
    (text.starts_with("AKIA") || text.starts_with("ASIA")) && text.len() == 20
}

/// The user that owns the access key `key_id`, as each user's list of access
/// keys in the evidence says.
pub fn access_key_owner<'a>(account: &'a Account, key_id: &str) -> Option<&'a str> {
    account.iam.access_keys.iter().find_map(|(user, keys)| {
        keys.present()?
            .iter()
            .any(|k| k.access_key_id == key_id)
            .then_some(user.as_str())
    })
}

/// The principal `who` names: a user or role by ARN or name, or, for an
/// access key id ([`is_access_key_id`]), the user that owns the key.
pub fn principal_named<'p>(
    account: &Account,
    principals: &'p Principals,
    who: &str,
) -> Result<&'p Principal, QueryError> {
    let name = if is_access_key_id(who) {
        access_key_owner(account, who).ok_or_else(|| QueryError::UnknownAccessKey {
            key: who.to_string(),
        })?
    } else {
        who
    };
    Ok(principals.resolve(name)?)
}

/// Who makes a request.
#[derive(Debug, Clone)]
pub enum Caller<'p> {
    /// A user or role of the account; for a role, the session ARN
    /// (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`) when one is named.
    Member {
        /// The user or role.
        principal: &'p Principal,
        /// The assumed-role session, when the question names one.
        session_arn: Option<String>,
    },
    /// An unauthenticated caller from the internet.
    Anonymous,
    /// An AWS service principal (`s3.amazonaws.com`).
    Service(String),
}

impl Caller<'_> {
    /// The caller as a request's principal.
    fn request_principal(&self) -> RequestPrincipal {
        match self {
            Caller::Member {
                principal,
                session_arn,
            } => {
                let mut caller = principal.request_principal();
                if principal.kind == PrincipalKind::Role {
                    caller.session_arn = session_arn.clone();
                }
                caller
            }
            Caller::Anonymous => RequestPrincipal::anonymous(),
            Caller::Service(name) => RequestPrincipal::service(name),
        }
    }

    /// How the answer names the caller.
    fn label(&self) -> String {
        match self {
            Caller::Member {
                session_arn: Some(session),
                principal,
            } if principal.kind == PrincipalKind::Role => session.clone(),
            Caller::Member { principal, .. } => principal.arn.clone(),
            Caller::Anonymous => "anonymous".to_string(),
            Caller::Service(name) => name.clone(),
        }
    }
}

/// The caller `who` names ([`principal_named`]); an assumed-role session ARN
/// names its role and keeps the session.
pub fn caller_named<'p>(
    account: &Account,
    principals: &'p Principals,
    who: &str,
) -> Result<Caller<'p>, QueryError> {
    let principal = principal_named(account, principals, who)?;
    let session_arn = RequestPrincipal::from_arn(who).and_then(|p| p.session_arn);
    Ok(Caller::Member {
        principal,
        session_arn,
    })
}

/// A request to decide for a principal: the action, the resource, what is
/// known of the request's context, and the resource's own policies.
#[derive(Debug, Clone)]
pub struct Question {
    /// The action (`s3:GetObject`), in any case.
    pub action: String,
    /// The resource ARN, or `*`.
    pub resource: String,
    /// The condition keys known to be present or absent; others are unknown.
    pub context: RequestContext,
    /// The resource's policies as the auditor supplies them; when there are
    /// none, the resource's own policy is taken from the evidence (a KMS key
    /// policy, or [`collected_resource_policy`]).
    pub resource_policies: Vec<Policy>,
    /// Inline session policies the role session was created with.
    pub session_policies: Vec<Policy>,
    /// Managed policies (by ARN) the role session was created with, as
    /// session policies.
    pub session_policy_arns: Vec<String>,
    /// The account that owns the resource, for resources whose ARN names none
    /// (S3 buckets); otherwise taken from the evidence or the ARN.
    pub resource_account: Option<String>,
    /// The trust policy of the role to assume, as given, for `sts:AssumeRole*`
    /// on a role the evidence does not hold (it replaces the evidence's).
    pub trust_policy: Option<Policy>,
    /// The policy of the VPC endpoint the request goes through.
    pub endpoint_policies: Vec<Policy>,
}

impl Question {
    /// A question with an open context and no resource policy of its own.
    pub fn new(action: &str, resource: &str) -> Question {
        Question {
            action: action.to_string(),
            resource: resource.to_string(),
            context: RequestContext::new(),
            resource_policies: Vec::new(),
            session_policies: Vec::new(),
            session_policy_arns: Vec::new(),
            resource_account: None,
            trust_policy: None,
            endpoint_policies: Vec::new(),
        }
    }
}

/// How a request is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Allowed.
    Allow,
    /// Denied by a `Deny` statement.
    ExplicitDeny,
    /// Not allowed by what had to allow it.
    ImplicitDeny,
    /// Depends on request context that is unknown.
    Conditional,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Verdict::Allow => "allow",
            Verdict::ExplicitDeny => "explicit-deny",
            Verdict::ImplicitDeny => "implicit-deny",
            Verdict::Conditional => "conditional",
        })
    }
}

/// Serialised as it is displayed.
impl Serialize for Verdict {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A condition or policy variable a conditional decision waits on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PendingCondition {
    /// The effect of the statement that holds it.
    pub effect: Effect,
    /// `Condition` or `Resource`.
    pub element: &'static str,
    /// The condition operator, for conditions.
    pub operator: Option<String>,
    /// The condition key or policy variable whose value is unknown.
    pub key: String,
    /// The values it is compared with, or the resource patterns.
    pub values: Vec<String>,
    /// For a condition that cannot be read (an unknown operator, a value the
    /// operator cannot take), why: no context decides it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// The statement that holds it.
    pub statement: StatementRef,
}

/// The answer to "may this principal perform this action on this resource".
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    /// The decision.
    pub decision: Verdict,
    /// The principal's ARN.
    pub principal: String,
    /// The action asked about.
    pub action: String,
    /// The resource asked about.
    pub resource: String,
    /// The statements that decided: those that allow or deny, or, for a
    /// conditional decision, those that wait on context.
    pub statements: Vec<StatementQuote>,
    /// What a conditional decision waits on.
    pub conditions: Vec<PendingCondition>,
    /// Why an implicit deny is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<ImplicitDenyReason>,
    /// For an implicit deny, what refuses the request, in words: the policy
    /// that does not allow it (a role's trust policy, with whom it admits; a
    /// key policy, a permissions boundary, a session or VPC endpoint policy,
    /// the organization's SCPs or RCPs), or that nothing allows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused_by: Option<String>,
    /// The resource's own policies the decision weighed, by name: a file
    /// given, or one from the evidence (`bucket policy of shop-orders-export
    /// (evidence)`, `<key ARN>#key-policy`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resource_policies: Vec<String>,
    /// What the decision rests on besides statements (an action AWS does not
    /// control with policies, the session or account it was taken for).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// What the decision could not take into account.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Decides `question` for `principal` of `account` as AWS would ([`ask`]
/// with the principal as the caller).
pub fn can(
    account: &Account,
    principals: &Principals,
    principal: &Principal,
    question: &Question,
) -> Answer {
    let caller = Caller::Member {
        principal,
        session_arn: None,
    };
    ask(account, principals, &caller, question)
}

/// Whether `action` assumes a role (`sts:AssumeRole*`), the only requests a
/// trust policy decides.
pub fn assumes_role(action: &str) -> bool {
    is_assume_action(action)
}

/// Decides `question` for `caller` as AWS would: with the caller's own
/// policies, its permissions boundary, the session policies given and the
/// account's SCPs; with the resource policies given, or else the resource's
/// own policy the evidence holds (key, bucket, secret, function, topic or
/// queue policy); for the actions that assume a role, with
/// the role's trust policy (given, or from the evidence); with the RCPs of the
/// evidence's account when the resource is in it; and with the VPC endpoint's
/// policy when one is given. The answer lists what could not be taken into
/// account.
pub fn ask(
    account: &Account,
    principals: &Principals,
    caller: &Caller<'_>,
    question: &Question,
) -> Answer {
    let (action, resource) = (question.action.as_str(), question.resource.as_str());
    let caller_principal = caller.request_principal();
    let mut request = Request::new(caller_principal.clone(), action, resource);
    request.context = question.context.clone();
    let mut warnings = Vec::new();
    let mut notes = Vec::new();
    let member = match caller {
        Caller::Member { principal, .. } => Some(*principal),
        _ => None,
    };
    let mut policies = member.map_or_else(PolicySet::default, |p| p.policies.clone());

    // Session policies: "the resulting session's permissions are the
    // intersection of the role's identity-based policy and the session
    // policies" (AWS STS API Reference, AssumeRole, PolicyArns).
    let mut session: Vec<Arc<Policy>> = question
        .session_policies
        .iter()
        .map(|p| Arc::new(p.with_kind(PolicyKind::Session)))
        .collect();
    for arn in &question.session_policy_arns {
        match principals.managed.get(arn) {
            Some(p) => session.push(Arc::new(p.with_kind(PolicyKind::Session))),
            None => warnings.push(format!(
                "the managed session policy {arn} is not in the evidence; it was left out of the decision, so the answer may allow more than AWS does"
            )),
        }
    }
    if !session.is_empty() {
        match member {
            Some(p) if p.kind == PrincipalKind::Role => policies.session = session,
            _ => warnings.push(
                "session policies apply to role sessions only; they were left out of the decision"
                    .to_string(),
            ),
        }
    }

    // The resource's owner: as given, else the evidence's bucket list for an
    // S3 bucket, else the ARN's account.
    let bucket = bucket_of(resource);
    let owned_here = bucket.is_some_and(|name| {
        account
            .s3
            .buckets
            .present()
            .is_some_and(|buckets| buckets.iter().any(|b| b.name == name))
    });
    request.resource_account = question
        .resource_account
        .clone()
        .or_else(|| owned_here.then(|| account.id.clone()));
    if let (Some(name), None) = (bucket, &request.resource_account) {
        warnings.push(format!(
            "the owner of bucket {name} is not known (the evidence's bucket list does not hold it); it was taken to be the caller's account — give --resource-account ID for a bucket of another account"
        ));
    }
    let resource_account = request
        .resource_account
        .clone()
        .or_else(|| {
            crate::arn::account_of(resource)
                .filter(|a| !a.is_empty() && *a != "aws")
                .map(str::to_string)
        })
        .or_else(|| caller_principal.account.clone())
        .unwrap_or_else(|| account.id.clone());
    if let Some(owner) = &request.resource_account
        && bucket.is_some()
    {
        notes.push(format!("the bucket is taken to belong to account {owner}"));
    }

    // RCPs apply to the resources of the accounts they are attached to.
    if resource_account == account.id {
        let (rcps, unreadable) = resource_control_policies(account);
        policies.rcps = rcps;
        for failure in unreadable {
            warnings.push(format!(
                "the RCP {} could not be parsed ({}); it was left out of the decision",
                failure.policy, failure.error
            ));
        }
    }

    policies.endpoint = question
        .endpoint_policies
        .iter()
        .cloned()
        .map(Arc::new)
        .collect();

    let mut own: Vec<Arc<Policy>> = question
        .resource_policies
        .iter()
        .cloned()
        .map(Arc::new)
        .collect();
    let mut unreadable_key_policy = None;
    if own.is_empty() {
        match collected_key_policy(account, resource) {
            Some(Ok(key_policy)) => own.push(Arc::new(key_policy)),
            Some(Err(failure)) => unreadable_key_policy = Some(failure),
            None => {}
        }
    }
    // The resource's own policy from the evidence (bucket, secret, function,
    // topic, queue), unless the auditor gave one, which replaces it. Within
    // one account an Allow in it that names the caller grants on its own,
    // without an identity-based Allow; across accounts the caller's
    // identity-based policies must allow too (IAM User Guide, Policy
    // evaluation logic: "Identity-based policies and resource-based
    // policies"; Cross-account policy evaluation logic). The evaluator
    // weighs it that way; an answer without it says so.
    if let Some(collected) = collected_resource_policy(account, resource) {
        let label = &collected.label;
        if !question.resource_policies.is_empty() {
            let given: Vec<&str> = question
                .resource_policies
                .iter()
                .map(|p| &*p.name)
                .collect();
            let replaced = match &collected.state {
                CollectedState::NoPolicy => "the evidence shows none",
                _ => "it replaces the one the evidence holds",
            };
            notes.push(format!(
                "the {label} was taken as given ({}; {replaced})",
                given.join(", ")
            ));
        } else {
            match collected.state {
                CollectedState::Found(policy) => {
                    notes.push(format!("the {label} from the evidence was weighed"));
                    own.push(Arc::new(policy));
                }
                CollectedState::NoPolicy => {
                    notes.push(format!("the evidence shows no {label}"));
                }
                CollectedState::Unavailable(why) => warnings.push(format!(
                    "the {label} is not in the evidence ({why}); AWS also weighs it, so the decision was taken without it and may differ (give it with --resource-policy FILE)"
                )),
                CollectedState::Unreadable(error) => warnings.push(format!(
                    "the {label} in the evidence could not be parsed ({error}); it was left out of the decision, and AWS also weighs it"
                )),
            }
        }
        if let Some(qualifier) = &collected.qualifier {
            notes.push(format!(
                "{qualifier} is an alias or version of the function: the evidence holds the function's own policy (lambda get-policy without --qualifier); a policy of the alias or version itself is not collected"
            ));
        }
    }
    let resource_policies: Vec<String> = own.iter().map(|p| p.name.to_string()).collect();
    policies.resource.extend(own.iter().cloned());
    if let Some(trust) = &question.trust_policy {
        let trust = Arc::new(trust.with_kind(PolicyKind::Trust));
        if is_assume_action(action) {
            policies.resource.push(Arc::clone(&trust));
        } else {
            warnings.push(format!(
                "a trust policy only decides sts:AssumeRole*; the one given was left out of the decision on {action}"
            ));
        }
        own.push(trust);
    } else if is_assume_action(action) {
        let role = principals
            .principals
            .iter()
            .find(|p| p.kind == PrincipalKind::Role && p.arn == resource);
        match role.and_then(|r| r.trust_policy.as_ref()) {
            Some(trust) => policies.resource.push(Arc::clone(trust)),
            None => warnings.push(format!(
                "the trust policy of {resource} is not in the evidence; AWS also requires it to allow the caller (give it with --trust-policy FILE)"
            )),
        }
    }
    own.extend(policies.endpoint.iter().cloned());
    own.extend(policies.session.iter().cloned());
    own.extend(policies.rcps.iter().flatten().cloned());
    match unreadable_key_policy {
        Some(failure) => warnings.push(format!(
            "the key policy of {resource} in the evidence could not be parsed ({}); it was left out of the decision, and AWS also requires it to allow the caller",
            failure.error
        )),
        None if question.resource_policies.is_empty()
            && own.iter().all(|p| p.kind != PolicyKind::KeyPolicy)
            && names_kms_key(resource) =>
        {
            warnings.push(format!(
                "the key policy of {resource} is not in the evidence and was not given (--resource-policy FILE); AWS also requires it to allow the caller"
            ))
        }
        None => {}
    }
    if let Some(source) = needs_no_permission(action, caller_principal.kind) {
        notes.push(format!(
            "{action} needs no permission: AWS allows it whatever the policies say ({source})"
        ));
    }
    if let Some(session_arn) = &caller_principal.session_arn {
        notes.push(format!(
            "decided for the session {session_arn} of {}: a resource-based policy that names the session is not limited by the role's permissions boundary or session policies",
            caller_principal.arn
        ));
    }
    let decision = evaluate(&policies, &request);
    // Statements of the policies given with the question (and of the RCPs)
    // are quoted from them: the account's principals do not hold them.
    let quote = |s: &StatementRef| match own.iter().find(|p| p.name == s.policy) {
        Some(policy) => StatementQuote::new(s, policy.statements.get(s.index).map(|st| &**st)),
        None => principals.quote(s),
    };
    if !catalogue().knows(action) {
        warnings.push(format!("{action} is not in the IAM action catalogue"));
    }
    if let Some(principal) = member {
        warnings.extend(unevaluated(principals, principal));
    }

    let mut answer = Answer {
        decision: Verdict::Allow,
        principal: caller.label(),
        action: action.to_string(),
        resource: resource.to_string(),
        statements: Vec::new(),
        conditions: Vec::new(),
        reason: None,
        refused_by: None,
        resource_policies,
        notes,
        warnings,
    };
    match decision {
        Decision::Allow { by } => answer.statements = by.iter().map(quote).collect(),
        Decision::ExplicitDeny { by } => {
            answer.decision = Verdict::ExplicitDeny;
            answer.statements = by.iter().map(quote).collect();
        }
        Decision::ImplicitDeny { reason } => {
            answer.decision = Verdict::ImplicitDeny;
            answer.reason = Some(reason);
            let refusal = Refusal {
                caller,
                action,
                resource,
                resource_account: &resource_account,
                policies: &policies,
            };
            answer.refused_by = Some(refusal.describe(reason));
        }
        Decision::Conditional { pending } => {
            answer.decision = Verdict::Conditional;
            answer.statements = pending.iter().map(|p| quote(&p.statement)).collect();
            answer.conditions = pending
                .into_iter()
                .flat_map(|p| {
                    let (effect, statement) = (p.effect, p.statement);
                    p.unresolved.into_iter().map(move |u| PendingCondition {
                        effect,
                        element: u.element,
                        operator: u.operator,
                        key: u.key,
                        values: u.values,
                        problem: u.problem,
                        statement: statement.clone(),
                    })
                })
                .collect();
        }
    }
    answer
}

/// What an implicit deny is made of: the request and the policies weighed.
struct Refusal<'a> {
    caller: &'a Caller<'a>,
    action: &'a str,
    resource: &'a str,
    resource_account: &'a str,
    policies: &'a PolicySet,
}

impl Refusal<'_> {
    /// What refuses the request, for the reason the evaluator gave.
    fn describe(&self, reason: ImplicitDenyReason) -> String {
        let (action, resource) = (self.action, self.resource);
        let names = |policies: &[Arc<Policy>]| {
            policies
                .iter()
                .map(|p| p.name.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let of_kind = |kind: PolicyKind| -> Vec<Arc<Policy>> {
            self.policies
                .resource
                .iter()
                .filter(|p| p.kind == kind)
                .cloned()
                .collect()
        };
        match reason {
            ImplicitDenyReason::ResourcePolicyRequired
            | ImplicitDenyReason::CrossAccountResourcePolicy
                if is_assume_action(action) =>
            {
                let trust = of_kind(PolicyKind::Trust);
                let admitted = admitted_by(&trust, action);
                let whom = if admitted.is_empty() {
                    format!("it lets no one {action}")
                } else {
                    format!("it admits only {}", admitted.join(", "))
                };
                format!(
                    "the trust policy of {resource} does not admit {}: {whom}",
                    self.caller.label()
                )
            }
            ImplicitDenyReason::ResourcePolicyRequired => {
                let keys = of_kind(PolicyKind::KeyPolicy);
                let policy = if keys.is_empty() {
                    format!("the key policy of {resource}")
                } else {
                    format!("the key policy ({})", names(&keys))
                };
                format!(
                    "{policy} does not allow {} {action}, and KMS requires the key policy to allow the caller (or to let the account's IAM policies decide)",
                    self.caller.label()
                )
            }
            ImplicitDenyReason::CrossAccountResourcePolicy => {
                let own = &self.policies.resource;
                let policy = if own.is_empty() {
                    "none was given or found (give it with --resource-policy FILE)".to_string()
                } else {
                    format!("{} does not", names(own))
                };
                format!(
                    "{resource} belongs to account {}, so its own policy must allow the caller as well: {policy}",
                    self.resource_account
                )
            }
            ImplicitDenyReason::PermissionsBoundary => {
                let boundary = self
                    .policies
                    .boundary
                    .as_ref()
                    .map_or_else(String::new, |b| format!(" {}", b.name));
                format!(
                    "the permissions boundary{boundary} does not allow {action}, though the caller's policies do"
                )
            }
            ImplicitDenyReason::SessionPolicy => format!(
                "the session policies ({}) do not allow {action}, though the role's policies do",
                names(&self.policies.session)
            ),
            ImplicitDenyReason::VpcEndpointPolicy => format!(
                "the VPC endpoint policy ({}) does not allow {action} on {resource}",
                names(&self.policies.endpoint)
            ),
            ImplicitDenyReason::ServiceControlPolicy => format!(
                "the organization's service control policies allow no {action} at one level (root, organizational unit or account), and every level must"
            ),
            ImplicitDenyReason::ResourceControlPolicy => format!(
                "the organization's resource control policies allow no {action} on {resource} at one level, and every level must"
            ),
            ImplicitDenyReason::NoAllow => {
                let own: Vec<Arc<Policy>> = self
                    .policies
                    .resource
                    .iter()
                    .filter(|p| p.kind != PolicyKind::Trust)
                    .cloned()
                    .collect();
                let resource_side = if own.is_empty() {
                    String::new()
                } else {
                    format!(" or of {}", names(&own))
                };
                match self.caller {
                    Caller::Member { .. } => format!(
                        "no statement of the caller's policies{resource_side} allows {action} on {resource}"
                    ),
                    Caller::Anonymous | Caller::Service(_) if own.is_empty() => format!(
                        "only the resource's own policy can allow {} {action}, and the resource has none in the evidence",
                        self.caller.label()
                    ),
                    Caller::Anonymous | Caller::Service(_) => format!(
                        "no statement of {} allows {} {action}",
                        names(&own),
                        self.caller.label()
                    ),
                }
            }
        }
    }
}

/// Whom the `Allow` statements of `trust` let perform `action`, in words
/// (`the service ec2.amazonaws.com`, `arn:aws:iam::…:role/ci`).
fn admitted_by(trust: &[Arc<Policy>], action: &str) -> Vec<String> {
    let action = action.to_ascii_lowercase();
    let mut out: Vec<String> = Vec::new();
    let statements = trust
        .iter()
        .flat_map(|p| p.statements.iter())
        .filter(|s| s.effect == Effect::Allow && s.matches_action(&action));
    for statement in statements {
        let Some(clause) = &statement.principals else {
            continue;
        };
        for entry in &clause.entries {
            let who = match entry {
                PrincipalEntry::Everyone => "any principal".to_string(),
                PrincipalEntry::Account(a) => format!("account {a}"),
                PrincipalEntry::Arn(a) | PrincipalEntry::UniqueId(a) => a.clone(),
                PrincipalEntry::Service(s) => format!("the service {s}"),
                PrincipalEntry::Federated(f) => format!("users of the identity provider {f}"),
                PrincipalEntry::CanonicalUser(c) => format!("canonical user {c}"),
            };
            let who = if clause.negated {
                format!("anyone but {who}")
            } else {
                who
            };
            if !out.contains(&who) {
                out.push(who);
            }
        }
    }
    out
}

/// What a decision for `principal` could not take into account: its policies
/// that the evidence names but does not hold or that do not parse, and SCPs
/// that do not parse (left out, so the answer may allow more than AWS does).
fn unevaluated(principals: &Principals, principal: &Principal) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(reason) = principals.incomplete(principal) {
        out.push(reason);
    }
    for failure in &principals.unreadable_scps {
        out.push(format!(
            "the SCP {} could not be parsed ({}); it was left out of the decision",
            failure.policy, failure.error
        ));
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use cartguard_inventory::iam::AccessKeyMetadata;
    use cartguard_inventory::kms::KmsKey;
    use cartguard_inventory::{Collected, PolicyDocument, Region};
    use serde_json::json;

    use super::*;

    pub(crate) const KEY: &str = "arn:aws:kms:eu-west-1:111122223333:key/k1";

    /// An account with an administrator `alice` (access key
    /// `AKIAALICE00000000001`), a role `web` that EC2 may assume and that may
    /// decrypt with any key, and a KMS key whose key policy is `key_policy`
    /// (none when `None`).
    pub(crate) fn account(key_policy: Option<&str>) -> Account {
        let mut account = Account {
            id: "111122223333".into(),
            ..Account::default()
        };
        let admin = json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}});
        account.iam.authorization_details = Collected::Present(
            serde_json::from_value(json!({
                "UserDetailList": [{
                    "UserName": "alice", "Arn": "arn:aws:iam::111122223333:user/alice",
                    "UserPolicyList": [{"PolicyName": "admin", "PolicyDocument": admin}]
                }],
                "RoleDetailList": [{
                    "RoleName": "web", "Arn": "arn:aws:iam::111122223333:role/web",
                    "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
                    "RolePolicyList": [{"PolicyName": "decrypt", "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}}}]
                }]
            }))
            .expect("authorization details"),
        );
        account.iam.access_keys.insert(
            "alice".into(),
            Collected::Present(vec![AccessKeyMetadata {
                user_name: Some("alice".into()),
                access_key_id: "AKIAALICE00000000001".into(),
                status: "Active".into(),
                create_date: None,
            }]),
        );
        let mut region = Region::default();
        region.kms.keys = Collected::Present(vec![KmsKey {
            key_id: "k1".into(),
            key_arn: Some(KEY.into()),
        }]);
        if let Some(text) = key_policy {
            let document = PolicyDocument::from_text(text).expect("JSON");
            region
                .kms
                .key_policies
                .insert("k1".into(), Collected::Present(document));
        }
        account.regions.insert("eu-west-1".into(), region);
        account
    }

    fn ask(account: &Account, who: &str, action: &str, resource: &str) -> Answer {
        let principals = principals_of(account).expect("principals");
        let principal = principal_named(account, &principals, who).expect("a principal");
        can(
            account,
            &principals,
            principal,
            &Question::new(action, resource),
        )
    }

    #[test]
    fn a_collected_key_policy_decides_and_is_quoted() {
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Sid":"WebDecrypts","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/web"},"Action":"kms:Decrypt","Resource":"*"}]}"#;
        let account = account(Some(policy));
        let web = ask(&account, "web", "kms:Decrypt", KEY);
        assert_eq!(web.decision, Verdict::Allow);
        assert_eq!(web.statements[0].sid.as_deref(), Some("WebDecrypts"));
        assert_eq!(web.statements[0].statement["Action"], "kms:Decrypt");
        assert!(web.warnings.is_empty(), "{:?}", web.warnings);
        // The key policy names only the role: an administrator is denied.
        let alice = ask(&account, "alice", "kms:Decrypt", KEY);
        assert_eq!(alice.decision, Verdict::ImplicitDeny);
    }

    #[test]
    fn a_key_policy_that_cannot_be_parsed_is_reported() {
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Everyone","Effect":"Permit","Principal":"*","Action":"kms:Decrypt","Resource":"*"}]}"#;
        let answer = ask(&account(Some(policy)), "web", "kms:Decrypt", KEY);
        assert_eq!(answer.warnings.len(), 1, "{:?}", answer.warnings);
        assert!(answer.warnings[0].contains("could not be parsed"));
        // The policy, the statement and the element, in words.
        assert!(
            answer.warnings[0].contains(
                "could not be parsed (statement 0 (Sid \"Everyone\"), its Effect element"
            ),
            "{}",
            answer.warnings[0]
        );
    }

    #[test]
    fn a_missing_key_policy_is_reported() {
        let answer = ask(&account(None), "web", "kms:Decrypt", KEY);
        assert_eq!(answer.warnings.len(), 1, "{:?}", answer.warnings);
        assert!(answer.warnings[0].contains("is not in the evidence"));
    }

    #[test]
    fn assuming_a_role_needs_its_trust_policy() {
        let account = account(None);
        let role = "arn:aws:iam::111122223333:role/web";
        let answer = ask(&account, "alice", "sts:AssumeRole", role);
        assert_eq!(answer.decision, Verdict::ImplicitDeny);
        assert_eq!(
            answer.reason,
            Some(ImplicitDenyReason::ResourcePolicyRequired)
        );
        // The answer names the policy that refuses, and whom it admits.
        assert_eq!(
            answer.refused_by.as_deref(),
            Some(
                "the trust policy of arn:aws:iam::111122223333:role/web does not admit arn:aws:iam::111122223333:user/alice: it admits only the service ec2.amazonaws.com"
            )
        );
        let elsewhere = ask(
            &account,
            "alice",
            "sts:AssumeRole",
            "arn:aws:iam::111122223333:role/gone",
        );
        assert_eq!(elsewhere.decision, Verdict::Allow);
        assert!(elsewhere.warnings[0].contains("trust policy"));
    }

    /// A policy allowing `action` on `resource` to the role `web`.
    pub(crate) fn grant_to_web(sid: &str, action: &str, resource: &str) -> PolicyDocument {
        let text = json!({"Version": "2012-10-17", "Statement": [{"Sid": sid, "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:role/web"},
            "Action": action, "Resource": resource}]})
        .to_string();
        PolicyDocument::from_text(&text).expect("a document")
    }

    /// The account of [`account`] with the bucket `shop-orders-export`, whose
    /// policy is `policy` (its answer as collected).
    pub(crate) fn with_bucket(policy: Option<Collected<PolicyDocument>>) -> Account {
        let mut account = account(None);
        account.s3.buckets = Collected::Present(
            serde_json::from_value(json!([{"Name": "shop-orders-export"}])).expect("buckets"),
        );
        if let Some(policy) = policy {
            account
                .s3
                .policies
                .insert("shop-orders-export".into(), policy);
        }
        account
    }

    fn region(account: &mut Account) -> &mut Region {
        account.regions.entry("eu-west-1".into()).or_default()
    }

    const ORDERS: &str = "arn:aws:s3:::shop-orders-export";

    #[test]
    fn a_bucket_policy_found_by_an_object_arn_grants_within_the_account() {
        let policy = grant_to_web("WebReads", "s3:GetObject", &format!("{ORDERS}/*"));
        let account = with_bucket(Some(Collected::Present(policy)));
        let object = format!("{ORDERS}/2026/orders.csv");
        let web = ask(&account, "web", "s3:GetObject", &object);
        // The role has no identity-based grant on S3: the bucket policy
        // alone allows it, as both are in the same account.
        assert_eq!(web.decision, Verdict::Allow, "{web:?}");
        assert_eq!(
            &*web.statements[0].policy,
            "bucket policy of shop-orders-export (evidence)"
        );
        assert_eq!(web.statements[0].sid.as_deref(), Some("WebReads"));
        assert_eq!(
            web.resource_policies,
            ["bucket policy of shop-orders-export (evidence)"]
        );
        assert!(web.warnings.is_empty(), "{:?}", web.warnings);
        assert!(
            web.notes
                .iter()
                .any(|n| n
                    == "the bucket policy of shop-orders-export from the evidence was weighed"),
            "{:?}",
            web.notes
        );
        // The bucket's own ARN finds the same policy, which grants nothing on it.
        let list = ask(&account, "web", "s3:ListBucket", ORDERS);
        assert_eq!(list.decision, Verdict::ImplicitDeny);
        assert!(
            list.notes
                .iter()
                .any(|n| n.contains("bucket policy of shop-orders-export"))
        );
        // Without the policy, the role is denied.
        let none = with_bucket(Some(Collected::NotConfigured {
            code: "NoSuchBucketPolicy".into(),
        }));
        let denied = ask(&none, "web", "s3:GetObject", &object);
        assert_eq!(denied.decision, Verdict::ImplicitDeny);
        assert!(denied.warnings.is_empty(), "{:?}", denied.warnings);
        assert!(
            denied
                .notes
                .contains(&"the evidence shows no bucket policy of shop-orders-export".to_string())
        );
    }

    #[test]
    fn across_accounts_a_bucket_policy_needs_the_identity_side_too() {
        let policy = grant_to_web("WebReads", "s3:GetObject", &format!("{ORDERS}/*"));
        let account = with_bucket(Some(Collected::Present(policy)));
        let principals = principals_of(&account).expect("principals");
        let web = principal_named(&account, &principals, "web").expect("web");
        let mut question = Question::new("s3:GetObject", &format!("{ORDERS}/a.csv"));
        question.resource_account = Some("444455556666".into());
        let answer = can(&account, &principals, web, &question);
        assert_eq!(answer.decision, Verdict::ImplicitDeny);
    }

    #[test]
    fn a_bucket_policy_that_was_not_collected_or_denied_is_a_warning() {
        let object = format!("{ORDERS}/a.csv");
        let missing = ask(&with_bucket(None), "web", "s3:GetObject", &object);
        assert_eq!(missing.decision, Verdict::ImplicitDeny);
        assert_eq!(missing.warnings.len(), 1, "{:?}", missing.warnings);
        assert!(
            missing.warnings[0].starts_with("the bucket policy of shop-orders-export is not in the evidence (s3:GetBucketPolicy for shop-orders-export was not collected); AWS also weighs it"),
            "{}",
            missing.warnings[0]
        );
        let denied = with_bucket(Some(Collected::Failed {
            code: "AccessDenied".into(),
            message: "Access Denied".into(),
        }));
        let answer = ask(&denied, "alice", "s3:GetObject", &object);
        assert_eq!(answer.decision, Verdict::Allow);
        assert!(
            answer.warnings[0].contains("AccessDenied"),
            "{:?}",
            answer.warnings
        );
        // A bucket the account does not list is another account's: no
        // warning about its policy (the owner warning says what to give).
        let elsewhere = ask(
            &with_bucket(None),
            "web",
            "s3:GetObject",
            "arn:aws:s3:::partner/a",
        );
        assert!(
            elsewhere
                .warnings
                .iter()
                .all(|w| !w.contains("bucket policy")),
            "{:?}",
            elsewhere.warnings
        );
    }

    #[test]
    fn a_given_policy_replaces_the_collected_one() {
        let policy = grant_to_web("WebReads", "s3:GetObject", &format!("{ORDERS}/*"));
        let account = with_bucket(Some(Collected::Present(policy)));
        let principals = principals_of(&account).expect("principals");
        let web = principal_named(&account, &principals, "web").expect("web");
        let mut question = Question::new("s3:GetObject", &format!("{ORDERS}/a.csv"));
        let empty = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"*"}]}"#;
        question.resource_policies = vec![
            crate::resource_policy::supplied_policy("given.json", empty, ORDERS).expect("policy"),
        ];
        let answer = can(&account, &principals, web, &question);
        assert_eq!(answer.decision, Verdict::ImplicitDeny);
        assert_eq!(answer.resource_policies, ["given.json"]);
        assert!(
            answer.notes.contains(
                &"the bucket policy of shop-orders-export was taken as given (given.json; it replaces the one the evidence holds)".to_string()
            ),
            "{:?}",
            answer.notes
        );
    }

    #[test]
    fn a_secret_policy_is_found_by_its_full_or_partial_arn() {
        let arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-AbCdEf";
        let mut account = account(None);
        let secrets = &mut region(&mut account).secretsmanager;
        secrets.secrets = Collected::Present(
            serde_json::from_value(json!([{"ARN": arn, "Name": "prod/db"}])).expect("secrets"),
        );
        secrets.resource_policies.insert(
            "prod/db".into(),
            Collected::Present(Some(grant_to_web(
                "WebReadsSecret",
                "secretsmanager:GetSecretValue",
                arn,
            ))),
        );
        let full = ask(&account, "web", "secretsmanager:GetSecretValue", arn);
        assert_eq!(full.decision, Verdict::Allow, "{full:?}");
        assert_eq!(
            &*full.statements[0].policy,
            "resource policy of secret prod/db (evidence)"
        );
        let partial = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db";
        let found = ask(&account, "web", "secretsmanager:GetSecretValue", partial);
        assert!(
            found
                .notes
                .iter()
                .any(|n| n.contains("resource policy of secret prod/db"))
        );
        // A secret the evidence lists without its policy: a warning.
        let other = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/api-XyZ123";
        let missing = ask(&account, "web", "secretsmanager:GetSecretValue", other);
        assert!(
            missing.warnings[0].contains("secretsmanager:GetResourcePolicy"),
            "{:?}",
            missing.warnings
        );
    }

    #[test]
    fn a_qualified_function_arn_finds_the_functions_policy() {
        let function = "arn:aws:lambda:eu-west-1:111122223333:function:resize";
        let mut account = account(None);
        region(&mut account).lambda.policies.insert(
            "resize".into(),
            Collected::Present(grant_to_web(
                "WebInvokes",
                "lambda:InvokeFunction",
                &format!("{function}*"),
            )),
        );
        let alias = format!("{function}:live");
        let answer = ask(&account, "web", "lambda:InvokeFunction", &alias);
        assert_eq!(answer.decision, Verdict::Allow, "{answer:?}");
        assert_eq!(
            &*answer.statements[0].policy,
            "policy of function resize (evidence)"
        );
        assert!(
            answer
                .notes
                .iter()
                .any(|n| n.starts_with("live is an alias or version"))
        );
        let version = ask(
            &account,
            "web",
            "lambda:InvokeFunction",
            &format!("{function}:7"),
        );
        assert_eq!(version.decision, Verdict::Allow);
        // A function without a policy (ResourceNotFoundException) grants nothing.
        region(&mut account).lambda.policies.insert(
            "resize".into(),
            Collected::NotConfigured {
                code: "ResourceNotFoundException".into(),
            },
        );
        let none = ask(&account, "web", "lambda:InvokeFunction", function);
        assert_eq!(none.decision, Verdict::ImplicitDeny);
        assert!(none.warnings.is_empty(), "{:?}", none.warnings);
    }

    #[test]
    fn topic_and_queue_policies_are_found_by_arn() {
        let topic = "arn:aws:sns:eu-west-1:111122223333:alerts";
        let queue = "arn:aws:sqs:eu-west-1:111122223333:orders";
        let mut account = account(None);
        region(&mut account).sns.topic_policies.insert(
            "alerts".into(),
            Collected::Present(Some(grant_to_web("WebPublishes", "sns:Publish", topic))),
        );
        region(&mut account).sqs.attributes.insert(
            "orders".into(),
            Collected::Present(cartguard_inventory::sqs::QueueAttributes {
                queue_arn: Some(queue.into()),
                policy: Some(grant_to_web("WebSends", "sqs:SendMessage", queue)),
            }),
        );
        let publish = ask(&account, "web", "sns:Publish", topic);
        assert_eq!(publish.decision, Verdict::Allow);
        assert_eq!(
            &*publish.statements[0].policy,
            "topic policy of alerts (evidence)"
        );
        let send = ask(&account, "web", "sqs:SendMessage", queue);
        assert_eq!(send.decision, Verdict::Allow);
        assert_eq!(
            &*send.statements[0].policy,
            "queue policy of orders (evidence)"
        );
        // A queue whose attributes could not be read: a warning.
        region(&mut account).sqs.attributes.insert(
            "orders".into(),
            Collected::Failed {
                code: "AccessDenied".into(),
                message: "not authorized".into(),
            },
        );
        let denied = ask(&account, "web", "sqs:SendMessage", queue);
        assert_eq!(denied.decision, Verdict::ImplicitDeny);
        assert_eq!(denied.warnings.len(), 1, "{:?}", denied.warnings);
        assert!(
            denied.warnings[0].starts_with("the queue policy of orders is not in the evidence (sqs:GetQueueAttributes for orders in eu-west-1 failed: AccessDenied"),
            "{}",
            denied.warnings[0]
        );
        // A topic of another account is not looked up.
        let foreign = ask(
            &account,
            "web",
            "sns:Publish",
            "arn:aws:sns:eu-west-1:444455556666:x",
        );
        assert!(foreign.warnings.is_empty(), "{:?}", foreign.warnings);
    }

    #[test]
    fn an_access_key_names_its_owner() {
        let account = account(None);
        let principals = principals_of(&account).expect("principals");
        let owner = principal_named(&account, &principals, "AKIAALICE00000000001");
        assert_eq!(
            owner.expect("alice").arn,
            "arn:aws:iam::111122223333:user/alice"
        );
        let unknown = principal_named(&account, &principals, "AKIAUNKNOWN000000000");
        assert!(matches!(unknown, Err(QueryError::UnknownAccessKey { .. })));
    }

    #[test]
    fn answers_serialise_in_the_words_they_print() {
        let queue = "arn:aws:sqs:eu-west-1:111122223333:orders";
        // The queue has no policy, as the evidence shows.
        let mut account = account(None);
        region(&mut account).sqs.attributes.insert(
            "orders".into(),
            Collected::Present(cartguard_inventory::sqs::QueueAttributes::default()),
        );
        let answer = ask(&account, "alice", "sqs:SendMessage", queue);
        let json = serde_json::to_value(&answer).expect("serialisable");
        assert_eq!(json["decision"], "allow");
        assert_eq!(json["statements"][0]["statement_index"], 0);
        assert!(json.get("warnings").is_none());
        let denied = ask(&account, "web", "sqs:SendMessage", queue);
        assert_eq!(
            serde_json::to_value(&denied).expect("serialisable")["reason"],
            "no-allow"
        );
    }
}
