//! Parsers and analysers for server files (nginx, Magento, secrets).
//!
//! [`credentials`] decides whether a named value is a credential; the cloud
//! rules use it on Lambda and ECS environments and Parameter Store names.
//! [`secrets`] finds credentials written in any text file and in `.env`
//! files; [`php`] reads the arrays PHP configuration files return, and
//! [`magento`] reads a Magento 2 root (`env.php`, `config.php`,
//! `composer.lock`) into the inventory's model.

pub mod credentials;
pub mod git_history;
pub mod magento;
pub mod php;
pub mod secrets;
