//! The EC2 evidence of one region: networking and instances.

use cartguard_inventory::Collected;
use cartguard_inventory::ec2::{
    Address, DESCRIBE_ADDRESSES, DESCRIBE_FLOW_LOGS, DESCRIBE_INSTANCES,
    DESCRIBE_INTERNET_GATEWAYS, DESCRIBE_MANAGED_PREFIX_LISTS, DESCRIBE_NAT_GATEWAYS,
    DESCRIBE_NETWORK_ACLS, DESCRIBE_NETWORK_INTERFACES, DESCRIBE_ROUTE_TABLES,
    DESCRIBE_SECURITY_GROUPS, DESCRIBE_SUBNETS, DESCRIBE_VOLUMES, DESCRIBE_VPCS, Ec2Evidence,
    FlowLog, GET_EBS_ENCRYPTION_BY_DEFAULT, GET_MANAGED_PREFIX_LIST_ENTRIES, Instance,
    InternetGateway, ManagedPrefixList, NatGateway, NetworkAcl, NetworkInterface, RouteTable,
    SecurityGroup, Subnet, Volume, Vpc,
};

use super::{part, response};
use crate::EvidenceError;
use crate::folder::{Reader, decode};
use crate::layout::file_of;

response!(VpcsResponse { vpcs: "Vpcs" => Vec<Vpc> });
response!(SubnetsResponse { subnets: "Subnets" => Vec<Subnet> });
response!(RouteTablesResponse { tables: "RouteTables" => Vec<RouteTable> });
response!(InternetGatewaysResponse { gateways: "InternetGateways" => Vec<InternetGateway> });
response!(NatGatewaysResponse { gateways: "NatGateways" => Vec<NatGateway> });
response!(NetworkAclsResponse { acls: "NetworkAcls" => Vec<NetworkAcl> });
response!(SecurityGroupsResponse { groups: "SecurityGroups" => Vec<SecurityGroup> });
response!(InstancesResponse { reservations: "Reservations" => Vec<Reservation> });
part!(Reservation { instances: "Instances" => Vec<Instance> });
response!(InterfacesResponse { interfaces: "NetworkInterfaces" => Vec<NetworkInterface> });
response!(AddressesResponse { addresses: "Addresses" => Vec<Address> });
response!(FlowLogsResponse { flow_logs: "FlowLogs" => Vec<FlowLog> });
response!(PrefixListsResponse { lists: "PrefixLists" => Vec<ManagedPrefixList> });
response!(PrefixListEntriesResponse { entries: "Entries" => Vec<PrefixListEntry> });
part!(PrefixListEntry { cidr: "Cidr" => String });
response!(VolumesResponse { volumes: "Volumes" => Vec<Volume> });
response!(EbsEncryptionByDefaultResponse { enabled: "EbsEncryptionByDefault" => bool });

/// Reads the region's EC2 evidence.
pub(crate) fn read(
    reader: &mut Reader,
    region: &str,
    e: &mut Ec2Evidence,
) -> Result<(), EvidenceError> {
    e.vpcs = reader.load(&DESCRIBE_VPCS.key(region), |r: VpcsResponse| r.vpcs)?;
    e.subnets = reader.load(&DESCRIBE_SUBNETS.key(region), |r: SubnetsResponse| {
        r.subnets
    })?;
    e.route_tables = reader.load(
        &DESCRIBE_ROUTE_TABLES.key(region),
        |r: RouteTablesResponse| r.tables,
    )?;
    e.internet_gateways = reader.load(
        &DESCRIBE_INTERNET_GATEWAYS.key(region),
        |r: InternetGatewaysResponse| r.gateways,
    )?;
    e.nat_gateways = reader.load(
        &DESCRIBE_NAT_GATEWAYS.key(region),
        |r: NatGatewaysResponse| r.gateways,
    )?;
    e.network_acls = reader.load(
        &DESCRIBE_NETWORK_ACLS.key(region),
        |r: NetworkAclsResponse| r.acls,
    )?;
    // The three largest files of a region are parsed side by side.
    let groups_key = DESCRIBE_SECURITY_GROUPS.key(region);
    let instances_key = DESCRIBE_INSTANCES.key(region);
    let interfaces_key = DESCRIBE_NETWORK_INTERFACES.key(region);
    let rel = |key| file_of(key).unwrap_or_default();
    let texts = (
        reader.take(&rel(&groups_key)),
        reader.take(&rel(&instances_key)),
        reader.take(&rel(&interfaces_key)),
    );
    let root = &reader.root;
    let (groups, (instances, interfaces)) = rayon::join(
        || {
            decode(root, &groups_key, texts.0, |r: SecurityGroupsResponse| {
                r.groups
            })
        },
        || {
            rayon::join(
                || {
                    decode(root, &instances_key, texts.1, |r: InstancesResponse| {
                        r.reservations
                            .into_iter()
                            .flat_map(|r| r.instances)
                            .collect()
                    })
                },
                || {
                    decode(root, &interfaces_key, texts.2, |r: InterfacesResponse| {
                        r.interfaces
                    })
                },
            )
        },
    );
    // Errors are reported in reading order, whichever thread met them first.
    e.security_groups = groups?;
    e.instances = instances?;
    e.network_interfaces = interfaces?;
    e.addresses = reader.load(&DESCRIBE_ADDRESSES.key(region), |r: AddressesResponse| {
        r.addresses
    })?;
    e.flow_logs = reader.load(&DESCRIBE_FLOW_LOGS.key(region), |r: FlowLogsResponse| {
        r.flow_logs
    })?;
    let entries = reader.load_each(
        GET_MANAGED_PREFIX_LIST_ENTRIES,
        region,
        |r: PrefixListEntriesResponse| r.entries.into_iter().map(|e| e.cidr).collect::<Vec<_>>(),
    )?;
    e.prefix_lists = reader.load(
        &DESCRIBE_MANAGED_PREFIX_LISTS.key(region),
        |r: PrefixListsResponse| {
            r.lists
                .into_iter()
                .map(|mut list| {
                    if let Some(Collected::Present(cidrs)) = entries.get(&list.prefix_list_id) {
                        list.entries = cidrs.clone();
                    }
                    list
                })
                .collect()
        },
    )?;
    e.volumes = reader.load(&DESCRIBE_VOLUMES.key(region), |r: VolumesResponse| {
        r.volumes
    })?;
    e.ebs_encryption_by_default = reader.load(
        &GET_EBS_ENCRYPTION_BY_DEFAULT.key(region),
        |r: EbsEncryptionByDefaultResponse| r.enabled,
    )?;
    Ok(())
}
