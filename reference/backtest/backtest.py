#!/usr/bin/env python3
"""Golden NAV series for pfopt's backtest engine, from an independent walk-forward simulation written with numpy,
pandas and cvxpy (Clarabel) from the conventions stated in the README ("Backtesting"), not from pfopt's code:

- rebalancing dates: the last date of each calendar period (Monday-Sunday weeks, months, quarters, years) in the
  price index, except the final date; the first is the first such date with at least `lookback` returns up to it
  (row index >= lookback). With a drift threshold X, any later date but the final one where a weight of an asset with
  a price differs from its target by more than X is a rebalancing date too;
- the simulation starts on the first rebalancing date with capital 1 in cash; the strategy sees prices up to and
  including the date; trades happen at that date's close (or at the next date's close, "next-close");
- cost at a trade date with NAV V before trading, drifted weights d and targets e: for every traded asset
  max(minimum, bps / 1e4 * |e - d| V + fixed) + slippage / 1e4 * |e - d| V; V - cost is invested at the targets;
- an asset with no price on a date is valued at its last price and not traded: it keeps its shares and drifted weight
  d_F, the other targets are scaled by (sum_T w + sum_F (w - d)) / sum_T w; the frozen value stays, and the tradable
  assets share V - cost - frozen value in proportion to e / (1 - sum_F d);
- an asset with no price after its last one (before the end) is sold at that last price on the next date, with costs;
- holdings are constant in shares between rebalances; the NAV series starts on the first rebalancing date.

Strategies: equal weight over the assets with a price on the date; minimum volatility (minimise w' S w, sum w = 1,
0 <= w <= 1, solved by cvxpy + Clarabel at 1e-12 tolerances) with S the sample covariance (ddof 1) of the simple
returns of the last `lookback` returns (lookback + 1 prices), over the assets with a price on the date and all of
those prices.

Inputs: reference/backtest/synth-12x520.csv (pfopt's synthetic generator: `pfopt data synth --assets 12 --periods 520
--seed 5 --late-listings 0.25 --crash`), with holes punched below and written to synth-12x520-holes.csv (a delisting,
gaps over month ends, a single missing day), and samples/stocks.csv (monthly, long layout, GOOG from 2004-08).

Run:  /tmp/refenv/bin/python reference/backtest/backtest.py   (numpy, pandas, cvxpy with Clarabel)
Writes reference/backtest/golden.json and reference/backtest/synth-12x520-holes.csv.
"""

import json
import os

import cvxpy as cp
import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))


def holes():
    p = pd.read_csv(os.path.join(HERE, 'synth-12x520.csv'), index_col=0, parse_dates=True)
    p.loc[p.index > '2001-06-15', 'A0004'] = np.nan  # delisted after 2001-06-15
    p.loc['2000-06-29':'2000-07-05', 'A0007'] = np.nan  # no price over the June 2000 month end
    p.loc['2001-02-26':'2001-03-02', 'A0011'] = np.nan  # no price over the February 2001 month end
    p.loc['2000-10-11', 'A0002'] = np.nan  # one missing day inside a month
    out = os.path.join(HERE, 'synth-12x520-holes.csv')
    with open(out, 'w') as f:
        f.write('date,' + ','.join(p.columns) + '\n')
        for d, row in p.iterrows():
            f.write(d.strftime('%Y-%m-%d') + ',' + ','.join('' if np.isnan(v) else repr(float(v)) for v in row) + '\n')
    return p


def stocks():
    s = pd.read_csv(os.path.join(ROOT, 'samples', 'stocks.csv'))
    s['date'] = pd.to_datetime(s['date'], format='%b %d %Y')
    return s.pivot(index='date', columns='symbol', values='price')[['MSFT', 'AMZN', 'IBM', 'GOOG', 'AAPL']]


def period_key(d, freq):
    if freq == 'weekly':
        return (d - pd.Timedelta(days=d.weekday())).toordinal()
    if freq == 'monthly':
        return d.year * 12 + d.month
    if freq == 'quarterly':
        return d.year * 4 + (d.month - 1) // 3
    return d.year


def equal_weight(P, t, lookback):
    ok = ~np.isnan(P[t])
    w = np.zeros(P.shape[1])
    w[ok] = 1.0 / ok.sum()
    return w


def min_volatility(P, t, lookback):
    window = P[t - lookback:t + 1]
    ok = ~np.isnan(window).any(axis=0)
    idx = np.flatnonzero(ok)
    w = np.zeros(P.shape[1])
    if len(idx) == 1:
        w[idx] = 1.0
        return w
    r = window[1:, idx] / window[:-1, idx] - 1
    S = np.cov(r, rowvar=False, ddof=1) * 252
    x = cp.Variable(len(idx))
    prob = cp.Problem(cp.Minimize(cp.quad_form(x, cp.psd_wrap(S))), [cp.sum(x) == 1, x >= 0, x <= 1])
    prob.solve(solver=cp.CLARABEL, tol_gap_abs=1e-13, tol_gap_rel=1e-13, tol_feas=1e-13, max_iter=500)
    v = np.clip(x.value, 0, 1)
    w[idx] = v / v.sum()
    return w


STRATEGIES = {'equal-weight': equal_weight, 'min-volatility': min_volatility}


