//! Live collection: reads an AWS account with the AWS SDK for Rust into the
//! same [`cartguard_inventory`] model that the evidence reader fills.
//!
//! The collection is read-only by construction: every SDK client carries an
//! [`OperationLog`] interceptor that records each operation called and refuses,
//! before anything is sent, any operation outside [`is_read_only`]. What could
//! not be read is recorded as [`Collected::Failed`](cartguard_inventory::Collected)
//! with the API's error code, never as an empty answer, so the rules that need
//! it report `not-assessed`.
//!
//! Services and regions are collected concurrently on tokio; each (service,
//! region) has its own bound on the requests in flight, per-resource calls
//! (one per bucket, per user) fan out under that bound, and the SDK's adaptive
//! retry mode slows down on throttling.

mod answer;
mod cloudtrail;
mod config;
mod ec2;
mod iam;
mod operations;
mod progress;
mod s3;
mod scope;
mod sts;
mod time;

use cartguard_inventory::{Account, Region};

pub use config::{ConnectError, LiveOptions};
pub use operations::{OPERATION_ACTIONS, OperationLog, action_for, is_read_only, required_actions};
pub use progress::ProgressDisplay;

use crate::scope::Scope;

/// The services the live collector reads, as IAM names them: the evidence of
/// every other service stays `NotCollected` (rules that need it say so).
pub const SERVICES: &[&str] = &["sts", "iam", "s3", "ec2", "cloudtrail"];

/// What a live collection produced.
#[derive(Debug)]
pub struct LiveCollection {
    /// The account as collected.
    pub account: Account,
    /// The regions collected.
    pub regions: Vec<String>,
    /// When the collection started.
    pub started: chrono::DateTime<chrono::Utc>,
    /// Every operation called, in `service:Operation` form, with how often.
    pub operations: Vec<(String, u64)>,
    /// The calls that failed, as "operation: code: message" lines (not-configured
    /// answers are not failures).
    pub failures: Vec<String>,
}

impl LiveCollection {
    /// Whether some evidence could not be collected.
    pub fn is_incomplete(&self) -> bool {
        !self.failures.is_empty()
    }
}

/// Collects the account that `options` lead to, blocking the calling thread
/// on a tokio runtime of its own.
pub fn collect_blocking(options: &LiveOptions) -> Result<LiveCollection, ConnectError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| ConnectError::Runtime(e.to_string()))?;
    runtime.block_on(collect(options))
}

/// Collects the account that `options` lead to.
pub async fn collect(options: &LiveOptions) -> Result<LiveCollection, ConnectError> {
    let started = chrono::Utc::now();
    let log = OperationLog::default();
    let clients = config::Clients::connect(options, log.clone()).await?;
    let progress = progress::Progress::new(options.progress);
    let sts_outcome = sts::caller_identity(&clients).await;
    let account_id = sts_outcome.clone();
    let regions = match &options.regions[..] {
        [] => ec2::enabled_regions(&clients).await?,
        given => given.to_vec(),
    };
    // IAM and S3 once, EC2 and CloudTrail once per region.
    progress.plan(2 * regions.len() + 2);

    let scope = |_region: &str| Scope::new(options.max_in_flight, progress.clone());
    let iam_task = iam::collect(&clients, scope(cartguard_inventory::GLOBAL));
    let s3_task = s3::collect(
        &clients,
        scope(cartguard_inventory::GLOBAL),
        account_id.as_ref().ok().cloned(),
    );
    let region_tasks = regions.iter().map(|region| {
        let clients = &clients;
        // Each service of a region has its own bound on requests in flight.
        let (ec2_scope, cloudtrail_scope) = (scope(region), scope(region));
        async move {
            let (ec2, cloudtrail) = tokio::join!(
                ec2::collect(clients, region, ec2_scope),
                cloudtrail::collect(clients, region, cloudtrail_scope)
            );
            (
                region.clone(),
                Region {
                    ec2,
                    cloudtrail,
                    ..Region::default()
                },
            )
        }
    });
    let (iam, s3, collected_regions) =
        tokio::join!(iam_task, s3_task, futures::future::join_all(region_tasks));
    progress.finish();

    let mut account = Account {
        id: account_id.unwrap_or_else(|_| "unknown".to_string()),
        sources: vec![options.source_name()],
        iam,
        s3,
        regions: collected_regions.into_iter().collect(),
        collection: Some(cartguard_inventory::LiveCollectionInfo {
            started,
            regions: regions.clone(),
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
        }),
        ..Account::default()
    };
    if account.id == "unknown" {
        account.id = account_id_from_evidence(&account).unwrap_or_else(|| "unknown".to_string());
    }
    let mut failures = failures(&account);
    if let Err(reason) = &sts_outcome {
        failures.insert(0, reason.clone());
    }
    Ok(LiveCollection {
        account,
        regions,
        started,
        operations: log.counts(),
        failures,
    })
}

/// The account id from the ARNs the evidence holds, when the caller identity
/// could not be read.
fn account_id_from_evidence(account: &Account) -> Option<String> {
    let details = account.iam.authorization_details.present()?;
    details
        .user_detail_list
        .iter()
        .map(|u| u.arn.as_str())
        .chain(details.role_detail_list.iter().map(|r| r.arn.as_str()))
        .find_map(|arn| arn.split(':').nth(4).filter(|id| !id.is_empty()))
        .map(str::to_string)
}

/// Every failed piece of evidence, phrased by key.
fn failures(account: &Account) -> Vec<String> {
    let mut out = Vec::new();
    for operation in cartguard_inventory::OPERATIONS.iter() {
        for (key, availability) in account.answers(operation) {
            if let Some(reason) = availability.reason(&key)
                && matches!(
                    availability,
                    cartguard_inventory::Availability::Failed { .. }
                )
            {
                out.push(reason);
            }
        }
    }
    out
}
