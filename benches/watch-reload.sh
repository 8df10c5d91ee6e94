#!/usr/bin/env bash
# `coalition serve --watch` on a large corpus: the cold load, then the reload after editing one
# source's title. Prints one markdown table row:
#
#   | sources | cold load s | reload s | reload % of cold |
#
# Usage: [REPEAT=3] benches/watch-reload.sh CORPUS_DIR BINARY
#   CORPUS_DIR  a corpus made by `coalition synth --sources N --out CORPUS_DIR` (copied, not changed)
#   BINARY      the `coalition` binary to run (a release build)
#   REPEAT      how many sources are edited one after the other (the median reload is reported)
#
# Both times are the server's own log figures (`loaded DIR: N graphs in T ms`, `reloaded DIR: K of
# N graphs replaced in T ms`): checking the facts, building the model and loading (or changing)
# the store. The cache starts empty, so the cold load is cold. Details (the reload's breakdown,
# the wall time to the first HTTP answer, the server's peak memory) go to stderr.
set -euo pipefail

if [ $# -ne 2 ]; then
    echo "usage: $0 CORPUS_DIR BINARY" >&2
    exit 2
fi
corpus=$1
bin=$(realpath "$2")
REPEAT=${REPEAT:-3}
[ -d "$corpus/sources" ] || { echo "$corpus has no sources/ folder" >&2; exit 2; }

tmp=$(mktemp -d)
server=
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
cp -r "$corpus" "$tmp/facts"
log=$tmp/serve.log
: >"$log"

# Waits until the log has a line matching $1 (extended regex), up to $2 seconds.
wait_for() {
    local deadline=$((SECONDS + $2))
    until grep -Eq "$1" "$log"; do
        if ! kill -0 "$server" 2>/dev/null; then
            echo "the server exited:" >&2; cat "$log" >&2; exit 1
        fi
        if [ $SECONDS -ge $deadline ]; then
            echo "timed out waiting for /$1/:" >&2; tail -20 "$log" >&2; exit 1
        fi
        sleep 0.1
    done
}

started=$(date +%s.%N)
(cd "$tmp" && exec "$bin" serve --facts facts --queries queries --watch --bind 127.0.0.1:0 \
    --cache-dir cache 2>"$log") &
server=$!
wait_for '^listening on http://' 3600
addr=$(sed -n 's|^listening on http://\([^/]*\)/.*|\1|p' "$log" | head -1)
until curl -sf -o /dev/null "http://$addr/sparql?query=ASK%7B%7D"; do sleep 0.1; done
answered=$(date +%s.%N)
cold_ms=$(sed -n 's/^loaded facts: \([0-9]*\) graphs in \([0-9]*\) ms$/\2/p' "$log")
graphs=$(sed -n 's/^loaded facts: \([0-9]*\) graphs in .*/\1/p' "$log")
sources=$((graphs - 1))

# Edit the title of a source in the middle of the corpus, $REPEAT times (a different source each
# time); the row gives the median reload.
files=("$tmp"/facts/sources/*.yaml)
reloads=()
for k in $(seq 1 "$REPEAT"); do
    target=${files[$(( ${#files[@]} * k / (REPEAT + 1) ))]}
    grep -q '^  title: ' "$target" || { echo "no title in $target" >&2; exit 1; }
    sleep 1  # a new modification time, whatever the file system's granularity
    sed -i 's/^  title: \(.*\)$/  title: \1 (edited)/' "$target"
    deadline=$((SECONDS + 3600))
    until [ "$(grep -c '^reloaded facts: ' "$log")" -ge "$k" ]; do
        kill -0 "$server" 2>/dev/null || { echo "the server exited:" >&2; cat "$log" >&2; exit 1; }
        [ $SECONDS -lt $deadline ] || { echo "no reload:" >&2; tail -20 "$log" >&2; exit 1; }
        sleep 0.1
    done
    line=$(grep '^reloaded facts: ' "$log" | sed -n "${k}p")
    echo "$line" >&2
    reloads+=("$(sed -n 's/.* graphs replaced in \([0-9]*\) ms.*/\1/p' <<<"$line")")
done
reload_ms=$(printf '%s\n' "${reloads[@]}" | sort -n | sed -n "$(( (REPEAT + 1) / 2 ))p")
peak=$(awk '/^VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$server/status" 2>/dev/null || echo "?")

echo "cold: $cold_ms ms in the log, $(awk -v a="$started" -v b="$answered" 'BEGIN {printf "%.1f", b - a}') s from start to the first HTTP answer; server peak RSS ${peak} MiB" >&2
awk -v n="$sources" -v c="$cold_ms" -v r="$reload_ms" '
function commas(x,   s, t) {
    s = sprintf("%d", x)
    while (length(s) > 3) { t = "," substr(s, length(s) - 2) t; s = substr(s, 1, length(s) - 3) }
    return s t
}
BEGIN { printf "| %s | %.2f | %.3f | %.2f %% |\n", commas(n), c / 1000, r / 1000, 100 * r / c }'
