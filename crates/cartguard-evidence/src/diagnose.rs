//! Why a folder holds no evidence file the reader knows: the common mistakes
//! (the folder one level up, CLI outputs side by side, another tool's output)
//! recognised, so the user is told what to give instead.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::layout::LAYOUT;

/// How deep below the folder the diagnosis looks.
const DEPTH: usize = 3;
/// How many entries it looks at, at most: a diagnosis must stay quick.
const ENTRIES: usize = 20_000;

/// Why a folder holds no evidence file the reader knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Diagnosis {
    /// The folder holds no file at all.
    Empty,
    /// A folder below it is the evidence folder.
    OneLevelDown(Vec<PathBuf>),
    /// Service folders hold the files without the region level (`ec2/describe-vpcs.json`).
    NoRegionLevel(PathBuf),
    /// AWS CLI outputs lie side by side (`describe-vpcs.json`), not in the layout.
    FlatCliOutput(PathBuf),
    /// The output of another tool.
    OtherTool(&'static str),
    /// Files, none of which the reader knows.
    Unknown {
        /// How many files were seen.
        files: usize,
    },
}

const LAYOUT_HINT: &str = "<service>/<region|global>/<operation>.json (see docs/evidence.md)";

impl fmt::Display for Diagnosis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Diagnosis::Empty => write!(
                f,
                "the folder is empty; produce an evidence folder with scripts/collect-evidence.sh (docs/evidence.md)"
            ),
            Diagnosis::OneLevelDown(dirs) => {
                let options: Vec<String> = dirs
                    .iter()
                    .map(|d| format!("--evidence {}", d.display()))
                    .collect();
                write!(
                    f,
                    "the evidence is one level down: did you mean {}?",
                    options.join(" ")
                )
            }
            Diagnosis::NoRegionLevel(file) => write!(
                f,
                "{} lacks the region level: files go in {LAYOUT_HINT}",
                file.display()
            ),
            Diagnosis::FlatCliOutput(file) => write!(
                f,
                "it holds AWS CLI output side by side ({}); cartguard reads each call's output at {LAYOUT_HINT}, e.g. ec2/eu-west-1/describe-vpcs.json",
                file.display()
            ),
            Diagnosis::OtherTool(tool) => write!(
                f,
                "it holds {tool}, which cartguard does not read; give it the AWS CLI's output laid out as {LAYOUT_HINT}, which scripts/collect-evidence.sh produces"
            ),
            Diagnosis::Unknown { files } => {
                write!(f, "none of its {files} files is at {LAYOUT_HINT}")
            }
        }
    }
}

/// Says why `dir`, which holds no evidence file the reader knows, holds none.
pub fn diagnose(dir: &Path) -> Diagnosis {
    let entries = walk(dir);
    let files: Vec<&PathBuf> = entries
        .iter()
        .filter(|(_, is_dir)| !is_dir)
        .map(|(p, _)| p)
        .collect();
    if files.is_empty() {
        return Diagnosis::Empty;
    }
    let is_service = |name: &str| LAYOUT.iter().any(|(_, service, _)| *service == name);
    let is_command = |name: &str| {
        name.strip_suffix(".json")
            .is_some_and(|stem| LAYOUT.iter().any(|(_, _, command)| *command == stem))
    };
    let name_of = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    // The shallowest folders below that hold service folders (one per
    // account when a folder holds several accounts' evidence).
    let below: Vec<&Path> = entries
        .iter()
        .filter(|(p, is_dir)| *is_dir && is_service(&name_of(p)))
        .filter_map(|(p, _)| p.parent())
        .filter(|parent| *parent != dir)
        .collect();
    if let Some(depth) = below.iter().map(|p| p.components().count()).min() {
        let mut found: Vec<PathBuf> = below
            .iter()
            .filter(|p| p.components().count() == depth)
            .map(|p| p.to_path_buf())
            .collect();
        found.sort();
        found.dedup();
        return Diagnosis::OneLevelDown(found);
    }
    if let Some(file) = files.iter().find(|f| {
        is_command(&name_of(f))
            && f.parent()
                .is_some_and(|p| p != dir && is_service(&name_of(p)))
    }) {
        return Diagnosis::NoRegionLevel(rel(dir, file));
    }
    if let Some(file) = files.iter().find(|f| is_command(&name_of(f))) {
        return Diagnosis::FlatCliOutput(rel(dir, file));
    }
    let names: Vec<String> = entries.iter().map(|(p, _)| name_of(p)).collect();
    let any = |test: &dyn Fn(&str) -> bool| names.iter().any(|n| test(n));
    if any(&|n| n.ends_with(".ocsf.json") || n.starts_with("prowler-output")) {
        return Diagnosis::OtherTool("Prowler's output (*.ocsf.json)");
    }
    if any(&|n| n.starts_with("scoutsuite")) {
        return Diagnosis::OtherTool("ScoutSuite's results (scoutsuite-results)");
    }
    if any(&|n| {
        [
            "iam-report-",
            "iam-findings-",
            "iam-results-",
            "iam-triage-",
        ]
        .iter()
        .any(|prefix| n.starts_with(prefix))
    }) {
        return Diagnosis::OtherTool("a Cloudsplaining report");
    }
    Diagnosis::Unknown { files: files.len() }
}

fn rel(dir: &Path, file: &Path) -> PathBuf {
    file.strip_prefix(dir).unwrap_or(file).to_path_buf()
}

/// Entries below `dir` (dot-files excepted), each with whether it is a folder.
fn walk(dir: &Path) -> Vec<(PathBuf, bool)> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), 0)];
    while let Some((current, depth)) = stack.pop() {
        // An unreadable folder only makes the diagnosis less precise.
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            if out.len() >= ENTRIES {
                return out;
            }
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            let path = entry.path();
            if is_dir && depth + 1 < DEPTH {
                stack.push((path.clone(), depth + 1));
            }
            out.push((path, is_dir));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for rel in files {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "{}").unwrap();
        }
        dir
    }

    #[test]
    fn recognises_the_common_mistakes() {
        let dir = folder(&[]);
        assert_eq!(diagnose(dir.path()), Diagnosis::Empty);
        let dir = folder(&["evidence/iam/global/get-account-summary.json", "README.md"]);
        assert_eq!(
            diagnose(dir.path()),
            Diagnosis::OneLevelDown(vec![dir.path().join("evidence")])
        );
        let dir = folder(&["describe-vpcs.json", "get-account-summary.json"]);
        assert!(matches!(diagnose(dir.path()), Diagnosis::FlatCliOutput(_)));
        let dir = folder(&["ec2/describe-vpcs.json"]);
        assert_eq!(
            diagnose(dir.path()),
            Diagnosis::NoRegionLevel(PathBuf::from("ec2/describe-vpcs.json"))
        );
        let dir = folder(&["output/prowler-output-111122223333.ocsf.json"]);
        assert!(
            matches!(diagnose(dir.path()), Diagnosis::OtherTool(t) if t.starts_with("Prowler"))
        );
        let dir = folder(&["scoutsuite-results/scoutsuite_results_aws.js"]);
        assert!(
            matches!(diagnose(dir.path()), Diagnosis::OtherTool(t) if t.starts_with("ScoutSuite"))
        );
        let dir = folder(&["iam-report-default.html", "iam-findings-default.json"]);
        assert!(
            matches!(diagnose(dir.path()), Diagnosis::OtherTool(t) if t.contains("Cloudsplaining"))
        );
        let dir = folder(&["notes.txt", "data/x.json"]);
        assert_eq!(diagnose(dir.path()), Diagnosis::Unknown { files: 2 });
    }
}
