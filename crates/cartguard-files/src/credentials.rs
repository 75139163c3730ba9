//! Whether a named value is a credential: an environment variable, a
//! configuration entry, a parameter. Judged by the value's shape (token
//! prefixes that only credentials carry) and by the name together with the
//! value (a long, varied value under a name such as `DB_PASSWORD`), so that
//! placeholders, references to a secret store, flags, URLs without a password
//! and ordinary words are not reported.
//!
//! Nothing here returns a value: a [`Credential`] holds only its kind and a
//! redacted rendering (the first characters and the length).

use serde::Serialize;

pub use cartguard_inventory::files::secrets::{Basis, CredentialKind};

/// A value found to be a credential. It never holds the value itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Credential {
    /// What kind of credential.
    pub kind: CredentialKind,
    /// How it was recognised.
    pub basis: Basis,
    /// The first characters and the length (`sk_l… (32 chars)`).
    pub redacted: String,
}

/// A rendering of `value` that identifies it without revealing it: its first
/// four characters (fewer for short values, none under four) and its length.
pub fn redact(value: &str) -> String {
    let length = value.chars().count();
    let shown = match length {
        0..=3 => 0,
        4..=11 => 2,
        _ => 4,
    };
    let head: String = value.chars().take(shown).collect();
    format!("{head}… ({length} chars)")
}

/// Whether `value`, named `name`, is a credential, and of what kind.
pub fn detect(name: &str, value: &str) -> Option<Credential> {
    let found = |kind, basis| {
        Some(Credential {
            kind,
            basis,
            redacted: redact(value),
        })
    };
    let trimmed = value.trim();
    if let Some(kind) = by_shape(trimmed) {
        return found(kind, Basis::ValueShape);
    }
    if is_not_a_secret_value(trimmed) {
        return None;
    }
    let words = name_words(name);
    if ends_with_non_secret_word(&words) {
        return None;
    }
    if is_aws_secret_key_name(&words) && looks_like_aws_secret_key(trimmed) {
        return found(CredentialKind::AwsSecretAccessKey, Basis::NameAndValue);
    }
    match name_hint(&words)? {
        NameHint::Password if looks_like_password(trimmed) => {
            found(CredentialKind::Password, Basis::NameAndValue)
        }
        NameHint::Secret if looks_like_secret(trimmed) => {
            found(CredentialKind::NamedSecret, Basis::NameAndValue)
        }
        _ => None,
    }
}

/// Every credential among a set of named values (a function's environment, a
/// container's variables, a `.env` file): each judged by [`detect`], and a
/// value with an AWS secret key's shape beside an AWS access key id.
pub fn detect_all<'a>(
    values: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<(&'a str, Credential)> {
    let values: Vec<(&str, &str)> = values.into_iter().collect();
    let mut out: Vec<(&str, Credential)> = values
        .iter()
        .filter_map(|(name, value)| detect(name, value).map(|c| (*name, c)))
        .collect();
    let has_key_id = out
        .iter()
        .any(|(_, c)| c.kind == CredentialKind::AwsAccessKeyId);
    if has_key_id {
        for (name, value) in &values {
            if out.iter().any(|(n, _)| n == name) {
                continue;
            }
            let trimmed = value.trim();
            if looks_like_aws_secret_key(trimmed) && !is_not_a_secret_value(trimmed) {
                out.push((
                    name,
                    Credential {
                        kind: CredentialKind::AwsSecretAccessKey,
                        basis: Basis::BesideKeyId,
                        redacted: redact(value),
                    },
                ));
            }
        }
    }
    out
}

/// What a name alone says of its value, for stores that give names but not
/// values (Parameter Store's `describe-parameters`): the word that makes it
/// a credential's name (`password`, `secret`, `token`, `api key`, …).
pub fn credential_name(name: &str) -> Option<String> {
    let words = name_words(name);
    if ends_with_non_secret_word(&words) {
        return None;
    }
    for (i, word) in words.iter().enumerate() {
        let word = word.as_str();
        if PASSWORD_WORDS.contains(&word) || STRONG_SECRET_WORDS.contains(&word) {
            return Some(word.to_string());
        }
        if (word == "key" || word == "keys")
            && let Some(before) = i.checked_sub(1).map(|j| words[j].as_str())
            && KEY_QUALIFIERS.contains(&before)
        {
            return Some(format!("{before} {word}"));
        }
        if word == "apikey" || word == "privatekey" || word == "secretkey" || word == "accesskey" {
            return Some(word.to_string());
        }
    }
    None
}

