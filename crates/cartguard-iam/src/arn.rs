//! Amazon Resource Names: their fields, their account and their partition.

use crate::matching::arn_fields;

/// An ARN read into its six fields:
/// `arn:<partition>:<service>:<region>:<account>:<resource>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arn<'a> {
    /// `aws`, `aws-cn`, `aws-us-gov`, …
    pub partition: &'a str,
    /// The service prefix (`iam`, `s3`, `kms`).
    pub service: &'a str,
    /// The region; empty for global services.
    pub region: &'a str,
    /// The account id; empty for resources without one (S3 buckets).
    pub account: &'a str,
    /// The resource part, colons included (`role/path/name`, `key/1234`).
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    /// Reads `text` as an ARN; `None` when it does not start with `arn:` or
    /// has fewer than six fields.
    pub fn parse(text: &'a str) -> Option<Arn<'a>> {
        let [_, partition, service, region, account, resource] = arn_fields(text)?;
        Some(Arn {
            partition,
            service,
            region,
            account,
            resource,
        })
    }
}

/// The account id an ARN names, when it names one.
pub fn account_of(arn: &str) -> Option<&str> {
    Arn::parse(arn).map(|a| a.account).filter(|a| !a.is_empty())
}

/// The partition of an ARN, `aws` when the text is not an ARN.
pub fn partition_of(arn: &str) -> &str {
    Arn::parse(arn).map_or("aws", |a| a.partition)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_account_and_partition() {
        let role = Arn::parse("arn:aws-cn:iam::111122223333:role/ops/admin").unwrap();
        assert_eq!(role.service, "iam");
        assert_eq!(role.resource, "role/ops/admin");
        assert_eq!(
            Arn::parse("arn:aws:kms:eu-west-1:1:key/a:b").map(|a| a.resource),
            Some("key/a:b")
        );
        assert_eq!(
            account_of("arn:aws:iam::111122223333:root"),
            Some("111122223333")
        );
        assert_eq!(account_of("arn:aws:s3:::bucket"), None);
        assert_eq!(partition_of("arn:aws-us-gov:s3:::bucket"), "aws-us-gov");
        assert_eq!(partition_of("bucket"), "aws");
        assert_eq!(Arn::parse("arn:aws:s3"), None);
    }
}
