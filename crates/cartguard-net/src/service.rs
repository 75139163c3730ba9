//! Sets of traffic kinds: protocols with their port (or ICMP type) ranges.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::interval::IntervalSet;

/// A transport protocol, as far as firewalls tell them apart.
///
/// `Other` stands for every IP protocol that has no ports (GRE, ESP, …): its
/// "ports" are the IP protocol numbers themselves, so one rule for protocol 47
/// and another for all protocols compose like port ranges.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// TCP (6), by destination port.
    Tcp,
    /// UDP (17), by destination port.
    Udp,
    /// ICMP (1), by ICMP type.
    Icmp,
    /// ICMPv6 (58), by ICMP type.
    Icmpv6,
    /// Any other IP protocol, by protocol number.
    Other,
}

impl Protocol {
    /// Every protocol, in a fixed order.
    pub const ALL: [Protocol; 5] = [
        Protocol::Tcp,
        Protocol::Udp,
        Protocol::Icmp,
        Protocol::Icmpv6,
        Protocol::Other,
    ];

    fn index(self) -> usize {
        self as usize
    }

    /// The values a port of this protocol can take.
    pub fn domain(self) -> IntervalSet<u16> {
        match self {
            Protocol::Tcp | Protocol::Udp => IntervalSet::full(),
            Protocol::Icmp | Protocol::Icmpv6 => IntervalSet::range(0, 255),
            Protocol::Other => IntervalSet::range(0, 255).difference(&IntervalSet::from_ranges([
                (1, 1),
                (6, 6),
                (17, 17),
                (58, 58),
            ])),
        }
    }

    /// Whether a range of this protocol is a port range (as opposed to ICMP types
    /// or protocol numbers).
    pub fn has_ports(self) -> bool {
        matches!(self, Protocol::Tcp | Protocol::Udp)
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Icmp => "icmp",
            Protocol::Icmpv6 => "icmpv6",
            Protocol::Other => "other",
        })
    }
}

/// One protocol with one contiguous range of ports (ICMP types for ICMP,
/// protocol numbers for `other`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
pub struct ServiceRange {
    /// The protocol.
    pub protocol: Protocol,
    /// First port (or ICMP type, or protocol number).
    pub from_port: u16,
    /// Last port, inclusive.
    pub to_port: u16,
}

impl ServiceRange {
    /// Whether `port` falls in the range.
    pub fn contains(&self, protocol: Protocol, port: u16) -> bool {
        self.protocol == protocol && self.from_port <= port && port <= self.to_port
    }
}

impl fmt::Display for ServiceRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let full = self
            .protocol
            .domain()
            .is_subset(&IntervalSet::range(self.from_port, self.to_port));
        match self.protocol {
            _ if full => write!(f, "all {}", self.protocol),
            Protocol::Other if self.from_port == self.to_port => {
                write!(f, "protocol {}", self.from_port)
            }
            Protocol::Other => write!(f, "protocols {}-{}", self.from_port, self.to_port),
            Protocol::Icmp | Protocol::Icmpv6 if self.from_port == self.to_port => {
                write!(f, "{} type {}", self.protocol, self.from_port)
            }
            Protocol::Icmp | Protocol::Icmpv6 => {
                write!(
                    f,
                    "{} types {}-{}",
                    self.protocol, self.from_port, self.to_port
                )
            }
            _ if self.from_port == self.to_port => {
                write!(f, "{}/{}", self.protocol, self.from_port)
            }
            _ => write!(f, "{}/{}-{}", self.protocol, self.from_port, self.to_port),
        }
    }
}

/// A set of traffic kinds: for each protocol, a set of ports.
#[derive(Clone, PartialEq, Eq, Hash, Default, Debug)]
pub struct ServiceSet {
    sets: [IntervalSet<u16>; 5],
}

impl ServiceSet {
    /// No traffic.
    pub fn empty() -> Self {
        Self::default()
    }

    /// All traffic: every protocol, every port.
    pub fn all() -> Self {
        ServiceSet {
            sets: Protocol::ALL.map(Protocol::domain),
        }
    }

    /// All ports of one protocol.
    pub fn protocol(protocol: Protocol) -> Self {
        Self::ports(protocol, 0, u16::MAX)
    }

    /// A port range of one protocol (clipped to what the protocol can carry).
    pub fn ports(protocol: Protocol, from: u16, to: u16) -> Self {
        let mut s = Self::empty();
        s.sets[protocol.index()] = IntervalSet::range(from, to).intersection(&protocol.domain());
        s
    }

    /// One port of one protocol.
    pub fn port(protocol: Protocol, port: u16) -> Self {
        Self::ports(protocol, port, port)
    }

    /// One port over TCP and UDP (what `--port N` means without a protocol).
    pub fn tcp_udp_port(port: u16) -> Self {
        Self::port(Protocol::Tcp, port).union(&Self::port(Protocol::Udp, port))
    }

