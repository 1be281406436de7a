#!/usr/bin/env python3
"""Independent reference values for src/risk (metrics, benchmark metrics, drawdowns, VaR/CVaR, contributions).

Every quantity is computed here from its stated definition with numpy / scipy / pandas, never by translating pfopt's
TypeScript:

- returns: r_t = p_t / p_{t-1} - 1, NaN when either price is missing; NaN periods are dropped before every metric.
- metrics: numpy products and ddof-1 standard deviations; drawdowns from np.maximum.accumulate with the starting wealth
  1 as first peak; skewness and excess kurtosis with scipy.stats.skew / kurtosis (bias=False); quantiles with
  np.percentile / np.quantile (linear); stability with scipy.stats.linregress; Omega by empyrical's formula.
- benchmark: beta and per-period alpha as the slope and intercept of scipy.stats.linregress of the portfolio's excess
  returns on the benchmark's; correlation with np.corrcoef; captures as ratios of CAGRs over the up / down periods.
- portfolio returns: pandas, the held assets (non-zero weight) on the dates where all have a return, r_p = R @ w.
- historical VaR: h-period windows with numpy sliding_window_view products, np.quantile (linear), the tail as
  R_p <= Q; the components from the order statistics found by a stable argsort.
- parametric VaR: scipy.stats.norm; the normal and Cornish-Fisher tail means by numerical integration
  (scipy.integrate.quad of z phi(z) and of the Cornish-Fisher polynomial times phi(z) below z_alpha); the marginal VaR
  and CVaR by complex-step differentiation (f'(w) = Im f(w + i h e_k) / h, h = 1e-30) of VaR(w) written with numpy
  operations on complex numbers, exact to rounding and independent of any derivative formula.
- volatility contributions: np.cov (ddof 1), w_i (S w)_i / sqrt(w'Sw) * sqrt(P); sectors with pandas groupby.
- correlation: pandas DataFrame.corr() (pairwise); histogram: np.histogram; clustered correlation: the leaf order of
  scipy.cluster.hierarchy.linkage on the condensed distances sqrt((1 - rho) / 2) (leaves_list).
- Monte Carlo: an exact re-run of the simulation with reference/random/xoshiro256starstar.py (the Python port of
  pfopt's generator), reference/random/ziggurat.py (the normals of Random.fillNormal) and numpy's Cholesky factor,
  following the draw order stated in src/risk/monte-carlo.ts; and the Student-t quantiles and tail means
  (scipy.stats.t, quad) that the statistical tests compare simulations with.

Writes golden.json beside this file. Run from the repository root:
    /tmp/refenv/bin/python reference/risk/risk.py
"""

import importlib.util
import itertools
import json
import os
import platform
import sys

import numpy as np
import pandas as pd
import scipy
from numpy.lib.stride_tricks import sliding_window_view
from scipy import integrate, stats
from scipy.cluster import hierarchy
from scipy.spatial.distance import squareform

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def load_reference(name, file):
    spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, "reference", "random", file))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_xoshiro():
    return load_reference("xoshiro", "xoshiro256starstar.py")


def load_ziggurat():
    return load_reference("ziggurat", "ziggurat.py")


# ----------------------------------------------------------------------------------------------------------- inputs
def wide_csv(path):
    df = pd.read_csv(os.path.join(ROOT, path), index_col=0)
    df.index = pd.to_datetime(df.index, format="%Y-%m-%d")
    return df.astype(float)


def stocks():
    long = pd.read_csv(os.path.join(ROOT, "samples", "stocks.csv"))
    long["date"] = pd.to_datetime(long["date"], format="%b %d %Y")
    order = list(pd.unique(long["symbol"]))
    wide = long.pivot(index="date", columns="symbol", values="price").sort_index()
    return wide[order].astype(float)


def sp500_monthly():
    df = pd.read_csv(os.path.join(ROOT, "samples", "sp500.csv"))
    df["date"] = pd.to_datetime(df["date"], format="%b %d %Y")
    return df.set_index("date")["price"].astype(float)


