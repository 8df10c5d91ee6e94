#!/usr/bin/env bash
# Layout quality of the coalition diagram, embedded layout against Graphviz `dot` on the same DOT:
# edge crossings, picture area, total edge length, smallest text at page width (1240 px), and
# overlapping labels. Writes the table into docs/BENCHMARKS.md (section "Diagram layout quality").
# Usage: bash benches/diagram-quality.sh [FACTS_DIR]   (needs Graphviz `dot`)
set -euo pipefail
cd "$(dirname "$0")/.."
facts="${1:-seeds}"
table="$(cargo run -q --example diagram_quality -- "$facts")"
section="$(cat <<MD
## Diagram layout quality (\`benches/diagram-quality.sh\`)

Machine: $(nproc) cores, $(uname -sr); $(dot -V 2>&1); facts: \`$facts\`; $(date -u +%Y-%m-%d).
Command: \`bash benches/diagram-quality.sh\` (runs \`cargo run --example diagram_quality\`).
Both layouts are measured the same way (\`coalition::diagram::quality\`): crossings are points where
two drawn curves cross away from their ends; area and page scale use the whole picture (heading and
legend included; Graphviz points count as px); the legend's own sample edges are left out. Our
layout draws the relations between the same two places as one curve (the coalition block's
\`signed\` and \`criticizes\` relations of its members, \`leads, founded\`), Graphviz one per relation.

$table
MD
)"
python3 - "$section" <<'PY'
import re, sys
path = "docs/BENCHMARKS.md"
text = open(path, encoding="utf-8").read()
section = sys.argv[1].rstrip() + "\n"
pattern = re.compile(r"## Diagram layout quality.*?(?=\n## |\Z)", re.S)
if pattern.search(text):
    text = pattern.sub(lambda _: section, text, count=1)
else:
    text = text.rstrip() + "\n\n" + section
open(path, "w", encoding="utf-8").write(text)
PY
echo "$table"
