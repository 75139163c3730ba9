//! Allow statements that can never take effect.
//!
//! An `Allow` is shadowed when, for every action it grants (expanded against the
//! catalogue) and every resource it names, an unconditional `Deny` in the same
//! or another effective policy covers it, or the permissions boundary or an SCP
//! level never allows it. A conditional `Deny` never shadows: the allow takes
//! effect whenever the condition is false. The analysis is sound in that
//! direction: resource coverage is checked pattern against pattern, so a
//! reported allow is dead for every request.

use std::sync::Arc;

use crate::catalogue::{ActionSet, catalogue};
use crate::context::{RequestContext, VariableSource};
use crate::effective::Scope;
use crate::evaluate::{Env, PolicySet, RequestPrincipal};
use crate::matching::{Pattern, Syntax};
use crate::policy::{Effect, Policy, Statement, StatementRef};
use crate::principals::Principal;

/// An `Allow` statement that never takes effect, and what overrides it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShadowedAllow {
    /// The dead `Allow`.
    pub allow: StatementRef,
    /// The unconditional `Deny` statements that override it.
    pub denied_by: Vec<StatementRef>,
    /// Some of what it grants is never allowed by the permissions boundary.
    pub outside_boundary: bool,
    /// Some of what it grants is never allowed by the SCPs.
    pub outside_scps: bool,
}

struct Deny<'a> {
    policy: &'a Policy,
    stmt: &'a Statement,
    scope: Scope,
    actions: &'a ActionSet,
}

struct Layer {
    allows: Vec<(Scope, ActionSet)>,
}

impl Layer {
    fn new(policies: &[&Arc<Policy>], vars: &dyn VariableSource) -> Layer {
        let cat = catalogue();
        Layer {
            allows: policies
                .iter()
                .flat_map(|p| p.statements.iter())
                .filter(|s| s.effect == Effect::Allow)
                .map(|s| (Scope::of(s, vars), cat.statement_actions(s).actions.clone()))
                .collect(),
        }
    }

    /// Actions the layer may allow somewhere in `pattern`.
    fn may_allow(&self, pattern: &Pattern) -> ActionSet {
        let mut set = catalogue().empty_set();
        for (scope, actions) in &self.allows {
            if scope.intersects_pattern(pattern) {
                set.union_with(actions);
            }
        }
        set
    }
}

/// Allows shadowed by denies of the same policy (no principal needed).
pub fn in_policy(policy: &Policy) -> Vec<ShadowedAllow> {
    let context = RequestContext::new();
    find(&[policy], &[policy], None, &[], &context)
}

/// Allows of a principal's identity policies shadowed by any of its effective
/// policies: identity denies, boundary and SCPs.
pub fn of_principal(principal: &Principal) -> Vec<ShadowedAllow> {
    in_policy_set(&principal.policies, &principal.request_principal())
}

/// Allows of a policy set's identity policies shadowed within the set.
pub fn in_policy_set(set: &PolicySet, principal: &RequestPrincipal) -> Vec<ShadowedAllow> {
    let context = RequestContext::new();
    let env = Env::new(&context, principal);
    let allows: Vec<&Policy> = set.identity.iter().map(|p| p.as_ref()).collect();
    let mut deny_sources: Vec<&Policy> = allows.clone();
    deny_sources.extend(set.boundary.iter().map(|p| p.as_ref()));
    deny_sources.extend(set.session.iter().map(|p| p.as_ref()));
    deny_sources.extend(set.scps.iter().flatten().map(|p| p.as_ref()));
    let boundary = set.boundary.as_ref().map(|b| Layer::new(&[b], &env));
    let scps: Vec<Layer> = set
        .scps
        .iter()
        .map(|level| Layer::new(&level.iter().collect::<Vec<_>>(), &env))
        .collect();
    find(&allows, &deny_sources, boundary.as_ref(), &scps, &env)
}

