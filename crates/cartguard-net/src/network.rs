//! The per-region index: every lookup a query needs, computed once.

use std::collections::{HashMap, HashSet};

use cartguard_inventory::ec2::{self, Ec2Evidence};
use cartguard_inventory::{Collected, EvidenceKey, Operation, Region, elbv2, rds};
use serde::{Deserialize, Serialize};

use crate::EvidenceProblem;
use crate::address::AddressSet;
use crate::nacl::ParsedAcl;
use crate::routing::ParsedRouteTable;
use crate::security_group::ParsedGroup;
use crate::service::{Protocol, ServiceSet};

/// A resource traffic can be addressed to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "kebab-case")]
pub enum Target {
    /// An EC2 instance (`i-…`): all its network interfaces.
    Instance(String),
    /// One network interface (`eni-…`).
    NetworkInterface(String),
    /// An RDS database instance, by identifier.
    Database(String),
    /// A load balancer, by ARN.
    LoadBalancer(String),
}

impl Target {
    /// The resource's id (instance id, interface id, database identifier, ARN).
    pub fn id(&self) -> &str {
        match self {
            Target::Instance(id)
            | Target::NetworkInterface(id)
            | Target::Database(id)
            | Target::LoadBalancer(id) => id,
        }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self {
            Target::Instance(_) => "instance",
            Target::NetworkInterface(_) => "network interface",
            Target::Database(_) => "database",
            Target::LoadBalancer(_) => "load balancer",
        };
        write!(f, "{kind} {}", self.id())
    }
}

/// Where one interface of a target sits and how it is addressed.
#[derive(Debug, Clone)]
pub(crate) struct Placement {
    pub interface_id: Option<String>,
    pub subnet_id: Option<String>,
    pub groups: Vec<String>,
    /// False for a network load balancer without security groups.
    pub groups_enforced: bool,
    /// Private addresses (the subnet's range when AWS does not report them).
    pub private: AddressSet,
    /// The public IPv4 address, or how AWS assigns one.
    pub public_ipv4: Option<String>,
    /// Global IPv6 addresses.
    pub ipv6: AddressSet,
}

/// A target with its interfaces.
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    pub target: Target,
    pub running: bool,
    pub placements: Vec<Placement>,
    /// What the target listens on, when known (load balancer listeners, database port).
    pub listeners: Option<ServiceSet>,
    pub notes: Vec<String>,
    pub unknown: Vec<String>,
}

#[derive(Debug, Default)]
pub(crate) struct VpcInfo<'a> {
    pub cidrs: AddressSet,
    pub main_route_table: Option<usize>,
    pub default_acl: Option<usize>,
    pub subnets: Vec<&'a str>,
}

#[derive(Debug)]
pub(crate) struct SubnetInfo<'a> {
    pub vpc_id: &'a str,
    pub cidr: AddressSet,
    pub route_table: Option<usize>,
    pub acl: Option<usize>,
}

/// The evidence a region's network analysis reads, by AWS CLI operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Evidence {
    Vpcs,
    Subnets,
    RouteTables,
    NetworkAcls,
    SecurityGroups,
    Instances,
    NetworkInterfaces,
    DbInstances,
    LoadBalancers,
}

impl Evidence {
    /// The API call whose answer this is.
    pub(crate) fn operation(self) -> Operation {
        match self {
            Evidence::Vpcs => ec2::DESCRIBE_VPCS,
            Evidence::Subnets => ec2::DESCRIBE_SUBNETS,
            Evidence::RouteTables => ec2::DESCRIBE_ROUTE_TABLES,
            Evidence::NetworkAcls => ec2::DESCRIBE_NETWORK_ACLS,
            Evidence::SecurityGroups => ec2::DESCRIBE_SECURITY_GROUPS,
            Evidence::Instances => ec2::DESCRIBE_INSTANCES,
            Evidence::NetworkInterfaces => ec2::DESCRIBE_NETWORK_INTERFACES,
            Evidence::DbInstances => rds::DESCRIBE_DB_INSTANCES,
            Evidence::LoadBalancers => elbv2::DESCRIBE_LOAD_BALANCERS,
        }
    }

