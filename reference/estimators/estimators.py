#!/usr/bin/env python3
"""Independent reference values for src/estimate (expected returns, covariance estimators) and src/core/linalg.

Every estimator is computed here from its published definition with numpy / pandas / scikit-learn, never by
translating pfopt's TypeScript:

- returns: pandas, r_t = p_t / p_{t-1} - 1 with NaN when either price is missing (pfopt's 'nan' gap policy);
- arithmetic mean: pandas Series.mean() * P; geometric: (1 + r).prod() ** (P / count) - 1 (PyPortfolioOpt's formula);
- exponentially weighted mean: pandas Series.ewm(span=..., adjust=True).mean(), last value, * P (or compounded);
- CAPM: beta = pandas cov / var over the dates the asset and the market share; market = benchmark or row mean;
- James-Stein: positive-part form towards the grand mean (DeMiguel, Martin-Utrera & Nogales 2013) with numpy solve;
- sample covariance: pandas DataFrame.cov() (pairwise, ddof 1) * P, then the spectral PSD clip with numpy eigh when
  its smallest eigenvalue is below -n * eps * max|eigenvalue|;
- semicovariance: PyPortfolioOpt's formula, np.fmin(r - b, 0) (missing as 0), D'D / T * P;
- exponentially weighted covariance: PyPortfolioOpt's exp_cov, pair by pair with pandas ewm, then the PSD clip;
- Ledoit-Wolf constant variance and OAS: sklearn.covariance.ledoit_wolf / oas on the dates where every asset has a
  return, * P;
- Ledoit-Wolf single factor and constant correlation: the published MATLAB covMarket.m (Ledoit & Wolf 2003) and
  covCor.m (Ledoit & Wolf 2004, "Honey, I shrunk the sample covariance matrix") transcribed line by line to numpy, on
  the same complete dates, * P;
- linear algebra: numpy.linalg.eigvalsh, cholesky and solve.

Inputs: reference/data/synth-20x600-gaps.csv, reference/data/synth-50x750.csv (daily, 252 periods a year) and the
embedded sample samples/stocks.csv (monthly, 12 a year; benchmark samples/sp500.csv), plus a small hand-made return
matrix whose pairwise covariance is not positive semidefinite (written into the JSON).

Writes golden.json beside this file. Run from the repository root:
    /tmp/refenv/bin/python reference/estimators/estimators.py
"""

import json
import os
import platform
import sys

import numpy as np
import pandas as pd
import scipy
import sklearn
from sklearn.covariance import ledoit_wolf, oas

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EPS = np.finfo(float).eps


# ----------------------------------------------------------------------------------------------------------- inputs
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


def sp500():
    df = pd.read_csv(os.path.join(ROOT, "samples", "sp500.csv"))
    df["date"] = pd.to_datetime(df["date"], format="%b %d %Y")
    return df.set_index("date")["price"].astype(float)


def simple_returns(prices):
    """p_t / p_{t-1} - 1, NaN when either price is missing; the first date (no previous price) is dropped."""
    return (prices / prices.shift(1) - 1).iloc[1:]


# ----------------------------------------------------------------------------------------------- expected returns
def mean_return(r, P):
    return (r.mean() * P).to_numpy()


def geometric_return(r, P):
    return ((1 + r).prod() ** (P / r.count()) - 1).to_numpy()


def ema_return(r, P, span, compounding=False):
    out = []
    for c in r.columns:
        e = r[c].dropna().ewm(span=span, adjust=True).mean().iloc[-1]
        out.append((1 + e) ** P - 1 if compounding else e * P)
    return np.array(out)


def capm_return(r, P, market, rf, compounding):
    betas = []
    for c in r.columns:
        pair = pd.concat([r[c], market], axis=1, keys=["a", "m"]).dropna()
        betas.append(pair.cov().loc["a", "m"] / pair["m"].var())
    betas = np.array(betas)
    m = market.dropna()
    em = (1 + m).prod() ** (P / m.count()) - 1 if compounding else m.mean() * P
    return rf + betas * (em - rf), betas, em


