use cartguard_inventory::kms;
use serde_json::json;

use super::{customer_keys, key_arn};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every customer managed KMS key of every region (`list-keys`, then
    /// `describe-key`: `KeyManager` `CUSTOMER`, not pending deletion) that
    /// AWS can rotate — symmetric encryption keys (`KeySpec`
    /// `SYMMETRIC_DEFAULT`) whose material AWS made (`Origin` `AWS_KMS`) — must
    /// have automatic rotation on (`get-key-rotation-status`:
    /// `KeyRotationEnabled`). AWS managed keys rotate by themselves every year;
    /// asymmetric, HMAC and imported keys cannot be rotated automatically and
    /// are not judged here.
    ///
    /// ## Why it matters
    /// A key that never changes protects more data the longer it lives, and a
    /// leaked key material keeps decrypting everything until it is replaced.
    /// PCI DSS asks for key changes at the end of a defined cryptoperiod;
    /// automatic rotation does it without re-encrypting the data.
    ///
    /// ## Severity
    /// Always medium.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws kms enable-key-rotation --key-id <key-id> --rotation-period-in-days 365
    /// ```
    ///
    /// ## Example
    /// A customer managed symmetric key answering `"KeyRotationEnabled": false`
    /// fails; one answering `true` passes.
    pub static RULE = {
        id: "kms-rotation-off",
        title: "A customer managed KMS key is not rotated automatically",
        severity: Medium,
        area: Data,
        evidence: [&[
            kms::LIST_KEYS,
            kms::DESCRIBE_KEY,
            kms::GET_KEY_ROTATION_STATUS,
        ]],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    for (region, metadata) in customer_keys(ctx, out) {
        let symmetric =
            metadata.key_spec.as_deref().unwrap_or("SYMMETRIC_DEFAULT") == "SYMMETRIC_DEFAULT";
        let made_by_aws = metadata.origin.as_deref().unwrap_or("AWS_KMS") == "AWS_KMS";
        if !symmetric || !made_by_aws {
            continue;
        }
        let arn = key_arn(ctx, region, metadata);
        let key = kms::GET_KEY_ROTATION_STATUS.about(region, &metadata.key_id);
        let Some(collected) = ctx
            .account
            .regions
            .get(region)
            .and_then(|r| r.kms.rotation.get(&metadata.key_id))
        else {
            out.not_assessed(&arn, region, format!("{key} was not collected"));
            continue;
        };
        let Some(status) = out.require(collected, &key, &arn, region) else {
            continue;
        };
        if status.key_rotation_enabled {
            continue;
        }
        out.fail(Failure {
            detail: format!(
                "KMS key {} ({}) is a customer managed symmetric key with automatic rotation off: its key material has not changed since it was made, and will not.",
                metadata.key_id,
                metadata.key_state.as_deref().unwrap_or("state unknown"),
            ),
            evidence: json!({
                "source": "kms describe-key and get-key-rotation-status",
                "key": metadata,
                "rotation": status,
            }),
            remediation: format!(
                "aws kms enable-key-rotation --key-id {} --rotation-period-in-days 365 --region {region}",
                metadata.key_id
            ),
            region: region.to_string(),
            ..Failure::global(arn)
        });
    }
}
