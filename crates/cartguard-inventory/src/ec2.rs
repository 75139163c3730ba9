//! EC2 networking and instances.

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, Tag, Timestamp, one};

/// `ec2:DescribeVpcs`.
pub const DESCRIBE_VPCS: Operation = Operation::regional("ec2", "DescribeVpcs");
/// `ec2:DescribeSubnets`.
pub const DESCRIBE_SUBNETS: Operation = Operation::regional("ec2", "DescribeSubnets");
/// `ec2:DescribeRouteTables`.
pub const DESCRIBE_ROUTE_TABLES: Operation = Operation::regional("ec2", "DescribeRouteTables");
/// `ec2:DescribeInternetGateways`.
pub const DESCRIBE_INTERNET_GATEWAYS: Operation =
    Operation::regional("ec2", "DescribeInternetGateways");
/// `ec2:DescribeNatGateways`.
pub const DESCRIBE_NAT_GATEWAYS: Operation = Operation::regional("ec2", "DescribeNatGateways");
/// `ec2:DescribeNetworkAcls`.
pub const DESCRIBE_NETWORK_ACLS: Operation = Operation::regional("ec2", "DescribeNetworkAcls");
/// `ec2:DescribeSecurityGroups`.
pub const DESCRIBE_SECURITY_GROUPS: Operation =
    Operation::regional("ec2", "DescribeSecurityGroups");
/// `ec2:DescribeInstances`.
pub const DESCRIBE_INSTANCES: Operation = Operation::regional("ec2", "DescribeInstances");
/// `ec2:DescribeNetworkInterfaces`.
pub const DESCRIBE_NETWORK_INTERFACES: Operation =
    Operation::regional("ec2", "DescribeNetworkInterfaces");
/// `ec2:DescribeAddresses`.
pub const DESCRIBE_ADDRESSES: Operation = Operation::regional("ec2", "DescribeAddresses");
/// `ec2:DescribeFlowLogs`.
pub const DESCRIBE_FLOW_LOGS: Operation = Operation::regional("ec2", "DescribeFlowLogs");
/// `ec2:DescribeManagedPrefixLists`.
pub const DESCRIBE_MANAGED_PREFIX_LISTS: Operation =
    Operation::regional("ec2", "DescribeManagedPrefixLists");
/// `ec2:GetManagedPrefixListEntries`, per prefix list (folded into the lists).
pub const GET_MANAGED_PREFIX_LIST_ENTRIES: Operation =
    Operation::regional("ec2", "GetManagedPrefixListEntries").per("prefix list");
/// `ec2:DescribeVolumes`.
pub const DESCRIBE_VOLUMES: Operation = Operation::regional("ec2", "DescribeVolumes");
/// `ec2:GetEbsEncryptionByDefault`.
pub const GET_EBS_ENCRYPTION_BY_DEFAULT: Operation =
    Operation::regional("ec2", "GetEbsEncryptionByDefault");

/// Every EC2 operation the model holds.
pub const OPERATIONS: &[Operation] = &[
    DESCRIBE_VPCS,
    DESCRIBE_SUBNETS,
    DESCRIBE_ROUTE_TABLES,
    DESCRIBE_INTERNET_GATEWAYS,
    DESCRIBE_NAT_GATEWAYS,
    DESCRIBE_NETWORK_ACLS,
    DESCRIBE_SECURITY_GROUPS,
    DESCRIBE_INSTANCES,
    DESCRIBE_NETWORK_INTERFACES,
    DESCRIBE_ADDRESSES,
    DESCRIBE_FLOW_LOGS,
    DESCRIBE_MANAGED_PREFIX_LISTS,
    GET_MANAGED_PREFIX_LIST_ENTRIES,
    DESCRIBE_VOLUMES,
    GET_EBS_ENCRYPTION_BY_DEFAULT,
];

