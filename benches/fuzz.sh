#!/bin/sh
# Runs the two fuzz targets of tests/fuzz/ (the fact loader, the SPARQL endpoint) for SECONDS
# each on the release build and prints, per target: cases, failures, slowest case, peak RSS.
# Usage: benches/fuzz.sh [SECONDS_PER_TARGET]   (default 300: ten minutes in all)
# FUZZ_SEED picks the seed (default: the date, so each day explores new cases); failing inputs
# are written to tests/fixtures/hostile/fuzz/ (commit them: `cargo test` replays them).
# FUZZ_PROFILE=debug uses the debug build (no release build needed; cases run slower).
# Figures: docs/BENCHMARKS.md, "Fuzzing".
set -eu
secs=${1:-300}
cd "$(dirname "$0")/.."
seed=${FUZZ_SEED:-$(date +%Y%m%d)}
profile=--release
[ "${FUZZ_PROFILE:-release}" = debug ] && profile=
cargo test $profile --locked --test tests --no-run >/dev/null 2>&1
status=0
printf '| target | seconds | cases | failures | slowest case (ms) | peak RSS (MiB) |\n|---|---|---|---|---|---|\n'
for t in loader endpoint; do
    out=$(FUZZ_SECONDS=$secs FUZZ_SEED=$seed FUZZ_SAVE=1 cargo test $profile --locked --test tests \
        "fuzz::$t::fuzz_$t" -- --exact --nocapture --test-threads=1 2>&1) || status=1
    # The harness may print the line after its own `test … ` on the same line.
    line=$(printf '%s\n' "$out" | grep -o 'fuzz: target=.*' | tail -1)
    [ -n "$line" ] || { printf '%s\n' "$out" | tail -30 >&2; status=1; continue; }
    field() { printf '%s\n' "$line" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
    printf '| %s | %s | %s | %s | %s | %s |\n' "$t" "$secs" "$(field cases)" "$(field failures)" \
        "$(field slowest_ms)" "$(field peak_rss_mib)"
    printf '%s\n' "$out" | grep -oE '(fuzz: .*|.*failures:.*)' | sed 's/^/# /' >&2
done
echo "seed $seed" >&2
exit $status
