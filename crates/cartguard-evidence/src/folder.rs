//! The evidence folder: `<service>/<region|global>/<operation>.json`, and
//! `<service>/<region>/<operation>/<resource>.json` for per-resource calls.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use cartguard_inventory::{Account, Collected, EvidenceKey, Operation, sts};
use serde::Deserialize;

use crate::EvidenceError;
use crate::json::{parse_json, start_of, utf8};
use crate::layout::{cli_command, file_of, is_regional_folder, safe_name};
use crate::services::{self, Response, response};

/// What an evidence folder holds: one account, and the files that were not used.
#[derive(Debug)]
pub struct EvidenceFolder {
    /// The account as collected.
    pub account: Account,
    /// How many evidence files were read; none means the folder holds nothing
    /// the reader knows (see [`crate::diagnose`] for why).
    pub files_read: usize,
    /// Files present in the folder that the reader does not use.
    pub unused_files: Vec<PathBuf>,
}

/// Reads an evidence folder into an [`Account`].
pub fn read_evidence_folder(dir: &Path) -> Result<EvidenceFolder, EvidenceError> {
    if !dir.is_dir() {
        if !dir.exists() {
            return Err(EvidenceError::NotFound(dir.to_path_buf()));
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
    let present = files.len();
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
    services::cloudfront::read(&mut reader, &mut account.cloudfront)?;
    services::wafv2::read_cloudfront(&mut reader, &mut account.wafv2)?;
    services::shield::read(&mut reader, &mut account.shield)?;
    for region in reader.regions() {
        let collected = services::read_region(&mut reader, &region)?;
        account.regions.insert(region, collected);
    }
    account.id = account_id(&mut reader, &account)?;
    services::organizations::read(&mut reader, &account.id, &mut account.organizations)?;
    let unused_files: Vec<PathBuf> = reader.files.keys().map(|f| root.join(f)).collect();
    Ok(EvidenceFolder {
        account,
        files_read: present - unused_files.len(),
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
    pub(crate) fn load<R: Response, T>(
        &mut self,
        key: &EvidenceKey,
        extract: impl FnOnce(R) -> T,
    ) -> Result<Collected<T>, EvidenceError> {
        let text = self.take(&file_of(key).unwrap_or_default());
        decode(&self.root, key, text, extract)
    }

    /// Reads the answers of a per-resource call in `region`, keyed by resource.
    pub(crate) fn load_each<R: Response, T>(
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

    /// A policy document that `key`'s answer carries as JSON text at
    /// `json_path` (`Policy`, `ResourcePolicy`, `Attributes.Policy`); text that
    /// is not a policy stops the scan, naming the file and the field.
    pub(crate) fn embedded_policy(
        &self,
        key: &EvidenceKey,
        json_path: &str,
        text: &str,
    ) -> Result<cartguard_inventory::PolicyDocument, EvidenceError> {
        cartguard_inventory::PolicyDocument::from_text(text).map_err(|message| {
            EvidenceError::Malformed {
                path: self.path_of(key),
                line: 1,
                column: 1,
                json_path: Some(json_path.into()),
                message,
            }
        })
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

/// Answers of a per-resource call keyed by the resource's name rather than
/// its file name, where `names` (from the list call) holds one whose file
/// name it is: a `/` or `:` in a name is `_` in its file's.
pub(crate) fn by_resource_name<T>(
    answers: BTreeMap<String, Collected<T>>,
    names: &[String],
) -> BTreeMap<String, Collected<T>> {
    answers
        .into_iter()
        .map(|(file_name, collected)| {
            let name = names
                .iter()
                .find(|n| safe_name(n) == file_name)
                .cloned()
                .unwrap_or(file_name);
            (name, collected)
        })
        .collect()
}

/// Every file below `root` (dot-files excepted), relative path → content.
fn read_files(root: &Path) -> Result<BTreeMap<String, String>, EvidenceError> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let io = |error| EvidenceError::Io {
            path: dir.clone(),
            error,
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
            let bytes = std::fs::read(&path).map_err(|error| EvidenceError::Io {
                path: path.clone(),
                error,
            })?;
            out.insert(rel, utf8(&path, bytes)?);
        }
    }
    Ok(out)
}

/// The evidence under `key` in its file's text (`None`: the file is not in the folder).
pub(crate) fn decode<R: Response, T>(
    root: &Path,
    key: &EvidenceKey,
    text: Option<String>,
    extract: impl FnOnce(R) -> T,
) -> Result<Collected<T>, EvidenceError> {
    let Some(text) = text else {
        return Ok(Collected::NotCollected);
    };
    let path = root.join(file_of(key).unwrap_or_default());
    if let Some(error) = api_error(&path, &key.operation, &text)? {
        return Ok(error);
    }
    if R::REQUIRED.is_empty() {
        only_known_keys::<R>(&path, &key.operation, &text)?;
    }
    let response: R =
        if services::prints_nothing_when_empty(&key.operation) && is_empty_object(&text) {
            // The CLI printed nothing (an empty answer) and the collector wrote `{}`.
            if R::EMPTY_ANSWER.is_empty() {
                let empty: String = R::REQUIRED
                    .iter()
                    .map(|k| format!("\"{k}\":[]"))
                    .collect::<Vec<_>>()
                    .join(",");
                parse_json(&path, &format!("{{{empty}}}"))?
            } else {
                parse_json(&path, R::EMPTY_ANSWER)?
            }
        } else {
            parse_response(&path, &key.operation, &text)?
        };
    Ok(Collected::Present(extract(response)))
}

/// Whether the text is `{}`, give or take white space.
fn is_empty_object(text: &str) -> bool {
    text.len() < 64 && text.split_whitespace().collect::<String>() == "{}"
}

/// Parses the answer of `operation`. A file without the keys the answer always
/// has is named for what it holds instead, when that is another operation's answer.
fn parse_response<R: Response>(
    path: &Path,
    operation: &Operation,
    text: &str,
) -> Result<R, EvidenceError> {
    if let Ok(value) = serde_json::from_str(text) {
        return Ok(value);
    }
    // The slow path, for files that fail: is it the wrong file, or a damaged one?
    let Ok(top) = serde_json::from_str::<serde_json::Value>(text) else {
        return parse_json(path, text);
    };
    let (service, command) = cli_command(operation).unwrap_or_default();
    let (line, column) = start_of(text);
    let wrong_shape =
        |missing: Vec<String>, holds: Vec<String>, message: String| EvidenceError::WrongShape {
            path: path.to_path_buf(),
            line,
            column,
            missing,
            holds,
            message,
        };
    let keys = |list: &[&str]| {
        list.iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some(object) = top.as_object() else {
        let found = match top {
            serde_json::Value::Array(_) => "a list",
            serde_json::Value::String(_) => "a string",
            serde_json::Value::Number(_) => "a number",
            serde_json::Value::Bool(_) => "true or false",
            _ => "null",
        };
        return Err(wrong_shape(
            R::REQUIRED.iter().map(|k| k.to_string()).collect(),
            Vec::new(),
            format!(
                "expected the object `aws {service} {command}` prints, with {} at the top level; found {found}",
                keys(R::REQUIRED)
            ),
        ));
    };
    let missing: Vec<&str> = R::REQUIRED
        .iter()
        .copied()
        .filter(|k| !object.contains_key(*k))
        .collect();
    if missing.is_empty() {
        return parse_json(path, text);
    }
    let present: Vec<&str> = object.keys().map(String::as_str).collect();
    let holds: Vec<String> = services::operations_answered_by(&present, operation)
        .iter()
        .filter_map(cli_command)
        .map(|(s, c)| format!("{s} {c}"))
        .collect();
    let found = if present.is_empty() {
        "an empty object".to_string()
    } else {
        format!("the keys {}", keys(&present))
    };
    let message = if holds.is_empty() {
        format!(
            "not the output of `aws {service} {command}`: expected {} at the top level (the AWS CLI always prints {}), found {found}",
            keys(&missing),
            if missing.len() == 1 { "it" } else { "them" },
        )
    } else {
        format!(
            "holds the output of {}, not {command} (expected {} at the top level, found {found})",
            holds.join(" or "),
            keys(&missing),
        )
    };
    Err(wrong_shape(
        missing.iter().map(|k| k.to_string()).collect(),
        holds,
        message,
    ))
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

/// Refuses an answer with a top-level key its operation never prints, for
/// operations without a key the CLI always prints (their unset answer is
/// `{}`, so another call's output would otherwise read as "unset").
fn only_known_keys<R: Response>(
    path: &Path,
    operation: &Operation,
    text: &str,
) -> Result<(), EvidenceError> {
    let Ok(serde_json::Value::Object(object)) = serde_json::from_str::<serde_json::Value>(text)
    else {
        // Not an object: the parser names what is wrong.
        return parse_json::<R>(path, text).map(|_| ());
    };
    let unknown: Vec<&str> = object
        .keys()
        .map(String::as_str)
        .filter(|k| !R::ONLY.contains(k))
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    let (service, command) = cli_command(operation).unwrap_or_default();
    let (line, column) = start_of(text);
    let present: Vec<&str> = object.keys().map(String::as_str).collect();
    let holds: Vec<String> = services::operations_answered_by(&present, operation)
        .iter()
        .filter_map(cli_command)
        .map(|(s, c)| format!("{s} {c}"))
        .collect();
    let quoted = |list: &[&str]| {
        list.iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Err(EvidenceError::WrongShape {
        path: path.to_path_buf(),
        line,
        column,
        missing: Vec::new(),
        holds,
        message: format!(
            "not the output of `aws {service} {command}`, which prints only {} (or `{{}}` when unset); found {}",
            quoted(R::ONLY),
            quoted(&unknown)
        ),
    })
}

/// Recognizes the `{"Error": {...}}` form stored in place of a response.
fn api_error<T>(
    path: &Path,
    operation: &Operation,
    text: &str,
) -> Result<Option<Collected<T>>, EvidenceError> {
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
        if cartguard_inventory::means_not_configured(operation, &error.code) {
            Collected::NotConfigured { code: error.code }
        } else {
            Collected::Failed {
                code: error.code,
                message: error.message,
            }
        },
    ))
}

response!(CallerIdentity { account: "Account" => String });

/// The account id: from the caller identity, else from any ARN in the
/// evidence, else from the owner of a security group.
fn account_id(reader: &mut Reader, account: &Account) -> Result<String, EvidenceError> {
    let identity = reader.load(&sts::GET_CALLER_IDENTITY.global(), |r: CallerIdentity| {
        r.account
    })?;
    if let Collected::Present(id) = identity {
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
    // Security groups belong to the account that made them, even in a VPC
    // shared from another account.
    let group_owner = || {
        account.regions.values().find_map(|region| {
            region
                .ec2
                .security_groups
                .present()?
                .iter()
                .find_map(|g| g.owner_id.clone().filter(|id| !id.is_empty()))
        })
    };
    Ok(arns
        .into_iter()
        .find_map(from_arn)
        .or_else(group_owner)
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
        let csv = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n<root_account>,arn:aws:iam::444455556666:root,2020-01-01T00:00:00+00:00,not_supported,N/A,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n";
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

    fn error_of(rel: &str, text: &str) -> String {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), rel, text);
        let error = read_evidence_folder(dir.path()).unwrap_err().to_string();
        error
            .strip_prefix(&format!("{}/", dir.path().display()))
            .unwrap_or(&error)
            .to_string()
    }

    #[test]
    fn another_operations_output_is_named() {
        assert_eq!(
            error_of(
                "ec2/eu-west-1/describe-security-groups.json",
                "{\n  \"Vpcs\": []\n}"
            ),
            "ec2/eu-west-1/describe-security-groups.json:1:1: holds the output of ec2 describe-vpcs, not describe-security-groups (expected `SecurityGroups` at the top level, found the keys `Vpcs`)"
        );
    }

    #[test]
    fn a_response_without_its_keys_is_refused() {
        assert_eq!(
            error_of(
                "iam/global/get-account-authorization-details.json",
                r#"{"users": []}"#
            ),
            "iam/global/get-account-authorization-details.json:1:1: not the output of `aws iam get-account-authorization-details`: expected `UserDetailList`, `GroupDetailList`, `RoleDetailList`, `Policies` at the top level (the AWS CLI always prints them), found the keys `users`"
        );
        assert_eq!(
            error_of("ec2/eu-west-1/describe-vpcs.json", "  {}"),
            "ec2/eu-west-1/describe-vpcs.json:1:3: not the output of `aws ec2 describe-vpcs`: expected `Vpcs` at the top level (the AWS CLI always prints it), found an empty object"
        );
        assert_eq!(
            error_of("iam/global/get-account-summary.json", "[]"),
            "iam/global/get-account-summary.json:1:1: expected the object `aws iam get-account-summary` prints, with `SummaryMap` at the top level; found a list"
        );
    }

    #[test]
    fn empty_output_is_an_empty_answer_only_where_the_cli_prints_nothing() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "secretsmanager/eu-west-1/list-secrets.json",
            "{}\n",
        );
        write(dir.path(), "dynamodb/eu-west-1/list-tables.json", "{}\n");
        let folder = read_evidence_folder(dir.path()).unwrap();
        let region = &folder.account.regions["eu-west-1"];
        assert_eq!(
            region.secretsmanager.secrets.present().map(Vec::len),
            Some(0)
        );
        assert_eq!(region.dynamodb.tables.present().map(Vec::len), Some(0));
        assert_eq!(folder.files_read, 2);
        // CloudFront leaves `Items` out of an empty DistributionList and the
        // paginating CLI, which gathers `DistributionList.Items`, prints nothing.
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "cloudfront/global/list-distributions.json",
            "{}\n",
        );
        let folder = read_evidence_folder(dir.path()).unwrap();
        assert_eq!(
            folder
                .account
                .cloudfront
                .distributions
                .present()
                .map(Vec::len),
            Some(0)
        );
        // The same `{}` where the CLI always prints the list is not an answer:
        // KMS answers ListKeys with the list and `Truncated`, even when empty.
        for (file, key) in [
            ("accessanalyzer/eu-west-1/list-analyzers.json", "analyzers"),
            ("kms/eu-west-1/list-keys.json", "Keys"),
        ] {
            assert!(
                error_of(file, "{}").contains(&format!("expected `{key}` at the top level")),
                "{file}"
            );
        }
    }

    #[test]
    fn epoch_seconds_printed_by_cli_v1_read_as_times() {
        // JSON-protocol services send epoch seconds; version 1 of the AWS CLI
        // prints them as they came, version 2 as RFC 3339 text.
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "secretsmanager/eu-west-1/list-secrets.json",
            r#"{"SecretList": [
                {"ARN": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:a-AbCdEf", "Name": "a",
                 "CreatedDate": 1523477145.713, "LastChangedDate": 1523477145},
                {"ARN": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:b-AbCdEf", "Name": "b",
                 "CreatedDate": "2018-04-11T20:05:45.713000+00:00"}]}"#,
        );
        write(
            dir.path(),
            "cloudtrail/eu-west-1/get-trail-status/main.json",
            r#"{"IsLogging": false, "StopLoggingTime": 1523477145.5}"#,
        );
        let folder = read_evidence_folder(dir.path()).unwrap();
        let region = &folder.account.regions["eu-west-1"];
        let secrets = region.secretsmanager.secrets.present().unwrap();
        let created: Vec<String> = secrets
            .iter()
            .map(|s| s.created_date.unwrap().to_rfc3339())
            .collect();
        assert_eq!(
            created,
            [
                "2018-04-11T20:05:45.713+00:00",
                "2018-04-11T20:05:45.713+00:00"
            ]
        );
        assert_eq!(
            secrets[0].last_changed_date.unwrap().to_rfc3339(),
            "2018-04-11T20:05:45+00:00"
        );
        let status = region.cloudtrail.trail_status["main"].present().unwrap();
        assert_eq!(
            status.stop_logging_time.unwrap().to_rfc3339(),
            "2018-04-11T20:05:45.500+00:00"
        );
        assert!(
            error_of(
                "secretsmanager/eu-west-1/list-secrets.json",
                r#"{"SecretList": [{"ARN": "x", "Name": "a", "CreatedDate": "yesterday"}]}"#
            )
            .contains("`yesterday` is not an RFC 3339 date and time")
        );
    }

    #[test]
    fn s3_not_configured_answers_count_only_in_their_own_call() {
        let dir = tempfile::tempdir().unwrap();
        let error = |code: &str| format!(r#"{{"Error":{{"Code":"{code}","Message":"m"}}}}"#);
        write(
            dir.path(),
            "s3/global/get-bucket-encryption/shop.json",
            &error("ServerSideEncryptionConfigurationNotFoundError"),
        );
        write(
            dir.path(),
            "s3/global/get-bucket-policy/shop.json",
            &error("NoSuchBucketPolicy"),
        );
        write(
            dir.path(),
            "s3/global/get-object-lock-configuration/shop.json",
            &error("ObjectLockConfigurationNotFoundError"),
        );
        write(
            dir.path(),
            "s3control/global/get-public-access-block.json",
            &error("NoSuchPublicAccessBlockConfiguration"),
        );
        // The code of another call is a failure, not an answer.
        write(
            dir.path(),
            "s3/global/get-public-access-block/shop.json",
            &error("NoSuchBucketPolicy"),
        );
        write(
            dir.path(),
            "s3/global/get-bucket-acl/shop.json",
            &error("AccessDenied"),
        );
        write(
            dir.path(),
            "s3/global/get-bucket-versioning/shop.json",
            "{}\n",
        );
        write(
            dir.path(),
            "s3/global/get-bucket-location/shop.json",
            r#"{"LocationConstraint": null}"#,
        );
        let folder = read_evidence_folder(dir.path()).unwrap();
        let s3 = &folder.account.s3;
        assert!(s3.encryption["shop"].is_not_configured());
        assert!(s3.policies["shop"].is_not_configured());
        assert!(s3.object_lock["shop"].is_not_configured());
        assert!(s3.account_public_access_block.is_not_configured());
        assert!(matches!(
            s3.public_access_block["shop"],
            Collected::Failed { ref code, .. } if code == "NoSuchBucketPolicy"
        ));
        assert!(matches!(s3.acls["shop"], Collected::Failed { .. }));
        assert!(!s3.versioning["shop"].present().unwrap().is_enabled());
        assert_eq!(s3.region_of("shop").as_deref(), Some("us-east-1"));
        assert!(folder.unused_files.is_empty(), "{:?}", folder.unused_files);
    }

    #[test]
    fn an_unset_answer_does_not_take_another_calls_output() {
        assert_eq!(
            error_of(
                "s3/global/get-bucket-versioning/shop.json",
                r#"{"Policy": "{}"}"#
            ),
            "s3/global/get-bucket-versioning/shop.json:1:1: not the output of `aws s3 get-bucket-versioning`, which prints only `Status`, `MFADelete` (or `{}` when unset); found `Policy`"
        );
        assert!(
            error_of("s3/global/get-bucket-logging/shop.json", r#"{"Vpcs": []}"#)
                .contains("holds the output of ec2 describe-vpcs")
                || error_of("s3/global/get-bucket-logging/shop.json", r#"{"Vpcs": []}"#)
                    .contains("found `Vpcs`")
        );
    }

    #[test]
    fn a_missing_folder_is_said_once() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nowhere");
        assert_eq!(
            read_evidence_folder(&missing).unwrap_err().to_string(),
            format!("{}: no such file or folder", missing.display())
        );
    }

    #[test]
    fn a_file_that_is_not_utf8_names_the_byte() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ec2/eu-west-1/describe-vpcs.json");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b"{\"Vpcs\": [\"\xe9\"]}").unwrap();
        let error = read_evidence_folder(dir.path()).unwrap_err().to_string();
        assert!(
            error.ends_with("describe-vpcs.json:1:12: not UTF-8 text: byte 0xe9 at byte offset 11 cannot start or continue a UTF-8 character (the AWS CLI writes UTF-8)"),
            "{error}"
        );
    }

    #[test]
    fn a_security_hub_that_is_not_enabled_is_an_answer() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "securityhub/eu-west-1/describe-hub.json",
            r#"{"Error":{"Code":"InvalidAccessException","Message":"Account 111122223333 is not subscribed to AWS Security Hub"}}"#,
        );
        write(
            dir.path(),
            "securityhub/us-east-1/describe-hub.json",
            r#"{"Error":{"Code":"AccessDeniedException","Message":"not authorized"}}"#,
        );
        write(
            dir.path(),
            "cloudtrail/eu-west-1/get-trail-status/main.json",
            r#"{"IsLogging": true, "StartLoggingTime": "2026-01-01T00:00:00+00:00"}"#,
        );
        let folder = read_evidence_folder(dir.path()).unwrap();
        let regions = &folder.account.regions;
        assert!(regions["eu-west-1"].securityhub.hub.is_not_configured());
        assert!(matches!(
            regions["us-east-1"].securityhub.hub,
            Collected::Failed { ref code, .. } if code == "AccessDeniedException"
        ));
        let status = regions["eu-west-1"].cloudtrail.trail_status["main"]
            .present()
            .unwrap();
        assert_eq!(status.is_logging, Some(true));
        assert!(folder.unused_files.is_empty());
    }
}
