#!/usr/bin/env python3
"""Independent reference values for src/optimize/hierarchical (linkage, leaf order, HRP, HERC).

Third-party and paper-based, never a translation of pfopt's TypeScript:

- trees: scipy.cluster.hierarchy.linkage (single, complete, average, weighted, ward) on the condensed correlation
  distance d_ij = sqrt((1 - rho_ij) / 2), and scipy.cluster.hierarchy.leaves_list for the quasi-diagonal order;
- correlations and covariances: pandas DataFrame.corr() / DataFrame.cov() (pairwise over common dates, ddof 1) of
  simple returns r_t = p_t / p_{t-1} - 1 (NaN when either price is missing), the covariance times the periods per
  year;
- HRP: the recursive bisection of Lopez de Prado (2016), "Building Diversified Portfolios that Outperform Out of
  Sample", written here after the paper's Python snippets (getIVP, getClusterVar, getRecBipart; Python 3 floor
  division for the halves), with the order from leaves_list;
- bounded HRP: at each split the left half's weight alpha * W is clipped into [max(L1, W - U2), min(U1, W - L2)]
  (L, U the sums of the bounds of each half; Riskfolio-Lib's HCPortfolio rule, Pfitzinger & Katzke 2019);
- HERC: Raffinot (2018), "The Hierarchical Equal Risk Contribution Portfolio", with the variance as risk measure
  (Riskfolio-Lib's variant): cut the tree into k clusters by undoing its last k - 1 merges (walked with
  scipy.cluster.hierarchy.to_tree), cluster risk = variance under inverse-variance weights, each undone merge splits
  its weight by alpha = 1 - R_left / (R_left + R_right) (R the summed risks of the clusters under each child),
  inverse-variance weights inside each cluster; k given, or the first maximiser over k = 1..min(max_k, n - 2) of
  W_{k+2} + W_k - 2 W_{k+1}, W_k the sum over clusters of numpy.std (ddof 0) of the within-cluster distances.

Inputs:
- random condensed distance matrices in three families (both sides rebuild them exactly from what is stored here):
  'continuous' (correlations of a random 3-factor model B B' + diag(u); the loadings are stored, the TypeScript
  test recomputes rho), 'levels' (block correlation matrices whose entries come from a short list of levels,
  with duplicated assets, so that many distances tie exactly, zero included) and 'grid' (arbitrary distances k / 8,
  k in 0..8, heavy ties);
- reference/data/synth-50x750.csv, reference/data/synth-20x600-gaps.csv (leading gaps; 252 periods a year) and
  samples/stocks.csv (monthly, 12 a year, GOOG listed 2004-08).

Writes golden.json beside this file. Run from the repository root:
    /tmp/refenv/bin/python reference/hierarchical/golden.py
"""

import json
import math
import os
import platform

import numpy as np
import pandas as pd
import scipy
from scipy.cluster.hierarchy import leaves_list, linkage, to_tree
from scipy.spatial.distance import squareform

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
METHODS = ["single", "complete", "average", "weighted", "ward"]
LEVELS = [1.0, 0.9, 0.75, 0.5, 0.25, 0.0, -0.25, -0.5]


# ------------------------------------------------------------------------------------------------------- distances
def distance_of_correlation(rho):
    """Condensed sqrt((1 - rho) / 2), clipped into [0, 1] (PyPortfolioOpt / Riskfolio-Lib)."""
    full = np.sqrt(np.clip((1.0 - rho) / 2.0, 0.0, 1.0))
    np.fill_diagonal(full, 0.0)
    return squareform(full, checks=False)


def tree(d, method):
    z = linkage(d, method=method)
    return {"Z": [[int(r[0]), int(r[1]), float(r[2]), int(r[3])] for r in z], "leaves": [int(v) for v in leaves_list(z)]}


def continuous_case(rng, n, name):
    b = rng.uniform(-1.0, 1.0, size=(n, 3))
    u = rng.uniform(0.1, 1.0, size=n)
    c = b @ b.T + np.diag(u)
    s = np.sqrt(np.diag(c))
    rho = c / np.outer(s, s)
    d = distance_of_correlation(rho)
    return {"name": name, "family": "continuous", "n": n, "loadings": b.flatten().tolist(), "specific": u.tolist(),
            "results": {m: tree(d, m) for m in METHODS}}


