#!/usr/bin/env python3
"""Independent reference for src/optimize/discrete-allocation*.ts (whole-share allocation).

Written from the specification, not translated from the TypeScript. For each instance below it computes:

* greedy: PyPortfolioOpt's ``DiscreteAllocation.greedy_portfolio`` rules as pfopt documents them, re-implemented
  here with plain Python floats (spelled out in ``greedy_side``);
* exact: PyPortfolioOpt's ``lp_portfolio`` mixed-integer program in its literal form (no tightening, zero-weight
  tickers included) solved by scipy.optimize.milp (HiGHS, native build shipped with SciPy) with a zero relative gap;
  then, as independent cross-checks, the same program solved by GLPK (``glpsol``, when it is on the PATH) and, when
  the feasible set is small, by brute-force enumeration of every affordable share vector;
* whether the exact optimum is unique within 1e-6 (in currency units): with the objective constrained to at most
  optimum + 1e-6, scipy's MILP minimises and then maximises each lot count; the optimum is unique when every
  minimum equals its maximum. Only on unique instances does the TypeScript test compare share vectors; elsewhere it
  compares objective values and checks feasibility.

Conventions shared with pfopt (these define the problem; see src/optimize/discrete-allocation.ts):

* Order: tickers sorted by descending signed weight, ties by ticker (code-point order).
* Long-only: weights are divided by their sum (summed left to right in that order).
* Long-short (PyPortfolioOpt): longs (w >= 0) are divided by their sum L, shorts' magnitudes by their sum S; the long
  side gets budget B (+ B * shortRatio when reinvesting), the short side B * shortRatio (shortRatio defaults to S).
  The short side is processed in order of descending |w|, ties by ticker.
* A lot costs price * lotSize; every amount is lots * lotCost; the leftover of a side is max(0, budget - spent).
* Achieved weight = signed value / B; target weight = signed side target * side budget / B;
  absoluteError = sum |achieved - target|, rmse = sqrt(mean (achieved - target)^2) over every ticker of the weights.
* objective (both methods) = sum over sides of ( sum_i |t_i B_s - lots_i c_i| + leftover_s ), in currency.

Prices: the last price of each symbol in samples/stocks.csv (real, March 2010), and the last row of
reference/data/synth-20x600-gaps.csv (pfopt's seeded synthetic market) rounded to cents.

Run: python3 reference/allocation/golden.py, with numpy and scipy >= 1.9 (e.g. in a virtual environment) and glpsol
from Debian's glpk-utils (`apt-get install glpk-utils`). Without glpsol the GLPK objectives are written as null, which
test/optimize/discrete-allocation-golden.test.ts rejects. Takes about a minute (the brute-force enumerations); SciPy's
HiGHS may print "HighsMipSolverData::transformNewIntegerFeasibleSolution" debug lines, which are harmless.
Writes reference/allocation/golden.json beside this file; the output is deterministic.
"""

import csv
import itertools
import json
import math
import os
import shutil
import subprocess
import tempfile

import numpy as np
import scipy
from scipy.optimize import Bounds, LinearConstraint, milp

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

SUM_TOLERANCE = 1e-6  # long-only weights whose sum is further than this from 1 draw a warning
CASH_SLACK = 1e-12  # relative to the side budget: a lot is affordable when cost <= remaining + CASH_SLACK * budget
UNIQUE_TOLERANCE = 1e-6  # currency: solutions within this of the optimum count as ties
BRUTE_FORCE_LIMIT = 3_000_000  # largest box (product of lot ranges) enumerated


# ---------------------------------------------------------------------------------------------------------------
# Inputs


def stocks_last_prices():
    last = {}
    with open(os.path.join(ROOT, 'samples', 'stocks.csv'), newline='') as f:
        for row in csv.DictReader(f):
            last[row['symbol']] = float(row['price'])  # rows are in date order per symbol
    return last


def synthetic_last_prices():
    with open(os.path.join(ROOT, 'reference', 'data', 'synth-20x600-gaps.csv'), newline='') as f:
        rows = list(csv.reader(f))
    header, last = rows[0], rows[-1]
    return {t: round(float(p), 2) for t, p in zip(header[1:], last[1:])}


