use cartguard_inventory::iam;
use serde_json::json;

use super::{RootEvidence, root_evidence};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// When the root user has MFA, whether that MFA is a virtual device: a device in
    /// `list-virtual-mfa-devices` whose `User.Arn` is the account's root ARN. Root
    /// without any MFA is reported by `iam-root-no-mfa` instead.
    ///
    /// ## Why it matters
    /// A virtual MFA lives on a phone that is also used for everything else, can be
    /// cloned from backups and is lost with the phone; CIS asks for a hardware device
    /// for the one identity that cannot be restricted.
    ///
    /// ## Severity
    /// Always medium: the root user has a second factor; only its kind falls short.
    ///
    /// ## How to fix
    /// Sign in as root, register a hardware MFA (FIDO2 security key or hardware TOTP
    /// token) under *Security credentials*, then remove the virtual device:
    ///
    /// ```sh
    /// aws iam list-virtual-mfa-devices --query "VirtualMFADevices[?User.Arn=='arn:aws:iam::111122223333:root']"
    /// ```
    ///
    /// ## Example
    /// `{"SerialNumber": "arn:aws:iam::111122223333:mfa/root-account-mfa-device", "User": {"Arn": "arn:aws:iam::111122223333:root"}}`
    /// in `list-virtual-mfa-devices` fails; a root user with MFA and no such entry passes.
    pub static RULE = {
        id: "iam-root-virtual-mfa",
        title: "The root user's MFA is a virtual device, not hardware",
        severity: Medium,
        area: Iam,
        evidence: [super::ROOT_USER, &[iam::LIST_VIRTUAL_MFA_DEVICES]],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    let Some(root) = root_evidence(ctx, out) else {
        return;
    };
    let has_mfa = match root {
        RootEvidence::Row(row) => row.mfa_active,
        RootEvidence::Summary(summary) => {
            summary.get("AccountMFAEnabled").copied().unwrap_or(0) > 0
        }
    };
    if !has_mfa {
        return;
    }
    let root_arn = ctx.account.root_arn();
    let Some(devices) = out.require(
        &ctx.account.iam.virtual_mfa_devices,
        &iam::LIST_VIRTUAL_MFA_DEVICES.global(),
        &root_arn,
        "global",
    ) else {
        return;
    };
    let on_root = devices.iter().find(|d| {
        d.user
            .as_ref()
            .is_some_and(|u| u.arn == root_arn || u.arn.ends_with(":root"))
    });
    if let Some(device) = on_root {
        out.fail(Failure {
            detail: format!("The root user's MFA is the virtual device {}.", device.serial_number),
            evidence: json!({"source": "list-virtual-mfa-devices", "device": {
                "SerialNumber": device.serial_number,
                "User": device.user.as_ref().map(|u| &u.arn),
                "EnableDate": device.enable_date,
            }}),
            remediation: format!(
                "Sign in as root, register a hardware MFA device under Security credentials, then deactivate and delete the virtual device {}.",
                device.serial_number
            ),
            ..Failure::global(root_arn)
        });
    }
}
