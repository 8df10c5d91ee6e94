#!/bin/sh
# Time and peak memory of `coalition check` on hostile input (docs/BENCHMARKS.md, "Hostile input").
# Usage: benches/hostile-input.sh [path/to/coalition]   (default: target/release/coalition)
# Needs GNU time (/usr/bin/time). Each case is generated in a temp dir, checked once, and removed.
set -eu
bin=$(realpath "${1:-target/release/coalition}")
[ -x "$bin" ] || { echo "no binary at $bin (cargo build --release)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Each case: a facts/ folder; the function writes it.
case_alias_bomb() {
    python3 - "$1/bomb.yaml" <<'PY'
import sys
lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
for i in range(1, 9):
    lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 9) + "]")
open(sys.argv[1], "w").write("\n".join(lines) + "\n")  # 9^9 = 387 million strings if expanded
PY
}
case_deep_nesting() {
    python3 -c "import sys; open(sys.argv[1],'w').write('entities: ' + '['*100000 + ']'*100000 + '\n')" "$1/deep.yaml"
}
case_deep_block_nesting() {
    # 2000 levels of indented mappings (4 MB): the parser refuses them at level 129.
    python3 -c "import sys; open(sys.argv[1],'w').write(''.join('  '*i + 'k:\n' for i in range(2000)))" "$1/deep.yaml"
}
case_100mb_fact_file() {
    # Real bytes, not a sparse file: every byte would have to be read if the loader did not stop.
    { echo "entities:"; yes "# padding padding padding padding padding padding padding" | head -c 104857600; } > "$1/huge.yaml"
}
case_15mb_fact_file() {
    # Just under the 16 MiB limit: read and parsed in full (an empty `entities:` and comments).
    { echo "entities:"; yes "# padding padding padding padding padding padding padding" | head -c 15728640; } > "$1/big.yaml"
}
case_100mb_source_text() {
    cat > "$1/s.yaml" <<'YAML'
entities:
  - {id: planet, kind: news_agency, name: Planet}
source: {id: s, title: T, publisher: planet, date: 2019, language: en, text: s.txt}
YAML
    yes "Friends of Privacy signed an open letter to Acme." | head -c 104857600 > "$1/s.txt"
}

printf '| case | exit | rule | time (s) | peak RSS (MiB) |\n|---|---|---|---|---|\n'
for c in alias_bomb deep_nesting deep_block_nesting 100mb_fact_file 15mb_fact_file 100mb_source_text; do
    rm -rf "$tmp/facts" && mkdir "$tmp/facts"
    "case_$c" "$tmp/facts"
    set +e
    /usr/bin/time -o "$tmp/time" -f '%e %M' "$bin" check --facts "$tmp/facts" >/dev/null 2>"$tmp/err"
    code=$?
    set -e
    rule=$(grep -o '^error\[C[0-9]*' "$tmp/err" | head -1 | cut -c7-)
    read -r secs kib <<EOT
$(tail -1 "$tmp/time")
EOT
    printf '| %s | %s | %s | %s | %s |\n' "$c" "$code" "${rule:--}" "$secs" "$(awk "BEGIN{printf \"%.1f\", $kib/1024}")"
done
