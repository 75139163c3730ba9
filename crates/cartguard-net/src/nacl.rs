//! Network ACLs: stateless, ordered, first match wins, implicit final deny.

use cartguard_inventory::ec2;
use serde::{Deserialize, Serialize};

use crate::EvidenceProblem;
use crate::address::AddressSet;
use crate::interval::IntervalSet;
use crate::located::Located;
use crate::partition::Partition;
use crate::service::{Protocol, ServiceRange, ServiceSet};

/// Which way traffic crosses a subnet's boundary.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Into the subnet (a network ACL's ingress entries).
    Inbound,
    /// Out of the subnet (a network ACL's egress entries).
    Outbound,
}

impl Direction {
    /// The other direction, the one replies travel.
    pub fn reverse(self) -> Self {
        match self {
            Direction::Inbound => Direction::Outbound,
            Direction::Outbound => Direction::Inbound,
        }
    }
}

/// The rule number AWS shows for a network ACL's implicit final deny (`*`); the
/// IPv6 twin of that entry is listed as 32768.
pub const IMPLICIT_DENY: i64 = 32767;

/// Whether a rule number belongs to the built-in final deny entries (custom
/// entries are numbered 1 to 32766).
pub fn is_implicit_deny(rule_number: i64) -> bool {
    rule_number >= IMPLICIT_DENY
}

/// The client port range AWS recommends opening for replies: it covers Linux
/// (32768–60999), Windows (49152–65535), NAT gateways and load balancers
/// (1024–65535) alike.
pub const EPHEMERAL_PORTS: (u16, u16) = (1024, 65535);

/// Whether a port range is a generic ephemeral return range rather than a service.
pub fn is_ephemeral_return_range(from: u16, to: u16) -> bool {
    from >= EPHEMERAL_PORTS.0 && from <= 49152 && to == u16::MAX
}

/// One parsed entry.
#[derive(Debug, Clone)]
pub(crate) struct AclEntry {
    pub rule_number: i64,
    pub allow: bool,
    pub services: ServiceSet,
    /// The remote addresses: the source inbound, the destination outbound.
    pub addresses: AddressSet,
    pub cidr: String,
    pub problem: Option<String>,
}

/// How an ordered entry list decides every remote address for one cell of traffic.
#[derive(Debug, Clone, Default)]
pub(crate) struct AclDecision {
    pub allowed: AddressSet,
    /// Each matching entry in order, with the addresses it decided.
    pub allowed_by: Vec<(i64, AddressSet)>,
    pub denied_by: Vec<(i64, AddressSet)>,
    pub unknown: Vec<String>,
}

impl AclDecision {
    fn decided_by(&self, rule_number: i64) -> Option<&AddressSet> {
        self.allowed_by
            .iter()
            .chain(&self.denied_by)
            .find(|(n, _)| *n == rule_number)
            .map(|(_, s)| s)
    }
}

/// How an entry list treats replies over a range of reply ports.
#[derive(Debug, Clone, Default)]
pub(crate) struct ReplyDecision {
    /// Remotes to which at least one reply port is allowed.
    pub some: AddressSet,
    /// Remotes to which every reply port is allowed.
    pub full: AddressSet,
    /// Per sub-range of reply ports, the remotes it is allowed to.
    pub cells: Vec<(u16, u16, AddressSet)>,
    /// For remotes with no reply port allowed, the entries that dropped them.
    pub dropped_by: Vec<(i64, AddressSet)>,
    pub allowed_by: Vec<(i64, AddressSet)>,
    pub unknown: Vec<String>,
}

impl ReplyDecision {
    /// The reply ports allowed to some address of `remote`.
    pub fn ports_allowed_to(&self, remote: &AddressSet) -> IntervalSet<u16> {
        IntervalSet::from_ranges(
            self.cells
                .iter()
                .filter(|(_, _, s)| s.intersects(remote))
                .map(|&(lo, hi, _)| (lo, hi)),
        )
    }
}

