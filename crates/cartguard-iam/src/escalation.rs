//! Privilege escalation, as data.
//!
//! [`METHODS`] lists the known ways a principal can raise its own privileges
//! (after Rhino Security Labs' catalogue and the IAM documentation of the
//! actions involved): each method needs one action from each of its
//! requirements, on a kind of target. A method is found when the principal's
//! *effective* permissions (all its policies together, after denies,
//! boundary and SCPs) satisfy every requirement, so a method split across a
//! group policy and an inline policy is found. Principals that are already
//! administrators are not reported.

use std::cell::RefCell;
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::Tri;
use crate::catalogue::{ActionSet, catalogue};
use crate::effective::{AdminAccess, EffectivePermissions, Grant};
use std::sync::Arc;

use crate::evaluate::{Decision, Request, evaluate};
use crate::policy::{Effect, PrincipalEntry, StatementRef};
use crate::principals::{Principal, PrincipalKind, Principals};

/// What a requirement's action must be allowed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Any resource.
    Anything,
    /// A user other than the principal.
    OtherUser,
    /// The principal itself, when it is a user.
    OwnUser,
    /// The principal itself, when it is a role.
    OwnRole,
    /// A group the principal (a user) belongs to.
    OwnGroup,
    /// Any group (the principal must be a user to join it).
    AnyGroup,
    /// A role other than the principal, more privileged than it.
    OtherRole,
    /// A customer managed policy.
    ManagedPolicy,
    /// A role, more privileged than the principal, that trusts this service.
    PassedRole(&'static str),
    /// A role, more privileged than the principal, whose trust policy admits
    /// the principal (by its ARN, its account or everyone).
    TrustingRole,
}

/// One permission a method needs: any of the actions, on the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Requirement {
    /// Any one of these actions will do.
    pub any_of: &'static [&'static str],
    /// What it must be allowed on.
    pub target: Target,
}

/// A known way to escalate privileges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EscalationMethod {
    /// Stable identifier.
    pub id: &'static str,
    /// How it works, in one sentence.
    pub description: &'static str,
    /// Every requirement must be met.
    pub requires: &'static [Requirement],
}

impl EscalationMethod {
    /// Whether the method acts on an EC2 instance to gain the role of its
    /// instance profile (the path is real only through such an instance).
    pub fn through_instance(&self) -> bool {
        INSTANCE_METHODS.contains(&self.id)
    }
}

const fn req(any_of: &'static [&'static str], target: Target) -> Requirement {
    Requirement { any_of, target }
}

const fn pass(service: &'static str) -> Requirement {
    req(&["iam:PassRole"], Target::PassedRole(service))
}

