//! Connecting: the credential chain, the regions, the endpoint, the audit role,
//! and one SDK client per service, each carrying the operation log.

use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_types::SdkConfig;
use aws_types::region::Region;

use crate::operations::OperationLog;
use crate::progress::ProgressDisplay;

/// Where and how to collect.
#[derive(Debug, Clone)]
pub struct LiveOptions {
    /// A profile of the shared AWS config and credentials files; `None` for
    /// the default credential chain (environment, profile, SSO, web identity,
    /// instance role).
    pub profile: Option<String>,
    /// The regions to collect; empty for every region enabled for the account.
    pub regions: Vec<String>,
    /// Send every call to this endpoint (an emulator, a VPC endpoint); `None`
    /// for AWS's own, or `AWS_ENDPOINT_URL` when set.
    pub endpoint_url: Option<String>,
    /// An audit role to assume first.
    pub role_arn: Option<String>,
    /// The external id the audit role's trust policy requires.
    pub external_id: Option<String>,
    /// Requests in flight at once per (service, region).
    pub max_in_flight: usize,
    /// Whether to draw a progress display on standard error.
    pub progress: ProgressDisplay,
}

impl Default for LiveOptions {
    fn default() -> Self {
        LiveOptions {
            profile: None,
            regions: Vec::new(),
            endpoint_url: None,
            role_arn: None,
            external_id: None,
            max_in_flight: 8,
            progress: ProgressDisplay::Hidden,
        }
    }
}

impl LiveOptions {
    /// How the account's source is named in reports (`aws:default`,
    /// `aws:audit`, `aws:role/…`, with the endpoint when one was given).
    pub fn source_name(&self) -> String {
        let mut name = format!("aws:{}", self.profile.as_deref().unwrap_or("default"));
        if let Some(role) = &self.role_arn {
            name.push_str(&format!(" as {role}"));
        }
        if let Some(url) = self.endpoint() {
            name.push_str(&format!(" at {url}"));
        }
        name
    }

    /// The endpoint given, or the one `AWS_ENDPOINT_URL` names.
    fn endpoint(&self) -> Option<String> {
        self.endpoint_url
            .clone()
            .or_else(|| std::env::var("AWS_ENDPOINT_URL").ok())
            .filter(|url| !url.is_empty())
    }
}

/// Why a collection could not start at all (individual calls that fail are
/// recorded as failed evidence instead).
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// No region was given and none is configured for the profile.
    #[error(
        "no region to start from: give --region, or set one for the profile (aws configure set region REGION) or in AWS_REGION"
    )]
    NoRegion,
    /// The list of enabled regions could not be read.
    #[error(
        "could not list the account's regions (ec2:DescribeRegions failed: {0}); give the regions with --region"
    )]
    Regions(String),
    /// The async runtime could not start.
    #[error("could not start the collection's runtime: {0}")]
    Runtime(String),
}

/// The SDK clients of one collection.
pub(crate) struct Clients {
    pub(crate) base: SdkConfig,
    pub(crate) endpoint: Option<String>,
    pub(crate) log: OperationLog,
    pub(crate) sts: aws_sdk_sts::Client,
    pub(crate) iam: aws_sdk_iam::Client,
    pub(crate) s3: aws_sdk_s3::Client,
    pub(crate) s3control: aws_sdk_s3control::Client,
}