def dirichlet_weights(tickers, seed, zeros=0, decimals=4):
    """Random weights rounded to `decimals`, the last one taking the remainder so they sum to 1 in decimal."""
    rng = np.random.default_rng(seed)
    raw = rng.dirichlet(np.ones(len(tickers) - zeros))
    vals = [round(float(v), decimals) for v in raw[:-1]]
    vals.append(round(1 - sum(vals), decimals))
    out = {t: 0.0 for t in tickers}
    for t, v in zip(tickers[zeros:], vals):
        out[t] = v
    return out


def instances():
    s = stocks_last_prices()
    y = synthetic_last_prices()
    syn = sorted(y)
    s5 = {'AAPL': 0.3, 'GOOG': 0.25, 'AMZN': 0.2, 'IBM': 0.15, 'MSFT': 0.1}
    out = [
        dict(name='stocks3-1k', weights={'MSFT': 0.5, 'AMZN': 0.3, 'IBM': 0.2}, prices=s, budget=1000),
        dict(name='stocks5-1k', weights=s5, prices=s, budget=1000),
        dict(name='stocks5-10k', weights=s5, prices=s, budget=10_000),
        dict(
            name='stocks3-100k-lot100',
            weights={'MSFT': 0.45, 'AMZN': 0.35, 'IBM': 0.2},
            prices=s,
            budget=100_000,
            lotSizes={'MSFT': 100, 'AMZN': 100, 'IBM': 100},
        ),
        dict(name='stocks5-1m-lot100', weights=s5, prices=s, budget=1_000_000, lotSizes={t: 100 for t in s}),
        dict(
            name='stocks5-250k-mixed-lots',
            weights=s5,
            prices=s,
            budget=250_000,
            lotSizes={'AAPL': 100, 'GOOG': 100, 'AMZN': 1, 'IBM': 1, 'MSFT': 100},
        ),
        # Constructed so that every target is a whole number of shares: objective 0, and the optimum is unique.
        dict(
            name='exact-hit-10k',
            weights={'XA': 0.5, 'XB': 0.3, 'XC': 0.2},
            prices={'XA': 125.0, 'XB': 60.0, 'XC': 40.0},
            budget=10_000,
        ),
        dict(name='synth10-100k', weights=dirichlet_weights(syn[:10], 10), prices=y, budget=100_000),
        dict(name='synth20-1m', weights=dirichlet_weights(syn, 20), prices=y, budget=1_000_000),
        dict(
            name='synth20-1m-lot100',
            weights=dirichlet_weights(syn, 21),
            prices=y,
            budget=1_000_000,
            lotSizes={t: 100 for t in syn},
        ),
        dict(
            name='synth20-50k-zeros-mixed-lots',
            weights=dirichlet_weights(syn, 22, zeros=5),
            prices=y,
            budget=50_000,
            lotSizes={t: (100 if i % 3 == 0 else 1) for i, t in enumerate(syn)},
        ),
        dict(
            name='stocks5-unnormalised-5k',
            weights={'AAPL': 0.32, 'GOOG': 0.2, 'AMZN': 0.12, 'IBM': 0.1, 'MSFT': 0.06},
            prices=s,
            budget=5000,
        ),
        dict(name='stocks5-too-small', weights=s5, prices=s, budget=20),
        dict(
            name='stocks5-long-short-10k',
            weights={'AAPL': 0.6, 'GOOG': 0.4, 'AMZN': 0.3, 'IBM': -0.2, 'MSFT': -0.1},
            prices=s,
            budget=10_000,
            allowShorts=True,
        ),
        dict(
            name='synth10-long-short-reinvest-100k',
            weights={
                t: w * (-1 if i % 4 == 3 else 1)
                for i, (t, w) in enumerate(dirichlet_weights(syn[:10], 30).items())
            },
            prices=y,
            budget=100_000,
            allowShorts=True,
            shortRatio=0.5,
            reinvest=True,
        ),
    ]
    for inst in out:
        inst['prices'] = {t: inst['prices'][t] for t in inst['weights']}
    return out


# ---------------------------------------------------------------------------------------------------------------
# Problem set-up shared by both methods


def ordered(weights):
    return sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))


def loop_sum(values):
    total = 0.0
    for v in values:
        total += v
    return total