def sp500_daily():
    df = pd.read_csv(os.path.join(ROOT, "samples", "sp500-2000.csv"))
    df["date"] = pd.to_datetime(df["date"], format="%Y-%m-%d")
    return df.set_index("date")["adjclose"].astype(float)


def simple_returns(prices):
    """p_t / p_{t-1} - 1, NaN when either price is missing; the first date is dropped."""
    return (prices / prices.shift(1) - 1).iloc[1:]


def floats(a):
    return [None if (x is None or not np.isfinite(x)) else float(x) for x in np.asarray(a, dtype=float).ravel()]


def num(x):
    x = float(x)
    return x if np.isfinite(x) else None


# ----------------------------------------------------------------------------------------------------------- metrics
def drawdown_details(r):
    """r without NaN. Wealth with starting value 1 as the first peak; episodes are runs of dd < 0."""
    wealth = np.cumprod(1 + r)
    peaks = np.maximum.accumulate(np.concatenate([[1.0], wealth]))[1:]
    dd = wealth / peaks - 1
    out = {"dd": dd}
    if dd.min() >= 0:
        out.update(maxDrawdown=0.0, peak=None, trough=None, recovery=None)
    else:
        trough = int(np.argmin(dd))
        zeros_before = np.nonzero(dd[:trough] == 0)[0]
        zeros_after = np.nonzero(dd[trough:] == 0)[0]
        out.update(
            maxDrawdown=float(dd[trough]),
            peak=int(zeros_before[-1]) if len(zeros_before) else -1,
            trough=trough,
            recovery=int(trough + zeros_after[0]) if len(zeros_after) else None,
        )
    episodes = []
    pos = 0
    for under, group in itertools.groupby(dd < 0):
        length = len(list(group))
        if under:
            end = pos + length if pos + length < len(dd) else None
            episodes.append({"start": pos, "length": length, "depth": float(dd[pos : pos + length].min()), "end": end})
        pos += length
    out["episodes"] = len(episodes)
    out["averageDrawdown"] = float(np.mean([e["depth"] for e in episodes])) if episodes else 0.0
    if episodes:
        longest = max(episodes, key=lambda e: e["length"])  # max returns the first of equal lengths
        out.update(longest=longest["length"], longestStart=longest["start"], longestEnd=longest["end"])
    else:
        out.update(longest=0, longestStart=None, longestEnd=None)
    out["ulcer"] = float(np.sqrt(np.mean(dd**2)))
    return out


def series_metrics(series, P, rf):
    """series: 1-D array with NaN. Indices reported in the positions of the input (NaN included)."""
    series = np.asarray(series, dtype=float)
    idx = np.nonzero(~np.isnan(series))[0]
    r = series[idx]
    n = len(r)
    rfp = (1 + rf) ** (1 / P) - 1
    growth = np.prod(1 + r)
    cagr = growth ** (P / n) - 1
    std = np.std(r, ddof=1)
    e = r - rfp
    sharpe = e.mean() / np.std(e, ddof=1) * np.sqrt(P)
    downside = np.sqrt(np.mean(np.minimum(r - rfp, 0) ** 2))
    sortino = (r.mean() - rfp) / downside * np.sqrt(P)
    d = drawdown_details(r)
    less = r - rfp
    omega = less[less > 0].sum() / -less[less < 0].sum()
    p95 = np.percentile(r, 95)
    p5 = np.percentile(r, 5)
    lr = stats.linregress(np.arange(n, dtype=float), np.cumsum(np.log1p(r)))

    def at(i):
        return None if i is None else (-1 if i == -1 else int(idx[i]))

    return {
        "periods": n,
        "totalReturn": num(growth - 1),
        "cagr": num(cagr),
        "meanReturn": num(r.mean()),
        "volatility": num(std),
        "annualVolatility": num(std * np.sqrt(P)),
        "sharpe": num(sharpe),
        "sortino": num(sortino),
        "calmar": num(cagr / abs(d["maxDrawdown"])) if d["maxDrawdown"] != 0 else None,
        "omega": num(omega),
        "maxDrawdown": num(d["maxDrawdown"]),
        "peakIndex": at(d["peak"]),
        "troughIndex": at(d["trough"]),
        "recoveryIndex": at(d["recovery"]),
        "episodes": d["episodes"],
        "averageDrawdown": num(d["averageDrawdown"]),
        "longestDrawdownPeriods": d["longest"],
        "longestDrawdownStartIndex": at(d["longestStart"]),
        "longestDrawdownEndIndex": at(d["longestEnd"]),
        "ulcerIndex": num(d["ulcer"]),
        "skewness": num(stats.skew(r, bias=False)),
        "excessKurtosis": num(stats.kurtosis(r, fisher=True, bias=False)),
        "bestPeriod": num(r.max()),
        "worstPeriod": num(r.min()),
        "hitRate": num(np.mean(r > 0)),
        "tailRatio": num(abs(p95) / abs(p5)),
        "stability": num(lr.rvalue**2),
    }


