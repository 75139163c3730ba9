//! Feeds arbitrary bytes to the evidence reader as one of the files it parses.
//! The first byte picks the file; the rest is its content. No input may panic.

#![no_main]

use std::collections::BTreeMap;
use std::path::Path;

use libfuzzer_sys::fuzz_target;

const FILES: &[&str] = &[
    "iam/global/get-account-authorization-details.json",
    "iam/global/get-credential-report.json",
    "iam/global/credential-report.csv",
    "iam/global/get-account-summary.json",
    "iam/global/get-account-password-policy.json",
    "iam/global/list-virtual-mfa-devices.json",
    "iam/global/list-access-keys/alice.json",
    "ec2/eu-west-1/describe-security-groups.json",
    "ec2/eu-west-1/describe-network-acls.json",
    "ec2/eu-west-1/describe-instances.json",
    "ec2/eu-west-1/describe-route-tables.json",
    "rds/eu-west-1/describe-db-instances.json",
    "elbv2/eu-west-1/describe-listeners/web.json",
    "accessanalyzer/eu-west-1/list-analyzers.json",
    "sts/global/get-caller-identity.json",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let file = FILES[usize::from(pick) % FILES.len()];
    let text = String::from_utf8_lossy(rest).into_owned();
    let files = BTreeMap::from([(file.to_string(), text)]);
    let _ = cartguard_evidence::parse_evidence(Path::new("fuzz"), files);
});
