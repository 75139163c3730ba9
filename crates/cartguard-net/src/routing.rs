//! Route tables, resolved by longest-prefix match into the address sets each
//! target really receives.

use std::collections::{HashMap, HashSet};

use cartguard_inventory::ec2;

use crate::EvidenceProblem;
use crate::address::AddressSet;
use crate::located::Located;

/// Where a route sends traffic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RouteTarget {
    Local,
    InternetGateway,
    EgressOnlyGateway,
    Blackhole,
    Other,
}

/// A route with the destinations it wins after longer prefixes took theirs.
#[derive(Debug, Clone)]
pub(crate) struct EffectiveRoute {
    pub destination: String,
    pub target: RouteTarget,
    pub target_id: String,
    pub effective: AddressSet,
}

#[derive(Debug)]
pub(crate) struct ParsedRouteTable<'a> {
    pub raw: &'a ec2::RouteTable,
    pub routes: Vec<EffectiveRoute>,
    /// Destinations routed to an attached internet gateway.
    pub internet: AddressSet,
    /// Why some destinations could not be resolved.
    pub unknown: Vec<String>,
}

impl<'a> ParsedRouteTable<'a> {
    pub(crate) fn new(
        raw: &'a ec2::RouteTable,
        at: &Located,
        prefix_lists: &HashMap<&str, AddressSet>,
        attached_gateways: Option<&HashSet<(&str, &str)>>,
        problems: &mut Vec<EvidenceProblem>,
    ) -> Self {
        let id = raw.route_table_id.as_str();
        let mut unknown = Vec::new();
        // (prefix length, addresses, destination text, target, target id)
        let mut candidates: Vec<(u8, AddressSet, String, RouteTarget, String)> = Vec::new();
        for (i, r) in raw.routes.iter().enumerate() {
            let (target, target_id) = classify(r, &raw.vpc_id, attached_gateways);
            let cidr = match (&r.destination_cidr_block, &r.destination_ipv6_cidr_block) {
                (Some(text), _) => Some(("DestinationCidrBlock", text)),
                (None, Some(text)) => Some(("DestinationIpv6CidrBlock", text)),
                (None, None) => None,
            };
            if target == RouteTarget::Other
                && target_id == NO_TARGET
                && (cidr.is_some() || r.destination_prefix_list_id.is_some())
            {
                // Every route AWS reports has a target: one without may be the
                // route to the internet gateway, so answers through it are open.
                let problem = at.field("Routes").item(i).problem(
                    &format!("{id} route {i}"),
                    "no target".into(),
                    "a route without a gateway, NAT gateway, interface, instance, peering or transit gateway target".into(),
                );
                unknown.push(problem.to_string());
                problems.push(problem);
                continue;
            }
            if let Some((field, text)) = cidr {
                match parse_prefix(text) {
                    Some((len, set)) => {
                        candidates.push((len, set, text.clone(), target, target_id))
                    }
                    None => {
                        // An unreadable route may send any destination anywhere,
                        // the internet gateway included, or take a destination
                        // away from it: every answer through this table is open.
                        let problem = at.field("Routes").item(i).field(field).problem(
                            &format!("{id} route {i}"),
                            text.clone(),
                            "not a CIDR block".into(),
                        );
                        unknown.push(problem.to_string());
                        problems.push(problem);
                    }
                }
            } else if let Some(pl) = r.destination_prefix_list_id.as_deref() {
                match prefix_lists.get(pl) {
                    Some(set) => {
                        for net in set.to_cidrs() {
                            candidates.push((
                                net.prefix_len(),
                                AddressSet::from_net(net),
                                pl.to_string(),
                                target.clone(),
                                target_id.clone(),
                            ));
                        }
                    }
                    None if target == RouteTarget::InternetGateway => unknown.push(format!(
                        "route table {id} routes prefix list {pl} to {target_id}, and the prefix list's entries were not collected"
                    )),
                    // Unknown entries routed elsewhere can only take addresses
                    // away from the internet gateway, so leaving them out errs
                    // towards exposure, never towards a pass.
                    None => {}
                }
            }
        }
        // Longest prefix first; at equal length the sort is stable, so routes
        // listed first (static ones, as AWS prefers them) win.
        candidates.sort_by_key(|c| std::cmp::Reverse(c.0));
        let mut covered = AddressSet::empty();
        let mut routes = Vec::new();
        let mut internet = AddressSet::empty();
        for (_, set, destination, target, target_id) in candidates {
            let effective = set.difference(&covered);
            covered.extend(&set);
            if target == RouteTarget::InternetGateway {
                internet.extend(&effective);
            }
            routes.push(EffectiveRoute {
                destination,
                target,
                target_id,
                effective,
            });
        }
        ParsedRouteTable {
            raw,
            routes,
            internet,
            unknown,
        }
    }

    pub(crate) fn id(&self) -> &'a str {
        &self.raw.route_table_id
    }

    /// The routes of a given kind whose destinations meet `addresses`.
    pub(crate) fn routes_for<'s>(
        &'s self,
        addresses: &'s AddressSet,
        kind: impl Fn(&RouteTarget) -> bool + 's,
    ) -> impl Iterator<Item = &'s EffectiveRoute> + 's {
        self.routes
            .iter()
            .filter(move |r| kind(&r.target) && r.effective.intersects(addresses))
    }
}

fn parse_prefix(text: &str) -> Option<(u8, AddressSet)> {
    let net = text.trim().parse::<ipnet::IpNet>().ok()?.trunc();
    Some((net.prefix_len(), AddressSet::from_net(net)))
}

/// The target id of a route that names none.
const NO_TARGET: &str = "unknown";

fn classify(
    r: &ec2::Route,
    vpc_id: &str,
    attached_gateways: Option<&HashSet<(&str, &str)>>,
) -> (RouteTarget, String) {
    let gateway = r.gateway_id.as_deref().unwrap_or_default();
    let target_id = [
        r.gateway_id.as_deref(),
        r.nat_gateway_id.as_deref(),
        r.egress_only_internet_gateway_id.as_deref(),
        r.transit_gateway_id.as_deref(),
        r.vpc_peering_connection_id.as_deref(),
        r.network_interface_id.as_deref(),
        r.instance_id.as_deref(),
        r.carrier_gateway_id.as_deref(),
        r.local_gateway_id.as_deref(),
        r.core_network_arn.as_deref(),
    ]
    .into_iter()
    .flatten()
    .next()
    .unwrap_or(NO_TARGET)
    .to_string();
    if r.state.as_deref() == Some("blackhole") {
        return (RouteTarget::Blackhole, target_id);
    }
    if gateway == "local" {
        return (RouteTarget::Local, target_id);
    }
    if gateway.starts_with("igw-") {
        // A route to a gateway that is not attached to this VPC carries nothing.
        let attached = attached_gateways.is_none_or(|set| set.contains(&(gateway, vpc_id)));
        let target = if attached {
            RouteTarget::InternetGateway
        } else {
            RouteTarget::Blackhole
        };
        return (target, target_id);
    }
    if r.egress_only_internet_gateway_id.is_some() || gateway.starts_with("eigw-") {
        return (RouteTarget::EgressOnlyGateway, target_id);
    }
    (RouteTarget::Other, target_id)
}