/// The catalogue of escalation methods.
pub static METHODS: &[EscalationMethod] = &[
    EscalationMethod {
        id: "iam-create-policy-version",
        description: "Create a new default version of a managed policy (attached to itself) that allows everything.",
        requires: &[req(&["iam:CreatePolicyVersion"], Target::ManagedPolicy)],
    },
    EscalationMethod {
        id: "iam-set-default-policy-version",
        description: "Make an older, broader version of a managed policy the default.",
        requires: &[req(&["iam:SetDefaultPolicyVersion"], Target::ManagedPolicy)],
    },
    EscalationMethod {
        id: "iam-create-access-key",
        description: "Create an access key for another, more privileged user.",
        requires: &[req(&["iam:CreateAccessKey"], Target::OtherUser)],
    },
    EscalationMethod {
        id: "iam-create-login-profile",
        description: "Set a console password for another user that has none, and sign in as that user.",
        requires: &[req(&["iam:CreateLoginProfile"], Target::OtherUser)],
    },
    EscalationMethod {
        id: "iam-update-login-profile",
        description: "Change another user's console password and sign in as that user.",
        requires: &[req(&["iam:UpdateLoginProfile"], Target::OtherUser)],
    },
    EscalationMethod {
        id: "iam-attach-user-policy",
        description: "Attach AdministratorAccess to itself.",
        requires: &[req(&["iam:AttachUserPolicy"], Target::OwnUser)],
    },
    EscalationMethod {
        id: "iam-attach-group-policy",
        description: "Attach AdministratorAccess to a group it belongs to.",
        requires: &[req(&["iam:AttachGroupPolicy"], Target::OwnGroup)],
    },
    EscalationMethod {
        id: "iam-attach-role-policy",
        description: "Attach AdministratorAccess to its own role.",
        requires: &[req(&["iam:AttachRolePolicy"], Target::OwnRole)],
    },
    EscalationMethod {
        id: "iam-put-user-policy",
        description: "Write an inline policy granting everything into itself.",
        requires: &[req(&["iam:PutUserPolicy"], Target::OwnUser)],
    },
    EscalationMethod {
        id: "iam-put-group-policy",
        description: "Write an inline policy granting everything into a group it belongs to.",
        requires: &[req(&["iam:PutGroupPolicy"], Target::OwnGroup)],
    },
    EscalationMethod {
        id: "iam-put-role-policy",
        description: "Write an inline policy granting everything into its own role.",
        requires: &[req(&["iam:PutRolePolicy"], Target::OwnRole)],
    },
    EscalationMethod {
        id: "iam-add-user-to-group",
        description: "Add itself to a more privileged group.",
        requires: &[req(&["iam:AddUserToGroup"], Target::AnyGroup)],
    },
    EscalationMethod {
        id: "sts-assume-role",
        description: "Assume a more privileged role whose trust policy already admits it (by name, through its account, or everyone).",
        requires: &[req(&["sts:AssumeRole"], Target::TrustingRole)],
    },
    EscalationMethod {
        id: "iam-update-assume-role-policy",
        description: "Rewrite a more privileged role's trust policy to trust itself, then assume it.",
        requires: &[
            req(&["iam:UpdateAssumeRolePolicy"], Target::OtherRole),
            req(&["sts:AssumeRole"], Target::OtherRole),
        ],
    },
    EscalationMethod {
        id: "passrole-ec2-run-instances",
        description: "Launch an instance with a more privileged instance profile role and use its credentials.",
        requires: &[
            pass("ec2.amazonaws.com"),
            req(&["ec2:RunInstances"], Target::Anything),
        ],
    },
    EscalationMethod {
        id: "passrole-lambda-invoke",
        description: "Create a Lambda function with a more privileged role and invoke it.",
        requires: &[
            pass("lambda.amazonaws.com"),
            req(&["lambda:CreateFunction"], Target::Anything),
            req(&["lambda:InvokeFunction"], Target::Anything),
        ],
    },
    EscalationMethod {
        id: "passrole-lambda-event-source",
        description: "Create a Lambda function with a more privileged role and trigger it from an event source mapping.",
        requires: &[
            pass("lambda.amazonaws.com"),
            req(&["lambda:CreateFunction"], Target::Anything),
            req(&["lambda:CreateEventSourceMapping"], Target::Anything),
        ],
    },
    EscalationMethod {
        id: "passrole-lambda-add-permission",
        description: "Create a Lambda function with a more privileged role and grant itself permission to invoke it.",
        requires: &[
            pass("lambda.amazonaws.com"),
            req(&["lambda:CreateFunction"], Target::Anything),
            req(&["lambda:AddPermission"], Target::Anything),
        ],
    },
    EscalationMethod {
        id: "passrole-cloudformation",
        description: "Create a CloudFormation stack that runs with a more privileged role.",
        requires: &[
            pass("cloudformation.amazonaws.com"),
            req(&["cloudformation:CreateStack"], Target::Anything),
        ],
    },
    EscalationMethod {
        id: "passrole-glue-dev-endpoint",
        description: "Create a Glue development endpoint with a more privileged role and log in to it.",
        requires: &[
            pass("glue.amazonaws.com"),
            req(&["glue:CreateDevEndpoint"], Target::Anything),
        ],
    },
    EscalationMethod {
        id: "passrole-datapipeline",
        description: "Create a Data Pipeline that runs commands with a more privileged role.",
        requires: &[
            pass("datapipeline.amazonaws.com"),
            req(&["datapipeline:CreatePipeline"], Target::Anything),
            req(&["datapipeline:PutPipelineDefinition"], Target::Anything),
        ],
    },
    EscalationMethod {
        id: "passrole-ecs-task",
        description: "Register a task definition with a more privileged task role and run it.",
        requires: &[
            pass("ecs-tasks.amazonaws.com"),
            req(&["ecs:RegisterTaskDefinition"], Target::Anything),
            req(&["ecs:RunTask", "ecs:StartTask"], Target::Anything),
        ],
    },
    EscalationMethod {
        id: "passrole-codebuild",
        description: "Create a CodeBuild project with a more privileged service role and start a build.",
        requires: &[
            pass("codebuild.amazonaws.com"),
            req(&["codebuild:CreateProject"], Target::Anything),
            req(&["codebuild:StartBuild"], Target::Anything),
        ],
    },
    EscalationMethod {
        id: "passrole-sagemaker-notebook",
        description: "Create a SageMaker notebook instance with a more privileged role and open it.",
        requires: &[
            pass("sagemaker.amazonaws.com"),
            req(&["sagemaker:CreateNotebookInstance"], Target::Anything),
        ],
    },
    EscalationMethod {
        id: "lambda-update-function-code",
        description: "Replace the code of a function that runs with a more privileged role.",
        requires: &[req(&["lambda:UpdateFunctionCode"], Target::Anything)],
    },
    EscalationMethod {
        id: "glue-update-dev-endpoint",
        description: "Add its SSH key to a Glue development endpoint that runs with a more privileged role.",
        requires: &[req(&["glue:UpdateDevEndpoint"], Target::Anything)],
    },
    EscalationMethod {
        id: "ssm-send-command",
        description: "Run commands on an instance whose role is more privileged.",
        requires: &[req(&["ssm:SendCommand"], Target::Anything)],
    },
    EscalationMethod {
        id: "ssm-start-session",
        description: "Open a shell on an instance whose role is more privileged.",
        requires: &[req(&["ssm:StartSession"], Target::Anything)],
    },
    EscalationMethod {
        id: "ec2-modify-instance-attribute",
        description: "Change the user data of a (stopped) instance whose role is more privileged, so it runs attacker code.",
        requires: &[req(&["ec2:ModifyInstanceAttribute"], Target::Anything)],
    },
];

