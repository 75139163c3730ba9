//! The registry of all rules, and running them over an inventory.

use cartguard_inventory::{Account, Inventory, Timestamp};

use crate::context::{Context, Settings};
use crate::emitter::Emitter;
use crate::finding::{Finding, Status};
use crate::rule::{Area, Rule};
use rayon::prelude::*;

include!(concat!(env!("OUT_DIR"), "/registry.rs"));

/// Every rule, in catalogue order.
pub fn all_rules() -> &'static [&'static Rule] {
    RULES
}

/// Every operation some rule reads, once each, in catalogue order: what the
/// coverage summary reports on and what a collector must fetch.
pub fn evidence_read() -> Vec<cartguard_inventory::Operation> {
    let mut out = Vec::new();
    for rule in RULES {
        for operation in rule.operations() {
            if !out.contains(&operation) {
                out.push(operation);
            }
        }
    }
    out
}

/// The rule with this id.
pub fn find_rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.id == id)
}

/// The ids closest to an unknown one, best first.
pub fn suggest(id: &str) -> Vec<&'static str> {
    let mut scored: Vec<(f64, &'static str)> = RULES
        .iter()
        .map(|r| {
            let mut score = strsim::jaro_winkler(id, r.id);
            if r.id.contains(id) {
                score += 0.5;
            }
            (score, r.id)
        })
        .filter(|(score, _)| *score > 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, id)| id).collect()
}

/// Runs every rule over every account; findings come most severe first, in a
/// stable order.
pub fn run(inventory: &Inventory, settings: &Settings, now: Timestamp) -> Vec<Finding> {
    run_timed(inventory, settings, now).0
}

/// One rule over one account, in the order it emits its findings (unsorted).
/// The engines' analyses the rule reads are built on first use, unless
/// [`Context::prepare`] built them before.
pub fn run_rule(rule: &Rule, context: &Context) -> Vec<Finding> {
    let mut emitter = Emitter::new(rule.facts(&context.account.id), rule.evidence);
    (rule.check)(context, &mut emitter);
    emitter.into_findings()
}

/// How long one step of a scan took: building an account's principals, or one
/// rule over all accounts (the first rule to need an engine's analysis pays for it).
#[derive(Debug, Clone)]
pub struct Timing {
    /// `principals` or a rule id.
    pub step: &'static str,
    /// Time spent.
    pub elapsed: std::time::Duration,
}

/// [`run`], also reporting how long each step took (for `scan --timings`).
pub fn run_timed(
    inventory: &Inventory,
    settings: &Settings,
    now: Timestamp,
) -> (Vec<Finding>, Vec<Timing>) {
    let mut findings = Vec::new();
    let mut timings: Vec<Timing> = Vec::new();
    let mut add = |step: &'static str, elapsed: std::time::Duration| match timings
        .iter_mut()
        .find(|t| t.step == step)
    {
        Some(t) => t.elapsed += elapsed,
        None => timings.push(Timing { step, elapsed }),
    };
    let files_given = !inventory.files.is_empty();
    // Files and the one account given with them (or the account named with
    // --files-account) are one picture: the application rules run with that
    // account (a key found in a file is looked up in its credential report).
    let files_account = match (&settings.files_account, inventory.accounts.as_slice()) {
        (Some(id), _) => inventory.accounts.iter().position(|a| &a.id == id),
        (None, [_]) => Some(0),
        (None, _) => None,
    };
    let joined = files_given && files_account.is_some();
    for (index, account) in inventory.accounts.iter().enumerate() {
        let started = std::time::Instant::now();
        let principals = cartguard_iam::Principals::of_account(account);
        add("principals", started.elapsed());
        let context = Context::new(account, now, settings, principals.as_ref())
            .with_server_files(&inventory.files, &inventory.accounts);
        for (step, elapsed) in context.prepare() {
            add(step, elapsed);
        }
        let with_files = joined && files_account == Some(index);
        for (id, elapsed, mut found) in
            run_rules(&context, |area| area != Area::Application || with_files)
        {
            findings.append(&mut found);
            add(id, elapsed);
        }
    }
    // Otherwise the application rules read the server files once, with no
    // account (with several, the files belong to none in particular).
    if files_given && !joined {
        let no_account = Account::default();
        let context = Context::new(&no_account, now, settings, None)
            .with_server_files(&inventory.files, &inventory.accounts);
        for (id, elapsed, mut found) in run_rules(&context, |area| area == Area::Application) {
            findings.append(&mut found);
            add(id, elapsed);
        }
    }
    findings.sort_by(|a, b| {
        fn key(f: &Finding) -> (Status, &str, &str, &str, &str, &str) {
            (
                f.status,
                f.rule_id,
                &f.account,
                &f.region,
                &f.resource,
                &f.fingerprint,
            )
        }
        b.severity
            .cmp(&a.severity)
            .then_with(|| key(a).cmp(&key(b)))
    });
    (findings, timings)
}

