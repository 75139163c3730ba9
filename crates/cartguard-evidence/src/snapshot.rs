//! Snapshots: the serialized inventory, written by `cartguard collect` or
//! `scan --save-snapshot` and read back with `--snapshot`.
//!
//! A snapshot is the inventory as JSON, either plain or compressed with zstd
//! (what `cartguard collect` writes): the reader tells them apart by the
//! zstd frame's magic number, whatever the file is called.

use std::path::Path;

use cartguard_inventory::{Inventory, SNAPSHOT_SCHEMAS_READ};
use serde::Deserialize;

use crate::EvidenceError;
use crate::json::{parse_json, utf8};

/// The first four bytes of a zstd frame.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// The compression level of written snapshots: JSON compresses some tenfold
/// at level 3, in a fraction of the time of higher levels.
const ZSTD_LEVEL: i32 = 3;

/// Reads a snapshot file, plain or zstd-compressed. Its `schema` must name a
/// version this build reads.
pub fn read_snapshot(path: &Path) -> Result<Inventory, EvidenceError> {
    let io = |error: std::io::Error| match error.kind() {
        std::io::ErrorKind::NotFound => EvidenceError::NotFound(path.to_path_buf()),
        _ => EvidenceError::Io {
            path: path.to_path_buf(),
            error,
        },
    };
    let mut bytes = std::fs::read(path).map_err(io)?;
    if bytes.starts_with(&ZSTD_MAGIC) {
        bytes =
            zstd::stream::decode_all(bytes.as_slice()).map_err(|e| EvidenceError::Snapshot {
                path: path.to_path_buf(),
                message: format!("the zstd-compressed snapshot cannot be decompressed: {e}"),
            })?;
    }
    let text = utf8(path, bytes)?;
    check_version(path, &text)?;
    parse_json(path, &text)
}

/// The first thing read: the version decides how the rest is read.
#[derive(Deserialize)]
struct Header {
    schema: Option<serde_json::Value>,
}

fn check_version(path: &Path, text: &str) -> Result<(), EvidenceError> {
    let reads = SNAPSHOT_SCHEMAS_READ
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let refuse = |what: String| EvidenceError::Snapshot {
        path: path.to_path_buf(),
        message: format!("{what}; this build reads snapshots of version {reads}"),
    };
    let header: Header = match serde_json::from_str(text) {
        Ok(header) => header,
        // Not a JSON object at all: the parser says where and why.
        Err(e) if e.is_syntax() || e.is_eof() => {
            return parse_json::<serde_json::Value>(path, text).map(|_| ());
        }
        Err(_) => {
            return Err(refuse(
                "not a cartguard snapshot (expected a JSON object with `schema`)".into(),
            ));
        }
    };
    match header.schema {
        None => Err(refuse(
            "not a cartguard snapshot: no `schema` naming its format and version".into(),
        )),
        Some(serde_json::Value::String(schema))
            if SNAPSHOT_SCHEMAS_READ.contains(&schema.as_str()) =>
        {
            Ok(())
        }
        Some(serde_json::Value::String(schema)) => {
            Err(refuse(format!("unsupported snapshot version `{schema}`")))
        }
        Some(other) => Err(refuse(format!("`schema` is {other}, not a version name"))),
    }
}

/// Writes a snapshot file as plain JSON.
pub fn write_snapshot(path: &Path, inventory: &Inventory) -> Result<(), EvidenceError> {
    let io = |error| EvidenceError::Io {
        path: path.to_path_buf(),
        error,
    };
    let text = serde_json::to_string_pretty(inventory).map_err(|e| io(std::io::Error::other(e)))?;
    std::fs::write(path, text + "\n").map_err(io)
}

/// Writes a snapshot file compressed with zstd.
pub fn write_compressed_snapshot(path: &Path, inventory: &Inventory) -> Result<(), EvidenceError> {
    let io = |error| EvidenceError::Io {
        path: path.to_path_buf(),
        error,
    };
    let text = serde_json::to_vec(inventory).map_err(|e| io(std::io::Error::other(e)))?;
    let compressed = zstd::stream::encode_all(text.as_slice(), ZSTD_LEVEL).map_err(io)?;
    std::fs::write(path, compressed).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Inventory, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        std::fs::write(&path, text).unwrap();
        read_snapshot(&path).map_err(|e| {
            let e = e.to_string();
            e.strip_prefix(&format!("{}: ", path.display()))
                .unwrap_or(&e)
                .to_string()
        })
    }

    #[test]
    fn a_written_snapshot_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        write_snapshot(&path, &Inventory::default()).unwrap();
        assert_eq!(
            read_snapshot(&path).unwrap().schema,
            "cartguard.snapshot/v1"
        );
    }

    #[test]
    fn a_compressed_snapshot_reads_back_and_is_checked_alike() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.cgsnap");
        let inventory = Inventory {
            accounts: vec![cartguard_inventory::Account {
                id: "123456789012".into(),
                ..Default::default()
            }],
            ..Inventory::default()
        };
        write_compressed_snapshot(&path, &inventory).unwrap();
        assert!(std::fs::read(&path).unwrap().starts_with(&ZSTD_MAGIC));
        assert_eq!(read_snapshot(&path).unwrap().accounts[0].id, "123456789012");

        let other =
            zstd::stream::encode_all(&br#"{"schema": "cartguard.snapshot/v9"}"#[..], 3).unwrap();
        std::fs::write(&path, other).unwrap();
        assert!(
            read_snapshot(&path)
                .unwrap_err()
                .to_string()
                .contains("unsupported snapshot version")
        );
        std::fs::write(&path, [0x28, 0xb5, 0x2f, 0xfd, 0, 1]).unwrap();
        assert!(
            read_snapshot(&path)
                .unwrap_err()
                .to_string()
                .contains("cannot be decompressed")
        );
    }

    #[test]
    fn the_version_is_required_and_known() {
        assert_eq!(
            read(r#"{"accounts": []}"#).unwrap_err(),
            "not a cartguard snapshot: no `schema` naming its format and version; this build reads snapshots of version `cartguard.snapshot/v1`"
        );
        assert_eq!(
            read(r#"{"schema": "cartguard.snapshot/v2", "accounts": []}"#).unwrap_err(),
            "unsupported snapshot version `cartguard.snapshot/v2`; this build reads snapshots of version `cartguard.snapshot/v1`"
        );
        assert_eq!(
            read(r#"{"schema": 1}"#).unwrap_err(),
            "`schema` is 1, not a version name; this build reads snapshots of version `cartguard.snapshot/v1`"
        );
        assert_eq!(
            read("[]").unwrap_err(),
            "not a cartguard snapshot (expected a JSON object with `schema`); this build reads snapshots of version `cartguard.snapshot/v1`"
        );
        assert!(read(r#"{"schema": "cartguard.snapshot/v1"}"#).is_ok());
    }
}
