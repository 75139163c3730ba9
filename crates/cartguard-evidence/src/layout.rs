//! Where each piece of evidence lives in an evidence folder: the one place that
//! turns an [`EvidenceKey`] into a file path (docs/evidence.md).
//!
//! `<cli service>/<region or global>/<cli operation>.json` for calls made once,
//! `<cli service>/<region or global>/<cli operation>/<resource>.json` for calls
//! made once per resource.

use cartguard_inventory::{
    EvidenceKey, GLOBAL, Operation, accessanalyzer, backup, cloudformation, codebuild, dynamodb,
    ec2, ecs, elbv2, iam, kms, lambda, organizations, rds, s3, secretsmanager, ssm, sso, sts,
};
use cartguard_inventory::{apigateway, cloudfront, cognito, shield, wafv2};

/// Every operation an evidence folder may answer, with the AWS CLI command that
/// answers it (`aws <service> <operation>`), which names its folder and file.
pub const LAYOUT: &[(Operation, &str, &str)] = &[
    (sts::GET_CALLER_IDENTITY, "sts", "get-caller-identity"),
    (
        iam::GET_ACCOUNT_AUTHORIZATION_DETAILS,
        "iam",
        "get-account-authorization-details",
    ),
    (iam::GET_CREDENTIAL_REPORT, "iam", "get-credential-report"),
    (iam::GET_ACCOUNT_SUMMARY, "iam", "get-account-summary"),
    (
        iam::GET_ACCOUNT_PASSWORD_POLICY,
        "iam",
        "get-account-password-policy",
    ),
    (
        iam::LIST_VIRTUAL_MFA_DEVICES,
        "iam",
        "list-virtual-mfa-devices",
    ),
    (
        iam::LIST_OPEN_ID_CONNECT_PROVIDERS,
        "iam",
        "list-open-id-connect-providers",
    ),
    (iam::LIST_ACCESS_KEYS, "iam", "list-access-keys"),
    (
        organizations::DESCRIBE_ORGANIZATION,
        "organizations",
        "describe-organization",
    ),
    (
        organizations::LIST_ACCOUNTS,
        "organizations",
        "list-accounts",
    ),
    (organizations::LIST_PARENTS, "organizations", "list-parents"),
    (
        organizations::LIST_POLICIES_FOR_TARGET,
        "organizations",
        "list-policies-for-target",
    ),
    // The same call filtered to RCPs: its answers go to a folder of their own.
    (
        organizations::LIST_RESOURCE_CONTROL_POLICIES_FOR_TARGET,
        "organizations",
        "list-resource-control-policies-for-target",
    ),
    (
        organizations::DESCRIBE_POLICY,
        "organizations",
        "describe-policy",
    ),
    (s3::LIST_BUCKETS, "s3", "list-buckets"),
    (s3::GET_BUCKET_ENCRYPTION, "s3", "get-bucket-encryption"),
    (s3::GET_BUCKET_VERSIONING, "s3", "get-bucket-versioning"),
    (s3::GET_PUBLIC_ACCESS_BLOCK, "s3", "get-public-access-block"),
    (s3::GET_BUCKET_POLICY, "s3", "get-bucket-policy"),
    (s3::GET_BUCKET_ACL, "s3", "get-bucket-acl"),
    (s3::GET_BUCKET_LOGGING, "s3", "get-bucket-logging"),
    (
        s3::GET_OBJECT_LOCK_CONFIGURATION,
        "s3",
        "get-object-lock-configuration",
    ),
    (s3::GET_BUCKET_LOCATION, "s3", "get-bucket-location"),
    (
        s3::GET_ACCOUNT_PUBLIC_ACCESS_BLOCK,
        "s3control",
        "get-public-access-block",
    ),
    (ec2::DESCRIBE_VPCS, "ec2", "describe-vpcs"),
    (ec2::DESCRIBE_SUBNETS, "ec2", "describe-subnets"),
    (ec2::DESCRIBE_ROUTE_TABLES, "ec2", "describe-route-tables"),
    (
        ec2::DESCRIBE_INTERNET_GATEWAYS,
        "ec2",
        "describe-internet-gateways",
    ),
    (ec2::DESCRIBE_NAT_GATEWAYS, "ec2", "describe-nat-gateways"),
    (ec2::DESCRIBE_NETWORK_ACLS, "ec2", "describe-network-acls"),
    (
        ec2::DESCRIBE_SECURITY_GROUPS,
        "ec2",
        "describe-security-groups",
    ),
    (ec2::DESCRIBE_INSTANCES, "ec2", "describe-instances"),
    (
        ec2::DESCRIBE_NETWORK_INTERFACES,
        "ec2",
        "describe-network-interfaces",
    ),
    (ec2::DESCRIBE_ADDRESSES, "ec2", "describe-addresses"),
    (ec2::DESCRIBE_FLOW_LOGS, "ec2", "describe-flow-logs"),
    (
        ec2::DESCRIBE_MANAGED_PREFIX_LISTS,
        "ec2",
        "describe-managed-prefix-lists",
    ),
    (
        ec2::GET_MANAGED_PREFIX_LIST_ENTRIES,
        "ec2",
        "get-managed-prefix-list-entries",
    ),
    (rds::DESCRIBE_DB_INSTANCES, "rds", "describe-db-instances"),
    (
        elbv2::DESCRIBE_LOAD_BALANCERS,
        "elbv2",
        "describe-load-balancers",
    ),
    (elbv2::DESCRIBE_LISTENERS, "elbv2", "describe-listeners"),
    (
        elbv2::DESCRIBE_TARGET_GROUPS,
        "elbv2",
        "describe-target-groups",
    ),
    (
        elbv2::DESCRIBE_TARGET_HEALTH,
        "elbv2",
        "describe-target-health",
    ),
    (
        accessanalyzer::LIST_ANALYZERS,
        "accessanalyzer",
        "list-analyzers",
    ),
    (sso::LIST_INSTANCES, "sso-admin", "list-instances"),
    (
        secretsmanager::LIST_SECRETS,
        "secretsmanager",
        "list-secrets",
    ),
    (dynamodb::LIST_TABLES, "dynamodb", "list-tables"),
    (kms::LIST_KEYS, "kms", "list-keys"),
    (kms::GET_KEY_POLICY, "kms", "get-key-policy"),
    (
        cloudformation::DESCRIBE_STACKS,
        "cloudformation",
        "describe-stacks",
    ),
    (codebuild::LIST_PROJECTS, "codebuild", "list-projects"),
    (
        codebuild::BATCH_GET_PROJECTS,
        "codebuild",
        "batch-get-projects",
    ),
    (
        cartguard_inventory::cloudtrail::DESCRIBE_TRAILS,
        "cloudtrail",
        "describe-trails",
    ),
    (
        cartguard_inventory::cloudtrail::GET_TRAIL_STATUS,
        "cloudtrail",
        "get-trail-status",
    ),
    (
        cartguard_inventory::cloudtrail::GET_EVENT_SELECTORS,
        "cloudtrail",
        "get-event-selectors",
    ),
    (
        cartguard_inventory::logs::DESCRIBE_LOG_GROUPS,
        "logs",
        "describe-log-groups",
    ),
    (
        cartguard_inventory::logs::DESCRIBE_METRIC_FILTERS,
        "logs",
        "describe-metric-filters",
    ),
    (
        cartguard_inventory::cloudwatch::DESCRIBE_ALARMS,
        "cloudwatch",
        "describe-alarms",
    ),
    (cartguard_inventory::sns::LIST_TOPICS, "sns", "list-topics"),
    (
        cartguard_inventory::sns::LIST_SUBSCRIPTIONS_BY_TOPIC,
        "sns",
        "list-subscriptions-by-topic",
    ),
    (
        cartguard_inventory::sns::GET_TOPIC_ATTRIBUTES,
        "sns",
        "get-topic-attributes",
    ),
    (cartguard_inventory::sqs::LIST_QUEUES, "sqs", "list-queues"),
    (
        cartguard_inventory::sqs::GET_QUEUE_ATTRIBUTES,
        "sqs",
        "get-queue-attributes",
    ),
    (
        cartguard_inventory::guardduty::LIST_DETECTORS,
        "guardduty",
        "list-detectors",
    ),
    (
        cartguard_inventory::guardduty::GET_DETECTOR,
        "guardduty",
        "get-detector",
    ),
    (
        cartguard_inventory::config::DESCRIBE_CONFIGURATION_RECORDERS,
        "configservice",
        "describe-configuration-recorders",
    ),
    (
        cartguard_inventory::config::DESCRIBE_CONFIGURATION_RECORDER_STATUS,
        "configservice",
        "describe-configuration-recorder-status",
    ),
    (
        cartguard_inventory::securityhub::DESCRIBE_HUB,
        "securityhub",
        "describe-hub",
    ),
    (kms::DESCRIBE_KEY, "kms", "describe-key"),
    (kms::LIST_ALIASES, "kms", "list-aliases"),
    (
        kms::GET_KEY_ROTATION_STATUS,
        "kms",
        "get-key-rotation-status",
    ),
    (ec2::DESCRIBE_VOLUMES, "ec2", "describe-volumes"),
    (
        ec2::GET_EBS_ENCRYPTION_BY_DEFAULT,
        "ec2",
        "get-ebs-encryption-by-default",
    ),
    (rds::DESCRIBE_DB_CLUSTERS, "rds", "describe-db-clusters"),
    (dynamodb::DESCRIBE_TABLE, "dynamodb", "describe-table"),
    (
        dynamodb::DESCRIBE_CONTINUOUS_BACKUPS,
        "dynamodb",
        "describe-continuous-backups",
    ),
    (
        secretsmanager::GET_RESOURCE_POLICY,
        "secretsmanager",
        "get-resource-policy",
    ),
    (ssm::DESCRIBE_PARAMETERS, "ssm", "describe-parameters"),
    (lambda::LIST_FUNCTIONS, "lambda", "list-functions"),
    (lambda::GET_POLICY, "lambda", "get-policy"),
    (ecs::LIST_TASK_DEFINITIONS, "ecs", "list-task-definitions"),
    (
        ecs::DESCRIBE_TASK_DEFINITION,
        "ecs",
        "describe-task-definition",
    ),
    (backup::LIST_BACKUP_PLANS, "backup", "list-backup-plans"),
    (
        backup::LIST_BACKUP_SELECTIONS,
        "backup",
        "list-backup-selections",
    ),
    (
        backup::GET_BACKUP_SELECTION,
        "backup",
        "get-backup-selection",
    ),
    (
        backup::LIST_PROTECTED_RESOURCES,
        "backup",
        "list-protected-resources",
    ),
    (
        elbv2::DESCRIBE_SSL_POLICIES,
        "elbv2",
        "describe-ssl-policies",
    ),
    (
        elbv2::DESCRIBE_LOAD_BALANCER_ATTRIBUTES,
        "elbv2",
        "describe-load-balancer-attributes",
    ),
    (wafv2::LIST_WEB_ACLS, "wafv2", "list-web-acls"),
    (wafv2::GET_WEB_ACL, "wafv2", "get-web-acl"),
    (
        wafv2::LIST_LOAD_BALANCERS_FOR_WEB_ACL,
        "wafv2",
        "list-resources-for-web-acl",
    ),
    // The same call for API Gateway stages: its answers go to a folder of their own.
    (
        wafv2::LIST_API_STAGES_FOR_WEB_ACL,
        "wafv2",
        "list-api-gateway-resources-for-web-acl",
    ),
    // Web ACLs of scope CLOUDFRONT, kept in us-east-1, filed as account-wide.
    (wafv2::LIST_CLOUDFRONT_WEB_ACLS, "wafv2", "list-web-acls"),
    (wafv2::GET_CLOUDFRONT_WEB_ACL, "wafv2", "get-web-acl"),
    (apigateway::GET_REST_APIS, "apigateway", "get-rest-apis"),
    (apigateway::GET_RESOURCES, "apigateway", "get-resources"),
    (apigateway::GET_STAGES, "apigateway", "get-stages"),
    (apigateway::GET_APIS, "apigatewayv2", "get-apis"),
    (apigateway::GET_ROUTES, "apigatewayv2", "get-routes"),
    (
        apigateway::GET_API_AUTHORIZERS,
        "apigatewayv2",
        "get-authorizers",
    ),
    (apigateway::GET_API_STAGES, "apigatewayv2", "get-stages"),
    (cognito::LIST_USER_POOLS, "cognito-idp", "list-user-pools"),
    (
        cognito::DESCRIBE_USER_POOL,
        "cognito-idp",
        "describe-user-pool",
    ),
    (
        cloudfront::LIST_DISTRIBUTIONS,
        "cloudfront",
        "list-distributions",
    ),
    (
        shield::GET_SUBSCRIPTION_STATE,
        "shield",
        "get-subscription-state",
    ),
];

