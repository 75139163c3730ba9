//! The CodeBuild evidence of one region: project names, and each project's
//! description with its service role.

use cartguard_inventory::codebuild::{
    BATCH_GET_PROJECTS, CodeBuildEvidence, LIST_PROJECTS, Project,
};

use super::response;
use crate::EvidenceError;
use crate::folder::Reader;

response!(ProjectNamesResponse { projects: "projects" => Vec<String> });
response!(ProjectsResponse { projects: "projects" => Vec<Project> });

/// Reads the region's CodeBuild evidence.
pub(crate) fn read(
    reader: &mut Reader,
    region: &str,
    out: &mut CodeBuildEvidence,
) -> Result<(), EvidenceError> {
    out.project_names = reader.load(&LIST_PROJECTS.key(region), |r: ProjectNamesResponse| {
        r.projects
    })?;
    out.projects =
        reader.load_each(BATCH_GET_PROJECTS, region, |r: ProjectsResponse| r.projects)?;
    Ok(())
}