/// The rules of the areas `areas` accepts, over one context: they only read
/// it, so they run side by side; their findings come in registry order.
fn run_rules(
    context: &Context,
    areas: impl Fn(Area) -> bool + Sync,
) -> Vec<(&'static str, std::time::Duration, Vec<Finding>)> {
    RULES
        .par_iter()
        .filter(|rule| areas(rule.area))
        .map(|rule| {
            let started = std::time::Instant::now();
            let found = run_rule(rule, context);
            (rule.id, started.elapsed(), found)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;

    #[test]
    fn ids_are_unique_and_documented() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
        for rule in RULES {
            for heading in [
                "What it checks",
                "Why it matters",
                "Severity",
                "How to fix",
                "Example",
            ] {
                assert!(
                    !rule.section(heading).is_empty(),
                    "{}: no `## {heading}`",
                    rule.id
                );
            }
        }
    }

    /// The `## Severity` section names every level the declaration allows, in
    /// words a reader can check against a finding: the top and the bottom of
    /// the range, or "Always …" for a rule whose severity never changes.
    #[test]
    fn severity_sections_agree_with_the_declared_range() {
        for rule in RULES {
            assert!(
                rule.lowest <= rule.severity,
                "{}: lowest {} is above severity {}",
                rule.id,
                rule.lowest.name(),
                rule.severity.name()
            );
            let text = rule.section("Severity").to_lowercase();
            for level in [rule.severity, rule.lowest] {
                assert!(
                    text.contains(level.name()),
                    "{}: `## Severity` does not name {}: {text}",
                    rule.id,
                    level.name()
                );
            }
            let always = format!("always {}", rule.severity.name());
            assert_eq!(
                text.starts_with(&always),
                rule.lowest == rule.severity,
                "{}: a rule declared with a single severity says `{always}`, and only such a rule: {text}",
                rule.id
            );
            for level in Severity::DESCENDING {
                if !rule.allows(level) {
                    let named = text
                        .split(|c: char| !c.is_alphanumeric())
                        .any(|w| w == level.name());
                    assert!(
                        !named,
                        "{}: `## Severity` names {}, outside the declared {}",
                        rule.id,
                        level.name(),
                        rule.severity_range()
                    );
                }
            }
        }
    }

    #[test]
    fn lowering_keeps_failures_above_info() {
        assert_eq!(Severity::Critical.lowered(2), Severity::Medium);
        assert_eq!(Severity::High.lowered(1), Severity::Medium);
        assert_eq!(Severity::Medium.lowered(2), Severity::Low);
        assert_eq!(Severity::Low.lowered(1), Severity::Low);
        assert_eq!(Severity::Info.lowered(1), Severity::Info);
        assert_eq!(
            crate::Proof::Blocked.severity(Severity::High),
            Severity::Low
        );
        assert_eq!(
            crate::Proof::Proven.severity(Severity::High),
            Severity::High
        );
    }

    #[test]
    fn suggests_near_ids() {
        assert_eq!(
            suggest("iam-root-acces-keys").first(),
            Some(&"iam-root-access-keys")
        );
        assert!(suggest("zzz").is_empty());
    }
}
