//! The typed model of what cartguard audits: one [`Account`] per AWS account,
//! as collected from an evidence folder, a snapshot or a live account.
//!
//! The structs mirror the shapes the AWS CLI prints (`--output json`), so an
//! evidence file deserializes straight into them; unknown fields are ignored and
//! every field AWS may omit is optional. The whole [`Inventory`] serializes with
//! serde: that is the snapshot format. The model knows no verdicts.

pub mod collected;
pub mod files;
pub mod key;
pub mod not_configured;
pub mod policy;

pub mod accessanalyzer;
pub mod apigateway;
pub mod backup;
pub mod cloudformation;
pub mod cloudfront;
pub mod cloudtrail;
pub mod cloudwatch;
pub mod codebuild;
pub mod cognito;
pub mod config;
pub mod dynamodb;
pub mod ec2;
pub mod ecs;
pub mod elbv2;
pub mod guardduty;
pub mod iam;
pub mod kms;
pub mod lambda;
pub mod logs;
pub mod organizations;
pub mod rds;
pub mod s3;
pub mod secretsmanager;
pub mod securityhub;
pub mod shield;
pub mod sns;
pub mod sqs;
pub mod ssm;
pub mod sso;
pub mod sts;
pub mod wafv2;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

pub use collected::Collected;
pub use key::{Availability, EvidenceKey, GLOBAL, Operation, Scope};
pub use not_configured::means_not_configured;
pub use policy::PolicyDocument;

/// Every operation whose answer the model holds, service by service: what an
/// evidence folder may contain and what a live collector may call.
pub static OPERATIONS: LazyLock<Vec<Operation>> = LazyLock::new(|| {
    [
        sts::OPERATIONS,
        iam::OPERATIONS,
        organizations::OPERATIONS,
        s3::OPERATIONS,
        ec2::OPERATIONS,
        rds::OPERATIONS,
        elbv2::OPERATIONS,
        accessanalyzer::OPERATIONS,
        sso::OPERATIONS,
        secretsmanager::OPERATIONS,
        dynamodb::OPERATIONS,
        kms::OPERATIONS,
        cloudtrail::OPERATIONS,
        logs::OPERATIONS,
        cloudwatch::OPERATIONS,
        sns::OPERATIONS,
        sqs::OPERATIONS,
        wafv2::OPERATIONS,
        apigateway::OPERATIONS,
        cognito::OPERATIONS,
        lambda::OPERATIONS,
        ecs::OPERATIONS,
        cloudformation::OPERATIONS,
        codebuild::OPERATIONS,
        backup::OPERATIONS,
        guardduty::OPERATIONS,
        config::OPERATIONS,
        securityhub::OPERATIONS,
        ssm::OPERATIONS,
        cloudfront::OPERATIONS,
        shield::OPERATIONS,
    ]
    .concat()
});

/// One piece of evidence's availability, for a service's `answers`.
pub(crate) fn one<T>(collected: &Collected<T>) -> Vec<(Option<&str>, Availability)> {
    vec![(None, collected.availability())]
}

/// The availability of a per-resource call's answers, one per resource.
pub(crate) fn each<T>(
    answers: &BTreeMap<String, Collected<T>>,
) -> Vec<(Option<&str>, Availability)> {
    answers
        .iter()
        .map(|(resource, collected)| (Some(resource.as_str()), collected.availability()))
        .collect()
}

/// Schema identifier written into every snapshot: the format and its version.
pub const SNAPSHOT_SCHEMA: &str = "cartguard.snapshot/v1";

/// The snapshot versions this build reads.
pub const SNAPSHOT_SCHEMAS_READ: &[&str] = &[SNAPSHOT_SCHEMA];

/// Everything a scan looks at: the accounts and the server files.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Inventory {
    /// Snapshot schema identifier ([`SNAPSHOT_SCHEMA`]); required, as it says
    /// which version of the format the rest of the file is in.
    pub schema: String,
    /// The AWS accounts in this picture.
    #[serde(default)]
    pub accounts: Vec<Account>,
    /// The server files read with `--path` (empty when none was given). An
    /// optional part of the v1 format: snapshots without it read as no files.
    #[serde(default, skip_serializing_if = "files::ServerFiles::is_empty")]
    pub files: files::ServerFiles,
}

