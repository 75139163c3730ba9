//! Data protection and secrets (CHECKLIST.md section 3): encryption at rest,
//! backups and recovery, and credentials kept where anyone who reads a
//! configuration reads them too.

mod support;

// Databases, volumes, secrets, parameters, functions, containers and backups.
pub mod backup_no_plan;
pub mod dynamodb_no_pitr;
pub mod dynamodb_not_cmk;
pub mod ebs_default_encryption_off;
pub mod ebs_volume_unencrypted;
pub mod ecs_env_secret;
pub mod lambda_env_secret;
pub mod rds_backup_retention_short;
pub mod rds_minor_upgrade_off;
pub mod rds_no_deletion_protection;
pub mod rds_not_encrypted;
pub mod secrets_rotation_off;
pub mod ssm_secret_plaintext;
