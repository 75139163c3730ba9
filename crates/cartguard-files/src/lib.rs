//! Parsers and analysers for server files (nginx, Magento, secrets).
//!
//! [`discover`] walks the paths a scan was given, reads each text file and
//! says what it was read as; [`nginx`] parses nginx configurations with their
//! includes. [`credentials`] decides whether a named value is a credential;
//! the cloud rules use it on Lambda and ECS environments and Parameter Store
//! names. [`secrets`] finds credentials written in any text file and in
//! `.env` files, [`git_history`] in every blob of a repository's history;
//! [`php`] reads the arrays PHP configuration files return, and [`magento`]
//! reads a Magento 2 root (`env.php`, `config.php`, `composer.lock`) into
//! the inventory's model.

pub mod credentials;
pub mod discover;
pub mod git_history;
pub mod magento;
pub mod nginx;
pub mod paths;
pub mod php;
pub mod secrets;

pub use discover::{DiscoverError, Options, read_server_files};