def benchmark_metrics(series, bench, P, rf):
    series = np.asarray(series, dtype=float)
    bench = np.asarray(bench, dtype=float)
    both = ~np.isnan(series) & ~np.isnan(bench)
    r = series[both]
    b = bench[both]
    rfp = (1 + rf) ** (1 / P) - 1
    fit = stats.linregress(b - rfp, r - rfp)
    active = r - b
    te = np.std(active, ddof=1)

    def cagr(x):
        return np.prod(1 + x) ** (P / len(x)) - 1

    up = b > 0
    down = b < 0
    return {
        "periods": int(both.sum()),
        "beta": num(fit.slope),
        "alphaPerPeriod": num(fit.intercept),
        "alpha": num((1 + fit.intercept) ** P - 1),
        "correlation": num(np.corrcoef(r, b)[0, 1]),
        "rSquared": num(fit.rvalue**2),
        "trackingError": num(te * np.sqrt(P)),
        "informationRatio": num(active.mean() / te * np.sqrt(P)),
        "treynor": num((r - rfp).mean() * P / fit.slope),
        "upCapture": num(cagr(r[up]) / cagr(b[up])),
        "downCapture": num(cagr(r[down]) / cagr(b[down])),
    }


# ---------------------------------------------------------------------------------------------------- VaR and CVaR
def horizon_windows(X, h):
    """X: T x n per-period returns -> (T - h + 1) x n compounded h-period returns of the overlapping windows."""
    if h == 1:
        return X.copy()
    return np.prod(1 + sliding_window_view(X, h, axis=0), axis=-1) - 1


def scenario_var(S, w, alpha):
    """S: m x n scenario returns. Portfolio VaR/CVaR by the empirical linear quantile, components, asset figures."""
    m = S.shape[0]
    rp = S @ w
    q = np.quantile(rp, alpha)  # numpy's default 'linear' interpolation
    tail = rp <= q
    order = np.argsort(rp, kind="stable")
    g = (m - 1) * alpha
    k = int(np.floor(g))
    f = g - k
    lo = S[order[k]]
    hi = S[order[k + 1]] if k + 1 < m else lo
    marginal_var = -((1 - f) * lo + f * hi)
    marginal_cvar = -S[tail].mean(axis=0)
    asset_var = []
    asset_cvar = []
    for j in range(S.shape[1]):
        qa = np.quantile(S[:, j], alpha)
        asset_var.append(-qa)
        asset_cvar.append(-S[S[:, j] <= qa, j].mean())
    return {
        "var": num(-q),
        "cvar": num(-rp[tail].mean()),
        "marginalVar": floats(marginal_var),
        "marginalCvar": floats(marginal_cvar),
        "componentVar": floats(w * marginal_var),
        "componentCvar": floats(w * marginal_cvar),
        "assetVar": floats(asset_var),
        "assetCvar": floats(asset_cvar),
        "scenarios": m,
    }