/// The AWS CLI service and operation that answer `operation`, if a folder can hold it.
pub fn cli_command(operation: &Operation) -> Option<(&'static str, &'static str)> {
    LAYOUT
        .iter()
        .find(|(op, _, _)| op == operation)
        .map(|(_, service, command)| (*service, *command))
}

/// The folder's path (relative, `/`-separated) of the evidence under `key`:
/// `iam/global/get-credential-report.json`,
/// `elbv2/eu-west-1/describe-listeners/shop-alb.json`. A per-operation key of a
/// per-resource call names its folder (`…/describe-listeners/`).
pub fn file_of(key: &EvidenceKey) -> Option<String> {
    let (service, command) = cli_command(&key.operation)?;
    Some(match (&key.resource, key.operation.per) {
        (Some(resource), _) => format!(
            "{service}/{}/{command}/{}.json",
            key.region,
            safe_name(resource)
        ),
        (None, Some(_)) => format!("{service}/{}/{command}/", key.region),
        (None, None) => format!("{service}/{}/{command}.json", key.region),
    })
}

/// The file pattern of `operation` across regions and resources, as
/// docs/evidence.md writes it: `ec2/<region>/describe-vpcs.json`,
/// `iam/global/list-access-keys/<user>.json`.
pub fn file_pattern(operation: &Operation) -> Option<String> {
    let (service, command) = cli_command(operation)?;
    let region = match operation.scope {
        cartguard_inventory::Scope::Account => GLOBAL,
        cartguard_inventory::Scope::Region => "<region>",
    };
    Some(match operation.per {
        Some(per) => format!(
            "{service}/{region}/{command}/<{}>.json",
            per.replace(' ', "-")
        ),
        None => format!("{service}/{region}/{command}.json"),
    })
}

