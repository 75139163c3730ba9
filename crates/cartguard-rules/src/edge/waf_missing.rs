use cartguard_inventory::apigateway::{self, Api};
use cartguard_inventory::cloudfront::{self, Distribution};
use cartguard_inventory::wafv2::{self, Wafv2Evidence};
use cartguard_inventory::{GLOBAL, Operation, Region};
use serde_json::json;

use super::{Facing, facing, load_balancers, network};
use crate::{Context, Emitter, Failure, declare_rule};

/// What `waf-missing` reads besides the network engine's evidence.
const ASSOCIATIONS: &[Operation] = &[
    wafv2::LIST_WEB_ACLS,
    wafv2::LIST_LOAD_BALANCERS_FOR_WEB_ACL,
    wafv2::LIST_API_STAGES_FOR_WEB_ACL,
    apigateway::GET_REST_APIS,
    apigateway::GET_STAGES,
    apigateway::GET_APIS,
    cloudfront::LIST_DISTRIBUTIONS,
];

declare_rule! {
    /// ## What it checks
    /// Every entrance of the store on the internet must pass through a WAF web ACL:
    ///
    /// - an application load balancer the internet reaches, as the network engine
    ///   decides it (public address, routes, network ACLs and security groups; an
    ///   `internet-facing` load balancer whose security groups admit nothing is
    ///   not an entrance), must be listed by `wafv2 list-resources-for-web-acl`
    ///   for some regional web ACL;
    /// - every stage of a REST API that is not `PRIVATE` must have a `webAclArn`
    ///   (or be listed for a web ACL with `--resource-type API_GATEWAY`);
    /// - every enabled CloudFront distribution must have a `WebACLId`;
    /// - an HTTP API cannot carry a web ACL itself: it passes only when a
    ///   CloudFront distribution with a web ACL has its `execute-api` endpoint as
    ///   origin. (Its custom domain as origin is not recognised; WebSocket APIs
    ///   are not judged.)
    ///
    /// When a web ACL's list of resources is missing, a load balancer it may
    /// protect is reported not assessed, not failed.
    ///
    /// ## Why it matters
    /// PCI DSS 6.4.2 asks that public-facing web applications sit behind an
    /// automated solution that detects and prevents web attacks. An entrance
    /// without a web ACL takes every injection, scan and credential-stuffing
    /// request straight to the application.
    ///
    /// ## Severity
    /// Always high: only internet-facing entrances are judged.
    ///
    /// ## How to fix
    /// Associate a regional web ACL with the load balancer or the stage, or give
    /// the distribution a web ACL of scope `CLOUDFRONT`:
    ///
    /// ```sh
    /// aws wafv2 associate-web-acl --region eu-west-1 \
    ///   --web-acl-arn arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/shop-web/<id> \
    ///   --resource-arn arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/shop/<id>
    /// ```
    ///
    /// ## Example
    /// An internet-facing ALB that no web ACL lists fails; the same ALB listed by
    /// `list-resources-for-web-acl` of `shop-web` passes, and so does an internal
    /// ALB without one.
    pub static RULE = {
        id: "waf-missing",
        title: "An internet-facing entrance has no WAF web ACL",
        severity: High,
        area: Edge,
        evidence: [cartguard_net::EVIDENCE, ASSOCIATIONS],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    if super::any_region(ctx, out, "elasticloadbalancing") {
        for (name, region) in &ctx.account.regions {
            load_balancers_without_acl(ctx, out, name, region);
            rest_stages_without_acl(out, name, region);
            http_apis_without_acl(ctx, out, name, region);
        }
    }
    distributions_without_acl(ctx, out);
}

/// Why the load balancer `arn` is or may be protected: `Ok(Some(acl))` when a
/// web ACL lists it, `Ok(None)` when none does, `Err` when some list is missing.
fn web_acl_of(waf: &Wafv2Evidence, region: &str, arn: &str) -> Result<Option<String>, String> {
    let acls = match waf.web_acls.present() {
        Some(acls) => acls,
        None => {
            return Err(waf
                .web_acls
                .unavailable_reason(&wafv2::LIST_WEB_ACLS.key(region))
                .unwrap_or_else(|| "the web ACLs are unknown".into()));
        }
    };
    let mut gaps = Vec::new();
    for acl in acls {
        let key = wafv2::LIST_LOAD_BALANCERS_FOR_WEB_ACL.about(region, &acl.name);
        match waf.load_balancers.get(&acl.name) {
            Some(listed) => match listed.present() {
                Some(arns) if arns.iter().any(|a| a == arn) => return Ok(Some(acl.name.clone())),
                Some(_) => {}
                None => gaps.extend(listed.unavailable_reason(&key)),
            },
            None => gaps.push(format!("{key} was not collected")),
        }
    }
    if gaps.is_empty() {
        Ok(None)
    } else {
        Err(gaps.join("; "))
    }
}

fn load_balancers_without_acl(ctx: &Context, out: &mut Emitter, name: &str, region: &Region) {
    let Some(balancers) = load_balancers(ctx, out, name) else {
        return;
    };
    let Some(net) = network(ctx, name) else {
        return;
    };
    for lb in balancers {
        match lb.lb_type.as_deref() {
            Some("application") => {}
            Some(_) => continue,
            None => {
                out.not_assessed(
                    &lb.load_balancer_arn,
                    name,
                    format!(
                        "load balancer {} has no Type in {}: whether a web ACL can protect it is unknown",
                        lb.load_balancer_name,
                        cartguard_inventory::elbv2::DESCRIBE_LOAD_BALANCERS.key(name)
                    ),
                );
                continue;
            }
        }
        let reach = match facing(net, lb) {
            Facing::Not => continue,
            Facing::Unknown(why) => {
                out.not_assessed(&lb.load_balancer_arn, name, why);
                continue;
            }
            Facing::Internet(reach) => reach,
        };
        match web_acl_of(&region.wafv2, name, &lb.load_balancer_arn) {
            Ok(Some(_)) => {}
            Err(why) => out.not_assessed(
                &lb.load_balancer_arn,
                name,
                format!(
                    "whether a web ACL protects load balancer {} cannot be decided: {why}",
                    lb.load_balancer_name
                ),
            ),
            Ok(None) => out.fail(Failure {
                detail: format!(
                    "Application load balancer {} is reachable from the internet on {} and no web ACL of {name} lists it.",
                    lb.load_balancer_name,
                    crate::network::describe(&reach.reachable_services())
                ),
                evidence: json!({
                    "source": "reachability from the internet; wafv2 list-resources-for-web-acl --resource-type APPLICATION_LOAD_BALANCER",
                    "load_balancer": lb.load_balancer_name,
                    "scheme": lb.scheme,
                    "reachable": reach.ports,
                    "web_acls": region.wafv2.web_acls.present().map(|acls| acls.iter().map(|a| &a.name).collect::<Vec<_>>()),
                }),
                remediation: format!(
                    "aws wafv2 associate-web-acl --region {name} --web-acl-arn <regional web ACL ARN> --resource-arn {}",
                    lb.load_balancer_arn
                ),
                region: name.to_string(),
                ..Failure::global(lb.load_balancer_arn.clone())
            }),
        }
    }
}

fn rest_stages_without_acl(out: &mut Emitter, name: &str, region: &Region) {
    let gateway = &region.apigateway;
    let Some(apis) = out.require(
        &gateway.rest_apis,
        &apigateway::GET_REST_APIS.key(name),
        &format!("arn:aws:apigateway:{name}::/restapis/*"),
        name,
    ) else {
        return;
    };
    let listed: Vec<&String> = region
        .wafv2
        .api_stages
        .values()
        .filter_map(|c| c.present())
        .flatten()
        .collect();
    for api in apis.iter().filter(|a| !a.is_private()) {
        let key = apigateway::GET_STAGES.about(name, &api.id);
        let pattern = format!("arn:aws:apigateway:{name}::/restapis/{}/stages/*", api.id);
        let Some(collected) = gateway.stages.get(&api.id) else {
            out.not_assessed(&pattern, name, format!("{key} was not collected"));
            continue;
        };
        let Some(stages) = out.require(collected, &key, &pattern, name) else {
            continue;
        };
        for stage in stages {
            let arn = format!(
                "arn:aws:apigateway:{name}::/restapis/{}/stages/{}",
                api.id, stage.stage_name
            );
            let has_acl = stage.web_acl_arn.as_deref().is_some_and(|a| !a.is_empty())
                || listed.iter().any(|l| **l == arn);
            if has_acl {
                continue;
            }
            let api_name = api.name.as_deref().unwrap_or(&api.id);
            out.fail(Failure {
                detail: format!(
                    "Stage {} of REST API {api_name} ({}) is public and has no web ACL (no webAclArn).",
                    stage.stage_name, api.id
                ),
                evidence: json!({
                    "source": "apigateway get-rest-apis, get-stages",
                    "api": api_name,
                    "id": api.id,
                    "endpoint_types": api.endpoint_configuration.as_ref().map(|c| &c.types),
                    "stage": stage.stage_name,
                    "webAclArn": stage.web_acl_arn,
                }),
                remediation: format!(
                    "aws wafv2 associate-web-acl --region {name} --web-acl-arn <regional web ACL ARN> --resource-arn {arn}"
                ),
                region: name.to_string(),
                ..Failure::global(arn)
            });
        }
    }
}

/// The host of an HTTP API's default endpoint (`abc123.execute-api.eu-west-1.amazonaws.com`).
fn endpoint_host(api: &Api) -> Option<&str> {
    let endpoint = api.api_endpoint.as_deref()?;
    let host = endpoint.strip_prefix("https://").unwrap_or(endpoint);
    Some(host.trim_end_matches('/'))
}

/// The distribution with a web ACL that has `host` as an origin, if any.
fn fronted_by<'d>(distributions: &'d [Distribution], host: &str) -> Option<&'d Distribution> {
    distributions.iter().find(|d| {
        d.enabled != Some(false)
            && d.web_acl_id.as_deref().is_some_and(|id| !id.is_empty())
            && d.origins
                .as_ref()
                .is_some_and(|o| o.items.iter().any(|origin| origin.domain_name == host))
    })
}

