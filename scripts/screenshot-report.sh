#!/usr/bin/env bash
# Renders an output folder's report.html with headless Chromium (Debian's `chromium` package:
# `apt-get install chromium`) to PNG files at desktop and phone widths, for a person to look at.
# Not part of .ci/run.
#
#   scripts/screenshot-report.sh [OUTPUT_DIR] [PNG_DIR]     (defaults: output, docs/screenshots)
set -euo pipefail
out="${1:-output}"
shots="${2:-docs/screenshots}"
report="$(cd "$out" && pwd)/report.html"
[ -f "$report" ] || { echo "no report at $report: run 'cargo run --release -- run' first" >&2; exit 1; }
browser="$(command -v chromium || command -v chromium-browser || true)"
[ -n "$browser" ] || { echo "chromium not found: apt-get install chromium" >&2; exit 1; }
mkdir -p "$shots"
# name width height: the top of the page, and the whole page (tall) at each width.
while read -r name width height; do
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size="$width,$height" --screenshot="$shots/$name.png" "file://$report" 2>/dev/null
  echo "$shots/$name.png (${width}x${height})"
done <<'SIZES'
desktop-top 1280 1000
desktop-full 1280 9000
phone-top 390 844
phone-full 390 12000
SIZES
