//! The account's AWS Organizations evidence: its organization, the
//! organization's accounts, and the service control and resource control
//! policies that apply.

use std::collections::BTreeMap;

use cartguard_inventory::organizations::{
    DESCRIBE_ORGANIZATION, DESCRIBE_POLICY, LIST_ACCOUNTS, LIST_PARENTS, LIST_POLICIES_FOR_TARGET,
    LIST_RESOURCE_CONTROL_POLICIES_FOR_TARGET, Organization, OrganizationAccount,
    OrganizationsEvidence, ScpLevel, ServiceControlPolicy,
};
use cartguard_inventory::{Collected, GLOBAL, PolicyDocument};

use super::{part, response};
use crate::EvidenceError;
use crate::folder::Reader;
use crate::layout::file_of;

response!(OrganizationResponse { organization: "Organization" => Organization });
response!(AccountsResponse { accounts: "Accounts" => Vec<OrganizationAccount> });
response!(ParentsResponse { parents: "Parents" => Vec<Parent> });
part!(Parent { id: "Id" => String, parent_type: "Type" => String });
response!(TargetPoliciesResponse { policies: "Policies" => Vec<PolicySummary> });
part!(PolicySummary {
    id: "Id" => String,
    name: "Name" => String,
    arn: "Arn" => Option<String>,
    policy_type: "Type" => Option<String>,
});
response!(DescribePolicyResponse { policy: "Policy" => DescribedPolicy });
part!(DescribedPolicy { content: "Content" => Option<String> });

/// The folder of every Organizations file.
fn organizations_folder() -> String {
    let (service, _) = crate::layout::cli_command(&DESCRIBE_ORGANIZATION).unwrap_or_default();
    format!("{service}/{GLOBAL}/")
}

/// How many levels an organization has at most (root, five OUs, the account).
const MAX_ORGANIZATION_DEPTH: usize = 7;

/// The organization the account is in, its accounts, and the SCPs that apply
/// to the account.
pub(crate) fn read(
    reader: &mut Reader,
    account_id: &str,
    out: &mut OrganizationsEvidence,
) -> Result<(), EvidenceError> {
    let organization = reader.load(
        &DESCRIBE_ORGANIZATION.global(),
        |r: OrganizationResponse| r.organization,
    )?;
    let organization = match organization {
        Collected::Present(organization) => Collected::Present(organization),
        Collected::Failed { code, .. } if code == "AWSOrganizationsNotInUseException" => {
            Collected::NotConfigured { code }
        }
        other => other.map(|_| Organization::default()),
    };
    let accounts_key = LIST_ACCOUNTS.global();
    out.accounts = match &organization {
        Collected::NotConfigured { code } => {
            reader.take(&file_of(&accounts_key).unwrap_or_default());
            Collected::NotConfigured { code: code.clone() }
        }
        _ => reader.load(&accounts_key, |r: AccountsResponse| r.accounts)?,
    };
    match parent_chain(reader, account_id, &organization)? {
        Collected::Present(chain) => {
            out.service_control_policies = read_levels(
                reader,
                &chain,
                &LIST_POLICIES_FOR_TARGET,
                "SERVICE_CONTROL_POLICY",
            )?;
            out.resource_control_policies = read_levels(
                reader,
                &chain,
                &LIST_RESOURCE_CONTROL_POLICIES_FOR_TARGET,
                "RESOURCE_CONTROL_POLICY",
            )?;
        }
        absent => {
            out.service_control_policies = absent.clone().map(|_| Vec::new());
            out.resource_control_policies = absent.map(|_| Vec::new());
        }
    }
    out.organization = organization;
    Ok(())
}

/// The account's chain of nodes, root first (`list-parents`). SCPs and RCPs
/// never apply to the management account (nor to its resources), nor outside
/// an organization: the chain is then not configured.
fn parent_chain(
    reader: &mut Reader,
    account_id: &str,
    organization: &Collected<Organization>,
) -> Result<Collected<Vec<String>>, EvidenceError> {
    let exempt = match organization {
        Collected::Present(o) if o.master_account_id.as_deref() == Some(account_id) => {
            Some("ManagementAccount".to_string())
        }
        Collected::NotConfigured { code } => Some(code.clone()),
        _ => None,
    };
    if let Some(code) = exempt {
        // The rest of the organization's files were collected but cannot apply.
        reader.take_all(&organizations_folder());
        return Ok(Collected::NotConfigured { code });
    }
    let mut chain = vec![account_id.to_string()];
    for _ in 0..MAX_ORGANIZATION_DEPTH {
        let Some(current) = chain.last().cloned() else {
            break;
        };
        let parents = reader.load(
            &LIST_PARENTS.about(GLOBAL, &current),
            |r: ParentsResponse| r.parents,
        )?;
        let parents = match parents.into_present() {
            Ok(parents) => parents,
            Err(absent) => return Ok(absent),
        };
        match parents.first() {
            Some(parent) => {
                chain.push(parent.id.clone());
                if parent.parent_type == "ROOT" {
                    break;
                }
            }
            None => break,
        }
    }
    chain.reverse();
    Ok(Collected::Present(chain))
}

/// The policies of type `policy_type` attached at each node of `chain`
/// (`list-policies-for-target`, answered under `operation`) with their
/// documents (`describe-policy`).
fn read_levels(
    reader: &mut Reader,
    chain: &[String],
    operation: &cartguard_inventory::Operation,
    policy_type: &str,
) -> Result<Collected<Vec<ScpLevel>>, EvidenceError> {
    // A policy attached at several levels (FullAWSAccess usually is) is read once.
    let mut documents: BTreeMap<String, PolicyDocument> = BTreeMap::new();
    let mut levels = Vec::new();
    for target in chain {
        let attached = reader.load(
            &operation.about(GLOBAL, target),
            |r: TargetPoliciesResponse| r.policies,
        )?;
        let attached = match attached.into_present() {
            Ok(attached) => attached,
            Err(absent) => return Ok(absent),
        };
        let mut policies = Vec::new();
        for summary in attached
            .into_iter()
            .filter(|p| p.policy_type.as_deref().is_none_or(|t| t == policy_type))
        {
            if let Some(document) = documents.get(&summary.id) {
                let document = document.clone();
                policies.push(ServiceControlPolicy {
                    id: summary.id,
                    name: summary.name,
                    arn: summary.arn,
                    document,
                });
                continue;
            }
            let key = DESCRIBE_POLICY.about(GLOBAL, &summary.id);
            let content = reader.load(&key, |r: DescribePolicyResponse| r.policy.content)?;
            let content = match content.into_present() {
                Ok(Some(content)) => content,
                Ok(None) => String::new(),
                Err(absent) => return Ok(absent),
            };
            let document = PolicyDocument::from_text(&content).map_err(|message| {
                EvidenceError::Malformed {
                    path: reader.path_of(&key),
                    line: 1,
                    column: 1,
                    json_path: Some("Policy.Content".into()),
                    message,
                }
            })?;
            documents.insert(summary.id.clone(), document.clone());
            policies.push(ServiceControlPolicy {
                id: summary.id,
                name: summary.name,
                arn: summary.arn,
                document,
            });
        }
        levels.push(ScpLevel {
            target_id: target.clone(),
            policies,
        });
    }
    Ok(Collected::Present(levels))
}
