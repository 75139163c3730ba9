//! Reachability over the store fixture: a public web tier, a private app tier,
//! a database, and an internet-facing load balancer.

mod common;

use cartguard_net::{
    BlockedBy, Direction, Family, Hop, IMPLICIT_DENY, Network, Protocol, Role, ServiceSet, Source,
    Target, Verdict,
};
use common::{find, fixture, region, store};
use serde_json::json;

fn tcp(port: u16) -> ServiceSet {
    ServiceSet::port(Protocol::Tcp, port)
}

fn instance(id: &str) -> Target {
    Target::Instance(id.to_string())
}

#[test]
fn https_to_the_web_tier_is_open_to_the_world_with_its_whole_path() {
    let r = store();
    let net = Network::new("us-east-1", &r);
    let answer = net.reach(&Source::Internet, &instance("i-web"), &tcp(443));
    assert_eq!(answer.status, Verdict::Reachable);
    assert!(answer.reachable);
    assert_eq!(answer.ports.len(), 1);
    let p = &answer.ports[0];
    assert!(p.from_anywhere);
    assert_eq!(p.sources.describe(), ["0.0.0.0/0", "::/0"]);
    for hop in [
        Hop::PublicAddress {
            interface: Some("eni-web".into()),
            address: "54.1.2.3".into(),
            family: Family::Ipv4,
        },
        Hop::InternetGatewayRoute {
            route_table: "rtb-public".into(),
            destination: "0.0.0.0/0".into(),
            gateway: "igw-store".into(),
        },
        Hop::NetworkAclEntry {
            acl_id: "acl-public".into(),
            subnet_id: "subnet-public".into(),
            direction: Direction::Inbound,
            rule_number: 100,
            role: Role::Request,
        },
        Hop::SecurityGroupRule {
            group_id: "sg-web".into(),
            rule_index: 0,
            peer: "0.0.0.0/0".into(),
        },
        Hop::NetworkAclEntry {
            acl_id: "acl-public".into(),
            subnet_id: "subnet-public".into(),
            direction: Direction::Outbound,
            rule_number: 100,
            role: Role::Reply,
        },
    ] {
        assert!(p.path.contains(&hop), "missing {hop:?} in {:#?}", p.path);
    }
    // IPv6 goes through its own entries.
    assert!(p.path.iter().any(|h| matches!(
        h,
        Hop::NetworkAclEntry {
            rule_number: 105,
            ..
        }
    )));
}

#[test]
fn ssh_is_reachable_only_from_the_office() {
    let r = store();
    let net = Network::new("us-east-1", &r);
    let answer = net.reach(&Source::Internet, &instance("i-web"), &ServiceSet::all());
    assert!(answer.open_to_world(Protocol::Tcp, 443));
    assert!(!answer.open_to_world(Protocol::Tcp, 22));
    let ssh = answer
        .ports
        .iter()
        .find(|p| p.ports.contains(Protocol::Tcp, 22))
        .expect("22 reachable from the office");
    assert_eq!(ssh.sources.describe(), ["198.51.100.0/24"]);
    assert!(!ssh.from_anywhere);
    // Port 80 has no NACL entry: the explicit 32767 deny of the evidence stops it.
    let blocked80 = answer
        .blocked
        .iter()
        .find(|b| b.ports.contains(Protocol::Tcp, 80))
        .expect("80 blocked");
    assert_eq!(
        blocked80.blocked_by,
        BlockedBy::NetworkAclDeny {
            acl_id: "acl-public".into(),
            subnet_id: "subnet-public".into(),
            direction: Direction::Inbound,
            rule_number: IMPLICIT_DENY,
        }
    );
    // Ephemeral ports pass the NACL, and then no security group rule admits them.
    let blocked_high = answer
        .blocked
        .iter()
        .find(|b| b.ports.contains(Protocol::Tcp, 5000))
        .expect("5000 blocked");
    assert_eq!(
        blocked_high.blocked_by,
        BlockedBy::NoSecurityGroupRule {
            groups: vec!["sg-web".into()]
        }
    );
}

