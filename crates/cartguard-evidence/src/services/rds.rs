//! The RDS evidence of one region.

use cartguard_inventory::rds::{DESCRIBE_DB_INSTANCES, DbInstance, RdsEvidence};

use super::response;
use crate::EvidenceError;
use crate::folder::Reader;

response!(DbInstancesResponse { instances: "DBInstances" => Vec<DbInstance> });

/// Reads the region's RDS evidence.
pub(crate) fn read(
    reader: &mut Reader,
    region: &str,
    out: &mut RdsEvidence,
) -> Result<(), EvidenceError> {
    out.db_instances = reader.load(
        &DESCRIBE_DB_INSTANCES.key(region),
        |r: DbInstancesResponse| r.instances,
    )?;
    Ok(())
}
