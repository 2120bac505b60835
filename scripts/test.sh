#!/usr/bin/env bash
# Builds and runs every test, then prints one line: "N passed, N failed, N skipped".
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Comments"), in both runs.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

# The PostgreSQL engine's tests run against a throwaway cluster started here (unless CMS_TEST_POSTGRES already names a
# server). Without PostgreSQL 15 installed they are skipped, and this says so; installed but failing to start, it fails.
if [ -z "${CMS_TEST_POSTGRES:-}" ]; then
  if [ -x /usr/lib/postgresql/15/bin/initdb ]; then
    CMS_TEST_POSTGRES="$("$root/scripts/postgres.sh" start "$results/postgres" --fast)" \
      || { echo "PostgreSQL is installed but did not start (see above)."; exit 1; }
    export CMS_TEST_POSTGRES
    trap '"$root/scripts/postgres.sh" stop "$results/postgres"; rm -rf "$results"' EXIT
  else
    echo "PostgreSQL 15 is not installed (apt-get install postgresql-15): the PostgreSQL tests will be skipped."
  fi
fi

# The npm tools some tests run (Spectral for the OpenAPI document; the TypeScript client's generator, compiler and
# openapi-fetch), pinned by their lock files. Without npm those tests are skipped, saying so.
if command -v npm >/dev/null 2>&1; then
  for package in tools/node clients/typescript; do
    if [ ! -d "$root/$package/node_modules" ]; then
      npm ci --prefix "$root/$package" --no-audit --no-fund --silent || { echo "npm ci in $package failed (see above)."; exit 1; }
    fi
  done
else
  echo "npm is not installed (apt-get install npm): the tests that run npm tools will be skipped."
fi

# The whole suite on SQLite; then, with a PostgreSQL server, again on PostgreSQL (tests/Cms.Api.Tests/Engines.cs says
# what that run leaves out). Extra arguments go to both runs.
dotnet test "$root/Cms.sln" --logger "trx;LogFileName=sqlite.trx" --results-directory "$results" --filter "TestCategory!=PostgresOnly" "$@"
status=$?
if [ -n "${CMS_TEST_POSTGRES:-}" ]; then
  echo "Running the suite again on PostgreSQL."
  CMS_TEST_ENGINE=postgres dotnet test "$root/Cms.sln" --no-build --logger "trx;LogFileName=postgres.trx" --results-directory "$results" \
    --filter "TestCategory!=SqliteOnly" "$@"
  postgres_status=$?
  [ "$status" -ne 0 ] || status=$postgres_status
fi

mapfile -t trxs < <(find "$results" -name "*.trx")
if [ "${#trxs[@]}" -eq 0 ]; then
  echo "The tests did not run (see the build output above)."
  exit "$(( status == 0 ? 1 : status ))"
fi

total=0 executed=0 passed=0 failed=0
for trx in "${trxs[@]}"; do
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  count() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  total=$(( total + $(count total) )); executed=$(( executed + $(count executed) )); passed=$(( passed + $(count passed) ))
  failed=$(( failed + $(count failed) + $(count error) + $(count timeout) + $(count aborted) ))
done
skipped="$(( total - executed ))"

echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -eq 0 ] && [ "$failed" -gt 0 ]; then status=1; fi
if [ "$status" -eq 0 ] && [ "$executed" -eq 0 ]; then status=1; fi
exit "$status"
