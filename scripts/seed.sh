#!/usr/bin/env bash
# Seeds content into a running CMS from a bundle file, all or nothing, safe to run twice.
#
#   scripts/seed.sh FILE [--url URL] [--key KEY] [--dry-run] [--progress]
#
# FILE is a JSON bundle ({"articles":[…],"comments":[…]}) or NDJSON (.ndjson/.jsonl: one article document per
# line, or {"comment":{…}}). URL and KEY default to $CMS_URL (else http://localhost:5080) and $CMS_KEY.
# NDJSON is streamed, with progress (articles sent / total, rate) on stderr when it is a terminal or with --progress.
# Exit codes: 0 imported (or dry run valid), 1 refused by the server (problems listed), 2 usage or connection error.
set -uo pipefail

usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

file="" url="${CMS_URL:-http://localhost:5080}" key="${CMS_KEY:-}" dry_run=false progress=false
[ -t 2 ] && progress=true
while [ $# -gt 0 ]; do
  case "$1" in
    --url) url="${2:-}"; shift 2 ;;
    --key) key="${2:-}"; shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    --progress) progress=true; shift ;;
    -h|--help) usage ;;
    -*) echo "seed: unknown option $1" >&2; usage ;;
    *) [ -z "$file" ] || usage; file="$1"; shift ;;
  esac
done

[ -n "$file" ] || usage
[ -r "$file" ] || { echo "seed: cannot read $file" >&2; exit 2; }
[ -n "$key" ] || { echo "seed: no API key: pass --key or set CMS_KEY" >&2; exit 2; }
command -v curl >/dev/null || { echo "seed: curl is required" >&2; exit 2; }

endpoint="${url%/}/api/v1/import"
$dry_run && endpoint="$endpoint?dryRun=true"
# The same file gives the same key, so a retried run is answered from the first one instead of importing twice.
# The key names the file's content: a CRC and the length, which cksum reads much faster than sha256sum would, before a
# byte is sent. The server hashes the body itself, so a collision could only give a 422.
idempotency_key="seed-$(cksum < "$file" | tr ' ' '-')$($dry_run && echo -dry)"
response="$(mktemp)"
trap 'rm -f "$response"' EXIT
post() { # post CONTENT-TYPE CURL-BODY-ARGS…: prints the HTTP status; the answer goes to $response
  local type="$1"; shift
  curl -sS -X POST "$@" -o "$response" -w '%{http_code}' \
    -H "Authorization: Bearer $key" -H "Content-Type: $type" -H "Idempotency-Key: $idempotency_key" "$endpoint"
}

case "$file" in
  *.ndjson|*.jsonl)
    if ! $progress; then
      # Without anyone to watch it, the file goes to curl as it is: counting lines on the way costs CPU on the machine the
      # import may run on (scripts/bench.sh), and progress lines only clutter a log.
      echo "seed: sending $file to $endpoint" >&2
      status="$(post application/x-ndjson -T "$file")"
    else
      # Counted before the upload starts, so in the C locale, which counts lines several times faster.
      total="$(LC_ALL=C grep -cv '^[[:space:]]*{"comment"' "$file" || true)"
      echo "seed: sending $total article(s) from $file to $endpoint" >&2
      status="$(awk -v total="$total" '
          BEGIN { start = systime(); sent = 0 }
          { print }
          !/^[[:space:]]*\{"comment"/ && NF { sent++; if (sent % 1000 == 0) report() }
          END { report(); printf("\n") > "/dev/stderr" }
          function report(  elapsed) {
            elapsed = systime() - start; if (elapsed < 1) elapsed = 1
            printf("\r  articles sent: %d/%d (%d/s)", sent, total, sent / elapsed) > "/dev/stderr"
          }' "$file" \
        | post application/x-ndjson -T -)"
    fi ;;
  *)
    echo "seed: sending $file to $endpoint" >&2
    status="$(post application/json --data-binary "@$file")" ;;
esac
[ "$?" -eq 0 ] && [ -n "$status" ] && [ "$status" != "000" ] || { echo "seed: could not reach $url" >&2; exit 2; }

# The API escapes script-sensitive characters in JSON strings; turn them back for the terminal.
body="$(sed -e 's/\\u0027/'"'"'/g; s/\\u0022/\\"/g; s/\\u0026/\&/g; s/\\u003C/</g; s/\\u003E/>/g; s/\\u002B/+/g; s/\\u0060/`/g' "$response")"
counts() { # counts RESOURCE -> "created=N updated=N unchanged=N"
  printf '%s' "$body" | grep -o "\"$1\":{[^}]*}" | sed -E 's/.*"created":([0-9]+),"updated":([0-9]+),"unchanged":([0-9]+).*/created=\1 updated=\2 unchanged=\3/'
}

if [ "$status" = "200" ]; then
  $dry_run && echo "seed: dry run, nothing written. It would make:" || echo "seed: imported."
  echo "  articles: $(counts articles)"
  echo "  comments: $(counts comments)"
  exit 0
fi

echo "seed: the server refused the bundle (HTTP $status); nothing was written." >&2
detail="$(printf '%s' "$body" | grep -o '"detail":"[^"]*"' | head -n 1 | cut -d'"' -f4)"
[ -n "$detail" ] && echo "  $detail" >&2
# One line per problem: "path: message".
printf '%s' "$body" | grep -o '"errors":{[^}]*}' | sed -E 's/^"errors":\{//; s/\}$//' \
  | sed -E 's/\],"/]\n"/g' | sed -E 's/^"([^"]*)":\["(.*)"\]$/  \1: \2/; s/","/; /g' >&2
exit 1
