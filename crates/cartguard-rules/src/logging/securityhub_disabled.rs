use cartguard_inventory::{Collected, securityhub};
use serde_json::json;

use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// In every region that holds workloads (EC2 instances, RDS databases or load
    /// balancers), Security Hub must be enabled: `securityhub describe-hub` answers
    /// with the hub's ARN. Its `InvalidAccessException` answer ("not subscribed to AWS
    /// Security Hub") means not enabled; any other error, or no answer, is
    /// `not-assessed`. A region without workloads passes.
    ///
    /// ## Why it matters
    /// Security Hub gathers GuardDuty, Inspector, Access Analyzer and Config findings
    /// in one place and checks the account against the CIS and PCI DSS standards
    /// continuously; without it those findings are scattered over consoles nobody opens.
    ///
    /// ## Severity
    /// Always low.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws securityhub enable-security-hub --enable-default-standards --region eu-west-1
    /// ```
    ///
    /// ## Example
    /// A region with instances whose `describe-hub.json` holds
    /// `{"Error": {"Code": "InvalidAccessException", …}}` fails; one holding
    /// `{"HubArn": "arn:aws:securityhub:eu-west-1:111122223333:hub/default", …}` passes.
    pub static RULE = {
        id: "securityhub-disabled",
        title: "Security Hub is not enabled in a region with resources",
        severity: Low,
        area: Logging,
        evidence: [&[securityhub::DESCRIBE_HUB], crate::iam::WORKLOADS],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    let all = format!("arn:aws:securityhub:*:{}:hub/default", ctx.account.id);
    if super::no_regions(
        ctx,
        out,
        &all,
        "securityhub describe-hub, describe-instances, …",
    ) {
        return;
    }
    for (name, region) in &ctx.account.regions {
        let resource = format!("arn:aws:securityhub:{name}:{}:hub/default", ctx.account.id);
        let hub = &region.securityhub.hub;
        let enabled = hub.present().is_some();
        if enabled || !super::region_in_use(out, name, region, &resource, enabled) {
            continue;
        }
        let Collected::NotConfigured { code } = hub else {
            out.not_assessed(
                &resource,
                name,
                super::reason(hub, &securityhub::DESCRIBE_HUB.key(name)),
            );
            continue;
        };
        out.fail(Failure {
            detail: format!(
                "Region {name} holds workloads but Security Hub is not enabled there (describe-hub answered {code})."
            ),
            evidence: json!({"source": "securityhub describe-hub", "region": name, "Error": {"Code": code}}),
            remediation: format!(
                "aws securityhub enable-security-hub --enable-default-standards --region {name}"
            ),
            region: name.clone(),
            ..Failure::global(resource)
        });
    }
}
