#!/usr/bin/env python3
"""Generate a synthetic `aws iam get-account-authorization-details` output.

Usage: scripts/gen-authz-details.py N OUT [--seed S]

Writes N roles (plus N/50 users in a handful of groups) with inline policies
and shared customer managed policies, in the shape the AWS CLI prints. The
policies use realistic wildcards (service-wide actions, `Get*`/`List*`,
bucket/* and table ARNs, `${aws:username}`), conditions, denies, permissions
boundaries and a few administrator and escalation-prone roles, so the IAM
analyses have real work to do. Output is deterministic for a given seed.
"""

import argparse
import json
import random

ACCOUNT = "123456789012"
SERVICES = ["ec2.amazonaws.com", "lambda.amazonaws.com", "ecs-tasks.amazonaws.com",
            "glue.amazonaws.com", "codebuild.amazonaws.com"]


def doc(statements):
    return {"Version": "2012-10-17", "Statement": statements}


def arn(kind, name, path="/"):
    return f"arn:aws:iam::{ACCOUNT}:{kind}{path}{name}"


def app_statements(rng, k):
    bucket = f"shop-{k % 40}-assets"
    table = f"orders-{k % 25}"
    pool = [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
         "Resource": f"arn:aws:s3:::{bucket}/*"},
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{bucket}",
         "Condition": {"StringLike": {"s3:prefix": ["uploads/*", "public/*"]}}},
        {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"],
         "Resource": [f"arn:aws:dynamodb:*:{ACCOUNT}:table/{table}", f"arn:aws:dynamodb:*:{ACCOUNT}:table/{table}/index/*"]},
        {"Effect": "Allow", "Action": "sqs:*", "Resource": f"arn:aws:sqs:us-east-1:{ACCOUNT}:jobs-{k % 10}"},
        {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"],
         "Resource": f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:app/{k % 30}/*"},
        {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*",
         "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}},
        {"Effect": "Allow", "Action": ["ec2:Describe*", "cloudwatch:Get*", "cloudwatch:List*"], "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:*", "Resource": ["arn:aws:s3:::tmp-*", "arn:aws:s3:::tmp-*/*"]},
        {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"},
        {"Effect": "Allow", "Action": "ssm:GetParameter*", "Resource": f"arn:aws:ssm:*:{ACCOUNT}:parameter/app/{k % 30}/*"},
        {"Effect": "Allow", "Action": "sns:Publish", "Resource": "*",
         "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}},
    ]
    chosen = rng.sample(pool, rng.randint(2, 5))
    # Some policies carry a dead allow: an allow their own deny always overrides.
    if rng.random() < 0.05:
        chosen.append({"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::legacy/*"})
        chosen.append({"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::legacy*"})
    return chosen


def managed_policies(rng, count):
    policies = []
    for i in range(count):
        kind = i % 10
        if kind == 0:
            stmts = [{"Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                      "Resource": f"arn:aws:logs:*:{ACCOUNT}:log-group:/app/*"}]
        elif kind == 1:
            stmts = [{"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"}]
        elif kind == 2:
            stmts = [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": f"arn:aws:dynamodb:*:{ACCOUNT}:table/*"},
                     {"Effect": "Deny", "Action": ["dynamodb:DeleteTable", "dynamodb:DeleteBackup"], "Resource": "*"}]
        elif kind == 3:
            stmts = [{"Effect": "Allow", "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], "Resource": "*"}]
        elif kind == 4:
            stmts = [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": arn("role", "app-*"),
                      "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}},
                     {"Effect": "Allow", "Action": ["ecs:RegisterTaskDefinition", "ecs:RunTask", "ecs:Describe*"], "Resource": "*"}]
        elif kind == 5:
            stmts = [{"Effect": "Allow", "Action": ["ec2:*"], "Resource": "*",
                      "Condition": {"StringEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}}]
        elif kind == 6:
            stmts = [{"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], "Resource": "*"}]
        elif kind == 7:
            stmts = [{"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"}]
        elif kind == 8:
            stmts = [{"Effect": "Allow", "Action": ["lambda:InvokeFunction", "lambda:Get*", "lambda:List*"],
                      "Resource": f"arn:aws:lambda:*:{ACCOUNT}:function:app-*"}]
        else:
            stmts = [{"Effect": "Allow", "Action": ["cloudformation:Describe*", "cloudformation:List*", "cloudformation:Get*"], "Resource": "*"}]
        name = f"shared-{i}"
        old = doc([{"Effect": "Allow", "Action": "*", "Resource": "*"}])
        policies.append({
            "PolicyName": name,
            "PolicyId": f"ANPA{i:016d}",
            "Arn": arn("policy", name),
            "Path": "/",
            "DefaultVersionId": "v2",
            "AttachmentCount": 0,
            "PermissionsBoundaryUsageCount": 0,
            "IsAttachable": True,
            "CreateDate": "2023-01-01T00:00:00Z",
            "UpdateDate": "2024-01-01T00:00:00Z",
            "PolicyVersionList": [
                {"Document": doc(stmts), "VersionId": "v2", "IsDefaultVersion": True, "CreateDate": "2024-01-01T00:00:00Z"},
                {"Document": old, "VersionId": "v1", "IsDefaultVersion": False, "CreateDate": "2023-01-01T00:00:00Z"},
            ],
        })
    boundary = {
        "PolicyName": "dev-boundary", "PolicyId": "ANPABOUNDARY0000000", "Arn": arn("policy", "dev-boundary"),
        "Path": "/", "DefaultVersionId": "v1", "AttachmentCount": 0, "PermissionsBoundaryUsageCount": 1,
        "IsAttachable": True,
        "PolicyVersionList": [{"Document": doc([
            {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"},
            {"Effect": "Deny", "Action": ["s3:DeleteBucket", "kms:ScheduleKeyDeletion"], "Resource": "*"}]),
            "VersionId": "v1", "IsDefaultVersion": True}],
    }
    admin = {
        "PolicyName": "AdministratorAccess", "PolicyId": "ANPAADMIN0000000000", "Arn": "arn:aws:iam::aws:policy/AdministratorAccess",
        "Path": "/", "DefaultVersionId": "v1", "AttachmentCount": 0, "IsAttachable": True,
        "PolicyVersionList": [{"Document": doc([{"Effect": "Allow", "Action": "*", "Resource": "*"}]),
                               "VersionId": "v1", "IsDefaultVersion": True}],
    }
    return policies + [boundary, admin]


def trust(rng, i):
    r = rng.random()
    if r < 0.6:
        return doc([{"Effect": "Allow", "Principal": {"Service": rng.choice(SERVICES)}, "Action": "sts:AssumeRole"}])
    if r < 0.8:
        return doc([{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{100000000000 + i % 97}:root"},
                     "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": f"ext-{i}"}}}])
    return doc([{"Effect": "Allow", "Principal": {"Federated": f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"},
                 "Action": "sts:AssumeRoleWithWebIdentity",
                 "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": f"repo:shop/app-{i % 20}:*"}}}])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    policies = managed_policies(rng, 60)
    shared = [p["Arn"] for p in policies[:60]]
    roles = []
    for i in range(args.n):
        name = f"app-{i}" if i % 3 else f"svc-{i}"
        attached = [{"PolicyName": a.rsplit("/", 1)[-1], "PolicyArn": a} for a in rng.sample(shared, rng.randint(1, 3))]
        if i % 250 == 0:
            attached.append({"PolicyName": "AdministratorAccess", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"})
        inline = [{"PolicyName": f"inline-{j}", "PolicyDocument": doc(app_statements(rng, i + j))}
                  for j in range(rng.randint(1, 2))]
        if i % 400 == 7:
            inline.append({"PolicyName": "deploy", "PolicyDocument": doc([
                {"Effect": "Allow", "Action": ["iam:PassRole"], "Resource": arn("role", "*")},
                {"Effect": "Allow", "Action": ["lambda:CreateFunction", "lambda:InvokeFunction", "ec2:RunInstances"], "Resource": "*"}])})
        role = {
            "Path": "/",
            "RoleName": name,
            "RoleId": f"AROA{i:016d}",
            "Arn": arn("role", name),
            "CreateDate": "2024-01-01T00:00:00Z",
            "AssumeRolePolicyDocument": trust(rng, i),
            "InstanceProfileList": [],
            "RolePolicyList": inline,
            "AttachedManagedPolicies": attached,
            "Tags": [{"Key": "team", "Value": f"team-{i % 12}"}],
            "RoleLastUsed": {},
        }
        if i % 10 == 3:
            role["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": arn("policy", "dev-boundary")}
        roles.append(role)

    groups = []
    for g in range(8):
        groups.append({
            "Path": "/", "GroupName": f"group-{g}", "GroupId": f"AGPA{g:016d}", "Arn": arn("group", f"group-{g}"),
            "GroupPolicyList": [{"PolicyName": "self-service", "PolicyDocument": doc([
                {"Effect": "Allow", "Action": ["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:ChangePassword"],
                 "Resource": f"arn:aws:iam::{ACCOUNT}:user/${{aws:username}}"}])}],
            "AttachedManagedPolicies": [{"PolicyName": f"shared-{g}", "PolicyArn": shared[g]}],
        })
    users = []
    for u in range(max(1, args.n // 50)):
        users.append({
            "Path": "/", "UserName": f"user-{u}", "UserId": f"AIDA{u:016d}", "Arn": arn("user", f"user-{u}"),
            "CreateDate": "2024-01-01T00:00:00Z",
            "UserPolicyList": [] if u % 5 else [{"PolicyName": "extra", "PolicyDocument": doc(app_statements(rng, u))}],
            "GroupList": [f"group-{u % 8}"],
            "AttachedManagedPolicies": [],
            "Tags": [],
        })

    out = {"UserDetailList": users, "GroupDetailList": groups, "RoleDetailList": roles, "Policies": policies}
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
