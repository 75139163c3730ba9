//! Network reachability over security groups, network ACLs, routes and addresses.
//!
//! Build a [`Network`] once per region from the inventory, then ask it:
//! - [`Network::reach`]: which traffic from a [`Source`] reaches a [`Target`],
//!   with the [`Hop`]s that admit each port range and the first step that stops
//!   the rest ([`BlockedBy`]);
//! - [`Network::exposure`]: every endpoint the internet can reach;
//! - [`Network::acl_findings`]: shadowed network ACL entries, flows whose replies
//!   are dropped, entries admitting SSH/RDP from anywhere;
//! - security group questions: [`Network::attachments`],
//!   [`Network::is_database_tier`], [`Network::ingress_sources`],
//!   [`Network::default_security_group`], [`Network::latent_exposure`].
//!
//! The semantics are AWS's: security groups are stateful allow-lists whose rules
//! add up; network ACLs are stateless, evaluated per direction in ascending rule
//! number with the first match deciding and an implicit final deny, so replies
//! need their own entry; a subnet uses its associated route table (else the
//! VPC's main one) and its associated network ACL (else the VPC's default);
//! internet traffic needs a public address and a route to an internet gateway.
//! Evidence that is missing or unreadable makes an answer `not-assessed`, never
//! "unreachable".

#![warn(missing_docs)]

mod address;
mod exposure;
mod groups;
mod interval;
mod located;
mod nacl;
mod network;
mod partition;
mod reach;
mod routing;
mod security_group;
mod service;

use cartguard_inventory::{EvidenceKey, Operation, Region, ec2, elbv2, rds};
use serde::Serialize;

pub use address::{AddressError, AddressSet};
pub use exposure::{AclFindings, Exposure, LatentExposure, LatentReason};
pub use groups::{DATABASE_PORTS, IngressSources};
pub use interval::{Bound, IntervalSet};
pub use nacl::{
    AdminEntryKind, AdminPortEntry, Direction, EPHEMERAL_PORTS, EntryRef, IMPLICIT_DENY,
    MissingReturnPath, ShadowedEntry, is_ephemeral_return_range, is_implicit_deny,
};
pub use network::{Network, Target};
pub use reach::{
    BlockedBy, BlockedPorts, Family, Hop, Reachability, ReachablePorts, Role, Source, SubnetPath,
    UnknownPorts, Verdict,
};
pub use service::{Protocol, ServiceRange, ServiceSet};

/// The evidence a region's network is built from: what a rule that asks the
/// reachability engine needs collected.
pub const EVIDENCE: &[Operation] = &[
    ec2::DESCRIBE_VPCS,
    ec2::DESCRIBE_SUBNETS,
    ec2::DESCRIBE_ROUTE_TABLES,
    ec2::DESCRIBE_INTERNET_GATEWAYS,
    ec2::DESCRIBE_NETWORK_ACLS,
    ec2::DESCRIBE_SECURITY_GROUPS,
    ec2::DESCRIBE_INSTANCES,
    ec2::DESCRIBE_NETWORK_INTERFACES,
    ec2::DESCRIBE_ADDRESSES,
    ec2::DESCRIBE_MANAGED_PREFIX_LISTS,
    ec2::GET_MANAGED_PREFIX_LIST_ENTRIES,
    rds::DESCRIBE_DB_INSTANCES,
    elbv2::DESCRIBE_LOAD_BALANCERS,
    elbv2::DESCRIBE_LISTENERS,
];

/// Something in the evidence that could not be read (a malformed CIDR block,
/// an unknown protocol): the answers it could change are marked not assessed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceProblem {
    /// The answer that holds the value.
    pub key: EvidenceKey,
    /// Where the value sits in that answer (`SecurityGroups[2].IpPermissions[0].IpRanges[1].CidrIp`).
    pub path: String,
    /// The value as written.
    pub value: String,
    /// The resource and the part of it (`acl-… ingress entry 100`).
    pub resource: String,
    /// What is wrong.
    pub detail: String,
}

impl std::fmt::Display for EvidenceProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}, {} = ", self.resource, self.key, self.path)?;
        // A JSON fragment reads best as written; a scalar is quoted.
        if self.value.starts_with('{') {
            write!(f, "{}", self.value)?;
        } else {
            write!(f, "{:?}", self.value)?;
        }
        write!(f, " cannot be read ({})", self.detail)
    }
}

/// Which traffic of `services` from `source` reaches `target` in one region.
/// Builds the region's index first: to ask many questions, build a [`Network`] once.
pub fn reach(
    region_name: &str,
    region: &Region,
    source: &Source,
    target: &Target,
    services: &ServiceSet,
) -> Reachability {
    Network::new(region_name, region).reach(source, target, services)
}

/// Every internet-reachable endpoint of one region.
pub fn exposure(region_name: &str, region: &Region) -> Exposure {
    Network::new(region_name, region).exposure()
}
