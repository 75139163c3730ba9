//! The audit rules: one file per rule id, the registry, the compliance mapping,
//! and the coverage of a scan.
//!
//! A rule is a function from an account's inventory (and, for the
//! application area, the server files) to findings. It never reads
//! files or the network. Each rule file declares its metadata once with
//! [`declare_rule!`], and the doc comment on that declaration is the rule's
//! documentation (`cartguard explain <id>`).

mod compliance;
mod context;
mod coverage;
mod emitter;
mod finding;
mod registry;
mod rule;

pub mod application;
pub mod data;
pub mod edge;
pub mod iam;
pub mod logging;
pub mod network;

pub use compliance::{Compliance, Standard, compliance_for, compliance_notes, standards};
pub use context::{Context, RegionNetwork, Settings};
pub use coverage::{
    AWS_AREA, Coverage, CoverageStatus, FILES_AREA, NO_AWS_SOURCE, NO_PATH, NotChecked, coverage,
    not_checked,
};
pub use emitter::Emitter;
pub use finding::{Failure, Finding, Proof, Severity, Status};
pub use registry::{
    Timing, all_rules, evidence_read, find_rule, run, run_rule, run_timed, suggest,
};
pub use rule::{Area, Rule};
