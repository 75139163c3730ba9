//! The AWS Backup evidence of one region: plans, their selections, and the
//! resources with recovery points.

use cartguard_inventory::backup::{
    BackupEvidence, BackupPlan, BackupSelection, BackupSelectionSummary, GET_BACKUP_SELECTION,
    LIST_BACKUP_PLANS, LIST_BACKUP_SELECTIONS, LIST_PROTECTED_RESOURCES, ProtectedResource,
};

use super::response;
use crate::EvidenceError;
use crate::folder::Reader;

response!(PlansResponse { plans: "BackupPlansList" => Vec<BackupPlan> });
response!(SelectionsResponse { selections: "BackupSelectionsList" => Vec<BackupSelectionSummary> });
response!(SelectionResponse {
    selection: "BackupSelection" => BackupSelection,
    selection_id: "SelectionId" => String,
    plan_id: "BackupPlanId" => String,
});
response!(ProtectedResourcesResponse { results: "Results" => Vec<ProtectedResource> });

/// Reads the region's AWS Backup evidence.
pub(crate) fn read(
    reader: &mut Reader,
    region: &str,
    out: &mut BackupEvidence,
) -> Result<(), EvidenceError> {
    out.plans = reader.load(&LIST_BACKUP_PLANS.key(region), |r: PlansResponse| r.plans)?;
    out.selections =
        reader.load_each(LIST_BACKUP_SELECTIONS, region, |r: SelectionsResponse| {
            r.selections
        })?;
    out.selection_details =
        reader.load_each(GET_BACKUP_SELECTION, region, |r: SelectionResponse| {
            let _ = (r.selection_id, r.plan_id);
            r.selection
        })?;
    out.protected_resources = reader.load(
        &LIST_PROTECTED_RESOURCES.key(region),
        |r: ProtectedResourcesResponse| r.results,
    )?;
    Ok(())
}
