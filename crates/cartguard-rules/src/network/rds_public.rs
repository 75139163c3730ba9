use cartguard_inventory::rds;
use cartguard_net::{Protocol, ServiceSet, Source, Target};
use serde_json::json;

use super::{database_arn, describe};
use crate::{Context, Emitter, Failure, Proof, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every RDS instance must be neither `PubliclyAccessible` nor placed in a DB
    /// subnet group that contains a subnet routed to an internet gateway. The finding
    /// also says whether the database port is actually reachable from the internet
    /// today (security groups and network ACLs may still block it — then the
    /// database is one rule change away from exposure).
    ///
    /// ## Why it matters
    /// A publicly accessible database gets a public DNS name and address; only a
    /// security group stands between it and the internet. Databases holding orders
    /// and customer data belong in private subnets, reachable only from the app tier.
    ///
    /// ## Severity
    /// Critical when the internet reaches the database's port today; medium, two
    /// levels lower, when security groups or network ACLs block it today (one rule
    /// change away from exposure).
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws rds modify-db-instance --db-instance-identifier shop-db --no-publicly-accessible --apply-immediately
    /// aws rds modify-db-subnet-group --db-subnet-group-name shop-db --subnet-ids subnet-private-a subnet-private-b
    /// ```
    ///
    /// ## Example
    /// `"PubliclyAccessible": true` with a subnet group containing a public subnet
    /// fails; a database in private subnets with `PubliclyAccessible: false` passes.
    pub static RULE = {
        id: "net-rds-public",
        title: "An RDS instance is publicly accessible or in a public subnet",
        severity: Critical,
        lowest: Medium,
        area: Network,
        evidence: [cartguard_net::EVIDENCE],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    if !super::any_region(ctx, out) {
        return;
    }
    for region in ctx.networks() {
        let rds = &ctx.account.regions[region.region].rds;
        let Some(databases) = super::regional(
            ctx,
            out,
            region.region,
            &rds.db_instances,
            rds::DESCRIBE_DB_INSTANCES,
            "db:*",
        ) else {
            continue;
        };
        for db in databases {
            let arn = database_arn(ctx, region.region, &db.db_instance_identifier);
            let subnets: Vec<&str> = db
                .db_subnet_group
                .iter()
                .flat_map(|g| g.subnets.iter().map(|s| s.subnet_identifier.as_str()))
                .collect();
            let public_subnets: Vec<&str> = subnets
                .iter()
                .copied()
                .filter(|s| region.network.subnet_is_public(s) == Some(true))
                .collect();
            let unknown_subnets: Vec<&str> = subnets
                .iter()
                .copied()
                .filter(|s| region.network.subnet_is_public(s).is_none())
                .collect();
            let flagged = db.publicly_accessible == Some(true);
            if !flagged && public_subnets.is_empty() {
                if !unknown_subnets.is_empty()
                    || (db.publicly_accessible.is_none() && subnets.is_empty())
                {
                    out.not_assessed(
                        &arn,
                        region.region,
                        format!(
                            "whether {} sits in a public subnet cannot be decided: {}",
                            db.db_instance_identifier,
                            if unknown_subnets.is_empty() {
                                "no subnet group was reported".to_string()
                            } else {
                                unknown_subnets
                                    .iter()
                                    .map(|s| {
                                        let unreadable = region.network.subnet_routing_unknown(s);
                                        if unreadable.is_empty() {
                                            format!("the route table of {s} was not collected")
                                        } else {
                                            format!(
                                                "the route table of {s} holds routes that cannot be read: {}",
                                                unreadable.join("; ")
                                            )
                                        }
                                    })
                                    .collect::<Vec<_>>()
                                    .join("; ")
                            }
                        ),
                    );
                }
                continue;
            }
            let port = db.port().and_then(|p| u16::try_from(p).ok());
            let services = port
                .map(|p| ServiceSet::port(Protocol::Tcp, p))
                .unwrap_or_else(|| ServiceSet::protocol(Protocol::Tcp));
            let reach = region.network.reach(
                &Source::Internet,
                &Target::Database(db.db_instance_identifier.clone()),
                &services,
            );
            let today = if reach.reachable {
                format!(
                    "the internet reaches it today on {}",
                    describe(&reach.reachable_services())
                )
            } else {
                "security groups or network ACLs block the internet today, so one rule change would expose it".to_string()
            };
            let mut reasons = Vec::new();
            if flagged {
                reasons.push("PubliclyAccessible is true".to_string());
            }
            if !public_subnets.is_empty() {
                reasons.push(format!(
                    "its subnet group includes public subnet(s) {}",
                    public_subnets.join(", ")
                ));
            }
            out.fail(Failure {
                detail: format!("RDS instance {}: {}; {today}.", db.db_instance_identifier, reasons.join(" and ")),
                evidence: json!({
                    "source": "describe-db-instances, route tables and reachability",
                    "DBInstanceIdentifier": db.db_instance_identifier,
                    "PubliclyAccessible": db.publicly_accessible,
                    "DBSubnetGroup": db.db_subnet_group,
                    "public_subnets": public_subnets,
                    "reachability": {"reachable": reach.reachable, "ports": reach.ports, "blocked_by": reach.blocked_by},
                }),
                remediation: format!(
                    "aws rds modify-db-instance --db-instance-identifier {} --no-publicly-accessible --apply-immediately; keep its subnet group to private subnets (aws rds modify-db-subnet-group --db-subnet-group-name {} --subnet-ids <private subnets>).",
                    db.db_instance_identifier,
                    db.db_subnet_group.as_ref().and_then(|g| g.db_subnet_group_name.as_deref()).unwrap_or("<group>")
                ),
                proof: if reach.reachable { Proof::Proven } else { Proof::Blocked },
                region: region.region.to_string(),
                ..Failure::global(arn)
            });
        }
    }
}
