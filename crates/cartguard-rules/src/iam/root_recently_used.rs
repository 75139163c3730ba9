use super::{day, row_evidence};
use crate::{Context, Emitter, Failure, declare_rule};
use cartguard_inventory::iam;

declare_rule! {
    /// ## What it checks
    /// Whether the root user signed in (`password_last_used`) or used an access key
    /// (`access_key_N_last_used_date`) within the last 30 days before the scan's
    /// "now" (`--now`, or the clock), from the credential report's root row.
    ///
    /// ## Why it matters
    /// Day-to-day work as root bypasses every IAM control and leaves an audit trail
    /// that cannot be tied to a person. Recent root use means either a habit that must
    /// stop or a compromise that must be investigated.
    ///
    /// ## Severity
    /// Always high: every use of the root user is a use of unlimited power,
    /// whatever it was for.
    ///
    /// ## How to fix
    /// Find out who used root and why from CloudTrail (`userIdentity.type = Root`),
    /// move that task to an IAM role or IAM Identity Center permission set, and keep
    /// the root credentials locked away for the few tasks that need them:
    ///
    /// ```sh
    /// aws cloudtrail lookup-events --lookup-attributes AttributeKey=Username,AttributeValue=root
    /// ```
    ///
    /// ## Example
    /// With `--now 2026-11-20T12:00:00Z`, a root `password_last_used` of
    /// `2026-11-08T09:14:00+00:00` fails; `2025-06-01T…` passes.
    pub static RULE = {
        id: "iam-root-recently-used",
        title: "The root user was used recently",
        severity: High,
        area: Iam,
        evidence: [super::CREDENTIAL_REPORT],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    let root_arn = ctx.account.root_arn();
    let Some(report) = out.require(
        &ctx.account.iam.credential_report,
        &iam::GET_CREDENTIAL_REPORT.global(),
        &root_arn,
        "global",
    ) else {
        return;
    };
    let Some(row) = report.root() else {
        out.not_assessed(
            &root_arn,
            "global",
            format!(
                "the credential report ({}) has no <root_account> row",
                iam::GET_CREDENTIAL_REPORT.global()
            ),
        );
        return;
    };
    let window = ctx.settings.root_use_days;
    let mut uses = Vec::new();
    if let Some(used) = row
        .password_last_used
        .filter(|t| ctx.days_since(*t) < window)
    {
        uses.push(format!("signed in on {}", day(Some(used), "")));
    }
    for (slot, key) in row.access_keys.iter().enumerate() {
        if let Some(used) = key.last_used.filter(|t| ctx.days_since(*t) < window) {
            uses.push(format!(
                "used access key {} on {}",
                slot + 1,
                day(Some(used), "")
            ));
        }
    }
    if !uses.is_empty() {
        out.fail(Failure {
            detail: format!("The root user {} (within the last {window} days).", uses.join(" and ")),
            evidence: row_evidence(row, &["password_last_used", "access_key_1_last_used", "access_key_2_last_used"]),
            remediation: "Identify the root sessions in CloudTrail (userIdentity.type = Root), move the task to an IAM role or Identity Center permission set, and lock the root credentials away.".into(),
            ..Failure::global(root_arn)
        });
    }
}