    /// The key of this evidence in `region`.
    pub(crate) fn key(self, region: &str) -> EvidenceKey {
        self.operation().key(region)
    }
}

/// The network of one region, indexed for reachability queries and analyses.
///
/// Build it once per region with [`Network::new`]; every query after that reads
/// precomputed decision tables.
#[derive(Debug)]
pub struct Network<'a> {
    pub(crate) region: String,
    pub(crate) inventory: &'a Region,
    pub(crate) unavailable: HashMap<Evidence, String>,
    pub(crate) problems: Vec<EvidenceProblem>,
    pub(crate) vpcs: HashMap<&'a str, VpcInfo<'a>>,
    pub(crate) subnets: HashMap<&'a str, SubnetInfo<'a>>,
    pub(crate) route_tables: Vec<ParsedRouteTable<'a>>,
    pub(crate) acls: Vec<ParsedAcl<'a>>,
    pub(crate) groups: Vec<ParsedGroup<'a>>,
    pub(crate) group_index: HashMap<&'a str, usize>,
    pub(crate) endpoints: Vec<Endpoint>,
    pub(crate) endpoint_index: HashMap<Target, usize>,
    /// Security group id → (endpoint, placement) of its members.
    pub(crate) members: HashMap<String, Vec<(usize, usize)>>,
}

fn present<T>(c: &Collected<Vec<T>>) -> &[T] {
    c.present().map_or(&[], Vec::as_slice)
}

