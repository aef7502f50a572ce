# Comment topics of the demo ([topics] of site.toml) for February, March and
# October 2026, computed with pandas, Python's re and statsmodels, independently
# of rapport. Run from the repository root:
#   python3 tests/reference/demo_topics.py
# (pandas 3.1.1, statsmodels 0.15.0). tests/demo.rs pastes its output.
import glob, re
import pandas as pd
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

TOPICS = {  # site.toml; a trailing * matches the start of a word
    "Wait time": ["wait", "waited", "slow", "hours", "days"],
    "Transfers": ["transferred", "handoff", "handoffs", "bounced"],
    "Onboarding docs": ["docs", "manual", "guide"],
    "Onboarding videos": ["video*", "walkthrough*"],
}
fs = sorted(glob.glob('content/surveys/*.csv'))
df = pd.concat([pd.read_csv(f, dtype=str, keep_default_na=False) for f in fs]).drop_duplicates('response_id', keep='last')
def local(s):
    try: t = pd.Timestamp(s)
    except Exception: return None
    return t.tz_convert('Europe/Berlin') if t.tzinfo else t.tz_localize('Europe/Berlin')
df['local'] = df.submitted_at.map(local)
df = df[df.local.notna() & df.csat.isin(['', '1', '2', '3', '4', '5'])]
c = df[df.comment.str.strip() != ''].copy()
c['month'] = c.local.map(lambda t: f'{t.year}-{t.month:02d}')
for topic, words in TOPICS.items():
    alternatives = [r'(?<!\w)' + re.escape(w.rstrip('*')) + ('' if w.endswith('*') else r'(?!\w)') for w in words]
    rx = re.compile('|'.join(alternatives), re.IGNORECASE)
    c[topic] = c.comment.map(lambda s: bool(rx.search(s)))
c['none'] = ~c[list(TOPICS)].any(axis=1)
c['satisfied'] = c.csat.isin(['4', '5'])
c['dissatisfied'] = c.csat.isin(['1', '2', '3'])
previous = None
for month in ['2026-02', '2026-03', '2026-10']:
    m = c[c.month == month]
    print(month, 'comments', len(m), 'dissatisfied', m.dissatisfied.sum(), 'satisfied', m.satisfied.sum())
    for topic in list(TOPICS) + ['none']:
        k = int(m[topic].sum())
        lo, hi = proportion_confint(k, len(m), method='wilson')
        line = f'  {topic}: {k} of {len(m)}, wilson ({lo!r}, {hi!r}); dissatisfied {int(m[m.dissatisfied][topic].sum())}, satisfied {int(m[m.satisfied][topic].sum())}'
        if previous is not None and month == '2026-03':
            k0 = int(previous[topic].sum())
            z, p = proportions_ztest([k, k0], [len(m), len(previous)])
            line += f'; vs {k0} of {len(previous)}: p = {p!r}'
        print(line)
    previous = m