/// EC2 evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Ec2Evidence {
    /// `describe-vpcs`.
    #[serde(default)]
    pub vpcs: Collected<Vec<Vpc>>,
    /// `describe-subnets`.
    #[serde(default)]
    pub subnets: Collected<Vec<Subnet>>,
    /// `describe-route-tables`.
    #[serde(default)]
    pub route_tables: Collected<Vec<RouteTable>>,
    /// `describe-internet-gateways`.
    #[serde(default)]
    pub internet_gateways: Collected<Vec<InternetGateway>>,
    /// `describe-nat-gateways`.
    #[serde(default)]
    pub nat_gateways: Collected<Vec<NatGateway>>,
    /// `describe-network-acls`.
    #[serde(default)]
    pub network_acls: Collected<Vec<NetworkAcl>>,
    /// `describe-security-groups`.
    #[serde(default)]
    pub security_groups: Collected<Vec<SecurityGroup>>,
    /// `describe-instances`, flattened out of its reservations.
    #[serde(default)]
    pub instances: Collected<Vec<Instance>>,
    /// `describe-network-interfaces`.
    #[serde(default)]
    pub network_interfaces: Collected<Vec<NetworkInterface>>,
    /// `describe-addresses` (Elastic IPs).
    #[serde(default)]
    pub addresses: Collected<Vec<Address>>,
    /// `describe-flow-logs`.
    #[serde(default)]
    pub flow_logs: Collected<Vec<FlowLog>>,
    /// `describe-managed-prefix-lists` with entries resolved.
    #[serde(default)]
    pub prefix_lists: Collected<Vec<ManagedPrefixList>>,
    /// `describe-volumes` (EBS volumes).
    #[serde(default)]
    pub volumes: Collected<Vec<Volume>>,
    /// `get-ebs-encryption-by-default`: whether new volumes are encrypted.
    #[serde(default)]
    pub ebs_encryption_by_default: Collected<bool>,
}

impl Ec2Evidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            DESCRIBE_VPCS => one(&self.vpcs),
            DESCRIBE_SUBNETS => one(&self.subnets),
            DESCRIBE_ROUTE_TABLES => one(&self.route_tables),
            DESCRIBE_INTERNET_GATEWAYS => one(&self.internet_gateways),
            DESCRIBE_NAT_GATEWAYS => one(&self.nat_gateways),
            DESCRIBE_NETWORK_ACLS => one(&self.network_acls),
            DESCRIBE_SECURITY_GROUPS => one(&self.security_groups),
            DESCRIBE_INSTANCES => one(&self.instances),
            DESCRIBE_NETWORK_INTERFACES => one(&self.network_interfaces),
            DESCRIBE_ADDRESSES => one(&self.addresses),
            DESCRIBE_FLOW_LOGS => one(&self.flow_logs),
            DESCRIBE_MANAGED_PREFIX_LISTS => one(&self.prefix_lists),
            DESCRIBE_VOLUMES => one(&self.volumes),
            GET_EBS_ENCRYPTION_BY_DEFAULT => one(&self.ebs_encryption_by_default),
            _ => return None,
        })
    }
}

/// A VPC.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Vpc {
    /// `vpc-…`.
    pub vpc_id: String,
    /// Primary IPv4 CIDR.
    #[serde(default)]
    pub cidr_block: Option<String>,
    /// All IPv4 CIDRs.
    #[serde(default)]
    pub cidr_block_association_set: Vec<CidrBlockAssociation>,
    /// IPv6 CIDRs.
    #[serde(default)]
    pub ipv6_cidr_block_association_set: Vec<Ipv6CidrBlockAssociation>,
    /// Whether this is the region's default VPC.
    #[serde(default)]
    pub is_default: bool,
    /// Owner account.
    #[serde(default)]
    pub owner_id: Option<String>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<Tag>,
}

/// An IPv4 CIDR association.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CidrBlockAssociation {
    /// The CIDR.
    pub cidr_block: String,
}

/// An IPv6 CIDR association.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Ipv6CidrBlockAssociation {
    /// The CIDR.
    pub ipv6_cidr_block: String,
}

/// A subnet.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Subnet {
    /// `subnet-…`.
    pub subnet_id: String,
    /// Its VPC.
    pub vpc_id: String,
    /// IPv4 CIDR.
    #[serde(default)]
    pub cidr_block: Option<String>,
    /// IPv6 CIDRs.
    #[serde(default)]
    pub ipv6_cidr_block_association_set: Vec<Ipv6CidrBlockAssociation>,
    /// Availability zone.
    #[serde(default)]
    pub availability_zone: Option<String>,
    /// Instances launched here get a public IPv4 address by default.
    #[serde(default)]
    pub map_public_ip_on_launch: bool,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<Tag>,
}

