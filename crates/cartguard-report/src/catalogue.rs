//! The rule catalogue as a terminal table or as markdown.

use cartguard_rules::Rule;
use comfy_table::{ContentArrangement, Table, presets};

fn standards(rule: &Rule) -> String {
    let compliance = cartguard_rules::compliance_for(rule.id);
    let mut parts = Vec::new();
    for (standard, label) in [
        ("pci-dss-4.0.1", "PCI"),
        ("cis-aws-3.0.0", "CIS3"),
        ("cis-aws-7.0.0", "CIS7"),
    ] {
        if let Some(refs) = compliance.get(standard).filter(|r| !r.is_empty()) {
            parts.push(format!("{label} {}", refs.join(", ")));
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
    let mut out = String::from(
        "| id | severity | area | title | PCI DSS 4.0.1 | CIS v3.0.0 | CIS v7.0.0 |\n|---|---|---|---|---|---|---|\n",
    );
    for rule in rules {
        let compliance = cartguard_rules::compliance_for(rule.id);
        let refs = |s: &str| {
            compliance
                .get(s)
                .filter(|r| !r.is_empty())
                .map(|r| r.join(", "))
                .unwrap_or_else(|| "—".into())
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} | {} |\n",
            rule.id,
            rule.severity.name(),
            rule.area.name(),
            rule.title,
            refs("pci-dss-4.0.1"),
            refs("cis-aws-3.0.0"),
            refs("cis-aws-7.0.0"),
        ));
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
