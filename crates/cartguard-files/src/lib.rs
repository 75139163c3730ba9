//! Parsers and analysers for server files (nginx, Magento, secrets).
//!
//! [`credentials`] decides whether a named value is a credential; the cloud
//! rules use it on Lambda and ECS environments and Parameter Store names, and
//! the scanner of server files will use it on `.env` files and configuration.

pub mod credentials;
