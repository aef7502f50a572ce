#!/usr/bin/env bash
# Pages rendered per second on a site with many segment pages (issue 7's target: 2,000).
#   bash benches/pages.sh [ROWS] [AGENTS] [ACCOUNTS] [RUNS]    (defaults 200000, 300, 1200, 3)
# The export is benches/export.py's with AGENTS and ACCOUNTS values (each published value
# gets a page); the site is the demo's configuration. Reports the render stage of
# `rapport build --verbose` (every page's view, charts and template, in memory) and the
# whole build. Numbers go in BENCHMARKS.md, section "Pages per second".
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-200000}
agents=${2:-300}
accounts=${3:-1200}
runs=${4:-3}
work=target/bench-pages-$rows-$agents-$accounts
source benches/site.sh
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in $(seq 1 "$runs"); do
  target/release/rapport build --verbose --root "$work" > "$work/build.txt" 2>&1
  pages=$(grep -o 'Built [0-9]* pages' "$work/build.txt" | grep -o '[0-9]*')
  render=$(grep -E '^  render +[0-9.]+ ms' "$work/build.txt" | grep -oE '[0-9.]+')
  whole=$(grep -oE 'in [0-9.]+ m?s\.$' "$work/build.txt" | grep -oE '[0-9.]+ m?s')
  echo "run $run: $pages pages rendered in $render ms: $(python3 -c "print(round($pages / ($render / 1000)))") pages/s (whole build $whole)"
done
