//! Security groups: stateful, allow-only, the union of their rules.

use std::collections::HashMap;

use cartguard_inventory::ec2;

use crate::EvidenceProblem;
use crate::address::AddressSet;
use crate::located::Located;
use crate::partition::Partition;
use crate::service::{Protocol, ServiceSet};

/// Who a security group rule admits.
#[derive(Debug, Clone)]
pub(crate) enum Peer {
    Cidr {
        text: String,
        addresses: AddressSet,
    },
    Group(String),
    PrefixList {
        id: String,
        addresses: Option<AddressSet>,
    },
    /// A peer that cannot be read (a malformed CIDR, a group reference without
    /// an id), with where it is in the evidence.
    Unreadable {
        reason: String,
    },
}

/// One `IpPermission`, numbered by its position in the group's list.
#[derive(Debug, Clone)]
pub(crate) struct SgRule {
    pub index: usize,
    pub services: ServiceSet,
    pub peers: Vec<Peer>,
    pub problem: Option<String>,
}

/// What a group's rules admit for one cell of traffic.
#[derive(Debug, Clone, Default)]
pub(crate) struct SgCell {
    /// Addresses admitted by CIDR and resolved prefix-list peers.
    pub addresses: AddressSet,
    /// (rule index, peer as written, addresses) for address peers.
    pub address_peers: Vec<(usize, String, AddressSet)>,
    /// (rule index, referenced group) for group peers.
    pub group_peers: Vec<(usize, String)>,
    /// Why some of what the rules admit is unknown.
    pub unknown: Vec<String>,
}

#[derive(Debug)]
pub(crate) struct ParsedGroup<'a> {
    pub raw: &'a ec2::SecurityGroup,
    pub ingress: Vec<SgRule>,
    pub egress: Vec<SgRule>,
    pub ingress_table: Partition<SgCell>,
    pub egress_table: Partition<SgCell>,
}

impl<'a> ParsedGroup<'a> {
    /// Parses the group at `at` in the region's describe-security-groups answer.
    pub(crate) fn new(
        raw: &'a ec2::SecurityGroup,
        at: &Located,
        prefix_lists: Option<&HashMap<&str, AddressSet>>,
        problems: &mut Vec<EvidenceProblem>,
    ) -> Self {
        let id = raw.group_id.as_str();
        let ingress = parse_rules(
            id,
            "ingress",
            &at.field("IpPermissions"),
            &raw.ip_permissions,
            prefix_lists,
            problems,
        );
        let egress = parse_rules(
            id,
            "egress",
            &at.field("IpPermissionsEgress"),
            &raw.ip_permissions_egress,
            prefix_lists,
            problems,
        );
        let ingress_table = table(id, &ingress);
        let egress_table = table(id, &egress);
        ParsedGroup {
            raw,
            ingress,
            egress,
            ingress_table,
            egress_table,
        }
    }

    pub(crate) fn id(&self) -> &'a str {
        &self.raw.group_id
    }

    pub(crate) fn cell(&self, ingress: bool, protocol: Protocol, port: u16) -> Option<&SgCell> {
        let t = if ingress {
            &self.ingress_table
        } else {
            &self.egress_table
        };
        t.lookup(protocol, port)
    }

    pub(crate) fn table(&self, ingress: bool) -> &Partition<SgCell> {
        if ingress {
            &self.ingress_table
        } else {
            &self.egress_table
        }
    }
}

