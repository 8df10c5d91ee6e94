#!/usr/bin/env bash
# Named queries on `coalition serve` (issue 18, item 3): for each query and format, the first
# request (evaluated), then, after a pause for the background gzip coding of large answers, the
# p50 of 5 requests that accept gzip (body left coded, as a client that streams it) and of 5 that
# do not; the last column says whether all answers had the same bytes. Prints markdown rows:
#
#   | query | Accept | bytes | gzip bytes | first s | gzip p50 s | identity p50 s | same? |
#
# Usage: benches/serve-queries.sh BINARY FACTS_DIR QUERY...   (port 7979; needs curl, gunzip)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$1; FACTS=$2; shift 2
log=$(mktemp)
"$BIN" --no-cache serve --facts "$FACTS" --queries "$ROOT/queries" --bind 127.0.0.1:7979 --max-results 10000000 --timeout 120 --max-query-memory 16384 2>$log &
pid=$!
until grep -q "^listening" "$log"; do sleep 1; done
med() { echo $1 | tr ' ' '\n' | sort -g | sed -n 3p; }
for ACCEPT in text/csv application/sparql-results+json; do
for q in "$@"; do
  enc=$(python3 -c "import urllib.parse,sys;print(urllib.parse.quote(open('$ROOT/queries/$q.rq').read()))")
  url="http://127.0.0.1:7979/sparql?query=$enc"
  first=$(curl -s -o $log.first -w '%{time_total}' -H "Accept: $ACCEPT" "$url")
  sleep 12
  g=""; p=""
  for i in 1 2 3 4 5; do g="$g $(curl -s -o $log.gz -w '%{time_total}' -H 'Accept-Encoding: gzip' -H "Accept: $ACCEPT" "$url")"; done
  for i in 1 2 3 4 5; do p="$p $(curl -s -o $log.plain -w '%{time_total}' -H "Accept: $ACCEPT" "$url")"; done
  (gunzip -c $log.gz 2>/dev/null || cat $log.gz) | cmp -s $log.first - && cmp -s $log.first $log.plain && same=same || same=DIFFERENT
  echo "| $q | $ACCEPT | $(stat -c %s $log.first) | $(stat -c %s $log.gz) | $first | $(med "$g") | $(med "$p") | $same |"
done
done
echo "peak $(awk '/^VmHWM/ {print $2/1024}' /proc/$pid/status) MiB"
kill $pid; wait $pid 2>/dev/null
rm -f "$log" "$log".*