fn http_apis_without_acl(ctx: &Context, out: &mut Emitter, name: &str, region: &Region) {
    let Some(apis) = out.require(
        &region.apigateway.apis,
        &apigateway::GET_APIS.key(name),
        &format!("arn:aws:apigateway:{name}::/apis/*"),
        name,
    ) else {
        return;
    };
    let distributions = &ctx.account.cloudfront.distributions;
    for api in apis {
        if api.protocol_type.as_deref() == Some("WEBSOCKET") {
            continue;
        }
        let arn = format!("arn:aws:apigateway:{name}::/apis/{}", api.api_id);
        let host = endpoint_host(api);
        let front = match (distributions.present(), host) {
            (Some(all), Some(host)) => fronted_by(all, host),
            (Some(_), None) => None,
            (None, _) => {
                let why = distributions
                    .unavailable_reason(&cloudfront::LIST_DISTRIBUTIONS.global())
                    .unwrap_or_else(|| "the distributions are unknown".into());
                out.not_assessed(
                    &arn,
                    name,
                    format!(
                        "whether a CloudFront distribution with a web ACL stands in front of HTTP API {} cannot be decided: {why}",
                        api.api_id
                    ),
                );
                continue;
            }
        };
        if front.is_some() {
            continue;
        }
        let api_name = api.name.as_deref().unwrap_or(&api.api_id);
        out.fail(Failure {
            detail: format!(
                "HTTP API {api_name} ({}) answers the internet at {} and no CloudFront distribution with a web ACL has that endpoint as its origin; a web ACL cannot be associated with an HTTP API itself.",
                api.api_id,
                api.api_endpoint.as_deref().unwrap_or("its default endpoint")
            ),
            evidence: json!({
                "source": "apigatewayv2 get-apis; cloudfront list-distributions",
                "api": api_name,
                "id": api.api_id,
                "protocol": api.protocol_type,
                "endpoint": api.api_endpoint,
                "disable_execute_api_endpoint": api.disable_execute_api_endpoint,
            }),
            remediation: format!(
                "Put a CloudFront distribution with a web ACL of scope CLOUDFRONT in front of it (origin {}), then turn the default endpoint off so it cannot be bypassed: aws apigatewayv2 update-api --region {name} --api-id {} --disable-execute-api-endpoint (serve it through a custom domain that only CloudFront uses); or move the routes to a REST API stage with a regional web ACL.",
                host.unwrap_or("<execute-api host>"),
                api.api_id
            ),
            region: name.to_string(),
            ..Failure::global(arn)
        });
    }
}

