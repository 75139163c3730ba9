use cartguard_inventory::ec2;
use serde_json::json;

use super::ec2_arn;
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every VPC must have an active flow log (`describe-flow-logs`, `ResourceId` the
    /// VPC) capturing `ALL` traffic. A flow log of only `REJECT` or only `ACCEPT`
    /// traffic counts as missing. (CIS asks only for rejected traffic; PCI DSS 10.2.1
    /// needs the accepted connections too, to reconstruct what happened.)
    ///
    /// ## Why it matters
    /// After an incident, flow logs are the only record of which machine talked to
    /// which address: without accepted traffic there is no way to tell where data went.
    ///
    /// ## Severity
    /// Always medium.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws ec2 create-flow-logs --resource-type VPC --resource-ids vpc-0123 --traffic-type ALL \
    ///   --log-destination-type cloud-watch-logs --log-group-name /vpc/flow-logs \
    ///   --deliver-logs-permission-arn arn:aws:iam::111122223333:role/flow-logs
    /// ```
    ///
    /// ## Example
    /// A VPC with a flow log of `TrafficType: REJECT` fails; one with an `ACTIVE`
    /// flow log of `TrafficType: ALL` passes.
    pub static RULE = {
        id: "net-flow-logs-missing",
        title: "A VPC has no flow log capturing all traffic",
        severity: Medium,
        area: Network,
        evidence: [&[ec2::DESCRIBE_VPCS, ec2::DESCRIBE_FLOW_LOGS]],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    if !super::any_region(ctx, out) {
        return;
    }
    for (name, region) in &ctx.account.regions {
        let Some(vpcs) = super::regional(
            ctx,
            out,
            name,
            &region.ec2.vpcs,
            ec2::DESCRIBE_VPCS,
            "vpc/*",
        ) else {
            continue;
        };
        if vpcs.is_empty() {
            continue;
        }
        let Some(flow_logs) = super::regional(
            ctx,
            out,
            name,
            &region.ec2.flow_logs,
            ec2::DESCRIBE_FLOW_LOGS,
            "vpc/*",
        ) else {
            continue;
        };
        for vpc in vpcs {
            let logs: Vec<_> = flow_logs
                .iter()
                .filter(|f| f.resource_id == vpc.vpc_id)
                .collect();
            let complete = logs.iter().any(|f| {
                f.traffic_type.as_deref() == Some("ALL")
                    && f.flow_log_status.as_deref().is_none_or(|s| s == "ACTIVE")
            });
            if complete {
                continue;
            }
            let found: Vec<String> = logs
                .iter()
                .map(|f| {
                    format!(
                        "{} ({}, {})",
                        f.flow_log_id,
                        f.traffic_type.as_deref().unwrap_or("?"),
                        f.flow_log_status.as_deref().unwrap_or("?")
                    )
                })
                .collect();
            out.fail(Failure {
                detail: if found.is_empty() {
                    format!("VPC {} has no flow log.", vpc.vpc_id)
                } else {
                    format!("VPC {} has no active flow log of ALL traffic; it has only {}.", vpc.vpc_id, found.join(", "))
                },
                evidence: json!({"source": "describe-flow-logs", "VpcId": vpc.vpc_id, "flow_logs": logs}),
                remediation: format!(
                    "aws ec2 create-flow-logs --resource-type VPC --resource-ids {} --traffic-type ALL --log-destination-type cloud-watch-logs --log-group-name /vpc/flow-logs --deliver-logs-permission-arn <role ARN>",
                    vpc.vpc_id
                ),
                region: name.clone(),
                ..Failure::global(ec2_arn(ctx, name, "vpc", &vpc.vpc_id))
            });
        }
    }
}
