#!/usr/bin/env python3
"""Generate a synthetic AWS account for benchmarking cartguard's data-protection,
logging and edge rules.

Usage:
    scripts/gen-data-account.py --out DIR [size options]

Writes an evidence folder (docs/evidence.md) of AWS CLI outputs (--output json
shapes), every file one call's answer:

    s3/global/list-buckets.json and, per bucket, get-bucket-encryption,
    get-bucket-versioning, get-public-access-block, get-bucket-policy,
    get-bucket-acl, get-bucket-logging, get-object-lock-configuration,
    get-bucket-location; s3control/global/get-public-access-block.json
    kms/REGION/list-keys, list-aliases and, per key, describe-key,
    get-key-policy, get-key-rotation-status
    logs/REGION/describe-log-groups, describe-metric-filters
    cloudwatch/REGION/describe-alarms; sns/REGION/list-topics and
    list-subscriptions-by-topic/TOPIC
    lambda/REGION/list-functions (with environment variables), get-policy/FUNCTION
    cloudtrail/REGION/describe-trails (one multi-region trail, listed in every
    region) and, in its home region, get-trail-status and get-event-selectors
    guardduty, configservice, securityhub, ec2 (a small network for the load
    balancers and a few instances, volumes, EBS default encryption), rds, dynamodb, secretsmanager, ssm, ecs, backup per region
    elbv2 (load balancers, listeners, attributes, security policies, target
    groups), wafv2 (regional and CloudFront web ACLs), apigateway,
    apigatewayv2, cognito-idp per region; cloudfront and shield (global)

Default size: 10,000 buckets, 2,000 KMS keys, 2,000 log groups with 5,000 metric
filters, 500 alarms notifying 50 SNS topics, 1,000 Lambda functions, spread over
17 regions, plus a few load balancers, web ACLs, APIs, user pools, tables,
databases and secrets in each. Every kind of resource comes both compliant and
not, so every rule has work to do. The output is deterministic for a given --seed.
"""

import argparse
import json
import os
import random
import sys

ACCOUNT = "111122223333"
OWNER_ID = "0deeb8fa1dbbee4c0dbe7f5e3c9183940139f26d22797ee8ab07c00557a4c2ff"
REGIONS = [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1",
    "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1",
    "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ap-southeast-1", "ap-southeast-2", "sa-east-1",
]
HOME = "eu-west-1"
TRAIL = "org-management-trail"
TRAIL_BUCKET = f"cloudtrail-logs-{ACCOUNT}"
TRAIL_GROUP = "aws-cloudtrail-logs-management"

# The CIS monitoring patterns (CIS AWS Foundations 4.1-4.15), as CIS gives them.
CIS_FILTERS = [
    ("UnauthorizedAPICalls", '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }'),
    ("ConsoleSigninWithoutMFA", '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }'),
    ("RootAccountUsage", '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }'),
    ("IAMPolicyChanges", "{ ($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || ($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || ($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy) }"),
    ("CloudTrailChanges", "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"),
    ("ConsoleAuthFailures", '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }'),
    ("DisableOrDeleteCMK", "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }"),
    ("S3BucketPolicyChanges", "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }"),
    ("AWSConfigChanges", "{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }"),
    ("SecurityGroupChanges", "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }"),
    # A look-alike: matches every network ACL call, reads included (does not cover 4.11).
    ("NACLChanges", "{ $.eventName = *NetworkAcl* }"),
    ("NetworkGatewayChanges", "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }"),
    ("RouteTableChanges", "{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }"),
    ("VPCChanges", "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }"),
    # Organizations changes (4.15) left without a filter.
]

# Application patterns for the other filters: JSON and term patterns, and two
# kinds the parser refuses (space-delimited, regular expressions).
APP_PATTERNS = [
    '{ $.level = "ERROR" }',
    '{ ($.status >= 500) && ($.path = "/checkout/*") }',
    '{ $.latency > 2000 || $.status = 504 }',
    '{ $.eventName = "PutObject" && $.requestParameters.bucketName = "media-*" }',
    '"PHP Fatal error"',
    "ERROR -DEBUG ?payment ?checkout",
    "Exception",
    '{ $.userIdentity.type = "AssumedRole" && $.errorCode NOT EXISTS }',
    "[ip, user, timestamp, request, status_code = 5*, size]",
    "",
]

SSL_POLICIES = [
    ("ELBSecurityPolicy-TLS13-1-2-2021-06", ["TLSv1.2", "TLSv1.3"]),
    ("ELBSecurityPolicy-TLS13-1-3-2021-06", ["TLSv1.3"]),
    ("ELBSecurityPolicy-TLS-1-2-2017-01", ["TLSv1.2"]),
    ("ELBSecurityPolicy-TLS-1-1-2017-01", ["TLSv1.1", "TLSv1.2"]),
    ("ELBSecurityPolicy-2016-08", ["TLSv1", "TLSv1.1", "TLSv1.2"]),
]
CIPHERS = ["TLS_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "AES128-SHA"]


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="output folder (must not exist or be empty)")
    p.add_argument("--buckets", type=int, default=10000)
    p.add_argument("--keys", type=int, default=2000, help="KMS keys, spread over the regions")
    p.add_argument("--log-groups", type=int, default=2000)
    p.add_argument("--metric-filters", type=int, default=5000)
    p.add_argument("--trail-filters", type=int, default=1000,
                   help="how many of the metric filters are on the trail's log group")
    p.add_argument("--alarms", type=int, default=500)
    p.add_argument("--topics", type=int, default=50)
    p.add_argument("--functions", type=int, default=1000)
    p.add_argument("--regions", type=int, default=17, help=f"1..{len(REGIONS)}")
    p.add_argument("--seed", type=int, default=42)
    args = p.parse_args(argv)
    if not 1 <= args.regions <= len(REGIONS):
        p.error(f"--regions must be between 1 and {len(REGIONS)}")
    for name in ["buckets", "keys", "log_groups", "alarms", "topics", "functions"]:
        if not 1 <= getattr(args, name) <= 1_000_000:
            p.error(f"--{name.replace('_', '-')} must be between 1 and 1000000")
    if not 0 <= args.metric_filters <= 1_000_000:
        p.error("--metric-filters must be between 0 and 1000000")
    if not len(CIS_FILTERS) <= args.trail_filters <= args.metric_filters:
        p.error(f"--trail-filters must be between {len(CIS_FILTERS)} and --metric-filters")
    if os.path.exists(args.out) and os.listdir(args.out):
        p.error(f"{args.out} exists and is not empty")
    return args


class Writer:
    """Writes the evidence folder, counting files and bytes."""

    def __init__(self, root):
        self.root = root
        self.files = 0
        self.bytes = 0
        self.made = set()

    def put(self, service, region, operation, value, resource=None):
        folder = os.path.join(self.root, service, region)
        if resource is not None:
            folder = os.path.join(folder, operation)
            name = resource.replace("/", "_").replace(":", "_") + ".json"
        else:
            name = operation + ".json"
        if folder not in self.made:
            os.makedirs(folder, exist_ok=True)
            self.made.add(folder)
        text = json.dumps(value, indent=4) + "\n"
        with open(os.path.join(folder, name), "w") as f:
            f.write(text)
        self.files += 1
        self.bytes += len(text)


def error(code, message):
    return {"Error": {"Code": code, "Message": message}}


def uuid(rng):
    h = "%032x" % rng.getrandbits(128)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


def hexid(rng, n):
    return "%0*x" % (n, rng.getrandbits(4 * n))


def date(rng, start=2019, end=2026):
    return f"{rng.randint(start, end)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}+00:00"


