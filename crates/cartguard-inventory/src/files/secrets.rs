//! Credentials found written in server files or in a repository's history.
//! Only the kind, where, a redacted form and a short hash are held, never the
//! value; an AWS access key id is kept whole, as it is an identifier that the
//! account's credential report names, not a secret.

use serde::{Deserialize, Serialize};

/// What kind of credential a value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CredentialKind {
    /// An AWS access key id (`AKIA…` long-term, `ASIA…` temporary).
    AwsAccessKeyId,
    /// An AWS secret access key (40 characters), beside a key id or under
    /// a name that says so.
    AwsSecretAccessKey,
    /// A Stripe live secret key (`sk_live_…`).
    StripeSecretKey,
    /// A Stripe live restricted key (`rk_live_…`).
    StripeRestrictedKey,
    /// A Shopify Admin API access token (`shpat_…`).
    ShopifyAccessToken,
    /// A Shopify app's shared secret (`shpss_…`).
    ShopifySharedSecret,
    /// A Shopify custom app access token (`shpca_…`).
    ShopifyCustomAppToken,
    /// A Shopify private app password (`shppa_…`).
    ShopifyPrivateAppPassword,
    /// A Klaviyo private API key (`pk_` and 34 hexadecimal digits).
    KlaviyoPrivateKey,
    /// A Braintree (PayPal) access token (`access_token$production$…`).
    BraintreeAccessToken,
    /// A GitHub token (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`).
    GitHubToken,
    /// A GitLab personal, project or group access token (`glpat-…`).
    GitLabToken,
    /// A Slack token (`xoxb-`, `xoxp-`, …).
    SlackToken,
    /// A Slack incoming webhook URL (`https://hooks.slack.com/services/…`).
    SlackWebhook,
    /// A private key in PEM form.
    PrivateKey,
    /// A database or broker URL with a password in it.
    DatabaseUrlWithPassword,
    /// A password: a varied value under a password's name.
    Password,
    /// A long, high-entropy value under a secret's name (`*_SECRET`,
    /// `*_TOKEN`, `*_KEY`, `*API_KEY*`).
    NamedSecret,
}

impl CredentialKind {
    /// The kind in an auditor's words.
    pub fn describe(self) -> &'static str {
        match self {
            CredentialKind::AwsAccessKeyId => "an AWS access key id",
            CredentialKind::AwsSecretAccessKey => "an AWS secret access key",
            CredentialKind::StripeSecretKey => "a Stripe live secret key",
            CredentialKind::StripeRestrictedKey => "a Stripe live restricted key",
            CredentialKind::ShopifyAccessToken => "a Shopify Admin API access token",
            CredentialKind::ShopifySharedSecret => "a Shopify app shared secret",
            CredentialKind::ShopifyCustomAppToken => "a Shopify custom app access token",
            CredentialKind::ShopifyPrivateAppPassword => "a Shopify private app password",
            CredentialKind::KlaviyoPrivateKey => "a Klaviyo private API key",
            CredentialKind::BraintreeAccessToken => "a Braintree (PayPal) access token",
            CredentialKind::GitHubToken => "a GitHub token",
            CredentialKind::GitLabToken => "a GitLab access token",
            CredentialKind::SlackWebhook => "a Slack incoming webhook URL",
            CredentialKind::SlackToken => "a Slack token",
            CredentialKind::PrivateKey => "a private key",
            CredentialKind::DatabaseUrlWithPassword => {
                "a connection URL with a password (database, cache or broker)"
            }
            CredentialKind::Password => "a password",
            CredentialKind::NamedSecret => "a secret (high-entropy value under a secret's name)",
        }
    }
}

/// How a verdict was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// The value has a shape only credentials have (a token prefix, a PEM header).
    ValueShape,
    /// The name says secret and the value looks like one.
    NameAndValue,
    /// The value has an AWS secret key's shape and sits beside an AWS key id.
    BesideKeyId,
}

/// A credential written in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretFound {
    /// The file, as found under the scanned path.
    pub path: String,
    /// The 1-based line.
    pub line: u32,
    /// What kind of credential.
    pub kind: CredentialKind,
    /// How it was recognised.
    pub basis: Basis,
    /// The name it was written under (`STRIPE_SECRET_KEY`), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The first characters and the length, never the value.
    pub redacted: String,
    /// The first 12 hexadecimal digits of the value's SHA-256: the same
    /// value found twice has the same hash.
    pub hash: String,
    /// The access key id itself, for an AWS access key id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_access_key_id: Option<String>,
    /// For a secret found in a repository's history: where it was introduced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introduced: Option<Introduction>,
}

/// The commit that first wrote a secret into a repository's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Introduction {
    /// The commit id.
    pub commit: String,
    /// The author's date (RFC 3339).
    pub author_date: String,
    /// Whether the repository's current tip still holds it.
    pub still_present: bool,
}
