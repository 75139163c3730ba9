use cartguard_files::credentials::detect_all;
use cartguard_inventory::lambda;

use super::support::{any_region, arn, credential_evidence, regional};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// The environment variables of every Lambda function (`list-functions`,
    /// `Environment.Variables`) must hold no credential. A value is a credential
    /// by its shape (an AWS access key id `AKIA…`/`ASIA…` and a secret key
    /// beside it, Stripe `sk_live_`/`rk_live_`, Shopify `shpat_`/`shpss_`/
    /// `shpca_`/`shppa_`, GitHub and Slack tokens, a PEM private key, a
    /// database URL with a password) or by its name together with its value (a
    /// varied value under `*PASSWORD*`, a long high-entropy value under
    /// `*_SECRET`, `*_TOKEN`, `*_KEY`, `*API_KEY*`). Placeholders, `${VAR}`
    /// templates, ARNs of secrets, flags, URLs without a password and plain
    /// words are not credentials. The finding names the variable, the kind and
    /// a redacted form (first characters and length), never the value.
    ///
    /// ## Why it matters
    /// Environment variables are configuration, not a secret store: anyone with
    /// `lambda:GetFunctionConfiguration` (read-only roles, CI, support tools)
    /// reads them in clear text, they appear in infrastructure code and its
    /// state, and they are copied with every deployment. PCI DSS 8.6.2 asks
    /// that passwords of application accounts not be hard-coded in scripts or
    /// configuration, and 8.3.2 that they be unreadable in storage.
    ///
    /// ## Severity
    /// Always high.
    ///
    /// ## How to fix
    /// Move the value to Secrets Manager, give the function's role
    /// `secretsmanager:GetSecretValue` on that secret only, read it at start,
    /// remove the variable, and change the credential (it was readable):
    ///
    /// ```sh
    /// aws secretsmanager create-secret --name shop/prod/stripe-key --secret-string "$NEW_KEY"
    /// aws lambda update-function-configuration --function-name checkout-webhook \
    ///   --environment 'Variables={STRIPE_KEY_SECRET_ARN=arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop/prod/stripe-key-AbCdEf}'
    /// ```
    ///
    /// ## Example
    /// A function with `STRIPE_SECRET_KEY=sk_live_…` fails, reported as
    /// `sk_l… (32 chars)`; one with `STRIPE_SECRET_ARN=arn:aws:secretsmanager:…`
    /// and `LOG_LEVEL=info` passes.
    pub static RULE = {
        id: "lambda-env-secret",
        title: "A Lambda function's environment variables hold a credential",
        severity: High,
        area: Data,
        evidence: [&[lambda::LIST_FUNCTIONS]],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    if !any_region(ctx, out, "lambda", "functions") {
        return;
    }
    for (name, region) in &ctx.account.regions {
        let Some(functions) = regional(
            ctx,
            out,
            name,
            &region.lambda.functions,
            lambda::LIST_FUNCTIONS,
            "function:*",
        ) else {
            continue;
        };
        for function in functions {
            let Some(environment) = &function.environment else {
                continue;
            };
            let fname = &function.function_name;
            let function_arn = function
                .function_arn
                .clone()
                .unwrap_or_else(|| arn(ctx, "lambda", name, &format!("function:{fname}")));
            let found = detect_all(
                environment
                    .variables
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str())),
            );
            for (variable, credential) in found {
                let mut evidence = credential_evidence(variable, &credential);
                evidence["source"] = "list-functions".into();
                evidence["FunctionName"] = fname.as_str().into();
                if let Some(role) = &function.role {
                    evidence["Role"] = role.as_str().into();
                }
                out.fail(Failure {
                    detail: format!(
                        "The Lambda function {fname} has {} in its environment variable {variable} ({}): anyone who can read the function's configuration reads it.",
                        credential.kind.describe(),
                        credential.redacted
                    ),
                    evidence,
                    remediation: format!(
                        "Store the value in Secrets Manager (aws secretsmanager create-secret --name {fname}/{variable} --secret-string \"$NEW_VALUE\" --region {name}), allow the function's role secretsmanager:GetSecretValue on it and read it at start, remove {variable} with aws lambda update-function-configuration --function-name {fname} --environment 'Variables={{…without {variable}…}}' --region {name}, and change the credential: it has been readable."
                    ),
                    discriminator: Some(variable.to_string()),
                    region: name.clone(),
                    ..Failure::global(function_arn.clone())
                });
            }
        }
    }
}
