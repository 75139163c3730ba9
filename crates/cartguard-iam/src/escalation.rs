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

use std::collections::HashMap;

use cartguard_inventory::{Account, cloudformation, codebuild, lambda};
use rayon::prelude::*;
use serde_json::json;

use crate::Tri;
use crate::catalogue::{ActionSet, catalogue};
use crate::effective::{AdminAccess, EffectivePermissions, Grant};
use std::sync::Arc;

use crate::evaluate::{Decision, Request, evaluate};
use crate::policy::{Effect, Policy, PolicyKind, PrincipalEntry, StatementRef};
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
    /// A role the principal creates itself (without a permissions boundary,
    /// and with a trust policy of its own writing).
    NewRole,
    /// A user the principal creates itself (without a permissions boundary).
    NewUser,
    /// An existing CloudFormation stack whose service role is more privileged.
    StackRole,
    /// An existing CodeBuild project whose service role is more privileged.
    ProjectRole,
    /// An existing Lambda function whose execution role is more privileged.
    FunctionRole,
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

/// The catalogue of escalation methods: each method's requirements are its
/// steps, in the order they are taken.
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
        requires: &[req(&["lambda:UpdateFunctionCode"], Target::FunctionRole)],
    },
    EscalationMethod {
        id: "glue-update-dev-endpoint",
        description: "Add its SSH key to a Glue development endpoint that runs with a more privileged role.",
        requires: &[req(&["glue:UpdateDevEndpoint"], Target::Anything)],
    },
    EscalationMethod {
        id: "iam-create-role",
        description: "Create a role whose trust policy admits itself, give it AdministratorAccess (or an inline policy allowing everything) and assume it.",
        requires: &[
            req(&["iam:CreateRole"], Target::NewRole),
            req(
                &["iam:AttachRolePolicy", "iam:PutRolePolicy"],
                Target::NewRole,
            ),
            req(&["sts:AssumeRole"], Target::NewRole),
        ],
    },
    EscalationMethod {
        id: "iam-create-user",
        description: "Create a user, give it AdministratorAccess (or an inline policy allowing everything) and sign in as it with an access key or a console password of its making.",
        requires: &[
            req(&["iam:CreateUser"], Target::NewUser),
            req(
                &["iam:AttachUserPolicy", "iam:PutUserPolicy"],
                Target::NewUser,
            ),
            req(
                &["iam:CreateAccessKey", "iam:CreateLoginProfile"],
                Target::NewUser,
            ),
        ],
    },
    EscalationMethod {
        id: "cloudformation-update-stack",
        description: "Update an existing stack whose service role is more privileged with a template of its own; CloudFormation acts with the stack's role, which needs no iam:PassRole.",
        requires: &[req(&["cloudformation:UpdateStack"], Target::StackRole)],
    },
    EscalationMethod {
        id: "cloudformation-change-set",
        description: "Create and execute a change set on an existing stack whose service role is more privileged; CloudFormation acts with the stack's role, which needs no iam:PassRole.",
        requires: &[
            req(&["cloudformation:CreateChangeSet"], Target::StackRole),
            req(&["cloudformation:ExecuteChangeSet"], Target::StackRole),
        ],
    },
    EscalationMethod {
        id: "codebuild-start-build",
        description: "Start a build of an existing project whose service role is more privileged, overriding its buildspec with commands of its own.",
        requires: &[req(
            &["codebuild:StartBuild", "codebuild:StartBuildBatch"],
            Target::ProjectRole,
        )],
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
    /// The evidence that would show whether the method's targets exist, when
    /// it was not collected: the path is then potential.
    pub missing: Vec<String>,
}

impl EscalationFinding {
    /// Whether the path depends on targets the evidence could not show.
    pub fn potential(&self) -> bool {
        !self.missing.is_empty()
    }

    /// The steps of the path in order, as `action on resource`.
    pub fn steps(&self) -> Vec<String> {
        self.permissions
            .iter()
            .map(|p| format!("{} on {}", p.action, p.resource))
            .collect()
    }
}

/// The principal a target string acts as: the role in parentheses of
/// `instance (role)`, `stack (role)` and `project (role)` targets, or the
/// target itself.
pub fn acting_as(target: &str) -> &str {
    target
        .strip_suffix(')')
        .and_then(|t| t.rsplit_once(" ("))
        .map_or(target, |(_, role)| role)
}

const MAX_TARGETS: usize = 20;

/// The AWS managed policy an attacker attaches to make a principal administrator.
const ADMIN_POLICY: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

/// Methods whose targets cartguard does not collect, with the evidence that
/// would show them: these paths are always potential.
const UNCOLLECTED: &[(&str, &str)] = &[(
    "glue-update-dev-endpoint",
    "glue:GetDevEndpoints (the development endpoints and their roles)",
)];

/// What the evidence shows of the targets methods act on, beyond users and
/// roles: `None` (or `Err` with the missing evidence) when it was not collected.
#[derive(Debug, Clone)]
struct Targets {
    /// Groups: name, ARN, and whether the group has any policy.
    groups: Option<Vec<(String, String, bool)>>,
    /// The number of versions of each managed policy, by ARN.
    policy_versions: Option<HashMap<String, usize>>,
    /// Whether each user has a console password (credential report).
    passwords: Option<HashMap<String, bool>>,
    /// Stacks with a service role: (stack ARN, role ARN).
    stacks: Result<Vec<(String, String)>, Vec<String>>,
    /// Build projects with a service role: (project ARN, role ARN).
    projects: Result<Vec<(String, String)>, Vec<String>>,
    /// Lambda functions with their execution role: (function ARN, role ARN).
    functions: Result<Vec<(String, String)>, Vec<String>>,
}

