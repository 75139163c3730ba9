//! What a rule is, what it sees, and how it reports.

use std::sync::OnceLock;

use cartguard_iam::Principals;
use cartguard_iam::escalation::{AdminPaths, Analysis, EscalationFinding};
use cartguard_inventory::{Account, Collected, EvidenceKey, Operation, Timestamp};
use cartguard_net::{AclFindings, Exposure, LatentExposure, Network};
use rayon::prelude::*;
use serde::Serialize;

use crate::finding::{Failure, Finding, Severity, Status};
use crate::registry::Settings;

/// The area of the checklist a rule belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Area {
    /// Identity and access.
    Iam,
    /// Network exposure.
    Network,
    /// Data protection and secrets.
    Data,
    /// Logging, monitoring and detection.
    Logging,
    /// Edge and web tier.
    Edge,
    /// Application tier (server files).
    Application,
}

impl Area {
    /// The area's short name, as shown in `cartguard rules`.
    pub fn name(self) -> &'static str {
        match self {
            Area::Iam => "iam",
            Area::Network => "network",
            Area::Data => "data",
            Area::Logging => "logging",
            Area::Edge => "edge",
            Area::Application => "application",
        }
    }
}

/// A rule: its metadata, its documentation and its check.
pub struct Rule {
    /// The public id (never renamed).
    pub id: &'static str,
    /// One-line title.
    pub title: &'static str,
    /// Default severity of its failures.
    pub severity: Severity,
    /// Checklist area.
    pub area: Area,
    /// The evidence the rule reads, as groups of API operations (an engine's
    /// group such as `cartguard_net::EVIDENCE`, or the rule's own calls). The
    /// coverage summary, `cartguard rules --format json` and the collectors
    /// derive what to report and fetch from it.
    pub evidence: &'static [&'static [Operation]],
    /// The rule's documentation (markdown), from its doc comment.
    pub doc: &'static str,
    /// The check.
    pub check: fn(&Context, &mut Emitter),
}

impl Rule {
    /// The documentation with the one-space indent of doc comments removed.
    pub fn documentation(&self) -> String {
        let mut text: String = self
            .doc
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n");
        text.truncate(text.trim_end().len());
        text
    }

    /// Every operation the rule reads, once each, in declaration order.
    pub fn operations(&self) -> Vec<Operation> {
        let mut out: Vec<Operation> = Vec::new();
        for operation in self.evidence.iter().flat_map(|group| group.iter()) {
            if !out.contains(operation) {
                out.push(*operation);
            }
        }
        out
    }

    /// The text of one `## Heading` section of the documentation.
    pub fn section(&self, heading: &str) -> String {
        let doc = self.documentation();
        let mut inside = false;
        let mut out = Vec::new();
        for line in doc.lines() {
            if let Some(title) = line.strip_prefix("## ") {
                inside = title.trim().eq_ignore_ascii_case(heading);
                continue;
            }
            if inside {
                out.push(line);
            }
        }
        out.join("\n").trim().to_string()
    }
}

/// Declares a rule. The doc comment becomes its documentation; it must contain
/// the sections `## What it checks`, `## Why it matters`, `## How to fix` and
/// `## Example`. `evidence` lists the groups of API operations it reads.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])+
        pub static $name:ident = {
            id: $id:literal,
            title: $title:literal,
            severity: $severity:ident,
            area: $area:ident,
            evidence: [$($evidence:expr),* $(,)?],
            check: $check:path $(,)?
        };
    ) => {
        $(#[doc = $doc])+
        pub static $name: $crate::Rule = $crate::Rule {
            id: $id,
            title: $title,
            severity: $crate::Severity::$severity,
            area: $crate::Area::$area,
            evidence: &[$($evidence),*],
            doc: concat!($($doc, "\n"),+),
            check: $check,
        };
    };
}

/// What a rule sees: one account, the scan's clock and settings, and the
/// engines' answers, computed once per account and shared by the rules.
pub struct Context<'a> {
    /// The account under audit.
    pub account: &'a Account,
    /// "Today" for age-based rules (`--now`, or the clock).
    pub now: Timestamp,
    /// Thresholds.
    pub settings: &'a Settings,
    networks: OnceLock<Vec<RegionNetwork<'a>>>,
    principals: Option<&'a Principals>,
    iam_analysis: OnceLock<Analysis<'a>>,
    admin_paths: OnceLock<Vec<EscalationFinding>>,
}

/// One region's network index and the analyses every network rule reads.
pub struct RegionNetwork<'a> {
    /// The region's name.
    pub region: &'a str,
    /// The reachability index.
    pub network: Network<'a>,
    /// What the internet can reach.
    pub exposure: Exposure,
    /// Network ACL analyses.
    pub acls: AclFindings,
    /// Security groups open to the world whose members the internet cannot reach.
    pub latent: Vec<LatentExposure>,
}

impl<'a> Context<'a> {
    /// A context for one account. `principals` are the account's users and roles
    /// with their policy sets, when the authorization details were collected.
    pub fn new(
        account: &'a Account,
        now: Timestamp,
        settings: &'a Settings,
        principals: Option<&'a Principals>,
    ) -> Self {
        Context {
            account,
            now,
            settings,
            networks: OnceLock::new(),
            principals,
            iam_analysis: OnceLock::new(),
            admin_paths: OnceLock::new(),
        }
    }

