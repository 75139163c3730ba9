//! Amazon S3: the account's buckets.

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, Timestamp, one};

/// `s3:ListBuckets`.
pub const LIST_BUCKETS: Operation = Operation::account("s3", "ListBuckets");

/// Every S3 operation the model holds.
pub const OPERATIONS: &[Operation] = &[LIST_BUCKETS];

/// Account-wide S3 evidence.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct S3Evidence {
    /// `s3api list-buckets`.
    #[serde(default)]
    pub buckets: Collected<Vec<Bucket>>,
}

impl S3Evidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            LIST_BUCKETS => one(&self.buckets),
            _ => return None,
        })
    }
}

/// A bucket, as `list-buckets` prints it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Bucket {
    /// The bucket's name.
    pub name: String,
    /// When it was created.
    #[serde(default)]
    pub creation_date: Option<Timestamp>,
}

impl Bucket {
    /// The bucket's ARN (`partition` is `aws`, `aws-cn` or `aws-us-gov`).
    pub fn arn(&self, partition: &str) -> String {
        format!("arn:{partition}:s3:::{}", self.name)
    }
}
