//! Live collection against an AWS API emulator.
//!
//! These tests need a running, seeded emulator: `scripts/test-collect.sh`
//! starts moto's server on 127.0.0.1, seeds it and runs them with
//! `CARTGUARD_TEST_ENDPOINT` set to its URL. Without it they only check what
//! needs no emulator (a port where nothing listens).

use cartguard_aws::{LiveOptions, action_for, collect_blocking, is_read_only};
use cartguard_inventory::Collected;

/// The emulator's credentials, for the SDK's environment provider.
fn emulator_credentials() {
    // SAFETY: the tests of this file set the same values, and read none back.
    unsafe {
        std::env::set_var("AWS_ACCESS_KEY_ID", "testing");
        std::env::set_var("AWS_SECRET_ACCESS_KEY", "testing");
        std::env::remove_var("AWS_PROFILE");
    }
}

fn options(endpoint: &str) -> LiveOptions {
    LiveOptions {
        endpoint_url: Some(endpoint.to_string()),
        regions: vec!["eu-west-1".to_string()],
        ..LiveOptions::default()
    }
}

#[test]
fn a_full_collection_makes_only_read_only_calls_the_policy_grants() {
    let Ok(endpoint) = std::env::var("CARTGUARD_TEST_ENDPOINT") else {
        eprintln!(
            "CARTGUARD_TEST_ENDPOINT is not set: run scripts/test-collect.sh to test against the emulator"
        );
        return;
    };
    emulator_credentials();
    let collection = collect_blocking(&options(&endpoint)).expect("the collection starts");
    assert!(!collection.operations.is_empty());
    for (operation, _) in &collection.operations {
        let name = operation.rsplit(':').next().unwrap_or(operation);
        assert!(
            is_read_only(name),
            "{operation} is not a read-only operation"
        );
        assert!(
            action_for(operation).is_some(),
            "{operation} is called but is not in the scanner policy's table"
        );
    }
    // The seeded account is read whole, but for one divergence of moto's:
    // it answers GetBucketVersioning under the root element
    // `GetBucketVersioningResponse` where AWS sends `VersioningConfiguration`,
    // which the SDK refuses. That is reported as a failed call (the versioning
    // rules say not-assessed), never read as "not versioned".
    let unexpected: Vec<&String> = collection
        .failures
        .iter()
        .filter(|f| !f.starts_with("s3:GetBucketVersioning for "))
        .collect();
    assert!(unexpected.is_empty(), "failed calls: {unexpected:#?}");
    assert_ne!(collection.account.id, "unknown");
    assert!(
        collection
            .account
            .iam
            .authorization_details
            .present()
            .is_some()
    );
    assert!(
        collection.account.regions["eu-west-1"]
            .ec2
            .security_groups
            .present()
            .is_some()
    );
}

#[test]
fn a_port_where_nothing_listens_gives_failed_evidence_not_empty_lists() {
    emulator_credentials();
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.local_addr().expect("its address").port()
    };
    let collection = collect_blocking(&options(&format!("http://127.0.0.1:{port}")))
        .expect("the collection runs to its end");
    assert!(collection.is_incomplete());
    assert_eq!(collection.account.id, "unknown");
    let iam = &collection.account.iam;
    match &iam.authorization_details {
        Collected::Failed { code, .. } => assert_eq!(code, "ConnectionError"),
        other => panic!("authorization details: {other:?}"),
    }
    match &collection.account.s3.buckets {
        Collected::Failed { code, .. } => assert_eq!(code, "ConnectionError"),
        other => panic!("buckets: {other:?}"),
    }
    match &collection.account.regions["eu-west-1"].ec2.security_groups {
        Collected::Failed { code, .. } => assert_eq!(code, "ConnectionError"),
        other => panic!("security groups: {other:?}"),
    }
    assert!(
        collection
            .failures
            .iter()
            .any(|f| f.contains("sts:GetCallerIdentity failed: ConnectionError")),
        "{:#?}",
        collection.failures
    );
}
