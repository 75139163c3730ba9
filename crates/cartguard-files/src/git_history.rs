//! Credentials anywhere in a git repository's history, read with gix (no
//! `git` process): every blob reachable from `HEAD` is scanned once, however
//! many commits and paths hold it, and each credential is reported where it
//! was introduced — the oldest commit whose tree holds it, its author date
//! and path — with whether `HEAD` still holds it.
//!
//! Commits are visited oldest first and a tree already visited is not
//! entered again: whatever it holds was seen, earlier, with it. So each tree
//! and each blob is read once.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use cartguard_inventory::files::secrets::{Introduction, SecretFound};
use gix::ObjectId;
use rayon::prelude::*;

use crate::secrets::{is_binary, scan_file};

/// What a scan of a repository's history found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HistoryScan {
    /// How many commits were walked.
    pub commits: usize,
    /// How many distinct blobs were scanned.
    pub blobs: usize,
    /// Blobs skipped as larger than the limit or binary.
    pub skipped_blobs: usize,
    /// Each credential once (by value hash), where it was introduced.
    pub secrets: Vec<SecretFound>,
}

/// Why a history could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct HistoryError {
    /// The repository as given.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

/// Whether `dir` is the top of a git work tree (or a bare repository).
pub fn is_repository(dir: &Path) -> bool {
    dir.join(".git").exists() || (dir.join("HEAD").is_file() && dir.join("objects").is_dir())
}

/// Scans the history of the repository at `dir`; findings name files as
/// `shown/<path in the repository>`. Blobs larger than `max_blob_size`
/// bytes are skipped.
pub fn scan_history(
    dir: &Path,
    shown: &str,
    max_blob_size: u64,
) -> Result<HistoryScan, HistoryError> {
    let fail = |message: String| HistoryError {
        path: shown.to_string(),
        message,
    };
    let repo = gix::open(dir).map_err(|e| fail(format!("not a git repository: {e}")))?;
    let head = match repo.head_id() {
        Ok(id) => id.detach(),
        // No commit yet: nothing in history.
        Err(_) => return Ok(HistoryScan::default()),
    };
    let mut commits: Vec<(ObjectId, ObjectId, i64)> = Vec::new();
    let walk = repo
        .rev_walk([head])
        .all()
        .map_err(|e| fail(format!("cannot walk the history: {e}")))?;
    for info in walk {
        let info = info.map_err(|e| fail(format!("cannot walk the history: {e}")))?;
        let commit = info
            .object()
            .map_err(|e| fail(format!("cannot read commit {}: {e}", info.id)))?;
        let tree = commit
            .tree_id()
            .map_err(|e| fail(format!("cannot read commit {}: {e}", info.id)))?
            .detach();
        let authored = commit
            .author()
            .map(|a| a.seconds())
            .unwrap_or_else(|_| info.commit_time.unwrap_or_default());
        commits.push((info.id, tree, authored));
    }
    commits.reverse();

    // The first commit (oldest first) and path of every blob.
    let mut first_seen: HashMap<ObjectId, (usize, String)> = HashMap::new();
    let mut order: Vec<ObjectId> = Vec::new();
    let mut seen_trees: HashSet<ObjectId> = HashSet::new();
    for (index, (_, tree, _)) in commits.iter().enumerate() {
        walk_tree(&repo, *tree, "", &mut seen_trees, &mut |blob, path| {
            first_seen.entry(blob).or_insert_with(|| {
                order.push(blob);
                (index, path.to_string())
            });
        })
        .map_err(fail)?;
    }
    // The blobs HEAD holds.
    let mut head_blobs: HashSet<ObjectId> = HashSet::new();
    if let Some((_, tree, _)) = commits.last() {
        let mut trees = HashSet::new();
        walk_tree(&repo, *tree, "", &mut trees, &mut |blob, _| {
            head_blobs.insert(blob);
        })
        .map_err(fail)?;
    }

    let shared = repo.into_sync();
    let scanned: Vec<(ObjectId, Option<Vec<SecretFound>>)> = order
        .par_iter()
        .map_init(
            || shared.to_thread_local(),
            |repo, blob| {
                let (_, path) = &first_seen[blob];
                let Ok(object) = repo.find_blob(*blob) else {
                    return (*blob, None);
                };
                let data = &object.data;
                if data.len() as u64 > max_blob_size || is_binary(data) {
                    return (*blob, None);
                }
                (*blob, Some(scan_file(path, data)))
            },
        )
        .collect();

    let skipped_blobs = scanned.iter().filter(|(_, s)| s.is_none()).count();
    let mut present_hashes: HashSet<String> = HashSet::new();
    // The oldest introduction of every value.
    let mut introduced: HashMap<String, (usize, SecretFound)> = HashMap::new();
    for (blob, found) in &scanned {
        let Some(found) = found else { continue };
        let (commit_index, _) = first_seen[blob];
        for secret in found {
            if head_blobs.contains(blob) {
                present_hashes.insert(secret.hash.clone());
            }
            let older = introduced
                .get(&secret.hash)
                .is_none_or(|(index, _)| commit_index < *index);
            if older {
                introduced.insert(secret.hash.clone(), (commit_index, secret.clone()));
            }
        }
    }
    let mut secrets: Vec<(usize, SecretFound)> = introduced
        .into_values()
        .map(|(index, mut secret)| {
            let (commit, _, authored) = &commits[index];
            secret.path = join(shown, &secret.path);
            secret.introduced = Some(Introduction {
                commit: commit.to_string(),
                author_date: date(*authored),
                still_present: present_hashes.contains(&secret.hash),
            });
            (index, secret)
        })
        .collect();
    secrets.sort_by(|(a, x), (b, y)| {
        (a, &x.path, x.line, &x.hash).cmp(&(b, &y.path, y.line, &y.hash))
    });
    Ok(HistoryScan {
        commits: commits.len(),
        blobs: order.len(),
        skipped_blobs,
        secrets: secrets.into_iter().map(|(_, s)| s).collect(),
    })
}

