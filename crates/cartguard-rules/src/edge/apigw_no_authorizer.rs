use cartguard_inventory::Operation;
use cartguard_inventory::apigateway::{self, Api, RestApi};
use serde_json::json;

use super::{PUBLIC_TAG, tagged_public};
use crate::{Context, Emitter, Failure, Proof, declare_rule};

/// What `apigw-no-authorizer` reads.
const EVIDENCE: &[Operation] = &[
    apigateway::GET_REST_APIS,
    apigateway::GET_RESOURCES,
    apigateway::GET_APIS,
    apigateway::GET_ROUTES,
];

declare_rule! {
    /// ## What it checks
    /// Every method of a REST API (`get-resources --embed methods`) and every
    /// route of an HTTP API (`apigatewayv2 get-routes`) must be authorized —
    /// `AWS_IAM`, `COGNITO_USER_POOLS`, `JWT` or `CUSTOM` (a Lambda authorizer) —
    /// or, for a REST method, require an API key. A WebSocket API is judged on
    /// its `$connect` route, the only one that can carry an authorizer.
    ///
    /// What is explicitly public is not judged:
    /// - `OPTIONS` methods and routes (CORS preflight requests carry no
    ///   credentials by design);
    /// - every method and route of an API tagged `cartguard:public` = `true`
    ///   (a storefront catalogue meant for everyone): the tag records the
    ///   decision where the next reviewer will see it.
    ///
    /// A method whose `authorizationType` is not in the evidence (collected
    /// without `--embed methods`) is reported not assessed. A `PRIVATE` REST API
    /// (reachable only through VPC endpoints) fails at medium severity.
    ///
    /// ## Why it matters
    /// An unauthenticated method of an order, customer or admin API answers anyone
    /// who finds its URL. Access to system components and data must be limited to
    /// those who need it and each user authenticated (PCI DSS 7.3.1, 8.3.1).
    ///
    /// ## Severity
    /// High on an API the internet reaches; medium, one level lower, on a private
    /// API (reachable only through VPC endpoints).
    ///
    /// ## How to fix
    /// Attach an authorizer and redeploy, or tag an API that is meant to be public:
    ///
    /// ```sh
    /// aws apigateway update-method --rest-api-id a1b2c3 --resource-id r4s5t6 --http-method GET \
    ///   --patch-operations op=replace,path=/authorizationType,value=COGNITO_USER_POOLS \
    ///   op=replace,path=/authorizerId,value=<authorizer id>
    /// aws apigateway create-deployment --rest-api-id a1b2c3 --stage-name prod
    /// aws apigatewayv2 update-route --api-id x9y8z7 --route-id <id> --authorization-type JWT --authorizer-id <id>
    /// aws apigateway tag-resource --resource-arn arn:aws:apigateway:eu-west-1::/restapis/a1b2c3 \
    ///   --tags cartguard:public=true
    /// ```
    ///
    /// ## Example
    /// `GET /orders/{id}` with `authorizationType` `NONE` and `apiKeyRequired`
    /// `false` fails; the same method with `COGNITO_USER_POOLS`, and its `OPTIONS`
    /// method, pass.
    pub static RULE = {
        id: "apigw-no-authorizer",
        title: "An API Gateway method has no authorizer",
        severity: High,
        lowest: Medium,
        area: Edge,
        evidence: [EVIDENCE],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    if !super::any_region(ctx, out, "apigateway") {
        return;
    }
    for (name, region) in &ctx.account.regions {
        let gateway = &region.apigateway;
        if let Some(apis) = out.require(
            &gateway.rest_apis,
            &apigateway::GET_REST_APIS.key(name),
            &format!("arn:aws:apigateway:{name}::/restapis/*"),
            name,
        ) {
            for api in apis.iter().filter(|a| !tagged_public(&a.tags)) {
                rest_api(out, name, gateway, api);
            }
        }
        if let Some(apis) = out.require(
            &gateway.apis,
            &apigateway::GET_APIS.key(name),
            &format!("arn:aws:apigateway:{name}::/apis/*"),
            name,
        ) {
            for api in apis.iter().filter(|a| !tagged_public(&a.tags)) {
                http_api(out, name, gateway, api);
            }
        }
    }
}

fn rest_api(
    out: &mut Emitter,
    region: &str,
    gateway: &apigateway::ApiGatewayEvidence,
    api: &RestApi,
) {
    let key = apigateway::GET_RESOURCES.about(region, &api.id);
    let pattern = format!(
        "arn:aws:apigateway:{region}::/restapis/{}/resources/*",
        api.id
    );
    let Some(collected) = gateway.resources.get(&api.id) else {
        out.not_assessed(&pattern, region, format!("{key} was not collected"));
        return;
    };
    let Some(resources) = out.require(collected, &key, &pattern, region) else {
        return;
    };
    let api_name = api.name.as_deref().unwrap_or(&api.id);
    for resource in resources {
        let path = resource.path.as_deref().unwrap_or(&resource.id);
        for (verb, method) in &resource.resource_methods {
            if verb.eq_ignore_ascii_case("OPTIONS") {
                continue;
            }
            let arn = format!(
                "arn:aws:apigateway:{region}::/restapis/{}/resources/{}/methods/{verb}",
                api.id, resource.id
            );
            let (Some(authorization), Some(api_key)) = (
                method.authorization_type.as_deref(),
                method.api_key_required,
            ) else {
                out.not_assessed(
                    &arn,
                    region,
                    format!(
                        "{verb} {path} of REST API {api_name}: {key} does not show its authorizationType and apiKeyRequired (collect it with --embed methods)"
                    ),
                );
                continue;
            };
            if authorization != "NONE" || api_key {
                continue;
            }
            let private = api.is_private();
            out.fail(Failure {
                detail: format!(
                    "{verb} {path} of REST API {api_name} ({}) answers without any authorization: authorizationType is NONE and no API key is required.{}",
                    api.id,
                    if private { " The API is PRIVATE: only clients of its VPC endpoints reach it." } else { "" }
                ),
                evidence: json!({
                    "source": "apigateway get-resources --embed methods",
                    "api": api_name,
                    "id": api.id,
                    "endpoint_types": api.endpoint_configuration.as_ref().map(|c| &c.types),
                    "path": path,
                    "method": {"httpMethod": verb, "authorizationType": authorization, "apiKeyRequired": api_key},
                    "tags": api.tags,
                }),
                remediation: format!(
                    "aws apigateway update-method --region {region} --rest-api-id {} --resource-id {} --http-method {verb} --patch-operations op=replace,path=/authorizationType,value=COGNITO_USER_POOLS op=replace,path=/authorizerId,value=<authorizer id>; then aws apigateway create-deployment --region {region} --rest-api-id {} --stage-name <stage>. If the whole API is meant for everyone, record it: aws apigateway tag-resource --resource-arn arn:aws:apigateway:{region}::/restapis/{} --tags {PUBLIC_TAG}=true",
                    api.id, resource.id, api.id, api.id
                ),
                proof: if private { Proof::Conditional } else { Proof::Proven },
                region: region.to_string(),
                ..Failure::global(arn)
            });
        }
    }
}

fn http_api(out: &mut Emitter, region: &str, gateway: &apigateway::ApiGatewayEvidence, api: &Api) {
    let key = apigateway::GET_ROUTES.about(region, &api.api_id);
    let pattern = format!("arn:aws:apigateway:{region}::/apis/{}/routes/*", api.api_id);
    let Some(collected) = gateway.routes.get(&api.api_id) else {
        out.not_assessed(&pattern, region, format!("{key} was not collected"));
        return;
    };
    let Some(routes) = out.require(collected, &key, &pattern, region) else {
        return;
    };
    let websocket = api.protocol_type.as_deref() == Some("WEBSOCKET");
    let api_name = api.name.as_deref().unwrap_or(&api.api_id);
    for route in routes {
        if websocket && route.route_key != "$connect" {
            continue;
        }
        if route.route_key.starts_with("OPTIONS ") {
            continue;
        }
        let arn = format!(
            "arn:aws:apigateway:{region}::/apis/{}/routes/{}",
            api.api_id,
            route.route_id.as_deref().unwrap_or(&route.route_key)
        );
        let Some(authorization) = route.authorization_type.as_deref() else {
            out.not_assessed(
                &arn,
                region,
                format!(
                    "route {} of API {api_name}: {key} does not show its AuthorizationType",
                    route.route_key
                ),
            );
            continue;
        };
        if authorization != "NONE" || (websocket && route.api_key_required == Some(true)) {
            continue;
        }
        out.fail(Failure {
            detail: format!(
                "Route {} of {} API {api_name} ({}) answers without any authorization: AuthorizationType is NONE.",
                route.route_key,
                api.protocol_type.as_deref().unwrap_or("HTTP"),
                api.api_id
            ),
            evidence: json!({
                "source": "apigatewayv2 get-routes",
                "api": api_name,
                "id": api.api_id,
                "protocol": api.protocol_type,
                "route": {"RouteKey": route.route_key, "AuthorizationType": authorization, "ApiKeyRequired": route.api_key_required},
                "tags": api.tags,
            }),
            remediation: format!(
                "aws apigatewayv2 update-route --region {region} --api-id {} --route-id {} --authorization-type JWT --authorizer-id <authorizer id> (or AWS_IAM, or CUSTOM with a Lambda authorizer). If the whole API is meant for everyone, record it: aws apigatewayv2 tag-resource --resource-arn arn:aws:apigateway:{region}::/apis/{} --tags {PUBLIC_TAG}=true",
                api.api_id,
                route.route_id.as_deref().unwrap_or("<route id>"),
                api.api_id
            ),
            region: region.to_string(),
            ..Failure::global(arn)
        });
    }
}
