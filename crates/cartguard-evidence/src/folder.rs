//! The evidence folder: `<service>/<region|global>/<operation>.json`, and
//! `<service>/<region>/<operation>/<resource>.json` for per-resource calls.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use base64::Engine;
use cartguard_inventory::ec2::{
    Address, FlowLog, Instance, InternetGateway, ManagedPrefixList, NatGateway, NetworkAcl,
    NetworkInterface, RouteTable, SecurityGroup, Subnet, Vpc,
};
use cartguard_inventory::elbv2::{Listener, LoadBalancer, TargetGroup, TargetHealthDescription};
use cartguard_inventory::iam::{
    AccessKeyMetadata, AuthorizationDetails, CredentialReport, OidcProviderRef, Organization,
    OrganizationAccount, PasswordPolicy, ScpLevel, ServiceControlPolicy, VirtualMfaDevice,
};
use cartguard_inventory::rds::DbInstance;
use cartguard_inventory::s3::Bucket;
use cartguard_inventory::services::{Analyzer, IdentityCenterInstance, KmsKey, Secret};
use cartguard_inventory::{Account, Collected, PolicyDocument, Region, Timestamp};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::EvidenceError;
use crate::credential_report::parse_credential_report_csv;

/// Error codes that are AWS's way of saying "this is not configured".
const NOT_CONFIGURED_CODES: &[&str] = &[
    "NoSuchEntity",
    "ServerSideEncryptionConfigurationNotFoundError",
    "NoSuchBucketPolicy",
    "NoSuchPublicAccessBlockConfiguration",
];

/// Services whose evidence lives per region.
const REGIONAL_SERVICES: &[&str] = &[
    "ec2",
    "rds",
    "elbv2",
    "accessanalyzer",
    "sso-admin",
    "secretsmanager",
    "dynamodb",
    "kms",
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
    read_iam(&mut reader, &mut account)?;
    account.s3.buckets = reader.load("s3/global/list-buckets.json", |r: BucketsResponse| {
        r.buckets
    })?;
    for region in reader.regions() {
        let collected = read_region(&mut reader, &region)?;
        account.regions.insert(region, collected);
    }
    account.id = account_id(&mut reader, &account)?;
    read_organization(&mut reader, &mut account)?;
    let unused_files = reader.files.keys().map(|f| root.join(f)).collect();
    Ok(EvidenceFolder {
        account,
        unused_files,
    })
}

