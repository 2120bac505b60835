#!/usr/bin/env bash
# The crash suite: clients post comments, edit articles and import bundles while the server (a real process on loopback)
# is killed with SIGKILL at random moments; after each restart every acknowledged write must be there, no import half
# there, every article whole, the search index in step with the rows, and /healthz answering within 2 s.
#
#   scripts/crash-test.sh [KILLS]      (default 10; CI runs 5 as part of the test suite)
#
# Prints "kills K, acknowledged N, lost L". Exits non-zero when anything was lost or broken (the test's log follows).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kills="${1:-10}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
CMS_CRASH_KILLS="$kills" dotnet test "$root/tests/Cms.Api.Tests" --filter "FullyQualifiedName~Suites.CrashTests" \
  --logger "console;verbosity=normal" >"$log" 2>&1
status=$?
grep -E "^ *crash test:" "$log" | sed 's/^ *crash test: //'
if [ "$status" -ne 0 ]; then
  tail -n 60 "$log" >&2
fi
exit "$status"
