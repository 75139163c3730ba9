//! The SDK's timestamps in the model's form.

use cartguard_inventory::Timestamp;

/// An SDK timestamp as a UTC time.
pub(crate) fn utc(time: &aws_smithy_types::DateTime) -> Option<Timestamp> {
    chrono::DateTime::from_timestamp(time.secs(), time.subsec_nanos())
}

/// An optional SDK timestamp as a UTC time.
pub(crate) fn opt(time: Option<&aws_smithy_types::DateTime>) -> Option<Timestamp> {
    time.and_then(utc)
}
