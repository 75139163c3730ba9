use cartguard_inventory::ec2;
use serde_json::json;

use super::support::{any_region, arn};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// In every region that runs EC2 instances (`describe-instances`, any state
    /// but `terminated`), EBS encryption by default must be on
    /// (`get-ebs-encryption-by-default` gives `"EbsEncryptionByDefault": true`).
    /// Regions without instances are not judged.
    ///
    /// ## Why it matters
    /// With the default off, every new volume and snapshot copy is unencrypted
    /// unless whoever creates it remembers to ask: an autoscaling group, a
    /// restore during an incident or a quick test instance brings store data
    /// back onto plain disks. The setting makes encryption the rule rather than
    /// a choice.
    ///
    /// ## Severity
    /// Always medium.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws ec2 enable-ebs-encryption-by-default --region eu-west-1
    /// aws ec2 modify-ebs-default-kms-key-id --kms-key-id alias/ebs-data --region eu-west-1   # optional: your own key
    /// ```
    ///
    /// Existing volumes stay as they are (see `ebs-volume-unencrypted`).
    ///
    /// ## Example
    /// A region with two running instances and `"EbsEncryptionByDefault": false`
    /// fails; the same region with `true` passes, and so does a region with no instance.
    pub static RULE = {
        id: "ebs-default-encryption-off",
        title: "EBS encryption by default is off in a region with instances",
        severity: Medium,
        area: Data,
        evidence: [&[ec2::DESCRIBE_INSTANCES, ec2::GET_EBS_ENCRYPTION_BY_DEFAULT]],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    if !any_region(ctx, out, "ec2", "regions") {
        return;
    }
    for (name, region) in &ctx.account.regions {
        // Every verdict of a region is about its one setting.
        let setting = arn(ctx, "ec2", name, "ebs-encryption-by-default");
        let Some(instances) = out.require(
            &region.ec2.instances,
            &ec2::DESCRIBE_INSTANCES.key(name),
            &setting,
            name,
        ) else {
            continue;
        };
        let running: Vec<&str> = instances
            .iter()
            .filter(|i| {
                i.state
                    .as_ref()
                    .and_then(|s| s.name.as_deref())
                    .is_none_or(|s| s != "terminated")
            })
            .map(|i| i.instance_id.as_str())
            .collect();
        if running.is_empty() {
            continue;
        }
        let Some(enabled) = out.require(
            &region.ec2.ebs_encryption_by_default,
            &ec2::GET_EBS_ENCRYPTION_BY_DEFAULT.key(name),
            &setting,
            name,
        ) else {
            continue;
        };
        if *enabled {
            continue;
        }
        out.fail(Failure {
            detail: format!(
                "EBS encryption by default is off in {name}, which runs {} instance{}: new volumes there are unencrypted unless each request asks for encryption.",
                running.len(),
                if running.len() == 1 { "" } else { "s" }
            ),
            evidence: json!({
                "source": "get-ebs-encryption-by-default",
                "EbsEncryptionByDefault": false,
                "instances": running,
            }),
            remediation: format!("aws ec2 enable-ebs-encryption-by-default --region {name}"),
            region: name.clone(),
            ..Failure::global(setting)
        });
    }
}
