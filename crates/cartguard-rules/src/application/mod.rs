//! Application tier rules (CHECKLIST.md section 6): files on the server or in
//! the repository — nginx configuration, Magento's `env.php` and
//! `config.php`, `composer.lock`, `.env` files and source trees. They run
//! once per scan when `--path` was given, read [`Context::server_files`]
//! only, and name `path:line` as the resource of every finding.
//!
//! [`Context::server_files`]: crate::Context::server_files