/// Adds what a history scan found to the credentials found in the files of
/// the work tree: a value found in both gets its introduction; one found only
/// in history is added.
pub fn merge_into(files: &mut Vec<SecretFound>, history: Vec<SecretFound>) {
    for found in history {
        let mut matched = false;
        for current in files.iter_mut().filter(|f| f.hash == found.hash) {
            if current.introduced.is_none() {
                current.introduced = found.introduced.clone();
            }
            matched = true;
        }
        if !matched {
            files.push(found);
        }
    }
}

fn join(shown: &str, path: &str) -> String {
    let shown = shown.trim_end_matches('/');
    if shown.is_empty() || shown == "." {
        path.to_string()
    } else {
        format!("{shown}/{path}")
    }
}

fn date(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_else(|| seconds.to_string())
}

/// Visits the blobs of a tree not visited before, with their paths.
fn walk_tree(
    repo: &gix::Repository,
    tree: ObjectId,
    prefix: &str,
    seen: &mut HashSet<ObjectId>,
    visit: &mut dyn FnMut(ObjectId, &str),
) -> Result<(), String> {
    if !seen.insert(tree) {
        return Ok(());
    }
    let object = repo
        .find_tree(tree)
        .map_err(|e| format!("cannot read tree {tree}: {e}"))?;
    let decoded = object
        .decode()
        .map_err(|e| format!("cannot decode tree {tree}: {e}"))?;
    let entries: Vec<(ObjectId, String, bool, bool)> = decoded
        .entries
        .iter()
        .map(|e| {
            let name = String::from_utf8_lossy(e.filename);
            let path = if prefix.is_empty() {
                name.into_owned()
            } else {
                format!("{prefix}/{name}")
            };
            (e.oid.to_owned(), path, e.mode.is_tree(), e.mode.is_blob())
        })
        .collect();
    for (id, path, is_tree, is_blob) in entries {
        if is_tree {
            walk_tree(repo, id, &path, seen, visit)?;
        } else if is_blob {
            visit(id, &path);
        }
    }
    Ok(())
}