/// One permission used by a method, and what grants it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermissionUse {
    /// The action.
    pub action: String,
    /// The resource it is needed on (a pattern, or the concrete targets' ARNs).
    pub resource: String,
    /// The statements that grant it.
    pub statements: Vec<StatementRef>,
    /// Whether it is granted without conditions.
    pub certain: bool,
}

/// A way one principal can escalate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscalationFinding {
    /// The principal's ARN.
    pub principal: String,
    /// The method.
    pub method: &'static EscalationMethod,
    /// The permissions it uses, one per requirement.
    pub permissions: Vec<PermissionUse>,
    /// Concrete targets where known (users, roles or groups), at most 20.
    pub targets: Vec<String>,
    /// Whether some permission is only granted under conditions.
    pub conditional: bool,
}

const MAX_TARGETS: usize = 20;

/// An action with the grants that include it (and whether each is certain).
type ActionGrants<'g> = (&'static str, Vec<(&'g Grant, bool)>);

/// Everything the escalation analysis needs about the account, computed once.
pub struct Analysis<'a> {
    principals: &'a Principals,
    /// Effective permissions, parallel to `principals.principals`.
    pub effective: Vec<EffectivePermissions>,
    /// Admin status, parallel to `principals.principals`.
    pub admin: Vec<AdminAccess>,
    possible: Vec<ActionSet>,
    /// The size of each `possible` set: a larger set is never a subset.
    possible_count: Vec<usize>,
    users: Vec<usize>,
    roles: Vec<usize>,
    /// For each service roles are passed to, the roles that may trust it.
    by_service: Vec<(&'static str, Vec<usize>)>,
    /// Roles whose trust policy may admit principals of their own account
    /// (the account, or everyone), and roles that name a principal by ARN.
    trusting_account: Vec<usize>,
    trusting_arn: std::collections::HashMap<&'a str, Vec<usize>>,
    /// Every principal's escalations, computed on first use.
    escalations: OnceLock<Vec<Vec<EscalationFinding>>>,
}

/// The services that escalation methods pass roles to.
fn passed_services() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for m in METHODS {
        for r in m.requires {
            if let Target::PassedRole(s) = r.target
                && !out.contains(&s)
            {
                out.push(s);
            }
        }
    }
    out
}

/// The services among `services` that a role's trust policy may allow to
/// assume it (conditions are not weighed: a condition may hold).
fn trusted_services(role: &Principal, services: &[&'static str]) -> Vec<&'static str> {
    let Some(trust) = &role.trust_policy else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for stmt in trust
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Allow)
    {
        if !stmt.matches_action("sts:assumerole") {
            continue;
        }
        let Some(clause) = &stmt.principals else {
            continue;
        };
        for s in services {
            let named = clause.entries.iter().any(|e| match e {
                PrincipalEntry::Everyone => true,
                PrincipalEntry::Service(x) => x.eq_ignore_ascii_case(s),
                _ => false,
            });
            if named != clause.negated && !out.contains(s) {
                out.push(*s);
            }
        }
    }
    out
}

/// Who a role's trust policy may admit to `sts:AssumeRole` among the principals
/// of its account: (the account as a whole or everyone, the ARNs it names).
/// Conditions are not weighed here; the evaluation of each candidate does.
fn trusted_principals(role: &Principal) -> (bool, Vec<&str>) {
    let Some(trust) = &role.trust_policy else {
        return (false, Vec::new());
    };
    let mut account = false;
    let mut names = Vec::new();
    for stmt in trust
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Allow && s.matches_action("sts:assumerole"))
    {
        let Some(clause) = &stmt.principals else {
            continue;
        };
        if clause.negated {
            // NotPrincipal admits everyone it does not list.
            account = true;
            continue;
        }
        for entry in &clause.entries {
            match entry {
                PrincipalEntry::Everyone => account = true,
                PrincipalEntry::Account(a) if Some(a.as_str()) == role.account.as_deref() => {
                    account = true
                }
                PrincipalEntry::Arn(arn) => names.push(arn.as_str()),
                _ => {}
            }
        }
    }
    (account, names)
}

