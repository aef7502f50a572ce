#!/usr/bin/env bash
# rapport against DuckDB and pandas on the same export (issue 7).
#   bash benches/compare.sh [ROWS] [RUNS]      (defaults 1000000 and 3; 10000000 works too)
#
# 1. builds the release binary and generates a deterministic export of ROWS rows
#    (benches/site.sh, benches/export.py) unless it is already there;
# 2. installs the pinned DuckDB and pandas (benches/requirements.txt) into
#    target/bench-venv (pip, never global);
# 3. times, RUNS times each, with /usr/bin/time (wall clock, peak RSS):
#    a whole `rapport build`, and the month x channel aggregation
#    (n, CSAT %, NPS, CES mean; benches/aggregate.py) in DuckDB and in pandas;
# 4. checks that the three agree on every month x channel cell (rapport's
#    from public/data/metrics.json) and prints a table with the ratios.
# The table (markdown) is also written to target/bench-ROWS/compare/report.md.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
runs=${2:-3}
case "$rows$runs" in *[!0-9]*) echo "usage: bash benches/compare.sh [ROWS] [RUNS]" >&2; exit 2;; esac
for tool in cargo python3 /usr/bin/time sha256sum; do
  command -v "$tool" > /dev/null || { echo "compare.sh: $tool is required but not found" >&2; exit 2; }
done
work=target/bench-$rows
source benches/site.sh
csv="$work/content/surveys/export.csv"
out="$work/compare"
rm -rf "$out" && mkdir -p "$out"

venv=target/bench-venv
stamp="$(sha256sum benches/requirements.txt | cut -d' ' -f1)"
if [ "$(cat "$venv/requirements.stamp" 2>/dev/null)" != "$stamp" ]; then
  echo "installing DuckDB and pandas into $venv (benches/requirements.txt)" >&2
  python3 -m venv "$venv" || { echo "compare.sh: python3 -m venv failed (on Debian: apt-get install python3-venv)" >&2; exit 2; }
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r benches/requirements.txt \
    || { echo "compare.sh: pip could not install benches/requirements.txt (is PyPI reachable?)" >&2; exit 2; }
  echo "$stamp" > "$venv/requirements.stamp"
fi
py="$venv/bin/python"

{
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/^Mem:/ {print $2}') GiB"
  echo "os: $(. /etc/os-release && echo "$PRETTY_NAME"), $(rustc --version), Python $("$py" -c 'import platform; print(platform.python_version())')"
  echo "rapport: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src 2>/dev/null || echo ' (src modified)')"
  echo "export: $csv, $(stat -c %s "$csv") bytes, sha256 $(sha256sum "$csv" | cut -c1-16)…"
} > "$out/machine.txt"
cat "$out/machine.txt"

timed() { # name run command...
  local name=$1 run=$2; shift 2
  echo "$(date -u +%H:%M:%S) $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/$name.load"
  if ! /usr/bin/time -o "$out/$name.time.$run" -f "%e %M" "$@" > "$out/$name.log.$run" 2>&1; then
    echo "compare.sh: $name failed (run $run):" >&2; tail -20 "$out/$name.log.$run" >&2; exit 1
  fi
  echo "  $name run $run: $(awk '{printf "%s s wall, %d MB peak", $1, $2/1024}' "$out/$name.time.$run") (load $(tail -1 "$out/$name.load" | cut -d' ' -f2-))"
}
# Interleaved (rapport, DuckDB, pandas, rapport, ...) so that load from other
# processes on the machine falls on all three alike.
for run in $(seq 1 "$runs"); do
  timed rapport "$run" target/release/rapport build --verbose --root "$work"
  timed duckdb "$run" "$py" benches/aggregate.py duckdb "$csv" "$out/duckdb.$run.json"
  timed pandas "$run" "$py" benches/aggregate.py pandas "$csv" "$out/pandas.$run.json"
done
"$py" benches/compare.py "$out" "$work/public/data/metrics.json" "$runs" | tee "$out/report.md"
