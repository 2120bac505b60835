#!/usr/bin/env bash
# Two API nodes on one local PostgreSQL, for trying the server engine and several nodes:
#
#   scripts/run-postgres.sh [DIR]     (DIR keeps the cluster between runs; default .postgres in the repository)
#
# Starts a PostgreSQL 15 cluster in DIR (scripts/postgres.sh), creates the database cms, builds the service and starts
# two nodes on it: http://127.0.0.1:5081 and http://127.0.0.1:5082, with the admin key printed below. A write on one
# is served by the other at once. Ctrl-C stops the nodes and the cluster. Needs postgresql-15 (apt-get install postgresql-15).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$(realpath -m "${1:-$root/.postgres}")"
server="$("$root/scripts/postgres.sh" start "$dir")"
pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true; "$root/scripts/postgres.sh" stop "$dir"; }
trap stop EXIT INT TERM

port="${server##*Port=}"; port="${port%%;*}"
psql_() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- psql "$@"; else psql "$@"; fi; }
psql_ -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'cms'" | grep -q 1 \
  || psql_ -h 127.0.0.1 -p "$port" -U postgres -c "CREATE DATABASE cms" >/dev/null

dotnet build "$root/src/Cms.Api" -c Release -v quiet -nologo >/dev/null
key="${Cms__AdminKey:-local-admin-key-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
for node in 5081 5082; do
  Cms__Database__Provider=postgres ConnectionStrings__Cms="${server%;Username*};Database=cms;Username=postgres" \
  Cms__AdminKey="$key" ASPNETCORE_ENVIRONMENT=Development \
    dotnet "$root/src/Cms.Api/bin/Release/net10.0/Cms.Api.dll" --urls "http://127.0.0.1:$node" &
  pids+=($!)
done

echo "run-postgres: nodes at http://127.0.0.1:5081 and http://127.0.0.1:5082 (Swagger UI at /swagger); admin key: $key"
echo "run-postgres: PostgreSQL: $server;Database=cms. Ctrl-C stops everything."
wait