/// A route table.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RouteTable {
    /// `rtb-…`.
    pub route_table_id: String,
    /// Its VPC.
    pub vpc_id: String,
    /// Routes.
    #[serde(default)]
    pub routes: Vec<Route>,
    /// Subnet and main associations.
    #[serde(default)]
    pub associations: Vec<RouteTableAssociation>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<Tag>,
}

/// A route.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Route {
    /// IPv4 destination.
    #[serde(default)]
    pub destination_cidr_block: Option<String>,
    /// IPv6 destination.
    #[serde(default)]
    pub destination_ipv6_cidr_block: Option<String>,
    /// Prefix-list destination.
    #[serde(default)]
    pub destination_prefix_list_id: Option<String>,
    /// `igw-…`, `vgw-…` or `local`.
    #[serde(default)]
    pub gateway_id: Option<String>,
    /// NAT gateway target.
    #[serde(default)]
    pub nat_gateway_id: Option<String>,
    /// Egress-only internet gateway target.
    #[serde(default)]
    pub egress_only_internet_gateway_id: Option<String>,
    /// Instance target.
    #[serde(default)]
    pub instance_id: Option<String>,
    /// Network interface target.
    #[serde(default)]
    pub network_interface_id: Option<String>,
    /// Transit gateway target.
    #[serde(default)]
    pub transit_gateway_id: Option<String>,
    /// Peering target.
    #[serde(default)]
    pub vpc_peering_connection_id: Option<String>,
    /// Carrier gateway target (Wavelength zones).
    #[serde(default)]
    pub carrier_gateway_id: Option<String>,
    /// Local gateway target (Outposts).
    #[serde(default)]
    pub local_gateway_id: Option<String>,
    /// Cloud WAN core network target.
    #[serde(default)]
    pub core_network_arn: Option<String>,
    /// `active` or `blackhole`.
    #[serde(default)]
    pub state: Option<String>,
}

/// A route table association.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RouteTableAssociation {
    /// Whether this marks the VPC's main route table.
    #[serde(default)]
    pub main: bool,
    /// Associated subnet.
    #[serde(default)]
    pub subnet_id: Option<String>,
    /// Associated gateway (edge association).
    #[serde(default)]
    pub gateway_id: Option<String>,
}

/// An internet gateway.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InternetGateway {
    /// `igw-…`.
    pub internet_gateway_id: String,
    /// VPC attachments.
    #[serde(default)]
    pub attachments: Vec<GatewayAttachment>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<Tag>,
}

/// A gateway's attachment to a VPC.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GatewayAttachment {
    /// The VPC.
    pub vpc_id: String,
    /// `available`, `attached`, …
    #[serde(default)]
    pub state: Option<String>,
}

/// A NAT gateway.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NatGateway {
    /// `nat-…`.
    pub nat_gateway_id: String,
    /// Its VPC.
    #[serde(default)]
    pub vpc_id: Option<String>,
    /// Its subnet.
    #[serde(default)]
    pub subnet_id: Option<String>,
    /// `available`, `deleted`, …
    #[serde(default)]
    pub state: Option<String>,
    /// `public` or `private`.
    #[serde(default)]
    pub connectivity_type: Option<String>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<Tag>,
}

/// A network ACL.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkAcl {
    /// `acl-…`.
    pub network_acl_id: String,
    /// Its VPC.
    pub vpc_id: String,
    /// Whether this is the VPC's default NACL.
    #[serde(default)]
    pub is_default: bool,
    /// Entries, inbound and outbound, in any order.
    #[serde(default)]
    pub entries: Vec<NetworkAclEntry>,
    /// Subnet associations.
    #[serde(default)]
    pub associations: Vec<NetworkAclAssociation>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<Tag>,
}

