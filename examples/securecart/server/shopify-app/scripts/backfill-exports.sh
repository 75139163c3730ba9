#!/bin/sh
# One-off backfill of order exports (2025). Chloe's key has since been
# deactivated; the script was never cleaned up.
export AWS_ACCESS_KEY_ID=AKIA3UUFUI4EZMPIDAJ7
aws s3 sync ./exports s3://securecart-reporting-exports/backfill/
