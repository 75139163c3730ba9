use cartguard_inventory::Operation;
use cartguard_inventory::cognito::{self, UserPool};
use serde_json::json;

use crate::{Context, Emitter, Failure, Proof, declare_rule};

/// What `cognito-mfa-off` reads.
const EVIDENCE: &[Operation] = &[cognito::LIST_USER_POOLS, cognito::DESCRIBE_USER_POOL];

/// The tag that says who a pool's users are.
const AUDIENCE_TAG: &str = "cartguard:audience";

declare_rule! {
    /// ## What it checks
    /// Every user pool whose users are the store's staff or administrators must
    /// have `MfaConfiguration` `ON` (`describe-user-pool`); `OFF` and `OPTIONAL`
    /// (each user may skip it) fail at medium severity.
    ///
    /// Who the users are is read, in this order, from:
    /// - the pool's tag `cartguard:audience`: `staff`, `admin` or `employees`
    ///   mark a staff pool; `customers` or `public` a customer pool;
    /// - the pool's name: a word such as `admin`, `staff`, `internal`,
    ///   `backoffice`, `employee`, `operator` or `workforce` marks a staff pool.
    ///
    /// A customer pool is not judged (MFA for shoppers is a product decision, not
    /// a PCI DSS 8.4.2 requirement). A pool whose audience is not told by either
    /// fails at low severity when MFA is `OFF`, asking for the tag; `OPTIONAL` is
    /// accepted there.
    ///
    /// ## Why it matters
    /// Staff accounts reach orders, customer data and the store's settings; a
    /// phished or reused password is enough to take one over without a second
    /// factor. PCI DSS 8.4.2 requires MFA for all access into the cardholder data
    /// environment.
    ///
    /// ## Severity
    /// Medium for a staff pool; low, one level lower, for a pool whose audience
    /// neither its tag nor its name tells (it may be the customers').
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws cognito-idp set-user-pool-mfa-config --user-pool-id eu-west-1_AbC123dEf \
    ///   --mfa-configuration ON --software-token-mfa-configuration Enabled=true
    /// aws cognito-idp tag-resource --resource-arn <pool ARN> --tags cartguard:audience=customers
    /// ```
    ///
    /// ## Example
    /// A pool named `securecart-staff` with `MfaConfiguration` `OPTIONAL` fails; a
    /// pool tagged `cartguard:audience` = `customers` with `OFF` passes.
    pub static RULE = {
        id: "cognito-mfa-off",
        title: "A staff user pool does not require MFA",
        severity: Medium,
        lowest: Low,
        area: Edge,
        evidence: [EVIDENCE],
        check: check,
    };
}

/// Who a pool's users are, and what says so.
enum Audience {
    Staff(String),
    Customers,
    Unknown,
}

const STAFF_WORDS: &[&str] = &[
    "admin",
    "staff",
    "internal",
    "backoffice",
    "back-office",
    "employee",
    "operator",
    "workforce",
];

fn audience(pool: &UserPool) -> Audience {
    if let Some(tag) = pool.user_pool_tags.get(AUDIENCE_TAG) {
        let tag = tag.trim().to_ascii_lowercase();
        if matches!(tag.as_str(), "staff" | "admin" | "employees") {
            return Audience::Staff(format!("its tag {AUDIENCE_TAG} is {tag}"));
        }
        if matches!(tag.as_str(), "customers" | "public") {
            return Audience::Customers;
        }
    }
    let name = pool
        .name
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match STAFF_WORDS.iter().find(|w| name.contains(*w)) {
        Some(word) => Audience::Staff(format!("its name contains \"{word}\"")),
        None => Audience::Unknown,
    }
}

fn check(ctx: &Context, out: &mut Emitter) {
    if !super::any_region(ctx, out, "cognito-idp") {
        return;
    }
    let account = &ctx.account.id;
    for (name, region) in &ctx.account.regions {
        let evidence = &region.cognito;
        let Some(pools) = out.require(
            &evidence.user_pools,
            &cognito::LIST_USER_POOLS.key(name),
            &format!("arn:aws:cognito-idp:{name}:{account}:userpool/*"),
            name,
        ) else {
            continue;
        };
        for summary in pools {
            let arn = format!(
                "arn:aws:cognito-idp:{name}:{account}:userpool/{}",
                summary.id
            );
            let key = cognito::DESCRIBE_USER_POOL.about(name, &summary.id);
            let Some(collected) = evidence.user_pool_details.get(&summary.id) else {
                out.not_assessed(&arn, name, format!("{key} was not collected"));
                continue;
            };
            let Some(pool) = out.require(collected, &key, &arn, name) else {
                continue;
            };
            let Some(mfa) = pool.mfa_configuration.as_deref() else {
                out.not_assessed(&arn, name, format!("{key} holds no MfaConfiguration"));
                continue;
            };
            if mfa == "ON" {
                continue;
            }
            let (proof, why) = match audience(pool) {
                Audience::Customers => continue,
                Audience::Staff(why) => (Proof::Proven, format!("It is a staff pool: {why}.")),
                Audience::Unknown if mfa == "OFF" => (
                    Proof::Conditional,
                    format!(
                        "Neither its name nor a {AUDIENCE_TAG} tag says whether its users are staff or customers; if they are staff, this is a medium finding."
                    ),
                ),
                Audience::Unknown => continue,
            };
            let pool_name = pool.name.as_deref().unwrap_or(&pool.id);
            out.fail(Failure {
                detail: format!(
                    "User pool {pool_name} ({}) has MfaConfiguration {mfa}: its users sign in with a password alone{}. {why}",
                    pool.id,
                    if mfa == "OPTIONAL" { " unless they chose to add a second factor" } else { "" }
                ),
                evidence: json!({
                    "source": "cognito-idp describe-user-pool",
                    "pool": pool_name,
                    "id": pool.id,
                    "MfaConfiguration": mfa,
                    "UserPoolTags": pool.user_pool_tags,
                    "AllowAdminCreateUserOnly": pool.admin_create_user_config.as_ref().and_then(|c| c.allow_admin_create_user_only),
                    "EstimatedNumberOfUsers": pool.estimated_number_of_users,
                }),
                remediation: format!(
                    "aws cognito-idp set-user-pool-mfa-config --region {name} --user-pool-id {} --mfa-configuration ON --software-token-mfa-configuration Enabled=true{}",
                    pool.id,
                    if proof == Proof::Conditional {
                        format!("; or, if its users are customers, say so: aws cognito-idp tag-resource --region {name} --resource-arn {} --tags {AUDIENCE_TAG}=customers", pool.arn.as_deref().unwrap_or(&arn))
                    } else {
                        String::new()
                    }
                ),
                proof,
                region: name.clone(),
                ..Failure::global(pool.arn.clone().unwrap_or(arn))
            });
        }
    }
}
