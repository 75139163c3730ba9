//! The fifteen activities CIS asks an account to alert on (CIS AWS Foundations
//! v3.0.0 4.1–4.15, v7.0.0 5.1–5.15), each as the CloudTrail records that
//! show it and the look-alike records that do not.
//!
//! A metric filter covers an activity when its pattern matches every record of
//! the activity (one per event name the CIS pattern lists, with every field its
//! conditions test) and none of the look-alikes: the same call made without
//! the telling detail (a sign-in with MFA, a call that succeeded, a read of the
//! same resource), or an unrelated call. A filter that matches everything
//! would wake someone on every API call; it covers nothing.

use serde_json::{Value, json};

/// One activity to alert on.
pub(crate) struct MonitoredEvent {
    /// Stable key, used as the finding's discriminator.
    pub key: &'static str,
    /// The activity, in an auditor's words.
    pub title: &'static str,
    /// CIS AWS Foundations v3.0.0 section.
    pub cis_v3: &'static str,
    /// CIS AWS Foundations v7.0.0 section.
    pub cis_v7: &'static str,
    /// The PCI DSS v4.0.1 requirement the activity bears on, beyond 10.4.1.1.
    pub pci: Option<&'static str>,
    /// A pattern that covers it (the CIS reference pattern), for the fix.
    pub pattern: &'static str,
    /// Event source and names of the records that show it.
    source: &'static str,
    names: &'static [&'static str],
    /// How a record of the activity differs from a plain successful call by an
    /// IAM user, and how a look-alike differs.
    shape: Shape,
    /// Calls of the same service that must not match.
    reads: &'static [&'static str],
}

/// What makes a record belong to an activity.
#[derive(Clone, Copy)]
enum Shape {
    /// The event name alone.
    Names,
    /// A call refused for lack of permission.
    Unauthorized,
    /// A console sign-in without MFA.
    ConsoleWithoutMfa,
    /// Any call by the root user.
    Root,
    /// A failed console sign-in.
    ConsoleFailure,
}

