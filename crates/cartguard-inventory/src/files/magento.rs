//! Magento 2 installations found among the server files.

use serde::{Deserialize, Serialize};

/// A Magento 2 installation: a folder holding `app/etc/env.php`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MagentoRoot {
    /// The installation's folder.
    pub root: String,
    /// The path of its `app/etc/env.php`.
    pub env_php: String,
    /// The path of its `app/etc/config.php`, when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_php: Option<String>,
}
