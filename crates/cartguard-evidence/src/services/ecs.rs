//! The ECS evidence of one region: active task definitions.

use cartguard_inventory::ecs::{
    DESCRIBE_TASK_DEFINITION, EcsEvidence, LIST_TASK_DEFINITIONS, TaskDefinition, family_revision,
};

use super::response;
use crate::EvidenceError;
use crate::folder::{Reader, by_resource_name};

response!(TaskDefinitionArnsResponse { arns: "taskDefinitionArns" => Vec<String> });
response!(TaskDefinitionResponse { definition: "taskDefinition" => TaskDefinition });

/// Reads the region's ECS evidence.
pub(crate) fn read(
    reader: &mut Reader,
    region: &str,
    out: &mut EcsEvidence,
) -> Result<(), EvidenceError> {
    out.task_definition_arns = reader.load(
        &LIST_TASK_DEFINITIONS.key(region),
        |r: TaskDefinitionArnsResponse| r.arns,
    )?;
    let names: Vec<String> = out
        .task_definition_arns
        .present()
        .into_iter()
        .flatten()
        .map(|arn| family_revision(arn).to_string())
        .collect();
    out.task_definitions = by_resource_name(
        reader.load_each(
            DESCRIBE_TASK_DEFINITION,
            region,
            |r: TaskDefinitionResponse| r.definition,
        )?,
        &names,
    );
    Ok(())
}
