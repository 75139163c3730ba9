//! The network engine's answers: `net reach` and `net exposure`, as text or JSON.

use std::fmt::Write;

use cartguard_net::{Exposure, Reachability, ServiceSet, Source, Verdict};
use serde::Serialize;

/// One region's exposure with the account it belongs to: what `net exposure`
/// lists, one per region of each account.
#[derive(Debug, Clone, Serialize)]
pub struct AccountExposure {
    /// The account.
    pub account: String,
    /// What the internet reaches in the region.
    #[serde(flatten)]
    pub exposure: Exposure,
}

/// The answer of `net reach` as text: the verdict, each range of traffic that
/// gets through with where from and the steps that admit it, what blocks the
/// rest, and what could not be assessed.
pub fn reach_text(reach: &Reachability) -> serde_json::Result<String> {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {} → {} ({})",
        verdict(reach.status),
        source(&reach.source),
        reach.target,
        reach.region
    );
    for ports in &reach.ports {
        let _ = writeln!(
            out,
            "  {} from {}",
            ports.ports,
            ports.sources.describe().join(", ")
        );
        // A hop names a rule, a route or an address by its fields; JSON keeps
        // them all, under the names the JSON answer uses.
        for hop in &ports.path {
            let _ = writeln!(out, "    {}", serde_json::to_string(hop)?);
        }
    }
    if let Some(blocked) = &reach.blocked_by {
        let _ = writeln!(out, "  blocked by: {}", serde_json::to_string(blocked)?);
    }
    for reason in &reach.not_assessed {
        let _ = writeln!(out, "  not assessed: {reason}");
    }
    for note in &reach.notes {
        let _ = writeln!(out, "  note: {note}");
    }
    Ok(out)
}

/// The answer of `net reach` as JSON, pretty-printed, with a trailing newline.
pub fn reach_json(reach: &Reachability) -> serde_json::Result<String> {
    Ok(serde_json::to_string_pretty(reach)? + "\n")
}

/// `net exposure` as text: per account and region, each internet-reachable
/// endpoint with its ports, the endpoints that could not be assessed, and the
/// evidence that was missing.
pub fn exposure_text(regions: &[AccountExposure]) -> String {
    let mut out = String::new();
    for AccountExposure {
        account,
        exposure: e,
    } in regions
    {
        let _ = writeln!(
            out,
            "{account} {}: {} internet-reachable endpoint(s)",
            e.region,
            e.endpoints.len()
        );
        for r in &e.endpoints {
            let _ = writeln!(
                out,
                "  {:<60} {}",
                r.target.to_string(),
                ranges(&r.reachable_services())
            );
        }
        for r in &e.not_assessed {
            let _ = writeln!(
                out,
                "  {:<60} not assessed: {}",
                r.target.to_string(),
                r.not_assessed.join("; ")
            );
        }
        for m in &e.missing_evidence {
            let _ = writeln!(out, "  missing evidence: {m}");
        }
    }
    out
}

/// `net exposure` as JSON, pretty-printed, with a trailing newline.
pub fn exposure_json(regions: &[AccountExposure]) -> serde_json::Result<String> {
    Ok(serde_json::to_string_pretty(regions)? + "\n")
}

fn verdict(status: Verdict) -> &'static str {
    match status {
        Verdict::Reachable => "REACHABLE",
        Verdict::Unreachable => "UNREACHABLE",
        Verdict::NotAssessed => "NOT ASSESSED",
    }
}

fn source(source: &Source) -> String {
    match source {
        Source::Internet => "the internet".to_string(),
        Source::Cidr(text, _) => text.clone(),
        Source::SecurityGroup(id) => format!("members of {id}"),
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

#[cfg(test)]
mod tests {
    use super::*;
    use cartguard_inventory::Region;
    use cartguard_net::Target;

    #[test]
    fn exposure_names_the_account_first_and_what_was_missing() {
        let regions = [AccountExposure {
            account: "111122223333".into(),
            exposure: cartguard_net::exposure("eu-west-1", &Region::default()),
        }];
        let json: serde_json::Value =
            serde_json::from_str(&exposure_json(&regions).expect("serializes")).expect("JSON");
        let keys: Vec<&str> = json[0]
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(
            keys,
            [
                "account",
                "region",
                "endpoints",
                "not_assessed",
                "missing_evidence"
            ]
        );
        let text = exposure_text(&regions);
        assert!(
            text.starts_with("111122223333 eu-west-1: 0 internet-reachable endpoint(s)\n"),
            "{text}"
        );
        assert!(text.contains("\n  missing evidence: "), "{text}");
    }

    #[test]
    fn an_unassessed_reach_says_so_and_why() {
        let answer = cartguard_net::reach(
            "eu-west-1",
            &Region::default(),
            &Source::SecurityGroup("sg-1".into()),
            &Target::Instance("i-1".into()),
            &ServiceSet::all(),
        );
        let text = reach_text(&answer).expect("renders");
        assert!(
            text.starts_with("NOT ASSESSED: members of sg-1 → instance i-1 (eu-west-1)\n"),
            "{text}"
        );
        assert!(text.contains("\n  not assessed: "), "{text}");
        assert!(reach_json(&answer).expect("renders").ends_with("}\n"));
    }
}
