//! The SNS evidence of one region: topics, their subscriptions and their
//! access policies.

use std::collections::BTreeMap;

use cartguard_inventory::Collected;
use cartguard_inventory::sns::{
    GET_TOPIC_ATTRIBUTES, LIST_SUBSCRIPTIONS_BY_TOPIC, LIST_TOPICS, SnsEvidence, Subscription,
    Topic,
};

use super::response;
use crate::EvidenceError;
use crate::folder::Reader;

response!(TopicsResponse { topics: "Topics" => Vec<Topic> });
response!(SubscriptionsResponse { subscriptions: "Subscriptions" => Vec<Subscription> });
response!(TopicAttributesResponse { attributes: "Attributes" => BTreeMap<String, String> });

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
    for (topic, attributes) in reader.load_each(
        GET_TOPIC_ATTRIBUTES,
        region,
        |mut r: TopicAttributesResponse| r.attributes.remove("Policy"),
    )? {
        let policy = match attributes.into_present() {
            Ok(None) => Collected::Present(None),
            Ok(Some(text)) => Collected::Present(Some(reader.embedded_policy(
                &GET_TOPIC_ATTRIBUTES.about(region, &topic),
                "Attributes.Policy",
                &text,
            )?)),
            Err(absent) => absent,
        };
        out.topic_policies.insert(topic, policy);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    use cartguard_inventory::Collected;

    use crate::folder::parse_evidence;

    fn folder(files: &[(&str, &str)]) -> Result<crate::EvidenceFolder, crate::EvidenceError> {
        let files: BTreeMap<String, String> = files
            .iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect();
        parse_evidence(Path::new("evidence"), files)
    }

    const ATTRIBUTES: &str = "sns/eu-west-1/get-topic-attributes/alerts.json";

    #[test]
    fn reads_a_topics_policy() {
        let policy = r#"{\"Version\":\"2008-10-17\",\"Id\":\"__default_policy_ID\",\"Statement\":[{\"Sid\":\"__default_statement_ID\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":[\"SNS:Publish\",\"SNS:Subscribe\"],\"Resource\":\"arn:aws:sns:eu-west-1:111122223333:alerts\",\"Condition\":{\"StringEquals\":{\"AWS:SourceOwner\":\"111122223333\"}}}]}"#;
        let text = format!(
            r#"{{"Attributes": {{"TopicArn": "arn:aws:sns:eu-west-1:111122223333:alerts", "Owner": "111122223333", "Policy": "{policy}", "SubscriptionsConfirmed": "1"}}}}"#
        );
        let folder = folder(&[(ATTRIBUTES, &text)]).expect("readable");
        let sns = &folder.account.regions["eu-west-1"].sns;
        let document = sns.topic_policies["alerts"].present().expect("collected");
        assert!(
            document
                .as_ref()
                .is_some_and(|d| d.text().contains("SNS:Publish"))
        );
        assert!(folder.unused_files.is_empty(), "{:?}", folder.unused_files);
    }

    #[test]
    fn a_denied_call_is_a_failure() {
        let folder = folder(&[(
            ATTRIBUTES,
            r#"{"Error": {"Code": "AuthorizationError", "Message": "not authorized to perform SNS:GetTopicAttributes"}}"#,
        )])
        .expect("readable");
        assert!(matches!(
            folder.account.regions["eu-west-1"].sns.topic_policies["alerts"],
            Collected::Failed { ref code, .. } if code == "AuthorizationError"
        ));
    }

    #[test]
    fn a_file_of_the_wrong_shape_is_refused() {
        let error = folder(&[(ATTRIBUTES, r#"{"Topics": []}"#)])
            .expect_err("not get-topic-attributes")
            .to_string();
        assert!(
            error.contains("holds the output of sns list-topics, not get-topic-attributes"),
            "{error}"
        );
        let error = folder(&[(ATTRIBUTES, r#"{"Attributes": {"Policy": "[1]"}}"#)])
            .expect_err("a policy that is not a document")
            .to_string();
        assert!(
            error.contains("get-topic-attributes/alerts.json"),
            "{error}"
        );
        assert!(error.contains("Attributes.Policy"), "{error}");
    }
}
