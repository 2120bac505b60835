#!/usr/bin/env bash
# Writes a synthetic NDJSON bundle of N articles to stdout, for benchmarks and load tests.
#
#   scripts/generate-content.sh N [SEED [FIRST]] > content.ndjson
#
# Each article: a title, a standfirst and byline, 3-8 sections of 300-1500 characters (paragraphs separated
# by a blank line), 0-2 pull-quotes and 0-20 comments (as {"comment":{…}} lines after it). All published.
# The text is random sentences over a small vocabulary; sentences recur across articles (see the pool below).
# Chronological, like an archive exported from another CMS: article N is published N×5 minutes after
# 2016-01-01T00:00Z (1,000,000 articles reach mid-2025), and its comments come 7 minutes apart after it.
# The same N and SEED (default 1) always give the same bytes. FIRST (default 1) numbers the articles from there
# (slugs generated-0000001 …), so a large dataset can be generated and imported in chunks.
set -euo pipefail
count="${1:?usage: generate-content.sh N [SEED]}"
seed="${2:-1}"
first="${3:-1}"
LC_ALL=C awk -v n="$count" -v seed="$seed" -v first="$first" '
function pick(arr, size) { return arr[int(rand() * size) + 1] }
function words(k,   s, i) { s = pick(w, nw); for (i = 2; i <= k; i++) s = s " " pick(w, nw); return s }
function sentence(   s) { s = words(6 + int(rand() * 12)); return toupper(substr(s, 1, 1)) substr(s, 2) "." }
# Text is drawn from a pool of 32,768 random sentences (made from the seed alone): one pick per sentence instead of
# one per word. Generation competes for the same two cores as the import it feeds; this made it ~2.5x cheaper.
function pooled() { return pool[int(rand() * npool)] }
function paragraph(target,   p) { p = pooled(); while (length(p) < target) p = p " " pooled(); return p }
function body(   size, paras, out, i) {
  size = 300 + int(rand() * 1201); paras = 1 + int(rand() * 3); out = ""
  for (i = 1; i <= paras; i++) out = out (i > 1 ? "\\n\\n" : "") paragraph(size / paras)
  return out
}
BEGIN {
  epoch = 1451606400 # 2016-01-01T00:00:00Z
  nw = split("river harbour council ferry school flood market budget election station library bridge museum " \
             "festival weather storm hospital street village mayor report residents plans road park housing " \
             "water energy wind farm rail bus night morning week year town city county minister court police " \
             "fire rescue team match season club volunteers protest survey prices rents shops jobs factory " \
             "the a of and to in for on with after before over under new old local public early late", w, " ")
  nf = split("Ada Penrose|Ben Ruiz|Chloe Okafor|Dmitri Vale|Elena Marsh|Farid Haddad|Grace Lin|Hugo Brandt", names, "|")
  srand(seed); npool = 32768
  for (i = 0; i < npool; i++) pool[i] = sentence()
  srand(first == 1 ? seed : seed + first)
  for (a = first; a < first + n; a++) {
    slug = sprintf("generated-%07d", a)
    title = pooled(); sub(/\.$/, "", title)
    published = epoch + 300 * a
    printf("{\"slug\":\"%s\",\"title\":\"%s\",\"standfirst\":\"%s\",\"byline\":\"%s\",\"status\":\"published\",\"publishAt\":null,\"publishedAt\":\"%s.000Z\",\"sections\":[", \
      slug, title, pooled() " " pooled(), pick(names, nf), strftime("%Y-%m-%dT%H:%M:%S", published, 1))
    ns = 3 + int(rand() * 6)
    for (s = 1; s <= ns; s++) {
      heading = (s == 1) ? "null" : "\"" words(2 + int(rand() * 4)) "\""
      printf("%s{\"heading\":%s,\"body\":\"%s\"}", (s > 1 ? "," : ""), heading, body())
    }
    printf("],\"pullQuotes\":[")
    nq = int(rand() * 3)
    for (q = 1; q <= nq; q++) printf("%s{\"text\":\"%s\",\"attribution\":\"%s\",\"section\":%d,\"afterParagraph\":0}", (q > 1 ? "," : ""), pooled(), pick(names, nf), 1 + int(rand() * ns))
    printf("]}\n")
    nc = int(rand() * 21)
    for (c = 1; c <= nc; c++)
      printf("{\"comment\":{\"article\":\"%s\",\"name\":\"%s\",\"email\":\"reader%d@example.org\",\"body\":\"%s\",\"status\":\"approved\",\"createdAt\":\"%s.000Z\"}}\n", \
        slug, pick(names, nf), c, pooled(), strftime("%Y-%m-%dT%H:%M:%S", published + 420 * c, 1))
  }
}'
