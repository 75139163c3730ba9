use cartguard_files::credentials::credential_name;
use cartguard_inventory::ssm;
use serde_json::json;

use super::support::{any_region, arn, regional};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every Systems Manager parameter (`describe-parameters`) whose name says
    /// it holds a credential — a word such as `password`, `secret`, `token`,
    /// `credentials`, `api key`, `private key` or `signing key`, not followed by
    /// `arn`, `name`, `id`, `path`, `url` or the like — must be a
    /// `SecureString`, not a `String` or `StringList`.
    ///
    /// Only names and types are judged: `describe-parameters` does not return
    /// values, and cartguard never calls `get-parameters`, so a credential kept
    /// under an innocent name is not found, and a parameter named like a secret
    /// that holds something harmless is reported all the same.
    ///
    /// ## Why it matters
    /// A `String` parameter is stored and returned in clear text: anyone with
    /// `ssm:GetParameter` on it (the AWS managed `AmazonSSMManagedInstanceCore`
    /// grants it on every parameter), the console, and every tool that lists
    /// parameters can read it, and no KMS key policy or decrypt event stands in
    /// the way. PCI DSS 8.3.2 asks that authentication factors be unreadable in
    /// storage, and 8.6.2 that application passwords not be kept in clear text.
    ///
    /// ## Severity
    /// Always high.
    ///
    /// ## How to fix
    /// Write the value again as a `SecureString`, then change it, since it was
    /// readable in clear text:
    ///
    /// ```sh
    /// aws ssm put-parameter --name /shop/prod/db-password --type SecureString \
    ///   --key-id alias/ssm-params --overwrite --value "$NEW_PASSWORD"
    /// ```
    ///
    /// ## Example
    /// `/shop/prod/db-password` of type `String` fails; the same name as a
    /// `SecureString` passes, and so does `/shop/prod/db-host` as a `String`.
    pub static RULE = {
        id: "ssm-secret-plaintext",
        title: "A parameter named like a credential is not a SecureString",
        severity: High,
        area: Data,
        evidence: [&[ssm::DESCRIBE_PARAMETERS]],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    if !any_region(ctx, out, "ssm", "parameters") {
        return;
    }
    for (name, region) in &ctx.account.regions {
        let Some(parameters) = regional(
            ctx,
            out,
            name,
            &region.ssm.parameters,
            ssm::DESCRIBE_PARAMETERS,
            "parameter/*",
        ) else {
            continue;
        };
        for parameter in parameters {
            let Some(word) = credential_name(&parameter.name) else {
                continue;
            };
            let path = if parameter.name.starts_with('/') {
                parameter.name.clone()
            } else {
                format!("/{}", parameter.name)
            };
            let parameter_arn = parameter
                .arn
                .clone()
                .unwrap_or_else(|| arn(ctx, "ssm", name, &format!("parameter{path}")));
            let kind = match parameter.parameter_type.as_deref() {
                Some("SecureString") => continue,
                Some(kind) => kind,
                None => {
                    out.not_assessed(
                        &parameter_arn,
                        name,
                        format!(
                            "describe-parameters does not give the Type of {}",
                            parameter.name
                        ),
                    );
                    continue;
                }
            };
            out.fail(Failure {
                detail: format!(
                    "The parameter {} is named like a credential (\"{word}\") but is a {kind}: its value is stored and returned in clear text to anyone allowed ssm:GetParameter on it.",
                    parameter.name
                ),
                evidence: json!({
                    "source": "describe-parameters",
                    "Name": parameter.name,
                    "Type": kind,
                    "name_suggests": word,
                    "judged_on": "the name and type only; the value is never read",
                }),
                remediation: format!(
                    "aws ssm put-parameter --name {} --type SecureString --key-id alias/ssm-params --overwrite --value \"$NEW_VALUE\" --region {name} (then change the credential itself: it was readable in clear text)",
                    parameter.name
                ),
                region: name.clone(),
                ..Failure::global(parameter_arn)
            });
        }
    }
}