/// A network ACL with its entries parsed and its decisions precomputed.
#[derive(Debug)]
pub(crate) struct ParsedAcl<'a> {
    pub raw: &'a ec2::NetworkAcl,
    pub inbound: Vec<AclEntry>,
    pub outbound: Vec<AclEntry>,
    pub inbound_table: Partition<AclDecision>,
    pub outbound_table: Partition<AclDecision>,
    /// Reply decisions for TCP, UDP, ICMP and ICMPv6, indexed [direction][protocol].
    replies: [[ReplyDecision; 4]; 2],
}

impl<'a> ParsedAcl<'a> {
    /// Parses the ACL at `at` in the region's describe-network-acls answer.
    pub(crate) fn new(
        raw: &'a ec2::NetworkAcl,
        at: &Located,
        problems: &mut Vec<EvidenceProblem>,
    ) -> Self {
        let mut inbound = Vec::new();
        let mut outbound = Vec::new();
        let entries = at.field("Entries");
        for (i, e) in raw.entries.iter().enumerate() {
            let entry = parse_entry(&raw.network_acl_id, &entries.item(i), e, problems);
            if e.egress {
                outbound.push(entry);
            } else {
                inbound.push(entry);
            }
        }
        inbound.sort_by_key(|e| e.rule_number);
        outbound.sort_by_key(|e| e.rule_number);
        let inbound_table = table(&inbound);
        let outbound_table = table(&outbound);
        let mut acl = ParsedAcl {
            raw,
            inbound,
            outbound,
            inbound_table,
            outbound_table,
            replies: Default::default(),
        };
        let ephemeral = IntervalSet::range(EPHEMERAL_PORTS.0, EPHEMERAL_PORTS.1);
        for (d, dir) in [Direction::Inbound, Direction::Outbound]
            .into_iter()
            .enumerate()
        {
            acl.replies[d] = [
                acl.compute_replies(dir, Protocol::Tcp, &ephemeral),
                acl.compute_replies(dir, Protocol::Udp, &ephemeral),
                acl.compute_replies(dir, Protocol::Icmp, &IntervalSet::single(ICMP_ECHO_REPLY)),
                acl.compute_replies(
                    dir,
                    Protocol::Icmpv6,
                    &IntervalSet::single(ICMPV6_ECHO_REPLY),
                ),
            ];
        }
        acl
    }

    pub(crate) fn id(&self) -> &'a str {
        &self.raw.network_acl_id
    }

    pub(crate) fn entries(&self, dir: Direction) -> &[AclEntry] {
        match dir {
            Direction::Inbound => &self.inbound,
            Direction::Outbound => &self.outbound,
        }
    }

    pub(crate) fn table(&self, dir: Direction) -> &Partition<AclDecision> {
        match dir {
            Direction::Inbound => &self.inbound_table,
            Direction::Outbound => &self.outbound_table,
        }
    }

    /// How the entries of `dir` decide traffic of `protocol` to `port`.
    pub(crate) fn decide(
        &self,
        dir: Direction,
        protocol: Protocol,
        port: u16,
    ) -> Option<&AclDecision> {
        self.table(dir).lookup(protocol, port)
    }

    /// How the entries of `dir` treat the replies to a request of
    /// `protocol`/`port`; `None` when the request has no reply to check.
    pub(crate) fn replies(
        &self,
        dir: Direction,
        protocol: Protocol,
        port: u16,
    ) -> Option<ReplyDecision> {
        let d = dir as usize;
        match protocol {
            Protocol::Tcp => Some(self.replies[d][0].clone()),
            Protocol::Udp => Some(self.replies[d][1].clone()),
            Protocol::Icmp if port == ICMP_ECHO_REQUEST => Some(self.replies[d][2].clone()),
            Protocol::Icmpv6 if port == ICMPV6_ECHO_REQUEST => Some(self.replies[d][3].clone()),
            Protocol::Icmp | Protocol::Icmpv6 => None,
            Protocol::Other => {
                Some(self.compute_replies(dir, protocol, &IntervalSet::single(port)))
            }
        }
    }

    /// Borrowing form of [`Self::replies`] for TCP and UDP, which analyses ask for often.
    pub(crate) fn port_replies(
        &self,
        dir: Direction,
        protocol: Protocol,
    ) -> Option<&ReplyDecision> {
        match protocol {
            Protocol::Tcp => Some(&self.replies[dir as usize][0]),
            Protocol::Udp => Some(&self.replies[dir as usize][1]),
            _ => None,
        }
    }

    fn compute_replies(
        &self,
        dir: Direction,
        protocol: Protocol,
        ports: &IntervalSet<u16>,
    ) -> ReplyDecision {
        let mut out = ReplyDecision {
            full: AddressSet::all(),
            ..Default::default()
        };
        let mut first = true;
        for (lo, hi, decision) in self.table(dir).cells(protocol) {
            let part = IntervalSet::range(*lo, *hi).intersection(ports);
            let Some(&(plo, phi)) = part.ranges().first() else {
                continue;
            };
            out.some.extend(&decision.allowed);
            out.full = out.full.intersection(&decision.allowed);
            out.cells.push((plo, phi, decision.allowed.clone()));
            merge_attribution(&mut out.allowed_by, &decision.allowed_by);
            if first {
                out.dropped_by = decision.denied_by.clone();
                first = false;
            }
            for u in &decision.unknown {
                if !out.unknown.contains(u) {
                    out.unknown.push(u.clone());
                }
            }
        }
        if first {
            out.full = AddressSet::empty();
        }
        // Only remotes with no reply port at all are "dropped".
        let some = out.some.clone();
        out.dropped_by = out
            .dropped_by
            .into_iter()
            .map(|(n, s)| (n, s.difference(&some)))
            .filter(|(_, s)| !s.is_empty())
            .collect();
        out
    }
}

