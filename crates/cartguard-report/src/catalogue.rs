//! The rule catalogue as a terminal table or as markdown.

use cartguard_rules::Rule;
use comfy_table::{ContentArrangement, Table, presets};

/// A rule's references for the terminal table: `PCI 8.2.2, 7.2.2; CIS3 1.4`.
fn standards(rule: &Rule) -> String {
    let compliance = cartguard_rules::compliance_for(rule.id);
    let mut parts = Vec::new();
    for standard in cartguard_rules::standards() {
        if let Some(refs) = compliance.get(&standard.id).filter(|r| !r.is_empty()) {
            parts.push(format!("{} {}", standard.short, refs.join(", ")));
        }
    }
    parts.join("; ")
}

/// The catalogue as JSON: each rule's id, title, severity, area, compliance
/// references and the evidence (API operations) it reads.
pub fn rules_json(rules: &[&Rule]) -> serde_json::Result<String> {
    let list: Vec<_> = rules
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.id,
                "title": r.title,
                "severity": r.severity,
                "area": r.area,
                "compliance": cartguard_rules::compliance_for(r.id),
                "evidence": r.operations(),
            })
        })
        .collect();
    Ok(serde_json::to_string_pretty(&list)? + "\n")
}

/// The catalogue as a table for the terminal.
pub fn rules_table(rules: &[&Rule]) -> String {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(["id", "severity", "area", "title", "standards"]);
    for rule in rules {
        table.add_row([
            rule.id.to_string(),
            rule.severity.name().to_string(),
            rule.area.name().to_string(),
            rule.title.to_string(),
            standards(rule),
        ]);
    }
    format!("{table}\n")
}

/// The catalogue as a markdown table (for the README and docs/rules.md).
pub fn rules_markdown(rules: &[&Rule]) -> String {
    let standards = cartguard_rules::standards();
    let mut out = String::from("| id | severity | area | title |");
    for standard in standards {
        out.push_str(&format!(" {} |", standard.name));
    }
    out.push_str("\n|---|---|---|---|");
    out.push_str(&"---|".repeat(standards.len()));
    out.push('\n');
    for rule in rules {
        let compliance = cartguard_rules::compliance_for(rule.id);
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |",
            rule.id,
            rule.severity.name(),
            rule.area.name(),
            rule.title,
        ));
        for standard in standards {
            let refs = compliance
                .get(&standard.id)
                .filter(|r| !r.is_empty())
                .map(|r| r.join(", "))
                .unwrap_or_else(|| "—".into());
            out.push_str(&format!(" {refs} |"));
        }
        out.push('\n');
    }
    out
}

/// One rule's full documentation, as `cartguard explain` prints it.
pub fn explain_rule(rule: &Rule) -> String {
    let mut text = format!(
        "# {} — {}\n\nseverity: {} · area: {}\n",
        rule.id,
        rule.title,
        rule.severity.name(),
        rule.area.name()
    );
    for (standard, refs) in cartguard_rules::compliance_for(rule.id) {
        if !refs.is_empty() {
            text.push_str(&format!("{standard}: {}\n", refs.join(", ")));
        }
    }
    for note in cartguard_rules::compliance_notes(rule.id) {
        text.push_str(&format!("note: {note}\n"));
    }
    text.push('\n');
    text.push_str(&rule.documentation());
    text.push('\n');
    text
}

/// Every rule's documentation, one after another (docs/rules.md).
pub fn rules_reference(rules: &[&Rule]) -> String {
    let mut text = String::from(
        "# Rules reference\n\nGenerated from the rules' own documentation (`cartguard rules --format reference`); do not edit by hand.\n\n",
    );
    text.push_str(&rules_markdown(rules));
    for rule in rules {
        text.push('\n');
        // Rule sections become level-3 headings under the rule's level-2 heading.
        for line in explain_rule(rule).lines() {
            if let Some(title) = line.strip_prefix("## ") {
                text.push_str(&format!("### {title}\n"));
            } else if let Some(title) = line.strip_prefix("# ") {
                text.push_str(&format!("## {title}\n"));
            } else {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_has_a_column_per_listed_standard() {
        let rules = cartguard_rules::all_rules();
        let text = rules_markdown(rules);
        let mut lines = text.lines();
        let header = lines.next().unwrap_or_default();
        for standard in cartguard_rules::standards() {
            assert!(
                header.contains(&format!("| {} |", standard.name)),
                "{header}"
            );
        }
        let columns = 4 + cartguard_rules::standards().len();
        assert_eq!(
            lines.next(),
            Some(format!("|{}", "---|".repeat(columns)).as_str())
        );
    }
}
