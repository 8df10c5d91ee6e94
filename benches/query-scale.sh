#!/usr/bin/env bash
# Queries at scale (issue 18): `coalition query` after `build` with the persistent store, the named
# queries on `serve`, and the endpoint's throughput. Prints markdown tables for docs/BENCHMARKS.md.
#
#   bash benches/query-scale.sh                  # sizes 1000 and 10000
#   SIZES=1000 bash benches/query-scale.sh
#
# Needs a release binary built with the persistent store:
#   cargo build --release --features persistent      (BIN=path to use another one)
# and Debian `time`, `wrk`, `curl`. Environment: SIZES, WORK (scratch folder, default a temp dir),
# RUNS (repetitions per timed query, default 5), WRK_SECONDS (default 20), PARTS ("cli serve" by
# default; "serve" skips the CLI's build and queries). Not part of cargo test. The server gets a
# 4 GiB query memory budget, as docs/SERVE.md advises for large corpora: at 10,000 sources
# `who-said-what` grows it by about 1 GiB, the default budget.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZES=${SIZES:-"1000 10000"}
RUNS=${RUNS:-5}
WRK_SECONDS=${WRK_SECONDS:-20}
BIN=${BIN:-$ROOT/target/release/coalition}
WORK=${WORK:-$(mktemp -d /tmp/coalition-queries.XXXXXX)}
PORT=${PORT:-7979}
PARTS=${PARTS:-"cli serve"}
mkdir -p "$WORK"
log() { printf '[queries %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
for tool in /usr/bin/time wrk curl; do
    command -v "$tool" >/dev/null || { echo "$tool is required (Debian: time, wrk, curl)" >&2; exit 2; }
done
[ -x "$BIN" ] || { echo "no binary at $BIN: cargo build --release --features persistent" >&2; exit 2; }

# timed OUT CMD...: runs CMD under /usr/bin/time, stdout to OUT; prints "seconds maxrss_kib".
timed() {
    local out=$1
    shift
    /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" >"$out" 2>"$WORK/stderr" || {
        cat "$WORK/stderr" >&2
        return 1
    }
    tail -n 1 "$WORK/time"
}

# median of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

server=
cleanup() { [ -z "$server" ] || { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; } || true; }
trap cleanup EXIT