impl<'a> Network<'a> {
    /// Indexes one region's evidence; `region_name` is used in messages.
    pub fn new(region_name: &str, region: &'a Region) -> Self {
        let ec2 = &region.ec2;
        let mut problems = Vec::new();
        let unavailable = unavailable_evidence(region_name, region);

        let mut prefix_lists: HashMap<&str, AddressSet> = HashMap::new();
        for pl in present(&ec2.prefix_lists) {
            let mut set = AddressSet::empty();
            let mut ok = true;
            for entry in &pl.entries {
                match AddressSet::parse(entry) {
                    Ok(a) => set.extend(&a),
                    Err(e) => {
                        ok = false;
                        problems.push(EvidenceProblem {
                            resource: pl.prefix_list_id.clone(),
                            detail: e.to_string(),
                        });
                    }
                }
            }
            // A list with an unreadable entry stays unresolved rather than half-known.
            if ok {
                prefix_lists.insert(&pl.prefix_list_id, set);
            }
        }

        let attached: Option<HashSet<(&str, &str)>> = ec2.internet_gateways.present().map(|igws| {
            igws.iter()
                .flat_map(|g| {
                    g.attachments
                        .iter()
                        .filter(|a| {
                            a.state
                                .as_deref()
                                .is_none_or(|s| s == "available" || s == "attached")
                        })
                        .map(move |a| (g.internet_gateway_id.as_str(), a.vpc_id.as_str()))
                })
                .collect()
        });

        let mut vpcs: HashMap<&str, VpcInfo> = HashMap::new();
        for v in present(&ec2.vpcs) {
            let info = vpcs.entry(&v.vpc_id).or_default();
            let cidrs = v
                .cidr_block
                .iter()
                .map(String::as_str)
                .chain(
                    v.cidr_block_association_set
                        .iter()
                        .map(|c| c.cidr_block.as_str()),
                )
                .chain(
                    v.ipv6_cidr_block_association_set
                        .iter()
                        .map(|c| c.ipv6_cidr_block.as_str()),
                );
            for c in cidrs {
                match AddressSet::parse(c) {
                    Ok(a) => info.cidrs.extend(&a),
                    Err(e) => problems.push(EvidenceProblem {
                        resource: v.vpc_id.clone(),
                        detail: e.to_string(),
                    }),
                }
            }
        }

        let route_tables: Vec<ParsedRouteTable> = present(&ec2.route_tables)
            .iter()
            .map(|rt| ParsedRouteTable::new(rt, &prefix_lists, attached.as_ref(), &mut problems))
            .collect();
        let acls: Vec<ParsedAcl> = present(&ec2.network_acls)
            .iter()
            .map(|a| ParsedAcl::new(a, &mut problems))
            .collect();

        let mut subnet_route: HashMap<&str, usize> = HashMap::new();
        for (i, rt) in route_tables.iter().enumerate() {
            for assoc in &rt.raw.associations {
                if assoc.main {
                    vpcs.entry(&rt.raw.vpc_id).or_default().main_route_table = Some(i);
                }
                if let Some(s) = &assoc.subnet_id {
                    subnet_route.insert(s, i);
                }
            }
        }
        let mut subnet_acl: HashMap<&str, usize> = HashMap::new();
        for (i, acl) in acls.iter().enumerate() {
            if acl.raw.is_default {
                vpcs.entry(&acl.raw.vpc_id).or_default().default_acl = Some(i);
            }
            for assoc in &acl.raw.associations {
                subnet_acl.insert(&assoc.subnet_id, i);
            }
        }

        let mut subnets: HashMap<&str, SubnetInfo> = HashMap::new();
        let vpcs_collected = ec2.vpcs.present().is_some();
        for s in present(&ec2.subnets) {
            let mut cidr = AddressSet::empty();
            let texts = s.cidr_block.iter().map(String::as_str).chain(
                s.ipv6_cidr_block_association_set
                    .iter()
                    .map(|c| c.ipv6_cidr_block.as_str()),
            );
            for c in texts {
                match AddressSet::parse(c) {
                    Ok(a) => cidr.extend(&a),
                    Err(e) => problems.push(EvidenceProblem {
                        resource: s.subnet_id.clone(),
                        detail: e.to_string(),
                    }),
                }
            }
            let vpc = vpcs.entry(&s.vpc_id).or_default();
            vpc.subnets.push(&s.subnet_id);
            if !vpcs_collected {
                // Without describe-vpcs, the subnets are the best account of the VPC's space.
                vpc.cidrs.extend(&cidr);
            }
            subnets.insert(
                &s.subnet_id,
                SubnetInfo {
                    vpc_id: &s.vpc_id,
                    cidr,
                    route_table: subnet_route
                        .get(s.subnet_id.as_str())
                        .copied()
                        .or(vpc.main_route_table),
                    acl: subnet_acl
                        .get(s.subnet_id.as_str())
                        .copied()
                        .or(vpc.default_acl),
                },
            );
        }

        let groups: Vec<ParsedGroup> = present(&ec2.security_groups)
            .iter()
            .map(|g| ParsedGroup::new(g, Some(&prefix_lists), &mut problems))
            .collect();
        let group_index = groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.id(), i))
            .collect();

        let mut net = Network {
            region: region_name.to_string(),
            inventory: region,
            unavailable,
            problems,
            vpcs,
            subnets,
            route_tables,
            acls,
            groups,
            group_index,
            endpoints: Vec::new(),
            endpoint_index: HashMap::new(),
            members: HashMap::new(),
        };
        net.index_endpoints();
        net
    }

    fn index_endpoints(&mut self) {
        let region = self.inventory;
        let ec2 = &region.ec2;
        let mut eip_by_eni: HashMap<&str, &str> = HashMap::new();
        let mut eip_by_instance: HashMap<&str, &str> = HashMap::new();
        for a in present(&ec2.addresses) {
            if let Some(eni) = &a.network_interface_id {
                eip_by_eni.insert(eni, &a.public_ip);
            }
            if let Some(i) = &a.instance_id {
                eip_by_instance.insert(i, &a.public_ip);
            }
        }
        let mut endpoints = Vec::new();
        let mut instance_enis: HashSet<&str> = HashSet::new();
        for inst in present(&ec2.instances) {
            let mut placements: Vec<Placement> = inst
                .network_interfaces
                .iter()
                .map(|ni| {
                    if let Some(id) = &ni.network_interface_id {
                        instance_enis.insert(id);
                    }
                    let public = ni
                        .association
                        .as_ref()
                        .and_then(|a| a.public_ip.clone())
                        .or_else(|| {
                            ni.private_ip_addresses.iter().find_map(|p| {
                                p.association.as_ref().and_then(|a| a.public_ip.clone())
                            })
                        })
                        .or_else(|| {
                            ni.network_interface_id
                                .as_deref()
                                .and_then(|id| eip_by_eni.get(id))
                                .map(|s| s.to_string())
                        });
                    Placement {
                        interface_id: ni.network_interface_id.clone(),
                        subnet_id: ni.subnet_id.clone().or_else(|| inst.subnet_id.clone()),
                        groups: ni.groups.iter().map(|g| g.group_id.clone()).collect(),
                        groups_enforced: true,
                        private: addresses(
                            ni.private_ip_addresses
                                .iter()
                                .filter_map(|p| p.private_ip_address.as_deref()),
                        ),
                        public_ipv4: public,
                        ipv6: addresses(ni.ipv6_addresses.iter().map(|a| a.ipv6_address.as_str())),
                    }
                })
                .collect();
            if placements.is_empty() {
                placements.push(Placement {
                    interface_id: None,
                    subnet_id: inst.subnet_id.clone(),
                    groups: inst
                        .security_groups
                        .iter()
                        .map(|g| g.group_id.clone())
                        .collect(),
                    groups_enforced: true,
                    private: addresses(inst.private_ip_address.as_deref()),
                    public_ipv4: None,
                    ipv6: AddressSet::empty(),
                });
            }
            if let Some(primary) = placements.first_mut() {
                if primary.private.is_empty() {
                    primary.private = addresses(inst.private_ip_address.as_deref());
                }
                if primary.public_ipv4.is_none() {
                    primary.public_ipv4 = inst.public_ip_address.clone().or_else(|| {
                        eip_by_instance
                            .get(inst.instance_id.as_str())
                            .map(|s| s.to_string())
                    });
                }
            }
            endpoints.push(Endpoint {
                target: Target::Instance(inst.instance_id.clone()),
                running: inst.is_running(),
                placements,
                listeners: None,
                notes: Vec::new(),
                unknown: Vec::new(),
            });
        }

        // Interfaces of load balancers, keyed by the `app/name/id` part of the ARN.
        let mut lb_enis: HashMap<&str, Vec<&ec2::NetworkInterface>> = HashMap::new();
        for ni in present(&ec2.network_interfaces) {
            let description = ni.description.as_deref().unwrap_or_default();
            if let Some(key) = description.strip_prefix("ELB ") {
                lb_enis.entry(key).or_default().push(ni);
                continue;
            }
            let kind = ni.interface_type.as_deref().unwrap_or("interface");
            let owned_elsewhere = instance_enis.contains(ni.network_interface_id.as_str())
                || description == "RDSNetworkInterface"
                || matches!(
                    kind,
                    "nat_gateway"
                        | "network_load_balancer"
                        | "gateway_load_balancer"
                        | "gateway_load_balancer_endpoint"
                );
            if owned_elsewhere {
                continue;
            }
            endpoints.push(Endpoint {
                target: Target::NetworkInterface(ni.network_interface_id.clone()),
                running: true,
                placements: vec![interface_placement(ni, &eip_by_eni)],
                listeners: None,
                notes: Vec::new(),
                unknown: Vec::new(),
            });
        }

        for db in present(&region.rds.db_instances) {
            let mut unknown = Vec::new();
            let public = match db.publicly_accessible {
                Some(true) => Some("assigned by AWS (PubliclyAccessible)".to_string()),
                Some(false) => None,
                None => {
                    unknown.push(format!(
                        "database {} does not report PubliclyAccessible",
                        db.db_instance_identifier
                    ));
                    None
                }
            };
            let groups: Vec<String> = db
                .vpc_security_groups
                .iter()
                .map(|g| g.vpc_security_group_id.clone())
                .collect();
            let subnet_ids: Vec<&str> = db
                .db_subnet_group
                .iter()
                .flat_map(|g| g.subnets.iter().map(|s| s.subnet_identifier.as_str()))
                .collect();
            if subnet_ids.is_empty() {
                unknown.push(format!(
                    "database {} reports no DB subnet group",
                    db.db_instance_identifier
                ));
            }
            // The database may run in any subnet of its group (after a fail-over),
            // so each one is a placement.
            let placements = subnet_ids
                .iter()
                .map(|s| Placement {
                    interface_id: None,
                    subnet_id: Some(s.to_string()),
                    groups: groups.clone(),
                    groups_enforced: true,
                    private: self
                        .subnets
                        .get(s)
                        .map(|i| i.cidr.only_ipv4())
                        .unwrap_or_default(),
                    public_ipv4: public.clone(),
                    ipv6: AddressSet::empty(),
                })
                .collect();
            let mut notes = Vec::new();
            let listeners = match db.port().and_then(|p| u16::try_from(p).ok()) {
                Some(p) => Some(ServiceSet::port(Protocol::Tcp, p)),
                None => {
                    notes.push(format!(
                        "database {} reports no port; every port its security groups admit is shown",
                        db.db_instance_identifier
                    ));
                    None
                }
            };
            endpoints.push(Endpoint {
                target: Target::Database(db.db_instance_identifier.clone()),
                running: true,
                placements,
                listeners,
                notes,
                unknown,
            });
        }

        for lb in present(&region.elbv2.load_balancers) {
            if lb.lb_type.as_deref() == Some("gateway") {
                continue;
            }
            let internet_facing = lb.is_internet_facing();
            let dualstack = lb
                .ip_address_type
                .as_deref()
                .is_some_and(|t| t.starts_with("dualstack"));
            let key = lb
                .load_balancer_arn
                .split_once(":loadbalancer/")
                .map(|(_, k)| k)
                .unwrap_or_default();
            let enis = lb_enis.get(key).map(Vec::as_slice).unwrap_or_default();
            let groups_enforced = !lb.security_groups.is_empty();
            let mut placements = Vec::new();
            for zone in &lb.availability_zones {
                let Some(subnet) = zone.subnet_id.as_deref() else {
                    continue;
                };
                let subnet_cidr = self
                    .subnets
                    .get(subnet)
                    .map(|i| i.cidr.clone())
                    .unwrap_or_default();
                let zone_enis: Vec<&&ec2::NetworkInterface> = enis
                    .iter()
                    .filter(|n| n.subnet_id.as_deref() == Some(subnet))
                    .collect();
                let mut p = Placement {
                    interface_id: None,
                    subnet_id: Some(subnet.to_string()),
                    groups: lb.security_groups.clone(),
                    groups_enforced,
                    private: subnet_cidr.only_ipv4(),
                    public_ipv4: internet_facing
                        .then(|| "assigned by AWS (internet-facing)".to_string()),
                    ipv6: if internet_facing && dualstack {
                        subnet_cidr.only_ipv6()
                    } else {
                        AddressSet::empty()
                    },
                };
                if let Some(first) = zone_enis.first() {
                    let from_enis = interface_placement(first, &eip_by_eni);
                    p.interface_id = from_enis.interface_id;
                    p.private = AddressSet::empty();
                    for ni in &zone_enis {
                        let one = interface_placement(ni, &eip_by_eni);
                        p.private.extend(&one.private);
                    }
                    if let (true, Some(ip)) = (internet_facing, from_enis.public_ipv4) {
                        p.public_ipv4 = Some(ip);
                    }
                }
                placements.push(p);
            }
            let mut notes = Vec::new();
            let listeners = match region.elbv2.listeners.get(&lb.load_balancer_name) {
                Some(Collected::Present(ls)) => Some(listener_services(ls)),
                other => {
                    let why = other.map_or_else(
                        || "listeners were not collected".to_string(),
                        |c| {
                            c.unavailable_reason(
                                &elbv2::DESCRIBE_LISTENERS
                                    .about(&self.region, &lb.load_balancer_name),
                            )
                            .unwrap_or_else(|| "listeners are not configured".to_string())
                        },
                    );
                    notes.push(format!(
                        "load balancer {}: {why}; every port its security groups admit is shown",
                        lb.load_balancer_name
                    ));
                    None
                }
            };
            endpoints.push(Endpoint {
                target: Target::LoadBalancer(lb.load_balancer_arn.clone()),
                running: true,
                placements,
                listeners,
                notes,
                unknown: Vec::new(),
            });
        }

        let mut members: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        let mut index = HashMap::new();
        for (e, ep) in endpoints.iter().enumerate() {
            index.insert(ep.target.clone(), e);
            for (p, pl) in ep.placements.iter().enumerate() {
                for g in &pl.groups {
                    let list = members.entry(g.clone()).or_default();
                    if !list.contains(&(e, p)) {
                        list.push((e, p));
                    }
                }
            }
        }
        self.endpoints = endpoints;
        self.endpoint_index = index;
        self.members = members;
    }

    /// Evidence problems found while indexing: malformed CIDR blocks, unknown
    /// protocols, unparsable prefix-list entries. Each one also marks the
    /// answers it could change as not assessed.
    pub fn problems(&self) -> &[EvidenceProblem] {
        &self.problems
    }

    /// The region's name.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The raw EC2 evidence the index was built from.
    pub fn ec2(&self) -> &'a Ec2Evidence {
        &self.inventory.ec2
    }

    pub(crate) fn group(&self, id: &str) -> Option<&ParsedGroup<'a>> {
        self.group_index.get(id).map(|&i| &self.groups[i])
    }

    pub(crate) fn missing(&self, kinds: &[Evidence]) -> Vec<String> {
        kinds
            .iter()
            .filter_map(|k| self.unavailable.get(k).cloned())
            .collect()
    }

    /// Finds the target a user named: an instance or interface id, an instance's
    /// `Name` tag (when it names one instance), a database identifier, or a load
    /// balancer's name or ARN.
    pub fn resolve_target(&self, name: &str) -> Option<Target> {
        for t in [
            Target::Instance(name.to_string()),
            Target::NetworkInterface(name.to_string()),
            Target::Database(name.to_string()),
            Target::LoadBalancer(name.to_string()),
        ] {
            if self.endpoint_index.contains_key(&t) {
                return Some(t);
            }
        }
        if name.starts_with("eni-") && self.instance_interface(name).is_some() {
            return Some(Target::NetworkInterface(name.to_string()));
        }
        if let Some(lb) = present(&self.inventory.elbv2.load_balancers)
            .iter()
            .find(|lb| lb.load_balancer_name == name)
        {
            return Some(Target::LoadBalancer(lb.load_balancer_arn.clone()));
        }
        let mut tagged = present(&self.inventory.ec2.instances)
            .iter()
            .filter(|i| cartguard_inventory::name_tag(&i.tags) == Some(name));
        match (tagged.next(), tagged.next()) {
            (Some(one), None) => Some(Target::Instance(one.instance_id.clone())),
            _ => None,
        }
    }

    fn instance_interface(&self, eni: &str) -> Option<(usize, usize)> {
        self.endpoints.iter().enumerate().find_map(|(e, ep)| {
            ep.placements
                .iter()
                .position(|p| p.interface_id.as_deref() == Some(eni))
                .map(|p| (e, p))
        })
    }

    /// The endpoint for a target; an instance's interface is carved out of its instance.
    pub(crate) fn endpoint(&self, target: &Target) -> Option<std::borrow::Cow<'_, Endpoint>> {
        if let Some(&i) = self.endpoint_index.get(target) {
            return Some(std::borrow::Cow::Borrowed(&self.endpoints[i]));
        }
        if let Target::NetworkInterface(eni) = target {
            let (e, p) = self.instance_interface(eni)?;
            let ep = &self.endpoints[e];
            let mut one = ep.clone();
            one.target = target.clone();
            one.placements = vec![ep.placements[p].clone()];
            one.notes.push(format!("interface of {}", ep.target));
            return Some(std::borrow::Cow::Owned(one));
        }
        None
    }

    /// The route table a subnet uses: its explicit association, else its VPC's main table.
    pub fn route_table_of(&self, subnet_id: &str) -> Option<&'a ec2::RouteTable> {
        let s = self.subnets.get(subnet_id)?;
        s.route_table.map(|i| self.route_tables[i].raw)
    }

    /// The network ACL a subnet uses: its associated one, else its VPC's default.
    pub fn network_acl_of(&self, subnet_id: &str) -> Option<&'a ec2::NetworkAcl> {
        let s = self.subnets.get(subnet_id)?;
        s.acl.map(|i| self.acls[i].raw)
    }

    /// Whether a subnet's route table sends some destination to an attached
    /// internet gateway (`None` when the subnet or its route table is unknown).
    pub fn subnet_is_public(&self, subnet_id: &str) -> Option<bool> {
        let s = self.subnets.get(subnet_id)?;
        s.route_table
            .map(|i| !self.route_tables[i].internet.is_empty())
    }

    /// The subnets that use a network ACL (explicitly or as their VPC's default).
    pub fn subnets_using_acl(&self, acl_id: &str) -> Vec<&'a str> {
        let mut out: Vec<&'a str> = self
            .subnets
            .iter()
            .filter(|(_, s)| s.acl.is_some_and(|i| self.acls[i].id() == acl_id))
            .map(|(id, _)| *id)
            .collect();
        out.sort_unstable();
        out
    }
}

