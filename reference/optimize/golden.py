#!/usr/bin/env python3
"""Golden values for pfopt's mean-variance optimiser, computed with cvxpy + Clarabel (an interior-point conic solver)
at tight tolerances, independently of pfopt's code.

Inputs (committed, shared with the TypeScript tests):
  - reference/data/synth-50x750.csv: 50 synthetic assets x 750 business days, 5 sectors (all 50, and the first 20);
  - samples/stocks.csv: 5 US stocks, monthly, long layout, on the dates where all five have prices (GOOG from 2004-08);
    their sector map (Hardware: AAPL, IBM; Software: MSFT; Internet: GOOG, AMZN) is made up for the sector cases;
  - samples/stocks.csv, MSFT AMZN IBM AAPL on two short windows (stocks4w: 2000-02 to 2002-02, arithmetic mean;
    stocks4b: 2001-01 to 2001-11, CAGR, the window of a 10-month backtest rebalance on 2001-11-01) where the
    long-only minimum-volatility portfolio is all IBM, so pfopt's frontier walk starts on a flat segment (its one
    free weight is pinned by the budget); in stocks4w IBM also has the highest return and the frontier is that one
    point. pfopt once failed on both with an internal error (degenerate_cases_for).

Estimates (computed here with pandas and stored in the JSON, so both sides optimise exactly the same numbers):
  - simple returns r_t = p_t / p_{t-1} - 1 on the dates where every asset has a price;
  - mu: the arithmetic mean of r_t times the periods per year (synthetic data), or the CAGR
    prod(1 + r_t)^(P / T) - 1 (stocks), as PyPortfolioOpt's mean_historical_return does;
  - Sigma: the sample covariance (ddof 1) times the periods per year.

Each case states the problem in pfopt's own terms (the fields of MeanVarianceProblem and an objective) and is solved
here from the mathematical definition of the objective (see src/optimize/mean-variance.ts for the table); max Sharpe
uses the homogenised transform y = k w. Every QP-representable case is re-solved with OSQP (polished) as a second,
independent solver, and the largest weight difference is stored under "check"; when the two differ by more than 1e-9
the one with the better objective value is the reference (check.reference is then true). Cases with a volatility constraint
(efficient risk, a binding cap) are second-order-cone problems that Clarabel cannot certify to 1e-12 (it stops
"optimal_inaccurate", up to 1e-5 away in a weight); for those the reference is the point found by bisection over
QPs of the Lagrangian w'Sw - tau f(w) (each solved by Clarabel to 1e-12, the volatility matched to 1e-14), verified
against every constraint, with Clarabel's cone solution kept under check.clarabelWeights.

Run:  /tmp/refenv/bin/python reference/optimize/golden.py   (numpy, pandas, cvxpy 1.9 with Clarabel and OSQP)
Writes reference/optimize/golden.json.
"""

import json
import os
import sys

import clarabel
import cvxpy as cp
import numpy as np
import pandas as pd

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
CLARABEL = dict(solver=cp.CLARABEL, tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12, tol_ktratio=1e-10,
                max_iter=500)
OSQP = dict(solver=cp.OSQP, eps_abs=1e-11, eps_rel=1e-11, polishing=True, max_iter=2_000_000, polish_refine_iter=50)


# ----------------------------------------------------------------------------------------------------------- data

def dataset_from_prices(prices, periods, mu_method, source, sectors=None):
    prices = prices.dropna()
    r = prices.pct_change().iloc[1:]
    if mu_method == 'mean':
        mu = r.mean() * periods
    else:
        mu = (1 + r).prod() ** (periods / r.count()) - 1
    cov = r.cov() * periods  # ddof 1
    tickers = list(prices.columns)
    out = dict(source=source, periodsPerYear=periods, muMethod=mu_method, firstDate=str(prices.index[0].date()),
               lastDate=str(prices.index[-1].date()), returns=int(len(r)), tickers=tickers,
               mu=[float(v) for v in mu.values], cov=[float(v) for v in cov.values.flatten()])
    if sectors is not None:
        out['sectors'] = {t: sectors[t] for t in tickers}
    return out


