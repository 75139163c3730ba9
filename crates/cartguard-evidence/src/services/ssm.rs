//! The Systems Manager evidence of one region: parameter names and types.

use cartguard_inventory::ssm::{DESCRIBE_PARAMETERS, ParameterMetadata, SsmEvidence};

use super::response;
use crate::EvidenceError;
use crate::folder::Reader;

response!(ParametersResponse { parameters: "Parameters" => Vec<ParameterMetadata> });

/// Reads the region's Parameter Store evidence.
pub(crate) fn read(
    reader: &mut Reader,
    region: &str,
    out: &mut SsmEvidence,
) -> Result<(), EvidenceError> {
    out.parameters = reader.load(&DESCRIBE_PARAMETERS.key(region), |r: ParametersResponse| {
        r.parameters
    })?;
    Ok(())
}