#[test]
fn ping_needs_the_echo_reply_out() {
    let r = store();
    let net = Network::new("us-east-1", &r);
    let echo = ServiceSet::port(Protocol::Icmp, 8);
    assert!(
        net.reach(&Source::Internet, &instance("i-web"), &echo)
            .reachable
    );

    let mut v = fixture("store");
    let acl = find(&mut v, "network_acls", "NetworkAclId", "acl-public");
    acl["Entries"]
        .as_array_mut()
        .unwrap()
        .retain(|e| !(e["Egress"] == true && e["RuleNumber"] == 130));
    let r = region(&v);
    let answer = Network::new("us-east-1", &r).reach(&Source::Internet, &instance("i-web"), &echo);
    assert!(matches!(
        answer.blocked_by,
        Some(BlockedBy::ReturnPathDropped {
            rule_number: IMPLICIT_DENY,
            ..
        })
    ));
}

#[test]
fn a_private_instance_has_no_public_address_and_its_ipv6_is_egress_only() {
    let r = store();
    let net = Network::new("us-east-1", &r);
    let answer = net.reach(&Source::Internet, &instance("i-app"), &ServiceSet::all());
    assert_eq!(answer.status, Verdict::Unreachable);
    assert!(!answer.reachable);
    // IPv4 stops at the address, IPv6 one step further, at the egress-only gateway.
    assert_eq!(
        answer.blocked_by,
        Some(BlockedBy::EgressOnlyGateway {
            route_table: "rtb-main".into(),
            gateway: "eigw-store".into()
        })
    );
}

#[test]
fn a_public_address_without_an_internet_route_is_not_reachable() {
    let r = store();
    let net = Network::new("us-east-1", &r);
    let answer = net.reach(&Source::Internet, &instance("i-stray"), &tcp(443));
    assert_eq!(answer.status, Verdict::Unreachable);
    assert_eq!(
        answer.blocked_by,
        Some(BlockedBy::NoInternetGatewayRoute {
            route_table: "rtb-main".into(),
            family: Family::Ipv4
        })
    );
}

#[test]
fn a_lower_deny_entry_wins_over_a_later_allow() {
    let mut v = fixture("store");
    let acl = find(&mut v, "network_acls", "NetworkAclId", "acl-public");
    acl["Entries"].as_array_mut().unwrap().push(json!({
        "RuleNumber": 90, "Protocol": "6", "RuleAction": "deny", "Egress": false,
        "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 443, "To": 443}
    }));
    let r = region(&v);
    let answer = Network::new("us-east-1", &r).reach(
        &Source::Cidr(
            "8.8.8.0/24".into(),
            cartguard_net::AddressSet::parse("8.8.8.0/24").unwrap(),
        ),
        &instance("i-web"),
        &tcp(443),
    );
    assert_eq!(
        answer.blocked_by,
        Some(BlockedBy::NetworkAclDeny {
            acl_id: "acl-public".into(),
            subnet_id: "subnet-public".into(),
            direction: Direction::Inbound,
            rule_number: 90
        })
    );
}

#[test]
fn replies_dropped_by_the_outbound_acl_block_the_flow() {
    let mut v = fixture("store");
    let acl = find(&mut v, "network_acls", "NetworkAclId", "acl-public");
    acl["Entries"]
        .as_array_mut()
        .unwrap()
        .retain(|e| !(e["Egress"] == true && (e["RuleNumber"] == 100 || e["RuleNumber"] == 105)));
    let r = region(&v);
    let answer =
        Network::new("us-east-1", &r).reach(&Source::Internet, &instance("i-web"), &tcp(443));
    assert!(!answer.reachable);
    assert_eq!(
        answer.blocked_by,
        Some(BlockedBy::ReturnPathDropped {
            acl_id: "acl-public".into(),
            subnet_id: "subnet-public".into(),
            direction: Direction::Outbound,
            rule_number: IMPLICIT_DENY
        })
    );
}

#[test]
fn a_partial_ephemeral_return_range_is_reachable_with_a_note() {
    let mut v = fixture("store");
    let acl = find(&mut v, "network_acls", "NetworkAclId", "acl-public");
    for e in acl["Entries"].as_array_mut().unwrap() {
        if e["Egress"] == true && e["RuleNumber"] == 100 {
            e["PortRange"] = json!({"From": 32768, "To": 65535});
        }
    }
    let r = region(&v);
    let answer =
        Network::new("us-east-1", &r).reach(&Source::Internet, &instance("i-web"), &tcp(443));
    assert!(answer.reachable);
    assert!(
        answer
            .notes
            .iter()
            .any(|n| n.contains("only on ports 32768-65535")),
        "{:?}",
        answer.notes
    );
}