impl Clients {
    /// Resolves credentials, region and endpoint, and builds the clients.
    pub(crate) async fn connect(
        options: &LiveOptions,
        log: OperationLog,
    ) -> Result<Clients, ConnectError> {
        let endpoint = options.endpoint();
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            // Throttling slows the whole client down rather than failing calls.
            .retry_config(RetryConfig::adaptive().with_max_attempts(3))
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(5))
                    .operation_attempt_timeout(Duration::from_secs(60))
                    .build(),
            );
        if let Some(profile) = &options.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(url) = &endpoint {
            loader = loader.endpoint_url(url);
        }
        if let Some(region) = options.regions.first() {
            loader = loader.region(Region::new(region.clone()));
        }
        let mut base = loader.load().await;
        if base.region().is_none() {
            if endpoint.is_none() {
                return Err(ConnectError::NoRegion);
            }
            // An emulator answers in any region.
            base = base
                .into_builder()
                .region(Region::from_static("us-east-1"))
                .build();
        }
        if let Some(role) = &options.role_arn {
            let mut provider = aws_config::sts::AssumeRoleProvider::builder(role)
                .session_name("cartguard-audit")
                .configure(&base);
            if let Some(id) = &options.external_id {
                provider = provider.external_id(id);
            }
            let provider = provider.build().await;
            base = base
                .into_builder()
                .credentials_provider(
                    aws_credential_types::provider::SharedCredentialsProvider::new(provider),
                )
                .build();
        }
        Ok(Clients {
            sts: aws_sdk_sts::Client::from_conf(
                aws_sdk_sts::config::Builder::from(&base)
                    .interceptor(log.clone())
                    .build(),
            ),
            iam: aws_sdk_iam::Client::from_conf(
                aws_sdk_iam::config::Builder::from(&base)
                    .interceptor(log.clone())
                    .build(),
            ),
            s3: aws_sdk_s3::Client::from_conf(
                aws_sdk_s3::config::Builder::from(&base)
                    .interceptor(log.clone())
                    // An emulator serves every bucket under its one host name.
                    .force_path_style(endpoint.is_some())
                    .build(),
            ),
            s3control: s3control_client(&base, endpoint.as_deref(), &log),
            base,
            endpoint,
            log,
        })
    }

    /// The EC2 client of a region.
    pub(crate) fn ec2(&self, region: &str) -> aws_sdk_ec2::Client {
        aws_sdk_ec2::Client::from_conf(
            aws_sdk_ec2::config::Builder::from(&self.base)
                .region(Region::new(region.to_string()))
                .interceptor(self.log.clone())
                .build(),
        )
    }

    /// The CloudTrail client of a region.
    pub(crate) fn cloudtrail(&self, region: &str) -> aws_sdk_cloudtrail::Client {
        aws_sdk_cloudtrail::Client::from_conf(
            aws_sdk_cloudtrail::config::Builder::from(&self.base)
                .region(Region::new(region.to_string()))
                .interceptor(self.log.clone())
                .build(),
        )
    }

    /// The S3 client for a bucket in `region`.
    pub(crate) fn s3_in(&self, region: &str) -> aws_sdk_s3::Client {
        aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(&self.base)
                .region(Region::new(region.to_string()))
                .interceptor(self.log.clone())
                .force_path_style(self.endpoint.is_some())
                .build(),
        )
    }
}

/// S3 Control puts the account id in front of the endpoint's host
/// (`123456789012.s3-control.…`). A given endpoint (an emulator on
/// 127.0.0.1) serves every account under its own name, so there the endpoint
/// is used as given.
fn s3control_client(
    base: &SdkConfig,
    endpoint: Option<&str>,
    log: &OperationLog,
) -> aws_sdk_s3control::Client {
    let mut builder = aws_sdk_s3control::config::Builder::from(base).interceptor(log.clone());
    if let Some(url) = endpoint {
        builder = builder.endpoint_resolver(FixedEndpoint(url.to_string()));
    }
    aws_sdk_s3control::Client::from_conf(builder.build())
}

/// An endpoint resolver that answers one URL for every request.
#[derive(Debug)]
struct FixedEndpoint(String);

impl aws_sdk_s3control::config::endpoint::ResolveEndpoint for FixedEndpoint {
    fn resolve_endpoint<'a>(
        &'a self,
        _params: &'a aws_sdk_s3control::config::endpoint::Params,
    ) -> aws_sdk_s3control::config::endpoint::EndpointFuture<'a> {
        aws_sdk_s3control::config::endpoint::EndpointFuture::ready(Ok(
            aws_smithy_types::endpoint::Endpoint::builder()
                .url(self.0.clone())
                .build(),
        ))
    }
}
