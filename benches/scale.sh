#!/usr/bin/env bash
# Scale benchmark of `coalition check` and `coalition build`, with their limits and peers, in one
# run. Writes the "Scale" section of docs/BENCHMARKS.md.
#
#   bash benches/scale.sh                 # sizes 100, 1000, 10000 (see the memory guard below)
#   SIZES="100 1000" bash benches/scale.sh
#
# Needs: cargo, python3 with PyYAML; installs Debian `time`, PyPI `pyoxigraph` and `linkml` when
# missing. Environment: SIZES, PEER_TIMEOUT (seconds per peer run, default 180), WORK (scratch
# folder, default a temp dir), CARGO_TARGET_DIR. Not part of `cargo test` or .ci/run.
#
# Memory guard: the largest size runs only if the peak memory measured for `build` at the size
# before it, scaled linearly, fits in 70 % of the available memory; otherwise it drops to 5,000
# and then to the largest multiple of 1,000 that fits. The report says when this happened.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZES=${SIZES:-"100 1000 10000"}
PEER_TIMEOUT=${PEER_TIMEOUT:-180}
WORK=${WORK:-$(mktemp -d /tmp/coalition-scale.XXXXXX)}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=$TARGET/release/coalition
LIMIT=$TARGET/release/examples/scale_limit
RESULTS=$WORK/results.tsv
mkdir -p "$WORK"
: >"$RESULTS"

