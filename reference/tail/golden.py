#!/usr/bin/env python3
"""Golden values for pfopt's tail and downside objectives (CVaR, CDaR, MAD, semivariance, cardinality limits), solved
independently of pfopt's code with cvxpy 1.9: Clarabel (interior point, tolerances 1e-12) for the LPs and QPs, HiGHS
(highspy, through cvxpy) for the mixed-integer programs, plus a brute-force enumeration of the held sets with Clarabel
LPs for the small cardinality cases.

Scenarios: simple returns of consecutive price rows, r_t = p_t / p_{t-1} - 1 (prices / prices.shift(1) - 1), kept on
the dates where every asset has one, each with probability 1/T. Expected returns: the scenarios' mean return x P.

Formulations (written from the papers, deliberately not in the form pfopt uses where a different one exists):
  - CVaR (Rockafellar & Uryasev 2000): min a + 1/(T (1 - beta)) sum u, u >= -R w - a, u >= 0.
  - CDaR (Chekhlov, Uryasev & Zabarankin 2005, with cumulative uncompounded returns y_t = sum_{s<=t} r_s'w):
    min a + 1/(T (1 - beta)) sum z, z_t >= u_t - y_t - a, z >= 0, u_t >= y_t, u_t >= u_{t-1}, u_0 = 0.
  - MAD (Konno & Yamazaki 1991): min (1/T) sum d, d_t >= +-(r_t - rbar)'w.
  - semivariance (Markowitz; PyPortfolioOpt EfficientSemivariance): min (1/T) sum_squares(pos(b - R w)).
  - efficient frontiers: min risk s.t. mu'w >= r; max mu'w s.t. risk <= cap.
  - cardinality: binaries z, w <= u z, w >= m z, sum z <= K.

For every LP optimum the script checks uniqueness of the weights: for each asset it minimises and maximises w_i over the
near-optimal set (objective within 1e-11 of the optimum, an absolute slack) with HiGHS's simplex. For an LP the range
grows linearly with the slack when the optimum is unique (the ratio is the problem's conditioning, about 2e4 here) and
is at least the diameter of the optimal face otherwise; the weights count as unique when every range is below 1e-6, the
tolerance of the weight comparisons (key "unique"; the ranges are in "faceRanges"). For a semivariance optimum the
downside d* = max(b - R w, 0) is unique (the objective is strictly convex in d), so the weights are unique when R
restricted to the scenarios with d*_t > 0 has full column rank.
The measures of the reference weights are computed in numpy from their definitions (VaR: the (floor(k)+1)-th largest
loss with k = T (1 - beta); CVaR: the fractional tail mean (1/k) [sum of the floor(k) largest losses + (k - floor(k))
x the next one]; drawdowns: running peak of the cumulative sum (from 0) minus the cumulative sum).

Inputs: reference/data/synth-50x750.csv (+ sectors), reference/data/synth-20x600-gaps.csv, samples/stocks.csv.
Setup: python3 -m pip install cvxpy clarabel scipy numpy pandas highspy (a virtual environment keeps it tidy).
Run:   python3 reference/tail/golden.py      Writes reference/tail/golden.json (about three minutes on 2 cores).
"""

import itertools
import json
import math
import os

import cvxpy as cp
import numpy as np
import pandas as pd

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
CLARABEL = dict(solver=cp.CLARABEL, tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12, tol_ktratio=1e-10,
                max_iter=500)
HIGHS_LP = dict(solver=cp.HIGHS, primal_feasibility_tolerance=1e-10, dual_feasibility_tolerance=1e-10)
FACE_SLACK = 1e-11
HIGHS_MIP = dict(solver=cp.HIGHS, mip_rel_gap=1e-10, mip_abs_gap=1e-13, primal_feasibility_tolerance=1e-10,
                 mip_feasibility_tolerance=1e-10)


# ------------------------------------------------------------------------------------------------------------ data

def scenarios_from_prices(prices):
    r = (prices / prices.shift(1) - 1).iloc[1:]
    return r.dropna(how='any')