impl Targets {
    /// Nothing known beyond the principals.
    fn unknown() -> Targets {
        Targets {
            groups: None,
            policy_versions: None,
            passwords: None,
            stacks: Err(vec![cloudformation::DESCRIBE_STACKS.to_string()]),
            projects: Err(vec![codebuild::BATCH_GET_PROJECTS.to_string()]),
            functions: Err(vec![lambda::LIST_FUNCTIONS.to_string()]),
        }
    }

    /// What `account`'s evidence shows.
    fn of(account: &Account) -> Targets {
        let details = account.iam.authorization_details.present();
        let groups = details.map(|d| {
            d.group_detail_list
                .iter()
                .map(|g| {
                    let has_policy =
                        !g.group_policy_list.is_empty() || !g.attached_managed_policies.is_empty();
                    (g.group_name.clone(), g.arn.clone(), has_policy)
                })
                .collect()
        });
        let policy_versions = details.map(|d| {
            d.policies
                .iter()
                .map(|p| (p.arn.clone(), p.policy_version_list.len()))
                .collect()
        });
        let passwords = account.iam.credential_report.present().map(|r| {
            r.rows
                .iter()
                .map(|row| (row.user.clone(), row.password_enabled == Some(true)))
                .collect()
        });
        let mut stacks = Ok(Vec::new());
        let mut projects = Ok(Vec::new());
        let mut functions = Ok(Vec::new());
        if account.regions.is_empty() {
            functions = Err(vec![format!(
                "{} (no region collected)",
                lambda::LIST_FUNCTIONS
            )]);
            stacks = Err(vec![format!(
                "{} (no region collected)",
                cloudformation::DESCRIBE_STACKS
            )]);
            projects = Err(vec![format!(
                "{} (no region collected)",
                codebuild::LIST_PROJECTS
            )]);
        }
        let partition = account_partition(account);
        for (region, evidence) in &account.regions {
            match evidence.lambda.functions.present() {
                Some(list) => {
                    if let Ok(found) = &mut functions {
                        for function in list {
                            if let Some(role) = &function.role {
                                let arn = function.function_arn.clone().unwrap_or_else(|| {
                                    format!(
                                        "arn:{partition}:lambda:{region}:{}:function:{}",
                                        account.id, function.function_name
                                    )
                                });
                                found.push((arn, role.clone()));
                            }
                        }
                    }
                }
                None => missing(
                    &mut functions,
                    format!("{} in {region}", lambda::LIST_FUNCTIONS),
                ),
            }
            match evidence.cloudformation.stacks.present() {
                Some(list) => {
                    if let Ok(found) = &mut stacks {
                        for stack in list.iter().filter(|s| !s.is_deleted()) {
                            if let Some(role) = &stack.role_arn {
                                let arn = stack.stack_id.clone().unwrap_or_else(|| {
                                    format!(
                                        "arn:{partition}:cloudformation:{region}:{}:stack/{}/*",
                                        account.id, stack.stack_name
                                    )
                                });
                                found.push((arn, role.clone()));
                            }
                        }
                    }
                }
                None => missing(
                    &mut stacks,
                    format!("{} in {region}", cloudformation::DESCRIBE_STACKS),
                ),
            }
            let codebuild = &evidence.codebuild;
            let Some(names) = codebuild.project_names.present() else {
                missing(
                    &mut projects,
                    format!("{} in {region}", codebuild::LIST_PROJECTS),
                );
                continue;
            };
            for name in names {
                // The collection script names each file after the project,
                // with `/` and `:` made `_`.
                let file = name.replace(['/', ':'], "_");
                let described = codebuild
                    .projects
                    .get(name)
                    .or_else(|| codebuild.projects.get(&file))
                    .and_then(|c| c.present());
                let Some(described) = described else {
                    missing(
                        &mut projects,
                        format!("{} for {name} in {region}", codebuild::BATCH_GET_PROJECTS),
                    );
                    continue;
                };
                if let Ok(found) = &mut projects {
                    for project in described {
                        if let Some(role) = &project.service_role {
                            let arn = project.arn.clone().unwrap_or_else(|| {
                                format!(
                                    "arn:{partition}:codebuild:{region}:{}:project/{}",
                                    account.id, project.name
                                )
                            });
                            found.push((arn, role.clone()));
                        }
                    }
                }
            }
        }
        Targets {
            groups,
            policy_versions,
            passwords,
            stacks,
            projects,
            functions,
        }
    }
}

/// Records evidence that was not collected.
fn missing(targets: &mut Result<Vec<(String, String)>, Vec<String>>, what: String) {
    match targets {
        Ok(_) => *targets = Err(vec![what]),
        Err(list) => list.push(what),
    }
}

