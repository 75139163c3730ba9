use cartguard_inventory::files::magento::{ConfigFile, FilePermissions, MagentoRoot};
use serde_json::json;

use super::files_support::{FILES_REGION, magento_roots_or_say, whole_file};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// The modes of every Magento root's `app/etc/env.php` and
    /// `app/etc/config.php`, as found on disk when the files were read: the
    /// rule fails when either is world-writable (others may write, `o+w`) or
    /// world-readable (others may read, `o+r`). The finding gives the mode
    /// and the owning user and group ids. Files read from a snapshot or a
    /// file system without Unix modes are reported as not assessed.
    /// Whether the code base is writable by the web server's user is not
    /// judged here: which user that is cannot be read from the files.
    ///
    /// ## Why it matters
    /// env.php holds the database password and the encryption key of stored
    /// payment and personal data; config.php decides which modules (two-factor
    /// authentication among them) run. Any local account, and any other site
    /// on a shared host, can read a world-readable file or change a
    /// world-writable one. PCI DSS 2.2.1 asks for configuration standards
    /// that address such known weaknesses.
    ///
    /// ## Severity
    /// Always high.
    ///
    /// ## How to fix
    /// Give the files to the deploying user, readable by the web server's
    /// group only:
    ///
    /// ```sh
    /// chown deploy:www-data app/etc/env.php app/etc/config.php
    /// chmod 640 app/etc/env.php app/etc/config.php
    /// ```
    ///
    /// ## Example
    /// env.php with mode `0644` (`rw-r--r--`) fails as world-readable, and
    /// config.php with `0666` as world-writable and world-readable; both with
    /// `0640` pass.
    pub static RULE = {
        id: "magento-file-permissions",
        title: "Magento's env.php or config.php is world-readable or world-writable",
        severity: High,
        area: Application,
        evidence: [],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    for root in magento_roots_or_say(ctx, out) {
        judge(out, root, &root.env_php, "app/etc/env.php");
        judge(out, root, &root.config_php, "app/etc/config.php");
    }
}

fn judge<T>(out: &mut Emitter, root: &MagentoRoot, file: &ConfigFile<T>, relative: &str) {
    let Some(path) = file.path() else {
        // A missing config.php is judged by the rules that need it.
        return;
    };
    let Some(permissions) = file.permissions() else {
        out.not_assessed(
            path,
            FILES_REGION,
            format!("the mode and owner of {path} were not recorded (a snapshot, or a file system without Unix modes)"),
        );
        return;
    };
    let FilePermissions { mode, uid, gid } = *permissions;
    let owner = |id: Option<u32>| id.map_or_else(|| "not recorded".to_string(), |i| i.to_string());
    let mut problems = Vec::new();
    if permissions.world_writable() {
        problems.push("world-writable");
    }
    if permissions.world_readable() {
        problems.push("world-readable");
    }
    if problems.is_empty() {
        return;
    }
    let what = problems.join(" and ");
    let symbolic = permissions.symbolic();
    out.fail(Failure {
        detail: format!(
            "{path} has mode {mode:04o} ({symbolic}, owner uid {}, group gid {}): it is {what}.",
            owner(uid),
            owner(gid)
        ),
        evidence: json!({
            "file": path,
            "mode": format!("{mode:04o}"),
            "symbolic": symbolic,
            "uid": uid,
            "gid": gid,
            "world_writable": permissions.world_writable(),
            "world_readable": permissions.world_readable(),
        }),
        remediation: format!(
            "cd {} && chown <deploy user>:<web server group> {relative} && chmod 640 {relative}",
            root.path
        ),
        ..whole_file(path)
    });
}