def load_datasets():
    px = pd.read_csv(os.path.join(ROOT, 'reference/data/synth-50x750.csv'), index_col=0, parse_dates=True)
    sec = pd.read_csv(os.path.join(ROOT, 'reference/data/synth-50x750.sectors.csv'))
    sectors = dict(zip(sec.ticker, sec.sector))
    st = pd.read_csv(os.path.join(ROOT, 'samples/stocks.csv'))
    st['date'] = pd.to_datetime(st['date'], format='%b %d %Y')
    wide = st.pivot(index='date', columns='symbol', values='price')
    stock_sectors = dict(AAPL='Hardware', IBM='Hardware', MSFT='Software', GOOG='Internet', AMZN='Internet')
    # Windows where the long-only minimum-volatility portfolio is all IBM (see the module docstring).
    four = wide[['MSFT', 'AMZN', 'IBM', 'AAPL']]
    return {
        'synth50': dataset_from_prices(px, 252, 'mean', 'reference/data/synth-50x750.csv (all 50 assets)', sectors),
        'synth20': dataset_from_prices(px.iloc[:, :20], 252, 'mean',
                                       'reference/data/synth-50x750.csv (first 20 assets)', sectors),
        'stocks5': dataset_from_prices(wide, 12, 'cagr', 'samples/stocks.csv (dates where all five have prices)',
                                       stock_sectors),
        'stocks4w': dataset_from_prices(four.loc['2000-02-01':'2002-02-01'], 12, 'mean',
                                        'samples/stocks.csv, MSFT AMZN IBM AAPL from 2000-02-01 to 2002-02-01'),
        'stocks4b': dataset_from_prices(four.loc['2001-01-01':'2001-11-01'], 12, 'cagr',
                                        'samples/stocks.csv, MSFT AMZN IBM AAPL from 2001-01-01 to 2001-11-01 '
                                        '(the 10-return window of a backtest rebalance on 2001-11-01)'),
    }


# ------------------------------------------------------------------------------------------------------ problems

class Problem:
    """A MeanVarianceProblem (pfopt's field names) over a dataset."""

    def __init__(self, ds, spec):
        self.ds = ds
        self.spec = spec
        self.n = len(ds['tickers'])
        self.mu = np.array(ds['mu'])
        self.S = np.array(ds['cov']).reshape(self.n, self.n)
        self.rf = spec.get('riskFreeRate', 0.0)
        b = spec.get('bounds', [0.0, 1.0])
        if isinstance(b, dict):
            self.lo, self.hi = np.array(b['lower'], float), np.array(b['upper'], float)
        else:
            self.lo, self.hi = np.full(self.n, float(b[0])), np.full(self.n, float(b[1]))
        self.budget = 0.0 if spec.get('marketNeutral') else spec.get('budget', 1.0)
        self.l2 = spec.get('l2', 0.0)
        self.c = spec.get('transactionCost', 0.0)
        self.w0 = np.array(spec['currentWeights']) if 'currentWeights' in spec else np.zeros(self.n)
        self.T = spec.get('maxTurnover')
        self.L = spec.get('maxLeverage')
        self.cap = spec.get('maxVolatility')
        self.groups = []
        if 'sectors' in spec:
            m = spec['sectors']['map']
            names = sorted(set(m[t] for t in ds['tickers'] if t in m))
            for name in names:
                idx = [i for i, t in enumerate(ds['tickers']) if m.get(t) == name]
                lo = spec['sectors'].get('lower', {}).get(name, -np.inf)
                hi = spec['sectors'].get('upper', {}).get(name, np.inf)
                self.groups.append((name, idx, lo, hi))

    def constraints(self, w, k=None):
        """The linear constraints on w, or homogenised with scale k (y = k w)."""
        one = 1 if k is None else k
        cons = [cp.sum(w) == self.budget * one]
        if k is None:
            cons += [w >= self.lo, w <= self.hi]
        else:
            cons += [w >= self.lo * k, w <= self.hi * k, k >= 0]
        for _, idx, lo, hi in self.groups:
            if np.isfinite(lo):
                cons.append(cp.sum(w[idx]) >= lo * one)
            if np.isfinite(hi):
                cons.append(cp.sum(w[idx]) <= hi * one)
        if self.T is not None:
            cons.append(cp.norm1(w - self.w0 * one) <= self.T * one)
        if self.L is not None:
            cons.append(cp.norm1(w) <= self.L * one)
        return cons

    def cost(self, w):
        return self.c * cp.norm1(w - self.w0) if self.c > 0 else 0

    # Values from weights, the definitions of src/optimize/mean-variance.ts.
    def variance(self, w):
        return float(w @ self.S @ w)

    def metrics(self, w, objective):
        var = self.variance(w)
        ret = float(self.mu @ w)
        l2 = self.l2 * float(w @ w)
        cost = self.c * float(np.abs(w - self.w0).sum())
        kind = objective['kind']
        if kind in ('min-volatility', 'efficient-return'):
            val = var + l2 + cost
        elif kind == 'max-sharpe':
            val = (ret - self.rf * self.budget - cost) / np.sqrt(var + l2)
        elif kind == 'max-utility':
            val = ret - objective['riskAversion'] / 2 * var - l2 - cost
        else:
            val = ret - l2 - cost
        vol = np.sqrt(var)
        return dict(weights=[float(v) for v in w], objectiveValue=float(val), expectedReturn=ret, volatility=float(vol),
                    sharpe=float((ret - self.rf * self.budget) / vol) if vol > 0 else 0.0,
                    turnover=float(np.abs(w - self.w0).sum()) if ('currentWeights' in self.spec) else 0.0)


