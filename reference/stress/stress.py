#!/usr/bin/env python3
"""Independent reference values for src/risk/stress (episode replays, factor shocks, scenarios, reverse stress test).

Every quantity is computed here from the definitions stated in the TypeScript doc comments, with numpy / scipy /
pandas, never by translating the TypeScript:

- episode replays: close dates with pandas periods (`to_period('M' | 'Q' | 'Y' | 'W-SUN').end_time`) for weekly and
  coarser data, the window by boolean masks (anchor = last close <= start, end = first close >= end, covered when some
  close lies in [start, end)), returns with `pct_change`, the rebalanced portfolio `R @ w`, `np.prod`, drawdowns with
  `np.maximum.accumulate` from the starting wealth 1, `idxmin` for the worst period;
- factor shocks: beta and alpha as slope and intercept of `scipy.stats.linregress(market, asset)`, the residual
  covariance `E'E / (T - 1)`, the band with `scipy.stats.norm.ppf`;
- scenarios: `np.cov` on the dates where every series involved has a return, the conditional mean and covariance by
  `np.linalg.solve`, sector totals with pandas `groupby`;
- reverse stress test: the closed form `x = -L S w / (w'S w)`, checked here against a numerical minimisation of the
  Mahalanobis norm under the loss constraint (`scipy.optimize.minimize`, SLSQP) and, for a singular covariance,
  against the pseudo-inverse; the probability with `scipy.stats.norm.cdf`;
- the normal distribution function: its power series summed in Decimal arithmetic with enough digits to absorb the
  cancellation (the golden values), and `scipy.special.ndtr` beside it (whose cephes erfc loses about x^2 eps / 2
  relative accuracy far in the tail, 1e-13 at x = -37, by rounding the exponent).

Writes golden.json beside this file. Run from the repository root:
    /tmp/refenv/bin/python reference/stress/stress.py
"""

import json
import math
import os
import platform
import sys

import numpy as np
import pandas as pd
import scipy
from decimal import Decimal, localcontext

from scipy import optimize, special, stats

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# The built-in episodes of src/risk/stress/episodes.ts (id, start, end), restated here.
EPISODES = [
    ("crash-1987", "1987-08-25", "1987-12-04"),
    ("gulf-war-1990", "1990-07-16", "1990-10-11"),
    ("asian-crisis-1997", "1997-10-07", "1997-10-27"),
    ("ltcm-1998", "1998-07-17", "1998-10-08"),
    ("dot-com-2000", "2000-03-24", "2002-10-09"),
    ("september-11-2001", "2001-09-10", "2001-09-21"),
    ("gfc-2007", "2007-10-09", "2009-03-09"),
    ("flash-crash-2010", "2010-04-23", "2010-07-02"),
    ("us-downgrade-2011", "2011-04-29", "2011-10-03"),
    ("taper-tantrum-2013", "2013-05-21", "2013-06-24"),
    ("china-devaluation-2015", "2015-08-10", "2015-08-25"),
    ("brexit-2016", "2016-06-23", "2016-06-27"),
    ("volatility-spike-2018", "2018-01-26", "2018-02-08"),
    ("q4-2018", "2018-09-20", "2018-12-24"),
    ("covid-crash-2020", "2020-02-19", "2020-03-23"),
    ("covid-recovery-2020", "2020-03-23", "2020-08-18"),
    ("rate-shock-2022", "2022-01-03", "2022-10-12"),
]


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
    return df.set_index("date")[["price"]].rename(columns={"price": "SP500"}).astype(float)


def sp500_daily():
    df = pd.read_csv(os.path.join(ROOT, "samples", "sp500-2000.csv"))
    df["date"] = pd.to_datetime(df["date"], format="%Y-%m-%d")
    return df.set_index("date")[["adjclose"]].rename(columns={"adjclose": "SP500"}).astype(float)


def sectors_of(path):
    return pd.read_csv(os.path.join(ROOT, path)).set_index("ticker")["sector"].to_dict()


def iso(ts):
    return None if ts is None else pd.Timestamp(ts).strftime("%Y-%m-%d")


def num(x):
    x = float(x)
    return x if np.isfinite(x) else None


def floats(a):
    return [num(x) for x in np.asarray(a, dtype=float).ravel()]


