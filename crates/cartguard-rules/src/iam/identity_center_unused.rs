use cartguard_inventory::sso;
use serde_json::json;

use super::credential_report;
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Whether people sign in as IAM users with console passwords (credential report
    /// rows with `password_enabled=true`) rather than through IAM Identity Center.
    /// One informational finding per account lists those users, and says whether an
    /// Identity Center instance was seen (`sso-admin list-instances`).
    ///
    /// ## Why it matters
    /// IAM users carry long-lived passwords managed account by account; Identity
    /// Center gives people short-lived sessions tied to the company directory, so a
    /// leaver loses access everywhere at once (PCI DSS 8.2.4, 8.2.5).
    ///
    /// ## Severity
    /// Always info: a recommendation on how people sign in, not a weakness in
    /// itself.
    ///
    /// ## How to fix
    /// Enable IAM Identity Center (in the organization's management account), connect
    /// the identity provider, create permission sets for each job, assign people, and
    /// then remove the IAM users' console passwords:
    ///
    /// ```sh
    /// aws sso-admin list-instances
    /// aws iam delete-login-profile --user-name alice
    /// ```
    ///
    /// ## Example
    /// An account where `alice` and `bob` have `password_enabled=true` gets one info
    /// finding; an account whose only IAM users are programmatic passes.
    pub static RULE = {
        id: "iam-identity-center-unused",
        title: "People sign in as IAM users instead of through IAM Identity Center",
        severity: Info,
        area: Iam,
        evidence: [super::CREDENTIAL_REPORT, &[sso::LIST_INSTANCES]],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    let resource = ctx.account.root_arn();
    let Some(report) = credential_report(ctx, out, &resource) else {
        return;
    };
    let people: Vec<&str> = report
        .users()
        .filter(|r| r.has_password())
        .map(|r| r.user.as_str())
        .collect();
    if people.is_empty() {
        return;
    }
    let instances: Vec<&str> = ctx
        .account
        .regions
        .values()
        .filter_map(|r| r.sso.instances.present())
        .flatten()
        .map(|i| i.instance_arn.as_str())
        .collect();
    let collected_anywhere = ctx
        .account
        .regions
        .values()
        .any(|r| r.sso.instances.present().is_some());
    let center = if !instances.is_empty() {
        format!(
            "an Identity Center instance exists ({}) but these users still sign in with IAM passwords",
            instances.join(", ")
        )
    } else if collected_anywhere {
        "no Identity Center instance was found".to_string()
    } else {
        "whether Identity Center is enabled was not collected (sso-admin list-instances)"
            .to_string()
    };
    out.fail(Failure {
        detail: format!("{} IAM user(s) sign in with console passwords ({}); {center}.", people.len(), people.join(", ")),
        evidence: json!({"source": "credential report; sso-admin list-instances", "users_with_console_password": people, "identity_center_instances": instances}),
        remediation: "Enable IAM Identity Center, connect the company identity provider, assign permission sets per job, then remove the IAM users' console passwords with aws iam delete-login-profile --user-name <user>.".into(),
        ..Failure::global(resource)
    });
}