/// A network ACL entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkAclEntry {
    /// Rule number; lower numbers are evaluated first (32767 is the implicit deny).
    pub rule_number: i64,
    /// Protocol number as a string (`-1` all, `6` TCP, `17` UDP, `1` ICMP).
    pub protocol: String,
    /// `allow` or `deny`.
    pub rule_action: String,
    /// Outbound (`true`) or inbound.
    pub egress: bool,
    /// IPv4 range.
    #[serde(default)]
    pub cidr_block: Option<String>,
    /// IPv6 range.
    #[serde(default)]
    pub ipv6_cidr_block: Option<String>,
    /// Ports, for TCP and UDP.
    #[serde(default)]
    pub port_range: Option<PortRange>,
    /// ICMP type and code.
    #[serde(default)]
    pub icmp_type_code: Option<IcmpTypeCode>,
}

/// A port range of a NACL entry.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PortRange {
    /// First port.
    pub from: i64,
    /// Last port.
    pub to: i64,
}

/// ICMP type and code of a NACL entry.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IcmpTypeCode {
    /// ICMP code (-1 all).
    #[serde(default)]
    pub code: Option<i64>,
    /// ICMP type (-1 all).
    #[serde(default, rename = "Type")]
    pub icmp_type: Option<i64>,
}

/// A NACL's association with a subnet.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkAclAssociation {
    /// The subnet.
    pub subnet_id: String,
}

/// A security group.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SecurityGroup {
    /// `sg-…`.
    pub group_id: String,
    /// Name (`default` for the VPC's default group).
    #[serde(default)]
    pub group_name: String,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Its VPC.
    #[serde(default)]
    pub vpc_id: Option<String>,
    /// Owner account.
    #[serde(default)]
    pub owner_id: Option<String>,
    /// Inbound rules.
    #[serde(default)]
    pub ip_permissions: Vec<IpPermission>,
    /// Outbound rules.
    #[serde(default)]
    pub ip_permissions_egress: Vec<IpPermission>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<Tag>,
}

/// A security group rule set for one protocol and port range.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IpPermission {
    /// `tcp`, `udp`, `icmp`, `icmpv6`, `-1` (all) or a protocol number.
    pub ip_protocol: String,
    /// First port (ICMP type for ICMP; absent or -1 for all).
    #[serde(default)]
    pub from_port: Option<i64>,
    /// Last port (ICMP code for ICMP).
    #[serde(default)]
    pub to_port: Option<i64>,
    /// IPv4 sources or destinations.
    #[serde(default)]
    pub ip_ranges: Vec<IpRange>,
    /// IPv6 sources or destinations.
    #[serde(default)]
    pub ipv6_ranges: Vec<Ipv6Range>,
    /// Security group references.
    #[serde(default)]
    pub user_id_group_pairs: Vec<UserIdGroupPair>,
    /// Prefix list references.
    #[serde(default)]
    pub prefix_list_ids: Vec<PrefixListId>,
}

/// An IPv4 range in a security group rule.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IpRange {
    /// The CIDR.
    pub cidr_ip: String,
    /// The rule's description.
    #[serde(default)]
    pub description: Option<String>,
}

/// An IPv6 range in a security group rule.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Ipv6Range {
    /// The CIDR.
    pub cidr_ipv6: String,
    /// The rule's description.
    #[serde(default)]
    pub description: Option<String>,
}

/// A reference to another security group.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserIdGroupPair {
    /// The referenced group.
    #[serde(default)]
    pub group_id: Option<String>,
    /// Its owner account.
    #[serde(default)]
    pub user_id: Option<String>,
    /// Its VPC (peering).
    #[serde(default)]
    pub vpc_id: Option<String>,
    /// The rule's description.
    #[serde(default)]
    pub description: Option<String>,
}

/// A reference to a managed prefix list.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PrefixListId {
    /// `pl-…`.
    pub prefix_list_id: String,
    /// The rule's description.
    #[serde(default)]
    pub description: Option<String>,
}

/// A managed prefix list with its entries.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ManagedPrefixList {
    /// `pl-…`.
    pub prefix_list_id: String,
    /// Name.
    #[serde(default)]
    pub prefix_list_name: Option<String>,
    /// The CIDRs it holds (from `get-managed-prefix-list-entries`).
    #[serde(default)]
    pub entries: Vec<String>,
}