def load():
    px = pd.read_csv(os.path.join(ROOT, 'reference/data/synth-50x750.csv'), index_col=0)
    sec = pd.read_csv(os.path.join(ROOT, 'reference/data/synth-50x750.sectors.csv'))
    sectors = dict(zip(sec.ticker, sec.sector))
    gaps = pd.read_csv(os.path.join(ROOT, 'reference/data/synth-20x600-gaps.csv'), index_col=0)
    st = pd.read_csv(os.path.join(ROOT, 'samples/stocks.csv'))
    st['date'] = pd.to_datetime(st['date'], format='%b %d %Y')
    wide = st.pivot(index='date', columns='symbol', values='price')[['MSFT', 'AMZN', 'IBM', 'AAPL', 'GOOG']]
    r50 = scenarios_from_prices(px)
    ds = {
        'synth20': dict(source='reference/data/synth-50x750.csv, first 20 assets', R=r50.iloc[:, :20], P=252),
        'synth50': dict(source='reference/data/synth-50x750.csv', R=r50, P=252),
        'small10': dict(source='reference/data/synth-50x750.csv, first 10 assets, first 250 scenarios',
                        R=r50.iloc[:250, :10], P=252),
        'gaps20': dict(source='reference/data/synth-20x600-gaps.csv (rows where every asset has a return)',
                       R=scenarios_from_prices(gaps), P=252),
        'stocks5': dict(source='samples/stocks.csv (rows where all five have a return; GOOG from 2004-08)',
                        R=scenarios_from_prices(wide), P=12),
    }
    for d in ds.values():
        d['tickers'] = list(d['R'].columns)
        d['mu'] = d['R'].values.mean(axis=0) * d['P']
        d['sectors'] = {t: sectors[t] for t in d['tickers'] if t in sectors}
    return ds


# -------------------------------------------------------------------------------------------------------- measures

def tail_mean(values, beta):
    """VaR and CVaR of `values` taken as losses (see the module comment)."""
    T = len(values)
    s = np.sort(values)[::-1]
    k = T * (1 - beta)
    if abs(k - round(k)) <= 1e-9 * max(1, k) and round(k) > 0:
        k = float(round(k))
    fk = int(math.floor(k))
    var = s[min(fk, T - 1)]
    cvar = (s[:fk].sum() + (k - fk) * s[fk]) / k if fk < T else s.mean()
    return float(var), float(cvar)


def measures(R, w, P, beta, b):
    x = R @ w
    var, cvar = tail_mean(-x, beta)
    c = np.concatenate([[0.0], np.cumsum(x)])
    dd = (np.maximum.accumulate(c) - c)[1:]
    dar, cdar = tail_mean(dd, beta)
    mad = float(np.mean(np.abs(x - x.mean())))
    semi = float(P * np.mean(np.minimum(x - b, 0) ** 2))
    return dict(valueAtRisk=var, cvar=cvar, drawdownAtRisk=dar, cdar=cdar, maxDrawdown=float(dd.max()), mad=mad,
                semivariance=semi, semideviation=math.sqrt(semi), meanReturn=float(x.mean()))


# -------------------------------------------------------------------------------------------------------- programs

