//! Evidence keys: which AWS API call a piece of evidence answers.
//!
//! Every place in the model that holds a [`Collected`](crate::Collected) value
//! is the answer of one API operation, called once for the account, once per
//! region, or once per resource. The evidence reader maps a key to a file and a
//! live collector maps it to an SDK call; rules, engines and reports speak only
//! of keys, so a reason such as "ec2:DescribeSecurityGroups in eu-west-1 was not
//! collected" reads the same whatever the source.

use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

/// Whether an operation is answered for the whole account or per region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Called once for the account (IAM, Organizations, S3's bucket list).
    Account,
    /// Called once in every region.
    Region,
}

/// An AWS API operation whose answer is evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Operation {
    /// The service prefix, as in IAM actions (`iam`, `ec2`, `elasticloadbalancing`).
    pub service: &'static str,
    /// The API operation (`GetCredentialReport`, `DescribeSecurityGroups`).
    pub name: &'static str,
    /// Account-wide or regional.
    pub scope: Scope,
    /// For calls made once per resource: what kind of resource (`user`,
    /// `load balancer`); `None` for calls made once per account or region.
    pub per: Option<&'static str>,
}

impl Operation {
    /// An operation called once for the account.
    pub const fn account(service: &'static str, name: &'static str) -> Operation {
        Operation {
            service,
            name,
            scope: Scope::Account,
            per: None,
        }
    }

    /// An operation called once in every region.
    pub const fn regional(service: &'static str, name: &'static str) -> Operation {
        Operation {
            service,
            name,
            scope: Scope::Region,
            per: None,
        }
    }

    /// The same operation, called once per resource of the kind `per`.
    pub const fn per(self, per: &'static str) -> Operation {
        Operation {
            per: Some(per),
            ..self
        }
    }

    /// The key of this operation's answer in `region` (`global` for
    /// account-wide operations), for no particular resource.
    pub fn key(self, region: &str) -> EvidenceKey {
        EvidenceKey {
            operation: self,
            region: match self.scope {
                Scope::Account => GLOBAL.to_string(),
                Scope::Region => region.to_string(),
            },
            resource: None,
        }
    }

    /// The key of an account-wide operation's answer.
    pub fn global(self) -> EvidenceKey {
        self.key(GLOBAL)
    }

    /// The key of this operation's answer about one resource.
    pub fn about(self, region: &str, resource: &str) -> EvidenceKey {
        EvidenceKey {
            resource: Some(resource.to_string()),
            ..self.key(region)
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.service, self.name)
    }
}

impl Serialize for Operation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Shape<'a> {
            service: &'a str,
            operation: &'a str,
            scope: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            per: Option<&'a str>,
        }
        Shape {
            service: self.service,
            operation: self.name,
            scope: match self.scope {
                Scope::Account => "account",
                Scope::Region => "region",
            },
            per: self.per,
        }
        .serialize(serializer)
    }
}

/// The region name account-wide evidence is filed under.
pub const GLOBAL: &str = "global";

/// One piece of evidence: an operation's answer in a region, about a resource.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct EvidenceKey {
    /// The API operation.
    pub operation: Operation,
    /// The region, or `global`.
    pub region: String,
    /// The resource a per-resource call was about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
}

impl fmt::Display for EvidenceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.operation)?;
        if let Some(resource) = &self.resource {
            write!(f, " for {resource}")?;
        } else if let Some(per) = self.operation.per {
            write!(f, " for each {per}")?;
        }
        if self.region != GLOBAL {
            write!(f, " in {}", self.region)?;
        }
        Ok(())
    }
}

/// Whether a piece of evidence can be used, without its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Availability {
    /// Collected.
    Present,
    /// AWS answered that the thing is not configured.
    NotConfigured {
        /// The AWS error code.
        code: String,
    },
    /// Not collected.
    NotCollected,
    /// Collection failed.
    Failed {
        /// The AWS error code.
        code: String,
        /// The error message.
        message: String,
    },
}

impl Availability {
    /// Why the evidence under `key` cannot be used to decide, if it cannot.
    pub fn reason(&self, key: &EvidenceKey) -> Option<String> {
        match self {
            Availability::Present | Availability::NotConfigured { .. } => None,
            Availability::NotCollected => Some(format!("{key} was not collected")),
            Availability::Failed { code, message } => {
                Some(format!("{key} failed: {code}: {message}"))
            }
        }
    }
}
