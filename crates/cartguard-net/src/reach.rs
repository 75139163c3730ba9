//! Reachability: can traffic from a source reach a target, on which ports, and why.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::address::{AddressError, AddressSet};
use crate::interval::IntervalSet;
use crate::nacl::{Direction, ParsedAcl, ReplyDecision};
use crate::network::{Endpoint, Evidence, Network, Placement, Target};
use crate::partition::split;
use crate::routing::{ParsedRouteTable, RouteTarget};
use crate::security_group::ParsedGroup;
use crate::service::{Protocol, ServiceRange, ServiceSet};

/// Where traffic comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Any address on the internet.
    Internet,
    /// The addresses of a CIDR block (as written, and parsed).
    Cidr(String, AddressSet),
    /// The network interfaces that are members of a security group.
    SecurityGroup(String),
}

impl Source {
    /// Reads `internet`, a security group id (`sg-…`) or a CIDR block.
    pub fn parse(text: &str) -> Result<Self, AddressError> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("internet") {
            return Ok(Source::Internet);
        }
        if t.starts_with("sg-") {
            return Ok(Source::SecurityGroup(t.to_string()));
        }
        AddressSet::parse(t).map(|a| Source::Cidr(t.to_string(), a))
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Internet => f.write_str("internet"),
            Source::Cidr(text, _) => f.write_str(text),
            Source::SecurityGroup(id) => f.write_str(id),
        }
    }
}

impl Serialize for Source {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// An IP address family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// IPv4.
    Ipv4,
    /// IPv6.
    Ipv6,
}

/// Whether a network ACL entry was crossed by the request or by its reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The request.
    Request,
    /// The reply (network ACLs are stateless, so replies need their own entry).
    Reply,
}

/// One step of the path that admits traffic.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "hop", rename_all = "kebab-case")]
pub enum Hop {
    /// The target's public address.
    PublicAddress {
        /// The interface holding it, when known.
        interface: Option<String>,
        /// The address, or how AWS assigns it.
        address: String,
        /// Its family.
        family: Family,
    },
    /// The route that sends replies to the internet gateway.
    InternetGatewayRoute {
        /// Route table.
        route_table: String,
        /// The route's destination.
        destination: String,
        /// The gateway.
        gateway: String,
    },
    /// A route between private addresses (local, peering, transit gateway, VPN).
    Route {
        /// Route table.
        route_table: String,
        /// The route's destination.
        destination: String,
        /// Where it sends traffic (`local`, `pcx-…`, `tgw-…`).
        target: String,
    },
    /// An egress rule of the sender's security group.
    SecurityGroupEgressRule {
        /// The group.
        group_id: String,
        /// The rule's position in `IpPermissionsEgress`.
        rule_index: usize,
        /// The destination it names (CIDR, group or prefix list).
        peer: String,
    },
    /// A network ACL entry that allows the request or its reply.
    NetworkAclEntry {
        /// The network ACL.
        acl_id: String,
        /// The subnet whose boundary is crossed.
        subnet_id: String,
        /// Direction through that boundary.
        direction: Direction,
        /// The entry's rule number.
        rule_number: i64,
        /// Request or reply.
        role: Role,
    },
    /// Sender and target share a subnet, so no network ACL is crossed.
    SameSubnet {
        /// The subnet.
        subnet_id: String,
    },
    /// An ingress rule of the target's security group.
    SecurityGroupRule {
        /// The group.
        group_id: String,
        /// The rule's position in `IpPermissions`.
        rule_index: usize,
        /// The source it names (CIDR, group or prefix list).
        peer: String,
    },
    /// The target has no security group (a network load balancer without one).
    NoSecurityGroup,
    /// A listener or service port of the target.
    Listener {
        /// The listened ports.
        ports: ServiceRange,
    },
}

/// The first step that stops traffic.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum BlockedBy {
    /// The target has no public address of this family.
    NoPublicAddress {
        /// The interface, when known.
        interface: Option<String>,
        /// The family.
        family: Family,
    },
    /// The subnet's route table sends nothing of this family to an internet gateway.
    NoInternetGatewayRoute {
        /// Route table.
        route_table: String,
        /// The family.
        family: Family,
    },
    /// IPv6 leaves through an egress-only gateway, which admits no inbound connection.
    EgressOnlyGateway {
        /// Route table.
        route_table: String,
        /// The gateway.
        gateway: String,
    },
    /// No route connects source and target.
    NoRoute {
        /// Route table.
        route_table: String,
        /// The unrouted addresses.
        destination: AddressSet,
    },
    /// The source security group has no member interface.
    NoSourceMembers {
        /// The group.
        group_id: String,
    },
    /// The sender's security groups have no egress rule for this traffic.
    NoSecurityGroupEgressRule {
        /// The sender's groups.
        groups: Vec<String>,
    },
    /// A network ACL entry (or its implicit deny) drops the request.
    NetworkAclDeny {
        /// The network ACL.
        acl_id: String,
        /// The subnet.
        subnet_id: String,
        /// Direction through the subnet boundary.
        direction: Direction,
        /// The denying entry ([`crate::IMPLICIT_DENY`] for the implicit `*` deny).
        rule_number: i64,
    },
    /// None of the target's security groups has an ingress rule for this traffic.
    NoSecurityGroupRule {
        /// The target's groups.
        groups: Vec<String>,
    },
    /// The request gets in but a network ACL drops the reply.
    ReturnPathDropped {
        /// The network ACL.
        acl_id: String,
        /// The subnet.
        subnet_id: String,
        /// Direction of the reply through the subnet boundary.
        direction: Direction,
        /// The dropping entry ([`crate::IMPLICIT_DENY`] for the implicit deny).
        rule_number: i64,
    },
    /// Nothing listens on this port (load balancer listeners, database port).
    NotListening {
        /// What the target listens on.
        listening: Vec<ServiceRange>,
    },
}

/// The overall answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Some traffic gets through.
    Reachable,
    /// Nothing gets through, and every step was assessed.
    Unreachable,
    /// Nothing is known to get through, but missing or unreadable evidence
    /// leaves part of the question open.
    NotAssessed,
}

