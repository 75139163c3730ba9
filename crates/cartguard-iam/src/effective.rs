//! What a principal can effectively do: its identity-based grants after
//! denies, its permissions boundary and SCPs.
//!
//! Each `Allow` statement of the principal's identity policies becomes a
//! [`Grant`]: the catalogue actions it grants on its resources, less the
//! actions an unconditional `Deny` takes away on all those resources, kept only
//! where the boundary and every SCP level may allow them. A grant also records
//! which of its actions are certain (no condition, no conditional deny, boundary
//! and SCPs allow unconditionally). Resource-based policies are not part of the
//! picture: they belong to resources, and [`crate::evaluate()`] weighs them per
//! request.

use std::sync::Arc;

use crate::Tri;
use crate::catalogue::{ActionSet, catalogue};
use crate::context::{Lookup, RequestContext, VariableSource};
use crate::evaluate::{Env, PolicySet, RequestPrincipal};
use crate::matching::Pattern;
use crate::policy::{Effect, Policy, Statement, StatementRef};
use crate::principals::Principal;

/// The resources a statement names, with the principal's own variables
/// substituted (`${aws:username}` becomes the user's name).
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    pub(crate) negated: bool,
    /// The statement's own patterns when it has no variables (shared, not copied).
    pub(crate) patterns: Arc<[Pattern]>,
    /// Some variable could not be substituted and was widened to `*`.
    pub(crate) widened: bool,
}

impl Scope {
    pub(crate) fn of(stmt: &Statement, vars: &dyn VariableSource) -> Scope {
        let written = &stmt.resources.patterns;
        if !written.iter().any(Pattern::has_variables) {
            return Scope {
                negated: stmt.resources.negated,
                patterns: Arc::clone(written),
                widened: false,
            };
        }
        let mut widened = false;
        let patterns = written
            .iter()
            .filter_map(|p| {
                if p.variable_keys()
                    .any(|k| vars.variable(k) == Lookup::Unknown)
                {
                    widened = true;
                }
                p.specialise(vars)
            })
            .collect();
        Scope {
            negated: stmt.resources.negated,
            patterns,
            widened,
        }
    }

    /// Whether the scope names nothing at all.
    pub(crate) fn is_empty(&self) -> bool {
        !self.negated && self.patterns.is_empty()
    }

    /// Whether the scope is every resource.
    pub(crate) fn is_everything(&self) -> bool {
        if self.negated {
            self.patterns.is_empty()
        } else {
            self.patterns.iter().any(Pattern::is_star)
        }
    }

    /// Whether every resource `pattern` matches is in this scope.
    pub(crate) fn covers_pattern(&self, pattern: &Pattern) -> bool {
        if self.is_everything() {
            return true;
        }
        if self.negated {
            self.patterns.iter().all(|x| !x.intersects(pattern))
        } else {
            self.patterns.iter().any(|s| s.covers(pattern))
        }
    }

    /// Whether every resource of `other` is in this scope.
    pub(crate) fn covers(&self, other: &Scope) -> bool {
        if self.is_everything() {
            return true;
        }
        if other.negated {
            return false;
        }
        other.patterns.iter().all(|o| self.covers_pattern(o))
    }

    /// Whether some resource matched by `pattern` is in this scope.
    pub(crate) fn intersects_pattern(&self, pattern: &Pattern) -> bool {
        if self.negated {
            !self.patterns.iter().any(|x| x.covers(pattern))
        } else {
            self.patterns.iter().any(|s| s.intersects(pattern))
        }
    }

    /// Whether the scopes share a resource.
    pub(crate) fn intersects(&self, other: &Scope) -> bool {
        match (self.negated, other.negated) {
            (false, false) => other.patterns.iter().any(|o| self.intersects_pattern(o)),
            (true, false) => other.patterns.iter().any(|o| self.intersects_pattern(o)),
            (false, true) => self.patterns.iter().any(|s| other.intersects_pattern(s)),
            (true, true) => true,
        }
    }
}