def james_stein(r, P):
    mu = r.mean().to_numpy()
    sigma = psd_clip(r.cov().to_numpy())[0]
    n = len(mu)
    T = int(r.count().min())
    grand = mu.mean()
    d = mu - grand
    dist = d @ np.linalg.solve(sigma, d)
    c = 0.0 if n <= 2 else (1.0 if dist <= 0 else min(1.0, max(0.0, (n - 2) / T / dist)))
    return P * ((1 - c) * mu + c * grand), c, grand * P, T


# ---------------------------------------------------------------------------------------------------- covariances
def psd_clip(a):
    """Spectral clip V diag(max(lambda, 0)) V' when the smallest eigenvalue is below -n eps max|lambda|."""
    lam, v = np.linalg.eigh(a)
    n = a.shape[0]
    if lam[0] >= -n * EPS * np.max(np.abs(lam)):
        return a, False, float(lam[0])
    fixed = v @ np.diag(np.where(lam > 0, lam, 0)) @ v.T
    return (fixed + fixed.T) / 2, True, float(lam[0])


def sample_cov(r, P):
    return psd_clip(r.cov().to_numpy() * P)


def semicov(r, P, b):
    d = np.fmin(r.to_numpy() - b, 0)
    T = int(r.notna().any(axis=1).sum())
    return d.T @ d / T * P


def exp_cov(r, P, span):
    n = r.shape[1]
    s = np.zeros((n, n))
    for i in range(n):
        for j in range(i, n):
            x, y = r.iloc[:, i], r.iloc[:, j]
            covariation = (x - x.mean()) * (y - y.mean())
            s[i, j] = s[j, i] = covariation.ewm(span=span).mean().iloc[-1]
    return psd_clip(s * P)


def complete(r):
    return r.dropna(how="any").to_numpy()


def cov_market(x):
    """covMarket.m (Ledoit & Wolf 2003), transcribed: returns (sigma, shrinkage)."""
    t, n = x.shape
    x = x - x.mean(axis=0)
    xmkt = x.mean(axis=1).reshape(t, 1)
    sample = np.cov(np.hstack([x, xmkt]), rowvar=False) * (t - 1) / t
    covmkt = sample[:n, n].reshape(n, 1)
    varmkt = sample[n, n]
    sample = sample[:n, :n]
    prior = covmkt @ covmkt.T / varmkt
    prior[np.eye(n, dtype=bool)] = np.diag(sample)
    c = np.linalg.norm(sample - prior, "fro") ** 2
    y = x**2
    p = 1 / t * np.sum(y.T @ y) - np.sum(sample**2)
    rdiag = 1 / t * np.sum(y**2) - np.sum(np.diag(sample) ** 2)
    z = x * np.tile(xmkt, (1, n))
    v1 = 1 / t * y.T @ z - np.tile(covmkt, (1, n)) * sample
    roff1 = np.sum(v1 * np.tile(covmkt, (1, n)).T) / varmkt - np.sum(np.diag(v1) * covmkt.ravel()) / varmkt
    v3 = 1 / t * z.T @ z - varmkt * sample
    roff3 = np.sum(v3 * (covmkt @ covmkt.T)) / varmkt**2 - np.sum(np.diag(v3) * covmkt.ravel() ** 2) / varmkt**2
    roff = 2 * roff1 - roff3
    r = rdiag + roff
    k = (p - r) / c
    shrinkage = max(0.0, min(1.0, k / t))
    return shrinkage * prior + (1 - shrinkage) * sample, shrinkage


