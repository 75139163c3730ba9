#!/usr/bin/env bash
# collect-evidence.sh — produce a cartguard evidence folder with the AWS CLI.
#
# Every call is read-only (get-*, list-*, describe-*), with one exception:
# `iam generate-credential-report`, which asks IAM to (re)build the account's
# credential report. It changes no configuration, grants nothing and deletes
# nothing; it is needed because `get-credential-report` only returns a report
# that has been generated. The script never writes to the account otherwise.
#
# The layout written is the one documented in docs/evidence.md.

set -euo pipefail

PROG=${0##*/}

usage() {
    cat <<EOF
Usage: $PROG [--endpoint-url URL] OUT_DIR [REGION ...]

Collect the read-only AWS evidence that \`cartguard scan --evidence OUT_DIR\`
audits, as the AWS CLI prints it (--output json), one file per call:

  OUT_DIR/<service>/<region|global>/<operation>.json
  OUT_DIR/<service>/<region|global>/<operation>/<resource>.json

Arguments:
  OUT_DIR              folder to write (created if missing; existing files are overwritten)
  REGION ...           regions to collect (default: the CLI's configured region,
                       from \`aws configure get region\`, AWS_REGION or AWS_DEFAULT_REGION)

Options:
  --endpoint-url URL   pass --endpoint-url URL to every call (e.g. an AWS API
                       emulator listening on 127.0.0.1)
  -h, --help           show this help

Credentials come from the AWS CLI's usual chain: AWS_PROFILE, AWS_ACCESS_KEY_ID
and friends, SSO, instance roles. A policy granting the AWS-managed
SecurityAudit (or ReadOnlyAccess) policy plus iam:GenerateCredentialReport and
iam:GetCredentialReport is enough.

The calls are read-only, except \`iam generate-credential-report\`, which only
asks IAM to build the credential report (it changes nothing in the account).

A call that fails is recorded in place of its output as
{"Error": {"Code": "...", "Message": "..."}}; the run goes on, prints one line
per failure on stderr, and ends with how many files were written and how many
calls failed. Exit status: 0 when every call succeeded or answered "not
configured", 1 when some calls failed, 2 on a usage error.
EOF
}

die_usage() {
    printf '%s: %s\n' "$PROG" "$1" >&2
    printf 'Try %s --help\n' "$PROG" >&2
    exit 2
}

ENDPOINT_ARGS=()
POSITIONAL=()
while (($# > 0)); do
    case $1 in
        -h | --help)
            usage
            exit 0
            ;;
        --endpoint-url)
            (($# >= 2)) || die_usage "--endpoint-url needs a URL"
            ENDPOINT_ARGS=(--endpoint-url "$2")
            shift 2
            ;;
        --endpoint-url=*)
            ENDPOINT_ARGS=(--endpoint-url "${1#*=}")
            shift
            ;;
        --)
            shift
            POSITIONAL+=("$@")
            break
            ;;
        -*)
            die_usage "unknown option: $1"
            ;;
        *)
            POSITIONAL+=("$1")
            shift
            ;;
    esac
done

((${#POSITIONAL[@]} >= 1)) || die_usage "missing OUT_DIR"
OUT=${POSITIONAL[0]}
REGIONS=("${POSITIONAL[@]:1}")

command -v aws >/dev/null 2>&1 || {
    printf '%s: the AWS CLI (aws) is not on PATH\n' "$PROG" >&2
    exit 2
}

# No pager, ever: output goes to files.
export AWS_PAGER=""

if ((${#REGIONS[@]} == 0)); then
    default_region=$(aws configure get region 2>/dev/null || true)
    default_region=${default_region:-${AWS_REGION:-${AWS_DEFAULT_REGION:-}}}
    [[ -n $default_region ]] || die_usage "no REGION given and no region configured (aws configure set region …)"
    REGIONS=("$default_region")
fi
for region in "${REGIONS[@]}"; do
    [[ $region =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]] || die_usage "not a region name: $region"
done
# Account-wide services (IAM, STS) are called through the first region's endpoint.
HOME_REGION=${REGIONS[0]}

mkdir -p "$OUT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

FILES_WRITTEN=0
CALLS_FAILED=0
NOT_CONFIGURED=0

# Error codes that are AWS's way of saying "this is not configured": the file
# is evidence of absence, not a failed collection.
is_not_configured() {
    case $1 in
        NoSuchEntity | ServerSideEncryptionConfigurationNotFoundError | NoSuchBucketPolicy | \
            NoSuchPublicAccessBlockConfiguration) return 0 ;;
        # Security Hub's describe-hub where the hub is not enabled.
        InvalidAccessException) return 0 ;;
        ObjectLockConfigurationNotFoundError) return 0 ;;
        *) return 1 ;;
    esac
}

# is_none_for SERVICE OPERATION CODE: error codes that mean "there is none" for
# one call only (elsewhere the same code is a failure).
is_none_for() {
    case "$1 $2 $3" in
        # A function without a resource-based policy.
        "lambda get-policy ResourceNotFoundException") return 0 ;;
        *) return 1 ;;
    esac
}

# Escapes a string for a JSON string literal.
json_escape() {
    local s=$1
    s=${s//\\/\\\\}
    s=${s//\"/\\\"}
    s=${s//$'\n'/\\n}
    s=${s//$'\r'/\\r}
    s=${s//$'\t'/\\t}
    # Any other control character becomes a space.
    s=$(printf '%s' "$s" | tr '\000-\037' ' ')
    printf '%s' "$s"
}

# Turns a resource name or id into a file name (docs/evidence.md: `/` and `:` become `_`).
safe_name() {
    local s=$1
    s=${s//\//_}
    s=${s//:/_}
    printf '%s' "$s"
}

# Reads the CLI's stderr in $1 and sets ERR_CODE and ERR_MESSAGE.
parse_error() {
    local text line
    text=$(<"$1")
    ERR_CODE=""
    ERR_MESSAGE=""
    # "An error occurred (AccessDenied) when calling the GetAccountSummary operation: User: … is not authorized …"
    # "An error occurred (Throttling) when calling the X operation (reached max retries: 4): Rate exceeded"
    line=$(printf '%s\n' "$text" | grep -m1 -E 'An error occurred \([^)]*\)' || true)
    if [[ -n $line ]]; then
        ERR_CODE=$(printf '%s\n' "$line" | sed -E 's/.*An error occurred \(([^)]*)\).*/\1/')
        ERR_MESSAGE=$(printf '%s\n' "$line" | sed -E 's/.*An error occurred \([^)]*\) when calling the [A-Za-z0-9]+ operation( \([^)]*\))?: ?//')
        [[ $ERR_MESSAGE != "$line" ]] || ERR_MESSAGE=$line
    else
        # Errors raised by the CLI itself (no credentials, endpoint unreachable, …).
        line=$(printf '%s\n' "$text" | grep -m1 -v -E '^[[:space:]]*$' || true)
        case $text in
            *"Unable to locate credentials"*) ERR_CODE=NoCredentials ;;
            *"Could not connect to the endpoint URL"*) ERR_CODE=EndpointConnectionError ;;
            *"Connect timeout"* | *"Read timeout"*) ERR_CODE=ConnectTimeout ;;
            *"Invalid choice"* | *"invalid choice"*) ERR_CODE=UnsupportedOperation ;;
            *"Token has expired"* | *"ExpiredToken"*) ERR_CODE=ExpiredToken ;;
            *) ERR_CODE=CliError ;;
        esac
        ERR_MESSAGE=${line:-the AWS CLI exited with an error and printed nothing}
    fi
    ERR_CODE=${ERR_CODE:-CliError}
}

# collect FILE REGION SERVICE OPERATION [ARGS...]
# Runs `aws SERVICE OPERATION ARGS --region REGION --output json` and writes its
# output to OUT/FILE, or the error document when it fails.
collect() {
    local file=$1 region=$2 service=$3 operation=$4
    shift 4
    local dest="$OUT/$file" err="$TMP/stderr"
    mkdir -p "$(dirname "$dest")"
    if aws "${ENDPOINT_ARGS[@]}" --region "$region" --output json "$service" "$operation" "$@" \
        >"$dest.partial" 2>"$err"; then
        # Some operations print nothing when the answer is empty.
        [[ -s $dest.partial ]] || printf '{}\n' >"$dest.partial"
        mv "$dest.partial" "$dest"
    else
        rm -f "$dest.partial"
        parse_error "$err"
        printf '{\n    "Error": {\n        "Code": "%s",\n        "Message": "%s"\n    }\n}\n' \
            "$(json_escape "$ERR_CODE")" "$(json_escape "$ERR_MESSAGE")" >"$dest"
        if is_not_configured "$ERR_CODE" || is_none_for "$service" "$operation" "$ERR_CODE"; then
            NOT_CONFIGURED=$((NOT_CONFIGURED + 1))
            printf '%s: %s %s (%s): %s: not configured\n' "$PROG" "$service" "$operation" "$file" "$ERR_CODE" >&2
        else
            CALLS_FAILED=$((CALLS_FAILED + 1))
            printf '%s: FAILED %s %s (%s): %s: %s\n' "$PROG" "$service" "$operation" "$file" "$ERR_CODE" \
                "$ERR_MESSAGE" >&2
        fi
    fi
    FILES_WRITTEN=$((FILES_WRITTEN + 1))
}

# enumerate LIST_FILE REGION SERVICE OPERATION QUERY [ARGS...]
# Writes to LIST_FILE the rows selected by QUERY (a list of lists, such as
# 'Users[].[UserName]'), one resource per line, fields separated by tabs. Used
# only to find the resources that per-resource calls need: this text output is
# never stored as evidence. A failure is counted and reported, and lists nothing.
enumerate() {
    local list=$1 region=$2 service=$3 operation=$4 query=$5
    shift 5
    if aws "${ENDPOINT_ARGS[@]}" --region "$region" --output text --query "$query" \
        "$service" "$operation" "$@" >"$list.raw" 2>"$TMP/stderr-enum"; then
        sed -e '/^None$/d' -e '/^[[:space:]]*$/d' "$list.raw" >"$list"
    else
        : >"$list"
        parse_error "$TMP/stderr-enum"
        CALLS_FAILED=$((CALLS_FAILED + 1))
        printf '%s: FAILED %s %s in %s (listing resources): %s: %s\n' "$PROG" "$service" "$operation" \
            "$region" "$ERR_CODE" "$ERR_MESSAGE" >&2
    fi
}

# ---------------------------------------------------------------- account-wide
printf '%s: collecting account-wide evidence (IAM, STS) into %s\n' "$PROG" "$OUT" >&2

collect sts/global/get-caller-identity.json "$HOME_REGION" sts get-caller-identity
collect iam/global/get-account-authorization-details.json "$HOME_REGION" iam get-account-authorization-details
collect iam/global/get-account-summary.json "$HOME_REGION" iam get-account-summary
collect iam/global/get-account-password-policy.json "$HOME_REGION" iam get-account-password-policy
collect iam/global/list-virtual-mfa-devices.json "$HOME_REGION" iam list-virtual-mfa-devices
collect iam/global/list-open-id-connect-providers.json "$HOME_REGION" iam list-open-id-connect-providers

# The credential report: ask IAM to build it (the one non-read call, harmless:
# see the top of this file), wait until it is complete, then fetch it. If the
# request is refused, an earlier report may still be there, so fetch anyway.
report_state=""
for _ in $(seq 1 30); do
    if report_state=$(aws "${ENDPOINT_ARGS[@]}" --region "$HOME_REGION" --output text --query State \
        iam generate-credential-report 2>"$TMP/stderr-report"); then
        [[ $report_state == COMPLETE ]] && break
        sleep 2
    else
        parse_error "$TMP/stderr-report"
        CALLS_FAILED=$((CALLS_FAILED + 1))
        printf '%s: FAILED iam generate-credential-report: %s: %s\n' "$PROG" "$ERR_CODE" "$ERR_MESSAGE" >&2
        break
    fi
done
if [[ -n $report_state && $report_state != COMPLETE ]]; then
    printf '%s: the credential report is still %s after 60 s; fetching what IAM has\n' "$PROG" "$report_state" >&2
fi
collect iam/global/get-credential-report.json "$HOME_REGION" iam get-credential-report

# The account's buckets (data stores that iam blast-radius names one by one).
collect s3/global/list-buckets.json "$HOME_REGION" s3api list-buckets
# Each bucket's configuration, and the account's public access block.
enumerate "$TMP/buckets" "$HOME_REGION" s3api list-buckets 'Buckets[].[Name]'
while IFS=$'\t' read -r bucket _; do
    [[ -n $bucket ]] || continue
    collect "s3/global/get-bucket-encryption/$(safe_name "$bucket").json" "$HOME_REGION" s3api get-bucket-encryption --bucket "$bucket"
    collect "s3/global/get-bucket-versioning/$(safe_name "$bucket").json" "$HOME_REGION" s3api get-bucket-versioning --bucket "$bucket"
    collect "s3/global/get-public-access-block/$(safe_name "$bucket").json" "$HOME_REGION" s3api get-public-access-block --bucket "$bucket"
    collect "s3/global/get-bucket-policy/$(safe_name "$bucket").json" "$HOME_REGION" s3api get-bucket-policy --bucket "$bucket"
    collect "s3/global/get-bucket-acl/$(safe_name "$bucket").json" "$HOME_REGION" s3api get-bucket-acl --bucket "$bucket"
    collect "s3/global/get-bucket-logging/$(safe_name "$bucket").json" "$HOME_REGION" s3api get-bucket-logging --bucket "$bucket"
    collect "s3/global/get-object-lock-configuration/$(safe_name "$bucket").json" "$HOME_REGION" s3api get-object-lock-configuration --bucket "$bucket"
    collect "s3/global/get-bucket-location/$(safe_name "$bucket").json" "$HOME_REGION" s3api get-bucket-location --bucket "$bucket"
done <"$TMP/buckets"
account_id=$(aws "${ENDPOINT_ARGS[@]}" --region "$HOME_REGION" --output text --query Account \
    sts get-caller-identity 2>/dev/null || true)
if [[ -n $account_id && $account_id != None ]]; then
    collect s3control/global/get-public-access-block.json "$HOME_REGION" s3control get-public-access-block \
        --account-id "$account_id"
fi

# Service control and resource control policies: the SCPs and RCPs attached to
# the account, to each OU above it and to the root, with their documents. These calls need Organizations read
# access (the management account or a delegated administrator); where they are
# refused, the error is recorded and cartguard evaluates without SCPs (SCPs only
# restrict, so permissions may be over-reported, never under-reported).
collect organizations/global/describe-organization.json "$HOME_REGION" organizations describe-organization
if ! grep -q '"Error"' "$OUT/organizations/global/describe-organization.json"; then
    # The organization's accounts, so that roles trusted by them are not taken
    # for third-party access (only the management account or a delegated
    # administrator may list them; elsewhere the refusal is recorded).
    collect organizations/global/list-accounts.json "$HOME_REGION" organizations list-accounts
    node=$(aws "${ENDPOINT_ARGS[@]}" --region "$HOME_REGION" --output text --query Account \
        sts get-caller-identity 2>/dev/null || true)
    for _ in 1 2 3 4 5 6 7; do
        [[ -n $node && $node != None ]] || break
        collect "organizations/global/list-policies-for-target/$node.json" "$HOME_REGION" organizations \
            list-policies-for-target --target-id "$node" --filter SERVICE_CONTROL_POLICY
        policy_ids=$(aws "${ENDPOINT_ARGS[@]}" --region "$HOME_REGION" --output text --query 'Policies[].Id' \
            organizations list-policies-for-target --target-id "$node" --filter SERVICE_CONTROL_POLICY \
            2>/dev/null || true)
        # Resource control policies: the same call filtered to RCPs, filed
        # apart (an organization without RCPs enabled records its refusal).
        collect "organizations/global/list-resource-control-policies-for-target/$node.json" "$HOME_REGION" \
            organizations list-policies-for-target --target-id "$node" --filter RESOURCE_CONTROL_POLICY
        policy_ids="$policy_ids $(aws "${ENDPOINT_ARGS[@]}" --region "$HOME_REGION" --output text \
            --query 'Policies[].Id' organizations list-policies-for-target --target-id "$node" \
            --filter RESOURCE_CONTROL_POLICY 2>/dev/null || true)"
        for policy_id in $policy_ids; do
            [[ $policy_id != None && ! -f "$OUT/organizations/global/describe-policy/$policy_id.json" ]] || continue
            collect "organizations/global/describe-policy/$policy_id.json" "$HOME_REGION" organizations \
                describe-policy --policy-id "$policy_id"
        done
        [[ $node == r-* ]] && break
        collect "organizations/global/list-parents/$node.json" "$HOME_REGION" organizations list-parents \
            --child-id "$node"
        node=$(aws "${ENDPOINT_ARGS[@]}" --region "$HOME_REGION" --output text --query 'Parents[0].Id' \
            organizations list-parents --child-id "$node" 2>/dev/null || true)
    done
fi

# The edge: CloudFront distributions, the web ACLs of scope CLOUDFRONT (they
# live in us-east-1) and the Shield Advanced subscription are account-wide.
collect cloudfront/global/list-distributions.json us-east-1 cloudfront list-distributions
collect shield/global/get-subscription-state.json us-east-1 shield get-subscription-state
collect wafv2/global/list-web-acls.json us-east-1 wafv2 list-web-acls --scope CLOUDFRONT
enumerate "$TMP/cloudfront-web-acls" us-east-1 wafv2 list-web-acls 'WebACLs[].[Name,Id]' --scope CLOUDFRONT
while IFS=$'\t' read -r name id; do
    [[ -n $name && -n $id ]] || continue
    collect "wafv2/global/get-web-acl/$(safe_name "$name").json" us-east-1 \
        wafv2 get-web-acl --scope CLOUDFRONT --name "$name" --id "$id"
done <"$TMP/cloudfront-web-acls"

enumerate "$TMP/users" "$HOME_REGION" iam list-users 'Users[].[UserName]'
while IFS=$'\t' read -r user _; do
    [[ -n $user ]] || continue
    collect "iam/global/list-access-keys/$(safe_name "$user").json" "$HOME_REGION" \
        iam list-access-keys --user-name "$user"
done <"$TMP/users"

# ---------------------------------------------------------------- per region
for region in "${REGIONS[@]}"; do
    printf '%s: collecting %s\n' "$PROG" "$region" >&2

    collect "accessanalyzer/$region/list-analyzers.json" "$region" accessanalyzer list-analyzers
    collect "sso-admin/$region/list-instances.json" "$region" sso-admin list-instances
    # Data stores that iam blast-radius names one by one.
    collect "secretsmanager/$region/list-secrets.json" "$region" secretsmanager list-secrets
    collect "dynamodb/$region/list-tables.json" "$region" dynamodb list-tables
    # Existing stacks and build projects, whose service roles their users can act with.
    collect "cloudformation/$region/describe-stacks.json" "$region" cloudformation describe-stacks
    collect "codebuild/$region/list-projects.json" "$region" codebuild list-projects
    enumerate "$TMP/projects" "$region" codebuild list-projects 'projects[].[@]'
    while IFS=$'\t' read -r project _; do
        [[ -n $project ]] || continue
        collect "codebuild/$region/batch-get-projects/$(safe_name "$project").json" "$region" \
            codebuild batch-get-projects --names "$project"
    done <"$TMP/projects"

    for operation in describe-vpcs describe-subnets describe-route-tables describe-internet-gateways \
        describe-nat-gateways describe-network-acls describe-security-groups describe-instances \
        describe-network-interfaces describe-addresses describe-flow-logs describe-managed-prefix-lists; do
        collect "ec2/$region/$operation.json" "$region" ec2 "$operation"
    done
    enumerate "$TMP/prefix-lists" "$region" ec2 describe-managed-prefix-lists 'PrefixLists[].[PrefixListId]'
    while IFS=$'\t' read -r prefix_list _; do
        [[ -n $prefix_list ]] || continue
        collect "ec2/$region/get-managed-prefix-list-entries/$(safe_name "$prefix_list").json" "$region" \
            ec2 get-managed-prefix-list-entries --prefix-list-id "$prefix_list"
    done <"$TMP/prefix-lists"

    collect "rds/$region/describe-db-instances.json" "$region" rds describe-db-instances

    collect "elbv2/$region/describe-load-balancers.json" "$region" elbv2 describe-load-balancers
    enumerate "$TMP/load-balancers" "$region" elbv2 describe-load-balancers \
        'LoadBalancers[].[LoadBalancerName,LoadBalancerArn]'
    while IFS=$'\t' read -r name arn; do
        [[ -n $name && -n $arn ]] || continue
        collect "elbv2/$region/describe-listeners/$(safe_name "$name").json" "$region" \
            elbv2 describe-listeners --load-balancer-arn "$arn"
        collect "elbv2/$region/describe-load-balancer-attributes/$(safe_name "$name").json" "$region" \
            elbv2 describe-load-balancer-attributes --load-balancer-arn "$arn"
    done <"$TMP/load-balancers"

    # Every TLS security policy with its protocols, to judge the listeners' policies.
    collect "elbv2/$region/describe-ssl-policies.json" "$region" elbv2 describe-ssl-policies
    collect "elbv2/$region/describe-target-groups.json" "$region" elbv2 describe-target-groups
    enumerate "$TMP/target-groups" "$region" elbv2 describe-target-groups \
        'TargetGroups[].[TargetGroupName,TargetGroupArn]'
    while IFS=$'\t' read -r name arn; do
        [[ -n $name && -n $arn ]] || continue
        collect "elbv2/$region/describe-target-health/$(safe_name "$name").json" "$region" \
            elbv2 describe-target-health --target-group-arn "$arn"
    done <"$TMP/target-groups"

    # WAF web ACLs of scope REGIONAL, their rules, and the load balancers and
    # API Gateway stages they protect.
    collect "wafv2/$region/list-web-acls.json" "$region" wafv2 list-web-acls --scope REGIONAL
    enumerate "$TMP/web-acls" "$region" wafv2 list-web-acls 'WebACLs[].[Name,Id,ARN]' --scope REGIONAL
    while IFS=$'\t' read -r name id arn; do
        [[ -n $name && -n $id && -n $arn ]] || continue
        collect "wafv2/$region/get-web-acl/$(safe_name "$name").json" "$region" \
            wafv2 get-web-acl --scope REGIONAL --name "$name" --id "$id"
        collect "wafv2/$region/list-resources-for-web-acl/$(safe_name "$name").json" "$region" \
            wafv2 list-resources-for-web-acl --web-acl-arn "$arn" --resource-type APPLICATION_LOAD_BALANCER
        collect "wafv2/$region/list-api-gateway-resources-for-web-acl/$(safe_name "$name").json" "$region" \
            wafv2 list-resources-for-web-acl --web-acl-arn "$arn" --resource-type API_GATEWAY
    done <"$TMP/web-acls"

    # API Gateway: REST APIs with their methods (embedded) and stages; HTTP and
    # WebSocket APIs with their routes, authorizers and stages.
    collect "apigateway/$region/get-rest-apis.json" "$region" apigateway get-rest-apis
    enumerate "$TMP/rest-apis" "$region" apigateway get-rest-apis 'items[].[id]'
    while IFS=$'\t' read -r api _; do
        [[ -n $api ]] || continue
        collect "apigateway/$region/get-resources/$(safe_name "$api").json" "$region" \
            apigateway get-resources --rest-api-id "$api" --embed methods
        collect "apigateway/$region/get-stages/$(safe_name "$api").json" "$region" \
            apigateway get-stages --rest-api-id "$api"
    done <"$TMP/rest-apis"
    collect "apigatewayv2/$region/get-apis.json" "$region" apigatewayv2 get-apis
    enumerate "$TMP/apis" "$region" apigatewayv2 get-apis 'Items[].[ApiId]'
    while IFS=$'\t' read -r api _; do
        [[ -n $api ]] || continue
        collect "apigatewayv2/$region/get-routes/$(safe_name "$api").json" "$region" \
            apigatewayv2 get-routes --api-id "$api"
        collect "apigatewayv2/$region/get-authorizers/$(safe_name "$api").json" "$region" \
            apigatewayv2 get-authorizers --api-id "$api"
        collect "apigatewayv2/$region/get-stages/$(safe_name "$api").json" "$region" \
            apigatewayv2 get-stages --api-id "$api"
    done <"$TMP/apis"

    # Cognito user pools and their MFA configuration.
    collect "cognito-idp/$region/list-user-pools.json" "$region" cognito-idp list-user-pools --max-results 60
    enumerate "$TMP/user-pools" "$region" cognito-idp list-user-pools 'UserPools[].[Id]' --max-results 60
    while IFS=$'\t' read -r pool _; do
        [[ -n $pool ]] || continue
        collect "cognito-idp/$region/describe-user-pool/$(safe_name "$pool").json" "$region" \
            cognito-idp describe-user-pool --user-pool-id "$pool"
    done <"$TMP/user-pools"

    # KMS keys and their key policies (KMS requires the key policy to allow a caller).
    collect "kms/$region/list-keys.json" "$region" kms list-keys
    enumerate "$TMP/kms-keys" "$region" kms list-keys 'Keys[].[KeyId]'
    while IFS=$'\t' read -r key _; do
        [[ -n $key ]] || continue
        collect "kms/$region/get-key-policy/$(safe_name "$key").json" "$region" \
            kms get-key-policy --key-id "$key" --policy-name default
    done <"$TMP/kms-keys"

    # CloudTrail: every trail visible from the region (shadow and organization
    # trails too); status and selectors are asked in each trail's home region,
    # by ARN, and filed under the trail's name.
    collect "cloudtrail/$region/describe-trails.json" "$region" cloudtrail describe-trails --include-shadow-trails
    enumerate "$TMP/trails" "$region" cloudtrail describe-trails \
        'trailList[].[Name,TrailARN,HomeRegion]'
    while IFS=$'\t' read -r name arn home; do
        [[ -n $name && -n $arn && $home == "$region" ]] || continue
        collect "cloudtrail/$region/get-trail-status/$(safe_name "$name").json" "$region" \
            cloudtrail get-trail-status --name "$arn"
        collect "cloudtrail/$region/get-event-selectors/$(safe_name "$name").json" "$region" \
            cloudtrail get-event-selectors --trail-name "$arn"
    done <"$TMP/trails"

    # CloudWatch Logs, alarms and the SNS topics alarms notify.
    collect "logs/$region/describe-log-groups.json" "$region" logs describe-log-groups
    collect "logs/$region/describe-metric-filters.json" "$region" logs describe-metric-filters
    collect "cloudwatch/$region/describe-alarms.json" "$region" cloudwatch describe-alarms
    collect "sns/$region/list-topics.json" "$region" sns list-topics
    enumerate "$TMP/topics" "$region" sns list-topics 'Topics[].[TopicArn]'
    while IFS=$'\t' read -r topic _; do
        [[ -n $topic ]] || continue
        collect "sns/$region/list-subscriptions-by-topic/$(safe_name "${topic##*:}").json" "$region" \
            sns list-subscriptions-by-topic --topic-arn "$topic"
        # The topic's access policy (Attributes.Policy), weighed by `iam can`.
        collect "sns/$region/get-topic-attributes/$(safe_name "${topic##*:}").json" "$region" \
            sns get-topic-attributes --topic-arn "$topic"
    done <"$TMP/topics"

    # SQS queues and their access policies (Attributes.Policy, absent when the
    # queue has none), filed under the queue's name (the end of its URL).
    collect "sqs/$region/list-queues.json" "$region" sqs list-queues
    enumerate "$TMP/queues" "$region" sqs list-queues 'QueueUrls[].[@]'
    while IFS=$'\t' read -r queue _; do
        [[ -n $queue ]] || continue
        collect "sqs/$region/get-queue-attributes/$(safe_name "${queue##*/}").json" "$region" \
            sqs get-queue-attributes --queue-url "$queue" --attribute-names Policy QueueArn
    done <"$TMP/queues"

    # Detective controls: GuardDuty, AWS Config, Security Hub.
    collect "guardduty/$region/list-detectors.json" "$region" guardduty list-detectors
    enumerate "$TMP/detectors" "$region" guardduty list-detectors 'DetectorIds[]'
    while IFS=$'\t' read -r detector _; do
        [[ -n $detector ]] || continue
        collect "guardduty/$region/get-detector/$(safe_name "$detector").json" "$region" \
            guardduty get-detector --detector-id "$detector"
    done < <(tr '\t' '\n' <"$TMP/detectors")
    collect "configservice/$region/describe-configuration-recorders.json" "$region" \
        configservice describe-configuration-recorders
    collect "configservice/$region/describe-configuration-recorder-status.json" "$region" \
        configservice describe-configuration-recorder-status
    collect "securityhub/$region/describe-hub.json" "$region" securityhub describe-hub
    # Key metadata (who manages each key) and aliases (`alias/aws/s3` names an AWS managed key).
    collect "kms/$region/list-aliases.json" "$region" kms list-aliases
    while IFS=$'\t' read -r key _; do
        [[ -n $key ]] || continue
        collect "kms/$region/describe-key/$(safe_name "$key").json" "$region" kms describe-key --key-id "$key"
        collect "kms/$region/get-key-rotation-status/$(safe_name "$key").json" "$region" \
            kms get-key-rotation-status --key-id "$key"
    done <"$TMP/kms-keys"
    # Data protection: encryption, backups, secrets. Parameter Store values are
    # never read (describe-parameters gives names and types only).
    collect "ec2/$region/describe-volumes.json" "$region" ec2 describe-volumes
    collect "ec2/$region/get-ebs-encryption-by-default.json" "$region" ec2 get-ebs-encryption-by-default
    collect "rds/$region/describe-db-clusters.json" "$region" rds describe-db-clusters
    enumerate "$TMP/tables" "$region" dynamodb list-tables 'TableNames[].[@]'
    while IFS=$'\t' read -r table _; do
        [[ -n $table ]] || continue
        collect "dynamodb/$region/describe-table/$(safe_name "$table").json" "$region" \
            dynamodb describe-table --table-name "$table"
        collect "dynamodb/$region/describe-continuous-backups/$(safe_name "$table").json" "$region" \
            dynamodb describe-continuous-backups --table-name "$table"
    done <"$TMP/tables"
    enumerate "$TMP/secrets" "$region" secretsmanager list-secrets 'SecretList[].[Name,ARN]'
    while IFS=$'\t' read -r name arn; do
        [[ -n $name && -n $arn ]] || continue
        collect "secretsmanager/$region/get-resource-policy/$(safe_name "$name").json" "$region" \
            secretsmanager get-resource-policy --secret-id "$arn"
    done <"$TMP/secrets"
    collect "ssm/$region/describe-parameters.json" "$region" ssm describe-parameters
    collect "lambda/$region/list-functions.json" "$region" lambda list-functions
    enumerate "$TMP/functions" "$region" lambda list-functions 'Functions[].[FunctionName]'
    while IFS=$'\t' read -r function _; do
        [[ -n $function ]] || continue
        collect "lambda/$region/get-policy/$(safe_name "$function").json" "$region" \
            lambda get-policy --function-name "$function"
    done <"$TMP/functions"
    collect "ecs/$region/list-task-definitions.json" "$region" ecs list-task-definitions --status ACTIVE
    enumerate "$TMP/task-definitions" "$region" ecs list-task-definitions 'taskDefinitionArns[].[@]' \
        --status ACTIVE
    while IFS=$'\t' read -r arn _; do
        [[ -n $arn ]] || continue
        collect "ecs/$region/describe-task-definition/$(safe_name "${arn##*task-definition/}").json" "$region" \
            ecs describe-task-definition --task-definition "$arn"
    done <"$TMP/task-definitions"
    collect "backup/$region/list-backup-plans.json" "$region" backup list-backup-plans
    enumerate "$TMP/backup-plans" "$region" backup list-backup-plans 'BackupPlansList[].[BackupPlanId]'
    while IFS=$'\t' read -r plan _; do
        [[ -n $plan ]] || continue
        collect "backup/$region/list-backup-selections/$(safe_name "$plan").json" "$region" \
            backup list-backup-selections --backup-plan-id "$plan"
        enumerate "$TMP/backup-selections" "$region" backup list-backup-selections \
            'BackupSelectionsList[].[SelectionId]' --backup-plan-id "$plan"
        while IFS=$'\t' read -r selection _; do
            [[ -n $selection ]] || continue
            collect "backup/$region/get-backup-selection/$(safe_name "$selection").json" "$region" \
                backup get-backup-selection --backup-plan-id "$plan" --selection-id "$selection"
        done <"$TMP/backup-selections"
    done <"$TMP/backup-plans"
    collect "backup/$region/list-protected-resources.json" "$region" backup list-protected-resources
done

# ---------------------------------------------------------------- summary
summary="$PROG: wrote $FILES_WRITTEN files to $OUT; $CALLS_FAILED calls failed"
((NOT_CONFIGURED == 0)) || summary+="; $NOT_CONFIGURED answered 'not configured'"
printf '%s\n' "$summary" >&2
((CALLS_FAILED == 0))
