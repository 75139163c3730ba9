//! The DynamoDB evidence of one region: table names, each table's
//! description and its continuous backups.

use cartguard_inventory::dynamodb::{
    ContinuousBackupsDescription, DESCRIBE_CONTINUOUS_BACKUPS, DESCRIBE_TABLE, DynamoDbEvidence,
    LIST_TABLES, TableDescription,
};

use super::response;
use crate::EvidenceError;
use crate::folder::{Reader, by_resource_name};

response!(TablesResponse { tables: "TableNames" => Vec<String> });
response!(TableResponse { table: "Table" => TableDescription });
response!(ContinuousBackupsResponse {
    description: "ContinuousBackupsDescription" => ContinuousBackupsDescription
});

/// Reads the region's DynamoDB evidence.
pub(crate) fn read(
    reader: &mut Reader,
    region: &str,
    out: &mut DynamoDbEvidence,
) -> Result<(), EvidenceError> {
    out.tables = reader.load(&LIST_TABLES.key(region), |r: TablesResponse| r.tables)?;
    let names = out.tables.present().cloned().unwrap_or_default();
    out.table_descriptions = by_resource_name(
        reader.load_each(DESCRIBE_TABLE, region, |r: TableResponse| r.table)?,
        &names,
    );
    out.continuous_backups = by_resource_name(
        reader.load_each(
            DESCRIBE_CONTINUOUS_BACKUPS,
            region,
            |r: ContinuousBackupsResponse| r.description,
        )?,
        &names,
    );
    Ok(())
}