fn addresses<'s>(texts: impl IntoIterator<Item = &'s str>) -> AddressSet {
    let mut out = AddressSet::empty();
    for t in texts {
        // An unreadable interface address only narrows what is known to be there.
        if let Ok(a) = AddressSet::parse(t) {
            out.extend(&a);
        }
    }
    out
}

fn interface_placement(ni: &ec2::NetworkInterface, eip_by_eni: &HashMap<&str, &str>) -> Placement {
    let public = ni
        .association
        .as_ref()
        .and_then(|a| a.public_ip.clone())
        .or_else(|| {
            ni.private_ip_addresses
                .iter()
                .find_map(|p| p.association.as_ref().and_then(|a| a.public_ip.clone()))
        })
        .or_else(|| {
            eip_by_eni
                .get(ni.network_interface_id.as_str())
                .map(|s| s.to_string())
        });
    let mut private = addresses(
        ni.private_ip_addresses
            .iter()
            .filter_map(|p| p.private_ip_address.as_deref()),
    );
    private.extend(&addresses(ni.private_ip_address.as_deref()));
    Placement {
        interface_id: Some(ni.network_interface_id.clone()),
        subnet_id: ni.subnet_id.clone(),
        groups: ni.groups.iter().map(|g| g.group_id.clone()).collect(),
        groups_enforced: true,
        private,
        public_ipv4: public,
        ipv6: addresses(ni.ipv6_addresses.iter().map(|a| a.ipv6_address.as_str())),
    }
}