/// A range of traffic that gets through, with where from and how.
#[derive(Debug, Clone, Serialize)]
pub struct ReachablePorts {
    /// The traffic.
    #[serde(flatten)]
    pub ports: ServiceRange,
    /// The source addresses that get through (`0.0.0.0/0`/`::/0` for every internet address).
    pub sources: AddressSet,
    /// Whether every public IPv4 or every public IPv6 address gets through.
    pub from_anywhere: bool,
    /// The steps that admit it, from every subnet of the target and for any
    /// of its sources. Not serialised: [`Self::paths`] says which hop admits
    /// which sources.
    #[serde(skip)]
    pub path: Vec<Hop>,
    /// The same steps as paths: one per subnet of the target and group of
    /// sources, each listing only the hops that admit all of its sources.
    pub paths: Vec<SubnetPath>,
    /// Why more sources than `sources` may get through: evidence on the way
    /// that cannot be read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub undecided: Vec<String>,
}

/// One way in: the hops, in order, that take traffic from some sources into
/// one subnet of the target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubnetPath {
    /// The target's subnet the traffic enters (its interface there).
    pub subnet_id: String,
    /// The sources that take this path; every hop admits all of them.
    pub sources: AddressSet,
    /// The hops, in the order the request (then its reply) crosses them.
    pub hops: Vec<Hop>,
}

/// A range of traffic that is stopped, and by what.
#[derive(Debug, Clone, Serialize)]
pub struct BlockedPorts {
    /// The traffic.
    #[serde(flatten)]
    pub ports: ServiceRange,
    /// The first step that stops it.
    pub blocked_by: BlockedBy,
}

/// A range of traffic whose fate the evidence cannot tell.
#[derive(Debug, Clone, Serialize)]
pub struct UnknownPorts {
    /// The traffic.
    #[serde(flatten)]
    pub ports: ServiceRange,
    /// Why.
    pub reasons: Vec<String>,
}

/// The answer to "can `source` reach `target`?".
#[derive(Debug, Clone, Serialize)]
pub struct Reachability {
    /// The region.
    pub region: String,
    /// Where traffic comes from.
    pub source: Source,
    /// Where it goes.
    pub target: Target,
    /// The overall answer.
    pub status: Verdict,
    /// Whether any traffic gets through.
    pub reachable: bool,
    /// The traffic that gets through.
    pub ports: Vec<ReachablePorts>,
    /// Every step used by some reachable traffic.
    pub path: Vec<Hop>,
    /// When nothing gets through, the first step that stops the traffic that got furthest.
    pub blocked_by: Option<BlockedBy>,
    /// The traffic that is stopped, range by range.
    pub blocked: Vec<BlockedPorts>,
    /// The traffic the evidence cannot decide.
    pub unknown: Vec<UnknownPorts>,
    /// Why part of the question could not be assessed (missing evidence).
    pub not_assessed: Vec<String>,
    /// Remarks that qualify the answer (partial return paths, stopped instances).
    pub notes: Vec<String>,
}

impl Reachability {
    fn new(region: &str, source: &Source, target: &Target) -> Self {
        Reachability {
            region: region.to_string(),
            source: source.clone(),
            target: target.clone(),
            status: Verdict::NotAssessed,
            reachable: false,
            ports: Vec::new(),
            path: Vec::new(),
            blocked_by: None,
            blocked: Vec::new(),
            unknown: Vec::new(),
            not_assessed: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Whether `port` of `protocol` gets through from every public address of a family.
    pub fn open_to_world(&self, protocol: Protocol, port: u16) -> bool {
        self.ports
            .iter()
            .any(|p| p.from_anywhere && p.ports.contains(protocol, port))
    }

    /// Why traffic of `of` may get through from more sources than [`Self::ports`]
    /// says, so that a question about `of` cannot be answered "no": the ranges
    /// whose fate is unknown, the reachable ranges not open to the whole internet
    /// that unreadable evidence may open wider, and reasons that hold for the
    /// whole target (a placement that could not be followed); with the part of
    /// `of` they leave open. Empty reasons when the evidence decides all of `of`.
    pub fn undecided(&self, of: &ServiceSet) -> (ServiceSet, Vec<String>) {
        let mut ports = ServiceSet::empty();
        let mut reasons = Vec::new();
        if of.is_empty() {
            return (ports, reasons);
        }
        let set = |r: &ServiceRange| ServiceSet::ports(r.protocol, r.from_port, r.to_port);
        let ranges = self.unknown.iter().map(|u| (&u.ports, &u.reasons)).chain(
            self.ports
                .iter()
                .filter(|p| !p.from_anywhere)
                .map(|p| (&p.ports, &p.undecided)),
        );
        for (range, why) in ranges {
            let open = set(range).intersection(of);
            if open.is_empty() || why.is_empty() {
                continue;
            }
            ports = ports.union(&open);
            for reason in why {
                push_unique(&mut reasons, reason.clone());
            }
        }
        // Reasons not tied to a range of traffic leave every range open.
        for reason in &self.not_assessed {
            let of_a_range = self.ports.iter().any(|p| p.undecided.contains(reason));
            if !of_a_range {
                ports = of.clone();
                push_unique(&mut reasons, reason.clone());
            }
        }
        (ports, reasons)
    }

    /// The traffic that gets through, as a set.
    pub fn reachable_services(&self) -> ServiceSet {
        self.ports.iter().fold(ServiceSet::empty(), |acc, p| {
            acc.union(&ServiceSet::ports(
                p.ports.protocol,
                p.ports.from_port,
                p.ports.to_port,
            ))
        })
    }
}

/// How far traffic got before something stopped it; later is more informative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    Address,
    Route,
    SourceSecurityGroup,
    SourceAcl,
    Acl,
    SecurityGroup,
    ReturnAcl,
    SourceReturnAcl,
    Listener,
}

/// The sending side, when it is inside the account.
struct SenderSide<'n> {
    subnet_id: String,
    acl: Option<&'n ParsedAcl<'n>>,
    /// The sender's security groups, when the sender is a known interface.
    groups: Option<(Vec<String>, Vec<&'n ParsedGroup<'n>>)>,
    same_subnet: bool,
}

/// One group of source addresses that share a way in.
struct Origin<'n> {
    addresses: AddressSet,
    /// Hops, each with the addresses it serves (`None`: all of them).
    hops: Vec<(Hop, Option<AddressSet>)>,
    sender: Option<SenderSide<'n>>,
    blocked: Option<(Stage, BlockedBy)>,
    unknown: Vec<String>,
}