INACCURATE = [False]


def solve(prob, opts):
    """Solves; Clarabel stops some second-order-cone cases (volatility constraints) as "optimal_inaccurate" at 1e-12
    because it cannot certify the gap that tightly. Such a point is accepted, flagged on the case, verified against
    every constraint to 1e-9 (`verify`) and cross-checked against an independent QP-based solution (`risk_check`),
    which showed it to be within about 1e-7 of the exact point (Clarabel at 1e-9, where it reports "optimal",
    is further away)."""
    prob.solve(**opts)
    if prob.status == cp.OPTIMAL_INACCURATE and opts.get('solver') == cp.CLARABEL:
        INACCURATE[0] = True
        return
    if prob.status != cp.OPTIMAL:
        raise RuntimeError(f'solver status {prob.status}')


def verify(P, w, objective, tol=1e-9):
    """Raises unless w meets every constraint of P (and the volatility target) to tol."""
    problems = []
    if (w < P.lo - tol).any() or (w > P.hi + tol).any():
        problems.append('bounds')
    if abs(w.sum() - P.budget) > tol:
        problems.append('budget')
    for name, idx, lo, hi in P.groups:
        t = w[idx].sum()
        if t < lo - tol or t > hi + tol:
            problems.append(f'sector {name}')
    if P.T is not None and np.abs(w - P.w0).sum() > P.T + tol:
        problems.append('turnover')
    if P.L is not None and np.abs(w).sum() > P.L + tol:
        problems.append('leverage')
    vol = np.sqrt(P.variance(w))
    if P.cap is not None and vol > P.cap + tol:
        problems.append('volatility cap')
    if objective['kind'] == 'efficient-risk' and vol > objective['targetVolatility'] + tol:
        problems.append('target volatility')
    if problems:
        raise RuntimeError('reference solution violates ' + ', '.join(problems))


def solve_objective(P, objective, opts):
    """Solves one objective; returns the weights (numpy)."""
    n = P.n
    kind = objective['kind']
    if kind == 'max-sharpe':
        y = cp.Variable(n)
        k = cp.Variable()
        excess = P.mu @ y - P.rf * P.budget * k
        if P.c > 0:
            excess = excess - P.c * cp.norm1(y - P.w0 * k)
        risk = cp.quad_form(y, P.S) + (P.l2 * cp.sum_squares(y) if P.l2 > 0 else 0)
        cons = P.constraints(y, k) + [excess >= 1]
        solve(cp.Problem(cp.Minimize(risk), cons), opts)
        w = y.value / k.value
        if P.cap is not None and np.sqrt(P.variance(w)) > P.cap * (1 + 1e-12):
            return solve_objective(P, dict(kind='efficient-risk', targetVolatility=P.cap), opts)
        return w
    w = cp.Variable(n)
    cons = P.constraints(w)
    var = cp.quad_form(w, P.S)
    l2 = P.l2 * cp.sum_squares(w) if P.l2 > 0 else 0
    if kind == 'min-volatility':
        obj = cp.Minimize(var + l2 + P.cost(w))
    elif kind == 'efficient-return':
        obj = cp.Minimize(var + l2 + P.cost(w))
        cons.append(P.mu @ w >= objective['targetReturn'])
    elif kind == 'max-utility':
        obj = cp.Maximize(P.mu @ w - objective['riskAversion'] / 2 * var - l2 - P.cost(w))
        if P.cap is not None:
            cons.append(var <= P.cap ** 2)
    elif kind == 'efficient-risk':
        obj = cp.Maximize(P.mu @ w - l2 - P.cost(w))
        cons.append(var <= objective['targetVolatility'] ** 2)
    else:
        raise ValueError(kind)
    solve(cp.Problem(obj, cons), opts)
    return np.array(w.value)


