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
