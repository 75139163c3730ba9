//! Reading each service's evidence: the response shapes the AWS CLI prints and
//! what the model keeps of them, one module per service.

pub(crate) mod accessanalyzer;
pub(crate) mod dynamodb;
pub(crate) mod ec2;
pub(crate) mod elbv2;
pub(crate) mod iam;
pub(crate) mod kms;
pub(crate) mod organizations;
pub(crate) mod rds;
pub(crate) mod s3;
pub(crate) mod secretsmanager;
pub(crate) mod sso;

use cartguard_inventory::Region;

use crate::EvidenceError;
use crate::folder::Reader;

/// Declares the part of an AWS CLI response the reader keeps. Every field is
/// optional in the file (AWS omits empty lists) and unknown fields are ignored.
macro_rules! response {
    ($name:ident { $($field:ident : $json:literal => $ty:ty),+ $(,)? }) => {
        #[derive(serde::Deserialize)]
        pub(crate) struct $name {
            $(#[serde(rename = $json, default)] pub(crate) $field: $ty,)+
        }
    };
}
pub(crate) use response;

/// Everything an evidence folder holds for one region.
pub(crate) fn read_region(reader: &mut Reader, region: &str) -> Result<Region, EvidenceError> {
    let mut out = Region::default();
    ec2::read(reader, region, &mut out.ec2)?;
    rds::read(reader, region, &mut out.rds)?;
    elbv2::read(reader, region, &mut out.elbv2)?;
    accessanalyzer::read(reader, region, &mut out.accessanalyzer)?;
    sso::read(reader, region, &mut out.sso)?;
    secretsmanager::read(reader, region, &mut out.secretsmanager)?;
    dynamodb::read(reader, region, &mut out.dynamodb)?;
    kms::read(reader, region, &mut out.kms)?;
    Ok(out)
}
