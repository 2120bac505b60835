#!/usr/bin/env bash
# Builds and runs every test, then prints one line: "N passed, N failed, N skipped".
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Comments").
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

dotnet test "$root/Cms.sln" --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@"
status=$?

trx="$(find "$results" -name '*.trx' | head -n 1)"
if [ -z "$trx" ]; then
  echo "The tests did not run (see the build output above)."
  exit "$(( status == 0 ? 1 : status ))"
fi

counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
count() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
total="$(count total)"; executed="$(count executed)"; passed="$(count passed)"
failed="$(( $(count failed) + $(count error) + $(count timeout) + $(count aborted) ))"
skipped="$(( total - executed ))"

echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -eq 0 ] && [ "$failed" -gt 0 ]; then status=1; fi
if [ "$status" -eq 0 ] && [ "$executed" -eq 0 ]; then status=1; fi
exit "$status"
