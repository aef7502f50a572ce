#!/usr/bin/env bash
# Times an incremental rebuild under `rapport serve`: from saving a file to the page it
# changes being served, on a site with one generated export.
#   bash benches/incremental.sh [ROWS] [RUNS] [EDIT]      (defaults 1000000, 5, commentary)
# EDIT is what is saved:
#   commentary  content/_index.md            (checks the dashboard)
#   template    templates/methodology.html   (one page's template; checks /methodology/)
#   base        templates/base.html          (every page's template; checks the dashboard)
# Numbers go in BENCHMARKS.md, section "Incremental rebuild".
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
runs=${2:-5}
edit=${3:-commentary}
work=target/bench-$rows
source benches/site.sh
printf '+++\n+++\nCommentary.\n' > "$work/content/_index.md"
rm -rf "$work/templates"
case "$edit" in
  commentary) file=content/_index.md; page="" ;;
  template) file=templates/methodology.html; page=methodology/ ;;
  base) file=templates/base.html; page="" ;;
  *) echo "EDIT is commentary, template or base, not $edit" >&2; exit 2 ;;
esac
# Saves $file with the marker in it: commentary as the dashboard's text, a template as an
# HTML comment in the theme's own text.
save() {
  if [ "$edit" = commentary ]; then
    printf '+++\n+++\nCommentary %s.\n' "$1" > "$work/$file"
  else
    mkdir -p "$work/templates"
    if [ "$edit" = base ]; then
      { cat "themes/default/$file"; printf '<!-- %s -->\n' "$1"; } > "$work/$file.tmp"
    else
      # Inside the content block: a child template has nothing outside its blocks.
      sed "0,/{% block content %}/s||{% block content %}<!-- $1 -->|" "themes/default/$file" > "$work/$file.tmp"
    fi
    mv "$work/$file.tmp" "$work/$file"
  fi
}
save start
log="$work/serve.txt"
target/release/rapport serve --verbose --port 0 --root "$work" > "$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work/templates"' EXIT
until grep -q 'http://' "$log"; do sleep 0.1; done
url=$(grep -o 'http://[^ ]*' "$log" | head -1)$page
grep '^Built' "$log" | head -1 | sed 's/^/first build: /'
echo "saving $file, checking $url; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for run in $(seq 1 "$runs"); do
  marker="edit-$run-$RANDOM"
  start=$(date +%s%N)
  save "$marker"
  until curl -s "$url" | grep -q "$marker"; do sleep 0.005; done
  end=$(date +%s%N)
  echo "run $run: $(( (end - start) / 1000000 )) ms from save to served — $(grep '^Built' "$log" | tail -1)"
  sleep 0.5
done
echo "stage timings of the last rebuild (--verbose):"
grep -E "^  [a-z]+ +[0-9.]+ ms" "$log" | tail -7