/// An EC2 instance.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Instance {
    /// `i-…`.
    pub instance_id: String,
    /// State (`running`, `stopped`, …).
    #[serde(default)]
    pub state: Option<InstanceState>,
    /// Primary subnet.
    #[serde(default)]
    pub subnet_id: Option<String>,
    /// VPC.
    #[serde(default)]
    pub vpc_id: Option<String>,
    /// Primary private IPv4 address.
    #[serde(default)]
    pub private_ip_address: Option<String>,
    /// Public IPv4 address (auto-assigned or Elastic IP).
    #[serde(default)]
    pub public_ip_address: Option<String>,
    /// The instance profile.
    #[serde(default)]
    pub iam_instance_profile: Option<IamInstanceProfileRef>,
    /// Instance metadata service settings.
    #[serde(default)]
    pub metadata_options: Option<MetadataOptions>,
    /// Network interfaces.
    #[serde(default)]
    pub network_interfaces: Vec<InstanceNetworkInterface>,
    /// Security groups of the primary interface.
    #[serde(default)]
    pub security_groups: Vec<GroupIdentifier>,
    /// Launch time.
    #[serde(default)]
    pub launch_time: Option<Timestamp>,
    /// Instance type.
    #[serde(default)]
    pub instance_type: Option<String>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<Tag>,
}

impl Instance {
    /// Whether the instance is running (or its state is unknown).
    pub fn is_running(&self) -> bool {
        self.state.as_ref().is_none_or(|s| {
            s.name
                .as_deref()
                .is_none_or(|n| n == "running" || n == "pending")
        })
    }
}

/// An instance's state.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InstanceState {
    /// `running`, `stopped`, …
    #[serde(default)]
    pub name: Option<String>,
}

/// An instance profile reference on an instance.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IamInstanceProfileRef {
    /// The instance profile's ARN.
    pub arn: String,
    /// Its id.
    #[serde(default)]
    pub id: Option<String>,
}

/// Instance metadata service settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MetadataOptions {
    /// `required` (IMDSv2 only) or `optional` (IMDSv1 allowed).
    #[serde(default)]
    pub http_tokens: Option<String>,
    /// `enabled` or `disabled`.
    #[serde(default)]
    pub http_endpoint: Option<String>,
    /// Hop limit for PUT responses.
    #[serde(default)]
    pub http_put_response_hop_limit: Option<i64>,
    /// `pending` or `applied`.
    #[serde(default)]
    pub state: Option<String>,
}

/// A network interface as listed on an instance.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InstanceNetworkInterface {
    /// `eni-…`.
    #[serde(default)]
    pub network_interface_id: Option<String>,
    /// Subnet.
    #[serde(default)]
    pub subnet_id: Option<String>,
    /// VPC.
    #[serde(default)]
    pub vpc_id: Option<String>,
    /// Security groups.
    #[serde(default)]
    pub groups: Vec<GroupIdentifier>,
    /// Public address association of the primary private address.
    #[serde(default)]
    pub association: Option<PublicIpAssociation>,
    /// Private addresses with their public associations.
    #[serde(default)]
    pub private_ip_addresses: Vec<PrivateIpAddress>,
    /// IPv6 addresses.
    #[serde(default)]
    pub ipv6_addresses: Vec<Ipv6Address>,
}

/// A security group reference.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupIdentifier {
    /// `sg-…`.
    pub group_id: String,
    /// Name.
    #[serde(default)]
    pub group_name: Option<String>,
}

/// A public IPv4 address association.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PublicIpAssociation {
    /// The public address.
    #[serde(default)]
    pub public_ip: Option<String>,
    /// `amazon` for an auto-assigned address, else the Elastic IP's owner.
    #[serde(default)]
    pub ip_owner_id: Option<String>,
}

/// A private IPv4 address of an interface.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PrivateIpAddress {
    /// The address.
    #[serde(default)]
    pub private_ip_address: Option<String>,
    /// Its public association.
    #[serde(default)]
    pub association: Option<PublicIpAssociation>,
    /// Whether it is the primary address.
    #[serde(default)]
    pub primary: bool,
}