class Case:
    def __init__(self, ds, spec):
        self.ds, self.spec = ds, spec
        self.R = ds['R'].values
        self.T, self.n = self.R.shape
        self.mu = ds['mu']
        self.beta = spec.get('confidence', 0.95)
        self.b = spec.get('benchmark', 0.0)

    def constraints(self, w):
        s = self.spec
        lo, hi = s.get('bounds', [0, 1])
        budget = 0.0 if s.get('marketNeutral') else s.get('budget', 1.0)
        cons = [cp.sum(w) == budget, w >= lo, w <= hi]
        sectors = s.get('sectors')
        if sectors:
            tickers = self.ds['tickers']
            for name, lim in sectors.get('lower', {}).items():
                idx = [i for i, t in enumerate(tickers) if sectors['map'].get(t) == name]
                cons.append(cp.sum(w[idx]) >= lim)
            for name, lim in sectors.get('upper', {}).items():
                idx = [i for i, t in enumerate(tickers) if sectors['map'].get(t) == name]
                cons.append(cp.sum(w[idx]) <= lim)
        return cons

    def risk(self, measure, w):
        """(expression, extra constraints) of the measure at w."""
        R, T = self.R, self.T
        if measure == 'cvar':
            a, u = cp.Variable(), cp.Variable(T)
            return a + cp.sum(u) / (T * (1 - self.beta)), [u >= -R @ w - a, u >= 0]
        if measure == 'cdar':
            a, u, z = cp.Variable(), cp.Variable(T + 1), cp.Variable(T)
            C = np.cumsum(R, axis=0)
            y = C @ w
            return a + cp.sum(z) / (T * (1 - self.beta)), [z >= u[1:] - y - a, z >= 0, u[1:] >= y,
                                                             u[1:] >= u[:-1], u[0] == 0]
        if measure == 'mad':
            d = cp.Variable(T)
            Rc = R - R.mean(axis=0)
            return cp.sum(d) / T, [d >= Rc @ w, d >= -(Rc @ w)]
        if measure == 'semivariance':
            return cp.sum_squares(cp.pos(self.b - R @ w)) / T, []
        raise ValueError(measure)

    def solve(self, measure, target=None, cap=None, extra=None, mip=False):
        w = cp.Variable(self.n)
        expr, cons = self.risk(measure, w)
        cons = cons + self.constraints(w) + (extra(w) if extra else [])
        if target is not None:
            cons.append(self.mu @ w >= target)
        if cap is not None:
            cons.append(expr <= cap)
            prob = cp.Problem(cp.Maximize(self.mu @ w), cons)
        else:
            prob = cp.Problem(cp.Minimize(expr), cons)
        prob.solve(**(HIGHS_MIP if mip else CLARABEL))
        if prob.status != cp.OPTIMAL:
            raise RuntimeError(f"{self.spec['name']}: {prob.status}")
        return np.array(w.value), float(prob.value), prob

    def max_return(self, extra=None):
        w = cp.Variable(self.n)
        prob = cp.Problem(cp.Maximize(self.mu @ w), self.constraints(w) + (extra(w) if extra else []))
        prob.solve(**CLARABEL)
        return float(prob.value)

    def lp_ranges(self, measure, value, target=None, cap=None, ret=None):
        """max - min of each w_i over the optimal face (HiGHS's simplex: exact vertices of each LP)."""
        ranges = []
        for i in range(self.n):
            pair = []
            for sense in (cp.Minimize, cp.Maximize):
                w = cp.Variable(self.n)
                expr, cons = self.risk(measure, w)
                cons = cons + self.constraints(w)
                if target is not None:
                    cons.append(self.mu @ w >= target)
                if cap is not None:
                    cons += [expr <= cap, self.mu @ w >= ret - FACE_SLACK]
                else:
                    cons.append(expr <= value + FACE_SLACK)
                prob = cp.Problem(sense(w[i]), cons)
                prob.solve(**HIGHS_LP)
                if prob.status != cp.OPTIMAL:
                    raise RuntimeError(f"{self.spec['name']}: face range of asset {i}: {prob.status}")
                pair.append(float(prob.value))
            ranges.append(pair[1] - pair[0])
        return ranges


def cardinality_constraints(case, K, m):
    z = cp.Variable(case.n, boolean=True)
    lo, hi = case.spec.get('bounds', [0, 1])

    def extra(w):
        return [w <= hi * z, w >= m * z, cp.sum(z) <= K]
    return extra


def brute_force(case, measure, K, m, cap=None):
    """Best held set of size 1..K by Clarabel LPs on every support."""
    best = None
    for size in range(1, K + 1):
        for S in itertools.combinations(range(case.n), size):
            out = set(range(case.n)) - set(S)

            def extra(w, S=S, out=out):
                cons = [w[list(out)] == 0] if out else []
                return cons + [w[list(S)] >= m]
            try:
                wv, val, _ = case.solve(measure, cap=cap, extra=extra)
            except (RuntimeError, cp.error.SolverError):
                # No feasible portfolio on this support (Clarabel may fail rather than certify it); the answer is
                # checked against HiGHS's MIP below, so a skipped feasible support could not go unnoticed.
                continue
            score = -val if cap is not None else val
            if best is None or score < best[0] - 1e-13:
                best = (score, wv, val, S)
    return best


# ----------------------------------------------------------------------------------------------------------- cases