impl Origin<'_> {
    fn blocked(stage: Stage, by: BlockedBy) -> Self {
        Origin {
            addresses: AddressSet::empty(),
            hops: Vec::new(),
            sender: None,
            blocked: Some((stage, by)),
            unknown: Vec::new(),
        }
    }
}

/// The target side of one placement.
struct TargetSide<'n, 'p> {
    placement: &'p Placement,
    subnet_id: &'p str,
    route_table: &'n ParsedRouteTable<'n>,
    acl: &'n ParsedAcl<'n>,
    groups: Vec<&'n ParsedGroup<'n>>,
}

enum Outcome {
    Admitted {
        addresses: AddressSet,
        /// The hops that admit them, split by the sources they serve.
        paths: Vec<(AddressSet, Vec<Hop>)>,
        notes: Vec<String>,
        unknown: Vec<String>,
    },
    Blocked(Stage, BlockedBy),
    Unknown(Vec<String>),
}

#[derive(Default, Clone, PartialEq)]
struct CellResult {
    admitted: AddressSet,
    hops: Vec<Hop>,
    paths: Vec<SubnetPath>,
    blocked: Option<(Stage, BlockedBy)>,
    unknown: Vec<String>,
    /// Why sources beyond `admitted` may get through too.
    undecided: Vec<String>,
}

fn push_unique<T: PartialEq>(v: &mut Vec<T>, x: T) {
    if !v.contains(&x) {
        v.push(x);
    }
}

/// The source addresses followed along the path, and what let them through so far.
struct Trail {
    addresses: AddressSet,
    /// Hops, each with the addresses it serves (`None`: all of them).
    hops: Vec<(Hop, Option<AddressSet>)>,
    notes: Vec<String>,
    unknown: Vec<String>,
}

/// A subnet boundary on the path, with the network ACL that guards it.
struct AclBoundary<'x> {
    acl: &'x ParsedAcl<'x>,
    subnet_id: &'x str,
    end: AclEnd<'x>,
}

/// Which end of the path a network ACL guards.
enum AclEnd<'x> {
    /// The sender's subnet. Its ACL sees the target as the remote end, so it is
    /// judged against the target's private addresses and narrows no source.
    Sender(&'x AddressSet),
    /// The target's subnet. Its ACL sees the source addresses being followed,
    /// and lets only some of them on.
    Target,
}

impl AclBoundary<'_> {
    /// The way the request, or its reply, crosses this boundary.
    fn direction(&self, role: Role) -> Direction {
        let request = match self.end {
            AclEnd::Sender(_) => Direction::Outbound,
            AclEnd::Target => Direction::Inbound,
        };
        match role {
            Role::Request => request,
            Role::Reply => request.reverse(),
        }
    }

    /// What stops the request or its reply here, given the entry that does.
    fn refusal(&self, role: Role, rule_number: i64) -> BlockedBy {
        let acl_id = self.acl.id().to_string();
        let subnet_id = self.subnet_id.to_string();
        let direction = self.direction(role);
        match role {
            Role::Request => BlockedBy::NetworkAclDeny {
                acl_id,
                subnet_id,
                direction,
                rule_number,
            },
            Role::Reply => BlockedBy::ReturnPathDropped {
                acl_id,
                subnet_id,
                direction,
                rule_number,
            },
        }
    }
}

/// How a network ACL treats one crossing, the request's or the reply's.
struct AclVerdict<'d> {
    /// The remote addresses let through.
    allowed: &'d AddressSet,
    /// The allow entries, with the remote addresses each one decided.
    allowed_by: &'d [(i64, AddressSet)],
    /// The entries that stop remote addresses, in rule order.
    refused_by: &'d [(i64, AddressSet)],
    unknown: &'d [String],
    /// For a reply, the reply ports let through to each remote.
    reply: Option<&'d ReplyDecision>,
}

impl AclVerdict<'_> {
    /// The first entry that stops some of `remote`: the implicit deny when none does.
    fn first_refusing(&self, remote: &AddressSet) -> i64 {
        self.refused_by
            .iter()
            .find(|(_, s)| s.intersects(remote))
            .map_or(crate::IMPLICIT_DENY, |(n, _)| *n)
    }
}

impl Trail {
    /// Starts at an origin, with the hops that brought its addresses there.
    fn new(origin: &Origin) -> Self {
        Trail {
            addresses: origin.addresses.clone(),
            hops: origin.hops.clone(),
            notes: Vec::new(),
            unknown: origin.unknown.clone(),
        }
    }

    /// Takes the traffic along every hop of the path, in order, until one stops it.
    fn follow(
        &mut self,
        protocol: Protocol,
        port: u16,
        side: &TargetSide,
        origin: &Origin,
        listeners: Option<&ServiceSet>,
    ) -> Result<(), Outcome> {
        let target = side.placement;
        let sender = origin.sender.as_ref();
        // Network ACLs are stateless, so the request and its reply are each checked
        // at both ends; within one subnet no network ACL is crossed either way.
        let same_subnet = sender.is_some_and(|s| s.same_subnet);
        let sender_acl = match sender {
            Some(SenderSide {
                subnet_id,
                acl: Some(acl),
                same_subnet: false,
                ..
            }) => Some(AclBoundary {
                acl,
                subnet_id,
                end: AclEnd::Sender(&target.private),
            }),
            _ => None,
        };
        let target_acl = (!same_subnet).then_some(AclBoundary {
            acl: side.acl,
            subnet_id: side.subnet_id,
            end: AclEnd::Target,
        });

        if let Some((names, groups)) = sender.and_then(|s| s.groups.as_ref()) {
            self.leave_sender_groups(protocol, port, target, names, groups)?;
        }
        if let Some(boundary) = &sender_acl {
            self.cross_acl(protocol, port, boundary, Role::Request)?;
        }
        match &target_acl {
            Some(boundary) => self.cross_acl(protocol, port, boundary, Role::Request)?,
            None => self.hops.push((
                Hop::SameSubnet {
                    subnet_id: side.subnet_id.to_string(),
                },
                None,
            )),
        }
        self.enter_target_groups(protocol, port, side, sender)?;
        if let Some(boundary) = &target_acl {
            self.cross_acl(protocol, port, boundary, Role::Reply)?;
        }
        if let Some(boundary) = &sender_acl {
            self.cross_acl(protocol, port, boundary, Role::Reply)?;
        }
        if let Some(l) = listeners {
            self.reach_listener(protocol, port, l)?;
        }
        Ok(())
    }

