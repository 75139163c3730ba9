//! The KMS evidence of one region: keys, their key policies and metadata,
//! and the region's aliases.

use cartguard_inventory::Collected;
use cartguard_inventory::kms::{
    DESCRIBE_KEY, GET_KEY_POLICY, GET_KEY_ROTATION_STATUS, KeyMetadata, KmsAlias, KmsEvidence,
    KmsKey, LIST_ALIASES, LIST_KEYS, RotationStatus,
};

use super::response;
use crate::EvidenceError;
use crate::folder::Reader;

response!(KeysResponse { keys: "Keys" => Vec<KmsKey> });
response!(KeyPolicyResponse { policy: "Policy" => String });
response!(DescribeKeyResponse { metadata: "KeyMetadata" => KeyMetadata });
response!(AliasesResponse { aliases: "Aliases" => Vec<KmsAlias> });
response!(RotationResponse {
    enabled: "KeyRotationEnabled" => bool
} optional {
    period: "RotationPeriodInDays" => i64
});

/// Reads the region's KMS evidence.
pub(crate) fn read(
    reader: &mut Reader,
    region: &str,
    out: &mut KmsEvidence,
) -> Result<(), EvidenceError> {
    out.keys = reader.load(&LIST_KEYS.key(region), |r: KeysResponse| r.keys)?;
    out.aliases = reader.load(&LIST_ALIASES.key(region), |r: AliasesResponse| r.aliases)?;
    out.key_metadata =
        reader.load_each(DESCRIBE_KEY, region, |r: DescribeKeyResponse| r.metadata)?;
    out.rotation = reader.load_each(GET_KEY_ROTATION_STATUS, region, |r: RotationResponse| {
        RotationStatus {
            key_rotation_enabled: r.enabled,
            rotation_period_in_days: r.period,
        }
    })?;
    for (key, policy) in
        reader.load_each(GET_KEY_POLICY, region, |r: KeyPolicyResponse| r.policy)?
    {
        let document = match policy.into_present() {
            Ok(text) => Collected::Present(reader.embedded_policy(
                &GET_KEY_POLICY.about(region, &key),
                "Policy",
                &text,
            )?),
            Err(absent) => absent,
        };
        out.key_policies.insert(key, document);
    }
    Ok(())
}
