use serde_json::json;

use super::{acls_assessed, ec2_arn, entry_text};
use crate::{Context, Emitter, Failure, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every network ACL entry must be able to match some packet. Entries are
    /// evaluated in ascending rule number and the first match decides, so an entry
    /// whose whole traffic (ports and addresses) is already matched by lower-numbered
    /// entries — one or several together — never takes effect. The finding names the
    /// shadowed entry and the entries that shadow it. When a shadowing entry has the
    /// opposite action (a deny-all before the allows), the ACL does not do what its
    /// author meant: medium. A redundant entry with the same action is reported at low.
    ///
    /// ## Why it matters
    /// A shadowed allow is a service that silently does not work, or a deny that
    /// silently protects nothing; either way the ACL's intent and its effect differ,
    /// and PCI DSS 1.2.7 asks that rule sets be reviewed for exactly this.
    ///
    /// ## Severity
    /// Medium when a shadowing entry has the opposite action (the ACL does not do
    /// what its author meant); low when the shadowed entry only repeats the action
    /// of the entries before it.
    ///
    /// ## How to fix
    /// Renumber the entries so the specific ones come first (or delete the dead one):
    ///
    /// ```sh
    /// aws ec2 delete-network-acl-entry --network-acl-id acl-0123 --ingress --rule-number 200
    /// aws ec2 create-network-acl-entry --network-acl-id acl-0123 --ingress --rule-number 90 \
    ///   --protocol tcp --port-range From=443,To=443 --cidr-block 0.0.0.0/0 --rule-action allow
    /// ```
    ///
    /// ## Example
    /// Inbound rule 100 `deny all 0.0.0.0/0` followed by rule 200 `allow tcp/443
    /// 0.0.0.0/0`: rule 200 is shadowed (medium). Rule 100 `allow tcp/443` followed by
    /// rule 200 `deny all` passes.
    pub static RULE = {
        id: "net-nacl-rule-shadowed",
        title: "A network ACL entry can never match",
        severity: Medium,
        lowest: Low,
        area: Network,
        evidence: [cartguard_net::EVIDENCE],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    if !super::any_region(ctx, out) {
        return;
    }
    for region in ctx.networks() {
        if !acls_assessed(ctx, region, out) {
            continue;
        }
        super::unreadable_acls(ctx, region, out);
        for shadowed in &region.acls.shadowed {
            let by: Vec<String> = shadowed
                .shadowed_by
                .iter()
                .map(|e| entry_text(e, shadowed.direction))
                .collect();
            let entry = entry_text(&shadowed.entry, shadowed.direction);
            let consequence = match (shadowed.contradicted, shadowed.entry.action) {
                (true, "allow") => "so the traffic it means to allow is dropped",
                (true, _) => "so the traffic it means to deny is let through",
                _ => "so it is redundant",
            };
            let flag = match shadowed.direction {
                cartguard_net::Direction::Inbound => "--ingress",
                cartguard_net::Direction::Outbound => "--egress",
            };
            out.fail(Failure {
                detail: format!("In network ACL {}, {entry} never matches: all its traffic is matched first by {}, {consequence}.", shadowed.acl_id, by.join("; ")),
                evidence: json!({"source": "describe-network-acls", "shadowed": shadowed}),
                remediation: format!(
                    "Renumber or remove the entry: aws ec2 delete-network-acl-entry --network-acl-id {} {flag} --rule-number {}, and recreate it with a number below {} if it is still wanted.",
                    shadowed.acl_id,
                    shadowed.entry.rule_number,
                    shadowed.shadowed_by.first().map(|e| e.rule_number).unwrap_or(shadowed.entry.rule_number)
                ),
                discriminator: Some(format!("{:?}-{}", shadowed.direction, shadowed.entry.rule_number)),
                severity: (!shadowed.contradicted).then_some(Severity::Low),
                region: region.region.to_string(),
                ..Failure::global(ec2_arn(ctx, region.region, "network-acl", &shadowed.acl_id))
            });
        }
    }
}