fn listener_services(listeners: &[cartguard_inventory::elbv2::Listener]) -> ServiceSet {
    let mut out = ServiceSet::empty();
    for l in listeners {
        let Some(port) = l.port.and_then(|p| u16::try_from(p).ok()) else {
            continue;
        };
        let protocol = l.protocol.as_deref().unwrap_or("TCP").to_ascii_uppercase();
        if protocol == "UDP" || protocol == "TCP_UDP" {
            out = out.union(&ServiceSet::port(Protocol::Udp, port));
        }
        if protocol != "UDP" {
            out = out.union(&ServiceSet::port(Protocol::Tcp, port));
        }
    }
    out
}

fn unavailable_evidence(region_name: &str, region: &Region) -> HashMap<Evidence, String> {
    let ec2 = &region.ec2;
    let held = [
        (Evidence::Vpcs, ec2.vpcs.availability()),
        (Evidence::Subnets, ec2.subnets.availability()),
        (Evidence::RouteTables, ec2.route_tables.availability()),
        (Evidence::NetworkAcls, ec2.network_acls.availability()),
        (Evidence::SecurityGroups, ec2.security_groups.availability()),
        (Evidence::Instances, ec2.instances.availability()),
        (
            Evidence::NetworkInterfaces,
            ec2.network_interfaces.availability(),
        ),
        (
            Evidence::DbInstances,
            region.rds.db_instances.availability(),
        ),
        (
            Evidence::LoadBalancers,
            region.elbv2.load_balancers.availability(),
        ),
    ];
    held.into_iter()
        .filter_map(|(kind, availability)| {
            availability
                .reason(&kind.key(region_name))
                .map(|reason| (kind, reason))
        })
        .collect()
}
