#!/bin/sh
# Time and peak memory of `coalition check` on hostile input (docs/BENCHMARKS.md, "Hostile input").
# Usage: benches/hostile-input.sh [path/to/coalition]   (default: target/release/coalition)
# Needs GNU time (/usr/bin/time). LIMIT=SECONDS stops a case after that long (default 600; exit 124). Each case is generated in a temp dir, checked once, and removed.
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

# Issue 19: cases that used to cost unbounded time or memory.
case_alias_bomb_padded() {
    # 1.5 million padding items make room under serde_yaml's repetition limit; 8-way aliases.
    python3 - "$1/bomb.yaml" <<'PY'
import sys
pad = ", ".join(["x"] * 1_500_000)
refs = ", ".join(["*p"] * 8)
open(sys.argv[1], "w").write(f"entities: []\nignored:\n  - text: &p [{pad}]\n  - text: [{refs}]\n")
PY
}
case_anchored_deep_nesting() {
    python3 -c "import sys; open(sys.argv[1],'w').write('z: &a ' + '['*100000 + ']'*100000 + '\n')" "$1/deep.yaml"
}
case_huge_unknown_id() {
    # A 100 kB unknown id among 2,000 entities: no "did you mean" search over it.
    python3 - "$1" <<'PY'
import sys
d = sys.argv[1]
ents = "".join(f"  - {{id: entity-{i}, kind: person, name: P{i}}}\n" for i in range(2000))
open(f"{d}/e.yaml", "w").write("entities:\n  - {id: planet, kind: news_agency, name: Planet}\n" + ents)
open(f"{d}/s.txt", "w").write("Friends signed.\n")
open(f"{d}/s.yaml", "w").write("source: {id: s, title: T, publisher: " + "q" * 100_000 +
    ", date: 2019, language: en, text: s.txt}\n")
PY
}
unused() {
    python3 -c "
import sys
n = int(sys.argv[2])
open(sys.argv[1], 'w').write('entities:\n' + ''.join(f'  - {{id: e-{i}, kind: person, name: P{i}}}\n' for i in range(n)))
" "$1/e.yaml" "$2"
}
case_20k_unused_entities() { unused "$1" 20000; }
case_100k_unused_entities() { unused "$1" 100000; }
case_500_wrong_quotes_16mb_text() {
    python3 - "$1" <<'PY'
import sys
d = sys.argv[1]
line = "Friends of Privacy signed an open letter to Acme about Faceprint.\n"
open(f"{d}/s.txt", "w").write(line * (16_500_000 // len(line)))
qs = "".join(f"  - {{id: q{i}, speaker: planet, text: \"Friends of Privacy signed a letter {i}\"}}\n" for i in range(500))
open(f"{d}/s.yaml", "w").write("entities:\n  - {id: planet, kind: news_agency, name: Planet}\n"
    "source: {id: s, title: T, publisher: planet, date: 2019, language: en, text: s.txt}\nquotations:\n" + qs)
PY
}
quotes_in_16mb_text() {
    # $2 quotations of one 16 MB text, each a sentence's start ($3: "" found, or "X" not found).
    python3 - "$1" "$2" "$3" <<'PY'
import sys
d, k, miss = sys.argv[1], int(sys.argv[2]), sys.argv[3]
line = "Sentence number {n} says that person {n} signed the letter.\n"
txt, size, n = [], 0, 0
while size < 16_000_000:
    l = line.format(n=n); txt.append(l); size += len(l); n += 1
open(f"{d}/s.txt", "w").write("".join(txt))
qs = "".join(f"  - {{id: q{i}, speaker: planet, text: \"Sentence number {i} says{miss}\"}}\n" for i in range(k))
open(f"{d}/s.yaml", "w").write("entities:\n  - {id: planet, kind: news_agency, name: Planet}\n"
    "source: {id: s, title: T, publisher: planet, date: 2019, language: en, text: s.txt}\nquotations:\n" + qs)
PY
}
case_100k_quotes_16mb_text() { quotes_in_16mb_text "$1" 100000 ""; }
case_100k_wrong_quotes_16mb_text() { quotes_in_16mb_text "$1" 100000 " X"; }
case_fifo_fact_file() {
    unused "$1" 10
    mkfifo "$1/pipe.yaml"
}
case_16mb_of_tiny_nodes() {
    # The most nodes a file under the cap can hold: 4 million one-letter list items.
    python3 -c "import sys; open(sys.argv[1],'w').write('ignored:\n' + '- x\n' * 4175000)" "$1/nodes.yaml"
}
# The stated bound for one file within the size cap: the shapes that cost the most per byte.
src_head() {
    # A registry of one entity and a source whose text is one line.
    printf 'entities:\n  - {id: planet, kind: news_agency, name: Planet}\n' > "$1/e.yaml"
    echo "Planet wrote." > "$1/s.txt"
    printf 'source: {id: s, title: T, publisher: planet, date: 2019, language: en, text: s.txt}\n' > "$1/s.yaml"
}
case_740k_bad_statements() {
    # 740,000 invalid statements (a scalar instead of a mapping): just under the node budget
    # (750,000) and the size cap, one error each.
    src_head "$1"
    { echo "statements:"; yes -- "- xxxxxxxxxxxxxxxxxxx" | head -n 740000; } >> "$1/s.yaml"
}
case_370k_unknown_sections() {
    # A top-level mapping of 370,000 unknown keys (740,000 nodes): one error each.
    python3 -c "import sys; open(sys.argv[1],'w').write(''.join(f'k{i:030}: xxxxxxxxxxx\n' for i in range(370000)))" "$1/keys.yaml"
}
case_370k_bad_labels() {
    # One entity whose `labels` mapping, on one 16 MB line, has 370,000 invalid language tags.
    python3 -c "
import sys
labels = ', '.join(f'x{i:020}x: ' + 'a' * 19 for i in range(370000))
open(sys.argv[1], 'w').write('entities:\n  - {id: a, kind: person, name: A, labels: {' + labels + '}}\n')
" "$1/labels.yaml"
}
case_one_16mb_scalar() {
    # One name of 16 million characters.
    python3 -c "import sys; open(sys.argv[1],'w').write('entities:\n  - {id: a, kind: person, name: ' + 'n' * 16_000_000 + '}\n')" "$1/name.yaml"
}
case_16mb_line() {
    # 740,000 invalid statements on one 16 MB line (a flow sequence).
    src_head "$1"
    python3 -c "import sys; open(sys.argv[1],'a').write('statements: [' + ', '.join(['x' * 20] * 740000) + ']\n')" "$1/s.yaml"
}
case_70k_unknown_references() {
    # 100,000 entities, and 70,000 statements (700,000 nodes) naming entities that do not exist.
    python3 - "$1" <<'PY'
import sys
d = sys.argv[1]
open(f"{d}/e.yaml", "w").write("entities:\n  - {id: planet, kind: news_agency, name: Planet}\n" +
    "".join(f"  - {{id: person-{i}, kind: person, name: P{i}}}\n" for i in range(100000)))
open(f"{d}/s.txt", "w").write("Planet wrote.\n")
st = "".join(f"  - {{subject: nobody-{i}, predicate: signs, object: planet, evidence: [Planet wrote]}}\n" for i in range(70000))
open(f"{d}/s.yaml", "w").write("source: {id: s, title: T, publisher: planet, date: 2019, language: en, text: s.txt}\nstatements:\n" + st)
PY
}
case_8_files_of_740k_bad_items() {
    # Eight files like 740k_bad_statements' list (128 MB in all), on two cores.
    for k in 1 2 3 4 5 6 7 8; do
        { echo "statements:"; yes -- "- xxxxxxxxxxxxxxxxxxx" | head -n 740000; } > "$1/f$k.yaml"
    done
}
# The stated bound: folders of growing size (every file within the cap), checked in time linear
# in their size. Each unit: 5,000 entities (4,600 unused), a 2 MB text, 200 quotes half wrong.
scaled() {
    python3 - "$1" "$2" <<'PY'
import sys
d, k = sys.argv[1], int(sys.argv[2])
line = "Sentence number {n} says that person {n} signed the letter.\n"
for u in range(k):
    ents = "".join(f"  - id: p{u}-{i}\n    kind: person\n    name: Person {i}\n" for i in range(5000))
    open(f"{d}/e{u}.yaml", "w").write("entities:\n  - {id: planet" + str(u) + ", kind: news_agency, name: Planet}\n" + ents)
    txt, n = [], 0
    size = 0
    while size < 2_000_000:
        l = line.format(n=n); txt.append(l); size += len(l); n += 1
    open(f"{d}/s{u}.txt", "w").write("".join(txt))
    qs = []
    for i in range(100):
        said = i * (n // 100)
        qs.append(f"  - {{id: q{u}-{i}, speaker: p{u}-{i}, text: \"Sentence number {said} says\"}}\n")
        qs.append(f"  - {{id: w{u}-{i}, speaker: p{u}-{i + 100}, text: \"Sentence number {said} SAYS so\"}}\n")
    open(f"{d}/s{u}.yaml", "w").write(f"source: {{id: s{u}, title: T, publisher: planet{u}, date: 2019, language: en, text: s{u}.txt}}\nquotations:\n" + "".join(qs))
PY
}
case_scaled_1() { scaled "$1" 1; }
case_scaled_2() { scaled "$1" 2; }
case_scaled_4() { scaled "$1" 4; }
case_scaled_8() { scaled "$1" 8; }

cases=${CASES:-"alias_bomb deep_nesting deep_block_nesting 100mb_fact_file 15mb_fact_file 100mb_source_text alias_bomb_padded anchored_deep_nesting huge_unknown_id 20k_unused_entities 100k_unused_entities 500_wrong_quotes_16mb_text 100k_quotes_16mb_text 100k_wrong_quotes_16mb_text fifo_fact_file 16mb_of_tiny_nodes 740k_bad_statements 370k_unknown_sections 370k_bad_labels one_16mb_scalar 16mb_line 70k_unknown_references 8_files_of_740k_bad_items scaled_1 scaled_2 scaled_4 scaled_8"}
printf '| case | input (MB) | exit | rule | time (s) | peak RSS (MiB) |\n|---|---|---|---|---|---|\n'
for c in $cases; do
    rm -rf "$tmp/facts" && mkdir "$tmp/facts"
    "case_$c" "$tmp/facts"
    set +e
    mb=$(du -sm --apparent-size "$tmp/facts" 2>/dev/null | cut -f1)
    # `timeout`: a case that hangs (a pipe read) is reported as exit 124, not waited for.
    # Run in the temp dir, with the cache (the default): it is created there and removed with it.
    (cd "$tmp" && rm -rf .coalition-cache && /usr/bin/time -o "$tmp/time" -f '%e %M' \
        timeout "${LIMIT:-600}" "$bin" check --facts facts >/dev/null 2>"$tmp/err")
    code=$?
    set -e
    rule=$(grep -o '^error\[C[0-9]*' "$tmp/err" | head -1 | cut -c7-)
    read -r secs kib <<EOT
$(tail -1 "$tmp/time")
EOT
    printf '| %s | %s | %s | %s | %s | %s |\n' "$c" "$mb" "$code" "${rule:--}" "$secs" "$(awk "BEGIN{printf \"%.1f\", $kib/1024}")"
done