struct Reader {
    root: PathBuf,
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
                (REGIONAL_SERVICES.contains(&service)
                    && region != "global"
                    && parts.next().is_some())
                .then(|| region.to_string())
            })
            .collect()
    }

    /// Reads `<rel>` as an AWS CLI response and extracts the evidence from it.
    fn load<R: DeserializeOwned, T>(
        &mut self,
        rel: &str,
        extract: impl FnOnce(R) -> T,
    ) -> Result<Collected<T>, EvidenceError> {
        let text = self.take(rel);
        decode(&self.root, rel, text, extract)
    }

    /// Reads every `<dir>/<resource>.json`, keyed by resource name.
    fn load_each<R: DeserializeOwned, T>(
        &mut self,
        dir: &str,
        extract: impl Fn(R) -> T,
    ) -> Result<BTreeMap<String, Collected<T>>, EvidenceError> {
        let prefix = format!("{dir}/");
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
            let collected = self.load(&format!("{prefix}{name}.json"), &extract)?;
            out.insert(name, collected);
        }
        Ok(out)
    }

    /// The content of a file, which from then on counts as used.
    fn take(&mut self, rel: &str) -> Option<String> {
        self.files.remove(rel)
    }

    /// Marks every file below `prefix` as used without reading it.
    fn take_all(&mut self, prefix: &str) {
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
fn decode<R: DeserializeOwned, T>(
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

macro_rules! response {
    ($name:ident { $($field:ident : $json:literal => $ty:ty),+ $(,)? }) => {
        #[derive(Deserialize)]
        struct $name {
            $(#[serde(rename = $json, default)] $field: $ty,)+
        }
    };
}

response!(CallerIdentity { account: "Account" => Option<String> });
response!(SummaryResponse { summary_map: "SummaryMap" => BTreeMap<String, i64> });
response!(PasswordPolicyResponse { password_policy: "PasswordPolicy" => PasswordPolicy });
response!(VirtualMfaResponse { devices: "VirtualMFADevices" => Vec<VirtualMfaDevice> });
response!(OidcResponse { providers: "OpenIDConnectProviderList" => Vec<OidcProviderRef> });
response!(AccessKeysResponse { keys: "AccessKeyMetadata" => Vec<AccessKeyMetadata> });
response!(CredentialReportResponse {
    content: "Content" => Option<String>,
    generated_time: "GeneratedTime" => Option<Timestamp>,
});
response!(OrganizationResponse { organization: "Organization" => Option<Organization> });
response!(AccountsResponse { accounts: "Accounts" => Vec<OrganizationAccount> });
response!(BucketsResponse { buckets: "Buckets" => Vec<Bucket> });
response!(ParentsResponse { parents: "Parents" => Vec<Parent> });
response!(Parent { id: "Id" => String, parent_type: "Type" => String });
response!(TargetPoliciesResponse { policies: "Policies" => Vec<PolicySummary> });
response!(PolicySummary {
    id: "Id" => String,
    name: "Name" => String,
    arn: "Arn" => Option<String>,
    policy_type: "Type" => Option<String>,
});
response!(DescribePolicyResponse { policy: "Policy" => Option<DescribedPolicy> });
response!(DescribedPolicy { content: "Content" => Option<String> });
response!(AnalyzersResponse { analyzers: "analyzers" => Vec<Analyzer> });
response!(SecretsResponse { secrets: "SecretList" => Vec<Secret> });
response!(TablesResponse { tables: "TableNames" => Vec<String> });
response!(KeysResponse { keys: "Keys" => Vec<KmsKey> });
response!(KeyPolicyResponse { policy: "Policy" => Option<String> });
response!(SsoInstancesResponse { instances: "Instances" => Vec<IdentityCenterInstance> });
response!(VpcsResponse { vpcs: "Vpcs" => Vec<Vpc> });
response!(SubnetsResponse { subnets: "Subnets" => Vec<Subnet> });
response!(RouteTablesResponse { tables: "RouteTables" => Vec<RouteTable> });
response!(InternetGatewaysResponse { gateways: "InternetGateways" => Vec<InternetGateway> });
response!(NatGatewaysResponse { gateways: "NatGateways" => Vec<NatGateway> });
response!(NetworkAclsResponse { acls: "NetworkAcls" => Vec<NetworkAcl> });
response!(SecurityGroupsResponse { groups: "SecurityGroups" => Vec<SecurityGroup> });
response!(InstancesResponse { reservations: "Reservations" => Vec<Reservation> });
response!(Reservation { instances: "Instances" => Vec<Instance> });
response!(InterfacesResponse { interfaces: "NetworkInterfaces" => Vec<NetworkInterface> });
response!(AddressesResponse { addresses: "Addresses" => Vec<Address> });
response!(FlowLogsResponse { flow_logs: "FlowLogs" => Vec<FlowLog> });
response!(PrefixListsResponse { lists: "PrefixLists" => Vec<ManagedPrefixList> });
response!(PrefixListEntriesResponse { entries: "Entries" => Vec<PrefixListEntry> });
response!(PrefixListEntry { cidr: "Cidr" => String });
response!(DbInstancesResponse { instances: "DBInstances" => Vec<DbInstance> });
response!(LoadBalancersResponse { balancers: "LoadBalancers" => Vec<LoadBalancer> });
response!(ListenersResponse { listeners: "Listeners" => Vec<Listener> });
response!(TargetGroupsResponse { groups: "TargetGroups" => Vec<TargetGroup> });
response!(TargetHealthResponse { targets: "TargetHealthDescriptions" => Vec<TargetHealthDescription> });

fn read_iam(reader: &mut Reader, account: &mut Account) -> Result<(), EvidenceError> {
    let iam = &mut account.iam;
    iam.authorization_details = reader.load(
        "iam/global/get-account-authorization-details.json",
        |r: AuthorizationDetails| r,
    )?;
    iam.credential_report = read_credential_report(reader)?;
    iam.account_summary = reader.load(
        "iam/global/get-account-summary.json",
        |r: SummaryResponse| r.summary_map,
    )?;
    iam.password_policy = reader.load(
        "iam/global/get-account-password-policy.json",
        |r: PasswordPolicyResponse| r.password_policy,
    )?;
    iam.virtual_mfa_devices = reader.load(
        "iam/global/list-virtual-mfa-devices.json",
        |r: VirtualMfaResponse| r.devices,
    )?;
    iam.oidc_providers = reader.load(
        "iam/global/list-open-id-connect-providers.json",
        |r: OidcResponse| r.providers,
    )?;
    iam.access_keys = reader
        .load_each("iam/global/list-access-keys", |r: AccessKeysResponse| {
            r.keys
        })?;
    Ok(())
}

fn read_credential_report(
    reader: &mut Reader,
) -> Result<Collected<CredentialReport>, EvidenceError> {
    const JSON: &str = "iam/global/get-credential-report.json";
    const CSV: &str = "iam/global/credential-report.csv";
    if let Some(text) = reader.take(CSV) {
        let path = reader.root.join(CSV);
        return parse_credential_report_csv(&text, None)
            .map(Collected::Present)
            .map_err(|(line, message)| EvidenceError::CredentialReport {
                path,
                line,
                message,
            });
    }
    let response = match reader
        .load(JSON, |r: CredentialReportResponse| r)?
        .into_present()
    {
        Ok(response) => response,
        Err(absent) => return Ok(absent),
    };
    let path = reader.root.join(JSON);
    let malformed = |message: String| EvidenceError::Malformed {
        path: path.clone(),
        line: 1,
        column: 1,
        json_path: Some("Content".into()),
        message,
    };
    let content = response
        .content
        .ok_or_else(|| malformed("the credential report has no `Content`".into()))?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(content.trim())
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

fn read_region(reader: &mut Reader, region: &str) -> Result<Region, EvidenceError> {
    let ec2 = |op: &str| format!("ec2/{region}/{op}.json");
    let mut out = Region::default();
    let e = &mut out.ec2;
    e.vpcs = reader.load(&ec2("describe-vpcs"), |r: VpcsResponse| r.vpcs)?;
    e.subnets = reader.load(&ec2("describe-subnets"), |r: SubnetsResponse| r.subnets)?;
    e.route_tables = reader.load(&ec2("describe-route-tables"), |r: RouteTablesResponse| {
        r.tables
    })?;
    e.internet_gateways = reader.load(
        &ec2("describe-internet-gateways"),
        |r: InternetGatewaysResponse| r.gateways,
    )?;
    e.nat_gateways = reader.load(&ec2("describe-nat-gateways"), |r: NatGatewaysResponse| {
        r.gateways
    })?;
    e.network_acls = reader.load(&ec2("describe-network-acls"), |r: NetworkAclsResponse| {
        r.acls
    })?;
    // The three largest files of a region are parsed side by side.
    let groups_rel = ec2("describe-security-groups");
    let instances_rel = ec2("describe-instances");
    let interfaces_rel = ec2("describe-network-interfaces");
    let texts = (
        reader.take(&groups_rel),
        reader.take(&instances_rel),
        reader.take(&interfaces_rel),
    );
    let root = &reader.root;
    let (groups, (instances, interfaces)) = rayon::join(
        || {
            decode(root, &groups_rel, texts.0, |r: SecurityGroupsResponse| {
                r.groups
            })
        },
        || {
            rayon::join(
                || {
                    decode(root, &instances_rel, texts.1, |r: InstancesResponse| {
                        r.reservations
                            .into_iter()
                            .flat_map(|r| r.instances)
                            .collect()
                    })
                },
                || {
                    decode(root, &interfaces_rel, texts.2, |r: InterfacesResponse| {
                        r.interfaces
                    })
                },
            )
        },
    );
    // Errors are reported in reading order, whichever thread met them first.
    e.security_groups = groups?;
    e.instances = instances?;
    e.network_interfaces = interfaces?;
    e.addresses = reader.load(&ec2("describe-addresses"), |r: AddressesResponse| {
        r.addresses
    })?;
    e.flow_logs = reader.load(&ec2("describe-flow-logs"), |r: FlowLogsResponse| {
        r.flow_logs
    })?;
    let entries = reader.load_each(
        &format!("ec2/{region}/get-managed-prefix-list-entries"),
        |r: PrefixListEntriesResponse| r.entries.into_iter().map(|e| e.cidr).collect::<Vec<_>>(),
    )?;
    e.prefix_lists = reader.load(
        &ec2("describe-managed-prefix-lists"),
        |r: PrefixListsResponse| {
            r.lists
                .into_iter()
                .map(|mut list| {
                    if let Some(Collected::Present(cidrs)) = entries.get(&list.prefix_list_id) {
                        list.entries = cidrs.clone();
                    }
                    list
                })
                .collect()
        },
    )?;

    out.rds.db_instances = reader.load(
        &format!("rds/{region}/describe-db-instances.json"),
        |r: DbInstancesResponse| r.instances,
    )?;

    let elb = &mut out.elbv2;
    elb.load_balancers = reader.load(
        &format!("elbv2/{region}/describe-load-balancers.json"),
        |r: LoadBalancersResponse| r.balancers,
    )?;
    elb.listeners = reader.load_each(
        &format!("elbv2/{region}/describe-listeners"),
        |r: ListenersResponse| r.listeners,
    )?;
    elb.target_groups = reader.load(
        &format!("elbv2/{region}/describe-target-groups.json"),
        |r: TargetGroupsResponse| r.groups,
    )?;
    elb.target_health = reader.load_each(
        &format!("elbv2/{region}/describe-target-health"),
        |r: TargetHealthResponse| r.targets,
    )?;

    out.access_analyzers = reader.load(
        &format!("accessanalyzer/{region}/list-analyzers.json"),
        |r: AnalyzersResponse| r.analyzers,
    )?;
    out.identity_center_instances = reader.load(
        &format!("sso-admin/{region}/list-instances.json"),
        |r: SsoInstancesResponse| r.instances,
    )?;
    out.secrets = reader.load(
        &format!("secretsmanager/{region}/list-secrets.json"),
        |r: SecretsResponse| r.secrets,
    )?;
    out.dynamodb_tables = reader.load(
        &format!("dynamodb/{region}/list-tables.json"),
        |r: TablesResponse| r.tables,
    )?;
    out.kms_keys = reader.load(
        &format!("kms/{region}/list-keys.json"),
        |r: KeysResponse| r.keys,
    )?;
    let dir = format!("kms/{region}/get-key-policy");
    for (key, policy) in reader.load_each(&dir, |r: KeyPolicyResponse| r.policy)? {
        let document = match policy.into_present() {
            Ok(text) => {
                let text = text.unwrap_or_default();
                match PolicyDocument::from_text(&text) {
                    Ok(document) => Collected::Present(document),
                    Err(message) => {
                        return Err(EvidenceError::Malformed {
                            path: reader.root.join(format!("{dir}/{key}.json")),
                            line: 1,
                            column: 1,
                            json_path: Some("Policy".into()),
                            message,
                        });
                    }
                }
            }
            Err(absent) => absent,
        };
        out.kms_key_policies.insert(key, document);
    }
    Ok(out)
}

/// How many levels an organization has at most (root, five OUs, the account).
const MAX_ORGANIZATION_DEPTH: usize = 7;

/// The SCPs that apply to the account, root first: the account's chain of
/// parents (`organizations/global/list-parents/<id>.json`), the policies attached
/// at each level (`list-policies-for-target/<id>.json`) and their documents
/// (`describe-policy/<policy id>.json`). SCPs never apply to the management
/// account, nor outside an organization.
/// The organization the account is in, its accounts, and the SCPs that apply
/// to the account.
fn read_organization(reader: &mut Reader, account: &mut Account) -> Result<(), EvidenceError> {
    const ORG: &str = "organizations/global";
    let organization = reader.load(
        &format!("{ORG}/describe-organization.json"),
        |r: OrganizationResponse| r.organization,
    )?;
    let organization = match organization {
        Collected::Present(Some(organization)) => Collected::Present(organization),
        Collected::Present(None) => Collected::NotCollected,
        Collected::Failed { code, .. } if code == "AWSOrganizationsNotInUseException" => {
            Collected::NotConfigured { code }
        }
        other => other.map(|_| Organization::default()),
    };
    account.iam.organization_accounts = match &organization {
        Collected::NotConfigured { code } => {
            reader.take(&format!("{ORG}/list-accounts.json"));
            Collected::NotConfigured { code: code.clone() }
        }
        _ => reader.load(
            &format!("{ORG}/list-accounts.json"),
            |r: AccountsResponse| r.accounts,
        )?,
    };
    account.iam.service_control_policies = read_scps(reader, &account.id, &organization)?;
    account.iam.organization = organization;
    Ok(())
}

fn read_scps(
    reader: &mut Reader,
    account_id: &str,
    organization: &Collected<Organization>,
) -> Result<Collected<Vec<ScpLevel>>, EvidenceError> {
    const ORG: &str = "organizations/global";
    let exempt = match organization {
        Collected::Present(o) if o.master_account_id.as_deref() == Some(account_id) => {
            Some("ManagementAccount".to_string())
        }
        Collected::NotConfigured { code } => Some(code.clone()),
        _ => None,
    };
    if let Some(code) = exempt {
        // The rest of the organization's files were collected but cannot apply.
        reader.take_all(&format!("{ORG}/"));
        return Ok(Collected::NotConfigured { code });
    }
    let mut chain = vec![account_id.to_string()];
    for _ in 0..MAX_ORGANIZATION_DEPTH {
        let Some(current) = chain.last().cloned() else {
            break;
        };
        let parents = reader.load(
            &format!("{ORG}/list-parents/{current}.json"),
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
    // A policy attached at several levels (FullAWSAccess usually is) is read once.
    let mut documents: BTreeMap<String, PolicyDocument> = BTreeMap::new();
    let mut levels = Vec::new();
    for target in chain {
        let attached = reader.load(
            &format!("{ORG}/list-policies-for-target/{target}.json"),
            |r: TargetPoliciesResponse| r.policies,
        )?;
        let attached = match attached.into_present() {
            Ok(attached) => attached,
            Err(absent) => return Ok(absent),
        };
        let mut policies = Vec::new();
        for summary in attached.into_iter().filter(|p| {
            p.policy_type
                .as_deref()
                .is_none_or(|t| t == "SERVICE_CONTROL_POLICY")
        }) {
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
            let rel = format!("{ORG}/describe-policy/{}.json", summary.id);
            let content = reader.load(&rel, |r: DescribePolicyResponse| {
                r.policy.and_then(|p| p.content)
            })?;
            let content = match content.into_present() {
                Ok(Some(content)) => content,
                Ok(None) => String::new(),
                Err(absent) => return Ok(absent),
            };
            let document = PolicyDocument::from_text(&content).map_err(|message| {
                EvidenceError::Malformed {
                    path: reader.root.join(&rel),
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
            target_id: target,
            policies,
        });
    }
    Ok(Collected::Present(levels))
}

/// The account id: from the caller identity, else from any ARN in the evidence.
fn account_id(reader: &mut Reader, account: &Account) -> Result<String, EvidenceError> {
    let identity = reader.load(
        "sts/global/get-caller-identity.json",
        |r: CallerIdentity| r.account,
    )?;
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
                .iam
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