def sides_of(inst):
    """[(kind, budget, [(ticker, side target, lot cost)])] plus the warnings about the weights."""
    weights, prices, budget = inst['weights'], inst['prices'], float(inst['budget'])
    lots = inst.get('lotSizes') or {}
    cost = {t: prices[t] * lots.get(t, 1) for t in weights}
    items = ordered(weights)
    warnings = []
    if inst.get('allowShorts') and any(w < 0 for _, w in items):
        longs = [(t, w) for t, w in items if w >= 0]
        shorts = sorted([(t, -w) for t, w in items if w < 0], key=lambda kv: (-kv[1], kv[0]))
        total_long = loop_sum(w for _, w in longs)
        total_short = loop_sum(w for _, w in shorts)
        ratio = inst.get('shortRatio', total_short)
        long_budget = budget + (budget * ratio if inst.get('reinvest') else 0.0)
        return [
            ('long', long_budget, [(t, w / total_long, cost[t]) for t, w in longs]),
            ('short', budget * ratio, [(t, w / total_short, cost[t]) for t, w in shorts]),
        ], warnings
    total = loop_sum(w for _, w in items)
    if abs(total - 1) > SUM_TOLERANCE:
        warnings.append('weights-normalised')
    return [('long', budget, [(t, w / total, cost[t]) for t, w in items])], warnings


# ---------------------------------------------------------------------------------------------------------------
# Greedy, from the description


def greedy_side(items, budget):
    """Lots per item. Round 1: in order, floor(t * B / c) lots each (never more than the cash left allows).
    Round 2: repeatedly, among the items whose lot costs at most the cash left (+ CASH_SLACK * B), take the one whose
    target weight exceeds its current weight (value / value invested so far; 0 before anything is bought) by the
    most, first in order on ties, and buy one lot; stop when no item is affordable or the largest such excess is
    <= 0."""
    slack = CASH_SLACK * budget
    n = len(items)
    lots = [0] * n

    def spent():
        total = 0.0
        for k in range(n):
            total += lots[k] * items[k][2]
        return total

    for k, (_, t, c) in enumerate(items):
        want = math.floor((t * budget) / c)
        remaining = budget - spent()
        if want * c > remaining + slack:
            want = math.floor((remaining + slack) / c)
        lots[k] = want
    while True:
        invested = spent()
        remaining = budget - invested
        best, best_deficit = -1, 0.0
        for k, (_, t, c) in enumerate(items):
            if c > remaining + slack:
                continue
            current = lots[k] * c / invested if invested > 0 else 0.0
            deficit = t - current
            if best < 0 or deficit > best_deficit:
                best, best_deficit = k, deficit
        if best < 0 or best_deficit <= 0:
            return lots
        lots[best] += 1


# ---------------------------------------------------------------------------------------------------------------
# Exact: PyPortfolioOpt's lp_portfolio program, literal form


def milp_arrays(items, budget):
    """Variables [x_0..x_{n-1}, u_0..u_{n-1}, r]; minimise sum u + r subject to
    u_i >= t_i B - c_i x_i, u_i >= c_i x_i - t_i B, sum c_i x_i + r = B, x >= 0 integer, r >= 0."""
    n = len(items)
    c = np.array([it[2] for it in items])
    target = np.array([it[1] * budget for it in items])
    nv = 2 * n + 1
    a = np.zeros((2 * n + 1, nv))
    lo = np.zeros(2 * n + 1)
    hi = np.zeros(2 * n + 1)
    for i in range(n):
        a[2 * i, i], a[2 * i, n + i], lo[2 * i], hi[2 * i] = c[i], 1.0, target[i], np.inf
        a[2 * i + 1, i], a[2 * i + 1, n + i], lo[2 * i + 1], hi[2 * i + 1] = -c[i], 1.0, -target[i], np.inf
    a[2 * n, :n], a[2 * n, 2 * n] = c, 1.0
    lo[2 * n] = hi[2 * n] = budget
    cost = np.concatenate([np.zeros(n), np.ones(n), [1.0]])
    integrality = np.concatenate([np.ones(n), np.zeros(n + 1)])
    bounds = Bounds(np.zeros(nv), np.full(nv, np.inf))
    return cost, a, lo, hi, integrality, bounds


def objective_of(items, budget, lots):
    spent = 0.0
    for (_, _, c), x in zip(items, lots):
        spent += x * c
    leftover = max(0.0, budget - spent)
    err = 0.0
    for (_, t, c), x in zip(items, lots):
        err += abs(t * budget - x * c)
    return err + leftover


