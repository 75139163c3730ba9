//! Reads the sources cartguard scans offline: evidence folders of AWS CLI JSON
//! output (see `docs/evidence.md`) and snapshots written by `cartguard collect`.
//!
//! Reading never decides a verdict: it fills the inventory and records, for every
//! piece of evidence, whether it was collected, not configured, or unavailable.

mod credential_report;
mod diagnose;
mod error;
mod folder;
mod json;
pub mod layout;
mod services;
mod snapshot;

pub use credential_report::parse_credential_report_csv;
pub use diagnose::{Diagnosis, diagnose};
pub use error::EvidenceError;
pub use folder::{EvidenceFolder, parse_evidence, read_evidence_folder};
pub use snapshot::{read_snapshot, write_compressed_snapshot, write_snapshot};