def cf_quantile(z, S, K):
    return z + (z**2 - 1) * S / 6 + (z**3 - 3 * z) * K / 24 - (2 * z**3 - 5 * z) * S**2 / 36


def tail_mean_normal(alpha):
    """E[Z | Z <= z_alpha] by quadrature."""
    z = stats.norm.ppf(alpha)
    value, _ = integrate.quad(lambda t: t * stats.norm.pdf(t), -np.inf, z, epsabs=0, epsrel=2e-14, limit=200)
    return value / alpha


def tail_mean_cf(alpha, S, K):
    """(1/alpha) int_0^alpha z_cf(Phi^-1(u)) du, integrated in z: int_{-inf}^{z_alpha} z_cf(t) phi(t) dt / alpha."""
    z = stats.norm.ppf(alpha)
    value, _ = integrate.quad(
        lambda t: cf_quantile(t, S, K) * stats.norm.pdf(t), -np.inf, z, epsabs=0, epsrel=2e-14, limit=200
    )
    return value / alpha


def parametric_var_of(w, X, alpha, h, cf, tail_z, tail_cf_fn):
    """VaR and CVaR of weights w (possibly complex, for the complex step) from T x n returns X, by the formulas."""
    T = X.shape[0]
    mu = X.mean(axis=0)
    C = X - mu
    d = C @ w
    mu_p = mu @ w
    s2 = np.sum(d * d)
    sigma = np.sqrt(s2 / (T - 1))
    z = stats.norm.ppf(alpha)
    if not cf:
        return -(h * mu_p + np.sqrt(h) * sigma * z), -(h * mu_p + np.sqrt(h) * sigma * tail_z)
    m2 = s2 / T
    m3 = np.sum(d**3) / T
    m4 = np.sum(d**4) / T
    G1 = np.sqrt(T * (T - 1)) / (T - 2) * m3 / m2**1.5
    G2 = (T - 1) / ((T - 2) * (T - 3)) * ((T + 1) * (m4 / m2**2 - 3) + 6)
    S = G1 / np.sqrt(h)
    K = G2 / h
    zcf = cf_quantile(z, S, K)
    return -(h * mu_p + np.sqrt(h) * sigma * zcf), -(h * mu_p + np.sqrt(h) * sigma * tail_cf_fn(S, K))


def cf_tail_closed_form_free(alpha):
    """The standardised CF tail mean as a polynomial in (S, K) whose coefficients come from quadrature: the integral
    is linear in 1, S, K and S^2, so four quadratures give it for any (S, K), complex ones included."""
    z = stats.norm.ppf(alpha)

    def q(fn):
        value, _ = integrate.quad(lambda t: fn(t) * stats.norm.pdf(t), -np.inf, z, epsabs=0, epsrel=2e-14, limit=200)
        return value / alpha

    c0 = q(lambda t: t)
    cS = q(lambda t: (t**2 - 1) / 6)
    cK = q(lambda t: (t**3 - 3 * t) / 24)
    cSS = q(lambda t: -(2 * t**3 - 5 * t) / 36)
    return lambda S, K: c0 + cS * S + cK * K + cSS * S * S


