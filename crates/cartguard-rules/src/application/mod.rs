//! Application tier rules (CHECKLIST.md section 6): files on the server or in
//! the repository — nginx configuration, Magento's `env.php` and
//! `config.php`, `composer.lock`, `.env` files and source trees. They run
//! once per scan when `--path` was given, read [`Context::server_files`]
//! only, and name `path:line` as the resource of every finding.
//!
//! [`Context::server_files`]: crate::Context::server_files

mod files_support;
pub mod magento_2fa_disabled;
pub mod magento_admin_default_path;
pub mod magento_db_password_in_file;
pub mod magento_file_permissions;
pub mod magento_outdated;
pub mod secret_hardcoded;
pub mod secret_leaked_key_active;
