#!/usr/bin/env bash
# The README picture: headless Chromium's screenshot of graphs/coalition.svg placed 1240 px wide
# (an A4 page at 150 dpi), written to docs/img/coalition.png. Run after `coalition build`.
# Chromium flags as in shared FACTS: no sandbox (root), no background networking.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp graphs/coalition.svg "$work/coalition.svg"
height="$(python3 - "$work/coalition.svg" <<'PY'
import re, sys
w, h = map(float, re.search(r'width="([\d.]+)" height="([\d.]+)"', open(sys.argv[1]).read()).groups())
print(round(1240 * h / w))
PY
)"
cat >"$work/index.html" <<HTML
<!doctype html><html><body style="margin:0;background:white">
<img src="coalition.svg" style="width:1240px;height:${height}px;display:block"></body></html>
HTML
mkdir -p docs/img
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/profile" --hide-scrollbars --window-size="1240,$height" \
  --screenshot="$PWD/docs/img/coalition.png" "file://$work/index.html" 2>/dev/null
echo "docs/img/coalition.png: 1240 × $height px"
