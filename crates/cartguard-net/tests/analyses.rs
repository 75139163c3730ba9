//! Network ACL analyses and security group helpers.

mod common;

use cartguard_net::{
    AdminEntryKind, Direction, IMPLICIT_DENY, LatentReason, Network, Protocol, Target,
};
use common::{fixture, region, store};
use serde_json::{Value, json};

fn entry(
    n: i64,
    egress: bool,
    action: &str,
    protocol: &str,
    cidr: &str,
    ports: Option<(i64, i64)>,
) -> Value {
    let mut e = json!({
        "RuleNumber": n, "Protocol": protocol, "RuleAction": action, "Egress": egress,
    });
    if cidr.contains(':') {
        e["Ipv6CidrBlock"] = json!(cidr);
    } else {
        e["CidrBlock"] = json!(cidr);
    }
    if let Some((from, to)) = ports {
        e["PortRange"] = json!({"From": from, "To": to});
    }
    e
}

/// The store fixture plus one extra network ACL with the given entries.
fn with_acl(entries: Vec<Value>) -> cartguard_inventory::Region {
    let mut v = fixture("store");
    v["network_acls"].as_array_mut().unwrap().push(json!({
        "NetworkAclId": "acl-test", "VpcId": "vpc-store", "IsDefault": false,
        "Entries": entries, "Associations": []
    }));
    region(&v)
}

#[test]
fn an_entry_covered_by_the_union_of_lower_entries_is_shadowed() {
    let r = with_acl(vec![
        entry(100, false, "deny", "-1", "0.0.0.0/1", None),
        entry(110, false, "deny", "6", "128.0.0.0/1", Some((0, 1000))),
        entry(120, false, "allow", "6", "0.0.0.0/0", Some((22, 22))),
        entry(130, false, "allow", "6", "0.0.0.0/0", Some((443, 2000))),
        entry(32767, false, "deny", "-1", "0.0.0.0/0", None),
        entry(100, true, "allow", "-1", "0.0.0.0/0", None),
        entry(200, true, "allow", "6", "10.0.0.0/8", Some((443, 443))),
    ]);
    let net = Network::new("us-east-1", &r);
    let shadowed: Vec<_> = net
        .acl_findings()
        .shadowed
        .into_iter()
        .filter(|s| s.acl_id == "acl-test")
        .collect();
    let numbers: Vec<(Direction, i64)> = shadowed
        .iter()
        .map(|s| (s.direction, s.entry.rule_number))
        .collect();
    // 120 is covered by 100 and 110 together (neither alone); 130 is not (ports
    // 1001-2000 from 128.0.0.0/1 still reach it); egress 200 is covered by 100.
    assert_eq!(
        numbers,
        [(Direction::Inbound, 120), (Direction::Outbound, 200)]
    );
    let s120 = &shadowed[0];
    let by: Vec<i64> = s120.shadowed_by.iter().map(|e| e.rule_number).collect();
    assert_eq!(by, [100, 110]);
    assert!(s120.contradicted, "an allow under denies never allows");
    assert!(
        !shadowed[1].contradicted,
        "an allow under an allow is only redundant"
    );
}

#[test]
fn the_implicit_deny_and_the_default_acl_are_not_reported_as_shadowed() {
    let r = store();
    let net = Network::new("us-east-1", &r);
    assert!(net.acl_findings().shadowed.is_empty());
}

#[test]
fn a_flow_whose_replies_are_dropped_is_named_with_the_dropping_entry() {
    let r = with_acl(vec![
        entry(100, false, "allow", "6", "0.0.0.0/0", Some((443, 443))),
        entry(110, false, "allow", "6", "0.0.0.0/0", Some((1024, 65535))),
        entry(100, true, "allow", "6", "10.0.0.0/8", Some((1024, 65535))),
        entry(110, true, "deny", "6", "0.0.0.0/0", Some((0, 65535))),
        entry(120, true, "allow", "6", "0.0.0.0/0", Some((443, 443))),
    ]);
    let net = Network::new("us-east-1", &r);
    let missing: Vec<_> = net
        .acl_findings()
        .missing_return_paths
        .into_iter()
        .filter(|m| m.acl_id == "acl-test")
        .collect();
    // Inbound 443 from anywhere: replies only reach 10.0.0.0/8, entry 110 drops the rest.
    // Outbound 120 never matches (110 denies first), so it carries no flow.
    // The inbound ephemeral entry is a return entry, not a service.
    assert_eq!(missing.len(), 1, "{missing:#?}");
    let m = &missing[0];
    assert_eq!(m.direction, Direction::Inbound);
    assert_eq!(m.flow_entry.rule_number, 100);
    assert_eq!(m.protocol, Protocol::Tcp);
    assert_eq!(m.dropped_by, [110]);
    assert!(!m.completely_dropped);
    assert!(m.replies_dropped_for.contains("8.8.8.8".parse().unwrap()));
    assert!(!m.replies_dropped_for.contains("10.1.2.3".parse().unwrap()));
}

#[test]
fn a_flow_with_no_return_entry_at_all_is_completely_dropped_by_the_implicit_deny() {
    let r = with_acl(vec![
        entry(100, false, "allow", "6", "0.0.0.0/0", Some((22, 22))),
        entry(100, true, "allow", "6", "0.0.0.0/0", Some((443, 443))),
    ]);
    let net = Network::new("us-east-1", &r);
    let findings = net.acl_findings();
    let mut missing: Vec<_> = findings
        .missing_return_paths
        .iter()
        .filter(|m| m.acl_id == "acl-test")
        .collect();
    missing.sort_by_key(|m| m.direction);
    assert_eq!(missing.len(), 2, "{missing:#?}");
    assert!(
        missing
            .iter()
            .all(|m| m.completely_dropped && m.dropped_by == [IMPLICIT_DENY])
    );
    // The outbound 443 flow needs replies in on ephemeral ports too.
    assert_eq!(missing[1].direction, Direction::Outbound);
}

