//! Amazon S3: the account's buckets.

use serde::{Deserialize, Serialize};

use crate::{Collected, Timestamp};

/// Account-wide S3 evidence.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct S3Evidence {
    /// `s3api list-buckets`.
    #[serde(default)]
    pub buckets: Collected<Vec<Bucket>>,
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
