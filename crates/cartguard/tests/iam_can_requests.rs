//! `iam can` for every kind of request AWS evaluates: role sessions, session
//! policies, anonymous and service callers, the resource's account, a trust
//! policy given as it is, VPC endpoint policies, actions that need no
//! permission and conditions that cannot be read. Each test pins the exact
//! output and exit status on the demo account.

mod common;

use common::{cartguard, repo};

/// Runs `cartguard iam can ARGS --evidence <demo>` with the policy files
/// `files` (name, text) written beside it; returns the exit status and the
/// standard output and error.
fn can(args: &[&str], files: &[(&str, &str)]) -> (i32, String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    let output = cartguard()
        .current_dir(dir.path())
        .args(["iam", "can"])
        .args(args)
        .arg("--evidence")
        .arg(repo().join("examples/securecart/evidence"))
        .output()
        .expect("runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

const OPEN: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::securecart-media-prod/*"}]}"#;

#[test]
fn anonymous_callers_are_admitted_only_by_resource_policies() {
    let (status, out, _) = can(
        &[
            "--anonymous",
            "s3:GetObject",
            "arn:aws:s3:::securecart-media-prod/logo.png",
            "--resource-policy",
            "open.json",
        ],
        &[("open.json", OPEN)],
    );
    assert_eq!(status, 0);
    assert_eq!(
        out,
        "ALLOW: anonymous s3:GetObject on arn:aws:s3:::securecart-media-prod/logo.png\n\
         \x20 statement 0 (PublicRead) of open.json\n\
         \x20   {\"Sid\":\"PublicRead\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::securecart-media-prod/*\"}\n\
         \x20 note: the bucket is taken to belong to account 111122223333\n\
         \x20 note: the bucket policy of securecart-media-prod was taken as given (open.json; it replaces the one the evidence holds)\n"
    );
    // Without --resource-policy, the bucket's policy in the evidence decides:
    // the media bucket is public, the exports bucket has no policy.
    let (status, out, _) = can(
        &[
            "--anonymous",
            "s3:GetObject",
            "arn:aws:s3:::securecart-media-prod/logo.png",
        ],
        &[],
    );
    assert_eq!(status, 0);
    assert_eq!(
        out,
        "ALLOW: anonymous s3:GetObject on arn:aws:s3:::securecart-media-prod/logo.png\n\
         \x20 statement 0 (PublicReadProductImages) of bucket policy of securecart-media-prod (evidence)\n\
         \x20   {\"Sid\":\"PublicReadProductImages\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::securecart-media-prod/*\"}\n\
         \x20 note: the bucket is taken to belong to account 111122223333\n\
         \x20 note: the bucket policy of securecart-media-prod from the evidence was weighed\n"
    );
    let (status, out, _) = can(
        &[
            "--anonymous",
            "s3:GetObject",
            "arn:aws:s3:::securecart-reporting-exports/a.csv",
        ],
        &[],
    );
    assert_eq!(status, 0);
    assert_eq!(
        out,
        "IMPLICIT-DENY: anonymous s3:GetObject on arn:aws:s3:::securecart-reporting-exports/a.csv\n\
         \x20 refused: only the resource's own policy can allow anonymous s3:GetObject, and the resource has none in the evidence\n\
         \x20 note: the bucket is taken to belong to account 111122223333\n\
         \x20 note: the evidence shows no bucket policy of securecart-reporting-exports\n"
    );
    // A principal besides --anonymous is a usage error.
    let (status, out, err) = can(
        &[
            "--anonymous",
            "ec2-magento-web",
            "s3:GetObject",
            "arn:aws:s3:::x/y",
        ],
        &[],
    );
    assert_eq!((status, out.as_str()), (2, ""));
    assert!(
        err.contains("with --anonymous or --service give ACTION RESOURCE only"),
        "{err}"
    );
}

#[test]
fn service_principals_wait_on_their_source_account() {
    let trail = r#"{"Version":"2012-10-17","Statement":[{"Sid":"TrailWrites","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::securecart-cloudtrail-111122223333/*","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}"#;
    let object = "arn:aws:s3:::securecart-cloudtrail-111122223333/AWSLogs/x";
    let args = |extra: &'static [&'static str]| {
        let mut args = vec![
            "--service",
            "cloudtrail.amazonaws.com",
            "s3:PutObject",
            object,
            "--resource-policy",
            "trail.json",
        ];
        args.extend_from_slice(extra);
        args
    };
    let (status, out, _) = can(&args(&[]), &[("trail.json", trail)]);
    assert_eq!(status, 0);
    assert!(
        out.starts_with(
            "CONDITIONAL: cloudtrail.amazonaws.com s3:PutObject on arn:aws:s3:::securecart-cloudtrail-111122223333/AWSLogs/x\n"
        ),
        "{out}"
    );
    assert!(out.contains("  depends on aws:SourceAccount (StringEquals 111122223333) — give it with --context aws:SourceAccount=… or --absent aws:SourceAccount\n"), "{out}");
    let (status, out, _) = can(
        &args(&["--context", "aws:SourceAccount=444455556666"]),
        &[("trail.json", trail)],
    );
    assert_eq!(status, 0);
    assert_eq!(
        out,
        "IMPLICIT-DENY: cloudtrail.amazonaws.com s3:PutObject on arn:aws:s3:::securecart-cloudtrail-111122223333/AWSLogs/x\n\
         \x20 refused: no statement of trail.json allows cloudtrail.amazonaws.com s3:PutObject\n\
         \x20 note: the bucket is taken to belong to account 111122223333\n\
         \x20 note: the bucket policy of securecart-cloudtrail-111122223333 was taken as given (trail.json; it replaces the one the evidence holds)\n"
    );
}

#[test]
fn a_session_named_by_a_bucket_policy_is_granted_and_kept() {
    let session = "arn:aws:sts::111122223333:assumed-role/ec2-magento-web/i-0abc";
    let grant = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"ThisSession","Effect":"Allow","Principal":{{"AWS":"{session}"}},"Action":"s3:DeleteObject","Resource":"arn:aws:s3:::securecart-reporting-exports/*"}}]}}"#
    );
    let (status, out, _) = can(
        &[
            session,
            "s3:DeleteObject",
            "arn:aws:s3:::securecart-reporting-exports/a.csv",
            "--resource-policy",
            "grant.json",
        ],
        &[("grant.json", &grant)],
    );
    assert_eq!(status, 0);
    assert!(
        out.starts_with("ALLOW: arn:aws:sts::111122223333:assumed-role/ec2-magento-web/i-0abc s3:DeleteObject on arn:aws:s3:::securecart-reporting-exports/a.csv\n  statement 0 (ThisSession) of grant.json\n"),
        "{out}"
    );
    assert!(out.ends_with("  note: decided for the session arn:aws:sts::111122223333:assumed-role/ec2-magento-web/i-0abc of arn:aws:iam::111122223333:role/ec2-magento-web: a resource-based policy that names the session is not limited by the role's permissions boundary or session policies\n"), "{out}");
}

#[test]
fn session_policies_intersect_with_the_role() {
    let list_only = r#"{"Version":"2012-10-17","Statement":[{"Sid":"ListOnly","Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}"#;
    // PutObject: the bucket policy grants everyone GetObject only.
    let (status, out, _) = can(
        &[
            "ec2-magento-web",
            "s3:PutObject",
            "arn:aws:s3:::securecart-media-prod/a.png",
            "--session-policy",
            "list-only.json",
        ],
        &[("list-only.json", list_only)],
    );
    assert_eq!(status, 0);
    assert_eq!(
        out,
        "IMPLICIT-DENY: arn:aws:iam::111122223333:role/ec2-magento-web s3:PutObject on arn:aws:s3:::securecart-media-prod/a.png\n\
         \x20 refused: the session policies (list-only.json) do not allow s3:PutObject, though the role's policies do\n\
         \x20 note: the bucket is taken to belong to account 111122223333\n\
         \x20 note: the bucket policy of securecart-media-prod from the evidence was weighed\n"
    );
    // A managed session policy the evidence does not hold is named.
    let (status, out, _) = can(
        &[
            "ec2-magento-web",
            "s3:GetObject",
            "arn:aws:s3:::securecart-media-prod/a.png",
            "--session-policy",
            "arn:aws:iam::111122223333:policy/Gone",
        ],
        &[],
    );
    assert_eq!(status, 0);
    assert!(out.contains("  warning: the managed session policy arn:aws:iam::111122223333:policy/Gone is not in the evidence; it was left out of the decision, so the answer may allow more than AWS does\n"), "{out}");
}

#[test]
fn the_resource_account_makes_a_request_cross_account() {
    let partner = r#"{"Version":"2012-10-17","Statement":[{"Sid":"PartnerReads","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/github-actions-deploy"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::partner-feed/*"}]}"#;
    let ask = |extra: &[&str]| {
        let mut args = vec![
            "github-actions-deploy",
            "s3:GetObject",
            "arn:aws:s3:::partner-feed/a.csv",
        ];
        args.extend_from_slice(extra);
        can(&args, &[("partner.json", partner)])
    };
    // Both sides allow.
    let (status, out, _) = ask(&[
        "--resource-account",
        "444455556666",
        "--resource-policy",
        "partner.json",
    ]);
    assert_eq!(status, 0);
    assert!(out.starts_with("ALLOW: arn:aws:iam::111122223333:role/github-actions-deploy s3:GetObject on arn:aws:s3:::partner-feed/a.csv\n"), "{out}");
    assert!(
        out.ends_with("  note: the bucket is taken to belong to account 444455556666\n"),
        "{out}"
    );
    // The other account's bucket without a policy for the caller.
    let (status, out, _) = ask(&["--resource-account", "444455556666"]);
    assert_eq!(status, 0);
    assert_eq!(
        out,
        "IMPLICIT-DENY: arn:aws:iam::111122223333:role/github-actions-deploy s3:GetObject on arn:aws:s3:::partner-feed/a.csv\n\
         \x20 refused: arn:aws:s3:::partner-feed/a.csv belongs to account 444455556666, so its own policy must allow the caller as well: none was given or found (give it with --resource-policy FILE)\n\
         \x20 note: the bucket is taken to belong to account 444455556666\n"
    );
    // Without the owner, the answer says what it assumed.
    let (_, out, _) = ask(&[]);
    assert!(
        out.contains("  warning: the owner of bucket partner-feed is not known"),
        "{out}"
    );
    let (status, _, err) = ask(&["--resource-account", "12"]);
    assert_eq!(status, 2);
    assert!(
        err.contains("--resource-account \"12\": expected a 12-digit account id"),
        "{err}"
    );
}

#[test]
fn a_trust_policy_is_weighed_as_given() {
    let trust = r#"{"Role":{"RoleName":"partner","AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Sid":"ShopDeploys","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/github-actions-deploy"},"Action":"sts:AssumeRole"}]}}}"#;
    let role = "arn:aws:iam::444455556666:role/partner";
    let (status, out, _) = can(
        &[
            "github-actions-deploy",
            "sts:AssumeRole",
            role,
            "--trust-policy",
            "trust.json",
        ],
        &[("trust.json", trust)],
    );
    assert_eq!(status, 0);
    assert!(out.starts_with("ALLOW: arn:aws:iam::111122223333:role/github-actions-deploy sts:AssumeRole on arn:aws:iam::444455556666:role/partner\n  statement 0 (ShopDeploys) of trust.json\n"), "{out}");
    let (status, out, _) = can(
        &[
            "ec2-magento-web",
            "sts:AssumeRole",
            role,
            "--trust-policy",
            "trust.json",
        ],
        &[("trust.json", trust)],
    );
    assert_eq!(status, 0);
    assert_eq!(
        out,
        "IMPLICIT-DENY: arn:aws:iam::111122223333:role/ec2-magento-web sts:AssumeRole on arn:aws:iam::444455556666:role/partner\n\
         \x20 refused: the trust policy of arn:aws:iam::444455556666:role/partner does not admit arn:aws:iam::111122223333:role/ec2-magento-web: it admits only arn:aws:iam::111122223333:role/github-actions-deploy\n"
    );
    let (status, _, err) = can(
        &[
            "github-actions-deploy",
            "s3:GetObject",
            "arn:aws:s3:::b/k",
            "--trust-policy",
            "trust.json",
        ],
        &[("trust.json", trust)],
    );
    assert_eq!(status, 2);
    assert!(
        err.contains("--trust-policy decides sts:AssumeRole* only, not s3:GetObject"),
        "{err}"
    );
}

#[test]
fn a_vpc_endpoint_policy_must_also_allow() {
    let vpce = r#"{"VpcEndpoints":[{"VpcEndpointId":"vpce-0a1b2c3d","PolicyDocument":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"OnlyMedia\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::securecart-media-prod/*\"}]}"}]}"#;
    let (status, out, _) = can(
        &[
            "ec2-magento-web",
            "s3:GetObject",
            "arn:aws:s3:::securecart-reporting-exports/a.csv",
            "--vpce-policy",
            "vpce.json",
        ],
        &[("vpce.json", vpce)],
    );
    assert_eq!(status, 0);
    assert_eq!(
        out,
        "IMPLICIT-DENY: arn:aws:iam::111122223333:role/ec2-magento-web s3:GetObject on arn:aws:s3:::securecart-reporting-exports/a.csv\n\
         \x20 refused: the VPC endpoint policy (vpce.json) does not allow s3:GetObject on arn:aws:s3:::securecart-reporting-exports/a.csv\n\
         \x20 note: the bucket is taken to belong to account 111122223333\n\
         \x20 note: the evidence shows no bucket policy of securecart-reporting-exports\n"
    );
}

#[test]
fn get_caller_identity_needs_no_permission() {
    let (status, out, _) = can(&["ec2-magento-web", "sts:GetCallerIdentity", "*"], &[]);
    assert_eq!(status, 0);
    assert_eq!(
        out,
        "ALLOW: arn:aws:iam::111122223333:role/ec2-magento-web sts:GetCallerIdentity on *\n\
         \x20 note: sts:GetCallerIdentity needs no permission: AWS allows it whatever the policies say (AWS STS API Reference, GetCallerIdentity: no permissions are required, and an explicit deny does not stop it)\n"
    );
}

#[test]
fn an_unreadable_condition_is_named_not_dropped() {
    let odd = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Odd","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEqualz":{"aws:username":"x"}}}]}"#;
    let (status, out, _) = can(
        &[
            "--anonymous",
            "s3:GetObject",
            "arn:aws:s3:::securecart-media-prod/logo.png",
            "--resource-policy",
            "odd.json",
        ],
        &[("odd.json", odd)],
    );
    assert_eq!(status, 0);
    assert_eq!(
        out,
        "CONDITIONAL: anonymous s3:GetObject on arn:aws:s3:::securecart-media-prod/logo.png\n\
         \x20 statement 0 (Odd) of odd.json\n\
         \x20   {\"Sid\":\"Odd\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\",\"Condition\":{\"StringEqualz\":{\"aws:username\":\"x\"}}}\n\
         \x20 cannot decide statement 0 (Odd) of odd.json: StringEqualz is not a condition operator AWS defines; no context settles it\n\
         \x20 note: the bucket is taken to belong to account 111122223333\n\
         \x20 note: the bucket policy of securecart-media-prod was taken as given (odd.json; it replaces the one the evidence holds)\n"
    );
}

#[test]
fn help_shows_an_example_of_every_request_flag() {
    let output = cartguard()
        .args(["iam", "can", "--help"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let help = String::from_utf8_lossy(&output.stdout);
    for flag in [
        "--session-policy read-only.json",
        "--anonymous s3:GetObject",
        "--service cloudtrail.amazonaws.com",
        "--resource-account 444455556666",
        "--trust-policy partner-trust.json",
        "--vpce-policy endpoint-policy.json",
        "assumed-role/web/i-0abc",
    ] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
    }
}

/// A small account: the role `order-exporter`, whose own policies grant no S3
/// action, and the bucket `shop-orders-export`, whose policy (collected with
/// `s3api get-bucket-policy`) lets the role read its objects.
fn bucket_policy_evidence(dir: &std::path::Path) {
    let bucket_policy = r#"{"Version":"2012-10-17","Statement":[{"Sid":"ExporterReads","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/order-exporter"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::shop-orders-export/*"}]}"#;
    let files = [
        (
            "sts/global/get-caller-identity.json",
            r#"{"UserId": "AIDAEXAMPLE", "Account": "111122223333", "Arn": "arn:aws:iam::111122223333:user/auditor"}"#.to_string(),
        ),
        (
            "iam/global/get-account-authorization-details.json",
            r#"{"UserDetailList": [], "GroupDetailList": [], "Policies": [], "RoleDetailList": [{
                "RoleName": "order-exporter", "RoleId": "AROAEXAMPLE", "Path": "/",
                "Arn": "arn:aws:iam::111122223333:role/order-exporter",
                "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
                "RolePolicyList": [{"PolicyName": "logs", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}]}}],
                "AttachedManagedPolicies": []}]}"#.to_string(),
        ),
        (
            "s3/global/list-buckets.json",
            r#"{"Buckets": [{"Name": "shop-orders-export", "CreationDate": "2026-01-05T09:00:00+00:00"}], "Owner": {"ID": "abc"}}"#.to_string(),
        ),
        (
            "s3/global/get-bucket-policy/shop-orders-export.json",
            serde_json::json!({ "Policy": bucket_policy }).to_string(),
        ),
    ];
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
}

#[test]
fn a_collected_bucket_policy_grants_a_role_of_the_account() {
    let dir = tempfile::tempdir().expect("tempdir");
    bucket_policy_evidence(dir.path());
    let ask = |action: &str| {
        let output = cartguard()
            .args([
                "iam",
                "can",
                "order-exporter",
                action,
                "arn:aws:s3:::shop-orders-export/2026/11/orders.csv",
                "--evidence",
            ])
            .arg(dir.path())
            .output()
            .expect("runs");
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    };
    // The role's own policies grant no S3 action: the bucket policy, in the
    // same account, grants the read on its own.
    let (status, out) = ask("s3:GetObject");
    assert_eq!(status, 0);
    assert_eq!(
        out,
        "ALLOW: arn:aws:iam::111122223333:role/order-exporter s3:GetObject on arn:aws:s3:::shop-orders-export/2026/11/orders.csv\n\
         \x20 statement 0 (ExporterReads) of bucket policy of shop-orders-export (evidence)\n\
         \x20   {\"Sid\":\"ExporterReads\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:role/order-exporter\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::shop-orders-export/*\"}\n\
         \x20 note: the bucket is taken to belong to account 111122223333\n\
         \x20 note: the bucket policy of shop-orders-export from the evidence was weighed\n"
    );
    // The JSON answer names the policy weighed.
    let output = cartguard()
        .args([
            "iam",
            "can",
            "order-exporter",
            "s3:GetObject",
            "arn:aws:s3:::shop-orders-export/a.csv",
            "--format",
            "json",
            "--evidence",
        ])
        .arg(dir.path())
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(json["decision"], "allow");
    assert_eq!(
        json["resource_policies"],
        serde_json::json!(["bucket policy of shop-orders-export (evidence)"])
    );
    // What neither side grants stays denied.
    let (status, out) = ask("s3:DeleteObject");
    assert_eq!(status, 0);
    assert!(out.starts_with("IMPLICIT-DENY: "), "{out}");
    // The blast radius counts the read.
    let output = cartguard()
        .args(["iam", "blast-radius", "order-exporter", "--evidence"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains(
            "read    all         s3              arn:aws:s3:::shop-orders-export  (s3:GetObject)"
        ),
        "{text}"
    );
    // Without its policy in the evidence, the answer says what is missing.
    std::fs::remove_file(
        dir.path()
            .join("s3/global/get-bucket-policy/shop-orders-export.json"),
    )
    .expect("remove");
    let (status, out) = ask("s3:GetObject");
    assert_eq!(status, 0);
    assert!(out.starts_with("IMPLICIT-DENY: "), "{out}");
    assert!(
        out.contains("  warning: the bucket policy of shop-orders-export is not in the evidence (s3:GetBucketPolicy for shop-orders-export was not collected); AWS also weighs it, so the decision was taken without it and may differ (give it with --resource-policy FILE)\n"),
        "{out}"
    );
}