impl<'a> Analysis<'a> {
    /// Computes effective permissions and admin status of every principal
    /// (principals in parallel).
    pub fn new(principals: &'a Principals) -> Analysis<'a> {
        let (effective, (admin, possible)): (Vec<_>, (Vec<_>, Vec<_>)) = principals
            .principals
            .par_iter()
            .map(|p| {
                let effective = EffectivePermissions::of(p);
                let admin = effective.admin();
                let possible = effective.allowed_somewhere().1;
                (effective, (admin, possible))
            })
            .unzip();
        let possible_count = possible.iter().map(ActionSet::count).collect();
        let services = passed_services();
        let mut by_service: Vec<(&'static str, Vec<usize>)> =
            services.iter().map(|s| (*s, Vec::new())).collect();
        for (j, p) in principals.principals.iter().enumerate() {
            if p.kind != PrincipalKind::Role || p.is_service_linked() {
                continue;
            }
            for s in trusted_services(p, &services) {
                if let Some((_, list)) = by_service.iter_mut().find(|(x, _)| *x == s) {
                    list.push(j);
                }
            }
        }
        // Service-linked roles are no targets: IAM refuses to change their
        // policies or trust, and only their service assumes them.
        let mut trusting_account = Vec::new();
        let mut trusting_arn: std::collections::HashMap<&str, Vec<usize>> = Default::default();
        for (j, role) in principals.principals.iter().enumerate() {
            if role.kind != PrincipalKind::Role || role.is_service_linked() {
                continue;
            }
            let (account, names) = trusted_principals(role);
            if account {
                trusting_account.push(j);
            }
            for arn in names {
                let list = trusting_arn.entry(arn).or_default();
                if !list.contains(&j) {
                    list.push(j);
                }
            }
        }
        let index_of = |kind: PrincipalKind| {
            principals
                .principals
                .iter()
                .enumerate()
                .filter(|(_, p)| p.kind == kind && !p.is_service_linked())
                .map(|(i, _)| i)
                .collect::<Vec<_>>()
        };
        Analysis {
            principals,
            effective,
            admin,
            possible,
            possible_count,
            users: index_of(PrincipalKind::User),
            roles: index_of(PrincipalKind::Role),
            by_service,
            trusting_account,
            trusting_arn,
            escalations: OnceLock::new(),
        }
    }

    /// Whether principal `j` can do something principal `i` cannot (memoised per `i`).
    fn more_privileged(&self, j: usize, i: usize, memo: &RefCell<Vec<u8>>) -> bool {
        let mut memo = memo.borrow_mut();
        if memo.len() <= j {
            memo.resize(self.principals.principals.len(), 0);
        }
        match memo[j] {
            1 => true,
            2 => false,
            _ => {
                let answer = self.admin[j].is_admin()
                    || self.possible_count[j] > self.possible_count[i]
                    || !self.possible[j].is_subset(&self.possible[i]);
                memo[j] = if answer { 1 } else { 2 };
                answer
            }
        }
    }

    /// Every escalation of every non-admin principal.
    pub fn escalations(&self) -> Vec<EscalationFinding> {
        self.all_escalations().iter().flatten().cloned().collect()
    }

    /// The escalations of the principal at position `i` (empty for an
    /// administrator or a position out of range).
    pub fn escalations_of(&self, i: usize) -> &[EscalationFinding] {
        self.all_escalations().get(i).map_or(&[], Vec::as_slice)
    }

    /// Every principal's escalations, computed once (principals in parallel).
    fn all_escalations(&self) -> &[Vec<EscalationFinding>] {
        self.escalations.get_or_init(|| {
            (0..self.principals.principals.len())
                .into_par_iter()
                .map(|i| self.find_escalations(i))
                .collect()
        })
    }

    fn find_escalations(&self, i: usize) -> Vec<EscalationFinding> {
        let (Some(principal), Some(eff)) =
            (self.principals.principals.get(i), self.effective.get(i))
        else {
            return Vec::new();
        };
        // An administrator has nothing to gain; a service-linked role is used
        // only by its service, which no principal steers through it.
        if self.admin[i].is_admin() || principal.is_service_linked() {
            return Vec::new();
        }
        // Cheap filter: every requirement must be granted somewhere.
        let cat = catalogue();
        let possible = &self.possible[i];
        // A trust policy that names the principal admits it without a grant
        // of its own.
        let named_in_trust = self.trusting_arn.contains_key(principal.arn.as_str());
        let allowed = |action: &str| {
            (named_in_trust && action == "sts:AssumeRole")
                || match cat.index_of(action) {
                    Some(x) => possible.contains(x),
                    None => eff.allows_somewhere(action).maybe(),
                }
        };
        let memo = RefCell::new(Vec::new());
        let mut out = Vec::new();
        for method in METHODS {
            if !method
                .requires
                .iter()
                .all(|r| r.any_of.iter().any(|a| allowed(a)))
            {
                continue;
            }
            if let Some(f) = self.try_method(i, principal, eff, method, &memo) {
                out.push(f);
            }
        }
        out
    }

    fn try_method(
        &self,
        i: usize,
        principal: &Principal,
        eff: &EffectivePermissions,
        method: &'static EscalationMethod,
        memo: &RefCell<Vec<u8>>,
    ) -> Option<EscalationFinding> {
        let account = principal.account.as_deref().unwrap_or("*");
        let mut slots: Vec<Option<PermissionUse>> = vec![None; method.requires.len()];
        let mut targets: Vec<String> = Vec::new();
        let mut on_roles: Vec<(usize, &Requirement)> = Vec::new();
        let mut on_users: Vec<(usize, &Requirement)> = Vec::new();
        for (k, r) in method.requires.iter().enumerate() {
            let pattern = match r.target {
                Target::Anything => "*".to_string(),
                Target::ManagedPolicy => format!("arn:aws:iam::{account}:policy/*"),
                Target::OwnUser if principal.kind == PrincipalKind::User => principal.arn.clone(),
                Target::OwnRole if principal.kind == PrincipalKind::Role => principal.arn.clone(),
                Target::OwnUser | Target::OwnRole => return None,
                Target::AnyGroup if principal.kind == PrincipalKind::User => {
                    format!("arn:aws:iam::{account}:group/*")
                }
                Target::AnyGroup => return None,
                Target::OwnGroup => {
                    let mut best: Option<PermissionUse> = None;
                    for g in &principal.groups {
                        let pattern = format!("arn:aws:iam::{account}:group*/{g}");
                        if let Some(u) =
                            best_use(eff, r.any_of, |a| eff.allows_on(a, &pattern), &pattern)
                        {
                            targets.push(format!("group {g}"));
                            best = pick(best, u);
                        }
                    }
                    slots[k] = Some(best?);
                    continue;
                }
                Target::OtherUser => {
                    on_users.push((k, r));
                    continue;
                }
                Target::OtherRole | Target::PassedRole(_) => {
                    on_roles.push((k, r));
                    continue;
                }
                Target::TrustingRole => {
                    let (uses, found) = self.assumable(i, principal, eff, memo, account)?;
                    slots[k] = Some(uses);
                    targets.extend(found);
                    continue;
                }
            };
            slots[k] = Some(best_use(
                eff,
                r.any_of,
                |a| eff.allows_on(a, &pattern),
                &pattern,
            )?);
        }
        for (group, kind) in [(&on_users, "user"), (&on_roles, "role")] {
            if group.is_empty() {
                continue;
            }
            let service = group.iter().find_map(|(_, r)| match r.target {
                Target::PassedRole(s) => Some(s),
                _ => None,
            });
            let pool: &[usize] = match (kind, service) {
                ("user", _) => &self.users,
                (_, Some(s)) => self
                    .by_service
                    .iter()
                    .find(|(x, _)| *x == s)
                    .map_or(&[][..], |(_, list)| list.as_slice()),
                _ => &self.roles,
            };
            let others_exist = if kind == "user" {
                self.users.iter().any(|j| *j != i)
            } else {
                self.roles.iter().any(|j| *j != i)
            };
            let reqs: Vec<&Requirement> = group.iter().map(|(_, r)| *r).collect();
            let (uses, found) =
                self.on_targets(i, eff, &reqs, pool, others_exist, memo, account, kind)?;
            for ((k, _), u) in group.iter().zip(uses) {
                slots[*k] = Some(u);
            }
            targets.extend(found);
        }
        let permissions = slots.into_iter().collect::<Option<Vec<_>>>()?;
        let conditional = permissions.iter().any(|p| !p.certain);
        Some(EscalationFinding {
            principal: principal.arn.clone(),
            method,
            permissions,
            targets,
            conditional,
        })
    }

    /// The more privileged roles whose trust policy admits the principal, which
    /// it may assume: each candidate is decided by evaluating `sts:AssumeRole`
    /// with the role's trust policy as the resource policy. The principal's own
    /// policies must allow the call unless the trust policy names it by ARN
    /// (within an account, that alone lets it assume the role).
    fn assumable(
        &self,
        i: usize,
        principal: &Principal,
        eff: &EffectivePermissions,
        memo: &RefCell<Vec<u8>>,
        account: &str,
    ) -> Option<(PermissionUse, Vec<String>)> {
        let named: &[usize] = self
            .trusting_arn
            .get(principal.arn.as_str())
            .map_or(&[], Vec::as_slice);
        let mut candidates: Vec<usize> = self.trusting_account.clone();
        candidates.extend(named);
        candidates.sort_unstable();
        candidates.dedup();
        // Cheap tests first: a grant of sts:AssumeRole on the role (or a trust
        // policy that names the principal), and a more privileged role.
        let grants: Vec<&Grant> = eff.grants_of("sts:AssumeRole").collect();
        candidates.retain(|&j| {
            let arn = &self.principals.principals[j].arn;
            j != i
                && (named.contains(&j) || grants.iter().any(|g| g.covers_arn(arn)))
                && self.more_privileged(j, i, memo)
        });
        let mut statements: Vec<StatementRef> = Vec::new();
        let mut found = Vec::new();
        let mut certain = false;
        for j in candidates {
            if found.len() >= MAX_TARGETS {
                break;
            }
            let role = &self.principals.principals[j];
            let Some(trust) = role.trust_policy.as_ref() else {
                continue;
            };
            let mut policies = principal.policies.clone();
            policies.resource.push(Arc::clone(trust));
            let request = Request::new(principal.request_principal(), "sts:AssumeRole", &role.arn);
            let deciding: Vec<StatementRef> = match evaluate(&policies, &request) {
                Decision::Allow { by } => {
                    certain = true;
                    by
                }
                Decision::Conditional { pending } => {
                    pending.into_iter().map(|p| p.statement).collect()
                }
                _ => continue,
            };
            for s in deciding {
                if !statements.contains(&s) {
                    statements.push(s);
                }
            }
            found.push(role.arn.clone());
        }
        let resource = match found.as_slice() {
            [] => return None,
            [one] => one.clone(),
            _ => format!("arn:aws:iam::{account}:role/…"),
        };
        let used = PermissionUse {
            action: "sts:AssumeRole".to_string(),
            resource,
            statements,
            certain,
        };
        Some((used, found))
    }

    /// Finds concrete users or roles on which every requirement holds at once
    /// (a trust policy must be rewritten and assumed on the same role); falls
    /// back to ARN patterns when the inventory holds no other candidate.
    #[allow(clippy::too_many_arguments)]
    fn on_targets(
        &self,
        i: usize,
        eff: &EffectivePermissions,
        requirements: &[&Requirement],
        pool: &[usize],
        others_exist: bool,
        memo: &RefCell<Vec<u8>>,
        account: &str,
        kind: &str,
    ) -> Option<(Vec<PermissionUse>, Vec<String>)> {
        if !others_exist {
            if kind == "user" {
                // No other user is known: nothing to take over.
                return None;
            }
            let pattern = format!("arn:aws:iam::{account}:{kind}/*");
            let uses = requirements
                .iter()
                .map(|r| best_use(eff, r.any_of, |a| eff.allows_on(a, &pattern), &pattern))
                .collect::<Option<Vec<_>>>()?;
            return Some((uses, Vec::new()));
        }
        // The grants of each requirement's actions, looked up once.
        let cat = catalogue();
        let granted: Vec<Vec<ActionGrants<'_>>> = requirements
            .iter()
            .map(|r| {
                r.any_of
                    .iter()
                    .map(|a| {
                        let index = cat.index_of(a);
                        let grants = eff
                            .grants_of(a)
                            .map(|g| (g, index.is_some_and(|x| g.certain.contains(x))))
                            .collect();
                        (*a, grants)
                    })
                    .collect()
            })
            .collect();
        let mut uses: Vec<Option<PermissionUse>> = vec![None; requirements.len()];
        let mut found = Vec::new();
        for &j in pool {
            if j == i {
                continue;
            }
            let Some(candidate) = self.principals.principals.get(j) else {
                continue;
            };
            // Decide before building anything: most candidates are rejected.
            let reachable = granted.iter().all(|options| {
                options
                    .iter()
                    .any(|(_, grants)| grants.iter().any(|(g, _)| g.covers_arn(&candidate.arn)))
            });
            if !reachable || (kind == "role" && !self.more_privileged(j, i, memo)) {
                continue;
            }
            let per_req: Option<Vec<PermissionUse>> = granted
                .iter()
                .map(|options| {
                    let mut best: Option<PermissionUse> = None;
                    for (action, grants) in options {
                        let mut statements = Vec::new();
                        let mut certain = false;
                        for (g, sure) in grants {
                            if g.covers_arn(&candidate.arn) {
                                certain |= *sure;
                                if !statements.contains(&g.statement) {
                                    statements.push(g.statement.clone());
                                }
                            }
                        }
                        if !statements.is_empty() {
                            best = pick(
                                best,
                                PermissionUse {
                                    action: (*action).to_string(),
                                    resource: candidate.arn.clone(),
                                    statements,
                                    certain,
                                },
                            );
                        }
                    }
                    best
                })
                .collect();
            let Some(per_req) = per_req else { continue };
            for (slot, u) in uses.iter_mut().zip(per_req) {
                *slot = Some(match slot.take() {
                    None => u,
                    Some(mut prev) => {
                        prev.certain |= u.certain;
                        for s in u.statements {
                            if !prev.statements.contains(&s) {
                                prev.statements.push(s);
                            }
                        }
                        prev.resource = format!("arn:aws:iam::{account}:{kind}/…");
                        prev
                    }
                });
            }
            found.push(candidate.arn.clone());
            if found.len() >= MAX_TARGETS {
                break;
            }
        }
        if found.is_empty() {
            return None;
        }
        let uses = uses.into_iter().collect::<Option<Vec<_>>>()?;
        Some((uses, found))
    }
}

/// The best way (certain over conditional) to get one of `actions`.
fn best_use<'g>(
    _eff: &'g EffectivePermissions,
    actions: &[&str],
    check: impl Fn(&str) -> (Tri, Vec<&'g Grant>),
    resource: &str,
) -> Option<PermissionUse> {
    let mut best: Option<PermissionUse> = None;
    for action in actions {
        let (tri, grants) = check(action);
        if tri == Tri::False {
            continue;
        }
        let mut statements = Vec::new();
        push_refs(&mut statements, &grants);
        best = pick(
            best,
            PermissionUse {
                action: (*action).to_string(),
                resource: resource.to_string(),
                statements,
                certain: tri == Tri::True,
            },
        );
    }
    best
}

fn pick(best: Option<PermissionUse>, candidate: PermissionUse) -> Option<PermissionUse> {
    match best {
        Some(b) if b.certain || !candidate.certain => Some(b),
        _ => Some(candidate),
    }
}

fn push_refs(out: &mut Vec<StatementRef>, grants: &[&Grant]) {
    for g in grants {
        if !out.contains(&g.statement) {
            out.push(g.statement.clone());
        }
    }
}

/// Every escalation in an account (computes the analysis once).
pub fn find_all(principals: &Principals) -> Vec<EscalationFinding> {
    Analysis::new(principals).escalations()
}

/// How many hops through other principals a path to administrator may take.
const MAX_HOPS: usize = 3;

/// Methods that act on an EC2 instance and gain its instance profile's role.
const INSTANCE_METHODS: &[&str] = &[
    "ssm-send-command",
    "ssm-start-session",
    "ec2-modify-instance-attribute",
];

/// The escalations that end at an administrator, in one account.
///
/// [`Analysis`] reports every way a principal gains permissions it lacks;
/// this keeps those that lead to administrator: a target user or role counts
/// when it is one, or can become one within a few (`MAX_HOPS`) further escalations.
/// Methods that act on an instance are joined with the account's EC2
/// instances: the path is real only through a running instance whose role
/// reaches administrator and on which the principal may act, given the
/// instance's tags as resource-tag context.
pub struct AdminPaths<'r, 'a> {
    analysis: &'r Analysis<'a>,
    principals: &'r Principals,
    account: &'r cartguard_inventory::Account,
    by_arn: std::collections::HashMap<&'r str, usize>,
    reaches: RefCell<std::collections::HashMap<usize, bool>>,
    admin_profiles: std::collections::HashMap<&'r str, &'r str>,
}

impl<'r, 'a> AdminPaths<'r, 'a> {
    /// Prepares the question for one account.
    pub fn new(
        analysis: &'r Analysis<'a>,
        principals: &'r Principals,
        account: &'r cartguard_inventory::Account,
    ) -> Self {
        let by_arn = principals
            .principals
            .iter()
            .enumerate()
            .map(|(i, p)| (p.arn.as_str(), i))
            .collect();
        let mut paths = AdminPaths {
            analysis,
            principals,
            account,
            by_arn,
            reaches: RefCell::new(std::collections::HashMap::new()),
            admin_profiles: std::collections::HashMap::new(),
        };
        for (j, role) in principals.principals.iter().enumerate() {
            if role.instance_profiles.is_empty() || !paths.reaches_admin(j, MAX_HOPS) {
                continue;
            }
            for profile in &role.instance_profiles {
                paths
                    .admin_profiles
                    .insert(profile.as_str(), role.arn.as_str());
            }
        }
        paths
    }

    /// The paths to administrator of every principal.
    pub fn all(&self) -> Vec<EscalationFinding> {
        (0..self.principals.principals.len())
            .flat_map(|i| self.of(i))
            .collect()
    }

    /// The paths to administrator of the principal at position `i`.
    pub fn of(&self, i: usize) -> Vec<EscalationFinding> {
        let mut out = Vec::new();
        for finding in self.analysis.escalations_of(i) {
            let mut finding = finding.clone();
            if finding.method.through_instance() && finding.targets.is_empty() {
                let action = finding
                    .permissions
                    .first()
                    .map(|p| p.action.clone())
                    .unwrap_or_default();
                match self.instance_targets(&self.principals.principals[i], &action) {
                    Some(targets) if targets.is_empty() => continue,
                    Some(targets) => finding.targets = targets,
                    None => {}
                }
            }
            if !finding.targets.is_empty() {
                finding
                    .targets
                    .retain(|t| match self.by_arn.get(t.as_str()) {
                        Some(&j) => self.reaches_admin(j, MAX_HOPS),
                        None => true,
                    });
                if finding.targets.is_empty() {
                    continue;
                }
            }
            out.push(finding);
        }
        out
    }

    /// Whether principal `index` is an administrator or can become one within
    /// `hops` escalations (a principal on the path being explored counts as not
    /// reaching, which breaks cycles).
    fn reaches_admin(&self, index: usize, hops: usize) -> bool {
        if self.analysis.admin[index].is_admin() {
            return true;
        }
        if hops == 0 {
            return false;
        }
        if let Some(known) = self.reaches.borrow().get(&index) {
            return *known;
        }
        self.reaches.borrow_mut().insert(index, false);
        let answer = self.analysis.escalations_of(index).iter().any(|f| {
            f.targets.is_empty()
                || f.targets.iter().any(|t| match self.by_arn.get(t.as_str()) {
                    Some(&next) => self.reaches_admin(next, hops - 1),
                    None => true,
                })
        });
        self.reaches.borrow_mut().insert(index, answer);
        answer
    }

    /// The running instances whose role reaches administrator and on which the
    /// principal may perform `action`, as `instance ARN (role ARN)`; `None` when
    /// the instances of some region were not collected.
    fn instance_targets(&self, principal: &Principal, action: &str) -> Option<Vec<String>> {
        let mut found = Vec::new();
        for (region, evidence) in &self.account.regions {
            let instances = evidence.ec2.instances.present()?;
            for instance in instances.iter().filter(|i| i.is_running()) {
                let Some(profile) = &instance.iam_instance_profile else {
                    continue;
                };
                let Some(role) = self.admin_profiles.get(profile.arn.as_str()) else {
                    continue;
                };
                let arn = format!(
                    "arn:aws:ec2:{region}:{}:instance/{}",
                    self.account.id, instance.instance_id
                );
                let mut request =
                    crate::evaluate::Request::new(principal.request_principal(), action, &arn);
                for tag in &instance.tags {
                    for prefix in ["aws:ResourceTag/", "ec2:ResourceTag/", "ssm:resourceTag/"] {
                        request
                            .context
                            .set(&format!("{prefix}{}", tag.key), [tag.value.as_str()]);
                    }
                }
                if principal.decide(&request).may_allow() {
                    found.push(format!("{arn} ({role})"));
                }
            }
        }
        Some(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartguard_inventory::iam::AuthorizationDetails;
    use serde_json::json;

    fn account(
        users: serde_json::Value,
        groups: serde_json::Value,
        roles: serde_json::Value,
    ) -> Principals {
        let details: AuthorizationDetails = serde_json::from_value(json!({
            "UserDetailList": users, "GroupDetailList": groups, "RoleDetailList": roles, "Policies": []
        }))
        .unwrap();
        Principals::from_authorization_details(&details, &[])
    }

    fn inline(name: &str, statements: serde_json::Value) -> serde_json::Value {
        json!({"PolicyName": name, "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}})
    }

    fn admin_role(name: &str, service: &str) -> serde_json::Value {
        json!({
            "RoleName": name, "Arn": format!("arn:aws:iam::111122223333:role/{name}"),
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]},
            "RolePolicyList": [inline("admin", json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]))]
        })
    }

    #[test]
    fn passrole_split_across_group_and_inline_policy() {
        let ps = account(
            json!([{
                "UserName": "dev", "Arn": "arn:aws:iam::111122223333:user/dev", "GroupList": ["ops"],
                "UserPolicyList": [inline("run", json!([{"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}]))]
            }]),
            json!([{
                "GroupName": "ops", "Arn": "arn:aws:iam::111122223333:group/ops",
                "GroupPolicyList": [inline("pass", json!([{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/*"}]))]
            }]),
            json!([
                admin_role("ec2-admin", "ec2.amazonaws.com"),
                admin_role("lambda-admin", "lambda.amazonaws.com")
            ]),
        );
        let found = find_all(&ps);
        let f = found
            .iter()
            .find(|f| f.method.id == "passrole-ec2-run-instances")
            .expect("escalation found");
        assert_eq!(f.principal, "arn:aws:iam::111122223333:user/dev");
        assert_eq!(
            f.targets,
            vec!["arn:aws:iam::111122223333:role/ec2-admin".to_string()]
        );
        assert_eq!(
            &*f.permissions[0].statements[0].policy,
            "arn:aws:iam::111122223333:group/ops#pass"
        );
        assert_eq!(
            &*f.permissions[1].statements[0].policy,
            "arn:aws:iam::111122223333:user/dev#run"
        );
        assert!(!f.conditional);
        // Admin roles are not reported.
        assert!(found.iter().all(|f| !f.principal.contains("admin")));
    }

    #[test]
    fn self_service_keys_are_not_escalation_but_other_users_are() {
        let ps = account(
            json!([{
                "UserName": "alice", "Arn": "arn:aws:iam::111122223333:user/alice",
                "UserPolicyList": [inline("own", json!([{"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "arn:aws:iam::*:user/${aws:username}"}]))]
            }, {
                "UserName": "bob", "Arn": "arn:aws:iam::111122223333:user/bob",
                "UserPolicyList": [inline("keys", json!([{"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "*"}]))]
            }]),
            json!([]),
            json!([]),
        );
        let found = find_all(&ps);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].method.id, "iam-create-access-key");
        assert_eq!(found[0].principal, "arn:aws:iam::111122223333:user/bob");
        assert_eq!(
            found[0].targets,
            vec!["arn:aws:iam::111122223333:user/alice".to_string()]
        );
    }

    #[test]
    fn deny_removes_the_method() {
        let ps = account(
            json!([{
                "UserName": "carol", "Arn": "arn:aws:iam::111122223333:user/carol",
                "UserPolicyList": [
                    inline("iam", json!([{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}])),
                    inline("guard", json!([{"Effect": "Deny", "Action": ["iam:*"], "Resource": "*"}]))
                ]
            }]),
            json!([]),
            json!([]),
        );
        assert!(find_all(&ps).is_empty());
    }
}