fn find(
    allow_policies: &[&Policy],
    deny_policies: &[&Policy],
    boundary: Option<&Layer>,
    scps: &[Layer],
    vars: &dyn VariableSource,
) -> Vec<ShadowedAllow> {
    let cat = catalogue();
    let denies: Vec<Deny<'_>> = deny_policies
        .iter()
        .flat_map(|p| p.statements.iter().map(move |s| (*p, s)))
        .filter(|(_, s)| s.effect == Effect::Deny && !s.is_conditional())
        .map(|(policy, stmt)| Deny {
            policy,
            stmt,
            scope: Scope::of(stmt, vars),
            actions: &cat.statement_actions(stmt).actions,
        })
        .filter(|d| !d.scope.widened)
        .collect();
    if denies.is_empty() && boundary.is_none() && scps.is_empty() {
        return Vec::new();
    }
    let everything = Pattern::new(
        "*",
        Syntax {
            wildcards: true,
            variables: false,
            case_insensitive: false,
        },
    );
    let mut out = Vec::new();
    for policy in allow_policies {
        for stmt in policy
            .statements
            .iter()
            .filter(|s| s.effect == Effect::Allow)
        {
            let expansion = cat.statement_actions(stmt);
            let granted = &expansion.actions;
            if granted.is_empty() && expansion.unknown.is_empty() {
                continue;
            }
            let scope = Scope::of(stmt, vars);
            if scope.is_empty() {
                continue;
            }
            // A NotResource allow reaches (almost) everything: only what covers
            // every resource can shadow it.
            let targets: Vec<&Pattern> = if scope.negated {
                vec![&everything]
            } else {
                scope.patterns.iter().collect()
            };
            let mut shadowed = true;
            let mut denied_by: Vec<StatementRef> = Vec::new();
            let mut outside_boundary = false;
            let mut outside_scps = false;
            for target in targets {
                let mut covered = cat.empty_set();
                let covering: Vec<&Deny<'_>> = denies
                    .iter()
                    .filter(|d| d.scope.covers_pattern(target))
                    .collect();
                for d in &covering {
                    covered.union_with(d.actions);
                }
                if let Some(b) = boundary {
                    let allowed = b.may_allow(target);
                    let never = cat.full_set().difference(&allowed);
                    if granted.intersects(&never) {
                        outside_boundary = true;
                    }
                    covered.union_with(&never);
                }
                for level in scps {
                    let never = cat.full_set().difference(&level.may_allow(target));
                    if granted.intersects(&never) {
                        outside_scps = true;
                    }
                    covered.union_with(&never);
                }
                let unknown_covered = expansion.unknown.iter().all(|u| {
                    let lower = u.to_ascii_lowercase();
                    covering.iter().any(|d| d.stmt.matches_action(&lower))
                });
                if !granted.is_subset(&covered) || !unknown_covered {
                    shadowed = false;
                    break;
                }
                for d in covering {
                    let matters = d.actions.intersects(granted)
                        || expansion
                            .unknown
                            .iter()
                            .any(|u| d.stmt.matches_action(&u.to_ascii_lowercase()));
                    let r = StatementRef::new(d.policy, d.stmt);
                    if matters && !denied_by.contains(&r) {
                        denied_by.push(r);
                    }
                }
            }
            if shadowed {
                out.push(ShadowedAllow {
                    allow: StatementRef::new(policy, stmt),
                    denied_by,
                    outside_boundary,
                    outside_scps,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::PolicyKind;
    use serde_json::json;

    fn policy(name: &str, v: serde_json::Value) -> Policy {
        Policy::parse(name, PolicyKind::Identity, &v).unwrap()
    }

    #[test]
    fn the_documented_example() {
        let p = policy(
            "p",
            json!({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/*"},{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}),
        );
        let found = in_policy(&p);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].allow.index, 0);
        assert_eq!(found[0].denied_by.len(), 1);
        assert_eq!(found[0].denied_by[0].index, 1);
    }

    #[test]
    fn conditional_or_partial_denies_do_not_shadow() {
        let conditional = policy(
            "p",
            json!({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}),
        );
        assert!(in_policy(&conditional).is_empty());
        let partial_actions = policy(
            "p",
            json!({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*"},{"Effect":"Deny","Action":"s3:Get*","Resource":"*"}]}),
        );
        assert!(in_policy(&partial_actions).is_empty());
        let partial_resources = policy(
            "p",
            json!({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::*"},{"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}]}),
        );
        assert!(in_policy(&partial_resources).is_empty());
    }

    #[test]
    fn across_policies_and_boundary() {
        let who = RequestPrincipal::from_arn("arn:aws:iam::111122223333:role/app").unwrap();
        let mut set = PolicySet::default();
        set.identity.push(Arc::new(policy(
            "allow",
            json!({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"},{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}),
        )));
        set.identity.push(Arc::new(policy(
            "deny",
            json!({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["iam:*"],"Resource":"*"}]}),
        )));
        let found = in_policy_set(&set, &who);
        assert_eq!(found.len(), 1);
        assert_eq!(&*found[0].allow.policy, "allow");
        assert_eq!(&*found[0].denied_by[0].policy, "deny");
        set.boundary = Some(Arc::new(
            Policy::parse(
                "boundary",
                PolicyKind::Boundary,
                &json!({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}),
            )
            .unwrap(),
        ));
        let found = in_policy_set(&set, &who);
        assert_eq!(found.len(), 2);
        assert!(
            found
                .iter()
                .any(|s| s.allow.index == 1 && s.outside_boundary)
        );
    }
}
