#!/usr/bin/env bash
# A consistent copy of the live database, taken while the service keeps serving and writing.
#
#   scripts/backup.sh /var/backups/cms-$(date +%F).db
#
# Uses ConnectionStrings__Cms like the service. The destination must not exist yet. The search index is not copied: a
# restored database rebuilds it at start-up (README, "Backup and restore").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ $# -ne 1 ]; then
  echo "usage: scripts/backup.sh DEST" >&2
  exit 2
fi
export Logging__Console__LogToStandardErrorThreshold=Trace
exec dotnet run --project "$root/src/Cms.Api" --no-launch-profile -v quiet -- backup "$1"
