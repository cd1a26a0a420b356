#!/usr/bin/python3
"""Reference values for tests/plugins/test_legitimacy_statistics.cpp.

Run with Debian's python3 and python3-scipy (scipy 1.10):
    /usr/bin/python3 tests/plugins/reference/legitimacy_scipy.py
The test quotes this script's output; the numbers below are the test's inputs.
"""
import itertools
import math

import numpy as np
from scipy import stats

# Four regions' scale scores (0-100), unequal sizes, with ties across groups.
GROUPS = [
    [50.0, 62.5, 75.0, 41.666666666666664, 58.333333333333336],
    [25.0, 37.5, 50.0, 33.333333333333336],
    [75.0, 87.5, 62.5, 100.0, 91.66666666666667, 70.83333333333333],
    [50.0, 45.833333333333336, 54.166666666666664],
]
# Items (columns) of one dimension for eight respondents, Likert after reverse coding.
ITEMS = [
    [4, 5, 4], [3, 3, 2], [5, 5, 5], [2, 3, 3],
    [4, 4, 5], [1, 2, 1], [3, 4, 3], [5, 4, 4],
]
# Spearman: 12 regions (t approximation) and 7 regions (exact), both with ties.
X12 = [61.2, 55.0, 70.4, 48.9, 55.0, 66.3, 52.1, 59.8, 63.0, 47.5, 68.8, 57.7]
Y12 = [0.71, 0.64, 0.80, 0.52, 0.69, 0.64, 0.58, 0.75, 0.66, 0.49, 0.77, 0.60]
X7 = [3.1, 2.4, 4.0, 2.4, 3.6, 1.9, 3.3]
Y7 = [0.5, 0.2, 0.9, 0.4, 0.6, 0.2, 0.8]


def show(name, values):
    print(name, " ".join(repr(float(v)) for v in values))


anova = stats.f_oneway(*GROUPS)
allv = np.concatenate(GROUPS)
ssb = sum(len(g) * (np.mean(g) - allv.mean()) ** 2 for g in GROUPS)
sst = ((allv - allv.mean()) ** 2).sum()
show("anova F p eta2", [anova.statistic, anova.pvalue, ssb / sst])
kw = stats.kruskal(*GROUPS)
show("kruskal H p eps2", [kw.statistic, kw.pvalue, kw.statistic / (len(allv) - 1)])

items = np.array(ITEMS, dtype=float)
k = items.shape[1]
alpha = k / (k - 1) * (1 - items.var(axis=0, ddof=1).sum() / items.sum(axis=1).var(ddof=1))
show("cronbach alpha", [alpha])

s12 = stats.spearmanr(X12, Y12)
show("spearman12 rho p", [s12.correlation, s12.pvalue])


def rho_of(y, x=X7):
    return stats.spearmanr(x, y).correlation


exact = stats.permutation_test((Y7,), rho_of, permutation_type="pairings",
                               alternative="two-sided", n_resamples=math.factorial(7) + 1)
show("spearman7 rho p_exact", [rho_of(Y7), exact.pvalue])
# The same p by brute force over all 7! pairings, independently of permutation_test.
observed = rho_of(Y7)
null = [rho_of(list(p)) for p in itertools.permutations(Y7)]
ge = sum(r >= observed - 1e-12 for r in null)
le = sum(r <= observed + 1e-12 for r in null)
show("spearman7 brute p", [min(1.0, 2 * min(ge, le) / len(null))])
show("ranks X7", stats.rankdata(X7))
