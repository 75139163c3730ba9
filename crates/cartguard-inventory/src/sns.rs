//! Amazon SNS: topics, their subscriptions and their access policies.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, PolicyDocument, each, one};

/// `sns:ListTopics`.
pub const LIST_TOPICS: Operation = Operation::regional("sns", "ListTopics");
/// `sns:ListSubscriptionsByTopic`, per topic (filed under the topic's name).
pub const LIST_SUBSCRIPTIONS_BY_TOPIC: Operation =
    Operation::regional("sns", "ListSubscriptionsByTopic").per("topic");
/// `sns:GetTopicAttributes`, per topic (filed under the topic's name).
pub const GET_TOPIC_ATTRIBUTES: Operation =
    Operation::regional("sns", "GetTopicAttributes").per("topic");

/// Every Amazon SNS operation the model holds.
pub const OPERATIONS: &[Operation] = &[
    LIST_TOPICS,
    LIST_SUBSCRIPTIONS_BY_TOPIC,
    GET_TOPIC_ATTRIBUTES,
];

/// Amazon SNS evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SnsEvidence {
    /// `sns list-topics`.
    #[serde(default)]
    pub topics: Collected<Vec<Topic>>,
    /// `sns list-subscriptions-by-topic`, by topic name.
    #[serde(default)]
    pub subscriptions: BTreeMap<String, Collected<Vec<Subscription>>>,
    /// Each topic's access policy (`Attributes.Policy` of `sns
    /// get-topic-attributes`), by topic name; `None` when the answer holds no
    /// policy.
    #[serde(default)]
    pub topic_policies: BTreeMap<String, Collected<Option<PolicyDocument>>>,
}

impl SnsEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            LIST_TOPICS => one(&self.topics),
            LIST_SUBSCRIPTIONS_BY_TOPIC => each(&self.subscriptions),
            GET_TOPIC_ATTRIBUTES => each(&self.topic_policies),
            _ => return None,
        })
    }
}

/// A topic (`list-topics`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Topic {
    /// The topic's ARN.
    pub topic_arn: String,
}

/// The name of a topic: the last part of its ARN.
pub fn topic_name(arn: &str) -> &str {
    arn.rsplit(':').next().unwrap_or(arn)
}

/// A subscription (`list-subscriptions-by-topic`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Subscription {
    /// The subscription's ARN, or `PendingConfirmation` until the endpoint confirms.
    #[serde(default)]
    pub subscription_arn: Option<String>,
    /// `email`, `https`, `sqs`, `lambda`, …
    #[serde(default)]
    pub protocol: Option<String>,
    /// Where messages go.
    #[serde(default)]
    pub endpoint: Option<String>,
    /// The topic.
    #[serde(default)]
    pub topic_arn: Option<String>,
}

impl Subscription {
    /// Whether the endpoint confirmed the subscription, so messages reach it.
    pub fn is_confirmed(&self) -> bool {
        self.subscription_arn
            .as_deref()
            .is_some_and(|arn| arn.starts_with("arn:"))
    }
}
