from statsmodels.stats.proportion import proportion_confint, proportions_ztest
from scipy import stats
import numpy as np
print("z95", stats.norm.ppf(0.975), "z90", stats.norm.ppf(0.95), "z99", stats.norm.ppf(0.995))
for k,n in [(81,263),(15,148),(0,20),(1,29)]:
    print("wilson", k, n, proportion_confint(k, n, alpha=0.05, method='wilson'))
print("wilson90 45/50", proportion_confint(45, 50, alpha=0.10, method='wilson'))
for (k1,n1,k2,n2) in [(430,500,455,500),(40,50,45,50),(81,263,15,148)]:
    z,p = proportions_ztest([k2,k1],[n2,n1], alternative='two-sided', prop_var=False)
    print("ztest", k1,n1,k2,n2, z, p)
for (m1,s1,n1,m2,s2,n2) in [(5.1,1.2,40,5.6,1.5,35),(3.2,0.9,10,3.0,1.4,12)]:
    r = stats.ttest_ind_from_stats(m2,s2,n2,m1,s1,n1,equal_var=False)
    print("welch", m1,s1,n1,m2,s2,n2, r.statistic, r.pvalue)
# t interval for sample 1,2,2,5 : mean 2.5 var 3
x=np.array([1,2,2,5.]); print("tint", stats.t.interval(0.95, len(x)-1, loc=x.mean(), scale=stats.sem(x)))
x=np.array([4,5,3,5,5,4,2,5,4,4.]); print("tint10", x.mean(), x.var(ddof=1), stats.t.interval(0.95, len(x)-1, loc=x.mean(), scale=stats.sem(x)))
print("tcrit", stats.t.ppf(0.975, 3), stats.t.ppf(0.975, 29), stats.t.ppf(0.95, 9))
def nps(pr, de, n, conf=0.95):
    z = stats.norm.ppf(1-(1-conf)/2)
    na=n+3; p=(pr+0.75)/na; d=(de+0.75)/na; c=p-d; v=(p+d-c*c)/na
    return 100*(pr-de)/n, 100*(c - z*np.sqrt(v)), 100*(c+z*np.sqrt(v)), c, v
print("nps", nps(50, 20, 100))
print("nps", nps(9, 3, 20))
def npsz(a,b):
    _,_,_,c1,v1=nps(*a); _,_,_,c2,v2=nps(*b)
    z=(c2-c1)/np.sqrt(v1+v2); return z, 2*stats.norm.sf(abs(z))
print("npsz", npsz((50,20,100),(60,15,120)))
