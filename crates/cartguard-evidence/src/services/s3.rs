//! The account's S3 evidence.

use cartguard_inventory::s3::{Bucket, LIST_BUCKETS, S3Evidence};

use super::response;
use crate::EvidenceError;
use crate::folder::Reader;

response!(BucketsResponse { buckets: "Buckets" => Vec<Bucket> });

/// Reads the account's S3 evidence.
pub(crate) fn read(reader: &mut Reader, out: &mut S3Evidence) -> Result<(), EvidenceError> {
    out.buckets = reader.load(&LIST_BUCKETS.global(), |r: BucketsResponse| r.buckets)?;
    Ok(())
}
