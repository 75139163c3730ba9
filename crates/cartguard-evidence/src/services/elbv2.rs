//! The Elastic Load Balancing (v2) evidence of one region.

use cartguard_inventory::elbv2::{
    DESCRIBE_LISTENERS, DESCRIBE_LOAD_BALANCER_ATTRIBUTES, DESCRIBE_LOAD_BALANCERS,
    DESCRIBE_SSL_POLICIES, DESCRIBE_TARGET_GROUPS, DESCRIBE_TARGET_HEALTH, Elbv2Evidence, Listener,
    LoadBalancer, LoadBalancerAttribute, SslPolicy, TargetGroup, TargetHealthDescription,
};

use super::response;
use crate::EvidenceError;
use crate::folder::Reader;

response!(LoadBalancersResponse { balancers: "LoadBalancers" => Vec<LoadBalancer> });
response!(ListenersResponse { listeners: "Listeners" => Vec<Listener> });
response!(TargetGroupsResponse { groups: "TargetGroups" => Vec<TargetGroup> });
response!(TargetHealthResponse { targets: "TargetHealthDescriptions" => Vec<TargetHealthDescription> });
response!(SslPoliciesResponse { policies: "SslPolicies" => Vec<SslPolicy> });
response!(AttributesResponse { attributes: "Attributes" => Vec<LoadBalancerAttribute> });

/// Reads the region's load balancer evidence.
pub(crate) fn read(
    reader: &mut Reader,
    region: &str,
    elb: &mut Elbv2Evidence,
) -> Result<(), EvidenceError> {
    elb.load_balancers = reader.load(
        &DESCRIBE_LOAD_BALANCERS.key(region),
        |r: LoadBalancersResponse| r.balancers,
    )?;
    elb.listeners = reader.load_each(DESCRIBE_LISTENERS, region, |r: ListenersResponse| {
        r.listeners
    })?;
    elb.target_groups = reader.load(
        &DESCRIBE_TARGET_GROUPS.key(region),
        |r: TargetGroupsResponse| r.groups,
    )?;
    elb.target_health =
        reader.load_each(DESCRIBE_TARGET_HEALTH, region, |r: TargetHealthResponse| {
            r.targets
        })?;
    elb.ssl_policies = reader.load(
        &DESCRIBE_SSL_POLICIES.key(region),
        |r: SslPoliciesResponse| r.policies,
    )?;
    elb.attributes = reader.load_each(
        DESCRIBE_LOAD_BALANCER_ATTRIBUTES,
        region,
        |r: AttributesResponse| r.attributes,
    )?;
    Ok(())
}