/// Words that name a password.
const PASSWORD_WORDS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "pass",
    "pwd",
    "dbpassword",
    "dbpass",
];

/// Words that name a secret on their own.
const STRONG_SECRET_WORDS: &[&str] = &[
    "secret",
    "secrets",
    "token",
    "credential",
    "credentials",
    "apikey",
    "privatekey",
    "secretkey",
];

/// Words before `key` that make it a credential's name.
const KEY_QUALIFIERS: &[&str] = &[
    "api",
    "access",
    "secret",
    "private",
    "signing",
    "encryption",
    "crypt",
    "master",
    "license",
    "app",
    "client",
    "auth",
    "hmac",
    "webhook",
    "session",
];

/// Last words that make a name a reference to a secret or a setting about
/// it, not the secret itself (`DB_PASSWORD_FILE`, `API_KEY_ID`, `SECRET_ARN`).
const NON_SECRET_LAST_WORDS: &[&str] = &[
    "arn",
    "name",
    "id",
    "ids",
    "file",
    "path",
    "url",
    "uri",
    "endpoint",
    "host",
    "region",
    "ttl",
    "expiry",
    "expires",
    "length",
    "algorithm",
    "type",
    "version",
    "enabled",
    "header",
    "prefix",
    "suffix",
    "policy",
    "rotation",
    "format",
    "param",
    "parameter",
    "ref",
    "source",
    "dir",
    "location",
    "count",
    "timeout",
    "lifetime",
    "issuer",
    "audience",
    "scope",
    "scopes",
];

enum NameHint {
    /// The name says password.
    Password,
    /// The name says secret, token or key.
    Secret,
}

/// What the name says, if it names a credential.
fn name_hint(words: &[String]) -> Option<NameHint> {
    if words.iter().any(|w| PASSWORD_WORDS.contains(&w.as_str())) {
        return Some(NameHint::Password);
    }
    let last = words.last()?.as_str();
    let secret = words
        .iter()
        .any(|w| STRONG_SECRET_WORDS.contains(&w.as_str()))
        || last == "key"
        || last == "keys"
        || (last == "salt" && words.len() > 1);
    secret.then_some(NameHint::Secret)
}

fn ends_with_non_secret_word(words: &[String]) -> bool {
    match words.last() {
        None => true,
        Some(last) => {
            NON_SECRET_LAST_WORDS.contains(&last.as_str())
                // A public key is not a secret; neither is a key's identifier.
                || words.iter().any(|w| w == "public" || w == "publishable")
        }
    }
}

/// `AWS_SECRET_ACCESS_KEY`, `aws_secret_key`, `SecretAccessKey`.
fn is_aws_secret_key_name(words: &[String]) -> bool {
    let has = |w: &str| words.iter().any(|x| x == w);
    has("secret") && (has("access") || has("aws")) && (has("key") || has("accesskey"))
}