    /// The sender's security groups must let the request out to the target.
    fn leave_sender_groups(
        &mut self,
        protocol: Protocol,
        port: u16,
        target: &Placement,
        names: &[String],
        groups: &[&ParsedGroup],
    ) -> Result<(), Outcome> {
        let adm = admit(
            groups,
            false,
            protocol,
            port,
            &target.private.union(&target.ipv6),
            &target.groups,
        );
        self.unknown.extend(adm.unknown);
        if adm.admitted.is_empty() {
            return Err(self.stop(BlockedBy::NoSecurityGroupEgressRule {
                groups: names.to_vec(),
            }));
        }
        self.hops
            .extend(adm.hops.into_iter().map(|(h, _)| (h, None)));
        Ok(())
    }

    /// Crosses one subnet boundary's network ACL with the request or its reply.
    fn cross_acl(
        &mut self,
        protocol: Protocol,
        port: u16,
        boundary: &AclBoundary,
        role: Role,
    ) -> Result<(), Outcome> {
        let acl = boundary.acl;
        let direction = boundary.direction(role);
        let reply;
        let verdict = match role {
            Role::Request => {
                let Some(d) = acl.decide(direction, protocol, port) else {
                    return Err(Outcome::Unknown(vec![format!(
                        "network ACL {} has no decision",
                        acl.id()
                    )]));
                };
                AclVerdict {
                    allowed: &d.allowed,
                    allowed_by: &d.allowed_by,
                    refused_by: &d.denied_by,
                    unknown: &d.unknown,
                    reply: None,
                }
            }
            Role::Reply => {
                // ICMP other than echo requests has no reply whose way back could be checked.
                let Some(r) = acl.replies(direction, protocol, port) else {
                    return Ok(());
                };
                reply = r;
                AclVerdict {
                    allowed: &reply.some,
                    allowed_by: &reply.allowed_by,
                    refused_by: &reply.dropped_by,
                    unknown: &reply.unknown,
                    reply: Some(&reply),
                }
            }
        };
        self.unknown.extend(verdict.unknown.iter().cloned());
        let remote = match boundary.end {
            AclEnd::Sender(target) => target,
            AclEnd::Target => &self.addresses,
        };
        let passed = remote.intersection(verdict.allowed);
        if passed.is_empty() {
            let by = boundary.refusal(role, verdict.first_refusing(remote));
            return Err(self.stop(by));
        }
        if let (AclEnd::Target, Some(reply)) = (&boundary.end, verdict.reply) {
            self.note_partial_replies(protocol, acl, &passed, reply);
        }
        for (rule_number, decided) in verdict.allowed_by {
            // At the target the entry serves the sources it decided, and drops
            // out if later steps stop them; at the sender it serves every source.
            let serves = match boundary.end {
                AclEnd::Target => Some(decided.clone()),
                AclEnd::Sender(target) if decided.intersects(target) => None,
                AclEnd::Sender(_) => continue,
            };
            self.hops.push((
                Hop::NetworkAclEntry {
                    acl_id: acl.id().to_string(),
                    subnet_id: boundary.subnet_id.to_string(),
                    direction,
                    rule_number: *rule_number,
                    role,
                },
                serves,
            ));
        }
        if let AclEnd::Target = boundary.end {
            self.addresses = passed;
        }
        Ok(())
    }

    /// Notes the sources that get replies on only some reply ports, and on which.
    fn note_partial_replies(
        &mut self,
        protocol: Protocol,
        acl: &ParsedAcl,
        replied: &AddressSet,
        reply: &ReplyDecision,
    ) {
        let partly = replied.difference(&reply.full);
        if !partly.is_empty() && protocol.has_ports() {
            self.notes.push(format!(
                "network ACL {} lets {protocol} replies out to {} only on ports {}",
                acl.id(),
                partly.describe().join(", "),
                ranges_text(&reply.ports_allowed_to(&partly))
            ));
        }
    }

    /// The target's security groups must admit the request from the sources still on the trail.
    fn enter_target_groups(
        &mut self,
        protocol: Protocol,
        port: u16,
        side: &TargetSide,
        sender: Option<&SenderSide>,
    ) -> Result<(), Outcome> {
        let target = side.placement;
        if !target.groups_enforced {
            self.hops.push((Hop::NoSecurityGroup, None));
            return Ok(());
        }
        let sender_groups: &[String] = sender
            .and_then(|s| s.groups.as_ref())
            .map_or(&[], |(names, _)| names.as_slice());
        let adm = admit(
            &side.groups,
            true,
            protocol,
            port,
            &self.addresses,
            sender_groups,
        );
        // Unreadable rules matter only for sources the readable ones leave out.
        if !adm.unknown.is_empty() && !self.addresses.is_subset(&adm.admitted) {
            self.unknown.extend(adm.unknown);
        }
        if adm.admitted.is_empty() {
            return Err(self.stop(BlockedBy::NoSecurityGroupRule {
                groups: target.groups.clone(),
            }));
        }
        self.hops
            .extend(adm.hops.into_iter().map(|(h, s)| (h, Some(s))));
        self.addresses = adm.admitted;
        Ok(())
    }

    /// Something must listen on the port: a load balancer listener, the database port.
    fn reach_listener(
        &mut self,
        protocol: Protocol,
        port: u16,
        listeners: &ServiceSet,
    ) -> Result<(), Outcome> {
        if !listeners.contains(protocol, port) {
            // What listens is known, so this stop holds even where earlier steps were unsure.
            return Err(Outcome::Blocked(
                Stage::Listener,
                BlockedBy::NotListening {
                    listening: listeners.ranges(),
                },
            ));
        }
        let range = listeners
            .get(protocol)
            .ranges()
            .iter()
            .find(|(lo, hi)| *lo <= port && port <= *hi)
            .map_or((port, port), |r| *r);
        self.hops.push((
            Hop::Listener {
                ports: ServiceRange {
                    protocol,
                    from_port: range.0,
                    to_port: range.1,
                },
            },
            None,
        ));
        Ok(())
    }

