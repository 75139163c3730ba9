//! S3: the buckets, each bucket's configuration, and the account's public
//! access block.

use cartguard_inventory::s3::*;
use cartguard_inventory::{Collected, PolicyDocument};
use futures::StreamExt;

use crate::config::Clients;
use crate::scope::{Scope, all_pages};
use crate::time::opt;

/// Collects the account's S3 evidence.
pub(crate) async fn collect(
    clients: &Clients,
    scope: Scope,
    account_id: Option<String>,
) -> S3Evidence {
    let s3 = &clients.s3;
    let account_block = async {
        match &account_id {
            Some(id) => scope
                .call(&GET_ACCOUNT_PUBLIC_ACCESS_BLOCK, async {
                    clients
                        .s3control
                        .get_public_access_block()
                        .account_id(id)
                        .send()
                        .await
                })
                .await
                .map(|a| account_block(a.public_access_block_configuration)),
            // Without the account id there is no call to make.
            None => Collected::NotCollected,
        }
    };
    let buckets = async {
        all_pages!(scope, &LIST_BUCKETS, s3.list_buckets())
            .await
            .map(|pages| {
                pages
                    .into_iter()
                    .flat_map(|p| p.buckets.unwrap_or_default())
                    .filter_map(|b| {
                        Some(Bucket {
                            name: b.name?,
                            creation_date: opt(b.creation_date.as_ref()),
                            bucket_region: b.bucket_region,
                        })
                    })
                    .collect::<Vec<_>>()
            })
    };
    let (account_public_access_block, buckets) = tokio::join!(account_block, buckets);
    let mut out = S3Evidence {
        account_public_access_block,
        ..S3Evidence::default()
    };
    let names: Vec<String> = buckets
        .present()
        .map(|b| b.iter().map(|b| b.name.clone()).collect())
        .unwrap_or_default();
    out.buckets = buckets;
    let configurations: Vec<(String, BucketConfiguration)> = futures::stream::iter(names)
        .map(|name| {
            let scope = &scope;
            async move {
                let configuration = bucket(clients, scope, &name).await;
                (cartguard_evidence::layout::safe_name(&name), configuration)
            }
        })
        .buffer_unordered(scope.width())
        .collect()
        .await;
    for (name, c) in configurations {
        out.encryption.insert(name.clone(), c.encryption);
        out.versioning.insert(name.clone(), c.versioning);
        out.public_access_block
            .insert(name.clone(), c.public_access_block);
        out.policies.insert(name.clone(), c.policy);
        out.acls.insert(name.clone(), c.acl);
        out.logging.insert(name.clone(), c.logging);
        out.object_lock.insert(name.clone(), c.object_lock);
        out.locations.insert(name, c.location);
    }
    scope.done();
    out
}

/// Everything read about one bucket.
struct BucketConfiguration {
    encryption: Collected<EncryptionConfiguration>,
    versioning: Collected<Versioning>,
    public_access_block: Collected<PublicAccessBlock>,
    policy: Collected<PolicyDocument>,
    acl: Collected<BucketAcl>,
    logging: Collected<BucketLogging>,
    object_lock: Collected<ObjectLockConfiguration>,
    location: Collected<BucketLocation>,
}

