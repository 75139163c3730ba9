//! Test fixtures: a region written as plain lists of AWS CLI shapes.

#![allow(dead_code)]

use cartguard_inventory::Region;
use serde_json::{Map, Value, json};

const EC2: &[&str] = &[
    "vpcs",
    "subnets",
    "route_tables",
    "internet_gateways",
    "nat_gateways",
    "network_acls",
    "security_groups",
    "instances",
    "network_interfaces",
    "addresses",
    "flow_logs",
    "prefix_lists",
];

/// The fixture as editable JSON.
pub fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Wraps plain lists into the inventory's `Collected` shape. A key set to the
/// string `"not-collected"` stays not collected; keys absent from the fixture
/// are collected as empty lists.
pub fn region(v: &Value) -> Region {
    let wrap = |key: &str| -> Value {
        match v.get(key) {
            Some(Value::String(s)) if s == "not-collected" => json!({"status": "not-collected"}),
            Some(Value::String(s)) if s == "access-denied" => {
                json!({"status": "failed", "data": {"code": "AccessDenied", "message": "denied"}})
            }
            Some(data) => json!({"status": "present", "data": data}),
            None => json!({"status": "present", "data": []}),
        }
    };
    let mut ec2 = Map::new();
    for key in EC2 {
        ec2.insert(key.to_string(), wrap(key));
    }
    let mut listeners = Map::new();
    if let Some(Value::Object(m)) = v.get("listeners") {
        for (name, list) in m {
            listeners.insert(name.clone(), json!({"status": "present", "data": list}));
        }
    }
    let doc = json!({
        "ec2": ec2,
        "rds": {"db_instances": wrap("db_instances")},
        "elbv2": {"load_balancers": wrap("load_balancers"), "listeners": listeners},
    });
    serde_json::from_value(doc)
        .unwrap_or_else(|e| panic!("fixture does not fit the inventory: {e}"))
}

pub fn store() -> Region {
    region(&fixture("store"))
}

/// Finds an object in a list by the value of one field.
pub fn find<'v>(v: &'v mut Value, list: &str, field: &str, id: &str) -> &'v mut Value {
    v[list]
        .as_array_mut()
        .and_then(|a| a.iter_mut().find(|x| x[field] == id))
        .unwrap_or_else(|| panic!("{list}: no {field} = {id}"))
}