    /// Stops the traffic with `by`, unless unreadable evidence met on the way leaves that open.
    fn stop(&mut self, by: BlockedBy) -> Outcome {
        if self.unknown.is_empty() {
            Outcome::Blocked(stage_of(&by), by)
        } else {
            Outcome::Unknown(std::mem::take(&mut self.unknown))
        }
    }

    /// The traffic got through: the sources still on the trail, with the hops
    /// serving them, split into paths by the sources they serve.
    fn admitted(self) -> Outcome {
        let paths = paths_of(&self.addresses, self.hops);
        Outcome::Admitted {
            addresses: self.addresses,
            paths,
            notes: self.notes,
            unknown: self.unknown,
        }
    }
}

/// The hops that serve `admitted` (each with the sources it serves, `None`
/// for all), as paths: `admitted` split into groups that every hop either
/// serves whole or not at all, each group with its hops in order. A
/// hop serves only the sources that got through; a security group rule whose
/// sources are part of what another rule admits (a prefix list beside
/// `0.0.0.0/0`) is left out, since rules add up and the wider one admits them
/// already. Rules that admit the same sources are all kept: each admits them.
fn paths_of(
    admitted: &AddressSet,
    hops: Vec<(Hop, Option<AddressSet>)>,
) -> Vec<(AddressSet, Vec<Hop>)> {
    let mut served: Vec<(Hop, Option<AddressSet>)> = Vec::new();
    for (hop, sources) in hops {
        let sources = match sources {
            None => None,
            Some(s) => {
                let s = s.intersection(admitted);
                if s.is_empty() {
                    continue;
                }
                Some(s)
            }
        };
        if !served.iter().any(|(h, _)| *h == hop) {
            served.push((hop, sources));
        }
    }
    let is_rule = |h: &Hop| matches!(h, Hop::SecurityGroupRule { .. });
    let redundant = |i: usize| {
        let (hop, Some(mine)) = &served[i] else {
            return false;
        };
        is_rule(hop)
            && served.iter().enumerate().any(|(j, (other, theirs))| {
                j != i
                    && is_rule(other)
                    && theirs
                        .as_ref()
                        .is_some_and(|theirs| mine.is_subset(theirs) && mine != theirs)
            })
    };
    let kept: Vec<(Hop, Option<AddressSet>)> = (0..served.len())
        .filter(|&i| !redundant(i))
        .map(|i| served[i].clone())
        .collect();
    let mut groups = vec![admitted.clone()];
    for (_, sources) in &kept {
        let Some(sources) = sources else { continue };
        groups = groups
            .into_iter()
            .flat_map(|g| [g.intersection(sources), g.difference(sources)])
            .filter(|g| !g.is_empty())
            .collect();
    }
    groups
        .into_iter()
        .map(|group| {
            let hops = kept
                .iter()
                .filter(|(_, s)| s.as_ref().is_none_or(|s| group.is_subset(s)))
                .map(|(h, _)| h.clone())
                .collect();
            (group, hops)
        })
        .collect()
}

impl<'a> Network<'a> {
    /// Which traffic of `services` from `source` reaches `target`, with the path
    /// that admits each range and the first step that stops the rest.
    pub fn reach(&self, source: &Source, target: &Target, services: &ServiceSet) -> Reachability {
        let mut r = Reachability::new(&self.region, source, target);
        let mut needed = vec![
            Evidence::Subnets,
            Evidence::RouteTables,
            Evidence::NetworkAcls,
            Evidence::SecurityGroups,
        ];
        needed.push(match target {
            Target::Instance(_) => Evidence::Instances,
            // An instance's interface is found in describe-instances alone.
            Target::NetworkInterface(_)
                if !self.endpoint_index.contains_key(target) && self.endpoint(target).is_some() =>
            {
                Evidence::Instances
            }
            Target::NetworkInterface(_) => Evidence::NetworkInterfaces,
            Target::Database(_) => Evidence::DbInstances,
            Target::LoadBalancer(_) => Evidence::LoadBalancers,
        });
        if matches!(source, Source::SecurityGroup(_)) {
            needed.push(Evidence::Instances);
        }
        if let Source::Cidr(_, a) = source
            && !a.is_subset(AddressSet::internet())
        {
            needed.push(Evidence::Vpcs);
        }
        let missing = self.missing(&needed);
        if !missing.is_empty() {
            r.not_assessed = missing;
            return r;
        }
        let Some(endpoint) = self.endpoint(target) else {
            r.not_assessed.push(format!(
                "{target} is not in the evidence for {}",
                self.region
            ));
            return r;
        };
        if let Source::SecurityGroup(g) = source
            && self.group(g).is_none()
        {
            r.not_assessed.push(format!(
                "security group {g} is not in {}",
                Evidence::SecurityGroups.key(&self.region)
            ));
            return r;
        }
        if matches!(source, Source::SecurityGroup(_))
            && let Some(why) = self.unavailable.get(&Evidence::NetworkInterfaces)
        {
            r.notes.push(format!(
                "{why}: members other than instances are not considered"
            ));
        }
        self.reach_endpoint(source, &endpoint, services, &mut r);
        r
    }