#[test]
fn security_group_references_admit_members_only() {
    let r = store();
    let net = Network::new("us-east-1", &r);
    let from_web = net.reach(
        &Source::SecurityGroup("sg-web".into()),
        &instance("i-app"),
        &tcp(8080),
    );
    assert_eq!(from_web.status, Verdict::Reachable);
    let p = &from_web.ports[0];
    assert!(p.path.contains(&Hop::SecurityGroupRule {
        group_id: "sg-app".into(),
        rule_index: 0,
        peer: "sg-web".into()
    }));
    // The sender's subnet ACL lets the request out (ephemeral range covers 8080)
    // and its reply in.
    assert!(p.path.iter().any(|h| matches!(
        h,
        Hop::NetworkAclEntry { acl_id, direction: Direction::Outbound, role: Role::Request, .. } if acl_id == "acl-public"
    )));
    // The members' private addresses are the sources; the public one is not.
    assert!(p.sources.describe().contains(&"10.0.1.10/32".to_string()));
    assert!(!p.sources.describe().contains(&"54.1.2.3/32".to_string()));

    // The internet does not match a group reference.
    let from_internet = net.reach(&Source::Internet, &instance("i-app"), &tcp(8080));
    assert!(!from_internet.reachable);

    // The database tier only admits the app tier.
    let db = Target::Database("orders".into());
    assert!(
        net.reach(&Source::SecurityGroup("sg-app".into()), &db, &tcp(5432))
            .reachable
    );
    let from_web_to_db = net.reach(&Source::SecurityGroup("sg-web".into()), &db, &tcp(5432));
    assert_eq!(
        from_web_to_db.blocked_by,
        Some(BlockedBy::NoSecurityGroupRule {
            groups: vec!["sg-db".into()]
        })
    );
}

#[test]
fn source_egress_rules_are_checked() {
    let r = store();
    let net = Network::new("us-east-1", &r);
    // sg-lb may only send to sg-app on 8080.
    let lb = net.reach(
        &Source::SecurityGroup("sg-lb".into()),
        &instance("i-app"),
        &tcp(8080),
    );
    assert!(lb.reachable, "{lb:#?}");
    let lb22 = net.reach(
        &Source::SecurityGroup("sg-lb".into()),
        &instance("i-app"),
        &tcp(22),
    );
    assert_eq!(
        lb22.blocked_by,
        Some(BlockedBy::NoSecurityGroupEgressRule {
            groups: vec!["sg-lb".into()]
        })
    );
}

#[test]
fn a_cidr_inside_the_vpc_takes_the_local_route() {
    let r = store();
    let net = Network::new("us-east-1", &r);
    let src = Source::parse("10.0.2.0/24").unwrap();
    let answer = net.reach(&src, &instance("i-web"), &tcp(443));
    assert!(answer.reachable);
    assert!(
        answer
            .path
            .iter()
            .any(|h| matches!(h, Hop::Route { target, .. } if target == "local"))
    );
    assert_eq!(answer.ports[0].sources.describe(), ["10.0.2.0/24"]);
}

