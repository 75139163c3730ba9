//! The answers to the auditor's IAM questions, `iam can` and
//! `iam blast-radius`, as the terminal shows them and as JSON documents.

use std::fmt;

use cartguard_iam::Answer;
use cartguard_iam::blast::BlastRadius;

/// An answer to `iam can` for the terminal: the verdict and the request, then
/// the statements that decided, what a conditional verdict waits on, and what
/// the decision could not take into account.
pub fn answer_text(answer: &Answer) -> String {
    AnswerText(answer).to_string()
}

/// An answer to `iam can` as a JSON document.
pub fn answer_json(answer: &Answer) -> serde_json::Result<String> {
    Ok(serde_json::to_string_pretty(answer)? + "\n")
}

/// A blast radius for the terminal: a table with one row per store and
/// access under column headers, what its reach column means, one entry per
/// path to administrator, then what could not be taken into account.
pub fn blast_radius_text(radius: &BlastRadius) -> String {
    BlastRadiusText(radius).to_string()
}

/// A blast radius as a JSON document.
pub fn blast_radius_json(radius: &BlastRadius) -> serde_json::Result<String> {
    Ok(serde_json::to_string_pretty(radius)? + "\n")
}

struct AnswerText<'a>(&'a Answer);

impl fmt::Display for AnswerText<'_> {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        let answer = self.0;
        writeln!(
            out,
            "{}: {} {} on {}",
            answer.decision.to_string().to_uppercase(),
            answer.principal,
            answer.action,
            answer.resource
        )?;
        match (&answer.refused_by, answer.reason) {
            (Some(refusal), _) => writeln!(out, "  refused: {refusal}")?,
            (None, Some(reason)) => writeln!(out, "  refused: {reason}")?,
            (None, None) => {}
        }
        for quote in &answer.statements {
            let sid = quote
                .sid
                .as_deref()
                .map(|sid| format!("({sid}) "))
                .unwrap_or_default();
            writeln!(
                out,
                "  statement {} {sid}of {}\n    {}",
                quote.statement_index, quote.policy, quote.statement
            )?;
        }
        for pending in &answer.conditions {
            if let Some(problem) = &pending.problem {
                let sid = pending
                    .statement
                    .sid
                    .as_deref()
                    .map(|sid| format!(" ({sid})"))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "  cannot decide statement {}{sid} of {}: {problem}; no context settles it",
                    pending.statement.index, pending.statement.policy
                )?;
                continue;
            }
            let key = &pending.key;
            writeln!(
                out,
                "  depends on {key} ({} {}) — give it with --context {key}=… or --absent {key}",
                pending.operator.as_deref().unwrap_or(pending.element),
                pending.values.join(", ")
            )?;
        }
        for note in &answer.notes {
            writeln!(out, "  note: {note}")?;
        }
        for warning in &answer.warnings {
            writeln!(out, "  warning: {warning}")?;
        }
        Ok(())
    }
}

struct BlastRadiusText<'a>(&'a BlastRadius);

/// What the REACH column of a blast radius means.
const REACH_LEGEND: &str = concat!(
    "  REACH  all          the whole resource (for a pattern: every store of the kind)\n",
    "         some         only part of it (the statements name some keys or items)\n",
    "         conditional  only when a condition of the granting statements holds",
);

