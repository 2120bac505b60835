#!/usr/bin/env bash
# Creates an API key offline, against the database the service would use, and prints only the secret.
#
#   KEY=$(scripts/create-key.sh --role editor --name ci)
#
# Uses ConnectionStrings__Cms like the service (default: Data Source=cms.db in src/Cms.Api when run from the repo).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Logs go to stderr so that stdout carries only the secret.
export Logging__Console__LogToStandardErrorThreshold=Trace
exec dotnet run --project "$root/src/Cms.Api" --no-launch-profile -v quiet -- keys create "$@"
