//! The DynamoDB evidence of one region.

use cartguard_inventory::dynamodb::{DynamoDbEvidence, LIST_TABLES};

use super::response;
use crate::EvidenceError;
use crate::folder::Reader;

response!(TablesResponse { tables: "TableNames" => Vec<String> });

/// Reads the region's DynamoDB evidence.
pub(crate) fn read(
    reader: &mut Reader,
    region: &str,
    out: &mut DynamoDbEvidence,
) -> Result<(), EvidenceError> {
    out.tables = reader.load(&LIST_TABLES.key(region), |r: TablesResponse| r.tables)?;
    Ok(())
}
