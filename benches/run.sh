#!/usr/bin/env bash
# Times a whole `rapport build` of a generated export and reports its peak memory.
#   bash benches/run.sh [ROWS]      (default 1000000)
# Numbers and the machine they were measured on go in BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
work=target/bench-$rows
source benches/site.sh
ls -l "$work/content/surveys/export.csv"
for run in 1 2 3; do
  /usr/bin/time -o "$work/time.txt" -f "%e s wall, %M KB peak" target/release/rapport build --root "$work" > "$work/build.txt" 2>&1
  echo "run $run: $(cat "$work/time.txt") — $(head -1 "$work/build.txt")"
done
