//! Renders findings: the report of a scan in every format, the rule catalogue,
//! and the answers to questions put to the engines. Renderers decide nothing.
//!
//! The CLI builds one [`Report`] per scan and hands it to the [`Renderer`] of the
//! chosen [`Format`] (see [`FORMATS`]); [`read_findings`] rebuilds the report
//! of a saved findings document, so it can be rendered again in any format.

mod catalogue;
mod exchange;
mod format;
pub mod iam;
mod net;
mod read;
mod report;
mod requirements;
mod timings;

pub use catalogue::{explain_rule, rules_json, rules_markdown, rules_reference, rules_table};
pub use format::json::{FINDINGS_SCHEMA, JsonRenderer};
pub use format::text::{TextRenderer, finding_text, summary_text};
pub use format::{FORMATS, Format, RenderOptions, Renderer, format_named};
pub use net::{AccountExposure, exposure_json, exposure_text, reach_json, reach_text};
pub use read::{DocumentError, Gate, read_findings};
pub use report::{Incomplete, NowFrom, Report, ScanInfo, Tally};
pub use requirements::{
    AreaSummary, PCI_DSS, Requirement, areas, requirements, requirements_table,
};
pub use timings::timings_text;
