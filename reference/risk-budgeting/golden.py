#!/usr/bin/env python3
"""Independent reference values for src/optimize/risk-budgeting.ts (risk budgeting and equal risk contribution).

The risk-budgeting portfolio for a covariance S and budgets b > 0 (sum 1) is the long-only w (sum 1) with
w_i (S w)_i / (w'Sw) = b_i. It is computed here in two independent ways, neither related to pfopt's coordinate
descent:

1. cvxpy with Clarabel (an interior-point conic solver, exponential cones) on the convex problem
       minimise 1/2 y'Sy - sum_i b_i log(y_i)
   (Spinu 2013; Roncalli 2013, section 2.2), whose minimiser satisfies y_i (S y)_i = b_i, then w = y / sum(y);
2. scipy.optimize.root (MINPACK's hybrj, analytic Jacobian S + diag(b / y^2)) on the first-order conditions
   S y - b / y = 0, started from the Clarabel point, which polishes it to machine precision.

The golden weights are the polished ones; the script checks that they agree with Clarabel's to 1e-6 and that their
relative risk-contribution error max_i |RC_i - b_i| / b_i is below 1e-12 (recorded per case).

Inputs: the annual sample covariance (pandas DataFrame.cov(), pairwise, ddof 1, times the periods per year) of the
simple returns of reference/data/synth-50x750.csv, reference/data/synth-20x600-gaps.csv (leading gaps; 252 a year)
and samples/stocks.csv (monthly, 12 a year, GOOG listed late); seeded random covariances (a 3-factor model with
loadings of both signs, so some correlations are negative, plus specific variance) of 2 to 40 assets; and a diagonal
covariance. Budgets: equal (ERC), and random Dirichlet budgets, some spanning three orders of magnitude. Every
covariance is stored (upper triangle) so the TypeScript test solves exactly the same problem.

Writes golden.json beside this file. Run from the repository root:
    /tmp/refenv/bin/python reference/risk-budgeting/golden.py
"""

import json
import os
import platform

import clarabel
import cvxpy as cp
import numpy as np
import pandas as pd
import scipy
from scipy.optimize import root

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


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


def sample_cov(prices, periods):
    r = prices.pct_change(fill_method=None).iloc[1:]
    return list(prices.columns), r.cov().to_numpy() * periods


def relative_error(s, w, b):
    sw = s @ w
    rc = w * sw / (w @ sw)
    return float(np.max(np.abs(rc - b) / b))


def solve(s, b):
    n = len(b)
    y = cp.Variable(n)
    problem = cp.Problem(cp.Minimize(0.5 * cp.quad_form(y, cp.psd_wrap(s)) - b @ cp.log(y)))
    problem.solve(solver=cp.CLARABEL, tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12, max_iter=500)
    y_clarabel = np.asarray(y.value, dtype=float)
    w_clarabel = y_clarabel / y_clarabel.sum()
    sol = root(lambda v: s @ v - b / v, y_clarabel, jac=lambda v: s + np.diag(b / v**2), method="hybr",
               options={"xtol": 1e-15})
    y_root = sol.x
    assert np.all(y_root > 0), "the polished point left the positive orthant"
    w = y_root / y_root.sum()
    err = relative_error(s, w, b)
    gap = float(np.max(np.abs(w - w_clarabel)))
    assert err < 1e-12, f"relative risk-contribution error {err}"
    assert gap < 1e-6, f"Clarabel and the polished root differ by {gap}"
    return w, err, gap, problem.status


def upper(a):
    n = a.shape[0]
    return [float(a[i, j]) for i in range(n) for j in range(i, n)]


def case(name, tickers, s, b, budget_label):
    w, err, gap, status = solve(s, b)
    return {"name": name, "budgets": budget_label, "tickers": tickers, "covarianceUpper": upper(s),
            "b": b.tolist() if budget_label != "equal" else None, "weights": w.tolist(), "relativeError": err,
            "clarabelGap": gap, "clarabelStatus": status}


def random_covariance(rng, n):
    loadings = rng.normal(0.0, 0.15, size=(n, 3)) + np.array([0.08, 0.0, 0.0])
    specific = rng.uniform(0.1, 0.4, size=n) ** 2
    return loadings @ loadings.T + np.diag(specific)


def main():
    rng = np.random.default_rng(20260402)
    cases = []
    for name, prices, periods in [
        ("synth50", wide_csv(os.path.join(ROOT, "reference/data/synth-50x750.csv")), 252),
        ("gaps20", wide_csv(os.path.join(ROOT, "reference/data/synth-20x600-gaps.csv")), 252),
        ("stocks5", stocks(), 12),
    ]:
        tickers, s = sample_cov(prices, periods)
        n = len(tickers)
        assert np.linalg.eigvalsh(s)[0] > 0
        cases.append(case(f"{name}/erc", tickers, s, np.full(n, 1.0 / n), "equal"))
        b = rng.dirichlet(np.ones(n))
        cases.append(case(f"{name}/dirichlet", tickers, s, b, "dirichlet(1)"))
    for k, n in enumerate([2, 3, 4, 6, 8, 12, 20, 30, 40]):
        s = random_covariance(rng, n)
        tickers = [f"R{k}_{i}" for i in range(n)]
        cases.append(case(f"random-{k}-n{n}/erc", tickers, s, np.full(n, 1.0 / n), "equal"))
        b = rng.dirichlet(np.full(n, 0.5))
        cases.append(case(f"random-{k}-n{n}/dirichlet", tickers, s, b, "dirichlet(0.5)"))
        b = 10.0 ** rng.uniform(-3, 0, size=n)
        cases.append(case(f"random-{k}-n{n}/spread", tickers, s, b / b.sum(), "10^U(-3, 0), normalised"))
    d = np.diag([0.04, 0.09, 0.0225, 0.16, 0.01])
    cases.append(case("diagonal/erc", [f"D{i}" for i in range(5)], d, np.full(5, 0.2), "equal"))
    out = {
        "header": {"producedBy": "reference/risk-budgeting/golden.py", "python": platform.python_version(),
                   "numpy": np.__version__, "pandas": pd.__version__, "scipy": scipy.__version__,
                   "cvxpy": cp.__version__, "clarabel": clarabel.__version__},
        "cases": cases,
    }
    with open(os.path.join(HERE, "golden.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print(f"{len(cases)} cases; largest relative RC error {max(c['relativeError'] for c in cases):.2e}; "
          f"largest Clarabel gap {max(c['clarabelGap'] for c in cases):.2e}")


if __name__ == "__main__":
    main()
