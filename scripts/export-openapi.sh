#!/usr/bin/env bash
# Writes the OpenAPI document the service serves at /swagger/v1/swagger.json to openapi/cms.v1.json.
# Runs the app's start-up code only up to building the endpoints: no server, no database.
# A test (OpenApiDocumentTests) fails when the committed file and the served document differ.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dotnet run --project "$root/src/Cms.Api" --no-launch-profile -- --export-openapi "$root/openapi/cms.v1.json"
