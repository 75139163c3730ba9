//! The IAM Identity Center evidence of one region.

use cartguard_inventory::sso::{IdentityCenterEvidence, IdentityCenterInstance, LIST_INSTANCES};

use super::response;
use crate::EvidenceError;
use crate::folder::Reader;

response!(SsoInstancesResponse { instances: "Instances" => Vec<IdentityCenterInstance> });

/// Reads the region's Identity Center evidence.
pub(crate) fn read(
    reader: &mut Reader,
    region: &str,
    out: &mut IdentityCenterEvidence,
) -> Result<(), EvidenceError> {
    out.instances = reader.load(&LIST_INSTANCES.key(region), |r: SsoInstancesResponse| {
        r.instances
    })?;
    Ok(())
}
