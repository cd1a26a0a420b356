#!/usr/bin/env bash
# Opens the standard pipeline's report in headless Chromium (Debian's `chromium`,
# installed by tools/setup.sh) and checks that the page loads without console errors
# or blocked requests, that the maps and the region cards are in the rendered DOM,
# and that the screenshot is not blank. Usage: page_test.sh BRE PIPELINE.json
set -euo pipefail
bre=$1
pipeline=$2
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "page test: chromium is not installed; run tools/setup.sh" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bre" run "$pipeline" --out "$work/run" --quiet
report="$work/run/report.html"
[ -s "$report" ] || { echo "page test: $report was not written" >&2; exit 1; }

flags=(--headless --no-sandbox --disable-gpu --no-first-run --no-default-browser-check
       --user-data-dir="$work/profile" --enable-logging=stderr --v=0)
timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$report" >"$work/dom.html" 2>"$work/dom.log" || true
timeout 120 "$browser" "${flags[@]}" --window-size=1400,3000 --screenshot="$work/shot.png" "file://$report" \
  >/dev/null 2>"$work/shot.log" || true

fail=0
# Console messages and Content-Security-Policy violations (a fetch the page tried).
if grep -E "CONSOLE|Refused to|Uncaught|net::ERR_" "$work/dom.log" "$work/shot.log"; then
  echo "page test: the page logged errors (above)" >&2
  fail=1
fi
regions=$(grep -c '^R[0-9]' <(cut -d, -f1 "$work/run/bre.partition.csv" | sort -u) || true)
cards=$(grep -o 'class="region-card"' "$work/dom.html" | wc -l || true)
maps=$(grep -o '<figure class="map"' "$work/dom.html" | wc -l || true)
echo "page test: $cards region cards for $regions regions, $maps maps in the rendered DOM"
if [ "$cards" -ne "$regions" ] || [ "$cards" -eq 0 ]; then
  echo "page test: expected one region card per region" >&2
  fail=1
fi
if [ "$maps" -lt 2 ]; then
  echo "page test: expected the network and the BRE map" >&2
  fail=1
fi
grep -q 'id="methods"' "$work/dom.html" || { echo "page test: methods section missing" >&2; fail=1; }
if [ ! -s "$work/shot.png" ]; then
  echo "page test: no screenshot" >&2
  fail=1
else
  # A blank page compresses to almost nothing; a rendered report is far larger.
  size=$(stat -c %s "$work/shot.png")
  echo "page test: screenshot $size bytes"
  [ "$size" -gt 50000 ] || { echo "page test: the screenshot looks blank" >&2; fail=1; }
fi
exit $fail