impl Default for Inventory {
    fn default() -> Self {
        Inventory {
            schema: default_schema(),
            accounts: Vec::new(),
            files: files::ServerFiles::default(),
        }
    }
}

fn default_schema() -> String {
    SNAPSHOT_SCHEMA.to_string()
}

/// One AWS account as collected.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Account {
    /// The 12-digit account id, or `unknown` when no evidence names it.
    pub id: String,
    /// Where this account's evidence came from (`evidence:<dir>`, `aws:<profile>`, …).
    #[serde(default)]
    pub sources: Vec<String>,
    /// Account-wide IAM evidence.
    #[serde(default)]
    pub iam: iam::IamEvidence,
    /// The organization the account is in, and its service control policies.
    #[serde(default)]
    pub organizations: organizations::OrganizationsEvidence,
    /// Account-wide S3 evidence.
    #[serde(default)]
    pub s3: s3::S3Evidence,
    /// CloudFront distributions.
    #[serde(default)]
    pub cloudfront: cloudfront::CloudFrontEvidence,
    /// WAF web ACLs of scope `CLOUDFRONT` (kept in us-east-1).
    #[serde(default)]
    pub wafv2: wafv2::Wafv2Evidence,
    /// The Shield Advanced subscription.
    #[serde(default)]
    pub shield: shield::ShieldEvidence,
    /// Per-region evidence, keyed by region name (`us-east-1`).
    #[serde(default)]
    pub regions: BTreeMap<String, Region>,
    /// How and when a live collection read the account (absent for evidence
    /// folders). An optional part of the v1 snapshot format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection: Option<LiveCollectionInfo>,
}

/// When and where a live collection read an account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveCollectionInfo {
    /// When the collection started.
    pub started: Timestamp,
    /// The regions collected.
    pub regions: Vec<String>,
    /// The version of cartguard that collected.
    pub tool_version: String,
}

impl Account {
    /// The ARN of the account's root user.
    pub fn root_arn(&self) -> String {
        format!("arn:aws:iam::{}:root", self.id)
    }

    /// The newest date the IAM evidence states, and what states it (`the
    /// credential report's GeneratedTime`, `alice's access_key_1_last_used_date
    /// in the credential report`). The evidence existed by then, so a "now"
    /// before it contradicts the evidence and would make every age wrong.
    pub fn newest_evidence_time(&self) -> Option<(Timestamp, String)> {
        let mut dates: Vec<(Timestamp, String)> = Vec::new();
        if let Some(report) = self.iam.credential_report.present() {
            let mut add = |time: Option<Timestamp>, what: String| {
                if let Some(time) = time {
                    dates.push((time, what));
                }
            };
            add(
                report.generated_time,
                "the credential report's GeneratedTime".to_string(),
            );
            for row in &report.rows {
                let column = |name: &str| format!("{}'s {name} in the credential report", row.user);
                add(row.user_creation_time, column("user_creation_time"));
                add(row.password_last_used, column("password_last_used"));
                add(row.password_last_changed, column("password_last_changed"));
                for (slot, key) in row.access_keys.iter().enumerate() {
                    let n = slot + 1;
                    add(
                        key.last_rotated,
                        column(&format!("access_key_{n}_last_rotated")),
                    );
                    add(
                        key.last_used,
                        column(&format!("access_key_{n}_last_used_date")),
                    );
                }
            }
        }
        for (user, keys) in &self.iam.access_keys {
            for key in keys.present().into_iter().flatten() {
                if let Some(time) = key.create_date {
                    dates.push((
                        time,
                        format!(
                            "the CreateDate of {user}'s access key {}",
                            key.access_key_id
                        ),
                    ));
                }
            }
        }
        if let Some(details) = self.iam.authorization_details.present() {
            for role in &details.role_detail_list {
                if let Some(time) = role.role_last_used.as_ref().and_then(|u| u.last_used_date) {
                    dates.push((
                        time,
                        format!("the RoleLastUsed date of the role {}", role.role_name),
                    ));
                }
            }
        }
        // The first of equal dates, so the answer does not depend on ties.
        dates
            .into_iter()
            .reduce(|newest, date| if date.0 > newest.0 { date } else { newest })
    }

