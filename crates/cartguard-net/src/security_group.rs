//! Security groups: stateful, allow-only, the union of their rules.

use std::collections::HashMap;

use cartguard_inventory::ec2;

use crate::EvidenceProblem;
use crate::address::AddressSet;
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
    Malformed {
        text: String,
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
    pub(crate) fn new(
        raw: &'a ec2::SecurityGroup,
        prefix_lists: Option<&HashMap<&str, AddressSet>>,
        problems: &mut Vec<EvidenceProblem>,
    ) -> Self {
        let id = raw.group_id.as_str();
        let ingress = parse_rules(id, "ingress", &raw.ip_permissions, prefix_lists, problems);
        let egress = parse_rules(
            id,
            "egress",
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
    permissions: &[ec2::IpPermission],
    prefix_lists: Option<&HashMap<&str, AddressSet>>,
    problems: &mut Vec<EvidenceProblem>,
) -> Vec<SgRule> {
    let mut out = Vec::with_capacity(permissions.len());
    for (index, perm) in permissions.iter().enumerate() {
        let resource = format!("{group_id} {direction} rule {index}");
        let (services, problem) = match ServiceSet::from_security_group_rule(
            &perm.ip_protocol,
            perm.from_port,
            perm.to_port,
        ) {
            Ok(s) => (s, None),
            Err(reason) => {
                problems.push(EvidenceProblem {
                    resource: resource.clone(),
                    detail: reason.clone(),
                });
                (ServiceSet::all(), Some(reason))
            }
        };
        let mut peers = Vec::new();
        let cidrs = perm
            .ip_ranges
            .iter()
            .map(|r| r.cidr_ip.as_str())
            .chain(perm.ipv6_ranges.iter().map(|r| r.cidr_ipv6.as_str()));
        for text in cidrs {
            peers.push(match AddressSet::parse(text) {
                Ok(addresses) => Peer::Cidr {
                    text: text.to_string(),
                    addresses,
                },
                Err(e) => {
                    problems.push(EvidenceProblem {
                        resource: resource.clone(),
                        detail: e.to_string(),
                    });
                    Peer::Malformed {
                        text: text.to_string(),
                        reason: e.reason,
                    }
                }
            });
        }
        for pair in &perm.user_id_group_pairs {
            if let Some(g) = &pair.group_id {
                peers.push(Peer::Group(g.clone()));
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
                    cell.unknown
                        .push(format!("security group {group_id} rule {}: {p}", r.index));
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
                        Peer::Malformed { text, reason } => cell.unknown.push(format!(
                            "security group {group_id} rule {} has a malformed CIDR `{text}`: {reason}",
                            r.index
                        )),
                    }
                }
            }
            cell
        },
    )
}