def cov_cor(x):
    """covCor.m (Ledoit & Wolf 2004, "Honey, I shrunk the sample covariance matrix"), transcribed."""
    t, n = x.shape
    x = x - x.mean(axis=0)
    sample = (1 / t) * (x.T @ x)
    var = np.diag(sample).reshape(n, 1)
    sqrtvar = np.sqrt(var)
    rbar = (np.sum(sample / (sqrtvar @ np.ones((1, n)) * (sqrtvar @ np.ones((1, n))).T)) - n) / (n * (n - 1))
    prior = rbar * (sqrtvar @ np.ones((1, n))) * (sqrtvar @ np.ones((1, n))).T
    prior[np.eye(n, dtype=bool)] = var.ravel()
    y = x**2
    phi_mat = y.T @ y / t - 2 * (x.T @ x) * sample / t + sample**2
    phi = np.sum(phi_mat)
    term1 = (x**3).T @ x / t
    help_ = x.T @ x / t
    help_diag = np.diag(help_).reshape(n, 1)
    term2 = (help_diag @ np.ones((1, n))) * sample
    term3 = help_ * (var @ np.ones((1, n)))
    term4 = (var @ np.ones((1, n))) * sample
    theta_mat = term1 - term2 - term3 + term4
    theta_mat[np.eye(n, dtype=bool)] = 0
    rho = np.sum(np.diag(phi_mat)) + rbar * np.sum(((1 / sqrtvar) @ sqrtvar.T) * theta_mat)
    gamma = np.linalg.norm(sample - prior, "fro") ** 2
    kappa = (phi - rho) / gamma
    shrinkage = max(0.0, min(1.0, kappa / t))
    return shrinkage * prior + (1 - shrinkage) * sample, shrinkage


# ------------------------------------------------------------------------------------------------------- cases
def upper(a):
    """Upper triangle, row by row (i <= j)."""
    n = a.shape[0]
    return [float(a[i, j]) for i in range(n) for j in range(i, n)]


def vec(a):
    return [float(v) for v in np.asarray(a)]


def cases_for(r, P, benchmark=None):
    out = []
    out.append({"estimator": "mean", "options": {}, "values": vec(mean_return(r, P))})
    out.append({"estimator": "geometric", "options": {}, "values": vec(geometric_return(r, P))})
    for span, comp in [(500, False), (30, False), (30, True)]:
        out.append(
            {
                "estimator": "ema",
                "options": {"span": span, "compounding": comp},
                "values": vec(ema_return(r, P, span, comp)),
            }
        )
    markets = [("equal-weight", r.mean(axis=1))]
    if benchmark is not None:
        markets.append(("benchmark", benchmark))
    for name, market in markets:
        for rf, comp in [(0.0, True), (0.02, True), (0.02, False)]:
            mu, betas, em = capm_return(r, P, market, rf, comp)
            out.append(
                {
                    "estimator": "capm",
                    "options": {"market": name, "riskFreeRate": rf, "compounding": comp},
                    "values": vec(mu),
                    "betas": vec(betas),
                    "marketReturn": float(em),
                }
            )
    mu, c, grand, T = james_stein(r, P)
    out.append(
        {
            "estimator": "james-stein",
            "options": {},
            "values": vec(mu),
            "shrinkage": float(c),
            "grandMean": float(grand),
            "observations": T,
        }
    )
    s, repaired, lam = sample_cov(r, P)
    out.append({"estimator": "sample", "options": {}, "upper": upper(s), "repaired": repaired, "minEigenvalue": lam})
    for b in [0.0, 0.0001]:
        out.append({"estimator": "semicovariance", "options": {"benchmark": b}, "upper": upper(semicov(r, P, b))})
    for span in [180, 30]:
        s, repaired, lam = exp_cov(r, P, span)
        out.append(
            {
                "estimator": "exponential",
                "options": {"span": span},
                "upper": upper(s),
                "repaired": repaired,
                "minEigenvalue": lam,
            }
        )
    x = complete(r)
    cov, shrink = ledoit_wolf(x)
    out.append(
        {
            "estimator": "ledoit-wolf",
            "options": {"target": "constant-variance"},
            "upper": upper(cov * P),
            "shrinkage": float(shrink),
            "observations": int(x.shape[0]),
        }
    )
    for target, f in [("single-factor", cov_market), ("constant-correlation", cov_cor)]:
        cov, shrink = f(x)
        out.append(
            {
                "estimator": "ledoit-wolf",
                "options": {"target": target},
                "upper": upper(cov * P),
                "shrinkage": float(shrink),
                "observations": int(x.shape[0]),
            }
        )
    cov, shrink = oas(x)
    out.append(
        {
            "estimator": "oas",
            "options": {},
            "upper": upper(cov * P),
            "shrinkage": float(shrink),
            "observations": int(x.shape[0]),
        }
    )
    return out


