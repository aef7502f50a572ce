#!/usr/bin/env python3
"""Report of benches/compare.sh: timings, ratios, and the agreement check.

usage: python benches/compare.py OUT_DIR METRICS_JSON RUNS
Prints markdown; exits 1 when the three disagree on a month x channel cell.
"""
import json
import statistics
import sys

out, metrics_path, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
tools = ["rapport", "duckdb", "pandas"]
names = {"rapport": "`rapport build` (whole site)", "duckdb": "DuckDB `read_csv` + GROUP BY",
         "pandas": "pandas `read_csv` + groupby"}


def load(tool):
    walls, peaks = [], []
    for run in range(1, runs + 1):
        wall, kb = open(f"{out}/{tool}.time.{run}").read().split()
        walls.append(float(wall))
        peaks.append(int(kb) / 1024)
    work = [json.load(open(f"{out}/{tool}.{run}.json"))["work_seconds"] for run in range(1, runs + 1)] \
        if tool != "rapport" else None
    loads = [float(line.split()[1]) for line in open(f"{out}/{tool}.load")]
    return {"walls": walls, "peak": max(peaks), "work": work, "loads": loads}


t = {tool: load(tool) for tool in tools}
print(open(f"{out}/machine.txt").read().rstrip().replace("\n", "  \n"))
print()
print(f"| tool | wall, best of {runs} | wall, median | read + aggregate only (in-process) | peak RSS | load avg (1 min) at start of runs |")
print("|---|---|---|---|---|---|")
for tool in tools:
    r = t[tool]
    work = f"{min(r['work']):.2f} s best, {statistics.median(r['work']):.2f} s median" if r["work"] else "—"
    print(f"| {names[tool]} | {min(r['walls']):.2f} s | {statistics.median(r['walls']):.2f} s | {work} "
          f"| {r['peak']:.0f} MB | {', '.join(f'{x:.2f}' for x in r['loads'])} |")
print()
ra, du, pa = (t[x] for x in tools)


def ratio(a, b):
    return f"{a / b:.2f}×"


print("| ratio | best | median | target |")
print("|---|---|---|---|")
print(f"| rapport / DuckDB (process wall) | {ratio(min(ra['walls']), min(du['walls']))} "
      f"| {ratio(statistics.median(ra['walls']), statistics.median(du['walls']))} | ≤ 1× |")
print(f"| rapport / DuckDB query alone (in-process) | {ratio(min(ra['walls']), min(du['work']))} "
      f"| {ratio(statistics.median(ra['walls']), statistics.median(du['work']))} | ≤ 1× |")
print(f"| pandas / rapport (process wall) | {ratio(min(pa['walls']), min(ra['walls']))} "
      f"| {ratio(statistics.median(pa['walls']), statistics.median(ra['walls']))} | ≥ 10× |")
print(f"| rapport peak RSS | {ra['peak']:.0f} MB | | ≤ 150 MB at 10M rows, flat in rows |")

# Where rapport's time went (`--verbose` stage timings of its median run).
median_run = sorted(range(runs), key=lambda i: ra["walls"][i])[runs // 2] + 1
stages = [line.split() for line in open(f"{out}/rapport.log.{median_run}")
          if len(line.split()) == 3 and line.startswith("  ") and line.split()[2] == "ms"]
if stages:
    print(f"rapport stages, run {median_run} ({ra['walls'][median_run - 1]:.2f} s): "
          + ", ".join(f"{name} {float(ms) / 1000:.2f} s" for name, ms, _ in stages if float(ms) >= 1))
print()

# Agreement: every month x channel cell, rapport against DuckDB and pandas.
m = json.load(open(metrics_path))
rap = {}
for period in m["periods"]["month"]:
    for seg in period.get("segments", {}).get("channel", []):
        x = seg["metrics"]
        rap[(period["key"], seg["value"])] = {
            "n": x.get("responses"), "csat_n": x.get("csat", {}).get("n"), "csat_pct": x.get("csat", {}).get("percent"),
            "nps_n": x.get("nps", {}).get("n"), "nps": x.get("nps", {}).get("score"),
            "ces_n": x.get("ces", {}).get("n"), "ces_mean": x.get("ces", {}).get("mean")}
others = {tool: {(c["month"], c["channel"]): c for c in json.load(open(f"{out}/{tool}.1.json"))["cells"]}
          for tool in ["duckdb", "pandas"]}
fields = ["n", "csat_n", "csat_pct", "nps_n", "nps", "ces_n", "ces_mean"]
problems = []
keys = sorted(set(rap) | set(others["duckdb"]) | set(others["pandas"]))
for key in keys:
    cells = {"rapport": rap.get(key), "duckdb": others["duckdb"].get(key), "pandas": others["pandas"].get(key)}
    for tool, cell in cells.items():
        if cell is None:
            problems.append(f"{key[0]} {key[1]}: missing in {tool}")
    present = {k: v for k, v in cells.items() if v is not None}
    for f in fields:
        values = {k: v[f] for k, v in present.items()}
        ref = values.get("duckdb")
        for tool, v in values.items():
            if v is None or ref is None or abs(float(v) - float(ref)) > 1e-9 * max(1.0, abs(float(ref))):
                problems.append(f"{key[0]} {key[1]} {f}: " + ", ".join(f"{k} {w}" for k, w in values.items()))
                break
print(f"Agreement on month × channel cells (n, CSAT n and %, NPS n and score, CES n and mean): "
      f"{len(keys)} cells compared, {len(problems)} disagreements.")
print()
print("| cell | | n | CSAT % | NPS | CES mean |")
print("|---|---|---|---|---|---|")
for key in [keys[0], keys[len(keys) // 2], keys[-1]]:
    for tool, cell in [("rapport", rap.get(key)), ("duckdb", others["duckdb"].get(key)),
                       ("pandas", others["pandas"].get(key))]:
        if cell:
            print(f"| {key[0]} {key[1]} | {tool} | {cell['n']} | {cell['csat_pct']:.4f} | {cell['nps']:.4f} "
                  f"| {cell['ces_mean']:.4f} |")
for p in problems[:30]:
    print(f"DISAGREEMENT {p}")
if len(problems) > 30:
    print(f"... and {len(problems) - 30} more")
sys.exit(1 if problems else 0)
