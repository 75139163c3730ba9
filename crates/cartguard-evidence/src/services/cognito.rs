//! The Amazon Cognito user pools of one region.

use cartguard_inventory::cognito::{
    CognitoEvidence, DESCRIBE_USER_POOL, LIST_USER_POOLS, UserPool, UserPoolSummary,
};

use super::response;
use crate::EvidenceError;
use crate::folder::Reader;

response!(UserPoolsResponse { pools: "UserPools" => Vec<UserPoolSummary> });
response!(UserPoolResponse { pool: "UserPool" => UserPool });

/// Reads the region's user pools.
pub(crate) fn read(
    reader: &mut Reader,
    region: &str,
    out: &mut CognitoEvidence,
) -> Result<(), EvidenceError> {
    out.user_pools = reader.load(&LIST_USER_POOLS.key(region), |r: UserPoolsResponse| r.pools)?;
    out.user_pool_details =
        reader.load_each(DESCRIBE_USER_POOL, region, |r: UserPoolResponse| r.pool)?;
    Ok(())
}
