#!/usr/bin/env bash
# The warehouse path's fixtures (docs/warehouse.md), made by DuckDB from raw exports:
# docs/warehouse/duckdb.sql run on each folder of exports below, its aggregated.csv
# written to (or, with --check, compared with) the committed fixture.
#
#   bash tools/aggregate-demo.sh           regenerate the fixtures (after changing the demo or the query)
#   bash tools/aggregate-demo.sh --check   exit 1 when the query's output differs from a fixture (CI)
#
# tests/aggregated.rs builds each raw site and its aggregated twin and compares their
# metrics.json, so together they keep the query and rapport in step. DuckDB comes from
# tools/aggregate-requirements.txt, installed with pip into target/aggregate-venv.
set -euo pipefail
cd "$(dirname "$0")/.."
check=false
case "${1:-}" in
  --check) check=true ;;
  "") ;;
  *) echo "usage: bash tools/aggregate-demo.sh [--check]" >&2; exit 2 ;;
esac
command -v python3 > /dev/null || { echo "aggregate-demo.sh: python3 is required but not found" >&2; exit 2; }

venv=target/aggregate-venv
stamp="$(sha256sum tools/aggregate-requirements.txt | cut -d' ' -f1)"
if [ "$(cat "$venv/requirements.stamp" 2>/dev/null)" != "$stamp" ]; then
  echo "installing DuckDB into $venv (tools/aggregate-requirements.txt)" >&2
  python3 -m venv "$venv" || { echo "aggregate-demo.sh: python3 -m venv failed (on Debian: apt-get install python3-venv)" >&2; exit 2; }
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r tools/aggregate-requirements.txt \
    || { echo "aggregate-demo.sh: pip could not install tools/aggregate-requirements.txt (is PyPI reachable?)" >&2; exit 2; }
  echo "$stamp" > "$venv/requirements.stamp"
fi

root="$PWD"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
status=0
# (folder holding content/surveys/*.csv, fixture the query's output must equal)
for pair in ".:tests/fixtures/aggregated/northwind.csv" \
            "tests/fixtures/aggregated/edge:tests/fixtures/aggregated/edge/aggregated.csv"; do
  site="${pair%%:*}" fixture="${pair#*:}"
  rm -rf "$work/site" && mkdir -p "$work/site/content"
  ln -s "$root/$site/content/surveys" "$work/site/content/surveys"
  (cd "$work/site" && "$root/$venv/bin/python" -c 'import duckdb, sys; duckdb.connect().execute(sys.stdin.read())' \
    < "$root/docs/warehouse/duckdb.sql")
  if $check; then
    if cmp -s "$work/site/aggregated.csv" "$fixture"; then
      echo "$fixture: DuckDB gives the same table"
    else
      echo "aggregate-demo.sh: docs/warehouse/duckdb.sql no longer gives $fixture:" >&2
      diff "$fixture" "$work/site/aggregated.csv" | head -20 >&2 || true
      echo "run bash tools/aggregate-demo.sh, check that cargo test --test aggregated passes, and commit" >&2
      status=1
    fi
  else
    cp "$work/site/aggregated.csv" "$fixture"
    echo "wrote $fixture ($(($(wc -l < "$fixture") - 1)) rows)"
  fi
done
exit $status
