//! The IAM Access Analyzer evidence of one region.

use cartguard_inventory::accessanalyzer::{AccessAnalyzerEvidence, Analyzer, LIST_ANALYZERS};

use super::response;
use crate::EvidenceError;
use crate::folder::Reader;

response!(AnalyzersResponse { analyzers: "analyzers" => Vec<Analyzer> });

/// Reads the region's Access Analyzer evidence.
pub(crate) fn read(
    reader: &mut Reader,
    region: &str,
    out: &mut AccessAnalyzerEvidence,
) -> Result<(), EvidenceError> {
    out.analyzers = reader.load(&LIST_ANALYZERS.key(region), |r: AnalyzersResponse| {
        r.analyzers
    })?;
    Ok(())
}
