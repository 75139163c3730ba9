//! Where a value sits in the evidence: the answer it came in and its JSON path
//! there, so an unreadable value can be named as the auditor will find it.

use cartguard_inventory::EvidenceKey;

use crate::EvidenceProblem;

/// A place inside one answer of the evidence.
#[derive(Debug, Clone)]
pub(crate) struct Located {
    key: EvidenceKey,
    path: String,
}

impl Located {
    /// The top of an answer.
    pub(crate) fn answer(key: EvidenceKey) -> Self {
        Located {
            key,
            path: String::new(),
        }
    }

    /// A field of the value here.
    pub(crate) fn field(&self, name: &str) -> Self {
        let path = if self.path.is_empty() {
            name.to_string()
        } else {
            format!("{}.{name}", self.path)
        };
        Located {
            key: self.key.clone(),
            path,
        }
    }

    /// An element of the list here.
    pub(crate) fn item(&self, index: usize) -> Self {
        Located {
            key: self.key.clone(),
            path: format!("{}[{index}]", self.path),
        }
    }

    /// The problem of the value here.
    pub(crate) fn problem(&self, resource: &str, value: String, detail: String) -> EvidenceProblem {
        EvidenceProblem {
            key: self.key.clone(),
            path: self.path.clone(),
            value,
            resource: resource.to_string(),
            detail,
        }
    }
}
