#!/usr/bin/env python3
"""Writes a deterministic survey export of N rows, in the demo's columns.

usage: python3 benches/export.py ROWS OUT.csv [AGENTS ACCOUNTS]

What a helpdesk export looks like: rows in the order they were submitted
(UTC timestamps, 2025-10-01 .. 2026-10-31, jittered), ids R00000000..,
50,000 customers of whom a few write often, 40 accounts (a few large ones),
24 agents, five channels and touchpoints in unequal shares. Scores hang
together: transfers and slow first responses lower CSAT, NPS and CES follow
CSAT with noise. Not every survey question is answered: CSAT is blank in
about 5 % of rows, NPS in about 30 %, CES in about 45 %. First-response and
resolution times depend on the channel (chat fast, email slow). About a
third of the rows carry a comment, composed from fragments that suit the
score, some with commas and quotes, a few with an e-mail address or phone
number (for redaction) and a few spanning two lines (quoted newline).

AGENTS and ACCOUNTS (default 24 and 40) set how many values those two
dimensions have: many give a site with many segment pages.

The same arguments always give the same bytes (seeded `random.Random`; the
sequence of `random` is stable across CPython 3.x releases).
"""
import bisect
import csv
import itertools
import math
import random
import sys
from datetime import datetime, timedelta

rows, out = int(sys.argv[1]), sys.argv[2]
agent_count, account_count = (int(sys.argv[3]), int(sys.argv[4])) if len(sys.argv) > 4 else (24, 40)
rng = random.Random(20261123)
random_ = rng.random
gauss = rng.gauss

channels = ["email", "chat", "phone", "messenger", "whatsapp"]
channel_weights = [0.34, 0.28, 0.2, 0.1, 0.08]
# (median first response in minutes, log-spread) per channel
first_response = {"email": (180.0, 1.1), "chat": (2.5, 0.9), "phone": (1.5, 0.7), "messenger": (25.0, 1.2), "whatsapp": (15.0, 1.2)}
touchpoints = ["support", "onboarding", "checkout", "sales", "event"]
touchpoint_weights = [0.55, 0.15, 0.15, 0.1, 0.05]
agents = [f"G{i:02d}" for i in range(agent_count)]
accounts = [f"A{i:02d}" for i in range(account_count)]
account_weights = [1.0 / (i + 1) ** 0.8 for i in range(account_count)]

praise = ["Quick and friendly help.", "Solved on the first call, thank you!", "Great support, very patient.",
          "The agent knew exactly what to do.", "Fast, clear answer.", "Really helpful, thanks again."]
middling = ["Fine, but it took a while.", "OK in the end, the guide was a bit confusing.",
            "Answer was right, though I had to ask twice.", "Helpful agent, slow follow-up."]
complaints = ["Waited two days for a reply.", "Transferred three times, had to repeat myself.",
              "Nobody read my first message, I explained it all again.", "The setup docs are out of date.",
              "Slow, and the \"solution\" did not work.", "Bounced between teams for hours."]
tails = ["", "", "", " Ticket was about billing.", " Please call me back.", " Same issue as last month, again.",
         " The videos helped."]
contacts = [" Reach me at {}@example.com.", " My number is +49 30 {} 77.", " Card ending 4242 was charged twice."]


def picker(seq, weights):
    total, cum = sum(weights), list(itertools.accumulate(weights))
    return lambda: seq[bisect.bisect(cum, random_() * total)]


pick_channel = picker(channels, channel_weights)
pick_touchpoint = picker(touchpoints, touchpoint_weights)
pick_account = picker(accounts, account_weights)


def comment(csat):
    if random_() >= 0.34:
        return ""
    pool = praise if csat == 5 else middling if csat in (3, 4) else complaints
    text = rng.choice(pool) + rng.choice(tails)
    if random_() < 0.25:
        text += " " + rng.choice(pool if random_() < 0.7 else middling)
    r = random_()
    if r < 0.02:
        text += rng.choice(contacts).format(rng.randrange(10000, 99999))
    elif r < 0.025:
        text += "\nSecond line: " + rng.choice(complaints)
    return text


start = datetime(2025, 10, 1, 6, 0, 0)
span = (datetime(2026, 10, 31, 22, 0, 0) - start).total_seconds()
step = span / max(rows, 1)
epoch = datetime(1970, 1, 1)
start_seconds = int((start - epoch).total_seconds())
last_day, day_text = None, ""
with open(out, "w", newline="") as f:
    writer = csv.writer(f, lineterminator="\n")
    writer.writerow(["response_id", "submitted_at", "customer_id", "account", "channel", "touchpoint", "agent", "csat",
                     "nps", "ces", "first_response_minutes", "resolution_minutes", "transfers", "comment"])
    for i in range(rows):
        seconds = start_seconds + int((i + random_()) * step)
        day, second = divmod(seconds, 86400)
        if day != last_day:
            last_day, day_text = day, (epoch + timedelta(days=day)).strftime("%Y-%m-%dT")
        at = f"{day_text}{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}Z"
        channel = pick_channel()
        median, spread = first_response[channel]
        first = median * math.exp(gauss(0.0, spread))
        resolution = first + median * 3 * math.exp(gauss(0.0, 1.0)) + rng.randrange(5, 60)
        transfers = min(int(rng.expovariate(1.6)), 6)
        csat = 5 - transfers + rng.choice([-1, 0, 0, 0, 1]) - (random_() < 0.1) - (first > 4 * median)
        csat = max(1, min(5, csat))
        nps = max(0, min(10, round(2 * csat - 0.5 + gauss(0.0, 1.5))))
        ces = max(1, min(7, round(1.4 * csat + gauss(0.0, 1.0))))
        writer.writerow([
            f"R{i:08d}", at, f"C{int(50000 * random_() ** 2):05d}",
            pick_account(), channel, pick_touchpoint(), rng.choice(agents),
            "" if random_() < 0.05 else csat, "" if random_() < 0.30 else nps, "" if random_() < 0.45 else ces,
            f"{first:.1f}", f"{resolution:.0f}", transfers, comment(csat),
        ])
