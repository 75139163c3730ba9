//! The synthetic account the IAM benches run on, shared by the benches of
//! `cartguard-iam` and `cartguard-rules`.

use std::path::PathBuf;
use std::process::Command;

/// The authorization details to bench on: the file named by
/// `CARTGUARD_BENCH_AUTHZ`, or one of `roles` roles generated once with
/// `scripts/gen-authz-details.py` into the temporary directory.
pub fn authorization_details(roles: u32) -> Result<PathBuf, String> {
    if let Ok(path) = std::env::var("CARTGUARD_BENCH_AUTHZ") {
        return Ok(PathBuf::from(path));
    }
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/gen-authz-details.py");
    let out = std::env::temp_dir().join(format!("cartguard-bench-authz-{roles}.json"));
    if !out.exists() {
        let status = Command::new("python3")
            .arg(&script)
            .arg(roles.to_string())
            .arg(&out)
            .status()
            .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
        if !status.success() {
            return Err(format!("{} failed", script.display()));
        }
    }
    Ok(out)
}
