#!/usr/bin/env python3
"""Writes a deterministic survey export of N rows, in the demo's columns.

usage: python3 benches/export.py ROWS OUT.csv

The rows spread over 2025-10-01 .. 2026-10-31, five channels and
touchpoints, 24 agents, 40 accounts and 50,000 customers; about a third
carry a comment. The same ROWS always give the same bytes.
"""
import csv
import random
import sys
from datetime import datetime, timedelta

rows, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(20261123)
channels = ["email", "chat", "phone", "messenger", "whatsapp"]
touchpoints = ["support", "onboarding", "checkout", "sales", "event"]
comments = ["", "", "Quick and friendly help.", "Waited two days for a reply.", "", "Transferred three times, had to repeat myself."]
start = datetime(2025, 10, 1, 6, 0, 0)
span = int((datetime(2026, 10, 31, 22, 0, 0) - start).total_seconds())
with open(out, "w", newline="") as f:
    writer = csv.writer(f, lineterminator="\n")
    writer.writerow(["response_id", "submitted_at", "customer_id", "account", "channel", "touchpoint", "agent", "csat",
                     "nps", "ces", "first_response_minutes", "resolution_minutes", "transfers", "comment"])
    for i in range(rows):
        at = start + timedelta(seconds=rng.randrange(span))
        transfers = min(int(rng.expovariate(1.6)), 6)
        csat = max(1, min(5, 5 - transfers + rng.choice([-1, 0, 0, 0, 1]) - (rng.random() < 0.1)))
        writer.writerow([
            f"R{i:08d}", f"{at:%Y-%m-%dT%H:%M:%S}Z", f"C{rng.randrange(50000):05d}", f"A{rng.randrange(40):02d}",
            rng.choice(channels), rng.choice(touchpoints), f"G{rng.randrange(24):02d}", csat, rng.randrange(11),
            rng.randint(1, 7), f"{rng.lognormvariate(3, 1.2):.1f}", rng.randrange(2000), transfers, rng.choice(comments),
        ])
