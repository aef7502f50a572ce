#!/usr/bin/env python3
"""The month x channel aggregation of benches/compare.sh, in DuckDB or pandas.

usage: python benches/aggregate.py duckdb|pandas EXPORT.csv OUT.json

Per calendar month (cut in Europe/Berlin, the bench site's `timezone`) and
channel: n (rows), CSAT % (share of 4-5 among CSAT answers, the site's
`satisfied = [4, 5]`), NPS (% 9-10 minus % 0-6 among NPS answers) and the
CES mean (among CES answers), each with the number of answers it counts.
Blank cells are missing answers, as in rapport. Writes the cells and the
seconds spent after imports (read + aggregate) to OUT.json.
"""
import json
import sys
import time

engine, path, out = sys.argv[1:4]
TZ = "Europe/Berlin"
t_import = time.perf_counter()

if engine == "duckdb":
    import duckdb

    t0 = time.perf_counter()
    con = duckdb.connect()
    rows = con.execute(
        f"""
        SELECT strftime(timezone('{TZ}', submitted_at), '%Y-%m') AS month, channel,
               count(*) AS n,
               count(csat) AS csat_n,
               100.0 * count(*) FILTER (WHERE csat BETWEEN 4 AND 5) / count(csat) AS csat_pct,
               count(nps) AS nps_n,
               100.0 * (count(*) FILTER (WHERE nps >= 9) - count(*) FILTER (WHERE nps <= 6)) / count(nps) AS nps,
               count(ces) AS ces_n,
               avg(ces) AS ces_mean
        FROM read_csv(?, header = true,
                      types = {{'submitted_at': 'TIMESTAMPTZ', 'channel': 'VARCHAR',
                               'csat': 'INTEGER', 'nps': 'INTEGER', 'ces': 'INTEGER'}})
        GROUP BY ALL ORDER BY ALL
        """,
        [path],
    ).fetchall()
    cols = ["month", "channel", "n", "csat_n", "csat_pct", "nps_n", "nps", "ces_n", "ces_mean"]
    cells = [dict(zip(cols, r)) for r in rows]
elif engine == "pandas":
    import pandas as pd

    t0 = time.perf_counter()
    df = pd.read_csv(path, usecols=["submitted_at", "channel", "csat", "nps", "ces"])
    at = pd.to_datetime(df["submitted_at"], utc=True, format="ISO8601").dt.tz_convert(TZ)
    df["month"] = at.dt.year * 100 + at.dt.month
    df["satisfied"] = df["csat"].between(4, 5)
    df["promoter"] = df["nps"] >= 9
    df["detractor"] = df["nps"] <= 6
    g = df.groupby(["month", "channel"], sort=True).agg(
        n=("channel", "size"), csat_n=("csat", "count"), satisfied=("satisfied", "sum"),
        nps_n=("nps", "count"), promoters=("promoter", "sum"), detractors=("detractor", "sum"),
        ces_n=("ces", "count"), ces_mean=("ces", "mean"))
    g["csat_pct"] = 100.0 * g["satisfied"] / g["csat_n"]
    g["nps"] = 100.0 * (g["promoters"] - g["detractors"]) / g["nps_n"]
    cells = [
        {"month": f"{m // 100}-{m % 100:02d}", "channel": c, "n": int(r.n), "csat_n": int(r.csat_n),
         "csat_pct": float(r.csat_pct), "nps_n": int(r.nps_n), "nps": float(r.nps), "ces_n": int(r.ces_n),
         "ces_mean": float(r.ces_mean)}
        for (m, c), r in g.iterrows()
    ]
else:
    sys.exit(f"aggregate.py: unknown engine {engine!r} (duckdb or pandas)")

t1 = time.perf_counter()
with open(out, "w") as f:
    json.dump({"engine": engine, "import_seconds": t0 - t_import, "work_seconds": t1 - t0, "cells": cells}, f)