/// The CLI services whose evidence is filed per region.
pub(crate) fn is_regional_folder(cli_service: &str) -> bool {
    LAYOUT.iter().any(|(op, service, _)| {
        *service == cli_service && op.scope == cartguard_inventory::Scope::Region
    })
}

/// A resource name or id as a file name: `/` and `:` become `_` (docs/evidence.md).
pub fn safe_name(resource: &str) -> String {
    resource.replace(['/', ':'], "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_of_the_model_has_a_place_in_the_folder() {
        for operation in cartguard_inventory::OPERATIONS.iter() {
            assert!(
                cli_command(operation).is_some(),
                "{operation} has no file in the evidence folder layout"
            );
        }
    }

    #[test]
    fn the_documentation_lists_every_file() {
        let doc = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../docs/evidence.md"
        ))
        .expect("docs/evidence.md is readable");
        for (operation, _, _) in LAYOUT {
            let pattern = file_pattern(operation).expect("in the layout");
            assert!(
                doc.contains(&format!("`{pattern}`")),
                "docs/evidence.md does not list {pattern} ({operation})"
            );
        }
    }

    #[test]
    fn keys_map_to_the_documented_paths() {
        assert_eq!(
            file_of(&iam::GET_CREDENTIAL_REPORT.global()).as_deref(),
            Some("iam/global/get-credential-report.json")
        );
        assert_eq!(
            file_of(&elbv2::DESCRIBE_LISTENERS.about("eu-west-1", "shop-alb")).as_deref(),
            Some("elbv2/eu-west-1/describe-listeners/shop-alb.json")
        );
        assert_eq!(
            file_pattern(&iam::LIST_ACCESS_KEYS).as_deref(),
            Some("iam/global/list-access-keys/<user>.json")
        );
    }
}
