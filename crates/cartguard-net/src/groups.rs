//! Questions rules ask about security groups: who uses them and what they admit.

use cartguard_inventory::ec2;
use serde::Serialize;

use crate::network::{Network, Target};
use crate::security_group::Peer;
use crate::service::{Protocol, ServiceSet};

/// Ports of databases, caches and search engines that should never face the internet.
pub const DATABASE_PORTS: &[u16] = &[
    1433,  // SQL Server
    1521,  // Oracle
    2483,  // Oracle over TCP
    2484,  // Oracle over TLS
    3306,  // MySQL, MariaDB, Aurora MySQL
    5432,  // PostgreSQL, Aurora PostgreSQL
    5439,  // Redshift
    5601,  // Kibana / OpenSearch Dashboards
    6379,  // Redis, Valkey
    7000,  // Cassandra inter-node
    7001,  // Cassandra inter-node over TLS
    8086,  // InfluxDB
    9042,  // Cassandra
    9200,  // Elasticsearch, OpenSearch
    9300,  // Elasticsearch transport
    11211, // Memcached
    27017, // MongoDB, DocumentDB
    27018, // MongoDB shard
    50000, // DB2
];

/// The sources a security group's ingress rules name.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IngressSources {
    /// Referenced security groups.
    pub security_groups: Vec<String>,
    /// CIDR blocks, as written.
    pub cidrs: Vec<String>,
    /// Referenced prefix lists.
    pub prefix_lists: Vec<String>,
    /// Sources that cannot be read (a malformed CIDR, a group reference without
    /// an id), with where they are in the evidence.
    pub unreadable: Vec<String>,
}

impl IngressSources {
    /// Whether every ingress source is another security group (and there is at least one).
    pub fn only_security_groups(&self) -> bool {
        !self.security_groups.is_empty()
            && self.cidrs.is_empty()
            && self.prefix_lists.is_empty()
            && self.unreadable.is_empty()
    }
}

impl Network<'_> {
    /// The resources a security group is attached to.
    pub fn attachments(&self, group_id: &str) -> Vec<Target> {
        let mut out: Vec<Target> = Vec::new();
        for &(e, _) in self
            .members
            .get(group_id)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let t = &self.endpoints[e].target;
            if !out.contains(t) {
                out.push(t.clone());
            }
        }
        out
    }

    /// Whether a security group guards a database tier: it is attached to an RDS
    /// instance or admits traffic on a database port.
    pub fn is_database_tier(&self, group_id: &str) -> bool {
        if self
            .attachments(group_id)
            .iter()
            .any(|t| matches!(t, Target::Database(_)))
        {
            return true;
        }
        let Some(g) = self.group(group_id) else {
            return false;
        };
        let db_ports = DATABASE_PORTS.iter().fold(ServiceSet::empty(), |acc, &p| {
            acc.union(&ServiceSet::port(Protocol::Tcp, p))
        });
        // A rule for all traffic says nothing about the group's role.
        g.ingress
            .iter()
            .any(|r| r.services != ServiceSet::all() && r.services.intersects(&db_ports))
    }

    /// Why the traffic some of a security group's rules admit cannot be read
    /// (an unknown protocol, a port range out of bounds), ingress or egress.
    pub fn unreadable_traffic(&self, group_id: &str, ingress: bool) -> Vec<String> {
        let Some(g) = self.group(group_id) else {
            return Vec::new();
        };
        let rules = if ingress { &g.ingress } else { &g.egress };
        rules.iter().filter_map(|r| r.problem.clone()).collect()
    }

    /// The sources a security group's ingress rules name (`None` for an unknown group).
    pub fn ingress_sources(&self, group_id: &str) -> Option<IngressSources> {
        let g = self.group(group_id)?;
        let mut out = IngressSources::default();
        for rule in &g.ingress {
            for peer in &rule.peers {
                let (list, value) = match peer {
                    Peer::Cidr { text, .. } => (&mut out.cidrs, text),
                    Peer::Unreadable { reason } => (&mut out.unreadable, reason),
                    Peer::Group(id) => (&mut out.security_groups, id),
                    Peer::PrefixList { id, .. } => (&mut out.prefix_lists, id),
                };
                if !list.contains(value) {
                    list.push(value.clone());
                }
            }
        }
        Some(out)
    }

    /// A VPC's default security group (the one named `default`).
    pub fn default_security_group(&self, vpc_id: &str) -> Option<&ec2::SecurityGroup> {
        self.groups
            .iter()
            .map(|g| g.raw)
            .find(|g| g.group_name == "default" && g.vpc_id.as_deref() == Some(vpc_id))
    }

    /// Whether a security group lets all traffic out to every IPv4 or IPv6 address.
    pub fn egress_unrestricted(&self, group_id: &str) -> bool {
        self.group(group_id).is_some_and(|g| {
            g.egress.iter().any(|r| {
                r.services == ServiceSet::all()
                    && r.peers.iter().any(|p| match p {
                        Peer::Cidr { addresses, .. } => {
                            addresses.ipv4().is_full() || addresses.ipv6().is_full()
                        }
                        _ => false,
                    })
            })
        })
    }
}
