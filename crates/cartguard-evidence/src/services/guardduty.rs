//! The GuardDuty evidence of one region: detectors and their status.

use cartguard_inventory::guardduty::{Detector, GET_DETECTOR, GuardDutyEvidence, LIST_DETECTORS};

use super::response;
use crate::EvidenceError;
use crate::folder::Reader;

response!(DetectorsResponse { ids: "DetectorIds" => Vec<String> });
response!(DetectorResponse { status: "Status" => String }
optional {
    finding_publishing_frequency: "FindingPublishingFrequency" => String,
    updated_at: "UpdatedAt" => String,
});

/// Reads the region's GuardDuty evidence.
pub(crate) fn read(
    reader: &mut Reader,
    region: &str,
    out: &mut GuardDutyEvidence,
) -> Result<(), EvidenceError> {
    out.detector_ids = reader.load(&LIST_DETECTORS.key(region), |r: DetectorsResponse| r.ids)?;
    out.detectors = reader.load_each(GET_DETECTOR, region, |r: DetectorResponse| Detector {
        status: r.status,
        finding_publishing_frequency: r.finding_publishing_frequency,
        updated_at: r.updated_at,
    })?;
    Ok(())
}
