//! The IAM policy language: parsing, matching, conditions, evaluation, and the
//! analyses built on them (effective permissions, shadowed allows, privilege
//! escalation).
//!
//! The layers follow one direction, as in cedar-policy:
//!
//! - [`policy`] turns JSON documents into typed [`Policy`] values (and precise
//!   [`PolicyError`]s); nothing downstream sees raw JSON.
//! - `matching` (internal) holds the wildcard and policy-variable machinery
//!   shared by actions, resources, principals and string conditions; [`arn`]
//!   reads ARNs.
//! - [`condition`] decides `Condition` blocks against a [`RequestContext`] whose
//!   keys are known, stated absent, or unknown.
//! - [`evaluate`](mod@evaluate) applies AWS's evaluation order to a [`PolicySet`] and a
//!   [`Request`], giving a [`Decision`].
//! - [`catalogue`](mod@catalogue) is the embedded list of every IAM action with its access level.
//! - [`principals`] builds each user's and role's policy set from the inventory.
//! - [`effective`], [`shadow`] and [`escalation`] are the analyses rules share,
//!   with [`trust`] (trust policies and the conditions that pin a caller),
//!   [`probe`] (concrete requests that test a grant) and [`resource_policy`]
//!   (key policies and policies an auditor supplies).
//! - [`query`] and [`blast`] answer the questions an auditor asks of one
//!   account, as values a report renders.

#![warn(missing_docs)]

pub mod arn;
pub mod blast;
pub mod catalogue;
pub mod condition;
pub mod context;
pub mod effective;
pub mod escalation;
pub mod evaluate;
mod matching;
pub mod policy;
pub mod principals;
pub mod probe;
pub mod public;
pub mod query;
mod quote;
pub mod resource_policy;
pub mod shadow;
pub mod trust;

pub use arn::Arn;
pub use catalogue::{AccessLevel, ActionSet, Catalogue, catalogue};
pub use context::{ContextValue, RequestContext};
pub use effective::{AdminAccess, EffectivePermissions};
pub use escalation::{EscalationFinding, EscalationMethod};
pub use evaluate::{
    Decision, ImplicitDenyReason, PendingStatement, PolicySet, Request, RequestPrincipal, evaluate,
};
pub use matching::Pattern;
pub use policy::{
    Effect, Policy, PolicyError, PolicyKind, Statement, StatementCache, StatementRef,
};
pub use principals::{Principal, Principals};
pub use query::{Answer, Question, Verdict};
pub use quote::{ADMITTING, GRANTING, StatementQuote};
pub use shadow::ShadowedAllow;

use cartguard_inventory::{Operation, iam, organizations};

/// The evidence principals and their policies are built from: the
/// authorization details, and the organization's service control policies
/// (without them permissions may be over-reported, never under-reported).
pub const EVIDENCE: &[Operation] = &[
    iam::GET_ACCOUNT_AUTHORIZATION_DETAILS,
    organizations::DESCRIBE_ORGANIZATION,
    organizations::LIST_PARENTS,
    organizations::LIST_POLICIES_FOR_TARGET,
    organizations::DESCRIBE_POLICY,
];

/// A truth value that may be unknown, for decisions that depend on request
/// context the auditor does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tri {
    /// Certainly holds.
    True,
    /// Certainly does not hold.
    False,
    /// Depends on context that is unknown.
    Unknown,
}

impl Tri {
    /// `True` for `true`, `False` for `false`.
    pub fn from_bool(b: bool) -> Tri {
        if b { Tri::True } else { Tri::False }
    }

    /// Kleene conjunction: false wins, then unknown.
    pub fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::False, _) | (_, Tri::False) => Tri::False,
            (Tri::True, Tri::True) => Tri::True,
            _ => Tri::Unknown,
        }
    }

    /// Kleene disjunction: true wins, then unknown.
    pub fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::True, _) | (_, Tri::True) => Tri::True,
            (Tri::False, Tri::False) => Tri::False,
            _ => Tri::Unknown,
        }
    }

    /// Kleene negation: unknown stays unknown.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }

    /// Whether the value is certainly true.
    pub fn is_true(self) -> bool {
        self == Tri::True
    }

    /// Whether the value may be true (true or unknown).
    pub fn maybe(self) -> bool {
        self != Tri::False
    }
}
