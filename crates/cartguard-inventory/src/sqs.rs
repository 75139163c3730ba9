//! Amazon SQS: queues and their access policies.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, PolicyDocument, each, one};

/// `sqs:ListQueues`.
pub const LIST_QUEUES: Operation = Operation::regional("sqs", "ListQueues");
/// `sqs:GetQueueAttributes` (`Policy` and `QueueArn`), per queue (filed under
/// the queue's name).
pub const GET_QUEUE_ATTRIBUTES: Operation =
    Operation::regional("sqs", "GetQueueAttributes").per("queue");

/// Every Amazon SQS operation the model holds.
pub const OPERATIONS: &[Operation] = &[LIST_QUEUES, GET_QUEUE_ATTRIBUTES];

/// Amazon SQS evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SqsEvidence {
    /// `sqs list-queues`: the queues' URLs.
    #[serde(default)]
    pub queue_urls: Collected<Vec<String>>,
    /// `sqs get-queue-attributes`, by queue name.
    #[serde(default)]
    pub attributes: BTreeMap<String, Collected<QueueAttributes>>,
}

impl SqsEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            LIST_QUEUES => one(&self.queue_urls),
            GET_QUEUE_ATTRIBUTES => each(&self.attributes),
            _ => return None,
        })
    }
}

/// What `get-queue-attributes --attribute-names Policy QueueArn` gives.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct QueueAttributes {
    /// The queue's ARN.
    #[serde(default)]
    pub queue_arn: Option<String>,
    /// The queue's access policy; `None` when the queue has none.
    #[serde(default)]
    pub policy: Option<PolicyDocument>,
}

/// The name of a queue: the last part of its URL
/// (`https://sqs.eu-west-1.amazonaws.com/111122223333/orders` → `orders`) or
/// of its ARN.
pub fn queue_name(url_or_arn: &str) -> &str {
    let tail = url_or_arn.trim_end_matches('/');
    tail.rsplit(['/', ':']).next().unwrap_or(tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_queue_is_named_by_the_end_of_its_url_or_arn() {
        assert_eq!(
            queue_name("https://sqs.eu-west-1.amazonaws.com/111122223333/orders.fifo"),
            "orders.fifo"
        );
        assert_eq!(
            queue_name("arn:aws:sqs:eu-west-1:111122223333:orders"),
            "orders"
        );
    }
}