def returns_of(prices):
    """p_t / p_{t-1} - 1 on consecutive rows, NaN when either price is missing; the first row dropped."""
    return prices.pct_change(fill_method=None).iloc[1:]


# --------------------------------------------------------------------------------------------------------- episodes
def close_dates(index, periods_per_year, convention):
    if convention == "observation":
        return pd.DatetimeIndex(index)
    freq = {52: "W-SUN", 12: "M", 4: "Q", 1: "Y"}[periods_per_year]
    return pd.DatetimeIndex(pd.PeriodIndex(index, freq=freq).end_time.normalize())


def unreplayed(status, frm, to, missing=()):
    return {
        "status": status,
        "from": iso(frm),
        "to": iso(to),
        "periods": 0,
        "totalReturn": None,
        "buyAndHoldReturn": None,
        "maxDrawdown": None,
        "maxDrawdownPeak": None,
        "maxDrawdownTrough": None,
        "worstPeriod": None,
        "worstPeriodDate": None,
        "missing": list(missing),
        "weights": {},
    }


def replay(prices, weights, start, end, periods_per_year, policy, convention=None):
    """One episode on a portfolio of `prices` (DataFrame, NaN = no price) held at `weights` (dict)."""
    if convention is None:
        convention = "period-end" if periods_per_year in (52, 12, 4, 1) else "observation"
    held = [t for t in prices.columns if weights.get(t, 0) != 0]
    df = prices[held]
    df = df[df.notna().any(axis=1)]
    close = close_dates(df.index, periods_per_year, convention).values
    s = np.datetime64(pd.Timestamp(start))
    e_ = np.datetime64(pd.Timestamp(end))
    at_or_before = np.nonzero(close <= s)[0]
    at_or_after = np.nonzero(close >= e_)[0]
    inside = np.nonzero((close >= s) & (close <= e_))[0]
    resolved = bool(np.any((close >= s) & (close < e_)))
    if len(at_or_before) == 0 or len(at_or_after) == 0:
        if len(inside):
            return unreplayed("partial", df.index[inside[0]], df.index[inside[-1]])
        return unreplayed("outside", None, None)
    a = at_or_before[-1]
    e = at_or_after[0]
    if not resolved:
        return unreplayed("too-short", df.index[a], df.index[e])
    window = df.iloc[a : e + 1]
    missing = [t for t in held if window[t].isna().any()]
    present = [t for t in held if t not in missing]
    if not present or (missing and policy == "exclude-episode"):
        return unreplayed("assets-missing", df.index[a], df.index[e], missing)
    w = pd.Series({t: weights[t] for t in present})
    if missing:
        gross = sum(abs(weights[t]) for t in held)
        w = w * (gross / w.abs().sum())
    rets = window[present].pct_change(fill_method=None).iloc[1:]
    rp = rets.values @ w.values
    wealth = np.cumprod(1 + rp)
    peaks = np.maximum.accumulate(np.concatenate([[1.0], wealth]))[1:]
    dd = wealth / peaks - 1
    if dd.min() >= 0:
        mdd, peak, trough = 0.0, None, None
    else:
        k = int(np.argmin(dd))
        zeros = np.nonzero(dd[:k] == 0)[0]
        mdd = float(dd[k])
        peak = window.index[0] if len(zeros) == 0 else rets.index[zeros[-1]]
        trough = rets.index[k]
    rp_series = pd.Series(rp, index=rets.index)
    first, last = window.iloc[0][present], window.iloc[-1][present]
    return {
        "status": "covered",
        "from": iso(window.index[0]),
        "to": iso(window.index[-1]),
        "periods": int(len(rp)),
        "totalReturn": num(np.prod(1 + rp) - 1),
        "buyAndHoldReturn": num(float((w * (last / first - 1)).sum())),
        "maxDrawdown": num(mdd),
        "maxDrawdownPeak": iso(peak),
        "maxDrawdownTrough": iso(trough),
        "worstPeriod": num(rp_series.min()),
        "worstPeriodDate": iso(rp_series.idxmin()),
        "missing": missing,
        "weights": {t: float(x) for t, x in w.items()},
    }


def inline_matrix(df):
    return {
        "dates": [iso(d) for d in df.index],
        "tickers": list(df.columns),
        "rows": [[None if np.isnan(x) else float(x) for x in row] for row in df.values],
    }