def parametric_var(X, w, alpha, h, cf):
    tail_z = tail_mean_normal(alpha)
    tail_cf = cf_tail_closed_form_free(alpha)
    var, cvar = parametric_var_of(w, X, alpha, h, cf, tail_z, tail_cf)
    n = len(w)
    step = 1e-30
    mv = []
    mc = []
    for k in range(n):
        wc = w.astype(complex)
        wc[k] += 1j * step
        v, c = parametric_var_of(wc, X, alpha, h, cf, tail_z, tail_cf)
        mv.append(v.imag / step)
        mc.append(c.imag / step)
    mv = np.array(mv)
    mc = np.array(mc)
    # Each asset alone: its own mean, standard deviation, skewness and kurtosis (scipy), per the stated formulas.
    z = stats.norm.ppf(alpha)
    asset_var = []
    asset_cvar = []
    for j in range(n):
        x = X[:, j]
        m = x.mean()
        s = np.std(x, ddof=1)
        if cf:
            S = stats.skew(x, bias=False) / np.sqrt(h)
            K = stats.kurtosis(x, fisher=True, bias=False) / h
            asset_var.append(-(h * m + np.sqrt(h) * s * cf_quantile(z, S, K)))
            asset_cvar.append(-(h * m + np.sqrt(h) * s * tail_mean_cf(alpha, S, K)))
        else:
            asset_var.append(-(h * m + np.sqrt(h) * s * z))
            asset_cvar.append(-(h * m + np.sqrt(h) * s * tail_z))
    # The portfolio figures once more from scipy's moments of the portfolio series, as a cross-check of the formulas.
    rp = X @ w
    s = np.std(rp, ddof=1)
    if cf:
        S = stats.skew(rp, bias=False) / np.sqrt(h)
        K = stats.kurtosis(rp, fisher=True, bias=False) / h
        check_var = -(h * rp.mean() + np.sqrt(h) * s * cf_quantile(z, S, K))
        check_cvar = -(h * rp.mean() + np.sqrt(h) * s * tail_mean_cf(alpha, S, K))
    else:
        check_var = -(h * rp.mean() + np.sqrt(h) * s * z)
        check_cvar = -(h * rp.mean() + np.sqrt(h) * s * tail_z)
    assert abs(check_var - var.real) <= 1e-12 * abs(var.real), (check_var, var)
    assert abs(check_cvar - cvar.real) <= 1e-12 * abs(cvar.real), (check_cvar, cvar)
    return {
        "var": num(var.real),
        "cvar": num(cvar.real),
        "marginalVar": floats(mv),
        "marginalCvar": floats(mc),
        "componentVar": floats(w * mv),
        "componentCvar": floats(w * mc),
        "assetVar": floats(asset_var),
        "assetCvar": floats(asset_cvar),
    }


def portfolio_case(name, source, returns, weights, P, rf, sectors=None, benchmark=None, var_cases=()):
    """returns: DataFrame of per-period asset returns (NaN allowed); weights: dict ticker -> weight."""
    held = [t for t in returns.columns if weights.get(t, 0) != 0]
    R = returns[held].dropna(how="any")
    w = np.array([weights[t] for t in held])
    X = R.to_numpy()
    rp = X @ w
    cov = np.cov(X, rowvar=False, ddof=1)
    sigma = np.sqrt(w @ cov @ w)
    contributions = w * (cov @ w) / sigma * np.sqrt(P)
    out = {
        "name": name,
        "source": source,
        "periodsPerYear": P,
        "riskFreeRate": rf,
        "weights": {t: float(weights[t]) for t in returns.columns if t in weights},
        "held": held,
        "dates": [d.strftime("%Y-%m-%d") for d in R.index],
        "droppedDates": int(len(returns) - len(R)),
        "portfolioReturns": floats(rp),
        "metrics": series_metrics(rp, P, rf),
        "volatility": {"total": num(sigma * np.sqrt(P)), "contributions": floats(contributions)},
        "var": [],
    }
    if benchmark is not None:
        b = benchmark.reindex(R.index).to_numpy()
        out["benchmark"] = benchmark_metrics(rp, b, P, rf)
    for method, confidence, h in var_cases:
        alpha = 1 - confidence
        if method == "historical":
            figures = scenario_var(horizon_windows(X, h), w, alpha)
        else:
            figures = parametric_var(X, w, alpha, h, method == "cornish-fisher")
        out["var"].append({"method": method, "confidence": confidence, "horizon": h, **figures})
    if sectors is not None:
        s = pd.Series(sectors).reindex(held)
        frame = pd.DataFrame({"sector": s.values, "weight": w, "vol": contributions}, index=held)
        comp = {}
        for v in out["var"]:
            frame["cvar"] = v["componentCvar"]
            comp[f'{v["method"]}/{v["confidence"]}/{v["horizon"]}'] = frame.groupby("sector", sort=False)["cvar"].sum().to_dict()
        out["sectors"] = {
            "weights": frame.groupby("sector", sort=False)["weight"].sum().to_dict(),
            "volatility": frame.groupby("sector", sort=False)["vol"].sum().to_dict(),
            "componentCvar": comp,
        }
    return out


