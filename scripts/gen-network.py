#!/usr/bin/env python3
"""Generate a synthetic AWS region for benchmarking cartguard's network engine.

Usage:
    scripts/gen-network.py --out FILE [--format snapshot] [size options]
    scripts/gen-network.py --out DIR --format evidence [size options]

Formats:
    snapshot   one cartguard snapshot (inventory JSON): schema, accounts[0].regions.REGION
    evidence   an evidence folder of AWS CLI outputs (--output json shapes):
               ec2/REGION/describe-*.json, ec2/REGION/get-managed-prefix-list-entries/PL.json,
               rds/REGION/describe-db-instances.json,
               elbv2/REGION/describe-load-balancers.json, elbv2/REGION/describe-listeners/NAME.json

Default size: 200 VPCs, 2,000 subnets, 20,000 security-group rules, 5,000 instances,
plus network ACLs (some with shadowed entries and missing return paths), databases,
load balancers and prefix lists. The output is deterministic for a given --seed.
"""

import argparse
import json
import os
import random
import sys

ACCOUNT = "111122223333"


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="output file (snapshot) or folder (evidence)")
    p.add_argument("--format", choices=["snapshot", "evidence"], default="snapshot")
    p.add_argument("--region", default="us-east-1")
    p.add_argument("--vpcs", type=int, default=200)
    p.add_argument("--subnets", type=int, default=2000, help="total, spread evenly over the VPCs")
    p.add_argument("--rules", type=int, default=20000, help="total security-group rules")
    p.add_argument("--instances", type=int, default=5000)
    p.add_argument("--seed", type=int, default=42)
    args = p.parse_args(argv)
    if args.vpcs < 1 or args.vpcs > 4096:
        p.error("--vpcs must be between 1 and 4096")
    if args.subnets < args.vpcs or args.subnets // args.vpcs > 256:
        p.error("--subnets must give each VPC between 1 and 256 subnets")
    return args


def vpc_cidr(i):
    # 10.0.0.0/8 holds 256 /16s; beyond that, spill into 172.16.0.0/12 and 192.168.0.0/16.
    if i < 256:
        return f"10.{i}", f"10.{i}.0.0/16"
    i -= 256
    return f"172.{16 + i // 256}.{i % 256}", f"172.{16 + i // 256}.{i % 256}.0/24"


def entry(n, egress, action, protocol, cidr, ports=None, icmp=None):
    e = {"RuleNumber": n, "Protocol": protocol, "RuleAction": action, "Egress": egress}
    e["Ipv6CidrBlock" if ":" in cidr else "CidrBlock"] = cidr
    if ports:
        e["PortRange"] = {"From": ports[0], "To": ports[1]}
    if icmp is not None:
        e["IcmpTypeCode"] = {"Type": icmp, "Code": -1}
    return e


def implicit_denies():
    return [
        entry(32767, False, "deny", "-1", "0.0.0.0/0"),
        entry(32768, False, "deny", "-1", "::/0"),
        entry(32767, True, "deny", "-1", "0.0.0.0/0"),
        entry(32768, True, "deny", "-1", "::/0"),
    ]


