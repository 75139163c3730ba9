//! The Lambda evidence of one region: functions and their resource policies.

use cartguard_inventory::Collected;
use cartguard_inventory::lambda::{Function, GET_POLICY, LIST_FUNCTIONS, LambdaEvidence};

use super::response;
use crate::EvidenceError;
use crate::folder::Reader;

response!(FunctionsResponse { functions: "Functions" => Vec<Function> });
response!(PolicyResponse { policy: "Policy" => String, revision: "RevisionId" => String });

/// Reads the region's Lambda evidence.
pub(crate) fn read(
    reader: &mut Reader,
    region: &str,
    out: &mut LambdaEvidence,
) -> Result<(), EvidenceError> {
    out.functions = reader.load(&LIST_FUNCTIONS.key(region), |r: FunctionsResponse| {
        r.functions
    })?;
    for (function, policy) in reader.load_each(GET_POLICY, region, |r: PolicyResponse| {
        let _ = r.revision;
        r.policy
    })? {
        let document = match policy.into_present() {
            Ok(text) => Collected::Present(reader.embedded_policy(
                &GET_POLICY.about(region, &function),
                "Policy",
                &text,
            )?),
            Err(absent) => absent,
        };
        out.policies.insert(function, document);
    }
    Ok(())
}
