//! The RDS evidence of one region.

use cartguard_inventory::rds::{
    DESCRIBE_DB_CLUSTERS, DESCRIBE_DB_INSTANCES, DbCluster, DbInstance, RdsEvidence,
};

use super::response;
use crate::EvidenceError;
use crate::folder::Reader;

response!(DbInstancesResponse { instances: "DBInstances" => Vec<DbInstance> });
response!(DbClustersResponse { clusters: "DBClusters" => Vec<DbCluster> });

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
    out.db_clusters = reader.load(
        &DESCRIBE_DB_CLUSTERS.key(region),
        |r: DbClustersResponse| r.clusters,
    )?;
    Ok(())
}
