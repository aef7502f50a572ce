# Sourced by the benchmarks: builds the release binary and sets up, in $work, a site
# like the demo's with one generated export of $rows rows.
cargo build --release --quiet
mkdir -p "$work/content/surveys"
if [ ! -s "$work/content/surveys/export.csv" ]; then
  python3 benches/export.py "$rows" "$work/content/surveys/export.csv"
fi
# The demo's configuration without its content: same columns, same figures.
grep -v -e '^\[\[events\]\]' -e '^date = ' -e '^title = "Video' -e '^window_days' site.toml > "$work/site.toml"