const ICMP_ECHO_REQUEST: u16 = 8;
const ICMP_ECHO_REPLY: u16 = 0;
const ICMPV6_ECHO_REQUEST: u16 = 128;
const ICMPV6_ECHO_REPLY: u16 = 129;

fn merge_attribution(into: &mut Vec<(i64, AddressSet)>, from: &[(i64, AddressSet)]) {
    for (n, s) in from {
        match into.iter_mut().find(|(m, _)| m == n) {
            Some((_, t)) => t.extend(s),
            None => into.push((*n, s.clone())),
        }
    }
}

fn parse_entry(
    acl_id: &str,
    at: &Located,
    e: &ec2::NetworkAclEntry,
    problems: &mut Vec<EvidenceProblem>,
) -> AclEntry {
    let direction = if e.egress { "egress" } else { "ingress" };
    let resource = format!("{acl_id} {direction} entry {}", e.rule_number);
    let mut found = Vec::new();
    let services = match ServiceSet::from_acl_entry(
        &e.protocol,
        e.port_range.map(|r| (r.from, r.to)),
        e.icmp_type_code.and_then(|c| c.icmp_type),
    ) {
        Ok(s) => s,
        Err(reason) => {
            let value = serde_json::json!({
                "Protocol": e.protocol,
                "PortRange": e.port_range.map(|r| serde_json::json!({"From": r.from, "To": r.to})),
                "IcmpTypeCode": e.icmp_type_code.map(|c| serde_json::json!({"Type": c.icmp_type})),
            })
            .to_string();
            found.push(at.problem(&resource, value, reason));
            // Unknown traffic could be anything: treat it as covering everything
            // so every decision it might change is marked unknown.
            ServiceSet::all()
        }
    };
    let field = if e.cidr_block.is_none() && e.ipv6_cidr_block.is_some() {
        "Ipv6CidrBlock"
    } else {
        "CidrBlock"
    };
    let cidr = e
        .cidr_block
        .as_deref()
        .or(e.ipv6_cidr_block.as_deref())
        .unwrap_or_default()
        .to_string();
    let addresses = match AddressSet::parse(&cidr) {
        Ok(a) => a,
        Err(err) => {
            found.push(at.field(field).problem(&resource, cidr.clone(), err.reason));
            AddressSet::empty()
        }
    };
    let allow = match e.rule_action.to_ascii_lowercase().as_str() {
        "allow" => true,
        "deny" => false,
        other => {
            found.push(at.field("RuleAction").problem(
                &resource,
                e.rule_action.clone(),
                format!("unknown rule action `{other}`"),
            ));
            false
        }
    };
    let problem = (!found.is_empty()).then(|| {
        found
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    });
    problems.extend(found);
    AclEntry {
        rule_number: e.rule_number,
        allow,
        services,
        addresses,
        cidr,
        problem,
    }
}

