//! Set algebra agrees with membership: x ∈ A∪B ⇔ x ∈ A ∨ x ∈ B, and so on.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use cartguard_net::{AddressSet, IntervalSet, Protocol, ServiceSet};
use proptest::prelude::*;

fn interval_set() -> impl Strategy<Value = IntervalSet<u16>> {
    prop::collection::vec((any::<u16>(), 0u16..2000), 0..6).prop_map(|v| {
        IntervalSet::from_ranges(v.into_iter().map(|(lo, len)| (lo, lo.saturating_add(len))))
    })
}

/// Addresses drawn near a few anchors so that random CIDRs overlap often.
fn v4_addr() -> impl Strategy<Value = Ipv4Addr> {
    (
        prop::sample::select(vec![
            0u32,
            0x0a00_0000,
            0x7fff_ff00,
            0xc0a8_0000,
            0xffff_ff00,
        ]),
        any::<u16>(),
    )
        .prop_map(|(base, off)| Ipv4Addr::from(base.wrapping_add(u32::from(off))))
}

fn v6_addr() -> impl Strategy<Value = Ipv6Addr> {
    (
        prop::sample::select(vec![0u128, 0x2600_u128 << 112, u128::MAX - 0xffff]),
        any::<u16>(),
    )
        .prop_map(|(base, off)| Ipv6Addr::from(base.wrapping_add(u128::from(off))))
}

fn ip() -> impl Strategy<Value = IpAddr> {
    prop_oneof![
        v4_addr().prop_map(IpAddr::V4),
        v6_addr().prop_map(IpAddr::V6)
    ]
}

fn cidr() -> impl Strategy<Value = String> {
    prop_oneof![
        (v4_addr(), 0u8..=32).prop_map(|(a, p)| format!("{a}/{p}")),
        (v6_addr(), 0u8..=128).prop_map(|(a, p)| format!("{a}/{p}")),
    ]
}

fn address_set() -> impl Strategy<Value = AddressSet> {
    prop::collection::vec(cidr(), 0..5).prop_map(|cidrs| {
        cidrs.iter().fold(AddressSet::empty(), |acc, c| {
            acc.union(&AddressSet::parse(c).unwrap_or_else(|e| panic!("{e}")))
        })
    })
}

fn protocol() -> impl Strategy<Value = Protocol> {
    prop::sample::select(Protocol::ALL.to_vec())
}

fn service_set() -> impl Strategy<Value = ServiceSet> {
    prop::collection::vec((protocol(), any::<u16>(), 0u16..3000), 0..5).prop_map(|v| {
        v.into_iter()
            .fold(ServiceSet::empty(), |acc, (p, lo, len)| {
                acc.union(&ServiceSet::ports(p, lo, lo.saturating_add(len)))
            })
    })
}

proptest! {
    #[test]
    fn interval_operations_agree_with_membership(a in interval_set(), b in interval_set(), x in any::<u16>()) {
        prop_assert_eq!(a.union(&b).contains(x), a.contains(x) || b.contains(x));
        prop_assert_eq!(a.intersection(&b).contains(x), a.contains(x) && b.contains(x));
        prop_assert_eq!(a.difference(&b).contains(x), a.contains(x) && !b.contains(x));
        prop_assert_eq!(a.complement().contains(x), !a.contains(x));
        prop_assert_eq!(a.intersects(&b), !a.intersection(&b).is_empty());
        prop_assert_eq!(a.is_subset(&b), a.difference(&b).is_empty());
        // The representation is canonical: equal sets compare equal.
        prop_assert_eq!(a.union(&b), b.union(&a));
        prop_assert_eq!(a.complement().complement(), a);
    }

    #[test]
    fn address_operations_agree_with_membership(a in address_set(), b in address_set(), x in ip()) {
        prop_assert_eq!(a.union(&b).contains(x), a.contains(x) || b.contains(x));
        prop_assert_eq!(a.intersection(&b).contains(x), a.contains(x) && b.contains(x));
        prop_assert_eq!(a.difference(&b).contains(x), a.contains(x) && !b.contains(x));
        prop_assert_eq!(a.is_subset(&b), a.difference(&b).is_empty());
        prop_assert_eq!(a.intersects(&b), !a.intersection(&b).is_empty());
    }

    #[test]
    fn a_cidr_holds_exactly_its_prefix(c in cidr(), x in ip()) {
        let set = AddressSet::parse(&c).unwrap_or_else(|e| panic!("{e}"));
        let net: ipnet::IpNet = c.parse().unwrap_or_else(|e| panic!("{e}"));
        prop_assert_eq!(set.contains(x), net.trunc().contains(&x));
    }

    #[test]
    fn cidr_decomposition_round_trips(a in address_set()) {
        let back = a.to_cidrs().into_iter().fold(AddressSet::empty(), |acc, n| acc.union(&AddressSet::from_net(n)));
        prop_assert_eq!(back, a);
    }

    #[test]
    fn service_operations_agree_with_membership(a in service_set(), b in service_set(), p in protocol(), port in any::<u16>()) {
        prop_assert_eq!(a.union(&b).contains(p, port), a.contains(p, port) || b.contains(p, port));
        prop_assert_eq!(a.intersection(&b).contains(p, port), a.contains(p, port) && b.contains(p, port));
        prop_assert_eq!(a.difference(&b).contains(p, port), a.contains(p, port) && !b.contains(p, port));
        prop_assert_eq!(a.is_subset(&b), a.difference(&b).is_empty());
    }

    #[test]
    fn parsing_arbitrary_text_never_panics(s in "\\PC{0,40}") {
        let _ = AddressSet::parse(&s);
        let _ = ServiceSet::from_security_group_rule(&s, Some(-5), Some(70000));
        let _ = ServiceSet::from_acl_entry(&s, Some((-1, 99999)), Some(300));
    }
}
