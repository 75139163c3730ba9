//! Network rules (CHECKLIST.md section 2): verdicts come from reachability over
//! security groups, network ACLs, routes and public addresses (`cartguard-net`).

pub mod admin_port_open;
pub mod all_ports_open;
pub mod backend_bypasses_lb;
pub mod db_ingress_not_from_app_sg;
pub mod db_port_open;
pub mod default_sg_open;
pub mod egress_unrestricted;
pub mod exposure_inventory;
pub mod flow_logs_missing;
pub mod imdsv1_enabled;
pub mod nacl_admin_port_open;
pub mod nacl_no_return_path;
pub mod nacl_rule_shadowed;
pub mod nonweb_port_open;
pub mod rds_public;

use cartguard_inventory::{Operation, elbv2};
use cartguard_net::{
    DATABASE_PORTS, LatentExposure, Protocol, Reachability, ReachablePorts, ServiceSet, Target,
};
use serde_json::{Value, json};

use crate::{Context, Emitter, RegionNetwork};
use crate::{Failure, Proof};

/// The ARN of a network resource (`instance/i-…`, `security-group/sg-…`, …).
pub(crate) fn ec2_arn(ctx: &Context, region: &str, kind: &str, id: &str) -> String {
    format!("arn:aws:ec2:{region}:{}:{kind}/{id}", ctx.account.id)
}

/// The ARN of a reachability target.
pub(crate) fn target_arn(ctx: &Context, region: &str, target: &Target) -> String {
    match target {
        Target::Instance(id) => ec2_arn(ctx, region, "instance", id),
        Target::NetworkInterface(id) => ec2_arn(ctx, region, "network-interface", id),
        Target::Database(id) => database_arn(ctx, region, id),
        Target::LoadBalancer(arn) => arn.clone(),
    }
}

/// The ARN of an RDS instance, as reported or as AWS forms it.
pub(crate) fn database_arn(ctx: &Context, region: &str, identifier: &str) -> String {
    ctx.account
        .regions
        .get(region)
        .and_then(|r| r.rds.db_instances.present())
        .and_then(|dbs| dbs.iter().find(|d| d.db_instance_identifier == identifier))
        .and_then(|d| d.db_instance_arn.clone())
        .unwrap_or_else(|| format!("arn:aws:rds:{region}:{}:db:{identifier}", ctx.account.id))
}

/// TCP ports of remote administration.
pub(crate) const ADMIN_PORTS: [u16; 2] = [22, 3389];

/// The database and cache ports, as a set of TCP ports.
pub(crate) fn database_ports() -> ServiceSet {
    DATABASE_PORTS.iter().fold(ServiceSet::empty(), |acc, &p| {
        acc.union(&ServiceSet::port(Protocol::Tcp, p))
    })
}

/// SSH and RDP, as a set of TCP ports.
pub(crate) fn admin_ports() -> ServiceSet {
    ADMIN_PORTS.iter().fold(ServiceSet::empty(), |acc, &p| {
        acc.union(&ServiceSet::port(Protocol::Tcp, p))
    })
}

/// Every TCP and UDP port.
pub(crate) fn all_ports() -> ServiceSet {
    ServiceSet::protocol(Protocol::Tcp).union(&ServiceSet::protocol(Protocol::Udp))
}

/// A set of traffic as text: `tcp/22, tcp/8000-8100`.
pub(crate) fn describe(set: &ServiceSet) -> String {
    if *set == ServiceSet::all() {
        return "all traffic".into();
    }
    let ranges: Vec<String> = set.ranges().iter().map(ToString::to_string).collect();
    if ranges.is_empty() {
        "nothing".into()
    } else {
        ranges.join(", ")
    }
}

/// The traffic of a reachability answer that gets through from every address of
/// a family (`0.0.0.0/0` or `::/0`).
pub(crate) fn open_to_world(reach: &Reachability) -> ServiceSet {
    reach
        .ports
        .iter()
        .filter(|p| p.from_anywhere)
        .fold(ServiceSet::empty(), |acc, p| {
            acc.union(&ServiceSet::ports(
                p.ports.protocol,
                p.ports.from_port,
                p.ports.to_port,
            ))
        })
}

/// The security groups whose ingress rules admit the traffic of `of` that
/// gets through, each named once, in the order the paths meet them.
pub(crate) fn admitting_groups(reach: &Reachability, of: &ServiceSet) -> Vec<String> {
    let mut groups: Vec<String> = Vec::new();
    let hops = reach
        .ports
        .iter()
        .filter(|p| {
            of.intersects(&ServiceSet::ports(
                p.ports.protocol,
                p.ports.from_port,
                p.ports.to_port,
            ))
        })
        .flat_map(|p| &p.path);
    for hop in hops {
        if let cartguard_net::Hop::SecurityGroupRule { group_id, .. } = hop
            && !groups.contains(group_id)
        {
            groups.push(group_id.clone());
        }
    }
    groups
}

/// The traffic of a reachability answer from any internet source.
pub(crate) fn reachable(reach: &Reachability) -> ServiceSet {
    reach.reachable_services()
}

