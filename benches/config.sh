# Sourced by the benchmarks: write_config DIR writes DIR/site.toml, the demo's configuration
# without its content (same columns, same figures). Its events and its surveys sent (they
# count the demo's responses, not a generated export's) are left out; its KPI sheet is copied.
write_config() {
  mkdir -p "$1/content"
  python3 - site.toml > "$1/site.toml" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
# Drop whole tables: [[events]] entries and [sent] with its subtables.
out, skip = [], False
for line in text.splitlines(keepends=True):
    header = re.match(r"^\[\[?([A-Za-z_.]+)\]\]?", line)
    if header:
        skip = header.group(1) == "events" or header.group(1).split(".")[0] == "sent"
    if not skip:
        out.append(line)
sys.stdout.write("".join(out))
PY
  cp content/kpis.csv "$1/content/kpis.csv"
}
