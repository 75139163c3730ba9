//! Everything the internet can reach in a region, and what is open but not (yet) reachable.

use serde::Serialize;

use crate::address::AddressSet;
use crate::nacl::{AdminPortEntry, MissingReturnPath, ShadowedEntry};
use crate::network::{Evidence, Network, Target};
use crate::reach::{Reachability, Source, Verdict};
use crate::routing::RouteTarget;
use crate::security_group::Peer;
use crate::service::ServiceSet;

/// Every internet-reachable endpoint of a region.
#[derive(Debug, Clone, Serialize)]
pub struct Exposure {
    /// The region.
    pub region: String,
    /// Endpoints with some traffic reachable from the internet.
    pub endpoints: Vec<Reachability>,
    /// Endpoints whose exposure the evidence cannot decide.
    pub not_assessed: Vec<Reachability>,
    /// Evidence missing for the whole region (nothing was assessed when non-empty).
    pub missing_evidence: Vec<String>,
}

/// Why a security group open to the world exposes nothing today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LatentReason {
    /// Nothing uses the group.
    NoMembers,
    /// Every member lacks a public address or an internet route.
    MembersNotAddressable,
}

/// A security group open to `0.0.0.0/0` or `::/0` whose members cannot be reached
/// from the internet: a risk the day one of them gets a public address.
#[derive(Debug, Clone, Serialize)]
pub struct LatentExposure {
    /// The group.
    pub group_id: String,
    /// Its VPC.
    pub vpc_id: Option<String>,
    /// The traffic it admits from the whole internet.
    pub open_ports: ServiceSet,
    /// Its members.
    pub members: Vec<Target>,
    /// Why nothing is exposed today.
    pub reason: LatentReason,
    /// Rules that cannot be read, so the group may admit more from the
    /// internet than `open_ports` (each with where it is in the evidence).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unreadable: Vec<String>,
}

/// The network ACL analyses of a region.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AclFindings {
    /// Entries that can never match.
    pub shadowed: Vec<ShadowedEntry>,
    /// Flows admitted one way whose replies are dropped.
    pub missing_return_paths: Vec<MissingReturnPath>,
    /// Inbound entries admitting SSH or RDP from the whole internet.
    pub admin_ports: Vec<AdminPortEntry>,
    /// Evidence missing for the analyses (nothing was assessed when non-empty).
    pub missing_evidence: Vec<String>,
}

impl Network<'_> {
    /// Every endpoint (instance, standalone interface, database, load balancer)
    /// the internet can reach, with reachable ports and paths.
    pub fn exposure(&self) -> Exposure {
        let mut out = Exposure {
            region: self.region.clone(),
            endpoints: Vec::new(),
            not_assessed: Vec::new(),
            missing_evidence: self.missing(&[
                Evidence::Subnets,
                Evidence::RouteTables,
                Evidence::NetworkAcls,
                Evidence::SecurityGroups,
            ]),
        };
        if !out.missing_evidence.is_empty() {
            return out;
        }
        // The list of workloads itself may be missing: say so rather than report none.
        for kind in [
            Evidence::Instances,
            Evidence::NetworkInterfaces,
            Evidence::DbInstances,
            Evidence::LoadBalancers,
        ] {
            out.missing_evidence.extend(self.missing(&[kind]));
        }
        let all = ServiceSet::all();
        for ep in &self.endpoints {
            if !ep.running {
                continue;
            }
            // Without a public address of either family nothing on the internet can
            // address the endpoint, so the full evaluation is skipped.
            let addressable = ep
                .placements
                .iter()
                .any(|p| p.public_ipv4.is_some() || p.ipv6.intersects(AddressSet::internet()));
            if !addressable && ep.unknown.is_empty() {
                continue;
            }
            let r = self.reach(&Source::Internet, &ep.target, &all);
            match r.status {
                Verdict::Reachable => out.endpoints.push(r),
                Verdict::NotAssessed => out.not_assessed.push(r),
                Verdict::Unreachable => {}
            }
        }
        out
    }

    /// Shadowed entries, missing return paths and administration ports of every network ACL.
    pub fn acl_findings(&self) -> AclFindings {
        let mut out = AclFindings {
            missing_evidence: self.missing(&[Evidence::NetworkAcls]),
            ..Default::default()
        };
        for acl in &self.acls {
            out.shadowed.extend(acl.shadowed_entries());
            out.missing_return_paths.extend(acl.missing_return_paths());
            out.admin_ports.extend(acl.admin_port_entries());
        }
        out
    }

    /// Security groups open to the whole internet whose members are all
    /// unreachable from it (or that have no members).
    pub fn latent_exposure(&self) -> Vec<LatentExposure> {
        let mut out = Vec::new();
        for g in &self.groups {
            let mut open = ServiceSet::empty();
            let mut unreadable = Vec::new();
            for rule in &g.ingress {
                let mut world = false;
                for peer in &rule.peers {
                    match peer {
                        Peer::Cidr { addresses, .. } => world |= addresses.covers_internet_family(),
                        Peer::PrefixList {
                            addresses: Some(addresses),
                            ..
                        } => world |= addresses.covers_internet_family(),
                        Peer::PrefixList {
                            id,
                            addresses: None,
                        } => unreadable.push(format!(
                            "the entries of prefix list {id} (ec2:GetManagedPrefixListEntries) are unknown"
                        )),
                        Peer::Unreadable { reason } => unreadable.push(reason.clone()),
                        Peer::Group(_) => {}
                    }
                }
                match &rule.problem {
                    // What an unreadable rule admits, and from where, is unknown.
                    Some(problem) => unreadable.push(problem.clone()),
                    None if world => open = open.union(&rule.services),
                    None => {}
                }
            }
            if open.is_empty() && unreadable.is_empty() {
                continue;
            }
            let members = self.attachments(g.id());
            let reason = if members.is_empty() {
                LatentReason::NoMembers
            } else {
                let placements = self
                    .members
                    .get(g.id())
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                // A member whose addresses or placement are not fully known may
                // be addressable: the group is then not called latent.
                let any_addressable = placements.iter().any(|&(e, p)| {
                    !self.endpoints[e].unknown.is_empty()
                        || self.addressable(&self.endpoints[e].placements[p]) != Some(false)
                });
                if any_addressable {
                    continue;
                }
                LatentReason::MembersNotAddressable
            };
            out.push(LatentExposure {
                group_id: g.id().to_string(),
                vpc_id: g.raw.vpc_id.clone(),
                open_ports: open,
                members,
                reason,
                unreadable,
            });
        }
        out
    }

    /// Whether the internet can address a placement at all (`None`: unknown).
    fn addressable(&self, p: &crate::network::Placement) -> Option<bool> {
        let subnet = self.subnets.get(p.subnet_id.as_deref()?)?;
        let rt = &self.route_tables[subnet.route_table?];
        let v4 =
            p.public_ipv4.is_some() && rt.internet.ipv4().intersects(AddressSet::internet().ipv4());
        let v6 = p.ipv6.intersects(AddressSet::internet())
            && rt.routes.iter().any(|r| {
                r.target == RouteTarget::InternetGateway
                    && r.effective.ipv6().intersects(AddressSet::internet().ipv6())
            });
        Some(v4 || v6)
    }
}
