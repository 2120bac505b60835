#!/usr/bin/env bash
# Reproducible read/write benchmark of the CMS on this machine.
#
#   scripts/bench.sh [--articles N] [--duration SECONDS] [--warmup SECONDS] [--no-cache] [--chunk N] [--only LETTERS]
#                    [--provider sqlite|postgres]
#
# Scenarios (bench/README.md): (g) baseline, (a)-(f) one hot article, lists, search, comment posts; (h) article pages
# picked by a Zipf law over all articles, alone and while editors and readers write; (i) the same with the response
# cache off; (j) random two-word searches; (k) searches for a word in every article; (l) the cached article page
# with tracing and metrics off, against (a), which runs with them on.
#
# Builds Release, generates N articles (default 10,000) with scripts/generate-content.sh, starts the server on
# loopback with a fresh database, imports them, warms up, then drives each scenario with wrk and writes the
# table to bench/results/<date>.md (and prints it). See bench/README.md for how to read it. Datasets larger than
# --chunk (default 50,000) articles are generated and imported chunk by chunk, overlapped. --only runs a subset of
# the scenarios (e.g. --only gabcdf skips the search, whose uncached runs at 1,000,000 articles outlast wrk).
# --provider postgres runs the server on a fresh PostgreSQL 15 cluster on this machine (scripts/postgres.sh, durable
# settings), started in the run's directory and stopped with it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
articles=10000 duration=15 warmup=5 connections=32 in_process_cache=true chunk=50000 only=gabcdefhijkl provider=sqlite
while [ $# -gt 0 ]; do
  case "$1" in
    --articles) articles="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --no-cache) in_process_cache=false; shift ;;
    --chunk) chunk="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --provider) provider="$2"; shift 2 ;;
    *) echo "bench: unknown option $1" >&2; exit 2 ;;
  esac
done

if ! command -v wrk >/dev/null; then
  echo "bench: installing wrk" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) >/dev/null
fi

elapsed() { awk -v start="$1" -v now="$(date +%s.%N)" 'BEGIN { printf("%.2f", now - start) }'; }

work="$(mktemp -d)"
# A port below Linux's ephemeral range (32768+), where the load's own client sockets live, and not listened on.
port=$(( 20000 + RANDOM % 12000 ))
while ss -Htln "sport = :$port" 2>/dev/null | grep -q .; do port=$(( 20000 + RANDOM % 12000 )); done
url="http://127.0.0.1:$port"
key="bench-$(date +%s)-$RANDOM"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null
  [ "$provider" = postgres ] && "$root/scripts/postgres.sh" stop "$work/pg" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
case "$provider" in
  sqlite) database=(ConnectionStrings__Cms="Data Source=$work/cms.db") engine="SQLite" ;;
  postgres)
    echo "bench: starting PostgreSQL" >&2
    database=(Cms__Database__Provider=postgres ConnectionStrings__Cms="$("$root/scripts/postgres.sh" start "$work/pg");Database=postgres")
    engine="PostgreSQL $(/usr/lib/postgresql/15/bin/postgres --version | awk '{print $3}') on this machine" ;;
  *) echo "bench: --provider is sqlite or postgres" >&2; exit 2 ;;
esac

echo "bench: building Release" >&2
dotnet build "$root/src/Cms.Api" -c Release -v quiet -nologo >/dev/null
# The dataset generator too, so that no chunk's generation includes its build (generate-content.sh builds when needed).
dotnet build "$root/tools/ContentGenerator" -c Release -v quiet -nologo >/dev/null
dotnet build "$root/tools/WriteLoad" -c Release -v quiet -nologo >/dev/null
# The deployment build for the cold start is published now, from the same tree as the Release build: published
# after the load, it picked up whatever had been edited meanwhile, and once migrated the database under the run.
echo "bench: publishing a ReadyToRun build for its cold start" >&2
r2r_published=false
dotnet publish "$root/src/Cms.Api" -c Release -r linux-x64 --self-contained -p:PublishReadyToRun=true \
  -p:PublishReadyToRunComposite=true -o "$work/r2r" -v quiet -nologo >"$work/publish.log" 2>&1 && r2r_published=true