impl fmt::Display for BlastRadiusText<'_> {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        let radius = self.0;
        let administrator = if radius.administrator {
            " (administrator: every store)"
        } else {
            ""
        };
        writeln!(out, "blast radius of {}{administrator}", radius.principal)?;
        if radius.data_stores.is_empty() {
            writeln!(out, "  no data store in reach")?;
        } else {
            writeln!(
                out,
                "  {:<7} {:<11} {:<15} RESOURCE  (ACTIONS)",
                "ACCESS", "REACH", "STORE"
            )?;
        }
        for store in &radius.data_stores {
            writeln!(
                out,
                "  {:<7} {:<11} {:<15} {}  ({})",
                store.access,
                store.reach,
                store.store,
                store.resource,
                store.actions.join(", ")
            )?;
        }
        if !radius.data_stores.is_empty() {
            writeln!(out, "{REACH_LEGEND}")?;
        }
        for path in &radius.escalations {
            let targets = if path.targets.is_empty() {
                String::new()
            } else {
                format!(" (targets: {})", path.targets.join(", "))
            };
            writeln!(
                out,
                "  escalation: {} — {}{targets}",
                path.method, path.description
            )?;
            for (n, step) in path.steps.iter().enumerate() {
                writeln!(out, "    {}. {step}", n + 1)?;
            }
            if !path.missing_evidence.is_empty() {
                writeln!(
                    out,
                    "    potential: its targets are not in the evidence (not collected: {})",
                    path.missing_evidence.join(", ")
                )?;
            }
        }
        for warning in &radius.warnings {
            writeln!(out, "  warning: {warning}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use cartguard_iam::blast::{Access, EscalationPath, Reach, StoreAccess};
    use cartguard_iam::query::PendingCondition;
    use cartguard_iam::{Effect, ImplicitDenyReason, StatementQuote, StatementRef, Verdict};
    use serde_json::json;

    use super::*;

    fn reference() -> StatementRef {
        StatementRef {
            policy: "arn:aws:iam::111122223333:policy/mfa".into(),
            index: 4,
            sid: Some("DenyWithoutMfa".into()),
        }
    }

    fn answer(decision: Verdict) -> Answer {
        Answer {
            decision,
            principal: "arn:aws:iam::111122223333:user/alice".into(),
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::media/logo.png".into(),
            statements: Vec::new(),
            conditions: Vec::new(),
            reason: None,
            refused_by: None,
            resource_policies: Vec::new(),
            notes: Vec::new(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn a_conditional_answer_says_what_it_waits_on() {
        let mut conditional = answer(Verdict::Conditional);
        conditional.statements.push(StatementQuote {
            policy: reference().policy,
            statement_index: 4,
            sid: reference().sid,
            statement: json!({"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"}),
            deciding: Vec::new(),
        });
        conditional.conditions.push(PendingCondition {
            effect: Effect::Deny,
            element: "Condition",
            operator: Some("BoolIfExists".into()),
            key: "aws:MultiFactorAuthPresent".into(),
            values: vec!["false".into()],
            problem: None,
            statement: reference(),
        });
        conditional
            .warnings
            .push("s3:GetObjekt is not in the IAM action catalogue".into());
        assert_eq!(
            answer_text(&conditional),
            "CONDITIONAL: arn:aws:iam::111122223333:user/alice s3:GetObject on arn:aws:s3:::media/logo.png\n\
             \x20 statement 4 (DenyWithoutMfa) of arn:aws:iam::111122223333:policy/mfa\n\
             \x20   {\"Effect\":\"Deny\",\"NotAction\":\"iam:*\",\"Resource\":\"*\"}\n\
             \x20 depends on aws:MultiFactorAuthPresent (BoolIfExists false) — give it with --context aws:MultiFactorAuthPresent=… or --absent aws:MultiFactorAuthPresent\n\
             \x20 warning: s3:GetObjekt is not in the IAM action catalogue\n"
        );
        let document: serde_json::Value =
            serde_json::from_str(&answer_json(&conditional).expect("JSON")).expect("JSON");
        assert_eq!(document["decision"], "conditional");
        assert_eq!(document["conditions"][0]["effect"], "Deny");
        assert_eq!(document["conditions"][0]["statement"]["statement_index"], 4);
    }

    #[test]
    fn an_unreadable_condition_names_its_policy_and_statement() {
        let mut conditional = answer(Verdict::Conditional);
        conditional.conditions.push(PendingCondition {
            effect: Effect::Deny,
            element: "Condition",
            operator: Some("StringEqualz".into()),
            key: "aws:username".into(),
            values: vec!["alice".into()],
            problem: Some("StringEqualz is not a condition operator AWS defines".into()),
            statement: reference(),
        });
        conditional
            .notes
            .push("decided for the session s of r".into());
        assert_eq!(
            answer_text(&conditional),
            "CONDITIONAL: arn:aws:iam::111122223333:user/alice s3:GetObject on arn:aws:s3:::media/logo.png\n\
             \x20 cannot decide statement 4 (DenyWithoutMfa) of arn:aws:iam::111122223333:policy/mfa: StringEqualz is not a condition operator AWS defines; no context settles it\n\
             \x20 note: decided for the session s of r\n"
        );
        let document: serde_json::Value =
            serde_json::from_str(&answer_json(&conditional).expect("JSON")).expect("JSON");
        assert_eq!(
            document["conditions"][0]["problem"],
            "StringEqualz is not a condition operator AWS defines"
        );
        assert_eq!(document["notes"][0], "decided for the session s of r");
    }

    #[test]
    fn an_implicit_deny_names_what_refuses_it() {
        let mut denied = answer(Verdict::ImplicitDeny);
        denied.reason = Some(ImplicitDenyReason::ResourcePolicyRequired);
        denied.refused_by = Some(
            "the trust policy of arn:aws:iam::111122223333:role/web does not admit arn:aws:iam::111122223333:user/alice: it admits only the service ec2.amazonaws.com".into(),
        );
        assert_eq!(
            answer_text(&denied),
            "IMPLICIT-DENY: arn:aws:iam::111122223333:user/alice s3:GetObject on arn:aws:s3:::media/logo.png\n\
             \x20 refused: the trust policy of arn:aws:iam::111122223333:role/web does not admit arn:aws:iam::111122223333:user/alice: it admits only the service ec2.amazonaws.com\n"
        );
        let document: serde_json::Value =
            serde_json::from_str(&answer_json(&denied).expect("JSON")).expect("JSON");
        assert_eq!(document["reason"], "resource-policy-required");
        assert!(
            document["refused_by"]
                .as_str()
                .is_some_and(|r| r.starts_with("the trust policy of ")),
            "{document}"
        );
        // Without the words, the reason's name still says what refused it.
        denied.refused_by = None;
        assert!(
            answer_text(&denied).ends_with("\n  refused: resource-policy-required\n"),
            "{}",
            answer_text(&denied)
        );
    }

    #[test]
    fn a_blast_radius_lines_up_its_columns() {
        let radius = BlastRadius {
            principal: "arn:aws:iam::111122223333:user/bruno".into(),
            administrator: false,
            data_stores: vec![StoreAccess {
                store: "s3",
                resource: "arn:aws:s3:::media".into(),
                access: Access::Read,
                reach: Reach::All,
                actions: vec!["s3:GetObject".into()],
                granted_by: vec![reference()],
            }],
            escalations: vec![EscalationPath {
                method: "passrole-ec2-run-instances",
                description: "Launch an instance with a more privileged role.",
                targets: vec!["arn:aws:iam::111122223333:role/ops".into()],
                conditional: false,
                steps: vec![
                    "iam:PassRole on arn:aws:iam::111122223333:role/ops".into(),
                    "ec2:RunInstances on *".into(),
                ],
                missing_evidence: Vec::new(),
            }],
            warnings: Vec::new(),
        };
        assert_eq!(
            blast_radius_text(&radius),
            format!(
                "blast radius of arn:aws:iam::111122223333:user/bruno\n\
             \x20 ACCESS  REACH       STORE           RESOURCE  (ACTIONS)\n\
             \x20 read    all         s3              arn:aws:s3:::media  (s3:GetObject)\n\
             {REACH_LEGEND}\n\
             \x20 escalation: passrole-ec2-run-instances — Launch an instance with a more privileged role. (targets: arn:aws:iam::111122223333:role/ops)\n\
             \x20   1. iam:PassRole on arn:aws:iam::111122223333:role/ops\n\
             \x20   2. ec2:RunInstances on *\n"
            )
        );
        let document: serde_json::Value =
            serde_json::from_str(&blast_radius_json(&radius).expect("JSON")).expect("JSON");
        assert_eq!(document["data_stores"][0]["access"], "read");
        assert_eq!(document["data_stores"][0]["reach"], "all");
        assert!(document.get("warnings").is_none());
    }
}
