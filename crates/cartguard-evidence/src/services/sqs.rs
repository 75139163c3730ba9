//! The SQS evidence of one region: the queues and their access policies.

use std::collections::BTreeMap;

use cartguard_inventory::Collected;
use cartguard_inventory::sqs::{GET_QUEUE_ATTRIBUTES, LIST_QUEUES, QueueAttributes, SqsEvidence};

use super::response;
use crate::EvidenceError;
use crate::folder::Reader;

response!(QueuesResponse { urls: "QueueUrls" => Vec<String> });
response!(QueueAttributesResponse { attributes: "Attributes" => BTreeMap<String, String> });

/// Reads the region's SQS evidence.
pub(crate) fn read(
    reader: &mut Reader,
    region: &str,
    out: &mut SqsEvidence,
) -> Result<(), EvidenceError> {
    out.queue_urls = reader.load(&LIST_QUEUES.key(region), |r: QueuesResponse| r.urls)?;
    for (queue, attributes) in reader.load_each(
        GET_QUEUE_ATTRIBUTES,
        region,
        |mut r: QueueAttributesResponse| {
            (
                r.attributes.remove("QueueArn"),
                r.attributes.remove("Policy"),
            )
        },
    )? {
        let attributes = match attributes.into_present() {
            Ok((queue_arn, None)) => Collected::Present(QueueAttributes {
                queue_arn,
                policy: None,
            }),
            Ok((queue_arn, Some(text))) => Collected::Present(QueueAttributes {
                queue_arn,
                policy: Some(reader.embedded_policy(
                    &GET_QUEUE_ATTRIBUTES.about(region, &queue),
                    "Attributes.Policy",
                    &text,
                )?),
            }),
            Err(absent) => absent,
        };
        out.attributes.insert(queue, attributes);
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

    const ATTRIBUTES: &str = "sqs/eu-west-1/get-queue-attributes/orders.json";

    #[test]
    fn reads_the_queues_and_their_policies() {
        let policy = r#"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"sns.amazonaws.com\"},\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:eu-west-1:111122223333:orders\"}]}"#;
        let folder = folder(&[
            (
                "sqs/eu-west-1/list-queues.json",
                r#"{"QueueUrls": ["https://sqs.eu-west-1.amazonaws.com/111122223333/orders", "https://sqs.eu-west-1.amazonaws.com/111122223333/plain"]}"#,
            ),
            (
                ATTRIBUTES,
                &format!(
                    r#"{{"Attributes": {{"QueueArn": "arn:aws:sqs:eu-west-1:111122223333:orders", "Policy": "{policy}"}}}}"#
                ),
            ),
            (
                "sqs/eu-west-1/get-queue-attributes/plain.json",
                r#"{"Attributes": {"QueueArn": "arn:aws:sqs:eu-west-1:111122223333:plain"}}"#,
            ),
        ])
        .expect("readable");
        let sqs = &folder.account.regions["eu-west-1"].sqs;
        assert_eq!(sqs.queue_urls.present().map(Vec::len), Some(2));
        let orders = sqs.attributes["orders"].present().expect("orders");
        assert_eq!(
            orders.queue_arn.as_deref(),
            Some("arn:aws:sqs:eu-west-1:111122223333:orders")
        );
        assert!(
            orders
                .policy
                .as_ref()
                .is_some_and(|p| p.text().contains("sqs:SendMessage"))
        );
        assert!(
            sqs.attributes["plain"]
                .present()
                .expect("plain")
                .policy
                .is_none()
        );
        assert!(folder.unused_files.is_empty(), "{:?}", folder.unused_files);
    }

    #[test]
    fn no_queues_print_nothing() {
        let folder = folder(&[("sqs/eu-west-1/list-queues.json", "{}\n")]).expect("readable");
        let sqs = &folder.account.regions["eu-west-1"].sqs;
        assert_eq!(sqs.queue_urls.present().map(Vec::len), Some(0));
    }

    #[test]
    fn a_denied_call_is_a_failure() {
        let folder = folder(&[(
            ATTRIBUTES,
            r#"{"Error": {"Code": "AccessDenied", "Message": "not authorized to perform sqs:getqueueattributes"}}"#,
        )])
        .expect("readable");
        assert!(matches!(
            folder.account.regions["eu-west-1"].sqs.attributes["orders"],
            Collected::Failed { ref code, .. } if code == "AccessDenied"
        ));
    }

    #[test]
    fn a_file_of_the_wrong_shape_is_refused() {
        let error = folder(&[(ATTRIBUTES, r#"{"QueueUrls": []}"#)])
            .expect_err("not get-queue-attributes")
            .to_string();
        assert!(
            error.contains("holds the output of sqs list-queues, not get-queue-attributes"),
            "{error}"
        );
        let error = folder(&[(ATTRIBUTES, r#"{"Attributes": {"Policy": "{not json"}}"#)])
            .expect_err("a policy that is not JSON")
            .to_string();
        assert!(
            error.contains("get-queue-attributes/orders.json"),
            "{error}"
        );
        assert!(error.contains("Attributes.Policy"), "{error}");
        let error = folder(&[("sqs/eu-west-1/list-queues.json", r#"{"Attributes": {}}"#)])
            .expect_err("not list-queues")
            .to_string();
        assert!(error.contains("expected `QueueUrls`"), "{error}");
    }
}