def backtest(prices, strategy, freq, lookback, bps=0.0, fixed=0.0, minimum=0.0, slippage=0.0, execution='close',
             drift=None):
    P = prices.values.astype(float)
    dates = prices.index
    n, m = P.shape
    keys = [period_key(d, freq) for d in dates]
    calendar = {i for i in range(lookback, n - 1) if keys[i] != keys[i + 1]}
    start = min(calendar)
    last_valid = [int(np.flatnonzero(~np.isnan(P[:, j]))[-1]) for j in range(m)]
    mark = np.array([P[:start + 1, j][~np.isnan(P[:start + 1, j])][-1] if (~np.isnan(P[:start + 1, j])).any()
                     else np.nan for j in range(m)])
    shares = np.zeros(m)
    state = dict(cash=1.0, costs=0.0, turnover=0.0, trades=0)

    def fee(value):
        return max(minimum, bps / 1e4 * value + fixed) + slippage / 1e4 * value

    def holdings():
        return float(np.sum(shares[shares != 0] * mark[shares != 0]))

    def execute(t, w):
        V = state['cash'] + holdings()
        d = np.where(shares != 0, shares * np.nan_to_num(mark), 0.0) / V
        T = ~np.isnan(P[t])
        F = ~T
        sum_T = w[T].sum()
        scale = (sum_T + w[F].sum() - d[F].sum()) / sum_T if sum_T != 0 else 0.0
        e = np.where(T, w * scale, d)
        cost = 0.0
        for j in np.flatnonzero(T & (e != d)):
            cost += fee(abs(e[j] - d[j]) * V)
            state['trades'] += 1
        frozen = float(np.sum(shares[F] * np.nan_to_num(mark[F])))
        invest = V - cost - frozen
        dollars = invest * e[T] / (1 - d[F].sum())
        shares[T] = dollars / P[t, T]
        mark[T] = P[t, T]
        state['cash'] = V - cost - frozen - dollars.sum()
        state['costs'] += cost
        state['turnover'] += float(np.abs(e - d).sum())

    nav = []
    target = None
    pending = None
    for t in range(start, n):
        if t > start:
            ok = ~np.isnan(P[t])
            mark[ok] = P[t, ok]
        for j in range(m):
            if shares[j] != 0 and last_valid[j] == t - 1:
                value = abs(shares[j]) * mark[j]
                cost = fee(value)
                state['cash'] += shares[j] * mark[j] - cost
                state['costs'] += cost
                state['trades'] += 1
                shares[j] = 0.0
        if pending is not None:
            execute(t, pending)
            pending = None
        decide = t == start or t in calendar
        if not decide and drift is not None and target is not None and t < n - 1:
            V = state['cash'] + holdings()
            w_now = np.where(shares != 0, shares * np.nan_to_num(mark), 0.0) / V
            ok = ~np.isnan(P[t])
            decide = bool(np.any(np.abs(w_now - target)[ok] > drift))
        if decide:
            target = strategy(P, t, lookback)
            if execution == 'close':
                execute(t, target)
            else:
                pending = target
        nav.append(state['cash'] + holdings())
    return dict(start=dates[start].strftime('%Y-%m-%d'), dates=[d.strftime('%Y-%m-%d') for d in dates[start:]],
                nav=nav, costs=state['costs'], turnover=state['turnover'], trades=state['trades'])


CASES = [
    # name, data, strategy, frequency, lookback, options
    ('synth equal weight monthly 10 bps', 'synth', 'equal-weight', 'monthly', 60, dict(bps=10)),
    ('synth equal weight weekly, fees, minimum, slippage', 'synth', 'equal-weight', 'weekly', 20,
     dict(bps=5, fixed=0.0002, minimum=0.0005, slippage=3)),
    ('synth equal weight quarterly, drift 0.02, next close', 'synth', 'equal-weight', 'quarterly', 60,
     dict(bps=10, drift=0.02, execution='next-close')),
    ('stocks equal weight monthly 25 bps', 'stocks', 'equal-weight', 'monthly', 12, dict(bps=25)),
    ('stocks equal weight annual, drift 0.05, 10 bps', 'stocks', 'equal-weight', 'annual', 12,
     dict(bps=10, drift=0.05)),
    ('synth min volatility monthly 10 bps', 'synth', 'min-volatility', 'monthly', 60, dict(bps=10)),
    ('stocks min volatility quarterly 10 bps', 'stocks', 'min-volatility', 'quarterly', 24, dict(bps=10)),
]


def main():
    data = {'synth': holes(), 'stocks': stocks()}
    out = []
    for name, source, strategy, freq, lookback, opts in CASES:
        r = backtest(data[source], STRATEGIES[strategy], freq, lookback, **opts)
        out.append(dict(name=name, data=source, strategy=strategy, rebalance=freq, lookback=lookback,
                        options=opts, **r))
        print(f'{name}: {len(r["nav"])} dates from {r["start"]}, final NAV {r["nav"][-1]:.10f}, '
              f'costs {r["costs"]:.3e}, trades {r["trades"]}')
    with open(os.path.join(HERE, 'golden.json'), 'w') as f:
        json.dump(dict(generator='reference/backtest/backtest.py', cases=out), f, indent=1)


if __name__ == '__main__':
    main()
