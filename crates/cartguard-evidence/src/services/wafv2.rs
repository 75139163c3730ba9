//! The AWS WAF (v2) evidence: a region's `REGIONAL` web ACLs, or the
//! account's `CLOUDFRONT` ones (filed under `global`).

use cartguard_inventory::GLOBAL;
use cartguard_inventory::wafv2::{
    GET_CLOUDFRONT_WEB_ACL, GET_WEB_ACL, LIST_API_STAGES_FOR_WEB_ACL, LIST_CLOUDFRONT_WEB_ACLS,
    LIST_LOAD_BALANCERS_FOR_WEB_ACL, LIST_WEB_ACLS, Wafv2Evidence, WebAcl, WebAclSummary,
};

use super::response;
use crate::EvidenceError;
use crate::folder::Reader;

response!(WebAclsResponse { web_acls: "WebACLs" => Vec<WebAclSummary> });
response!(WebAclResponse { web_acl: "WebACL" => WebAcl });
response!(ResourcesResponse { arns: "ResourceArns" => Vec<String> });

/// Reads the region's `REGIONAL` web ACLs and what they protect.
pub(crate) fn read(
    reader: &mut Reader,
    region: &str,
    out: &mut Wafv2Evidence,
) -> Result<(), EvidenceError> {
    out.web_acls = reader.load(&LIST_WEB_ACLS.key(region), |r: WebAclsResponse| r.web_acls)?;
    out.web_acl_details = reader.load_each(GET_WEB_ACL, region, |r: WebAclResponse| r.web_acl)?;
    out.load_balancers = reader.load_each(
        LIST_LOAD_BALANCERS_FOR_WEB_ACL,
        region,
        |r: ResourcesResponse| r.arns,
    )?;
    out.api_stages = reader.load_each(
        LIST_API_STAGES_FOR_WEB_ACL,
        region,
        |r: ResourcesResponse| r.arns,
    )?;
    Ok(())
}

/// Reads the account's `CLOUDFRONT` web ACLs.
pub(crate) fn read_cloudfront(
    reader: &mut Reader,
    out: &mut Wafv2Evidence,
) -> Result<(), EvidenceError> {
    out.web_acls = reader.load(&LIST_CLOUDFRONT_WEB_ACLS.global(), |r: WebAclsResponse| {
        r.web_acls
    })?;
    out.web_acl_details =
        reader.load_each(GET_CLOUDFRONT_WEB_ACL, GLOBAL, |r: WebAclResponse| {
            r.web_acl
        })?;
    Ok(())
}
