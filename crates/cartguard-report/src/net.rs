//! The network engine's answers: `net reach` and `net exposure`, as text or JSON.

use std::fmt::Write;

use cartguard_net::{
    BlockedBy, Direction, Exposure, Family, Hop, Reachability, Role, ServiceSet, Source, Verdict,
    is_implicit_deny,
};
use serde::Serialize;

/// One region's exposure with the account it belongs to: what `net exposure`
/// lists, one per region of each account.
#[derive(Debug, Clone, Serialize)]
pub struct AccountExposure {
    /// The account.
    pub account: String,
    /// What the internet reaches in the region.
    #[serde(flatten)]
    pub exposure: Exposure,
}

/// The answer of `net reach` as text: the verdict, each range of traffic that
/// gets through with where from and, per subnet of the target, the steps that
/// admit it in words; when nothing gets through, what stops the traffic that
/// got furthest; the traffic the evidence cannot decide, and why.
pub fn reach_text(reach: &Reachability) -> serde_json::Result<String> {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {} → {} ({})",
        verdict(reach.status),
        source(&reach.source),
        reach.target,
        reach.region
    );
    for ports in &reach.ports {
        let _ = writeln!(
            out,
            "  {} from {}",
            ports.ports,
            ports.sources.describe().join(", ")
        );
        for path in &ports.paths {
            let _ = writeln!(
                out,
                "    into {} from {}:",
                path.subnet_id,
                path.sources.describe().join(", ")
            );
            for (n, hop) in path.hops.iter().enumerate() {
                let _ = writeln!(out, "      {}. {}", n + 1, hop_text(hop));
            }
        }
    }
    if let Some(blocked) = &reach.blocked_by {
        let _ = writeln!(out, "  blocked by: {}", blocked_text(blocked));
    }
    for unknown in &reach.unknown {
        let _ = writeln!(
            out,
            "  {} undecided: {}",
            unknown.ports,
            unknown.reasons.join("; ")
        );
    }
    for reason in &reach.not_assessed {
        let _ = writeln!(out, "  not assessed: {reason}");
    }
    for note in &reach.notes {
        let _ = writeln!(out, "  note: {note}");
    }
    Ok(out)
}

/// One hop of a path, in words.
pub(crate) fn hop_text(hop: &Hop) -> String {
    match hop {
        Hop::PublicAddress {
            interface,
            address,
            family,
        } => {
            let on = interface
                .as_deref()
                .map_or_else(String::new, |i| format!(" on {i}"));
            format!("public {} address {address}{on}", family_text(*family))
        }
        Hop::InternetGatewayRoute {
            route_table,
            destination,
            gateway,
        } => format!(
            "route table {route_table} sends replies for {destination} to internet gateway {gateway}"
        ),
        Hop::Route {
            route_table,
            destination,
            target,
        } => format!("route table {route_table} sends {destination} to {target}"),
        Hop::SecurityGroupEgressRule {
            group_id,
            rule_index,
            peer,
        } => format!(
            "security group {group_id}, outbound rule {rule_index} (to {peer}), lets the request out"
        ),
        Hop::NetworkAclEntry {
            acl_id,
            subnet_id,
            direction,
            rule_number,
            role,
        } => {
            let what = match role {
                Role::Request => "the request",
                Role::Reply => "the reply",
            };
            let way = match direction {
                Direction::Inbound => "into",
                Direction::Outbound => "out of",
            };
            format!(
                "network ACL {acl_id}, {} entry {rule_number}, lets {what} {way} {subnet_id}",
                direction_text(*direction)
            )
        }
        Hop::SameSubnet { subnet_id } => {
            format!("sender and target share {subnet_id}: no network ACL is crossed")
        }
        Hop::SecurityGroupRule {
            group_id,
            rule_index,
            peer,
        } => format!("security group {group_id}, inbound rule {rule_index}, admits {peer}"),
        Hop::NoSecurityGroup => "no security group filters the target".to_string(),
        Hop::Listener { ports } => format!("the target listens on {ports}"),
    }
}

