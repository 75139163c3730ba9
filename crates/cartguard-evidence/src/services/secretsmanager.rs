//! The Secrets Manager evidence of one region: the secrets and their
//! resource policies.

use cartguard_inventory::Collected;
use cartguard_inventory::secretsmanager::{
    GET_RESOURCE_POLICY, LIST_SECRETS, Secret, SecretsManagerEvidence,
};

use super::response;
use crate::EvidenceError;
use crate::folder::{Reader, by_resource_name};

response!(SecretsResponse { secrets: "SecretList" => Vec<Secret> });
response!(ResourcePolicyResponse { arn: "ARN" => String, name: "Name" => String }
    optional { policy: "ResourcePolicy" => String });

/// Reads the region's Secrets Manager evidence.
pub(crate) fn read(
    reader: &mut Reader,
    region: &str,
    out: &mut SecretsManagerEvidence,
) -> Result<(), EvidenceError> {
    out.secrets = reader.load(&LIST_SECRETS.key(region), |r: SecretsResponse| r.secrets)?;
    let names: Vec<String> = out
        .secrets
        .present()
        .into_iter()
        .flatten()
        .filter_map(|s| s.name.clone())
        .collect();
    let policies = by_resource_name(
        reader.load_each(GET_RESOURCE_POLICY, region, |r: ResourcePolicyResponse| {
            // The secret is named by the file; its ARN and name only make the
            // file recognisable as this call's answer.
            let _ = (r.arn, r.name);
            r.policy
        })?,
        &names,
    );
    for (secret, policy) in policies {
        let document = match policy.into_present() {
            Ok(None) => Collected::Present(None),
            Ok(Some(text)) => Collected::Present(Some(reader.embedded_policy(
                &GET_RESOURCE_POLICY.about(region, &secret),
                "ResourcePolicy",
                &text,
            )?)),
            Err(absent) => absent,
        };
        out.resource_policies.insert(secret, document);
    }
    Ok(())
}
