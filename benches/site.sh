# Sourced by the benchmarks: builds the release binary and sets up, in $work, a site
# like the demo's with one generated export of $rows rows (and, when $agents and $accounts
# are set, that many values of those two dimensions).
cargo build --release --quiet
mkdir -p "$work/content/surveys"
# The export is regenerated when missing, when benches/export.py changed since, or when
# it was made with other arguments.
values=()
if [ -n "${agents:-}" ]; then values=("$agents" "$accounts"); fi
stamp="$(sha256sum benches/export.py | cut -d' ' -f1) $rows${values[*]:+ ${values[*]}}"
if [ ! -s "$work/content/surveys/export.csv" ] || [ "$(cat "$work/export.stamp" 2>/dev/null)" != "$stamp" ]; then
  echo "generating $rows rows${values[*]:+ (${values[0]} agents, ${values[1]} accounts)} into $work/content/surveys/export.csv (benches/export.py)" >&2
  python3 benches/export.py "$rows" "$work/export.csv.tmp" "${values[@]}"
  mv "$work/export.csv.tmp" "$work/content/surveys/export.csv"
  echo "$stamp" > "$work/export.stamp"
fi
source benches/config.sh
write_config "$work"
