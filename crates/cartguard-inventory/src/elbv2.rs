//! Elastic Load Balancing v2 (ALB, NLB, GWLB).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, each, one};

/// `elasticloadbalancing:DescribeLoadBalancers`.
pub const DESCRIBE_LOAD_BALANCERS: Operation =
    Operation::regional("elasticloadbalancing", "DescribeLoadBalancers");
/// `elasticloadbalancing:DescribeListeners`, per load balancer.
pub const DESCRIBE_LISTENERS: Operation =
    Operation::regional("elasticloadbalancing", "DescribeListeners").per("load balancer");
/// `elasticloadbalancing:DescribeTargetGroups`.
pub const DESCRIBE_TARGET_GROUPS: Operation =
    Operation::regional("elasticloadbalancing", "DescribeTargetGroups");
/// `elasticloadbalancing:DescribeTargetHealth`, per target group.
pub const DESCRIBE_TARGET_HEALTH: Operation =
    Operation::regional("elasticloadbalancing", "DescribeTargetHealth").per("target group");
/// `elasticloadbalancing:DescribeSSLPolicies`: every security policy and its protocols.
pub const DESCRIBE_SSL_POLICIES: Operation =
    Operation::regional("elasticloadbalancing", "DescribeSSLPolicies");
/// `elasticloadbalancing:DescribeLoadBalancerAttributes`, per load balancer.
pub const DESCRIBE_LOAD_BALANCER_ATTRIBUTES: Operation =
    Operation::regional("elasticloadbalancing", "DescribeLoadBalancerAttributes")
        .per("load balancer");

/// Every Elastic Load Balancing operation the model holds.
pub const OPERATIONS: &[Operation] = &[
    DESCRIBE_LOAD_BALANCERS,
    DESCRIBE_LISTENERS,
    DESCRIBE_TARGET_GROUPS,
    DESCRIBE_TARGET_HEALTH,
    DESCRIBE_SSL_POLICIES,
    DESCRIBE_LOAD_BALANCER_ATTRIBUTES,
];

/// ELBv2 evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Elbv2Evidence {
    /// `describe-load-balancers`.
    #[serde(default)]
    pub load_balancers: Collected<Vec<LoadBalancer>>,
    /// `describe-listeners`, per load balancer name.
    #[serde(default)]
    pub listeners: BTreeMap<String, Collected<Vec<Listener>>>,
    /// `describe-target-groups`.
    #[serde(default)]
    pub target_groups: Collected<Vec<TargetGroup>>,
    /// `describe-target-health`, per target group name.
    #[serde(default)]
    pub target_health: BTreeMap<String, Collected<Vec<TargetHealthDescription>>>,
    /// `describe-ssl-policies`.
    #[serde(default)]
    pub ssl_policies: Collected<Vec<SslPolicy>>,
    /// `describe-load-balancer-attributes`, per load balancer name.
    #[serde(default)]
    pub attributes: BTreeMap<String, Collected<Vec<LoadBalancerAttribute>>>,
}

impl Elbv2Evidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            DESCRIBE_LOAD_BALANCERS => one(&self.load_balancers),
            DESCRIBE_LISTENERS => each(&self.listeners),
            DESCRIBE_TARGET_GROUPS => one(&self.target_groups),
            DESCRIBE_TARGET_HEALTH => each(&self.target_health),
            DESCRIBE_SSL_POLICIES => one(&self.ssl_policies),
            DESCRIBE_LOAD_BALANCER_ATTRIBUTES => each(&self.attributes),
            _ => return None,
        })
    }
}

/// A load balancer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoadBalancer {
    /// ARN.
    #[serde(rename = "LoadBalancerArn")]
    pub load_balancer_arn: String,
    /// Name.
    #[serde(rename = "LoadBalancerName")]
    pub load_balancer_name: String,
    /// DNS name.
    #[serde(rename = "DNSName", default)]
    pub dns_name: Option<String>,
    /// `internet-facing` or `internal`.
    #[serde(rename = "Scheme", default)]
    pub scheme: Option<String>,
    /// VPC.
    #[serde(rename = "VpcId", default)]
    pub vpc_id: Option<String>,
    /// `application`, `network` or `gateway`.
    #[serde(rename = "Type", default)]
    pub lb_type: Option<String>,
    /// Subnets per availability zone.
    #[serde(rename = "AvailabilityZones", default)]
    pub availability_zones: Vec<LoadBalancerZone>,
    /// Security groups.
    #[serde(rename = "SecurityGroups", default)]
    pub security_groups: Vec<String>,
    /// `ipv4` or `dualstack`.
    #[serde(rename = "IpAddressType", default)]
    pub ip_address_type: Option<String>,
}

