#!/usr/bin/env python3
"""Vendor AWS's managed policies as test data for the IAM engine.

Usage:

    git clone https://github.com/iann0036/iam-dataset /tmp/iam-dataset
    scripts/gen-managed-policies.py /tmp/iam-dataset [--commit REV] [--out PATH]

iann0036/iam-dataset (MIT) keeps one file per AWS managed policy under
aws/managedpolicies/, refreshed daily from AWS, each with the policy's ARN, its
default version id and that version's document. This script reads those files
at one commit (HEAD unless --commit) straight from git, so the work tree does
not matter, and writes crates/cartguard-iam/tests/data/aws-managed-policies.json:

    {
      "source": {"repository", "path", "commit", "date", "older": {name: commit}},
      "policies": {
        "AdministratorAccess": {"arn": "...", "version": "v1", "document": {...}},
        (a policy whose record lacks its ARN or version id has none here)
        "AmazonSumerianFullAccess": {..., "deprecated": true},
        ...
      }
    }

One policy per line, sorted by name; documents are kept as AWS wrote them
(statement order included). A partial clone may lack some files' contents at
the chosen commit; each such policy is taken from the newest earlier commit
that has it and named under "older" (a full clone needs none).
"""

import argparse
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "crates" / "cartguard-iam" / "tests" / "data" / "aws-managed-policies.json"
REPOSITORY = "https://github.com/iann0036/iam-dataset"
FOLDER = "aws/managedpolicies"


def git(repo: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", "--git-dir", repo, *args], capture_output=True, check=check
    )


def git_dir(path: str) -> str:
    """The git directory of a clone (work tree or bare)."""
    out = subprocess.run(
        ["git", "-C", path, "rev-parse", "--absolute-git-dir"],
        capture_output=True, check=False, text=True,
    )
    if out.returncode != 0:
        sys.exit(f"{path}: not a git repository ({out.stderr.strip()})")
    return out.stdout.strip()


def read_blob(repo: str, commit: str, path: str):
    """The parsed file at a commit, or None when the clone lacks its content."""
    out = git(repo, "cat-file", "blob", f"{commit}:{path}", check=False)
    if out.returncode != 0:
        return None
    try:
        return json.loads(out.stdout)
    except json.JSONDecodeError as e:
        sys.exit(f"{path} at {commit}: not JSON ({e})")


def newest_with_content(repo: str, commit: str, path: str):
    revs = git(repo, "log", "--format=%H", commit, "--", path).stdout.decode().split()
    for rev in revs[1:]:
        data = read_blob(repo, rev, path)
        if data is not None:
            return rev, data
    sys.exit(f"{path}: no commit up to {commit} holds its content")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clone", help="a clone of iann0036/iam-dataset")
    parser.add_argument("--commit", default="HEAD")
    parser.add_argument("--out", default=str(DEFAULT_OUT))
    args = parser.parse_args()

    repo = git_dir(args.clone)
    commit = git(repo, "rev-parse", f"{args.commit}^{{commit}}").stdout.decode().strip()
    date = git(repo, "log", "-1", "--format=%cs", commit).stdout.decode().strip()
    listing = git(repo, "ls-tree", "--name-only", commit, f"{FOLDER}/").stdout.decode()
    paths = sorted(p for p in listing.split() if p.endswith(".json"))
    if not paths:
        sys.exit(f"no {FOLDER}/*.json at {commit}")

    policies = {}
    older = {}
    for path in paths:
        data = read_blob(repo, commit, path)
        if data is None:
            rev, data = newest_with_content(repo, commit, path)
            older[data["name"]] = rev
        name = data["name"]
        if name in policies:
            sys.exit(f"{name}: listed twice")
        document = data.get("document")
        if not isinstance(document, dict):
            sys.exit(f"{path}: no policy document")
        entry = {"document": document}
        # A few records lack the ARN or version id; they are left out, not guessed.
        for key in ("version", "arn"):
            if data.get(key):
                entry = {key: data[key], **entry}
        if data.get("deprecated"):
            entry["deprecated"] = True
        policies[name] = entry

    source = {
        "repository": REPOSITORY,
        "path": FOLDER,
        "commit": commit,
        "date": date,
        "older": dict(sorted(older.items())),
    }
    compact = {"separators": (",", ":"), "ensure_ascii": False}
    lines = ["{", f'"source":{json.dumps(source, **compact)},', '"policies":{']
    lines.append(",\n".join(
        f"{json.dumps(name, **compact)}:{json.dumps(policies[name], **compact)}"
        for name in sorted(policies)
    ))
    lines.append("}}")
    out = pathlib.Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    deprecated = sum(1 for p in policies.values() if p.get("deprecated"))
    print(
        f"wrote {out} ({out.stat().st_size} bytes, {len(policies)} policies, "
        f"{deprecated} deprecated, {len(older)} from older commits) from {commit} of {date}"
    )


if __name__ == "__main__":
    main()