    /// Builds the engines' analyses that rules share (the network index of
    /// every region; effective permissions, admin status and escalation paths),
    /// in parallel, so that rules can then run side by side without waiting on
    /// one another. Returns how long each took.
    pub fn prepare(&self) -> Vec<(&'static str, std::time::Duration)> {
        let timed = |step: &'static str, work: &dyn Fn()| {
            let started = std::time::Instant::now();
            work();
            (step, started.elapsed())
        };
        let (network, (iam, paths)) = rayon::join(
            || {
                timed("network analysis", &|| {
                    let _ = self.networks();
                })
            },
            || {
                let iam = timed("effective permissions", &|| {
                    let _ = self.iam_analysis();
                });
                let paths = timed("escalation paths", &|| {
                    let _ = self.admin_paths();
                });
                (iam, paths)
            },
        );
        vec![network, iam, paths]
    }

    /// The account's users and roles with their policy sets, if collected.
    pub fn principals(&self) -> Option<&'a Principals> {
        self.principals
    }

    /// Effective permissions, admin status and escalation paths of every
    /// principal, computed on first use (`None` without authorization details).
    pub fn iam_analysis(&self) -> Option<&Analysis<'a>> {
        let principals = self.principals?;
        Some(self.iam_analysis.get_or_init(|| Analysis::new(principals)))
    }

    /// The escalations that end at an administrator, for every principal
    /// (`None` without authorization details).
    pub fn admin_paths(&self) -> Option<&[EscalationFinding]> {
        let principals = self.principals?;
        let analysis = self.iam_analysis()?;
        Some(
            self.admin_paths
                .get_or_init(|| AdminPaths::new(analysis, principals, self.account).all()),
        )
    }

    /// The network index of every region, built on first use (regions in parallel).
    pub fn networks(&self) -> &[RegionNetwork<'a>] {
        self.networks.get_or_init(|| {
            self.account
                .regions
                .par_iter()
                .map(|(name, region)| {
                    let network = Network::new(name, region);
                    let exposure = network.exposure();
                    let acls = network.acl_findings();
                    let latent = network.latent_exposure();
                    RegionNetwork {
                        region: name,
                        network,
                        exposure,
                        acls,
                        latent,
                    }
                })
                .collect()
        })
    }

    /// Whole days from `then` to the scan's "now".
    pub fn days_since(&self, then: Timestamp) -> i64 {
        (self.now - then).num_days()
    }
}

/// Collects the findings of one rule on one account.
pub struct Emitter {
    rule: &'static Rule,
    account: String,
    findings: Vec<Finding>,
    rationale: std::sync::Arc<str>,
    compliance: std::sync::Arc<crate::Compliance>,
}

impl Emitter {
    pub(crate) fn new(rule: &'static Rule, account: &str) -> Self {
        Emitter {
            rule,
            account: account.to_string(),
            findings: Vec::new(),
            rationale: rule.section("Why it matters").replace('\n', " ").into(),
            compliance: std::sync::Arc::new(crate::compliance_for(rule.id)),
        }
    }

    pub(crate) fn into_findings(self) -> Vec<Finding> {
        self.findings
    }

    pub(crate) fn rule(&self) -> &'static Rule {
        self.rule
    }

    pub(crate) fn account(&self) -> &str {
        &self.account
    }

    pub(crate) fn rationale(&self) -> &std::sync::Arc<str> {
        &self.rationale
    }

    pub(crate) fn compliance(&self) -> &std::sync::Arc<crate::Compliance> {
        &self.compliance
    }

    /// Reports a failure.
    pub fn fail(&mut self, failure: Failure) {
        let finding = Finding::new(self, Status::Fail, failure);
        self.findings.push(finding);
    }

    /// Reports that the rule could not decide for `resource` in `region`, and why.
    pub fn not_assessed(&mut self, resource: &str, region: &str, reason: String) {
        let failure = Failure {
            resource: resource.to_string(),
            region: region.to_string(),
            detail: reason,
            remediation: "Collect the missing evidence (see docs/evidence.md) and scan again."
                .to_string(),
            ..Failure::default()
        };
        let finding = Finding::new(self, Status::NotAssessed, failure);
        self.findings.push(finding);
    }

    /// The evidence under `key`, or `None` after reporting why the rule cannot
    /// decide without it. AWS's "not configured" answer also yields `None`
    /// here: rules for which that answer is meaningful match on the
    /// [`Collected`] themselves.
    pub fn require<'c, T>(
        &mut self,
        collected: &'c Collected<T>,
        key: &EvidenceKey,
        resource: &str,
        region: &str,
    ) -> Option<&'c T> {
        // What a rule reads must be what it declares: coverage and the
        // collectors are derived from the declaration.
        debug_assert!(
            self.rule.operations().contains(&key.operation),
            "{} reads {} without declaring it",
            self.rule.id,
            key.operation
        );
        match collected {
            Collected::Present(value) => Some(value),
            Collected::NotConfigured { code } => {
                self.not_assessed(resource, region, format!("{key}: AWS answered {code}"));
                None
            }
            other => {
                let reason = other
                    .unavailable_reason(key)
                    .unwrap_or_else(|| format!("{key} is unavailable"));
                self.not_assessed(resource, region, reason);
                None
            }
        }
    }
}
