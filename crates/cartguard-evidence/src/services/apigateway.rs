//! The Amazon API Gateway evidence of one region: REST APIs (`apigateway`)
//! and HTTP and WebSocket APIs (`apigatewayv2`).

use cartguard_inventory::apigateway::{
    Api, ApiGatewayEvidence, ApiStage, Authorizer, GET_API_AUTHORIZERS, GET_API_STAGES, GET_APIS,
    GET_RESOURCES, GET_REST_APIS, GET_ROUTES, GET_STAGES, RestApi, RestResource, RestStage, Route,
};

use super::response;
use crate::EvidenceError;
use crate::folder::Reader;

response!(RestApisResponse { apis: "items" => Vec<RestApi> });
response!(ResourcesResponse { resources: "items" => Vec<RestResource> });
response!(StagesResponse { stages: "item" => Vec<RestStage> });
response!(ApisResponse { apis: "Items" => Vec<Api> });
response!(RoutesResponse { routes: "Items" => Vec<Route> });
response!(AuthorizersResponse { authorizers: "Items" => Vec<Authorizer> });
response!(ApiStagesResponse { stages: "Items" => Vec<ApiStage> });

/// Reads the region's API Gateway evidence.
pub(crate) fn read(
    reader: &mut Reader,
    region: &str,
    out: &mut ApiGatewayEvidence,
) -> Result<(), EvidenceError> {
    out.rest_apis = reader.load(&GET_REST_APIS.key(region), |r: RestApisResponse| r.apis)?;
    out.resources = reader.load_each(GET_RESOURCES, region, |r: ResourcesResponse| r.resources)?;
    out.stages = reader.load_each(GET_STAGES, region, |r: StagesResponse| r.stages)?;
    out.apis = reader.load(&GET_APIS.key(region), |r: ApisResponse| r.apis)?;
    out.routes = reader.load_each(GET_ROUTES, region, |r: RoutesResponse| r.routes)?;
    out.authorizers = reader.load_each(GET_API_AUTHORIZERS, region, |r: AuthorizersResponse| {
        r.authorizers
    })?;
    out.api_stages = reader.load_each(GET_API_STAGES, region, |r: ApiStagesResponse| r.stages)?;
    Ok(())
}
