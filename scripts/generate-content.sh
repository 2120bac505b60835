#!/usr/bin/env bash
# Writes a synthetic NDJSON bundle of N articles to stdout, for benchmarks and load tests.
#
#   scripts/generate-content.sh N [SEED [FIRST]] > content.ndjson
#
# Each article: a title, a standfirst and byline, 3-8 sections of 300-1500 characters (paragraphs separated
# by a blank line), 0-2 pull-quotes and 0-20 comments (as {"comment":{…}} lines after it). All published.
# The text is sentences of English words drawn by a Zipf law over 30,000 of them (tools/ContentGenerator/words.txt,
# commonest first), so word frequencies, and what a two-word search matches, are those of a real archive.
# Chronological, like an archive exported from another CMS: article N is published N×5 minutes after
# 2016-01-01T00:00Z (1,000,000 articles reach mid-2025), and its comments come 7 minutes apart after it.
# The same N and SEED (default 1) always give the same bytes. FIRST (default 1) numbers the articles from there
# (slugs generated-0000001 …), so a large dataset can be generated and imported in chunks.
#
# The generator is tools/ContentGenerator (C#), built here in Release the first time and whenever its source is newer.
set -euo pipefail
[ $# -ge 1 ] && [ $# -le 3 ] || { echo "usage: generate-content.sh N [SEED [FIRST]]" >&2; exit 2; }
project="$(cd "$(dirname "${BASH_SOURCE[0]}")/../tools/ContentGenerator" && pwd)"
dll="$project/bin/Release/net10.0/ContentGenerator.dll"
if [ ! -f "$dll" ] || [ -n "$(find "$project" -maxdepth 1 \( -name '*.cs' -o -name '*.csproj' -o -name 'words.txt' \) -newer "$dll")" ]; then
  dotnet build "$project" -c Release -v quiet -nologo -clp:NoSummary >&2
fi
exec dotnet "$dll" "$@"
