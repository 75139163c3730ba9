use cartguard_inventory::files::magento::DbPassword;
use serde_json::json;

use super::files_support::{magento_roots_or_say, on_file, required};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every database connection in a Magento root's `app/etc/env.php`
    /// (`db.connection.<name>.password`) must not hold a literal password. A
    /// password read when PHP runs (`getenv('MAGENTO_DB_PASSWORD')`,
    /// `$_ENV[...]`) passes, and so does an empty one; a string literal, or a
    /// concatenation of literals, fails. The password is never shown: the
    /// finding gives its first characters, its length and a short hash.
    ///
    /// ## Why it matters
    /// env.php is copied into backups, deployment artefacts, support tickets
    /// and developers' machines, and a path traversal or a misconfigured web
    /// server hands it out whole: with it comes the password of the database
    /// holding every customer and order. PCI DSS 8.6.2 asks that passwords of
    /// application accounts not be hard-coded in configuration files, and
    /// 8.3.2 that they be unreadable in storage.
    ///
    /// ## Severity
    /// Always medium.
    ///
    /// ## How to fix
    /// Keep the password in Secrets Manager or Parameter Store, hand it to
    /// PHP-FPM as an environment variable at start, read it in env.php, and
    /// change the password (it was readable):
    ///
    /// ```php
    /// 'password' => getenv('MAGENTO_DB_PASSWORD'),
    /// ```
    ///
    /// ```sh
    /// aws secretsmanager create-secret --name shop/prod/magento-db --secret-string "$NEW_PASSWORD"
    /// ```
    ///
    /// ## Example
    /// `'password' => 'Mg2024!prod'` fails, reported as `Mg… (11 chars)`;
    /// `'password' => getenv('MAGENTO_DB_PASSWORD')` passes.
    pub static RULE = {
        id: "magento-db-password-in-file",
        title: "Magento's env.php holds a literal database password",
        severity: Medium,
        area: Application,
        evidence: [],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    for root in magento_roots_or_say(ctx, out) {
        let Some(env) = required(
            out,
            root,
            &root.env_php,
            "app/etc/env.php",
            "how the database password is given",
        ) else {
            continue;
        };
        let path = root.env_php.path().unwrap_or_default();
        for connection in &env.db_connections {
            let DbPassword::Literal {
                line,
                redacted,
                hash,
            } = &connection.password
            else {
                continue;
            };
            let name = &connection.name;
            out.fail(Failure {
                detail: format!(
                    "{path} line {line} writes the password of the database connection '{name}' in the file ({redacted}, hash {hash})."
                ),
                evidence: json!({
                    "file": path,
                    "line": line,
                    "setting": format!("db.connection.{name}.password"),
                    "value_redacted": redacted,
                    "value_hash": hash,
                }),
                remediation: format!(
                    "Store the password in Secrets Manager (aws secretsmanager create-secret --name magento/db/{name} --secret-string \"$NEW_PASSWORD\"), pass it to PHP-FPM as MAGENTO_DB_PASSWORD, write 'password' => getenv('MAGENTO_DB_PASSWORD') at {path}:{line}, and change the database user's password: it has been readable."
                ),
                discriminator: Some(name.clone()),
                ..on_file(path, *line)
            });
        }
    }
}