def main():
    ds = load()
    secmap = ds['synth20']['sectors']
    names = sorted(set(secmap.values()))
    # Limits that bind at the unconstrained minimum CVaR, MAD and semivariance portfolios (checked when written).
    sec_limits = dict(map=secmap, lower={names[1]: 0.1}, upper={names[0]: 0.25, names[3]: 0.2})
    specs = [
        dict(name='synth20/min-cvar', dataset='synth20', kind='min-cvar'),
        dict(name='synth20/min-cvar-99', dataset='synth20', kind='min-cvar', confidence=0.99),
        dict(name='synth20/min-cvar-90-capped', dataset='synth20', kind='min-cvar', confidence=0.9, bounds=[0, 0.1]),
        dict(name='synth20/min-cvar-sectors', dataset='synth20', kind='min-cvar', sectors=sec_limits),
        dict(name='synth20/min-cvar-long-short', dataset='synth20', kind='min-cvar', bounds=[-0.3, 0.6]),
        dict(name='synth20/min-cvar-market-neutral', dataset='synth20', kind='min-cvar', bounds=[-0.2, 0.2],
             marketNeutral=True),
        dict(name='synth20/efficient-cvar-target', dataset='synth20', kind='efficient-cvar', target='mid'),
        dict(name='synth20/efficient-cvar-cap', dataset='synth20', kind='efficient-cvar', cap=1.3),
        dict(name='synth20/min-cvar-target', dataset='synth20', kind='min-cvar', target='mid', bounds=[0, 0.2]),
        dict(name='synth20/min-cdar', dataset='synth20', kind='min-cdar'),
        dict(name='synth20/min-cdar-90-capped', dataset='synth20', kind='min-cdar', confidence=0.9, bounds=[0, 0.15]),
        dict(name='synth20/efficient-cdar-cap', dataset='synth20', kind='efficient-cdar', cap=1.5),
        dict(name='synth20/efficient-cdar-target', dataset='synth20', kind='efficient-cdar', target='mid'),
        dict(name='synth20/min-mad', dataset='synth20', kind='min-mad'),
        dict(name='synth20/min-mad-target', dataset='synth20', kind='min-mad', target='mid'),
        dict(name='synth20/min-mad-sectors', dataset='synth20', kind='min-mad', sectors=sec_limits),
        dict(name='synth20/min-semivariance', dataset='synth20', kind='min-semivariance'),
        dict(name='synth20/min-semivariance-benchmark', dataset='synth20', kind='min-semivariance', benchmark=0.0005),
        dict(name='synth20/min-semivariance-target', dataset='synth20', kind='min-semivariance', target='mid'),
        dict(name='synth20/min-semivariance-sectors', dataset='synth20', kind='min-semivariance', sectors=sec_limits,
             bounds=[0, 0.12]),
        dict(name='synth20/min-semivariance-long-short', dataset='synth20', kind='min-semivariance',
             bounds=[-0.3, 0.6]),
        dict(name='stocks5/min-cvar', dataset='stocks5', kind='min-cvar'),
        dict(name='stocks5/min-cdar', dataset='stocks5', kind='min-cdar'),
        dict(name='stocks5/min-mad', dataset='stocks5', kind='min-mad'),
        dict(name='stocks5/min-semivariance', dataset='stocks5', kind='min-semivariance'),
        dict(name='stocks5/efficient-cvar-cap', dataset='stocks5', kind='efficient-cvar', cap=1.2),
        dict(name='gaps20/min-cvar', dataset='gaps20', kind='min-cvar'),
        dict(name='gaps20/min-semivariance', dataset='gaps20', kind='min-semivariance'),
        dict(name='synth50/min-cvar', dataset='synth50', kind='min-cvar'),
        dict(name='synth50/min-semivariance', dataset='synth50', kind='min-semivariance'),
        dict(name='small10/min-cvar-k3', dataset='small10', kind='min-cvar', cardinality=dict(maxAssets=3)),
        dict(name='small10/min-mad-k3-min0.1', dataset='small10', kind='min-mad',
             cardinality=dict(maxAssets=3, minPosition=0.1)),
        dict(name='small10/min-cdar-k2-min0.2', dataset='small10', kind='min-cdar',
             cardinality=dict(maxAssets=2, minPosition=0.2)),
        dict(name='small10/efficient-cvar-cap-k3', dataset='small10', kind='efficient-cvar', cap=1.1,
             cardinality=dict(maxAssets=3, minPosition=0.05)),
        dict(name='synth20/min-cvar-k5-min0.05', dataset='synth20', kind='min-cvar',
             cardinality=dict(maxAssets=5, minPosition=0.05)),
    ]
    measure_of = {'min-cvar': 'cvar', 'efficient-cvar': 'cvar', 'min-cdar': 'cdar', 'efficient-cdar': 'cdar',
                  'min-mad': 'mad', 'min-semivariance': 'semivariance'}
    cases = []
    for spec in specs:
        d = ds[spec['dataset']]
        case = Case(d, spec)
        measure = measure_of[spec['kind']]
        card = spec.get('cardinality')
        extra = cardinality_constraints(case, card['maxAssets'], card.get('minPosition', 0.0)) if card else None
        problem = {k: v for k, v in spec.items() if k in ('bounds', 'marketNeutral', 'sectors')}
        if card:
            problem['cardinality'] = card
        objective = dict(kind=spec['kind'])
        if 'confidence' in spec:
            objective['confidence'] = spec['confidence']
        if 'benchmark' in spec:
            objective['benchmark'] = spec['benchmark']
        target = cap = None
        if spec.get('target') == 'mid':
            w0, _, _ = case.solve(measure)
            lo = float(case.mu @ w0)
            target = lo + 0.5 * (case.max_return() - lo)
            objective['targetReturn'] = target
        if 'cap' in spec:
            if card:
                least = brute_force(case, measure, card['maxAssets'], card.get('minPosition', 0.0))
                base = least[2]
            else:
                _, base, _ = case.solve(measure)
            cap = spec['cap'] * base
            objective['maxCvar' if measure == 'cvar' else 'maxCdar'] = cap
        check = {}
        if card and spec['dataset'] == 'small10':
            best = brute_force(case, measure, card['maxAssets'], card.get('minPosition', 0.0), cap=cap)
            w, value = best[1], best[2]
            wm, vm, _ = case.solve(measure, target=target, cap=cap, extra=extra, mip=True)
            check = dict(method='brute force over held sets (Clarabel LPs)', highsMip=vm, highsMipWeights=wm.tolist())
            assert abs(vm - value) <= 1e-9 * max(1, abs(value)), (spec['name'], vm, value)
        elif card:
            w, value, _ = case.solve(measure, target=target, cap=cap, extra=extra, mip=True)
            check = dict(method='HiGHS MIP through cvxpy')
        else:
            w, value, _ = case.solve(measure, target=target, cap=cap)
        ret = float(case.mu @ w)
        entry = dict(name=spec['name'], dataset=spec['dataset'], problem=problem, objective=objective,
                     weights=w.tolist(), expectedReturn=ret)
        m = measures(case.R, w, d['P'], case.beta, case.b)
        entry['measures'] = m
        key = dict(cvar='cvar', cdar='cdar', mad='mad', semivariance='semivariance')[measure]
        entry['risk'] = m[key]
        # The program's own optimum against the measure recomputed from the weights (semivariance is annualised).
        prog = value * d['P'] if measure == 'semivariance' and cap is None else value
        if cap is None:
            assert abs(prog - entry['risk']) <= 1e-8 * max(1e-3, abs(prog)), (spec['name'], prog, entry['risk'])
        if card:
            entry['unique'] = False
        elif measure == 'semivariance':
            x = case.R @ w
            down = case.b - x > 1e-9
            rank = np.linalg.matrix_rank(case.R[down], tol=1e-10) if down.any() else 0
            entry['unique'] = bool(rank == case.n)
        else:
            ranges = case.lp_ranges(measure, value, target=target, cap=cap, ret=ret)
            entry['faceRanges'] = ranges
            entry['unique'] = bool(max(ranges) < 1e-6)
        if check:
            entry['check'] = check
        cases.append(entry)
        print(f"{spec['name']}: risk {entry['risk']:.12g} return {ret:.6g} unique {entry['unique']}")
    # Infeasible targets.
    c20 = Case(ds['synth20'], dict(name='infeasible'))
    max20 = c20.max_return()
    _, min_cvar20, _ = c20.solve('cvar')
    infeasible = [
        dict(name='synth20/target-above-max', dataset='synth20', objective=dict(kind='min-cvar', targetReturn=max20 + 0.01),
             maxReturn=max20),
        dict(name='synth20/cvar-cap-below-min', dataset='synth20',
             objective=dict(kind='efficient-cvar', maxCvar=0.9 * min_cvar20), minRisk=min_cvar20),
    ]
    out = dict(
        generator=f'reference/tail/golden.py (cvxpy {cp.__version__}, Clarabel, HiGHS; numpy {np.__version__}, '
                  f'pandas {pd.__version__})',
        datasets={k: dict(source=v['source'], tickers=v['tickers'], periodsPerYear=v['P'], scenarios=len(v['R']),
                          firstDate=str(v['R'].index[0]), lastDate=str(v['R'].index[-1]),
                          mu=v['mu'].tolist(), sectors=v['sectors']) for k, v in ds.items()},
        cases=cases,
        infeasible=infeasible,
    )
    with open(os.path.join(os.path.dirname(__file__), 'golden.json'), 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')
    print(f'{len(cases)} cases, {sum(c["unique"] for c in cases)} with unique weights')


if __name__ == '__main__':
    main()