/// The evidence of an exposure: the reachable ranges that intersect `of`, with
/// their sources and the path (public address, route, NACL entries both ways,
/// security group rule) that admits them.
pub(crate) fn exposure_evidence(reach: &Reachability, of: &ServiceSet) -> Value {
    let ports: Vec<&ReachablePorts> = reach
        .ports
        .iter()
        .filter(|p| {
            of.intersects(&ServiceSet::ports(
                p.ports.protocol,
                p.ports.from_port,
                p.ports.to_port,
            ))
        })
        .collect();
    json!({
        "source": "reachability from the internet",
        "target": reach.target,
        "reachable": ports,
        "notes": reach.notes,
    })
}

/// Reports, for an exposure rule, what the region's evidence could not decide.
pub(crate) fn exposure_gaps(ctx: &Context, region: &RegionNetwork, out: &mut Emitter) {
    let exposure = &region.exposure;
    if !exposure.missing_evidence.is_empty() {
        out.not_assessed(
            &format!("arn:aws:ec2:{}:{}:*", region.region, ctx.account.id),
            region.region,
            format!(
                "internet exposure cannot be decided: {}",
                exposure.missing_evidence.join("; ")
            ),
        );
    }
    for undecided in &exposure.not_assessed {
        let mut reasons = undecided.not_assessed.clone();
        reasons.extend(undecided.unknown.iter().flat_map(|u| u.reasons.clone()));
        reasons.dedup();
        out.not_assessed(
            &target_arn(ctx, region.region, &undecided.target),
            region.region,
            format!(
                "whether the internet reaches {} cannot be decided: {}",
                undecided.target,
                reasons.join("; ")
            ),
        );
    }
}

/// Reports an exposure rule not assessed for a reachable endpoint when evidence
/// that cannot be read leaves open whether the traffic of `of` it asks about
/// gets through (a rule, a route or an entry on the way that was not read).
pub(crate) fn undecided_exposure(
    ctx: &Context,
    region: &RegionNetwork,
    reach: &Reachability,
    of: &ServiceSet,
    out: &mut Emitter,
) {
    let (ports, reasons) = reach.undecided(of);
    if reasons.is_empty() {
        return;
    }
    out.not_assessed(
        &target_arn(ctx, region.region, &reach.target),
        region.region,
        format!(
            "whether the internet reaches {} on {} cannot be decided: {}",
            reach.target,
            describe(&ports),
            reasons.join("; ")
        ),
    );
}

/// Reports a network ACL rule not assessed for each ACL with an entry that
/// cannot be read: such an entry may match any traffic, so what the ACL's other
/// entries decide is open.
pub(crate) fn unreadable_acls(ctx: &Context, region: &RegionNetwork, out: &mut Emitter) {
    let Some(acls) = region.network.ec2().network_acls.present() else {
        return;
    };
    for acl in acls {
        let problems = region.network.problems_of(&acl.network_acl_id);
        if problems.is_empty() {
            continue;
        }
        let reasons: Vec<String> = problems.iter().map(ToString::to_string).collect();
        out.not_assessed(
            &ec2_arn(ctx, region.region, "network-acl", &acl.network_acl_id),
            region.region,
            format!(
                "network ACL {} holds entries that cannot be read: {}",
                acl.network_acl_id,
                reasons.join("; ")
            ),
        );
    }
}

/// Which exposure rule speaks for a security group open to the world: the one
/// for the most serious traffic it admits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OpenClass {
    /// Every TCP port.
    AllPorts,
    /// SSH or RDP.
    Admin,
    /// A database or cache port.
    Database,
    /// Another port than 80 or 443.
    NonWeb,
}

pub(crate) fn open_class(open: &ServiceSet) -> Option<OpenClass> {
    if ServiceSet::protocol(Protocol::Tcp).is_subset(open) {
        Some(OpenClass::AllPorts)
    } else if open.intersects(&admin_ports()) {
        Some(OpenClass::Admin)
    } else if open.intersects(&database_ports()) {
        Some(OpenClass::Database)
    } else if !non_web(open).is_empty() {
        Some(OpenClass::NonWeb)
    } else {
        None
    }
}

/// TCP and UDP traffic other than HTTP and HTTPS.
pub(crate) fn non_web(set: &ServiceSet) -> ServiceSet {
    let web = ServiceSet::port(Protocol::Tcp, 80).union(&ServiceSet::port(Protocol::Tcp, 443));
    set.intersection(&all_ports()).difference(&web)
}

/// Reports the security groups of `class` that are open to the world but whose
/// members the internet cannot reach today, as blocked: two levels below the
/// rule's severity.
pub(crate) fn latent_findings(
    ctx: &Context,
    region: &RegionNetwork,
    class: OpenClass,
    out: &mut Emitter,
) {
    for latent in &region.latent {
        if open_class(&latent.open_ports) == Some(class) {
            out.fail(latent_failure(ctx, region.region, latent));
        } else if !latent.unreadable.is_empty() {
            // An unreadable rule may open this class to the world too.
            out.not_assessed(
                &ec2_arn(ctx, region.region, "security-group", &latent.group_id),
                region.region,
                format!(
                    "security group {} may admit more from the internet than can be read: {}",
                    latent.group_id,
                    latent.unreadable.join("; ")
                ),
            );
        }
    }
}