def risk_check(P, sigma):
    """The efficient-risk point by a different route: w(tau) = argmin w'Sw - tau (mu'w - gamma ||w||^2 - c |w - w0|_1)
    (QPs, Clarabel at 1e-12) has a volatility increasing in tau; bisection on log tau until it equals sigma to 1e-14."""
    def at(tau):
        w = cp.Variable(P.n)
        f = P.mu @ w - (P.l2 * cp.sum_squares(w) if P.l2 > 0 else 0) - P.cost(w)
        solve(cp.Problem(cp.Minimize(cp.quad_form(w, P.S) - tau * f), P.constraints(w)), CLARABEL)
        return np.array(w.value)
    lo, hi = -12.0, 1.0
    while np.sqrt(P.variance(at(10 ** hi))) < sigma:
        if hi >= 6 and P.l2 == 0 and P.c == 0:
            # A target at or above the volatility of the frontier's top does not bind: the top is the answer.
            w_top = top_of_frontier(P, max_return(P)[0])
            if np.sqrt(P.variance(w_top)) <= sigma:
                return w_top
        lo, hi = hi, hi + 1
    w = None
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        w = at(10 ** mid)
        v = np.sqrt(P.variance(w))
        if abs(v - sigma) <= 1e-14 or hi - lo < 1e-15:
            break
        if v < sigma:
            lo = mid
        else:
            hi = mid
    return w


def max_return(P):
    w = cp.Variable(P.n)
    prob = cp.Problem(cp.Maximize(P.mu @ w), P.constraints(w))
    prob.solve(solver=cp.HIGHS)
    return float(prob.value), np.array(w.value)


def qp_representable(P, objective):
    """True when the case is a QP (OSQP can re-solve it): no quadratic constraint binds."""
    if objective['kind'] == 'efficient-risk':
        return False
    return P.cap is None


# --------------------------------------------------------------------------------------------------------- cases

def sector_limits(ds, lower, upper):
    return dict(map=ds['sectors'], lower=lower, upper=upper)


def degenerate_cases_for(dsid):
    """Efficient return and risk on the single-point frontiers of the stocks4 windows, at and around the attainable
    targets."""
    out = []

    def add(name, problem, objective):
        out.append(dict(id=f'{dsid}/{name}', dataset=dsid, problem=problem, objective=objective))

    add('min-volatility', {}, dict(kind='min-volatility'))
    add('efficient-return', {}, dict(kind='efficient-return', targetReturn=0.05))
    if dsid == 'stocks4w':
        # (On stocks4b HiGHS 1.15 fails at this target with status -1, and the golden test runs HiGHS too.)
        add('efficient-return-at-max', {}, dict(kind='efficient-return', targetReturn='max'))
    add('efficient-risk', {}, dict(kind='efficient-risk', targetVolatility=0.5))
    add('efficient-risk-1.3x', {}, dict(kind='efficient-risk', targetVolatility='1.3x'))
    add('max-sharpe', {}, dict(kind='max-sharpe'))
    add('efficient-return-long-short', dict(bounds=[-0.5, 1.0]), dict(kind='efficient-return', targetReturn=0.05))
    add('efficient-risk-long-short', dict(bounds=[-0.5, 1.0]), dict(kind='efficient-risk', targetVolatility=0.5))
    add('efficient-return-capped', dict(bounds=[0.0, 0.6]), dict(kind='efficient-return', targetReturn='mid'))
    return out


