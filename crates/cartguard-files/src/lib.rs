//! Parsers and analysers for server files (nginx, Magento, secrets).
//!
//! [`discover`] walks the paths a scan was given, reads each text file and
//! says what it was read as; [`nginx`] parses nginx configurations with their
//! includes. [`credentials`] decides whether a named value is a credential;
//! the cloud rules use it on Lambda and ECS environments and Parameter Store
//! names.

pub mod credentials;
pub mod discover;
pub mod nginx;
pub mod paths;

pub use discover::{DiscoverError, Options, read_server_files};