/// One identity-policy `Allow` statement, reduced to what it effectively grants.
#[derive(Debug, Clone)]
pub struct Grant {
    /// The statement.
    pub statement: StatementRef,
    /// Catalogue actions it may grant after denies, boundary and SCPs.
    pub actions: ActionSet,
    /// The subset granted with no condition attached anywhere on the way.
    pub certain: ActionSet,
    /// Whether the resource patterns are `NotResource` patterns.
    pub not_resource: bool,
    pub(crate) scope: Scope,
    pub(crate) policy: Arc<Policy>,
}

impl Grant {
    /// The resource patterns (principal variables substituted).
    pub fn resources(&self) -> impl Iterator<Item = &str> {
        self.scope.patterns.iter().map(Pattern::as_str)
    }

    /// Whether the grant covers every resource (`Resource: "*"`).
    pub fn on_all_resources(&self) -> bool {
        self.scope.is_everything()
    }

    /// Whether the grant's resources include the literal ARN `arn`.
    pub fn covers_arn(&self, arn: &str) -> bool {
        let listed = self
            .scope
            .patterns
            .iter()
            .any(|p| p.matches_static(arn) == Tri::True);
        listed != self.scope.negated
    }

    /// Whether the grant reaches every resource matched by `pattern` (an ARN
    /// pattern such as `arn:aws:secretsmanager:*:111122223333:secret:*`).
    pub fn covers_pattern(&self, pattern: &str) -> bool {
        if self.on_all_resources() {
            return true;
        }
        if self.not_resource {
            return false;
        }
        let syntax = crate::matching::Syntax {
            wildcards: true,
            variables: false,
            case_insensitive: false,
        };
        let target = Pattern::new(pattern, syntax);
        self.resources()
            .any(|r| Pattern::new(r, syntax).covers(&target))
    }

    /// Whether the grant is (partly) conditional.
    pub fn is_conditional(&self) -> bool {
        self.certain != self.actions
    }

    /// The statement as parsed.
    pub fn source(&self) -> Option<&Statement> {
        self.policy
            .statements
            .get(self.statement.index)
            .map(|s| &**s)
    }
}

/// Whether a principal has administrator access after evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminAccess {
    /// Every action on every resource, with no condition.
    Unconditional {
        /// The statements that together grant it.
        by: Vec<StatementRef>,
    },
    /// Every action on every resource, but only when some condition holds
    /// (MFA, source IP, region, …).
    Conditional {
        /// The statements that together grant it.
        by: Vec<StatementRef>,
    },
    /// Not an administrator.
    No,
}

impl AdminAccess {
    /// Whether the principal is admin, conditionally or not.
    pub fn is_admin(&self) -> bool {
        !matches!(self, AdminAccess::No)
    }
}

/// A principal's effective identity-based permissions.
#[derive(Debug, Clone)]
pub struct EffectivePermissions {
    /// The caller these permissions belong to.
    pub principal: RequestPrincipal,
    /// One entry per identity `Allow` statement that still grants something.
    pub grants: Vec<Grant>,
}

struct Limit<'a> {
    scope: Scope,
    actions: &'a ActionSet,
    conditional: bool,
}

fn limits<'a>(
    policies: &[&'a Arc<Policy>],
    vars: &dyn VariableSource,
    effect: Effect,
) -> Vec<Limit<'a>> {
    let cat = catalogue();
    policies
        .iter()
        .flat_map(|p| p.statements.iter())
        .filter(|s| s.effect == effect)
        .map(|s| Limit {
            scope: Scope::of(s, vars),
            actions: &cat.statement_actions(s).actions,
            conditional: s.is_conditional(),
        })
        .collect()
}

/// Narrows `actions` to what one boundary-like layer (boundary or SCP level)
/// may allow on `scope`; returns the part it allows for certain.
fn apply_layer(layer: &[Limit], scope: &Scope, actions: &mut ActionSet) -> ActionSet {
    let cat = catalogue();
    let mut maybe = cat.empty_set();
    let mut sure = cat.empty_set();
    for l in layer {
        if l.scope.intersects(scope) {
            maybe.union_with(l.actions);
            if !l.conditional && !l.scope.widened && l.scope.covers(scope) {
                sure.union_with(l.actions);
            }
        }
    }
    actions.intersect_with(&maybe);
    sure
}

