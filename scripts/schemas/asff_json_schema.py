#!/usr/bin/env python3
"""Derives a JSON Schema of the AWS Security Finding Format (ASFF) from the
Security Hub API model.

AWS documents ASFF in prose and defines it in the Security Hub API model (the
`AwsSecurityFinding` shape that `BatchImportFindings` takes, as botocore and
the SDKs ship it in `securityhub/2018-10-26/service-2.json`); no JSON Schema is
published. This script translates the model's shapes one for one:

- a structure becomes an object of its members with `additionalProperties:
  false` and its `required` members;
- a list becomes an array (with the model's `min`/`max` items), a map an object
  whose values follow the value shape;
- a string keeps the model's `enum`, `pattern`, `min`/`max` length; integers,
  longs, doubles and booleans become their JSON types; a timestamp a string;
- every shape reachable from `AwsSecurityFinding` is defined once under
  `definitions`, and the document is an array of findings, the way
  `aws securityhub batch-import-findings --findings file://…` reads it
  (at most 100 findings per call: the caller splits the array).

Usage: asff_json_schema.py service-2.json > OUT.json
"""

import json
import sys


def shape_schema(shape):
    kind = shape["type"]
    if kind == "structure":
        schema = {
            "type": "object",
            "properties": {
                name: {"$ref": "#/definitions/" + member["shape"]}
                for name, member in shape.get("members", {}).items()
            },
            "additionalProperties": False,
        }
        if shape.get("required"):
            schema["required"] = list(shape["required"])
        return schema
    if kind == "list":
        schema = {"type": "array", "items": {"$ref": "#/definitions/" + shape["member"]["shape"]}}
        if "min" in shape:
            schema["minItems"] = shape["min"]
        if "max" in shape:
            schema["maxItems"] = shape["max"]
        return schema
    if kind == "map":
        return {
            "type": "object",
            "additionalProperties": {"$ref": "#/definitions/" + shape["value"]["shape"]},
        }
    if kind == "string":
        schema = {"type": "string"}
        if "enum" in shape:
            schema["enum"] = list(shape["enum"])
        if "pattern" in shape:
            schema["pattern"] = shape["pattern"]
        if "min" in shape:
            schema["minLength"] = shape["min"]
        if "max" in shape:
            schema["maxLength"] = shape["max"]
        return schema
    if kind in ("integer", "long"):
        schema = {"type": "integer"}
        if "min" in shape:
            schema["minimum"] = shape["min"]
        if "max" in shape:
            schema["maximum"] = shape["max"]
        return schema
    if kind in ("double", "float"):
        return {"type": "number"}
    if kind == "boolean":
        return {"type": "boolean"}
    if kind == "timestamp":
        return {"type": "string"}
    raise SystemExit(f"unsupported shape type {kind}")


def reachable(shapes, name, found):
    if name in found:
        return
    found.add(name)
    shape = shapes[name]
    for member in shape.get("members", {}).values():
        reachable(shapes, member["shape"], found)
    for key in ("member", "key", "value"):
        if key in shape:
            reachable(shapes, shape[key]["shape"], found)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        model = json.load(f)
    shapes = model["shapes"]
    names = set()
    reachable(shapes, "AwsSecurityFinding", names)
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "AWS Security Finding Format (ASFF): findings for BatchImportFindings",
        "$comment": (
            "Derived by scripts/schemas/asff_json_schema.py from the Security Hub "
            f"API model {model['metadata']['apiVersion']} (shape AwsSecurityFinding)"
        ),
        "type": "array",
        "items": {"$ref": "#/definitions/AwsSecurityFinding"},
        "definitions": {name: shape_schema(shapes[name]) for name in sorted(names)},
    }
    json.dump(schema, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