def policy_text(statements):
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


# --- KMS -----------------------------------------------------------------------


def gen_kms(w, rng, regions, total):
    """Keys per region; returns {region: [customer key ARNs]}."""
    customer = {r: [] for r in regions}
    for ri, region in enumerate(regions):
        n = total // len(regions) + (1 if ri < total % len(regions) else 0)
        keys, aliases = [], []
        for i in range(n):
            key_id = uuid(rng)
            arn = f"arn:aws:kms:{region}:{ACCOUNT}:key/{key_id}"
            keys.append({"KeyId": key_id, "KeyArn": arn})
            roll = rng.random()
            aws_managed = i < 4  # aws/s3, aws/ebs, aws/rds, aws/lambda
            asymmetric = not aws_managed and roll < 0.05
            manager = "AWS" if aws_managed else "CUSTOMER"
            spec = "RSA_2048" if asymmetric else "SYMMETRIC_DEFAULT"
            w.put("kms", region, "describe-key", {"KeyMetadata": {
                "AWSAccountId": ACCOUNT, "KeyId": key_id, "Arn": arn, "CreationDate": date(rng),
                "Enabled": True, "Description": f"key {i} of {region}",
                "KeyUsage": "SIGN_VERIFY" if asymmetric else "ENCRYPT_DECRYPT",
                "KeyState": "Enabled" if rng.random() > 0.03 else "PendingDeletion",
                "Origin": "AWS_KMS", "KeyManager": manager,
                "CustomerMasterKeySpec": spec, "KeySpec": spec,
                "EncryptionAlgorithms" if not asymmetric else "SigningAlgorithms":
                    ["SYMMETRIC_DEFAULT"] if not asymmetric else ["RSASSA_PSS_SHA_256"],
                "MultiRegion": False,
            }}, key_id)
            if aws_managed:
                service = ["s3", "ebs", "rds", "lambda"][i]
                aliases.append({"AliasName": f"alias/aws/{service}",
                                "AliasArn": f"arn:aws:kms:{region}:{ACCOUNT}:alias/aws/{service}",
                                "TargetKeyId": key_id})
            else:
                customer[region].append(arn)
                if rng.random() < 0.6:
                    aliases.append({"AliasName": f"alias/shop-{region}-{i}",
                                    "AliasArn": f"arn:aws:kms:{region}:{ACCOUNT}:alias/shop-{region}-{i}",
                                    "TargetKeyId": key_id})
            statements = [{"Sid": "Enable IAM User Permissions", "Effect": "Allow",
                           "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                           "Action": "kms:*", "Resource": "*"}]
            kind = rng.random()
            if aws_managed or kind < 0.15:
                statements.append({"Sid": "Allow access through the service", "Effect": "Allow",
                                   "Principal": {"AWS": "*"},
                                   "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                                   "Resource": "*",
                                   "Condition": {"StringEquals": {"kms:CallerAccount": ACCOUNT,
                                                                  "kms:ViaService": f"s3.{region}.amazonaws.com"}}})
            elif kind < 0.22:
                statements.append({"Sid": "Open", "Effect": "Allow", "Principal": "*",
                                   "Action": "kms:Decrypt", "Resource": "*"})
            elif kind < 0.30:
                statements.append({"Sid": "Partner", "Effect": "Allow",
                                   "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                                   "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"})
            else:
                statements.append({"Sid": "Key users", "Effect": "Allow",
                                   "Principal": {"AWS": [f"arn:aws:iam::{ACCOUNT}:role/app-{j}" for j in range(rng.randint(1, 4))]},
                                   "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*"})
            w.put("kms", region, "get-key-policy",
                  {"Policy": policy_text(statements), "PolicyName": "default"}, key_id)
            if asymmetric:
                w.put("kms", region, "get-key-rotation-status",
                      error("UnsupportedOperationException", f"{arn} key usage is not ENCRYPT_DECRYPT or key spec is not SYMMETRIC_DEFAULT."), key_id)
            else:
                enabled = aws_managed or rng.random() < 0.7
                status = {"KeyRotationEnabled": enabled, "KeyId": arn}
                if enabled:
                    status["RotationPeriodInDays"] = 365
                w.put("kms", region, "get-key-rotation-status", status, key_id)
        w.put("kms", region, "list-keys", {"Keys": keys})
        w.put("kms", region, "list-aliases", {"Aliases": aliases})
    return customer


# --- S3 ------------------------------------------------------------------------


def gen_s3(w, rng, regions, total, kms):
    buckets = []
    names = [TRAIL_BUCKET] + [f"shop-data-{i:05d}-{hexid(rng, 6)}" for i in range(total - 1)]
    log_bucket = names[1] if total > 1 else names[0]
    for i, name in enumerate(names):
        region = HOME if i == 0 else regions[i % len(regions)]
        buckets.append({"Name": name, "CreationDate": date(rng)})
        arn = f"arn:aws:s3:::{name}"
        # Default encryption.
        roll = rng.random()
        if i == 0 or (roll < 0.25 and kms[region]):
            rule = {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms",
                                                           "KMSMasterKeyID": rng.choice(kms[region]) if kms[region] else "alias/aws/s3"},
                    "BucketKeyEnabled": True}
        elif roll < 0.35:
            rule = {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms",
                                                           "KMSMasterKeyID": f"arn:aws:kms:{region}:{ACCOUNT}:alias/aws/s3"},
                    "BucketKeyEnabled": False}
        elif roll < 0.95:
            rule = {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": False}
        else:
            rule = None
        w.put("s3", "global", "get-bucket-encryption",
              {"ServerSideEncryptionConfiguration": {"Rules": [rule]}} if rule else
              error("ServerSideEncryptionConfigurationNotFoundError", "The server side encryption configuration was not found"), name)
        # Versioning.
        roll = rng.random()
        versioning = ({"Status": "Enabled", "MFADelete": "Enabled"} if i == 0 or roll < 0.05 else
                      {"Status": "Enabled", "MFADelete": "Disabled"} if roll < 0.5 else
                      {"Status": "Enabled"} if roll < 0.6 else
                      {"Status": "Suspended", "MFADelete": "Disabled"} if roll < 0.75 else {})
        w.put("s3", "global", "get-bucket-versioning", versioning, name)
        # Public access block.
        roll = rng.random()
        if roll < 0.7 or i == 0:
            w.put("s3", "global", "get-public-access-block", {"PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}}, name)
        elif roll < 0.9:
            w.put("s3", "global", "get-public-access-block", {"PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": False, "RestrictPublicBuckets": False}}, name)
        else:
            w.put("s3", "global", "get-public-access-block",
                  error("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found"), name)
        # Bucket policy.
        roll = rng.random()
        tls = {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
               "Resource": [arn, f"{arn}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
        if i == 0:
            statements = [
                {"Sid": "AWSCloudTrailAclCheck", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
                 "Action": "s3:GetBucketAcl", "Resource": arn},
                {"Sid": "AWSCloudTrailWrite", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
                 "Action": "s3:PutObject", "Resource": f"{arn}/AWSLogs/{ACCOUNT}/*",
                 "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}},
                tls,
            ]
        elif roll < 0.35:
            statements = None
        elif roll < 0.75:
            statements = [tls, {"Sid": "App", "Effect": "Allow",
                                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/app-{i % 97}"},
                                "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"{arn}/*"}]
        elif roll < 0.85:
            statements = [{"Sid": "PublicRead", "Effect": "Allow", "Principal": "*",
                           "Action": "s3:GetObject", "Resource": f"{arn}/*"}]
        elif roll < 0.95:
            statements = [{"Sid": "TlsOnlyForVpc", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                           "Resource": f"{arn}/*", "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-0abc"}}},
                          {"Sid": "Partner", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                           "Action": "s3:ListBucket", "Resource": arn}]
        else:
            statements = [{"Sid": "OrgRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                           "Resource": f"{arn}/*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]
        w.put("s3", "global", "get-bucket-policy",
              {"Policy": policy_text(statements)} if statements else
              error("NoSuchBucketPolicy", "The bucket policy does not exist"), name)
        # ACL.
        grants = [{"Grantee": {"DisplayName": "shop-aws", "ID": OWNER_ID, "Type": "CanonicalUser"}, "Permission": "FULL_CONTROL"}]
        if rng.random() < 0.03:
            grants.append({"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"}, "Permission": "READ"})
        w.put("s3", "global", "get-bucket-acl", {"Owner": {"DisplayName": "shop-aws", "ID": OWNER_ID}, "Grants": grants}, name)
        # Access logging.
        w.put("s3", "global", "get-bucket-logging",
              {"LoggingEnabled": {"TargetBucket": log_bucket, "TargetPrefix": f"s3-access/{name}/"}}
              if i == 0 or rng.random() < 0.5 else {}, name)
        # Object lock.
        if rng.random() < 0.05:
            w.put("s3", "global", "get-object-lock-configuration", {"ObjectLockConfiguration": {
                "ObjectLockEnabled": "Enabled",
                "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 365}}}}, name)
        else:
            w.put("s3", "global", "get-object-lock-configuration",
                  error("ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket"), name)
        w.put("s3", "global", "get-bucket-location",
              {"LocationConstraint": None if region == "us-east-1" else region}, name)
    w.put("s3", "global", "list-buckets", {"Buckets": buckets, "Owner": {"DisplayName": "shop-aws", "ID": OWNER_ID}})
    w.put("s3control", "global", "get-public-access-block", {"PublicAccessBlockConfiguration": {
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": False, "RestrictPublicBuckets": False}})
    return names


# --- CloudTrail, logs, alarms, SNS -----------------------------------------------


def gen_trail(w, rng, regions, buckets, kms):
    arn = f"arn:aws:cloudtrail:{HOME}:{ACCOUNT}:trail/{TRAIL}"
    trail = {
        "Name": TRAIL, "S3BucketName": TRAIL_BUCKET, "IncludeGlobalServiceEvents": True,
        "IsMultiRegionTrail": True, "HomeRegion": HOME, "TrailARN": arn,
        "LogFileValidationEnabled": True,
        "CloudWatchLogsLogGroupArn": f"arn:aws:logs:{HOME}:{ACCOUNT}:log-group:{TRAIL_GROUP}:*",
        "CloudWatchLogsRoleArn": f"arn:aws:iam::{ACCOUNT}:role/CloudTrail-CloudWatchLogs",
        "KmsKeyId": kms[HOME][0] if kms[HOME] else f"arn:aws:kms:{HOME}:{ACCOUNT}:key/{uuid(rng)}",
        "HasCustomEventSelectors": True, "HasInsightSelectors": False, "IsOrganizationTrail": False,
    }
    for region in regions:
        w.put("cloudtrail", region, "describe-trails", {"trailList": [trail]})
    if HOME not in regions:
        return
    w.put("cloudtrail", HOME, "get-trail-status", {
        "IsLogging": True, "LatestDeliveryTime": "2026-11-20T11:47:31+00:00",
        "StartLoggingTime": "2019-03-14T10:05:12+00:00",
        "LatestCloudWatchLogsDeliveryTime": "2026-11-20T11:47:30+00:00",
        "LatestDeliveryAttemptTime": "2026-11-20T11:47:31Z", "LatestNotificationAttemptTime": "",
        "LatestNotificationAttemptSucceeded": "", "LatestDeliveryAttemptSucceeded": "2026-11-20T11:47:31Z",
        "TimeLoggingStarted": "2019-03-14T10:05:12Z", "TimeLoggingStopped": ""}, TRAIL)
    # Data events for 250 buckets (the most a trail's basic selectors take) and some functions.
    w.put("cloudtrail", HOME, "get-event-selectors", {"TrailARN": arn, "EventSelectors": [
        {"ReadWriteType": "All", "IncludeManagementEvents": True, "ExcludeManagementEventSources": [],
         "DataResources": [{"Type": "AWS::S3::Object",
                            "Values": [f"arn:aws:s3:::{b}/" for b in buckets[1:251]]}]},
        {"ReadWriteType": "WriteOnly", "IncludeManagementEvents": False, "ExcludeManagementEventSources": [],
         "DataResources": [{"Type": "AWS::Lambda::Function",
                            "Values": [f"arn:aws:lambda:{HOME}:{ACCOUNT}:function:fn-{i:04d}" for i in range(0, 200, 17)]}]},
    ]}, TRAIL)


def gen_logs(w, rng, regions, groups_total, filters_total, trail_filters):
    """Log groups and metric filters; returns {region: [(namespace, metric)]}."""
    metrics = {r: [] for r in regions}
    per_region = {r: [] for r in regions}
    for i in range(groups_total):
        region = regions[i % len(regions)]
        name = TRAIL_GROUP if i == 0 and HOME in regions else f"/shop/{['app', 'lambda', 'ecs', 'api'][i % 4]}/svc-{i:05d}"
        if i == 0 and HOME in regions:
            region = HOME
        per_region[region].append(name)
    # The trail's group gets trail_filters filters, the CIS ones first; the rest are spread.
    filters = {r: [] for r in regions}
    for k in range(filters_total):
        if HOME in regions and k < trail_filters:
            region, group = HOME, TRAIL_GROUP
            if k < len(CIS_FILTERS):
                metric, pattern = CIS_FILTERS[k]
                namespace = "CISBenchmark"
            else:
                metric = f"TrailSignal{k:05d}"
                pattern = APP_PATTERNS[k % len(APP_PATTERNS)]
                namespace = "ShopTrail"
        else:
            region = regions[k % len(regions)]
            group = rng.choice(per_region[region]) if per_region[region] else f"/shop/app/{k}"
            metric = f"AppSignal{k:05d}"
            pattern = APP_PATTERNS[k % len(APP_PATTERNS)]
            namespace = "Shop"
        filters[region].append({
            "filterName": f"{metric}-filter", "filterPattern": pattern,
            "metricTransformations": [{"metricName": metric, "metricNamespace": namespace, "metricValue": "1"}],
            "creationTime": 1673537900000 + k, "logGroupName": group, "applyOnTransformedLogs": False})
        metrics[region].append((namespace, metric))
    counts = {}
    for region in regions:
        for f in filters[region]:
            counts[(region, f["logGroupName"])] = counts.get((region, f["logGroupName"]), 0) + 1
    for region in regions:
        groups = []
        for name in per_region[region]:
            group = {"logGroupName": name, "creationTime": 1673537407000,
                     "metricFilterCount": counts.get((region, name), 0),
                     "arn": f"arn:aws:logs:{region}:{ACCOUNT}:log-group:{name}:*",
                     "storedBytes": rng.randint(0, 10**10), "logGroupClass": "STANDARD",
                     "logGroupArn": f"arn:aws:logs:{region}:{ACCOUNT}:log-group:{name}"}
            retention = rng.choice([None, 1, 7, 14, 30, 90, 365, 400, 3653])
            if name == TRAIL_GROUP:
                retention = 400
            if retention:
                group["retentionInDays"] = retention
            groups.append(group)
        w.put("logs", region, "describe-log-groups", {"logGroups": groups})
        w.put("logs", region, "describe-metric-filters", {"metricFilters": filters[region]})
    return metrics


def gen_alarms(w, rng, regions, total, topics_total, metrics):
    topics = {r: [] for r in regions}
    for t in range(topics_total):
        region = HOME if t < max(1, topics_total // 5) and HOME in regions else regions[t % len(regions)]
        topics[region].append(f"arn:aws:sns:{region}:{ACCOUNT}:shop-alerts-{t:03d}")
    for region in regions:
        w.put("sns", region, "list-topics", {"Topics": [{"TopicArn": t} for t in topics[region]]})
        for t, topic in enumerate(topics[region]):
            subs = []
            for s in range(rng.randint(0, 3)):
                pending = rng.random() < 0.2
                subs.append({"SubscriptionArn": "PendingConfirmation" if pending else f"{topic}:{uuid(rng)}",
                             "Owner": ACCOUNT, "Protocol": rng.choice(["email", "https", "lambda", "sqs"]),
                             "Endpoint": f"ops{s}@shop.example", "TopicArn": topic})
            w.put("sns", region, "list-subscriptions-by-topic", {"Subscriptions": subs}, topic.rsplit(":", 1)[1])
    alarms = {r: [] for r in regions}
    home_metrics = metrics.get(HOME, [])
    for a in range(total):
        # The CIS metrics first, in the home region, then the others spread out.
        if a < len(CIS_FILTERS) and HOME in regions:
            region = HOME
            namespace, metric = home_metrics[a]
        else:
            region = regions[a % len(regions)]
            namespace, metric = rng.choice(metrics[region]) if metrics[region] and rng.random() < 0.7 else ("AWS/EC2", "CPUUtilization")
        actions = [rng.choice(topics[region])] if topics[region] and rng.random() < 0.85 else []
        alarms[region].append({
            "AlarmName": f"{metric}-alarm-{a}", "AlarmArn": f"arn:aws:cloudwatch:{region}:{ACCOUNT}:alarm:{metric}-alarm-{a}",
            "AlarmConfigurationUpdatedTimestamp": "2025-03-11T16:40:02.118000+00:00",
            "ActionsEnabled": rng.random() < 0.95, "OKActions": [], "AlarmActions": actions,
            "InsufficientDataActions": [], "StateValue": "OK", "StateReason": "Threshold Crossed",
            "StateUpdatedTimestamp": "2026-11-19T03:10:44.512000+00:00", "MetricName": metric,
            "Namespace": namespace, "Statistic": "Sum", "Dimensions": [], "Period": 300,
            "EvaluationPeriods": 1, "Threshold": 1.0, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "TreatMissingData": "notBreaching", "StateTransitionedTimestamp": "2026-11-19T03:10:44.512000+00:00"})
    for region in regions:
        w.put("cloudwatch", region, "describe-alarms", {"MetricAlarms": alarms[region], "CompositeAlarms": []})


# --- Lambda --------------------------------------------------------------------


def gen_lambda(w, rng, regions, total):
    functions = {r: [] for r in regions}
    for i in range(total):
        region = HOME if i < 200 and HOME in regions else regions[i % len(regions)]
        name = f"fn-{i:04d}"
        env = {"LOG_LEVEL": "info", "STAGE": "prod", "BUCKET": f"shop-data-{i:05d}", "TABLE": f"orders-{i % 13}"}
        roll = rng.random()
        if roll < 0.05:
            env["STRIPE_SECRET_KEY"] = "sk_live_" + hexid(rng, 24)
        elif roll < 0.10:
            env["DB_PASSWORD"] = hexid(rng, 16)
        elif roll < 0.15:
            env["AWS_SECRET_ACCESS_KEY"] = hexid(rng, 40)
        elif roll < 0.30:
            env["API_TOKEN_ARN"] = f"arn:aws:secretsmanager:{region}:{ACCOUNT}:secret:prod/api-token-{i}"
        for k in range(rng.randint(0, 12)):
            env[f"FEATURE_FLAG_{k}"] = rng.choice(["on", "off", "1", "0"])
        functions[region].append({
            "FunctionName": name, "FunctionArn": f"arn:aws:lambda:{region}:{ACCOUNT}:function:{name}",
            "Runtime": rng.choice(["nodejs20.x", "python3.12", "java21"]),
            "Role": f"arn:aws:iam::{ACCOUNT}:role/lambda-{i % 37}", "Handler": "index.handler",
            "CodeSize": rng.randint(1000, 5_000_000), "Description": f"function {i}", "Timeout": 30,
            "MemorySize": 512, "LastModified": "2026-10-02T14:31:07.000+0000",
            "CodeSha256": "3q1mX8pJ2c0v+ZbT7n4KfH5rLw9yA6dE1gS0uI2oPk8=", "Version": "$LATEST",
            "Environment": {"Variables": env}, "TracingConfig": {"Mode": "PassThrough"},
            "RevisionId": uuid(rng), "PackageType": "Zip", "Architectures": ["arm64"]})
        if rng.random() < 0.1:
            w.put("lambda", region, "get-policy", {"Policy": policy_text([{
                "Sid": "apigw", "Effect": "Allow", "Principal": {"Service": "apigateway.amazonaws.com"},
                "Action": "lambda:InvokeFunction", "Resource": f"arn:aws:lambda:{region}:{ACCOUNT}:function:{name}",
                "Condition": {"ArnLike": {"AWS:SourceArn": f"arn:aws:execute-api:{region}:{ACCOUNT}:*"}}}]),
                "RevisionId": uuid(rng)}, name)
        else:
            w.put("lambda", region, "get-policy",
                  error("ResourceNotFoundException", "The resource you requested does not exist."), name)
    for region in regions:
        w.put("lambda", region, "list-functions", {"Functions": functions[region]})


# --- Everything else, a few per region ------------------------------------------


def gen_regional(w, rng, regions, kms, network):
    for ri, region in enumerate(regions):
        vpc, _, private, _ = network[region]
        # Detection services.
        detector = hexid(rng, 32)
        if ri % 5 != 4:
            w.put("guardduty", region, "list-detectors", {"DetectorIds": [detector]})
            w.put("guardduty", region, "get-detector", {
                "CreatedAt": "2023-01-20T09:14:02.311Z", "FindingPublishingFrequency": "SIX_HOURS",
                "ServiceRole": f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty",
                "Status": "ENABLED" if ri % 7 else "DISABLED", "UpdatedAt": "2025-06-02T08:40:17.006Z", "Tags": {}}, detector)
        else:
            w.put("guardduty", region, "list-detectors", {"DetectorIds": []})
        recorder_arn = f"arn:aws:config:{region}:{ACCOUNT}:configuration-recorder/default/{hexid(rng, 16)}"
        if ri % 4 != 3:
            w.put("configservice", region, "describe-configuration-recorders", {"ConfigurationRecorders": [{
                "arn": recorder_arn, "name": "default",
                "roleARN": f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
                "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": region == HOME, "resourceTypes": [],
                                   "exclusionByResourceTypes": {"resourceTypes": []},
                                   "recordingStrategy": {"useOnly": "ALL_SUPPORTED_RESOURCE_TYPES"}},
                "recordingMode": {"recordingFrequency": "CONTINUOUS", "recordingModeOverrides": []}}]})
            w.put("configservice", region, "describe-configuration-recorder-status", {"ConfigurationRecordersStatus": [{
                "arn": recorder_arn, "name": "default", "lastStartTime": "2023-01-20T09:20:11.402000+00:00",
                "recording": ri % 6 != 5, "lastStatus": "SUCCESS",
                "lastStatusChangeTime": "2026-11-20T11:20:45.880000+00:00"}]})
        else:
            w.put("configservice", region, "describe-configuration-recorders", {"ConfigurationRecorders": []})
            w.put("configservice", region, "describe-configuration-recorder-status", {"ConfigurationRecordersStatus": []})
        if ri % 3:
            w.put("securityhub", region, "describe-hub", {
                "HubArn": f"arn:aws:securityhub:{region}:{ACCOUNT}:hub/default", "SubscribedAt": "2024-04-08T13:22:51.204Z",
                "AutoEnableControls": True, "ControlFindingGenerator": "SECURITY_CONTROL"})
        else:
            w.put("securityhub", region, "describe-hub",
                  error("InvalidAccessException", f"Account {ACCOUNT} is not subscribed to AWS Security Hub"))
        key = kms[region][0] if kms[region] else None
        # EBS.
        w.put("ec2", region, "get-ebs-encryption-by-default",
              {"EbsEncryptionByDefault": ri % 2 == 0, "SseEncryptionType": "sse-ebs"})
        volumes = []
        for v in range(20):
            vid = "vol-" + hexid(rng, 17)
            vol = {"Attachments": [], "AvailabilityZone": f"{region}a", "CreateTime": date(rng),
                   "Encrypted": v % 4 != 0, "Size": 30, "SnapshotId": "", "State": "available", "VolumeId": vid,
                   "Iops": 3000, "Tags": [{"Key": "backup", "Value": "daily"}] if v % 2 else [],
                   "VolumeType": "gp3", "MultiAttachEnabled": False, "Throughput": 125}
            if v % 4 and key:
                vol["KmsKeyId"] = key
            volumes.append(vol)
        w.put("ec2", region, "describe-volumes", {"Volumes": volumes})
        # RDS.
        instances = []
        for d in range(3):
            ident = f"shop-db-{ri}-{d}"
            instances.append({
                "DBInstanceIdentifier": ident, "DBInstanceClass": "db.r6g.large", "Engine": "mysql",
                "DBInstanceStatus": "available", "MasterUsername": "admin",
                "Endpoint": {"Address": f"{ident}.c9akciq32lce.{region}.rds.amazonaws.com", "Port": 3306},
                "AllocatedStorage": 200, "InstanceCreateTime": "2023-01-12T16:04:31.271000+00:00",
                "BackupRetentionPeriod": [14, 1, 7][d],
                "VpcSecurityGroups": [{"VpcSecurityGroupId": f"sg-{ri:08x}{2:09x}", "Status": "active"}],
                "DBSubnetGroup": {"DBSubnetGroupName": "data", "VpcId": vpc, "SubnetGroupStatus": "Complete",
                                  "Subnets": [{"SubnetIdentifier": s, "SubnetStatus": "Active"} for s in private]},
                "AvailabilityZone": f"{region}a", "MultiAZ": d == 0, "EngineVersion": "8.0.39",
                "AutoMinorVersionUpgrade": d != 1, "PubliclyAccessible": False, "StorageType": "gp3",
                "StorageEncrypted": d != 2, "DeletionProtection": d == 0,
                "DBInstanceArn": f"arn:aws:rds:{region}:{ACCOUNT}:db:{ident}", "TagList": []})
            if d != 2 and key:
                instances[-1]["KmsKeyId"] = key
        w.put("rds", region, "describe-db-instances", {"DBInstances": instances})
        w.put("rds", region, "describe-db-clusters", {"DBClusters": []})
        # DynamoDB.
        tables = [f"orders-{ri}-{t}" for t in range(4)]
        w.put("dynamodb", region, "list-tables", {"TableNames": tables})
        for t, table in enumerate(tables):
            desc = {"AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}], "TableName": table,
                    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}], "TableStatus": "ACTIVE",
                    "CreationDateTime": "2024-02-06T11:20:33.412000+00:00",
                    "ProvisionedThroughput": {"NumberOfDecreaseToday": 0, "ReadCapacityUnits": 0, "WriteCapacityUnits": 0},
                    "TableSizeBytes": 19862932, "ItemCount": 48211,
                    "TableArn": f"arn:aws:dynamodb:{region}:{ACCOUNT}:table/{table}", "TableId": uuid(rng),
                    "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"}, "DeletionProtectionEnabled": t == 0}
            if t % 2 == 0 and key:
                desc["SSEDescription"] = {"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": key}
            w.put("dynamodb", region, "describe-table", {"Table": desc}, table)
            status = "ENABLED" if t != 3 else "DISABLED"
            w.put("dynamodb", region, "describe-continuous-backups", {"ContinuousBackupsDescription": {
                "ContinuousBackupsStatus": "ENABLED",
                "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": status}}}, table)
        # Secrets Manager and SSM.
        secrets = []
        for s in range(5):
            name = f"prod/app-{ri}/secret-{s}"
            arn = f"arn:aws:secretsmanager:{region}:{ACCOUNT}:secret:{name}-{hexid(rng, 6)}"
            secret = {"ARN": arn, "Name": name, "LastChangedDate": "2026-10-28T03:00:12.345000+00:00",
                      "Tags": [], "SecretVersionsToStages": {uuid(rng): ["AWSCURRENT"]},
                      "CreatedDate": "2023-01-12T16:30:02.118000+00:00", "RotationEnabled": s % 2 == 0}
            if s % 2 == 0:
                secret.update({"RotationLambdaARN": f"arn:aws:lambda:{region}:{ACCOUNT}:function:rotate",
                               "RotationRules": {"AutomaticallyAfterDays": 30},
                               "LastRotatedDate": "2026-10-28T03:00:12.345000+00:00"})
            secrets.append(secret)
            w.put("secretsmanager", region, "get-resource-policy", {"ARN": arn, "Name": name}, name)
        w.put("secretsmanager", region, "list-secrets", {"SecretList": secrets})
        parameters = []
        for p, (pname, ptype) in enumerate([("base-url", "String"), ("db-password", "String"),
                                            ("api-key", "SecureString"), ("feature-flags", "StringList"),
                                            ("stripe-secret", "String")]):
            param = {"Name": f"/shop/{region}/{pname}", "ARN": f"arn:aws:ssm:{region}:{ACCOUNT}:parameter/shop/{region}/{pname}",
                     "Type": ptype, "LastModifiedDate": "2025-01-10T10:00:00.000000+00:00", "Version": 3,
                     "Tier": "Standard", "Policies": [], "DataType": "text"}
            if ptype == "SecureString":
                param["KeyId"] = "alias/aws/ssm"
            parameters.append(param)
        w.put("ssm", region, "describe-parameters", {"Parameters": parameters})
        # ECS.
        arns = []
        for t in range(2):
            family = f"worker-{ri}-{t}"
            arn = f"arn:aws:ecs:{region}:{ACCOUNT}:task-definition/{family}:3"
            arns.append(arn)
            env = [{"name": "MODE", "value": "production"}]
            if t == 1:
                env.append({"name": "DB_PASSWORD", "value": hexid(rng, 16)})
            w.put("ecs", region, "describe-task-definition", {"taskDefinition": {
                "taskDefinitionArn": arn, "containerDefinitions": [{
                    "name": "app", "image": f"{ACCOUNT}.dkr.ecr.{region}.amazonaws.com/worker:1", "cpu": 0,
                    "essential": True, "environment": env, "secrets": []}],
                "family": family, "networkMode": "awsvpc", "revision": 3, "volumes": [], "status": "ACTIVE",
                "requiresCompatibilities": ["FARGATE"], "cpu": "512", "memory": "1024",
                "registeredAt": "2026-08-19T10:02:11.512000+00:00"}, "tags": []}, f"{family}_3")
        w.put("ecs", region, "list-task-definitions", {"taskDefinitionArns": arns})
        # Backup.
        if ri % 2 == 0:
            plan = uuid(rng)
            selection = uuid(rng)
            role = f"arn:aws:iam::{ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole"
            w.put("backup", region, "list-backup-plans", {"BackupPlansList": [{
                "BackupPlanArn": f"arn:aws:backup:{region}:{ACCOUNT}:backup-plan:{plan}", "BackupPlanId": plan,
                "CreationDate": "2023-02-01T09:14:27.000000+00:00", "VersionId": hexid(rng, 20),
                "BackupPlanName": "daily"}]})
            w.put("backup", region, "list-backup-selections", {"BackupSelectionsList": [{
                "SelectionId": selection, "SelectionName": "databases", "BackupPlanId": plan,
                "CreationDate": "2023-02-01T09:15:02.000000+00:00", "IamRoleArn": role}]}, plan)
            w.put("backup", region, "get-backup-selection", {"BackupSelection": {
                "SelectionName": "databases", "IamRoleArn": role, "Resources": ["arn:aws:rds:*:*:db:*"],
                "ListOfTags": [], "NotResources": [],
                "Conditions": {"StringEquals": [], "StringNotEquals": [], "StringLike": [], "StringNotLike": []}},
                "SelectionId": selection, "BackupPlanId": plan, "CreationDate": "2023-02-01T09:15:02.000000+00:00"}, selection)
            w.put("backup", region, "list-protected-resources", {"Results": [
                {"ResourceArn": i["DBInstanceArn"], "ResourceType": "RDS", "LastBackupTime": "2026-11-20T03:21:08.000000+00:00"}
                for i in instances]})
        else:
            w.put("backup", region, "list-backup-plans", {"BackupPlansList": []})
            w.put("backup", region, "list-protected-resources", {"Results": []})


def gen_network(w, rng, regions):
    """A small network per region (one VPC, public and private subnets, the load
    balancers' and instances' security groups, a few instances), so that the edge
    rules can tell which load balancers the internet reaches. Returns
    {region: (vpc, public subnets, private subnets, load balancer group)}."""
    out = {}
    for ri, region in enumerate(regions):
        vpc, cidr = f"vpc-{ri:017x}", f"10.{ri}.0.0/16"
        igw = f"igw-{ri:017x}"
        public = [f"subnet-{ri:08x}{s:09x}" for s in range(2)]
        private = [f"subnet-{ri:08x}{s:09x}" for s in range(2, 4)]
        subnets = [{"SubnetId": sid, "VpcId": vpc, "CidrBlock": f"10.{ri}.{s}.0/24",
                    "AvailabilityZone": f"{region}{'ab'[s % 2]}", "MapPublicIpOnLaunch": s < 2,
                    "State": "available", "OwnerId": ACCOUNT}
                   for s, sid in enumerate(public + private)]
        acl_entries = [
            {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": egress, "CidrBlock": "0.0.0.0/0"}
            for egress in (False, True)] + [
            {"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": egress, "CidrBlock": "0.0.0.0/0"}
            for egress in (False, True)]
        lb_sg, app_sg, default_sg = (f"sg-{ri:08x}{g:09x}" for g in range(3))
        groups = [
            {"GroupId": default_sg, "GroupName": "default", "Description": "default VPC security group", "VpcId": vpc,
             "OwnerId": ACCOUNT, "IpPermissions": [], "IpPermissionsEgress": []},
            {"GroupId": lb_sg, "GroupName": "alb", "Description": "load balancers", "VpcId": vpc, "OwnerId": ACCOUNT,
             "IpPermissions": [{"IpProtocol": "tcp", "FromPort": p, "ToPort": p, "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                                "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []} for p in (80, 443)],
             "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [],
                                      "PrefixListIds": [], "UserIdGroupPairs": []}]},
            {"GroupId": app_sg, "GroupName": "app", "Description": "application servers", "VpcId": vpc, "OwnerId": ACCOUNT,
             "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "IpRanges": [], "Ipv6Ranges": [],
                                "PrefixListIds": [], "UserIdGroupPairs": [{"GroupId": lb_sg, "UserId": ACCOUNT}]}],
             "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [],
                                      "PrefixListIds": [], "UserIdGroupPairs": []}]},
        ]
        reservations, interfaces = [], []
        for k in range(4):
            iid, eni = f"i-{ri:08x}{k:09x}", f"eni-{ri:08x}{k:09x}"
            sid, ip = private[k % 2], f"10.{ri}.{2 + k % 2}.{10 + k}"
            ni = {"NetworkInterfaceId": eni, "SubnetId": sid, "VpcId": vpc, "Groups": [{"GroupId": app_sg, "GroupName": "app"}],
                  "PrivateIpAddress": ip, "PrivateIpAddresses": [{"PrivateIpAddress": ip, "Primary": True}]}
            reservations.append({"ReservationId": f"r-{ri:08x}{k:09x}", "OwnerId": ACCOUNT, "Groups": [], "Instances": [{
                "InstanceId": iid, "InstanceType": "t3.medium", "State": {"Code": 16, "Name": "running"},
                "SubnetId": sid, "VpcId": vpc, "PrivateIpAddress": ip,
                "MetadataOptions": {"HttpTokens": "required", "HttpEndpoint": "enabled"},
                "SecurityGroups": [{"GroupId": app_sg, "GroupName": "app"}], "NetworkInterfaces": [ni]}]})
            interfaces.append(dict(ni, InterfaceType="interface", Attachment={"InstanceId": iid, "Status": "attached"}))
        w.put("ec2", region, "describe-vpcs", {"Vpcs": [{"VpcId": vpc, "CidrBlock": cidr, "IsDefault": False, "OwnerId": ACCOUNT,
                                                         "State": "available",
                                                         "CidrBlockAssociationSet": [{"CidrBlock": cidr}]}]})
        w.put("ec2", region, "describe-subnets", {"Subnets": subnets})
        w.put("ec2", region, "describe-internet-gateways", {"InternetGateways": [
            {"InternetGatewayId": igw, "OwnerId": ACCOUNT, "Tags": [], "Attachments": [{"VpcId": vpc, "State": "available"}]}]})
        w.put("ec2", region, "describe-route-tables", {"RouteTables": [
            {"RouteTableId": f"rtb-{ri:08x}000000001", "VpcId": vpc, "OwnerId": ACCOUNT, "PropagatingVgws": [], "Tags": [],
             "Routes": [{"DestinationCidrBlock": cidr, "GatewayId": "local", "State": "active"},
                        {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw, "State": "active"}],
             "Associations": [{"Main": False, "SubnetId": s, "RouteTableId": f"rtb-{ri:08x}000000001"} for s in public]},
            {"RouteTableId": f"rtb-{ri:08x}000000002", "VpcId": vpc, "OwnerId": ACCOUNT, "PropagatingVgws": [], "Tags": [],
             "Routes": [{"DestinationCidrBlock": cidr, "GatewayId": "local", "State": "active"}],
             "Associations": [{"Main": True, "RouteTableId": f"rtb-{ri:08x}000000002"}]}]})
        w.put("ec2", region, "describe-nat-gateways", {"NatGateways": []})
        w.put("ec2", region, "describe-network-acls", {"NetworkAcls": [
            {"NetworkAclId": f"acl-{ri:017x}", "VpcId": vpc, "IsDefault": True, "OwnerId": ACCOUNT, "Tags": [],
             "Entries": acl_entries, "Associations": [{"NetworkAclId": f"acl-{ri:017x}", "SubnetId": s} for s in public + private]}]})
        w.put("ec2", region, "describe-security-groups", {"SecurityGroups": groups})
        w.put("ec2", region, "describe-instances", {"Reservations": reservations})
        w.put("ec2", region, "describe-network-interfaces", {"NetworkInterfaces": interfaces})
        w.put("ec2", region, "describe-addresses", {"Addresses": []})
        w.put("ec2", region, "describe-flow-logs", {"FlowLogs": [
            {"FlowLogId": f"fl-{ri:017x}", "ResourceId": vpc, "TrafficType": "ALL", "FlowLogStatus": "ACTIVE",
             "LogDestinationType": "cloud-watch-logs", "LogGroupName": "/shop/vpc-flow-logs"}] if ri % 2 == 0 else []})
        w.put("ec2", region, "describe-managed-prefix-lists", {"PrefixLists": []})
        out[region] = (vpc, public, private, lb_sg)
    return out


def gen_edge(w, rng, regions, network):
    policies = [{"SslProtocols": protocols, "Ciphers": [{"Name": c, "Priority": p + 1} for p, c in enumerate(CIPHERS)],
                 "Name": name, "SupportedLoadBalancerTypes": ["application", "network"]} for name, protocols in SSL_POLICIES]
    for ri, region in enumerate(regions):
        w.put("elbv2", region, "describe-ssl-policies", {"SslPolicies": policies})
        vpc, public, private, lb_sg = network[region]
        lbs, groups, acl_targets = [], [], []
        for b in range(6):
            name = f"shop-alb-{ri}-{b}"
            lb_arn = f"arn:aws:elasticloadbalancing:{region}:{ACCOUNT}:loadbalancer/app/{name}/{hexid(rng, 16)}"
            tg_name = f"shop-tg-{ri}-{b}"
            tg_arn = f"arn:aws:elasticloadbalancing:{region}:{ACCOUNT}:targetgroup/{tg_name}/{hexid(rng, 16)}"
            lbs.append({"LoadBalancerArn": lb_arn, "DNSName": f"{name}.{region}.elb.amazonaws.com",
                        "CanonicalHostedZoneId": "Z32O12XQLNTSW2", "CreatedTime": "2023-01-12T15:02:18.930000+00:00",
                        "LoadBalancerName": name, "Scheme": "internet-facing" if b % 3 else "internal",
                        "VpcId": vpc, "State": {"Code": "active"}, "Type": "application",
                        "AvailabilityZones": [{"ZoneName": f"{region}{'ab'[z]}", "SubnetId": s, "LoadBalancerAddresses": []}
                                              for z, s in enumerate(public if b % 3 else private)],
                        "SecurityGroups": [lb_sg], "IpAddressType": "ipv4"})
            groups.append({"TargetGroupArn": tg_arn, "TargetGroupName": tg_name, "Protocol": "HTTP", "Port": 8080,
                           "HealthCheckProtocol": "HTTP", "LoadBalancerArns": [lb_arn], "TargetType": "instance"})
            w.put("elbv2", region, "describe-target-health", {"TargetHealthDescriptions": []}, tg_name)
            forward = [{"Type": "forward", "TargetGroupArn": tg_arn, "Order": 1}]
            listeners = [{"ListenerArn": f"{lb_arn.replace(':loadbalancer/', ':listener/')}/{hexid(rng, 16)}",
                          "LoadBalancerArn": lb_arn, "Port": 443, "Protocol": "HTTPS",
                          "Certificates": [{"CertificateArn": f"arn:aws:acm:{region}:{ACCOUNT}:certificate/{uuid(rng)}"}],
                          "SslPolicy": SSL_POLICIES[b % len(SSL_POLICIES)][0], "DefaultActions": forward}]
            listeners.append({"ListenerArn": f"{lb_arn.replace(':loadbalancer/', ':listener/')}/{hexid(rng, 16)}",
                              "LoadBalancerArn": lb_arn, "Port": 80, "Protocol": "HTTP",
                              "DefaultActions": forward if b % 2 else [{"Type": "redirect", "Order": 1, "RedirectConfig": {
                                  "Protocol": "HTTPS", "Port": "443", "Host": "#{host}", "Path": "/#{path}",
                                  "Query": "#{query}", "StatusCode": "HTTP_301"}}]})
            w.put("elbv2", region, "describe-listeners", {"Listeners": listeners}, name)
            w.put("elbv2", region, "describe-load-balancer-attributes", {"Attributes": [
                {"Key": "access_logs.s3.enabled", "Value": "true" if b % 2 == 0 else "false"},
                {"Key": "access_logs.s3.bucket", "Value": f"elb-logs-{ACCOUNT}" if b % 2 == 0 else ""},
                {"Key": "access_logs.s3.prefix", "Value": name if b % 2 == 0 else ""},
                {"Key": "deletion_protection.enabled", "Value": "true"},
                {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true" if b % 3 else "false"},
                {"Key": "routing.http.desync_mitigation_mode", "Value": "defensive"},
                {"Key": "waf.fail_open.enabled", "Value": "false"}]}, name)
            if b % 2 == 0:
                acl_targets.append(lb_arn)
        w.put("elbv2", region, "describe-load-balancers", {"LoadBalancers": lbs})
        w.put("elbv2", region, "describe-target-groups", {"TargetGroups": groups})
        # REST and HTTP APIs.
        rest_ids = [hexid(rng, 10) for _ in range(2)]
        w.put("apigateway", region, "get-rest-apis", {"items": [
            {"id": rid, "name": f"partner-api-{ri}-{k}", "createdDate": "2024-09-03T08:15:27+00:00",
             "apiKeySource": "HEADER", "endpointConfiguration": {"types": ["REGIONAL"]},
             "disableExecuteApiEndpoint": False, "rootResourceId": "root000000"} for k, rid in enumerate(rest_ids)]})
        stage_arns = []
        for k, rid in enumerate(rest_ids):
            resources = [{"id": "root000000", "path": "/"}]
            for r in range(10):
                resources.append({"id": hexid(rng, 10), "parentId": "root000000", "pathPart": f"res{r}", "path": f"/res{r}",
                                  "resourceMethods": {
                                      "GET": {"httpMethod": "GET", "authorizationType": "AWS_IAM" if r % 3 else "NONE", "apiKeyRequired": False},
                                      "POST": {"httpMethod": "POST", "authorizationType": "COGNITO_USER_POOLS" if r % 2 else "NONE", "apiKeyRequired": r % 4 == 0},
                                      "OPTIONS": {"httpMethod": "OPTIONS", "authorizationType": "NONE", "apiKeyRequired": False}}})
            w.put("apigateway", region, "get-resources", {"items": resources}, rid)
            stage = {"deploymentId": hexid(rng, 6), "stageName": "v1", "cacheClusterEnabled": False,
                     "methodSettings": {}, "tracingEnabled": False, "createdDate": "2024-09-03T08:40:02+00:00",
                     "lastUpdatedDate": "2026-05-12T16:03:18+00:00"}
            stage_arns.append(f"arn:aws:apigateway:{region}::/restapis/{rid}/stages/v1")
            w.put("apigateway", region, "get-stages", {"item": [stage]}, rid)
        api_id = hexid(rng, 10)
        w.put("apigatewayv2", region, "get-apis", {"Items": [{
            "ApiEndpoint": f"https://{api_id}.execute-api.{region}.amazonaws.com", "ApiId": api_id,
            "CreatedDate": "2025-03-12T11:20:41+00:00", "DisableExecuteApiEndpoint": False,
            "Name": f"webhooks-{ri}", "ProtocolType": "HTTP", "RouteSelectionExpression": "$request.method $request.path"}]})
        w.put("apigatewayv2", region, "get-authorizers", {"Items": [{
            "AuthorizerId": "auth01", "AuthorizerType": "JWT", "IdentitySource": ["$request.header.Authorization"],
            "Name": "jwt", "JwtConfiguration": {"Audience": ["shop"], "Issuer": "https://issuer.example"}}]}, api_id)
        w.put("apigatewayv2", region, "get-routes", {"Items": [
            {"ApiKeyRequired": False, "AuthorizationType": "JWT" if r % 2 else "NONE", "AuthorizerId": "auth01" if r % 2 else None,
             "RouteId": hexid(rng, 6), "RouteKey": f"POST /hooks/{r}", "Target": "integrations/abc123"} for r in range(8)]}, api_id)
        w.put("apigatewayv2", region, "get-stages", {"Items": [{
            "AutoDeploy": True, "CreatedDate": "2025-03-12T11:20:41+00:00", "DefaultRouteSettings": {"DetailedMetricsEnabled": False},
            "RouteSettings": {}, "StageName": "$default", "StageVariables": {}, "Tags": {}}]}, api_id)
        # Web ACLs: two per region, one covering half the load balancers and the first REST stage.
        acls = []
        for k in range(2):
            acl_id = uuid(rng)
            name = f"shop-web-acl-{ri}-{k}"
            arn = f"arn:aws:wafv2:{region}:{ACCOUNT}:regional/webacl/{name}/{acl_id}"
            acls.append({"Name": name, "Id": acl_id, "Description": "", "LockToken": uuid(rng), "ARN": arn})
            w.put("wafv2", region, "get-web-acl", {"WebACL": web_acl(name, acl_id, arn, k), "LockToken": uuid(rng)}, name)
            w.put("wafv2", region, "list-resources-for-web-acl", {"ResourceArns": acl_targets if k == 0 else []}, name)
            w.put("wafv2", region, "list-api-gateway-resources-for-web-acl", {"ResourceArns": stage_arns[:1] if k == 0 else []}, name)
        w.put("wafv2", region, "list-web-acls", {"WebACLs": acls})
        # User pools.
        pools = []
        for k in range(2):
            pid = f"{region}_{hexid(rng, 9)}"
            pools.append({"Id": pid, "Name": f"shop-{['staff', 'customers'][k]}", "LambdaConfig": {},
                          "LastModifiedDate": "2025-11-04T10:02:33.511000+00:00", "CreationDate": "2024-06-17T13:45:09.204000+00:00"})
            w.put("cognito-idp", region, "describe-user-pool", {"UserPool": {
                "Id": pid, "Name": pools[-1]["Name"], "Policies": {"PasswordPolicy": {"MinimumLength": 12}},
                "LambdaConfig": {}, "MfaConfiguration": ["ON", "OFF"][k] if ri % 2 else "OPTIONAL",
                "UserPoolTags": {}, "Arn": f"arn:aws:cognito-idp:{region}:{ACCOUNT}:userpool/{pid}"}}, pid)
        w.put("cognito-idp", region, "list-user-pools", {"UserPools": pools})
    # CloudFront, its web ACL and Shield.
    acl_id = uuid(rng)
    arn = f"arn:aws:wafv2:us-east-1:{ACCOUNT}:global/webacl/shop-cdn/{acl_id}"
    w.put("wafv2", "global", "list-web-acls", {"WebACLs": [{"Name": "shop-cdn", "Id": acl_id, "Description": "",
                                                            "LockToken": uuid(rng), "ARN": arn}]})
    w.put("wafv2", "global", "get-web-acl", {"WebACL": web_acl("shop-cdn", acl_id, arn, 0), "LockToken": uuid(rng)}, "shop-cdn")
    items = []
    for d in range(20):
        did = "E" + hexid(rng, 13).upper()
        items.append({"Id": did, "ARN": f"arn:aws:cloudfront::{ACCOUNT}:distribution/{did}", "Status": "Deployed",
                      "DomainName": f"d{hexid(rng, 13)}.cloudfront.net", "Aliases": {"Quantity": 0},
                      "Origins": {"Quantity": 1, "Items": [{"Id": "origin", "DomainName": f"shop-data-{d:05d}.s3.amazonaws.com"}]},
                      "DefaultCacheBehavior": {"TargetOriginId": "origin",
                                               "ViewerProtocolPolicy": ["redirect-to-https", "https-only", "allow-all"][d % 3]},
                      "CacheBehaviors": {"Quantity": 0}, "Comment": "", "Enabled": True,
                      "ViewerCertificate": {"CloudFrontDefaultCertificate": True, "MinimumProtocolVersion": "TLSv1"},
                      "WebACLId": arn if d % 2 == 0 else "", "HttpVersion": "http2", "IsIPV6Enabled": True, "Staging": False})
    w.put("cloudfront", "global", "list-distributions", {"DistributionList": {"Items": items, "Quantity": len(items)}})
    w.put("shield", "global", "get-subscription-state", {"SubscriptionState": "INACTIVE"})


def web_acl(name, acl_id, arn, variant):
    def managed(group, override):
        return {"Name": f"AWS-{group}", "Priority": 0,
                "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": group}},
                "OverrideAction": {override: {}},
                "VisibilityConfig": {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": group}}
    rules = [managed("AWSManagedRulesCommonRuleSet", "None"), managed("AWSManagedRulesKnownBadInputsRuleSet", "None")]
    if variant == 0:
        rules += [managed("AWSManagedRulesAmazonIpReputationList", "None"), managed("AWSManagedRulesSQLiRuleSet", "Count"),
                  {"Name": "rate-limit", "Priority": 0, "Action": {"Block": {}},
                   "Statement": {"RateBasedStatement": {"Limit": 2000, "AggregateKeyType": "IP"}},
                   "VisibilityConfig": {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "rate"}}]
    for p, rule in enumerate(rules):
        rule["Priority"] = p
    return {"Name": name, "Id": acl_id, "ARN": arn, "DefaultAction": {"Allow": {}}, "Description": "", "Rules": rules,
            "VisibilityConfig": {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": name},
            "Capacity": 1100, "ManagedByFirewallManager": False}


def main(argv):
    args = parse_args(argv)
    rng = random.Random(args.seed)
    regions = REGIONS[:args.regions]
    if HOME not in regions:
        regions = [HOME] + regions[:-1]
    w = Writer(args.out)
    w.put("sts", "global", "get-caller-identity",
          {"UserId": "AIDALTUZUPLBB3LDLAHGC", "Account": ACCOUNT, "Arn": f"arn:aws:iam::{ACCOUNT}:user/auditor"})
    kms = gen_kms(w, rng, regions, args.keys)
    buckets = gen_s3(w, rng, regions, args.buckets, kms)
    gen_trail(w, rng, regions, buckets, kms)
    metrics = gen_logs(w, rng, regions, args.log_groups, args.metric_filters, args.trail_filters)
    gen_alarms(w, rng, regions, args.alarms, args.topics, metrics)
    gen_lambda(w, rng, regions, args.functions)
    network = gen_network(w, rng, regions)
    gen_regional(w, rng, regions, kms, network)
    gen_edge(w, rng, regions, network)
    print(f"wrote {args.out}: {len(regions)} regions, {args.buckets} buckets, {args.keys} keys, "
          f"{args.log_groups} log groups, {args.metric_filters} metric filters, {args.alarms} alarms, "
          f"{args.functions} functions; {w.files} files, {w.bytes / 1e6:.1f} MB", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