impl EffectivePermissions {
    /// The effective permissions of a user or role from the inventory.
    pub fn of(principal: &Principal) -> EffectivePermissions {
        EffectivePermissions::from_policy_set(&principal.policies, &principal.request_principal())
    }

    /// The effective permissions given by a policy set to a caller.
    pub fn from_policy_set(set: &PolicySet, principal: &RequestPrincipal) -> EffectivePermissions {
        let cat = catalogue();
        let context = RequestContext::new();
        let env = Env::new(&context, principal);

        let mut deny_sources: Vec<&Arc<Policy>> = set.identity.iter().collect();
        deny_sources.extend(set.boundary.iter());
        deny_sources.extend(set.session.iter());
        deny_sources.extend(set.scps.iter().flatten());
        let denies = limits(&deny_sources, &env, Effect::Deny);
        let boundary = set
            .boundary
            .as_ref()
            .map(|b| limits(&[b], &env, Effect::Allow));
        let session = (!set.session.is_empty())
            .then(|| limits(&set.session.iter().collect::<Vec<_>>(), &env, Effect::Allow));
        let scp_levels: Vec<Vec<Limit>> = set
            .scps
            .iter()
            .map(|level| limits(&level.iter().collect::<Vec<_>>(), &env, Effect::Allow))
            .collect();

        let mut grants = Vec::new();
        for policy in &set.identity {
            for stmt in policy
                .statements
                .iter()
                .filter(|s| s.effect == Effect::Allow)
            {
                let scope = Scope::of(stmt, &env);
                if scope.is_empty() {
                    continue;
                }
                let expansion = cat.statement_actions(stmt);
                let mut actions = expansion.actions.clone();
                let mut maybe_denied = cat.empty_set();
                for d in &denies {
                    // A deny on part of the resources leaves the rest granted.
                    if d.scope.covers(&scope) && !d.scope.widened {
                        if d.conditional {
                            maybe_denied.union_with(d.actions);
                        } else {
                            actions.subtract(d.actions);
                        }
                    }
                }
                let mut certain_limits = Vec::new();
                for layer in boundary
                    .iter()
                    .chain(session.iter())
                    .chain(scp_levels.iter())
                {
                    certain_limits.push(apply_layer(layer, &scope, &mut actions));
                }
                if actions.is_empty() && expansion.unknown.is_empty() {
                    continue;
                }
                let mut certain = if stmt.is_conditional() || scope.widened {
                    cat.empty_set()
                } else {
                    actions.difference(&maybe_denied)
                };
                for sure in &certain_limits {
                    certain.intersect_with(sure);
                }
                grants.push(Grant {
                    statement: StatementRef::new(policy, stmt),
                    actions,
                    certain,
                    not_resource: scope.negated,
                    scope,
                    policy: Arc::clone(policy),
                });
            }
        }
        EffectivePermissions {
            principal: principal.clone(),
            grants,
        }
    }

    /// Administrator access: every catalogue action allowed on every resource.
    /// A deny scoped to particular resources leaves the principal admin elsewhere.
    /// Administrator access: every action on every resource, except at most a
    /// few guardrail actions that a Deny or an SCP keeps from everyone (stop the
    /// trail, leave the organization) — and never any IAM permissions-management
    /// action, since those let a principal give itself whatever it lacks.
    pub fn admin(&self) -> AdminAccess {
        let cat = catalogue();
        if cat.is_empty() {
            return AdminAccess::No;
        }
        let (certain, possible) = self.allowed_everywhere();
        let by = |need_certain: bool| -> Vec<StatementRef> {
            self.grants
                .iter()
                .filter(|g| g.on_all_resources())
                .filter(|g| !(if need_certain { &g.certain } else { &g.actions }).is_empty())
                .map(|g| g.statement.clone())
                .collect()
        };
        if administrator(&certain) {
            AdminAccess::Unconditional { by: by(true) }
        } else if administrator(&possible) {
            AdminAccess::Conditional { by: by(false) }
        } else {
            AdminAccess::No
        }
    }

