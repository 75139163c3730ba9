//! The account's IAM evidence.

use std::collections::BTreeMap;

use base64::Engine;
use cartguard_inventory::iam::{
    AccessKeyMetadata, AuthorizationDetails, CredentialReport, GET_ACCOUNT_AUTHORIZATION_DETAILS,
    GET_ACCOUNT_PASSWORD_POLICY, GET_ACCOUNT_SUMMARY, GET_CREDENTIAL_REPORT, GroupDetail,
    IamEvidence, LIST_ACCESS_KEYS, LIST_OPEN_ID_CONNECT_PROVIDERS, LIST_VIRTUAL_MFA_DEVICES,
    ManagedPolicyDetail, OidcProviderRef, PasswordPolicy, RoleDetail, UserDetail, VirtualMfaDevice,
};
use cartguard_inventory::{Collected, GLOBAL, Timestamp};

use super::response;
use crate::EvidenceError;
use crate::credential_report::parse_credential_report_csv;
use crate::folder::Reader;

response!(SummaryResponse { summary_map: "SummaryMap" => BTreeMap<String, i64> });
response!(PasswordPolicyResponse { password_policy: "PasswordPolicy" => PasswordPolicy });
response!(VirtualMfaResponse { devices: "VirtualMFADevices" => Vec<VirtualMfaDevice> });
response!(OidcResponse { providers: "OpenIDConnectProviderList" => Vec<OidcProviderRef> });
response!(AccessKeysResponse { keys: "AccessKeyMetadata" => Vec<AccessKeyMetadata> });
response!(CredentialReportResponse {
    content: "Content" => String,
} optional {
    generated_time: "GeneratedTime" => Timestamp,
});
response!(AuthorizationDetailsResponse {
    users: "UserDetailList" => Vec<UserDetail>,
    groups: "GroupDetailList" => Vec<GroupDetail>,
    roles: "RoleDetailList" => Vec<RoleDetail>,
    policies: "Policies" => Vec<ManagedPolicyDetail>,
});

/// The decoded form of the credential report, accepted beside the CLI's JSON.
const CREDENTIAL_REPORT_CSV: &str = "iam/global/credential-report.csv";

/// Reads the account's IAM evidence.
pub(crate) fn read(reader: &mut Reader, iam: &mut IamEvidence) -> Result<(), EvidenceError> {
    iam.authorization_details = reader.load(
        &GET_ACCOUNT_AUTHORIZATION_DETAILS.global(),
        |r: AuthorizationDetailsResponse| AuthorizationDetails {
            user_detail_list: r.users,
            group_detail_list: r.groups,
            role_detail_list: r.roles,
            policies: r.policies,
        },
    )?;
    iam.credential_report = read_credential_report(reader)?;
    iam.account_summary = reader.load(&GET_ACCOUNT_SUMMARY.global(), |r: SummaryResponse| {
        r.summary_map
    })?;
    iam.password_policy = reader.load(
        &GET_ACCOUNT_PASSWORD_POLICY.global(),
        |r: PasswordPolicyResponse| r.password_policy,
    )?;
    iam.virtual_mfa_devices = reader.load(
        &LIST_VIRTUAL_MFA_DEVICES.global(),
        |r: VirtualMfaResponse| r.devices,
    )?;
    iam.oidc_providers = reader.load(
        &LIST_OPEN_ID_CONNECT_PROVIDERS.global(),
        |r: OidcResponse| r.providers,
    )?;
    iam.access_keys = reader.load_each(LIST_ACCESS_KEYS, GLOBAL, |r: AccessKeysResponse| r.keys)?;
    Ok(())
}

/// The credential report, from the decoded CSV or the CLI's JSON (base64 `Content`).
fn read_credential_report(
    reader: &mut Reader,
) -> Result<Collected<CredentialReport>, EvidenceError> {
    if let Some(text) = reader.take(CREDENTIAL_REPORT_CSV) {
        let path = reader.root.join(CREDENTIAL_REPORT_CSV);
        return parse_credential_report_csv(&text, None)
            .map(Collected::Present)
            .map_err(|(line, message)| EvidenceError::CredentialReport {
                path,
                line,
                message,
            });
    }
    let key = GET_CREDENTIAL_REPORT.global();
    let response = match reader
        .load(&key, |r: CredentialReportResponse| r)?
        .into_present()
    {
        Ok(response) => response,
        Err(absent) => return Ok(absent),
    };
    let path = reader.path_of(&key);
    let malformed = |message: String| EvidenceError::Malformed {
        path: path.clone(),
        line: 1,
        column: 1,
        json_path: Some("Content".into()),
        message,
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(response.content.trim())
        .map_err(|e| malformed(format!("`Content` is not base64: {e}")))?;
    let csv_text = String::from_utf8(bytes)
        .map_err(|e| malformed(format!("`Content` does not decode to UTF-8 text: {e}")))?;
    parse_credential_report_csv(&csv_text, response.generated_time)
        .map(Collected::Present)
        .map_err(|(line, message)| EvidenceError::CredentialReport {
            path: path.clone(),
            line,
            message,
        })
}