fn table(entries: &[AclEntry]) -> Partition<AclDecision> {
    Partition::build(
        entries,
        |e| &e.services,
        |_, _, covering| {
            let mut d = AclDecision::default();
            let mut remaining = AddressSet::all();
            for e in covering {
                if let Some(p) = &e.problem {
                    if !remaining.is_empty() {
                        d.unknown.push(p.clone());
                    }
                    continue;
                }
                let matched = remaining.intersection(&e.addresses);
                if matched.is_empty() {
                    continue;
                }
                remaining = remaining.difference(&e.addresses);
                if e.allow {
                    d.allowed.extend(&matched);
                    d.allowed_by.push((e.rule_number, matched));
                } else {
                    d.denied_by.push((e.rule_number, matched));
                }
                if remaining.is_empty() {
                    break;
                }
            }
            if !remaining.is_empty() {
                d.denied_by.push((IMPLICIT_DENY, remaining));
            }
            d
        },
    )
}

/// A network ACL entry as reported by the analyses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryRef {
    /// The rule number.
    pub rule_number: i64,
    /// `allow` or `deny`.
    pub action: &'static str,
    /// The traffic it matches.
    pub ports: Vec<ServiceRange>,
    /// The CIDR block as written.
    pub cidr: String,
}

impl EntryRef {
    fn of(e: &AclEntry) -> Self {
        EntryRef {
            rule_number: e.rule_number,
            action: if e.allow { "allow" } else { "deny" },
            ports: e.services.ranges(),
            cidr: e.cidr.clone(),
        }
    }
}

/// An entry that can never match: lower-numbered entries already match all its traffic.
#[derive(Debug, Clone, Serialize)]
pub struct ShadowedEntry {
    /// The network ACL.
    pub acl_id: String,
    /// Its VPC.
    pub vpc_id: String,
    /// Inbound or outbound entries.
    pub direction: Direction,
    /// The entry that never matches.
    pub entry: EntryRef,
    /// The lower-numbered entries that take its traffic, in order.
    pub shadowed_by: Vec<EntryRef>,
    /// Whether a shadowing entry has the opposite action, so this entry's
    /// intent (an allow that never allows, a deny that never denies) is lost.
    pub contradicted: bool,
}

/// A flow that a network ACL admits in one direction while dropping its replies.
#[derive(Debug, Clone, Serialize)]
pub struct MissingReturnPath {
    /// The network ACL.
    pub acl_id: String,
    /// Its VPC.
    pub vpc_id: String,
    /// The direction of the flow's requests (replies travel the other way).
    pub direction: Direction,
    /// The entry that admits the requests.
    pub flow_entry: EntryRef,
    /// The protocol whose replies are checked.
    pub protocol: Protocol,
    /// Remote addresses the entry really admits (after lower-numbered entries).
    pub remotes: AddressSet,
    /// Remotes to which no reply port is allowed.
    pub replies_dropped_for: AddressSet,
    /// The entries that drop those replies ([`IMPLICIT_DENY`] for the implicit deny).
    pub dropped_by: Vec<i64>,
    /// Remotes to which only part of the ephemeral reply ports is allowed.
    pub replies_partly_allowed_for: AddressSet,
    /// Reply ports allowed to the partly served remotes.
    pub reply_ports_allowed: Vec<(u16, u16)>,
    /// Whether no reply at all gets back to any admitted remote.
    pub completely_dropped: bool,
}

/// What an inbound entry that admits SSH or RDP from the whole internet is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AdminEntryKind {
    /// The entry admits all traffic.
    AllTraffic,
    /// A generic ephemeral return range (such as 1024–65535) that happens to include 3389.
    EphemeralReturnRange,
    /// A port range aimed at remote administration.
    Administration,
}

