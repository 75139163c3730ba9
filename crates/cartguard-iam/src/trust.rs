//! Role trust policies: the actions they decide.

/// The actions whose resource is a role and that the role's trust policy must
/// allow as well as the caller's own policies, as AWS writes them.
pub const ASSUME_ACTIONS: &[&str] = &[
    "sts:AssumeRole",
    "sts:AssumeRoleWithWebIdentity",
    "sts:AssumeRoleWithSAML",
    "sts:TagSession",
    "sts:SetSourceIdentity",
];

/// Whether `action` (in any case) is one of [`ASSUME_ACTIONS`].
pub fn is_assume_action(action: &str) -> bool {
    ASSUME_ACTIONS
        .iter()
        .any(|a| a.eq_ignore_ascii_case(action))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assume_actions_are_recognised_in_any_case() {
        assert!(is_assume_action("sts:assumerole"));
        assert!(is_assume_action("STS:SetSourceIdentity"));
        assert!(!is_assume_action("sts:GetCallerIdentity"));
    }
}
