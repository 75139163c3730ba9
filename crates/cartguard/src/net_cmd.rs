//! `cartguard net reach` and `cartguard net exposure`.

use std::process::ExitCode;

use anyhow::{Context, bail};
use cartguard_net::{Network, Protocol, ServiceSet, Source};
use cartguard_report::AccountExposure;

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
        Format::Json => cartguard_report::reach_json(&reach),
        Format::Text => cartguard_report::reach_text(&reach),
    }
    .context("rendering the answer")?;
    write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

pub fn exposure(args: &ExposureArgs) -> anyhow::Result<ExitCode> {
    let (inventory, _) = load(&args.sources)?;
    let mut regions = Vec::new();
    for account in &inventory.accounts {
        for (name, region) in &account.regions {
            regions.push(AccountExposure {
                account: account.id.clone(),
                exposure: Network::new(name, region).exposure(),
            });
        }
    }
    let text = match args.format {
        Format::Json => {
            cartguard_report::exposure_json(&regions).context("rendering the answer")?
        }
        Format::Text => cartguard_report::exposure_text(&regions),
    };
    write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}