def episode_case(name, source, prices, weights, episodes, periods_per_year, benchmark=None, inline=False):
    out = {
        "name": name,
        "source": source,
        "periodsPerYear": periods_per_year,
        "weights": weights,
        "episodes": [{"id": i, "start": s, "end": e} for i, s, e in episodes],
        "results": {},
    }
    if inline:
        out["prices"] = inline_matrix(prices)
    for policy in ("exclude-episode", "renormalize"):
        rows = []
        for _, s, e in episodes:
            row = {"portfolio": replay(prices, weights, s, e, periods_per_year, policy)}
            if benchmark is not None:
                col = benchmark.columns[0]
                row["benchmark"] = replay(benchmark, {col: 1.0}, s, e, periods_per_year, policy)
            rows.append(row)
        out["results"][policy] = rows
    return out


# ------------------------------------------------------------------------------------------------ factor, scenarios
def common(returns, tickers, market=None):
    df = returns[tickers].copy()
    if market is not None:
        df["__market__"] = market.reindex(df.index)
    return df.dropna()


def factor_case(name, returns, weights, market, shocks):
    held = [t for t in returns.columns if weights.get(t, 0) != 0]
    df = common(returns, held, market)
    m = df.pop("__market__").values
    T = len(df)
    betas, alphas, res = [], [], []
    for t in held:
        fit = stats.linregress(m, df[t].values)
        betas.append(fit.slope)
        alphas.append(fit.intercept)
        res.append(df[t].values - fit.intercept - fit.slope * m)
    betas = np.array(betas)
    E = np.array(res).T
    omega = E.T @ E / (T - 1)
    w = np.array([weights[t] for t in held])
    out = {
        "name": name,
        "tickers": held,
        "weights": w.tolist(),
        "estimationStart": iso(df.index[0]),
        "estimationEnd": iso(df.index[-1]),
        "periods": T,
        "betas": floats(betas),
        "alphas": floats(alphas),
        "residualCovariance": floats(omega),
        "marketVariance": num(np.var(m, ddof=1)),
        "shocks": [],
    }
    for X, h, c in shocks:
        z = stats.norm.ppf((1 + c) / 2)
        vol = np.sqrt(h * np.diag(omega))
        bp = float(w @ betas)
        pvol = float(np.sqrt(h * (w @ omega @ w)))
        out["shocks"].append(
            {
                "marketMove": X,
                "horizon": h,
                "confidence": c,
                "z": num(z),
                "beta": num(bp),
                "move": num(bp * X),
                "residualVolatility": num(pvol),
                "lower": num(bp * X - z * pvol),
                "upper": num(bp * X + z * pvol),
                "assetMoves": floats(betas * X),
                "assetResidualVolatility": floats(vol),
                "assetLower": floats(betas * X - z * vol),
                "assetUpper": floats(betas * X + z * vol),
            }
        )
    return out


