use super::{
    OpenClass, database_ports, describe, exposure_evidence, exposure_gaps, latent_findings,
    open_to_world, reachable, target_arn, undecided_exposure,
};
use crate::{Context, Emitter, Failure, Proof, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Whether a database or cache port (MySQL 3306, PostgreSQL 5432, SQL Server 1433,
    /// Oracle 1521, Redis 6379, Memcached 11211, MongoDB 27017, Elasticsearch 9200,
    /// Kibana 5601, …) on an instance, interface or RDS database is reachable from the
    /// internet, after evaluating addresses, routes, network ACLs (both directions)
    /// and security groups, from every internet address or from part of them.
    /// Groups open to the world whose members are not reachable are reported as
    /// latent exposure.
    ///
    /// ## Why it matters
    /// The store's orders, customers and sessions live behind these ports. Exposed
    /// databases are found by scanners within hours and are the most common source of
    /// mass data leaks; PCI DSS forbids direct access from untrusted networks to
    /// system components that store cardholder data.
    ///
    /// ## Severity
    /// Critical when every internet address reaches the port; high when only part
    /// of the internet does (a narrower audience, one level lower); medium, two
    /// levels lower, for a security group open to the world whose members the
    /// internet cannot reach (latent exposure).
    ///
    /// ## How to fix
    /// Admit the port only from the application tier's security group, keep the
    /// database in private subnets, and turn off public accessibility:
    ///
    /// ```sh
    /// aws ec2 revoke-security-group-ingress --group-id sg-db --ip-permissions IpProtocol=tcp,FromPort=3306,ToPort=3306,IpRanges='[{CidrIp=0.0.0.0/0}]'
    /// aws ec2 authorize-security-group-ingress --group-id sg-db --protocol tcp --port 3306 --source-group sg-app
    /// aws rds modify-db-instance --db-instance-identifier shop-db --no-publicly-accessible --apply-immediately
    /// ```
    ///
    /// ## Example
    /// A publicly accessible RDS instance in a public subnet whose group admits
    /// `tcp/3306` from `0.0.0.0/0` fails; the same database admitting 3306 only from
    /// the app tier's group passes.
    pub static RULE = {
        id: "net-db-port-open",
        title: "A database or cache port is reachable from the internet",
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
    let databases = database_ports();
    for region in ctx.networks() {
        exposure_gaps(ctx, region, out);
        for reach in &region.exposure.endpoints {
            let open = reachable(reach).intersection(&databases);
            undecided_exposure(ctx, region, reach, &databases.difference(&open), out);
            if open.is_empty() {
                continue;
            }
            let from_anywhere = open_to_world(reach).intersects(&databases);
            out.fail(Failure {
                detail: format!(
                    "{} is reachable from {} on {}.",
                    reach.target,
                    if from_anywhere { "the whole internet" } else { "part of the internet" },
                    describe(&open)
                ),
                evidence: exposure_evidence(reach, &open),
                remediation: format!(
                    "Admit {} only from the application tier's security group (aws ec2 authorize-security-group-ingress --group-id <db group> --protocol tcp --port <port> --source-group <app group>), remove the CIDR rules, and keep the database in private subnets without a public address.",
                    describe(&open)
                ),
                proof: if from_anywhere { Proof::Proven } else { Proof::Conditional },
                region: region.region.to_string(),
                ..Failure::global(target_arn(ctx, region.region, &reach.target))
            });
        }
        latent_findings(ctx, region, OpenClass::Database, out);
    }
}
