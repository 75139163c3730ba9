use cartguard_inventory::ec2;
use serde_json::json;

use super::ec2_arn;
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every running EC2 instance must require IMDSv2 for its instance metadata
    /// service: `MetadataOptions.HttpTokens` is `required`, or the endpoint is
    /// `disabled`. An instance whose metadata options were not reported is
    /// `not-assessed`.
    ///
    /// ## Why it matters
    /// With IMDSv1 any server-side request forgery — an image-fetching feature, a
    /// webhook tester, a vulnerable plugin — can read the instance role's credentials
    /// from `http://169.254.169.254/`. That is how a misconfigured firewall turned
    /// into the theft of 100 million records in the 2019 Capital One breach.
    ///
    /// ## Severity
    /// Always high.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws ec2 modify-instance-metadata-options --instance-id i-0123 --http-tokens required --http-endpoint enabled
    /// aws ec2 modify-instance-metadata-defaults --http-tokens required   # for new instances in the region
    /// ```
    ///
    /// ## Example
    /// `"MetadataOptions": {"HttpTokens": "optional", "HttpEndpoint": "enabled"}` fails;
    /// `"HttpTokens": "required"` passes.
    pub static RULE = {
        id: "net-imdsv1-enabled",
        title: "An EC2 instance does not require IMDSv2",
        severity: High,
        area: Network,
        evidence: [&[ec2::DESCRIBE_INSTANCES]],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    if !super::any_region(ctx, out) {
        return;
    }
    for (name, region) in &ctx.account.regions {
        let Some(instances) = super::regional(
            ctx,
            out,
            name,
            &region.ec2.instances,
            ec2::DESCRIBE_INSTANCES,
            "instance/*",
        ) else {
            continue;
        };
        for instance in instances.iter().filter(|i| i.is_running()) {
            let arn = ec2_arn(ctx, name, "instance", &instance.instance_id);
            let Some(options) = &instance.metadata_options else {
                out.not_assessed(
                    &arn,
                    name,
                    format!(
                        "describe-instances reports no MetadataOptions for {}",
                        instance.instance_id
                    ),
                );
                continue;
            };
            let disabled = options.http_endpoint.as_deref() == Some("disabled");
            let required = options.http_tokens.as_deref() == Some("required");
            if disabled || required {
                continue;
            }
            out.fail(Failure {
                detail: format!(
                    "Instance {}{} accepts IMDSv1 requests (HttpTokens = {}).",
                    instance.instance_id,
                    cartguard_inventory::name_tag(&instance.tags).map(|n| format!(" ({n})")).unwrap_or_default(),
                    options.http_tokens.as_deref().unwrap_or("not set")
                ),
                evidence: json!({"source": "describe-instances", "InstanceId": instance.instance_id, "MetadataOptions": options, "IamInstanceProfile": instance.iam_instance_profile}),
                remediation: format!(
                    "aws ec2 modify-instance-metadata-options --instance-id {} --http-tokens required --http-endpoint enabled (check first that its software uses an IMDSv2-capable SDK).",
                    instance.instance_id
                ),
                region: name.clone(),
                ..Failure::global(arn)
            });
        }
    }
}