cli_rows=()
serve_rows=()
serve_starts=()
wrk_rows=()
for n in $SIZES; do
    corpus=$WORK/c$n
    cache=$WORK/cache$n
    rm -rf "$corpus" "$cache"
    log "synth $n sources"
    "$BIN" -q synth --sources "$n" --seed 7 --out "$corpus" >/dev/null
    facts=$corpus
    [ -d "$corpus/facts" ] && facts=$corpus/facts
    # Stamps younger than 2 s are not trusted (racy-git rule): let the new files settle.
    sleep 3
    if [[ " $PARTS " == *" cli "* ]]; then
    log "cold build"
    read -r build_s build_kib < <(timed "$WORK/build.out" "$BIN" -q --cache-dir "$cache" build --facts "$facts" --out "$WORK/graphs$n")
    log "who-signed after build ($RUNS runs: the answer the build kept ahead)"
    times=()
    for _ in $(seq "$RUNS"); do
        read -r s kib < <(timed "$WORK/who.csv" "$BIN" -q --cache-dir "$cache" query who-signed --facts "$facts" --format csv)
        times+=("$s")
        peak=$kib
    done
    query_s=$(printf '%s\n' "${times[@]}" | median)
    log "who-signed evaluated on the store ($RUNS runs, each a new question: nothing kept)"
    times=()
    for i in $(seq "$RUNS"); do
        read -r s kib < <(timed "$WORK/who-eval.csv" "$BIN" -q --cache-dir "$cache" query "$(cat "$ROOT/queries/who-signed.rq"; echo "# run $i")" --facts "$facts" --format csv)
        times+=("$s")
        eval_kib=$kib
    done
    eval_s=$(printf '%s\n' "${times[@]}" | median)
    log "who-signed in memory (today's way, the reference answer)"
    read -r mem_s mem_kib < <(timed "$WORK/who-ref.csv" "$BIN" -q --no-cache query who-signed --facts "$facts" --format csv)
    same=no
    cmp -s "$WORK/who.csv" "$WORK/who-ref.csv" && cmp -s "$WORK/who-eval.csv" "$WORK/who-ref.csv" && same=yes
    rows=$(($(wc -l <"$WORK/who.csv") - 1))
    log "one source edited, then who-signed"
    f=$(find "$facts" -name '*.yaml' -path '*sources*' | sort | awk 'NR == 1')
    sed -i '0,/title: /s//title: Edited /' "$f"
    read -r edit_s edit_kib < <(timed "$WORK/who-edit.csv" "$BIN" -q --cache-dir "$cache" query who-signed --facts "$facts" --format csv)
    cli_rows+=("| $n | $build_s | $query_s ($(awk -v q="$query_s" -v b="$build_s" 'BEGIN { printf "%.1f", 100 * q / b }') %) | $((peak / 1024)) | $eval_s / $((eval_kib / 1024)) | $rows | $same | $mem_s / $((mem_kib / 1024)) | $edit_s / $((edit_kib / 1024)) |")
    fi

    [[ " $PARTS " == *" serve "* ]] || continue
    log "serve"
    started=$(date +%s.%N)
    "$BIN" -q serve --facts "$facts" --bind "127.0.0.1:$PORT" --max-results 10000000 --timeout 120 --max-query-memory 4096 >"$WORK/serve.log" 2>&1 &
    server=$!
    for _ in $(seq 600); do
        curl -sf "http://127.0.0.1:$PORT/sparql?query=ASK%7B%7D" >/dev/null 2>&1 && break
        sleep 0.2
    done
    ready=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    # The named queries are answered ahead in the background once the graph is in service.
    for _ in $(seq 3000); do
        grep -q "named questions ahead" "$WORK/serve.log" && break
        sleep 0.2
    done
    ahead=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    hwm=$(awk '/VmHWM/ { print int($2 / 1024) }' "/proc/$server/status")
    rss=$(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$server/status")
    serve_starts+=("| $n | $ready | $ahead | $rss / $hwm | $(grep -o 'answered [0-9]* named questions ahead in [0-9]* ms.*' "$WORK/serve.log") |")
    for q in "$ROOT"/queries/*.rq; do
        name=$(basename "$q" .rq)
        enc=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(open(sys.argv[1]).read(), safe=""))' "$q")
        url="http://127.0.0.1:$PORT/sparql?query=$enc"
        first=$(curl -s -o /dev/null -w '%{time_total}' -H 'Accept: text/csv' "$url")
        ts=()
        for _ in $(seq "$RUNS"); do
            ts+=("$(curl -s -o /dev/null -w '%{time_total}' -H 'Accept: text/csv' "$url")")
        done
        p50=$(printf '%s\n' "${ts[@]}" | median)
        serve_rows+=("| $n | $name | $(awk -v s="$first" 'BEGIN { printf "%.1f", 1000 * s }') | $(awk -v s="$p50" 'BEGIN { printf "%.2f", 1000 * s }') |")
    done
    enc=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(open(sys.argv[1]).read(), safe=""))' "$ROOT/queries/who-signed.rq")
    for enc_header in "identity" "gzip"; do
        wrk -t2 -c16 -d"${WRK_SECONDS}s" --latency -H "Accept: application/sparql-results+json" \
            -H "Accept-Encoding: $enc_header" "http://127.0.0.1:$PORT/sparql?query=$enc" >"$WORK/wrk.txt"
        rps=$(awk '/Requests\/sec/ { print $2 }' "$WORK/wrk.txt")
        p50=$(awk '$1 == "50%" { print $2 }' "$WORK/wrk.txt")
        errors=$(awk '/Non-2xx|Socket errors/ { print }' "$WORK/wrk.txt" | tr '\n' ' ')
        wrk_rows+=("| $n | $enc_header | $rps | $p50 | ${errors:-none} |")
    done
    kill "$server"
    wait "$server" 2>/dev/null || true
    server=
done

echo "### coalition query after build (persistent store)"
echo
echo "| sources | cold build s | who-signed after build s (% of build) | its peak MiB | evaluated on the store s / MiB | rows | same answer | in memory: s / MiB | after one edit s / MiB |"
echo "|---:|---:|---:|---:|---:|---:|---|---:|---:|"
printf '%s\n' "${cli_rows[@]}"
echo
echo "### serve: in service, then every named query answered ahead (s after the start)"
echo
echo "| sources | in service | answered ahead | resident / peak MiB | its log line |"
echo "|---:|---:|---:|---:|---|"
printf '%s\n' "${serve_starts[@]}"
echo
echo "### Named queries on serve (ms; first request once answered ahead, then p50 of $RUNS)"
echo
echo "| sources | query | first | p50 |"
echo "|---:|---|---:|---:|"
printf '%s\n' "${serve_rows[@]}"
echo
echo "### GET /sparql who-signed under load (wrk -t2 -c16, ${WRK_SECONDS} s)"
echo
echo "| sources | Accept-Encoding | req/s | p50 | errors |"
echo "|---:|---|---:|---:|---|"
printf '%s\n' "${wrk_rows[@]}"