fn parse_rules(
    group_id: &str,
    direction: &str,
    list: &Located,
    permissions: &[ec2::IpPermission],
    prefix_lists: Option<&HashMap<&str, AddressSet>>,
    problems: &mut Vec<EvidenceProblem>,
) -> Vec<SgRule> {
    let mut out = Vec::with_capacity(permissions.len());
    for (index, perm) in permissions.iter().enumerate() {
        let resource = format!("{group_id} {direction} rule {index}");
        let at = list.item(index);
        let (services, problem) = match ServiceSet::from_security_group_rule(
            &perm.ip_protocol,
            perm.from_port,
            perm.to_port,
        ) {
            Ok(s) => (s, None),
            Err(reason) => {
                let value = serde_json::json!({
                    "IpProtocol": perm.ip_protocol,
                    "FromPort": perm.from_port,
                    "ToPort": perm.to_port,
                })
                .to_string();
                let problem = at.problem(&resource, value, reason);
                let text = problem.to_string();
                problems.push(problem);
                // Traffic the rule names unreadably could be any traffic.
                (ServiceSet::all(), Some(text))
            }
        };
        let mut peers = Vec::new();
        let cidrs = perm
            .ip_ranges
            .iter()
            .enumerate()
            .map(|(i, r)| (at.field("IpRanges").item(i).field("CidrIp"), &r.cidr_ip))
            .chain(perm.ipv6_ranges.iter().enumerate().map(|(i, r)| {
                (
                    at.field("Ipv6Ranges").item(i).field("CidrIpv6"),
                    &r.cidr_ipv6,
                )
            }));
        for (place, text) in cidrs {
            peers.push(match AddressSet::parse(text) {
                Ok(addresses) => Peer::Cidr {
                    text: text.to_string(),
                    addresses,
                },
                Err(e) => {
                    let problem = place.problem(&resource, text.clone(), e.reason);
                    let reason = problem.to_string();
                    problems.push(problem);
                    Peer::Unreadable { reason }
                }
            });
        }
        for (i, pair) in perm.user_id_group_pairs.iter().enumerate() {
            match &pair.group_id {
                Some(g) => peers.push(Peer::Group(g.clone())),
                None => {
                    // A pair without a group id admits members of a group that
                    // cannot be named, so what it admits is unknown.
                    let problem = at.field("UserIdGroupPairs").item(i).problem(
                        &resource,
                        written(pair),
                        "a security group reference without GroupId".into(),
                    );
                    let reason = problem.to_string();
                    problems.push(problem);
                    peers.push(Peer::Unreadable { reason });
                }
            }
        }
        for pl in &perm.prefix_list_ids {
            let id = pl.prefix_list_id.clone();
            let addresses = prefix_lists.and_then(|m| m.get(id.as_str())).cloned();
            peers.push(Peer::PrefixList { id, addresses });
        }
        out.push(SgRule {
            index,
            services,
            peers,
            problem,
        });
    }
    out
}

fn table(group_id: &str, rules: &[SgRule]) -> Partition<SgCell> {
    Partition::build(
        rules,
        |r| &r.services,
        |_, _, covering| {
            let mut cell = SgCell::default();
            for r in covering {
                if let Some(p) = &r.problem {
                    cell.unknown.push(p.clone());
                    continue;
                }
                for peer in &r.peers {
                    match peer {
                        Peer::Cidr { text, addresses } => {
                            cell.addresses.extend(addresses);
                            cell.address_peers.push((r.index, text.clone(), addresses.clone()));
                        }
                        Peer::PrefixList {
                            id,
                            addresses: Some(addresses),
                        } => {
                            cell.addresses.extend(addresses);
                            cell.address_peers.push((r.index, id.clone(), addresses.clone()));
                        }
                        Peer::PrefixList { id, addresses: None } => cell.unknown.push(format!(
                            "security group {group_id} rule {} refers to prefix list {id}, whose entries were not collected",
                            r.index
                        )),
                        Peer::Group(g) => cell.group_peers.push((r.index, g.clone())),
                        Peer::Unreadable { reason } => cell.unknown.push(reason.clone()),
                    }
                }
            }
            cell
        },
    )
}

/// A value as the evidence wrote it: compact JSON without the fields it left out.
fn written(value: &impl serde::Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::Object(mut fields)) => {
            fields.retain(|_, v| !v.is_null());
            serde_json::Value::Object(fields).to_string()
        }
        Ok(other) => other.to_string(),
        Err(e) => format!("(not shown: {e})"),
    }
}