/// Reads one bucket's configuration, asking the bucket's own region once its
/// location is known (S3 answers a request sent to another region with a
/// redirect).
async fn bucket(clients: &Clients, scope: &Scope, name: &str) -> BucketConfiguration {
    let location = scope
        .call(&GET_BUCKET_LOCATION, async {
            clients.s3.get_bucket_location().bucket(name).send().await
        })
        .await
        .map(|l| BucketLocation {
            location_constraint: l
                .location_constraint
                .map(|c| c.as_str().to_string())
                .filter(|c| !c.is_empty()),
        });
    let region = location.present().map(BucketLocation::region);
    let regional;
    let s3 = match &region {
        Some(region) if clients.endpoint.is_none() => {
            regional = clients.s3_in(region);
            &regional
        }
        _ => &clients.s3,
    };
    let encryption = scope.call(&GET_BUCKET_ENCRYPTION, async {
        s3.get_bucket_encryption().bucket(name).send().await
    });
    let versioning = scope.call(&GET_BUCKET_VERSIONING, async {
        s3.get_bucket_versioning().bucket(name).send().await
    });
    let block_answer = scope.call(&GET_PUBLIC_ACCESS_BLOCK, async {
        s3.get_public_access_block().bucket(name).send().await
    });
    let policy = scope.call(&GET_BUCKET_POLICY, async {
        s3.get_bucket_policy().bucket(name).send().await
    });
    let acl = scope.call(&GET_BUCKET_ACL, async {
        s3.get_bucket_acl().bucket(name).send().await
    });
    let logging = scope.call(&GET_BUCKET_LOGGING, async {
        s3.get_bucket_logging().bucket(name).send().await
    });
    let object_lock = scope.call(&GET_OBJECT_LOCK_CONFIGURATION, async {
        s3.get_object_lock_configuration().bucket(name).send().await
    });
    let (encryption, versioning, block_answer, policy, acl, logging, object_lock) = tokio::join!(
        encryption,
        versioning,
        block_answer,
        policy,
        acl,
        logging,
        object_lock
    );
    BucketConfiguration {
        encryption: encryption.map(|e| EncryptionConfiguration {
            rules: e
                .server_side_encryption_configuration
                .map(|c| c.rules)
                .unwrap_or_default()
                .into_iter()
                .map(|r| EncryptionRule {
                    apply_server_side_encryption_by_default: r
                        .apply_server_side_encryption_by_default
                        .map(|d| EncryptionByDefault {
                            sse_algorithm: d.sse_algorithm.as_str().to_string(),
                            kms_master_key_id: d.kms_master_key_id,
                        }),
                    bucket_key_enabled: r.bucket_key_enabled,
                })
                .collect(),
        }),
        versioning: versioning.map(|v| Versioning {
            status: v.status.map(|s| s.as_str().to_string()),
            mfa_delete: v.mfa_delete.map(|s| s.as_str().to_string()),
        }),
        public_access_block: block_answer.map(|b| block(b.public_access_block_configuration)),
        policy: match policy.into_present() {
            Ok(answer) => {
                let text = answer.policy.unwrap_or_default();
                match PolicyDocument::from_text(&text) {
                    Ok(document) => Collected::Present(document),
                    Err(message) => Collected::Failed {
                        code: "MalformedPolicy".to_string(),
                        message: format!("the policy of bucket {name}: {message}"),
                    },
                }
            }
            Err(absent) => absent,
        },
        acl: acl.map(|a| BucketAcl {
            owner: a.owner.map(|o| AclOwner {
                id: o.id,
                display_name: o.display_name,
            }),
            grants: a
                .grants
                .unwrap_or_default()
                .into_iter()
                .map(|g| Grant {
                    grantee: g
                        .grantee
                        .map(|e| Grantee {
                            kind: e.r#type.as_str().to_string(),
                            uri: e.uri,
                            id: e.id,
                            display_name: e.display_name,
                            email_address: e.email_address,
                        })
                        .unwrap_or_default(),
                    permission: g
                        .permission
                        .map(|p| p.as_str().to_string())
                        .unwrap_or_default(),
                })
                .collect(),
        }),
        logging: logging.map(|l| BucketLogging {
            logging_enabled: l.logging_enabled.map(|e| LoggingEnabled {
                target_bucket: e.target_bucket,
                target_prefix: Some(e.target_prefix),
            }),
        }),
        object_lock: object_lock.map(|o| {
            let c = o.object_lock_configuration;
            ObjectLockConfiguration {
                object_lock_enabled: c
                    .as_ref()
                    .and_then(|c| c.object_lock_enabled.as_ref())
                    .map(|e| e.as_str().to_string()),
                rule: c.and_then(|c| c.rule).map(|r| ObjectLockRule {
                    default_retention: r.default_retention.map(|d| DefaultRetention {
                        mode: d.mode.map(|m| m.as_str().to_string()),
                        days: d.days.map(i64::from),
                        years: d.years.map(i64::from),
                    }),
                }),
            }
        }),
        location,
    }
}

fn block(
    configuration: Option<aws_sdk_s3::types::PublicAccessBlockConfiguration>,
) -> PublicAccessBlock {
    configuration
        .map(|c| PublicAccessBlock {
            block_public_acls: c.block_public_acls,
            ignore_public_acls: c.ignore_public_acls,
            block_public_policy: c.block_public_policy,
            restrict_public_buckets: c.restrict_public_buckets,
        })
        .unwrap_or_default()
}

fn account_block(
    configuration: Option<aws_sdk_s3control::types::PublicAccessBlockConfiguration>,
) -> PublicAccessBlock {
    configuration
        .map(|c| PublicAccessBlock {
            block_public_acls: c.block_public_acls,
            ignore_public_acls: c.ignore_public_acls,
            block_public_policy: c.block_public_policy,
            restrict_public_buckets: c.restrict_public_buckets,
        })
        .unwrap_or_default()
}