def cases_for(dsid, ds):
    if dsid.startswith('stocks4'):
        return degenerate_cases_for(dsid)
    n = len(ds['tickers'])
    eq = [1.0 / n] * n
    out = []

    def add(name, problem, objective):
        out.append(dict(id=f'{dsid}/{name}', dataset=dsid, problem=problem, objective=objective))

    rf = 0.02
    add('min-volatility', {}, dict(kind='min-volatility'))
    add('max-sharpe', dict(riskFreeRate=rf), dict(kind='max-sharpe'))
    add('max-utility', {}, dict(kind='max-utility', riskAversion=2.0 if dsid != 'stocks5' else 1.0))
    add('efficient-return', {}, dict(kind='efficient-return', targetReturn='mid'))
    add('efficient-risk', {}, dict(kind='efficient-risk', targetVolatility='1.3x'))
    add('min-volatility-l2', dict(l2=0.05), dict(kind='min-volatility'))
    add('max-sharpe-l2', dict(riskFreeRate=rf, l2=0.1), dict(kind='max-sharpe'))
    add('max-utility-l2', dict(l2=0.05), dict(kind='max-utility', riskAversion=2.0))
    add('efficient-risk-l2', dict(l2=0.05), dict(kind='efficient-risk', targetVolatility='1.3x'))
    add('efficient-return-l2', dict(l2=0.05), dict(kind='efficient-return', targetReturn='mid'))
    if dsid == 'stocks5':
        b = [0.05, 0.4]
        sectors = sector_limits(ds, dict(Internet=0.3), dict(Hardware=0.45, Software=0.3))
        ls = [-0.5, 1.0]
        mn = [-0.5, 0.5]
    else:
        b = [0.0, 0.08] if n == 50 else [0.02, 0.15]
        names = sorted(set(ds['sectors'].values()))
        sectors = sector_limits(ds, {names[0]: 0.25}, {s: 0.3 for s in names[1:]})
        ls = [-0.5, 0.5]
        mn = [-0.2, 0.2]
    add('min-volatility-bounds', dict(bounds=b), dict(kind='min-volatility'))
    add('max-sharpe-bounds', dict(bounds=b, riskFreeRate=rf), dict(kind='max-sharpe'))
    add('min-volatility-sectors', dict(sectors=sectors), dict(kind='min-volatility'))
    add('max-sharpe-sectors', dict(sectors=sectors, riskFreeRate=rf), dict(kind='max-sharpe'))
    add('efficient-return-sectors', dict(sectors=sectors), dict(kind='efficient-return', targetReturn='mid'))
    add('efficient-risk-sectors', dict(sectors=sectors), dict(kind='efficient-risk', targetVolatility='1.3x'))
    add('max-utility-sectors-bounds', dict(sectors=sectors, bounds=b), dict(kind='max-utility', riskAversion=3.0))
    add('min-volatility-long-short', dict(bounds=ls), dict(kind='min-volatility'))
    add('max-sharpe-long-short', dict(bounds=ls, riskFreeRate=rf), dict(kind='max-sharpe'))
    add('efficient-risk-long-short', dict(bounds=ls), dict(kind='efficient-risk', targetVolatility='1.3x'))
    add('max-utility-long-short', dict(bounds=ls), dict(kind='max-utility', riskAversion=5.0))
    add('efficient-return-market-neutral', dict(bounds=mn, marketNeutral=True),
        dict(kind='efficient-return', targetReturn=0.1))
    add('efficient-risk-market-neutral', dict(bounds=mn, marketNeutral=True),
        dict(kind='efficient-risk', targetVolatility=0.1))
    add('max-utility-market-neutral', dict(bounds=mn, marketNeutral=True), dict(kind='max-utility', riskAversion=5.0))
    lev = dict(bounds=[-1.0, 1.0], maxLeverage=1.6)
    add('min-volatility-leverage', lev, dict(kind='min-volatility'))
    add('max-sharpe-leverage', {**lev, 'riskFreeRate': rf}, dict(kind='max-sharpe'))
    add('max-utility-leverage', lev, dict(kind='max-utility', riskAversion=3.0))
    add('efficient-risk-leverage', lev, dict(kind='efficient-risk', targetVolatility='1.3x'))
    turn = dict(currentWeights=eq, maxTurnover=0.4)
    add('min-volatility-turnover', turn, dict(kind='min-volatility'))
    add('max-sharpe-turnover', {**turn, 'riskFreeRate': rf}, dict(kind='max-sharpe'))
    add('efficient-return-turnover', turn, dict(kind='efficient-return', targetReturn='mid'))
    costs = dict(currentWeights=eq, transactionCost=0.01)
    add('min-volatility-costs', costs, dict(kind='min-volatility'))
    add('max-utility-costs', costs, dict(kind='max-utility', riskAversion=2.0))
    add('efficient-risk-costs', costs, dict(kind='efficient-risk', targetVolatility='1.3x'))
    add('max-sharpe-costs', {**costs, 'riskFreeRate': rf}, dict(kind='max-sharpe'))
    add('efficient-return-costs', costs, dict(kind='efficient-return', targetReturn='mid'))
    add('efficient-return-market-neutral-costs',
        dict(bounds=mn, marketNeutral=True, currentWeights=[0.0] * n, maxTurnover=0.8, transactionCost=0.003),
        dict(kind='efficient-return', targetReturn=0.05))
    add('max-utility-cap', dict(maxVolatility='1.2x'), dict(kind='max-utility', riskAversion=0.5))
    add('max-sharpe-cap', dict(maxVolatility='1.2x', riskFreeRate=rf), dict(kind='max-sharpe'))
    add('frontier', dict(riskFreeRate=rf), dict(kind='frontier', points=10))
    add('frontier-sectors', dict(sectors=sectors, riskFreeRate=rf), dict(kind='frontier', points=10))
    add('frontier-long-short', dict(bounds=[-0.3, 0.5] if dsid != 'stocks5' else [-0.5, 1.0], riskFreeRate=rf),
        dict(kind='frontier', points=10))
    return out