start_server() {
  env "${database[@]}" ASPNETCORE_ENVIRONMENT=Production \
  Cms__AdminKey="$key" \
  Cms__Benchmark__Baseline=true \
  Cms__Caching__InProcess="${cache_setting:-$in_process_cache}" \
  Cms__Comments__FloodSeconds=0 Cms__Comments__RateLimitPerMinute=0 Cms__TrustedProxies__0=127.0.0.1 \
  Cms__Telemetry__Tracing="${telemetry:-true}" Cms__Telemetry__Prometheus="${telemetry:-true}" \
  Logging__LogLevel__Default=Warning \
    ${server_command:-dotnet "$root/src/Cms.Api/bin/Release/net10.0/Cms.Api.dll"} --urls "$url" >"$work/server.log" 2>&1 &
  server_pid=$!
}

wait_for() { # wait_for URL: until it answers 200 (max 60 s), polled every 20 ms so cold starts are timed closely
  for _ in $(seq 1 3000); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = "200" ] && return 0
    sleep 0.02
  done
  echo "bench: the server did not answer $1" >&2; cat "$work/server.log" >&2; exit 1
}

import() { # import FILE: one request, one transaction
  CMS_URL="$url" CMS_KEY="$key" "$root/scripts/seed.sh" "$1" >/dev/null 2>"$work/seed.log" \
    || { cat "$work/seed.log" >&2; tail -50 "$work/server.log" >&2; exit 1; }
}

start_server
wait_for "$url/healthz"
if [ "$articles" -le "$chunk" ]; then
  echo "bench: generating $articles articles" >&2
  gen_start=$(date +%s.%N)
  "$root/scripts/generate-content.sh" "$articles" 42 > "$work/content.ndjson"
  gen_seconds=$(elapsed $gen_start)
  echo "bench: importing" >&2
  import_start=$(date +%s.%N)
  import "$work/content.ndjson"
  import_seconds=$(elapsed $import_start)
  loading="Dataset generation: ${gen_seconds}s; import (NDJSON, one transaction): ${import_seconds}s"
else
  # Large runs: chunks of $chunk articles, each imported in its own transaction while the next is generated
  # (two cores: one generates, one imports), so no multi-gigabyte file or single huge transaction is needed.
  load_start=$(date +%s.%N)
  "$root/scripts/generate-content.sh" "$(( articles < chunk ? articles : chunk ))" 42 1 > "$work/chunk-1.ndjson"
  for (( first = 1; first <= articles; first += chunk )); do
    next=$(( first + chunk )) generator=""
    if [ "$next" -le "$articles" ]; then
      size=$(( articles - next + 1 < chunk ? articles - next + 1 : chunk ))
      "$root/scripts/generate-content.sh" "$size" 42 "$next" > "$work/chunk-$next.ndjson" &
      generator=$!
    fi
    import "$work/chunk-$first.ndjson"
    rm -f "$work/chunk-$first.ndjson"
    [ -z "$generator" ] || wait "$generator"
    echo "bench: loaded $(( next - 1 < articles ? next - 1 : articles ))/$articles articles ($(elapsed $load_start)s)" >&2
  done
  loading="Dataset generation + import, overlapped, in chunks of $chunk articles (one transaction each): $(elapsed $load_start)s"
fi

# The imported pages are rendered in the background (render on write); every scenario measures them rendered.
render_start=$(date +%s.%N)
until curl -s "$url/readyz" | grep -q '"pagesToRender":0[,}]'; do sleep 1; done
loading="$loading; then every published page rendered in $(elapsed $render_start)s"

# Cold start: a fresh process on the populated database, until the first article is served; five starts each for
# the plain build and the deployment build (self-contained, ReadyToRun composite), the median reported.
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
middle=$(printf 'generated-%07d' $(( (articles + 1) / 2 )))
article_url="$url/api/v1/articles/$middle?include=sections,pullQuotes"
cold_starts() { # prints "median min max" of 5 starts of $server_command (or the plain build)
  local times=()
  for _ in 1 2 3 4 5; do
    local start; start=$(date +%s.%N)
    start_server
    wait_for "$article_url"
    times+=("$(elapsed "$start")")
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ t[NR] = $1 } END { printf("%s %s %s", t[3], t[1], t[5]) }'
}
read -r cold_seconds cold_min cold_max <<<"$(cold_starts)"

r2r_seconds="n/a" r2r_range="(publish failed)"
if [ "$r2r_published" = true ]; then
  read -r r2r_seconds r2r_min r2r_max <<<"$(server_command="$work/r2r/Cms.Api" cold_starts)"
  r2r_range="(median of 5; $r2r_min-$r2r_max s)"
fi
start_server
wait_for "$article_url"