#[test]
fn a_narrow_ephemeral_return_range_is_a_partial_return_path() {
    let r = with_acl(vec![
        entry(100, false, "allow", "6", "0.0.0.0/0", Some((443, 443))),
        entry(100, true, "allow", "6", "0.0.0.0/0", Some((32768, 65535))),
    ]);
    let net = Network::new("us-east-1", &r);
    let findings = net.acl_findings();
    let m = findings
        .missing_return_paths
        .iter()
        .find(|m| m.acl_id == "acl-test" && m.direction == Direction::Inbound)
        .expect("partial return reported");
    assert!(m.replies_dropped_for.is_empty());
    assert!(!m.completely_dropped);
    assert_eq!(m.reply_ports_allowed, [(32768, 65535)]);
}

#[test]
fn the_store_acls_have_working_return_paths() {
    let r = store();
    let net = Network::new("us-east-1", &r);
    let findings = net.acl_findings();
    assert!(
        findings.missing_return_paths.is_empty(),
        "{:#?}",
        findings.missing_return_paths
    );
}

#[test]
fn admin_ports_from_anywhere_are_classified() {
    let r = with_acl(vec![
        entry(90, false, "deny", "6", "0.0.0.0/0", Some((3389, 3389))),
        entry(100, false, "allow", "6", "0.0.0.0/0", Some((22, 22))),
        entry(110, false, "allow", "6", "::/0", Some((1024, 65535))),
        entry(120, false, "allow", "6", "0.0.0.0/0", Some((1024, 65535))),
        entry(
            130,
            false,
            "allow",
            "6",
            "203.0.113.0/24",
            Some((3389, 3389)),
        ),
        entry(140, false, "allow", "-1", "::/0", None),
    ]);
    let net = Network::new("us-east-1", &r);
    let admin: Vec<_> = net
        .acl_findings()
        .admin_ports
        .into_iter()
        .filter(|a| a.acl_id == "acl-test")
        .map(|a| (a.entry.rule_number, a.kind, a.admin_ports))
        .collect();
    // 120's 3389 is taken by the deny at 90; 130 is not from anywhere.
    assert_eq!(
        admin,
        [
            (100, AdminEntryKind::Administration, vec![22]),
            (110, AdminEntryKind::EphemeralReturnRange, vec![3389]),
            (140, AdminEntryKind::AllTraffic, vec![22]),
        ]
    );
}

#[test]
fn the_store_public_acl_admits_ssh_from_anywhere() {
    let r = store();
    let net = Network::new("us-east-1", &r);
    let admin = net.acl_findings().admin_ports;
    let kinds: Vec<_> = admin
        .iter()
        .map(|a| (a.acl_id.as_str(), a.entry.rule_number, a.kind))
        .collect();
    assert!(kinds.contains(&("acl-public", 110, AdminEntryKind::Administration)));
    assert!(kinds.contains(&("acl-public", 120, AdminEntryKind::EphemeralReturnRange)));
    assert!(kinds.contains(&("acl-default", 100, AdminEntryKind::AllTraffic)));
}

#[test]
fn security_group_helpers() {
    let r = store();
    let net = Network::new("us-east-1", &r);
    assert_eq!(
        net.attachments("sg-web"),
        [
            Target::Instance("i-web".into()),
            Target::Instance("i-stray".into())
        ]
    );
    assert_eq!(
        net.attachments("sg-db"),
        [Target::Database("orders".into())]
    );
    assert!(net.attachments("sg-unused").is_empty());

    assert!(net.is_database_tier("sg-db"));
    assert!(!net.is_database_tier("sg-web"));
    assert!(
        !net.is_database_tier("sg-default"),
        "an all-traffic rule says nothing"
    );

    let db = net.ingress_sources("sg-db").unwrap();
    assert!(db.only_security_groups());
    assert_eq!(db.security_groups, ["sg-app"]);
    let app = net.ingress_sources("sg-app").unwrap();
    assert!(!app.only_security_groups());
    assert_eq!(app.cidrs, ["0.0.0.0/0"]);
    assert!(net.ingress_sources("sg-nope").is_none());

    assert_eq!(
        net.default_security_group("vpc-store").unwrap().group_id,
        "sg-default"
    );
    assert!(net.default_security_group("vpc-other").is_none());

    assert!(net.egress_unrestricted("sg-web"));
    assert!(!net.egress_unrestricted("sg-lb"));
    assert!(!net.egress_unrestricted("sg-db"));
}

#[test]
fn latent_exposure_is_open_to_the_world_but_unreachable() {
    let r = store();
    let net = Network::new("us-east-1", &r);
    let latent: Vec<_> = net
        .latent_exposure()
        .into_iter()
        .map(|l| (l.group_id, l.reason))
        .collect();
    // sg-web and sg-lb have addressable members: real exposure, reported by exposure().
    assert_eq!(
        latent,
        [
            ("sg-app".to_string(), LatentReason::MembersNotAddressable),
            ("sg-unused".to_string(), LatentReason::NoMembers),
        ]
    );
}