    fn target_side<'p>(&'a self, p: &'p Placement) -> Result<TargetSide<'a, 'p>, String> {
        let name = p.interface_id.as_deref().unwrap_or("the interface");
        let subnet_id = p
            .subnet_id
            .as_deref()
            .ok_or_else(|| format!("{name} has no subnet in the evidence"))?;
        let subnet = self.subnets.get(subnet_id).ok_or_else(|| {
            format!(
                "subnet {subnet_id} is not in {}",
                Evidence::Subnets.key(&self.region)
            )
        })?;
        let route_table = subnet.route_table.map(|i| &self.route_tables[i]).ok_or_else(|| {
            format!(
                "no route table applies to subnet {subnet_id} (no association and no main route table for {})",
                subnet.vpc_id
            )
        })?;
        let acl = subnet.acl.map(|i| &self.acls[i]).ok_or_else(|| {
            format!(
                "no network ACL applies to subnet {subnet_id} (no association and no default ACL for {})",
                subnet.vpc_id
            )
        })?;
        let mut groups = Vec::new();
        for g in &p.groups {
            match self.group(g) {
                Some(pg) => groups.push(pg),
                None => {
                    return Err(format!(
                        "security group {g} of {name} is not in {}",
                        Evidence::SecurityGroups.key(&self.region)
                    ));
                }
            }
        }
        Ok(TargetSide {
            placement: p,
            subnet_id,
            route_table,
            acl,
            groups,
        })
    }

    fn reach_endpoint(
        &self,
        source: &Source,
        ep: &Endpoint,
        services: &ServiceSet,
        r: &mut Reachability,
    ) {
        r.notes.extend(ep.notes.iter().cloned());
        r.not_assessed.extend(ep.unknown.iter().cloned());
        if !ep.running {
            r.notes.push(format!(
                "{} is not running; the answer holds once it runs",
                ep.target
            ));
        }
        let mut sides = Vec::new();
        for p in &ep.placements {
            match self.target_side(p) {
                Ok(side) => sides.push(side),
                Err(why) => push_unique(&mut r.not_assessed, why),
            }
        }
        let with_origins: Vec<(TargetSide, Vec<Origin>)> = sides
            .into_iter()
            .map(|side| {
                let origins = self.origins(source, &side, &mut r.not_assessed);
                (side, origins)
            })
            .collect();

        let mut results: Vec<(Protocol, u16, u16, CellResult)> = Vec::new();
        for protocol in Protocol::ALL {
            let domain = services.get(protocol);
            if domain.is_empty() {
                continue;
            }
            let mut cuts = Vec::new();
            for (side, origins) in &with_origins {
                cuts.extend(side.acl.inbound_table.cuts(protocol));
                for g in &side.groups {
                    cuts.extend(g.table(true).cuts(protocol));
                }
                for o in origins {
                    if let Some(sender) = &o.sender {
                        if let Some(acl) = sender.acl {
                            cuts.extend(acl.outbound_table.cuts(protocol));
                        }
                        if let Some((_, groups)) = &sender.groups {
                            for g in groups {
                                cuts.extend(g.table(false).cuts(protocol));
                            }
                        }
                    }
                }
            }
            if let Some(l) = &ep.listeners {
                for &(lo, hi) in l.get(protocol).ranges() {
                    cuts.push(u32::from(lo));
                    cuts.push(u32::from(hi) + 1);
                }
            }
            for (lo, hi) in split(domain, &mut cuts) {
                let mut cell = CellResult::default();
                for (side, origins) in &with_origins {
                    for o in origins {
                        match self.evaluate(protocol, lo, side, o, ep.listeners.as_ref()) {
                            Outcome::Admitted {
                                addresses,
                                paths,
                                notes,
                                unknown,
                            } => {
                                cell.admitted.extend(&addresses);
                                for (sources, hops) in paths {
                                    for h in &hops {
                                        push_unique(&mut cell.hops, h.clone());
                                    }
                                    add_path(&mut cell.paths, side.subnet_id, sources, hops);
                                }
                                for n in notes {
                                    push_unique(&mut r.notes, n);
                                }
                                for u in unknown {
                                    push_unique(&mut cell.undecided, u.clone());
                                    push_unique(&mut r.not_assessed, u);
                                }
                            }
                            Outcome::Blocked(stage, by) => {
                                if cell.blocked.as_ref().is_none_or(|(s, _)| stage > *s) {
                                    cell.blocked = Some((stage, by));
                                }
                            }
                            Outcome::Unknown(reasons) => {
                                for u in reasons {
                                    push_unique(&mut cell.unknown, u);
                                }
                            }
                        }
                    }
                }
                if !cell.admitted.is_empty() {
                    cell.blocked = None;
                    for u in std::mem::take(&mut cell.unknown) {
                        push_unique(&mut cell.undecided, u.clone());
                        push_unique(&mut r.not_assessed, u);
                    }
                } else if !cell.unknown.is_empty() {
                    cell.blocked = None;
                }
                match results.last_mut() {
                    Some((p, _, last_hi, last))
                        if *p == protocol && *last_hi + 1 == lo && *last == cell =>
                    {
                        *last_hi = hi;
                    }
                    _ => results.push((protocol, lo, hi, cell)),
                }
            }
        }

        for (protocol, from_port, to_port, cell) in results {
            let ports = ServiceRange {
                protocol,
                from_port,
                to_port,
            };
            if !cell.admitted.is_empty() {
                for h in &cell.hops {
                    push_unique(&mut r.path, h.clone());
                }
                r.ports.push(ReachablePorts {
                    ports,
                    from_anywhere: cell.admitted.covers_internet_family(),
                    sources: cell.admitted,
                    path: cell.hops,
                    paths: cell.paths,
                    undecided: cell.undecided,
                });
            } else if !cell.unknown.is_empty() {
                r.unknown.push(UnknownPorts {
                    ports,
                    reasons: cell.unknown,
                });
            } else if let Some((stage, by)) = cell.blocked {
                if r.blocked_by.is_none()
                    || r.blocked.iter().all(|b| stage_of(&b.blocked_by) < stage)
                {
                    r.blocked_by = Some(by.clone());
                }
                r.blocked.push(BlockedPorts {
                    ports,
                    blocked_by: by,
                });
            }
        }
        r.reachable = !r.ports.is_empty();
        r.status = if r.reachable {
            r.blocked_by = None;
            Verdict::Reachable
        } else if r.not_assessed.is_empty() && r.unknown.is_empty() {
            Verdict::Unreachable
        } else {
            Verdict::NotAssessed
        };
        if ep.placements.is_empty() && r.status == Verdict::Unreachable {
            r.status = Verdict::NotAssessed;
            r.not_assessed.push(format!(
                "{} has no network placement in the evidence",
                r.target
            ));
        }
    }

    fn origins(
        &'a self,
        source: &Source,
        side: &TargetSide<'a, '_>,
        not_assessed: &mut Vec<String>,
    ) -> Vec<Origin<'a>> {
        match source {
            Source::Internet => self.internet_origins(side, AddressSet::internet()),
            Source::Cidr(_, addresses) => {
                let mut out = Vec::new();
                let vpc_id = self
                    .subnets
                    .get(side.subnet_id)
                    .map(|s| s.vpc_id)
                    .unwrap_or_default();
                let vpc_cidrs = self
                    .vpcs
                    .get(vpc_id)
                    .map(|v| v.cidrs.clone())
                    .unwrap_or_default();
                let local = addresses.intersection(&vpc_cidrs);
                if !local.is_empty()
                    && let Some(vpc) = self.vpcs.get(vpc_id)
                {
                    for subnet_id in &vpc.subnets {
                        let Some(s) = self.subnets.get(subnet_id) else {
                            continue;
                        };
                        let part = local.intersection(&s.cidr);
                        if part.is_empty() {
                            continue;
                        }
                        out.push(Origin {
                            hops: vec![(local_route(side), None)],
                            addresses: part,
                            sender: Some(SenderSide {
                                subnet_id: subnet_id.to_string(),
                                acl: s.acl.map(|i| &self.acls[i]),
                                groups: None,
                                same_subnet: *subnet_id == side.subnet_id,
                            }),
                            blocked: None,
                            unknown: Vec::new(),
                        });
                    }
                }
                let outside = addresses.difference(&vpc_cidrs);
                let public = outside.intersection(AddressSet::internet());
                if !public.is_empty() {
                    out.extend(self.internet_origins(side, &public));
                }
                let private = outside.difference(AddressSet::internet());
                if !private.is_empty() {
                    let mut routed = AddressSet::empty();
                    for route in side.route_table.routes_for(&private, |t| {
                        matches!(t, RouteTarget::Other | RouteTarget::Local)
                    }) {
                        let part = route.effective.intersection(&private);
                        routed.extend(&part);
                        out.push(Origin {
                            addresses: part,
                            hops: vec![(
                                Hop::Route {
                                    route_table: side.route_table.id().to_string(),
                                    destination: route.destination.clone(),
                                    target: route.target_id.clone(),
                                },
                                None,
                            )],
                            sender: None,
                            blocked: None,
                            unknown: Vec::new(),
                        });
                    }
                    let unrouted = private.difference(&routed);
                    if !unrouted.is_empty() {
                        out.push(Origin::blocked(
                            Stage::Route,
                            BlockedBy::NoRoute {
                                route_table: side.route_table.id().to_string(),
                                destination: unrouted,
                            },
                        ));
                    }
                }
                out
            }
            Source::SecurityGroup(g) => {
                let members = self.members.get(g).map(Vec::as_slice).unwrap_or_default();
                let mut out = Vec::new();
                for &(e, p) in members {
                    let m = &self.endpoints[e].placements[p];
                    if m.interface_id.is_some() && m.interface_id == side.placement.interface_id {
                        continue;
                    }
                    match self.member_origin(m, side) {
                        Ok(o) => out.push(o),
                        Err(why) => push_unique(not_assessed, why),
                    }
                }
                if members.is_empty() {
                    out.push(Origin::blocked(
                        Stage::Address,
                        BlockedBy::NoSourceMembers {
                            group_id: g.clone(),
                        },
                    ));
                }
                out
            }
        }
    }

    fn member_origin(
        &'a self,
        m: &Placement,
        side: &TargetSide<'a, '_>,
    ) -> Result<Origin<'a>, String> {
        let sender = self.target_side(m)?;
        let same_vpc = self.subnets.get(sender.subnet_id).map(|s| s.vpc_id)
            == self.subnets.get(side.subnet_id).map(|s| s.vpc_id);
        let mut hops = Vec::new();
        if same_vpc {
            hops.push((local_route(side), None));
        } else {
            // Across VPCs both ends need a private route to the other.
            let there = private_route(sender.route_table, &side.placement.private);
            let back = private_route(side.route_table, &m.private);
            match (there, back) {
                (Some(a), Some(b)) => {
                    hops.push((a, None));
                    hops.push((b, None));
                }
                (None, _) => {
                    return Ok(Origin::blocked(
                        Stage::Route,
                        BlockedBy::NoRoute {
                            route_table: sender.route_table.id().to_string(),
                            destination: side.placement.private.clone(),
                        },
                    ));
                }
                (_, None) => {
                    return Ok(Origin::blocked(
                        Stage::Route,
                        BlockedBy::NoRoute {
                            route_table: side.route_table.id().to_string(),
                            destination: m.private.clone(),
                        },
                    ));
                }
            }
        }
        Ok(Origin {
            addresses: m.private.union(&m.ipv6),
            hops,
            sender: Some(SenderSide {
                subnet_id: sender.subnet_id.to_string(),
                acl: Some(sender.acl),
                groups: Some((m.groups.clone(), sender.groups)),
                same_subnet: sender.subnet_id == side.subnet_id,
            }),
            blocked: None,
            unknown: Vec::new(),
        })
    }

    fn internet_origins(
        &'a self,
        side: &TargetSide<'a, '_>,
        universe: &AddressSet,
    ) -> Vec<Origin<'a>> {
        let mut out = Vec::new();
        let p = side.placement;
        let rt = side.route_table;
        for family in [Family::Ipv4, Family::Ipv6] {
            let (wanted, address) = match family {
                Family::Ipv4 => (universe.only_ipv4(), p.public_ipv4.clone()),
                Family::Ipv6 => (
                    universe.only_ipv6(),
                    (!p.ipv6.intersection(AddressSet::internet()).is_empty())
                        .then(|| p.ipv6.describe().join(", ")),
                ),
            };
            if wanted.is_empty() {
                continue;
            }
            let Some(address) = address else {
                out.push(Origin::blocked(
                    Stage::Address,
                    BlockedBy::NoPublicAddress {
                        interface: p.interface_id.clone(),
                        family,
                    },
                ));
                continue;
            };
            let via_igw = wanted.intersection(&rt.internet);
            if via_igw.is_empty() {
                let eigw = rt
                    .routes_for(&wanted, |t| *t == RouteTarget::EgressOnlyGateway)
                    .next();
                let by = match (family, eigw) {
                    (Family::Ipv6, Some(route)) => BlockedBy::EgressOnlyGateway {
                        route_table: rt.id().to_string(),
                        gateway: route.target_id.clone(),
                    },
                    _ => BlockedBy::NoInternetGatewayRoute {
                        route_table: rt.id().to_string(),
                        family,
                    },
                };
                let mut o = Origin::blocked(Stage::Route, by);
                o.unknown = rt.unknown.clone();
                if !o.unknown.is_empty() {
                    o.blocked = None;
                }
                out.push(o);
                continue;
            }
            let mut hops = vec![(
                Hop::PublicAddress {
                    interface: p.interface_id.clone(),
                    address,
                    family,
                },
                None,
            )];
            for route in rt.routes_for(&via_igw, |t| *t == RouteTarget::InternetGateway) {
                hops.push((
                    Hop::InternetGatewayRoute {
                        route_table: rt.id().to_string(),
                        destination: route.destination.clone(),
                        gateway: route.target_id.clone(),
                    },
                    Some(route.effective.clone()),
                ));
            }
            out.push(Origin {
                addresses: via_igw,
                hops,
                sender: None,
                blocked: None,
                unknown: rt.unknown.clone(),
            });
        }
        out
    }

    /// Follows one group of source addresses through every step for the cell of
    /// traffic that starts at `port`.
    fn evaluate(
        &self,
        protocol: Protocol,
        port: u16,
        side: &TargetSide,
        origin: &Origin,
        listeners: Option<&ServiceSet>,
    ) -> Outcome {
        if let Some((stage, by)) = &origin.blocked {
            return Outcome::Blocked(*stage, by.clone());
        }
        if origin.addresses.is_empty() {
            return Outcome::Unknown(origin.unknown.clone());
        }
        let mut trail = Trail::new(origin);
        match trail.follow(protocol, port, side, origin, listeners) {
            Ok(()) => trail.admitted(),
            Err(stopped) => stopped,
        }
    }
}