/// The lowercase words of a name: split at anything not alphanumeric and
/// where a lowercase letter or digit meets an uppercase one
/// (`shopifyApiKey` → `shopify`, `api`, `key`).
fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous: Option<char> = None;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous = None;
            continue;
        }
        if c.is_uppercase()
            && previous.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit())
            && !current.is_empty()
        {
            words.push(std::mem::take(&mut current));
        }
        current.extend(c.to_lowercase());
        previous = Some(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Whether `value` is a credential by its shape alone, whatever its name:
/// a token prefix only credentials carry, a PEM private key, a connection
/// URL with a password, a Slack webhook.
pub fn by_shape(value: &str) -> Option<CredentialKind> {
    if is_aws_key_id(value) {
        return Some(CredentialKind::AwsAccessKeyId);
    }
    let prefixed: &[(&str, CredentialKind, usize)] = &[
        ("sk_live_", CredentialKind::StripeSecretKey, 16),
        ("rk_live_", CredentialKind::StripeRestrictedKey, 16),
        ("shpat_", CredentialKind::ShopifyAccessToken, 32),
        ("shpss_", CredentialKind::ShopifySharedSecret, 32),
        ("shpca_", CredentialKind::ShopifyCustomAppToken, 32),
        ("shppa_", CredentialKind::ShopifyPrivateAppPassword, 32),
        ("github_pat_", CredentialKind::GitHubToken, 22),
        ("ghp_", CredentialKind::GitHubToken, 30),
        ("gho_", CredentialKind::GitHubToken, 30),
        ("ghu_", CredentialKind::GitHubToken, 30),
        ("ghs_", CredentialKind::GitHubToken, 30),
        ("ghr_", CredentialKind::GitHubToken, 30),
        ("glpat-", CredentialKind::GitLabToken, 20),
    ];
    for (prefix, kind, min_len) in prefixed {
        if let Some(rest) = value.strip_prefix(prefix)
            && rest.chars().count() >= *min_len
            && rest
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            && !is_placeholder(rest)
        {
            return Some(*kind);
        }
    }
    if is_slack_token(value) {
        return Some(CredentialKind::SlackToken);
    }
    if is_slack_webhook(value) {
        return Some(CredentialKind::SlackWebhook);
    }
    if is_klaviyo_private_key(value) {
        return Some(CredentialKind::KlaviyoPrivateKey);
    }
    if is_braintree_access_token(value) {
        return Some(CredentialKind::BraintreeAccessToken);
    }
    if is_private_key(value) {
        return Some(CredentialKind::PrivateKey);
    }
    if url_password(value).is_some_and(|p| !is_placeholder(p) && !is_reference(p)) {
        return Some(CredentialKind::DatabaseUrlWithPassword);
    }
    None
}

/// `AKIA` or `ASIA` and sixteen characters of AWS's key alphabet.
fn is_aws_key_id(value: &str) -> bool {
    value.len() == 20
        && (value.starts_with("AKIA") || value.starts_with("ASIA"))
        && value[4..]
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && !value.ends_with("EXAMPLE")
}

/// `xoxb-`, `xoxp-`, `xoxa-`, `xoxr-`, `xoxs-`, `xoxo-` and a body.
fn is_slack_token(value: &str) -> bool {
    let Some(rest) = value.strip_prefix("xox") else {
        return false;
    };
    let mut chars = rest.chars();
    let kind = chars.next();
    let dash = chars.next();
    let body: String = chars.collect();
    matches!(kind, Some('a' | 'b' | 'o' | 'p' | 'r' | 's'))
        && dash == Some('-')
        && body.len() >= 10
        && body.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && body.chars().any(|c| c.is_ascii_digit())
}

/// `https://hooks.slack.com/services/T…/B…/…` (or `/workflows/`, `/triggers/`).
fn is_slack_webhook(value: &str) -> bool {
    let Some(rest) = value
        .strip_prefix("https://hooks.slack.com/")
        .and_then(|r| {
            r.strip_prefix("services/")
                .or_else(|| r.strip_prefix("workflows/"))
                .or_else(|| r.strip_prefix("triggers/"))
        })
    else {
        return false;
    };
    let parts: Vec<&str> = rest.split('/').collect();
    parts.len() >= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
        && parts
            .last()
            .is_some_and(|p| p.len() >= 16 && !is_placeholder(p))
}

/// Klaviyo's private API keys: `pk_` and 34 hexadecimal digits. (Its public
/// key, the site id, is six characters and never has this shape.)
fn is_klaviyo_private_key(value: &str) -> bool {
    value.strip_prefix("pk_").is_some_and(|rest| {
        rest.len() == 34
            && rest.chars().all(|c| c.is_ascii_hexdigit())
            && !is_placeholder(rest)
            && classes(rest) >= 2
    })
}

/// Braintree's access tokens: `access_token$production$<merchant>$<hex>`
/// (sandbox tokens are not credentials to a live account).
fn is_braintree_access_token(value: &str) -> bool {
    let Some(rest) = value.strip_prefix("access_token$production$") else {
        return false;
    };
    let Some((merchant, secret)) = rest.split_once('$') else {
        return false;
    };
    !merchant.is_empty()
        && merchant.chars().all(|c| c.is_ascii_alphanumeric())
        && secret.len() >= 32
        && secret.chars().all(|c| c.is_ascii_hexdigit())
}

/// A PEM block of a private key (`-----BEGIN RSA PRIVATE KEY-----`, …).
fn is_private_key(value: &str) -> bool {
    let Some(start) = value.find("-----BEGIN ") else {
        return false;
    };
    let header = &value[start + "-----BEGIN ".len()..];
    header
        .find("-----")
        .is_some_and(|end| header[..end].ends_with("PRIVATE KEY"))
}

/// URL schemes of databases, caches and brokers.
const DATABASE_SCHEMES: &[&str] = &[
    "postgres",
    "postgresql",
    "mysql",
    "mysql2",
    "mariadb",
    "mongodb",
    "mongodb+srv",
    "redis",
    "rediss",
    "amqp",
    "amqps",
    "mssql",
    "sqlserver",
    "jdbc:mysql",
    "jdbc:postgresql",
    "jdbc:mariadb",
];

/// The password of a database URL (`postgres://user:password@host/db`).
fn url_password(value: &str) -> Option<&str> {
    let (scheme, rest) = value.split_once("://")?;
    if !DATABASE_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()) {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    let (userinfo, _) = authority.rsplit_once('@')?;
    let (_, password) = userinfo.split_once(':')?;
    (!password.is_empty()).then_some(password)
}

/// Values that are never credentials whatever their name: empty, flags,
/// numbers, placeholders, references to a secret store, URLs and paths,
/// sentences.
fn is_not_a_secret_value(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    value.is_empty()
        || matches!(
            lower.as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "none" | "nil" | "undefined"
        )
        || value
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        || is_placeholder(value)
        || is_reference(value)
        || value.contains("://")
        || (value.starts_with('/') && !value.contains(' '))
        || value.split_whitespace().count() > 2
}

/// Template variables and the words people put where a secret will go.
fn is_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let templated = value.contains("${")
        || value.contains("{{")
        || value.contains("%(")
        || (value.starts_with('$') && value[1..].chars().all(|c| c.is_alphanumeric() || c == '_'))
        || (value.starts_with('<') && value.ends_with('>'))
        || (value.starts_with('%') && value.ends_with('%'));
    let repeated = value
        .chars()
        .next()
        .is_some_and(|first| value.chars().all(|c| c == first));
    const WORDS: &[&str] = &[
        "changeme",
        "change_me",
        "change-me",
        "changethis",
        "replaceme",
        "replace_me",
        "replace-me",
        "placeholder",
        "example",
        "dummy",
        "sample",
        "redacted",
        "todo",
        "fixme",
        "your_",
        "your-",
        "yourpassword",
        "xxxx",
        "****",
        "notset",
        "not_set",
        "not-set",
    ];
    templated || repeated || WORDS.iter().any(|w| lower.contains(w))
}

