//! The CloudFormation evidence of one region: stacks and their service roles.

use cartguard_inventory::cloudformation::{CloudFormationEvidence, DESCRIBE_STACKS, Stack};

use super::response;
use crate::EvidenceError;
use crate::folder::Reader;

response!(StacksResponse { stacks: "Stacks" => Vec<Stack> });

/// Reads the region's CloudFormation evidence.
pub(crate) fn read(
    reader: &mut Reader,
    region: &str,
    out: &mut CloudFormationEvidence,
) -> Result<(), EvidenceError> {
    out.stacks = reader.load(&DESCRIBE_STACKS.key(region), |r: StacksResponse| r.stacks)?;
    Ok(())
}
