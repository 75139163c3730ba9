//! One (service, region) of a collection: its bound on requests in flight,
//! and the conversion of each call's result into evidence.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use cartguard_inventory::{Collected, Operation};
use futures::StreamExt;
use tokio::sync::Semaphore;

use crate::answer::answer;
use crate::progress::Progress;

/// A service in a region, collected as one task.
/// Every page of a paginated request, as one piece of evidence:
/// `all_pages!(scope, &DESCRIBE_VPCS, ec2.describe_vpcs())`.
macro_rules! all_pages {
    ($scope:expr, $operation:expr, $request:expr) => {
        $scope.call($operation, async {
            $request.into_paginator().send().try_collect().await
        })
    };
}
pub(crate) use all_pages;

#[derive(Clone)]
pub(crate) struct Scope {
    limit: Arc<Semaphore>,
    max_in_flight: usize,
    progress: Progress,
}

impl Scope {
    pub(crate) fn new(max_in_flight: usize, progress: Progress) -> Scope {
        let max_in_flight = max_in_flight.max(1);
        Scope {
            limit: Arc::new(Semaphore::new(max_in_flight)),
            max_in_flight,
            progress,
        }
    }

    /// Makes one call (all its pages) within the bound and keeps its answer
    /// as evidence of `operation`.
    pub(crate) async fn call<T, E, F>(&self, operation: &Operation, call: F) -> Collected<T>
    where
        F: Future<Output = Result<T, SdkError<E, Response>>>,
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let result = {
            // The semaphore is never closed, so a permit always comes.
            let _permit = self.limit.acquire().await;
            call.await
        };
        let collected = answer(operation, result);
        self.progress
            .call(matches!(collected, Collected::Failed { .. }));
        collected
    }

    /// Makes a per-resource call for each resource, concurrently within the
    /// bound, keyed by the resource's name as evidence keys name it.
    pub(crate) async fn each<T, E, F, Fut>(
        &self,
        operation: &Operation,
        resources: Vec<String>,
        call: F,
    ) -> BTreeMap<String, Collected<T>>
    where
        F: Fn(String) -> Fut,
        Fut: Future<Output = Result<T, SdkError<E, Response>>>,
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        futures::stream::iter(resources)
            .map(|resource| {
                let key = cartguard_evidence::layout::safe_name(&resource);
                let answer = self.call(operation, call(resource));
                async move { (key, answer.await) }
            })
            .buffer_unordered(self.max_in_flight)
            .collect()
            .await
    }

    /// How many requests may be in flight at once.
    pub(crate) fn width(&self) -> usize {
        self.max_in_flight
    }

    /// This (service, region) is done.
    pub(crate) fn done(&self) {
        self.progress.done();
    }
}
