use cartguard_inventory::config::{self, ConfigurationRecorder, RecorderStatus};
use serde_json::json;

use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// In every region that holds workloads (EC2 instances, RDS databases or load
    /// balancers), AWS Config must have a recorder
    /// (`configservice describe-configuration-recorders`) that records every supported
    /// resource type (`recordingGroup.allSupported` true, or the strategy
    /// `ALL_SUPPORTED_RESOURCE_TYPES`) and is recording
    /// (`describe-configuration-recorder-status`: `recording` true, last status not
    /// `Failure`). A region without workloads passes.
    ///
    /// ## Why it matters
    /// Config is the history of every resource's settings: it answers "since when is
    /// this security group open to the world" and "what did this bucket policy say last
    /// month", which CloudTrail alone cannot.
    ///
    /// ## Severity
    /// Always medium.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws configservice put-configuration-recorder --configuration-recorder \
    ///   name=default,roleARN=arn:aws:iam::111122223333:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig \
    ///   --recording-group allSupported=true,includeGlobalResourceTypes=true
    /// aws configservice start-configuration-recorder --configuration-recorder-name default
    /// ```
    ///
    /// ## Example
    /// A recorder with `"recording": false` fails, as does one recording only
    /// `AWS::EC2::Instance`; an `allSupported` recorder that is recording passes.
    pub static RULE = {
        id: "config-recorder-off",
        title: "AWS Config is not recording all resource types",
        severity: Medium,
        area: Logging,
        evidence: [
            &[config::DESCRIBE_CONFIGURATION_RECORDERS, config::DESCRIBE_CONFIGURATION_RECORDER_STATUS],
            crate::iam::WORKLOADS,
        ],
        check: check,
    };
}

/// Why a recorder does not record everything (`None`: it does).
fn shortfall(recorder: &ConfigurationRecorder, status: Option<&RecorderStatus>) -> Option<String> {
    let mut missing = Vec::new();
    let group = recorder.recording_group.as_ref();
    let all = group.is_some_and(|g| {
        g.all_supported == Some(true)
            || g.recording_strategy
                .as_ref()
                .and_then(|s| s.use_only.as_deref())
                == Some("ALL_SUPPORTED_RESOURCE_TYPES")
    });
    if !all {
        let types = group
            .map(|g| g.resource_types.join(", "))
            .unwrap_or_default();
        missing.push(if types.is_empty() {
            "it does not record all supported resource types".to_string()
        } else {
            format!("it records only {types}")
        });
    }
    match status {
        None => missing.push("it has no status (never started)".to_string()),
        Some(status) => {
            if status.recording != Some(true) {
                missing.push("it is not recording (recording is false)".to_string());
            }
            if status
                .last_status
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case("failure"))
            {
                missing.push(format!(
                    "its last delivery failed ({})",
                    status.last_error_code.as_deref().unwrap_or("no error code")
                ));
            }
        }
    }
    (!missing.is_empty()).then(|| missing.join(", "))
}

fn check(ctx: &Context, out: &mut Emitter) {
    let all = format!(
        "arn:aws:config:*:{}:configuration-recorder/*",
        ctx.account.id
    );
    if super::no_regions(
        ctx,
        out,
        &all,
        "configservice describe-configuration-recorders, describe-instances, …",
    ) {
        return;
    }
    for (name, region) in &ctx.account.regions {
        let resource = format!(
            "arn:aws:config:{name}:{}:configuration-recorder/*",
            ctx.account.id
        );
        let evidence = &region.config;
        let good = |recorders: &Vec<ConfigurationRecorder>, statuses: &Vec<RecorderStatus>| {
            recorders.iter().any(|r| {
                let status = statuses.iter().find(|s| s.name == r.name);
                shortfall(r, status).is_none()
            })
        };
        let enabled = match (
            evidence.recorders.present(),
            evidence.recorder_status.present(),
        ) {
            (Some(r), Some(s)) => good(r, s),
            _ => false,
        };
        if enabled || !super::region_in_use(out, name, region, &resource, enabled) {
            continue;
        }
        let Some(recorders) = out.require(
            &evidence.recorders,
            &config::DESCRIBE_CONFIGURATION_RECORDERS.key(name),
            &resource,
            name,
        ) else {
            continue;
        };
        let Some(statuses) = out.require(
            &evidence.recorder_status,
            &config::DESCRIBE_CONFIGURATION_RECORDER_STATUS.key(name),
            &resource,
            name,
        ) else {
            continue;
        };
        let reasons: Vec<String> = recorders
            .iter()
            .map(|r| {
                let status = statuses.iter().find(|s| s.name == r.name);
                format!(
                    "{}: {}",
                    r.name.as_deref().unwrap_or("(unnamed)"),
                    shortfall(r, status).unwrap_or_default()
                )
            })
            .collect();
        out.fail(Failure {
            detail: if recorders.is_empty() {
                format!("Region {name} holds workloads but has no AWS Config recorder: changes to its resources are not recorded.")
            } else {
                format!(
                    "Region {name} holds workloads but no AWS Config recorder records every resource type: {}.",
                    reasons.join("; ")
                )
            },
            evidence: json!({
                "source": "configservice describe-configuration-recorders, describe-configuration-recorder-status",
                "region": name,
                "ConfigurationRecorders": recorders,
                "ConfigurationRecordersStatus": statuses,
            }),
            remediation: match recorders.first().and_then(|r| r.name.as_deref()) {
                Some(recorder) => format!(
                    "aws configservice put-configuration-recorder --configuration-recorder name={recorder},roleARN=<recorder role ARN> --recording-group allSupported=true,includeGlobalResourceTypes=true --region {name} && aws configservice start-configuration-recorder --configuration-recorder-name {recorder} --region {name}"
                ),
                None => format!(
                    "aws configservice put-configuration-recorder --configuration-recorder name=default,roleARN=arn:aws:iam::{}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig --recording-group allSupported=true,includeGlobalResourceTypes=true --region {name} && aws configservice put-delivery-channel --delivery-channel name=default,s3BucketName=<config bucket> --region {name} && aws configservice start-configuration-recorder --configuration-recorder-name default --region {name}",
                    ctx.account.id
                ),
            },
            region: name.clone(),
            ..Failure::global(resource)
        });
    }
}
