//! The account's Shield Advanced subscription.

use cartguard_inventory::shield::{GET_SUBSCRIPTION_STATE, ShieldEvidence};

use super::response;
use crate::EvidenceError;
use crate::folder::Reader;

response!(SubscriptionResponse { state: "SubscriptionState" => String });

/// Reads the account's Shield evidence.
pub(crate) fn read(reader: &mut Reader, out: &mut ShieldEvidence) -> Result<(), EvidenceError> {
    out.subscription_state = reader.load(
        &GET_SUBSCRIPTION_STATE.global(),
        |r: SubscriptionResponse| r.state,
    )?;
    Ok(())
}