/// An IPv6 address of an interface.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Ipv6Address {
    /// The address.
    pub ipv6_address: String,
}

/// A network interface from `describe-network-interfaces`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkInterface {
    /// `eni-…`.
    pub network_interface_id: String,
    /// `interface`, `nat_gateway`, `network_load_balancer`, …
    #[serde(default)]
    pub interface_type: Option<String>,
    /// Subnet.
    #[serde(default)]
    pub subnet_id: Option<String>,
    /// VPC.
    #[serde(default)]
    pub vpc_id: Option<String>,
    /// What AWS says uses it (`ELB app/…`, `RDSNetworkInterface`, …).
    #[serde(default)]
    pub description: Option<String>,
    /// Security groups.
    #[serde(default)]
    pub groups: Vec<GroupIdentifier>,
    /// Public association of the primary address.
    #[serde(default)]
    pub association: Option<PublicIpAssociation>,
    /// Primary private address.
    #[serde(default)]
    pub private_ip_address: Option<String>,
    /// All private addresses.
    #[serde(default)]
    pub private_ip_addresses: Vec<PrivateIpAddress>,
    /// IPv6 addresses.
    #[serde(default)]
    pub ipv6_addresses: Vec<Ipv6Address>,
    /// The instance it is attached to.
    #[serde(default)]
    pub attachment: Option<InterfaceAttachment>,
}

/// The attachment of a network interface.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InterfaceAttachment {
    /// The instance.
    #[serde(default)]
    pub instance_id: Option<String>,
}

/// An Elastic IP address.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Address {
    /// The public address.
    pub public_ip: String,
    /// `eipalloc-…`.
    #[serde(default)]
    pub allocation_id: Option<String>,
    /// The instance it is associated with.
    #[serde(default)]
    pub instance_id: Option<String>,
    /// The interface it is associated with.
    #[serde(default)]
    pub network_interface_id: Option<String>,
    /// The private address it maps to.
    #[serde(default)]
    pub private_ip_address: Option<String>,
}

/// A VPC flow log.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FlowLog {
    /// `fl-…`.
    pub flow_log_id: String,
    /// The VPC, subnet or interface it captures.
    pub resource_id: String,
    /// `ALL`, `ACCEPT` or `REJECT`.
    #[serde(default)]
    pub traffic_type: Option<String>,
    /// `cloud-watch-logs`, `s3` or `kinesis-data-firehose`.
    #[serde(default)]
    pub log_destination_type: Option<String>,
    /// Destination ARN.
    #[serde(default)]
    pub log_destination: Option<String>,
    /// CloudWatch Logs group.
    #[serde(default)]
    pub log_group_name: Option<String>,
    /// `ACTIVE` when delivering.
    #[serde(default)]
    pub flow_log_status: Option<String>,
}

/// An EBS volume, as `ec2 describe-volumes` prints it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Volume {
    /// `vol-…`.
    pub volume_id: String,
    /// Whether the volume is encrypted (AWS always reports it).
    #[serde(default)]
    pub encrypted: Option<bool>,
    /// The KMS key of an encrypted volume.
    #[serde(default)]
    pub kms_key_id: Option<String>,
    /// `in-use`, `available`, …
    #[serde(default)]
    pub state: Option<String>,
    /// Size in GiB.
    #[serde(default)]
    pub size: Option<i64>,
    /// The instances it is attached to.
    #[serde(default)]
    pub attachments: Vec<VolumeAttachment>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<Tag>,
}

impl Volume {
    /// The attachments in force (`attaching` or `attached`).
    pub fn attached(&self) -> impl Iterator<Item = &VolumeAttachment> {
        self.attachments.iter().filter(|a| {
            a.state
                .as_deref()
                .is_none_or(|s| s == "attached" || s == "attaching")
        })
    }
}

/// An attachment of an EBS volume to an instance.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VolumeAttachment {
    /// `i-…`.
    #[serde(default)]
    pub instance_id: Option<String>,
    /// The device name (`/dev/xvda`).
    #[serde(default)]
    pub device: Option<String>,
    /// `attached`, `detaching`, …
    #[serde(default)]
    pub state: Option<String>,
}
