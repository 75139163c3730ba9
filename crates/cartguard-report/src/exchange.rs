//! What the exchange formats (SARIF, OCSF, ASFF) read the same way from a
//! finding: where it is (a file and line, or a cloud resource), the full names
//! of the standards it cites, and the scan's time as the formats spell it.

use cartguard_rules::{Finding, standards};

/// Where a finding is, as the exchange formats tell places apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place<'a> {
    /// A cloud resource, by ARN.
    Cloud {
        /// The whole ARN.
        arn: &'a str,
        /// The ARN's service (`s3`, `iam`, `ec2`, …).
        service: &'a str,
        /// What follows the account field: `role/deploy`, `instance/i-0…`, a bucket name.
        resource: &'a str,
    },
    /// A file under `--path`, with a line when the finding has one.
    File {
        /// The path as the scan was given it.
        path: &'a str,
        /// The 1-based line, if any.
        line: Option<u64>,
    },
}

impl<'a> Place<'a> {
    /// The place of a finding's resource: an ARN, or `path[:line]`.
    pub(crate) fn of(resource: &'a str) -> Place<'a> {
        if let Some(rest) = resource.strip_prefix("arn:") {
            // arn:partition:service:region:account:resource (the resource may hold colons).
            let mut fields = rest.splitn(5, ':');
            let _partition = fields.next();
            let service = fields.next().unwrap_or("");
            let _region = fields.next();
            let _account = fields.next();
            let tail = fields.next().unwrap_or("");
            return Place::Cloud {
                arn: resource,
                service,
                resource: tail,
            };
        }
        match resource.rsplit_once(':') {
            Some((path, line))
                if !path.is_empty()
                    && !line.is_empty()
                    && line.bytes().all(|b| b.is_ascii_digit()) =>
            {
                Place::File {
                    path,
                    line: line.parse().ok().filter(|&n| n > 0),
                }
            }
            _ => Place::File {
                path: resource,
                line: None,
            },
        }
    }
}

/// The resource type of a place, in the names Security Hub gives them
/// (`AwsIamRole`, `AwsS3Bucket`, …: the members of the API model's
/// `ResourceDetails`, which both ASFF and Security Hub's OCSF findings use);
/// `Other` for a resource type without such a name, and for files.
pub(crate) fn resource_type(place: Place<'_>) -> &'static str {
    let Place::Cloud {
        service, resource, ..
    } = place
    else {
        return "Other";
    };
    let kind = resource.split(['/', ':']).next().unwrap_or_default();
    match (service, kind) {
        ("iam", "role") => "AwsIamRole",
        ("iam", "user") => "AwsIamUser",
        ("iam", "policy") => "AwsIamPolicy",
        ("iam", "group") => "AwsIamGroup",
        ("iam", "access-key") => "AwsIamAccessKey",
        ("s3", "account-public-access-block") => "AwsS3AccountPublicAccessBlock",
        ("s3", "" | "*") => "Other",
        ("s3", _) if !resource.contains('/') => "AwsS3Bucket",
        ("s3", _) => "AwsS3Object",
        ("ec2", "instance") => "AwsEc2Instance",
        ("ec2", "security-group") => "AwsEc2SecurityGroup",
        ("ec2", "network-acl") => "AwsEc2NetworkAcl",
        ("ec2", "volume") => "AwsEc2Volume",
        ("ec2", "vpc") => "AwsEc2Vpc",
        ("ec2", "subnet") => "AwsEc2Subnet",
        ("ec2", "network-interface") => "AwsEc2NetworkInterface",
        ("rds", "db") => "AwsRdsDbInstance",
        ("rds", "cluster") => "AwsRdsDbCluster",
        ("kms", "key") => "AwsKmsKey",
        ("lambda", "function") => "AwsLambdaFunction",
        ("cloudtrail", "trail") => "AwsCloudTrailTrail",
        ("dynamodb", "table") => "AwsDynamoDbTable",
        ("secretsmanager", "secret") => "AwsSecretsManagerSecret",
        ("wafv2", _) => "AwsWafv2WebAcl",
        ("ecs", "task-definition") => "AwsEcsTaskDefinition",
        ("elasticloadbalancing", "loadbalancer") => "AwsElbv2LoadBalancer",
        ("apigateway", _) => "AwsApiGatewayRestApi",
        ("cloudwatch", "alarm") => "AwsCloudWatchAlarm",
        ("guardduty", "detector") => "AwsGuardDutyDetector",
        ("cloudfront", "distribution") => "AwsCloudFrontDistribution",
        ("sns", _) => "AwsSnsTopic",
        ("sqs", _) => "AwsSqsQueue",
        ("ecr", "repository") => "AwsEcrRepository",
        ("eks", "cluster") => "AwsEksCluster",
        ("backup", "backup-plan") => "AwsBackupBackupPlan",
        _ => "Other",
    }
}

/// A standard's full name from its key: `pci-dss-4.0.1` → `PCI DSS v4.0.1`,
/// `cis-aws-3.0.0` → `CIS AWS Foundations Benchmark v3.0.0`; another key keeps
/// the catalogue's name.
pub(crate) fn standard_title(id: &str) -> String {
    if let Some(version) = id.strip_prefix("pci-dss-") {
        return format!("PCI DSS v{version}");
    }
    if let Some(version) = id.strip_prefix("cis-aws-") {
        return format!("CIS AWS Foundations Benchmark v{version}");
    }
    standards()
        .iter()
        .find(|s| s.id == id)
        .map_or_else(|| id.to_string(), |s| s.name.clone())
}

/// The standards a finding cites, in the catalogue's order, each with its
/// references (standards it cites nothing of are left out).
pub(crate) fn cited(finding: &Finding) -> Vec<(String, &[String])> {
    let mut out = Vec::new();
    for standard in standards() {
        if let Some(refs) = finding.compliance.get(&standard.id)
            && !refs.is_empty()
        {
            out.push((standard_title(&standard.id), refs.as_slice()));
        }
    }
    // A saved report may cite a standard this build does not list.
    for (id, refs) in finding.compliance.iter() {
        if !refs.is_empty() && !standards().iter().any(|s| &s.id == id) {
            out.push((standard_title(id), refs.as_slice()));
        }
    }
    out
}

/// Milliseconds since the epoch of an RFC 3339 time (0 if it cannot be read,
/// which a report built by cartguard never holds).
pub(crate) fn epoch_millis(time: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(time).map_or(0, |t| t.timestamp_millis())
}

/// `text` cut to at most `max` characters, ending with `…` when cut.
pub(crate) fn clip(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => text.into(),
        Some(_) => {
            let end = text
                .char_indices()
                .nth(max.saturating_sub(1))
                .map_or(text.len(), |(i, _)| i);
            format!("{}…", &text[..end]).into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_arns_or_files_with_an_optional_line() {
        assert_eq!(
            Place::of("arn:aws:iam::111122223333:role/deploy"),
            Place::Cloud {
                arn: "arn:aws:iam::111122223333:role/deploy",
                service: "iam",
                resource: "role/deploy",
            }
        );
        assert_eq!(
            Place::of("arn:aws:logs:eu-west-1:1:log-group:/aws/x:*"),
            Place::Cloud {
                arn: "arn:aws:logs:eu-west-1:1:log-group:/aws/x:*",
                service: "logs",
                resource: "log-group:/aws/x:*",
            }
        );
        assert_eq!(
            Place::of("server/.env:8"),
            Place::File {
                path: "server/.env",
                line: Some(8)
            }
        );
        assert_eq!(
            Place::of("server/config.php"),
            Place::File {
                path: "server/config.php",
                line: None
            }
        );
        assert_eq!(
            Place::of("C:x:0"),
            Place::File {
                path: "C:x",
                line: None
            }
        );
    }

    #[test]
    fn resource_types_follow_security_hub_names() {
        let of = |r: &str| resource_type(Place::of(r));
        assert_eq!(of("arn:aws:iam::1:role/deploy"), "AwsIamRole");
        assert_eq!(of("arn:aws:s3:::media"), "AwsS3Bucket");
        assert_eq!(of("arn:aws:s3:::*"), "Other");
        assert_eq!(of("arn:aws:ec2:eu-west-1:1:instance/i-1"), "AwsEc2Instance");
        assert_eq!(of("arn:aws:logs:eu-west-1:1:log-group:/a"), "Other");
        assert_eq!(of("server/.env:3"), "Other");
    }

    #[test]
    fn standards_have_full_names_and_text_is_clipped_on_characters() {
        assert_eq!(standard_title("pci-dss-4.0.1"), "PCI DSS v4.0.1");
        assert_eq!(
            standard_title("cis-aws-7.0.0"),
            "CIS AWS Foundations Benchmark v7.0.0"
        );
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcd", 3), "ab…");
        assert_eq!(clip("ééééé", 4).chars().count(), 4);
        assert_eq!(epoch_millis("2026-11-20T12:00:00Z"), 1_795_176_000_000);
    }
}
