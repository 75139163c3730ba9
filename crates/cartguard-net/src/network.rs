//! The per-region index: every lookup a query needs, computed once.

use std::collections::{HashMap, HashSet};

use cartguard_inventory::ec2::{self, Ec2Evidence};
use cartguard_inventory::{Collected, EvidenceKey, Operation, Region, elbv2, rds};
use serde::{Deserialize, Serialize};

use crate::EvidenceProblem;
use crate::address::AddressSet;
use crate::located::Located;
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
            let entries = Located::answer(
                ec2::GET_MANAGED_PREFIX_LIST_ENTRIES.about(region_name, &pl.prefix_list_id),
            )
            .field("Entries");
            for (i, entry) in pl.entries.iter().enumerate() {
                match AddressSet::parse(entry) {
                    Ok(a) => set.extend(&a),
                    Err(e) => {
                        ok = false;
                        problems.push(entries.item(i).field("Cidr").problem(
                            &pl.prefix_list_id,
                            entry.clone(),
                            e.reason,
                        ));
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
        let vpc_list = Located::answer(ec2::DESCRIBE_VPCS.key(region_name)).field("Vpcs");
        for (i, v) in present(&ec2.vpcs).iter().enumerate() {
            let info = vpcs.entry(&v.vpc_id).or_default();
            let at = vpc_list.item(i);
            let cidrs = v
                .cidr_block
                .iter()
                .map(|c| (at.field("CidrBlock"), c))
                .chain(
                    v.cidr_block_association_set
                        .iter()
                        .enumerate()
                        .map(|(j, c)| {
                            (
                                at.field("CidrBlockAssociationSet")
                                    .item(j)
                                    .field("CidrBlock"),
                                &c.cidr_block,
                            )
                        }),
                )
                .chain(ipv6_blocks(&at, &v.ipv6_cidr_block_association_set));
            info.cidrs
                .extend(&parse_blocks(cidrs, &v.vpc_id, &mut problems));
        }

        let table_list =
            Located::answer(ec2::DESCRIBE_ROUTE_TABLES.key(region_name)).field("RouteTables");
        let route_tables: Vec<ParsedRouteTable> = present(&ec2.route_tables)
            .iter()
            .enumerate()
            .map(|(i, rt)| {
                ParsedRouteTable::new(
                    rt,
                    &table_list.item(i),
                    &prefix_lists,
                    attached.as_ref(),
                    &mut problems,
                )
            })
            .collect();
        let acl_list =
            Located::answer(ec2::DESCRIBE_NETWORK_ACLS.key(region_name)).field("NetworkAcls");
        let acls: Vec<ParsedAcl> = present(&ec2.network_acls)
            .iter()
            .enumerate()
            .map(|(i, a)| ParsedAcl::new(a, &acl_list.item(i), &mut problems))
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
        let subnet_list = Located::answer(ec2::DESCRIBE_SUBNETS.key(region_name)).field("Subnets");
        for (i, s) in present(&ec2.subnets).iter().enumerate() {
            let at = subnet_list.item(i);
            let texts = s
                .cidr_block
                .iter()
                .map(|c| (at.field("CidrBlock"), c))
                .chain(ipv6_blocks(&at, &s.ipv6_cidr_block_association_set));
            let cidr = parse_blocks(texts, &s.subnet_id, &mut problems);
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

        let group_list =
            Located::answer(ec2::DESCRIBE_SECURITY_GROUPS.key(region_name)).field("SecurityGroups");
        let groups: Vec<ParsedGroup> = present(&ec2.security_groups)
            .iter()
            .enumerate()
            .map(|(i, g)| {
                ParsedGroup::new(g, &group_list.item(i), Some(&prefix_lists), &mut problems)
            })
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

    /// Indexes every target of the region, and the security groups' members.
    fn index_endpoints(&mut self) {
        let ec2 = &self.inventory.ec2;
        let elastic_ips = ElasticIps::new(present(&ec2.addresses));
        let mut endpoints: Vec<Endpoint> = present(&ec2.instances)
            .iter()
            .map(|inst| instance_endpoint(inst, &elastic_ips))
            .collect();
        endpoints.extend(bare_interface_endpoints(ec2, &elastic_ips));
        endpoints.extend(self.database_endpoints());
        endpoints.extend(self.load_balancer_endpoints(&elastic_ips));
        // An address that cannot be read may be the one the internet reaches:
        // the endpoint's answers are not assessed rather than narrowed.
        let unreadable = unreadable_addresses(&self.region, ec2);
        for endpoint in &mut endpoints {
            if let Some(reasons) = unreadable.get(&endpoint.target) {
                endpoint.unknown.extend(reasons.iter().cloned());
            }
        }
        self.endpoint_index = index_by_target(&endpoints);
        self.members = security_group_members(&endpoints);
        self.endpoints = endpoints;
    }

    /// RDS database instances, one placement per subnet of their DB subnet group.
    fn database_endpoints(&self) -> Vec<Endpoint> {
        let mut endpoints = Vec::new();
        for db in present(&self.inventory.rds.db_instances) {
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
                    private: self.subnet_range(s).only_ipv4(),
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
        endpoints
    }

    /// Application and network load balancers, one placement per availability zone.
    fn load_balancer_endpoints(&self, elastic_ips: &ElasticIps) -> Vec<Endpoint> {
        let region = self.inventory;
        let interfaces = load_balancer_interfaces(present(&region.ec2.network_interfaces));
        let mut endpoints = Vec::new();
        for lb in present(&region.elbv2.load_balancers) {
            // Gateway load balancers relay traffic to appliances rather than receive it.
            if lb.lb_type.as_deref() == Some("gateway") {
                continue;
            }
            let key = lb
                .load_balancer_arn
                .split_once(":loadbalancer/")
                .map(|(_, k)| k)
                .unwrap_or_default();
            let enis = interfaces.get(key).map(Vec::as_slice).unwrap_or_default();
            let placements = lb
                .availability_zones
                .iter()
                .filter_map(|zone| zone.subnet_id.as_deref())
                .map(|subnet| self.load_balancer_placement(lb, subnet, enis, elastic_ips))
                .collect();
            let mut notes = Vec::new();
            let listeners = match region.elbv2.listeners.get(&lb.load_balancer_name) {
                Some(Collected::Present(ls)) => {
                    let at = Located::answer(
                        elbv2::DESCRIBE_LISTENERS.about(&self.region, &lb.load_balancer_name),
                    )
                    .field("Listeners");
                    match listener_services(ls, &at) {
                        Ok(services) => Some(services),
                        Err(unreadable) => {
                            // Narrowing to the listeners that could be read would
                            // hide the traffic of the one that could not.
                            notes.push(format!(
                                "load balancer {}: {unreadable}; every port its security groups admit is shown",
                                lb.load_balancer_name
                            ));
                            None
                        }
                    }
                }
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
        endpoints
    }

    /// A load balancer's node in one subnet, addressed by its interfaces when they were collected.
    fn load_balancer_placement(
        &self,
        lb: &cartguard_inventory::elbv2::LoadBalancer,
        subnet: &str,
        interfaces: &[&ec2::NetworkInterface],
        elastic_ips: &ElasticIps,
    ) -> Placement {
        let internet_facing = lb.is_internet_facing();
        let dualstack = lb
            .ip_address_type
            .as_deref()
            .is_some_and(|t| t.starts_with("dualstack"));
        let subnet_range = self.subnet_range(subnet);
        let mut p = Placement {
            interface_id: None,
            subnet_id: Some(subnet.to_string()),
            groups: lb.security_groups.clone(),
            // A network load balancer without security groups filters nothing itself.
            groups_enforced: !lb.security_groups.is_empty(),
            // Until its interfaces say otherwise, the node may hold any address of the subnet.
            private: subnet_range.only_ipv4(),
            public_ipv4: internet_facing.then(|| "assigned by AWS (internet-facing)".to_string()),
            ipv6: if internet_facing && dualstack {
                subnet_range.only_ipv6()
            } else {
                AddressSet::empty()
            },
        };
        let in_subnet: Vec<&ec2::NetworkInterface> = interfaces
            .iter()
            .copied()
            .filter(|ni| ni.subnet_id.as_deref() == Some(subnet))
            .collect();
        if let Some(first) = in_subnet.first() {
            let first = interface_placement(first, elastic_ips);
            p.interface_id = first.interface_id;
            if let (true, Some(ip)) = (internet_facing, first.public_ipv4) {
                p.public_ipv4 = Some(ip);
            }
            p.private = AddressSet::empty();
            for ni in &in_subnet {
                p.private.extend(&interface_private_addresses(ni));
            }
        }
        p
    }

    /// The addresses of a subnet (empty when the subnet is not in the evidence).
    fn subnet_range(&self, subnet_id: &str) -> AddressSet {
        self.subnets
            .get(subnet_id)
            .map(|i| i.cidr.clone())
            .unwrap_or_default()
    }

    /// Evidence problems found while indexing: malformed CIDR blocks, unknown
    /// protocols, unparsable prefix-list entries. Each one also marks the
    /// answers it could change as not assessed.
    pub fn problems(&self) -> &[EvidenceProblem] {
        &self.problems
    }

    /// What could not be read about one resource (a security group, a network
    /// ACL, a route table, a VPC, a subnet, a prefix list), by its id.
    pub fn problems_of(&self, resource_id: &str) -> Vec<&EvidenceProblem> {
        self.problems
            .iter()
            .filter(|p| {
                p.resource == resource_id
                    || p.resource
                        .strip_prefix(resource_id)
                        .is_some_and(|rest| rest.starts_with(' '))
            })
            .collect()
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
    /// internet gateway (`None` when the subnet or its route table is unknown,
    /// or when only a route that cannot be read could make it public).
    pub fn subnet_is_public(&self, subnet_id: &str) -> Option<bool> {
        let s = self.subnets.get(subnet_id)?;
        let rt = &self.route_tables[s.route_table?];
        if !rt.internet.is_empty() {
            Some(true)
        } else if rt.unknown.is_empty() {
            Some(false)
        } else {
            None
        }
    }

    /// Why the public-or-private answer for a subnet is open: its route table's
    /// routes that cannot be read.
    pub fn subnet_routing_unknown(&self, subnet_id: &str) -> Vec<String> {
        self.subnets
            .get(subnet_id)
            .and_then(|s| s.route_table)
            .map(|i| self.route_tables[i].unknown.clone())
            .unwrap_or_default()
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

/// Elastic IP addresses, by the interface and by the instance they are associated with.
struct ElasticIps<'a> {
    by_interface: HashMap<&'a str, &'a str>,
    by_instance: HashMap<&'a str, &'a str>,
}

impl<'a> ElasticIps<'a> {
    /// Indexes the addresses of describe-addresses.
    fn new(addresses: &'a [ec2::Address]) -> Self {
        let mut out = ElasticIps {
            by_interface: HashMap::new(),
            by_instance: HashMap::new(),
        };
        for a in addresses {
            if let Some(eni) = &a.network_interface_id {
                out.by_interface.insert(eni, &a.public_ip);
            }
            if let Some(i) = &a.instance_id {
                out.by_instance.insert(i, &a.public_ip);
            }
        }
        out
    }

    /// The Elastic IP associated with a network interface.
    fn of_interface(&self, interface_id: &str) -> Option<String> {
        self.by_interface.get(interface_id).map(|s| s.to_string())
    }

    /// The Elastic IP associated with an instance.
    fn of_instance(&self, instance_id: &str) -> Option<String> {
        self.by_instance.get(instance_id).map(|s| s.to_string())
    }
}

/// An EC2 instance, one placement per network interface.
fn instance_endpoint(inst: &ec2::Instance, elastic_ips: &ElasticIps) -> Endpoint {
    let mut placements: Vec<Placement> = inst
        .network_interfaces
        .iter()
        .map(|ni| instance_interface_placement(inst, ni, elastic_ips))
        .collect();
    // Where describe-instances lists no interface, or leaves out the primary one's
    // addresses, the instance's own fields describe its primary interface.
    if placements.is_empty() {
        placements.push(Placement {
            interface_id: None,
            subnet_id: inst.subnet_id.clone(),
            groups: group_ids(&inst.security_groups),
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
            primary.public_ipv4 = inst
                .public_ip_address
                .clone()
                .or_else(|| elastic_ips.of_instance(&inst.instance_id));
        }
    }
    Endpoint {
        target: Target::Instance(inst.instance_id.clone()),
        running: inst.is_running(),
        placements,
        listeners: None,
        notes: Vec::new(),
        unknown: Vec::new(),
    }
}

/// One interface of an instance, as describe-instances reports it.
fn instance_interface_placement(
    inst: &ec2::Instance,
    ni: &ec2::InstanceNetworkInterface,
    elastic_ips: &ElasticIps,
) -> Placement {
    Placement {
        interface_id: ni.network_interface_id.clone(),
        subnet_id: ni.subnet_id.clone().or_else(|| inst.subnet_id.clone()),
        groups: group_ids(&ni.groups),
        groups_enforced: true,
        private: listed_private_addresses(&ni.private_ip_addresses),
        public_ipv4: public_ipv4(
            ni.association.as_ref(),
            &ni.private_ip_addresses,
            ni.network_interface_id.as_deref(),
            elastic_ips,
        ),
        ipv6: ipv6_addresses(&ni.ipv6_addresses),
    }
}

/// Network interfaces no instance, load balancer, database or gateway owns.
fn bare_interface_endpoints(ec2: &Ec2Evidence, elastic_ips: &ElasticIps) -> Vec<Endpoint> {
    let instance_interfaces: HashSet<&str> = present(&ec2.instances)
        .iter()
        .flat_map(|inst| &inst.network_interfaces)
        .filter_map(|ni| ni.network_interface_id.as_deref())
        .collect();
    // An owned interface is reached through its owner.
    present(&ec2.network_interfaces)
        .iter()
        .filter(|ni| {
            !instance_interfaces.contains(ni.network_interface_id.as_str())
                && !owned_by_a_service(ni)
        })
        .map(|ni| Endpoint {
            target: Target::NetworkInterface(ni.network_interface_id.clone()),
            running: true,
            placements: vec![interface_placement(ni, elastic_ips)],
            listeners: None,
            notes: Vec::new(),
            unknown: Vec::new(),
        })
        .collect()
}

/// Whether an interface belongs to a load balancer, a database or a gateway.
fn owned_by_a_service(ni: &ec2::NetworkInterface) -> bool {
    let description = ni.description.as_deref().unwrap_or_default();
    let kind = ni.interface_type.as_deref().unwrap_or("interface");
    load_balancer_key(ni).is_some()
        || description == "RDSNetworkInterface"
        || matches!(
            kind,
            "nat_gateway"
                | "network_load_balancer"
                | "gateway_load_balancer"
                | "gateway_load_balancer_endpoint"
        )
}

/// The `app/name/id` part of the owning load balancer's ARN, from the interface's description.
fn load_balancer_key(ni: &ec2::NetworkInterface) -> Option<&str> {
    ni.description.as_deref()?.strip_prefix("ELB ")
}

/// Interfaces of load balancers, keyed by the `app/name/id` part of the ARN.
fn load_balancer_interfaces(
    interfaces: &[ec2::NetworkInterface],
) -> HashMap<&str, Vec<&ec2::NetworkInterface>> {
    let mut out: HashMap<&str, Vec<&ec2::NetworkInterface>> = HashMap::new();
    for ni in interfaces {
        if let Some(key) = load_balancer_key(ni) {
            out.entry(key).or_default().push(ni);
        }
    }
    out
}

/// Each target's position in the endpoint list.
fn index_by_target(endpoints: &[Endpoint]) -> HashMap<Target, usize> {
    endpoints
        .iter()
        .enumerate()
        .map(|(e, ep)| (ep.target.clone(), e))
        .collect()
}

/// Each security group's members, as (endpoint, placement) positions.
fn security_group_members(endpoints: &[Endpoint]) -> HashMap<String, Vec<(usize, usize)>> {
    let mut members: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
    for (e, ep) in endpoints.iter().enumerate() {
        for (p, pl) in ep.placements.iter().enumerate() {
            for g in &pl.groups {
                let list = members.entry(g.clone()).or_default();
                if !list.contains(&(e, p)) {
                    list.push((e, p));
                }
            }
        }
    }
    members
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

/// The IPv6 blocks of a VPC or subnet, each with its place in the evidence.
fn ipv6_blocks<'v>(
    at: &Located,
    blocks: &'v [ec2::Ipv6CidrBlockAssociation],
) -> impl Iterator<Item = (Located, &'v String)> {
    let set = at.field("Ipv6CidrBlockAssociationSet");
    blocks
        .iter()
        .enumerate()
        .map(move |(j, c)| (set.item(j).field("Ipv6CidrBlock"), &c.ipv6_cidr_block))
}

/// The addresses of a resource's CIDR blocks; a block that cannot be read is
/// recorded as a problem of `resource`, naming its place and value.
fn parse_blocks<'v>(
    blocks: impl IntoIterator<Item = (Located, &'v String)>,
    resource: &str,
    problems: &mut Vec<EvidenceProblem>,
) -> AddressSet {
    let mut out = AddressSet::empty();
    for (place, text) in blocks {
        match AddressSet::parse(text) {
            Ok(a) => out.extend(&a),
            Err(e) => problems.push(place.problem(resource, text.clone(), e.reason)),
        }
    }
    out
}

/// The interface addresses of instances and network interfaces that cannot be
/// read, by the endpoint they belong to, each named by its evidence and field.
fn unreadable_addresses(region: &str, ec2: &Ec2Evidence) -> HashMap<Target, Vec<String>> {
    let mut out: HashMap<Target, Vec<String>> = HashMap::new();
    let mut check = |target: Target, key: &EvidenceKey, place: String, text: &str| {
        if let Err(e) = AddressSet::parse(text) {
            out.entry(target).or_default().push(format!(
                "{key}, {place} = {text:?} cannot be read ({})",
                e.reason
            ));
        }
    };
    let instances_key = ec2::DESCRIBE_INSTANCES.key(region);
    for inst in present(&ec2.instances) {
        let target = Target::Instance(inst.instance_id.clone());
        let id = &inst.instance_id;
        for (field, text) in [
            ("PrivateIpAddress", &inst.private_ip_address),
            ("PublicIpAddress", &inst.public_ip_address),
        ] {
            if let Some(text) = text {
                check(
                    target.clone(),
                    &instances_key,
                    format!("instance {id} {field}"),
                    text,
                );
            }
        }
        for (i, ni) in inst.network_interfaces.iter().enumerate() {
            for (k, p) in ni.private_ip_addresses.iter().enumerate() {
                if let Some(text) = &p.private_ip_address {
                    let place = format!(
                        "instance {id} NetworkInterfaces[{i}].PrivateIpAddresses[{k}].PrivateIpAddress"
                    );
                    check(target.clone(), &instances_key, place, text);
                }
            }
            for (k, a) in ni.ipv6_addresses.iter().enumerate() {
                let place =
                    format!("instance {id} NetworkInterfaces[{i}].Ipv6Addresses[{k}].Ipv6Address");
                check(target.clone(), &instances_key, place, &a.ipv6_address);
            }
        }
    }
    let interfaces_key = ec2::DESCRIBE_NETWORK_INTERFACES.key(region);
    for (i, ni) in present(&ec2.network_interfaces).iter().enumerate() {
        let target = match ni.attachment.as_ref().and_then(|a| a.instance_id.clone()) {
            Some(instance) => Target::Instance(instance),
            None => Target::NetworkInterface(ni.network_interface_id.clone()),
        };
        if let Some(text) = &ni.private_ip_address {
            let place = format!("NetworkInterfaces[{i}].PrivateIpAddress");
            check(target.clone(), &interfaces_key, place, text);
        }
        for (k, p) in ni.private_ip_addresses.iter().enumerate() {
            if let Some(text) = &p.private_ip_address {
                let place =
                    format!("NetworkInterfaces[{i}].PrivateIpAddresses[{k}].PrivateIpAddress");
                check(target.clone(), &interfaces_key, place, text);
            }
        }
        for (k, a) in ni.ipv6_addresses.iter().enumerate() {
            let place = format!("NetworkInterfaces[{i}].Ipv6Addresses[{k}].Ipv6Address");
            check(target.clone(), &interfaces_key, place, &a.ipv6_address);
        }
    }
    out
}

/// A network interface, as describe-network-interfaces reports it.
fn interface_placement(ni: &ec2::NetworkInterface, elastic_ips: &ElasticIps) -> Placement {
    Placement {
        interface_id: Some(ni.network_interface_id.clone()),
        subnet_id: ni.subnet_id.clone(),
        groups: group_ids(&ni.groups),
        groups_enforced: true,
        private: interface_private_addresses(ni),
        public_ipv4: public_ipv4(
            ni.association.as_ref(),
            &ni.private_ip_addresses,
            Some(&ni.network_interface_id),
            elastic_ips,
        ),
        ipv6: ipv6_addresses(&ni.ipv6_addresses),
    }
}

/// The private addresses of a network interface, its primary one included.
fn interface_private_addresses(ni: &ec2::NetworkInterface) -> AddressSet {
    let mut private = listed_private_addresses(&ni.private_ip_addresses);
    private.extend(&addresses(ni.private_ip_address.as_deref()));
    private
}

/// The addresses of an interface's `PrivateIpAddresses` list.
fn listed_private_addresses(private_ips: &[ec2::PrivateIpAddress]) -> AddressSet {
    addresses(
        private_ips
            .iter()
            .filter_map(|p| p.private_ip_address.as_deref()),
    )
}

/// An interface's global IPv6 addresses.
fn ipv6_addresses(ipv6: &[ec2::Ipv6Address]) -> AddressSet {
    addresses(ipv6.iter().map(|a| a.ipv6_address.as_str()))
}

/// An interface's public IPv4: associated with it or a private address, else its Elastic IP.
fn public_ipv4(
    association: Option<&ec2::PublicIpAssociation>,
    private_ips: &[ec2::PrivateIpAddress],
    interface_id: Option<&str>,
    elastic_ips: &ElasticIps,
) -> Option<String> {
    association
        .and_then(|a| a.public_ip.clone())
        .or_else(|| {
            private_ips
                .iter()
                .find_map(|p| p.association.as_ref().and_then(|a| a.public_ip.clone()))
        })
        .or_else(|| interface_id.and_then(|id| elastic_ips.of_interface(id)))
}

/// The ids of the security groups in a `Groups` list.
fn group_ids(groups: &[ec2::GroupIdentifier]) -> Vec<String> {
    groups.iter().map(|g| g.group_id.clone()).collect()
}

/// What a load balancer's listeners accept, or the first listener whose port cannot be read.
fn listener_services(
    listeners: &[cartguard_inventory::elbv2::Listener],
    at: &Located,
) -> Result<ServiceSet, String> {
    let mut out = ServiceSet::empty();
    for (i, l) in listeners.iter().enumerate() {
        let Some(port) = l.port.and_then(|p| u16::try_from(p).ok()) else {
            let value = l
                .port
                .map_or_else(|| "(none)".to_string(), |p| p.to_string());
            return Err(at
                .item(i)
                .field("Port")
                .problem("listener", value, "not a port number".into())
                .to_string());
        };
        let protocol = l.protocol.as_deref().unwrap_or("TCP").to_ascii_uppercase();
        if protocol == "UDP" || protocol == "TCP_UDP" {
            out = out.union(&ServiceSet::port(Protocol::Udp, port));
        }
        if protocol != "UDP" {
            out = out.union(&ServiceSet::port(Protocol::Tcp, port));
        }
    }
    Ok(out)
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
