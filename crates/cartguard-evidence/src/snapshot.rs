//! Snapshots: the serialized inventory, written by `cartguard collect` or
//! `scan --save-snapshot` and read back with `--snapshot`.

use std::path::Path;

use cartguard_inventory::{Inventory, SNAPSHOT_SCHEMA};

use crate::EvidenceError;
use crate::json::{parse_json, read_text};

/// Reads a snapshot file.
pub fn read_snapshot(path: &Path) -> Result<Inventory, EvidenceError> {
    let text = read_text(path)?;
    let inventory: Inventory = parse_json(path, &text)?;
    if inventory.schema != SNAPSHOT_SCHEMA {
        return Err(EvidenceError::Malformed {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            json_path: Some("schema".into()),
            message: format!(
                "unsupported snapshot schema `{}` (expected `{SNAPSHOT_SCHEMA}`)",
                inventory.schema
            ),
        });
    }
    Ok(inventory)
}

/// Writes a snapshot file.
pub fn write_snapshot(path: &Path, inventory: &Inventory) -> Result<(), EvidenceError> {
    let io = |error| EvidenceError::Io {
        path: path.to_path_buf(),
        error,
    };
    let text = serde_json::to_string_pretty(inventory).map_err(|e| io(std::io::Error::other(e)))?;
    std::fs::write(path, text + "\n").map_err(io)
}