    /// The actions allowed on every resource: (certainly, possibly).
    pub fn allowed_everywhere(&self) -> (ActionSet, ActionSet) {
        let cat = catalogue();
        let mut certain = cat.empty_set();
        let mut possible = cat.empty_set();
        for g in self.grants.iter().filter(|g| g.on_all_resources()) {
            certain.union_with(&g.certain);
            possible.union_with(&g.actions);
        }
        (certain, possible)
    }

    /// The actions allowed on at least one resource: (certainly, possibly).
    pub fn allowed_somewhere(&self) -> (ActionSet, ActionSet) {
        let cat = catalogue();
        let mut certain = cat.empty_set();
        let mut possible = cat.empty_set();
        for g in &self.grants {
            certain.union_with(&g.certain);
            possible.union_with(&g.actions);
        }
        (certain, possible)
    }

    /// The grants that include `action` (any case) on some resource.
    pub fn grants_of<'a>(&'a self, action: &str) -> impl Iterator<Item = &'a Grant> + 'a {
        let lower = action.to_ascii_lowercase();
        let index = catalogue().index_of(&lower);
        self.grants.iter().filter(move |g| match index {
            Some(i) => g.actions.contains(i),
            // Actions the catalogue does not know are matched against the statement.
            None => g.source().is_some_and(|s| s.matches_action(&lower)),
        })
    }

    /// Whether `action` is allowed on at least one resource.
    pub fn allows_somewhere(&self, action: &str) -> Tri {
        let index = catalogue().index_of(action);
        self.grants_of(action).fold(Tri::False, |acc, g| {
            let sure = index.is_some_and(|i| g.certain.contains(i));
            acc.or(if sure { Tri::True } else { Tri::Unknown })
        })
    }

    /// Whether `action` is allowed on every resource (`Resource: "*"`).
    pub fn allows_everywhere(&self, action: &str) -> Tri {
        let index = catalogue().index_of(action);
        self.grants_of(action)
            .filter(|g| g.on_all_resources())
            .fold(Tri::False, |acc, g| {
                let sure = index.is_some_and(|i| g.certain.contains(i));
                acc.or(if sure { Tri::True } else { Tri::Unknown })
            })
    }

    /// Whether `action` is allowed on the resource `arn` (a literal ARN),
    /// with the grants that allow it.
    pub fn allows_on_arn(&self, action: &str, arn: &str) -> (Tri, Vec<&Grant>) {
        let index = catalogue().index_of(action);
        let mut tri = Tri::False;
        let mut by = Vec::new();
        for g in self.grants_of(action) {
            if g.covers_arn(arn) {
                let sure = index.is_some_and(|i| g.certain.contains(i));
                tri = tri.or(if sure { Tri::True } else { Tri::Unknown });
                by.push(g);
            }
        }
        (tri, by)
    }

    /// Whether `action` is allowed on some resource matched by `resource_pattern`,
    /// with the grants that allow it.
    pub fn allows_on(&self, action: &str, resource_pattern: &str) -> (Tri, Vec<&Grant>) {
        let index = catalogue().index_of(action);
        if resource_pattern == "*" {
            let mut tri = Tri::False;
            let mut by = Vec::new();
            for g in self.grants_of(action) {
                let sure = index.is_some_and(|i| g.certain.contains(i));
                tri = tri.or(if sure { Tri::True } else { Tri::Unknown });
                by.push(g);
            }
            return (tri, by);
        }
        let target = Pattern::new(
            resource_pattern,
            crate::matching::Syntax {
                wildcards: true,
                variables: false,
                case_insensitive: false,
            },
        );
        let mut tri = Tri::False;
        let mut by = Vec::new();
        for g in self.grants_of(action) {
            if g.scope.intersects_pattern(&target) {
                let sure = index.is_some_and(|i| g.certain.contains(i));
                tri = tri.or(if sure { Tri::True } else { Tri::Unknown });
                by.push(g);
            }
        }
        (tri, by)
    }
}

