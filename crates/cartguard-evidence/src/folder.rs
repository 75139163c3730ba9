//! The evidence folder: `<service>/<region|global>/<operation>.json`, and
//! `<service>/<region>/<operation>/<resource>.json` for per-resource calls.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use cartguard_inventory::{Account, Collected, EvidenceKey, Operation, sts};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::EvidenceError;
use crate::layout::{file_of, is_regional_folder};
use crate::services;

/// Error codes that are AWS's way of saying "this is not configured".
const NOT_CONFIGURED_CODES: &[&str] = &[
    "NoSuchEntity",
    "ServerSideEncryptionConfigurationNotFoundError",
    "NoSuchBucketPolicy",
    "NoSuchPublicAccessBlockConfiguration",
];

/// What an evidence folder holds: one account, and the files that were not used.
#[derive(Debug)]
pub struct EvidenceFolder {
    /// The account as collected.
    pub account: Account,
    /// Files present in the folder that the reader does not use.
    pub unused_files: Vec<PathBuf>,
}

/// Reads an evidence folder into an [`Account`].
pub fn read_evidence_folder(dir: &Path) -> Result<EvidenceFolder, EvidenceError> {
    if !dir.is_dir() {
        if !dir.exists() {
            return Err(EvidenceError::Io {
                path: dir.to_path_buf(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such directory"),
            });
        }
        return Err(EvidenceError::NotAFolder(dir.to_path_buf()));
    }
    parse_evidence(dir, read_files(dir)?)
}

/// Builds an [`Account`] from the files of an evidence folder, given as relative
/// path (with `/` separators) → content. `root` only names the files in errors.
pub fn parse_evidence(
    root: &Path,
    files: BTreeMap<String, String>,
) -> Result<EvidenceFolder, EvidenceError> {
    let mut reader = Reader {
        root: root.to_path_buf(),
        files,
    };
    let mut account = Account {
        sources: vec![format!("evidence:{}", root.display())],
        ..Account::default()
    };
    services::iam::read(&mut reader, &mut account.iam)?;
    services::s3::read(&mut reader, &mut account.s3)?;
    for region in reader.regions() {
        let collected = services::read_region(&mut reader, &region)?;
        account.regions.insert(region, collected);
    }
    account.id = account_id(&mut reader, &account)?;
    services::organizations::read(&mut reader, &account.id, &mut account.organizations)?;
    let unused_files = reader.files.keys().map(|f| root.join(f)).collect();
    Ok(EvidenceFolder {
        account,
        unused_files,
    })
}

pub(crate) struct Reader {
    pub(crate) root: PathBuf,
    /// The files not read yet, relative to the root, with `/` separators.
    files: BTreeMap<String, String>,
}

impl Reader {
    /// Regions that appear under any regional service.
    fn regions(&self) -> BTreeSet<String> {
        self.files
            .keys()
            .filter_map(|f| {
                let mut parts = f.split('/');
                let service = parts.next()?;
                let region = parts.next()?;
                (is_regional_folder(service) && region != "global" && parts.next().is_some())
                    .then(|| region.to_string())
            })
            .collect()
    }

    /// Reads the evidence under `key` as an AWS CLI response and extracts
    /// what the model keeps of it.
    pub(crate) fn load<R: DeserializeOwned, T>(
        &mut self,
        key: &EvidenceKey,
        extract: impl FnOnce(R) -> T,
    ) -> Result<Collected<T>, EvidenceError> {
        let rel = file_of(key).unwrap_or_default();
        let text = self.take(&rel);
        decode(&self.root, &rel, text, extract)
    }

    /// Reads the answers of a per-resource call in `region`, keyed by resource.
    pub(crate) fn load_each<R: DeserializeOwned, T>(
        &mut self,
        operation: Operation,
        region: &str,
        extract: impl Fn(R) -> T,
    ) -> Result<BTreeMap<String, Collected<T>>, EvidenceError> {
        let prefix = file_of(&operation.key(region)).unwrap_or_default();
        let names: Vec<String> = self
            .files
            .keys()
            .filter_map(|f| f.strip_prefix(&prefix))
            .filter(|rest| !rest.contains('/'))
            .filter_map(|rest| rest.strip_suffix(".json"))
            .map(str::to_string)
            .collect();
        let mut out = BTreeMap::new();
        for name in names {
            let collected = self.load(&operation.about(region, &name), &extract)?;
            out.insert(name, collected);
        }
        Ok(out)
    }

    /// The path of the file that holds `key`, for errors.
    pub(crate) fn path_of(&self, key: &EvidenceKey) -> PathBuf {
        self.root.join(file_of(key).unwrap_or_default())
    }

    /// The content of a file, which from then on counts as used.
    pub(crate) fn take(&mut self, rel: &str) -> Option<String> {
        self.files.remove(rel)
    }

    /// Marks every file below `prefix` as used without reading it.
    pub(crate) fn take_all(&mut self, prefix: &str) {
        self.files.retain(|name, _| !name.starts_with(prefix));
    }
}

/// Every file below `root` (dot-files excepted), relative path → content.
fn read_files(root: &Path) -> Result<BTreeMap<String, String>, EvidenceError> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let io = |source| EvidenceError::Io {
            path: dir.clone(),
            source,
        };
        for entry in std::fs::read_dir(&dir).map_err(io)? {
            let entry = entry.map_err(io)?;
            let path = entry.path();
            let kind = entry.file_type().map_err(io)?;
            if kind.is_dir() {
                stack.push(path);
                continue;
            }
            let Ok(rel) = path.strip_prefix(root) else {
                continue;
            };
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if rel.last().is_some_and(|name| name.starts_with('.')) {
                continue;
            }
            let rel = rel.join("/");
            // Only evidence formats are read; anything else is listed as unused.
            if !(rel.ends_with(".json") || rel.ends_with(".csv")) {
                out.insert(rel, String::new());
                continue;
            }
            let text = std::fs::read_to_string(&path).map_err(|source| EvidenceError::Io {
                path: path.clone(),
                source,
            })?;
            out.insert(rel, text);
        }
    }
    Ok(out)
}