/// What stops traffic, in words.
pub(crate) fn blocked_text(by: &BlockedBy) -> String {
    let entry = |rule_number: i64| {
        if is_implicit_deny(rule_number) {
            "final deny entry *".to_string()
        } else {
            format!("entry {rule_number}")
        }
    };
    match by {
        BlockedBy::NoPublicAddress { interface, family } => {
            let of = interface
                .as_deref()
                .map_or_else(String::new, |i| format!(" on {i}"));
            format!("no public {} address{of}", family_text(*family))
        }
        BlockedBy::NoInternetGatewayRoute {
            route_table,
            family,
        } => format!(
            "route table {route_table} sends no {} traffic to an internet gateway",
            family_text(*family)
        ),
        BlockedBy::EgressOnlyGateway {
            route_table,
            gateway,
        } => format!(
            "route table {route_table} sends IPv6 to egress-only gateway {gateway}, which admits no inbound connection"
        ),
        BlockedBy::NoRoute {
            route_table,
            destination,
        } => format!(
            "route table {route_table} has no route for {}",
            destination.describe().join(", ")
        ),
        BlockedBy::NoSourceMembers { group_id } => {
            format!("security group {group_id} has no member to send from")
        }
        BlockedBy::NoSecurityGroupEgressRule { groups } => format!(
            "no outbound rule of the sender's security groups ({}) lets it out",
            groups.join(", ")
        ),
        BlockedBy::NetworkAclDeny {
            acl_id,
            subnet_id,
            direction,
            rule_number,
        } => format!(
            "network ACL {acl_id} of {subnet_id} drops the request ({} {})",
            direction_text(*direction),
            entry(*rule_number)
        ),
        BlockedBy::NoSecurityGroupRule { groups } => format!(
            "no inbound rule of the target's security groups ({}) admits it",
            groups.join(", ")
        ),
        BlockedBy::ReturnPathDropped {
            acl_id,
            subnet_id,
            direction,
            rule_number,
        } => format!(
            "network ACL {acl_id} of {subnet_id} drops the reply ({} {})",
            direction_text(*direction),
            entry(*rule_number)
        ),
        BlockedBy::NotListening { listening } => {
            let list: Vec<String> = listening.iter().map(ToString::to_string).collect();
            if list.is_empty() {
                "nothing listens on it".to_string()
            } else {
                format!(
                    "nothing listens on it (the target listens on {})",
                    list.join(", ")
                )
            }
        }
    }
}

fn family_text(family: Family) -> &'static str {
    match family {
        Family::Ipv4 => "IPv4",
        Family::Ipv6 => "IPv6",
    }
}

fn direction_text(direction: Direction) -> &'static str {
    match direction {
        Direction::Inbound => "inbound",
        Direction::Outbound => "outbound",
    }
}

/// The answer of `net reach` as JSON, pretty-printed, with a trailing newline.
pub fn reach_json(reach: &Reachability) -> serde_json::Result<String> {
    Ok(serde_json::to_string_pretty(reach)? + "\n")
}

/// `net exposure` as text: per account and region, each internet-reachable
/// endpoint after the ports that reach it, the endpoints that could not be
/// assessed, and the evidence that was missing.
pub fn exposure_text(regions: &[AccountExposure]) -> String {
    let mut out = String::new();
    for AccountExposure {
        account,
        exposure: e,
    } in regions
    {
        let _ = writeln!(
            out,
            "{account} {}: {} internet-reachable endpoint(s)",
            e.region,
            e.endpoints.len()
        );
        // Ports first, as they are short; the endpoints line up after them.
        let reached: Vec<(String, String)> = e
            .endpoints
            .iter()
            .map(|r| (ranges(&r.reachable_services()), r.target.to_string()))
            .collect();
        let width = reached
            .iter()
            .map(|(ports, _)| ports.chars().count())
            .max()
            .unwrap_or(0);
        for (ports, target) in &reached {
            let _ = writeln!(out, "  {ports:<width$}  {target}");
        }
        for r in &e.not_assessed {
            let _ = writeln!(
                out,
                "  {} not assessed: {}",
                r.target,
                r.not_assessed.join("; ")
            );
        }
        for m in &e.missing_evidence {
            let _ = writeln!(out, "  missing evidence: {m}");
        }
    }
    out
}

/// `net exposure` as JSON, pretty-printed, with a trailing newline.
pub fn exposure_json(regions: &[AccountExposure]) -> serde_json::Result<String> {
    Ok(serde_json::to_string_pretty(regions)? + "\n")
}

fn verdict(status: Verdict) -> &'static str {
    match status {
        Verdict::Reachable => "REACHABLE",
        Verdict::Unreachable => "UNREACHABLE",
        Verdict::NotAssessed => "NOT ASSESSED",
    }
}

fn source(source: &Source) -> String {
    match source {
        Source::Internet => "the internet".to_string(),
        Source::Cidr(text, _) => text.clone(),
        Source::SecurityGroup(id) => format!("members of {id}"),
    }
}

