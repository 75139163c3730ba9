//! Reading each service's evidence: the response shapes the AWS CLI prints and
//! what the model keeps of them, one module per service.

pub(crate) mod accessanalyzer;
pub(crate) mod apigateway;
pub(crate) mod backup;
pub(crate) mod cloudformation;
pub(crate) mod cloudfront;
pub(crate) mod cloudtrail;
pub(crate) mod cloudwatch;
pub(crate) mod codebuild;
pub(crate) mod cognito;
pub(crate) mod config;
pub(crate) mod dynamodb;
pub(crate) mod ec2;
pub(crate) mod ecs;
pub(crate) mod elbv2;
pub(crate) mod guardduty;
pub(crate) mod iam;
pub(crate) mod kms;
pub(crate) mod lambda;
pub(crate) mod logs;
pub(crate) mod organizations;
pub(crate) mod rds;
pub(crate) mod s3;
pub(crate) mod secretsmanager;
pub(crate) mod securityhub;
pub(crate) mod shield;
pub(crate) mod sns;
pub(crate) mod sqs;
pub(crate) mod ssm;
pub(crate) mod sso;
pub(crate) mod wafv2;

use cartguard_inventory::{Operation, Region};

use crate::EvidenceError;
use crate::folder::Reader;

/// A response as the AWS CLI prints it.
pub(crate) trait Response: serde::de::DeserializeOwned {
    /// The top-level keys that make a file this operation's answer: the list
    /// of a list call, the keys a get or describe call always prints.
    const REQUIRED: &'static [&'static str];
    /// For answers without a key the CLI always prints (`REQUIRED` empty: the
    /// CLI prints `{}` when the thing is unset): every top-level key the
    /// answer may hold. A file with another key holds something else.
    const ONLY: &'static [&'static str] = &[];
    /// For operations in `PRINTS_NOTHING_WHEN_EMPTY`: the answer that the
    /// stored `{}` stands for. Empty: each `REQUIRED` key holding `[]`.
    const EMPTY_ANSWER: &'static str = "";
}