def scenario_case(name, returns, weights, scenario, market=None, sectors=None, horizon=1, confidence=0.95):
    """A scenario applied as stated in shocks.ts: explicit moves, then beta X, conditional mean, or 0."""
    held = [t for t in returns.columns if weights.get(t, 0) != 0]
    explicit = {}
    for sector, move in (scenario.get("sectors") or {}).items():
        for t in returns.columns:
            if sectors.get(t) == sector:
                explicit[t] = (move, "sector")
    for t, move in (scenario.get("assets") or {}).items():
        explicit[t] = (move, "asset")
    X = scenario.get("market")
    propagate = bool(scenario.get("propagate", False))
    h = scenario.get("horizon", horizon)
    z = stats.norm.ppf((1 + confidence) / 2)
    inferred = [t for t in held if t not in explicit]
    cond = list(explicit) if propagate else []
    modelled = bool(inferred) and (bool(cond) or X is not None)
    moves = {t: explicit[t][0] for t in explicit}
    origins = {t: explicit[t][1] for t in explicit}
    var = {t: 0.0 for t in returns.columns}
    band = None
    est = None
    if modelled:
        df = common(returns, inferred + cond, market if X is not None else None)
        S = np.cov(df.values, rowvar=False)
        u = len(inferred)
        xc = np.array([explicit[t][0] for t in cond] + ([X] if X is not None else []), dtype=float)
        S_uc = S[:u, u:]
        S_cc = S[u:, u:]
        mean_u = S_uc @ np.linalg.solve(S_cc, xc)
        V = S[:u, :u] - S_uc @ np.linalg.solve(S_cc, S_uc.T)
        wu = np.array([weights[t] for t in inferred])
        for i, t in enumerate(inferred):
            moves[t] = float(mean_u[i])
            origins[t] = "propagated" if propagate else "market"
            var[t] = max(0.0, float(V[i, i]))
        band_var = max(0.0, float(wu @ V @ wu))
        est = {"start": iso(df.index[0]), "end": iso(df.index[-1]), "periods": len(df)}
    w = np.array([weights[t] for t in held])
    x = np.array([moves.get(t, 0.0) for t in held])
    pnl = float(w @ x)
    if modelled:
        vol = np.sqrt(h * band_var)
        band = {"volatility": num(vol), "lower": num(pnl - z * vol), "upper": num(pnl + z * vol)}
    half = np.array([z * np.sqrt(h * var[t]) for t in held])
    out = {
        "name": name,
        "scenario": scenario,
        "horizon": h,
        "confidence": confidence,
        "tickers": held,
        "moves": floats(x),
        "origins": [origins.get(t, "none") for t in held],
        "lower": floats(x - half),
        "upper": floats(x + half),
        "contributions": floats(w * x),
        "pnl": num(pnl),
        "band": band,
        "estimation": est,
    }
    if sectors is not None:
        frame = pd.DataFrame({"sector": [sectors.get(t, "unassigned") for t in held], "w": w, "c": w * x})
        g = frame.groupby("sector", sort=False).sum()
        out["sectors"] = {s: {"weight": float(r["w"]), "pnl": float(r["c"])} for s, r in g.iterrows()}
    return out


# --------------------------------------------------------------------------------------------------------- reverse
def reverse_case(name, returns, weights, loss, horizon, end=None):
    held = [t for t in returns.columns if weights.get(t, 0) != 0]
    df = common(returns if end is None else returns.loc[:end], held)
    S = np.cov(df.values, rowvar=False)
    w = np.array([weights[t] for t in held])
    Sh = horizon * S
    wSw = float(w @ Sh @ w)
    x = -loss * (Sh @ w) / wSw
    d = loss / np.sqrt(wSw)
    assert abs(w @ x + loss) < 1e-12 * max(1, loss)
    n = len(held)
    if np.linalg.matrix_rank(S) == n:
        inv = np.linalg.inv(Sh)
        assert abs(np.sqrt(x @ inv @ x) / d - 1) < 1e-9
        fit = optimize.minimize(
            lambda y: y @ inv @ y,
            x0=-loss * w / (w @ w),
            jac=lambda y: 2 * inv @ y,
            constraints=[{"type": "eq", "fun": lambda y: w @ y + loss, "jac": lambda y: w}],
            method="SLSQP",
            options={"ftol": 1e-15, "maxiter": 1000},
        )
        assert fit.success, fit.message
        assert np.max(np.abs(fit.x - x)) < 1e-5 * np.max(np.abs(x)), (fit.x, x)
        singular = False
    else:
        pinv = np.linalg.pinv(Sh)
        assert abs(np.sqrt(x @ pinv @ x) / d - 1) < 1e-8
        singular = True
    return {
        "name": name,
        "end": end,
        "tickers": held,
        "weights": w.tolist(),
        "loss": loss,
        "horizon": horizon,
        "periods": len(df),
        "singular": singular,
        "volatility": num(np.sqrt(wSw)),
        "mahalanobisDistance": num(d),
        "probability": num(stats.norm.cdf(-d)),
        "moves": floats(x),
        "movesInSigmas": floats(x / np.sqrt(np.diag(Sh))),
    }


# ------------------------------------------------------------------------------------------------- normal function
def decimal_pi(digits):
    """pi to `digits` digits by Machin's formula pi = 16 atan(1/5) - 4 atan(1/239), in Decimal arithmetic."""
    with localcontext() as ctx:
        ctx.prec = digits + 10

        tiny = Decimal(10) ** (-(digits + 10))

        def atan_inv(n):
            total = term = Decimal(1) / n
            n2 = n * n
            k = 1
            while abs(term) > tiny:
                term /= -n2
                total += term / (2 * k + 1)
                k += 1
            return total

        return +(16 * atan_inv(5) - 4 * atan_inv(239))