# -------------------------------------------------------------------------------------------------- Monte Carlo
def mc_reproduction(xo, zig, X, w, model, paths, h, seed, nu, alpha):
    """Re-runs src/risk/monte-carlo.ts's simulation with the Python port of the generator (draw order as documented):
    the normals are the ziggurat stream of the fork 'normal' (zig.normal, Random.fillNormal's algorithm), n per period,
    period after period, path after path; the chi-squared draws are gamma variates of the fork 'chi-square'."""
    T, n = X.shape
    root = xo.Xoshiro.seeded(seed)
    out = np.empty((paths, n))
    if model == "bootstrap":
        g = root.fork("bootstrap")
        for p in range(paths):
            rows = [g.int(T) for _ in range(h)]
            out[p] = np.prod(1 + X[rows], axis=0) - 1 if h > 1 else X[rows[0]]
    else:
        mu = X.mean(axis=0)
        L = np.linalg.cholesky(np.cov(X, rowvar=False, ddof=1))
        gz = root.fork("normal")
        gw = root.fork("chi-square")
        for p in range(paths):
            acc = np.ones(n)
            for _ in range(h):
                z = np.array([zig.normal(gz) for _ in range(n)])
                scale = np.sqrt((nu - 2) / (2 * gw.gamma(nu / 2))) if model == "student-t" else 1.0
                x = mu + scale * (L @ z)
                if h == 1:
                    acc = x
                else:
                    acc = acc * (1 + x)
            out[p] = acc if h == 1 else acc - 1
    return scenario_var(out, w, alpha)


def clustered_correlation(source, returns, method):
    """The pairwise correlation matrix in the leaf order of SciPy's hierarchical clustering on sqrt((1 - rho) / 2)."""
    rho = returns.corr().to_numpy()
    d = np.sqrt(np.clip((1 - rho) / 2, 0, 1))
    np.fill_diagonal(d, 0)
    z = hierarchy.linkage(squareform(d, checks=False), method=method)
    order = [int(i) for i in hierarchy.leaves_list(z)]
    tickers = [str(returns.columns[i]) for i in order]
    return {"source": source, "method": method, "order": tickers, "values": floats(rho[np.ix_(order, order)]),
            "merges": [[int(a), int(b), num(h), int(c)] for a, b, h, c in z]}


