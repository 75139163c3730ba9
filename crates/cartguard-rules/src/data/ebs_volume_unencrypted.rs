use cartguard_inventory::ec2;
use serde_json::json;

use super::support::{any_region, arn, regional};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every EBS volume attached to an instance (`describe-volumes`, an
    /// attachment in state `attached` or `attaching`) must be encrypted
    /// (`"Encrypted": true`). Detached volumes are not judged.
    ///
    /// ## Why it matters
    /// The disks of the web and worker instances hold the application's
    /// configuration, logs, cached sessions, uploads and sometimes database
    /// dumps. Unencrypted, the volume and every snapshot of it can be read by
    /// anyone who can copy or share the snapshot. PCI DSS 3.5.1 asks that
    /// stored account data be unreadable; an unencrypted disk fails it (disk
    /// encryption alone does not meet it, see 3.5.1.2).
    ///
    /// ## Severity
    /// Always high.
    ///
    /// ## How to fix
    /// A volume cannot be encrypted in place: snapshot it, copy the snapshot
    /// encrypted, create a volume from the copy and swap it in while the
    /// instance is stopped.
    ///
    /// ```sh
    /// aws ec2 create-snapshot --volume-id vol-0123 --description "before encryption"
    /// aws ec2 copy-snapshot --source-region eu-west-1 --source-snapshot-id snap-0456 --encrypted --kms-key-id alias/ebs-data
    /// aws ec2 create-volume --snapshot-id snap-0789 --availability-zone eu-west-1a --encrypted
    /// aws ec2 stop-instances --instance-ids i-0abc
    /// aws ec2 detach-volume --volume-id vol-0123
    /// aws ec2 attach-volume --volume-id vol-0def --instance-id i-0abc --device /dev/xvda
    /// ```
    ///
    /// ## Example
    /// An `in-use` volume with `"Encrypted": false` fails; one with
    /// `"Encrypted": true` passes, and so does an unencrypted `available` volume.
    pub static RULE = {
        id: "ebs-volume-unencrypted",
        title: "An attached EBS volume is not encrypted",
        severity: High,
        area: Data,
        evidence: [&[ec2::DESCRIBE_VOLUMES]],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    if !any_region(ctx, out, "ec2", "volumes") {
        return;
    }
    for (name, region) in &ctx.account.regions {
        let Some(volumes) = regional(
            ctx,
            out,
            name,
            &region.ec2.volumes,
            ec2::DESCRIBE_VOLUMES,
            "volume/*",
        ) else {
            continue;
        };
        for volume in volumes {
            let attachments: Vec<_> = volume.attached().collect();
            if attachments.is_empty() {
                continue;
            }
            let id = &volume.volume_id;
            let volume_arn = arn(ctx, "ec2", name, &format!("volume/{id}"));
            match volume.encrypted {
                Some(true) => {}
                None => out.not_assessed(
                    &volume_arn,
                    name,
                    format!("describe-volumes does not give Encrypted for the volume {id}"),
                ),
                Some(false) => {
                    let attached: Vec<String> = attachments
                        .iter()
                        .map(|a| {
                            format!(
                                "{} as {}",
                                a.instance_id.as_deref().unwrap_or("an instance"),
                                a.device.as_deref().unwrap_or("a device")
                            )
                        })
                        .collect();
                    let instance = attachments
                        .first()
                        .and_then(|a| a.instance_id.as_deref())
                        .unwrap_or("<instance>");
                    out.fail(Failure {
                        detail: format!(
                            "The EBS volume {id}{} is attached to {} and is not encrypted: it and its snapshots are readable by whoever obtains a copy.",
                            cartguard_inventory::name_tag(&volume.tags).map(|n| format!(" ({n})")).unwrap_or_default(),
                            attached.join(", ")
                        ),
                        evidence: json!({
                            "source": "describe-volumes",
                            "VolumeId": id,
                            "Encrypted": false,
                            "State": volume.state,
                            "Size": volume.size,
                            "Attachments": attachments.iter().map(|a| json!({"InstanceId": a.instance_id, "Device": a.device, "State": a.state})).collect::<Vec<_>>(),
                        }),
                        remediation: format!(
                            "aws ec2 create-snapshot --volume-id {id} --region {name}; aws ec2 copy-snapshot --source-region {name} --source-snapshot-id <snapshot> --encrypted --kms-key-id alias/ebs-data --region {name}; aws ec2 create-volume --snapshot-id <encrypted snapshot> --availability-zone <the volume's zone> --encrypted --region {name}; stop {instance}, detach {id}, attach the new volume at the same device, start it."
                        ),
                        region: name.clone(),
                        ..Failure::global(volume_arn)
                    });
                }
            }
        }
    }
}
