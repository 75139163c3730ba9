//! Sets of IPv4 and IPv6 addresses, built from CIDR blocks.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::LazyLock;

use ipnet::{IpNet, Ipv4Net, Ipv4Subnets, Ipv6Net, Ipv6Subnets};
use serde::{Serialize, Serializer};

use crate::interval::IntervalSet;

/// A CIDR block or address in the evidence that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AddressError {
    /// The text as found.
    pub value: String,
    /// What is wrong with it.
    pub reason: String,
}

impl fmt::Display for AddressError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a CIDR block: {}", self.value, self.reason)
    }
}

impl std::error::Error for AddressError {}

/// A set of IPv4 and IPv6 addresses.
#[derive(Clone, PartialEq, Eq, Hash, Default, Debug)]
pub struct AddressSet {
    v4: IntervalSet<u32>,
    v6: IntervalSet<u128>,
}

/// Address ranges that never appear as the source of a packet arriving from the
/// internet (RFC 6890 special-purpose blocks that are not globally routed).
const NOT_INTERNET_V4: [&str; 9] = [
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "224.0.0.0/4",
    "240.0.0.0/4",
];

static INTERNET: LazyLock<AddressSet> = LazyLock::new(|| {
    let mut private = IntervalSet::empty();
    for cidr in NOT_INTERNET_V4 {
        if let Ok(net) = cidr.parse::<Ipv4Net>() {
            private.extend(&v4_range(net));
        }
    }
    // Global unicast: the only IPv6 block routed on the internet.
    let global = "2000::/3"
        .parse::<Ipv6Net>()
        .map(v6_range)
        .unwrap_or_default();
    AddressSet {
        v4: private.complement(),
        v6: global,
    }
});

fn v4_range(net: Ipv4Net) -> IntervalSet<u32> {
    IntervalSet::range(u32::from(net.network()), u32::from(net.broadcast()))
}

fn v6_range(net: Ipv6Net) -> IntervalSet<u128> {
    IntervalSet::range(u128::from(net.network()), u128::from(net.broadcast()))
}

impl AddressSet {
    /// No address.
    pub fn empty() -> Self {
        Self::default()
    }

    /// Every IPv4 and IPv6 address.
    pub fn all() -> Self {
        AddressSet {
            v4: IntervalSet::full(),
            v6: IntervalSet::full(),
        }
    }

    /// Every IPv4 address (`0.0.0.0/0`).
    pub fn all_ipv4() -> Self {
        AddressSet {
            v4: IntervalSet::full(),
            v6: IntervalSet::empty(),
        }
    }

    /// Every IPv6 address (`::/0`).
    pub fn all_ipv6() -> Self {
        AddressSet {
            v4: IntervalSet::empty(),
            v6: IntervalSet::full(),
        }
    }