fn stage_of(by: &BlockedBy) -> Stage {
    match by {
        BlockedBy::NoPublicAddress { .. } | BlockedBy::NoSourceMembers { .. } => Stage::Address,
        BlockedBy::NoInternetGatewayRoute { .. }
        | BlockedBy::EgressOnlyGateway { .. }
        | BlockedBy::NoRoute { .. } => Stage::Route,
        BlockedBy::NoSecurityGroupEgressRule { .. } => Stage::SourceSecurityGroup,
        BlockedBy::NetworkAclDeny {
            direction: Direction::Outbound,
            ..
        } => Stage::SourceAcl,
        BlockedBy::NetworkAclDeny { .. } => Stage::Acl,
        BlockedBy::NoSecurityGroupRule { .. } => Stage::SecurityGroup,
        BlockedBy::ReturnPathDropped {
            direction: Direction::Outbound,
            ..
        } => Stage::ReturnAcl,
        BlockedBy::ReturnPathDropped { .. } => Stage::SourceReturnAcl,
        BlockedBy::NotListening { .. } => Stage::Listener,
    }
}

/// Adds a path into `subnet_id` to `paths`, merged with the one of the same
/// subnet and hops when there is one (origins that take the same way in).
fn add_path(paths: &mut Vec<SubnetPath>, subnet_id: &str, sources: AddressSet, hops: Vec<Hop>) {
    match paths
        .iter_mut()
        .find(|p| p.subnet_id == subnet_id && p.hops == hops)
    {
        Some(same) => same.sources.extend(&sources),
        None => paths.push(SubnetPath {
            subnet_id: subnet_id.to_string(),
            sources,
            hops,
        }),
    }
}