fn ranges(set: &ServiceSet) -> String {
    let list: Vec<String> = set.ranges().iter().map(ToString::to_string).collect();
    if list.is_empty() {
        "nothing".into()
    } else {
        list.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartguard_inventory::Region;
    use cartguard_net::{
        AddressSet, Protocol, ReachablePorts, ServiceRange, SubnetPath, Target, UnknownPorts,
    };

    fn tcp(port: u16) -> ServiceRange {
        ServiceRange {
            protocol: Protocol::Tcp,
            from_port: port,
            to_port: port,
        }
    }

    fn addresses(text: &str) -> AddressSet {
        AddressSet::parse(text).expect("a CIDR")
    }

    #[test]
    fn a_path_reads_as_numbered_steps_per_subnet() {
        let mut reach = cartguard_net::reach(
            "eu-west-1",
            &Region::default(),
            &Source::Internet,
            &Target::Database("orders".into()),
            &ServiceSet::all(),
        );
        reach.status = Verdict::Reachable;
        reach.not_assessed.clear();
        let hops = vec![
            Hop::PublicAddress {
                interface: Some("eni-1".into()),
                address: "203.0.113.5".into(),
                family: Family::Ipv4,
            },
            Hop::InternetGatewayRoute {
                route_table: "rtb-1".into(),
                destination: "0.0.0.0/0".into(),
                gateway: "igw-1".into(),
            },
            Hop::NetworkAclEntry {
                acl_id: "acl-1".into(),
                subnet_id: "subnet-a".into(),
                direction: Direction::Inbound,
                rule_number: 100,
                role: Role::Request,
            },
            Hop::SecurityGroupRule {
                group_id: "sg-1".into(),
                rule_index: 2,
                peer: "0.0.0.0/0".into(),
            },
            Hop::NetworkAclEntry {
                acl_id: "acl-1".into(),
                subnet_id: "subnet-a".into(),
                direction: Direction::Outbound,
                rule_number: 120,
                role: Role::Reply,
            },
            Hop::Listener { ports: tcp(5432) },
        ];
        reach.ports.push(ReachablePorts {
            ports: tcp(5432),
            sources: addresses("0.0.0.0/0"),
            from_anywhere: true,
            path: hops.clone(),
            paths: vec![SubnetPath {
                subnet_id: "subnet-a".into(),
                sources: addresses("0.0.0.0/0"),
                hops,
            }],
            undecided: Vec::new(),
        });
        reach.unknown.push(UnknownPorts {
            ports: tcp(6379),
            reasons: vec!["security group sg-2 rule 0 cannot be read".into()],
        });
        assert_eq!(
            reach_text(&reach).expect("renders"),
            "REACHABLE: the internet → database orders (eu-west-1)\n\
             \x20 tcp/5432 from 0.0.0.0/0\n\
             \x20   into subnet-a from 0.0.0.0/0:\n\
             \x20     1. public IPv4 address 203.0.113.5 on eni-1\n\
             \x20     2. route table rtb-1 sends replies for 0.0.0.0/0 to internet gateway igw-1\n\
             \x20     3. network ACL acl-1, inbound entry 100, lets the request into subnet-a\n\
             \x20     4. security group sg-1, inbound rule 2, admits 0.0.0.0/0\n\
             \x20     5. network ACL acl-1, outbound entry 120, lets the reply out of subnet-a\n\
             \x20     6. the target listens on tcp/5432\n\
             \x20 tcp/6379 undecided: security group sg-2 rule 0 cannot be read\n"
        );
    }

    #[test]
    fn what_blocks_reads_in_words() {
        let dropped = BlockedBy::NetworkAclDeny {
            acl_id: "acl-1".into(),
            subnet_id: "subnet-a".into(),
            direction: Direction::Inbound,
            rule_number: cartguard_net::IMPLICIT_DENY,
        };
        assert_eq!(
            blocked_text(&dropped),
            "network ACL acl-1 of subnet-a drops the request (inbound final deny entry *)"
        );
        let closed = BlockedBy::NoSecurityGroupRule {
            groups: vec!["sg-1".into(), "sg-2".into()],
        };
        assert_eq!(
            blocked_text(&closed),
            "no inbound rule of the target's security groups (sg-1, sg-2) admits it"
        );
    }

    #[test]
    fn exposure_names_the_account_first_and_what_was_missing() {
        let regions = [AccountExposure {
            account: "111122223333".into(),
            exposure: cartguard_net::exposure("eu-west-1", &Region::default()),
        }];
        let json: serde_json::Value =
            serde_json::from_str(&exposure_json(&regions).expect("serializes")).expect("JSON");
        let keys: Vec<&str> = json[0]
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(
            keys,
            [
                "account",
                "region",
                "endpoints",
                "not_assessed",
                "missing_evidence"
            ]
        );
        let text = exposure_text(&regions);
        assert!(
            text.starts_with("111122223333 eu-west-1: 0 internet-reachable endpoint(s)\n"),
            "{text}"
        );
        assert!(text.contains("\n  missing evidence: "), "{text}");
    }

    #[test]
    fn an_unassessed_reach_says_so_and_why() {
        let answer = cartguard_net::reach(
            "eu-west-1",
            &Region::default(),
            &Source::SecurityGroup("sg-1".into()),
            &Target::Instance("i-1".into()),
            &ServiceSet::all(),
        );
        let text = reach_text(&answer).expect("renders");
        assert!(
            text.starts_with("NOT ASSESSED: members of sg-1 → instance i-1 (eu-west-1)\n"),
            "{text}"
        );
        assert!(text.contains("\n  not assessed: "), "{text}");
        assert!(reach_json(&answer).expect("renders").ends_with("}\n"));
    }
}