/// The activities, in CIS order.
pub(crate) const MONITORED_EVENTS: &[MonitoredEvent] = &[
    MonitoredEvent {
        key: "unauthorized-api-calls",
        title: "unauthorized API calls",
        cis_v3: "4.1",
        cis_v7: "5.1",
        pci: Some("10.2.1.4"),
        pattern: r#"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }"#,
        source: "ec2.amazonaws.com",
        names: &["DescribeInstances", "RunInstances"],
        shape: Shape::Unauthorized,
        reads: &[],
    },
    MonitoredEvent {
        key: "console-sign-in-without-mfa",
        title: "console sign-in without MFA",
        cis_v3: "4.2",
        cis_v7: "5.2",
        pci: Some("8.4.2"),
        pattern: r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }"#,
        source: "signin.amazonaws.com",
        names: &["ConsoleLogin"],
        shape: Shape::ConsoleWithoutMfa,
        reads: &[],
    },
    MonitoredEvent {
        key: "root-usage",
        title: "use of the root user",
        cis_v3: "4.3",
        cis_v7: "5.3",
        pci: None,
        pattern: r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#,
        source: "iam.amazonaws.com",
        names: &["CreateAccessKey", "ListUsers"],
        shape: Shape::Root,
        reads: &[],
    },
    MonitoredEvent {
        key: "iam-policy-changes",
        title: "IAM policy changes",
        cis_v3: "4.4",
        cis_v7: "5.4",
        pci: None,
        pattern: "{ ($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || ($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || ($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy) }",
        source: "iam.amazonaws.com",
        names: &[
            "DeleteGroupPolicy",
            "DeleteRolePolicy",
            "DeleteUserPolicy",
            "PutGroupPolicy",
            "PutRolePolicy",
            "PutUserPolicy",
            "CreatePolicy",
            "DeletePolicy",
            "CreatePolicyVersion",
            "DeletePolicyVersion",
            "AttachRolePolicy",
            "DetachRolePolicy",
            "AttachUserPolicy",
            "DetachUserPolicy",
            "AttachGroupPolicy",
            "DetachGroupPolicy",
        ],
        shape: Shape::Names,
        reads: &["GetPolicy", "ListAttachedRolePolicies"],
    },
    MonitoredEvent {
        key: "cloudtrail-changes",
        title: "CloudTrail configuration changes",
        cis_v3: "4.5",
        cis_v7: "5.5",
        pci: Some("10.7.2"),
        pattern: "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }",
        source: "cloudtrail.amazonaws.com",
        names: &[
            "CreateTrail",
            "UpdateTrail",
            "DeleteTrail",
            "StartLogging",
            "StopLogging",
        ],
        shape: Shape::Names,
        reads: &["DescribeTrails", "GetTrailStatus", "LookupEvents"],
    },
    MonitoredEvent {
        key: "console-authentication-failures",
        title: "console authentication failures",
        cis_v3: "4.6",
        cis_v7: "5.6",
        pci: Some("10.2.1.4"),
        pattern: r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }"#,
        source: "signin.amazonaws.com",
        names: &["ConsoleLogin"],
        shape: Shape::ConsoleFailure,
        reads: &[],
    },
    MonitoredEvent {
        key: "cmk-disabled-or-deleted",
        title: "disabling or scheduled deletion of customer-managed KMS keys",
        cis_v3: "4.7",
        cis_v7: "5.7",
        pci: Some("10.7.2"),
        pattern: "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }",
        source: "kms.amazonaws.com",
        names: &["DisableKey", "ScheduleKeyDeletion"],
        shape: Shape::Names,
        reads: &["Decrypt", "DescribeKey", "GenerateDataKey"],
    },
    MonitoredEvent {
        key: "s3-bucket-policy-changes",
        title: "S3 bucket policy changes",
        cis_v3: "4.8",
        cis_v7: "5.8",
        pci: None,
        pattern: "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }",
        source: "s3.amazonaws.com",
        names: &[
            "PutBucketAcl",
            "PutBucketPolicy",
            "PutBucketCors",
            "PutBucketLifecycle",
            "PutBucketReplication",
            "DeleteBucketPolicy",
            "DeleteBucketCors",
            "DeleteBucketLifecycle",
            "DeleteBucketReplication",
        ],
        shape: Shape::Names,
        reads: &["GetBucketPolicy", "GetBucketAcl", "GetObject"],
    },
    MonitoredEvent {
        key: "config-changes",
        title: "AWS Config configuration changes",
        cis_v3: "4.9",
        cis_v7: "5.9",
        pci: Some("10.7.2"),
        pattern: "{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }",
        source: "config.amazonaws.com",
        names: &[
            "StopConfigurationRecorder",
            "DeleteDeliveryChannel",
            "PutDeliveryChannel",
            "PutConfigurationRecorder",
        ],
        shape: Shape::Names,
        reads: &["DescribeConfigurationRecorders", "DescribeDeliveryChannels"],
    },
    MonitoredEvent {
        key: "security-group-changes",
        title: "security group changes",
        cis_v3: "4.10",
        cis_v7: "5.10",
        pci: Some("1.2.2"),
        pattern: "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }",
        source: "ec2.amazonaws.com",
        names: &[
            "AuthorizeSecurityGroupIngress",
            "AuthorizeSecurityGroupEgress",
            "RevokeSecurityGroupIngress",
            "RevokeSecurityGroupEgress",
            "CreateSecurityGroup",
            "DeleteSecurityGroup",
        ],
        shape: Shape::Names,
        reads: &["DescribeSecurityGroups", "DescribeSecurityGroupRules"],
    },
    MonitoredEvent {
        key: "nacl-changes",
        title: "network ACL changes",
        cis_v3: "4.11",
        cis_v7: "5.11",
        pci: Some("1.2.2"),
        pattern: "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }",
        source: "ec2.amazonaws.com",
        names: &[
            "CreateNetworkAcl",
            "CreateNetworkAclEntry",
            "DeleteNetworkAcl",
            "DeleteNetworkAclEntry",
            "ReplaceNetworkAclEntry",
            "ReplaceNetworkAclAssociation",
        ],
        shape: Shape::Names,
        reads: &["DescribeNetworkAcls"],
    },
    MonitoredEvent {
        key: "network-gateway-changes",
        title: "network gateway changes",
        cis_v3: "4.12",
        cis_v7: "5.12",
        pci: Some("1.2.2"),
        pattern: "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }",
        source: "ec2.amazonaws.com",
        names: &[
            "CreateCustomerGateway",
            "DeleteCustomerGateway",
            "AttachInternetGateway",
            "CreateInternetGateway",
            "DeleteInternetGateway",
            "DetachInternetGateway",
        ],
        shape: Shape::Names,
        reads: &["DescribeInternetGateways", "DescribeCustomerGateways"],
    },
    MonitoredEvent {
        key: "route-table-changes",
        title: "route table changes",
        cis_v3: "4.13",
        cis_v7: "5.13",
        pci: Some("1.2.2"),
        pattern: "{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }",
        source: "ec2.amazonaws.com",
        names: &[
            "CreateRoute",
            "CreateRouteTable",
            "ReplaceRoute",
            "ReplaceRouteTableAssociation",
            "DeleteRouteTable",
            "DeleteRoute",
            "DisassociateRouteTable",
        ],
        shape: Shape::Names,
        reads: &["DescribeRouteTables"],
    },
    MonitoredEvent {
        key: "vpc-changes",
        title: "VPC changes",
        cis_v3: "4.14",
        cis_v7: "5.14",
        pci: Some("1.2.2"),
        pattern: "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }",
        source: "ec2.amazonaws.com",
        names: &[
            "CreateVpc",
            "DeleteVpc",
            "ModifyVpcAttribute",
            "AcceptVpcPeeringConnection",
            "CreateVpcPeeringConnection",
            "DeleteVpcPeeringConnection",
            "RejectVpcPeeringConnection",
            "AttachClassicLinkVpc",
            "DetachClassicLinkVpc",
            "DisableVpcClassicLink",
            "EnableVpcClassicLink",
        ],
        shape: Shape::Names,
        reads: &["DescribeVpcs", "DescribeVpcAttribute"],
    },
    MonitoredEvent {
        key: "organizations-changes",
        title: "AWS Organizations changes",
        cis_v3: "4.15",
        cis_v7: "5.15",
        pci: None,
        pattern: r#"{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }"#,
        source: "organizations.amazonaws.com",
        names: &[
            "AcceptHandshake",
            "AttachPolicy",
            "CreateAccount",
            "CreateOrganizationalUnit",
            "CreatePolicy",
            "DeclineHandshake",
            "DeleteOrganization",
            "DeleteOrganizationalUnit",
            "DeletePolicy",
            "DetachPolicy",
            "DisablePolicyType",
            "EnablePolicyType",
            "InviteAccountToOrganization",
            "LeaveOrganization",
            "MoveAccount",
            "RemoveAccountFromOrganization",
            "UpdatePolicy",
            "UpdateOrganizationalUnit",
        ],
        shape: Shape::Names,
        reads: &["ListAccounts", "DescribeOrganization"],
    },
];