/// Declares the part of an AWS CLI response the reader keeps. The fields in
/// braces are the keys the CLI always prints for the operation (it prints an
/// empty list as `[]`): a file without them holds something else. Fields after
/// `optional` may be absent. Unknown fields are ignored, as AWS adds fields.
macro_rules! response {
    ($name:ident { $($field:ident : $json:literal => $ty:ty),+ $(,)? }
        $(optional { $($ofield:ident : $ojson:literal => $oty:ty),+ $(,)? })?) => {
        #[derive(serde::Deserialize)]
        pub(crate) struct $name {
            $(#[serde(rename = $json)] pub(crate) $field: $ty,)+
            $($(#[serde(rename = $ojson, default)] pub(crate) $ofield: Option<$oty>,)+)?
        }
        impl $crate::services::Response for $name {
            const REQUIRED: &'static [&'static str] = &[$($json),+];
        }
    };
}
pub(crate) use response;

/// Declares a part nested in a response. Every field is optional in the file
/// (AWS omits empty and unset values) and unknown fields are ignored.
macro_rules! part {
    ($name:ident { $($field:ident : $json:literal => $ty:ty),+ $(,)? }) => {
        #[derive(serde::Deserialize)]
        pub(crate) struct $name {
            $(#[serde(rename = $json, default)] pub(crate) $field: $ty,)+
        }
    };
}
pub(crate) use part;

/// Operations whose empty answer the AWS CLI prints as nothing at all, which
/// `scripts/collect-evidence.sh` stores as `{}`. These are the list calls of
/// JSON-protocol services whose list is optional in the service's model: the
/// service may leave an empty list out, the CLI then has `{}` to print and
/// prints nothing. XML-protocol services (IAM, EC2, RDS, ELB, S3, STS) always
/// send the list's element, which the CLI prints as `[]`.
const PRINTS_NOTHING_WHEN_EMPTY: &[Operation] = &[
    cartguard_inventory::organizations::LIST_ACCOUNTS,
    cartguard_inventory::organizations::LIST_PARENTS,
    cartguard_inventory::organizations::LIST_POLICIES_FOR_TARGET,
    cartguard_inventory::organizations::LIST_RESOURCE_CONTROL_POLICIES_FOR_TARGET,
    cartguard_inventory::sso::LIST_INSTANCES,
    cartguard_inventory::secretsmanager::LIST_SECRETS,
    cartguard_inventory::dynamodb::LIST_TABLES,
    cartguard_inventory::codebuild::LIST_PROJECTS,
    cartguard_inventory::logs::DESCRIBE_METRIC_FILTERS,
    cartguard_inventory::config::DESCRIBE_CONFIGURATION_RECORDERS,
    cartguard_inventory::config::DESCRIBE_CONFIGURATION_RECORDER_STATUS,
    cartguard_inventory::kms::LIST_ALIASES,
    cartguard_inventory::ssm::DESCRIBE_PARAMETERS,
    cartguard_inventory::lambda::LIST_FUNCTIONS,
    cartguard_inventory::sqs::LIST_QUEUES,
    cartguard_inventory::ecs::LIST_TASK_DEFINITIONS,
    cartguard_inventory::backup::LIST_BACKUP_PLANS,
    cartguard_inventory::backup::LIST_BACKUP_SELECTIONS,
    cartguard_inventory::backup::LIST_PROTECTED_RESOURCES,
    // A REST-XML service, but CloudFront leaves `Items` out of an empty list
    // and the CLI's paginator, which gathers `DistributionList.Items`, then
    // has nothing to print.
    cartguard_inventory::cloudfront::LIST_DISTRIBUTIONS,
];

/// Whether `{}` is `operation`'s empty answer.
pub(crate) fn prints_nothing_when_empty(operation: &Operation) -> bool {
    PRINTS_NOTHING_WHEN_EMPTY.contains(operation)
}

/// Every operation the folder may answer in JSON, with the keys of its response.
pub(crate) fn signatures() -> Vec<(Operation, &'static [&'static str])> {
    use cartguard_inventory::{
        accessanalyzer as aa, cloudformation as cf, codebuild as cb, dynamodb as ddb, ec2 as e,
        elbv2 as lb, iam as i, kms as k, organizations as o, rds as r, s3 as s,
        secretsmanager as sm, sso as ss, sts as st,
    };
    use cartguard_inventory::{
        apigateway as apig, cloudfront as cfr, cognito as cog, shield as sh, wafv2 as waf,
    };
    vec![
        (
            st::GET_CALLER_IDENTITY,
            crate::folder::CallerIdentity::REQUIRED,
        ),
        (
            i::GET_ACCOUNT_AUTHORIZATION_DETAILS,
            iam::AuthorizationDetailsResponse::REQUIRED,
        ),
        (
            i::GET_CREDENTIAL_REPORT,
            iam::CredentialReportResponse::REQUIRED,
        ),
        (i::GET_ACCOUNT_SUMMARY, iam::SummaryResponse::REQUIRED),
        (
            i::GET_ACCOUNT_PASSWORD_POLICY,
            iam::PasswordPolicyResponse::REQUIRED,
        ),
        (
            i::LIST_VIRTUAL_MFA_DEVICES,
            iam::VirtualMfaResponse::REQUIRED,
        ),
        (
            i::LIST_OPEN_ID_CONNECT_PROVIDERS,
            iam::OidcResponse::REQUIRED,
        ),
        (i::LIST_ACCESS_KEYS, iam::AccessKeysResponse::REQUIRED),
        (
            o::DESCRIBE_ORGANIZATION,
            organizations::OrganizationResponse::REQUIRED,
        ),
        (o::LIST_ACCOUNTS, organizations::AccountsResponse::REQUIRED),
        (o::LIST_PARENTS, organizations::ParentsResponse::REQUIRED),
        (
            o::LIST_POLICIES_FOR_TARGET,
            organizations::TargetPoliciesResponse::REQUIRED,
        ),
        (
            o::LIST_RESOURCE_CONTROL_POLICIES_FOR_TARGET,
            organizations::TargetPoliciesResponse::REQUIRED,
        ),
        (
            o::DESCRIBE_POLICY,
            organizations::DescribePolicyResponse::REQUIRED,
        ),
        (s::LIST_BUCKETS, s3::BucketsResponse::REQUIRED),
        (s::GET_BUCKET_ENCRYPTION, s3::EncryptionResponse::REQUIRED),
        (s::GET_BUCKET_VERSIONING, s3::VersioningResponse::REQUIRED),
        (
            s::GET_PUBLIC_ACCESS_BLOCK,
            s3::PublicAccessBlockResponse::REQUIRED,
        ),
        (s::GET_BUCKET_POLICY, s3::BucketPolicyResponse::REQUIRED),
        (s::GET_BUCKET_ACL, s3::AclResponse::REQUIRED),
        (s::GET_BUCKET_LOGGING, s3::LoggingResponse::REQUIRED),
        (
            s::GET_OBJECT_LOCK_CONFIGURATION,
            s3::ObjectLockResponse::REQUIRED,
        ),
        (s::GET_BUCKET_LOCATION, s3::LocationResponse::REQUIRED),
        (
            s::GET_ACCOUNT_PUBLIC_ACCESS_BLOCK,
            s3::PublicAccessBlockResponse::REQUIRED,
        ),
        (e::DESCRIBE_VPCS, ec2::VpcsResponse::REQUIRED),
        (e::DESCRIBE_SUBNETS, ec2::SubnetsResponse::REQUIRED),
        (e::DESCRIBE_ROUTE_TABLES, ec2::RouteTablesResponse::REQUIRED),
        (
            e::DESCRIBE_INTERNET_GATEWAYS,
            ec2::InternetGatewaysResponse::REQUIRED,
        ),
        (e::DESCRIBE_NAT_GATEWAYS, ec2::NatGatewaysResponse::REQUIRED),
        (e::DESCRIBE_NETWORK_ACLS, ec2::NetworkAclsResponse::REQUIRED),
        (
            e::DESCRIBE_SECURITY_GROUPS,
            ec2::SecurityGroupsResponse::REQUIRED,
        ),
        (e::DESCRIBE_INSTANCES, ec2::InstancesResponse::REQUIRED),
        (
            e::DESCRIBE_NETWORK_INTERFACES,
            ec2::InterfacesResponse::REQUIRED,
        ),
        (e::DESCRIBE_ADDRESSES, ec2::AddressesResponse::REQUIRED),
        (e::DESCRIBE_FLOW_LOGS, ec2::FlowLogsResponse::REQUIRED),
        (
            e::DESCRIBE_MANAGED_PREFIX_LISTS,
            ec2::PrefixListsResponse::REQUIRED,
        ),
        (
            e::GET_MANAGED_PREFIX_LIST_ENTRIES,
            ec2::PrefixListEntriesResponse::REQUIRED,
        ),
        (r::DESCRIBE_DB_INSTANCES, rds::DbInstancesResponse::REQUIRED),
        (
            lb::DESCRIBE_LOAD_BALANCERS,
            elbv2::LoadBalancersResponse::REQUIRED,
        ),
        (lb::DESCRIBE_LISTENERS, elbv2::ListenersResponse::REQUIRED),
        (
            lb::DESCRIBE_TARGET_GROUPS,
            elbv2::TargetGroupsResponse::REQUIRED,
        ),
        (
            lb::DESCRIBE_TARGET_HEALTH,
            elbv2::TargetHealthResponse::REQUIRED,
        ),
        (
            aa::LIST_ANALYZERS,
            accessanalyzer::AnalyzersResponse::REQUIRED,
        ),
        (ss::LIST_INSTANCES, sso::SsoInstancesResponse::REQUIRED),
        (sm::LIST_SECRETS, secretsmanager::SecretsResponse::REQUIRED),
        (ddb::LIST_TABLES, dynamodb::TablesResponse::REQUIRED),
        (k::LIST_KEYS, kms::KeysResponse::REQUIRED),
        (k::GET_KEY_POLICY, kms::KeyPolicyResponse::REQUIRED),
        (
            cf::DESCRIBE_STACKS,
            cloudformation::StacksResponse::REQUIRED,
        ),
        (cb::LIST_PROJECTS, codebuild::ProjectNamesResponse::REQUIRED),
        (
            cb::BATCH_GET_PROJECTS,
            codebuild::ProjectsResponse::REQUIRED,
        ),
        (
            cartguard_inventory::cloudtrail::DESCRIBE_TRAILS,
            cloudtrail::TrailsResponse::REQUIRED,
        ),
        (
            cartguard_inventory::cloudtrail::GET_TRAIL_STATUS,
            cloudtrail::TrailStatusResponse::REQUIRED,
        ),
        (
            cartguard_inventory::cloudtrail::GET_EVENT_SELECTORS,
            cloudtrail::EventSelectorsResponse::REQUIRED,
        ),
        (
            cartguard_inventory::logs::DESCRIBE_LOG_GROUPS,
            logs::LogGroupsResponse::REQUIRED,
        ),
        (
            cartguard_inventory::logs::DESCRIBE_METRIC_FILTERS,
            logs::MetricFiltersResponse::REQUIRED,
        ),
        (
            cartguard_inventory::cloudwatch::DESCRIBE_ALARMS,
            cloudwatch::AlarmsResponse::REQUIRED,
        ),
        (
            cartguard_inventory::sns::LIST_TOPICS,
            sns::TopicsResponse::REQUIRED,
        ),
        (
            cartguard_inventory::sns::LIST_SUBSCRIPTIONS_BY_TOPIC,
            sns::SubscriptionsResponse::REQUIRED,
        ),
        (
            cartguard_inventory::sns::GET_TOPIC_ATTRIBUTES,
            sns::TopicAttributesResponse::REQUIRED,
        ),
        (
            cartguard_inventory::sqs::LIST_QUEUES,
            sqs::QueuesResponse::REQUIRED,
        ),
        (
            cartguard_inventory::sqs::GET_QUEUE_ATTRIBUTES,
            sqs::QueueAttributesResponse::REQUIRED,
        ),
        (
            cartguard_inventory::guardduty::LIST_DETECTORS,
            guardduty::DetectorsResponse::REQUIRED,
        ),
        (
            cartguard_inventory::guardduty::GET_DETECTOR,
            guardduty::DetectorResponse::REQUIRED,
        ),
        (
            cartguard_inventory::config::DESCRIBE_CONFIGURATION_RECORDERS,
            config::RecordersResponse::REQUIRED,
        ),
        (
            cartguard_inventory::config::DESCRIBE_CONFIGURATION_RECORDER_STATUS,
            config::RecorderStatusResponse::REQUIRED,
        ),
        (
            cartguard_inventory::securityhub::DESCRIBE_HUB,
            securityhub::HubResponse::REQUIRED,
        ),
        (k::DESCRIBE_KEY, kms::DescribeKeyResponse::REQUIRED),
        (k::LIST_ALIASES, kms::AliasesResponse::REQUIRED),
        (k::GET_KEY_ROTATION_STATUS, kms::RotationResponse::REQUIRED),
        (e::DESCRIBE_VOLUMES, ec2::VolumesResponse::REQUIRED),
        (
            e::GET_EBS_ENCRYPTION_BY_DEFAULT,
            ec2::EbsEncryptionByDefaultResponse::REQUIRED,
        ),
        (r::DESCRIBE_DB_CLUSTERS, rds::DbClustersResponse::REQUIRED),
        (ddb::DESCRIBE_TABLE, dynamodb::TableResponse::REQUIRED),
        (
            ddb::DESCRIBE_CONTINUOUS_BACKUPS,
            dynamodb::ContinuousBackupsResponse::REQUIRED,
        ),
        (
            sm::GET_RESOURCE_POLICY,
            secretsmanager::ResourcePolicyResponse::REQUIRED,
        ),
        (
            cartguard_inventory::ssm::DESCRIBE_PARAMETERS,
            ssm::ParametersResponse::REQUIRED,
        ),
        (
            cartguard_inventory::lambda::LIST_FUNCTIONS,
            lambda::FunctionsResponse::REQUIRED,
        ),
        (
            cartguard_inventory::lambda::GET_POLICY,
            lambda::PolicyResponse::REQUIRED,
        ),
        (
            cartguard_inventory::ecs::LIST_TASK_DEFINITIONS,
            ecs::TaskDefinitionArnsResponse::REQUIRED,
        ),
        (
            cartguard_inventory::ecs::DESCRIBE_TASK_DEFINITION,
            ecs::TaskDefinitionResponse::REQUIRED,
        ),
        (
            cartguard_inventory::backup::LIST_BACKUP_PLANS,
            backup::PlansResponse::REQUIRED,
        ),
        (
            cartguard_inventory::backup::LIST_BACKUP_SELECTIONS,
            backup::SelectionsResponse::REQUIRED,
        ),
        (
            cartguard_inventory::backup::GET_BACKUP_SELECTION,
            backup::SelectionResponse::REQUIRED,
        ),
        (
            cartguard_inventory::backup::LIST_PROTECTED_RESOURCES,
            backup::ProtectedResourcesResponse::REQUIRED,
        ),
        (
            lb::DESCRIBE_SSL_POLICIES,
            elbv2::SslPoliciesResponse::REQUIRED,
        ),
        (
            lb::DESCRIBE_LOAD_BALANCER_ATTRIBUTES,
            elbv2::AttributesResponse::REQUIRED,
        ),
        (waf::LIST_WEB_ACLS, wafv2::WebAclsResponse::REQUIRED),
        (waf::GET_WEB_ACL, wafv2::WebAclResponse::REQUIRED),
        (
            waf::LIST_LOAD_BALANCERS_FOR_WEB_ACL,
            wafv2::ResourcesResponse::REQUIRED,
        ),
        (
            waf::LIST_API_STAGES_FOR_WEB_ACL,
            wafv2::ResourcesResponse::REQUIRED,
        ),
        (
            waf::LIST_CLOUDFRONT_WEB_ACLS,
            wafv2::WebAclsResponse::REQUIRED,
        ),
        (waf::GET_CLOUDFRONT_WEB_ACL, wafv2::WebAclResponse::REQUIRED),
        (apig::GET_REST_APIS, apigateway::RestApisResponse::REQUIRED),
        (apig::GET_RESOURCES, apigateway::ResourcesResponse::REQUIRED),
        (apig::GET_STAGES, apigateway::StagesResponse::REQUIRED),
        (apig::GET_APIS, apigateway::ApisResponse::REQUIRED),
        (apig::GET_ROUTES, apigateway::RoutesResponse::REQUIRED),
        (
            apig::GET_API_AUTHORIZERS,
            apigateway::AuthorizersResponse::REQUIRED,
        ),
        (
            apig::GET_API_STAGES,
            apigateway::ApiStagesResponse::REQUIRED,
        ),
        (cog::LIST_USER_POOLS, cognito::UserPoolsResponse::REQUIRED),
        (cog::DESCRIBE_USER_POOL, cognito::UserPoolResponse::REQUIRED),
        (
            cfr::LIST_DISTRIBUTIONS,
            cloudfront::DistributionsResponse::REQUIRED,
        ),
        (
            sh::GET_SUBSCRIPTION_STATE,
            shield::SubscriptionResponse::REQUIRED,
        ),
    ]
}

/// The operations, other than `expected`, whose answer has every key of `keys`;
/// of those, the ones whose signature is largest (the most specific match).
pub(crate) fn operations_answered_by(keys: &[&str], expected: &Operation) -> Vec<Operation> {
    let matches: Vec<(Operation, usize)> = signatures()
        .into_iter()
        .filter(|(op, required)| {
            // An answer without required keys (`{}` when unset) names nothing.
            op != expected && !required.is_empty() && required.iter().all(|k| keys.contains(k))
        })
        .map(|(op, required)| (op, required.len()))
        .collect();
    let best = matches.iter().map(|(_, n)| *n).max().unwrap_or(0);
    matches
        .into_iter()
        .filter(|(_, n)| *n == best)
        .map(|(op, _)| op)
        .collect()
}

/// Everything an evidence folder holds for one region.
pub(crate) fn read_region(reader: &mut Reader, region: &str) -> Result<Region, EvidenceError> {
    let mut out = Region::default();
    ec2::read(reader, region, &mut out.ec2)?;
    rds::read(reader, region, &mut out.rds)?;
    elbv2::read(reader, region, &mut out.elbv2)?;
    accessanalyzer::read(reader, region, &mut out.accessanalyzer)?;
    sso::read(reader, region, &mut out.sso)?;
    secretsmanager::read(reader, region, &mut out.secretsmanager)?;
    dynamodb::read(reader, region, &mut out.dynamodb)?;
    kms::read(reader, region, &mut out.kms)?;
    cloudformation::read(reader, region, &mut out.cloudformation)?;
    codebuild::read(reader, region, &mut out.codebuild)?;
    cloudtrail::read(reader, region, &mut out.cloudtrail)?;
    logs::read(reader, region, &mut out.logs)?;
    cloudwatch::read(reader, region, &mut out.cloudwatch)?;
    sns::read(reader, region, &mut out.sns)?;
    sqs::read(reader, region, &mut out.sqs)?;
    guardduty::read(reader, region, &mut out.guardduty)?;
    config::read(reader, region, &mut out.config)?;
    securityhub::read(reader, region, &mut out.securityhub)?;
    ssm::read(reader, region, &mut out.ssm)?;
    lambda::read(reader, region, &mut out.lambda)?;
    ecs::read(reader, region, &mut out.ecs)?;
    backup::read(reader, region, &mut out.backup)?;
    wafv2::read(reader, region, &mut out.wafv2)?;
    apigateway::read(reader, region, &mut out.apigateway)?;
    cognito::read(reader, region, &mut out.cognito)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_json_file_of_the_layout_has_a_signature() {
        let signed: Vec<Operation> = signatures().into_iter().map(|(op, _)| op).collect();
        for (operation, _, _) in crate::layout::LAYOUT {
            assert_eq!(
                signed.iter().filter(|op| *op == operation).count(),
                1,
                "{operation} needs exactly one entry in signatures()"
            );
        }
        assert_eq!(signed.len(), crate::layout::LAYOUT.len());
    }

    #[test]
    fn recognises_another_operations_output() {
        let found = operations_answered_by(
            &["Vpcs"],
            &cartguard_inventory::ec2::DESCRIBE_SECURITY_GROUPS,
        );
        assert_eq!(found, vec![cartguard_inventory::ec2::DESCRIBE_VPCS]);
        assert!(
            operations_answered_by(&["users"], &cartguard_inventory::ec2::DESCRIBE_VPCS).is_empty()
        );
    }
}
