//! EC2 in one region: networking, instances, volumes, and the account's
//! enabled regions.

use aws_sdk_ec2::types as sdk;
use cartguard_inventory::Tag;
use cartguard_inventory::ec2::*;

use crate::answer::error_code;
use crate::config::{Clients, ConnectError};
use crate::scope::{Scope, all_pages};
use crate::time::opt;

/// The regions enabled for the account (`ec2:DescribeRegions`).
pub(crate) async fn enabled_regions(clients: &Clients) -> Result<Vec<String>, ConnectError> {
    let ec2 = aws_sdk_ec2::Client::from_conf(
        aws_sdk_ec2::config::Builder::from(&clients.base)
            .interceptor(clients.log.clone())
            .build(),
    );
    // Without AllRegions, only the regions enabled for the account are listed.
    let answer = ec2.describe_regions().send().await.map_err(|e| {
        let (code, message) = error_code(&e);
        ConnectError::Regions(format!("{code}: {message}"))
    })?;
    let mut regions: Vec<String> = answer
        .regions
        .unwrap_or_default()
        .into_iter()
        .filter_map(|r| r.region_name)
        .collect();
    regions.sort();
    Ok(regions)
}

/// Collects the region's EC2 evidence.
pub(crate) async fn collect(clients: &Clients, region: &str, scope: Scope) -> Ec2Evidence {
    let ec2 = &clients.ec2(region);
    let vpcs = all_pages!(scope, &DESCRIBE_VPCS, ec2.describe_vpcs());
    let subnets = all_pages!(scope, &DESCRIBE_SUBNETS, ec2.describe_subnets());
    let route_tables = all_pages!(scope, &DESCRIBE_ROUTE_TABLES, ec2.describe_route_tables());
    let gateways = all_pages!(
        scope,
        &DESCRIBE_INTERNET_GATEWAYS,
        ec2.describe_internet_gateways()
    );
    let nat = all_pages!(scope, &DESCRIBE_NAT_GATEWAYS, ec2.describe_nat_gateways());
    let acls = all_pages!(scope, &DESCRIBE_NETWORK_ACLS, ec2.describe_network_acls());
    let groups = all_pages!(
        scope,
        &DESCRIBE_SECURITY_GROUPS,
        ec2.describe_security_groups()
    );
    let instances = all_pages!(scope, &DESCRIBE_INSTANCES, ec2.describe_instances());
    let interfaces = all_pages!(
        scope,
        &DESCRIBE_NETWORK_INTERFACES,
        ec2.describe_network_interfaces()
    );
    let addresses = scope.call(&DESCRIBE_ADDRESSES, async {
        ec2.describe_addresses().send().await
    });
    let flow_logs = all_pages!(scope, &DESCRIBE_FLOW_LOGS, ec2.describe_flow_logs());
    let prefix_lists = prefix_lists(ec2, &scope);
    let volumes = all_pages!(scope, &DESCRIBE_VOLUMES, ec2.describe_volumes());
    let ebs_default = scope.call(&GET_EBS_ENCRYPTION_BY_DEFAULT, async {
        ec2.get_ebs_encryption_by_default().send().await
    });
    let (
        (vpcs, subnets, route_tables, gateways, nat, acls, groups),
        (instances, interfaces, addresses, flow_logs, prefix_lists, volumes, ebs_default),
    ) = tokio::join!(
        async { tokio::join!(vpcs, subnets, route_tables, gateways, nat, acls, groups) },
        async {
            tokio::join!(
                instances,
                interfaces,
                addresses,
                flow_logs,
                prefix_lists,
                volumes,
                ebs_default
            )
        },
    );
    scope.done();
    Ec2Evidence {
        vpcs: vpcs.map(|pages| {
            pages
                .into_iter()
                .flat_map(|p| p.vpcs.unwrap_or_default())
                .map(vpc)
                .collect()
        }),
        subnets: subnets.map(|pages| {
            pages
                .into_iter()
                .flat_map(|p| p.subnets.unwrap_or_default())
                .map(subnet)
                .collect()
        }),
        route_tables: route_tables.map(|pages| {
            pages
                .into_iter()
                .flat_map(|p| p.route_tables.unwrap_or_default())
                .map(route_table)
                .collect()
        }),
        internet_gateways: gateways.map(|pages| {
            pages
                .into_iter()
                .flat_map(|p| p.internet_gateways.unwrap_or_default())
                .map(internet_gateway)
                .collect()
        }),
        nat_gateways: nat.map(|pages| {
            pages
                .into_iter()
                .flat_map(|p| p.nat_gateways.unwrap_or_default())
                .map(nat_gateway)
                .collect()
        }),
        network_acls: acls.map(|pages| {
            pages
                .into_iter()
                .flat_map(|p| p.network_acls.unwrap_or_default())
                .map(network_acl)
                .collect()
        }),
        security_groups: groups.map(|pages| {
            pages
                .into_iter()
                .flat_map(|p| p.security_groups.unwrap_or_default())
                .map(security_group)
                .collect()
        }),
        instances: instances.map(|pages| {
            pages
                .into_iter()
                .flat_map(|p| p.reservations.unwrap_or_default())
                .flat_map(|r| r.instances.unwrap_or_default())
                .map(instance)
                .collect()
        }),
        network_interfaces: interfaces.map(|pages| {
            pages
                .into_iter()
                .flat_map(|p| p.network_interfaces.unwrap_or_default())
                .map(network_interface)
                .collect()
        }),
        addresses: addresses.map(|a| {
            a.addresses
                .unwrap_or_default()
                .into_iter()
                .filter_map(address)
                .collect()
        }),
        flow_logs: flow_logs.map(|pages| {
            pages
                .into_iter()
                .flat_map(|p| p.flow_logs.unwrap_or_default())
                .map(flow_log)
                .collect()
        }),
        prefix_lists,
        volumes: volumes.map(|pages| {
            pages
                .into_iter()
                .flat_map(|p| p.volumes.unwrap_or_default())
                .map(volume)
                .collect()
        }),
        ebs_encryption_by_default: ebs_default
            .map(|a| a.ebs_encryption_by_default.unwrap_or(false)),
    }
}