/// A successful call by an IAM user, as CloudTrail records it.
fn record(source: &str, name: &str) -> Value {
    json!({
        "eventVersion": "1.09",
        "userIdentity": {
            "type": "IAMUser",
            "principalId": "AIDAEXAMPLEPRINCIPAL",
            "arn": "arn:aws:iam::111122223333:user/alice",
            "accountId": "111122223333",
            "userName": "alice"
        },
        "eventTime": "2026-11-20T10:00:00Z",
        "eventSource": source,
        "eventName": name,
        "awsRegion": "eu-west-1",
        "sourceIPAddress": "198.51.100.23",
        "userAgent": "aws-cli/2.15.0",
        "requestParameters": {},
        "responseElements": null,
        "readOnly": false,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": "111122223333",
        "eventCategory": "Management"
    })
}

/// A console sign-in record.
fn sign_in(mfa: &str, success: bool) -> Value {
    let mut event = record("signin.amazonaws.com", "ConsoleLogin");
    event["eventType"] = json!("AwsConsoleSignIn");
    event["additionalEventData"] = json!({
        "LoginTo": "https://console.aws.amazon.com/console/home",
        "MobileVersion": "No",
        "MFAUsed": mfa
    });
    event["responseElements"] =
        json!({"ConsoleLogin": if success { "Success" } else { "Failure" }});
    if !success {
        event["errorMessage"] = json!("Failed authentication");
    }
    event
}

fn as_root(mut event: Value) -> Value {
    event["userIdentity"] = json!({
        "type": "Root",
        "principalId": "111122223333",
        "arn": "arn:aws:iam::111122223333:root",
        "accountId": "111122223333"
    });
    event
}

impl MonitoredEvent {
    /// The records that show the activity: the filter must match each.
    pub(crate) fn samples(&self) -> Vec<Value> {
        match self.shape {
            Shape::Names => self
                .names
                .iter()
                .map(|name| record(self.source, name))
                .collect(),
            Shape::Unauthorized => {
                let mut out = Vec::new();
                for name in self.names {
                    for code in [
                        "Client.UnauthorizedOperation",
                        "UnauthorizedOperation",
                        "AccessDenied",
                        "AccessDeniedException",
                    ] {
                        let mut event = record(self.source, name);
                        event["errorCode"] = json!(code);
                        event["errorMessage"] =
                            json!("You are not authorized to perform this operation.");
                        out.push(event);
                    }
                }
                out
            }
            Shape::ConsoleWithoutMfa => vec![sign_in("No", true)],
            Shape::Root => {
                let mut out: Vec<Value> = self
                    .names
                    .iter()
                    .map(|name| as_root(record(self.source, name)))
                    .collect();
                out.push(as_root(sign_in("Yes", true)));
                out
            }
            Shape::ConsoleFailure => vec![sign_in("No", false), sign_in("Yes", false)],
        }
    }

    /// Records the filter must not match: the activity's look-alikes and an
    /// unrelated call.
    pub(crate) fn look_alikes(&self) -> Vec<Value> {
        let mut out = vec![record("sts.amazonaws.com", "GetCallerIdentity")];
        out.extend(self.reads.iter().map(|name| {
            let mut event = record(self.source, name);
            event["readOnly"] = json!(true);
            event
        }));
        match self.shape {
            Shape::Names => {}
            Shape::Unauthorized => {
                out.extend(self.names.iter().map(|name| record(self.source, name)));
            }
            Shape::ConsoleWithoutMfa => out.push(sign_in("Yes", true)),
            Shape::Root => {
                out.extend(self.names.iter().map(|name| record(self.source, name)));
            }
            Shape::ConsoleFailure => {
                out.push(sign_in("Yes", true));
                out.push(sign_in("No", true));
            }
        }
        out
    }

    /// The event names the activity is made of.
    #[cfg(test)]
    pub(crate) fn event_names(&self) -> &'static [&'static str] {
        self.names
    }
}