# --------------------------------------------------------------------------------------------------------- main
def main():
    xo = load_xoshiro()
    zig = load_ziggurat()
    golden = {
        "header": {
            "script": "reference/risk/risk.py",
            "python": platform.python_version(),
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "pandas": pd.__version__,
        },
        "series": [],
        "portfolios": [],
    }

    # --- one series per asset, with NaN runs: embedded monthly stocks (GOOG listed late) against the S&P 500 --------
    st = stocks()
    st_r = simple_returns(st)
    sp_r = simple_returns(sp500_monthly())
    for t in st_r.columns:
        x = st_r[t].to_numpy()
        b = sp_r.reindex(st_r.index).to_numpy()
        golden["series"].append(
            {
                "name": f"stocks/{t}",
                "source": "sample:stocks",
                "ticker": t,
                "periodsPerYear": 12,
                "riskFreeRate": 0.02,
                "metrics": series_metrics(x, 12, 0.02),
                "benchmark": benchmark_metrics(x, b, 12, 0.02),
            }
        )

    # --- synthetic daily assets with leading gaps, and one series with interior NaN runs written into the JSON ------
    gaps = simple_returns(wide_csv("reference/data/synth-20x600-gaps.csv"))
    eq = gaps.mean(axis=1, skipna=True)  # an equal-weight market of the assets present, as benchmark
    for t in ["A0001", "A0003", "A0006", "A0017"]:
        x = gaps[t].to_numpy()
        golden["series"].append(
            {
                "name": f"synth20/{t}",
                "source": "reference/data/synth-20x600-gaps.csv",
                "ticker": t,
                "periodsPerYear": 252,
                "riskFreeRate": 0.03,
                "metrics": series_metrics(x, 252, 0.03),
                "benchmark": benchmark_metrics(x, eq.to_numpy(), 252, 0.03),
            }
        )
    golden["synth20Benchmark"] = floats(eq.to_numpy())
    holes = gaps["A0002"].to_numpy().copy()
    for start, length in [(0, 3), (40, 1), (100, 25), (301, 2), (598, 1)]:
        holes[start : start + length] = np.nan
    golden["series"].append(
        {
            "name": "nan-runs",
            "values": floats(holes),
            "periodsPerYear": 252,
            "riskFreeRate": 0.01,
            "metrics": series_metrics(holes, 252, 0.01),
            "var": [
                {"method": m, "confidence": c, "horizon": h, **figs}
                for (m, c, h) in [("historical", 0.95, 1), ("historical", 0.99, 10), ("normal", 0.975, 1),
                                  ("cornish-fisher", 0.99, 5)]
                for figs in [
                    scenario_var(horizon_windows(holes[~np.isnan(holes)][:, None], h), np.array([1.0]), 1 - c)
                    if m == "historical"
                    else parametric_var(holes[~np.isnan(holes)][:, None], np.array([1.0]), 1 - c, h,
                                        m == "cornish-fisher")
                ]
            ],
        }
    )

    # --- the embedded daily S&P 500, 2000-2020: a long series with deep drawdowns -----------------------------------
    daily = simple_returns(sp500_daily()).to_numpy()
    golden["series"].append(
        {
            "name": "sp500-daily",
            "source": "sample:sp500-daily",
            "ticker": "SP500",
            "periodsPerYear": 252,
            "riskFreeRate": 0.02,
            "metrics": series_metrics(daily, 252, 0.02),
            "var": [
                {"method": m, "confidence": c, "horizon": h, **figs}
                for (m, c, h) in [("historical", 0.95, 1), ("historical", 0.99, 10), ("normal", 0.99, 10),
                                  ("cornish-fisher", 0.95, 1), ("cornish-fisher", 0.99, 10)]
                for figs in [
                    scenario_var(horizon_windows(daily[:, None], h), np.array([1.0]), 1 - c)
                    if m == "historical"
                    else parametric_var(daily[:, None], np.array([1.0]), 1 - c, h, m == "cornish-fisher")
                ]
            ],
        }
    )

    var_cases = [
        ("historical", 0.95, 1),
        ("historical", 0.99, 1),
        ("historical", 0.95, 5),
        ("normal", 0.95, 1),
        ("normal", 0.99, 10),
        ("cornish-fisher", 0.95, 1),
        ("cornish-fisher", 0.99, 5),
    ]
    # --- portfolios ---------------------------------------------------------------------------------------------------
    golden["portfolios"].append(
        portfolio_case(
            "stocks-equal",
            "sample:stocks",
            st_r,
            {t: 0.2 for t in st_r.columns},
            12,
            0.02,
            benchmark=sp_r,
            var_cases=var_cases,
        )
    )
    tick20 = list(gaps.columns)
    w20 = np.linspace(-0.5, 1.5, 20)
    w20 = w20 / w20.sum()
    w20[tick20.index("A0006")] = 0.0  # a late listing left out: its dates no longer limit the portfolio's
    sectors20 = pd.read_csv(os.path.join(ROOT, "reference/data/synth-20x600-gaps.sectors.csv"))
    golden["portfolios"].append(
        portfolio_case(
            "synth20-long-short",
            "reference/data/synth-20x600-gaps.csv",
            gaps,
            dict(zip(tick20, w20)),
            252,
            0.03,
            sectors=dict(zip(sectors20["ticker"], sectors20["sector"])),
            var_cases=var_cases,
        )
    )
    s50 = simple_returns(wide_csv("reference/data/synth-50x750.csv"))
    tick50 = list(s50.columns)
    w50 = 1 / 50 + 0.01 * np.sin(np.arange(50))
    w50 = w50 / w50.sum()
    sectors50 = pd.read_csv(os.path.join(ROOT, "reference/data/synth-50x750.sectors.csv"))
    golden["portfolios"].append(
        portfolio_case(
            "synth50",
            "reference/data/synth-50x750.csv",
            s50,
            dict(zip(tick50, w50)),
            252,
            0.0,
            sectors=dict(zip(sectors50["ticker"], sectors50["sector"])),
            var_cases=var_cases,
        )
    )

    # --- chart data ---------------------------------------------------------------------------------------------------
    order = ["AAPL", "MSFT", "GOOG", "IBM", "AMZN"]
    counts, edges = np.histogram(golden["portfolios"][0]["portfolioReturns"], bins=20)
    golden["charts"] = {
        "correlationStocks": {"order": order, "values": floats(st_r.corr().loc[order, order].to_numpy())},
        "correlationSynth50": floats(s50.corr().to_numpy()[:6, :6]),
        "histogram": {"bins": 20, "edges": floats(edges), "counts": [int(c) for c in counts]},
        "clusteredCorrelation": [clustered_correlation(name, df, method)
                                 for name, df in [("sample:stocks", st_r), ("reference/data/synth-50x750.csv", s50)]
                                 for method in ["average", "single", "ward"]],
    }

    # --- Monte Carlo: exact re-runs (3 assets of stocks, complete dates) ------------------------------------------
    X3 = st_r[["MSFT", "AMZN", "IBM"]].dropna().to_numpy()
    w3 = np.array([0.5, 0.3, 0.2])
    golden["monteCarlo"] = {
        "tickers": ["MSFT", "AMZN", "IBM"],
        "weights": floats(w3),
        "runs": [
            {"model": m, "paths": p, "horizon": h, "seed": s, "degreesOfFreedom": nu, "confidence": c,
             **mc_reproduction(xo, zig, X3, w3, m, p, h, s, nu, 1 - c)}
            for (m, p, h, s, nu, c) in [
                ("normal", 1500, 1, 7, None, 0.95),
                ("normal", 700, 3, 11, None, 0.99),
                ("student-t", 1500, 1, 7, 5.5, 0.95),
                ("student-t", 600, 2, 3, 9.0, 0.95),
                ("bootstrap", 2000, 1, 5, None, 0.95),
                ("bootstrap", 1000, 4, 5, None, 0.975),
            ]
        ],
    }
    # Student-t quantiles and standardised tail means E[T | T <= q] (unit-variance scaling applied by the test).
    tq = []
    for nu in [5.0, 8.0]:
        for alpha in [0.05, 0.01]:
            q = stats.t.ppf(alpha, nu)
            mean_tail, _ = integrate.quad(lambda x: x * stats.t.pdf(x, nu), -np.inf, q, epsabs=0, epsrel=1e-13)
            tq.append(
                {
                    "nu": nu,
                    "alpha": alpha,
                    "quantile": float(q),
                    "density": float(stats.t.pdf(q, nu)),
                    "tailMean": float(mean_tail / alpha),
                    "tailSecondMoment": float(
                        integrate.quad(lambda x: x * x * stats.t.pdf(x, nu), -np.inf, q, epsabs=0, epsrel=1e-13)[0]
                        / alpha
                    ),
                }
            )
    golden["studentT"] = tq

    path = os.path.join(HERE, "golden.json")
    with open(path, "w") as fh:
        json.dump(golden, fh, indent=1, allow_nan=False)
        fh.write("\n")
    print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