def generate(args):
    rnd = random.Random(args.seed)
    ec2 = {k: [] for k in [
        "vpcs", "subnets", "route_tables", "internet_gateways", "nat_gateways", "network_acls",
        "security_groups", "instances", "network_interfaces", "addresses", "flow_logs", "prefix_lists",
    ]}
    dbs, lbs, listeners = [], [], {}

    prefix_lists = []
    for k in range(5):
        pl = {"PrefixListId": f"pl-{k:017x}", "PrefixListName": f"corp-{k}",
              "Entries": [f"198.51.{100 + k}.{16 * j}/28" for j in range(8)]}
        prefix_lists.append(pl)
    ec2["prefix_lists"] = prefix_lists

    subnets_per_vpc = args.subnets // args.vpcs
    extra_subnets = args.subnets % args.vpcs
    rules_left = args.rules
    groups_per_vpc = max(1, args.rules // (10 * args.vpcs))
    instance_ids = 0
    public_ip = 0
    for v in range(args.vpcs):
        vpc_id = f"vpc-{v:017x}"
        prefix, cidr = vpc_cidr(v)
        ipv6 = f"2600:1f18:{v:x}:0::/56"
        ec2["vpcs"].append({
            "VpcId": vpc_id, "CidrBlock": cidr, "IsDefault": v == 0, "OwnerId": ACCOUNT,
            "CidrBlockAssociationSet": [{"CidrBlock": cidr}],
            "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": ipv6}] if v % 2 == 0 else [],
        })
        igw = f"igw-{v:017x}"
        ec2["internet_gateways"].append({
            "InternetGatewayId": igw, "Attachments": [{"VpcId": vpc_id, "State": "available"}]})
        nat = f"nat-{v:017x}"
        n_sub = subnets_per_vpc + (1 if v < extra_subnets else 0)
        subnet_ids, public_subnets = [], []
        for s in range(n_sub):
            sid = f"subnet-{v:08x}{s:09x}"
            sub_cidr = f"{prefix}.{s}.0/24" if cidr.endswith("/16") else cidr
            sub = {"SubnetId": sid, "VpcId": vpc_id, "CidrBlock": sub_cidr,
                   "AvailabilityZone": f"{args.region}{'abc'[s % 3]}", "MapPublicIpOnLaunch": s % 10 < 3}
            if v % 2 == 0:
                sub["Ipv6CidrBlockAssociationSet"] = [{"Ipv6CidrBlock": f"2600:1f18:{v:x}:{s:x}::/64"}]
            ec2["subnets"].append(sub)
            subnet_ids.append(sid)
            if s % 10 < 3:
                public_subnets.append(sid)
        private_subnets = [s for s in subnet_ids if s not in public_subnets] or subnet_ids
        ec2["nat_gateways"].append({"NatGatewayId": nat, "VpcId": vpc_id, "SubnetId": public_subnets[0] if public_subnets else subnet_ids[0],
                                    "State": "available", "ConnectivityType": "public"})
        local = {"DestinationCidrBlock": cidr, "GatewayId": "local", "State": "active"}
        ec2["route_tables"].append({
            "RouteTableId": f"rtb-{v:08x}000000001", "VpcId": vpc_id,
            "Routes": [local,
                       {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw, "State": "active"},
                       {"DestinationIpv6CidrBlock": "::/0", "GatewayId": igw, "State": "active"}],
            "Associations": [{"Main": False, "SubnetId": s} for s in public_subnets]})
        ec2["route_tables"].append({
            "RouteTableId": f"rtb-{v:08x}000000002", "VpcId": vpc_id,
            "Routes": [local,
                       {"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": nat, "State": "active"},
                       {"DestinationCidrBlock": "172.16.0.0/12", "TransitGatewayId": "tgw-0000000000000001", "State": "active"}],
            "Associations": [{"Main": True}]})

        # Network ACLs: the permissive default, a public one and a stricter data one,
        # with the mistakes the analyses look for sprinkled in.
        default_entries = [entry(100, False, "allow", "-1", "0.0.0.0/0"), entry(101, False, "allow", "-1", "::/0"),
                           entry(100, True, "allow", "-1", "0.0.0.0/0"), entry(101, True, "allow", "-1", "::/0")]
        ec2["network_acls"].append({"NetworkAclId": f"acl-{v:08x}000000000", "VpcId": vpc_id, "IsDefault": True,
                                    "Entries": default_entries + implicit_denies(), "Associations": []})
        public_entries = [
            entry(100, False, "allow", "6", "0.0.0.0/0", (443, 443)),
            entry(110, False, "allow", "6", "0.0.0.0/0", (80, 80)),
            entry(120, False, "allow", "6", "0.0.0.0/0", (1024, 65535)),
            entry(130, False, "allow", "1", "0.0.0.0/0", icmp=8),
            entry(140, False, "allow", "6", "::/0", (443, 443)),
            entry(100, True, "allow", "6", "0.0.0.0/0", (1024, 65535)),
            entry(110, True, "allow", "6", "0.0.0.0/0", (443, 443)),
            entry(120, True, "allow", "6", "0.0.0.0/0", (80, 80)),
            entry(130, True, "allow", "6", cidr, (0, 65535)),
        ]
        if v % 5 == 0:
            public_entries.append(entry(90, False, "allow", "6", "0.0.0.0/0", (22, 22)))
        if v % 7 == 0:
            public_entries.append(entry(150, False, "allow", "6", "0.0.0.0/0", (8443, 8443)))
            public_entries.append(entry(50, False, "deny", "6", "0.0.0.0/1", (8000, 9000)))
            public_entries.append(entry(60, False, "deny", "6", "128.0.0.0/1", (8000, 9000)))
        if v % 11 == 0:
            public_entries = [e for e in public_entries if not (e["Egress"] and e["RuleNumber"] == 100)]
        data_entries = [
            entry(100, False, "allow", "6", cidr, (3306, 3306)),
            entry(110, False, "allow", "6", cidr, (5432, 5432)),
            entry(120, False, "allow", "6", cidr, (6379, 6379)),
            entry(200, False, "deny", "-1", "0.0.0.0/0"),
            entry(210, False, "allow", "6", "0.0.0.0/0", (5432, 5432)),
            entry(100, True, "allow", "6", cidr, (1024, 65535)),
        ]
        ec2["network_acls"].append({"NetworkAclId": f"acl-{v:08x}000000001", "VpcId": vpc_id, "IsDefault": False,
                                    "Entries": public_entries + implicit_denies(),
                                    "Associations": [{"SubnetId": s} for s in public_subnets]})
        data_subnets = private_subnets[-2:]
        ec2["network_acls"].append({"NetworkAclId": f"acl-{v:08x}000000002", "VpcId": vpc_id, "IsDefault": False,
                                    "Entries": data_entries + implicit_denies(),
                                    "Associations": [{"SubnetId": s} for s in data_subnets]})

        # Security groups: default, web, app, db and generic ones, holding this VPC's
        # share of the rules.
        vpcs_left = args.vpcs - v
        share = rules_left // vpcs_left
        rules_left -= share
        group_ids = [f"sg-{v:08x}{g:09x}" for g in range(max(groups_per_vpc, 4))]
        rules_by_group = {g: [] for g in group_ids}
        for k in range(share):
            g = group_ids[k % len(group_ids)]
            kind = rnd.random()
            if kind < 0.25:
                port = rnd.choice([80, 443, 8080, 8443])
                rule = {"IpProtocol": "tcp", "FromPort": port, "ToPort": port,
                        "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                        "Ipv6Ranges": [{"CidrIpv6": "::/0"}] if rnd.random() < 0.3 else []}
            elif kind < 0.35:
                port = rnd.choice([22, 3389])
                rule = {"IpProtocol": "tcp", "FromPort": port, "ToPort": port,
                        "IpRanges": [{"CidrIp": rnd.choice(["0.0.0.0/0", "198.51.100.0/24", f"{prefix}.0.0/16"])}]}
            elif kind < 0.6:
                port = rnd.choice([3306, 5432, 6379, 8080, 9000, 11211])
                rule = {"IpProtocol": "tcp", "FromPort": port, "ToPort": port,
                        "UserIdGroupPairs": [{"GroupId": rnd.choice(group_ids), "UserId": ACCOUNT}]}
            elif kind < 0.7:
                lo = rnd.randrange(1024, 60000)
                rule = {"IpProtocol": rnd.choice(["tcp", "udp"]), "FromPort": lo, "ToPort": lo + rnd.randrange(0, 500),
                        "IpRanges": [{"CidrIp": f"{rnd.randrange(1, 223)}.{rnd.randrange(256)}.0.0/16"}]}
            elif kind < 0.75:
                rule = {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                        "PrefixListIds": [{"PrefixListId": rnd.choice(prefix_lists)["PrefixListId"]}]}
            elif kind < 0.8:
                rule = {"IpProtocol": "icmp", "FromPort": 8, "ToPort": -1, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
            elif kind < 0.82:
                rule = {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
            else:
                port = rnd.randrange(1, 65535)
                rule = {"IpProtocol": "tcp", "FromPort": port, "ToPort": port,
                        "IpRanges": [{"CidrIp": f"{prefix}.{rnd.randrange(256)}.0/24"}]}
            rules_by_group[g].append(rule)
        for idx, g in enumerate(group_ids):
            rules = rules_by_group[g]
            # One rule in ten of a group's list is an egress rule; every third
            # group keeps AWS's default "all traffic out" egress rule instead.
            n_egress = max(1, len(rules) // 10) if rules else 0
            if idx % 3:
                egress = rules[:n_egress]
            else:
                egress = [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}] if rules else []
            ec2["security_groups"].append({
                "GroupId": g, "GroupName": "default" if idx == 0 else f"group-{v}-{idx}",
                "Description": "synthetic", "VpcId": vpc_id, "OwnerId": ACCOUNT,
                "IpPermissions": rules[n_egress:],
                "IpPermissionsEgress": egress})

        # Instances.
        vpcs_left_i = args.vpcs - v
        n_inst = (args.instances - instance_ids) // vpcs_left_i
        for k in range(n_inst):
            iid = f"i-{instance_ids:017x}"
            eni = f"eni-{instance_ids:017x}"
            instance_ids += 1
            sid = rnd.choice(subnet_ids)
            s_index = subnet_ids.index(sid)
            private = f"{prefix}.{s_index}.{10 + k % 240}" if cidr.endswith("/16") else f"{prefix}.{10 + k % 240}"
            groups = rnd.sample(group_ids, k=min(len(group_ids), rnd.choice([1, 1, 2, 3])))
            ni = {"NetworkInterfaceId": eni, "SubnetId": sid, "VpcId": vpc_id,
                  "Groups": [{"GroupId": g} for g in groups],
                  "PrivateIpAddresses": [{"PrivateIpAddress": private, "Primary": True}]}
            inst = {"InstanceId": iid, "State": {"Name": "running" if k % 20 else "stopped"},
                    "SubnetId": sid, "VpcId": vpc_id, "PrivateIpAddress": private,
                    "InstanceType": "t3.micro",
                    "MetadataOptions": {"HttpTokens": "required" if k % 4 else "optional"},
                    "SecurityGroups": [{"GroupId": g} for g in groups], "NetworkInterfaces": [ni]}
            if sid in public_subnets and rnd.random() < 0.7:
                public_ip += 1
                ip = f"{3 + public_ip // 65536}.{(public_ip // 256) % 256}.{public_ip % 256}.10"
                inst["PublicIpAddress"] = ip
                ni["Association"] = {"PublicIp": ip, "IpOwnerId": "amazon"}
            if v % 2 == 0 and rnd.random() < 0.2:
                ni["Ipv6Addresses"] = [{"Ipv6Address": f"2600:1f18:{v:x}:{s_index:x}::{k + 1:x}"}]
            ec2["instances"].append(inst)
            ec2["network_interfaces"].append({
                "NetworkInterfaceId": eni, "InterfaceType": "interface", "SubnetId": sid, "VpcId": vpc_id,
                "Groups": ni["Groups"], "PrivateIpAddress": private,
                "PrivateIpAddresses": ni["PrivateIpAddresses"], "Association": ni.get("Association"),
                "Attachment": {"InstanceId": iid}})

        # Databases and a load balancer.
        for d in range(1 + v % 2):
            dbs.append({
                "DBInstanceIdentifier": f"db-{v}-{d}", "Engine": "postgres", "EngineVersion": "16.3",
                "PubliclyAccessible": v % 13 == 0, "StorageEncrypted": True,
                "Endpoint": {"Address": f"db-{v}-{d}.example.rds.amazonaws.com", "Port": 5432},
                "VpcSecurityGroups": [{"VpcSecurityGroupId": group_ids[-1], "Status": "active"}],
                "DBSubnetGroup": {"DBSubnetGroupName": f"db-{v}", "VpcId": vpc_id,
                                  "Subnets": [{"SubnetIdentifier": s} for s in (public_subnets[:1] if v % 13 == 0 else data_subnets)]}})
        if public_subnets:
            name = f"shop-{v}"
            arn = f"arn:aws:elasticloadbalancing:{args.region}:{ACCOUNT}:loadbalancer/app/{name}/{v:016x}"
            lbs.append({"LoadBalancerArn": arn, "LoadBalancerName": name, "Scheme": "internet-facing",
                        "VpcId": vpc_id, "Type": "application", "IpAddressType": "ipv4",
                        "DNSName": f"{name}.elb.amazonaws.com",
                        "AvailabilityZones": [{"ZoneName": f"{args.region}a", "SubnetId": s} for s in public_subnets[:2]],
                        "SecurityGroups": [group_ids[1 % len(group_ids)]]})
            listeners[name] = [{"ListenerArn": f"{arn}/listener/{p}", "LoadBalancerArn": arn, "Port": p,
                                "Protocol": "HTTPS" if p == 443 else "HTTP"} for p in (80, 443)]

    for inst in ec2["instances"]:
        for ni in inst["NetworkInterfaces"]:
            if ni.get("Association") is None:
                ni.pop("Association", None)
    for ni in ec2["network_interfaces"]:
        if ni.get("Association") is None:
            ni.pop("Association", None)
    return ec2, dbs, lbs, listeners


def present(data):
    return {"status": "present", "data": data}


def write_snapshot(args, ec2, dbs, lbs, listeners):
    region = {
        "ec2": {k: present(v) for k, v in ec2.items()},
        "rds": {"db_instances": present(dbs)},
        "elbv2": {"load_balancers": present(lbs), "listeners": {n: present(l) for n, l in listeners.items()}},
    }
    doc = {"schema": "cartguard.snapshot/v1",
           "accounts": [{"id": ACCOUNT, "sources": ["synthetic:gen-network.py"], "regions": {args.region: region}}]}
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(doc, f, separators=(",", ":"))


def write_evidence(args, ec2, dbs, lbs, listeners):
    def put(rel, doc):
        path = os.path.join(args.out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            json.dump(doc, f, indent=1)

    r = args.region
    names = {
        "vpcs": ("describe-vpcs", "Vpcs"),
        "subnets": ("describe-subnets", "Subnets"),
        "route_tables": ("describe-route-tables", "RouteTables"),
        "internet_gateways": ("describe-internet-gateways", "InternetGateways"),
        "nat_gateways": ("describe-nat-gateways", "NatGateways"),
        "network_acls": ("describe-network-acls", "NetworkAcls"),
        "security_groups": ("describe-security-groups", "SecurityGroups"),
        "network_interfaces": ("describe-network-interfaces", "NetworkInterfaces"),
        "addresses": ("describe-addresses", "Addresses"),
        "flow_logs": ("describe-flow-logs", "FlowLogs"),
    }
    for key, (op, field) in names.items():
        put(f"ec2/{r}/{op}.json", {field: ec2[key]})
    put(f"ec2/{r}/describe-instances.json",
        {"Reservations": [{"ReservationId": f"r-{i:017x}", "OwnerId": ACCOUNT, "Instances": [inst]}
                          for i, inst in enumerate(ec2["instances"])]})
    put(f"ec2/{r}/describe-managed-prefix-lists.json",
        {"PrefixLists": [{"PrefixListId": p["PrefixListId"], "PrefixListName": p["PrefixListName"]}
                         for p in ec2["prefix_lists"]]})
    for p in ec2["prefix_lists"]:
        put(f"ec2/{r}/get-managed-prefix-list-entries/{p['PrefixListId']}.json",
            {"Entries": [{"Cidr": c} for c in p["Entries"]]})
    put(f"rds/{r}/describe-db-instances.json", {"DBInstances": dbs})
    put(f"elbv2/{r}/describe-load-balancers.json", {"LoadBalancers": lbs})
    for name, ls in listeners.items():
        put(f"elbv2/{r}/describe-listeners/{name}.json", {"Listeners": ls})


def main(argv):
    args = parse_args(argv)
    ec2, dbs, lbs, listeners = generate(args)
    if args.format == "snapshot":
        write_snapshot(args, ec2, dbs, lbs, listeners)
    else:
        write_evidence(args, ec2, dbs, lbs, listeners)
    rules = sum(len(g["IpPermissions"]) + len(g["IpPermissionsEgress"]) for g in ec2["security_groups"])
    print(f"{args.out}: {len(ec2['vpcs'])} VPCs, {len(ec2['subnets'])} subnets, "
          f"{len(ec2['security_groups'])} security groups with {rules} rules, "
          f"{len(ec2['network_acls'])} network ACLs, {len(ec2['instances'])} instances, "
          f"{len(dbs)} databases, {len(lbs)} load balancers", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