#[test]
fn the_database_is_private_until_made_public() {
    let r = store();
    let net = Network::new("us-east-1", &r);
    let db = Target::Database("orders".into());
    let answer = net.reach(&Source::Internet, &db, &ServiceSet::all());
    assert_eq!(answer.status, Verdict::Unreachable);

    let mut v = fixture("store");
    let d = find(&mut v, "db_instances", "DBInstanceIdentifier", "orders");
    d["PubliclyAccessible"] = json!(true);
    d["DBSubnetGroup"]["Subnets"] = json!([{"SubnetIdentifier": "subnet-public"}]);
    let g = find(&mut v, "security_groups", "GroupId", "sg-db");
    g["IpPermissions"] = json!([{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]);
    let acl = find(&mut v, "network_acls", "NetworkAclId", "acl-public");
    acl["Entries"].as_array_mut().unwrap().push(json!({
        "RuleNumber": 140, "Protocol": "6", "RuleAction": "allow", "Egress": false,
        "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 5432, "To": 5432}
    }));
    let r = region(&v);
    let net = Network::new("us-east-1", &r);
    let answer = net.reach(&Source::Internet, &db, &ServiceSet::all());
    assert!(answer.reachable);
    // Only the database's port is reachable even though the group admits everything.
    assert_eq!(answer.reachable_services(), tcp(5432));
    let other = net.reach(&Source::Internet, &db, &tcp(443));
    assert!(matches!(
        other.blocked_by,
        Some(BlockedBy::NotListening { .. })
    ));
}

#[test]
fn a_load_balancer_is_reachable_on_its_listeners() {
    let r = store();
    let net = Network::new("us-east-1", &r);
    let lb = net.resolve_target("shop").expect("found by name");
    let answer = net.reach(&Source::Internet, &lb, &ServiceSet::protocol(Protocol::Tcp));
    assert_eq!(answer.reachable_services(), tcp(443));
    assert!(
        answer
            .path
            .iter()
            .any(|h| matches!(h, Hop::Listener { .. }))
    );
    let ssh = net.reach(&Source::Internet, &lb, &tcp(22));
    assert!(matches!(
        ssh.blocked_by,
        Some(BlockedBy::NotListening { .. })
    ));
}

#[test]
fn a_network_load_balancer_without_security_groups_is_filtered_by_nacls_only() {
    let mut v = fixture("store");
    let lb = find(&mut v, "load_balancers", "LoadBalancerName", "shop");
    lb["Type"] = json!("network");
    lb["SecurityGroups"] = json!([]);
    v["listeners"]["shop"] = json!([{"ListenerArn": "l", "Port": 22, "Protocol": "TCP"}]);
    let r = region(&v);
    let net = Network::new("us-east-1", &r);
    let target = net.resolve_target("shop").unwrap();
    let answer = net.reach(&Source::Internet, &target, &tcp(22));
    assert!(answer.reachable);
    assert!(answer.path.contains(&Hop::NoSecurityGroup));
}

#[test]
fn an_unresolved_prefix_list_is_unknown_not_unreachable() {
    let mut v = fixture("store");
    let g = find(&mut v, "security_groups", "GroupId", "sg-web");
    g["IpPermissions"] = json!([{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
        "PrefixListIds": [{"PrefixListId": "pl-cloudfront"}]}]);
    let r = region(&v);
    let answer =
        Network::new("us-east-1", &r).reach(&Source::Internet, &instance("i-web"), &tcp(443));
    assert_eq!(answer.status, Verdict::NotAssessed);
    assert!(!answer.reachable);
    assert!(answer.unknown[0].reasons[0].contains("pl-cloudfront"));

    // Resolved, the list admits exactly its ranges.
    v["prefix_lists"] =
        json!([{"PrefixListId": "pl-cloudfront", "Entries": ["13.32.0.0/15", "2600:9000::/28"]}]);
    let r = region(&v);
    let answer =
        Network::new("us-east-1", &r).reach(&Source::Internet, &instance("i-web"), &tcp(443));
    assert!(answer.reachable);
    assert_eq!(
        answer.ports[0].sources.describe(),
        ["13.32.0.0/15", "2600:9000::/28"]
    );
    assert!(!answer.ports[0].from_anywhere);
}

#[test]
fn missing_evidence_is_not_assessed() {
    let mut v = fixture("store");
    v["network_acls"] = json!("not-collected");
    let r = region(&v);
    let net = Network::new("us-east-1", &r);
    let answer = net.reach(&Source::Internet, &instance("i-web"), &tcp(443));
    assert_eq!(answer.status, Verdict::NotAssessed);
    assert_eq!(
        answer.not_assessed,
        ["ec2:DescribeNetworkAcls in us-east-1 was not collected"]
    );
    let exposure = net.exposure();
    assert!(exposure.endpoints.is_empty());
    assert_eq!(exposure.missing_evidence.len(), 1);

    let mut v = fixture("store");
    v["security_groups"] = json!("access-denied");
    let r = region(&v);
    let answer =
        Network::new("us-east-1", &r).reach(&Source::Internet, &instance("i-web"), &tcp(443));
    assert!(answer.not_assessed[0].contains("AccessDenied"));
}

#[test]
fn an_unknown_target_or_group_is_not_assessed() {
    let r = store();
    let net = Network::new("us-east-1", &r);
    let answer = net.reach(&Source::Internet, &instance("i-missing"), &tcp(443));
    assert_eq!(answer.status, Verdict::NotAssessed);
    let answer = net.reach(
        &Source::SecurityGroup("sg-missing".into()),
        &instance("i-web"),
        &tcp(443),
    );
    assert_eq!(answer.status, Verdict::NotAssessed);
}

#[test]
fn malformed_cidrs_are_reported_not_panicked_on() {
    let mut v = fixture("store");
    let g = find(&mut v, "security_groups", "GroupId", "sg-web");
    g["IpPermissions"][0] = json!({"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
        "IpRanges": [{"CidrIp": "0.0.0.0/33"}]});
    let acl = find(&mut v, "network_acls", "NetworkAclId", "acl-public");
    acl["Entries"].as_array_mut().unwrap().push(json!({
        "RuleNumber": 50, "Protocol": "6", "RuleAction": "deny", "Egress": false,
        "CidrBlock": "banana", "PortRange": {"From": 22, "To": 22}
    }));
    let r = region(&v);
    let net = Network::new("us-east-1", &r);
    assert_eq!(net.problems().len(), 2);
    let answer = net.reach(&Source::Internet, &instance("i-web"), &tcp(443));
    assert_eq!(answer.status, Verdict::NotAssessed);
    let ssh = net.reach(
        &Source::parse("198.51.100.7").unwrap(),
        &instance("i-web"),
        &tcp(22),
    );
    assert_eq!(ssh.status, Verdict::Reachable);
    assert!(
        ssh.not_assessed.iter().any(|n| n.contains("entry 50")),
        "{:?}",
        ssh.not_assessed
    );
}

#[test]
fn longest_prefix_match_decides_which_sources_route_back_to_the_gateway() {
    let mut v = fixture("store");
    let rt = find(&mut v, "route_tables", "RouteTableId", "rtb-public");
    rt["Routes"].as_array_mut().unwrap().push(json!(
        {"DestinationCidrBlock": "52.0.0.0/8", "TransitGatewayId": "tgw-corp", "State": "active"}
    ));
    let r = region(&v);
    let net = Network::new("us-east-1", &r);
    let answer = net.reach(&Source::Internet, &instance("i-web"), &tcp(443));
    assert!(answer.reachable);
    let sources = &answer.ports[0].sources;
    assert!(!sources.contains("52.1.1.1".parse().unwrap()));
    assert!(sources.contains("8.8.8.8".parse().unwrap()));
    let from_52 = net.reach(
        &Source::parse("52.1.0.0/16").unwrap(),
        &instance("i-web"),
        &tcp(443),
    );
    assert!(matches!(
        from_52.blocked_by,
        Some(BlockedBy::NoInternetGatewayRoute { .. })
    ));
}

#[test]
fn subnets_fall_back_to_the_main_route_table_and_default_acl() {
    let r = store();
    let net = Network::new("us-east-1", &r);
    assert_eq!(
        net.route_table_of("subnet-app").unwrap().route_table_id,
        "rtb-main"
    );
    assert_eq!(
        net.route_table_of("subnet-public").unwrap().route_table_id,
        "rtb-public"
    );
    assert_eq!(
        net.network_acl_of("subnet-app").unwrap().network_acl_id,
        "acl-default"
    );
    assert_eq!(
        net.network_acl_of("subnet-public").unwrap().network_acl_id,
        "acl-public"
    );
    assert_eq!(net.subnet_is_public("subnet-public"), Some(true));
    assert_eq!(net.subnet_is_public("subnet-app"), Some(false));
    assert_eq!(net.subnet_is_public("subnet-nowhere"), None);
    assert_eq!(
        net.subnets_using_acl("acl-default"),
        ["subnet-app", "subnet-db-a", "subnet-db-b"]
    );
}

#[test]
fn an_interface_of_an_instance_can_be_the_target() {
    let r = store();
    let net = Network::new("us-east-1", &r);
    let eni = net.resolve_target("eni-web").unwrap();
    assert_eq!(eni, Target::NetworkInterface("eni-web".into()));
    assert!(net.reach(&Source::Internet, &eni, &tcp(443)).reachable);
}

#[test]
fn exposure_lists_what_the_internet_reaches() {
    let r = store();
    let net = Network::new("us-east-1", &r);
    let exposure = net.exposure();
    let targets: Vec<&Target> = exposure.endpoints.iter().map(|e| &e.target).collect();
    assert_eq!(
        targets,
        [
            &instance("i-web"),
            &Target::LoadBalancer(
                "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/shop/abc123"
                    .into()
            )
        ]
    );
    assert!(exposure.not_assessed.is_empty());
    assert!(cartguard_net::exposure("us-east-1", &r).endpoints.len() == 2);
}

#[test]
fn the_json_answer_has_the_cli_shape() {
    let r = store();
    let answer = cartguard_net::reach(
        "us-east-1",
        &r,
        &Source::Internet,
        &instance("i-web"),
        &tcp(22),
    );
    let v = serde_json::to_value(&answer).unwrap();
    assert_eq!(v["reachable"], true);
    assert_eq!(v["status"], "reachable");
    assert_eq!(v["target"], json!({"kind": "instance", "id": "i-web"}));
    assert_eq!(v["source"], "internet");
    assert_eq!(v["ports"][0]["protocol"], "tcp");
    assert_eq!(v["ports"][0]["from_port"], 22);
    assert_eq!(v["ports"][0]["sources"], json!(["198.51.100.0/24"]));
    assert_eq!(v["path"][0]["hop"], "public-address");
    // Each range lists its paths, each with its subnet, sources and hops;
    // the flat list of hops of all its paths is not part of the answer.
    let path = &v["ports"][0]["paths"][0];
    assert_eq!(path["subnet_id"], "subnet-public");
    assert_eq!(path["sources"], json!(["198.51.100.0/24"]));
    assert_eq!(path["hops"][0]["hop"], "public-address");
    assert!(v["ports"][0].get("path").is_none());
    assert!(v["blocked_by"].is_null());

    let blocked = cartguard_net::reach(
        "us-east-1",
        &r,
        &Source::Internet,
        &instance("i-app"),
        &tcp(22),
    );
    let v = serde_json::to_value(&blocked).unwrap();
    assert_eq!(v["reachable"], false);
    assert_eq!(v["blocked_by"]["reason"], "egress-only-gateway");
}

#[test]
fn a_group_or_subnet_missing_from_the_evidence_is_not_assessed() {
    let mut v = fixture("store");
    v["security_groups"]
        .as_array_mut()
        .unwrap()
        .retain(|g| g["GroupId"] != "sg-web");
    let r = region(&v);
    let answer =
        Network::new("us-east-1", &r).reach(&Source::Internet, &instance("i-web"), &tcp(443));
    assert_eq!(answer.status, Verdict::NotAssessed);
    assert!(
        answer.not_assessed[0].contains("sg-web"),
        "{:?}",
        answer.not_assessed
    );

    let mut v = fixture("store");
    v["subnets"]
        .as_array_mut()
        .unwrap()
        .retain(|s| s["SubnetId"] != "subnet-public");
    let r = region(&v);
    let answer =
        Network::new("us-east-1", &r).reach(&Source::Internet, &instance("i-web"), &tcp(443));
    assert_eq!(answer.status, Verdict::NotAssessed);
    assert!(answer.not_assessed[0].contains("subnet-public"));
}

#[test]
fn blackhole_routes_and_detached_gateways_carry_nothing() {
    let mut v = fixture("store");
    let rt = find(&mut v, "route_tables", "RouteTableId", "rtb-public");
    rt["Routes"][1]["State"] = json!("blackhole");
    let r = region(&v);
    let net = Network::new("us-east-1", &r);
    let answer = net.reach(
        &Source::Internet,
        &instance("i-web"),
        &ServiceSet::port(Protocol::Tcp, 443),
    );
    // IPv6 still has its route; IPv4 does not.
    assert!(answer.reachable);
    assert_eq!(answer.ports[0].sources.describe(), ["::/0"]);

    let mut v = fixture("store");
    v["internet_gateways"] = json!([{"InternetGatewayId": "igw-store", "Attachments": []}]);
    let r = region(&v);
    let net = Network::new("us-east-1", &r);
    assert_eq!(net.subnet_is_public("subnet-public"), Some(false));
    assert!(
        !net.reach(&Source::Internet, &instance("i-web"), &tcp(443))
            .reachable
    );
}

#[test]
fn sources_parse_from_the_command_line() {
    assert_eq!(Source::parse("internet").unwrap(), Source::Internet);
    assert_eq!(
        Source::parse("sg-123").unwrap(),
        Source::SecurityGroup("sg-123".into())
    );
    assert!(
        matches!(Source::parse("10.0.0.0/8").unwrap(), Source::Cidr(t, _) if t == "10.0.0.0/8")
    );
    assert!(Source::parse("10.0.0.0/99").is_err());
}

/// The problems of a network, as text.
fn problem_texts(net: &Network) -> Vec<String> {
    net.problems().iter().map(ToString::to_string).collect()
}

#[test]
fn an_unreadable_rule_beside_an_open_port_leaves_its_own_port_undecided() {
    let mut v = fixture("store");
    let g = find(&mut v, "security_groups", "GroupId", "sg-web");
    g["IpPermissions"][1]["IpRanges"] = json!([{"CidrIp": "0.0.0.0/99"}]);
    let r = region(&v);
    let net = Network::new("us-east-1", &r);
    let located = "ec2:DescribeSecurityGroups in us-east-1, SecurityGroups[1].IpPermissions[1].IpRanges[0].CidrIp = \"0.0.0.0/99\"";
    assert!(
        problem_texts(&net).iter().any(|p| p.contains(located)),
        "{:?}",
        problem_texts(&net)
    );
    let exposure = net.exposure();
    let web = exposure
        .endpoints
        .iter()
        .find(|e| e.target == instance("i-web"))
        .expect("the web server is reachable on 443");
    // SSH is neither reachable nor blocked: its only rule cannot be read.
    assert!(!web.open_to_world(Protocol::Tcp, 22));
    let admin = tcp(22).union(&tcp(3389));
    let (ports, why) = web.undecided(&admin);
    assert_eq!(ports, tcp(22));
    assert!(why.iter().any(|u| u.contains(located)), "{why:?}");
    // What the evidence decides stays decided.
    assert!(web.undecided(&tcp(443)).1.is_empty());
    assert!(web.undecided(&ServiceSet::empty()).1.is_empty());
}

#[test]
fn an_unreadable_peer_beside_a_narrow_one_may_open_the_port_wider() {
    let mut v = fixture("store");
    let g = find(&mut v, "security_groups", "GroupId", "sg-web");
    g["IpPermissions"][1]["IpRanges"] =
        json!([{"CidrIp": "198.51.100.0/24"}, {"CidrIp": "::/200"}]);
    let r = region(&v);
    let net = Network::new("us-east-1", &r);
    let answer = net.reach(&Source::Internet, &instance("i-web"), &tcp(22));
    assert_eq!(answer.status, Verdict::Reachable);
    assert!(!answer.open_to_world(Protocol::Tcp, 22));
    let (ports, why) = answer.undecided(&tcp(22));
    assert_eq!(ports, tcp(22));
    assert!(
        why.iter()
            .any(|u| u.contains("IpRanges[1].CidrIp = \"::/200\"")),
        "{why:?}"
    );
}

#[test]
fn a_group_reference_without_an_id_is_an_unreadable_source() {
    let mut v = fixture("store");
    let g = find(&mut v, "security_groups", "GroupId", "sg-db");
    g["IpPermissions"][0]["UserIdGroupPairs"] = json!([{"UserId": "123456789012"}]);
    let r = region(&v);
    let net = Network::new("us-east-1", &r);
    let sources = net.ingress_sources("sg-db").expect("sg-db is known");
    assert!(!sources.only_security_groups());
    assert_eq!(sources.unreadable.len(), 1, "{sources:?}");
    assert!(
        sources.unreadable[0].contains("IpPermissions[0].UserIdGroupPairs[0]"),
        "{sources:?}"
    );
    assert_eq!(net.problems_of("sg-db").len(), 1);
    assert!(net.problems_of("sg-d").is_empty());
}

#[test]
fn an_unreadable_route_leaves_the_subnet_neither_public_nor_private() {
    let mut v = fixture("store");
    let rt = find(&mut v, "route_tables", "RouteTableId", "rtb-main");
    rt["Routes"].as_array_mut().unwrap().push(json!(
        {"DestinationCidrBlock": "0.0.0.0/99", "GatewayId": "igw-store", "State": "active"}
    ));
    let r = region(&v);
    let net = Network::new("us-east-1", &r);
    assert_eq!(net.subnet_is_public("subnet-app"), None);
    assert_eq!(net.subnet_is_public("subnet-public"), Some(true));
    let why = net.subnet_routing_unknown("subnet-app");
    assert!(
        why.iter().any(|u| u.contains(
            "ec2:DescribeRouteTables in us-east-1, RouteTables[1].Routes[3].DestinationCidrBlock = \"0.0.0.0/99\""
        )),
        "{why:?}"
    );
}

#[test]
fn a_tcp_acl_entry_without_ports_is_not_read_as_every_port() {
    let mut v = fixture("store");
    let acl = find(&mut v, "network_acls", "NetworkAclId", "acl-public");
    acl["Entries"].as_array_mut().unwrap().push(json!({
        "RuleNumber": 40, "Protocol": "6", "RuleAction": "deny", "Egress": false,
        "CidrBlock": "0.0.0.0/0"
    }));
    let r = region(&v);
    let net = Network::new("us-east-1", &r);
    let problems = net.problems_of("acl-public");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].detail.contains("PortRange"), "{problems:?}");
    assert_eq!(
        problems[0].key.to_string(),
        "ec2:DescribeNetworkAcls in us-east-1"
    );
    // A deny that cannot be read is not assumed to block: HTTPS still gets in,
    // and the answer says what it could not read on the way.
    let answer = net.reach(&Source::Internet, &instance("i-web"), &tcp(443));
    assert!(answer.open_to_world(Protocol::Tcp, 443), "{answer:#?}");
    assert!(
        answer.ports[0]
            .undecided
            .iter()
            .any(|u| u.contains("entry 40")),
        "{answer:#?}"
    );
}