    /// The ports of one protocol.
    pub fn get(&self, protocol: Protocol) -> &IntervalSet<u16> {
        &self.sets[protocol.index()]
    }

    /// Whether the set has no traffic.
    pub fn is_empty(&self) -> bool {
        self.sets.iter().all(IntervalSet::is_empty)
    }

    /// Whether one port of one protocol is in the set.
    pub fn contains(&self, protocol: Protocol, port: u16) -> bool {
        self.sets[protocol.index()].contains(port)
    }

    /// The union.
    pub fn union(&self, other: &Self) -> Self {
        self.zip(other, IntervalSet::union)
    }

    /// The intersection.
    pub fn intersection(&self, other: &Self) -> Self {
        self.zip(other, IntervalSet::intersection)
    }

    /// The traffic of this set not in `other`.
    pub fn difference(&self, other: &Self) -> Self {
        self.zip(other, IntervalSet::difference)
    }

    /// Whether the sets share some traffic.
    pub fn intersects(&self, other: &Self) -> bool {
        self.sets
            .iter()
            .zip(&other.sets)
            .any(|(a, b)| a.intersects(b))
    }

    /// Whether all traffic of this set is in `other`.
    pub fn is_subset(&self, other: &Self) -> bool {
        self.sets
            .iter()
            .zip(&other.sets)
            .all(|(a, b)| a.is_subset(b))
    }

    /// The set as contiguous ranges, by protocol.
    pub fn ranges(&self) -> Vec<ServiceRange> {
        let mut out = Vec::new();
        for p in Protocol::ALL {
            for &(from_port, to_port) in self.sets[p.index()].ranges() {
                out.push(ServiceRange {
                    protocol: p,
                    from_port,
                    to_port,
                });
            }
        }
        out
    }

    fn zip(
        &self,
        other: &Self,
        f: impl Fn(&IntervalSet<u16>, &IntervalSet<u16>) -> IntervalSet<u16>,
    ) -> Self {
        let mut sets: [IntervalSet<u16>; 5] = Default::default();
        for (i, slot) in sets.iter_mut().enumerate() {
            *slot = f(&self.sets[i], &other.sets[i]);
        }
        ServiceSet { sets }
    }

    /// The traffic of a security group rule (`IpProtocol`, `FromPort`, `ToPort`).
    ///
    /// `-1` is all traffic; for a protocol other than TCP, UDP, ICMP and ICMPv6
    /// every port is allowed whatever ports are given; for ICMP `FromPort` is the
    /// type (`-1` all types) and the code is not distinguished.
    pub fn from_security_group_rule(
        ip_protocol: &str,
        from_port: Option<i64>,
        to_port: Option<i64>,
    ) -> Result<Self, String> {
        match parse_protocol(ip_protocol)? {
            ProtocolSpec::All => Ok(Self::all()),
            ProtocolSpec::One(p @ (Protocol::Tcp | Protocol::Udp)) => {
                let (from, to) = match (from_port, to_port) {
                    (None | Some(-1), None | Some(-1)) => (0, 65535),
                    (Some(f), Some(t)) => (f, t),
                    // Guessing the missing end could narrow what the rule admits.
                    (Some(_), None) => return Err("FromPort without ToPort".into()),
                    (None, Some(_)) => return Err("ToPort without FromPort".into()),
                };
                let (from, to) = (port_value(from)?, port_value(to)?);
                if from > to {
                    return Err(format!("port range {from}-{to} is reversed"));
                }
                Ok(Self::ports(p, from, to))
            }
            ProtocolSpec::One(p @ (Protocol::Icmp | Protocol::Icmpv6)) => {
                Ok(icmp_types(p, from_port)?)
            }
            ProtocolSpec::One(Protocol::Other) => Ok(Self::empty()),
            ProtocolSpec::Number(n) => Ok(Self::port(Protocol::Other, u16::from(n))),
        }
    }

    /// The traffic of a network ACL entry (`Protocol`, `PortRange`, `IcmpTypeCode`).
    ///
    /// `-1` or a protocol number other than 6, 17, 1 and 58 matches every port,
    /// whatever range the entry carries. ICMP entries match by type; the code is
    /// not distinguished.
    pub fn from_acl_entry(
        protocol: &str,
        port_range: Option<(i64, i64)>,
        icmp_type: Option<i64>,
    ) -> Result<Self, String> {
        match parse_protocol(protocol)? {
            ProtocolSpec::All => Ok(Self::all()),
            ProtocolSpec::One(p @ (Protocol::Tcp | Protocol::Udp)) => match port_range {
                // AWS always reports the range of a TCP or UDP entry; assuming every
                // port would let a deny block more than it may.
                None => Err(format!("{} entry without PortRange", protocol.trim())),
                Some((from, to)) => {
                    let (from, to) = (port_value(from)?, port_value(to)?);
                    if from > to {
                        return Err(format!("port range {from}-{to} is reversed"));
                    }
                    Ok(Self::ports(p, from, to))
                }
            },
            ProtocolSpec::One(p @ (Protocol::Icmp | Protocol::Icmpv6)) => {
                Ok(icmp_types(p, icmp_type)?)
            }
            ProtocolSpec::One(Protocol::Other) => Ok(Self::empty()),
            ProtocolSpec::Number(n) => Ok(Self::port(Protocol::Other, u16::from(n))),
        }
    }
}

