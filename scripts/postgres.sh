#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster on loopback, for the tests and for trying the CMS on PostgreSQL.
#
#   scripts/postgres.sh start DIR [PORT] [--fast]
#                                          creates a cluster in DIR (if it has none) and starts it; prints its
#                                          connection string (trust authentication, user postgres, loopback only).
#                                          --fast: no fsync, for tests (a crash of the machine loses the cluster)
#   scripts/postgres.sh stop DIR           stops it (DIR stays; delete it to throw the cluster away)
#
# Needs Debian's postgresql-15 (apt-get install postgresql-15); exits 3 when it is not installed. Run as root, the
# cluster belongs to the postgres user, as initdb refuses to run as root.
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
[ -x "$bin/initdb" ] || { echo "postgres.sh: PostgreSQL 15 is not installed ($bin/initdb missing): apt-get install postgresql-15" >&2; exit 3; }
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

command="${1:-}" dir="${2:-}"
[ -n "$dir" ] || { echo "usage: postgres.sh start|stop DIR [PORT]" >&2; exit 2; }
case "$command" in
  start)
    port="${3:-}" fast=""
    if [ "$port" = "--fast" ]; then port="" fast=1; elif [ "${4:-}" = "--fast" ]; then fast=1; fi
    if [ -z "$port" ]; then # a free port below the ephemeral range
      port=$(( 20000 + RANDOM % 12000 ))
      while ss -Htln "sport = :$port" 2>/dev/null | grep -q .; do port=$(( 20000 + RANDOM % 12000 )); done
    fi
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then # the postgres user must reach DIR (mktemp makes its directories private)
      chown postgres: "$dir"
      chmod a+x "$(dirname "$dir")"
    fi
    if [ ! -f "$dir/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir.initdb.log" 2>&1 \
        || { cat "$dir.initdb.log" >&2; exit 1; }
    fi
    options="-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300"
    [ -z "$fast" ] || options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -o "$options" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "Host=127.0.0.1;Port=$port;Username=postgres"
    ;;
  stop)
    [ ! -f "$dir/postmaster.pid" ] || as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
    ;;
  *) echo "usage: postgres.sh start|stop DIR [PORT]" >&2; exit 2 ;;
esac
