#!/bin/sh
# Builds the demo's small git repository in DIR (created, must not exist or be
# empty): the Shopify app's history, in which a Stripe live key was committed
# in one commit and taken out in the next, so that only the history holds it.
# Dates and authors are fixed, so commit ids are the same on every machine.
# The secrets are made up.
#
#   scripts/make-example-repo.sh /tmp/shopify-app-history
set -eu

dir=${1:?usage: make-example-repo.sh DIR}
mkdir -p "$dir"
cd "$dir"

git init --quiet --initial-branch=main .
git config user.name "Sam Developer"
git config user.email "sam@securecart.example"
git config commit.gpgsign false

commit() {
    GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" git commit --quiet -m "$2"
}

mkdir -p src
cat > README.md <<'TEXT'
# SecureCart Shopify app

Fulfilment webhooks and order exports.
TEXT
cat > src/payments.js <<'TEXT'
const Stripe = require("stripe");

// TODO read from the environment before going live
const stripe = Stripe("sk_live_51NzQx8DemoOnlyKey0a9b8c7d6e5f4g3h2");

module.exports = { stripe };
TEXT
git add README.md src/payments.js
commit "2026-03-02T09:15:00+00:00" "Payments: charge with Stripe"

cat > src/payments.js <<'TEXT'
const Stripe = require("stripe");

const stripe = Stripe(process.env.STRIPE_SECRET_KEY);

module.exports = { stripe };
TEXT
git add src/payments.js
commit "2026-03-09T17:40:00+00:00" "Payments: read the Stripe key from the environment"

cat > .env.example <<'TEXT'
STRIPE_SECRET_KEY=sk_live_your_key_here
SHOPIFY_API_SECRET=<your app secret>
TEXT
git add .env.example
commit "2026-04-01T11:00:00+00:00" "Document the environment the app needs"