fn ranges_text(s: &IntervalSet<u16>) -> String {
    s.ranges()
        .iter()
        .map(|&(lo, hi)| {
            if lo == hi {
                lo.to_string()
            } else {
                format!("{lo}-{hi}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn local_route(side: &TargetSide) -> Hop {
    let destination = side
        .route_table
        .routes
        .iter()
        .find(|r| r.target == RouteTarget::Local)
        .map_or_else(|| "VPC CIDR".to_string(), |r| r.destination.clone());
    Hop::Route {
        route_table: side.route_table.id().to_string(),
        destination,
        target: "local".to_string(),
    }
}

fn private_route(rt: &ParsedRouteTable, to: &AddressSet) -> Option<Hop> {
    rt.routes_for(to, |t| matches!(t, RouteTarget::Other))
        .next()
        .map(|r| Hop::Route {
            route_table: rt.id().to_string(),
            destination: r.destination.clone(),
            target: r.target_id.clone(),
        })
}

/// What a set of security groups admits from (ingress) or to (egress) some peers.
pub(crate) struct Admission {
    pub admitted: AddressSet,
    pub hops: Vec<(Hop, AddressSet)>,
    pub unknown: Vec<String>,
}

/// The union of `groups`' rules for one cell of traffic, applied to a peer with
/// addresses `peer` that is a member of `peer_groups`. Group references match
/// only members (by their private addresses), never internet senders.
pub(crate) fn admit(
    groups: &[&ParsedGroup],
    ingress: bool,
    protocol: Protocol,
    port: u16,
    peer: &AddressSet,
    peer_groups: &[String],
) -> Admission {
    let mut out = Admission {
        admitted: AddressSet::empty(),
        hops: Vec::new(),
        unknown: Vec::new(),
    };
    for g in groups {
        let Some(cell) = g.cell(ingress, protocol, port) else {
            continue;
        };
        for (index, text, set) in &cell.address_peers {
            let m = set.intersection(peer);
            if !m.is_empty() {
                out.admitted.extend(&m);
                out.hops.push((rule_hop(g.id(), ingress, *index, text), m));
            }
        }
        for (index, referenced) in &cell.group_peers {
            if peer_groups.contains(referenced) {
                out.admitted.extend(peer);
                out.hops
                    .push((rule_hop(g.id(), ingress, *index, referenced), peer.clone()));
            }
        }
        for u in &cell.unknown {
            push_unique(&mut out.unknown, u.clone());
        }
    }
    out
}

fn rule_hop(group_id: &str, ingress: bool, rule_index: usize, peer: &str) -> Hop {
    if ingress {
        Hop::SecurityGroupRule {
            group_id: group_id.to_string(),
            rule_index,
            peer: peer.to_string(),
        }
    } else {
        Hop::SecurityGroupEgressRule {
            group_id: group_id.to_string(),
            rule_index,
            peer: peer.to_string(),
        }
    }
}
