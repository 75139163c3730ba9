use cartguard_iam::public::{Outsider, kms_key_target, named_account_access, outsider_access};
use cartguard_iam::{Policy, PolicyKind};
use cartguard_inventory::kms;
use serde_json::{Value, json};

use super::{customer_keys, key_arn};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// The key policy of every customer managed KMS key (`get-key-policy`),
    /// evaluated for three kinds of outsider, each with full rights in its own
    /// account: an anonymous caller, a principal of an unrelated account, and
    /// each principal of another account the policy names. A key fails when
    /// one of them may use it (`kms:Decrypt`, `Encrypt`, `ReEncryptFrom`,
    /// `GenerateDataKey`), hand out grants on it (`CreateGrant`) or manage it
    /// (`PutKeyPolicy`, `DisableKey`, `ScheduleKeyDeletion`). A grant to
    /// `"AWS": "*"` narrowed by `kms:CallerAccount`, `aws:PrincipalAccount`,
    /// `aws:PrincipalOrgID` or `aws:SourceVpce` to the owner's account,
    /// organization or network is not broad; the usual first statement, which
    /// gives the account's root `kms:*` so that IAM policies decide, is not an
    /// outsider's grant. The decision is the evaluator's, not a search for
    /// `"*"` in the text.
    ///
    /// ## Why it matters
    /// Whoever may decrypt with the key reads every backup, snapshot, bucket
    /// and secret encrypted under it, wherever the ciphertext ends up; whoever
    /// may change its policy or schedule its deletion can lock the shop out of
    /// its own data.
    ///
    /// ## Severity
    /// Always high.
    ///
    /// ## How to fix
    /// Name the principals that need the key, or narrow a grant to everyone
    /// with the owner's account:
    ///
    /// ```sh
    /// aws kms put-key-policy --key-id <key-id> --policy-name default --policy file://key-policy.json
    /// ```
    ///
    /// ## Example
    /// A statement allowing `kms:Decrypt` to `{"AWS": "*"}` without a condition
    /// fails; the same statement with
    /// `{"StringEquals": {"kms:CallerAccount": "<owner>"}}` passes.
    pub static RULE = {
        id: "kms-policy-broad",
        title: "A KMS key policy lets principals outside the account use or manage the key",
        severity: High,
        area: Data,
        evidence: [&[kms::LIST_KEYS, kms::DESCRIBE_KEY, kms::GET_KEY_POLICY]],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    for (region, metadata) in customer_keys(ctx, out) {
        let arn = key_arn(ctx, region, metadata);
        let key = kms::GET_KEY_POLICY.about(region, &metadata.key_id);
        let Some(collected) = ctx
            .account
            .regions
            .get(region)
            .and_then(|r| r.kms.key_policies.get(&metadata.key_id))
        else {
            out.not_assessed(&arn, region, format!("{key} was not collected"));
            continue;
        };
        let Some(document) = out.require(collected, &key, &arn, region) else {
            continue;
        };
        let name = format!("{arn}#key-policy");
        let policy = match Policy::from_document(&name, PolicyKind::KeyPolicy, document) {
            Ok(policy) => policy,
            Err(error) => {
                out.not_assessed(
                    &arn,
                    region,
                    format!(
                        "the key policy of {} cannot be read: {error}",
                        metadata.key_id
                    ),
                );
                continue;
            }
        };
        let target = kms_key_target(&ctx.account.id, &arn);
        let access = outsider_access(&policy, &target);
        let mut admitted: Vec<(String, Value)> = Vec::new();
        for (who, actions) in &access.admitted_actions {
            if let Some(witness) = access.witness(*who) {
                admitted.push((
                    format!("{} may {}", who.describe(), actions.join(", ")),
                    json!({"who": who.describe(), "witness": witness, "actions": actions}),
                ));
            }
        }
        for (witness, actions) in named_account_access(&policy, &target) {
            admitted.push((
                format!("{} may {}", witness.principal, actions.join(", ")),
                json!({"who": Outsider::NamedAccount.describe(), "witness": witness, "actions": actions}),
            ));
        }
        if admitted.is_empty() {
            if !access.undecided.is_empty() {
                out.not_assessed(
                    &arn,
                    region,
                    format!(
                        "whether the key policy of {} admits outsiders depends on context that could not be chosen for them",
                        metadata.key_id
                    ),
                );
            }
            continue;
        }
        let texts: Vec<&str> = admitted.iter().map(|(t, _)| t.as_str()).collect();
        out.fail(Failure {
            detail: format!(
                "The key policy of KMS key {} admits principals outside the account: {}.",
                metadata.key_id,
                texts.join("; ")
            ),
            evidence: json!({
                "source": "kms get-key-policy, evaluated for outsiders",
                "key": metadata,
                "admitted": admitted.iter().map(|(_, e)| e).collect::<Vec<_>>(),
            }),
            remediation: format!(
                "aws kms put-key-policy --key-id {} --policy-name default --policy file://key-policy.json --region {region}   # name the principals that need the key, or add {{\"StringEquals\": {{\"kms:CallerAccount\": \"{}\"}}}} to grants to everyone",
                metadata.key_id, ctx.account.id
            ),
            region: region.to_string(),
            ..Failure::global(arn)
        });
    }
}