log() { printf '[scale %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# --- Tools ----------------------------------------------------------------------------------
if [ ! -x /usr/bin/time ]; then
    log "installing Debian time"
    apt-get install -y time >/dev/null || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi
python3 -c 'import yaml; yaml.CLoader' || { echo "PyYAML with the C loader is required" >&2; exit 2; }
python3 -c 'import pyoxigraph' 2>/dev/null || pip install -q pyoxigraph
command -v linkml-convert >/dev/null || pip install -q linkml

log "building release (once)"
(cd "$ROOT" && cargo build --release --quiet --bin coalition --example scale_limit)

# record SIZE KEY VALUE
record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$RESULTS"; }

# measure SIZE NAME CMD...: runs CMD under /usr/bin/time; records NAME.wall (s) and NAME.rss
# (KiB); keeps stdout and stderr in $WORK/NAME-SIZE.{out,err}. Returns CMD's status.
measure() {
    local size=$1 name=$2
    shift 2
    local out=$WORK/$name-$size
    local status=0
    local start end
    start=$(date +%s%N)
    /usr/bin/time -f '%e %M' -o "$out.time" "$@" >"$out.out" 2>"$out.err" || status=$?
    end=$(date +%s%N)
    local wall rss
    read -r _ rss < <(tail -n 1 "$out.time")
    wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    record "$size" "$name.wall" "$wall"
    record "$size" "$name.rss" "$rss"
    record "$size" "$name.status" "$status"
    # Stage timings printed by `-v` (timing: STAGE SECONDS s).
    grep '^timing: ' "$out.err" | while read -r _ stage secs _; do
        record "$size" "$name.stage.$stage" "$secs"
    done || true
    return $status
}

# The largest size that fits in memory, from the peak RSS per source measured at `prev`.
fits() {
    local size=$1 prev=$2
    local rss
    rss=$(awk -F'\t' -v s="$prev" '$1==s && $2=="build_cold.rss" {print $3}' "$RESULTS")
    local avail
    avail=$(awk '/MemAvailable/ {print $2}' /proc/meminfo)
    awk -v r="$rss" -v p="$prev" -v s="$size" -v a="$avail" 'BEGIN { exit !(r / p * s <= 0.7 * a) }'
}

prev=""
for requested in $SIZES; do
    size=$requested
    if [ -n "$prev" ] && ! fits "$size" "$prev"; then
        size=5000
        if ! fits "$size" "$prev"; then
            avail=$(awk '/MemAvailable/ {print $2}' /proc/meminfo)
            rss=$(awk -F'\t' -v s="$prev" '$1==s && $2=="build_cold.rss" {print $3}' "$RESULTS")
            size=$(awk -v r="$rss" -v p="$prev" -v a="$avail" 'BEGIN { n = int(0.7 * a / (r / p) / 1000) * 1000; print (n < 1000 ? 1000 : n) }')
        fi
        log "$requested sources would not fit in memory: running $size instead"
        record "$size" requested "$requested"
    fi
    c=$WORK/c$size
    log "size $size: generating"
    rm -rf "$c" "$WORK/cache$size"
    "$BIN" --quiet synth --sources "$size" --out "$c"
    record "$size" bytes "$(du -sb "$c" | cut -f1)"
    cache=(--cache-dir "$WORK/cache$size")

    log "size $size: cold check and build"
    measure "$size" check_cold "$BIN" -v check --no-cache --facts "$c"
    measure "$size" build_cold "$BIN" -v "${cache[@]}" build --no-cache --facts "$c" --out "$WORK/g$size"
    quads=$(sed -n 's/.*: \([0-9]*\) quads in.*/\1/p' "$WORK/build_cold-$size.err")
    record "$size" quads "$quads"
    record "$size" nq_bytes "$(stat -c %s "$WORK/g$size/coalition.nq")"

    log "size $size: incremental check and build after editing one source"
    measure "$size" build_fill "$BIN" -v "${cache[@]}" build --facts "$c" --out "$WORK/g$size"
    measure "$size" check_fill "$BIN" -v "${cache[@]}" check --facts "$c"
    sed -i '0,/^  title: /s/^  title: \(.*\)$/  title: \1 (edited)/' "$c/sources/synth-00001.yaml"
    measure "$size" check_incr "$BIN" -v "${cache[@]}" check --facts "$c"
    sed -i '0,/^  title: /s/^  title: \(.*\)$/  title: \1 (again)/' "$c/sources/synth-00001.yaml"
    measure "$size" build_incr "$BIN" -v "${cache[@]}" build --facts "$c" --out "$WORK/g$size"

    log "size $size: the same output as linkml-convert (Turtle alone)"
    measure "$size" export_ttl "$BIN" -q --no-cache export --format turtle --facts "$c" -o "$WORK/export$size.ttl"
    rm -f "$WORK/export$size.ttl"

    log "size $size: serve --watch, cold load and reload after editing one source"
    if bash "$ROOT/benches/watch-reload.sh" "$c" "$BIN" >"$WORK/reload-$size.out" 2>"$WORK/reload-$size.err"; then
        # One markdown row: | sources | cold load s | reload s | reload % of cold |
        IFS='|' read -r _ _ cold reload _ < <(grep '^|' "$WORK/reload-$size.out" | tail -n 1)
        record "$size" serve_cold "$(echo $cold)"
        record "$size" serve_reload "$(echo $reload)"
    else
        log "size $size: watch-reload failed (see $WORK/reload-$size.err)"
    fi

    log "size $size: limits"
    measure "$size" limit_yaml "$LIMIT" yaml "$c"
    record "$size" limit_yaml.inner "$(sed -n 's/^limit: yaml \([0-9.]*\) s.*/\1/p' "$WORK/limit_yaml-$size.out")"
    measure "$size" limit_load "$LIMIT" load "$WORK/g$size/coalition.nq"
    record "$size" limit_load.inner "$(sed -n 's/^limit: load \([0-9.]*\) s.*/\1/p' "$WORK/limit_load-$size.out")"

    log "size $size: named queries"
    if [ "$size" -le 1000 ]; then runs=20 budget=10; else runs=5 budget=5; fi
    record "$size" query_runs "$runs"
    record "$size" query_budget "$budget"
    record "$size" query_timeout 20
    measure "$size" queries "$BIN" -v --no-cache bench-queries --facts "$c" --queries "$ROOT/queries" --runs "$runs" --timeout 20 --budget "$budget" || true
    record "$size" load.inner "$(sed -n 's/^load: [0-9]* quads in \([0-9.]*\) s/\1/p' "$WORK/queries-$size.out")"
    sed -n 's/^query \([^:]*\): p50 \([0-9.]*\) ms, p95 \([0-9.]*\) ms.*/\1 \2 \3/p' "$WORK/queries-$size.out" |
        while read -r q p50 p95; do
            record "$size" "query.$q.p50" "$p50"
            record "$size" "query.$q.p95" "$p95"
        done
    sed -n 's/^query \([^:]*\): cancelled after \([0-9.]*\) s/\1 \2/p' "$WORK/queries-$size.out" |
        while read -r q secs; do record "$size" "query.$q.cancelled" "$secs"; done

    # Peers run only where the previous size predicts they finish within PEER_TIMEOUT;
    # elsewhere the report extrapolates linearly from the largest size they finished.
    for peer in python linkml; do
        last=$(awk -F'\t' -v k="peer_$peer.wall" '$2==k {s=$1; w=$3} END {if (s) print s, w}' "$RESULTS")
        if [ -n "$last" ]; then
            predicted=$(echo "$last" | awk -v n="$size" '{print $2 / $1 * n}')
            if awk -v p="$predicted" -v t="$PEER_TIMEOUT" 'BEGIN { exit !(p > t) }'; then
                log "size $size: $peer peer skipped (predicted ${predicted%.*} s > ${PEER_TIMEOUT} s)"
                record "$size" "peer_$peer.skipped" "$predicted"
                continue
            fi
        fi
        log "size $size: $peer peer"
        if [ "$peer" = python ]; then
            if measure "$size" peer_python_run timeout "$PEER_TIMEOUT" python3 "$ROOT/benches/peer_pyoxigraph.py" "$c" "$WORK/py$size" "$ROOT"; then
                record "$size" peer_python.wall "$(awk -F'\t' -v s="$size" '$1==s && $2=="peer_python_run.wall" {print $3}' "$RESULTS")"
                record "$size" peer_python.rss "$(awk -F'\t' -v s="$size" '$1==s && $2=="peer_python_run.rss" {print $3}' "$RESULTS")"
                record "$size" peer_python.quads "$(cat "$WORK/peer_python_run-$size.out")"
            else
                record "$size" peer_python.timeout "$PEER_TIMEOUT"
            fi
        else
            python3 "$ROOT/benches/linkml/gather.py" "$c" "$WORK/corpus$size.yaml"
            if measure "$size" peer_linkml_run timeout "$PEER_TIMEOUT" linkml-convert -s "$ROOT/benches/linkml/facts.yaml" -C Corpus -t ttl -o "$WORK/linkml$size.ttl" "$WORK/corpus$size.yaml"; then
                record "$size" peer_linkml.wall "$(awk -F'\t' -v s="$size" '$1==s && $2=="peer_linkml_run.wall" {print $3}' "$RESULTS")"
                record "$size" peer_linkml.rss "$(awk -F'\t' -v s="$size" '$1==s && $2=="peer_linkml_run.rss" {print $3}' "$RESULTS")"
            else
                record "$size" peer_linkml.timeout "$PEER_TIMEOUT"
            fi
        fi
    done
    rm -rf "$WORK/py$size" "$WORK/linkml$size.ttl" "$WORK/corpus$size.yaml"
    prev=$size
done

log "writing docs/BENCHMARKS.md"
python3 "$ROOT/benches/report.py" "$RESULTS" "$ROOT/docs/BENCHMARKS.md" "$PEER_TIMEOUT"
log "done: results in $RESULTS"