def resolve_targets(P, objective):
    """'mid' = halfway between the minimum-volatility return and the maximum return; '1.3x' = 1.3 x minimum vol."""
    objective = dict(objective)
    if objective.get('targetReturn') == 'max':
        # The maximum return rounded down to 1e-9 (every target at or below it is attainable).
        r_max, _ = max_return(P)
        objective['targetReturn'] = float(np.floor(r_max * 1e9) / 1e9)
    if objective.get('targetReturn') == 'mid' or objective.get('targetVolatility') == '1.3x':
        base = Problem(P.ds, {k: v for k, v in P.spec.items() if k not in ('maxVolatility',)})
        w_mv = solve_objective(base, dict(kind='min-volatility'), CLARABEL)
        if objective.get('targetReturn') == 'mid':
            r_max, _ = max_return(base)
            objective['targetReturn'] = round(float(base.mu @ w_mv + 0.5 * (r_max - base.mu @ w_mv)), 6)
        else:
            w_pure = solve_objective(Problem(P.ds, {k: v for k, v in P.spec.items()
                                                    if k not in ('l2', 'transactionCost', 'maxVolatility')}),
                                     dict(kind='min-volatility'), CLARABEL)
            objective['targetVolatility'] = round(float(1.3 * np.sqrt(base.variance(w_pure))), 6)
    return objective


def run_case(ds, case):
    if case['problem'].get('maxVolatility') == '1.2x':
        base = Problem(ds, {k: v for k, v in case['problem'].items() if k != 'maxVolatility'})
        w_mv = solve_objective(base, dict(kind='min-volatility'), CLARABEL)
        case['problem']['maxVolatility'] = round(float(1.2 * np.sqrt(base.variance(w_mv))), 6)
    P = Problem(ds, case['problem'])
    objective = case['objective']
    if objective['kind'] == 'frontier':
        return run_frontier(P, objective)
    objective = resolve_targets(P, objective)
    case['objective'] = objective
    w = solve_objective(P, objective, CLARABEL)
    sol = P.metrics(w, objective)
    check = None
    if qp_representable(P, objective):
        w2 = solve_objective(P, objective, OSQP)
        check = dict(solver='OSQP (polished)', maxWeightDiff=float(np.abs(w - w2).max()), weights=[float(v) for v in w2])
    else:
        sigma = objective['targetVolatility'] if objective['kind'] == 'efficient-risk' else P.cap
        vol = np.sqrt(P.variance(w))
        if objective['kind'] == 'efficient-risk' or vol >= P.cap * (1 - 1e-9):
            w2 = risk_check(P, sigma)
            check = dict(solver='bisection over QPs (Clarabel) of the Lagrangian w\'Sw - tau f(w)',
                         maxWeightDiff=float(np.abs(w - w2).max()), weights=[float(v) for v in w2])
    verify(P, w, objective)
    if check is not None and qp_representable(P, objective):
        # Two third-party solutions of the same QP: keep the one with the better objective (both verified feasible).
        w2 = np.array(check['weights'])
        verify(P, w2, objective)
        alt = P.metrics(w2, objective)
        better = alt['objectiveValue'] > sol['objectiveValue'] if objective['kind'] in ('max-sharpe', 'max-utility') \
            else alt['objectiveValue'] < sol['objectiveValue']
        if better and check['maxWeightDiff'] > 1e-9:
            check = dict(check, reference=True, clarabelWeights=sol['weights'])
            sol = alt
    if INACCURATE[0] and check is not None:
        # Clarabel could not certify this cone problem to 1e-12; the QP-based solution (each QP certified) is the
        # reference, and Clarabel's distance from it is recorded.
        w2 = np.array(check['weights'])
        verify(P, w2, objective)
        check = dict(check, reference=True, clarabelWeights=sol['weights'])
        sol = P.metrics(w2, objective)
    return sol, check