def input_entry(name, source, prices, P, benchmark_prices=None):
    r = simple_returns(prices)
    bench = None
    if benchmark_prices is not None:
        aligned = benchmark_prices.reindex(prices.index)
        bench = (aligned / aligned.shift(1) - 1).iloc[1:]
    return {
        "name": name,
        "source": source,
        "periodsPerYear": P,
        "tickers": list(prices.columns),
        "returnDates": int(r.shape[0]),
        "cases": cases_for(r, P, bench),
    }


def non_psd_case():
    """Three assets whose pairwise covariances cannot come from one joint distribution: A and B agree on their early
    common dates, B and C are identical on the late ones, and A is -C where A and C overlap."""
    t = 20
    base = np.array([np.sin(1.7 * k + 0.3) * 0.02 + 0.001 * k for k in range(t)])
    a = np.full(t, np.nan)
    b = base.copy()
    c = np.full(t, np.nan)
    a[:12] = base[:12] + 0.002 * np.cos(3.1 * np.arange(12))
    a[8:12] = -base[8:12]
    c[8:] = base[8:]
    r = pd.DataFrame({"A": a, "B": b, "C": c})
    s = r.cov().to_numpy() * 252
    fixed, repaired, lam = psd_clip(s)
    return {
        "returns": [[None if np.isnan(v) else float(v) for v in r[name]] for name in r.columns],
        "tickers": list(r.columns),
        "periodsPerYear": 252,
        "pairwise": upper(s),
        "repaired": upper(fixed),
        "wasRepaired": repaired,
        "minEigenvalue": lam,
    }


def linalg_cases():
    rng = np.random.default_rng(20261124)
    out = {}
    g = rng.standard_normal((9, 7))
    spd = g.T @ g + 0.1 * np.eye(7)
    b = rng.standard_normal(7)
    out["spd"] = {
        "n": 7,
        "a": vec(spd.ravel()),
        "cholesky": vec(np.linalg.cholesky(spd).ravel()),
        "b": vec(b),
        "solve": vec(np.linalg.solve(spd, b)),
        "eigenvalues": vec(np.linalg.eigvalsh(spd)),
    }
    h = rng.standard_normal((12, 12))
    sym = (h + h.T) / 2
    out["indefinite"] = {"n": 12, "a": vec(sym.ravel()), "eigenvalues": vec(np.linalg.eigvalsh(sym))}
    # Repeated eigenvalues: Q diag(1, 1, 1, 2, 2, 5, 0, 0) Q'.
    q, _ = np.linalg.qr(rng.standard_normal((8, 8)))
    lam = np.array([1, 1, 1, 2, 2, 5, 0, 0], dtype=float)
    rep = q @ np.diag(lam) @ q.T
    rep = (rep + rep.T) / 2
    out["repeated"] = {"n": 8, "a": vec(rep.ravel()), "eigenvalues": vec(np.linalg.eigvalsh(rep))}
    return out


def main():
    data = os.path.join(ROOT, "reference", "data")
    golden = {
        "header": {
            "producedBy": "reference/estimators/estimators.py (run from the repository root)",
            "python": platform.python_version(),
            "numpy": np.__version__,
            "pandas": pd.__version__,
            "scikit-learn": sklearn.__version__,
            "scipy": scipy.__version__,
            "layout": (
                "vectors in ticker order; covariance matrices as 'upper': the upper triangle row by row "
                "(i <= j), annual; returns are simple returns with NaN when either price is missing"
            ),
        },
        "inputs": [
            input_entry(
                "synth-20x600-gaps",
                "reference/data/synth-20x600-gaps.csv",
                wide_csv(os.path.join(data, "synth-20x600-gaps.csv")),
                252,
            ),
            input_entry(
                "synth-50x750", "reference/data/synth-50x750.csv", wide_csv(os.path.join(data, "synth-50x750.csv")), 252
            ),
            input_entry("stocks", "sample:stocks", stocks(), 12, sp500()),
        ],
        "nonPsd": non_psd_case(),
        "linalg": linalg_cases(),
    }
    with open(os.path.join(HERE, "golden.json"), "w") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")
    print(f"wrote {os.path.join(HERE, 'golden.json')}", file=sys.stderr)


if __name__ == "__main__":
    main()
