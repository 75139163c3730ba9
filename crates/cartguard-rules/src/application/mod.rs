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
pub mod nginx_alias_traversal;
pub mod nginx_autoindex_on;
pub mod nginx_dotfiles_served;
pub mod nginx_header_inheritance_lost;
pub mod nginx_magento_sensitive_paths;
pub mod nginx_methods_unrestricted;
pub mod nginx_security_header_missing;
pub mod nginx_server_tokens_on;
pub mod nginx_session_tickets_on;
pub mod nginx_weak_tls;
pub mod nginx_xss_protection_enabled;
pub mod secret_hardcoded;
pub mod secret_leaked_key_active;

mod headers;
mod nginx;