fn distributions_without_acl(ctx: &Context, out: &mut Emitter) {
    let Some(distributions) = out.require(
        &ctx.account.cloudfront.distributions,
        &cloudfront::LIST_DISTRIBUTIONS.global(),
        &format!("arn:aws:cloudfront::{}:distribution/*", ctx.account.id),
        GLOBAL,
    ) else {
        return;
    };
    for d in distributions {
        if d.enabled == Some(false) {
            continue;
        }
        if d.web_acl_id.as_deref().is_some_and(|id| !id.is_empty()) {
            continue;
        }
        let aliases = d
            .aliases
            .as_ref()
            .map(|a| a.items.clone())
            .unwrap_or_default();
        out.fail(Failure {
            detail: format!(
                "CloudFront distribution {} ({}) serves the internet with no web ACL (WebACLId is empty).",
                d.id,
                if aliases.is_empty() {
                    d.domain_name.clone().unwrap_or_default()
                } else {
                    aliases.join(", ")
                }
            ),
            evidence: json!({
                "source": "cloudfront list-distributions",
                "id": d.id,
                "domain": d.domain_name,
                "aliases": aliases,
                "enabled": d.enabled,
                "WebACLId": d.web_acl_id,
            }),
            remediation: format!(
                "aws cloudfront get-distribution-config --id {id} > dist.json; set DistributionConfig.WebACLId to the ARN of a web ACL of scope CLOUDFRONT (aws wafv2 list-web-acls --scope CLOUDFRONT --region us-east-1); aws cloudfront update-distribution --id {id} --if-match <ETag> --distribution-config file://config.json",
                id = d.id
            ),
            ..Failure::global(d.arn.clone())
        });
    }
}