/// The managed prefix lists with their entries (one call per list).
async fn prefix_lists(
    ec2: &aws_sdk_ec2::Client,
    scope: &Scope,
) -> cartguard_inventory::Collected<Vec<ManagedPrefixList>> {
    let lists = all_pages!(
        scope,
        &DESCRIBE_MANAGED_PREFIX_LISTS,
        ec2.describe_managed_prefix_lists()
    )
    .await;
    let lists: Vec<sdk::ManagedPrefixList> = match lists.into_present() {
        Ok(pages) => pages
            .into_iter()
            .flat_map(|p| p.prefix_lists.unwrap_or_default())
            .collect(),
        Err(absent) => return absent,
    };
    let ids = lists
        .iter()
        .filter_map(|l| l.prefix_list_id.clone())
        .collect();
    let entries = scope
        .each(&GET_MANAGED_PREFIX_LIST_ENTRIES, ids, |id| async move {
            ec2.get_managed_prefix_list_entries()
                .prefix_list_id(id)
                .into_paginator()
                .send()
                .try_collect()
                .await
        })
        .await;
    cartguard_inventory::Collected::Present(
        lists
            .into_iter()
            .filter_map(|l| {
                let id = l.prefix_list_id?;
                let cidrs = entries
                    .get(&cartguard_evidence::layout::safe_name(&id))
                    .and_then(|e| e.present())
                    .map(|pages| {
                        pages
                            .iter()
                            .flat_map(|p| p.entries())
                            .filter_map(|e| e.cidr.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                Some(ManagedPrefixList {
                    prefix_list_id: id,
                    prefix_list_name: l.prefix_list_name,
                    entries: cidrs,
                })
            })
            .collect(),
    )
}

fn text<T: AsRef<str>>(value: Option<T>) -> Option<String> {
    value.map(|v| v.as_ref().to_string())
}

fn tags(tags: Option<Vec<sdk::Tag>>) -> Vec<Tag> {
    tags.unwrap_or_default()
        .into_iter()
        .filter_map(|t| {
            Some(Tag {
                key: t.key?,
                value: t.value.unwrap_or_default(),
            })
        })
        .collect()
}

fn vpc(v: sdk::Vpc) -> Vpc {
    Vpc {
        vpc_id: v.vpc_id.unwrap_or_default(),
        cidr_block: v.cidr_block,
        cidr_block_association_set: v
            .cidr_block_association_set
            .unwrap_or_default()
            .into_iter()
            .filter_map(|a| {
                Some(CidrBlockAssociation {
                    cidr_block: a.cidr_block?,
                })
            })
            .collect(),
        ipv6_cidr_block_association_set: v
            .ipv6_cidr_block_association_set
            .unwrap_or_default()
            .into_iter()
            .filter_map(|a| {
                Some(Ipv6CidrBlockAssociation {
                    ipv6_cidr_block: a.ipv6_cidr_block?,
                })
            })
            .collect(),
        is_default: v.is_default.unwrap_or(false),
        owner_id: v.owner_id,
        tags: tags(v.tags),
    }
}

fn subnet(s: sdk::Subnet) -> Subnet {
    Subnet {
        subnet_id: s.subnet_id.unwrap_or_default(),
        vpc_id: s.vpc_id.unwrap_or_default(),
        cidr_block: s.cidr_block,
        ipv6_cidr_block_association_set: s
            .ipv6_cidr_block_association_set
            .unwrap_or_default()
            .into_iter()
            .filter_map(|a| {
                Some(Ipv6CidrBlockAssociation {
                    ipv6_cidr_block: a.ipv6_cidr_block?,
                })
            })
            .collect(),
        availability_zone: s.availability_zone,
        map_public_ip_on_launch: s.map_public_ip_on_launch.unwrap_or(false),
        tags: tags(s.tags),
    }
}

fn route_table(t: sdk::RouteTable) -> RouteTable {
    RouteTable {
        route_table_id: t.route_table_id.unwrap_or_default(),
        vpc_id: t.vpc_id.unwrap_or_default(),
        routes: t
            .routes
            .unwrap_or_default()
            .into_iter()
            .map(|r| Route {
                destination_cidr_block: r.destination_cidr_block,
                destination_ipv6_cidr_block: r.destination_ipv6_cidr_block,
                destination_prefix_list_id: r.destination_prefix_list_id,
                gateway_id: r.gateway_id,
                nat_gateway_id: r.nat_gateway_id,
                egress_only_internet_gateway_id: r.egress_only_internet_gateway_id,
                instance_id: r.instance_id,
                network_interface_id: r.network_interface_id,
                transit_gateway_id: r.transit_gateway_id,
                vpc_peering_connection_id: r.vpc_peering_connection_id,
                carrier_gateway_id: r.carrier_gateway_id,
                local_gateway_id: r.local_gateway_id,
                core_network_arn: r.core_network_arn,
                state: text(r.state),
            })
            .collect(),
        associations: t
            .associations
            .unwrap_or_default()
            .into_iter()
            .map(|a| RouteTableAssociation {
                main: a.main.unwrap_or(false),
                subnet_id: a.subnet_id,
                gateway_id: a.gateway_id,
            })
            .collect(),
        tags: tags(t.tags),
    }
}

fn internet_gateway(g: sdk::InternetGateway) -> InternetGateway {
    InternetGateway {
        internet_gateway_id: g.internet_gateway_id.unwrap_or_default(),
        attachments: g
            .attachments
            .unwrap_or_default()
            .into_iter()
            .filter_map(|a| {
                Some(GatewayAttachment {
                    vpc_id: a.vpc_id?,
                    state: text(a.state),
                })
            })
            .collect(),
        tags: tags(g.tags),
    }
}

fn nat_gateway(g: sdk::NatGateway) -> NatGateway {
    NatGateway {
        nat_gateway_id: g.nat_gateway_id.unwrap_or_default(),
        vpc_id: g.vpc_id,
        subnet_id: g.subnet_id,
        state: text(g.state),
        connectivity_type: text(g.connectivity_type),
        tags: tags(g.tags),
    }
}

fn network_acl(a: sdk::NetworkAcl) -> NetworkAcl {
    NetworkAcl {
        network_acl_id: a.network_acl_id.unwrap_or_default(),
        vpc_id: a.vpc_id.unwrap_or_default(),
        is_default: a.is_default.unwrap_or(false),
        entries: a
            .entries
            .unwrap_or_default()
            .into_iter()
            .map(|e| NetworkAclEntry {
                rule_number: e.rule_number.map(i64::from).unwrap_or_default(),
                protocol: e.protocol.unwrap_or_default(),
                rule_action: text(e.rule_action).unwrap_or_default(),
                egress: e.egress.unwrap_or(false),
                cidr_block: e.cidr_block,
                ipv6_cidr_block: e.ipv6_cidr_block,
                port_range: e.port_range.map(|p| PortRange {
                    from: p.from.map(i64::from).unwrap_or_default(),
                    to: p.to.map(i64::from).unwrap_or_default(),
                }),
                icmp_type_code: e.icmp_type_code.map(|c| IcmpTypeCode {
                    code: c.code.map(i64::from),
                    icmp_type: c.r#type.map(i64::from),
                }),
            })
            .collect(),
        associations: a
            .associations
            .unwrap_or_default()
            .into_iter()
            .filter_map(|a| {
                Some(NetworkAclAssociation {
                    subnet_id: a.subnet_id?,
                })
            })
            .collect(),
        tags: tags(a.tags),
    }
}

fn security_group(g: sdk::SecurityGroup) -> SecurityGroup {
    SecurityGroup {
        group_id: g.group_id.unwrap_or_default(),
        group_name: g.group_name.unwrap_or_default(),
        description: g.description,
        vpc_id: g.vpc_id,
        owner_id: g.owner_id,
        ip_permissions: permissions(g.ip_permissions),
        ip_permissions_egress: permissions(g.ip_permissions_egress),
        tags: tags(g.tags),
    }
}

fn permissions(rules: Option<Vec<sdk::IpPermission>>) -> Vec<IpPermission> {
    rules
        .unwrap_or_default()
        .into_iter()
        .map(|p| IpPermission {
            ip_protocol: p.ip_protocol.unwrap_or_else(|| "-1".to_string()),
            from_port: p.from_port.map(i64::from),
            to_port: p.to_port.map(i64::from),
            ip_ranges: p
                .ip_ranges
                .unwrap_or_default()
                .into_iter()
                .filter_map(|r| {
                    Some(IpRange {
                        cidr_ip: r.cidr_ip?,
                        description: r.description,
                    })
                })
                .collect(),
            ipv6_ranges: p
                .ipv6_ranges
                .unwrap_or_default()
                .into_iter()
                .filter_map(|r| {
                    Some(Ipv6Range {
                        cidr_ipv6: r.cidr_ipv6?,
                        description: r.description,
                    })
                })
                .collect(),
            user_id_group_pairs: p
                .user_id_group_pairs
                .unwrap_or_default()
                .into_iter()
                .map(|g| UserIdGroupPair {
                    group_id: g.group_id,
                    user_id: g.user_id,
                    vpc_id: g.vpc_id,
                    description: g.description,
                })
                .collect(),
            prefix_list_ids: p
                .prefix_list_ids
                .unwrap_or_default()
                .into_iter()
                .filter_map(|l| {
                    Some(PrefixListId {
                        prefix_list_id: l.prefix_list_id?,
                        description: l.description,
                    })
                })
                .collect(),
        })
        .collect()
}

fn group_ids(groups: Option<Vec<sdk::GroupIdentifier>>) -> Vec<GroupIdentifier> {
    groups
        .unwrap_or_default()
        .into_iter()
        .filter_map(|g| {
            Some(GroupIdentifier {
                group_id: g.group_id?,
                group_name: g.group_name,
            })
        })
        .collect()
}

fn instance(i: sdk::Instance) -> Instance {
    Instance {
        instance_id: i.instance_id.unwrap_or_default(),
        state: i.state.map(|s| InstanceState { name: text(s.name) }),
        subnet_id: i.subnet_id,
        vpc_id: i.vpc_id,
        private_ip_address: i.private_ip_address,
        public_ip_address: i.public_ip_address,
        iam_instance_profile: i.iam_instance_profile.and_then(|p| {
            Some(IamInstanceProfileRef {
                arn: p.arn?,
                id: p.id,
            })
        }),
        metadata_options: i.metadata_options.map(|m| MetadataOptions {
            http_tokens: text(m.http_tokens),
            http_endpoint: text(m.http_endpoint),
            http_put_response_hop_limit: m.http_put_response_hop_limit.map(i64::from),
            state: text(m.state),
        }),
        network_interfaces: i
            .network_interfaces
            .unwrap_or_default()
            .into_iter()
            .map(|n| InstanceNetworkInterface {
                network_interface_id: n.network_interface_id,
                subnet_id: n.subnet_id,
                vpc_id: n.vpc_id,
                groups: group_ids(n.groups),
                association: n.association.map(|a| PublicIpAssociation {
                    public_ip: a.public_ip,
                    ip_owner_id: a.ip_owner_id,
                }),
                private_ip_addresses: n
                    .private_ip_addresses
                    .unwrap_or_default()
                    .into_iter()
                    .map(|p| PrivateIpAddress {
                        private_ip_address: p.private_ip_address,
                        association: p.association.map(|a| PublicIpAssociation {
                            public_ip: a.public_ip,
                            ip_owner_id: a.ip_owner_id,
                        }),
                        primary: p.primary.unwrap_or(false),
                    })
                    .collect(),
                ipv6_addresses: n
                    .ipv6_addresses
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|a| {
                        Some(Ipv6Address {
                            ipv6_address: a.ipv6_address?,
                        })
                    })
                    .collect(),
            })
            .collect(),
        security_groups: group_ids(i.security_groups),
        launch_time: opt(i.launch_time.as_ref()),
        instance_type: text(i.instance_type),
        tags: tags(i.tags),
    }
}

fn network_interface(n: sdk::NetworkInterface) -> NetworkInterface {
    let public = |a: sdk::NetworkInterfaceAssociation| PublicIpAssociation {
        public_ip: a.public_ip,
        ip_owner_id: a.ip_owner_id,
    };
    NetworkInterface {
        network_interface_id: n.network_interface_id.unwrap_or_default(),
        interface_type: text(n.interface_type),
        subnet_id: n.subnet_id,
        vpc_id: n.vpc_id,
        description: n.description,
        groups: group_ids(n.groups),
        association: n.association.map(public),
        private_ip_address: n.private_ip_address,
        private_ip_addresses: n
            .private_ip_addresses
            .unwrap_or_default()
            .into_iter()
            .map(|p| PrivateIpAddress {
                private_ip_address: p.private_ip_address,
                association: p.association.map(public),
                primary: p.primary.unwrap_or(false),
            })
            .collect(),
        ipv6_addresses: n
            .ipv6_addresses
            .unwrap_or_default()
            .into_iter()
            .filter_map(|a| {
                Some(Ipv6Address {
                    ipv6_address: a.ipv6_address?,
                })
            })
            .collect(),
        attachment: n.attachment.map(|a| InterfaceAttachment {
            instance_id: a.instance_id,
        }),
    }
}

fn address(a: sdk::Address) -> Option<Address> {
    Some(Address {
        public_ip: a.public_ip?,
        allocation_id: a.allocation_id,
        instance_id: a.instance_id,
        network_interface_id: a.network_interface_id,
        private_ip_address: a.private_ip_address,
    })
}

fn flow_log(f: sdk::FlowLog) -> FlowLog {
    FlowLog {
        flow_log_id: f.flow_log_id.unwrap_or_default(),
        resource_id: f.resource_id.unwrap_or_default(),
        traffic_type: text(f.traffic_type),
        log_destination_type: text(f.log_destination_type),
        log_destination: f.log_destination,
        log_group_name: f.log_group_name,
        flow_log_status: f.flow_log_status,
    }
}

fn volume(v: sdk::Volume) -> Volume {
    Volume {
        volume_id: v.volume_id.unwrap_or_default(),
        encrypted: v.encrypted,
        kms_key_id: v.kms_key_id,
        state: text(v.state),
        size: v.size.map(i64::from),
        attachments: v
            .attachments
            .unwrap_or_default()
            .into_iter()
            .map(|a| VolumeAttachment {
                instance_id: a.instance_id,
                device: a.device,
                state: text(a.state),
            })
            .collect(),
        tags: tags(v.tags),
    }
}