/// A pointer to where the secret is kept, not the secret.
fn is_reference(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    lower.starts_with("arn:")
        || lower.starts_with("ssm:")
        || lower.starts_with("secretsmanager:")
        || lower.starts_with("resolve:")
        || lower.starts_with("vault:")
        || lower.starts_with("sm://")
        || lower.starts_with("env:")
        || lower.starts_with("file:")
}

/// Whether a value is an AWS secret access key by its shape (forty
/// characters of base64, varied), for the scanner of files, which finds
/// such a value beside a key id on nearby lines.
pub fn looks_like_aws_secret_access_key(value: &str) -> bool {
    looks_like_aws_secret_key(value) && !is_not_a_secret_value(value)
}

/// Forty characters of base64 with letters of both cases and a digit or symbol.
fn looks_like_aws_secret_key(value: &str) -> bool {
    value.len() == 40
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '/' || c == '+')
        && classes(value) >= 3
        && !value.ends_with("EXAMPLEKEY")
}

/// A password: at least eight characters of more than one kind, not a word.
fn looks_like_password(value: &str) -> bool {
    value.chars().count() >= 8 && classes(value) >= 2 && !value.contains(char::is_whitespace)
}

/// A secret: at least sixteen characters, varied and unpredictable.
fn looks_like_secret(value: &str) -> bool {
    value.chars().count() >= 16
        && classes(value) >= 2
        && entropy(value) >= 3.0
        && !value.contains(char::is_whitespace)
}

/// How many of lowercase, uppercase, digits and other characters occur.
fn classes(value: &str) -> usize {
    [
        value.chars().any(|c| c.is_lowercase()),
        value.chars().any(|c| c.is_uppercase()),
        value.chars().any(|c| c.is_ascii_digit()),
        value
            .chars()
            .any(|c| !c.is_alphanumeric() && !c.is_whitespace()),
    ]
    .into_iter()
    .filter(|present| *present)
    .count()
}

