//! What a rule is: its metadata, its documentation and its check.

use cartguard_inventory::Operation;
use serde::Serialize;

use crate::compliance::compliance_for;
use crate::context::Context;
use crate::emitter::Emitter;
use crate::finding::{RuleFacts, Severity};

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
    /// Every area of the catalogue, in CHECKLIST.md's order.
    pub const ALL: [Area; 6] = [
        Area::Iam,
        Area::Network,
        Area::Data,
        Area::Logging,
        Area::Edge,
        Area::Application,
    ];

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
    /// The severity of a failure the evidence proves: the top of its range.
    pub severity: Severity,
    /// The lowest severity a failure of the rule can have (a blocked, latent
    /// or conditional one); the same as `severity` when the context never
    /// changes it. The documentation's `## Severity` says when each applies.
    pub lowest: Severity,
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

    /// The severities the rule's failures span, in words: `critical`, or
    /// `medium–critical` (lowest first) when the context lowers some.
    pub fn severity_range(&self) -> String {
        if self.lowest == self.severity {
            self.severity.name().to_string()
        } else {
            format!("{}–{}", self.lowest.name(), self.severity.name())
        }
    }

    /// Whether `severity` is within the rule's declared range.
    pub fn allows(&self, severity: Severity) -> bool {
        (self.lowest..=self.severity).contains(&severity)
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

    /// What the rule's findings on `account` share; computed once per rule
    /// and account, not per finding.
    pub(crate) fn facts(&self, account: &str) -> RuleFacts {
        RuleFacts {
            rule_id: self.id,
            title: self.title,
            severity: self.severity,
            account: account.to_string(),
            rationale: self.section("Why it matters").replace('\n', " ").into(),
            compliance: std::sync::Arc::new(compliance_for(self.id)),
        }
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
/// the sections `## What it checks`, `## Why it matters`, `## Severity` (how the
/// context sets the severity, naming every level of the range), `## How to fix`
/// and `## Example`. `severity` is that of a proven failure; `lowest`, when the
/// context can lower it (see [`Proof`](crate::Proof)), the lowest a failure
/// gets. `evidence` lists the groups of API operations it reads.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])+
        pub static $name:ident = {
            id: $id:literal,
            title: $title:literal,
            severity: $severity:ident,
            $(lowest: $lowest:ident,)?
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
            lowest: $crate::declare_rule!(@lowest $severity $($lowest)?),
            area: $crate::Area::$area,
            evidence: &[$($evidence),*],
            doc: concat!($($doc, "\n"),+),
            check: $check,
        };
    };
    (@lowest $severity:ident) => {
        $crate::Severity::$severity
    };
    (@lowest $severity:ident $lowest:ident) => {
        $crate::Severity::$lowest
    };
}
