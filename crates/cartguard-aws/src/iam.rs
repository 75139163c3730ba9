//! IAM: authorization details, the credential report, account settings and
//! each user's access keys.

use std::time::Duration;

use aws_sdk_iam::types::{
    AttachedPermissionsBoundary, AttachedPolicy as SdkAttachedPolicy, PolicyDetail, ReportStateType,
};
use cartguard_inventory::iam::{
    AccessKeyMetadata, AttachedPolicy, AuthorizationDetails, CredentialReport,
    GET_ACCOUNT_AUTHORIZATION_DETAILS, GET_ACCOUNT_PASSWORD_POLICY, GET_ACCOUNT_SUMMARY,
    GET_CREDENTIAL_REPORT, GroupDetail, IamEvidence, InlinePolicy, InstanceProfile,
    LIST_ACCESS_KEYS, LIST_OPEN_ID_CONNECT_PROVIDERS, LIST_VIRTUAL_MFA_DEVICES,
    ManagedPolicyDetail, MfaDeviceUser, OidcProviderRef, PasswordPolicy, PermissionsBoundary,
    PolicyVersion, RoleDetail, RoleLastUsed, UserDetail, VirtualMfaDevice,
};
use cartguard_inventory::{Collected, PolicyDocument, Tag};

use crate::config::Clients;
use crate::scope::{Scope, all_pages};
use crate::time::opt;

/// How long to wait for IAM to build the credential report.
const REPORT_WAIT: Duration = Duration::from_secs(60);

/// Collects the account's IAM evidence.
pub(crate) async fn collect(clients: &Clients, scope: Scope) -> IamEvidence {
    let iam = &clients.iam;
    let details = all_pages!(
        scope,
        &GET_ACCOUNT_AUTHORIZATION_DETAILS,
        iam.get_account_authorization_details()
    );
    let summary = scope.call(&GET_ACCOUNT_SUMMARY, async {
        iam.get_account_summary().send().await
    });
    let password = scope.call(&GET_ACCOUNT_PASSWORD_POLICY, async {
        iam.get_account_password_policy().send().await
    });
    let mfa = scope.call(&LIST_VIRTUAL_MFA_DEVICES, async {
        iam.list_virtual_mfa_devices()
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
    });
    let oidc = scope.call(&LIST_OPEN_ID_CONNECT_PROVIDERS, async {
        iam.list_open_id_connect_providers().send().await
    });
    let report = credential_report(clients, &scope);
    let keys = access_keys(clients, &scope);
    let (details, summary, password, mfa, oidc, credential_report, access_keys) =
        tokio::join!(details, summary, password, mfa, oidc, report, keys);
    scope.done();
    IamEvidence {
        authorization_details: details
            .into_present()
            .map(authorization_details)
            .unwrap_or_else(|absent| absent),
        credential_report,
        account_summary: summary.map(|s| {
            s.summary_map
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k.as_str().to_string(), i64::from(v)))
                .collect()
        }),
        password_policy: password.map(|p| password_policy(p.password_policy)),
        virtual_mfa_devices: mfa.map(|devices| {
            devices
                .into_iter()
                .map(|d| VirtualMfaDevice {
                    serial_number: d.serial_number,
                    user: d.user.map(|u| MfaDeviceUser {
                        user_name: Some(u.user_name),
                        arn: u.arn,
                    }),
                    enable_date: opt(d.enable_date.as_ref()),
                })
                .collect()
        }),
        oidc_providers: oidc.map(|o| {
            o.open_id_connect_provider_list
                .unwrap_or_default()
                .into_iter()
                .filter_map(|p| p.arn.map(|arn| OidcProviderRef { arn }))
                .collect()
        }),
        access_keys,
    }
}