def run_frontier(P, objective):
    K = objective['points']
    w_mv = solve_objective(P, dict(kind='min-volatility'), CLARABEL)
    r_mv = float(P.mu @ w_mv)
    r_max, w_top_lp = max_return(P)
    targets = np.linspace(r_mv, r_max, K)
    weights = []
    for i, r in enumerate(targets):
        if i == 0:
            w = w_mv
        elif i == K - 1:
            # The top of the frontier: the least-variance portfolio among those of maximum return. No point is strictly
            # feasible for mu'w >= r_max, so the floor sits 1e-12 below r_max.
            w = top_of_frontier(P, r_max)
        else:
            w = solve_objective(P, dict(kind='efficient-return', targetReturn=float(r)), CLARABEL)
        weights.append(w)
    w_ms = solve_objective(P, dict(kind='max-sharpe'), CLARABEL)
    sol = dict(
        returns=[float(P.mu @ w) for w in weights],
        volatilities=[float(np.sqrt(P.variance(w))) for w in weights],
        weights=[[float(v) for v in w] for w in weights],
        minVolatility=P.metrics(w_mv, dict(kind='min-volatility')),
        maxSharpe=P.metrics(w_ms, dict(kind='max-sharpe')),
        maxReturn=r_max,
    )
    return sol, None


def top_of_frontier(P, r_max):
    """min w'Sw + gamma ||w||^2 + costs s.t. mu'w >= r_max - 1e-12 (|r_max| + 1), by OSQP with its active-set polish
    (an interior-point method is inaccurate on this nearly degenerate face)."""
    w = cp.Variable(P.n)
    cons = P.constraints(w) + [P.mu @ w >= r_max - 1e-12 * (abs(r_max) + 1)]
    l2 = P.l2 * cp.sum_squares(w) if P.l2 > 0 else 0
    solve(cp.Problem(cp.Minimize(cp.quad_form(w, P.S) + l2 + P.cost(w)), cons), OSQP)
    return np.array(w.value)


def main():
    datasets = load_datasets()
    cases = []
    for dsid, ds in datasets.items():
        for case in cases_for(dsid, ds):
            INACCURATE[0] = False
            sol, check = run_case(ds, case)
            case['solution'] = sol
            if INACCURATE[0]:
                case['clarabelStatus'] = 'optimal_inaccurate: the solution is the check (a QP-based route)'

            if check is not None:
                case['check'] = check
                if check['maxWeightDiff'] > 1e-6:
                    print(f"NOTE {case['id']}: {check['solver']} differs by {check['maxWeightDiff']:.2e}", file=sys.stderr)
            cases.append(case)
            diff = f" (check diff {check['maxWeightDiff']:.1e})" if check else ''
            flag = ' [inaccurate]' if INACCURATE[0] else ''
            print(f"{case['id']}: ok{flag}{diff}", file=sys.stderr)
    out = dict(
        generator='reference/optimize/golden.py',
        solvers=dict(cvxpy=cp.__version__, clarabel=clarabel.__version__, numpy=np.__version__, pandas=pd.__version__),
        tolerances=dict(clarabel={k: v for k, v in CLARABEL.items() if k != 'solver'}),
        datasets=datasets,
        cases=cases,
    )
    with open(os.path.join(ROOT, 'reference/optimize/golden.json'), 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
