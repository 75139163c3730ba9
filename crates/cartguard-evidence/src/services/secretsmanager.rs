//! The Secrets Manager evidence of one region.

use cartguard_inventory::secretsmanager::{LIST_SECRETS, Secret, SecretsManagerEvidence};

use super::response;
use crate::EvidenceError;
use crate::folder::Reader;

response!(SecretsResponse { secrets: "SecretList" => Vec<Secret> });

/// Reads the region's Secrets Manager evidence.
pub(crate) fn read(
    reader: &mut Reader,
    region: &str,
    out: &mut SecretsManagerEvidence,
) -> Result<(), EvidenceError> {
    out.secrets = reader.load(&LIST_SECRETS.key(region), |r: SecretsResponse| r.secrets)?;
    Ok(())
}
