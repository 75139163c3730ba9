#!/usr/bin/env bash
# End-to-end test of live evidence: seed moto's AWS emulator (on 127.0.0.1) with
# a small shop account, collect its evidence with scripts/collect-evidence.sh as
# an auditor would, scan the folder with cartguard and check the verdicts.
#
# Usage: scripts/test-collect.sh
#
# moto's server and the AWS CLI come from a virtualenv kept at
# $CARTGUARD_TEST_VENV (default ~/.cache/cartguard/venv-moto), created on first
# use from the Python package index with pinned versions. The cartguard binary
# is built with cargo unless CARTGUARD_BIN names one. Nothing leaves 127.0.0.1.

set -euo pipefail

die() {
    echo "test-collect: error: $*" >&2
    exit 1
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MOTO_VERSION=5.2.1
AWSCLI_VERSION=1.45.11
VENV="${CARTGUARD_TEST_VENV:-$HOME/.cache/cartguard/venv-moto}"

command -v python3 >/dev/null || die "python3 is required"
if ! "$VENV/bin/python" -c "import moto, sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null \
    || [[ ! -x $VENV/bin/aws ]]; then
    echo "== installing moto $MOTO_VERSION and awscli $AWSCLI_VERSION into $VENV"
    python3 -m venv "$VENV" || die "cannot create a virtualenv at $VENV (python3-venv installed?)"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check \
        "moto[server]==$MOTO_VERSION" "awscli==$AWSCLI_VERSION" \
        || die "pip could not install moto[server]==$MOTO_VERSION awscli==$AWSCLI_VERSION"
fi
PATH="$VENV/bin:$PATH"

if [[ -n "${CARTGUARD_BIN:-}" ]]; then
    CARTGUARD="$CARTGUARD_BIN"
else
    (cd "$ROOT" && cargo build --quiet --locked -p cartguard) || die "cargo build failed"
    TARGET_DIR="$(cd "$ROOT" && cargo metadata --format-version 1 --no-deps \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
    CARTGUARD="$TARGET_DIR/debug/cartguard"
fi
[[ -x "$CARTGUARD" ]] || die "no cartguard binary at $CARTGUARD"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cartguard-test-collect.XXXXXX")"
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
URL="http://127.0.0.1:$PORT"
moto_server -H 127.0.0.1 -p "$PORT" >"$WORK/moto.log" 2>&1 &
MOTO_PID=$!
trap 'kill "$MOTO_PID" 2>/dev/null || true; [[ -n ${KEEP:-} ]] || rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do
    python3 -c "import urllib.request, sys; urllib.request.urlopen('$URL/moto-api/', timeout=1)" 2>/dev/null && break
    kill -0 "$MOTO_PID" 2>/dev/null || { cat "$WORK/moto.log" >&2; die "moto's server did not start"; }
    sleep 0.2
done

# The emulator's credentials; the AWS CLI reads no user configuration.
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=eu-west-1
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER=""
cli() { aws --endpoint-url "$URL" --output text "$@"; }

echo "== seeding the account"
cli organizations create-organization --feature-set ALL >/dev/null
MEMBER="$(cli organizations create-account --email ci@example.com --account-name shop-ci \
    --query CreateAccountStatus.AccountId)"
trust() { printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"sts:AssumeRole"}]}' "$1"; }
cli iam create-role --role-name ci-deploy --assume-role-policy-document "$(trust "$MEMBER")" >/dev/null
cli iam create-role --role-name vendor-monitoring --assume-role-policy-document "$(trust 444455556666)" >/dev/null
cli iam create-role --role-name ops-admin --assume-role-policy-document "$(trust "$MEMBER")" >/dev/null
ADMIN_POLICY="$(cli iam create-policy --policy-name everything --query Policy.Arn --policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}')"
cli iam attach-role-policy --role-name ops-admin --policy-arn "$ADMIN_POLICY"
cli iam create-role --role-name other-admin --assume-role-policy-document "$(trust "$MEMBER")" >/dev/null
cli iam attach-role-policy --role-name other-admin --policy-arn "$ADMIN_POLICY"
cli iam put-role-policy --role-name ci-deploy --policy-name deploy-assets --policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject","s3:GetObject"],"Resource":"arn:aws:s3:::shop-assets/*"}]}'
for bucket in shop-assets shop-orders-export; do
    cli s3api create-bucket --bucket "$bucket" \
        --create-bucket-configuration LocationConstraint=eu-west-1 >/dev/null
done
SECRET="$(cli secretsmanager create-secret --name payments/stripe-api-key --secret-string sk-test-redacted \
    --query ARN)"
cli dynamodb create-table --table-name orders --attribute-definitions AttributeName=id,AttributeType=S \
    --key-schema AttributeName=id,KeyType=HASH --billing-mode PAY_PER_REQUEST >/dev/null
# A key whose policy lets only the account's administrators in (the account
# root is not delegated), and the ops-admin role by name.
ACCOUNT="$(cli sts get-caller-identity --query Account)"
KEY_POLICY="$(printf '{"Version":"2012-10-17","Statement":[{"Sid":"OpsAdmin","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:role/ops-admin"},"Action":"kms:*","Resource":"*"}]}' "$ACCOUNT")"
KEY="$(cli kms create-key --description card-data --policy "$KEY_POLICY" --query KeyMetadata.Arn)"
cli iam create-user --user-name alice >/dev/null
cli iam create-login-profile --user-name alice --password 'Correct-Horse-9-Battery' >/dev/null

VPC="$(cli ec2 create-vpc --cidr-block 10.20.0.0/16 --query Vpc.VpcId)"
SUBNET="$(cli ec2 create-subnet --vpc-id "$VPC" --cidr-block 10.20.1.0/24 --query Subnet.SubnetId)"
IGW="$(cli ec2 create-internet-gateway --query InternetGateway.InternetGatewayId)"
cli ec2 attach-internet-gateway --internet-gateway-id "$IGW" --vpc-id "$VPC"
RTB="$(cli ec2 create-route-table --vpc-id "$VPC" --query RouteTable.RouteTableId)"
cli ec2 create-route --route-table-id "$RTB" --destination-cidr-block 0.0.0.0/0 --gateway-id "$IGW" >/dev/null
cli ec2 associate-route-table --route-table-id "$RTB" --subnet-id "$SUBNET" >/dev/null
SSH_SG="$(cli ec2 create-security-group --group-name bastion-ssh --description 'SSH from anywhere' \
    --vpc-id "$VPC" --query GroupId)"
cli ec2 authorize-security-group-ingress --group-id "$SSH_SG" --protocol tcp --port 22 --cidr 0.0.0.0/0 >/dev/null
WEB_SG="$(cli ec2 create-security-group --group-name web-https --description 'HTTPS from anywhere' \
    --vpc-id "$VPC" --query GroupId)"
cli ec2 authorize-security-group-ingress --group-id "$WEB_SG" --protocol tcp --port 443 --cidr 0.0.0.0/0 >/dev/null
run() {
    cli ec2 run-instances --image-id ami-12c6146b --instance-type t3.micro --count 1 \
        --network-interfaces "[{\"DeviceIndex\":0,\"SubnetId\":\"$SUBNET\",\"AssociatePublicIpAddress\":true,\"Groups\":[\"$1\"]}]" \
        --query 'Instances[0].InstanceId'
}
BASTION="$(run "$SSH_SG")"
WEB="$(run "$WEB_SG")"

echo "== collecting with scripts/collect-evidence.sh"
status=0
"$ROOT/scripts/collect-evidence.sh" --endpoint-url "$URL" "$WORK/evidence" eu-west-1 >"$WORK/collect.log" 2>&1 \
    || status=$?
# A call the emulator does not implement is recorded as an error file; the
# script then exits 1 after writing everything else.
if (( status != 0 && status != 1 )); then
    cat "$WORK/collect.log" >&2
    die "collect-evidence.sh exited with $status"
fi
tail -n 1 "$WORK/collect.log"

echo "== scanning"
status=0
"$CARTGUARD" scan --evidence "$WORK/evidence" --format json --fail-on critical \
    --output "$WORK/findings.json" 2>"$WORK/scan.log" || status=$?
(( status == 1 )) || { cat "$WORK/scan.log" >&2; die "expected exit status 1 (critical findings), got $status"; }

for role in ops-admin other-admin; do
    "$CARTGUARD" iam can "$role" kms:Decrypt "$KEY" --evidence "$WORK/evidence" --format json \
        >"$WORK/can-$role.json" || die "iam can $role kms:Decrypt failed"
done
for role in ci-deploy ops-admin other-admin; do
    "$CARTGUARD" iam blast-radius "$role" --evidence "$WORK/evidence" --format json \
        >"$WORK/blast-$role.json" || die "iam blast-radius $role failed"
done

python3 - "$WORK" "$BASTION" "$WEB" "$MEMBER" "$SECRET" "$KEY" <<'EOF'
import json
import sys

work, bastion, web, member, secret, key = sys.argv[1:]
report = json.load(open(f"{work}/findings.json"))
findings = report["findings"]
failures = []


def fired(rule, needle):
    return [f for f in findings if f["rule_id"] == rule and f["status"] == "fail"
            and (needle in f["resource"] or needle in f["detail"])]


def expect(rule, needle, present=True):
    found = fired(rule, needle)
    if present and not found:
        failures.append(f"{rule} did not fire on {needle}")
    if not present and found:
        failures.append(f"{rule} fired on {needle}: {found[0]['detail']}")


expect("net-admin-port-open", bastion)
expect("net-admin-port-open", web, present=False)
expect("iam-admin-access", "role/ops-admin")
expect("iam-admin-access", "role/ci-deploy", present=False)
expect("iam-trust-third-party-no-external-id", "role/vendor-monitoring")
expect("iam-trust-third-party-no-external-id", "role/ci-deploy", present=False)
expect("iam-user-console-no-mfa", "user/alice")

coverage = {(c["area"], c["region"]): c["status"] for c in report["coverage"]}
for area in [("iam", "global"), ("ec2", "eu-west-1"), ("organizations", "global")]:
    if coverage.get(area) not in ("assessed", "partial"):
        failures.append(f"coverage of {area}: {coverage.get(area)}")

def stores(role, store, access):
    radius = json.load(open(f"{work}/blast-{role}.json"))
    return sorted(s["resource"] for s in radius["data_stores"]
                  if s["store"] == store and s["access"] == access)


def buckets(role, access):
    return stores(role, "s3", access)


if stores("ops-admin", "secretsmanager", "read") != [secret]:
    failures.append(f"ops-admin should read {secret}: {stores('ops-admin', 'secretsmanager', 'read')}")
if stores("ci-deploy", "secretsmanager", "read"):
    failures.append("ci-deploy should read no secret")
if stores("ops-admin", "kms", "read") != [key]:
    failures.append(f"ops-admin should decrypt with {key}: {stores('ops-admin', 'kms', 'read')}")
# iam can reads the collected key policy too.
for role, expected in [("ops-admin", "allow"), ("other-admin", "implicit-deny")]:
    decision = json.load(open(f"{work}/can-{role}.json"))["decision"]
    if decision != expected:
        failures.append(f"iam can {role} kms:Decrypt: {decision}, expected {expected}")
# Its identity policies allow everything, but the key policy does not name it.
if key in stores("other-admin", "kms", "read"):
    failures.append("other-admin should not decrypt with the key: its key policy does not admit it")
tables = stores("ops-admin", "dynamodb", "delete")
if len(tables) != 1 or not tables[0].endswith(":table/orders"):
    failures.append(f"ops-admin should delete the orders table: {tables}")


if buckets("ci-deploy", "write") != ["arn:aws:s3:::shop-assets"]:
    failures.append(f"ci-deploy should write shop-assets only: {buckets('ci-deploy', 'write')}")
if buckets("ops-admin", "delete") != ["arn:aws:s3:::shop-assets", "arn:aws:s3:::shop-orders-export"]:
    failures.append(f"ops-admin should delete both buckets: {buckets('ops-admin', 'delete')}")

if failures:
    print("test-collect: FAILED", file=sys.stderr)
    for f in failures:
        print(f"  {f}", file=sys.stderr)
    sys.exit(1)
print(f"test-collect: ok ({len(findings)} findings, member account {member} not taken for a third party)")
EOF