# The cursor at depth 5,000 (or half the list for small runs): follow nextCursor 100 items at a time.
depth=$(( articles >= 10000 ? 5000 : articles / 2 ))
cursor=""
for _ in $(seq 1 $(( depth / 100 ))); do
  cursor="$(curl -s "$url/api/v1/articles?limit=100${cursor:+&cursor=$cursor}" | grep -o '"nextCursor":"[^"]*"' | cut -d'"' -f4)"
done
etag="$(curl -s -D - -o /dev/null "$article_url" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')"
published_slug=$(printf 'generated-%07d' 1)

cat > "$work/comment.lua" <<LUA
-- Each wrk thread numbers its own requests; a per-run, per-thread id keeps bodies unique across threads and
-- across the warm-up and measured runs, so duplicate detection (409) never fires. Every request comes from
-- another fake reader address, passed in X-Forwarded-For (the server trusts loopback as a proxy for this run).
local threads = 0
math.randomseed(os.time())
local run = os.time() .. "-" .. math.random(1000000)
function setup(thread)
  threads = threads + 1
  thread:set("tid", run .. "-" .. threads)
  thread:set("net", threads)
end
counter = 0
request = function()
  counter = counter + 1
  local body = '{"name":"Bench reader ' .. tid .. '","body":"Comment ' .. tid .. '-' .. counter .. ' from a benchmark."}'
  local address = "10." .. net .. "." .. (math.floor(counter / 250) % 250) .. "." .. (counter % 250 + 1)
  return wrk.format("POST", "/api/v1/articles/$published_slug/comments",
    { ["Content-Type"] = "application/json", ["X-Forwarded-For"] = address }, body)
end
LUA

# The readers' law: article k (of N, oldest first) is read with probability proportional to 1/k, approximated as
# floor(N^u) for u uniform in [0,1): a few stories take most reads, and a long tail of old ones the rest.
cat > "$work/zipf.lua" <<LUA
local n = $articles
function setup(thread) thread:set("seed", math.random(1000000)) end
function init(args) math.randomseed(seed + os.time()) end
request = function()
  local k = math.max(1, math.floor(n ^ math.random()))
  return wrk.format("GET", string.format("/api/v1/articles/generated-%07d?include=sections,pullQuotes,comments", k))
end
LUA
# Two words for every search, drawn by the same Zipf law over the vocabulary's content words (below its 200 commonest),
# so every URL differs and none is served from the cache; (k) puts a word found in every article first.
cat > "$work/search.lua" <<LUA
local words = {}
for line in io.lines("$root/tools/ContentGenerator/words.txt") do words[#words + 1] = line end
local first = os.getenv("CMS_BENCH_FIRST_WORD")
function setup(thread) thread:set("seed", math.random(1000000)) end
function init(args) math.randomseed(seed + os.time()) end
local function word() return words[200 + math.floor((#words - 200) ^ math.random())] end
request = function()
  local q = (first or word()) .. " " .. word()
  return wrk.format("GET", "/api/v1/articles?limit=20&q=" .. q:gsub(" ", "%%20"))
end
LUA
# The baseline serves the median size of the pages (h) reads.
page_sizes=()
for k in $(awk -v n="$articles" 'BEGIN { srand(5); for (i = 0; i < 51; i++) { k = int(n ^ rand()); print (k < 1 ? 1 : k) } }'); do
  page_sizes+=("$(curl -s -o /dev/null -w '%{size_download}' "$url/api/v1/articles/$(printf 'generated-%07d' "$k")?include=sections,pullQuotes,comments")")
done
size="$(printf '%s\n' "${page_sizes[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"

results="$work/results.tsv"
: > "$results"
run() { # run NAME CONNECTIONS URL [wrk args…]
  local name="$1" conns="$2" target="$3"; shift 3
  if [[ "$only" != *"${name:1:1}"* ]]; then
    printf '%s\t-\t-\t-\t-\n' "$name" >> "$results"
    echo "bench: $name: skipped" >&2
    return
  fi
  wrk -t2 -c"$conns" -d"${warmup}s" "$@" "$target" >/dev/null 2>&1 || true
  local out; out="$(wrk -t2 -c"$conns" -d"${duration}s" --latency "$@" "$target" 2>&1)"
  local rps p50 p99 errors non2xx
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p50="$(awk '$1=="50%" {print $2}' <<<"$out")"
  p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
  errors="$(awk '/Socket errors/ {gsub(",",""); print $4+$6+$8+$10}' <<<"$out")"
  non2xx="$(awk '/Non-2xx or 3xx responses/ {print $5}' <<<"$out")"
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$rps" "$p50" "$p99" "$(( ${errors:-0} + ${non2xx:-0} ))" >> "$results"
  echo "bench: $name: $rps req/s, p50 $p50, p99 $p99" >&2
}

run "(g) baseline: constant ${size} bytes" "$connections" "$url/bench/baseline?size=$size"
run "(a) article + sections + pull-quotes" "$connections" "$article_url"
run "(b) same, If-None-Match (304)" "$connections" "$article_url" -H "If-None-Match: $etag"
run "(c) list, first page of 20" "$connections" "$url/api/v1/articles?limit=20"
run "(d) list, cursor depth $depth" "$connections" "$url/api/v1/articles?limit=20&cursor=$cursor"
# (c) again right after (d): (d) is judged against the mean of the (c) runs either side of it, so that the machine
# drifting during the time between them is not read as the cost of depth.
run "(c) again, after (d)" "$connections" "$url/api/v1/articles?limit=20"
run "(e) search 'council', limit 20" "$connections" "$url/api/v1/articles?q=council&limit=20"
run "(f) post comment (16 conns)" 16 "$url" -s "$work/comment.lua"
# Memory after the one-article scenarios, where the memory target was first set; (h) and (j) then fill the response cache with the
# long tail (up to Cms:Caching:MaxMegabytes), which the figure after the run includes.
rss_hot_kb="$(ps -o rss= -p "$server_pid" | tr -d ' ')"
run "(h) Zipf article pages" "$connections" "$url" -s "$work/zipf.lua"
# The same while the newsroom works: editors save 2 articles/s and readers post 20 comments/s, over the warm-up and run.
writes="$work/writes.txt"
if [[ "$only" == *h* ]]; then
  dotnet "$root/tools/WriteLoad/bin/Release/net10.0/WriteLoad.dll" "$url" "$key" "$articles" $(( warmup + duration )) 2 20 >"$writes" &
  write_load=$!
fi
run "(h) same, while writing" "$connections" "$url" -s "$work/zipf.lua"
[ -z "${write_load:-}" ] || wait "$write_load"
run "(j) random two-word search" "$connections" "$url" -s "$work/search.lua"
CMS_BENCH_FIRST_WORD=the run "(k) search 'the' + a random word" "$connections" "$url" -s "$work/search.lua"
# The baseline again, last: the process is fully warmed up by now, and the machine may have drifted. Ratios use
# the higher of the two baselines, so a slow first baseline cannot flatter them.
run "(g) baseline again, after the others" "$connections" "$url/bench/baseline?size=$size"

rss_kb="$(ps -o rss= -p "$server_pid" | tr -d ' ')"
# (i): the database path alone, the response cache off, on a restarted server.
if [[ "$only" == *i* ]]; then
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  cache_setting=false start_server
  wait_for "$article_url"
fi
run "(i) Zipf article pages, cache off" "$connections" "$url" -s "$work/zipf.lua"
# (l): the cached article page with tracing and metrics off, on a restarted server; every other scenario has them on.
if [[ "$only" == *l* ]]; then
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  telemetry=false start_server
  wait_for "$article_url"
fi
run "(l) article, tracing and metrics off" "$connections" "$article_url"
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
dirty="$(git -C "$root" status --porcelain -- . ':!bench/results' 2>/dev/null | grep -q . && echo ' (with uncommitted changes)' || true)"
stamp="$(date -u +%Y-%m-%dT%H%M%SZ)"
report="$root/bench/results/$stamp.md"
baseline_rps="$(awk -F'\t' '$1 ~ /^\(g\)/ && $2 != "-" && $2 + 0 > best { best = $2 + 0 } END { print best + 0 }' "$results")"
{
  echo "# Benchmark $stamp"
  echo
  echo "Commit \`$commit\`$dirty; $engine; $articles articles; $(nproc) cores; $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); wrk -t2, ${duration}s per scenario after ${warmup}s warm-up, $connections connections for reads; in-process response cache: $in_process_cache."
  echo
  echo "| scenario | requests/s | vs baseline | p50 | p99 | errors |"
  echo "|---|---:|---:|---:|---:|---:|"
  awk -F'\t' -v base="$baseline_rps" '$2 == "-" { printf("| %s | skipped | | | | |\n", $1); next }
    { printf("| %s | %.0f | %.0f%% | %s | %s | %s |\n", $1, $2, base > 0 ? 100 * $2 / base : 0, $3, $4, $5) }' "$results"
  echo
  echo "- Server RSS after (a)-(f): $(( rss_hot_kb / 1024 )) MB; after the run: $(( rss_kb / 1024 )) MB"
  echo "- Cold start to first served article: ${r2r_seconds} s $r2r_range, self-contained ReadyToRun composite publish (the deployment build); ${cold_seconds} s (median of 5; $cold_min-$cold_max s) \`dotnet Cms.Api.dll\`"
  echo "- $loading"
  echo
  [ -s "$writes" ] && echo "- Writes during (h) while writing (editors' saves and readers' comments, target 2/s and 20/s): $(cat "$writes")"
  echo
  echo "## Against the targets (10,000-article targets unless noted; see bench/README.md)"
  echo
  awk -F'\t' -v rss="$(( rss_hot_kb / 1024 ))" -v rss_all="$(( rss_kb / 1024 ))" -v cold="$r2r_seconds" -v plain="$cold_seconds" -v base="$baseline_rps" -v articles="$articles" -v provider="$provider" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    function div(a, b) { return b == 0 ? 0 : a / b }
    function line(i, what, ok, got) {
      if (skipped[i]) printf("- %s: not measured (scenario skipped)\n", what)
      else printf("- %s: %s (%s)\n", what, ok ? "met" : "**missed**", got)
    }
    { rps[NR] = $2; p50[NR] = ms($3); p99[NR] = ms($4); err[NR] = $5; skipped[NR] = ($2 == "-") }
    END {
      line(2, "(a) >= 60% of (g), p99 <= 10 ms", rps[2] >= 0.6 * base && p99[2] <= 10, sprintf("%.0f%%, p99 %.2f ms", 100 * div(rps[2], base), p99[2]))
      line(3, "(b) >= 80% of (g)", rps[3] >= 0.8 * base, sprintf("%.0f%%", 100 * div(rps[3], base)))
      line(4, "(c) >= 40% of (g)", rps[4] >= 0.4 * base, sprintf("%.0f%%", 100 * div(rps[4], base)))
      c = skipped[6] ? p50[4] : (p50[4] + p50[6]) / 2
      line(5, "(d) latency within 1.3x of (c)", p50[5] <= 1.3 * c, sprintf("p50 %.2fx of the two (c) runs around it; %.2fx of the first alone", div(p50[5], c), div(p50[5], p50[4])))
      # A latency target needs responses: a scenario that got none (wrk then reports no latency at all) missed it.
      line(7, "(e) p99 <= 25 ms", p99[7] <= 25 && rps[7] > 0, sprintf("p99 %.2f ms, %.0f/s", p99[7], rps[7]))
      line(8, "(f) >= 2,000 committed comments/s, 0 errors", rps[8] >= 2000 && err[8] == 0, sprintf("%.0f/s, %d errors", rps[8], err[8]))
      line(9, "(h) Zipf pages alone >= 60% of (g)", rps[9] >= 0.6 * base, sprintf("%.0f%%, p99 %.2f ms", 100 * div(rps[9], base), p99[9]))
      line(10, "(h) while writing >= 40% of (g), p99 <= 10 ms", rps[10] >= 0.4 * base && p99[10] <= 10, sprintf("%.0f%%, p99 %.2f ms", 100 * div(rps[10], base), p99[10]))
      uncached = provider == "postgres" ? 15 : 25
      line(14, sprintf("(i) cache off >= %d%% of (g)", uncached), rps[14] >= uncached / 100 * base, sprintf("%.0f%%, p99 %.2f ms", 100 * div(rps[14], base), p99[14]))
      limit = articles >= 1000000 ? 250 : 50
      line(11, sprintf("(j) random two-word search p99 <= %d ms", limit), p99[11] <= limit && err[11] == 0 && rps[11] > 0, sprintf("p99 %.1f ms, %.0f/s, %d errors", p99[11], rps[11], err[11]))
      line(12, "(k) a word in every article: reported", 1, sprintf("p99 %.1f ms, %.0f/s", p99[12], rps[12]))
      line(15, "(a) with tracing and metrics on >= 90% of (l) with them off", rps[2] >= 0.9 * rps[15], sprintf("%.0f%% (%.0f/s on, %.0f/s off)", 100 * div(rps[2], rps[15]), rps[2], rps[15]))
      line(0, "RSS <= 150 MB after (a)-(f)", rss <= 150, rss " MB; " rss_all " MB after every scenario, the response cache holding the long tail")
      line(0, "cold start <= 0.5 s (deployment build)", cold != "n/a" && cold <= 0.5, cold " s; plain `dotnet Cms.Api.dll` " plain " s")
    }' "$results"
} > "$report"
cat "$report"
echo "bench: wrote ${report#$root/}" >&2