    /// The evidence held for `operation`: its key and availability, once for an
    /// account-wide or regional call (in every region of the account), once
    /// per resource for per-resource calls. Operations whose answers are folded
    /// into another's (a prefix list's entries, an SCP's document) hold none.
    pub fn answers(&self, operation: &Operation) -> Vec<(EvidenceKey, Availability)> {
        let keyed = |region: &str, held: Vec<(Option<&str>, Availability)>| {
            held.into_iter()
                .map(|(resource, availability)| {
                    let key = match resource {
                        Some(resource) => operation.about(region, resource),
                        None => operation.key(region),
                    };
                    (key, availability)
                })
                .collect::<Vec<_>>()
        };
        match operation.scope {
            Scope::Account => {
                let held = self
                    .iam
                    .answers(operation)
                    .or_else(|| self.organizations.answers(operation))
                    .or_else(|| self.s3.answers(operation))
                    .or_else(|| self.cloudfront.answers(operation))
                    .or_else(|| self.wafv2.answers(operation))
                    .or_else(|| self.shield.answers(operation))
                    .unwrap_or_default();
                keyed(GLOBAL, held)
            }
            Scope::Region => self
                .regions
                .iter()
                .flat_map(|(name, region)| keyed(name, region.answers(operation)))
                .collect(),
        }
    }
}

/// Evidence collected in one region, service by service.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Region {
    /// EC2 networking and instances.
    #[serde(default)]
    pub ec2: ec2::Ec2Evidence,
    /// RDS database instances.
    #[serde(default)]
    pub rds: rds::RdsEvidence,
    /// Application, network and gateway load balancers.
    #[serde(default)]
    pub elbv2: elbv2::Elbv2Evidence,
    /// IAM Access Analyzer analyzers.
    #[serde(default)]
    pub accessanalyzer: accessanalyzer::AccessAnalyzerEvidence,
    /// IAM Identity Center instances.
    #[serde(default)]
    pub sso: sso::IdentityCenterEvidence,
    /// Secrets Manager secrets.
    #[serde(default)]
    pub secretsmanager: secretsmanager::SecretsManagerEvidence,
    /// DynamoDB tables.
    #[serde(default)]
    pub dynamodb: dynamodb::DynamoDbEvidence,
    /// KMS keys and key policies.
    #[serde(default)]
    pub kms: kms::KmsEvidence,
    /// CloudTrail trails.
    #[serde(default)]
    pub cloudtrail: cloudtrail::CloudTrailEvidence,
    /// CloudWatch Logs log groups and metric filters.
    #[serde(default)]
    pub logs: logs::LogsEvidence,
    /// CloudWatch alarms.
    #[serde(default)]
    pub cloudwatch: cloudwatch::CloudWatchEvidence,
    /// SNS topics and subscriptions.
    #[serde(default)]
    pub sns: sns::SnsEvidence,
    /// SQS queues and their policies.
    #[serde(default)]
    pub sqs: sqs::SqsEvidence,
    /// WAF web ACLs.
    #[serde(default)]
    pub wafv2: wafv2::Wafv2Evidence,
    /// API Gateway APIs and stages.
    #[serde(default)]
    pub apigateway: apigateway::ApiGatewayEvidence,
    /// Cognito user pools.
    #[serde(default)]
    pub cognito: cognito::CognitoEvidence,
    /// Lambda functions.
    #[serde(default)]
    pub lambda: lambda::LambdaEvidence,
    /// ECS task definitions.
    #[serde(default)]
    pub ecs: ecs::EcsEvidence,
    /// CloudFormation stacks.
    #[serde(default)]
    pub cloudformation: cloudformation::CloudFormationEvidence,
    /// CodeBuild projects.
    #[serde(default)]
    pub codebuild: codebuild::CodeBuildEvidence,
    /// AWS Backup plans.
    #[serde(default)]
    pub backup: backup::BackupEvidence,
    /// GuardDuty detectors.
    #[serde(default)]
    pub guardduty: guardduty::GuardDutyEvidence,
    /// AWS Config recorders.
    #[serde(default)]
    pub config: config::ConfigEvidence,
    /// Security Hub.
    #[serde(default)]
    pub securityhub: securityhub::SecurityHubEvidence,
    /// Systems Manager parameters (names and types).
    #[serde(default)]
    pub ssm: ssm::SsmEvidence,
}

