//! Amazon API Gateway: REST APIs (resources, methods, stages) and HTTP and
//! WebSocket APIs (routes, authorizers, stages).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, each, one};

/// `apigateway:GetRestApis`.
pub const GET_REST_APIS: Operation = Operation::regional("apigateway", "GetRestApis");
/// `apigateway:GetResources` with `--embed methods`, per REST API.
pub const GET_RESOURCES: Operation =
    Operation::regional("apigateway", "GetResources").per("REST API");
/// `apigateway:GetStages`, per REST API.
pub const GET_STAGES: Operation = Operation::regional("apigateway", "GetStages").per("REST API");
/// `apigateway:GetApis` (HTTP and WebSocket APIs, `aws apigatewayv2 get-apis`).
pub const GET_APIS: Operation = Operation::regional("apigateway", "GetApis");
/// `apigateway:GetRoutes`, per HTTP or WebSocket API.
pub const GET_ROUTES: Operation = Operation::regional("apigateway", "GetRoutes").per("API");
/// `apigateway:GetAuthorizers` of an HTTP or WebSocket API, per API.
pub const GET_API_AUTHORIZERS: Operation =
    Operation::regional("apigateway", "GetAuthorizers (HTTP and WebSocket APIs)").per("API");
/// `apigateway:GetStages` of an HTTP or WebSocket API, per API.
pub const GET_API_STAGES: Operation =
    Operation::regional("apigateway", "GetStages (HTTP and WebSocket APIs)").per("API");

/// Every Amazon API Gateway operation the model holds.
pub const OPERATIONS: &[Operation] = &[
    GET_REST_APIS,
    GET_RESOURCES,
    GET_STAGES,
    GET_APIS,
    GET_ROUTES,
    GET_API_AUTHORIZERS,
    GET_API_STAGES,
];

/// Amazon API Gateway evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ApiGatewayEvidence {
    /// `apigateway get-rest-apis`.
    #[serde(default)]
    pub rest_apis: Collected<Vec<RestApi>>,
    /// `apigateway get-resources --embed methods`, per REST API id.
    #[serde(default)]
    pub resources: BTreeMap<String, Collected<Vec<RestResource>>>,
    /// `apigateway get-stages`, per REST API id.
    #[serde(default)]
    pub stages: BTreeMap<String, Collected<Vec<RestStage>>>,
    /// `apigatewayv2 get-apis`.
    #[serde(default)]
    pub apis: Collected<Vec<Api>>,
    /// `apigatewayv2 get-routes`, per API id.
    #[serde(default)]
    pub routes: BTreeMap<String, Collected<Vec<Route>>>,
    /// `apigatewayv2 get-authorizers`, per API id.
    #[serde(default)]
    pub authorizers: BTreeMap<String, Collected<Vec<Authorizer>>>,
    /// `apigatewayv2 get-stages`, per API id.
    #[serde(default)]
    pub api_stages: BTreeMap<String, Collected<Vec<ApiStage>>>,
}

impl ApiGatewayEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            GET_REST_APIS => one(&self.rest_apis),
            GET_RESOURCES => each(&self.resources),
            GET_STAGES => each(&self.stages),
            GET_APIS => one(&self.apis),
            GET_ROUTES => each(&self.routes),
            GET_API_AUTHORIZERS => each(&self.authorizers),
            GET_API_STAGES => each(&self.api_stages),
            _ => return None,
        })
    }
}

/// A REST API, as `get-rest-apis` prints it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RestApi {
    /// Id.
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Its endpoint types (`EDGE`, `REGIONAL`, `PRIVATE`).
    #[serde(default)]
    pub endpoint_configuration: Option<EndpointConfiguration>,
    /// Whether the default `execute-api` endpoint is off.
    #[serde(default)]
    pub disable_execute_api_endpoint: Option<bool>,
    /// Tags.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

impl RestApi {
    /// Whether the API is reachable only through VPC endpoints.
    pub fn is_private(&self) -> bool {
        self.endpoint_configuration
            .as_ref()
            .is_some_and(|c| !c.types.is_empty() && c.types.iter().all(|t| t == "PRIVATE"))
    }
}

/// A REST API's endpoint configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointConfiguration {
    /// `EDGE`, `REGIONAL` or `PRIVATE`.
    #[serde(default)]
    pub types: Vec<String>,
}

/// A resource (path) of a REST API with its methods.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RestResource {
    /// Id.
    pub id: String,
    /// Path (`/orders/{id}`).
    #[serde(default)]
    pub path: Option<String>,
    /// Methods by HTTP verb; empty objects unless collected with `--embed methods`.
    #[serde(default)]
    pub resource_methods: BTreeMap<String, Method>,
}

/// A method of a REST API resource.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Method {
    /// The HTTP verb.
    #[serde(default)]
    pub http_method: Option<String>,
    /// `NONE`, `AWS_IAM`, `CUSTOM` (a Lambda authorizer) or `COGNITO_USER_POOLS`.
    #[serde(default)]
    pub authorization_type: Option<String>,
    /// The authorizer, for `CUSTOM` and `COGNITO_USER_POOLS`.
    #[serde(default)]
    pub authorizer_id: Option<String>,
    /// Whether an API key is required.
    #[serde(default)]
    pub api_key_required: Option<bool>,
}

/// A stage of a REST API.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RestStage {
    /// Name.
    pub stage_name: String,
    /// The deployment it serves.
    #[serde(default)]
    pub deployment_id: Option<String>,
    /// The WAF web ACL associated with it.
    #[serde(default)]
    pub web_acl_arn: Option<String>,
    /// Tags.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// An HTTP or WebSocket API, as `apigatewayv2 get-apis` prints it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Api {
    /// Id.
    pub api_id: String,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// `HTTP` or `WEBSOCKET`.
    #[serde(default)]
    pub protocol_type: Option<String>,
    /// The default endpoint (`https://abc123.execute-api.eu-west-1.amazonaws.com`).
    #[serde(default)]
    pub api_endpoint: Option<String>,
    /// Whether the default endpoint is off.
    #[serde(default)]
    pub disable_execute_api_endpoint: Option<bool>,
    /// Tags.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// A route of an HTTP or WebSocket API.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Route {
    /// Id.
    #[serde(default)]
    pub route_id: Option<String>,
    /// `GET /orders`, `$default`, `$connect`.
    pub route_key: String,
    /// `NONE`, `AWS_IAM`, `CUSTOM` or `JWT`.
    #[serde(default)]
    pub authorization_type: Option<String>,
    /// The authorizer, for `CUSTOM` and `JWT`.
    #[serde(default)]
    pub authorizer_id: Option<String>,
    /// Whether an API key is required (WebSocket APIs).
    #[serde(default)]
    pub api_key_required: Option<bool>,
}

/// An authorizer of an HTTP or WebSocket API.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Authorizer {
    /// Id.
    #[serde(default)]
    pub authorizer_id: Option<String>,
    /// Name.
    pub name: String,
    /// `REQUEST` (Lambda) or `JWT`.
    #[serde(default)]
    pub authorizer_type: Option<String>,
}

/// A stage of an HTTP or WebSocket API.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ApiStage {
    /// Name (`$default`, `prod`).
    pub stage_name: String,
    /// Whether changes deploy by themselves.
    #[serde(default)]
    pub auto_deploy: Option<bool>,
    /// Tags.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}