    /// The addresses a packet from the internet can come from: public IPv4
    /// (everything but private, loopback, link-local, shared and multicast
    /// blocks) and global unicast IPv6 (`2000::/3`).
    pub fn internet() -> &'static AddressSet {
        &INTERNET
    }

    /// Parses a CIDR block (`10.0.0.0/16`, `::/0`) or a single address.
    /// Host bits set below the prefix are ignored, as AWS does.
    pub fn parse(text: &str) -> Result<Self, AddressError> {
        let trimmed = text.trim();
        if let Ok(net) = trimmed.parse::<IpNet>() {
            return Ok(Self::from_net(net.trunc()));
        }
        if let Ok(addr) = trimmed.parse::<IpAddr>() {
            return Ok(Self::from_addr(addr));
        }
        let reason = if trimmed.is_empty() {
            "empty".to_string()
        } else {
            "expected an IPv4 or IPv6 address with an optional /prefix".to_string()
        };
        Err(AddressError {
            value: text.to_string(),
            reason,
        })
    }

    /// The addresses of one CIDR block.
    pub fn from_net(net: IpNet) -> Self {
        match net {
            IpNet::V4(n) => AddressSet {
                v4: v4_range(n),
                v6: IntervalSet::empty(),
            },
            IpNet::V6(n) => AddressSet {
                v4: IntervalSet::empty(),
                v6: v6_range(n),
            },
        }
    }

    /// One address.
    pub fn from_addr(addr: IpAddr) -> Self {
        match addr {
            IpAddr::V4(a) => AddressSet {
                v4: IntervalSet::single(u32::from(a)),
                v6: IntervalSet::empty(),
            },
            IpAddr::V6(a) => AddressSet {
                v4: IntervalSet::empty(),
                v6: IntervalSet::single(u128::from(a)),
            },
        }
    }

    /// The IPv4 part, as integer ranges.
    pub fn ipv4(&self) -> &IntervalSet<u32> {
        &self.v4
    }

    /// The IPv6 part, as integer ranges.
    pub fn ipv6(&self) -> &IntervalSet<u128> {
        &self.v6
    }

    /// Only the IPv4 part.
    pub fn only_ipv4(&self) -> Self {
        AddressSet {
            v4: self.v4.clone(),
            v6: IntervalSet::empty(),
        }
    }

    /// Only the IPv6 part.
    pub fn only_ipv6(&self) -> Self {
        AddressSet {
            v4: IntervalSet::empty(),
            v6: self.v6.clone(),
        }
    }

    /// Whether the set has no address.
    pub fn is_empty(&self) -> bool {
        self.v4.is_empty() && self.v6.is_empty()
    }

    /// Whether `addr` is in the set.
    pub fn contains(&self, addr: IpAddr) -> bool {
        match addr {
            IpAddr::V4(a) => self.v4.contains(u32::from(a)),
            IpAddr::V6(a) => self.v6.contains(u128::from(a)),
        }
    }

    /// The union.
    pub fn union(&self, other: &Self) -> Self {
        AddressSet {
            v4: self.v4.union(&other.v4),
            v6: self.v6.union(&other.v6),
        }
    }

    /// Adds `other` to this set in place.
    pub fn extend(&mut self, other: &Self) {
        self.v4.extend(&other.v4);
        self.v6.extend(&other.v6);
    }

    /// The intersection.
    pub fn intersection(&self, other: &Self) -> Self {
        AddressSet {
            v4: self.v4.intersection(&other.v4),
            v6: self.v6.intersection(&other.v6),
        }
    }

    /// The addresses of this set not in `other`.
    pub fn difference(&self, other: &Self) -> Self {
        AddressSet {
            v4: self.v4.difference(&other.v4),
            v6: self.v6.difference(&other.v6),
        }
    }

    /// Whether the sets share an address.
    pub fn intersects(&self, other: &Self) -> bool {
        self.v4.intersects(&other.v4) || self.v6.intersects(&other.v6)
    }

    /// Whether every address of this set is in `other`.
    pub fn is_subset(&self, other: &Self) -> bool {
        self.v4.is_subset(&other.v4) && self.v6.is_subset(&other.v6)
    }

    /// The fewest CIDR blocks that make up the set, IPv4 first.
    pub fn to_cidrs(&self) -> Vec<IpNet> {
        let mut out = Vec::new();
        for &(lo, hi) in self.v4.ranges() {
            out.extend(Ipv4Subnets::new(Ipv4Addr::from(lo), Ipv4Addr::from(hi), 0).map(IpNet::V4));
        }
        for &(lo, hi) in self.v6.ranges() {
            out.extend(Ipv6Subnets::new(Ipv6Addr::from(lo), Ipv6Addr::from(hi), 0).map(IpNet::V6));
        }
        out
    }

    /// The set as CIDR strings, reading a whole family of internet addresses as
    /// `0.0.0.0/0` or `::/0` (what an auditor means by "open to the world").
    pub fn describe(&self) -> Vec<String> {
        let internet = Self::internet();
        let mut shown = self.clone();
        let mut out = Vec::new();
        if !internet.v4.is_empty() && internet.v4.is_subset(&self.v4) {
            out.push("0.0.0.0/0".to_string());
            shown.v4 = IntervalSet::empty();
        }
        if !internet.v6.is_empty() && internet.v6.is_subset(&self.v6) {
            out.push("::/0".to_string());
            shown.v6 = IntervalSet::empty();
        }
        out.extend(shown.to_cidrs().iter().map(ToString::to_string));
        out
    }

    /// Whether the set holds every internet IPv4 address or every internet IPv6 address.
    pub fn covers_internet_family(&self) -> bool {
        let internet = Self::internet();
        internet.v4.is_subset(&self.v4) || internet.v6.is_subset(&self.v6)
    }
}

impl Serialize for AddressSet {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.describe())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(cidr: &str) -> AddressSet {
        AddressSet::parse(cidr).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn parses_and_round_trips_cidrs() {
        let s = set("10.1.0.0/16").union(&set("10.2.0.0/16"));
        let cidrs: Vec<String> = s.to_cidrs().iter().map(ToString::to_string).collect();
        assert_eq!(cidrs, ["10.1.0.0/16", "10.2.0.0/16"]);
        let merged = set("10.0.0.0/9").union(&set("10.128.0.0/9"));
        assert_eq!(merged.to_cidrs()[0].to_string(), "10.0.0.0/8");
    }

    #[test]
    fn host_bits_are_ignored_and_bare_addresses_accepted() {
        assert_eq!(set("10.0.0.7/24"), set("10.0.0.0/24"));
        assert_eq!(set("1.2.3.4"), set("1.2.3.4/32"));
        assert_eq!(set("2001:db8::1"), set("2001:db8::1/128"));
    }

    #[test]
    fn malformed_cidrs_are_errors_not_panics() {
        for bad in [
            "",
            "10.0.0.0/33",
            "banana",
            "10.0.0/8",
            "::/129",
            "1.2.3.4/-1",
        ] {
            assert!(AddressSet::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn internet_excludes_private_space() {
        let internet = AddressSet::internet();
        assert!(!internet.intersects(&set("10.0.0.0/8")));
        assert!(!internet.intersects(&set("fd00::/8")));
        assert!(internet.contains("8.8.8.8".parse().unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))));
        assert_eq!(set("0.0.0.0/0").describe(), ["0.0.0.0/0"]);
        assert_eq!(internet.describe(), ["0.0.0.0/0", "::/0"]);
    }
}