/// The partition of the account's principals (`aws` unless the evidence says otherwise).
fn account_partition(account: &Account) -> &str {
    account
        .iam
        .authorization_details
        .present()
        .and_then(|d| d.role_detail_list.first().map(|r| r.arn.as_str()))
        .and_then(|arn| arn.split(':').nth(1))
        .unwrap_or("aws")
}

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
    /// Principals by ARN.
    by_arn: HashMap<&'a str, usize>,
    /// What the evidence shows of other targets.
    targets: Targets,
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
    /// (principals in parallel), with the targets `account`'s evidence shows
    /// (groups, policy versions, console passwords, stacks, build projects).
    pub fn for_account(principals: &'a Principals, account: &Account) -> Analysis<'a> {
        let mut analysis = Analysis::new(principals);
        analysis.targets = Targets::of(account);
        analysis
    }

    /// Computes effective permissions and admin status of every principal
    /// (principals in parallel); targets other than users and roles are
    /// unknown, so the methods that need them are potential.
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
            by_arn: principals
                .principals
                .iter()
                .enumerate()
                .map(|(i, p)| (p.arn.as_str(), i))
                .collect(),
            targets: Targets::unknown(),
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
            // A role of its own making trusts it: its trust policy, not a
            // grant, may let it assume the role.
            if !method.requires.iter().all(|r| {
                r.any_of
                    .iter()
                    .any(|a| allowed(a) || (r.target == Target::NewRole && *a == "sts:AssumeRole"))
            }) {
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
        let mut missing: Vec<String> = UNCOLLECTED
            .iter()
            .filter(|(id, _)| *id == method.id)
            .map(|(_, what)| (*what).to_string())
            .collect();
        // Steps taken before the method's own, when it goes through a role
        // the principal creates.
        let mut prelude: Vec<PermissionUse> = Vec::new();
        let mut on_roles: Vec<(usize, &Requirement)> = Vec::new();
        let mut on_users: Vec<(usize, &Requirement)> = Vec::new();
        let mut on_new: Vec<(usize, &Requirement)> = Vec::new();
        let mut on_stacks: Vec<(usize, &Requirement)> = Vec::new();
        for (k, r) in method.requires.iter().enumerate() {
            match r.target {
                Target::Anything => {
                    slots[k] = Some(best_use(eff, r.any_of, |a| eff.allows_on(a, "*"), "*")?);
                }
                Target::ManagedPolicy => {
                    let (u, found) = self.own_policies(principal, r, method, &mut missing)?;
                    slots[k] = Some(u);
                    targets.extend(found);
                }
                Target::OwnUser | Target::OwnRole => {
                    let kind = if r.target == Target::OwnUser {
                        PrincipalKind::User
                    } else {
                        PrincipalKind::Role
                    };
                    if principal.kind != kind {
                        return None;
                    }
                    slots[k] = Some(self.decided_any(
                        principal,
                        r.any_of,
                        &principal.arn,
                        Bound::on(Some(principal)),
                    )?);
                }
                Target::OwnGroup => {
                    let mut best: Option<PermissionUse> = None;
                    for g in &principal.groups {
                        let arn = self.group_arn(g, account);
                        if let Some(u) =
                            self.decided_any(principal, r.any_of, &arn, Bound::on(None))
                        {
                            targets.push(arn);
                            best = pick(best, u);
                        }
                    }
                    slots[k] = Some(best?);
                }
                Target::AnyGroup => {
                    if principal.kind != PrincipalKind::User {
                        return None;
                    }
                    let (u, found) = self.other_groups(principal, eff, r, account, &mut missing)?;
                    slots[k] = Some(u);
                    targets.extend(found);
                }
                Target::OtherUser => on_users.push((k, r)),
                Target::OtherRole | Target::PassedRole(_) => on_roles.push((k, r)),
                Target::NewRole | Target::NewUser => on_new.push((k, r)),
                Target::StackRole | Target::ProjectRole | Target::FunctionRole => {
                    on_stacks.push((k, r))
                }
                Target::TrustingRole => {
                    let (uses, found) = self.assumable(i, principal, eff, memo, account)?;
                    slots[k] = Some(uses);
                    targets.extend(found);
                }
            }
        }
        if !on_new.is_empty() {
            let kind = if on_new[0].1.target == Target::NewUser {
                "user"
            } else {
                "role"
            };
            let steps: Vec<&Requirement> = on_new.iter().map(|(_, r)| *r).collect();
            let (arn, uses) = self.create_entity(principal, eff, kind, &steps)?;
            for ((k, _), u) in on_new.iter().zip(uses) {
                slots[*k] = Some(u);
            }
            targets.push(arn);
        }
        if !on_stacks.is_empty() {
            let reqs: Vec<&Requirement> = on_stacks.iter().map(|(_, r)| *r).collect();
            let (uses, found) =
                self.on_service_roles(i, principal, eff, &reqs, memo, &mut missing)?;
            for ((k, _), u) in on_stacks.iter().zip(uses) {
                slots[*k] = Some(u);
            }
            targets.extend(found);
        }
        for (group, kind) in [(&on_users, "user"), (&on_roles, "role")] {
            if group.is_empty() {
                continue;
            }
            let service = group.iter().find_map(|(_, r)| match r.target {
                Target::PassedRole(s) => Some(s),
                _ => None,
            });
            let pool: Vec<usize> = match (kind, service) {
                ("user", _) => self.users_for(method),
                (_, Some(s)) => self
                    .by_service
                    .iter()
                    .find(|(x, _)| *x == s)
                    .map_or(Vec::new(), |(_, list)| list.clone()),
                _ => self.roles.clone(),
            };
            let others_exist = if kind == "user" {
                self.users.iter().any(|j| *j != i)
            } else {
                self.roles.iter().any(|j| *j != i)
            };
            let reqs: Vec<&Requirement> = group.iter().map(|(_, r)| *r).collect();
            let existing = self.on_targets(
                i,
                principal,
                eff,
                &reqs,
                &pool,
                others_exist,
                memo,
                account,
                kind,
            );
            let (uses, found) = match (existing, service) {
                (Some(found), _) => found,
                // No existing role will do: a role of its own making, trusting
                // the service, may.
                (None, Some(_)) => {
                    let mut steps = vec![&CREATE_ROLE, &EMPOWER_ROLE];
                    steps.extend(reqs.iter().copied());
                    let (arn, mut uses) = self.create_entity(principal, eff, "role", &steps)?;
                    let own = uses.split_off(2);
                    prelude = uses;
                    (own, vec![arn])
                }
                (None, None) => return None,
            };
            for ((k, _), u) in group.iter().zip(uses) {
                slots[*k] = Some(u);
            }
            targets.extend(found);
        }
        let mut permissions = prelude;
        permissions.extend(slots.into_iter().collect::<Option<Vec<_>>>()?);
        let conditional = permissions.iter().any(|p| !p.certain);
        Some(EscalationFinding {
            principal: principal.arn.clone(),
            method,
            permissions,
            targets,
            conditional,
            missing,
        })
    }

    /// The users a user-targeting method may act on: for console passwords,
    /// those with (`UpdateLoginProfile`) or without (`CreateLoginProfile`) one,
    /// when the credential report says which.
    fn users_for(&self, method: &EscalationMethod) -> Vec<usize> {
        let wanted = match method.id {
            "iam-create-login-profile" => Some(false),
            "iam-update-login-profile" => Some(true),
            _ => None,
        };
        let (Some(wanted), Some(passwords)) = (wanted, &self.targets.passwords) else {
            return self.users.clone();
        };
        self.users
            .iter()
            .copied()
            .filter(|&j| {
                let name = &self.principals.principals[j].name;
                passwords.get(name).is_none_or(|has| *has == wanted)
            })
            .collect()
    }

    /// A group's ARN, from the evidence when it holds the group.
    fn group_arn(&self, name: &str, account: &str) -> String {
        self.targets
            .groups
            .as_ref()
            .and_then(|gs| gs.iter().find(|(n, _, _)| n == name))
            .map_or_else(
                || format!("arn:aws:iam::{account}:group/{name}"),
                |(_, arn, _)| arn.clone(),
            )
    }

    /// The customer managed policies attached to the principal (directly or
    /// through its groups) that it may change with the requirement's action:
    /// rewriting one changes its own permissions. Setting a default version
    /// needs another version to switch to.
    fn own_policies(
        &self,
        principal: &Principal,
        r: &Requirement,
        method: &EscalationMethod,
        missing: &mut Vec<String>,
    ) -> Option<(PermissionUse, Vec<String>)> {
        let needs_versions = method.id == "iam-set-default-policy-version";
        let mut best: Option<PermissionUse> = None;
        let mut found = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for policy in &principal.policies.identity {
            let arn: &str = &policy.name;
            if !arn.starts_with("arn:") || !arn.contains(":policy/") || arn.contains(":aws:policy/")
            {
                continue;
            }
            if seen.contains(&arn) {
                continue;
            }
            seen.push(arn);
            if needs_versions {
                match self.targets.policy_versions.as_ref().map(|v| v.get(arn)) {
                    Some(Some(n)) if *n < 2 => continue,
                    Some(Some(_)) => {}
                    _ => missing.push(format!(
                        "{} (the versions of {arn})",
                        cartguard_inventory::iam::GET_ACCOUNT_AUTHORIZATION_DETAILS
                    )),
                }
            }
            if let Some(u) = self.decided_any(principal, r.any_of, arn, Bound::on(None)) {
                best = pick(best, u);
                found.push(arn.to_string());
            }
        }
        let mut u = best?;
        if found.len() > 1 {
            u.resource = found.join(", ");
        }
        Some((u, found))
    }

    /// The groups, other than its own, that a user may add itself to: those
    /// that hold some policy. Without the account's groups in the evidence,
    /// the path is potential.
    fn other_groups(
        &self,
        principal: &Principal,
        eff: &EffectivePermissions,
        r: &Requirement,
        account: &str,
        missing: &mut Vec<String>,
    ) -> Option<(PermissionUse, Vec<String>)> {
        let Some(groups) = &self.targets.groups else {
            missing.push(format!(
                "{} (the account's groups)",
                cartguard_inventory::iam::GET_ACCOUNT_AUTHORIZATION_DETAILS
            ));
            let pattern = format!("arn:aws:iam::{account}:group/*");
            let u = best_use(eff, r.any_of, |a| eff.allows_on(a, &pattern), &pattern)?;
            return Some((u, Vec::new()));
        };
        let mut best: Option<PermissionUse> = None;
        let mut found = Vec::new();
        for (name, arn, has_policy) in groups {
            if !has_policy || principal.groups.contains(name) {
                continue;
            }
            if let Some(u) = self.decided_any(principal, r.any_of, arn, Bound::on(None)) {
                best = pick(best, u);
                found.push(arn.clone());
                if found.len() >= MAX_TARGETS {
                    break;
                }
            }
        }
        let mut u = best?;
        if found.len() > 1 {
            u.resource = format!("arn:aws:iam::{account}:group/…");
        }
        Some((u, found))
    }

    /// The existing stacks, build projects or functions whose service role is
    /// more privileged than the principal and on which it may take every step,
    /// as `resource (role)`. Without them in the evidence,
    /// the path is potential when the principal may take the steps somewhere.
    fn on_service_roles(
        &self,
        i: usize,
        principal: &Principal,
        eff: &EffectivePermissions,
        requirements: &[&Requirement],
        memo: &RefCell<Vec<u8>>,
        missing: &mut Vec<String>,
    ) -> Option<(Vec<PermissionUse>, Vec<String>)> {
        let known = match requirements[0].target {
            Target::StackRole => &self.targets.stacks,
            Target::FunctionRole => &self.targets.functions,
            _ => &self.targets.projects,
        };
        let known = match known {
            Ok(list) => list,
            Err(not_collected) => {
                missing.extend(not_collected.iter().cloned());
                let uses = requirements
                    .iter()
                    .map(|r| best_use(eff, r.any_of, |a| eff.allows_on(a, "*"), "*"))
                    .collect::<Option<Vec<_>>>()?;
                return Some((uses, Vec::new()));
            }
        };
        let mut uses: Vec<Option<PermissionUse>> = vec![None; requirements.len()];
        let mut found = Vec::new();
        for (resource, role) in known {
            // A role outside the evidence may be anything: it counts, and
            // the path names it.
            if let Some(&j) = self.by_arn.get(role.as_str())
                && (j == i || !self.more_privileged(j, i, memo))
            {
                continue;
            }
            let per_req: Option<Vec<PermissionUse>> = requirements
                .iter()
                .map(|r| self.decided_any(principal, r.any_of, resource, Bound::on(None)))
                .collect();
            let Some(per_req) = per_req else { continue };
            merge_uses(&mut uses, per_req, "…");
            found.push(format!("{resource} ({role})"));
            if found.len() >= MAX_TARGETS {
                break;
            }
        }
        if found.is_empty() {
            return None;
        }
        Some((uses.into_iter().collect::<Option<Vec<_>>>()?, found))
    }

    /// A role or user the principal can create and take every step on: its
    /// name is one the principal's `iam:CreateRole`/`iam:CreateUser` grants
    /// allow. Each step is decided on that ARN with what the request states:
    /// no permissions boundary on the new entity, `iam:PolicyARN` the
    /// AdministratorAccess ARN, `iam:PassedToService` the service, and for
    /// `sts:AssumeRole` a trust policy that names the principal (the creator
    /// writes it). Returns the ARN and one use per step.
    fn create_entity(
        &self,
        principal: &Principal,
        eff: &EffectivePermissions,
        kind: &str,
        steps: &[&Requirement],
    ) -> Option<(String, Vec<PermissionUse>)> {
        let account = principal.account.as_deref()?;
        let create = if kind == "user" {
            "iam:CreateUser"
        } else {
            "iam:CreateRole"
        };
        let mut candidates: Vec<String> = Vec::new();
        for g in eff.grants_of(create) {
            let patterns: Vec<&str> = if g.not_resource {
                vec!["*"]
            } else {
                g.resources().collect()
            };
            for pattern in patterns {
                if let Some(arn) = concrete_arn(pattern, account, kind)
                    && !candidates.contains(&arn)
                    && g.covers_arn(&arn)
                {
                    candidates.push(arn);
                }
            }
            if candidates.len() >= 8 {
                break;
            }
        }
        for arn in candidates {
            let trust = written_trust(principal, &arn);
            let uses: Option<Vec<PermissionUse>> = steps
                .iter()
                .map(|r| {
                    let service = match r.target {
                        Target::PassedRole(s) => Some(s),
                        _ => None,
                    };
                    let bound = Bound {
                        service,
                        boundary: None,
                    };
                    let mut best = None;
                    for action in r.any_of {
                        let resource_policy = (action.eq_ignore_ascii_case("sts:AssumeRole"))
                            .then(|| trust.clone())
                            .flatten();
                        if let Some(u) =
                            self.decided(principal, action, &arn, bound, resource_policy)
                        {
                            best = pick(best, u);
                        }
                    }
                    best
                })
                .collect();
            if let Some(uses) = uses {
                return Some((arn, uses));
            }
        }
        None
    }

    /// The best of `actions` on the concrete `resource`, each decided by the
    /// evaluator with what the request itself states.
    fn decided_any(
        &self,
        principal: &Principal,
        actions: &[&str],
        resource: &str,
        bound: Bound<'_>,
    ) -> Option<PermissionUse> {
        let mut best = None;
        for action in actions {
            if let Some(u) = self.decided(principal, action, resource, bound, None) {
                best = pick(best, u);
            }
        }
        best
    }

    /// Decides one step: `action` on the concrete `resource`, with the keys
    /// the escalation itself fixes bound in the request context, and
    /// `resource_policy` (a trust policy) beside the principal's policies.
    /// `None` when the evaluator denies it.
    fn decided(
        &self,
        principal: &Principal,
        action: &str,
        resource: &str,
        bound: Bound<'_>,
        resource_policy: Option<Arc<Policy>>,
    ) -> Option<PermissionUse> {
        let mut request = Request::new(principal.request_principal(), action, resource);
        bound.apply(action, &mut request);
        let decision = match resource_policy {
            Some(policy) => {
                let mut policies = principal.policies.clone();
                policies.resource.push(policy);
                evaluate(&policies, &request)
            }
            None => principal.decide(&request),
        };
        let (certain, statements) = match decision {
            Decision::Allow { by } => (true, by),
            Decision::Conditional { pending } => {
                (false, pending.into_iter().map(|p| p.statement).collect())
            }
            _ => return None,
        };
        let mut unique: Vec<StatementRef> = Vec::new();
        for s in statements {
            if !unique.contains(&s) {
                unique.push(s);
            }
        }
        Some(PermissionUse {
            action: action.to_string(),
            resource: resource.to_string(),
            statements: unique,
            certain,
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
    /// (a trust policy must be rewritten and assumed on the same role), each
    /// decided by the evaluator with the keys the request fixes
    /// (`iam:PassedToService` for `iam:PassRole`); falls back to ARN patterns
    /// when the inventory holds no other role.
    #[allow(clippy::too_many_arguments)]
    fn on_targets(
        &self,
        i: usize,
        principal: &Principal,
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
        // The grants of each requirement's actions, looked up once: a cheap
        // test before the evaluator decides.
        let granted: Vec<Vec<Vec<&Grant>>> = requirements
            .iter()
            .map(|r| {
                r.any_of
                    .iter()
                    .map(|a| eff.grants_of(a).collect())
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
            let reachable = granted.iter().all(|options| {
                options
                    .iter()
                    .any(|grants| grants.iter().any(|g| g.covers_arn(&candidate.arn)))
            });
            if !reachable || (kind == "role" && !self.more_privileged(j, i, memo)) {
                continue;
            }
            let per_req: Option<Vec<PermissionUse>> = requirements
                .iter()
                .map(|r| {
                    let service = match r.target {
                        Target::PassedRole(s) => Some(s),
                        _ => None,
                    };
                    let bound = Bound {
                        service,
                        boundary: Some(candidate),
                    };
                    self.decided_any(principal, r.any_of, &candidate.arn, bound)
                })
                .collect();
            let Some(per_req) = per_req else { continue };
            merge_uses(
                &mut uses,
                per_req,
                &format!("arn:aws:iam::{account}:{kind}/…"),
            );
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

/// Adds one target's uses to those of the targets found before; several
/// targets are summarised by `many` as the resource.
fn merge_uses(uses: &mut [Option<PermissionUse>], per_req: Vec<PermissionUse>, many: &str) {
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
                if prev.resource != u.resource {
                    prev.resource = many.to_string();
                }
                prev
            }
        });
    }
}

/// What the escalation itself puts in a request's context.
#[derive(Clone, Copy)]
struct Bound<'p> {
    /// The service a role is passed to (`iam:PassedToService`).
    service: Option<&'static str>,
    /// The user or role acted on, whose permissions boundary
    /// `iam:PermissionsBoundary` names; `None` for one being created without.
    boundary: Option<&'p Principal>,
}

impl<'p> Bound<'p> {
    fn on(target: Option<&'p Principal>) -> Bound<'p> {
        Bound {
            service: None,
            boundary: target,
        }
    }

    /// Binds the keys `action`'s request determines (Service Authorization
    /// Reference, IAM: `iam:PassedToService` on `PassRole`, `iam:PolicyARN`
    /// on the `Attach…Policy` actions, `iam:PermissionsBoundary` on the
    /// actions that create a user or role or change its policies).
    fn apply(&self, action: &str, request: &mut Request) {
        let action = action.to_ascii_lowercase();
        let context = &mut request.context;
        if action == "iam:passrole"
            && let Some(service) = self.service
        {
            context.set("iam:PassedToService", [service]);
        }
        if matches!(
            action.as_str(),
            "iam:attachuserpolicy" | "iam:attachrolepolicy" | "iam:attachgrouppolicy"
        ) {
            context.set("iam:PolicyARN", [ADMIN_POLICY]);
        }
        if matches!(
            action.as_str(),
            "iam:createuser"
                | "iam:createrole"
                | "iam:attachuserpolicy"
                | "iam:attachrolepolicy"
                | "iam:putuserpolicy"
                | "iam:putrolepolicy"
        ) {
            match self.boundary.and_then(|p| p.policies.boundary.as_ref()) {
                Some(boundary) => {
                    context.set("iam:PermissionsBoundary", [boundary.name.as_ref()]);
                }
                None => {
                    context.set_absent("iam:PermissionsBoundary");
                }
            }
        }
    }
}

/// The first steps of a path through a role the principal creates.
static CREATE_ROLE: Requirement = req(&["iam:CreateRole"], Target::NewRole);
static EMPOWER_ROLE: Requirement = req(
    &["iam:AttachRolePolicy", "iam:PutRolePolicy"],
    Target::NewRole,
);

/// A name the pattern of a create grant allows, as an ARN in `account`
/// (wildcards filled in); `None` for a pattern of another kind of resource
/// or with policy variables.
fn concrete_arn(pattern: &str, account: &str, kind: &str) -> Option<String> {
    if pattern.contains("${") {
        return None;
    }
    if pattern == "*" {
        return Some(format!("arn:aws:iam::{account}:{kind}/escalated"));
    }
    let parts: Vec<&str> = pattern.splitn(6, ':').collect();
    let [_, partition, service, _, _, resource] = parts.as_slice() else {
        return None;
    };
    if !(*service == "iam" || *service == "*") {
        return None;
    }
    let partition = if partition.contains(['*', '?']) {
        "aws"
    } else {
        partition
    };
    let resource = if *resource == "*" {
        format!("{kind}/escalated")
    } else {
        resource.replace(['*', '?'], "x")
    };
    resource
        .starts_with(&format!("{kind}/"))
        .then(|| format!("arn:{partition}:iam::{account}:{resource}"))
}

/// The trust policy a principal writes into a role it creates: it admits
/// the principal itself.
fn written_trust(principal: &Principal, role: &str) -> Option<Arc<Policy>> {
    let document = json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": principal.arn}, "Action": "sts:AssumeRole"}]
    });
    Policy::parse(&format!("{role}#trust"), PolicyKind::Trust, &document)
        .ok()
        .map(Arc::new)
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
                    Ok(targets) if targets.is_empty() => continue,
                    Ok(targets) => finding.targets = targets,
                    // Instances not collected: the path is potential, like
                    // every path whose targets the evidence cannot show.
                    Err(missing) => finding.missing.extend(missing),
                }
            }
            if !finding.targets.is_empty() {
                finding.targets.retain(|t| self.target_reaches_admin(t));
                if finding.targets.is_empty() {
                    continue;
                }
            }
            out.push(finding);
        }
        out
    }

    /// Whether acting as `target` (a user or role, or the role of an
    /// instance, stack or project) leads to administrator; a target outside
    /// the principals (a policy, a group, a new role) is the principal's own gain.
    fn target_reaches_admin(&self, target: &str) -> bool {
        match self.by_arn.get(acting_as(target)) {
            Some(&j) => self.reaches_admin(j, MAX_HOPS),
            None => true,
        }
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
                || f.targets
                    .iter()
                    .any(|t| match self.by_arn.get(acting_as(t)) {
                        Some(&next) => self.reaches_admin(next, hops - 1),
                        None => true,
                    })
        });
        self.reaches.borrow_mut().insert(index, answer);
        answer
    }

    /// The running instances whose role reaches administrator and on which the
    /// principal may perform `action`, as `instance ARN (role ARN)`; the
    /// missing evidence when the instances of some region (or of every
    /// region, when none was collected) are not in it.
    fn instance_targets(
        &self,
        principal: &Principal,
        action: &str,
    ) -> Result<Vec<String>, Vec<String>> {
        let describe = cartguard_inventory::ec2::DESCRIBE_INSTANCES;
        if self.account.regions.is_empty() {
            return Err(vec![format!("{describe} (no region collected)")]);
        }
        let mut found = Vec::new();
        let mut missing = Vec::new();
        for (region, evidence) in &self.account.regions {
            let Some(instances) = evidence.ec2.instances.present() else {
                missing.push(format!("{describe} in {region}"));
                continue;
            };
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
        // An instance found is a real path, whatever other regions hold.
        if found.is_empty() && !missing.is_empty() {
            Err(missing)
        } else {
            Ok(found)
        }
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

    fn user(name: &str, statements: serde_json::Value) -> serde_json::Value {
        json!({
            "UserName": name, "Arn": format!("arn:aws:iam::111122223333:user/{name}"),
            "UserPolicyList": [inline("duties", statements)]
        })
    }

    fn methods_of(found: &[EscalationFinding], who: &str) -> Vec<&'static str> {
        let mut ids: Vec<&'static str> = found
            .iter()
            .filter(|f| f.principal.ends_with(who))
            .map(|f| f.method.id)
            .collect();
        ids.sort_unstable();
        ids
    }

    /// `CreateRole` takes the trust policy as its
    /// `AssumeRolePolicyDocument` parameter (IAM API Reference), so whoever
    /// creates a role decides who may assume it: a principal that may create
    /// a role and attach a policy to it can assume it. Each step is shown in order.
    #[test]
    fn a_role_of_its_own_making_is_a_path_with_its_steps() {
        let ps = account(
            json!([user(
                "builder",
                json!([{"Effect": "Allow", "Action": ["iam:CreateRole", "iam:AttachRolePolicy"], "Resource": "arn:aws:iam::111122223333:role/svc-*"}])
            )]),
            json!([]),
            json!([]),
        );
        let found = find_all(&ps);
        let f = found
            .iter()
            .find(|f| f.method.id == "iam-create-role")
            .expect("the path is found");
        assert_eq!(
            f.steps(),
            vec![
                "iam:CreateRole on arn:aws:iam::111122223333:role/svc-x",
                "iam:AttachRolePolicy on arn:aws:iam::111122223333:role/svc-x",
                "sts:AssumeRole on arn:aws:iam::111122223333:role/svc-x",
            ]
        );
        assert!(!f.conditional && !f.potential());
    }

    /// The IAM User Guide (permissions boundaries, "delegating
    /// responsibility") has administrators allow `iam:CreateRole` only when
    /// `iam:PermissionsBoundary` names their boundary: the request to create
    /// a role without one is then denied, so no role of its own making
    /// escapes the boundary. Decided by evaluating the request, whichever
    /// operator the condition uses.
    #[test]
    fn a_boundary_condition_on_create_role_stops_the_path() {
        let boundary = "arn:aws:iam::111122223333:policy/dev-boundary";
        for condition in [
            json!({"StringEquals": {"iam:PermissionsBoundary": boundary}}),
            json!({"ArnLike": {"iam:PermissionsBoundary": boundary}}),
        ] {
            let ps = account(
                json!([user(
                    "builder",
                    json!([
                        {"Effect": "Allow", "Action": "iam:CreateRole", "Resource": "*", "Condition": condition},
                        {"Effect": "Allow", "Action": "iam:AttachRolePolicy", "Resource": "*"}
                    ])
                )]),
                json!([]),
                json!([]),
            );
            assert!(methods_of(&find_all(&ps), "builder").is_empty());
        }
        // A Deny for requests without the boundary stops it too.
        let ps = account(
            json!([user(
                "builder",
                json!([
                    {"Effect": "Allow", "Action": ["iam:CreateRole", "iam:PutRolePolicy"], "Resource": "*"},
                    {"Effect": "Deny", "Action": "iam:CreateRole", "Resource": "*", "Condition": {"StringNotEquals": {"iam:PermissionsBoundary": boundary}}}
                ])
            )]),
            json!([]),
            json!([]),
        );
        assert!(methods_of(&find_all(&ps), "builder").is_empty());
    }

    /// A user of its own making: create it, give it a policy, and
    /// sign in with a key of its making.
    #[test]
    fn a_user_of_its_own_making_is_a_path() {
        let ps = account(
            json!([user(
                "bot",
                json!([{"Effect": "Allow", "Action": ["iam:CreateUser", "iam:AttachUserPolicy", "iam:CreateLoginProfile"], "Resource": "arn:aws:iam::111122223333:user/temp/*"}])
            )]),
            json!([]),
            json!([]),
        );
        let found = find_all(&ps);
        let f = found
            .iter()
            .find(|f| f.method.id == "iam-create-user")
            .expect("the path is found");
        assert_eq!(f.permissions[2].action, "iam:CreateLoginProfile");
        assert_eq!(
            f.targets,
            vec!["arn:aws:iam::111122223333:user/temp/x".to_string()]
        );
    }

    /// "iam:PassedToService: specifies the service principal of the
    /// service to which a role can be passed" (IAM User Guide, IAM condition
    /// keys): passing a role to Lambda states `lambda.amazonaws.com`. A
    /// PassRole limited to another service is denied; one limited to Lambda
    /// is allowed outright, so the path is proven, not conditional.
    #[test]
    fn passrole_is_decided_with_the_service_it_is_passed_to() {
        let with = |service: &str| {
            account(
                json!([user(
                    "fn",
                    json!([
                        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*", "Condition": {"StringEquals": {"iam:PassedToService": service}}},
                        {"Effect": "Allow", "Action": ["lambda:CreateFunction", "lambda:InvokeFunction"], "Resource": "*"}
                    ])
                )]),
                json!([]),
                json!([admin_role("lambda-admin", "lambda.amazonaws.com")]),
            )
        };
        assert!(methods_of(&find_all(&with("ecs-tasks.amazonaws.com")), "user/fn").is_empty());
        let found = find_all(&with("lambda.amazonaws.com"));
        let f = found
            .iter()
            .find(|f| f.method.id == "passrole-lambda-invoke")
            .expect("the path is found");
        assert!(!f.conditional, "proven: its only condition is the binding");
        assert_eq!(
            f.targets,
            vec!["arn:aws:iam::111122223333:role/lambda-admin".to_string()]
        );
    }

    /// `iam:PolicyARN` "checks the ARN of a managed policy" on the
    /// `Attach…Policy` actions (IAM condition keys): attaching
    /// AdministratorAccess states its ARN, so a grant limited to other
    /// policies is no path.
    #[test]
    fn attaching_is_decided_with_the_policy_attached() {
        let with = |policy: &str| {
            account(
                json!([user(
                    "ops",
                    json!([{"Effect": "Allow", "Action": "iam:AttachUserPolicy", "Resource": "arn:aws:iam::111122223333:user/ops", "Condition": {"ArnEquals": {"iam:PolicyARN": policy}}}])
                )]),
                json!([]),
                json!([]),
            )
        };
        assert!(
            methods_of(
                &find_all(&with("arn:aws:iam::aws:policy/ReadOnlyAccess")),
                "ops"
            )
            .is_empty()
        );
        assert_eq!(
            methods_of(
                &find_all(&with("arn:aws:iam::aws:policy/AdministratorAccess")),
                "ops"
            ),
            vec!["iam-attach-user-policy"]
        );
    }

    /// A policy-version method needs a customer managed policy the
    /// principal may change and that is attached to it; a group method needs
    /// a group. Without them nothing is reported.
    #[test]
    fn methods_need_targets() {
        let ps = account(
            json!([user(
                "dev",
                json!([{"Effect": "Allow", "Action": ["iam:CreatePolicyVersion", "iam:AddUserToGroup"], "Resource": "*"}])
            )]),
            json!([]),
            json!([]),
        );
        let details: AuthorizationDetails = serde_json::from_value(json!({
            "UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": []
        }))
        .unwrap();
        let mut evidence = cartguard_inventory::Account::default();
        evidence.iam.authorization_details = cartguard_inventory::Collected::Present(details);
        let analysis = Analysis::for_account(&ps, &evidence);
        assert!(methods_of(&analysis.escalations(), "dev").is_empty());
    }

    /// Point 9 and 10. Stacks, projects and instances not collected make
    /// their paths potential, naming the missing evidence; CloudFormation
    /// "uses this role even if the users don't have permission to pass it"
    /// (CreateChangeSet, RoleARN), so no iam:PassRole is needed.
    #[test]
    fn uncollected_targets_make_a_path_potential() {
        let ps = account(
            json!([user(
                "release",
                json!([{"Effect": "Allow", "Action": ["cloudformation:UpdateStack", "ssm:SendCommand"], "Resource": "*"}])
            )]),
            json!([]),
            json!([admin_role("cfn-admin", "cloudformation.amazonaws.com")]),
        );
        let evidence = cartguard_inventory::Account::default();
        let analysis = Analysis::for_account(&ps, &evidence);
        let paths = AdminPaths::new(&analysis, &ps, &evidence).all();
        let stack = paths
            .iter()
            .find(|f| f.method.id == "cloudformation-update-stack")
            .expect("potential path");
        assert_eq!(
            stack.missing,
            vec!["cloudformation:DescribeStacks (no region collected)".to_string()]
        );
        let ssm = paths
            .iter()
            .find(|f| f.method.id == "ssm-send-command")
            .expect("potential path");
        assert!(ssm.potential());
    }

    /// An existing stack whose service role is administrator is a
    /// path for whoever may update it.
    #[test]
    fn an_existing_stack_role_is_a_path() {
        let ps = account(
            json!([user(
                "release",
                json!([{"Effect": "Allow", "Action": "cloudformation:UpdateStack", "Resource": "arn:aws:cloudformation:eu-west-1:111122223333:stack/shop/*"}])
            )]),
            json!([]),
            json!([admin_role("cfn-admin", "cloudformation.amazonaws.com")]),
        );
        let mut evidence = cartguard_inventory::Account::default();
        let mut region = cartguard_inventory::Region::default();
        region.cloudformation.stacks = cartguard_inventory::Collected::Present(
            serde_json::from_value(json!([
                {"StackName": "shop", "StackId": "arn:aws:cloudformation:eu-west-1:111122223333:stack/shop/1", "RoleARN": "arn:aws:iam::111122223333:role/cfn-admin"},
                {"StackName": "other", "StackId": "arn:aws:cloudformation:eu-west-1:111122223333:stack/other/2", "RoleARN": "arn:aws:iam::111122223333:role/cfn-admin"}
            ]))
            .unwrap(),
        );
        evidence.regions.insert("eu-west-1".into(), region);
        let analysis = Analysis::for_account(&ps, &evidence);
        let paths = AdminPaths::new(&analysis, &ps, &evidence).all();
        let f = paths
            .iter()
            .find(|f| f.method.id == "cloudformation-update-stack")
            .expect("the path is found");
        assert_eq!(
            f.targets,
            vec!["arn:aws:cloudformation:eu-west-1:111122223333:stack/shop/1 (arn:aws:iam::111122223333:role/cfn-admin)".to_string()]
        );
        assert!(!f.potential());
    }
}