def normal_cdf_high_precision(x):
    """Phi(x) of the double x, exact to ~40 digits: the series 1/2 + phi(x) sum x^(2k+1) / (2k+1)!! summed in Decimal with
    enough digits to absorb its cancellation (about x^2 / (2 ln 10) of them) -- a different route from scipy's erfc."""
    digits = 60 + int(x * x / (2 * math.log(10)))
    pi = decimal_pi(digits)
    with localcontext() as ctx:
        ctx.prec = digits
        X = Decimal(x)
        x2 = X * X
        term = total = X
        k = 1
        while True:
            term = term * x2 / (2 * k + 1)
            total += term
            if k > x * x and abs(term) <= abs(total) * Decimal(10) ** (-ctx.prec):  # <=: x = 0 sums zeros
                break
            k += 1
        pdf = (-x2 / 2).exp() / (2 * pi).sqrt()
        return float(Decimal("0.5") + pdf * total)


# ------------------------------------------------------------------------------------------------------------ main
def main():
    golden = {
        "header": {
            "script": "reference/stress/stress.py",
            "python": platform.python_version(),
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "pandas": pd.__version__,
        },
        "episodes": [],
        "factor": [],
        "scenarios": [],
        "reverse": [],
    }

    # --- episode replays ----------------------------------------------------------------------------------------
    spd = sp500_daily()
    golden["episodes"].append(
        episode_case("sp500-daily", "sample:sp500-daily", spd, {"SP500": 1.0}, EPISODES, 252)
    )
    st = stocks()
    spm = sp500_monthly()
    stock_weights = {"MSFT": 0.3, "AMZN": 0.2, "IBM": 0.1, "GOOG": 0.15, "AAPL": 0.25}
    golden["episodes"].append(
        episode_case("stocks-monthly", "sample:stocks", st, stock_weights, EPISODES, 12, benchmark=spm)
    )
    s20 = wide_csv("reference/data/synth-20x600-gaps.csv")
    bench20 = s20[["A0001"]]
    s20 = s20.drop(columns=["A0001"])
    w20 = {t: (((i * 7) % 11) - 4) / 20 for i, t in enumerate(s20.columns)}
    w20["A0010"] = 0.0  # not held
    synth_episodes = EPISODES + [
        ("weekend-bounds", "2000-06-03", "2000-07-15"),
        ("before-a-listing", "2000-01-10", "2000-03-01"),
        ("all-listed", "2001-03-01", "2001-06-29"),
        ("inside-a-weekend", "2001-02-03", "2001-02-04"),
        ("one-day", "2001-05-14", "2001-05-15"),
        ("past-the-end", "2002-03-01", "2002-06-30"),
        ("before-the-start", "1999-12-01", "2000-02-01"),
        ("after-the-end", "2003-01-01", "2003-02-01"),
    ]
    golden["episodes"].append(
        episode_case(
            "synth-20-daily",
            "reference/data/synth-20x600-gaps.csv",
            s20,
            w20,
            synth_episodes,
            252,
            benchmark=bench20,
        )
    )
    # Weekly prices dated on Mondays with an interior gap, inline (Sunday close dates under 'period-end').
    rng = np.random.default_rng(20240601)
    mondays = pd.date_range("2008-06-02", periods=60, freq="W-MON")
    weekly = pd.DataFrame(
        100 * np.exp(np.cumsum(rng.normal(0.0, 0.04, size=(60, 3)), axis=0)),
        index=mondays,
        columns=["W1", "W2", "W3"],
    )
    weekly.iloc[20:23, 2] = np.nan
    weekly_episodes = [
        ("weekly-covered", "2008-07-09", "2008-09-24"),
        ("weekly-gap", "2008-09-30", "2008-12-02"),
        ("weekly-one-week", "2008-08-05", "2008-08-07"),
        ("weekly-sunday-start", "2008-07-13", "2008-08-03"),
        ("gfc-2007", "2007-10-09", "2009-03-09"),
    ]
    golden["episodes"].append(
        episode_case(
            "weekly-inline",
            "inline",
            weekly,
            {"W1": 0.5, "W2": -0.2, "W3": 0.6},
            weekly_episodes,
            52,
            inline=True,
        )
    )

    # --- factor shocks ------------------------------------------------------------------------------------------
    st_r = returns_of(st)
    spm_r = returns_of(spm)["SP500"]
    golden["factor"].append(
        factor_case("stocks-sp500", st_r, stock_weights, spm_r, [(-0.2, 1, 0.95), (-0.35, 3, 0.9), (0.1, 2, 0.99)])
    )
    s50 = wide_csv("reference/data/synth-50x750.csv")
    sectors50 = sectors_of("reference/data/synth-50x750.sectors.csv")
    m50 = returns_of(s50[["A0050"]])["A0050"]
    r50 = returns_of(s50.drop(columns=["A0050"]))
    w50 = {t: (((i * 5) % 9) - 2) / 30 for i, t in enumerate(r50.columns)}
    golden["factor"].append(factor_case("synth-50", r50, w50, m50, [(-0.25, 21, 0.95), (-0.05, 1, 0.5)]))

    # --- scenarios ----------------------------------------------------------------------------------------------
    sector_names = sorted(set(sectors50.values()))
    first, second = sector_names[0], sector_names[1]
    held50 = [t for t in r50.columns if w50[t] != 0]
    unheld50 = [t for t in r50.columns if w50[t] == 0]
    scen = [
        ("explicit", {"name": "explicit", "sectors": {first: -0.3, second: 0.05}, "assets": {held50[0]: -0.5}}),
        (
            "propagated",
            {"name": "propagated", "sectors": {first: -0.3}, "assets": {held50[0]: -0.5}, "propagate": True},
        ),
        ("market", {"name": "market", "market": -0.2, "assets": {held50[1]: 0.1}, "horizon": 21}),
        (
            "market-propagated",
            {"name": "market-propagated", "market": -0.2, "assets": {held50[1]: 0.1, unheld50[0]: -0.4}, "propagate": True, "horizon": 5},
        ),
        ("unheld-propagated", {"name": "unheld-propagated", "assets": {unheld50[0]: -0.4, unheld50[1]: -0.2}, "propagate": True}),
    ]
    for label, s in scen:
        golden["scenarios"].append(
            scenario_case(
                label,
                r50,
                w50,
                s,
                market=m50 if s.get("market") is not None else None,
                sectors=sectors50,
                horizon=10,
                confidence=0.9,
            )
        )
    golden["scenarios"].append(
        scenario_case(
            "stocks-market",
            st_r,
            stock_weights,
            {"name": "stocks-market", "market": -0.2},
            market=spm_r,
            horizon=1,
            confidence=0.95,
        )
    )
    golden["scenarioInputs"] = {
        "synth50": {"prices": "reference/data/synth-50x750.csv", "market": "A0050", "weights": w50},
        "stocks": {"weights": stock_weights},
    }

    # --- reverse stress test ------------------------------------------------------------------------------------
    golden["reverse"].append(reverse_case("stocks", st_r, stock_weights, 0.2, 1))
    golden["reverse"].append(reverse_case("stocks-h3", st_r, stock_weights, 0.35, 3))
    golden["reverse"].append(reverse_case("synth-50", r50, w50, 0.3, 21))
    golden["reverse"].append(reverse_case("synth-50-singular", r50, w50, 0.1, 5, end=iso(r50.index[29])))

    # --- normal distribution function ---------------------------------------------------------------------------
    xs = np.concatenate([np.linspace(-37, 9, 185), [-1e-8, 1e-8, -1.9999999, 2.0, -2.0, 1.9999999]])
    hp = [normal_cdf_high_precision(float(x)) for x in xs]
    ndtr = special.ndtr(xs)
    near = np.abs(xs) <= 10
    assert np.max(np.abs(np.array(hp)[near] / ndtr[near] - 1)) < 1e-13  # two routes agree where scipy is accurate
    golden["normalCdf"] = {"x": floats(xs), "ndtr": floats(ndtr), "highPrecision": floats(hp)}

    path = os.path.join(HERE, "golden.json")
    with open(path, "w") as fh:
        json.dump(golden, fh, indent=1, allow_nan=False)
        fh.write("\n")
    print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
