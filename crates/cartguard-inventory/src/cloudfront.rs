//! Amazon CloudFront distributions (account-wide).

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, one};

/// `cloudfront:ListDistributions`.
pub const LIST_DISTRIBUTIONS: Operation = Operation::account("cloudfront", "ListDistributions");

/// Every Amazon CloudFront operation the model holds.
pub const OPERATIONS: &[Operation] = &[LIST_DISTRIBUTIONS];

/// Account-wide CloudFront evidence.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CloudFrontEvidence {
    /// `cloudfront list-distributions`: the distributions.
    #[serde(default)]
    pub distributions: Collected<Vec<Distribution>>,
}

impl CloudFrontEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            LIST_DISTRIBUTIONS => one(&self.distributions),
            _ => return None,
        })
    }
}

/// A distribution, as `list-distributions` prints it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Distribution {
    /// Id.
    pub id: String,
    /// ARN.
    #[serde(rename = "ARN")]
    pub arn: String,
    /// The `cloudfront.net` name.
    #[serde(default)]
    pub domain_name: Option<String>,
    /// Whether it serves requests.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// The web ACL: a WAFv2 ARN, a WAF Classic id, or empty.
    #[serde(rename = "WebACLId", default)]
    pub web_acl_id: Option<String>,
    /// Alternate domain names.
    #[serde(default)]
    pub aliases: Option<Aliases>,
    /// Origins.
    #[serde(default)]
    pub origins: Option<Origins>,
    /// The default cache behaviour.
    #[serde(default)]
    pub default_cache_behavior: Option<CacheBehavior>,
}

/// Alternate domain names.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Aliases {
    /// The names.
    #[serde(default)]
    pub items: Vec<String>,
}

/// A distribution's origins.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Origins {
    /// The origins.
    #[serde(default)]
    pub items: Vec<Origin>,
}

/// An origin.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Origin {
    /// Id.
    pub id: String,
    /// Domain name.
    pub domain_name: String,
}

/// A cache behaviour.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CacheBehavior {
    /// `allow-all`, `redirect-to-https` or `https-only`.
    #[serde(default)]
    pub viewer_protocol_policy: Option<String>,
}
