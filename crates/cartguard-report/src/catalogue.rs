//! The rule catalogue as a terminal table or as markdown.

use cartguard_rules::{Area, Rule};
use comfy_table::{ColumnConstraint, ContentArrangement, Table, Width, presets};

/// The catalogue as JSON: each rule's id, title, severity (that of a proven
/// failure) and lowest severity (that of a blocked, latent or conditional
/// one), area, compliance references and the evidence (API operations) it reads.
pub fn rules_json(rules: &[&Rule]) -> serde_json::Result<String> {
    let list: Vec<_> = rules
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.id,
                "title": r.title,
                "severity": r.severity,
                "lowest_severity": r.lowest,
                "area": r.area,
                "compliance": cartguard_rules::compliance_for(r.id),
                "evidence": r.operations(),
            })
        })
        .collect();
    Ok(serde_json::to_string_pretty(&list)? + "\n")
}

/// A rule's references for the terminal table, in lines at most `width`
/// characters wide: each standard's references stay on one line when they fit
/// (`PCI 8.2.2, 7.2.2`), so a reference is never cut from its standard.
fn standards_lines(rule: &Rule, width: usize) -> String {
    let compliance = cartguard_rules::compliance_for(rule.id);
    let mut lines: Vec<String> = Vec::new();
    for standard in cartguard_rules::standards() {
        let Some(refs) = compliance.get(&standard.id).filter(|r| !r.is_empty()) else {
            continue;
        };
        let part = format!("{} {}", standard.short, refs.join(", "));
        match lines.last_mut() {
            Some(line) if line.chars().count() + 2 + part.chars().count() <= width => {
                line.push_str("; ");
                line.push_str(&part);
            }
            _ => lines.push(part),
        }
    }
    lines.join("\n")
}

/// The catalogue as tables for a terminal `width` columns wide, one per area.
/// The left column holds each rule's id, never broken (it is copied and
/// searched for), with its severity below: that of a proven failure, or the
/// range a blocked, latent or conditional failure lowers it to
/// (`medium–critical`). The right column holds the title, wrapped to the
/// width left, and the standards below it.
pub fn rules_table(rules: &[&Rule], width: u16) -> String {
    let left = rules
        .iter()
        .map(|r| r.id.chars().count().max(r.severity_range().chars().count()))
        .chain(["id · severity".chars().count()])
        .max()
        .unwrap_or(0);
    // Borders and padding: `│ ` + left + ` ┆ ` + right + ` │`.
    let right = usize::from(width).saturating_sub(left + 7).max(20);
    let mut out = String::new();
    for area in Area::ALL {
        let listed: Vec<&Rule> = rules.iter().copied().filter(|r| r.area == area).collect();
        if listed.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        let count = listed.len();
        out.push_str(&format!(
            "{} ({count} rule{})\n",
            area.name(),
            if count == 1 { "" } else { "s" }
        ));
        let mut table = Table::new();
        table
            .load_preset(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width)
            .set_header(["id · severity", "title · standards"]);
        for rule in listed {
            let standards = standards_lines(rule, right);
            let about = if standards.is_empty() {
                rule.title.to_string()
            } else {
                format!("{}\n{standards}", rule.title)
            };
            table.add_row([format!("{}\n{}", rule.id, rule.severity_range()), about]);
        }
        let fixed = [(0, left + 2), (1, right + 2)];
        for (index, columns) in fixed {
            if let (Some(column), Ok(columns)) = (table.column_mut(index), u16::try_from(columns)) {
                column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(columns)));
            }
        }
        out.push_str(&table.to_string());
        out.push('\n');
    }
    out
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
            rule.severity_range(),
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
        rule.severity_range(),
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
        "# Rules reference\n\nGenerated from the rules' own documentation (`cartguard rules --format reference`); do not edit by hand.\n\n\
         A rule's severity is that of a failure the evidence proves. Where the context can lower it, the table gives the range \
         (`medium–critical`) and the rule's `Severity` section says when: the same context lowers every rule by the same number \
         of levels, one for a narrower audience or a condition the evidence cannot settle (an internal load balancer, a grant \
         that needs MFA), two for a weakness that a control in force blocks today or that nothing uses yet (a public access \
         block, a security group, a deactivated key). A failure is never lowered below low; info is for inventory.\n\n",
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

    /// At 80 columns every line fits, every id is whole on one line, and each
    /// rule's severity range and references are shown.
    #[test]
    fn table_fits_80_columns_without_breaking_ids() {
        let rules = cartguard_rules::all_rules();
        let text = rules_table(rules, 80);
        for line in text.lines() {
            assert!(line.chars().count() <= 80, "wider than 80: {line}");
        }
        let lines: Vec<&str> = text.lines().collect();
        for rule in rules {
            let at = lines
                .iter()
                .position(|l| l.split([' ', '│', '┆']).any(|word| word == rule.id))
                .unwrap_or_else(|| panic!("{} is not whole on any line", rule.id));
            let below = lines.get(at + 1).copied().unwrap_or_default();
            assert!(
                below.contains(&format!("│ {} ", rule.severity_range())),
                "{}: the severity {} is not under the id: {below}",
                rule.id,
                rule.severity_range()
            );
        }
        assert!(text.contains("medium–critical"), "{text}");
        assert!(
            text.contains("PCI 8.2.2, 7.2.2; CIS3 1.4; CIS7 2.4"),
            "{text}"
        );
        for area in Area::ALL {
            assert!(
                text.contains(&format!("\n{} (", area.name())) || text.starts_with(area.name())
            );
        }
    }

    /// A wide terminal gives each title and its references one line each.
    #[test]
    fn a_wide_table_keeps_titles_whole() {
        let rules = cartguard_rules::all_rules();
        let text = rules_table(rules, 200);
        for rule in rules {
            assert!(text.contains(rule.title), "{}: title wrapped", rule.id);
        }
    }

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
