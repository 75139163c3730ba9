//! The SNS evidence of one region: topics and their subscriptions.

use cartguard_inventory::sns::{
    LIST_SUBSCRIPTIONS_BY_TOPIC, LIST_TOPICS, SnsEvidence, Subscription, Topic,
};

use super::response;
use crate::EvidenceError;
use crate::folder::Reader;

response!(TopicsResponse { topics: "Topics" => Vec<Topic> });
response!(SubscriptionsResponse { subscriptions: "Subscriptions" => Vec<Subscription> });

/// Reads the region's SNS evidence.
pub(crate) fn read(
    reader: &mut Reader,
    region: &str,
    out: &mut SnsEvidence,
) -> Result<(), EvidenceError> {
    out.topics = reader.load(&LIST_TOPICS.key(region), |r: TopicsResponse| r.topics)?;
    out.subscriptions = reader.load_each(
        LIST_SUBSCRIPTIONS_BY_TOPIC,
        region,
        |r: SubscriptionsResponse| r.subscriptions,
    )?;
    Ok(())
}
