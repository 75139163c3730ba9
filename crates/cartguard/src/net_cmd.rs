//! `cartguard net reach` and `cartguard net exposure`.

use std::process::ExitCode;

use anyhow::{Context, bail};
use cartguard_net::{Network, Protocol, Reachability, ServiceSet, Source};
use serde_json::json;

use crate::cli::{ExposureArgs, Format, ReachArgs, ReachProtocol, write_stdout};
use crate::sources::load;

fn services(port: Option<u16>, protocol: Option<ReachProtocol>) -> ServiceSet {
    let protocol = protocol.map(|p| match p {
        ReachProtocol::Tcp => Protocol::Tcp,
        ReachProtocol::Udp => Protocol::Udp,
    });
    match (port, protocol) {
        (Some(port), Some(p)) => ServiceSet::port(p, port),
        (Some(port), None) => ServiceSet::tcp_udp_port(port),
        (None, Some(p)) => ServiceSet::protocol(p),
        (None, None) => ServiceSet::all(),
    }
}

fn ranges(set: &ServiceSet) -> String {
    let list: Vec<String> = set.ranges().iter().map(ToString::to_string).collect();
    if list.is_empty() {
        "nothing".into()
    } else {
        list.join(", ")
    }
}

fn describe(reach: &Reachability) -> String {
    let mut out = format!(
        "{}: {} → {} ({})\n",
        match reach.status {
            cartguard_net::Verdict::Reachable => "REACHABLE",
            cartguard_net::Verdict::Unreachable => "UNREACHABLE",
            cartguard_net::Verdict::NotAssessed => "NOT ASSESSED",
        },
        match &reach.source {
            Source::Internet => "the internet".to_string(),
            Source::Cidr(text, _) => text.clone(),
            Source::SecurityGroup(id) => format!("members of {id}"),
        },
        reach.target,
        reach.region
    );
    for ports in &reach.ports {
        out.push_str(&format!(
            "  {} from {}\n",
            ports.ports,
            ports.sources.describe().join(", ")
        ));
        for hop in &ports.path {
            out.push_str(&format!(
                "    {}\n",
                serde_json::to_string(hop).unwrap_or_default()
            ));
        }
    }
    if let Some(blocked) = &reach.blocked_by {
        out.push_str(&format!(
            "  blocked by: {}\n",
            serde_json::to_string(blocked).unwrap_or_default()
        ));
    }
    for reason in &reach.not_assessed {
        out.push_str(&format!("  not assessed: {reason}\n"));
    }
    for note in &reach.notes {
        out.push_str(&format!("  note: {note}\n"));
    }
    out
}

pub fn reach(args: &ReachArgs) -> anyhow::Result<ExitCode> {
    let (inventory, _) = load(&args.sources)?;
    let source =
        Source::parse(&args.from).map_err(|e| anyhow::anyhow!("--from {}: {e}", args.from))?;
    let wanted = services(args.port, args.protocol);
    let mut answers = Vec::new();
    for account in &inventory.accounts {
        for (name, region) in &account.regions {
            let network = Network::new(name, region);
            if let Some(target) = network.resolve_target(&args.to) {
                answers.push(network.reach(&source, &target, &wanted));
            }
        }
    }
    let reach = match answers.len() {
        0 => bail!(
            "--to {}: no instance, network interface, RDS database or load balancer of that id or name in the evidence",
            args.to
        ),
        1 => answers.remove(0),
        n => bail!(
            "--to {}: {n} resources match in different regions or accounts; give the id or ARN",
            args.to
        ),
    };
    let text = match args.format {
        Format::Json => {
            serde_json::to_string_pretty(&reach).context("serializing the answer")? + "\n"
        }
        Format::Text => describe(&reach),
    };
    write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

pub fn exposure(args: &ExposureArgs) -> anyhow::Result<ExitCode> {
    let (inventory, _) = load(&args.sources)?;
    let mut regions = Vec::new();
    for account in &inventory.accounts {
        for (name, region) in &account.regions {
            let exposure = Network::new(name, region).exposure();
            regions.push((account.id.clone(), exposure));
        }
    }
    let text = match args.format {
        Format::Json => {
            let list: Vec<_> = regions.iter().map(|(account, e)| json!({"account": account, "region": e.region, "endpoints": e.endpoints, "not_assessed": e.not_assessed, "missing_evidence": e.missing_evidence})).collect();
            serde_json::to_string_pretty(&list)? + "\n"
        }
        Format::Text => {
            let mut out = String::new();
            for (account, e) in &regions {
                out.push_str(&format!(
                    "{account} {}: {} internet-reachable endpoint(s)\n",
                    e.region,
                    e.endpoints.len()
                ));
                for r in &e.endpoints {
                    out.push_str(&format!(
                        "  {:<60} {}\n",
                        r.target.to_string(),
                        ranges(&r.reachable_services())
                    ));
                }
                for r in &e.not_assessed {
                    out.push_str(&format!(
                        "  {:<60} not assessed: {}\n",
                        r.target.to_string(),
                        r.not_assessed.join("; ")
                    ));
                }
                for m in &e.missing_evidence {
                    out.push_str(&format!("  missing evidence: {m}\n"));
                }
            }
            out
        }
    };
    write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}
