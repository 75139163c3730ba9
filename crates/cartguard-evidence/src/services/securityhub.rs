//! The Security Hub evidence of one region.

use cartguard_inventory::securityhub::{DESCRIBE_HUB, Hub, SecurityHubEvidence};

use super::response;
use crate::EvidenceError;
use crate::folder::Reader;

response!(HubResponse { hub_arn: "HubArn" => String }
    optional { subscribed_at: "SubscribedAt" => String });

/// Reads the region's Security Hub evidence.
pub(crate) fn read(
    reader: &mut Reader,
    region: &str,
    out: &mut SecurityHubEvidence,
) -> Result<(), EvidenceError> {
    out.hub = reader.load(&DESCRIBE_HUB.key(region), |r: HubResponse| Hub {
        hub_arn: r.hub_arn,
        subscribed_at: r.subscribed_at,
    })?;
    Ok(())
}