impl Region {
    /// What the region's evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Vec<(Option<&str>, Availability)> {
        let services = [
            self.ec2.answers(operation),
            self.rds.answers(operation),
            self.elbv2.answers(operation),
            self.accessanalyzer.answers(operation),
            self.sso.answers(operation),
            self.secretsmanager.answers(operation),
            self.dynamodb.answers(operation),
            self.kms.answers(operation),
            self.cloudtrail.answers(operation),
            self.logs.answers(operation),
            self.cloudwatch.answers(operation),
            self.sns.answers(operation),
            self.sqs.answers(operation),
            self.wafv2.answers(operation),
            self.apigateway.answers(operation),
            self.cognito.answers(operation),
            self.lambda.answers(operation),
            self.ecs.answers(operation),
            self.cloudformation.answers(operation),
            self.codebuild.answers(operation),
            self.backup.answers(operation),
            self.guardduty.answers(operation),
            self.config.answers(operation),
            self.securityhub.answers(operation),
            self.ssm.answers(operation),
        ];
        services.into_iter().flatten().next().unwrap_or_default()
    }

    /// Whether the region holds workload resources (instances, databases or load
    /// balancers) according to the evidence that was collected.
    pub fn has_workloads(&self) -> bool {
        let instances = self.ec2.instances.present().is_some_and(|v| !v.is_empty());
        let databases = self
            .rds
            .db_instances
            .present()
            .is_some_and(|v| !v.is_empty());
        let balancers = self
            .elbv2
            .load_balancers
            .present()
            .is_some_and(|v| !v.is_empty());
        instances || databases || balancers
    }
}

/// A resource tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    /// Tag key.
    pub key: String,
    /// Tag value.
    #[serde(default)]
    pub value: String,
}

/// The value of the `Name` tag, if any.
pub fn name_tag(tags: &[Tag]) -> Option<&str> {
    tags.iter()
        .find(|t| t.key == "Name")
        .map(|t| t.value.as_str())
}

/// AWS timestamps as the CLI prints them (RFC 3339).
pub type Timestamp = chrono::DateTime<chrono::Utc>;

/// Reads an optional timestamp of a JSON-protocol service (Secrets Manager,
/// CloudTrail, Config, Backup). These services send epoch seconds, which
/// version 1 of the AWS CLI prints as they came (`1523477145.713`, its default
/// `cli_timestamp_format`) and version 2 as RFC 3339 text: both are read.
pub fn wire_timestamp<'de, D>(deserializer: D) -> Result<Option<Timestamp>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Visitor;
    impl<'de> serde::de::Visitor<'de> for Visitor {
        type Value = Option<Timestamp>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an RFC 3339 formatted date and time string or epoch seconds")
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            v.parse::<Timestamp>()
                .map(Some)
                .map_err(|e| E::custom(format!("`{v}` is not an RFC 3339 date and time ({e})")))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
            self.visit_f64(v as f64)
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
            self.visit_f64(v as f64)
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
            let millis = (v * 1000.0).round();
            if !millis.is_finite() || millis.abs() > 1e16 {
                return Err(E::custom(format!("{v} is not a time in epoch seconds")));
            }
            chrono::DateTime::from_timestamp_millis(millis as i64)
                .map(Some)
                .ok_or_else(|| E::custom(format!("{v} is not a time in epoch seconds")))
        }
    }
    deserializer.deserialize_option(Visitor)
}