/// The evidence in one file's text (`None`: the file is not in the folder).
pub(crate) fn decode<R: DeserializeOwned, T>(
    root: &Path,
    rel: &str,
    text: Option<String>,
    extract: impl FnOnce(R) -> T,
) -> Result<Collected<T>, EvidenceError> {
    let Some(text) = text else {
        return Ok(Collected::NotCollected);
    };
    let path = root.join(rel);
    if let Some(error) = api_error(&path, &text)? {
        return Ok(error);
    }
    let response: R = parse_json(&path, &text)?;
    Ok(Collected::Present(extract(response)))
}

/// Parses JSON text into `T`, naming the file, line, column and JSON path on error.
///
/// Valid files take the fast path; only a file that fails is parsed again with
/// the JSON path tracked, to say where it failed.
pub(crate) fn parse_json<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, EvidenceError> {
    if let Ok(value) = serde_json::from_str(text) {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let json_path = e.path().to_string();
        let inner = e.into_inner();
        EvidenceError::Malformed {
            path: path.to_path_buf(),
            line: inner.line(),
            column: inner.column(),
            json_path: (json_path != "." && !json_path.is_empty()).then_some(json_path),
            message: describe(&inner),
        }
    })?;
    deserializer.end().map_err(|e| EvidenceError::Malformed {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        json_path: None,
        message: describe(&e),
    })?;
    Ok(value)
}

/// serde_json's message without its own " at line X column Y" suffix.
fn describe(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

#[derive(Deserialize)]
struct ErrorDocument {
    #[serde(rename = "Error")]
    error: ErrorBody,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(rename = "Code")]
    code: String,
    #[serde(rename = "Message", default)]
    message: String,
}

/// Files larger than this are only checked for the error form when they start
/// with an `Error` key: error documents are a few hundred bytes, and parsing a
/// large response twice would double the reader's time and memory.
const ERROR_CHECK_LIMIT: usize = 64 * 1024;

/// Recognizes the `{"Error": {...}}` form stored in place of a response.
fn api_error<T>(path: &Path, text: &str) -> Result<Option<Collected<T>>, EvidenceError> {
    if text.len() > ERROR_CHECK_LIMIT {
        let opening = text.trim_start().strip_prefix('{').map(str::trim_start);
        if !opening.is_some_and(|rest| rest.starts_with("\"Error\"")) {
            return Ok(None);
        }
    }
    let value: serde_json::Value = parse_json(path, text)?;
    let is_error = value
        .as_object()
        .is_some_and(|o| o.len() == 1 && o.contains_key("Error"));
    if !is_error {
        return Ok(None);
    }
    let ErrorDocument { error } = parse_json(path, text)?;
    Ok(Some(
        if NOT_CONFIGURED_CODES.contains(&error.code.as_str()) {
            Collected::NotConfigured { code: error.code }
        } else {
            Collected::Failed {
                code: error.code,
                message: error.message,
            }
        },
    ))
}

#[derive(Deserialize)]
struct CallerIdentity {
    #[serde(rename = "Account", default)]
    account: Option<String>,
}