fn latent_failure(ctx: &Context, region: &str, latent: &LatentExposure) -> Failure {
    let members: Vec<String> = latent.members.iter().map(ToString::to_string).collect();
    let why = match latent.reason {
        cartguard_net::LatentReason::NoMembers => "nothing uses the group today".to_string(),
        cartguard_net::LatentReason::MembersNotAddressable => format!(
            "its members ({}) have no public address or no route to an internet gateway",
            members.join(", ")
        ),
    };
    Failure {
        detail: format!(
            "Security group {} admits {} from the whole internet, but {why}: latent exposure, not reachable today. It becomes real the day a member gets a public address or the group is attached elsewhere.",
            latent.group_id,
            describe(&latent.open_ports)
        ),
        evidence: json!({"source": "security group rules and reachability", "latent_exposure": latent}),
        remediation: format!(
            "Narrow the group's rules to the sources that need them: aws ec2 revoke-security-group-ingress --group-id {} --ip-permissions <the 0.0.0.0/0 or ::/0 rule>, then add the specific CIDR or security group.",
            latent.group_id
        ),
        discriminator: Some("latent".into()),
        proof: Proof::Blocked,
        region: region.to_string(),
        ..Failure::global(ec2_arn(ctx, region, "security-group", &latent.group_id))
    }
}

/// A network ACL entry in words: `rule 100 (inbound) deny all tcp from 0.0.0.0/0`.
pub(crate) fn entry_text(
    entry: &cartguard_net::EntryRef,
    direction: cartguard_net::Direction,
) -> String {
    let ports: Vec<String> = entry.ports.iter().map(ToString::to_string).collect();
    let (way, side) = match direction {
        cartguard_net::Direction::Inbound => ("inbound", "from"),
        cartguard_net::Direction::Outbound => ("outbound", "to"),
    };
    let all = ServiceSet::all().ranges();
    let traffic = if entry.ports == all {
        "all traffic".to_string()
    } else if ports.is_empty() {
        "nothing".to_string()
    } else {
        ports.join(", ")
    };
    let number = if cartguard_net::is_implicit_deny(entry.rule_number) {
        "*".to_string()
    } else {
        entry.rule_number.to_string()
    };
    format!(
        "rule {number} ({way}) {} {traffic} {side} {}",
        entry.action, entry.cidr
    )
}

/// Whether any region's evidence was collected; if none was, reports the rule as
/// not assessed for the whole account (an empty picture is not a clean one).
pub(crate) fn any_region(ctx: &Context, out: &mut Emitter) -> bool {
    if ctx.account.regions.is_empty() {
        out.not_assessed(
            &format!("arn:aws:ec2:*:{}:*", ctx.account.id),
            "all",
            "no regional evidence was collected (no region answered any EC2, RDS or Elastic Load Balancing call)"
                .into(),
        );
        return false;
    }
    true
}

/// Whether the region's network ACLs could be analysed; if not, reports the rule
/// as not assessed there with what was missing.
pub(crate) fn acls_assessed(ctx: &Context, region: &RegionNetwork, out: &mut Emitter) -> bool {
    if region.acls.missing_evidence.is_empty() {
        return true;
    }
    out.not_assessed(
        &format!(
            "arn:aws:ec2:{}:{}:network-acl/*",
            region.region, ctx.account.id
        ),
        region.region,
        region.acls.missing_evidence.join("; "),
    );
    false
}

/// Regional evidence a rule needs, or `None` after reporting the rule as not
/// assessed for every resource of the kind in the region. `operation` is the
/// call that answers it; `resource` is the ARN's resource part for "all of
/// them" (`security-group/*`, `db:*`).
pub(crate) fn regional<'c, T>(
    ctx: &Context,
    out: &mut Emitter,
    region: &str,
    collected: &'c cartguard_inventory::Collected<T>,
    operation: Operation,
    resource: &str,
) -> Option<&'c T> {
    out.require(
        collected,
        &operation.key(region),
        &format!(
            "arn:aws:{}:{region}:{}:{resource}",
            operation.service, ctx.account.id
        ),
        region,
    )
}

/// Why some of the region's load balancer targets are unknown: the target
/// groups, or a group's target health, were not collected or were denied.
/// While any are unknown, any instance may be a load balancer's backend.
pub(crate) fn load_balancer_targets_unknown(ctx: &Context, region: &str) -> Vec<String> {
    let elb = &ctx.account.regions[region].elbv2;
    let mut gaps: Vec<String> = elb
        .target_groups
        .unavailable_reason(&elbv2::DESCRIBE_TARGET_GROUPS.key(region))
        .into_iter()
        .collect();
    for group in elb.target_groups.present().into_iter().flatten() {
        let key = elbv2::DESCRIBE_TARGET_HEALTH.about(region, &group.target_group_name);
        match elb.target_health.get(&group.target_group_name) {
            Some(health) => gaps.extend(health.unavailable_reason(&key)),
            None => gaps.push(format!("{key} was not collected")),
        }
    }
    gaps
}