#[test]
fn a_listener_without_a_readable_port_does_not_narrow_what_is_reachable() {
    let mut v = fixture("store");
    v["listeners"]["shop"] = json!([
        {"ListenerArn": "a", "Port": 443, "Protocol": "HTTPS"},
        {"ListenerArn": "b", "Port": 70000, "Protocol": "TCP"}
    ]);
    let r = region(&v);
    let net = Network::new("us-east-1", &r);
    let lb = net.resolve_target("shop").expect("found by name");
    let ssh = net.reach(&Source::Internet, &lb, &tcp(22));
    // sg-lb admits every TCP port: with one listener unreadable, 22 is not
    // known to be closed.
    assert!(ssh.reachable, "{ssh:#?}");
    assert!(
        ssh.notes
            .iter()
            .any(|n| n.contains("Listeners[1].Port = \"70000\"")),
        "{:?}",
        ssh.notes
    );
}

#[test]
fn a_rule_whose_sources_a_wider_rule_admits_is_not_on_the_path() {
    let mut v = fixture("store");
    let g = find(&mut v, "security_groups", "GroupId", "sg-web");
    g["IpPermissions"] = json!([
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
         "PrefixListIds": [{"PrefixListId": "pl-cloudfront"}]},
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
         "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
         "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "again"}]},
    ]);
    v["prefix_lists"] = json!([{"PrefixListId": "pl-cloudfront", "Entries": ["13.32.0.0/15"]}]);
    let r = region(&v);
    let answer =
        Network::new("us-east-1", &r).reach(&Source::Internet, &instance("i-web"), &tcp(443));
    assert!(answer.reachable);
    let https = &answer.ports[0];
    assert_eq!(https.sources.describe(), ["0.0.0.0/0"]);
    let world = Hop::SecurityGroupRule {
        group_id: "sg-web".into(),
        rule_index: 1,
        peer: "0.0.0.0/0".into(),
    };
    let is_prefix_list =
        |h: &Hop| matches!(h, Hop::SecurityGroupRule { peer, .. } if peer == "pl-cloudfront");
    // The prefix list admits only part of 0.0.0.0/0, which the other rule
    // admits whole: no path names it, and the whole path does not either.
    assert!(!https.path.iter().any(is_prefix_list), "{:#?}", https.path);
    assert!(answer.path.contains(&world));
    assert_eq!(https.paths.len(), 1, "{:#?}", https.paths);
    let only = &https.paths[0];
    assert_eq!(only.subnet_id, "subnet-public");
    assert_eq!(only.sources.describe(), ["0.0.0.0/0"]);
    assert!(only.hops.contains(&world));
    assert!(!only.hops.iter().any(is_prefix_list));
    // A second rule admitting the same sources admits all of them too: both
    // are named (removing one leaves the port open).
    let again = Hop::SecurityGroupRule {
        group_id: "sg-web".into(),
        rule_index: 2,
        peer: "0.0.0.0/0".into(),
    };
    assert!(only.hops.contains(&again), "{:#?}", only.hops);
}

#[test]
fn each_path_lists_only_the_hops_that_admit_all_its_sources() {
    let r = store();
    let answer =
        Network::new("us-east-1", &r).reach(&Source::Internet, &instance("i-web"), &tcp(443));
    let https = &answer.ports[0];
    // IPv4 and IPv6 senders come in through different entries: two paths,
    // neither naming the other family's address or entries.
    let families: Vec<Vec<String>> = https.paths.iter().map(|p| p.sources.describe()).collect();
    assert_eq!(
        families,
        [vec!["0.0.0.0/0"], vec!["::/0"]],
        "{:#?}",
        https.paths
    );
    for path in &https.paths {
        assert_eq!(path.subnet_id, "subnet-public");
        let v6 = path.sources.describe() == ["::/0"];
        for hop in &path.hops {
            if let Hop::PublicAddress { family, .. } = hop {
                assert_eq!(
                    *family == Family::Ipv6,
                    v6,
                    "{hop:?} under {:?}",
                    path.sources
                );
            }
            if let Hop::NetworkAclEntry {
                rule_number: 105, ..
            } = hop
            {
                assert!(v6, "the IPv6 entry under {:?}", path.sources);
            }
        }
    }
}