/// The account id: from the caller identity, else from any ARN in the evidence.
fn account_id(reader: &mut Reader, account: &Account) -> Result<String, EvidenceError> {
    let identity = reader.load(&sts::GET_CALLER_IDENTITY.global(), |r: CallerIdentity| {
        r.account
    })?;
    if let Collected::Present(Some(id)) = identity {
        return Ok(id);
    }
    let from_arn = |arn: &str| {
        arn.split(':')
            .nth(4)
            .filter(|id| !id.is_empty())
            .map(str::to_string)
    };
    let mut arns: Vec<&str> = Vec::new();
    if let Some(report) = account.iam.credential_report.present() {
        arns.extend(report.rows.iter().map(|r| r.arn.as_str()));
    }
    if let Some(details) = account.iam.authorization_details.present() {
        arns.extend(details.user_detail_list.iter().map(|u| u.arn.as_str()));
        arns.extend(details.role_detail_list.iter().map(|r| r.arn.as_str()));
        arns.extend(details.group_detail_list.iter().map(|g| g.arn.as_str()));
    }
    Ok(arns
        .into_iter()
        .find_map(from_arn)
        .unwrap_or_else(|| "unknown".to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    fn write(dir: &Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn distinguishes_present_not_configured_failed_and_missing() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "iam/global/get-account-password-policy.json",
            r#"{"Error":{"Code":"NoSuchEntity","Message":"The Password Policy with domain name 111122223333 cannot be found."}}"#,
        );
        write(
            dir.path(),
            "iam/global/list-virtual-mfa-devices.json",
            r#"{"Error":{"Code":"AccessDenied","Message":"not authorized"}}"#,
        );
        write(
            dir.path(),
            "iam/global/get-account-summary.json",
            r#"{"SummaryMap":{"AccountMFAEnabled":1}}"#,
        );
        let folder = read_evidence_folder(dir.path()).unwrap();
        let iam = &folder.account.iam;
        assert!(iam.password_policy.is_not_configured());
        assert!(
            matches!(iam.virtual_mfa_devices, Collected::Failed { ref code, .. } if code == "AccessDenied")
        );
        assert_eq!(
            iam.account_summary.present().unwrap()["AccountMFAEnabled"],
            1
        );
        assert!(matches!(iam.credential_report, Collected::NotCollected));
    }

    #[test]
    fn names_file_line_column_and_path_of_a_wrong_type() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "ec2/eu-west-1/describe-security-groups.json",
            "{\"SecurityGroups\": [\n  {\"GroupId\": \"sg-1\", \"IpPermissions\": [{\"IpProtocol\": \"tcp\", \"FromPort\": \"eighty\"}]}\n]}",
        );
        let err = read_evidence_folder(dir.path()).unwrap_err().to_string();
        assert!(err.contains("describe-security-groups.json:2:"), "{err}");
        assert!(
            err.contains("SecurityGroups[0].IpPermissions[0].FromPort"),
            "{err}"
        );
    }

    #[test]
    fn names_file_line_column_of_truncated_json() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "iam/global/get-account-summary.json",
            "{\"SummaryMap\": {\n  \"Users\": 3,",
        );
        let err = read_evidence_folder(dir.path()).unwrap_err().to_string();
        assert!(err.contains("get-account-summary.json:2:"), "{err}");
    }

    #[test]
    fn scps_do_not_apply_to_the_management_account() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "sts/global/get-caller-identity.json",
            r#"{"Account":"111122223333"}"#,
        );
        write(
            dir.path(),
            "organizations/global/describe-organization.json",
            r#"{"Organization":{"Id":"o-1","MasterAccountId":"111122223333"}}"#,
        );
        write(
            dir.path(),
            "organizations/global/list-parents/111122223333.json",
            r#"{"Parents":[{"Id":"r-1","Type":"ROOT"}]}"#,
        );
        let folder = read_evidence_folder(dir.path()).unwrap();
        assert!(
            folder
                .account
                .organizations
                .service_control_policies
                .is_not_configured()
        );
        assert!(folder.unused_files.is_empty(), "{:?}", folder.unused_files);
    }

    #[test]
    fn decodes_the_base64_credential_report_and_finds_the_account() {
        let csv = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date\n<root_account>,arn:aws:iam::444455556666:root,2020-01-01T00:00:00+00:00,not_supported,N/A,not_supported,true,false,N/A,N/A,false,N/A,N/A\n";
        let content = base64::engine::general_purpose::STANDARD.encode(csv);
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "iam/global/get-credential-report.json",
            &format!(
                r#"{{"Content":"{content}","ReportFormat":"text/csv","GeneratedTime":"2026-11-20T11:55:00+00:00"}}"#
            ),
        );
        write(
            dir.path(),
            "ec2/eu-west-1/describe-vpcs.json",
            r#"{"Vpcs":[]}"#,
        );
        write(dir.path(), "notes.txt", "hello");
        let folder = read_evidence_folder(dir.path()).unwrap();
        assert_eq!(folder.account.id, "444455556666");
        assert!(
            folder
                .account
                .iam
                .credential_report
                .present()
                .unwrap()
                .root()
                .is_some()
        );
        assert!(folder.account.regions.contains_key("eu-west-1"));
        assert_eq!(folder.unused_files, vec![dir.path().join("notes.txt")]);
    }
}