impl Serialize for ServiceSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.ranges())
    }
}

enum ProtocolSpec {
    All,
    One(Protocol),
    Number(u8),
}

fn parse_protocol(text: &str) -> Result<ProtocolSpec, String> {
    let t = text.trim().to_ascii_lowercase();
    Ok(match t.as_str() {
        "-1" | "all" => ProtocolSpec::All,
        "tcp" | "6" => ProtocolSpec::One(Protocol::Tcp),
        "udp" | "17" => ProtocolSpec::One(Protocol::Udp),
        "icmp" | "1" => ProtocolSpec::One(Protocol::Icmp),
        "icmpv6" | "58" => ProtocolSpec::One(Protocol::Icmpv6),
        _ => match t.parse::<u8>() {
            Ok(n) => ProtocolSpec::Number(n),
            Err(_) => return Err(format!("unknown protocol `{text}`")),
        },
    })
}

fn port_value(v: i64) -> Result<u16, String> {
    u16::try_from(v).map_err(|_| format!("port {v} is out of range"))
}

fn icmp_types(p: Protocol, icmp_type: Option<i64>) -> Result<ServiceSet, String> {
    match icmp_type {
        // An entry without a type is written for every type (the console's
        // "All ICMP" entries and API calls that leave IcmpTypeCode out); the
        // reply analyses that read these entries only look at echo replies.
        None | Some(-1) => Ok(ServiceSet::protocol(p)),
        Some(t) if (0..=255).contains(&t) => Ok(ServiceSet::port(p, t as u16)),
        Some(t) => Err(format!("ICMP type {t} is out of range")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn security_group_protocols() {
        let all = ServiceSet::from_security_group_rule("-1", None, None).unwrap();
        assert_eq!(all, ServiceSet::all());
        let ssh = ServiceSet::from_security_group_rule("tcp", Some(22), Some(22)).unwrap();
        assert_eq!(ssh.ranges()[0].to_string(), "tcp/22");
        let numeric = ServiceSet::from_security_group_rule("6", Some(80), Some(81)).unwrap();
        assert_eq!(numeric, ServiceSet::ports(Protocol::Tcp, 80, 81));
        let ping = ServiceSet::from_security_group_rule("icmp", Some(8), Some(-1)).unwrap();
        assert!(ping.contains(Protocol::Icmp, 8) && !ping.contains(Protocol::Icmp, 0));
        let gre = ServiceSet::from_security_group_rule("47", Some(0), Some(10)).unwrap();
        assert_eq!(gre.ranges()[0].to_string(), "protocol 47");
        assert!(ServiceSet::from_security_group_rule("tcp", Some(70000), Some(70001)).is_err());
        assert!(ServiceSet::from_security_group_rule("carrier-pigeon", None, None).is_err());
        assert!(ServiceSet::from_security_group_rule("tcp", Some(22), None).is_err());
        assert!(ServiceSet::from_security_group_rule("udp", None, Some(53)).is_err());
        assert!(ServiceSet::from_security_group_rule("tcp", Some(443), Some(80)).is_err());
    }

    #[test]
    fn acl_protocol_numbers() {
        let tcp = ServiceSet::from_acl_entry("6", Some((1024, 65535)), None).unwrap();
        assert_eq!(tcp.ranges()[0].to_string(), "tcp/1024-65535");
        let udp = ServiceSet::from_acl_entry("17", Some((53, 53)), None).unwrap();
        assert!(udp.contains(Protocol::Udp, 53));
        let icmp6 = ServiceSet::from_acl_entry("58", None, Some(-1)).unwrap();
        assert_eq!(icmp6, ServiceSet::protocol(Protocol::Icmpv6));
        // Protocols without ports ignore any range given.
        let esp = ServiceSet::from_acl_entry("50", Some((1, 2)), None).unwrap();
        assert!(esp.contains(Protocol::Other, 50));
        assert_eq!(ServiceSet::all().ranges()[0].to_string(), "all tcp");
        assert!(ServiceSet::from_acl_entry("6", None, None).is_err());
        assert!(ServiceSet::from_acl_entry("udp", Some((0, 70000)), None).is_err());
    }
}