def scipy_side(items, budget):
    cost, a, lo, hi, integrality, bounds = milp_arrays(items, budget)
    res = milp(
        cost,
        constraints=LinearConstraint(a, lo, hi),
        integrality=integrality,
        bounds=bounds,
        options={'mip_rel_gap': 0, 'disp': False},
    )
    assert res.status == 0, res.message
    n = len(items)
    lots = [int(round(v)) for v in res.x[:n]]
    assert max(abs(v - round(v)) for v in res.x[:n]) < 1e-6
    return lots, objective_of(items, budget, lots), float(res.fun)


def lot_ranges_within_optimum(items, budget, optimum):
    """(min, max) of each lot count over solutions with objective <= optimum + UNIQUE_TOLERANCE."""
    cost, a, lo, hi, integrality, bounds = milp_arrays(items, budget)
    cons = [LinearConstraint(a, lo, hi), LinearConstraint(cost.reshape(1, -1), -np.inf, optimum + UNIQUE_TOLERANCE)]
    n = len(items)
    ranges = []
    for i in range(n):
        ends = []
        for sign in (1.0, -1.0):
            obj = np.zeros(2 * n + 1)
            obj[i] = sign
            res = milp(obj, constraints=cons, integrality=integrality, bounds=bounds, options={'mip_rel_gap': 0})
            assert res.status == 0, res.message
            ends.append(int(round(res.x[i])))
        ranges.append(tuple(ends))
    return ranges


def glpk_side(items, budget):
    if shutil.which('glpsol') is None:
        return None
    n = len(items)
    f = lambda v: repr(float(v))  # noqa: E731
    lines = ['Minimize', ' obj: ' + ' + '.join([f'0 x{i}' for i in range(n)] + [f'u{i}' for i in range(n)] + ['r'])]
    lines.append('Subject To')
    for i, (_, t, c) in enumerate(items):
        lines.append(f' a{i}: u{i} + {f(c)} x{i} >= {f(t * budget)}')
        lines.append(f' b{i}: u{i} - {f(c)} x{i} >= {f(-t * budget)}')
    lines.append(' budget: ' + ' + '.join(f'{f(c)} x{i}' for i, (_, _, c) in enumerate(items)) + f' + r = {f(budget)}')
    lines.append('Bounds')
    lines += [f' x{i} >= 0' for i in range(n)] + [f' u{i} >= 0' for i in range(n)] + [' r >= 0']
    lines += ['General', ' ' + ' '.join(f'x{i}' for i in range(n)), 'End']
    with tempfile.TemporaryDirectory() as tmp:
        lp, sol = os.path.join(tmp, 'm.lp'), os.path.join(tmp, 'm.sol')
        with open(lp, 'w') as fh:
            fh.write('\n'.join(lines) + '\n')
        subprocess.run(['glpsol', '--lp', lp, '--mipgap', '0', '-w', sol], check=True, capture_output=True)
        with open(sol) as fh:
            rows = [ln.split() for ln in fh]
    status = next(r for r in rows if r[0] == 's')
    assert status[4] == 'o', f'GLPK status {status}'
    values = [float(r[2]) for r in rows if r[0] == 'j']
    lots = [int(round(v)) for v in values[:n]]
    return objective_of(items, budget, lots)


def brute_force_side(items, budget):
    """Best objective over every affordable lot vector, and every vector within UNIQUE_TOLERANCE of it."""
    maxima = [math.floor(budget / c) for _, _, c in items]
    if math.prod(m + 1 for m in maxima) > BRUTE_FORCE_LIMIT:
        return None
    best, argbest = math.inf, []
    for lots in itertools.product(*(range(m + 1) for m in maxima)):
        spent = 0.0
        for (_, _, c), x in zip(items, lots):
            spent += x * c
        if spent > budget * (1 + CASH_SLACK):
            continue
        obj = objective_of(items, budget, lots)
        if obj < best - UNIQUE_TOLERANCE:
            best, argbest = obj, [lots]
        elif obj <= best + UNIQUE_TOLERANCE:
            argbest.append(lots)
            best = min(best, obj)
    argbest = [a for a in argbest if objective_of(items, budget, a) <= best + UNIQUE_TOLERANCE]
    return best, argbest


# ---------------------------------------------------------------------------------------------------------------
# Reports


