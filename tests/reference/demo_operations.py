# Support-operations figures of the demo for October 2026, computed with pandas,
# numpy and scipy, independently of rapport. Run from the repository root:
#   python3 tests/reference/demo_operations.py
# (pandas 2.x, numpy 2.4.6, scipy 1.17.1). tests/demo.rs pastes its output.
import pandas as pd, glob, numpy as np
from scipy import stats
fs=sorted(glob.glob('content/surveys/*.csv'))
df=pd.concat([pd.read_csv(f, dtype=str) for f in fs]).drop_duplicates('response_id', keep='last')
def local(s):
    try: t=pd.Timestamp(s)
    except Exception: return None
    return t.tz_convert('Europe/Berlin') if t.tzinfo else t.tz_localize('Europe/Berlin')
df['local']=df.submitted_at.map(local)
o=df[df.local.map(lambda t: t is not None and t.year==2026 and t.month==10)]
fr=pd.to_numeric(o.first_response_minutes); rs=pd.to_numeric(o.resolution_minutes); tr=pd.to_numeric(o.transfers)
print(len(o), np.quantile(fr,0.5), np.quantile(fr,0.9), np.quantile(rs,0.5), np.quantile(rs,0.9))
print(repr(tr.mean()), stats.t.interval(0.95, len(tr)-1, loc=tr.mean(), scale=stats.sem(tr)))
for q in (0.5, 0.9):
    r = stats.quantile_test(fr, q=np.quantile(fr,q), p=q).confidence_interval(0.95)
    print('fr ci', q, r.low, r.high)