/// Asks IAM to build the credential report, waits until it is complete, and
/// reads it. If the request is refused, an earlier report may still be there,
/// so it is read anyway.
async fn credential_report(clients: &Clients, scope: &Scope) -> Collected<CredentialReport> {
    let iam = &clients.iam;
    let deadline = tokio::time::Instant::now() + REPORT_WAIT;
    loop {
        match iam.generate_credential_report().send().await {
            Ok(answer) if answer.state != Some(ReportStateType::Complete) => {
                if tokio::time::Instant::now() >= deadline {
                    break;
                }
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
            _ => break,
        }
    }
    let report = scope
        .call(&GET_CREDENTIAL_REPORT, async {
            iam.get_credential_report().send().await
        })
        .await;
    match report.into_present() {
        Ok(report) => {
            let generated = opt(report.generated_time.as_ref());
            let content = report.content.map(|c| c.into_inner()).unwrap_or_default();
            let parsed = String::from_utf8(content)
                .map_err(|e| format!("the report is not UTF-8 text: {e}"))
                .and_then(|text| {
                    cartguard_evidence::parse_credential_report_csv(&text, generated)
                        .map_err(|(line, message)| format!("line {line}: {message}"))
                });
            match parsed {
                Ok(report) => Collected::Present(report),
                Err(message) => Collected::Failed {
                    code: "UnreadableCredentialReport".to_string(),
                    message,
                },
            }
        }
        Err(absent) => absent,
    }
}

/// Each user's access keys (`iam:ListAccessKeys`), keyed by user name.
async fn access_keys(
    clients: &Clients,
    scope: &Scope,
) -> std::collections::BTreeMap<String, Collected<Vec<AccessKeyMetadata>>> {
    let iam = &clients.iam;
    let users = iam
        .list_users()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await;
    // Without the user list there is no user to ask about: the per-user
    // evidence stays not collected, which the rules that need it report.
    let Ok(users) = users else {
        return Default::default();
    };
    let names = users.into_iter().map(|u| u.user_name).collect();
    scope
        .each(&LIST_ACCESS_KEYS, names, |user| async move {
            iam.list_access_keys()
                .user_name(user)
                .into_paginator()
                .items()
                .send()
                .try_collect()
                .await
        })
        .await
        .into_iter()
        .map(|(user, keys)| {
            let keys = keys.map(|keys| {
                keys.into_iter()
                    .filter_map(|k| {
                        Some(AccessKeyMetadata {
                            user_name: k.user_name,
                            access_key_id: k.access_key_id?,
                            status: k.status.map(|s| s.as_str().to_string())?,
                            create_date: opt(k.create_date.as_ref()),
                        })
                    })
                    .collect()
            });
            (user, keys)
        })
        .collect()
}

fn password_policy(policy: Option<aws_sdk_iam::types::PasswordPolicy>) -> PasswordPolicy {
    let Some(p) = policy else {
        return PasswordPolicy::default();
    };
    PasswordPolicy {
        minimum_password_length: p.minimum_password_length.map(i64::from),
        require_symbols: Some(p.require_symbols),
        require_numbers: Some(p.require_numbers),
        require_uppercase_characters: Some(p.require_uppercase_characters),
        require_lowercase_characters: Some(p.require_lowercase_characters),
        allow_users_to_change_password: Some(p.allow_users_to_change_password),
        expire_passwords: Some(p.expire_passwords),
        max_password_age: p.max_password_age.map(i64::from),
        password_reuse_prevention: p.password_reuse_prevention.map(i64::from),
        hard_expiry: p.hard_expiry,
    }
}

/// The pages of `get-account-authorization-details`, joined, or why a
/// document in them cannot be read.
fn authorization_details(
    pages: Vec<aws_sdk_iam::operation::get_account_authorization_details::GetAccountAuthorizationDetailsOutput>,
) -> Collected<AuthorizationDetails> {
    let mut out = AuthorizationDetails::default();
    let result: Result<(), String> = pages.into_iter().try_for_each(|page| {
        for u in page.user_detail_list.unwrap_or_default() {
            out.user_detail_list.push(UserDetail {
                path: u.path,
                user_name: u.user_name.unwrap_or_default(),
                user_id: u.user_id,
                arn: u.arn.unwrap_or_default(),
                create_date: opt(u.create_date.as_ref()),
                user_policy_list: inline(u.user_policy_list)?,
                group_list: u.group_list.unwrap_or_default(),
                attached_managed_policies: attached(u.attached_managed_policies),
                permissions_boundary: boundary(u.permissions_boundary),
                tags: tags(u.tags),
            });
        }
        for g in page.group_detail_list.unwrap_or_default() {
            out.group_detail_list.push(GroupDetail {
                path: g.path,
                group_name: g.group_name.unwrap_or_default(),
                group_id: g.group_id,
                arn: g.arn.unwrap_or_default(),
                create_date: opt(g.create_date.as_ref()),
                group_policy_list: inline(g.group_policy_list)?,
                attached_managed_policies: attached(g.attached_managed_policies),
            });
        }
        for r in page.role_detail_list.unwrap_or_default() {
            let trust = match r.assume_role_policy_document {
                Some(text) => Some(document(&text, || {
                    format!(
                        "the trust policy of {}",
                        r.arn.as_deref().unwrap_or("a role")
                    )
                })?),
                None => None,
            };
            out.role_detail_list.push(RoleDetail {
                path: r.path,
                role_name: r.role_name.unwrap_or_default(),
                role_id: r.role_id,
                arn: r.arn.unwrap_or_default(),
                create_date: opt(r.create_date.as_ref()),
                assume_role_policy_document: trust,
                instance_profile_list: r
                    .instance_profile_list
                    .unwrap_or_default()
                    .into_iter()
                    .map(|p| InstanceProfile {
                        instance_profile_name: p.instance_profile_name,
                        instance_profile_id: Some(p.instance_profile_id),
                        arn: p.arn,
                    })
                    .collect(),
                role_policy_list: inline(r.role_policy_list)?,
                attached_managed_policies: attached(r.attached_managed_policies),
                permissions_boundary: boundary(r.permissions_boundary),
                tags: tags(r.tags),
                role_last_used: r.role_last_used.map(|u| RoleLastUsed {
                    last_used_date: opt(u.last_used_date.as_ref()),
                    region: u.region,
                }),
            });
        }
        for p in page.policies.unwrap_or_default() {
            let arn = p.arn.unwrap_or_default();
            let mut versions = Vec::new();
            for v in p.policy_version_list.unwrap_or_default() {
                let document = match v.document {
                    Some(text) => Some(document(&text, || {
                        format!(
                            "version {} of {arn}",
                            v.version_id.as_deref().unwrap_or("?")
                        )
                    })?),
                    None => None,
                };
                versions.push(PolicyVersion {
                    document,
                    version_id: v.version_id,
                    is_default_version: v.is_default_version,
                    create_date: opt(v.create_date.as_ref()),
                });
            }
            out.policies.push(ManagedPolicyDetail {
                policy_name: p.policy_name.unwrap_or_default(),
                policy_id: p.policy_id,
                arn,
                path: p.path,
                default_version_id: p.default_version_id,
                attachment_count: p.attachment_count.map(i64::from),
                permissions_boundary_usage_count: p.permissions_boundary_usage_count.map(i64::from),
                policy_version_list: versions,
            });
        }
        Ok(())
    });
    match result {
        Ok(()) => Collected::Present(out),
        Err(message) => Collected::Failed {
            code: "MalformedPolicyDocument".to_string(),
            message,
        },
    }
}

/// A policy document as IAM sends it (URL-encoded JSON).
fn document(text: &str, what: impl FnOnce() -> String) -> Result<PolicyDocument, String> {
    PolicyDocument::from_text(text).map_err(|e| format!("{}: {e}", what()))
}

fn inline(policies: Option<Vec<PolicyDetail>>) -> Result<Vec<InlinePolicy>, String> {
    policies
        .unwrap_or_default()
        .into_iter()
        .map(|p| {
            let name = p.policy_name.unwrap_or_default();
            let text = p.policy_document.unwrap_or_default();
            Ok(InlinePolicy {
                policy_document: document(&text, || format!("the inline policy {name}"))?,
                policy_name: name,
            })
        })
        .collect()
}

fn attached(policies: Option<Vec<SdkAttachedPolicy>>) -> Vec<AttachedPolicy> {
    policies
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| {
            Some(AttachedPolicy {
                policy_name: p.policy_name.unwrap_or_default(),
                policy_arn: p.policy_arn?,
            })
        })
        .collect()
}

fn boundary(boundary: Option<AttachedPermissionsBoundary>) -> Option<PermissionsBoundary> {
    let b = boundary?;
    Some(PermissionsBoundary {
        permissions_boundary_type: b.permissions_boundary_type.map(|t| t.as_str().to_string()),
        permissions_boundary_arn: b.permissions_boundary_arn?,
    })
}

fn tags(tags: Option<Vec<aws_sdk_iam::types::Tag>>) -> Vec<Tag> {
    tags.unwrap_or_default()
        .into_iter()
        .map(|t| Tag {
            key: t.key,
            value: t.value,
        })
        .collect()
}
