#!/usr/bin/env python3
"""Derives the JSON Schema of one OCSF event class from a compiled OCSF schema.

OCSF publishes its schema as definitions (the ocsf-schema repository, and the
compiled export the OCSF server serves at /export/schema) and generates JSON
Schema from them on request; no JSON Schema file is released. This script
derives the same JSON Schema the OCSF server's generator (Schema.JsonSchema in
ocsf-server, draft-07) produces for a class with a set of profiles applied:

- a class or object becomes an object with `additionalProperties: false`
  (`true` when it declares no attribute), its attributes as properties, the
  required ones (sorted) in `required`, its `just_one` constraint as `oneOf`
  and its `at_least_one` constraint as `anyOf`;
- an attribute of type string_t or integer_t with an enum becomes an `enum`
  (a `const` for a single value); other scalar types map to their JSON type
  through their base type (timestamp_t is an integer, datetime_t a string);
  json_t admits anything; an object attribute is a `$ref` into `$defs`;
  `is_array` wraps the item schema in an array;
- only the attributes of no profile or of a selected profile are kept
  (the server's `profiles` parameter), in the class and in every object;
- every object reachable from the class is defined once under `$defs`.

Usage: ocsf_json_schema.py COMPILED.json CLASS PROFILE,PROFILE > OUT.json
"""

import json
import sys

BASE = "https://schema.ocsf.io/schema/classes"


def base_json_type(types, name):
    """The JSON type of an OCSF scalar type, through its base type."""
    seen = set()
    while name not in seen:
        seen.add(name)
        if name in ("string_t",):
            return "string"
        if name in ("integer_t", "long_t"):
            return "integer"
        if name == "float_t":
            return "number"
        if name == "boolean_t":
            return "boolean"
        parent = (types.get(name) or {}).get("type")
        if not parent:
            break
        name = parent
    return name


def kept(attributes, profiles):
    return {
        key: attr
        for key, attr in attributes.items()
        if attr.get("profile") is None or attr.get("profile") in profiles
    }


def encode_enum(schema, attr, json_type, convert):
    enum = attr.get("enum")
    if enum:
        values = sorted(convert(k) for k in enum)
        if len(values) == 1:
            schema["const"] = values[0]
        else:
            schema["enum"] = values
    schema["type"] = json_type
    return schema


def encode_attribute(types, attr):
    schema = {"title": attr.get("caption")}
    kind = attr.get("type")
    if attr.get("object_type"):
        schema["$ref"] = "#/$defs/" + attr["object_type"].replace("/", "_")
    elif kind == "integer_t":
        encode_enum(schema, attr, "integer", int)
    elif kind == "string_t":
        encode_enum(schema, attr, "string", str)
    elif kind == "json_t":
        pass
    else:
        schema["type"] = base_json_type(types, kind)
    if attr.get("is_array"):
        if "type" not in schema:
            item = {"$ref": schema.pop("$ref")}
        elif "enum" in schema:
            item = {"type": schema["type"], "enum": schema.pop("enum")}
        else:
            item = {"type": schema["type"]}
        schema["type"] = "array"
        schema["items"] = item
    return schema


def encode_item(types, item, profiles):
    attributes = kept(item.get("attributes") or {}, profiles)
    constraints = item.get("constraints") or {}
    just_one = set(constraints.get("just_one") or [])
    at_least_one = set(constraints.get("at_least_one") or [])
    properties, required, one, least = {}, [], [], []
    for name in sorted(attributes, reverse=True):
        attr = attributes[name]
        if name in just_one:
            one.insert(0, name)
        elif name in at_least_one:
            least.insert(0, name)
        elif attr.get("requirement") == "required":
            required.append(name)
        properties[name] = encode_attribute(types, attr)
    schema = {
        "title": item.get("caption"),
        "type": "object",
        "properties": dict(sorted(properties.items())),
        "additionalProperties": False,
    }
    if required:
        schema["required"] = sorted(required)
    if one:
        schema["oneOf"] = [
            {"required": [n], "not": {"required": [o for o in one if o != n]}}
            for n in one
        ]
    if least:
        schema["anyOf"] = [{"required": [n]} for n in least]
    if not properties:
        schema["additionalProperties"] = True
    return schema


def reachable(objects, item, profiles, found):
    for attr in kept(item.get("attributes") or {}, profiles).values():
        name = attr.get("object_type")
        if name and name not in found and name in objects:
            found.add(name)
            reachable(objects, objects[name], profiles, found)
    return found


def main():
    compiled_path, class_name, profile_list = sys.argv[1:4]
    profiles = {p for p in profile_list.split(",") if p}
    with open(compiled_path, encoding="utf-8") as f:
        compiled = json.load(f)
    types = compiled["types"]
    objects = compiled["objects"]
    item = compiled["classes"][class_name]
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": f"{BASE}/{class_name}",
    }
    schema.update(encode_item(types, item, profiles))
    schema["$comment"] = (
        f"OCSF {compiled['version']} class {class_name} ({item['uid']}) with the "
        f"profiles {', '.join(sorted(profiles))}, derived by "
        "scripts/schemas/ocsf_json_schema.py from the compiled OCSF schema"
    )
    names = sorted(reachable(objects, item, profiles, set()))
    schema["$defs"] = {
        name.replace("/", "_"): encode_item(types, objects[name], profiles)
        for name in names
    }
    json.dump(schema, sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