/// At most this share of the catalogue (1 in 50) may be denied to an administrator.
const GUARDRAIL_SHARE: usize = 50;

/// Whether `allowed` (actions allowed on every resource) amounts to administrator
/// access: everything but a guardrail-sized remainder, including every IAM
/// permissions-management action.
fn administrator(allowed: &ActionSet) -> bool {
    static IAM_PERMISSIONS: std::sync::OnceLock<ActionSet> = std::sync::OnceLock::new();
    let cat = catalogue();
    let iam = IAM_PERMISSIONS.get_or_init(|| {
        let mut set = cat.empty_set();
        for i in cat.expand("iam:*").iter() {
            if cat
                .info(i)
                .is_some_and(|a| a.access_level == crate::AccessLevel::PermissionsManagement)
            {
                set.insert(i);
            }
        }
        set
    });
    let missing = cat.len().saturating_sub(allowed.count());
    missing * GUARDRAIL_SHARE <= cat.len() && iam.is_subset(allowed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate::PolicySet;
    use crate::policy::PolicyKind;
    use serde_json::json;

    fn perms(
        identity: &[serde_json::Value],
        boundary: Option<serde_json::Value>,
    ) -> EffectivePermissions {
        let mut set = PolicySet::default();
        for (i, d) in identity.iter().enumerate() {
            set.identity.push(Arc::new(
                Policy::parse(&format!("p{i}"), PolicyKind::Identity, d).unwrap(),
            ));
        }
        set.boundary =
            boundary.map(|b| Arc::new(Policy::parse("b", PolicyKind::Boundary, &b).unwrap()));
        let who = RequestPrincipal::from_arn("arn:aws:iam::111122223333:user/alice").unwrap();
        EffectivePermissions::from_policy_set(&set, &who)
    }

    #[test]
    fn admin_unconditional_conditional_and_not() {
        let admin = json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}});
        assert!(matches!(
            perms(std::slice::from_ref(&admin), None).admin(),
            AdminAccess::Unconditional { .. }
        ));
        let mfa = json!({"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "*", "Resource": "*",
            "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}});
        assert!(matches!(
            perms(&[admin.clone(), mfa], None).admin(),
            AdminAccess::Conditional { .. }
        ));
        let no_iam = json!({"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}});
        assert_eq!(
            perms(&[admin.clone(), no_iam], None).admin(),
            AdminAccess::No
        );
        let boundary = json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}});
        assert_eq!(
            perms(std::slice::from_ref(&admin), Some(boundary)).admin(),
            AdminAccess::No
        );
        let scoped_deny = json!({"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::prod/*"}});
        assert!(perms(&[admin, scoped_deny], None).admin().is_admin());
        let power = json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}});
        assert_eq!(perms(&[power], None).admin(), AdminAccess::No);
    }

    #[test]
    fn split_grants_and_denies() {
        let p = perms(
            &[
                json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "secretsmanager:*", "Resource": "*"}}),
                json!({"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "secretsmanager:Delete*", "Resource": "*"}}),
            ],
            None,
        );
        assert_eq!(
            p.allows_everywhere("secretsmanager:GetSecretValue"),
            Tri::True
        );
        assert_eq!(
            p.allows_somewhere("secretsmanager:DeleteSecret"),
            Tri::False
        );
        let home = perms(
            &[
                json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "arn:aws:iam::*:user/${aws:username}"}}),
            ],
            None,
        );
        let (t, by) = home.allows_on(
            "iam:CreateAccessKey",
            "arn:aws:iam::111122223333:user/alice",
        );
        assert_eq!(t, Tri::True);
        assert_eq!(by.len(), 1);
        assert_eq!(
            home.allows_on("iam:CreateAccessKey", "arn:aws:iam::111122223333:user/bob")
                .0,
            Tri::False
        );
    }
}
