//! The KMS evidence of one region: keys and their key policies.

use cartguard_inventory::kms::{GET_KEY_POLICY, KmsEvidence, KmsKey, LIST_KEYS};
use cartguard_inventory::{Collected, PolicyDocument};

use super::response;
use crate::EvidenceError;
use crate::folder::Reader;

response!(KeysResponse { keys: "Keys" => Vec<KmsKey> });
response!(KeyPolicyResponse { policy: "Policy" => String });

/// Reads the region's KMS evidence.
pub(crate) fn read(
    reader: &mut Reader,
    region: &str,
    out: &mut KmsEvidence,
) -> Result<(), EvidenceError> {
    out.keys = reader.load(&LIST_KEYS.key(region), |r: KeysResponse| r.keys)?;
    for (key, policy) in
        reader.load_each(GET_KEY_POLICY, region, |r: KeyPolicyResponse| r.policy)?
    {
        let document = match policy.into_present() {
            Ok(text) => match PolicyDocument::from_text(&text) {
                Ok(document) => Collected::Present(document),
                Err(message) => {
                    return Err(EvidenceError::Malformed {
                        path: reader.path_of(&GET_KEY_POLICY.about(region, &key)),
                        line: 1,
                        column: 1,
                        json_path: Some("Policy".into()),
                        message,
                    });
                }
            },
            Err(absent) => absent,
        };
        out.key_policies.insert(key, document);
    }
    Ok(())
}