/// Shannon entropy of the characters, in bits per character.
fn entropy(value: &str) -> f64 {
    let mut counts: std::collections::HashMap<char, usize> = std::collections::HashMap::new();
    let mut total = 0usize;
    for c in value.chars() {
        *counts.entry(c).or_default() += 1;
        total += 1;
    }
    if total == 0 {
        return 0.0;
    }
    let total = total as f64;
    counts
        .values()
        .map(|&n| {
            let p = n as f64 / total;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(name: &str, value: &str) -> Option<CredentialKind> {
        detect(name, value).map(|c| c.kind)
    }

    #[test]
    fn token_prefixes_are_credentials_whatever_the_name() {
        use CredentialKind::*;
        let cases = [
            ("KEY_ID", "AKIA4QWERTYUIOPASDF2", AwsAccessKeyId),
            ("X", "ASIA2JHGFDSAPOIUYTR7", AwsAccessKeyId),
            (
                "STRIPE",
                "sk_live_51HaBcDeFgHiJkLmNoPqRsTu",
                StripeSecretKey,
            ),
            (
                "STRIPE",
                "rk_live_51HaBcDeFgHiJkLmNoPqRsTu",
                StripeRestrictedKey,
            ),
            (
                "T",
                "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",
                ShopifyAccessToken,
            ),
            (
                "T",
                "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",
                ShopifySharedSecret,
            ),
            (
                "T",
                "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",
                ShopifyCustomAppToken,
            ),
            (
                "T",
                "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",
                ShopifyPrivateAppPassword,
            ),
            (
                "GH",
                "ghp_Ab3dEf6hIj9lMn2pQr5tUv8xYz1BcD4fGh7J",
                GitHubToken,
            ),
            (
                "GH",
                "github_pat_11ABCDEFG0123456789_abcdefghijklmnop",
                GitHubToken,
            ),
            (
                "HOOK",
                "xoxb-1234567890-0987654321-AbCdEfGhIjKl",
                SlackToken,
            ),
            (
                "TLS",
                "-----BEGIN RSA PRIVATE KEY-----\nMIIEow…\n-----END RSA PRIVATE KEY-----",
                PrivateKey,
            ),
            (
                "K",
                "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn…",
                PrivateKey,
            ),
            (
                "DATABASE_URL",
                "postgres://shop:S3cr3t-Pa55@db.internal:5432/shop",
                DatabaseUrlWithPassword,
            ),
            (
                "REDIS",
                "rediss://:k9Vx2LmQ@cache.internal:6379/0",
                DatabaseUrlWithPassword,
            ),
        ];
        for (name, value, expected) in cases {
            assert_eq!(kind(name, value), Some(expected), "{name}={value}");
        }
    }

    #[test]
    fn secret_names_with_varied_values_are_credentials() {
        use CredentialKind::*;
        assert_eq!(kind("DB_PASSWORD", "Shop2024!db"), Some(Password));
        assert_eq!(kind("mysqlPassword", "pa55w0rd-x"), Some(Password));
        assert_eq!(
            kind("SHOPIFY_API_SECRET", "9f8e7d6c5b4a39281706f5e4d3c2b1a0"),
            Some(NamedSecret)
        );
        assert_eq!(
            kind("JWT_SECRET", "tK8#pL2$vN9@qR4!wX7z"),
            Some(NamedSecret)
        );
        assert_eq!(
            kind("SENDGRID_API_KEY", "SG.aB3dE6gH9jK2mN5pQ8sT1v"),
            Some(NamedSecret)
        );
        assert_eq!(
            kind("SESSION_TOKEN", "a8F3kL9qZ2xV7mN4bT6w"),
            Some(NamedSecret)
        );
        assert_eq!(
            kind(
                "AWS_SECRET_ACCESS_KEY",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzKEYzzz"
            ),
            Some(AwsSecretAccessKey)
        );
    }

    #[test]
    fn placeholders_references_and_settings_are_not_credentials() {
        let cases = [
            ("DB_PASSWORD", "changeme"),
            ("DB_PASSWORD", "ChangeMe123"),
            ("DB_PASSWORD", "${DB_PASSWORD}"),
            ("DB_PASSWORD", "$DB_PASSWORD"),
            ("DB_PASSWORD", "{{ db_password }}"),
            ("DB_PASSWORD", "<your password here>"),
            ("DB_PASSWORD", "********"),
            ("DB_PASSWORD", "password"),
            ("DB_PASSWORD", "short1"),
            (
                "DB_PASSWORD",
                "arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop/db-AbCdEf",
            ),
            ("DB_PASSWORD_FILE", "/run/secrets/db-password"),
            (
                "DB_PASSWORD_ARN",
                "arn:aws:ssm:eu-west-1:111122223333:parameter/shop/db",
            ),
            ("API_KEY_ID", "k-0123456789abcdef0123"),
            ("STRIPE_PUBLISHABLE_KEY", "pk_live_51HaBcDeFgHiJkLmNoPqRsTu"),
            ("JWT_PUBLIC_KEY", "MIIBIjANBgkqhkiG9w0BAQEFAAOC"),
            ("FEATURE_TOKEN_ENABLED", "true"),
            ("API_KEY", "false"),
            ("SECRET_KEY", "production"),
            ("TOKEN_URL", "https://auth.example.com/oauth/token"),
            ("DATABASE_URL", "postgres://shop@db.internal:5432/shop"),
            ("DATABASE_URL", "mysql://shop:${DB_PASSWORD}@db:3306/shop"),
            ("SORT_KEY", "created_at"),
            ("NODE_ENV", "production"),
            ("LOG_LEVEL", "debug"),
            ("CACHE_TTL", "3600"),
            ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
            ("GREETING_SECRET", "the quick brown fox jumps over"),
            ("SECRET_KEY", "aaaaaaaaaaaaaaaaaaaaaaaa"),
        ];
        for (name, value) in cases {
            assert_eq!(detect(name, value), None, "{name}={value}");
        }
    }

    #[test]
    fn an_aws_secret_key_beside_a_key_id_is_found_under_any_name() {
        let found = detect_all([
            ("UPLOAD_ID", "AKIA4QWERTYUIOPASDF2"),
            (
                "UPLOAD_SIGNATURE",
                "q8Rz/2Lm+Xv7Kp3Nw9Ty1Bc5Df0Gh4Jk6Ls8Pa2M",
            ),
            ("REGION", "eu-west-1"),
        ]);
        let kinds: Vec<(&str, CredentialKind)> = found.iter().map(|(n, c)| (*n, c.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("UPLOAD_ID", CredentialKind::AwsAccessKeyId),
                ("UPLOAD_SIGNATURE", CredentialKind::AwsSecretAccessKey)
            ]
        );
        // Without a key id, a 40-character value under a plain name is not judged one.
        assert!(
            detect_all([(
                "UPLOAD_SIGNATURE",
                "q8Rz/2Lm+Xv7Kp3Nw9Ty1Bc5Df0Gh4Jk6Ls8Pa2M"
            )])
            .is_empty()
        );
    }

    #[test]
    fn names_alone() {
        for name in [
            "/shop/prod/db-password",
            "/securecart/stripe/secret-key",
            "SHOPIFY_API_KEY",
            "/app/jwt-signing-key",
            "/app/github/token",
            "smtpPassword",
        ] {
            assert!(credential_name(name).is_some(), "{name}");
        }
        for name in [
            "/shop/prod/db-host",
            "/shop/prod/db-password-arn",
            "/app/feature-flags",
            "/app/sort-key",
            "/app/stripe/publishable-key",
            "/app/token-ttl",
        ] {
            assert_eq!(credential_name(name), None, "{name}");
        }
    }

    #[test]
    fn redaction_shows_a_prefix_and_the_length() {
        assert_eq!(
            redact("sk_live_51HaBcDeFgHiJkLmNoPqRsTu"),
            "sk_l… (32 chars)"
        );
        assert_eq!(redact("Shop2024!db"), "Sh… (11 chars)");
        assert_eq!(redact("abc"), "… (3 chars)");
        assert_eq!(redact("ключ-секрет-пароль"), "ключ… (18 chars)");
    }

    #[test]
    fn words_of_names() {
        assert_eq!(name_words("shopifyApiKey"), ["shopify", "api", "key"]);
        assert_eq!(
            name_words("/shop/prod/DB_PASSWORD"),
            ["shop", "prod", "db", "password"]
        );
        assert_eq!(name_words("S3Bucket"), ["s3", "bucket"]);
    }
}