impl LoadBalancer {
    /// Whether the load balancer has public addresses.
    pub fn is_internet_facing(&self) -> bool {
        self.scheme.as_deref() == Some("internet-facing")
    }
}

/// A load balancer's zone and subnet.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LoadBalancerZone {
    /// Zone name.
    #[serde(default)]
    pub zone_name: Option<String>,
    /// Subnet.
    #[serde(default)]
    pub subnet_id: Option<String>,
}

/// A listener.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Listener {
    /// ARN.
    pub listener_arn: String,
    /// Its load balancer.
    #[serde(default)]
    pub load_balancer_arn: Option<String>,
    /// Port.
    #[serde(default)]
    pub port: Option<i64>,
    /// `HTTP`, `HTTPS`, `TCP`, `TLS`, …
    #[serde(default)]
    pub protocol: Option<String>,
    /// TLS security policy.
    #[serde(default)]
    pub ssl_policy: Option<String>,
    /// Default actions.
    #[serde(default)]
    pub default_actions: Vec<ListenerAction>,
}

/// A listener action.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListenerAction {
    /// `forward`, `redirect`, `fixed-response`, …
    #[serde(rename = "Type")]
    pub action_type: String,
    /// Target group for `forward`.
    #[serde(default)]
    pub target_group_arn: Option<String>,
    /// Redirect settings.
    #[serde(default)]
    pub redirect_config: Option<RedirectConfig>,
}

/// A redirect action's settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RedirectConfig {
    /// Target protocol (`HTTPS`, `#{protocol}`).
    #[serde(default)]
    pub protocol: Option<String>,
    /// Target port.
    #[serde(default)]
    pub port: Option<String>,
    /// `HTTP_301` or `HTTP_302`.
    #[serde(default)]
    pub status_code: Option<String>,
}

/// A target group.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetGroup {
    /// ARN.
    pub target_group_arn: String,
    /// Name.
    pub target_group_name: String,
    /// Protocol.
    #[serde(default)]
    pub protocol: Option<String>,
    /// Port.
    #[serde(default)]
    pub port: Option<i64>,
    /// VPC.
    #[serde(default)]
    pub vpc_id: Option<String>,
    /// `instance`, `ip`, `lambda`, `alb`.
    #[serde(default)]
    pub target_type: Option<String>,
    /// Load balancers that forward to it.
    #[serde(default)]
    pub load_balancer_arns: Vec<String>,
}

/// A registered target and its health.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetHealthDescription {
    /// The target.
    pub target: TargetDescription,
}

/// A registered target.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetDescription {
    /// Instance id, IP address or Lambda ARN.
    pub id: String,
    /// Port.
    #[serde(default)]
    pub port: Option<i64>,
}

/// A TLS security policy, as `describe-ssl-policies` prints it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SslPolicy {
    /// Name (`ELBSecurityPolicy-TLS13-1-2-2021-06`).
    pub name: String,
    /// The protocols it allows (`TLSv1`, `TLSv1.1`, `TLSv1.2`, `TLSv1.3`).
    pub ssl_protocols: Vec<String>,
    /// Its ciphers, by priority.
    #[serde(default)]
    pub ciphers: Vec<SslCipher>,
}

/// A cipher of a security policy.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SslCipher {
    /// Name (`ECDHE-RSA-AES128-GCM-SHA256`).
    pub name: String,
    /// Priority.
    #[serde(default)]
    pub priority: Option<i64>,
}

/// A load balancer attribute (`access_logs.s3.enabled` = `true`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LoadBalancerAttribute {
    /// The attribute's key.
    pub key: String,
    /// Its value, as text.
    pub value: String,
}

/// The value of the attribute `key`, if the answer holds it.
pub fn attribute<'a>(attributes: &'a [LoadBalancerAttribute], key: &str) -> Option<&'a str> {
    attributes
        .iter()
        .find(|a| a.key == key)
        .map(|a| a.value.as_str())
}