/// An inbound allow entry admitting SSH (22) or RDP (3389) over TCP from `0.0.0.0/0` or `::/0`.
#[derive(Debug, Clone, Serialize)]
pub struct AdminPortEntry {
    /// The network ACL.
    pub acl_id: String,
    /// Its VPC.
    pub vpc_id: String,
    /// The entry.
    pub entry: EntryRef,
    /// Which administration ports it really admits (after lower-numbered entries).
    pub admin_ports: Vec<u16>,
    /// What the entry is for.
    pub kind: AdminEntryKind,
}

impl ParsedAcl<'_> {
    /// The sets an entry really decides, per cell of its traffic.
    fn effective(&self, dir: Direction, e: &AclEntry) -> Vec<(Protocol, u16, u16, AddressSet)> {
        let mut out = Vec::new();
        for p in Protocol::ALL {
            if e.services.get(p).is_empty() {
                continue;
            }
            for (lo, hi, d) in self.table(dir).cells(p) {
                if e.services.contains(p, *lo)
                    && let Some(s) = d.decided_by(e.rule_number)
                {
                    out.push((p, *lo, *hi, s.clone()));
                }
            }
        }
        out
    }

    pub(crate) fn shadowed_entries(&self) -> Vec<ShadowedEntry> {
        let mut out = Vec::new();
        for dir in [Direction::Inbound, Direction::Outbound] {
            let entries = self.entries(dir);
            for e in entries {
                if e.problem.is_some() || is_implicit_deny(e.rule_number) || e.addresses.is_empty()
                {
                    continue;
                }
                if !self.effective(dir, e).is_empty() {
                    continue;
                }
                let mut shadowers: Vec<i64> = Vec::new();
                for p in Protocol::ALL {
                    for (lo, _, d) in self.table(dir).cells(p) {
                        if !e.services.contains(p, *lo) {
                            continue;
                        }
                        for (n, s) in d.allowed_by.iter().chain(&d.denied_by) {
                            if *n < e.rule_number
                                && s.intersects(&e.addresses)
                                && !shadowers.contains(n)
                            {
                                shadowers.push(*n);
                            }
                        }
                    }
                }
                shadowers.sort_unstable();
                let shadowed_by: Vec<EntryRef> = entries
                    .iter()
                    .filter(|x| shadowers.contains(&x.rule_number))
                    .map(EntryRef::of)
                    .collect();
                let contradicted = entries
                    .iter()
                    .any(|x| shadowers.contains(&x.rule_number) && x.allow != e.allow);
                out.push(ShadowedEntry {
                    acl_id: self.id().to_string(),
                    vpc_id: self.raw.vpc_id.clone(),
                    direction: dir,
                    entry: EntryRef::of(e),
                    shadowed_by,
                    contradicted,
                });
            }
        }
        out
    }

    pub(crate) fn missing_return_paths(&self) -> Vec<MissingReturnPath> {
        let mut out = Vec::new();
        for dir in [Direction::Inbound, Direction::Outbound] {
            for e in self.entries(dir) {
                if !e.allow || e.problem.is_some() {
                    continue;
                }
                let all_traffic = e.services == ServiceSet::all();
                let effective = self.effective(dir, e);
                for p in [Protocol::Tcp, Protocol::Udp] {
                    // An entry for all traffic is checked for TCP only: its UDP
                    // part rarely carries a service of its own.
                    if all_traffic && p == Protocol::Udp {
                        continue;
                    }
                    let ranges = e.services.get(p);
                    if ranges.is_empty()
                        || ranges
                            .ranges()
                            .iter()
                            .all(|&(lo, hi)| is_ephemeral_return_range(lo, hi))
                    {
                        continue;
                    }
                    let mut remotes = AddressSet::empty();
                    for (q, _, _, s) in &effective {
                        if *q == p {
                            remotes.extend(s);
                        }
                    }
                    if remotes.is_empty() {
                        continue;
                    }
                    let Some(replies) = self.port_replies(dir.reverse(), p) else {
                        continue;
                    };
                    let dropped = remotes.difference(&replies.some);
                    let partly = remotes
                        .intersection(&replies.some)
                        .difference(&replies.full);
                    if dropped.is_empty() && (partly.is_empty() || all_traffic) {
                        continue;
                    }
                    if all_traffic && dropped.is_empty() {
                        continue;
                    }
                    let dropped_by = replies
                        .dropped_by
                        .iter()
                        .filter(|(_, s)| s.intersects(&dropped))
                        .map(|(n, _)| *n)
                        .collect();
                    let reply_ports_allowed = replies.ports_allowed_to(&partly).ranges().to_vec();
                    out.push(MissingReturnPath {
                        acl_id: self.id().to_string(),
                        vpc_id: self.raw.vpc_id.clone(),
                        direction: dir,
                        flow_entry: EntryRef::of(e),
                        protocol: p,
                        completely_dropped: dropped == remotes,
                        remotes,
                        replies_dropped_for: dropped,
                        dropped_by,
                        replies_partly_allowed_for: partly,
                        reply_ports_allowed,
                    });
                }
            }
        }
        out
    }

    pub(crate) fn admin_port_entries(&self) -> Vec<AdminPortEntry> {
        let mut out = Vec::new();
        let world_v4 = AddressSet::all_ipv4();
        let world_v6 = AddressSet::all_ipv6();
        for e in &self.inbound {
            if !e.allow
                || e.problem.is_some()
                || (e.addresses != world_v4 && e.addresses != world_v6)
            {
                continue;
            }
            let admin_ports: Vec<u16> = [22u16, 3389]
                .into_iter()
                .filter(|&port| {
                    e.services.contains(Protocol::Tcp, port)
                        && self
                            .decide(Direction::Inbound, Protocol::Tcp, port)
                            .and_then(|d| d.decided_by(e.rule_number))
                            .is_some_and(|s| !s.is_empty())
                })
                .collect();
            if admin_ports.is_empty() {
                continue;
            }
            let tcp = e.services.get(Protocol::Tcp).ranges();
            let kind = if e.services == ServiceSet::all() {
                AdminEntryKind::AllTraffic
            } else if tcp
                .iter()
                .filter(|&&(lo, hi)| lo <= 3389 && 3389 <= hi || lo <= 22 && 22 <= hi)
                .all(|&(lo, hi)| is_ephemeral_return_range(lo, hi))
            {
                AdminEntryKind::EphemeralReturnRange
            } else {
                AdminEntryKind::Administration
            };
            out.push(AdminPortEntry {
                acl_id: self.id().to_string(),
                vpc_id: self.raw.vpc_id.clone(),
                entry: EntryRef::of(e),
                admin_ports,
                kind,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use std::net::{IpAddr, Ipv4Addr};

    use proptest::prelude::*;

    use super::*;

    /// The textbook evaluation: walk the entries in order, first match decides.
    fn naive(entries: &[AclEntry], p: Protocol, port: u16, addr: IpAddr) -> (bool, i64) {
        for e in entries {
            if e.services.contains(p, port) && e.addresses.contains(addr) {
                return (e.allow, e.rule_number);
            }
        }
        (false, IMPLICIT_DENY)
    }

    /// (allow, protocol, ports, which quarter of the IPv4 space, prefix length)
    type RawEntry = (bool, String, Option<(i64, i64)>, u32, u8);

    fn raw_entry() -> impl Strategy<Value = RawEntry> {
        (
            any::<bool>(),
            prop::sample::select(vec!["-1", "6", "17", "1", "47"]).prop_map(str::to_string),
            prop::option::of((0i64..2000, 0i64..2000).prop_map(|(a, b)| (a.min(b), a.max(b)))),
            0u32..4,
            prop::sample::select(vec![0u8, 1, 2, 8, 24]),
        )
    }

    fn acl(raw: Vec<RawEntry>) -> ec2::NetworkAcl {
        let entries: Vec<serde_json::Value> = raw
            .into_iter()
            .enumerate()
            .map(|(i, (allow, proto, ports, net, len))| {
                let addr = Ipv4Addr::from(net << 30);
                // AWS always gives a TCP or UDP entry its range.
                let ports = ports.or((proto == "6" || proto == "17").then_some((0, 65535)));
                let mut e = serde_json::json!({
                    "RuleNumber": (i as i64 + 1) * 10,
                    "Protocol": proto,
                    "RuleAction": if allow { "allow" } else { "deny" },
                    "Egress": false,
                    "CidrBlock": format!("{addr}/{len}"),
                });
                if let Some((from, to)) = ports {
                    e["PortRange"] = serde_json::json!({"From": from, "To": to});
                }
                e
            })
            .collect();
        let v = serde_json::json!({"NetworkAclId": "acl-p", "VpcId": "vpc-p", "Entries": entries});
        serde_json::from_value(v).unwrap_or_else(|e| panic!("{e}"))
    }

    fn test_place() -> Located {
        Located::answer(cartguard_inventory::ec2::DESCRIBE_NETWORK_ACLS.key("eu-west-1"))
            .field("NetworkAcls")
            .item(0)
    }

    fn packet() -> impl Strategy<Value = (Protocol, u16, IpAddr)> {
        (
            prop::sample::select(vec![
                Protocol::Tcp,
                Protocol::Udp,
                Protocol::Icmp,
                Protocol::Other,
            ]),
            0u16..2100,
            (0u32..4, any::<u32>())
                .prop_map(|(n, low)| IpAddr::V4(Ipv4Addr::from((n << 30) | (low >> 2)))),
        )
    }

    proptest! {
        #[test]
        fn decision_tables_agree_with_first_match(
            raw in prop::collection::vec(raw_entry(), 0..8),
            packets in prop::collection::vec(packet(), 1..30),
        ) {
            let raw_acl = acl(raw);
            let parsed = ParsedAcl::new(&raw_acl, &test_place(), &mut Vec::new());
            for (p, port, addr) in packets {
                let p_port = if p == Protocol::Other { 47 } else { port.min(if p == Protocol::Icmp { 255 } else { port }) };
                let (allow, rule) = naive(&parsed.inbound, p, p_port, addr);
                let d = parsed.decide(Direction::Inbound, p, p_port).expect("every cell has a decision");
                let single = AddressSet::from_addr(addr);
                prop_assert_eq!(d.allowed.contains(addr), allow);
                let decided = d.allowed_by.iter().chain(&d.denied_by).find(|(_, s)| s.intersects(&single)).map(|(n, _)| *n);
                prop_assert_eq!(decided, Some(rule));
            }
        }

        #[test]
        fn a_shadowed_entry_never_decides_a_packet(
            raw in prop::collection::vec(raw_entry(), 1..8),
            packets in prop::collection::vec(packet(), 1..60),
        ) {
            let raw_acl = acl(raw);
            let parsed = ParsedAcl::new(&raw_acl, &test_place(), &mut Vec::new());
            let shadowed: Vec<i64> = parsed.shadowed_entries().iter().map(|s| s.entry.rule_number).collect();
            for (p, port, addr) in packets {
                let p_port = if p == Protocol::Other { 47 } else { port.min(if p == Protocol::Icmp { 255 } else { port }) };
                let (_, rule) = naive(&parsed.inbound, p, p_port, addr);
                prop_assert!(!shadowed.contains(&rule), "entry {} is reported shadowed but decides {:?}/{} from {}", rule, p, p_port, addr);
            }
            // And a reported entry really is covered: every cell of it lies in
            // the union of lower entries.
            for s in parsed.shadowed_entries() {
                let e = parsed.inbound.iter().find(|e| e.rule_number == s.entry.rule_number).expect("entry");
                let lower: Vec<&AclEntry> = parsed.inbound.iter().filter(|x| x.rule_number < e.rule_number).collect();
                for p in Protocol::ALL {
                    for &(lo, hi) in e.services.get(p).ranges() {
                        for port in [lo, hi, lo.saturating_add((hi - lo) / 2)] {
                            let covered = lower.iter().filter(|x| x.services.contains(p, port)).fold(AddressSet::empty(), |acc, x| acc.union(&x.addresses));
                            prop_assert!(e.addresses.is_subset(&covered));
                        }
                    }
                }
            }
        }
    }
}
