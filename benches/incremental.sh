#!/usr/bin/env bash
# Times an incremental rebuild under `rapport serve`: from saving content/_index.md
# to the rebuilt dashboard being served, on a site with one generated export.
#   bash benches/incremental.sh [ROWS] [RUNS]      (defaults 1000000 and 5)
# Numbers go in BENCHMARKS.md, section "Incremental rebuild".
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
runs=${2:-5}
work=target/bench-$rows
source benches/site.sh
printf '+++\n+++\nCommentary.\n' > "$work/content/_index.md"
log="$work/serve.txt"
target/release/rapport serve --verbose --port 0 --root "$work" > "$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
until grep -q 'http://' "$log"; do sleep 0.1; done
url=$(grep -o 'http://[^ ]*' "$log" | head -1)
grep '^Built' "$log" | head -1 | sed 's/^/first build: /'
for run in $(seq 1 "$runs"); do
  marker="edit-$run-$RANDOM"
  start=$(date +%s%N)
  printf '+++\n+++\nCommentary %s.\n' "$marker" > "$work/content/_index.md"
  until curl -s "$url" | grep -q "$marker"; do sleep 0.005; done
  end=$(date +%s%N)
  echo "run $run: $(( (end - start) / 1000000 )) ms from save to served — $(grep '^Built' "$log" | tail -1)"
done
echo "stage timings of the last rebuild (--verbose):"
grep -E "^  [a-z]+ +[0-9.]+ ms" "$log" | tail -7