def levels_case(rng, n, name):
    """Nested blocks (groups inside two super-groups, one non-negative correlation level per relation, a
    hierarchical factor structure, so positive semidefinite) plus exact duplicates of some assets (rho = 1)."""
    base = max(2, n - int(rng.integers(0, n // 3 + 1)))
    supers = rng.integers(0, 2, size=base)
    groups = rng.integers(0, 3, size=base)
    within = int(rng.integers(1, 4))                      # 0.9, 0.75 or 0.5 inside a group
    same_super = within + int(rng.integers(0, 2))         # never above the within-group level
    across = min(same_super + int(rng.integers(1, 3)), 5)  # never above the same-super-group level, >= 0
    source = list(range(base)) + [int(rng.integers(0, base)) for _ in range(n - base)]
    perm = rng.permutation(n)
    source = [source[p] for p in perm]                    # duplicates anywhere in the order
    codes = []
    for i in range(n):
        for j in range(i + 1, n):
            a, b = source[i], source[j]
            if a == b:
                code = 0
            elif supers[a] == supers[b] and groups[a] == groups[b]:
                code = within
            elif supers[a] == supers[b]:
                code = same_super
            else:
                code = across
            codes.append(code)
    rho = np.eye(n)
    k = 0
    for i in range(n):
        for j in range(i + 1, n):
            rho[i, j] = rho[j, i] = LEVELS[codes[k]]
            k += 1
    assert np.linalg.eigvalsh(rho)[0] > -1e-12, name
    d = distance_of_correlation(rho)
    return {"name": name, "family": "levels", "n": n, "codes": codes, "results": {m: tree(d, m) for m in METHODS}}


def grid_case(rng, n, name):
    codes = rng.integers(0, 9, size=n * (n - 1) // 2)
    d = codes / 8.0
    return {"name": name, "family": "grid", "n": n, "codes": [int(c) for c in codes],
            "results": {m: tree(d, m) for m in METHODS}}


def random_cases():
    rng = np.random.default_rng(20260401)
    cases = []
    for k, n in enumerate([2, 3, 4, 5, 6, 8, 10, 13, 17, 24, 30, 40]):
        cases.append(continuous_case(rng, n, f"continuous-{k}-n{n}"))
    for k in range(40):
        n = int(rng.integers(3, 26))
        cases.append(levels_case(rng, n, f"levels-{k}-n{n}"))
    for k in range(30):
        n = int(rng.integers(2, 22))
        cases.append(grid_case(rng, n, f"grid-{k}-n{n}"))
    cases.append(continuous_case(rng, 160, "continuous-large-n160"))
    cases.append(grid_case(rng, 120, "grid-large-n120"))
    return cases


# ------------------------------------------------------------------------------------------------- HRP, the paper
def ivp(cov):
    iv = 1.0 / np.diag(cov)
    return iv / iv.sum()


def cluster_var(cov, items):
    c = cov[np.ix_(items, items)]
    w = ivp(c)
    return float(w @ c @ w)


def rec_bipart(cov, order, bounds=None):
    """getRecBipart of the paper; with bounds, the clipped split of Riskfolio-Lib's HCPortfolio."""
    w = pd.Series(1.0, index=order)
    items = [list(order)]
    while items:
        items = [i[j:k] for i in items for j, k in ((0, len(i) // 2), (len(i) // 2, len(i))) if len(i) > 1]
        for p in range(0, len(items), 2):
            c0, c1 = items[p], items[p + 1]
            v0, v1 = cluster_var(cov, c0), cluster_var(cov, c1)
            alpha = 1 - v0 / (v0 + v1)
            if bounds is not None:
                lo, hi = bounds
                total = w[c0[0]]
                a = min(max(alpha * total, max(lo[c0].sum(), total - hi[c1].sum())), min(hi[c0].sum(), total - lo[c1].sum()))
                w[c0] *= a / total
                w[c1] *= (total - a) / total
            else:
                w[c0] *= alpha
                w[c1] *= 1 - alpha
    return w.sort_index().to_numpy()


# --------------------------------------------------------------------------------------------------------- HERC
def cut_clusters(z, k):
    """Root nodes of the k clusters left when the last k - 1 merges are undone, as lists of leaf ids."""
    n = z.shape[0] + 1
    root, nodes = to_tree(z, rd=True)
    if k == 1:
        return [sorted(root.pre_order())], {}
    limit = 2 * n - k
    clusters = []
    for node_id in range(limit, 2 * n - 1):
        node = nodes[node_id]
        for child in (node.get_left(), node.get_right()):
            if child.id < limit:
                clusters.append(child.pre_order())
    return clusters, nodes


def herc_weights(cov, z, k):
    n = cov.shape[0]
    clusters, nodes = cut_clusters(z, k)
    risk = {}
    inner = np.zeros(n)
    member = {}
    for c in clusters:
        risk_c = cluster_var(cov, c)
        inner[c] = ivp(cov[np.ix_(c, c)])
        member[frozenset(c)] = risk_c
    weight = np.ones(n)
    if k > 1:
        for node_id in range(2 * n - 2, 2 * n - k - 1, -1):
            node = nodes[node_id]
            left = set(node.get_left().pre_order())
            right = set(node.get_right().pre_order())
            r_left = sum(r for c, r in member.items() if c <= left)
            r_right = sum(r for c, r in member.items() if c <= right)
            alpha = 1 - r_left / (r_left + r_right)
            weight[list(left)] *= alpha
            weight[list(right)] *= 1 - alpha
    return weight * inner, clusters


def gap_k(d, z, max_k):
    n = z.shape[0] + 1
    last = min(max_k, n - 2)
    if last < 1:
        return 1
    full = squareform(d)
    w = {}
    for k in range(1, last + 3):
        clusters, _ = cut_clusters(z, k)
        total = 0.0
        for c in clusters:
            if len(c) > 1:
                total += float(np.std(squareform(full[np.ix_(c, c)], checks=False)))
        w[k] = total
    gaps = [w[k + 2] + w[k] - 2 * w[k + 1] for k in range(1, last + 1)]
    return int(np.argmax(gaps)) + 1


# ------------------------------------------------------------------------------------------------------- datasets
def wide_csv(path):
    df = pd.read_csv(path, index_col=0)
    df.index = pd.to_datetime(df.index, format="%Y-%m-%d")
    return df.astype(float)


def stocks():
    long = pd.read_csv(os.path.join(ROOT, "samples", "stocks.csv"))
    long["date"] = pd.to_datetime(long["date"], format="%b %d %Y")
    order = list(pd.unique(long["symbol"]))
    wide = long.pivot(index="date", columns="symbol", values="price").sort_index()
    return wide[order].astype(float)


def upper(a):
    n = a.shape[0]
    return [float(a[i, j]) for i in range(n) for j in range(i, n)]


def dataset(name, source, prices, periods, bounds_cases, herc_k):
    r = prices.pct_change(fill_method=None).iloc[1:]
    corr = r.corr().to_numpy()
    cov = r.cov().to_numpy() * periods
    n = cov.shape[0]
    d = distance_of_correlation(corr)
    out = {"name": name, "source": source, "periodsPerYear": periods, "tickers": list(prices.columns),
           "returnDates": int(len(r)), "correlationUpper": upper(corr), "covarianceUpper": upper(cov),
           "minEigenvalue": float(np.linalg.eigvalsh(cov)[0]), "trees": {}, "hrp": [], "herc": []}
    for m in METHODS:
        z = linkage(d, method=m)
        order = [int(v) for v in leaves_list(z)]
        out["trees"][m] = tree(d, m)
        out["hrp"].append({"linkage": m, "weights": rec_bipart(cov, order).tolist()})
        for lo, hi, label in bounds_cases:
            lo_v = pd.Series(lo if np.ndim(lo) else np.full(n, lo), index=range(n), dtype=float)
            hi_v = pd.Series(hi if np.ndim(hi) else np.full(n, hi), index=range(n), dtype=float)
            w = rec_bipart(cov, order, (lo_v, hi_v))
            out["hrp"].append({"linkage": m, "bounds": label, "lower": lo_v.tolist(), "upper": hi_v.tolist(),
                               "weights": w.tolist()})
        for k in herc_k + [None]:
            kk = gap_k(d, z, 10) if k is None else k
            w, clusters = herc_weights(cov, z, kk)
            out["herc"].append({"linkage": m, "clusters": k, "chosen": kk, "weights": w.tolist(),
                                "groups": sorted(sorted(int(i) for i in c) for c in clusters)})
    return out


def datasets():
    synth50 = wide_csv(os.path.join(ROOT, "reference/data/synth-50x750.csv"))
    gaps20 = wide_csv(os.path.join(ROOT, "reference/data/synth-20x600-gaps.csv"))
    rng = np.random.default_rng(7)
    per_asset_lo = np.round(rng.uniform(0.0, 0.03, 20), 4)
    per_asset_hi = np.round(rng.uniform(0.06, 0.12, 20), 4)
    return [
        dataset("synth50", "reference/data/synth-50x750.csv", synth50, 252,
                [(0.01, 0.03, "uniform [0.01, 0.03]"), (0.0, 0.025, "uniform [0, 0.025]")], [2, 5]),
        dataset("gaps20", "reference/data/synth-20x600-gaps.csv", gaps20, 252,
                [(0.02, 0.08, "uniform [0.02, 0.08]"), (per_asset_lo, per_asset_hi, "per asset")], [2, 4]),
        dataset("stocks5", "sample:stocks", stocks(), 12, [(0.1, 0.3, "uniform [0.1, 0.3]")], [2, 3]),
    ]


def main():
    out = {
        "header": {"producedBy": "reference/hierarchical/golden.py", "python": platform.python_version(),
                   "numpy": np.__version__, "pandas": pd.__version__, "scipy": scipy.__version__,
                   "levels": LEVELS},
        "random": random_cases(),
        "datasets": datasets(),
    }
    with open(os.path.join(HERE, "golden.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    sizes = [len(c["results"]["single"]["Z"]) + 1 for c in out["random"]]
    print(f"{len(out['random'])} random cases (n from {min(sizes)} to {max(sizes)}), {len(out['datasets'])} data sets")


if __name__ == "__main__":
    main()