def report(inst, sides, lots_by_side):
    """Shares (signed, every ticker), leftover, objective, achieved weights and the two errors."""
    budget = float(inst['budget'])
    lots_size = inst.get('lotSizes') or {}
    shares, value, target = {}, {}, {}
    leftover, objective = 0.0, 0.0
    for (kind, side_budget, items), lots in zip(sides, lots_by_side):
        sign = -1 if kind == 'short' else 1
        spent = 0.0
        for (t, w, c), x in zip(items, lots):
            spent += x * c
            shares[t] = sign * x * lots_size.get(t, 1)
            value[t] = sign * x * c
            target[t] = sign * w * side_budget / budget
        leftover += max(0.0, side_budget - spent)
        objective += objective_of(items, side_budget, lots)
    tickers = [t for t, _ in ordered(inst['weights'])]
    achieved = {t: value[t] / budget for t in tickers}
    abs_err = loop_sum(abs(achieved[t] - target[t]) for t in tickers)
    rmse = math.sqrt(loop_sum((achieved[t] - target[t]) ** 2 for t in tickers) / len(tickers))
    return dict(
        shares={t: shares[t] for t in tickers},
        leftover=leftover,
        objective=objective,
        weights=achieved,
        targetWeights={t: target[t] for t in tickers},
        absoluteError=abs_err,
        rmse=rmse,
    )


def main():
    out = []
    for inst in instances():
        sides, warnings = sides_of(inst)
        greedy_lots = [greedy_side(items, b) for _, b, items in sides]
        greedy = report(inst, sides, greedy_lots)
        for (kind, b, items) in sides:
            priced = [c for _, t, c in items if t > 0]
            if priced and b < min(priced):
                warnings.append(f'{kind}-budget-too-small')

        exact_lots, glpk_total, brute_total, unique = [], 0.0, 0.0, True
        solver_total = 0.0
        for _, b, items in sides:
            lots, obj, fun = scipy_side(items, b)
            assert abs(obj - fun) <= 1e-6 * max(1.0, abs(fun)), (obj, fun)
            exact_lots.append(lots)
            solver_total += obj
            ranges = lot_ranges_within_optimum(items, b, obj)
            unique = unique and all(lo == hi for lo, hi in ranges)
            g = glpk_side(items, b)
            glpk_total = None if g is None or glpk_total is None else glpk_total + g
            bf = brute_force_side(items, b)
            if bf is None or brute_total is None:
                brute_total = None
            else:
                brute_total += bf[0]
                side_unique = all(lo == hi for lo, hi in ranges)
                assert (len(bf[1]) == 1) == side_unique, (inst['name'], bf[1], ranges)
                if side_unique:
                    assert list(bf[1][0]) == lots, (inst['name'], bf[1], lots)
        exact = report(inst, sides, exact_lots)
        for other in (glpk_total, brute_total):
            if other is not None:
                assert abs(other - exact['objective']) <= 1e-6, (inst['name'], other, exact['objective'])
        assert exact['objective'] <= greedy['objective'] + 1e-6, inst['name']

        record = {k: inst[k] for k in ('name', 'weights', 'prices', 'budget')}
        for k in ('lotSizes', 'allowShorts', 'shortRatio', 'reinvest'):
            if k in inst:
                record[k] = inst[k]
        record['warnings'] = warnings
        record['greedy'] = greedy
        record['exact'] = dict(
            objective=exact['objective'],
            objectiveGlpk=glpk_total,
            objectiveBruteForce=brute_total,
            unique=unique,
            shares=exact['shares'],
            leftover=exact['leftover'],
        )
        out.append(record)
        print(
            f"{inst['name']:34s} greedy obj {greedy['objective']:14.6f}  exact obj {exact['objective']:14.6f}"
            f"  glpk {glpk_total}  brute {brute_total}  unique {unique}"
        )

    glpk_version = None
    if shutil.which('glpsol'):
        glpk_version = subprocess.run(['glpsol', '--version'], capture_output=True, text=True).stdout.splitlines()[0]
    doc = dict(
        generator='reference/allocation/golden.py',
        numpy=np.__version__,
        scipy=scipy.__version__,
        glpk=glpk_version,
        conventions=dict(sumTolerance=SUM_TOLERANCE, cashSlack=CASH_SLACK, uniqueTolerance=UNIQUE_TOLERANCE),
        instances=out,
    )
    with open(os.path.join(HERE, 'golden.json'), 'w') as fh:
        json.dump(doc, fh, indent=1)
        fh.write('\n')


if __name__ == '__main__':
    main()
